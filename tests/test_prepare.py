"""The real pipeline on the shipped data: tables, manifest, determinism, and the
numbers the report prints compared with the numbers the code computes."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.clean import facts as F
from fyrbodal_analysis.clean.pipeline import prepare

EXPECTED_ROWS = {
    "population": 14 * 70, "population_forecast": 14, "figur07": 15, "dimios_areas": 6, "dimios_statements": 15,
    "infosec_questions": 5, "infosec_degree": 20, "capabilities": 55, "maturity_levels": 5, "maturity_extremes": 10,
    "strategic_top3": 3, "participation": 14, "vagval": 23, "deliverables": 6, "pilots": 5, "pilot_milestones": 50,
    "pilot_totals": 5, "it_work_areas": 4, "tbm_cost_pools": 8,
}


def load(prepared, name):
    return fa.load(name, prepared)


def test_every_table_and_manifest(prepared):
    man = fa.manifest(prepared)
    for name, rows in EXPECTED_ROWS.items():
        assert man["tables"][name]["rows"] == rows, name
        assert (prepared.processed / f"{name}.parquet").exists()
    assert set(man["inputs"]) >= {"data/raw/report/figur07_population_forecast.csv",
                                  "data/raw/public/scb_folkmangd_kommun_1950_2019_odectra.csv"}
    assert man["tables"]["population"]["tiers"] == ["public"]
    assert man["tables"]["figur07"]["tiers"] == ["public", "published"]


def test_prepare_twice_is_byte_identical(prepared_copy):
    before = {p.name: p.read_bytes() for p in prepared_copy.processed.iterdir()}
    prepare(prepared_copy)
    after = {p.name: p.read_bytes() for p in prepared_copy.processed.iterdir()}
    assert before == after


def test_codes_are_four_character_strings(prepared):
    pop = load(prepared, "population")
    assert pop["municipality_code"].map(len).eq(4).all()
    assert pd.api.types.is_string_dtype(pop["municipality_code"])
    assert sorted(pop["municipality_code"].unique()) == sorted(fa.registry(project=prepared).codes)


def test_figur7_reproduced_from_data(prepared):
    fig = load(prepared, "figur07")
    rows = fig[~fig["is_total"]]
    assert len(rows) == 14
    assert rows["matches_report"].all(), rows.loc[~rows["matches_report"], "discrepancy"].tolist()
    # every derived number equals the printed one
    assert (rows["change_computed"] == rows["change"]).all()
    assert (rows["change_pct_computed"] == rows["change_pct"]).all()
    total = fig[fig["is_total"]].iloc[0]
    assert total["municipality_name"] == "Fyrbodal"
    assert total["population_2019"] == rows["population_2019"].sum() == 273_900
    assert total["population_2030"] == rows["population_2030"].sum() == 273_400
    assert total["change_computed"] == -500 and total["change_pct_computed"] == -0.2
    assert bool(total["matches_report"])


def test_report_2019_is_scb_31_dec_rounded_to_hundreds(prepared):
    fig = load(prepared, "figur07")
    assert (fig["population_2019_scb_rounded"] == fig["population_2019"]).all()
    bengtsfors = fig.set_index("municipality_name").loc["Bengtsfors"]
    assert bengtsfors["population_2019_scb"] == 9750 and bengtsfors["population_2019"] == 9800  # half-up
    assert fig.loc[fig["is_total"], "population_2019_scb"].iloc[0] == 273_878


def test_scb_normalisation_matches_the_derived_reference(prepared):
    """Our own wide-to-long + alias normalisation reproduces the reference-data derivation."""
    pop = load(prepared, "population")
    with open(prepared.raw / "public/fyrbodal_population_1950_2019.csv", encoding="utf-8") as f:
        ref = {(r["kommunkod"], int(r["year"])): int(r["population_31dec"]) for r in csv.DictReader(f)}
    ours = {(c, int(y)): int(p) for c, y, p in zip(pop["municipality_code"], pop["year"], pop["population"])}
    assert ours == ref


def test_scb_cross_check_with_independent_copy(prepared):
    """1968-2017 equals SCB BE0101N1 from another repository, for all 14 municipalities."""
    pop = load(prepared, "population")
    with open(prepared.raw / "public/scb_BE0101N1_kommun_1968_2017_20795.csv", encoding="utf-8") as f:
        other = {r["kommun"]: r for r in csv.DictReader(f)}
    checked = 0
    for (_code, name), g in pop.groupby(["municipality_code", "municipality_name"]):
        for y, p in zip(g["year"], g["population"]):
            if 1968 <= y <= 2017:
                assert int(other[name][str(y)]) == p, (name, y)
                checked += 1
    assert checked == 14 * 50


def test_dimios_areas(prepared):
    areas = load(prepared, "dimios_areas").set_index("dimios_area")
    assert areas.loc["Användare", "max_value"] == 6
    assert ((areas["min_value"] <= areas["mean_value"]) & (areas["mean_value"] <= areas["max_value"])).all()
    st = load(prepared, "dimios_statements").set_index("statement_id")
    assert st.loc[13, ["mean_value", "sd_value"]].tolist() == [3.4, 1.3]
    assert st["mean_value"].notna().sum() == 4


def test_bilaga4_degrees_add_up_to_yes(prepared):
    q = load(prepared, "infosec_questions").set_index("question_id")
    d = load(prepared, "infosec_degree").groupby("question_id")["count"].sum()
    assert (d.reindex(q.index) == q["yes_n"]).all()
    assert q["yes_n"].to_dict() == {"klassning": 6, "kontinuitet": 5, "medvetande": 7, "upphandling": 6, "uppfoljning": 3}


def test_capability_map_structure_matches_text(prepared):
    caps = load(prepared, "capabilities")
    facts = load(prepared, "facts")
    assert len(caps) == F.get(facts, "capabilities_n") == 55
    assert caps["capability_group"].nunique() == 13
    assert caps["capability_area"].nunique() == 3
    top = load(prepared, "strategic_top3")
    assert top["capability_id"].notna().all()


def test_figur30_means_are_consistent_with_15_respondents(prepared):
    """Each printed mean (two decimals) is k/15 for some whole k: the 15 respondents the text states."""
    ext = load(prepared, "maturity_extremes")
    n = int(F.get(load(prepared, "facts"), "capabilities_respondents_n"))
    for m in ext["mean_level"]:
        k = round(m * n)
        assert abs(k / n - m) < 0.005, m
    hi = ext[ext["extreme"] == "högst"]["mean_level"]
    lo = ext[ext["extreme"] == "lägst"]["mean_level"]
    assert hi.min() > lo.max()


def test_participation(prepared):
    p = load(prepared, "participation").set_index("municipality_name")
    assert p.loc["Trollhättan", "enkater_n"] == 0 and p.loc["Färgelanda", "formagekartlaggning_n"] == 0
    assert (p["enkater_n"] <= p["enkater_of"]).all()


def test_pilot_totals_recomputed(prepared):
    t = load(prepared, "pilot_totals").set_index("pilot_id")
    assert t.loc[1, ["hours_min", "external_tkr_min"]].tolist() == [176, 450]
    assert t.loc[2, ["hours_min", "hours_max", "external_tkr_max"]].tolist() == [281, 581, 2700]
    assert t.loc[3, ["hours_min", "hours_max", "external_tkr_min", "external_tkr_max"]].tolist() == [188, 454, 900, 950]
    # Known disagreement, pinned: pilot 4's lines sum to 139-339 h, the text says 133-333 h.
    assert t.loc[4, ["hours_min", "hours_max"]].tolist() == [139, 339]
    assert t.loc[4, ["stated_hours_min", "stated_hours_max"]].tolist() == [133, 333]
    assert not t.loc[4, "matches_report"] and "133–333" in t.loc[4, "discrepancy"]
    # Pilot 5: 3 070-4 070 tkr against "3–4 mkr": within the printed precision.
    assert t.loc[5, ["external_tkr_min", "external_tkr_max"]].tolist() == [3070, 4070]
    assert bool(t.loc[5, "external_match"])
    assert t["matches_report"].tolist() == [True, True, True, False, True]


def test_facts_are_quoted_from_the_report(prepared):
    from pathlib import Path
    seed = Path(__file__).resolve().parents[2] / "shared/seed/000_f3c929965cd643d5.txt"
    if not seed.exists():
        pytest.skip("report text not available next to the checkout")
    text = " ".join(seed.read_text(encoding="utf-8").split())
    facts = load(prepared, "facts")
    # " … " marks a cut where a page break and footnotes interrupt the sentence
    missing = [q for q in facts["quote"] if any(" ".join(part.split()) not in text for part in q.split(" … "))]
    assert missing == []


def test_load_gives_labels_and_tiers(prepared):
    df = fa.load("figur07", prepared)
    assert df.attrs["labels"]["population_2019"] == "Befolkning 2019"
    assert df.attrs["tiers"] == ["public", "published"]
    with pytest.raises(KeyError, match="known tables"):
        fa.load("nope", prepared)


def test_field_dictionary_covers_every_processed_column(prepared):
    names = set(fa.field_dictionary()["name"])
    for t in fa.tables(prepared):
        assert set(fa.load(t, prepared).columns) <= names, t


def test_load_without_prepare_says_what_to_do(project):
    with pytest.raises(FileNotFoundError, match="fyrbodal prepare"):
        fa.load("population", project)
