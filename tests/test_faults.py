"""Bad input and faults, class by class (issue 12): each test writes its own small malformed input.

Fast tests call ``read_table`` on a few lines; the slower ones run the CLI on a copy of the project
and check exit code 2, the located message and that nothing was written.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

import fyrbodal_analysis.raw.files as rawfiles
from fyrbodal_analysis.clean import costs, facts
from fyrbodal_analysis.clean.pipeline import all_specs
from fyrbodal_analysis.core.errors import Problem, ValidationFailed
from fyrbodal_analysis.core.paths import Project
from fyrbodal_analysis.core.registry import load_registry
from fyrbodal_analysis.publish.build import Busy, check_processed, checkout_lock, editions
from fyrbodal_analysis.publish.cli import main
from fyrbodal_analysis.raw.files import FileFormat, read_table
from tests.conftest import ROOT

SPECS = all_specs()
SV = FileFormat(sep=";", decimal=",", thousands=" ")  # how figur07 is declared
LOCATED = re.compile(r"^[^:\s]+:(\d+|-):[^:]*: .+")


@pytest.fixture(scope="module")
def registry():
    return load_registry(Project(ROOT))


def read(tmp_path, registry, text, table, fmt=None, *, raw: bytes | None = None):
    path = tmp_path / "in.csv"
    if raw is None:
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(raw)
    frame, problems = read_table(path, "in.csv", SPECS[table], fmt or FileFormat(), registry)
    return frame, [str(p) for p in problems]


F7_HEADER = "municipality;population_2019;population_2030;change;change_pct\n"
ITCHEF = "respondent_id,it_org_id,submitted_at,question_id,choice\n"
MANAGER = "respondent_id,municipality_code,submitted_at,question_id,choice\n"
DIMIOS = "respondent_id,municipality_code,role,statement_id,answer,survey_year\n"


# --- empty tables -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [F7_HEADER, F7_HEADER + "\n\n;;;;\n"])
def test_header_only_table_is_refused(tmp_path, registry, text):
    _, problems = read(tmp_path, registry, text, "figur07_population_forecast", SV)
    assert len(problems) == 1 and "the file has a header but no data rows" in problems[0], problems


def test_header_only_microdata_is_refused(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF, "itchef_survey")
    assert problems == ["in.csv:1:-: the file has a header but no data rows (expected at least one row of itchef_survey)"]


def test_every_table_declares_non_empty():
    assert all(spec.non_empty for spec in SPECS.values())


# --- answer domains per question ----------------------------------------------------------------

def test_itchef_vet_ej_where_the_question_has_none(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF + "c1,it-amal,2020-10-05T10:00,fig24_kompetensmix,vet ej\n"
                                                    "c2,it-amal,2020-10-05T10:00,fig23_styrning,vet ej\n", "itchef_survey")
    assert problems == ["in.csv:2:choice: 'vet ej' is not an answer to fig24_kompetensmix "
                        "(expected one of '1', '2', '3', '4', '5', '6')"]


def test_itchef_answer_outside_the_scale(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF + "c1,it-amal,2020-10-05T10:00,fig23_styrning,7\n"
                                                    "c2,it-amal,2020-10-05T10:00,fig23b_infrastruktur,0\n", "itchef_survey")
    assert [p.split(": ", 1)[1].split(" (")[0] for p in problems] == [
        "'7' is not an answer to fig23_styrning", "'0' is not an answer to fig23b_infrastruktur"]


@pytest.mark.parametrize("table,line,wrong,right", [
    ("manager_survey", MANAGER + "m1,1460,2020-10-06T10:38,fig20_synsatt,{}\n", "teknikorienterat", "Teknikorienterat"),
    ("manager_survey", MANAGER + "m1,1460,2020-10-06T10:38,fig21_kannedom,{}\n", "vet ej", "Vet ej"),
    ("infosec_answers", "municipality_code,question_id,choice,degree\n1460,klassning,{},\n", "Ja", "ja"),
])
def test_category_in_the_wrong_case(tmp_path, registry, table, line, wrong, right):
    _, problems = read(tmp_path, registry, line.format(wrong), table)
    assert len(problems) == 1 and f"{wrong!r} is not an answer" in problems[0]
    assert f"did you mean {right!r}? categories are case-sensitive" in problems[0]
    _, problems = read(tmp_path, registry, line.format(right), table)
    assert problems == []


# --- cross-table facts ----------------------------------------------------------------------------

def test_respondent_under_two_municipalities(tmp_path, registry):
    _, problems = read(tmp_path, registry, MANAGER + "m1,1460,2020-10-06T10:38,fig20_synsatt,Blandning\n"
                                                     "m1,1488,2020-10-06T10:38,fig21_kannedom,Bra\n", "manager_survey")
    assert problems == ["in.csv:3:municipality_code: respondent_id 'm1' has municipality_code '1488' here but '1460' "
                        "on line 2 (expected one municipality_code per respondent_id)"]
    _, problems = read(tmp_path, registry, DIMIOS + "r1,1460,IT-chef,1,4,2020\nr1,1492,IT-chef,2,4,2020\n", "dimios_answers")
    assert len(problems) == 1 and "in.csv:3:municipality_code: respondent_id 'r1'" in problems[0]


def test_itchef_respondent_under_two_organisations(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF + "c1,it-amal,2020-10-05T10:00,fig23_styrning,4\n"
                                                    "c1,sml-it,2020-10-05T10:00,fig24_kompetensmix,4\n", "itchef_survey")
    assert len(problems) == 1 and "in.csv:3:it_org_id: respondent_id 'c1' has it_org_id 'sml-it'" in problems[0]


def _facts_frame(ids):
    return pd.DataFrame({"fact_id": pd.array(ids, dtype="string")}).rename_axis("line").set_axis(
        range(2, 2 + len(ids))).pipe(lambda d: d.assign(value=1.0))


def test_a_fact_the_parts_read_is_missing():
    frame = _facts_frame([f for f in facts.REQUIRED if f not in ("broadband_goal_pct", "fig24_value_4_5_pct")])
    frame.attrs["file"] = "facts.csv"
    with pytest.raises(ValidationFailed) as exc:
        facts.clean({"facts": frame}, None)
    assert [str(p) for p in exc.value.problems] == [
        f"facts.csv:-:fact_id: fact {f!r} is missing; the report parts read it (expected a row with this fact_id)"
        for f in ("broadband_goal_pct", "fig24_value_4_5_pct")]
    frame = _facts_frame(list(facts.REQUIRED))
    assert len(facts.clean({"facts": frame}, None)["facts"]) == len(facts.REQUIRED)


def test_required_facts_cover_every_fact_id_the_code_reads():
    """Every fact id named anywhere in the library (any string literal equal to a fact id of facts.csv) is in REQUIRED,
    so deleting a fact the parts read is caught by `prepare`, not by a notebook."""
    import ast
    import csv
    with open(ROOT / "data" / "raw" / "report" / "facts.csv", encoding="utf-8-sig") as f:
        ids = {r["fact_id"] for r in csv.DictReader(f)}
    read_ids = set()
    for path in (ROOT / "src" / "fyrbodal_analysis").rglob("*.py"):
        if path.name == "synth.py":  # synth reads the raw facts to calibrate the demo set, not the processed table
            continue
        read_ids |= {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in ids}
    assert read_ids and read_ids <= set(facts.REQUIRED), sorted(read_ids - set(facts.REQUIRED))


# --- headers that differ only in invisible ways ---------------------------------------------------

@pytest.mark.parametrize("header", [
    ITCHEF.replace("choice", "choice "),                       # trailing space
    ITCHEF.replace("choice", "choice\u00a0"),                  # no-break space
    ITCHEF.replace("respondent_id", "\u00a0respondent_id\t"),  # around the first column
])
def test_header_with_surrounding_white_space_is_accepted(tmp_path, registry, header):
    frame, problems = read(tmp_path, registry, header + "c1,it-amal,2020-10-05T10:00,fig23_styrning,4\n", "itchef_survey")
    assert problems == [] and list(frame.columns) == ITCHEF.strip().split(",")


def test_invisible_or_case_differences_in_a_header_are_reported_precisely(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF.replace("choice", "choice\u200b") +
                       "c1,it-amal,2020-10-05T10:00,fig23_styrning,4\n", "itchef_survey")
    assert problems == ["in.csv:1:choice\\u200b: column name contains an invisible character (U+200B ZERO WIDTH SPACE); "
                        "otherwise it is 'choice' (expected the column name 'choice' without it)"]
    _, problems = read(tmp_path, registry, ITCHEF.replace("choice", "Choice") +
                       "c1,it-amal,2020-10-05T10:00,fig23_styrning,4\n", "itchef_survey")
    assert "in.csv:1:Choice: unexpected column (column names are case-sensitive: 'choice')" in problems[1]


def test_trailing_separator_on_the_header(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF.replace("choice", "choice,,") +
                       "c1,it-amal,2020-10-05T10:00,fig23_styrning,4,,\n", "itchef_survey")
    assert problems == ["in.csv:1:-: the header ends with an empty column name: a trailing ','? "
                        "(expected no ',' after the last column name)"]


def test_a_file_of_another_table_is_one_line(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF + "c1,it-amal,2020-10-05T10:00,fig23_styrning,4\n", "facts")
    assert len(problems) == 1 and "the header has 0 of the 10 columns of table facts" in problems[0]


# --- line numbers, quotes, encodings, control characters -------------------------------------------

def test_line_numbers_stay_right_after_a_quoted_field_over_two_lines(tmp_path, registry):
    header = "fact_id,domain,figure,section,relation,value,unit,denominator,quote,note\n"
    text = (header + 'a_pct,costs,Figur 1,1,=,12,pct,,"first line\nsecond line",\n'
            "b_pct,costs,Figur 1,1,=,144,pct,,one line,\n")
    frame, problems = read(tmp_path, registry, text, "facts")
    assert problems == ["in.csv:4:value: 144 is a percentage outside 0–100"], problems
    assert list(frame.index) == [2, 4]


def test_stray_quote_is_located(tmp_path, registry):
    lines = [f"c{i},it-amal,2020-10-05T10:00,fig23_styrning,4" for i in range(1, 8)]
    lines[2] = 'c3,it-amal,"2020-10-05T10:00,fig23_styrning,4'  # a quote that another stray quote closes
    lines[5] = 'c6,it-amal,2020-10-05T10:00",fig23_styrning,4'
    _, problems = read(tmp_path, registry, ITCHEF + "\n".join(lines) + "\n", "itchef_survey")
    assert problems == ["in.csv:4:submitted_at: the value runs from line 4 to line 7: a stray quote? (the lines in between "
                        "are read as part of it) (expected a quote closing the value on its own line, or no quote)"]
    lines[5] = 'c6,it-amal,2020-10-05T10:00,fig23_styrning,4'  # never closed: runs to the end of the file
    _, problems = read(tmp_path, registry, ITCHEF + "\n".join(lines) + "\n", "itchef_survey")
    assert len(problems) == 1 and problems[0].startswith("in.csv:4:-: has 3 fields, the header has 5; a quoted field runs "
                                                         "from line 4 to line 8: a stray quote?")


def test_stray_quote_in_a_large_file_is_located(tmp_path, registry):
    rows = [f"it-amal,2019-01,6540,L0001,IT-INFRA,{i}" for i in range(12000)]
    rows[10] = 'it-amal,2019-01,6540,"L0001,IT-INFRA,5'
    header = "it_org_id,period,account,supplier_id,cost_centre,amount_sek\n"
    _, problems = read(tmp_path, registry, header + "\n".join(rows) + "\n", "ledger")
    assert problems == ['in.csv:12:-: a quote (") opens a field here that is not closed within 131072 characters: '
                        'a stray quote? (expected quotes in pairs around a field)']


@pytest.mark.parametrize("codec,order", [("utf-16", "little-endian"), ("utf-16-be", "big-endian"),
                                         ("utf-16-le", "little-endian")])
def test_utf16_is_named(tmp_path, registry, codec, order):
    raw = (ITCHEF + "c1,it-amal,2020-10-05T10:00,fig23_styrning,4\n").encode(codec)
    _, problems = read(tmp_path, registry, "", "itchef_survey", raw=raw)
    assert problems == [f"in.csv:1:-: the file is UTF-16 ({order}), not UTF-8 (expected UTF-8 text: save the file as UTF-8)"]


def test_control_characters_are_escaped_in_messages(tmp_path, registry):
    _, problems = read(tmp_path, registry, ITCHEF + "c1,it-amal,2020-10-05T10:00,fig23_styrning,4\x00\n"
                                                    "c2\x1b,it-amal,2020-10-05T10:00,fig23_styrning,4\x07\n", "itchef_survey")
    assert problems and all(p.isprintable() for p in problems), problems
    assert any("'4\\x00' is not an answer" in p for p in problems)
    assert str(Problem("f\x00.csv", 1, "a\x00", "x\x1by")) == "f\\x00.csv:1:a\\x00: x\\x1by"


def test_many_rows_with_one_fault_are_capped(tmp_path, registry):
    rows = "".join(f"c{i},it-amal,2020-10-05T10:00,fig23_styrning,9\n" for i in range(200))
    _, problems = read(tmp_path, registry, ITCHEF + rows, "itchef_survey")
    shown = ValidationFailed([Problem("in.csv", int(p.split(":")[1]), "choice", "x") for p in problems]).problems
    assert len(problems) == 200 and len(shown) == 21
    assert str(shown[-1]) == ("in.csv:-:choice: … and 180 more problems like the above in this column "
                              "(only the first 20 are listed)")


def test_a_summed_table_keeps_one_row_per_key_at_its_first_line(tmp_path, registry, monkeypatch):
    monkeypatch.setattr(rawfiles, "CHUNK_ROWS", 3)  # keys recur across chunks
    header = "it_org_id,period,account,supplier_id,cost_centre,amount_sek\n"
    rows = ["it-amal,2019-01,6540,L1,IT-INFRA,10", "it-amal,2019-02,6540,,IT-INFRA,5", "it-amal,2019-02,6540,L1,IT-INFRA,1",
            "sml-it,2019-01,6540,L1,IT-INFRA,7", "it-amal,2019-03,6540,,IT-INFRA,2", "it-amal,2019-03,6540,L1,IT-INFRA,100"]
    frame, problems = read(tmp_path, registry, header + "\n".join(rows) + "\n", "ledger")
    assert problems == []
    assert list(frame.index) == [2, 3, 5]
    assert list(frame["amount_sek"]) == [111, 7, 7] and frame["supplier_id"].isna().tolist() == [False, True, False]
    assert frame["amount_sek"].sum() == 125


def test_reading_stops_after_too_many_problems(tmp_path, registry, monkeypatch):
    monkeypatch.setattr(rawfiles, "CHUNK_ROWS", 10)
    monkeypatch.setattr(rawfiles, "MAX_PROBLEMS", 25)
    rows = "".join(f"it-amal,2019-01,6540,L0001,IT-INFRA,x{i}\n" for i in range(100))
    header = "it_org_id,period,account,supplier_id,cost_centre,amount_sek\n"
    frame, problems = read(tmp_path, registry, header + rows, "ledger")
    assert frame is None and len(problems) == 31
    assert problems[-1] == "in.csv:31:-: more than 25 problems; reading stopped here (expected the problems above fixed first)"


def test_chunked_reading_gives_the_same_frame_and_finds_duplicates_across_chunks(tmp_path, registry, monkeypatch):
    rows = [f"c{i},it-amal,2020-10-05T10:00,fig23_styrning,{1 + i % 6}" for i in range(25)]
    rows.append("c3,it-amal,2020-10-05T10:00,fig23_styrning,2")  # duplicates line 5, in another chunk
    text = ITCHEF + "\n".join(rows) + "\n"
    whole, p_whole = read(tmp_path, registry, text, "itchef_survey")
    monkeypatch.setattr(rawfiles, "CHUNK_ROWS", 7)
    chunked, p_chunked = read(tmp_path, registry, text, "itchef_survey")
    pd.testing.assert_frame_equal(whole, chunked)
    assert p_whole == p_chunked and len(p_chunked) == 2 and "also on line 27" in p_chunked[0]


# --- configuration files (prepare on a copy of the project) ---------------------------------------

def _prepare_fails(project: Project, capsys) -> list[str]:
    code = main(["prepare", "--root", str(project.root)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "unexpected error" not in err
    assert not project.processed.exists() or not any(project.processed.iterdir())
    lines = [l for l in err.splitlines() if LOCATED.match(l)]
    assert lines, err
    return lines


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_sources_yaml_syntax_error(project, capsys):
    _edit(project.sources_file, "    tier: demo\n", "    tier: [demo\n")
    lines = _prepare_fails(project, capsys)
    assert len(lines) == 1 and re.match(r"data/raw/sources.yml:\d+:\d+: YAML syntax error", lines[0])


@pytest.mark.parametrize("old,new,expected", [
    ("    tier: demo\n", "", r"data/raw/sources.yml:4:demo/account_map.csv: entry has no tier"),
    ("    tier: demo\n", "    tier: demoo\n", r"data/raw/sources.yml:6:tier: unknown tier 'demoo'"),
    ("    sha256: 2861ab1ea", "    sha256: 12345 #", r"data/raw/sources.yml:8:sha256: sha256 is a number '12345', not 64 hex"),
    ("      sep: ','\n", "      separator: ','\n", r"data/raw/sources.yml:9:format: unknown format key 'separator'"),
    ("      decimal: .\n", "      decimal: ';'\n", r"data/raw/sources.yml:9:format: format decimal ';' is not supported"),
    ("  demo/account_map.csv:\n", "  ../outside.csv:\n", r"data/raw/sources.yml:4:../outside.csv: raw path '../outside.csv' "
                                                         r"is not a plain path"),
])
def test_sources_entry_faults_are_located(project, capsys, old, new, expected):
    _edit(project.sources_file, old, new)
    lines = _prepare_fails(project, capsys)
    assert len(lines) == 1 and re.match(expected, lines[0]), lines


def test_an_entry_written_twice_in_sources(project, capsys):
    text = project.sources_file.read_text(encoding="utf-8")
    first = text.index("  demo/age_structure.csv:")
    project.sources_file.write_text(text + text[first:text.index("  demo/broadband_pts.csv:")], encoding="utf-8")
    lines = _prepare_fails(project, capsys)
    assert len(lines) == 1 and re.match(r"data/raw/sources.yml:\d+:demo/age_structure.csv: key appears twice "
                                        r"\(also on line 21\)", lines[0]), lines


def test_raw_path_that_is_a_folder(project, capsys):
    (project.raw / "demo" / "ledger.csv").unlink()
    (project.raw / "demo" / "ledger.csv").mkdir()
    assert _prepare_fails(project, capsys) == [
        "data/raw/demo/ledger.csv:-:-: is registered in sources.yml but is a folder, not a file "
        "(expected a file at this path, or remove its entry)"]


def test_truncated_and_deleted_geojson_are_one_line_each(project, capsys):
    geo = project.raw / "public" / "sweden_municipalities_okfse.geojson"
    geo.write_bytes(geo.read_bytes()[:5000])
    lines = _prepare_fails(project, capsys)
    assert len(lines) == 1 and "JSON syntax error" in lines[0] and "truncated?" in lines[0]
    geo.unlink()
    lines = _prepare_fails(project, capsys)
    assert lines == ["data/raw/public/sweden_municipalities_okfse.geojson:-:-: file is missing; every municipality name "
                     "is checked against it (expected the registered file (restore it from git))"]


def test_alias_and_region_file_faults(project, capsys):
    aliases = project.aliases_file
    aliases.write_text(aliases.read_text(encoding="utf-8") + '  "Bad: x\n', encoding="utf-8")
    lines = _prepare_fails(project, capsys)
    assert len(lines) == 1 and re.match(r"params/municipality_aliases.yml:\d+:\d+: YAML syntax error", lines[0])
    shutil.copy(ROOT / "params" / "municipality_aliases.yml", aliases)
    _edit(project.params / "regions" / "fyrbodal.yml", 'code: "1421"', "code: 1421")
    assert _prepare_fails(project, capsys) == ['params/regions/fyrbodal.yml:9:code: municipality 1: code 1421 must be a '
                                               'quoted 4-digit string (expected "1460")']


# --- cross-table facts in prepare -----------------------------------------------------------------

def _register(project, rel):
    doc = yaml.safe_load(project.sources_file.read_text(encoding="utf-8"))
    doc["files"][rel]["sha256"] = hashlib.sha256((project.raw / rel).read_bytes()).hexdigest()
    project.sources_file.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_prepare_refuses_missing_ledger_and_missing_fact_and_empty_table(project, capsys):
    ledger = project.raw / "demo" / "ledger.csv"
    ledger.write_text("".join(l for l in ledger.read_text(encoding="utf-8").splitlines(True)
                              if not l.startswith("it-amal,")), encoding="utf-8")
    _register(project, "demo/ledger.csv")
    fpath = project.raw / "report" / "facts.csv"
    fpath.write_text("".join(l for l in fpath.read_text(encoding="utf-8").splitlines(True)
                             if not l.startswith("dimios_sweden_mean_pct,")), encoding="utf-8")
    _register(project, "report/facts.csv")
    lines = _prepare_fails(project, capsys)
    assert lines == [
        "data/raw/demo/ledger.csv:-:it_org_id: no ledger rows for 'it-amal', which it_organisations.csv line 2 marks as "
        "in the cost-pool analysis (expected its ledger rows, or in_cost_pool_analysis false)",
        "data/raw/report/facts.csv:-:fact_id: fact 'dimios_sweden_mean_pct' is missing; the report parts read it "
        "(expected a row with this fact_id)"]
    f7 = project.raw / "report" / "figur07_population_forecast.csv"
    f7.write_text(f7.read_text(encoding="utf-8").splitlines(True)[0], encoding="utf-8")
    _register(project, "report/figur07_population_forecast.csv")
    assert any("figur07_population_forecast.csv:1:-: the file has a header but no data rows" in l
               for l in _prepare_fails(project, capsys))


def test_ledger_check_names_each_missing_organisation():
    orgs = pd.DataFrame({"it_org_id": pd.array(["a", "b", "c"], dtype="string"),
                         "in_cost_pool_analysis": pd.array([True, True, False], dtype="boolean")}, index=[2, 3, 4])
    led = pd.DataFrame({"it_org_id": pd.array(["a"], dtype="string"), "account": ["1"], "cost_centre": ["x"],
                        "amount_sek": [1.0]}, index=[2])
    f = {"it_organisations": orgs, "ledger": led,
         "it_org_members": pd.DataFrame({"it_org_id": ["a"], "municipality_code": ["1460"]}),
         "account_map": pd.DataFrame({"it_org_id": ["a"], "account": ["1"], "cost_pool_id": ["p"]}),
         "cost_centre_map": pd.DataFrame({"it_org_id": ["a"], "cost_centre": ["x"], "work_area_id": ["w"]}),
         "it_cost_totals": pd.DataFrame({"it_org_id": ["a"], "central_it_cost_sek": [1.0]})}

    class Reg:
        codes = ["1460"]
    problems = [p.message for p in costs._check_links(f, Reg())]
    assert problems == ["no ledger rows for 'b', which it_organisations.csv line 3 marks as in the cost-pool analysis"]


# --- register -------------------------------------------------------------------------------------

LEDGER = "it_org_id,period,account,supplier_id,cost_centre,amount_sek\nit-amal,2019-01,6540,L0220,IT-INFRA,55074\n"


@pytest.mark.parametrize("dest", ["../../outside.csv", "demo/../../outside.csv", "/tmp/outside.csv", "report/x.csv",
                                  "demo"])
def test_register_refuses_destinations_outside_the_tier_folder(project, tmp_path, capsys, dest):
    new = tmp_path / "new.csv"
    new.write_text(LEDGER, encoding="utf-8")
    before = project.sources_file.read_bytes()
    code = main(["register", str(new), "--table", "ledger", "--tier", "demo", "--dest", dest, "--root", str(project.root)])
    err = capsys.readouterr().err
    assert code == 2 and "data/raw/demo/" in err, err
    assert project.sources_file.read_bytes() == before
    assert not (project.root.parent / "outside.csv").exists() and not (project.raw / "report" / "x.csv").exists()


def test_register_refuses_a_symlink_out_of_the_tier_folder(project, tmp_path, capsys):
    (project.raw / "demo" / "out").symlink_to(tmp_path)
    new = tmp_path / "new.csv"
    new.write_text(LEDGER, encoding="utf-8")
    code = main(["register", str(new), "--table", "ledger", "--tier", "demo", "--dest", "demo/out/x.csv",
                 "--root", str(project.root)])
    assert code == 2 and "outside data/raw/demo/" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def _git(root: Path, *args) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_private_file_never_lands_in_a_tracked_folder_or_the_committed_sources(project, tmp_path, capsys):
    shutil.copy(ROOT / ".gitignore", project.root / ".gitignore")
    _git(project.root, "init", "-q")
    _git(project.root, "add", "-A")
    _git(project.root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    secret = tmp_path / "ledger_real.csv"
    secret.write_text(LEDGER, encoding="utf-8")
    for args in (["--dest", "demo/ledger_real.csv"], ["--dest", "report/ledger_real.csv"], ["--dest", "private/../demo/x.csv"]):
        assert main(["register", str(secret), "--table", "ledger", "--tier", "private", *args,
                     "--root", str(project.root)]) == 2
    inside = project.raw / "demo" / "ledger_real.csv"  # copied into a tracked folder by hand, then registered
    shutil.copy(secret, inside)
    assert main(["register", str(inside), "--table", "ledger", "--tier", "private", "--root", str(project.root)]) == 2
    inside.unlink()
    capsys.readouterr()
    assert main(["register", str(secret), "--table", "ledger", "--tier", "private", "--root", str(project.root)]) == 0
    assert (project.raw / "private" / "ledger_real.csv").exists()
    assert _git(project.root, "status", "--porcelain") == ""  # nothing git would commit
    assert "private/" not in project.sources_file.read_text(encoding="utf-8")


# --- build configuration --------------------------------------------------------------------------

def _params_project(tmp_path) -> Project:
    proj = Project(tmp_path / "p")
    shutil.copytree(ROOT / "params", proj.params)
    return proj


def test_unknown_key_or_wrong_type_in_the_params_of_the_edition_asked_for(tmp_path):
    proj = _params_project(tmp_path)
    p = proj.params / "editions" / "bengtsfors.yml"
    p.write_text(p.read_text(encoding="utf-8") + "kommun: Bengtsfors\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        editions(proj, ["bengtsfors"])
    assert [str(x) for x in exc.value.problems] == [
        "params/editions/bengtsfors.yml:7:kommun: unknown parameter 'kommun' (expected only edition, region, code, name, "
        "is_region)"]
    p.write_text("edition: bengtsfors\nregion: fyrbodal\ncode: 1460\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"bengtsfors.yml:3:code: code is a number"):
        editions(proj, ["bengtsfors"])


def test_broken_params_of_another_edition_do_not_stop_the_one_asked_for(tmp_path):
    proj = _params_project(tmp_path)
    (proj.params / "editions" / "tanum.yml").write_text("edition: [tanum\n", encoding="utf-8")
    (proj.params / "editions" / "orust.yml").write_text("edition: orust\nregion: fyrbodal\ncode: '1421'\nfoo: 1\n", encoding="utf-8")
    notes: list[str] = []
    eds = editions(proj, ["bengtsfors"], notes)
    assert "bengtsfors" in eds and "tanum" not in eds and "orust" not in eds
    assert len(notes) == 2 and all("is broken and was skipped" in n for n in notes)
    assert any("params/editions/tanum.yml:2:" in n for n in notes)
    with pytest.raises(ValidationFailed, match="tanum.yml"):
        editions(proj, ["tanum"])


def test_processed_files_are_checked_against_the_manifest(prepared_copy, capsys):
    check_processed(prepared_copy)
    pq = prepared_copy.processed / "population.parquet"
    pq.write_bytes(pq.read_bytes() + b"x")
    with pytest.raises(ValidationFailed, match=r"data/processed/population.parquet:-:-: sha256 is \w+… but "
                                               r"data/processed/manifest.json records"):
        check_processed(prepared_copy)
    (prepared_copy.processed / "facts.parquet").unlink()
    with pytest.raises(ValidationFailed, match=r"facts.parquet:-:-: is listed in the manifest but missing"):
        check_processed(prepared_copy)


def test_build_names_a_truncated_manifest_and_a_changed_table(prepared_copy, capsys):
    shutil.copytree(ROOT / "notebooks", prepared_copy.root / "notebooks")
    pq = prepared_copy.processed / "facts.parquet"
    pq.write_bytes(pq.read_bytes()[:-10])
    assert main(["build", "--edition", "bengtsfors", "--root", str(prepared_copy.root)]) == 2
    assert "data/processed/facts.parquet:-:-: sha256 is" in capsys.readouterr().err
    m = prepared_copy.processed / "manifest.json"
    m.write_bytes(m.read_bytes()[:300])
    assert main(["build", "--edition", "bengtsfors", "--root", str(prepared_copy.root)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"data/processed/manifest.json:\d+:\d+: JSON syntax error: .*truncated\?", err), err
    assert not (prepared_copy.root / "reports").exists()  # nothing in reports/ touched
    assert main(["tables", "--root", str(prepared_copy.root)]) == 2
    assert re.search(r"data/processed/manifest.json:\d+:\d+: JSON syntax error", capsys.readouterr().err)


def test_validate_a_folder(tmp_path, capsys):
    assert main(["validate", str(tmp_path), "--table", "ledger", "--root", str(ROOT)]) == 2
    assert capsys.readouterr().err == f"fyrbodal: {tmp_path}: is a folder, not a file\n"


# --- locks, killed runs ---------------------------------------------------------------------------

def test_second_holder_of_the_checkout_lock_is_refused(tmp_path):
    lock = tmp_path / "reports" / ".build.lock"
    with checkout_lock(lock, "build"):
        with pytest.raises(Busy, match=rf"another build is running on this checkout \(pid {os.getpid()}, started"):
            with checkout_lock(lock, "build"):
                pass
    with checkout_lock(lock, "build"):  # released on exit
        pass


def test_lock_of_a_killed_holder_is_free_and_a_held_lock_refuses_the_cli(prepared_copy, capsys):
    lock = prepared_copy.root / "reports" / ".build.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from fyrbodal_analysis.publish.build import checkout_lock
        with checkout_lock(Path({str(lock)!r}), "build"):
            print("held", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    shutil.copytree(ROOT / "notebooks", prepared_copy.root / "notebooks")
    assert main(["build", "--edition", "bengtsfors", "--root", str(prepared_copy.root)]) == 3
    assert f"another build is running on this checkout (pid {holder.pid}" in capsys.readouterr().err
    holder.kill()
    holder.wait()
    with checkout_lock(lock, "build"):
        pass


WORKER = '''
import os, sys, time, concurrent.futures as cf, multiprocessing as mp
from fyrbodal_analysis.publish.build import die_with_parent

def task(path):
    time.sleep(4)
    open(path, "w").write("published")
    return os.getpid()

if __name__ == "__main__":
    with cf.ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"), initializer=die_with_parent,
                                initargs=(os.getpid(),)) as pool:
        fut = pool.submit(task, sys.argv[1])
        print("worker", list(pool._processes)[0], flush=True)
        fut.result()
'''


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_workers_die_with_the_main_process(tmp_path):
    script = tmp_path / "main.py"
    script.write_text(WORKER, encoding="utf-8")
    marker = tmp_path / "published"
    main_ = subprocess.Popen([sys.executable, str(script), str(marker)], stdout=subprocess.PIPE, text=True)
    line = main_.stdout.readline()
    assert line.startswith("worker"), line
    worker = int(line.split()[1])
    time.sleep(1)
    os.kill(main_.pid, signal.SIGKILL)  # only the main process, as a user's `kill -9` would
    main_.wait()

    def gone():
        try:
            return "Z" in Path(f"/proc/{worker}/stat").read_text().split(")")[1][:3]
        except FileNotFoundError:
            return True
    deadline = time.time() + 5  # a surviving worker publishes 4 s after it started
    while not gone() and time.time() < deadline:
        time.sleep(0.1)
    gone = gone()
    assert not marker.exists(), "a worker published after the main process died"
    if not gone:
        os.kill(worker, signal.SIGKILL)
    assert gone, "the worker outlived the main process"


def test_disk_full_or_no_permission_is_a_clear_message(prepared_copy, capsys, monkeypatch):
    import fyrbodal_analysis.clean.pipeline as pipeline

    def full(*a, **k):
        raise OSError(28, "No space left on device", "data/.processed-x/ledger.parquet")
    monkeypatch.setattr(pipeline, "prepare", full)
    assert main(["prepare", "--root", str(prepared_copy.root)]) == 1
    err = capsys.readouterr().err
    assert err == ("fyrbodal: No space left on device (data/.processed-x/ledger.parquet); nothing half-written was "
                   "published\n")


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d))
    out, stack = set(), [pid]
    while stack:
        for c in children.get(stack.pop(), []):
            out.add(c)
            stack.append(c)
    return out


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.integration  # a real build: worker process and papermill kernel
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_killing_only_the_build_main_process_stops_workers_and_kernels(prepared_copy):
    """The issue's case: `kill -9` of the main process alone; nothing may publish afterwards."""
    shutil.copytree(ROOT / "notebooks", prepared_copy.root / "notebooks")
    reports = prepared_copy.root / "reports"
    cmd = [sys.executable, "-m", "fyrbodal_analysis.publish.cli", "build", "--edition", "bengtsfors", "--jobs", "1",
           "--root", str(prepared_copy.root)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert "started" in proc.stdout.readline() + proc.stdout.readline()
    def kernel_running():
        return any(b"ipykernel" in _cmdline(p) for p in _descendants(proc.pid))
    deadline = time.time() + 180
    while time.time() < deadline and not kernel_running():  # the worker is executing the notebook
        time.sleep(0.5)
    family = _descendants(proc.pid)
    assert kernel_running(), "no worker and kernel to test with"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(5)
    survivors = [p for p in family if _alive(p)]
    for p in survivors:
        os.kill(p, signal.SIGKILL)
    assert survivors == [], "workers or kernels outlived the build's main process"
    time.sleep(2)
    assert not (reports / "bengtsfors").exists(), "an edition was published after the main process died"


def test_prepare_cleans_leftovers_of_a_killed_run(prepared_copy, capsys):
    stale = prepared_copy.processed.parent / ".processed-killed"
    (stale / "x").mkdir(parents=True)
    assert main(["prepare", "--root", str(prepared_copy.root)]) == 0
    assert not stale.exists()
