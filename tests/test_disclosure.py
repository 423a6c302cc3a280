"""Disclosure control, tested the way an attacker works: cut the data, count candidates, rename ids.

The reader defended against is a member holding its own edition, the region edition, this repository
and the public report (Figur 33 tells who took part in what). Fast: item functions on the prepared demo
tables held in memory (figures stubbed where only suppression is asked about).
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest
from matplotlib.figure import Figure

import fyrbodal_analysis as fa
from fyrbodal_analysis.publish.build import take_release_records
from fyrbodal_analysis.report import costs, diagrams, dimios, disclosure, figures, parts, summary, surveys
from fyrbodal_analysis.report.disclosure import DisclosureError, check_released
from fyrbodal_analysis.report.edition import Edition
from fyrbodal_analysis.report.items import MIME, Item, item

OWN = "1460"  # Bengtsfors, served by it-bengtsfors
SML = {"1427", "1430", "1484", "sml-it"}  # one IT organisation for three members: kept out of the cuts
LOOKUPS = ("it_organisations", "it_org_members")


def item_functions():
    return [fn for m in parts.PARTS.values() for fn in m.ITEMS]


@pytest.fixture(scope="module")
def baseline(prepared, edition_items):
    """Tables of the prepared demo set, and which processed tables each item function loads (read from the
    session's items of the own edition, which ``parts.items`` builds by calling every item function in order)."""
    ed, items = edition_items(OWN)
    fns = item_functions()
    assert len(items) == len(fns)
    loads = {fn: it.tables for fn, it in zip(fns, items)}
    return prepared, dict(ed._cache), loads


_TEMPLATES: dict = {}


def fresh(prepared, cache, code) -> Edition:
    """A new edition over ``cache`` (the registry is read once: it is the slow part)."""
    t = _TEMPLATES.get((prepared, code)) or _TEMPLATES.setdefault((prepared, code), fa.edition(code, prepared))
    ed = Edition(t.code, t.project, t.registry, t.info)
    ed._cache.update(cache)
    return ed


@pytest.fixture
def no_figures(monkeypatch):
    """Suppression is about data, not drawing: every plotting function returns an empty figure."""
    for mod in (figures, diagrams):
        for name in dir(mod):
            if callable(getattr(mod, name)) and not name.startswith("_") and name not in ("new_figure",) and \
                    getattr(getattr(mod, name), "__module__", "") == mod.__name__:
                monkeypatch.setattr(mod, name, lambda *a, **k: Figure())


def _confidential_with_units(prepared):
    info = json.loads((prepared.processed / "manifest.json").read_text(encoding="utf-8"))["tables"]
    out = {}
    for name, v in sorted(info.items()):
        col = disclosure.unit_column(v["columns"])
        if v["confidential"] and col:
            out[name] = col
    return out


def _shows(it, table: str) -> bool:
    """Whether an item shows anything computed from ``table`` (or from a table whose units are its units)."""
    uses = {table} | {t for t, src in disclosure.UNITS_FROM.items() if src == table}
    message = it.figure is None and it.table is None and it.data is None
    return bool(uses & set(it.tables)) and not message


# --- the threshold, table by table -----------------------------------------------------------------

def test_every_confidential_table_has_units_the_layer_can_count(prepared):
    """A new confidential table without a unit column fails here, not silently at publication."""
    info = json.loads((prepared.processed / "manifest.json").read_text(encoding="utf-8"))["tables"]
    for name, v in info.items():
        if v["confidential"]:
            assert disclosure.unit_column(v["columns"]) or name in disclosure.UNITS_FROM, name


# k = 3 puts the scenarios on both sides of the rule (2 and 3 units besides the reader's own) and runs in
# `make test-fast`; the other cuts run in `make test`
@pytest.mark.parametrize("k", [pytest.param(1, marks=pytest.mark.integration), pytest.param(2, marks=pytest.mark.integration),
                               3, pytest.param(4, marks=pytest.mark.integration)])
def test_every_confidential_table_cut_to_k_units(baseline, no_figures, k):
    """Cut each confidential table to k units (with and without the reader's own): an item shows values
    from it only when they rest on at least 3 units besides every reader's own."""
    prepared, cache, loads = baseline
    tables = _confidential_with_units(prepared)
    checked = 0
    for table, col in tables.items():
        df = cache[table] if table in cache else fa.load(table, prepared)
        ids = [u for u in sorted(df[col].dropna().astype(str).unique()) if u not in SML]
        own = {OWN, "it-bengtsfors"} & set(ids)
        others = [u for u in ids if u not in own]
        fns = [fn for fn, used in loads.items() if table in used or
               any(disclosure.UNITS_FROM.get(t) == table for t in used)]
        scenarios = [("fyrbodal", others[:k], k - 1),                 # region: any member among them knows its own
                     (OWN, sorted(own)[:1] + others[:k - 1], k - 1),  # own unit (if it answered) among the k
                     (OWN, others[:k], k)]                             # own unit not among them
        if table in LOOKUPS:  # the registry of organisations always holds the reader's own
            scenarios = scenarios[:2]
        for code, keep, besides in scenarios:
            cut = {**cache, table: df[df[col].astype(str).isin(keep)].reset_index(drop=True)}
            for fn in fns:
                ed = fresh(prepared, cut, code)
                it = fn(ed)
                if besides < 3:
                    assert not _shows(it, table), f"{table} cut to {keep} ({code}): {it.number} still shown"
                else:
                    assert it.release["status"] != "undertryckt", f"{table} cut to {keep} ({code}): {it.number}"
                checked += 1
    assert checked > 50


def test_region_counts_three_besides_any_member(prepared):
    ed = fa.edition("fyrbodal", prepared)
    assert not disclosure.enough(ed, {"1421", "1435", "1438"})         # a member among them sees two others
    assert disclosure.enough(ed, {"1421", "1435", "1438", "1439"})
    # a member of SML IT knows both its municipality and its organisation as its own
    assert not disclosure.enough(ed, {"1427", "sml-it", "1421", "1435"})
    assert disclosure.enough(ed, {"1427", "sml-it", "1421", "1435", "1438"})


def test_municipality_edition_does_not_count_its_own_unit(prepared):
    ed = fa.edition("1427", prepared)  # Sotenäs, in SML IT
    assert not disclosure.enough(ed, {"1427", "sml-it", "1421", "1435"})
    assert disclosure.enough(ed, {"1427", "sml-it", "1421", "1435", "1438"})


# --- derived items follow what they derive from ----------------------------------------------------

def test_derived_items_follow_the_suppression(baseline, no_figures):
    prepared, cache, _ = baseline
    pos = cache["dimios_positions"]
    cut = {**cache, "dimios_positions": pos[pos["municipality_code"].isin(["1421", "1435", "1438"])]}
    ed = fresh(prepared, cut, "fyrbodal")
    assert not _shows(dimios.figur_11_bias(ed), "dimios_positions")
    s = summary.sammanfattning(ed)
    assert "Digital mognad (Dimios): visas inte" in s.alt and "dimios_positions" not in s.tables
    assert "Befolkningen" in s.alt  # the public part stays


# --- respondents --------------------------------------------------------------------------------

def test_own_breakdown_needs_three_respondents(baseline):
    prepared, cache, _ = baseline
    ans = cache["manager_answers"]
    counts = ans.groupby("municipality_code")["respondent_id"].nunique()
    own = next(c for c in sorted(counts.index) if counts[c] >= 3)  # a municipality with at least 3 in the data
    for n, shown in ((2, False), (3, True)):
        people = sorted(ans.loc[ans["municipality_code"] == own, "respondent_id"].unique())[:n]
        keep = (ans["municipality_code"] != own) | ans["respondent_id"].isin(people)
        ed = fresh(prepared, {**cache, "manager_answers": ans[keep]}, own)
        notes = " ".join(surveys.figur_20(ed).notes)
        assert (f"Svar från {ed.name} (3 personer)" in notes) == shown, notes
        assert ("färre än 3 svar – visas inte" in notes) != shown


def test_own_dimios_values_need_three_respondents(prepared):
    ed = fa.edition("1427", prepared)  # Sotenäs: two Dimios respondents in the demo set
    assert disclosure.own_respondents(ed, "dimios_scores") == 2
    fig9 = dimios.figur_9(ed)
    assert "Sotenäs" not in fig9.table.columns and any("färre än 3 svar" in n for n in fig9.notes)
    fig11 = dimios.figur_11(ed)
    assert fig11.data["label"].isna().all()
    assert "färre än 3 svar" in summary.sammanfattning(ed).alt
    bengtsfors = dimios.figur_9(fa.edition(OWN, prepared))
    assert "Bengtsfors" in bengtsfors.table.columns  # five respondents: shown to itself


def test_organisation_answers_are_shown_to_the_organisation(prepared):
    ed = fa.edition("1427", prepared)  # SML IT answered the IT-chef survey for Sotenäs
    assert any("SML IT svarade" in n for n in surveys.figur_23(ed).notes)


# --- pseudonyms ---------------------------------------------------------------------------------

def _labels(ed, table="it_cost_share"):
    ids = sorted(disclosure.units_of(ed, table))
    return dict(zip(ids, disclosure.labels(ed, ids, "Org.", table)[0]))


def test_letters_are_keyed_per_edition_and_stable(prepared):
    a, b = _labels(fa.edition("1460", prepared)), _labels(fa.edition("1460", prepared))
    assert a == b  # stable across rebuilds of the same data
    other = _labels(fa.edition("1438", prepared))
    common = [i for i in a if i in other and not a[i].startswith("IT") and not other[i].startswith("IT")]
    assert [a[i] for i in common] != [other[i] for i in common]  # drawn independently per edition
    unkeyed = sorted(common)  # neither id order nor the old public sha256 order
    assert [a[i] for i in unkeyed] != sorted(a[i] for i in unkeyed)


def test_a_secret_key_changes_every_letter_and_is_required_for_private_data(prepared_copy):
    ed = fa.edition("1460", prepared_copy)
    demo = _labels(ed)
    assert disclosure.key(ed)[1] is True
    keyfile = prepared_copy.raw / "private" / "disclosure.key"
    keyfile.parent.mkdir(parents=True, exist_ok=True)
    keyfile.write_text("0123456789abcdef0123456789abcdef\n")
    ed = fa.edition("1460", prepared_copy)
    assert disclosure.key(ed) == (b"0123456789abcdef0123456789abcdef", False)
    assert _labels(ed) != demo
    keyfile.unlink()
    ed = fa.edition("1460", prepared_copy)
    ed.info["tables"]["it_cost_share"]["tiers"] = ["private"]
    with pytest.raises(DisclosureError, match="secret pseudonym key"):
        costs.figur_19(ed)


def test_the_demo_key_is_said_on_the_page(prepared):
    it = costs.figur_19(fa.edition(OWN, prepared))
    assert any("publicerad demonyckel" in n for n in it.notes)


def _candidates(items: dict[str, Item], coverage: dict[str, set[str]], own: set[str]) -> dict[str, set[str]]:
    """What the attacker can narrow each anonymous label down to: the units in the coverage of every item it
    appears in, minus those in items (of the same label style) it is missing from, minus the reader's own."""
    labels: dict[str, set[str]] = {}
    for number, it in items.items():
        for lab in it.data["label"].dropna().unique():
            labels.setdefault(lab, set()).add(number)
    out = {}
    for lab, present in labels.items():
        if not lab.startswith("Org. "):
            continue  # the own organisation, by name
        style = lab.split()[-1].isdigit()
        same_style = {n for n, it in items.items() if any(str(l).startswith("Org. ") and l.split()[-1].isdigit() == style
                                                           for l in it.data["label"].dropna())}
        cand = set.intersection(*(coverage[n] for n in present))
        for n in same_style - present:
            cand -= coverage[n]
        out[lab] = cand - own
    return out


@pytest.mark.parametrize("code", ["fyrbodal", "1460", "1486", "1427"])
def test_every_anonymous_organisation_has_three_candidates(prepared, code):
    ed = fa.edition(code, prepared)
    items = {"Figur 15": costs.figur_15(ed), "Figur 17": costs.figur_17(ed), "Figur 19": costs.figur_19(ed)}
    pools, share = ed.load("cost_pools_by_org"), ed.load("it_cost_share")
    coverage = {"Figur 15": set(pools["it_org_id"]), "Figur 17": set(pools["it_org_id"]), "Figur 19": set(share["it_org_id"])}
    readers = disclosure.readers(ed)
    for own in readers:
        for lab, cand in _candidates(items, coverage, own).items():
            assert len(cand) >= 3, f"{code}: {lab} narrows to {sorted(cand)} for a reader owning {sorted(own)}"


def test_letters_unlinked_when_coverage_differs_too_little():
    """In-memory: 19 covers two organisations more than 15–17, so its letters would point them out."""
    orgs = [f"o{i}" for i in range(8)]
    info = {"tables": {"cost_pools_by_org": {"tiers": ["demo"], "confidential": True},
                       "it_cost_share": {"tiers": ["demo"], "confidential": True},
                       "it_org_members": {"tiers": ["demo"], "confidential": True}}}
    reg = SimpleNamespace(region_code="r", region_name="R", codes=["m0"], name_of={"m0": "M0"})
    ed = Edition("r", project=None, registry=reg, info=info)
    ed._cache.update({"cost_pools_by_org": pd.DataFrame({"it_org_id": orgs[:6]}),
                      "it_cost_share": pd.DataFrame({"it_org_id": orgs}),
                      "it_org_members": pd.DataFrame({"it_org_id": ["o0"], "municipality_code": ["m0"]})})
    assert disclosure.scopes(ed, "it_org_id") == {"it_cost_share": "", "cost_pools_by_org": "cost_pools_by_org"}
    labels, note = disclosure.labels(ed, orgs[:6], "Org.", "cost_pools_by_org")
    assert all(lab.split()[-1].isdigit() for lab in labels) and "går inte att koppla" in note
    ed._cache["it_cost_share"] = pd.DataFrame({"it_org_id": orgs[:6] + ["o6", "o7", "o8", "o9"]})
    assert disclosure.scopes(ed, "it_org_id") == {"it_cost_share": "", "cost_pools_by_org": ""}


# --- order and ids ------------------------------------------------------------------------------

def _rename_others(cache: dict, own: set[str], seed: int) -> dict:
    """Rename and shuffle the ids of every unit but the reader's own, consistently in every table."""
    import random
    rnd = random.Random(seed)
    orgs = sorted(set(cache["it_organisations"]["it_org_id"]) - own)
    new = [f"x{rnd.randrange(10**6):06d}" for _ in orgs]
    org_map = dict(zip(orgs, new))
    codes = sorted(set(cache["dimios_positions"]["municipality_code"]) - own)
    shuffled = codes[:]
    rnd.shuffle(shuffled)
    code_map = dict(zip(codes, shuffled))  # codes must stay registry codes: permuted among the others
    out = {}
    for name, df in cache.items():
        d = df.copy()
        if "it_org_id" in d:
            d["it_org_id"] = d["it_org_id"].map(lambda i: org_map.get(i, i))
        if name.startswith("dimios") and "municipality_code" in d:
            d["municipality_code"] = d["municipality_code"].map(lambda c: code_map.get(c, c))
        unit_rows = disclosure.unit_column(d.columns) is not None  # rows of units (public tables keep their order)
        out[name] = d.sample(frac=1, random_state=seed).reset_index(drop=True) if unit_rows and len(d) > 1 else d
    return out


def _values(it) -> list:
    d = it.data.drop(columns=[c for c in ("label",) if c in it.data])
    return d.round(9).astype(str).values.tolist()


@pytest.mark.parametrize("code", ["fyrbodal", OWN])
def test_renaming_or_reordering_other_ids_changes_nothing_published(baseline, no_figures, code):
    prepared, cache, _ = baseline
    fns = [dimios.figur_11, dimios.figur_11_bias, costs.figur_15, costs.figur_17, costs.figur_19]
    own = disclosure.own_units(fresh(prepared, cache, code))
    before = {fn.__name__: _values(fn(fresh(prepared, cache, code))) for fn in fns}
    for seed in (1, 2):
        renamed = _rename_others(cache, own, seed)
        for fn in fns:
            assert _values(fn(fresh(prepared, renamed, code))) == before[fn.__name__], (fn.__name__, seed)


def test_no_index_in_the_plain_text_output(prepared):
    it = costs.figur_17(fa.edition(OWN, prepared))
    bundle = it._repr_mimebundle_()
    assert bundle["text/plain"] == "Figur 17: Skillnad i fördelning av IT-kostnader mellan de deltagande organisationerna"
    assert "\n" not in repr(it)


# --- every item passes the layer ----------------------------------------------------------------

def test_an_item_that_bypasses_the_layer_is_refused(prepared):
    ed = fa.edition(OWN, prepared)

    def sneaky(ed):  # no @item: loads confidential answers and shows them
        d = ed.load("it_cost_share")
        return Item("Figur X", "t", "s", data=d[["it_org_id", "it_cost_share_pct"]])

    with pytest.raises(DisclosureError, match="not released"):
        check_released(sneaky(ed).export())
    nb = SimpleNamespace(cells=[{"outputs": [{"data": {MIME: sneaky(ed).export()}}]}])
    with pytest.raises(DisclosureError):
        take_release_records(nb)
    released = costs.figur_19(ed).export()
    nb = SimpleNamespace(cells=[{"outputs": [{"data": {MIME: released}}]}])
    records = take_release_records(nb)
    assert records[0]["number"] == "Figur 19" and "release" not in released  # moved out of the notebook


def test_the_layer_stops_an_item_naming_another_unit(prepared):
    @item
    def leaky(ed):
        d = ed.load("it_cost_share")
        return Item("Figur X", "t", "s", notes=[f"Högst: IT Åmål {d['it_cost_share_pct'].max()}"])

    it = leaky(fa.edition(OWN, prepared))
    assert it.release["status"] == "stoppad" and "IT Åmål" not in " ".join(it.notes)


def test_every_confidential_item_is_released_by_the_layer(edition_items):
    for code in ("fyrbodal", "1427"):
        for it in edition_items(code)[1]:
            assert it.release is not None and (it.release["status"] != "offentlig") == it.confidential, it.number


# --- distribution -------------------------------------------------------------------------------

def _fake_build(project, slugs):
    """Published edition folders as the build leaves them (no papermill needed to test packaging)."""
    from fyrbodal_analysis.publish.build import edition_key, editions
    eds = editions(project)
    for slug in slugs:
        folder = project.root / "reports" / slug
        (folder / "tables").mkdir(parents=True)
        (folder / "index.html").write_text(f'<a href="tables/{slug}.xlsx">x</a>', encoding="utf-8")
        (folder / "build.json").write_text(json.dumps({"name": slug, "key": edition_key(project, slug)}), encoding="utf-8")
    return eds


def test_distribute_writes_one_package_per_municipality_and_nothing_else(prepared_copy):
    project = prepared_copy
    from fyrbodal_analysis.publish.cli import main
    _fake_build(project, ["fyrbodal", "bengtsfors", "amal"])
    with pytest.raises(SystemExit):
        main(["distribute", "--help"])
    from fyrbodal_analysis.publish.distribute import distribute
    made = distribute(project, ["bengtsfors"], progress=lambda m: None)
    folder = made[0]
    assert folder == project.root / "dist" / "bengtsfors"
    assert sorted(p.name for p in folder.iterdir()) == ["HANTERING.txt", "bengtsfors", "fyrbodal", "index.html"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]+)"', index)) == {"bengtsfors/index.html", "fyrbodal/index.html", "HANTERING.txt"}
    assert "ska inte lämnas vidare" in (folder / "HANTERING.txt").read_text(encoding="utf-8")
    assert (project.root / "dist" / "bengtsfors.zip").exists() and not (project.root / "dist" / "amal").exists()


def test_a_package_linking_another_edition_is_refused(prepared_copy):
    project = prepared_copy
    from fyrbodal_analysis.publish.distribute import distribute
    _fake_build(project, ["fyrbodal", "bengtsfors"])
    (project.root / "reports" / "bengtsfors" / "index.html").write_text('<a href="../amal/index.html">Åmål</a>')
    with pytest.raises(RuntimeError, match="links to the edition amal"):
        distribute(project, ["bengtsfors"], progress=lambda m: None)
    assert not (project.root / "dist" / "bengtsfors").exists()


def test_distribute_needs_current_editions(prepared_copy):
    from fyrbodal_analysis.publish.distribute import distribute
    project = prepared_copy
    _fake_build(project, ["fyrbodal", "amal"])
    with pytest.raises(FileNotFoundError, match="fyrbodal build --edition bengtsfors"):
        distribute(project, ["bengtsfors"], progress=lambda m: None)
    (project.processed / "manifest.json").write_text("{}")  # the data changed since the build
    with pytest.raises(FileNotFoundError, match="other data or code"):
        distribute(project, ["amal"], progress=lambda m: None)
