"""The front page of what is sent out: a short Swedish introduction, a map of the region's municipalities
(inline SVG from the shipped GeoJSON) with their public key figures, links to the editions it is given,
which inputs are synthetic, a glossary, and optionally the build's technical details folded away.

:func:`front_page_data` reads what the page shows of the region once per manifest (cached in
``reports/.front.json``); :func:`front_page` is pure HTML, so the analyst's ``reports/index.html`` and a
municipality's package (linking only the region's and its own edition) share it.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

from ..core.formatting import TIER_TEXT, tiers_sv
from ..core.paths import Project
from .html import REPORT_DATE, _page, input_sv, typographic_minus

GLOSSARY = [
    ("Dimios", "Verktyg för att mäta en organisations digitala mognad genom självskattning. Det har två dimensioner: "
               "digital förmåga (att förstå, fånga och förändra utifrån digitala möjligheter) och digitalt arv (tidigare "
               "investeringar i infrastruktur med mera)."),
    ("Typ A–D", "Dimios fyra typer av organisationer, efter förmåga och arv. Typ A sitter fast i både begränsande arv och "
                "brister i förmåga, typ B begränsas av brister i förmåga, typ D har hög förmåga och ett möjliggörande arv. "
                "Typ C är den fjärde kombinationen av de två axlarna."),
    ("TBM", "Technology Business Management: ett ramverk för att dela in och jämföra IT-kostnader, från kostnadspooler "
            "(t.ex. personal, hårdvara, programvara) till IT-områden och tjänster."),
    ("CISO", "Chief Information Security Officer (eller informationssäkerhetssamordnare): den som har till uppgift att "
             "införa ett systematiskt och riskbaserat informationssäkerhetsarbete i kommunen."),
    ("p-värde", "Sannolikheten att få ett minst lika starkt samband som det observerade om det i själva verket inte finns "
                "något samband. Ett litet p-värde (ofta under 0,05) talar för att sambandet inte är en slump; med få kommuner "
                "är osäkerheten stor."),
]

#: Classes of population change for the front-page map (percent; blue = growth, red = decline, colour-blind safe).
CHANGE_CLASSES = [(-1e9, -10, "#b2182b"), (-10, -5, "#ef8a62"), (-5, 0, "#fddbc7"), (0, 5, "#d1e5f0"), (5, 10, "#67a9cf"),
                  (10, 1e9, "#2166ac")]


#: Name labels on the front-page map up to this many municipalities (Fyrbodal 14; Västra Götaland's 49 collide).
MAX_MAP_LABELS = 20


def _change_colour(v: float) -> str:
    return next(c for lo, hi, c in CHANGE_CLASSES if lo <= v < hi)


def _class_label(lo: float, hi: float) -> str:
    from ..core.formatting import number
    if lo < -1e8:
        return f"under {number(hi)} %"
    if hi > 1e8:
        return f"{number(lo)} % eller mer"
    return f"{number(lo)} till {number(hi)} %"


def _front_map(front: dict, linked: dict[str, str]) -> str:
    """The region's municipalities as an inline SVG, coloured by population change; linked ones are links."""
    from ..core.formatting import genitive, number, percent
    a, b = _period(front)
    parts = [f'<svg viewBox="{front["viewbox"]}" role="img" aria-labelledby="fyr-map-title">'
             f'<title id="fyr-map-title">Karta över {html.escape(genitive(front["region_name"]))} kommuner, färgade efter '
             f"befolkningsförändringen {a}–{b}</title>"]
    labels = []
    for m in front["municipalities"]:
        tip = (f"{m['name']}: {number(m['population_from'])} invånare {a}, "
               + (f"prognos {number(m['population_to'])} år {b}" if front.get("basis") != "scb" else
                  f"{number(m['population_to'])} år {b}") + f" ({percent(m['change_pct'])})")
        shape = f'<path d="{m["path"]}" fill="{_change_colour(m["change_pct"])}"><title>{html.escape(tip)}</title></path>'
        href = linked.get(m["code"])
        parts.append(f'<a href="{html.escape(href)}">{shape}</a>' if href else shape)
        x, y = m["label_xy"]
        labels.append(f'<text x="{x}" y="{y}" text-anchor="middle">{html.escape(m["name"])}</text>')
    if len(labels) <= MAX_MAP_LABELS:  # more names than this collide; the table beside the map and each shape's title name them
        parts += labels
    parts.append("</svg>")
    used = [(lo, hi, c) for lo, hi, c in CHANGE_CLASSES if any(lo <= m["change_pct"] < hi for m in front["municipalities"])]
    legend = (f'<p class="fyr-legend">Befolkningsförändring {a}–{b}:' +
              "".join(f'<span class="item"><span style="background:{c}"></span>{_class_label(lo, hi)}</span>' for lo, hi, c in used) + "</p>")
    return '<div class="fyr-map">' + "".join(parts) + legend + "</div>"


