"""An edition is one parameter; any region end to end: the default region, region files generated
from the shipped map, region folders, the resolution rules and "no data for this region" items."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml

from fyrbodal_analysis.core.errors import ValidationFailed
from fyrbodal_analysis.core.paths import Project
from fyrbodal_analysis.core.registry import default_region, find_region, load_registry
from fyrbodal_analysis.report.edition import _resolve_edition
from tests.conftest import ROOT, copy_project

VG = "vastra-gotaland"


def _script():
    spec = importlib.util.spec_from_file_location("make_region", ROOT / "scripts" / "make_region.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _params_only(tmp_path: Path) -> Project:
    """A project with only params/ and the map the registry checks names against (fast)."""
    import shutil
    shutil.copytree(ROOT / "params", tmp_path / "params")
    (tmp_path / "data" / "raw" / "public").mkdir(parents=True)
    shutil.copy(ROOT / "data/raw/public/sweden_municipalities_okfse.geojson", tmp_path / "data/raw/public/")
    return Project(tmp_path)


# --- the default region ---------------------------------------------------------------------------

def test_default_region_is_declared_in_params(tmp_path):
    project = _params_only(tmp_path)
    assert default_region(project) == "fyrbodal"
    assert load_registry(project).region_code == "fyrbodal" and load_registry(project).default
    assert not load_registry(project, VG).default


def test_two_defaults_or_none_is_an_error_at_the_line(tmp_path):
    project = _params_only(tmp_path)
    vg = project.params / "regions" / f"{VG}.yml"
    vg.write_text(vg.read_text(encoding="utf-8") + "default: true\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        default_region(project)
    shown = [str(p) for p in exc.value.problems]
    assert any(s.startswith(f"params/regions/{VG}.yml:") for s in shown), shown
    assert any(s.startswith("params/regions/fyrbodal.yml:") and "marked default" in s for s in shown), shown
    fy = project.params / "regions" / "fyrbodal.yml"
    fy.write_text(fy.read_text(encoding="utf-8").replace("default: true", "default: false"), encoding="utf-8")
    vg.write_text(vg.read_text(encoding="utf-8").replace("default: true", "default: false"), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="none says default: true"):
        default_region(project)
    for other in (project.params / "regions").glob("*.yml"):
        if other.stem != VG:
            other.unlink()
    assert default_region(project) == VG  # the only region file needs no mark


def test_region_found_by_code_or_name_in_any_case(tmp_path):
    project = _params_only(tmp_path)
    for text in ("vastra-gotaland", "Västra Götaland", "VÄSTRA GÖTALAND", " västra götaland "):
        assert find_region(text, project) == VG
    assert find_region("fyrbodals kommunalförbund", project) == "fyrbodal"
    assert find_region("Bengtsfors", project) is None
    assert load_registry(project, "Västra Götaland").region_code == VG


# --- region files generated from the shipped data -------------------------------------------------

def test_region_files_are_generated_not_typed():
    """The committed region files equal what scripts/make_region.py writes from the shipped map."""
    mr = _script()
    for code, name, county, n in ((VG, "Västra Götaland", "14", 49), ("sverige", "Sverige", None, 290)):
        committed = yaml.safe_load((ROOT / "params" / "regions" / f"{code}.yml").read_text(encoding="utf-8"))
        assert committed == mr.region(code, name, county, mr.PUBLIC), code
        assert len(committed["municipalities"]) == n
    vg = yaml.safe_load((ROOT / "params" / "regions" / f"{VG}.yml").read_text(encoding="utf-8"))
    assert all(m["code"].startswith("14") for m in vg["municipalities"])


def test_colliding_ascii_names_get_distinct_slugs():
    mr = _script()
    assert mr.slugs(["Habo", "Håbo", "Åmål", "Dals-Ed", "Upplands Väsby"]) == {
        "Habo": "habo", "Håbo": "haabo", "Åmål": "amal", "Dals-Ed": "dals-ed", "Upplands Väsby": "upplands-vasby"}
    sweden = yaml.safe_load((ROOT / "params" / "regions" / "sverige.yml").read_text(encoding="utf-8"))
    slugs = [m["slug"] for m in sweden["municipalities"]]
    assert len(set(slugs)) == 290


def test_registry_refuses_a_duplicate_slug_at_its_line(tmp_path):
    project = _params_only(tmp_path)
    path = project.params / "regions" / "sverige.yml"
    text = path.read_text(encoding="utf-8").replace("slug: haabo", "slug: habo")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "Håbo" in t)
    with pytest.raises(ValidationFailed) as exc:
        load_registry(project, "sverige")
    shown = [str(p) for p in exc.value.problems]
    assert any(s.startswith(f"params/regions/sverige.yml:{line}:") and "'habo'" in s for s in shown), shown


# --- one parameter: resolution rules -------------------------------------------------------------

def test_edition_text_resolves_in_any_case(tmp_path):
    reg = load_registry(_params_only(tmp_path))
    for text in ("1460", "bengtsfors", "Bengtsfors", "BENGTSFORS", " bengtsfors "):
        assert _resolve_edition(reg, text) == "1460"
    for text in (None, "", "fyrbodal", "FYRBODAL", "Fyrbodal"):
        assert _resolve_edition(reg, text) == "fyrbodal"
    with pytest.raises(KeyError, match="unknown edition 'göteborg'"):
        _resolve_edition(reg, "göteborg")


def test_edition_params_hold_one_papermill_value(tmp_path):
    from fyrbodal_analysis.publish.params import edition_params
    project = _params_only(tmp_path)
    own = edition_params(project)
    assert own["bengtsfors"] == {"edition": "bengtsfors", "region": "fyrbodal", "code": "1460", "name": "Bengtsfors",
                                 "is_region": False}
    assert own["fyrbodal"]["is_region"] and own["fyrbodal"]["edition"] == "fyrbodal"
    vg = edition_params(project, VG)
    assert len(vg) == 50 and vg["bengtsfors"]["edition"] == f"{VG}/bengtsfors"


def test_region_folders():
    p = Project(Path("/x"))
    assert p.processed == Path("/x/data/processed") and p.reports == Path("/x/reports")
    assert p.editions == Path("/x/params/editions")
    q = p.for_region(VG)
    assert q.processed == Path(f"/x/data/processed-{VG}") and q.reports == Path(f"/x/reports/{VG}")
    assert q.editions == Path(f"/x/params/editions/{VG}")


def test_committed_params_of_every_region_are_up_to_date(tmp_path):
    from fyrbodal_analysis.publish.params import write_edition_params
    project = _params_only(tmp_path)
    for region in ("fyrbodal", VG, "sverige"):
        reg = load_registry(project, region)
        folder = reg.project(Project(ROOT)).editions
        committed = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yml")}
        written = {p.name: p.read_text(encoding="utf-8") for p in write_edition_params(project, region)}
        assert committed == written, region


# --- nothing in code names the region --------------------------------------------------------------

#: the package, its command and MIME names, the report's title, and the id of a fact the report prints
ALLOWED = re.compile(r"fyrbodal_analysis|fyrbodal-analysis|FYRBODAL_[A-Z_]+|Digital motor Fyrbodal|\bfyrbodal[ `]"
                     r"(prepare|build|params|fetch|synth|validate|register|tables|distribute)\b|`fyrbodal`|prog=\"fyrbodal\""
                     r"|\"fyrbodal(:| fetch:) |\(fyrbodal|fyrbodal:\{|vnd\.fyrbodal\.|dimios_fyrbodal_mean_pct", re.I)


def test_no_region_name_in_code():
    """Only the package and command names and the report's title say Fyrbodal in the library."""
    found = []
    for path in sorted((ROOT / "src").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = ALLOWED.sub("", line)
            if "fyrbodal" in rest.lower():
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


# --- a second region: prepare, editions and items without data -----------------------------------------

@pytest.fixture(scope="module")
def vg(tmp_path_factory) -> Project:
    from fyrbodal_analysis.clean.pipeline import prepare
    project = copy_project(tmp_path_factory.mktemp("vg") / "proj")
    prepare(project, VG)
    return project


def test_prepare_region_writes_its_own_folder_with_its_datasets(vg):
    assert not (vg.root / "data" / "processed").exists()  # the default region's folder is not touched
    folder = vg.root / "data" / f"processed-{VG}"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["region"] == VG
    assert set(manifest["tables"]) == {"population", "population_by_age", "population_projection"}
    assert {Path(p).name for t in manifest["tables"].values() for p in t["inputs"]} == {
        "scb_folkmangd_kommun_1950_2019_odectra.csv"}
    import fyrbodal_analysis as fa
    pop = fa.load("population", vg.for_region(VG))
    assert pop["municipality_code"].nunique() == 49


def test_edition_of_another_region(vg):
    import fyrbodal_analysis as fa
    ed = fa.edition(f"{VG}/Uddevalla", vg)
    assert (ed.code, ed.region, ed.project.processed.name) == ("1485", "Västra Götaland", f"processed-{VG}")
    assert fa.edition("Västra Götaland", vg).is_region  # another region's name names its region edition
    assert fa.edition("uddevalla", vg, region=VG).code == "1485"
    with pytest.raises(FileNotFoundError):
        fa.edition("uddevalla", vg)  # the default region was not prepared in this copy


def test_items_without_data_say_so_in_swedish(vg):
    import fyrbodal_analysis as fa
    from fyrbodal_analysis.report import demography, surveys
    ed = fa.edition(f"{VG}/uddevalla", vg)
    it = surveys.figur_20(ed)
    assert it.notes[0].startswith("Uppgiften finns inte för Västra Götaland:"), it.notes
    trend = demography.trend(ed)  # public data: built for the region's 49 municipalities
    assert trend.figure is not None and "Västra Götaland" in trend.alt


@pytest.mark.integration
def test_second_region_end_to_end(tmp_path, capsys):
    """`fyrbodal prepare/build --region vastra-gotaland`: its region edition and two municipality editions, in
    folders of their own, with the region's name on the pages and "no data" items instead of failures."""
    import shutil

    from fyrbodal_analysis.publish.cli import main
    project = copy_project(tmp_path / "proj")
    shutil.copytree(ROOT / "notebooks", project.root / "notebooks")
    root = ["--root", str(project.root)]
    assert main(["prepare", "--region", "Västra Götaland", *root]) == 0
    assert main(["build", "--region", VG, "--edition", VG, "--edition", "uddevalla", "--edition", "goteborg",
                 "--jobs", "2", *root]) == 0
    assert not (project.root / "data" / "processed").exists() and not (project.root / "reports" / "uddevalla").exists()
    reports = project.root / "reports" / VG
    for slug in (VG, "uddevalla", "goteborg"):
        nb = json.loads((reports / slug / f"{slug}.ipynb").read_text(encoding="utf-8"))
        assert nb["metadata"]["papermill"]["parameters"] == {"edition": slug if slug == VG else f"{VG}/{slug}"}
        assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    page = (reports / "uddevalla" / "index.html").read_text(encoding="utf-8")
    assert "jämförd med Västra Götaland" in page and "Uppgiften finns inte för Västra Götaland:" in page
    assert "Befolkningsutveckling" in page  # the public population items are built for the region
    assert page.replace("Digital motor Fyrbodal", "").count("Fyrbodal") == 0
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "Göteborg" in index and "Uddevalla" in index


# --- the national names are parsed once per content ---------------------------------------------------

def test_national_names_follow_the_geojson_content_not_its_path(tmp_path):
    """The parsed GeoJSON is kept by the hash of its bytes: an edited file is read again, a broken one is reported
    again (never served from an earlier good parse), and a caller changing its dict changes no one else's."""
    from fyrbodal_analysis.core import registry

    geo = tmp_path / "sweden.geojson"

    def write(*names):
        geo.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"kom_namn": n, "id": f"{i:04d}"}, "geometry": None}
            for i, n in enumerate(names, 1)]}), encoding="utf-8")

    write("Ort", "By")
    for _ in range(2):  # parsed, then from the cache
        names = registry._national_names(geo, "sweden.geojson")
        assert names == {"Ort": "0001", "By": "0002"}
        names["Ort"] = "9999"
    write("Ort", "Stad")
    assert registry._national_names(geo, "sweden.geojson") == {"Ort": "0001", "Stad": "0002"}
    geo.write_text(geo.read_text(encoding="utf-8")[:40], encoding="utf-8")
    with pytest.raises(ValidationFailed, match="JSON syntax error"):
        registry._national_names(geo, "sweden.geojson")
    write("Ort", "By")  # the first content again: served from the cache, the same answer
    assert registry._national_names(geo, "sweden.geojson") == {"Ort": "0001", "By": "0002"}
