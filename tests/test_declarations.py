"""Every cleaning module declares its raw specs and one Table per output; ``prepare`` holds it to them.

One test per failure mode: a module without a declaration, an undeclared output, a declared table not produced, an
empty table that must not be empty, an input of the wrong tier, a confidential input behind a table not declared
confidential, an answer outside its domain. The pipeline-level ones run the small second region (one raw file).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
import types

import pandas as pd
import pytest
import yaml

import fyrbodal_analysis as fa
from fyrbodal_analysis.clean import demography, facts, pipeline
from fyrbodal_analysis.clean.declarations import MICRODATA, PUBLISHED, DeclarationError, Domain, Table, check_domains, check_produced, domain_of, table_problems
from fyrbodal_analysis.core.errors import ValidationFailed
from fyrbodal_analysis.core.registry import load_registry
from fyrbodal_analysis.raw.files import TableSpec

REGION = "vastra-gotaland"  # declares one dataset (scb_population_wide): only demography runs


def _modules():
    for info in pkgutil.walk_packages(fa.__path__, "fyrbodal_analysis."):
        yield importlib.import_module(info.name)


def test_every_cleaning_module_is_declared_and_run():
    """A module with a ``clean`` or raw specs is a cleaning module: it has a DOMAIN and pipeline runs it."""
    cleaning = {m.__name__ for m in _modules() if callable(vars(m).get("clean")) or {"SPECS", "DOMAIN"} & set(vars(m))}
    assert cleaning == {m.__name__ for m in pipeline.MODULES}
    for m in pipeline.MODULES:
        assert domain_of(m).clean is m.clean and domain_of(m).specs is m.SPECS


def test_no_parallel_dicts_left():
    """The declaration replaced OUTPUTS, INPUTS, NULLABLE, … and microdata's specs."""
    old = {"OUTPUTS", "INPUTS", "NULLABLE", "WIDE_CHECKS", "MICRO_INPUTS", "OPTIONAL_INPUTS", "PARTIAL"}
    for m in _modules():
        assert not old & set(vars(m)), m.__name__
    assert "SPECS" not in vars(importlib.import_module("fyrbodal_analysis.raw.microdata"))


def test_module_without_declaration_fails():
    m = types.ModuleType("fyrbodal_analysis.newdomain")
    m.SPECS, m.clean = {}, lambda frames, registry: {}
    with pytest.raises(DeclarationError, match="declares no DOMAIN"):
        domain_of(m)


def test_undeclared_output_fails():
    out = {t.name: pd.DataFrame() for t in facts.DOMAIN.tables} | {"extra": pd.DataFrame()}
    with pytest.raises(DeclarationError, match=r"undeclared tables \['extra'\]"):
        check_produced(facts.DOMAIN, out, {"facts"})


def test_declared_but_not_produced_fails():
    with pytest.raises(DeclarationError, match=r"did not return the declared tables \['facts'\]"):
        check_produced(facts.DOMAIN, {}, {"facts"})
    check_produced(facts.DOMAIN, {}, set())  # its input absent (a region without it): not expected


def test_tables_of_an_absent_input_are_not_expected():
    """A region without Figur 7 makes population, population_by_age and population_projection only."""
    made = {"population": pd.DataFrame(), "population_by_age": pd.DataFrame(), "population_projection": pd.DataFrame()}
    check_produced(demography.DOMAIN, made, {"scb_population_wide"})
    with pytest.raises(DeclarationError, match="population_forecast"):
        check_produced(demography.DOMAIN, made, {"scb_population_wide", *demography.FIGUR07})


def test_empty_table_refused_where_non_empty():
    t = Table("facts", ("fact_id",), ("facts",), PUBLISHED)
    empty = pd.DataFrame({"fact_id": pd.Series(dtype="string")})
    assert [p.message for p in table_problems(t, empty, {})] == ["the table has no rows"]
    assert table_problems(dataclasses.replace(t, non_empty=False), empty, {}) == []


def test_wrong_tier_refused():
    t = Table("facts", ("fact_id",), ("facts",), PUBLISHED)
    df = pd.DataFrame({"fact_id": ["a"]})
    assert table_problems(t, df, {"report/facts.csv": "published"}) == []
    [p] = table_problems(t, df, {"demo/facts.csv": "demo"})
    assert p.file == "data/raw/demo/facts.csv" and "a demo file for table 'facts'" in p.message


def test_answers_outside_their_domain_refused():
    t = Table("x", ("question_id",), ("facts",), MICRODATA, answers=("question_id", "choice", {"q": ("ja", "nej")}))
    ok = pd.DataFrame({"question_id": ["q", "q"], "choice": ["ja", "nej"]})
    assert table_problems(t, ok, {}) == []
    bad = pd.DataFrame({"question_id": ["q", "r"], "choice": ["Ja", "ja"]})
    assert sorted(p.message for p in table_problems(t, bad, {})) == ["'Ja' is not an answer to q", "unknown question 'r'"]


