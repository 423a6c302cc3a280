"""Reading one raw CSV file strictly, as its entry in ``sources.yml`` declares.

``read_table`` checks, in order: the bytes' encoding (UTF-8, with or without a
byte-order mark as declared; Latin-1 is detected and rejected), the separator,
the header against the table's columns, every cell against its field's dtype
and the file's number format, and finally the value rules of the field
dictionary through a pandera schema (ranges, allowed values, unique keys),
with every failure reported at once as ``file:line:column: problem``.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import Collector, Problem
from .fields import FIELDS, Field
from .numbers import NumberError, NumberFormat, parse_number
from .registry import CODE_RE, Registry
from .validation import pandas_dtype, validate_frame

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FileFormat:
    """How a raw file is written (declared per file in sources.yml)."""

    encoding: str = "utf-8"  # "utf-8" or "utf-8-sig" (a byte-order mark is expected)
    sep: str = ","
    decimal: str = "."
    thousands: str = ""

    @classmethod
    def from_dict(cls, d: dict | None) -> FileFormat:
        d = dict(d or {})
        unknown = set(d) - {"encoding", "sep", "decimal", "thousands"}
        if unknown:
            raise ValueError(f"unknown format keys {sorted(unknown)}")
        return cls(**d)

    def to_dict(self) -> dict:
        return {"encoding": self.encoding, "sep": self.sep, "decimal": self.decimal, "thousands": self.thousands}

    @property
    def numbers(self) -> NumberFormat:
        return NumberFormat(self.decimal, self.thousands)


@dataclass(frozen=True)
class TableSpec:
    """What one raw table must contain.

    ``columns`` are the raw column names, each a field of the dictionary unless
    ``field_of`` maps it to one. ``pattern`` admits a family of columns (e.g.
    ``ar_1950`` ... ``ar_2019``) that all share one field. ``scope`` says whether
    municipality names must belong to the region or may be any in Sweden.
    """

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()
    nullable: frozenset[str] = frozenset()
    field_of: dict[str, str] = field(default_factory=dict)
    pattern: tuple[str, str] | None = None  # (regex, field name)
    scope: str = "region"  # or "national"
    description: str = ""
    #: Rules across columns: (column to blame, pandera Check returning a boolean Series per row).
    checks: tuple = ()
    #: Holds confidential microdata (survey answers, assessments, costs): every processed table built from it is
    #: confidential, and every report item that loads such a table passes the disclosure rule.
    confidential: bool = False

    def field(self, column: str) -> Field:
        if column in self.field_of:
            return FIELDS[self.field_of[column]]
        if self.pattern and re.fullmatch(self.pattern[0], column):
            return FIELDS[self.pattern[1]]
        return FIELDS[column]


def decode(data: bytes, fmt: FileFormat, out: Collector) -> str | None:
    """Bytes to text per the declared encoding; problems go to ``out``."""
    if data.startswith(BOM):
        if fmt.encoding != "utf-8-sig":
            out.add(1, None, "file starts with a UTF-8 byte-order mark (BOM) but sources.yml declares encoding utf-8",
                    "no BOM, or encoding: utf-8-sig in data/raw/sources.yml")
            return None
        data = data[len(BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        char_col = len(data[line_start: exc.start].decode("utf-8", errors="replace")) + 1
        latin = data[line_start: data.find(b"\n", exc.start) if data.find(b"\n", exc.start) >= 0 else len(data)]
        hint = latin.decode("latin-1").strip()
        out.add(line, None,
                f"byte 0x{data[exc.start]:02x} at character {char_col} is not valid UTF-8; the file looks like "
                f"Latin-1/Windows-1252 (the line reads {hint[:60]!r} in Latin-1)",
                "UTF-8 text: save the file as UTF-8")
        return None


def read_table(path: Path, display: str, spec: TableSpec, fmt: FileFormat, registry: Registry | None
               ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse and validate one raw CSV. Returns the typed frame (index = file line) and problems."""
    out = Collector(display)
    text = decode(path.read_bytes(), fmt, out)
    if text is None:
        return None, out.problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=fmt.sep)
    try:
        header = next(reader)
    except StopIteration:
        out.add(1, None, "file is empty", "a header line")
        return None, out.problems
    if not _check_header(header, spec, fmt, out):
        return None, out.problems
    records, lines = [], []
    for row in reader:
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            out.add(line, None, f"has {len(row)} fields, the header has {len(header)}",
                    f"{len(header)} fields separated by {fmt.sep!r}")
            continue
        records.append(row)
        lines.append(line)
    columns: dict[str, list] = {}
    for j, col in enumerate(header):
        fld = spec.field(col)
        nullable = fld.nullable or col in spec.nullable
        columns[col] = [_parse_cell(r[j], line, col, fld, nullable, fmt, spec, registry, out)
                        for r, line in zip(records, lines)]
    index = pd.Index(lines, name="line")
    frame = pd.DataFrame({c: _series(v, spec.field(c), index) for c, v in columns.items()}, index=index)
    if spec.pattern is None:
        frame = frame[list(spec.columns)]
    # value rules on every cell that parsed; a cell that did not parse is reported once, for that
    taken = {(p.line, p.column) for p in out.problems}
    out.problems.extend(p for p in validate_frame(frame, spec, display) if (p.line, p.column) not in taken)
    return frame, out.problems


