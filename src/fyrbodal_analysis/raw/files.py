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
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..core.errors import Collector, Problem
from ..core.fields import FIELDS, Field
from ..core.parsing import NumberError, NumberFormat, parse_number
from ..core.registry import CODE_RE, Registry
from .schemas import pandas_dtype, validate_frame

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
        bad = format_problems(d)
        if bad:
            raise ValueError("; ".join(m for m, _ in bad))
        return cls(**d)

    def to_dict(self) -> dict:
        return {"encoding": self.encoding, "sep": self.sep, "decimal": self.decimal, "thousands": self.thousands}

    @property
    def numbers(self) -> NumberFormat:
        return NumberFormat(self.decimal, self.thousands)


FORMAT_VALUES = {"encoding": ("utf-8", "utf-8-sig"), "decimal": (".", ","), "thousands": ("", " ")}


def format_problems(d: dict) -> list[tuple[str, str]]:
    """(what is wrong, expected) for a file format mapping as written in sources.yml."""
    out = []
    for k in sorted(set(d) - {"encoding", "sep", "decimal", "thousands"}, key=str):
        out.append((f"unknown format key {k!r}", "encoding, sep, decimal, thousands"))
    for k, allowed in FORMAT_VALUES.items():
        if k in d and d[k] not in allowed:
            out.append((f"format {k} {d[k]!r} is not supported", " or ".join(repr(a) for a in allowed)))
    if "sep" in d and (not isinstance(d["sep"], str) or len(d["sep"]) != 1 or d["sep"] in "\"\r\n"):
        out.append((f"format sep {d['sep']!r} is not one character", "one character such as ',' or ';'"))
    return out


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
    #: Microdata: ``fyrbodal synth`` writes a synthetic demo file ``data/raw/demo/<name>.csv`` that a private
    #: file of the same name replaces.
    microdata: bool = False
    #: A file with a header and no data rows is an error unless this is False.
    non_empty: bool = True
    #: Answer domains per question: (question column, answer column, {question id: allowed answers}).
    #: Categories are compared exactly (case-sensitive); a question with no "vet ej" does not accept it.
    answers: tuple | None = None
    #: (id column, column): every row of one id has the same value there, e.g. a respondent
    #: belongs to one municipality.
    one_per: tuple[tuple[str, str], ...] = ()
    #: (key columns, value column) for a table only ever used summed over those keys (a ledger):
    #: each checked chunk is summed at once, so a file of millions of rows needs memory for its
    #: distinct keys only. The index of a summed row is the first file line of its key.
    sum_over: tuple[tuple[str, ...], str] | None = None

    def field(self, column: str) -> Field:
        if column in self.field_of:
            return FIELDS[self.field_of[column]]
        if self.pattern and re.fullmatch(self.pattern[0], column):
            return FIELDS[self.pattern[1]]
        return FIELDS[column]


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Rows parsed, typed and checked at a time, so a large file never sits in memory as text.
CHUNK_ROWS = 25_000
#: A file with more problems than this is not read further (memory stays bounded; the output is capped anyway).
MAX_PROBLEMS = 10_000
#: Characters that are not white space to Python but are invisible in an editor.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


def decode(data: bytes, fmt: FileFormat, out: Collector) -> str | None:
    """Bytes to text per the declared encoding; problems go to ``out``."""
    if not _check_start(data[:4096], fmt, out):
        return None
    if data.startswith(BOM):
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


