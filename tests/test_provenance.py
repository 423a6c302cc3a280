"""Provenance is derived: an item's demo mark and confidentiality follow from the tables it loaded."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
from types import SimpleNamespace

import pandas as pd
from matplotlib.figure import Figure

from fyrbodal_analysis.report import parts
from fyrbodal_analysis.report.edition import Edition
from fyrbodal_analysis.report.items import Item, item
from fyrbodal_analysis.report.style import has_demo_mark

INFO = {"tables": {
    "answers": {"tiers": ["demo"], "confidential": True},
    "stand_in": {"tiers": ["demo"], "confidential": False},
    "printed": {"tiers": ["published"], "confidential": False},
    "series": {"tiers": ["demo", "public"], "confidential": False, "columns": ["value", "tier"]},
}}


def small_edition() -> Edition:
    """An edition over in-memory tables (nothing read from disk); five municipalities answered."""
    codes = ["1460", "1438", "1439", "1421", "1435"]
    reg = SimpleNamespace(region_code="fyrbodal", region_name="Fyrbodal", codes=codes, name_of={c: c for c in codes})
    ed = Edition("1460", project=None, registry=reg, info=INFO)
    for name in INFO["tables"]:
        ed._cache[name] = pd.DataFrame({"municipality_code": codes, "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    return ed


@item
def plot_of(ed, table: str) -> Item:
    fig = Figure()
    fig.add_subplot().plot(ed.load(table)["value"])
    return Item("Figur X", "t", "s", figure=fig)  # says nothing about its data


def test_an_item_that_loads_a_demo_table_without_saying_so_gets_the_mark():
    it = plot_of(small_edition(), "stand_in")
    assert it.is_demo and has_demo_mark(it.figure)
    assert not it.confidential
    assert it.tables == ("stand_in",)


def test_confidential_follows_from_the_tables_loaded():
    it = plot_of(small_edition(), "answers")
    assert it.is_demo and it.confidential


def test_published_data_get_no_mark():
    it = plot_of(small_edition(), "printed")
    assert not it.is_demo and not it.confidential and not has_demo_mark(it.figure)


def test_nested_items_pass_their_tables_to_the_outer_item():
    @item
    def outer(ed) -> Item:
        inner = plot_of(ed, "answers")
        ed.load("printed")
        return Item("Figur Y", "t", "s", notes=inner.notes)

    it = outer(small_edition())
    assert it.tables == ("answers", "printed") and it.is_demo and it.confidential


def test_every_report_item_function_derives_its_provenance():
    for name, module in parts.PARTS.items():
        for fn in module.ITEMS:
            assert getattr(getattr(fn, "func", fn), "is_item", False), f"{name}: {fn} lacks @item"


def test_series_by_series_tiers_decide_for_tables_with_a_tier_column():
    @item
    def shows(ed, tiers) -> Item:
        ed.load("series")
        return Item("Figur Z", "t", "s", figure=Figure(), row_tiers=tiers)

    assert not shows(small_edition(), {"public"}).is_demo      # only the public series is shown
    assert shows(small_edition(), {"public", "demo"}).is_demo
    assert shows(small_edition(), None).is_demo                # not said: every tier of the table counts
