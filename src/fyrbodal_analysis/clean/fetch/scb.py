"""SCB's statistical database through PxWebApi v2, with v1 behind the same call.

A :class:`Dataset` names one table in both API versions, the variables the
query selects and the dimensions the json-stat2 answer must have. ``fetch``
asks v2 first; when v2 refuses the query (HTTP 400/404/405, e.g. an older
installation or a table not yet migrated) it asks v1 the same question. Both
answer in json-stat2 (https://json-stat.org/format/), which :func:`jsonstat_rows`
turns into rows, checking that the dimensions and their sizes are exactly what
was asked for: a new dimension, a renamed variable or too few values is a
:class:`ShapeChanged` / :class:`PartialDownload` error, never a silently wrong file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .http import FetchError, Http, NotFound, PartialDownload, ShapeChanged

V2_BASE = "https://statistikdatabasen.scb.se/api/v2"
V1_BASE = "https://api.scb.se/OV0104/v1/doris/sv/ssd"
LICENCE = "CC0 1.0 (SCB open data)"


@dataclass(frozen=True)
class Dataset:
    name: str                 # our raw table (spec) name
    file: str                 # file name under data/raw/public/
    title: str
    v2_table: str             # PxWebApi v2 table id
    v1_path: str              # PxWebApi v1 table path under V1_BASE
    selection: tuple          # ((variable, (codes...) or "*"), ...)
    dims: tuple[str, ...]     # dimensions the answer must have, in any order
    first_year: int


def _population_selection(codes) -> tuple:
    return (("Region", tuple(codes)), ("ContentsCode", ("BE0101N1",)), ("Tid", "*"))


def datasets(region_codes: list[str], county_code: str) -> dict[str, Dataset]:
    """What ``fyrbodal fetch scb`` downloads for a region."""
    return {
        "scb_population": Dataset(
            "scb_population", "scb_population_kommun.csv", "Folkmängd 31 december per kommun",
            "TAB638", "BE/BE0101/BE0101A/BefolkningNy", _population_selection(region_codes),
            ("Region", "ContentsCode", "Tid"), 2019),
        "scb_age_population": Dataset(
            "scb_age_population", "scb_population_alder.csv", "Folkmängd 31 december efter ålder, länet och kommunerna",
            "TAB638", "BE/BE0101/BE0101A/BefolkningNy",
            (("Region", (county_code, *region_codes)), ("Alder", "*"), ("ContentsCode", ("BE0101N1",)), ("Tid", "*")),
            ("Region", "Alder", "ContentsCode", "Tid"), 2010),
    }


#: SCB's regional population projection (BE0401, "Befolkningsframskrivningar"): projected population on
#: 31 December by region (the counties and municipalities), sex, single year of age and year, published
#: each spring with the base population of the previous 31 December. PxWebApi v1 path
#: BE/BE0401/BE0401A/BefProgOsiktRegN, v2 table TAB698; the content "Folkmängd" is ContentsCode 000004LG.
#: Kon is left out of the query, so SCB answers with both sexes together (the variable can be eliminated),
#: as in the population queries above. The national projection (BE0401A, riket only) would not give Figur 8's
#: county, so the regional table is used at county level.
PROJECTION_CONTENT = "000004LG"


def projection_dataset(county_code: str) -> Dataset:
    """What ``fyrbodal fetch scb-projection`` downloads: SCB's latest regional projection for the county."""
    return Dataset(
        "scb_age_projection", "scb_befolkningsframskrivning_lan.csv",
        "Befolkningsframskrivning: framskriven folkmängd 31 december efter ålder, länet",
        "TAB698", "BE/BE0401/BE0401A/BefProgOsiktRegN",
        (("Region", (county_code,)), ("Alder", "*"), ("ContentsCode", (PROJECTION_CONTENT,)), ("Tid", "*")),
        ("Region", "Alder", "ContentsCode", "Tid"), 0)


