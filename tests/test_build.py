"""The build: papermill end to end for the region and two municipalities, the HTML a director
opens, exports, caching, failure isolation, interruption, and a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from fyrbodal_analysis.build import build, check_parameters, edition_notebook, summary
from fyrbodal_analysis.cli import main
from fyrbodal_analysis.paths import Project
from fyrbodal_analysis.pipeline import prepare
from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.integration  # papermill kernels and Chromium: `make test` runs these, `make test-fast` does not

EDITIONS = ["fyrbodal", "bengtsfors", "trollhattan"]  # region, full participant, skipped steps


def with_notebooks(project: Project) -> Project:
    shutil.copytree(ROOT / "notebooks", project.root / "notebooks")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    proj = with_notebooks(copy_project(tmp_path_factory.mktemp("build") / "proj"))
    prepare(proj)
    results = build(proj, EDITIONS, jobs=2, progress=lambda m: None)
    text, code = summary(results)
    assert code == 0, text
    return proj


def page(built, slug) -> str:
    return (built.root / "reports" / slug / "index.html").read_text(encoding="utf-8")


# --- papermill end to end ----------------------------------------------------------------------

@pytest.mark.parametrize("slug", EDITIONS)
def test_edition_executed_and_published(built, slug):
    folder = built.root / "reports" / slug
    nb = json.loads((folder / f"{slug}.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"] == {"edition": slug}  # one parameter: the edition
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert json.loads((folder / "build.json").read_text(encoding="utf-8"))["status"] == "built"


def test_every_spec_item_in_every_edition(built):
    for slug in EDITIONS:
        html = page(built, slug)
        for n in ["Figur 1:", "Figur 7:", "Figur 9:", "Figur 11:", "Figur 19:", "Figur 25:", "Figur 33:", "Bilaga 4:", "Pilot 5:"]:
            assert n in html, (slug, n)
    assert "Trollhättan deltog inte i enkäterna" in page(built, "trollhattan")


# --- the HTML a director opens --------------------------------------------------------------

@pytest.mark.parametrize("slug", EDITIONS)
def test_html_is_self_contained_and_readable(built, slug):
    html = page(built, slug)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "<script" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert not re.search(r"https?://", html)
    svgs = re.findall(r"<svg [^>]*>", html)  # figures are inline SVG with real text, a title and a label
    assert svgs and all('role="img"' in s and re.search(r'aria-label="[^"]{10,}"', s) for s in svgs)
    assert "<img" not in html and html.count("<title id=") == len(svgs)
    for forbidden in ("In&nbsp;[", "In [", "injected-parameters", "municipality_code", "fa.edition(", "import fyrbodal"):
        assert forbidden not in html, forbidden
    assert 'name="viewport"' in html and "@page { size: A4" in html
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "data 2019" in title and ("Bengtsfors" in title or "Trollhättan" in title or "Fyrbodal" in title)
    assert len(html.encode()) < 1.5 * 1024 * 1024  # issue 11: each edition page under 1,5 MB
    assert 'class="toc"' in html


def test_index_lists_every_edition_with_status_and_hashes(built):
    html = (built.root / "reports" / "index.html").read_text(encoding="utf-8")
    for slug in EDITIONS:
        assert f'href="{slug}/index.html"' in html
    assert html.count("ej byggd") == 12  # editions not built in this test are listed too
    order = [html.index(f'href="{s}/index.html"') for s in ("fyrbodal", "bengtsfors", "trollhattan")]
    assert order == sorted(order)
    assert "manifest sha256" in html and "syntetiska demodata" in html
    assert "<script" not in html.lower() and '<html lang="sv">' in html


def test_tables_exported_for_swedish_excel(built):
    folder = built.root / "reports" / "bengtsfors" / "tables"
    csvs = sorted(folder.glob("*.csv"))
    assert len(csvs) > 30
    fig7 = next(p for p in csvs if p.name.startswith("figur-7-"))
    raw = fig7.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].count(";") >= 5 and "-12,2" in text
    sheets = pd.ExcelFile(folder / "bengtsfors.xlsx").sheet_names
    assert len(sheets) == len(csvs)


# --- caching, failures, interruption -----------------------------------------------------------

def test_noop_rebuild_is_cached(built):
    t0 = time.perf_counter()
    results = build(built, EDITIONS, progress=lambda m: None)
    assert [r.status for r in results] == ["cached"] * 3
    assert time.perf_counter() - t0 < 2


def test_changed_parameters_rebuild_only_that_edition(tmp_path, built):
    proj = Project(tmp_path / "p")
    shutil.copytree(built.root, proj.root)
    p = proj.params / "editions" / "bengtsfors.yml"
    p.write_text(p.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    results = {r.edition: r.status for r in build(proj, EDITIONS, jobs=1, progress=lambda m: None)}
    assert results == {"fyrbodal": "cached", "bengtsfors": "built", "trollhattan": "cached"}


def test_failing_edition_does_not_stop_the_others(tmp_path, built, capsys):
    proj = Project(tmp_path / "p")
    shutil.copytree(built.root, proj.root)
    before = (proj.root / "reports" / "bengtsfors" / "index.html").read_bytes()
    nb_path = proj.root / "notebooks" / "09_scenarier_och_piloter.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "boom", "metadata": {}, "outputs": [],
                        "source": 'assert edition != "bengtsfors", "provfel för Bengtsfors"'})
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    code = main(["build", "--edition", "bengtsfors", "--edition", "trollhattan", "--jobs", "2", "--root", str(proj.root)])
    out = capsys.readouterr()
    assert code == 1
    assert "1 of 2 failed" in out.err and "bengtsfors: cell" in out.err and "AssertionError: provfel för Bengtsfors" in out.err
    assert (proj.root / "reports" / ".failed" / "bengtsfors" / "bengtsfors.ipynb").exists()
    assert (proj.root / "reports" / "bengtsfors" / "index.html").read_bytes() == before  # the good edition stays
    assert json.loads((proj.root / "reports" / "trollhattan" / "build.json").read_text())["status"] == "built"
    assert "misslyckades senast" in (proj.root / "reports" / "index.html").read_text(encoding="utf-8")


def test_interrupted_build_leaves_published_editions_intact(tmp_path, built):
    proj = Project(tmp_path / "p")
    shutil.copytree(built.root, proj.root)
    snapshot = {p: p.read_bytes() for p in (proj.root / "reports").rglob("*") if p.is_file() and "/." not in str(p)}
    cmd = [sys.executable, "-m", "fyrbodal_analysis.cli", "build", "--edition", "fyrbodal", "--edition", "bengtsfors",
           "--force", "--jobs", "2", "--root", str(proj.root)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    time.sleep(6)  # workers are executing notebooks now
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for path, data in snapshot.items():
        assert path.exists() and path.read_bytes() == data, path
    for slug in EDITIONS:
        assert (proj.root / "reports" / slug / "index.html").exists()
    # the next run cleans the leftovers and publishes normally
    results = build(proj, ["trollhattan"], force=True, progress=lambda m: None)
    assert results[0].status == "built" and not list((proj.root / "reports").glob(".tmp-*"))


def test_unknown_parameter_is_a_clear_error(tmp_path, built):
    import nbformat
    path = tmp_path / "e.ipynb"
    nbformat.write(edition_notebook(built), path)
    check_parameters(path, {"edition": "bengtsfors"})
    with pytest.raises(ValueError, match=r"\['municipality_code'\] are not declared"):
        check_parameters(path, {"municipality_code": "1460"})  # the old parameter is gone
    with pytest.raises(ValueError, match=r"\['kommun'\] are not declared"):
        check_parameters(path, {"kommun": "1460"})


def test_unknown_edition(built, capsys):
    assert main(["build", "--edition", "atlantis", "--root", str(built.root)]) == 2
    assert "unknown edition" in capsys.readouterr().err


# --- a real browser ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_pages_in_headless_chromium(built, tmp_path):
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
        pytest.skip("chromium is not installed here; `apt-get install chromium` to run this test")
    from playwright.sync_api import sync_playwright
    problems, requests = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page_ = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page_.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page_.on("pageerror", lambda e: problems.append(str(e)))
        page_.on("request", lambda r: requests.append(r.url))
        for rel in ("index.html", "bengtsfors/index.html"):
            page_.goto((built.root / "reports" / rel).as_uri())
            page_.wait_for_load_state("load")
        images = page_.eval_on_selector_all("svg[role=img]", "els => els.map(e => [e.getAttribute('aria-label'), "
                                                               "e.getBoundingClientRect().width])")
        page_.screenshot(path=str(tmp_path / "edition.png"), full_page=False)
        browser.close()
    assert problems == []
    leaving = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert leaving == []
    assert images and all(alt and width > 0 for alt, width in images)
    assert (tmp_path / "edition.png").stat().st_size > 10_000


def test_edition_page_lists_the_demo_inputs(built):
    html = page(built, "bengtsfors")
    assert "Vilka underlag är demodata?" in html and "dimios_answers" in html and "ledger" in html