def _check_start(head: bytes, fmt: FileFormat, out: Collector) -> bool:
    """The first bytes: a UTF-16 file, a byte-order mark where none is declared."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if head.startswith(UTF16_BOMS) or (len(head) >= 4 and max(even, odd) > len(head) // 4 and min(even, odd) == 0):
        order = "little-endian" if head.startswith(b"\xff\xfe") or (not head.startswith(b"\xfe\xff") and odd) else "big-endian"
        out.add(1, None, f"the file is UTF-16 ({order}), not UTF-8", "UTF-8 text: save the file as UTF-8")
        return False
    if head.startswith(BOM) and fmt.encoding != "utf-8-sig":
        out.add(1, None, "file starts with a UTF-8 byte-order mark (BOM) but sources.yml declares encoding utf-8",
                "no BOM, or encoding: utf-8-sig in data/raw/sources.yml")
        return False
    return True


def read_table(path: Path, display: str, spec: TableSpec, fmt: FileFormat, registry: Registry | None,
               keep: bool = True) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse and validate one raw CSV. Returns the typed frame (index = file line) and problems.

    The file is read as a stream and typed and checked ``CHUNK_ROWS`` rows at a time; only the typed
    columns of the whole file are kept, so memory grows with the typed size, not the text. With
    ``keep=False`` (checking a file only) a chunk keeps just the columns that checks across rows
    need (key, answers, one-per rules), so memory stays flat for a table without a key.
    """
    out = Collector(display)
    if path.is_dir():
        out.add(None, None, "is a folder, not a file", "a CSV file")
        return None, out.problems
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
        if not _check_start(head, fmt, out):
            return None, out.problems
        with open(path, encoding="utf-8-sig" if head.startswith(BOM) else "utf-8", newline="") as f:
            frame = _read_stream(f, spec, fmt, registry, out, keep)
    except UnicodeDecodeError:
        out.problems.clear()
        decode(path.read_bytes(), fmt, out)  # locates the byte; the error path may read the whole file
        return None, out.problems
    except OSError as exc:
        out.add(None, None, f"cannot be read: {exc.strerror or exc}", "a readable file")
        return None, out.problems
    return frame, out.problems


def _read_stream(f, spec: TableSpec, fmt: FileFormat, registry, out: Collector, keep: bool = True) -> pd.DataFrame | None:
    reader = csv.reader(f, delimiter=fmt.sep)
    try:
        header = next(reader)
    except StopIteration:
        out.add(1, None, "file is empty", "a header line")
        return None
    except csv.Error as exc:
        out.add(1, None, f"the header cannot be read as CSV: {exc}", "a header line of column names")
        return None
    header = _check_header(header, spec, fmt, out)
    if header is None:
        return None
    checks_spec = replace(spec, key=())  # the unique key is checked once over the whole file
    across = [*spec.key, *(c for pair in spec.one_per for c in pair), *(spec.answers[:2] if spec.answers else ())]
    kept = None if keep else [c for c in dict.fromkeys(across)]
    chunks: list[pd.DataFrame] = []
    records, lines = [], []
    caches: dict[str, dict] = {c: {} for c in header}
    last = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            _csv_error(exc, last + 1, reader.line_num, out)
            return None
        first, last = last + 1, reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            span = (f"; a quoted field runs from line {first} to line {last}: a stray quote?" if last > first else "")
            out.add(first, None, f"has {len(row)} fields, the header has {len(header)}{span}",
                    f"{len(header)} fields separated by {fmt.sep!r}" + (", quotes in pairs" if span else ""))
            continue
        if last > first and _line_break_outside_prose(row, header, first, last, out):
            continue
        records.append(row)
        lines.append(first)
        if len(records) >= CHUNK_ROWS:
            chunk = _typed_chunk(records, lines, header, spec, checks_spec, fmt, registry, caches, out)
            chunks.append(_reduce(chunk, spec, kept))
            records, lines = [], []
            if len(out.problems) > MAX_PROBLEMS:  # a systematic fault in a large file: enough to act on
                out.add(last, None, f"more than {MAX_PROBLEMS} problems; reading stopped here",
                        "the problems above fixed first")
                return None
    if records or not chunks:
        chunk = _typed_chunk(records, lines, header, spec, checks_spec, fmt, registry, caches, out)
        chunks.append(_reduce(chunk, spec, kept))
    frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks)
    del chunks
    if spec.sum_over and keep and len(frame):
        frame = sum_rows(frame, *spec.sum_over)  # keys that recur across chunks
    if spec.non_empty and len(frame) == 0 and not out:
        out.add(max(last, 1), None, "the file has a header but no data rows", f"at least one row of {spec.name}")
    if spec.key and len(frame):
        taken = {(p.line, p.column) for p in out.problems}
        out.problems.extend(p for p in _duplicates(frame, spec.key, out.file) if (p.line, p.column) not in taken)
    if spec.answers:
        _check_answers(frame, spec, out)
    for id_col, col in spec.one_per:
        _check_one_per(frame, id_col, col, out)
    return frame


def _reduce(chunk: pd.DataFrame, spec: TableSpec, kept: list[str] | None) -> pd.DataFrame:
    """What of a checked chunk is kept: checks' columns only, the sums of a summed table, or all."""
    if kept is not None:
        return chunk[kept]
    if spec.sum_over and len(chunk):
        return sum_rows(chunk, *spec.sum_over)
    return chunk


