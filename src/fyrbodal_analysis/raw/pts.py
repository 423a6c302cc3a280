"""PTS's broadband tables as published: the Excel "tabellbilaga" of the broadband survey.

PTS's statistics portal does not allow scripted downloads, so a user downloads
the workbook and takes it in with ``fyrbodal register FILE.xlsx --table
broadband_pts --tier public``; the workbook is kept unchanged in
``data/raw/public/`` and read here each time ``prepare`` runs.

What the reader needs from the workbook (and reports when missing):

* one sheet for households and one for workplaces ("arbetsställen"): found by the
  words "hushåll" / "arbetsställ" in the sheet name or in the title rows above
  the table, together with the survey year (e.g. "oktober 2019");
* a header row with a municipality column ("Kommun" or "Kommunkod") and a column
  "Totalt", optionally "Tätort", "Småort" and "Utanför tätort och småort";
* one row per municipality; rows of other municipalities and county or national
  totals are skipped. Cells formatted as percent (0,953) are read as 95,3 %.

Problems are reported as ``file:row:sheet!column: what is wrong (what was expected)``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..core.errors import Collector, Problem
from .schemas import validate_frame

MEASURES = {"households_pct": ("hushåll",), "workplaces_pct": ("arbetsställ", "arbetsstäl")}
AREAS = {"totalt": ("totalt", "total"), "tatort": ("tätort", "i tätort"), "smaort": ("småort", "i småort"),
         "utanfor": ("utanför",)}
HEADER_ROWS = 40


def read_tabellbilaga(path: Path, display: str, spec, fmt=None, registry=None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The workbook -> a frame in the layout of ``broadband_pts`` (index = Excel row), and every problem."""
    out = Collector(display)
    try:
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is bad input
        out.add(None, None, "cannot be read as an Excel workbook: the file is damaged or not in .xlsx format",
                "PTS's tabellbilaga as downloaded (.xlsx)")
        return None, out.problems
    found: dict[str, tuple] = {}
    for ws in wb.worksheets:
        table = _find_table(ws)
        if table and table[0] in found:
            out.add(None, ws.title, f"a second sheet for {table[0]} (also {found[table[0]][1]!r})", "one sheet per measure")
        elif table:
            found[table[0]] = (table, ws.title, ws)
    for measure in MEASURES:
        if measure not in found:
            out.add(None, None, f"no sheet with a table for {'households (hushåll)' if measure == 'households_pct' else 'workplaces (arbetsställen)'}",
                    "a sheet whose name or title names the measure, with a header row 'Kommun' … 'Totalt'")
    if out:
        wb.close()
        return None, out.problems
    values: dict[tuple, dict] = {}
    lines: dict[tuple, int] = {}
    for measure, ((_, year, header_row, kcol, cols), title, ws) in found.items():
        if year is None:
            out.add(header_row, f"{title}!A", "no survey year in the sheet's title rows", "a year such as 2019 above the table")
            continue
        for row in ws.iter_rows(min_row=header_row + 1):
            _read_row(row, measure, year, kcol, cols, title, registry, values, lines, out)
    wb.close()
    if registry is not None:
        years = {k[1] for k in values}
        for year in sorted(years):
            have = {k[0] for k in values if k[1] == year}
            for c in sorted(set(registry.codes) - have):
                out.add(None, None, f"no row for {registry.name_of[c]} ({c}) in {year}", "a row for every municipality of the region")
    rows = [{"municipality_code": k[0], "year": k[1], "area_type": k[2], "households_pct": v.get("households_pct"),
             "workplaces_pct": v.get("workplaces_pct")} for k, v in sorted(values.items())]
    frame = pd.DataFrame(rows, index=pd.Index([lines[k] for k in sorted(values)], name="line"),
                         columns=list(spec.columns))
    frame = frame.astype({"municipality_code": "string", "year": "Int64", "area_type": "string",
                          "households_pct": "Float64", "workplaces_pct": "Float64"})
    for (code, year, area), v in sorted(values.items()):
        for m in MEASURES:
            if v.get(m) is None:
                out.add(lines[(code, year, area)], m, f"no {m} value for {code} {area} {year}", "a value in both sheets")
    if out:
        return frame, out.problems
    return frame, validate_frame(frame, spec, display)


def _find_table(ws):
    """(measure, year, header row, municipality column index, {column index: area}) or None."""
    title = ws.title.lower()
    for i, row in enumerate(ws.iter_rows(max_row=HEADER_ROWS, values_only=True), start=1):
        cells = [str(c).strip().lower() if c is not None else "" for c in row]
        title += " " + " ".join(cells)
        kcol = next((j for j, c in enumerate(cells) if c in ("kommun", "kommunkod", "kommunnamn")), None)
        if kcol is None:
            continue
        cols = {}
        for j, c in enumerate(cells):
            area = next((a for a, words in AREAS.items() if any(c.startswith(w) for w in words)), None)
            if area and area not in cols.values():
                cols[j] = area
        if "totalt" not in cols.values():
            continue
        measure = next((m for m, words in MEASURES.items() if any(w in title for w in words)), None)
        if measure is None:
            return None
        years = re.findall(r"\b(20\d\d)\b", title)
        return measure, int(years[-1]) if years else None, i, kcol, cols
    return None


def _read_row(row, measure, year, kcol, cols, title, registry, values, lines, out) -> None:
    if len(row) <= kcol or row[kcol].value is None:
        return
    excel_row = row[kcol].row
    raw = str(row[kcol].value).strip()
    code = raw.zfill(4) if raw.isdigit() else (registry.resolve_name(raw) if registry is not None else None)
    if code is None or (registry is not None and not registry.in_region(code)):
        return  # other municipalities, county and national totals, notes under the table
    for j, area in cols.items():
        cell = row[j] if j < len(row) else None
        v = None if cell is None else cell.value
        where = f"{title}!{_letter(j)}"
        if v is None or (isinstance(v, str) and v.strip() in ("", "..", "-", "–")):
            out.add(excel_row, where, f"no value for {code} {area}", "a share in percent")
            continue
        try:
            x = float(str(v).replace(",", ".").replace("%", "").replace("\u00a0", "").strip())
        except ValueError:
            out.add(excel_row, where, f"{v!r} is not a number", "a share in percent")
            continue
        if "%" in str(getattr(cell, "number_format", "")):
            x *= 100
        key = (code, year, area)
        if measure in values.get(key, {}):
            out.add(excel_row, where, f"{code} appears twice", "one row per municipality")
            continue
        values.setdefault(key, {})[measure] = round(x, 6)
        lines.setdefault(key, excel_row)


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(j + 1)