def _check_header(header: list[str], spec: TableSpec, fmt: FileFormat, out: Collector) -> bool:
    header = [h.strip() for h in header]
    if len(header) == 1:
        for other in (";", ",", "\t"):
            if other != fmt.sep and other in header[0]:
                out.add(1, None, f"the header is one column that contains {other!r}: the file seems to be "
                        f"{other!r}-separated, but sources.yml declares sep {fmt.sep!r}",
                        f"{fmt.sep!r} between columns, or sep: {other!r} in data/raw/sources.yml")
                return False
    seen = set()
    for h in header:
        if h in seen:
            out.add(1, h, "column appears twice in the header", "each column once")
        seen.add(h)
    expected = list(spec.columns)
    pattern = re.compile(spec.pattern[0]) if spec.pattern else None
    unexpected = [h for h in header if h not in expected and not (pattern and pattern.fullmatch(h))]
    missing = [c for c in expected if c not in header]
    for c in missing:
        near = difflib.get_close_matches(c, unexpected, n=1, cutoff=0.5)
        hint = f"; is {near[0]!r} this column renamed?" if near else ""
        out.add(1, c, f"column is missing{hint}", "header: " + fmt.sep.join(expected))
    for h in unexpected:
        near = difflib.get_close_matches(h, expected, n=1, cutoff=0.5)
        out.add(1, h, "unexpected column" + (f" (did you mean {near[0]!r}?)" if near else ""),
                "only the columns " + ", ".join(expected))
    return not out


def _parse_cell(cell, line, col, fld: Field, nullable, fmt: FileFormat, spec: TableSpec, registry, out: Collector):
    raw = cell.strip()
    if raw == "":
        if not nullable:
            out.add(line, col, "value is missing", fld.expected())
        return None
    try:
        if fld.dtype in ("int", "float", "pct"):
            return parse_number(raw, fmt.numbers, integer=fld.dtype == "int", percent=fld.dtype == "pct")
        if fld.dtype == "bool":
            low = raw.lower()
            if low in ("true", "false"):
                return low == "true"
            raise NumberError(f"{cell!r} is not a truth value", fld.expected())
        if fld.dtype == "code":
            if not CODE_RE.match(raw):
                raise NumberError(f"municipality code {cell!r} is not 4 digits", fld.expected())
            if registry is not None and raw not in registry.national_codes:
                raise NumberError(f"unknown municipality code {raw!r}", "a code of a Swedish municipality")
            if registry is not None and spec.scope == "region" and not registry.in_region(raw):
                raise NumberError(f"municipality code {raw!r} is not in region {registry.region_name}",
                                  "one of " + ", ".join(registry.codes))
            return raw
        if fld.dtype == "municipality" and registry is not None:
            if spec.scope == "national" and registry.is_ambiguous(raw):
                return raw  # resolved by the module with the source's own id
            code = registry.resolve_name(raw)
            if code is None:
                near = difflib.get_close_matches(raw, list(registry.national) + list(registry.aliases), n=1)
                raise NumberError(
                    f"unknown municipality name {raw!r}" + (f" (did you mean {near[0]!r}?)" if near else ""),
                    "an official name or an alias listed in params/municipality_aliases.yml")
            if spec.scope == "region" and not registry.in_region(code):
                raise NumberError(f"{raw!r} is not a municipality of {registry.region_name}", "one of " +
                                  ", ".join(registry.name_of.values()))
            return raw
    except NumberError as exc:
        out.add(line, col, str(exc), exc.expected)
        return None
    return raw


def _series(values: list, fld: Field, index: pd.Index) -> pd.Series:
    return pd.Series(values, dtype=pandas_dtype(fld), index=index)
