"""Bad input gets a clear error and loses nothing.

Each case breaks one raw file in a prepared copy of the project, runs the CLI
and checks: exit code 2, one `file:line:column: message` line per problem, no
traceback, and data/processed/ byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import yaml

from fyrbodal_analysis.publish.cli import main
from fyrbodal_analysis.raw.sources import sha256

LINE = re.compile(r"^[^:\s]+:(\d+|-):[^:]*: .+")


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def edit(project, rel, change, *, reregister=True, binary=False):
    """Change a raw file; by default also record its new sha256 (as `register` would without validating),
    so that the content checks, not the hash check, are what fails."""
    path = project.raw / rel
    if binary:
        path.write_bytes(change(path.read_bytes()))
    else:
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    if reregister:
        doc = yaml.safe_load(project.sources_file.read_text(encoding="utf-8"))
        doc["files"][rel]["sha256"] = sha256(path)
        project.sources_file.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_prepare(project, capsys):
    before = snapshot(project.processed)
    raw_before = snapshot(project.raw / "report")
    code = main(["prepare", "--root", str(project.root)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert snapshot(project.processed) == before, "data/processed/ changed after a failed run"
    assert snapshot(project.raw / "report") == raw_before, "prepare modified raw data"
    problems = [l for l in err.splitlines() if LINE.match(l)]
    assert problems, err
    return "\n".join(problems)


F7 = "report/figur07_population_forecast.csv"
F9 = "report/figur09_dimios_areas.csv"
F33 = "report/figur33_participation.csv"
FACTS = "report/facts.csv"
BUDGET = "report/avsnitt6_pilot_budget_lines.csv"


def test_decimal_comma_rejected_where_plain_number_required(prepared_copy, capsys):
    edit(prepared_copy, FACTS, lambda t: t.replace(",=,1.2,pct,", ',=,"1,2",pct,'))
    out = run_prepare(prepared_copy, capsys)
    assert re.search(r"data/raw/report/facts.csv:25:value: '1,2' uses a decimal comma; the file declares a decimal point", out)


def test_space_thousands_rejected_where_plain_number_required(prepared_copy, capsys):
    edit(prepared_copy, BUDGET, lambda t: t.replace(",1500,1500,", ",1 500,1500,"))
    out = run_prepare(prepared_copy, capsys)
    assert re.search(r"avsnitt6_pilot_budget_lines.csv:\d+:cost_tkr_min: '1 500' contains a space; "
                     r"the file declares no thousands separator", out)


def test_swedish_format_parsed_where_declared(prepared_copy, capsys):
    """No-break spaces and a space before % are fine in a file declaring Swedish numbers."""
    edit(prepared_copy, F7, lambda t: t.replace("9 800", "9\u00a0800").replace("-12,2%", "-12,2 %"))
    assert main(["prepare", "--root", str(prepared_copy.root)]) == 0
    import fyrbodal_analysis as fa
    fig = fa.load("figur07", prepared_copy)
    assert fig.loc[fig["municipality_name"] == "Bengtsfors", "population_2019"].item() == 9800


def test_bom_where_not_declared(prepared_copy, capsys):
    edit(prepared_copy, F9, lambda b: b"\xef\xbb\xbf" + b, binary=True)
    out = run_prepare(prepared_copy, capsys)
    assert "figur09_dimios_areas.csv:1:-: file starts with a UTF-8 byte-order mark (BOM)" in out


def test_latin1_instead_of_utf8(prepared_copy, capsys):
    edit(prepared_copy, F7, lambda b: b.decode("utf-8").encode("latin-1"), binary=True)
    out = run_prepare(prepared_copy, capsys)
    assert re.search(r"figur07_population_forecast.csv:4:-: byte 0xe4 at character 2 is not valid UTF-8; "
                     r"the file looks like Latin-1", out)


def test_wrong_separator(prepared_copy, capsys):
    edit(prepared_copy, F33, lambda t: t.replace(",", ";"))
    out = run_prepare(prepared_copy, capsys)
    assert "figur33_participation.csv:1:-: the header is one column that contains ';'" in out


def test_renamed_column(prepared_copy, capsys):
    edit(prepared_copy, F7, lambda t: t.replace("population_2030", "befolkning_2030", 1))
    out = run_prepare(prepared_copy, capsys)
    assert "figur07_population_forecast.csv:1:population_2030: column is missing; is 'befolkning_2030' this column renamed?" in out
    assert "figur07_population_forecast.csv:1:befolkning_2030: unexpected column" in out


def test_missing_column(prepared_copy, capsys):
    edit(prepared_copy, F9, lambda t: "\n".join(l.rsplit(";", 1)[0] for l in t.splitlines()) + "\n")
    out = run_prepare(prepared_copy, capsys)
    assert "figur09_dimios_areas.csv:1:mean_value: column is missing" in out


def test_unknown_municipality_name(prepared_copy, capsys):
    edit(prepared_copy, F7, lambda t: t.replace("Bengtsfors;", "Bengtsfros;"))
    out = run_prepare(prepared_copy, capsys)
    assert ("figur07_population_forecast.csv:2:municipality: unknown municipality name 'Bengtsfros' "
            "(did you mean 'Bengtsfors'?)") in out


def test_municipality_outside_region(prepared_copy, capsys):
    edit(prepared_copy, F33, lambda t: t.replace("Bengtsfors,", "Göteborg,"))
    out = run_prepare(prepared_copy, capsys)
    assert "figur33_participation.csv:2:municipality: 'Göteborg' is not a municipality of Fyrbodal" in out


def test_duplicated_key(prepared_copy, capsys):
    edit(prepared_copy, F33, lambda t: t + "Bengtsfors,3,4,3,3,2,2,4,5\n")
    out = run_prepare(prepared_copy, capsys)
    assert "figur33_participation.csv:2:municipality: duplicated key (municipality=Bengtsfors), also on line 16" in out
    assert "figur33_participation.csv:16:municipality: duplicated key" in out


def test_percentage_outside_0_100(prepared_copy, capsys):
    edit(prepared_copy, FACTS, lambda t: t.replace("infosec_ciso_recommended_time_pct,infosec,Figur 12,3.3.2,=,44,",
                                                   "infosec_ciso_recommended_time_pct,infosec,Figur 12,3.3.2,=,144,"))
    out = run_prepare(prepared_copy, capsys)
    assert re.search(r"data/raw/report/facts.csv:\d+:value: 144 is a percentage outside 0–100", out)


def test_negative_population(prepared_copy, capsys):
    edit(prepared_copy, F7, lambda t: t.replace("Bengtsfors;9 800;8 600", "Bengtsfors;9 800;-8 600"))
    out = run_prepare(prepared_copy, capsys)
    assert "figur07_population_forecast.csv:2:population_2030: -8600 is below the minimum 0 (expected a whole number of at least 0)" in out


def test_inconsistent_sums_are_rejected(prepared_copy, capsys):
    edit(prepared_copy, "report/bilaga4_infosec_degree.csv", lambda t: t.replace("klassning,Är fullt infört,3", "klassning,Är fullt infört,4"))
    out = run_prepare(prepared_copy, capsys)
    assert "bilaga4_infosec_questions.csv:2:yes_n: the degree counts add up to 7, not 6" in out


def test_changed_file_without_registering(prepared_copy, capsys):
    edit(prepared_copy, F7, lambda t: t.replace("Dals-Ed;4 800", "Dals-Ed;4 900"), reregister=False)
    out = run_prepare(prepared_copy, capsys)
    assert re.search(r"figur07_population_forecast.csv:-:-: sha256 is \w+… but sources.yml records \w+…: the file changed "
                     r"since it was registered \(expected the registered file, or run `fyrbodal register", out)


def test_unregistered_file(prepared_copy, capsys):
    (prepared_copy.raw / "report" / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    out = run_prepare(prepared_copy, capsys)
    assert "data/raw/report/extra.csv:-:-: file is not registered in data/raw/sources.yml" in out


def test_all_problems_reported_at_once(prepared_copy, capsys):
    edit(prepared_copy, F7, lambda t: t.replace("Bengtsfors;", "Bengtsfros;").replace("Tanum;12 800", "Tanum;12,8"))
    edit(prepared_copy, F33, lambda t: t + "Bengtsfors,3,4,3,3,2,2,4,5\n")
    out = run_prepare(prepared_copy, capsys)
    assert "Bengtsfros" in out and "'12,8' is not a whole number" in out and "duplicated key" in out


# --- microdata files checked with `fyrbodal validate --table` ---------------------------------

ANSWERS = "respondent_id,municipality_code,role,statement_id,answer,survey_year\n"


def validate(project, tmp_path, text, capsys, table="dimios_answers"):
    f = tmp_path / "answers.csv"
    f.write_text(text, encoding="utf-8")
    code = main(["validate", str(f), "--table", table, "--root", str(project.root)])
    return code, capsys.readouterr()


def test_likert_answer_outside_scale(prepared, tmp_path, capsys):
    code, out = validate(prepared, tmp_path, ANSWERS + "r1,1460,IT-chef,1,4,2020\nr1,1460,IT-chef,2,7,2020\n"
                                                      "r1,1460,IT-chef,3,vet ej,2020\n", capsys)
    assert code == 2
    assert "answers.csv:3:answer: '7' is outside the answer scale (expected an answer 1–6 or \"vet ej\")" in out.err


def test_same_respondent_twice(prepared, tmp_path, capsys):
    code, out = validate(prepared, tmp_path, ANSWERS + "r1,1460,IT-chef,1,4,2020\nr1,1460,IT-chef,1,5,2020\n", capsys)
    assert code == 2
    assert "answers.csv:2:respondent_id,statement_id,survey_year: duplicated key (respondent_id=r1, statement_id=1, " \
           "survey_year=2020), also on line 3" in out.err


def test_unknown_municipality_code(prepared, tmp_path, capsys):
    code, out = validate(prepared, tmp_path, ANSWERS + "r1,9999,IT-chef,1,4,2020\nr2,0180,IT-chef,1,4,2020\n"
                                                      "r3,146,IT-chef,1,4,2020\n", capsys)
    assert code == 2
    assert "answers.csv:2:municipality_code: unknown municipality code '9999'" in out.err
    assert "answers.csv:3:municipality_code: municipality code '0180' is not in region Fyrbodal" in out.err
    assert "answers.csv:4:municipality_code: municipality code '146' is not 4 digits" in out.err


def test_valid_microdata_file_passes(prepared, tmp_path, capsys):
    code, out = validate(prepared, tmp_path, ANSWERS + "r1,1460,IT-chef,1,4,2020\n", capsys)
    assert code == 0 and "ok" in out.out


# --- register ---------------------------------------------------------------------------------

def test_register_refuses_invalid_file_and_records_nothing(prepared_copy, tmp_path, capsys):
    before = prepared_copy.sources_file.read_bytes()
    bad = tmp_path / "new_facts.csv"
    bad.write_text((prepared_copy.raw / FACTS).read_text(encoding="utf-8").replace(",=,44,", ",=,144,"), encoding="utf-8")
    code = main(["register", str(bad), "--table", "facts", "--tier", "published", "--dest", "report/new_facts.csv",
                 "--root", str(prepared_copy.root)])
    assert code == 2
    assert prepared_copy.sources_file.read_bytes() == before
    assert not (prepared_copy.raw / "report" / "new_facts.csv").exists()


def test_register_accepts_an_edited_file(prepared_copy, capsys):
    edit(prepared_copy, F7, lambda t: t.replace("Dals-Ed;4 800;4 700;-100;-2,1%", "Dals-Ed;4 800;4 700;-100;-2,1%"),
         reregister=False)
    path = prepared_copy.raw / F7
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a harmless change
    assert main(["prepare", "--root", str(prepared_copy.root)]) == 2
    capsys.readouterr()
    assert main(["register", str(path), "--root", str(prepared_copy.root)]) == 0
    doc = yaml.safe_load(prepared_copy.sources_file.read_text(encoding="utf-8"))
    assert doc["files"][F7]["sha256"] == sha256(path)
    assert doc["files"][F7]["origin"]["figure"] == "Figur 7"  # provenance kept
    assert main(["prepare", "--root", str(prepared_copy.root)]) == 0


def test_console_script_exit_code_and_no_traceback(prepared_copy):
    edit(prepared_copy, F7, lambda t: t.replace("Bengtsfors;", "Bengtsfros;"))
    r = subprocess.run([sys.executable, "-m", "fyrbodal_analysis.publish.cli", "prepare", "--root", str(prepared_copy.root)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "unknown municipality name 'Bengtsfros'" in r.stderr
    r = subprocess.run([sys.executable, "-m", "fyrbodal_analysis.publish.cli", "--debug", "validate", "/nonexistent.csv"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "no such file" in r.stderr