def _spec(name, confidential=False):
    return TableSpec(name, ("fact_id",), key=("fact_id",), confidential=confidential)


def _domain(name, specs, *tables, **kw):
    return Domain(name, {s.name: s for s in specs}, lambda frames, registry: {}, tables, **kw)


def test_table_of_confidential_input_must_be_declared_confidential():
    secret = _spec("answers_raw", confidential=True)
    open_ = Table("answers", ("fact_id",), ("answers_raw",), MICRODATA)
    with pytest.raises(DeclarationError, match="not declared confidential"):
        check_domains((_domain("d", [secret], open_),))
    check_domains((_domain("d", [secret], dataclasses.replace(open_, confidential=True)),))


def test_cross_domain_rules():
    a, b = _spec("a_raw"), _spec("b_raw")
    ta, tb = Table("a", ("fact_id",), ("a_raw",), PUBLISHED), Table("b", ("fact_id",), ("b_raw",), PUBLISHED)
    with pytest.raises(DeclarationError, match="no domain declares"):
        check_domains((_domain("d", [a], ta, tb),))
    with pytest.raises(DeclarationError, match="no domain reads"):
        check_domains((_domain("d", [a, b], ta),))
    with pytest.raises(DeclarationError, match="declared by both"):
        check_domains((_domain("d", [a, b], ta, tb), _domain("e", [], ta)))
    assert set(check_domains((_domain("d", [a], ta), _domain("e", [b], tb)))) == {"a_raw", "b_raw"}


def test_declaration_rules():
    with pytest.raises(DeclarationError, match="not fields"):
        Table("t", ("no_such_column",), ("a",), PUBLISHED)
    with pytest.raises(DeclarationError, match="tiers"):
        Table("t", ("fact_id",), ("a",), frozenset({"secret"}))
    with pytest.raises(DeclarationError, match="twice"):
        t = Table("t", ("fact_id",), ("a_raw",), PUBLISHED)
        _domain("d", [_spec("a_raw")], t, t)


def test_manifest_confidential_follows_the_declaration(prepared):
    manifest = json.loads((prepared.processed / "manifest.json").read_text(encoding="utf-8"))
    declared, specs = pipeline.all_tables(), pipeline.all_specs()
    assert set(manifest["tables"]) == set(declared)
    for name, entry in manifest["tables"].items():
        t = declared[name]
        assert entry["confidential"] == t.confidential == any(specs[s].confidential for s in (*t.inputs, *t.optional))
        assert set(entry["tiers"]) <= t.tiers, name


# --- through the pipeline (the second region: one raw file, demography only) ------------------------------------

def _build(project):
    return pipeline.build_tables(project, load_registry(project, REGION))


def _with_clean(monkeypatch, clean):
    d = dataclasses.replace(demography.DOMAIN, clean=clean)
    monkeypatch.setattr(pipeline, "DOMAINS", tuple(d if x is demography.DOMAIN else x for x in pipeline.DOMAINS))


def test_pipeline_refuses_an_undeclared_output(project, monkeypatch):
    _with_clean(monkeypatch, lambda frames, reg: demography.clean(frames, reg) | {"extra": pd.DataFrame()})
    with pytest.raises(DeclarationError, match="undeclared"):
        _build(project)


def test_pipeline_refuses_a_lost_output(project, monkeypatch):
    _with_clean(monkeypatch, lambda frames, reg: {k: v for k, v in demography.clean(frames, reg).items() if k != "population"})
    with pytest.raises(DeclarationError, match=r"\['population'\]"):
        _build(project)


def test_pipeline_refuses_an_empty_table(project, monkeypatch):
    _with_clean(monkeypatch, lambda frames, reg: {k: v.iloc[:0] for k, v in demography.clean(frames, reg).items()})
    with pytest.raises(ValidationFailed) as exc:
        _build(project)
    # population must not be empty; population_by_age may be (empty until fetched)
    assert [(p.file, p.message) for p in exc.value.problems] == [("data/processed/population.parquet",
                                                                   "the table has no rows")]


def test_pipeline_refuses_a_file_of_the_wrong_tier(project):
    path = project.raw / "sources.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["files"]["public/scb_folkmangd_kommun_1950_2019_odectra.csv"]["tier"] = "published"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        _build(project)
    assert any(p.file == "data/raw/public/scb_folkmangd_kommun_1950_2019_odectra.csv"
               and "a published file for table 'population'" in p.message for p in exc.value.problems)
