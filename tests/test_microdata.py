"""The demo set is deterministic and registered; real (private) files drop in per dataset."""

from __future__ import annotations

import contextlib
import io
import shutil

import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.clean.pipeline import microdata_specs
from fyrbodal_analysis.core.paths import Project
from fyrbodal_analysis.demo.synth import generate, to_csv_bytes
from fyrbodal_analysis.publish.cli import main
from fyrbodal_analysis.raw.sources import load_sources

SPECS = microdata_specs()


@pytest.fixture(scope="module")
def seed_2021(prepared):
    return generate(prepared, 2021)


def test_same_seed_same_bytes(prepared, seed_2021):
    a, b = seed_2021, generate(prepared, 2021)
    for name, spec in SPECS.items():
        assert to_csv_bytes(a[name], spec.columns) == to_csv_bytes(b[name], spec.columns), name


def test_committed_demo_set_is_seed_2021(prepared, seed_2021):
    data = seed_2021
    for name, spec in SPECS.items():
        assert (prepared.raw / "demo" / f"{name}.csv").read_bytes() == to_csv_bytes(data[name], spec.columns), name


def test_every_demo_file_registered_as_demo(prepared):
    src = load_sources(prepared)
    for name in SPECS:
        e = src[f"demo/{name}.csv"]
        assert e.tier == "demo" and e.table == name and e.origin["seed"] == 2021


def test_another_seed_is_also_calibrated(project, capsys):
    """A different seed gives different data that still meets the published aggregates."""
    assert main(["synth", "--seed", "7", "--root", str(project.root)]) == 0
    assert main(["prepare", "--root", str(project.root)]) == 0
    capsys.readouterr()
    s = fa.load("dimios_scores", project)
    areas = fa.load("dimios_areas", project).set_index("dimios_area_id")
    from fyrbodal_analysis.core.formatting import round_half_up as rhu
    for a, g in s.groupby("dimios_area_id"):
        assert (rhu(g["score"].min(), 1), rhu(g["score"].max(), 1), rhu(g["score"].mean(), 1)) == \
            tuple(areas.loc[a, ["min_value", "max_value", "mean_value"]])
    summary = fa.load("capability_summary", project)
    assert (summary["n_level4"] > 0).sum() == 36
    other = (project.raw / "demo" / "ledger.csv").read_bytes()
    from tests.conftest import ROOT
    assert other != (ROOT / "data" / "raw" / "demo" / "ledger.csv").read_bytes()


PRIVATE_BROADBAND = "municipality_code,year,area_type,households_pct,workplaces_pct\n" + "".join(
    f"{c},2019,totalt,{90 + i * 0.5},{88 + i * 0.5}\n" for i, c in enumerate(
        ["1421", "1427", "1430", "1435", "1438", "1439", "1460", "1461", "1484", "1485", "1486", "1487", "1488", "1492"]))


@pytest.fixture(scope="module")
def private_broadband(prepared, tmp_path_factory):
    """A prepared copy with a private broadband_pts.csv registered and prepared (once; read-only for its tests)."""
    proj = Project(tmp_path_factory.mktemp("private") / "proj")
    shutil.copytree(prepared.root, proj.root)
    f = proj.root.parent / "broadband_pts.csv"
    f.write_text(PRIVATE_BROADBAND, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["register", str(f), "--table", "broadband_pts", "--tier", "private", "--root", str(proj.root)]) == 0
        assert main(["prepare", "--root", str(proj.root)]) == 0
    return proj, err.getvalue()


