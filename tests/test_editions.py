"""Every item of the report for the region and for municipality editions, and the disclosure rule."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.report.edition import MIN_GROUP, too_few
from fyrbodal_analysis.report.style import DEMO_MARK, has_demo_mark

EDITIONS = ["fyrbodal", "1460", "1488", "1439", "1427"]  # region, full participant, skipped steps, no workshops, SML IT


@pytest.fixture(scope="module")
def built(edition_items):
    return {code: edition_items(code) for code in EDITIONS}


def test_every_figure_of_the_spec_is_made(built):
    numbers = {it.number for it in built["fyrbodal"][1]}
    wanted = {f"Figur {n}" for n in range(1, 36) if n not in (27, 32)} | {"Figur 27/32", "Bilaga 3", "Bilaga 4", "Tabell 1.5"}
    wanted |= {f"Pilot {i}" for i in range(1, 6)} | {f"Budget {i}" for i in range(1, 6)}
    assert wanted <= numbers, sorted(wanted - numbers)


@pytest.mark.parametrize("code", EDITIONS)
def test_items_have_caption_source_alt(built, code):
    for it in built[code][1]:
        assert it.title and it.source and it.alt, it.number
        assert it.figure is not None or it.table is not None or it.html or it.notes, it.number


def test_published_tables_are_dataframes_for_export(built):
    by_number = {it.number: it for it in built["fyrbodal"][1]}
    for n in ("Figur 7", "Figur 9", "Figur 30", "Bilaga 4", "Figur 33", "Figur 27/32", "Figur 5", "Bilaga 5", "Budget 1", "Tabell 6"):
        assert isinstance(by_number[n].data, pd.DataFrame) and len(by_number[n].data), n


def test_swedish_number_format_in_tables(built):
    fig7 = next(it for it in built["fyrbodal"][1] if it.number == "Figur 7")
    row = fig7.table.set_index("Kommun").loc["Bengtsfors"]
    assert row["Förändring %"] == "\u221212,2\u00a0%" and row["Befolkning 2019"] == "9\u00a0800"


def test_demo_mark_exactly_when_demo_data(built):
    ed, items = built["1460"]
    for it in items:
        if it.figure is not None:
            assert has_demo_mark(it.figure) == it.is_demo, it.number
        if it.table is not None:
            assert (DEMO_MARK in it._repr_html_()) == it.is_demo, it.number
    by_number = {it.number: it for it in items}
    assert by_number["Figur 11"].is_demo and by_number["Figur 19"].is_demo
    assert not by_number["Figur 7"].is_demo and not by_number["Figur 6"].is_demo


def test_non_participant_is_told_in_words(built):
    ed, items = built["1488"]  # Trollhättan: no surveys, no cost documents (Figur 33)
    by_number = {it.number: it for it in items}
    for n in ("Figur 20", "Figur 23", "Figur 9"):
        assert any("Trollhättan deltog inte i enkäterna" in x for x in by_number[n].notes), n
    assert any("Trollhättan deltog inte i kostnadsunderlaget" in x for x in by_number["Figur 15"].notes)
    assert any("IT Trollhättan:" in x for x in by_number["Figur 19"].notes)  # Figur 19 covers all 14 (its caption)
    assert any("Trollhättan finns inte bland de svarande" in x for x in by_number["Figur 12"].notes)
    assert "Trollhättan har inga egna svar" in by_number["Sammanfattning"].alt
    ed, items = built["1439"]  # Färgelanda: no capability workshops
    fig33 = next(it for it in items if it.number == "Figur 33")
    assert any("Färgelanda deltog inte i: förmågekartläggning" in x for x in fig33.notes)


def test_summary_is_computed(built):
    s = next(it for it in built["1460"][1] if it.number == "Sammanfattning")
    assert "Befolkningen väntas minska mellan 2019 och 2030 med 1\u00a0200 invånare (\u221212,2\u00a0%), plats 14 av 14" in s.alt
    assert "Bengtsfors hamnar i typ" in s.alt and "Förmågor jämfört med Fyrbodals snitt" in s.alt


# --- disclosure ------------------------------------------------------------------------------

def _forbidden(ed) -> list[re.Pattern]:
    reg = ed.registry
    others = [c for c in reg.codes if c != ed.code]
    pats = [re.compile(rf"(?<![\wåäöÅÄÖ]){re.escape(reg.name_of[c])}(?![\wåäöÅÄÖ])") for c in others]
    pats += [re.compile(rf"(?<!\d){c}(?!\d)") for c in others]
    orgs = ed.load("it_org_members")
    own = ed.own_org
    pats += [re.compile(re.escape(o)) for o in set(orgs["it_org_id"]) if o != own]
    return pats


@pytest.mark.parametrize("code", EDITIONS)
def test_confidential_items_name_no_other_municipality(built, code):
    ed, items = built[code]
    pats = _forbidden(ed)
    for it in items:
        if not it.confidential:
            continue
        for text in it.texts():
            for p in pats:
                assert not p.search(text), f"{code} {it.number}: {p.pattern!r} in {text[:80]!r}"


def test_every_confidential_item_function_is_checked(built):
    """The rule is tested on every figure function that uses microdata."""
    ed, items = built["1460"]
    confidential = {it.number for it in items if it.confidential}
    assert {"Figur 9", "Figur 10", "Figur 11", "Figur 12", "Figur 13", "Figur 15", "Figur 16", "Figur 17", "Figur 18",
            "Figur 19", "Figur 20", "Figur 21", "Figur 22", "Figur 23", "Figur 24", "Figur 26", "Figur 28", "Figur 29",
            "Figur 30", "Bilaga 3", "Sammanfattning"} <= confidential


def test_own_data_is_named_in_own_edition(built):
    ed, items = built["1427"]  # Sotenäs, served by SML IT
    fig19 = next(it for it in items if it.number == "Figur 19")
    assert "SML IT" in fig19.texts()
    assert any("Sotenäs ingår i SML IT" in n for n in next(it for it in items if it.number == "Figur 15").notes)


def test_suppression_of_small_groups(built):
    ed = built["1460"][0]  # Bengtsfors: its own unit does not count towards the three
    assert "färre än 3" in too_few(ed, "Figur X", "t", {"1460", "1438", "1439"}).notes[0]
    assert too_few(ed, "Figur X", "t", {"1460", "1438", "1439", "1421"}) is None
    assert too_few(ed, "Figur X", "t", {"1438", "1439", "1421"}) is None
    assert too_few(ed, "Figur X", "t", 3) is not None and too_few(ed, "Figur X", "t", 4) is None  # a count includes own
    region = built["fyrbodal"][0]  # every member gets the region edition: 3 besides any member's own
    assert too_few(region, "Figur X", "t", {"1438", "1439", "1421"}) is not None
    assert too_few(region, "Figur X", "t", {"1460", "1438", "1439", "1421"}) is None
    assert MIN_GROUP == 3


def test_unknown_edition_is_a_clear_error(prepared):
    with pytest.raises(KeyError, match="unknown edition"):
        fa.edition("9999", prepared)
    assert fa.edition("bengtsfors", prepared).code == "1460"
    assert fa.edition(1460, prepared).code == "1460"


def test_aggregates_over_fewer_than_three_organisations_are_suppressed(prepared):
    from fyrbodal_analysis.report import costs, surveys
    ed = fa.edition("1460", prepared)
    pools = ed.load("cost_pools_by_org")
    two = sorted(pools["it_org_id"].unique())[:2]
    ed._cache["cost_pools_by_org"] = pools[pools["it_org_id"].isin(two)]
    for fn in (costs.figur_15, costs.figur_16, costs.figur_17):
        it = fn(ed)
        assert it.figure is None and it.data is None and "färre än 3" in it.notes[0], it.number
    answers = ed.load("manager_answers")
    ed._cache["manager_answers"] = answers[answers["municipality_code"].isin(["1460", "1438"])]
    assert "färre än 3" in surveys.figur_20(ed).notes[0]


def test_figur_19_says_why_an_organisation_outside_the_ledger_has_a_share(built):
    """Trollhättan is not in Figur 15-18 (no ledger) but has a share in Figur 19: the page explains the two bases."""
    def notes(code, number):
        return " ".join(next(it for it in built[code][1] if it.number == number).notes)
    assert "Trollhättan deltog inte i kostnadsunderlaget" in notes("1488", "Figur 15")
    assert "ett annat underlag än kostnadsunderlaget (huvudboken) i Figur 15–18, där Trollhättan inte ingår" in notes("1488", "Figur 19")
    assert "ett annat underlag" not in notes("1460", "Figur 19")  # Bengtsfors is in both
