"""``fyrbodal fetch scb|scb-projection|kolada``: real public data into ``data/raw/public/``.

A fetched file is a raw file like any other: a small CSV in the layout of its
table spec (``scb_population``, ``scb_age_population``, ``scb_age_projection``, ``kolada_broadband``),
registered in ``data/raw/sources.yml`` as tier *public* with its provenance
(API, url, query, retrieval date, licence, sha256 of the file and of the answer
it was converted from; values are copied, never changed). ``prepare`` then uses
it and the demo mark disappears from what it feeds.

Order of work, so that a failure never replaces anything in ``data/raw/``:
download everything -> convert -> write to a temporary file beside the target ->
validate it with the table's spec -> rename into place -> record in sources.yml.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from pathlib import Path

from ...core.paths import Project
from ...core.registry import load_registry
from . import kolada, scb
from .http import FetchError, Http, NoNetwork, NotFound, PartialDownload, RateLimited, ShapeChanged

__all__ = ["FetchError", "Http", "NoNetwork", "NotFound", "PartialDownload", "RateLimited", "ShapeChanged", "run", "SOURCES"]

SOURCES = ("scb", "scb-projection", "kolada")
KOLADA_FILE = "kolada_bredband_kommun.csv"
KOLADA_FIRST_YEAR = 2015
COLUMNS = {
    "scb_population": ("municipality_code", "year", "population"),
    "scb_age_population": ("area_code", "year", "age", "population"),
    "scb_age_projection": ("area_code", "year", "age", "population", "published"),
    "kolada_broadband": ("municipality_code", "year", "households_pct", "workplaces_pct"),
}


def run(source: str, project: Project | None = None, region: str | None = None, http: Http | None = None,
        kpis: dict | None = None, today: str | None = None) -> list[str]:
    """Fetch one source; returns the paths written (relative to data/raw/)."""
    from ...raw.sources import today as _today
    project = project or Project.find()
    http = http or Http()
    registry = load_registry(project, region)
    codes = list(registry.codes)
    counties = {c[:2] for c in codes}
    if len(counties) != 1:
        raise FetchError(f"region {registry.region_name} spans counties {sorted(counties)}; Figur 8 needs one county")
    county = counties.pop()
    if source in ("scb", "scb-projection"):
        files = []
        wanted = scb.datasets(codes, county).values() if source == "scb" else [scb.projection_dataset(county)]
        for ds in wanted:  # download all before writing any
            rows, prov = scb.fetch(ds, http)
            files.append((ds.name, ds.file, _scb_table(ds, rows, prov), prov, scb.LICENCE,
                          f"SCB: {ds.title} (tabell {ds.v2_table} / {ds.v1_path})"))
    elif source == "kolada":
        rows, prov = kolada.fetch(http, codes, kpis or {}, KOLADA_FIRST_YEAR)
        if not rows:
            raise FetchError("Kolada answered without any value for the region's municipalities")
        files = [("kolada_broadband", KOLADA_FILE, rows, prov, kolada.LICENCE,
                  "Kolada (RKA): PTS bredbandskartläggning, andel med tillgång till minst 100 Mbit/s")]
    else:
        raise FetchError(f"unknown source {source!r} (expected one of {', '.join(SOURCES)})")
    staged: list[Path] = []
    written = []
    try:
        for name, file, rows, *_ in files:  # validate every file before any replaces its predecessor
            staged.append(_stage(project, registry, name, file, rows))
        for (name, file, _rows, prov, licence, publisher), tmp in zip(files, staged):
            dest = project.raw / "public" / file
            os.replace(tmp, dest)
            written.append(f"public/{file}")
            _register(project, name, f"public/{file}", prov, licence, publisher, today or _today())
    finally:
        for tmp in staged:
            if tmp.exists():
                tmp.unlink()
    return written


def _scb_table(ds: scb.Dataset, rows: list[dict], prov: dict) -> list[dict]:
    url = prov["url"]
    published = _published(prov, url) if ds.name == "scb_age_projection" else None
    out = []
    for r in rows:
        try:
            year = int(r["Tid"])
        except ValueError:
            raise ShapeChanged(f"{url}: time value {r['Tid']!r} is not a year (expected Tid as YYYY)") from None
        if year < ds.first_year:
            continue
        value = None if r["value"] is None else int(round(float(r["value"])))
        if ds.name == "scb_population":
            out.append({"municipality_code": r["Region"], "year": year, "population": value})
        else:
            age = r["Alder"]
            if age in ("tot", "totalt"):
                continue
            age = age.removesuffix("+")
            if not age.isdigit():
                raise ShapeChanged(f"{url}: age value {r['Alder']!r} is not a single year (expected 0 … 100+)")
            out.append({"area_code": r["Region"], "year": year, "age": int(age), "population": value,
                        "published": published})
    return out


def _published(prov: dict, url: str) -> str:
    """The projection's publication date (json-stat2 ``updated``, YYYY-MM-DD): the source line names it."""
    updated = str(prov.get("updated") or "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", updated):
        raise ShapeChanged(f"{url}: the answer has no publication date ('updated' is {updated or 'missing'!r}; "
                           "expected YYYY-MM-DD…), so the projection cannot be named by its year")
    return updated[:10]


def to_csv(name: str, rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS[name], lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if r.get(k) is None else r[k] for k in COLUMNS[name]})
    return buf.getvalue().encode("utf-8")


def _stage(project: Project, registry, name: str, file: str, rows: list[dict]) -> Path:
    """Write the converted rows beside their destination and validate them with the table spec."""
    from ...raw.files import FileFormat, read_table
    from ..pipeline import all_specs
    folder = project.raw / "public"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{file}.part"
    tmp.write_bytes(to_csv(name, rows))
    _, problems = read_table(tmp, f"data/raw/public/{file} (fetched)", all_specs()[name], FileFormat(), registry)
    if problems:
        tmp.unlink()
        raise FetchError(f"the fetched data for {name} do not pass the checks, nothing was written: {problems[0]}"
                         + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return tmp


def _register(project: Project, table: str, rel: str, prov: dict, licence: str, publisher: str, today: str) -> None:
    from ...raw.files import FileFormat
    from ...raw.sources import Source, load_sources, save_sources, sha256
    sources = load_sources(project)
    query = json.dumps(prov["query"], ensure_ascii=False, sort_keys=True)
    origin = {"publisher": publisher, "api": prov["api"], "url": prov["url"], "query": query,
              "query_sha256": hashlib.sha256(query.encode()).hexdigest(),
              "fetched_with": "fyrbodal fetch", "note": "values copied unchanged from the API answer into this CSV"}
    if prov.get("updated"):
        origin["source_updated"] = prov["updated"]
    if prov.get("fixture"):
        origin["from_fixture"] = True  # a test answer: such a file must never be committed (tests/test_fetch.py)
    sources[rel] = Source(path=rel, table=table, tier="public", sha256=sha256(project.raw / rel), format=FileFormat(),
                          origin=origin, licence=licence, retrieved=today, role="input")
    save_sources(project, sources)