def _key_figures(front: dict, linked: dict[str, str]) -> str:
    from ..core.formatting import number, percent, sv_sort_key
    ms = sorted(front["municipalities"], key=lambda m: sv_sort_key(m["name"]))
    if not ms:  # neither the report's Figur 7 nor SCB's population for the region
        return "<p>Befolkningsuppgifter för regionens kommuner saknas i underlaget.</p>"
    a, b = _period(front)
    rows = []
    for m in ms:
        name = html.escape(m["name"])
        if m["code"] in linked:
            name = f'<a href="{html.escape(linked[m["code"]])}">{name}</a>'
        rows.append(f'<tr><td>{name}</td><td class="num">{number(m["population_from"])}</td><td class="num">'
                    f'{number(m["population_to"])}</td><td class="num">{percent(m["change_pct"])}</td></tr>')
    p19, p30 = sum(m["population_from"] for m in ms), sum(m["population_to"] for m in ms)
    rows.append(f'<tr><th>{html.escape(front["region_name"])} totalt</th><th class="num">{number(p19)}</th><th class="num">'
                f'{number(p30)}</th><th class="num">{percent((p30 - p19) / p19 * 100)}</th></tr>')
    caption = (f"Invånare {a} och prognos för {b} (rapportens Figur 7, SCB:s folkmängd avrundad till hundratal)"
               if front.get("basis") != "scb" else f"Folkmängd 31 december {a} och {b} (SCB)")
    return (f'<table class="fyr-keyfigures"><caption class="subtitle">{caption}</caption><thead><tr><th>Kommun</th>'
            f'<th class="num">{a}</th><th class="num">{b}</th><th class="num">Förändring</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _period(front: dict) -> tuple[int, int]:
    """The two years the key figures compare: the report's 2019 and 2030, or SCB's last year and ten years before."""
    return tuple(front.get("period") or (2019, 2030))


def front_page(editions: list[dict], front: dict, technical: str | None = None, title: str | None = None) -> str:
    """The front page of what is sent out: introduction, map with key figures, links to ``editions`` only,
    which parts are synthetic, a glossary, and (optionally) technical details folded away.

    ``editions``: dicts with ``slug``, ``name``, ``code`` (the region's code for the region edition), ``href``
    (the edition's page) and optionally ``pdf``, ``xlsx``, ``zip`` and ``note`` (e.g. "misslyckades"). Only these
    editions are linked, in the given order, so a municipality's package can link just the region and its own.
    ``front``: :func:`front_page_data`. ``technical``: HTML placed in "Teknisk information".
    """
    region = front["region_name"]
    title = title or f"Digital motor {region} – rapporter"
    linked = {e["code"]: e["href"] for e in editions if e.get("href")}
    items = []
    for e in editions:
        name = html.escape(e["name"] if e["code"] != front["region_code"] else f"{region} (regionutgåva)")
        main = f'<a href="{html.escape(e["href"])}">{name}</a>' if e.get("href") else name
        extra = [f'<a href="{html.escape(e[k])}">{t}</a>' for k, t in (("pdf", "PDF"), ("xlsx", "Excel"), ("zip", "CSV (zip)"))
                 if e.get(k)]
        note = f' <span class="status-failed">{html.escape(e["note"])}</span>' if e.get("note") else ""
        items.append(f"<li>{main}{note}" + (f" – {' · '.join(extra)}" if extra else "") + "</li>")
    n = len(front["municipalities"])
    date = REPORT_DATE.split("-")
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november",
              "december"]
    when = f"{int(date[2])} {months[int(date[1]) - 1]} {date[0]}"
    study, publisher = front.get("study_region", region), front.get("study_publisher", f"{region}s kommunalförbund")
    if study == region:
        about = (f"<p>Förstudien <em>Digital motor {html.escape(study)}</em> ({html.escape(publisher)}, {when}) "
                 f"beskriver hur de {n} kommunerna i {html.escape(region)} arbetar med IT och digitalisering: befolkning, "
                 "digital mognad, informationssäkerhet, bredband, IT-kostnader, verksamhetens syn på IT och de förmågor en "
                 "gemensam digital motor behöver, och den föreslår pilotprojekt för ett fördjupat samarbete.</p>")
    else:
        about = (f"<p>Förstudien <em>Digital motor {html.escape(study)}</em> ({html.escape(publisher)}, {when}) beskriver hur "
                 f"kommunerna i {html.escape(study)} arbetar med IT och digitalisering. Här används förstudiens figurer och "
                 f"tabeller för de {n} kommunerna i {html.escape(region)}, med de underlag som finns för dem; förstudien "
                 f"själv gällde bara kommunerna i {html.escape(study)}.</p>")
    intro = (about +
             "<p>Här är rapportens figurer och tabeller återskapade ur data. Regionutgåvan visar hela regionen; i en kommuns "
             "utgåva är kommunen framhävd och jämförs med regionen. Varje utgåva kan läsas i webbläsaren (även i mobilen), "
             "skrivas ut eller laddas ner som PDF, och tabellerna finns som Excel och CSV.</p>")
    demo = front.get("demo_inputs") or []
    synthetic = ("<h2>Vad som är syntetiskt</h2><p>Rapportens egna siffror och SCB:s befolkningsuppgifter är verkliga. "
                 "Enkätsvar, självskattningar och kostnadsunderlag per kommun är inte offentliga; i stället för dem används "
                 "syntetiska demodata som stämmer med de summor och andelar rapporten publicerar. Varje figur och tabell som "
                 "bygger på dem är märkt <strong>Syntetiska demodata – inte verkliga svar</strong>. Syntetiska är:</p><ul>" +
                 "".join(f"<li>{html.escape(input_sv(d))}</li>" for d in demo) + "</ul>") if demo else (
                 "<h2>Underlag</h2><p>Alla underlag är verkliga; inga syntetiska demodata används.</p>")
    glossary = ('<h2>Ordlista</h2><dl class="fyr-glossary">' +
                "".join(f"<dt>{html.escape(t)}</dt><dd>{html.escape(d)}</dd>" for t, d in GLOSSARY) + "</dl>")
    tech = f"<h2>Teknisk information</h2><details><summary>Bygge, versioner och kontrollsummor</summary>{technical}</details>" \
        if technical else ""
    body = (f"<header><h1>{html.escape(title)}</h1>{intro}</header><main>"
            f'<div class="fyr-front"><div><h2>Utgåvor</h2><ul class="fyr-editions">{"".join(items)}</ul>'
            f"{_key_figures(front, linked)}</div><div><h2>Kommunerna</h2>{_front_map(front, linked)}</div></div>"
            f"{synthetic}{glossary}{tech}</main>"
            f"<footer>Källa: {html.escape(publisher)}, förstudien Digital motor {html.escape(study)} ({when}); "
            "SCB; kommungränser från okfse/sweden-geojson.</footer>")
    return _page(title, typographic_minus(body))



