"""Cleaning of the fetched public tables, on small in-memory frames: population years, the forecast
follow-up, Figur 8's mix of SCB history and demo forecast, and Figur 14's Kolada totals."""

from __future__ import annotations

import pandas as pd
import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.clean import broadband, demography
from fyrbodal_analysis.core.errors import ValidationFailed


class Reg:
    codes = ["1460", "1438"]
    name_of = {"1460": "Bengtsfors", "1438": "Dals-Ed"}
    region_name = "Fyrbodal"


def _pop(rows):
    df = pd.DataFrame(rows, columns=["municipality_code", "year", "population"])
    df["municipality_name"] = df["municipality_code"].map(Reg.name_of)
    return df.astype({"municipality_code": "string", "municipality_name": "string", "year": "Int64", "population": "Int64"})[
        ["municipality_code", "municipality_name", "year", "population"]]


def test_extend_population_adds_only_later_years_and_checks_the_overlap():
    shipped = _pop([("1460", 2018, 9800), ("1460", 2019, 9750), ("1438", 2019, 4813)])
    fetched = pd.DataFrame({"municipality_code": ["1460", "1438", "1460", "1438"], "year": [2019, 2019, 2020, 2020],
                            "population": [9750, 4813, 9700, 4800]}, index=[2, 3, 4, 5])
    out = demography.extend_population(shipped, fetched, Reg)
    assert list(out.query("municipality_code == '1460'")["year"]) == [2018, 2019, 2020]
    fetched.loc[5, "year"] = 2021  # Dals-Ed missing in 2020, and 2021 has only Dals-Ed
    with pytest.raises(ValidationFailed, match="no value for Dals-Ed \\(1438\\) in 2020"):
        demography.extend_population(shipped, fetched, Reg)


def test_forecast_followup_is_observed_years_only_with_remaining_change():
    pop = _pop([("1460", 2018, 9800), ("1460", 2019, 9750), ("1460", 2020, 9700), ("1438", 2019, 4813),
                ("1438", 2020, 4790)])
    forecast = pd.DataFrame({"municipality_code": ["1460", "1438"], "population_2030": [8600, 4700]})
    total = pd.DataFrame({"population_2030": [13300]})
    f = demography.forecast_followup(forecast, total, pop, Reg)
    assert sorted(set(f["year"])) == [2019, 2020]  # no 2018, and nothing between 2020 and 2030
    b20 = f[(f["municipality_name"] == "Bengtsfors") & (f["year"] == 2020)].iloc[0]
    assert b20["remaining_change"] == 8600 - 9700 and b20["remaining_change_pct"] == pytest.approx(-11.3)
    tot = f[f["is_total"]].set_index("year")
    assert tot.loc[2020, "population"] == 9700 + 4790 and tot.loc[2020, "remaining_change"] == 13300 - 14490


def test_age_structure_uses_scb_years_and_demo_only_after_them():
    demo = pd.DataFrame({"region": "Västra Götaland", "year": [2019, 2020, 2021, 2022], "age_group": "80+",
                         "population": [1, 2, 3, 4], "is_forecast": [False, True, True, True]})
    demo.attrs["tier"] = "demo"
    scb = pd.DataFrame({"area_code": "14", "year": [2020, 2020, 2020], "age": [80, 95, 100], "population": [10, 20, 5]})
    scb.attrs["tier"] = "public"
    a = demography.age_structure(demo, scb)
    assert list(a["year"]) == [2020, 2021, 2022] and list(a["tier"]) == ["public", "demo", "demo"]
    assert a.iloc[0]["population"] == 35 and not a.iloc[0]["is_forecast"]
    only_demo = demography.age_structure(demo, None)
    assert set(only_demo["tier"]) == {"demo"} and len(only_demo) == 4


def test_kolada_totals_replace_demo_totals_but_not_a_real_pts_file():
    pts = pd.DataFrame({"municipality_code": ["1460", "1460"], "year": [2019, 2019], "area_type": ["totalt", "tatort"],
                        "households_pct": [70.0, 90.0], "workplaces_pct": [60.0, 80.0]})
    kol = pd.DataFrame({"municipality_code": ["1460", "1460"], "year": [2019, 2020], "households_pct": [88.1, 90.2],
                        "workplaces_pct": [77.0, None]})
    pts.attrs["tier"], kol.attrs["tier"] = "demo", "public"
    b = broadband.combine(pts, kol).set_index(["year", "area_type"])
    assert b.loc[(2019, "totalt"), "households_pct"] == 88.1 and b.loc[(2019, "totalt"), "tier"] == "public"
    assert b.loc[(2019, "tatort"), "tier"] == "demo" and b.loc[(2020, "totalt"), "tier"] == "public"
    pts.attrs["tier"] = "public"  # a registered PTS tabellbilaga wins where both have a value
    b = broadband.combine(pts, kol).set_index(["year", "area_type"])
    assert b.loc[(2019, "totalt"), "households_pct"] == 70.0 and (2020, "totalt") in b.index


def test_followup_item_without_fetched_years_says_so(prepared):
    from fyrbodal_analysis.report import demography
    item = demography.efterhand(fa.edition("1460", prepared))
    assert set(item.data["year"]) == {2019}
    assert any("SCB:s folkmängd efter 2019 finns inte i underlaget för den här utgåvan" in n for n in item.notes)
    assert item.notes[0].startswith("Bengtsfors: 9\u00a0750 invånare 2019, prognosen för 2030 är 8\u00a0600")
    assert "▶ Bengtsfors" in list(item.table["Kommun"]) and not item.is_demo


def test_followup_figure_draws_no_path_between_years():
    from fyrbodal_analysis.report import figures
    df = pd.DataFrame({"municipality_name": ["A", "A", "A", "B", "B", "B"], "year": [2019, 2020, 2021] * 2,
                       "remaining_change_pct": [-5.0, -6.0, -7.0, 2.0, 1.5, 0.5]})
    fig = figures.remaining_dots(df, "municipality_name", "year", "remaining_change_pct", "x", highlight="B")
    ax = fig.axes[0]
    assert [list(line.get_xdata()) for line in ax.lines] == [[0, 0]]  # only the target line, nothing joins the years
    assert sum(len(c.get_offsets()) for c in ax.collections) == 6  # one dot per observed year
    assert [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"] == ["B"]
