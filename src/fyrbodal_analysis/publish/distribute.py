"""``fyrbodal distribute``: one package per municipality, for sending out.

``reports/`` is the analyst's full build: every edition side by side, the
disclosure report, failed notebooks. It is never sent anywhere as it is. A
member municipality receives a package written outside ``reports/`` (to
``dist/<slug>/`` and ``dist/<slug>.zip``) holding exactly:

* its own edition and the region edition (pages, tables, executed notebooks),
* a small index linking only those two (:func:`package_index`),
* a short Swedish note on handling (``HANTERING.txt``).

Nothing in a package links to, or names the folder of, another municipality's
edition; :func:`check_package` verifies that before the package is zipped.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from ..core.paths import Project

HANDLING = """Digital motor Fyrbodal – utgåva för {name}
=============================================

Paketet innehåller två utgåvor:
  * {name}: er egen utgåva ({own}/index.html)
  * {region}: regionutgåvan, som alla medlemskommuner får ({region_slug}/index.html)

Hantering
  * Utgåvan för {name} visar {name}s egna svar och kostnader med namn. Den är avsedd
    för {name} och ska inte lämnas vidare till andra kommuner eller publiceras.
  * Andra kommuner och IT-organisationer visas bara anonymt (Org. A, B, … eller
    omärkta punkter) eller i sammanställningar över minst tre enheter utöver er
    egen. Försök inte att ta reda på vem som är vem, och dela inte era egna
    uppgifter tillsammans med utgåvan på ett sätt som pekar ut andra.
  * Tabellerna (CSV och Excel) och notebooken innehåller inget mer än figurerna.
  * Frågor om underlaget: kontakta analysansvarig för {region}.
"""


def package_index(title: str, links: list[tuple[str, str]]) -> str:
    """A minimal Swedish front page linking only ``links`` ((label, href) pairs).

    Kept simple on purpose: a richer front page in html.py can replace it (same arguments).
    """
    from .html import _page
    lis = "".join(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>' for label, href in links)
    body = (f"<header><h1 style=\"border:0\">{html.escape(title)}</h1></header><main><ul>{lis}</ul>"
            '<p>Läs <a href="HANTERING.txt">HANTERING.txt</a> om hur utgåvorna får användas.</p></main>')
    return _page(title, body)


def _status(project: Project, slug: str) -> dict:
    """The published edition's build record; refused when missing or built from other data or code."""
    from .build import edition_key
    reports = project.reports
    path = reports / slug / "build.json"
    if not (reports / slug / "index.html").exists() or not path.exists():
        raise FileNotFoundError(f"reports/{slug}/ is not built: run `fyrbodal build --edition {slug}` first")
    info = json.loads(path.read_text(encoding="utf-8"))
    if info.get("key") != edition_key(project, slug):
        raise FileNotFoundError(f"reports/{slug}/ was built from other data or code than the current: run "
                                f"`fyrbodal build --edition {slug}` first")
    return info


def check_package(folder: Path, own: str, region: str, all_slugs: list[str]) -> list[str]:
    """Problems: a file outside the two editions, or a link or path to another edition."""
    problems = []
    others = [s for s in all_slugs if s not in (own, region)]
    allowed_top = {own, region, "index.html", "HANTERING.txt"}
    for p in sorted(folder.iterdir()):
        if p.name not in allowed_top:
            problems.append(f"{p.name}: not part of a package")
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix in (".html", ".ipynb", ".json", ".txt", ".csv"):
            text = p.read_text(encoding="utf-8", errors="replace")
            for o in others:
                if re.search(rf'(href|src)="[^"]*\b{re.escape(o)}/', text) or f"reports/{o}/" in text:
                    problems.append(f"{p.relative_to(folder)}: links to the edition {o}")
    return problems


def distribute(project: Project, wanted: list[str] | None = None, out: Path | None = None, progress=print) -> list[Path]:
    """Write one package per municipality edition (default: all) to ``dist/``; returns the package folders."""
    from .build import editions
    all_eds = editions(project)
    reports = project.reports
    region = next(k for k, v in all_eds.items() if v.get("is_region"))
    munis = [k for k in all_eds if k != region]
    wanted = wanted or munis
    unknown = [w for w in wanted if w not in munis]
    if unknown:
        raise KeyError(f"not a municipality edition: {', '.join(unknown)}; known: {', '.join(munis)}")
    region_info = _status(project, region)
    out = out or project.root / "dist"
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for slug in wanted:
        info = _status(project, slug)
        folder = out / slug
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for s in (slug, region):
            shutil.copytree(reports / s, folder / s)
        name = info["name"]
        (folder / "index.html").write_text(package_index(
            f"Digital motor Fyrbodal – {name}",
            [(f"{name} (er egen utgåva)", f"{slug}/index.html"),
             (f"{region_info['name']} (regionutgåvan)", f"{region}/index.html")]), encoding="utf-8")
        (folder / "HANTERING.txt").write_text(HANDLING.format(name=name, own=slug, region=region_info["name"],
                                                              region_slug=region), encoding="utf-8")
        problems = check_package(folder, slug, region, list(all_eds))
        if problems:
            shutil.rmtree(folder)
            raise RuntimeError(f"package {slug} refused:\n  " + "\n  ".join(problems))
        shutil.make_archive(str(out / slug), "zip", root_dir=out, base_dir=slug)
        made.append(folder)
        progress(f"{slug:12s} -> {project.relative(folder)}/ and {project.relative(out / slug)}.zip")
    return made


# ----------------------------------------------------------------------------- the analyst's disclosure report
