"""Issue 10, point 6: no demo-derived number appears on a page or in an export without a mark in the same item.

``problems(item)`` is the check; the slow test runs it over every item of all 15 editions, the fast ones
show that it fails when a mark is missing.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest
from matplotlib.figure import Figure

import fyrbodal_analysis as fa
from fyrbodal_analysis.report import parts
from fyrbodal_analysis.report.items import DEMO_COLUMN, DEMO_NO, DEMO_YES, Item, ReportNote, report_note
from fyrbodal_analysis.report.style import DEMO_MARK, has_demo_mark, mark_demo

DIGIT = re.compile(r"\d")
#: references to the report's own numbering carry digits but no data
REFERENCE = re.compile(r"\b(?:Figur|Bilaga|Tabell|Karta|avsnitt|Pilot|Budget)\s[\d.,–-]*\d[a-z]?")
SENTENCE = re.compile(r"(?<!Org\.)(?<=[.!?])\s+(?=[A-ZÅÄÖ⚠\"])")


def unmarked_sentences(text: str) -> list[str]:
    """Sentences of ``text`` that state a number and carry no demo mark."""
    return [s for s in SENTENCE.split(text) if DIGIT.search(REFERENCE.sub("", s)) and "demodata" not in s.lower()]


def problems(it: Item) -> list[str]:
    out = []
    payload = it.export()
    if it.is_demo:
        if it.figure is not None and not has_demo_mark(it.figure):
            out.append("figure without the demo mark")
        if it.figure is None and DEMO_MARK not in it._repr_html_():
            out.append("page without the demo mark")
        if not it.alt.startswith(DEMO_MARK):
            out.append("alt text without the demo mark")
        if "columns" in payload:
            if payload["columns"][-1] != DEMO_COLUMN or any(r[-1] not in (DEMO_YES, DEMO_NO) for r in payload["rows"]):
                out.append("export without the demo column")
            if not payload.get("demo_note"):
                out.append("export without the sheet note")
        for note in it.notes:
            if not isinstance(note, ReportNote):
                out += [f"unmarked sentence: {s!r}" for s in unmarked_sentences(note)]
        if "syntetiska demodata" not in it.source.lower():
            out.append(f"source line does not say the data are synthetic: {it.source!r}")
    else:
        texts = [it.source, it.alt, *it.notes] + (list(payload.get("columns", [])))
        out += [f"demo wording on real data: {t!r}" for t in texts if "demodata" in t.lower() or t == DEMO_COLUMN]
        if it.figure is not None and has_demo_mark(it.figure):
            out.append("demo mark on real data")
    return out


def _demo_item(**kw) -> Item:
    it = Item("Figur X", "t", "Syntetiska demodata – inte verkliga uppgifter", alt="Tabell: 3 rader.",
              table=pd.DataFrame({"a": [1]}), data=pd.DataFrame({"a": [1]}), **kw)
    it.set_provenance(["stand_in"], demo=True, confidential=False)
    return it


def test_check_accepts_a_marked_item():
    it = _demo_item(notes=["Bengtsfors: 2,17 % (syntetiska demodata).", report_note("Rapporten: 11 av 12."),
                           "Bengtsfors deltog inte i enkäterna (Figur 33)."])
    assert problems(it) == []


def test_check_finds_an_unmarked_sentence_in_a_note():
    it = _demo_item(notes=["Här finns inga egna svar (syntetiska demodata). IT Bengtsfors lägger 2,17 %."])
    assert problems(it) == ["unmarked sentence: 'IT Bengtsfors lägger 2,17 %.'"]


def test_check_finds_an_export_without_the_column():
    it = _demo_item()
    it.export = lambda: {"columns": ["a"], "rows": [[1]]}
    assert "export without the demo column" in problems(it)


def test_check_finds_a_figure_without_the_mark_and_demo_words_on_real_data():
    fig = Figure()
    it = Item("Figur X", "t", "s", figure=fig, alt="x", notes=["5 av 9 (syntetiska demodata)."])
    assert problems(it) == ["demo wording on real data: '5 av 9 (syntetiska demodata).'"]
    mark_demo(fig)
    it.is_demo = True
    it.alt = DEMO_MARK + ". x"
    assert "figure without the demo mark" not in problems(it)


@pytest.mark.integration
def test_every_item_of_every_edition_is_marked_where_it_rests_on_demo_data(prepared):
    reg = fa.edition(None, prepared).registry
    found = []
    for edition in [reg.region_code, *reg.codes]:
        ed = fa.edition(edition, prepared)
        for it in parts.items(ed):
            found += [f"{edition} {it.number}: {p}" for p in problems(it)]
            it.figure = None  # let matplotlib free it
    assert not found, "\n".join(found)


# --- demo wording follows the tiers of the tables an item loads ----------------------------------------

def _with_tiers(ed, tier: str, *tables: str):
    """The edition as if ``tables`` had been registered with ``tier`` (in memory; the data stay the same)."""
    import copy
    ed.info = copy.deepcopy(ed.info)
    for t in tables:
        ed.info["tables"][t]["tiers"] = [tier]
    return ed


STAT_TABLES = ("capability_summary", "capability_levels", "it_cost_share", "cost_pools_by_org", "dimios_scores",
               "dimios_answers", "it_org_members")


def _stat_items(ed):
    from fyrbodal_analysis.report import capabilities, costs, dimios
    return [capabilities.figur_29(ed), costs.storlek(ed), dimios.figur_9_ci(ed), dimios.bilaga_3(ed)]


def test_statistics_on_demo_data_are_a_demonstration_never_a_result(prepared):
    for it in _stat_items(fa.edition(None, prepared)):
        text = " ".join(it.texts())
        assert it.is_demo and "säkerställt" not in text and "Demonstration av metoden på syntetiska demodata" in text, it.number
        assert problems(it) == [], it.number


def test_the_same_statistics_on_real_data_are_phrased_as_results(prepared):
    ed = _with_tiers(fa.edition(None, prepared), "private", *STAT_TABLES)
    items = {it.number: it for it in _stat_items(ed)}
    for it in items.values():
        text = " ".join(it.texts())
        assert not it.is_demo and "demodata" not in text.lower() and "Demonstration" not in text, it.number
        assert problems(it) == [], it.number
    assert "statistiskt säkerställt" in items["Figur 29"].notes[0]
    assert "statistiskt säkerställt" in " ".join(items["Tabell 19b"].notes)


def test_summary_marks_each_demo_sentence_and_only_those(prepared):
    from fyrbodal_analysis.report import summary
    s = summary.sammanfattning(fa.edition("1460", prepared))
    marked = {n.split(":")[0]: "(syntetiska demodata)" in n for n in s.notes[:4]}
    assert marked == {"Befolkningen väntas minska mellan 2019 och 2030 med 1\u00a0200 invånare (\u221212,2\u00a0%), plats 14 av 14 i "
                      "Fyrbodal.": False, "Digital mognad (Dimios)": True, "Förmågor jämfört med Fyrbodals snitt": True,
                      "IT-kostnader": True}
    rows = s.export()["rows"]
    assert [r[-1] for r in rows] == ["nej", "ja", "ja", "ja", "ja"]
    # real cost data for this edition: the cost sentence loses its mark, the Dimios sentence keeps it
    ed = _with_tiers(fa.edition("1460", prepared), "private", "it_cost_share")
    s = summary.sammanfattning(ed)
    costs = next(n for n in s.notes if n.startswith("IT-kostnader"))
    dimios_ = next(n for n in s.notes if n.startswith("Digital mognad"))
    assert "demodata" not in costs and "(syntetiska demodata)" in dimios_
    assert "kostnads" not in s.notes[-1] and "Dimios- och förmågeuppgifterna" in s.notes[-1]
    assert problems(s) == []


# --- exports ---------------------------------------------------------------------------------------------

def _payload(demo: bool) -> dict:
    it = Item("Figur 19", "Central IT-kostnad", "s", data=pd.DataFrame({"label": ["IT Bengtsfors"], "it_cost_share_pct": [2.17]}),
              alt="x")
    it.set_provenance(["it_cost_share"], demo=demo, confidential=True)
    return it.export()


def test_export_payload_carries_the_demo_column_only_on_demo_data():
    demo, real = _payload(True), _payload(False)
    assert demo["columns"] == ["label", "it_cost_share_pct", DEMO_COLUMN] and demo["rows"] == [["IT Bengtsfors", 2.17, "ja"]]
    assert real["columns"] == ["label", "it_cost_share_pct"] and "demo_note" not in real


def test_xlsx_sheet_has_the_note_on_its_header_and_no_extra_row(tmp_path):
    from types import SimpleNamespace

    from openpyxl import load_workbook

    from fyrbodal_analysis.publish.build import export_tables
    from fyrbodal_analysis.report.items import MIME
    demo, real = _payload(True), _payload(False)
    real.update(number="Figur 7", slug="figur-7")
    nb = SimpleNamespace(cells=[{"outputs": [{"data": {MIME: p}}]} for p in (demo, real)])
    export_tables(nb, tmp_path, "bengtsfors")
    wb = load_workbook(tmp_path / "bengtsfors.xlsx")
    ws_demo, ws_real = wb.worksheets[-2], wb.worksheets[-1]
    header = [c.value for c in ws_demo[1]]  # the header is row 1 (Swedish labels of the field dictionary)
    assert len(header) == 3 and header[-1] == DEMO_COLUMN
    assert [c.value for c in ws_demo[2]] == ["IT Bengtsfors", 2.17, "ja"]
    assert DEMO_MARK in ws_demo["A1"].comment.text
    assert ws_real["A1"].comment is None and DEMO_COLUMN not in [c.value for c in ws_real[1]]
    csv = (tmp_path / f"{demo['slug']}.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].endswith(f";{DEMO_COLUMN}") and csv.splitlines()[1].endswith(";ja")


def test_numbers_the_demo_cannot_meet_are_shown_as_disagreements(prepared):
    """Under the project's conversions some printed numbers cannot be met; the page says so, from facts.csv."""
    from fyrbodal_analysis.report import dimios, infosec, surveys
    ed = fa.edition(None, prepared)
    assert any("men rapporten skriver cirka 53\u00a0%" in n for n in dimios.figur_10(ed).notes)
    assert any("Texten går inte ihop (4\u00a0% kan inte vara en andel av de 40 svar" in n for n in surveys.figur_22(ed).notes)
    for it in (infosec.figur_12(ed), infosec.figur_13(ed), infosec.bilaga_4(ed)):
        assert any("8 personer som representerade 11 kommuner" in n and "x av 10" in n for n in it.notes), it.number


def test_figur_11_shows_the_disagreement_when_the_counts_are_not_met(prepared):
    """The quadrant line is not tuned: data that do not give 'en kommun i typ A' are shown as disagreeing."""
    from fyrbodal_analysis.report import dimios
    ed = fa.edition(None, prepared)
    assert not any("Avviker" in n for n in dimios.figur_11(ed).notes)
    pos = ed.load("dimios_positions").copy()
    pos["dimios_type"] = pos["dimios_type"].replace("A", "B")
    ed._cache["dimios_positions"] = pos
    assert any("⚠ Avviker från rapporten" in n and "(syntetiska demodata)" in n for n in dimios.figur_11(ed).notes)