def v2_request(ds: Dataset) -> tuple[str, dict]:
    url = f"{V2_BASE}/tables/{ds.v2_table}/data?lang=sv&outputFormat=json-stat2"
    sel = [{"variableCode": v, "valueCodes": ["*"] if codes == "*" else list(codes)} for v, codes in ds.selection]
    return url, {"selection": sel}


def v1_request(ds: Dataset) -> tuple[str, dict]:
    url = f"{V1_BASE}/{ds.v1_path}"
    query = [{"code": v, "selection": {"filter": "all", "values": ["*"]} if codes == "*" else
              {"filter": "item", "values": list(codes)}} for v, codes in ds.selection]
    return url, {"query": query, "response": {"format": "json-stat2"}}


def fetch(ds: Dataset, http: Http) -> tuple[list[dict], dict]:
    """Rows ({dimension: code, ..., "value": number}) and provenance (url, query, api)."""
    url, query = v2_request(ds)
    try:
        doc = http.json("POST", url, query)
        api = "PxWebApi v2"
    except NotFound:
        doc = None
    except FetchError as exc:
        if not any(f"HTTP {c}" in str(exc) for c in (400, 405)):
            raise
        doc = None
    if doc is None:
        http.say(f"SCB PxWebApi v2 refused table {ds.v2_table}; asking v1 ({ds.v1_path})")
        url, query = v1_request(ds)
        try:
            doc = http.json("POST", url, query)
        except NotFound:
            raise NotFound(f"SCB table {ds.v2_table} / {ds.v1_path} no longer exists (HTTP 404 in PxWebApi v2 and v1); "
                           "look up its new id in SCB's statistical database and update fetch/scb.py") from None
        api = "PxWebApi v1"
    rows = jsonstat_rows(doc, ds.dims, url)
    for var, codes in ds.selection:
        missing = [] if codes == "*" else sorted(set(codes) - {r[var] for r in rows})
        if missing:
            raise PartialDownload(f"{url}: the answer lacks {var} {', '.join(missing)}, which the query asked for")
    return rows, {"url": url, "query": query, "api": api, "updated": str(doc.get("updated", "")), "fixture": is_fixture(doc)}


def is_fixture(doc) -> bool:
    """True for the hand-written test answers in tests/fixtures/ (json-stat2 ``extension.fixture``)."""
    return isinstance(doc, dict) and bool((doc.get("extension") or {}).get("fixture"))


def jsonstat_rows(doc: dict, expected: tuple[str, ...], url: str = "response") -> list[dict]:
    """A json-stat2 dataset -> one dict per cell, after checking its shape."""
    if not isinstance(doc, dict) or doc.get("class") != "dataset" or "id" not in doc or "value" not in doc:
        raise ShapeChanged(f"{url}: the answer is not a json-stat2 dataset (expected keys class, id, size, dimension, value)")
    ids, sizes = list(doc["id"]), list(doc.get("size", []))
    new = [d for d in ids if d not in expected]
    gone = [d for d in expected if d not in ids]
    if new or gone:
        parts = ([f"new dimension(s) {', '.join(new)}"] if new else []) + ([f"missing {', '.join(gone)}"] if gone else [])
        raise ShapeChanged(f"{url}: the table's variables changed: {'; '.join(parts)} (expected exactly "
                           f"{', '.join(expected)}); check the table in SCB's database and update fetch/scb.py")
    codes = []
    for d, n in zip(ids, sizes):
        index = doc["dimension"][d]["category"]["index"]
        order = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        if len(order) != n:
            raise ShapeChanged(f"{url}: dimension {d} has {len(order)} categories but size says {n}")
        codes.append(order)
    values = doc["value"]
    cells = 1
    for n in sizes:
        cells *= n
    if isinstance(values, dict):  # json-stat2 allows a sparse object {"index": value}
        values = [values.get(str(i)) for i in range(cells)]
    if len(values) != cells:
        raise PartialDownload(f"{url}: {len(values)} values for {cells} cells; the download is incomplete")
    return [dict(zip(ids, combo), value=v) for combo, v in zip(itertools.product(*codes), values)]