def sum_rows(frame: pd.DataFrame, keys: tuple[str, ...], value: str) -> pd.DataFrame:
    """``value`` summed per distinct ``keys`` (missing keys kept); index: the first line of each key."""
    keys = list(keys)
    out = (frame[[*keys, value]].assign(line=frame.index)
           .groupby(keys, dropna=False, sort=False, observed=True)
           .agg(**{value: (value, "sum"), "line": ("line", "min")}).reset_index())
    return out.set_index("line").sort_index()


def _check_one_per(frame: pd.DataFrame, id_col: str, col: str, out: Collector) -> None:
    """Rows of one ``id_col`` value that disagree on ``col`` (first row's value wins)."""
    if not len(frame):
        return
    sub = frame[[id_col, col]].dropna()
    first = sub.groupby(id_col, sort=False)[col].transform("first")
    for line, r in sub[(sub[col] != first).to_numpy()].iterrows():
        seen = frame.index[(frame[id_col] == r[id_col]).fillna(False).to_numpy()][0]
        out.add(int(line), col, f"{id_col} {r[id_col]!r} has {col} {r[col]!r} here but {first[line]!r} on line {seen}",
                f"one {col} per {id_col}")


#: Columns of running text, where a quoted value may hold a line break; anywhere else a line break
#: inside a value means a stray quote swallowed the lines after it.
PROSE = frozenset({"quote", "note", "description", "text", "statement", "question", "discrepancy", "as_printed"})


def _line_break_outside_prose(row, header, first: int, last: int, out: Collector) -> bool:
    bad = [col for col, cell in zip(header, row) if ("\n" in cell or "\r" in cell) and col not in PROSE]
    for col in bad[:1]:
        out.add(first, col, f"the value runs from line {first} to line {last}: a stray quote? (the lines in between "
                "are read as part of it)", "a quote closing the value on its own line, or no quote")
    return bool(bad)


def _duplicates(frame: pd.DataFrame, key: tuple[str, ...], file: str) -> list[Problem]:
    """One problem per row whose key another row has too, naming the other lines."""
    key = list(key)
    dup = frame.loc[frame.duplicated(key, keep=False).to_numpy(), key]
    problems: list[Problem] = []
    if dup.empty:
        return problems
    for _, lines in dup.groupby(key[0] if len(key) == 1 else key, dropna=False, sort=False).groups.items():
        lines = [int(i) for i in lines]
        row = dup.loc[lines[0]]
        shown = ", ".join(f"{k}={row[k]!s}" for k in key)
        for line in lines:
            others = ", ".join(str(i) for i in lines if i != line)
            problems.append(Problem(file, line, ",".join(key), f"duplicated key ({shown}), also on line {others}",
                                    "each key once"))
    return problems


def _typed_chunk(records, lines, header, spec: TableSpec, checks_spec: TableSpec, fmt, registry, caches,
                 out: Collector) -> pd.DataFrame:
    """Rows -> a typed frame (index = file line), every cell and value rule checked."""
    columns: dict[str, list] = {}
    before = len(out.problems)
    for j, col in enumerate(header):
        fld = spec.field(col)
        nullable = fld.nullable or col in spec.nullable
        cache = caches[col] if fld.dtype not in ("int", "float", "pct") else None
        columns[col] = [_cell(r[j], line, col, fld, nullable, fmt, spec, registry, cache, out)
                        for r, line in zip(records, lines)]
    index = pd.Index(lines, name="line", dtype="int64")
    frame = pd.DataFrame({c: _series(v, spec.field(c), index) for c, v in columns.items()}, index=index)
    del columns
    if spec.pattern is None:
        frame = frame[list(spec.columns)]
    # value rules on every cell that parsed; a cell that did not parse is reported once, for that
    taken = {(p.line, p.column) for p in out.problems[before:]}
    for p in validate_frame(frame, checks_spec, out.file):
        if (p.line, p.column) not in taken:
            out.problems.append(p)
    return frame


def _cell(cell, line, col, fld: Field, nullable, fmt, spec, registry, cache, out: Collector):
    """One cell, parsed; texts are shared through ``cache`` (repeated values cost one object)."""
    if cache is None:
        if cell.isascii() and cell.isdigit():  # the common case of a plain whole number
            return int(cell) if fld.dtype == "int" else float(cell)
        return _parse_cell(cell, line, col, fld, nullable, fmt, spec, registry, out)
    value = cache.get(cell, cache)
    if value is cache:
        probe = Collector(out.file)
        value = _parse_cell(cell, line, col, fld, nullable, fmt, spec, registry, probe)
        if probe:
            out.problems.extend(probe.problems)
            return None
        cache[cell] = value
    return value