FRONT_CACHE = ".front.json"
FRONT_VERSION = 3  # the cached data's layout


def _population(project: Project) -> tuple[dict, tuple[int, int], str]:
    """Per municipality code: population at two dates and the change (%), the two years, and the basis: the
    report's Figur 7 (2019 and the forecast for 2030) where the region has it, else SCB's population (31 December)
    in the last year and ten years before (a region other than the report's), else nothing."""
    import pyarrow.parquet as pq
    forecast = project.processed / "population_forecast.parquet"
    if forecast.exists():
        rows = {r["municipality_code"]: {"population_from": r["population_2019"], "population_to": r["population_2030"],
                                         "change_pct": r["change_pct"]} for r in pq.read_table(forecast).to_pylist()}
        if rows:
            return rows, (2019, 2030), "forecast"
    scb = project.processed / "population.parquet"
    if not scb.exists():
        return {}, (2019, 2030), "none"
    pop = pq.read_table(scb).to_pandas()
    if pop.empty:
        return {}, (2019, 2030), "none"
    last = int(pop["year"].max())
    first = last - 10 if (pop["year"] == last - 10).any() else int(pop["year"].min())
    wide = pop[pop["year"].isin([first, last])].pivot(index="municipality_code", columns="year", values="population")
    wide = wide.dropna()
    rows = {code: {"population_from": int(r[first]), "population_to": int(r[last]),
                   "change_pct": round((r[last] / r[first] - 1) * 100, 1)} for code, r in wide.iterrows()}
    return rows, (first, last), "scb"


