"""End to end, as a member reads what it receives: build the region and one municipality edition,
distribute, and search every artefact of the package for another unit next to confidential values.

Slow (two papermill editions): marked ``slow``; ``make test`` runs it, ``-m "not slow"`` skips it.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile

import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.clean.pipeline import prepare
from fyrbodal_analysis.publish.build import build, summary
from fyrbodal_analysis.publish.distribute import distribute
from fyrbodal_analysis.report import parts
from fyrbodal_analysis.report.items import MIME
from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.integration

MEMBER, CODE = "sotenas", "1427"  # served by SML IT with two other members; two Dimios respondents


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    proj = copy_project(tmp_path_factory.mktemp("dist") / "proj")
    shutil.copytree(ROOT / "notebooks", proj.root / "notebooks")
    prepare(proj)
    text, code = summary(build(proj, ["fyrbodal", MEMBER, "bengtsfors"], jobs=2, progress=lambda m: None))
    assert code == 0, text
    distribute(proj, [MEMBER, "bengtsfors"], progress=lambda m: None)
    return proj


def _patterns(ed, own: set[str]) -> tuple[list[re.Pattern], list[re.Pattern]]:
    """(names, codes and ids) of every unit a reader of this edition does not own."""
    reg = ed.registry
    names, ids = [], []
    for c in reg.codes:
        if c not in own:
            names.append(re.compile(rf"(?<![\wåäöÅÄÖ]){re.escape(reg.name_of[c])}(?![\wåäöÅÄÖ])"))
            ids.append(re.compile(rf"(?<![\d,.]){c}(?![\d,.])"))
    orgs = ed.load("it_organisations")
    for o, n in zip(orgs["it_org_id"], orgs["it_org_name"]):
        if o not in own:
            ids.append(re.compile(re.escape(o)))
            names.append(re.compile(rf"(?<![\wåäöÅÄÖ]){re.escape(n)}(?![\wåäöÅÄÖ])"))
    return names, ids


def _hits(pats, text: str) -> list[str]:
    return [p.pattern for p in pats if p.search(text)]


def test_a_member_package_names_no_other_unit_next_to_confidential_values(package):
    folder = package.root / "dist" / MEMBER
    assert sorted(p.name for p in folder.iterdir()) == ["HANTERING.txt", "fyrbodal", "index.html", MEMBER]
    assert (package.root / "dist" / f"{MEMBER}.zip").exists()
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]+)"', index)) == {f"{MEMBER}/index.html", "fyrbodal/index.html", "HANTERING.txt"}
    with zipfile.ZipFile(package.root / "dist" / f"{MEMBER}.zip") as z:
        assert not any("bengtsfors" in n for n in z.namelist())
    # the analyst's build says what it is; its logs and disclosure records are not beside the editions
    assert "analytikerns fullständiga bygge" in (package.root / "reports" / "index.html").read_text(encoding="utf-8")
    assert not (package.root / "reports" / ".logs").exists() and (package.root / "build" / "logs").is_dir()
    assert "Röjandekontroll" in (package.root / "reports" / "disclosure.html").read_text(encoding="utf-8")
    assert json.loads((package.root / "build" / "disclosure" / f"{MEMBER}.json").read_text(encoding="utf-8"))["items"]

    for slug, code in ((MEMBER, CODE), ("fyrbodal", None)):
        ed = fa.edition(code, package)
        own = {CODE, "sml-it", "SML IT"} if code else set()
        names, ids = _patterns(ed, own)
        pats = names + ids
        conf = {it.number: it.slug for it in parts.items(ed) if it.confidential}
        assert len(conf) >= 25, sorted(conf)
        # HTML: every confidential item's section (caption, notes, alt text, table)
        page = re.sub(r'src="data:[^"]*"', 'src=""', (folder / slug / "index.html").read_text(encoding="utf-8"))  # PNG bytes
        sections = re.split(r'(?=<h3 class="fyr-heading")', page)
        seen = 0
        for sec in sections:
            m = re.match(r'<h3 class="fyr-heading" id="([^"]+)">', sec)
            if m and m.group(1) in conf.values():
                seen += 1
                assert not _hits(pats, sec.split("</figure>")[0]), (slug, m.group(1), _hits(pats, sec))
        assert seen == len(conf), (slug, seen, len(conf))
        # CSV and XLSX of confidential items
        for s in conf.values():
            csv = folder / slug / "tables" / f"{s}.csv"
            if csv.exists():
                assert not _hits(pats, csv.read_text(encoding="utf-8-sig")), (slug, s)
        from openpyxl import load_workbook
        wb = load_workbook(folder / slug / "tables" / f"{slug}.xlsx", read_only=True)
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if rows and any(ws.title.startswith(n[:28]) for n in conf):
                text = "\n".join(" ".join("" if v is None else str(v) for v in r) for r in rows if
                                 not all(isinstance(v, (int, float)) or v is None for v in r))
                assert not _hits(pats, text), (slug, ws.title)
        # the executed notebook: outputs of confidential items (all mime types) and its metadata
        nb = json.loads((folder / slug / f"{slug}.ipynb").read_text(encoding="utf-8"))
        assert not _hits(pats, json.dumps(nb["metadata"], ensure_ascii=False))
        for cell in nb["cells"]:
            for o in cell.get("outputs", []):
                data = o.get("data", {})
                if MIME in data:
                    assert "release" not in data[MIME]  # the analyst's record stays out of the package
                    if data[MIME]["number"] in conf:
                        payload = dict(data[MIME])
                        rows = payload.pop("rows", [])
                        texts = json.dumps(payload, ensure_ascii=False) + json.dumps(
                            [[v for v in r if isinstance(v, str)] for r in rows], ensure_ascii=False)
                        html = data.get("text/html", "")
                        shown = re.sub(r'src="data:[^"]*"', 'src=""', "".join(html) if isinstance(html, list) else html)
                        assert not _hits(pats, texts + shown.split("</figure>")[0] +
                                         "".join(data.get("text/plain", ""))), (slug, data[MIME]["number"])
                        assert "\n" not in "".join(data.get("text/plain", ""))  # no DataFrame repr with its index
        # build records inside the package
        record = (folder / slug / "build.json").read_text(encoding="utf-8")
        assert not _hits(ids, record), slug