def _csv_error(exc: csv.Error, first: int, last: int, out: Collector) -> None:
    text = str(exc)
    if "field larger than field limit" in text:
        out.add(first, None, f"a quote (\") opens a field here that is not closed within {csv.field_size_limit()} "
                "characters: a stray quote?", "quotes in pairs around a field")
    else:
        out.add(first, None, f"cannot be read as CSV: {text}", "a CSV row")


def _check_answers(frame: pd.DataFrame, spec: TableSpec, out: Collector) -> None:
    """Each answer must be a category of its own question (case-sensitive)."""
    qcol, acol, domains = spec.answers
    if not len(frame):
        return
    taken = {(p.line, p.column) for p in out.problems}
    pairs = pd.DataFrame({"q": frame[qcol].astype(object), "a": frame[acol].astype(object)}, index=frame.index)
    for (q, a), group in pairs.groupby(["q", "a"], sort=True, dropna=True).groups.items():
        allowed = domains.get(q)
        if allowed is None or a in allowed:
            continue  # an unknown question is reported by the table's question check
        same_case = [c for c in allowed if c.casefold() == str(a).casefold()]
        hint = (f" (did you mean {same_case[0]!r}? categories are case-sensitive)" if same_case else "")
        for line in group:
            if (int(line), acol) not in taken:
                out.add(int(line), acol, f"{a!r} is not an answer to {q}{hint}",
                        "one of " + ", ".join(repr(c) for c in allowed))


def _check_header(header: list[str], spec: TableSpec, fmt: FileFormat, out: Collector) -> list[str] | None:
    """The header with surrounding white space (incl. no-break space) removed, or None when it is wrong."""
    header = [h.strip() for h in header]
    if len(header) == 1:
        for other in (";", ",", "\t"):
            if other != fmt.sep and other in header[0]:
                out.add(1, None, f"the header is one column that contains {other!r}: the file seems to be "
                        f"{other!r}-separated, but sources.yml declares sep {fmt.sep!r}",
                        f"{fmt.sep!r} between columns, or sep: {other!r} in data/raw/sources.yml")
                return None
    while len(header) > 1 and header[-1] == "":  # a trailing separator on the header line (Excel)
        out.add(1, None, f"the header ends with an empty column name: a trailing {fmt.sep!r}?",
                f"no {fmt.sep!r} after the last column name")
        return None
    seen = set()
    for h in header:
        if h in seen:
            out.add(1, h, "column appears twice in the header", "each column once")
        seen.add(h)
    expected = list(spec.columns)
    pattern = re.compile(spec.pattern[0]) if spec.pattern else None
    unexpected = [h for h in header if h not in expected and not (pattern and pattern.fullmatch(h))]
    missing = [c for c in expected if c not in header]
    if len(missing) > 2 and len(missing) * 2 > len(expected):  # one root cause: another table's file
        out.add(1, None, f"the header has {len(expected) - len(missing)} of the {len(expected)} columns of table "
                f"{spec.name} (it reads {fmt.sep.join(header)[:80]!r}): is this the right file and --table?",
                "header: " + fmt.sep.join(expected))
        return None
    explained = set()
    for h in unexpected:
        bare = "".join(ch for ch in h if ch not in INVISIBLE).strip()
        if bare != h and (bare in expected or (pattern and pattern.fullmatch(bare))):
            names = ", ".join(sorted({f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip() for ch in h if ch in INVISIBLE}))
            out.add(1, h, f"column name contains an invisible character ({names}); otherwise it is {bare!r}",
                    f"the column name {bare!r} without it")
            explained.update({h, bare})
    for c in missing:
        if c in explained:
            continue
        near = difflib.get_close_matches(c, unexpected, n=1, cutoff=0.5)
        hint = f"; is {near[0]!r} this column renamed?" if near else ""
        out.add(1, c, f"column is missing{hint}", "header: " + fmt.sep.join(expected))
    for h in unexpected:
        if h in explained:
            continue
        near = difflib.get_close_matches(h, expected, n=1, cutoff=0.5)
        case = [e for e in expected if e.casefold() == h.casefold()]
        hint = f" (column names are case-sensitive: {case[0]!r})" if case else (f" (did you mean {near[0]!r}?)" if near else "")
        out.add(1, h, "unexpected column" + hint, "only the columns " + ", ".join(expected))
    return None if out else header


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