def front_page_data(project: Project, region: str, manifest_hash: str) -> dict:
    """What the front page shows of the region: each municipality's outline (an SVG path), label position and
    public key figures (the report's Figur 7: population 2019, forecast 2030, change). Cached per manifest in
    ``reports/.front.json``, so a no-op build does not read parquet."""
    cache = project.reports / FRONT_CACHE
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if (data.get("manifest"), data.get("region_code"), data.get("version")) == (manifest_hash, region, FRONT_VERSION):
            return data

    from ..core.registry import GEOJSON, default_region, load_registry
    reg = load_registry(project, region)
    # The pre-study was made for the default region; another region's editions apply its method to that region.
    study = reg if reg.default else load_registry(project, default_region(project))
    rows, period, basis = _population(project)
    doc = json.loads((project.raw / GEOJSON).read_text(encoding="utf-8"))
    rings = {}
    for f in doc["features"]:
        code = f["properties"]["id"]
        if code in reg.codes:
            geom = f["geometry"]
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            rings[code] = [p[0] for p in polys]
    munis, width = [], 500.0
    pts = [pt for rs in rings.values() for r in rs for pt in r]
    lat0 = sum(p[1] for p in pts) / len(pts)
    k = math.cos(math.radians(lat0))  # equirectangular, as the maps in the editions
    x0, x1 = min(p[0] for p in pts) * k, max(p[0] for p in pts) * k
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    scale = width / (x1 - x0)

    def xy(p):
        return round((p[0] * k - x0) * scale, 1), round((y1 - p[1]) * scale, 1)

    for code in reg.codes:
        if code not in rings:
            continue
        path = []
        for r in rings[code]:
            seq = []
            for p in r:
                q = xy(p)
                if not seq or abs(q[0] - seq[-1][0]) + abs(q[1] - seq[-1][1]) >= 0.8:
                    seq.append(q)
            if len(seq) >= 3:
                path.append("M" + "L".join(f"{a:g} {b:g}" for a, b in seq) + "Z")
        biggest = max(rings[code], key=len)
        label = _centroid([xy(p) for p in biggest])
        row = rows.get(code)
        if row is None:
            continue
        munis.append({"code": code, "name": reg.name_of[code], "slug": reg.slug_of[code], "path": "".join(path),
                      "label_xy": [round(label[0], 1), round(label[1], 1)], **row})
    manifest = json.loads((project.processed / "manifest.json").read_text(encoding="utf-8"))
    demo = sorted(Path(p).stem for p, v in manifest["inputs"].items() if v["tier"] == "demo")
    data = {"version": FRONT_VERSION, "manifest": manifest_hash, "region_code": reg.region_code,
            "region_name": reg.region_name, "study_region": study.region_name,
            "study_publisher": study.long_name or f"{study.region_name}s kommunalförbund", "period": list(period), "basis": basis,
            "viewbox": f"-10 -10 {width + 20:g} {round((y1 - y0) * scale) + 20}", "municipalities": munis,
            "demo_inputs": demo}
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache)
    return data


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Area centroid of a polygon (the vertex mean when the area is degenerate)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        c = x0 * y1 - x1 * y0
        a, cx, cy = a + c, cx + (x0 + x1) * c, cy + (y0 + y1) * c
    if abs(a) < 1e-9:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return cx / (3 * a), cy / (3 * a)


