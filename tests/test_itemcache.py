"""The build's item cache: what is the same in every edition is computed once, and a change of data,
parameters or code rebuilds what it touches and nothing else."""

from __future__ import annotations

import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.report import itemcache
from fyrbodal_analysis.report.items import Item, item

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
    from fyrbodal_analysis.report import parts
    list(parts.items(fa.edition("bengtsfors", prepared)))
    cached = [it._repr_html_() for it in parts.items(fa.edition("amal", prepared))]
    shared = [p for p in cache.glob("*.pkl") if itemcache.read(p, fa.edition("amal", prepared))["shared"]]
    monkeypatch.delenv(itemcache.ENV)
    fresh = [it._repr_html_() for it in parts.items(fa.edition("amal", prepared))]
    assert len(shared) >= 20
    assert cached == fresh


# ----------------------------------------------------------------------------- no edition gets another's item

@item
def confidential_count(ed) -> Item:
    """Reads a confidential table and never ``ed.code`` itself: the disclosure layer deciding on it does."""
    CALLS.append("confidential_count")
    df = ed.load("cost_pools_by_org")
    return Item("Figur K", f"{df['it_org_id'].nunique()} organisationer", "Kostnadsunderlaget")


@item
def pseudonyms(ed) -> Item:
    """Letters drawn per edition (an HMAC of the edition's code) for the anonymous organisations."""
    from fyrbodal_analysis.report import disclosure
    CALLS.append("pseudonyms")
    ids = sorted(ed.load("cost_pools_by_org")["it_org_id"].unique())
    names, _ = disclosure.labels(ed, ids, "Org.", "cost_pools_by_org")
    return Item("Figur P", "Organisationerna", "Kostnadsunderlaget", notes=[", ".join(names)])


@item
def highlighted(ed) -> Item:
    CALLS.append("highlighted")
    return Item("Figur H", f"Markerad: {ed.highlight or 'ingen'}", "SCB", data=ed.load("population").head(2))


def test_an_item_the_disclosure_layer_decides_on_is_never_shared(prepared, cache):
    """Confidential items depend on the reader (own units, readers of the region edition): computed per edition."""
    run(prepared, "fyrbodal", "bengtsfors", "amal", fns=(confidential_count,))
    assert CALLS.count("confidential_count") == 3
    entries = [itemcache.read(p, fa.edition("amal", prepared)) for p in cache.glob("*.pkl")]
    assert entries and not any(e["shared"] or e["item"] is not None for e in entries)


def test_no_edition_gets_another_editions_pseudonyms_or_highlight(prepared, cache, monkeypatch):
    """Built in the region edition first, then in two municipalities, each gets what it computes alone."""
    order = ("fyrbodal", "bengtsfors", "amal", "fyrbodal")
    got = run(prepared, *order[:3], fns=(pseudonyms, highlighted))
    assert CALLS.count("pseudonyms") == 3 and CALLS.count("highlighted") == 3
    monkeypatch.delenv(itemcache.ENV)
    for e in order[:3]:
        fresh = [fn(fa.edition(e, prepared)) for fn in (pseudonyms, highlighted)]
        assert [it.texts() for it in got[e]] == [it.texts() for it in fresh], e
    letters = {e: got[e][0].notes[0] for e in order[:3]}
    assert len(set(letters.values())) == 3  # the letters differ per edition, so a shared one would show here
    assert got["fyrbodal"][1].title == "Markerad: ingen" and got["amal"][1].title == "Markerad: Åmål"


@pytest.mark.integration
def test_every_real_item_in_region_and_municipality_editions_is_its_own(prepared, cache, monkeypatch):
    """Every item of the region edition and two municipality editions, built one after the other with the cache
    (the region first, as in a build), is what each edition computes alone: no pseudonym, highlight or
    suppression of one edition reaches another, in either direction."""
    from fyrbodal_analysis.report import parts
    order = ("fyrbodal", "bengtsfors", "amal")
    cached = {e: [(it._repr_html_(), it.export()) for it in parts.items(fa.edition(e, prepared))] for e in order}
    monkeypatch.delenv(itemcache.ENV)
    for e in order:
        fresh = [(it._repr_html_(), it.export()) for it in parts.items(fa.edition(e, prepared))]
        assert cached[e] == fresh, e
