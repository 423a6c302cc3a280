"""The build's item cache: what is the same in every edition is computed once, and a change of data,
parameters or code rebuilds what it touches and nothing else."""

from __future__ import annotations

import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis import itemcache
from fyrbodal_analysis.items import Item, item

CALLS: list[str] = []


@item
def regional(ed) -> Item:
    """Reads only the region's data: the same in every edition."""
    CALLS.append("regional")
    df = ed.load("population")
    return Item("Figur X", f"{len(df)} rader", "SCB", data=df.head(3))


@item
def own(ed) -> Item:
    """Names the edition: different in every edition."""
    CALLS.append("own")
    ed.load("population")
    return Item("Figur Y", f"Om {ed.name}", "SCB")


@item
def other_table(ed) -> Item:
    CALLS.append("other_table")
    return Item("Figur Z", f"{len(ed.load('facts'))} fakta", "Rapporten")


@item
def outer(ed) -> Item:
    CALLS.append("outer")
    inner = regional(ed)
    return Item("Figur W", inner.title, "SCB")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(itemcache.ENV, str(tmp_path / "items"))
    itemcache._PARAMS.clear()
    CALLS.clear()
    yield tmp_path / "items"
    itemcache._PARAMS.clear()


def run(project, *editions, fns=(regional, own, other_table)):
    out = {}
    for e in editions:
        ed = fa.edition(e, project)
        out[e] = [fn(ed) for fn in fns]
    return out


def test_an_item_that_does_not_read_the_edition_is_computed_once(prepared, cache):
    got = run(prepared, "bengtsfors", "amal", "sotenas")
    assert CALLS.count("regional") == 1 and CALLS.count("other_table") == 1
    assert CALLS.count("own") == 3  # it read ed.code (through ed.name)
    assert [it.title for it in (got["amal"][1], got["sotenas"][1])] == ["Om Åmål", "Om Sotenäs"]
    first, reused = got["bengtsfors"][0], got["amal"][0]
    assert reused._repr_html_() == first._repr_html_() and reused.tables == ("population",)


def test_without_the_cache_every_call_computes(prepared, monkeypatch):
    monkeypatch.delenv(itemcache.ENV, raising=False)
    CALLS.clear()
    run(prepared, "bengtsfors", "amal")
    assert CALLS.count("regional") == 2


def test_a_changed_table_rebuilds_the_items_that_read_it_and_nothing_else(prepared, cache):
    run(prepared, "bengtsfors")
    CALLS.clear()
    ed = fa.edition("amal", prepared)
    ed.info["tables"]["population"] = {**ed.info["tables"]["population"], "sha256": "changed"}
    regional(ed), other_table(ed)
    assert CALLS == ["regional"]


def test_changed_parameters_or_code_rebuild_every_shared_item(prepared_copy, cache, monkeypatch):
    run(prepared_copy, "bengtsfors")
    CALLS.clear()
    run(prepared_copy, "amal", fns=(regional, other_table))
    assert CALLS == []
    region_file = sorted((prepared_copy.params / "regions").glob("*.yml"))[0]
    region_file.write_text(region_file.read_text(encoding="utf-8") + "\n# ändrad\n", encoding="utf-8")
    itemcache._PARAMS.clear()  # a new build: its kernels read the parameter files afresh
    run(prepared_copy, "amal", fns=(regional, other_table))
    assert CALLS == ["regional", "other_table"]
    CALLS.clear()
    monkeypatch.setattr(itemcache, "_CODE", "another version of the package")
    run(prepared_copy, "amal", fns=(regional, other_table))
    assert CALLS == ["regional", "other_table"]


def test_an_item_built_from_a_cached_item_still_records_its_tables(prepared, cache):
    run(prepared, "bengtsfors", fns=(regional,))
    ed = fa.edition("amal", prepared)
    it = outer(ed)
    assert CALLS == ["regional", "outer"] and it.tables == ("population",)


@pytest.mark.integration
def test_every_real_item_from_the_cache_is_what_the_edition_computes_itself(prepared, cache, monkeypatch):
    """The shared items a municipality gets from the cache are byte for byte what it would compute."""
    from fyrbodal_analysis import parts
    list(parts.items(fa.edition("bengtsfors", prepared)))
    cached = [it._repr_html_() for it in parts.items(fa.edition("amal", prepared))]
    shared = [p for p in cache.glob("*.pkl") if itemcache.read(p, fa.edition("amal", prepared))["shared"]]
    monkeypatch.delenv(itemcache.ENV)
    fresh = [it._repr_html_() for it in parts.items(fa.edition("amal", prepared))]
    assert len(shared) >= 20
    assert cached == fresh