def index_page(rows: list[dict], manifest: dict, manifest_hash: str, commit: str, front: dict | None = None) -> str:
    """The analyst's reports/index.html: the front page linking every edition, build details under Teknisk information."""
    trs, editions = [], []
    names = {m["code"]: m["name"] for m in (front or {}).get("municipalities", [])}
    if front:
        names[front["region_code"]] = front["region_name"]
    for r in rows:
        slug, info = r["slug"], r["info"]
        code = str(r["params"]["code"])
        name = info["name"] if info else r["params"].get("name") or names.get(code, slug)
        entry = {"slug": slug, "name": name, "code": code}
        if info:
            status = "misslyckades senast (tidigare version visas)" if r["failed"] else "klar"
            link = f'<a href="{slug}/index.html">{html.escape(name)}</a>'
            data = html.escape(tiers_sv(info.get("tiers", [])))
            secs = f"{info['seconds']:.1f} s".replace(".", ",")
            dl = (f'<a href="{slug}/tables/{slug}.xlsx">Excel</a> · <a href="{slug}/tables/{slug}-csv.zip">CSV (zip)</a> · '
                  f'<a href="{slug}/{slug}.ipynb">notebook</a>')
            cls = "failed" if r["failed"] else "built"
            entry.update(href=f"{slug}/index.html", xlsx=f"{slug}/tables/{slug}.xlsx", zip=f"{slug}/tables/{slug}-csv.zip")
            if (info.get("downloads") or {}).get("pdf"):
                entry["pdf"] = f"{slug}/{info['downloads']['pdf']}"
            if r["failed"]:
                entry["note"] = "senaste bygget misslyckades; tidigare version visas"
        else:
            status, link, data, secs, dl, cls = ("misslyckades" if r["failed"] else "ej byggd"), html.escape(name), "–", "–", "–", "failed"
            entry["note"] = status
        editions.append(entry)
        trs.append(f"<tr><td>{link}</td><td class=\"status-{cls}\">{status}</td><td>{secs}</td><td>{data}</td><td>{dl}</td></tr>")
    inputs = "".join(f"<tr><td>{html.escape(p)}</td><td>{html.escape(TIER_TEXT[v['tier']])}</td><td><code>{v['sha256'][:16]}</code></td></tr>"
                     for p, v in manifest["inputs"].items())
    technical = (f"<p>Version {html.escape(commit)}; dataunderlagets manifest sha256 <code>{manifest_hash[:16]}</code>.</p>"
                 "<table><thead><tr><th>Utgåva</th><th>Status</th><th>Byggtid</th><th>Underlag</th><th>Nedladdningar</th></tr>"
                 f"</thead><tbody>{''.join(trs)}</tbody></table>"
                 "<h3>Indata</h3><table><thead><tr><th>Fil</th><th>Underlag"
                 f"</th><th>sha256</th></tr></thead><tbody>{inputs}</tbody></table>")
    if front is None:  # no map data (e.g. a test without processed tables): the technical table only
        body = f"<header><h1>Digital motor – rapporter</h1></header><main>{technical}</main>"
        return _page("Digital motor – rapporter", body)
    return front_page(editions, front, technical)


#: At the top of the analyst's reports/index.html (never in a package that is sent).
ANALYST_NOTICE = ('<p class="demo" role="note">Detta är analytikerns fullständiga bygge med alla utgåvor. Det ska inte '
                  "skickas vidare: varje kommun får bara sin egen utgåva och regionutgåvan, som paket från "
                  "<code>fyrbodal distribute</code> (mappen <code>dist/</code>). Läs <a href=\"disclosure.html\">"
                  "röjandekontrollen</a> innan paketen skickas.</p>")


def disclosure_page(records: Path, all_eds: dict) -> str:
    """Per edition: what the disclosure layer suppressed, withheld or left unlinked, and why (for the analyst);
    ``records`` is the folder of the build's disclosure records (one JSON per edition)."""
    parts = ["<header><h1 style=\"border:0\">Röjandekontroll per utgåva</h1><p class=\"subtitle\">För analytikern: läs "
             "detta innan paketen skickas. Regeln: varje konfidentiellt värde som en medlem kan se eller räkna ut ska "
             "kunna tillhöra minst tre enheter utöver medlemmens egna (i regionutgåvan minst tre utöver varje medlems "
             "egna). Egna uppdelningar av enkäter till enskilda personer visas bara över minst tre svar.</p></header><main>"]
    for slug in all_eds:
        path = records / f"{slug}.json"
        if not path.exists():
            parts.append(f"<h3>{html.escape(slug)}</h3><p>Inte byggd: ingen uppgift.</p>")
            continue
        rec = json.loads(path.read_text(encoding="utf-8"))
        rows = [r for r in rec["items"] if r.get("status") not in ("offentlig", "släppt")]
        released = sum(r.get("status") == "släppt" for r in rec["items"])
        parts.append(f"<h3>{html.escape(rec['name'])} ({html.escape(slug)})</h3><p>{released} konfidentiella figurer "
                     f"och tabeller släppta utan begränsning; {len(rows)} med begränsning eller undertryckta.</p>")
        if rows:
            parts.append("<table><thead><tr><th>Figur</th><th>Status</th><th>Varför</th></tr></thead><tbody>")
            for r in rows:
                why = "; ".join([r["reason"]] if r.get("reason") else []) or "; ".join(r.get("notes", [])) or \
                    "en del av figuren visas inte (se sidan)"
                if r.get("reason") and r.get("notes"):
                    why += "; " + "; ".join(r["notes"])
                parts.append(f"<tr><td>{html.escape(r['number'])}</td><td>{html.escape(r['status'])}</td>"
                             f"<td>{html.escape(why)}</td></tr>")
            parts.append("</tbody></table>")
    parts.append("</main>")
    return _page("Röjandekontroll – Digital motor Fyrbodal", "".join(parts))