def test_private_file_replaces_demo_for_that_dataset_only(prepared, private_broadband):
    prepared_copy, err = private_broadband
    before = fa.load("broadband", prepared)
    assert (prepared_copy.raw / "private" / "broadband_pts.csv").exists()
    assert (prepared_copy.raw / "private" / "sources.yml").exists()
    assert "private/" not in (prepared_copy.sources_file).read_text(encoding="utf-8")  # never in the committed file
    assert "demo/broadband_pts.csv is replaced by a private file" in err
    after = fa.load("broadband", prepared_copy)
    assert len(after) == 14 and not after.equals(before)
    man = fa.manifest(prepared_copy)
    assert man["tables"]["broadband"]["tiers"] == ["private"]
    assert "demo" in man["tables"]["dimios_scores"]["tiers"]  # other datasets keep their demo data
    assert all("private" not in t["tiers"] for n, t in man["tables"].items() if n != "broadband")
    assert "data/raw/private/broadband_pts.csv" in man["inputs"]


def test_bad_private_file_gets_clear_errors_and_is_not_taken_in(prepared_copy, tmp_path, capsys):
    f = tmp_path / "broadband_pts.csv"
    f.write_bytes(PRIVATE_BROADBAND.replace("1421,2019,totalt,90.0", "1421,2019,totalt,190.0")
                  .replace("1460,", "Bengtsfors,").encode("latin-1"))
    code = main(["register", str(f), "--table", "broadband_pts", "--tier", "private", "--root", str(prepared_copy.root)])
    err = capsys.readouterr().err
    assert code == 2
    assert "broadband_pts.csv:2:households_pct: 190 is outside the range 0–100" in err
    assert "broadband_pts.csv:8:municipality_code: municipality code 'Bengtsfors' is not 4 digits" in err
    assert not (prepared_copy.raw / "private" / "broadband_pts.csv").exists()


def test_unregistered_private_file_is_refused(prepared_copy, capsys):
    (prepared_copy.raw / "private").mkdir()
    (prepared_copy.raw / "private" / "ledger.csv").write_text("x\n", encoding="utf-8")
    assert main(["prepare", "--root", str(prepared_copy.root)]) == 2
    assert "data/raw/private/ledger.csv:-:-: file is not registered" in capsys.readouterr().err


def test_private_file_removes_the_demo_mark_for_that_dataset_only(prepared, private_broadband):
    from fyrbodal_analysis.report import broadband, dimios
    from fyrbodal_analysis.report.style import has_demo_mark
    ed = fa.edition("1460", prepared)
    assert has_demo_mark(broadband.figur_14(ed).figure)
    prepared_copy, _ = private_broadband
    ed = fa.edition("1460", prepared_copy)
    fig14, karta = broadband.figur_14(ed), broadband.karta(ed)
    assert not fig14.is_demo and not has_demo_mark(fig14.figure) and not has_demo_mark(karta.figure)
    assert "konfidentiella underlag" in fig14.source
    assert has_demo_mark(dimios.figur_11(ed).figure)  # Dimios is still demo data
    # the demo wording goes exactly where the dataset is used: source, sentences, export column
    from fyrbodal_analysis.report import summary
    from fyrbodal_analysis.report.items import DEMO_COLUMN
    for it in (fig14, karta):
        assert "PTS" in it.source and "demodata" not in " ".join([it.source, it.alt, *it.notes]).lower(), it.number
        assert DEMO_COLUMN not in it.export()["columns"], it.number
    assert "PTS bredbandskartläggning 2019" in fig14.source
    fig11, summary = dimios.figur_11(ed), summary.sammanfattning(ed)
    assert fig11.export()["columns"][-1] == DEMO_COLUMN and "Syntetiska demodata" in fig11.source
    assert any("(syntetiska demodata)" in n for n in fig11.notes + summary.notes)


def test_demo_source_line_names_no_real_producer(prepared):
    from fyrbodal_analysis.report import broadband, surveys
    ed = fa.edition("1460", prepared)
    fig14, karta, fig20 = broadband.figur_14(ed), broadband.karta(ed), surveys.figur_20(ed)
    assert fig14.source.startswith("Syntetiska demodata i PTS format") and "bredbandskartläggning" not in fig14.source
    assert karta.source.startswith("Syntetiska demodata i PTS format")
    assert fig20.source.startswith("Syntetiska demodata i förvaltningschefsenkätens format")
