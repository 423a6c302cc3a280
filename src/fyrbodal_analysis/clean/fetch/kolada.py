"""Kolada (API v3): PTS's broadband measures per municipality, as published there as KPIs.

The KPIs are found by title (``/kpi?title=...``) rather than by a hard-coded id,
so that a renumbered KPI is still found and an ambiguous search is an error that
lists the candidates (``--kpi-households ID`` then chooses). Data come from
``/data/kpi/{kpi}/municipality/{ids}``, page by page: every answer carries
``values`` and, while more remain, the address of the next page
(``next_url``; API v2 called it ``next_page``).
"""

from __future__ import annotations

import urllib.parse

from .http import FetchError, Http, ShapeChanged

BASE = "https://api.kolada.se/v3"
LICENCE = "CC BY 4.0 (Kolada, RKA); the broadband measures are PTS's"
PER_PAGE = 5000

#: measure -> words every candidate title must contain (lower case)
MEASURES = {
    "households_pct": ("hushåll", "100 mbit"),
    "workplaces_pct": ("arbetsställ", "100 mbit"),
}


def pages(http: Http, url: str, max_pages: int = 200, seen: set | None = None) -> list[dict]:
    """Every ``values`` entry of a paged Kolada answer (``seen`` collects the test fixtures' marker)."""
    out: list[dict] = []
    for _ in range(max_pages):
        doc = http.json("GET", url)
        if seen is not None and isinstance(doc, dict) and doc.get("fixture"):
            seen.add("fixture")
        if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
            raise ShapeChanged(f"{url}: the answer has no list 'values' (Kolada API v3 answers "
                               "{\"count\": n, \"values\": [...], \"next_url\": ...})")
        out += doc["values"]
        url = doc.get("next_url") or doc.get("next_page")
        if not url:
            return out
    raise FetchError(f"{url}: more than {max_pages} pages; stopped")


def find_kpi(http: Http, measure: str) -> dict:
    words = MEASURES[measure]
    url = f"{BASE}/kpi?" + urllib.parse.urlencode({"title": "100 Mbit/s", "per_page": PER_PAGE})
    found = [k for k in pages(http, url) if all(w in str(k.get("title", "")).lower() for w in words)]
    if len(found) != 1:
        listing = "; ".join(f"{k.get('id')} {k.get('title')!r}" for k in found) or "none"
        option = "--kpi-" + ("households" if measure == "households_pct" else "workplaces")
        raise FetchError(f"Kolada: {len(found)} KPIs match {' + '.join(words)!r} ({listing}); choose one with {option} ID")
    return found[0]


def fetch(http: Http, codes: list[str], kpis: dict[str, str | None], first_year: int) -> tuple[list[dict], dict]:
    """Rows {municipality_code, year, households_pct, workplaces_pct} and provenance."""
    chosen = {m: kpis.get(m) or find_kpi(http, m)["id"] for m in MEASURES}
    rows: dict[tuple[str, int], dict] = {}
    urls, seen = [], set()
    for measure, kpi in chosen.items():
        url = f"{BASE}/data/kpi/{kpi}/municipality/{','.join(codes)}?" + urllib.parse.urlencode({"per_page": PER_PAGE})
        urls.append(url)
        for v in pages(http, url, seen=seen):
            try:
                code, year = str(v["municipality"]), int(v["period"])
                total = [x for x in v["values"] if x.get("gender") == "T"]
            except (KeyError, TypeError, ValueError):
                raise ShapeChanged(f"{url}: a value lacks municipality, period or values[gender, value] "
                                   "(the Kolada answer changed shape)") from None
            if str(v.get("kpi", kpi)) != kpi or code not in codes:
                raise ShapeChanged(f"{url}: answer for KPI {v.get('kpi')} / municipality {code}, which was not asked for")
            if year < first_year or not total or total[0].get("value") is None:
                continue
            rows.setdefault((code, year), {"municipality_code": code, "year": year})[measure] = total[0]["value"]
    out = [{"households_pct": None, "workplaces_pct": None, **r} for _, r in sorted(rows.items())]
    return out, {"url": urls, "query": {"kpi": chosen, "municipality": codes}, "api": "Kolada API v3", "fixture": bool(seen)}
