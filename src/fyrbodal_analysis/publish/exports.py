"""Downloads a Swedish analyst can use as they are: the tables behind every item, readied for Excel.

:func:`sheet` turns one item's exported data (``Item.export()``: internal column names, raw values)
into a :class:`Sheet`: Swedish column headers from the field dictionary, names instead of internal
ids (ids of anonymous units are dropped, never exported), values rounded to the precision the page
shows, "ja"/"nej" for booleans, and per column the number of decimals, so the CSV writer prints
"12,2" and the XLSX writer stores 12.2 as a number formatted with one decimal.

A sheet is a list of columns, so adding one (e.g. a demo mark) is ``sheet.add("Demodata", values)``.
Pure Python (no pandas): it runs in the build's workers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.fields import FIELDS
from ..core.formatting import sv_range

#: Columns never exported: identifiers of units a page shows anonymously or not at all.
ANONYMOUS_IDS = {"it_org_id", "respondent_id", "assessor_id", "supplier_id", "source_k_id"}
#: Internal ids and the column with the name a reader knows them by (looked up when the item lacks it).
ID_NAMES = {
    "capability_id": ("capabilities", "capability"),
    "capability_area_id": ("capabilities", "capability_area"),
    "question_id": ("infosec_questions", "question"),
    "work_area_id": ("it_work_areas", "work_area"),
    "vagval_id": ("vagval", "vagval"),
    "cost_pool_id": ("tbm_cost_pools", "cost_pool"),
}
#: Swedish headers for columns that are not fields of the dictionary (wide tables pivoted by a part).
EXTRA_LABELS = {"label": "Benämning", "totalt": "Totalt (%)", "tatort": "Tätort (%)", "smaort": "Småort (%)",
                "utanfor": "Utanför tätort och småort (%)", "text": "Text", "band": "Andel av arbetstiden",
                "mean_level_corrected": "Genomsnittlig mognad, korrigerad för överskattning"}
#: Values of category fields as a reader knows them (the data keep short internal codes).
VALUE_LABELS = {
    "cost_type": {"egen_personal": "Egen personal", "extern": "Externa tjänster"},
    "area_type": {"totalt": "Totalt", "tatort": "Tätort", "smaort": "Småort", "utanfor": "Utanför tätort och småort"},
    "tier": {"published": "Rapportens text", "public": "Offentliga data", "demo": "Syntetiska demodata",
             "private": "Verkliga uppgifter (ej offentliga)"},
    "unit": {"count": "antal", "pct": "%", "sek": "kr", "tkr": "tkr", "fte": "årsarbetare", "year": "år",
             "mbit_s": "Mbit/s"},
    "domain": {"demography": "Demografi", "dimios": "Digital mognad", "infosec": "Informationssäkerhet",
               "broadband": "Bredband", "costs": "IT-kostnader", "surveys": "Verksamhetsstöd",
               "capabilities": "Förmågor", "pilots": "Pilotprojekt"},
}
#: Decimals shown on the pages: percentages with one, means and spreads with two, unless a field says otherwise.
DECIMALS = {"pct": 1, "float": 2}
FIELD_DECIMALS = {"it_cost_share_pct": 2, "strategic_importance": 1, "formaga_score": 1, "arv_score": 1}
#: Numbers a part already formatted the Swedish way ("−0,38", "9 800", "12,2 %"): parsed back for XLSX.
SV_NUMBER = re.compile(r"^([−-]?)(\d{1,3}(?:[  ]\d{3})*|\d+)(?:,(\d+))?(?:[  ]?%)?$")


@dataclass
class Column:
    header: str
    values: list
    decimals: int | None = None  # None: text (or whole numbers when every value is an int)
    is_year: bool = False

    @property
    def numeric(self) -> bool:
        return all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in self.values) and \
            any(v is not None for v in self.values)


@dataclass
class Sheet:
    number: str
    title: str
    slug: str
    columns: list[Column] = field(default_factory=list)

    def add(self, header: str, values: list, decimals: int | None = None) -> None:
        self.columns.append(Column(_unique(header, [c.header for c in self.columns]), list(values), decimals))

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def rows(self) -> list[list]:
        return [list(r) for r in zip(*(c.values for c in self.columns))] if self.columns else []


def sheet(item: dict, lookup=None) -> Sheet:
    """One item's export as a :class:`Sheet`. ``lookup(table, id_column, name_column)`` returns an id -> name
    dict for ids whose name the item does not carry (:func:`name_lookup`); an id without a known name stays."""
    cols = list(item["columns"])
    data = {c: [row[i] for row in item["rows"]] for i, c in enumerate(cols)}
    out = Sheet(item["number"], item["title"], item["slug"])
    for name in cols:
        if name in ANONYMOUS_IDS:
            continue
        values = data[name]
        if name in ID_NAMES:
            table, name_col = ID_NAMES[name]
            if name_col in data:
                continue  # the item carries the name: the id adds nothing for a reader
            names = lookup(table, name, name_col) if lookup else {}
            if names:
                out.add(_header(name_col), [names.get(v, v) for v in values])
                continue
        out.columns.append(_column(name, values, [c.header for c in out.columns]))
    return out


def name_lookup(items: list[dict]):
    """``lookup(table, id_col, name_col)`` -> {id: name}, from the items of the same edition that show both (e.g.
    Figur 25 names every capability, so Figur 29's capability ids become names): nothing is read from disk and
    no name reaches a download that the edition does not already show."""
    pairs: dict[tuple[str, str], dict] = {}
    for it in items:
        cols = it.get("columns", [])
        for id_col, (_, name_col) in ID_NAMES.items():
            if id_col in cols and name_col in cols:
                i, n = cols.index(id_col), cols.index(name_col)
                pairs.setdefault((id_col, name_col), {}).update((r[i], r[n]) for r in it["rows"])

    def lookup(table: str, id_col: str, name_col: str) -> dict:
        return pairs.get((id_col, name_col), {})
    return lookup


def _header(name: str) -> str:
    f = FIELDS.get(name)
    if f is None:
        return EXTRA_LABELS.get(name) or _readable(name)
    text = f.label_sv
    if f.dtype == "pct" and "%" not in text:
        text += " (%)"
    return text


def _readable(name: str) -> str:
    """A column an item named itself in Swedish ("lager", "svensk_benämning") as a header: spaces for underscores,
    a capital first letter; a statistic written in lower case by convention ("p-värde", "ρ") stays as it is."""
    text = name.replace("_", " ").strip()
    if not text or text.startswith(("p-", "ρ")):
        return text
    return text[0].upper() + text[1:]


def _unique(header: str, taken: list[str]) -> str:
    out, i = header, 2
    while out in taken:
        out, i = f"{header} ({i})", i + 1
    return out


def _column(name: str, values: list, taken: list[str]) -> Column:
    f = FIELDS.get(name)
    header = _unique(_header(name), taken)
    if any(isinstance(v, bool) for v in values):
        return Column(header, [None if v is None else ("ja" if v else "nej") for v in values])
    if f is not None and not f.is_numeric:  # codes, names, categories: text as a reader writes it
        labels = VALUE_LABELS.get(name, {})
        fix = sv_range if f.dtype == "category" else str  # "0-19" -> "0–19"; quoted report text stays as printed
        return Column(header, [None if v is None else fix(labels.get(v, str(v))) for v in values])
    if all(v is None or isinstance(v, str) for v in values):
        parsed = [_parse_sv(v) for v in values]
        if any(p is not None for p in parsed) and all(p is not None or v in (None, "", "–") for p, v in zip(parsed, values)):
            decimals = max(d for p in parsed if p is not None for d in [p[1]])
            return Column(header, [p[0] if p else None for p in parsed], decimals or None)
        return Column(header, values)
    nums = [v for v in values if v is not None]
    if all(isinstance(v, int) or (isinstance(v, float) and v.is_integer()) for v in nums):
        return Column(header, [None if v is None else int(v) for v in values], None, is_year=name in ("year", "budget_year"))
    decimals = FIELD_DECIMALS.get(name, DECIMALS.get(f.dtype, 1) if f else 1)
    return Column(header, [None if v is None else _round(v, decimals) for v in values], decimals)


def _round(v: float, decimals: int) -> float:
    from ..core.formatting import round_half_up
    return round_half_up(float(v), decimals)


def _parse_sv(text: str | None):
    """"−0,38" -> (-0.38, 2); "9 800" -> (9800, 0); anything else -> None."""
    if text is None:
        return None
    m = SV_NUMBER.match(text.strip())
    if not m:
        return None
    sign, whole, frac = m.groups()
    value = int(re.sub(r"\D", "", whole)) + (int(frac) / 10 ** len(frac) if frac else 0)
    value = -value if sign else value
    return (round(value, len(frac)) if frac else int(value)), len(frac or "")


# ----------------------------------------------------------------------------- writing

def csv_cell(v, decimals: int | None = None) -> str:
    """Swedish Excel: decimal comma, no thousands separator, empty for missing, ja/nej."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, float):
        if decimals is not None:
            return f"{v:.{decimals}f}".replace(".", ",")
        return (str(int(v)) if v.is_integer() else repr(v)).replace(".", ",")
    return str(v)


def csv_rows(s: Sheet) -> list[list[str]]:
    return [[csv_cell(v, c.decimals) for v, c in zip(row, s.columns)] for row in s.rows()]


def xlsx_format(c: Column) -> str | None:
    """An Excel number format (Excel shows it with the reader's decimal comma and thousands space)."""
    if not c.numeric:
        return None
    if c.is_year:
        return "0"
    return "#,##0" if not c.decimals else "#,##0." + "0" * c.decimals
