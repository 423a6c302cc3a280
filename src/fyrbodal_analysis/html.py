"""The HTML a steering group opens: one page per edition and a landing page.

Pages are self-contained: styles inline, images embedded as data URIs, no
script and no address outside the page's own folder. ``lang="sv"``, readable on
a phone (fluid layout) and printable on A4 (print CSS). Code, prompts and the
parameters cells never reach the page.
"""

from __future__ import annotations

import html
import re

REPORT_DATE = "2021-02-26"
TIER_TEXT = {"published": "rapportens text", "public": "offentliga data", "demo": "syntetiska demodata",
             "private": "kommunernas konfidentiella underlag"}

CSS = """
:root { --blue:#0072B2; --ink:#1a1a1a; --muted:#5a5a5a; --line:#d9d9d9; --warn:#B00020; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0; line-height: 1.5; }
header, main, footer, nav { max-width: 1100px; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; color: var(--blue); margin: 2rem 0 .5rem; border-bottom: 2px solid var(--blue); }
h3 { font-size: 1.1rem; margin: 1.8rem 0 .4rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.demo { background: var(--warn); color: #fff; padding: .6rem 1rem; border-radius: 4px; font-weight: bold; }
.fa-demo { color: var(--warn); }
figure { margin: 0 0 1.5rem; break-inside: avoid; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .3rem; }
.fa-note { display: inline-block; margin-top: .2rem; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; display: block; overflow-x: auto; max-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef4fa; }
nav.toc { font-size: .9rem; margin-bottom: 1rem; } nav.toc summary { cursor: pointer; font-weight: bold; color: var(--blue); }
nav.toc ol { padding-left: 1.2rem; }
nav.toc ol ol { font-size: .85rem; }
.downloads a, nav a, td a { color: var(--blue); }
footer { color: var(--muted); font-size: .8rem; margin: 3rem auto 2rem; border-top: 1px solid var(--line); padding-top: .5rem; }
.status-built, .status-cached { color: #006b3c; } .status-failed { color: var(--warn); font-weight: bold; }
@media (max-width: 600px) { h1 { font-size: 1.3rem; } table { font-size: .75rem; } }
@media print {
  @page { size: A4; margin: 15mm; }
  nav.toc, .downloads { display: none; }
  body { font-size: 10pt; }
  h1 { break-before: page; }
  h1:first-of-type { break-before: auto; }
  img { max-height: 240mm; }
}
"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def tiers_sv(tiers) -> str:
    return ", ".join(TIER_TEXT[t] for t in ("published", "public", "private", "demo") if t in tiers)


def _notebook_body(nb) -> str:
    """The executed notebook's outputs as HTML: markdown and outputs only (nbconvert, basic template)."""
    import copy

    from nbconvert import HTMLExporter
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not set(c.get("metadata", {}).get("tags", [])) & {"parameters", "setup", "injected-parameters"}]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, anchor_link_text="")
    body, _ = exporter.from_notebook_node(nb)
    return re.sub(r"<!--.*?-->", "", body, flags=re.S)


def _toc(body: str) -> str:
    items, current = [], None
    for level, anchor, text in re.findall(r'<h([13])[^>]*id="([^"]+)"[^>]*>(.*?)</h\1>', body, flags=re.S):
        label = html.escape(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
        if level == "1":
            current = [label, anchor, []]
            items.append(current)
        elif current is not None:
            current[2].append((label, anchor))
    n = sum(len(x[2]) for x in items)
    out = [f"<nav class=\"toc\" aria-label=\"Innehåll\"><details><summary>Innehåll: {len(items)} avsnitt, {n} figurer och "
           "tabeller</summary><ol>"]
    for label, anchor, subs in items:
        out.append(f'<li><a href="#{anchor}">{label}</a>')
        if subs:
            out.append("<ol>" + "".join(f'<li><a href="#{a}">{l}</a></li>' for l, a in subs) + "</ol>")
        out.append("</li>")
    out.append("</ol></details></nav>")
    return "".join(out)


def edition_page(nb, ed, tiers, commit: str, files: dict) -> str:
    body = _notebook_body(nb)
    title = f"Digital motor Fyrbodal – {ed.name} (data 2019, rapport {REPORT_DATE})"
    kind = "regionutgåva" if ed.is_region else f"utgåva för {ed.name}, jämförd med {ed.region}"
    demo = ('<p class="demo">Utgåvan bygger delvis på syntetiska demodata – inte verkliga svar. Figurer och tabeller som '
            "bygger på demodata är märkta.</p>") if "demo" in tiers else ""
    if getattr(ed, "demo_inputs", None):
        demo += ("<details><summary>Vilka underlag är demodata?</summary><p>" +
                 ", ".join(html.escape(d) for d in ed.demo_inputs) + "</p></details>")
    downloads = (f'<p class="downloads">Ladda ner: <a href="tables/{html.escape(ed.slug)}.xlsx">alla tabeller (Excel)</a>'
                 f' · <a href="tables/">tabeller som CSV</a> · <a href="{html.escape(ed.slug)}.ipynb">den körda notebooken</a></p>')
    head = (f"<header><h1 style=\"border:0;margin-top:0\">{html.escape(title)}</h1>"
            f"<p class=\"subtitle\">Förstudien Digital motor Fyrbodal i siffror – {html.escape(kind)}. "
            f"Underlag: {html.escape(tiers_sv(tiers))}.</p>{demo}{downloads}</header>")
    foot = (f"<footer>Byggd från versionen {html.escape(commit)} av fyrbodal-analysis. Siffrorna kommer från rapportens text, "
            "SCB och de underlag som anges vid varje figur. Procent och decimaler är avrundade.</footer>")
    return _page(title, head + _toc(body) + f"<main>{body}</main>" + foot)


def index_page(rows: list[dict], manifest: dict, manifest_hash: str, commit: str) -> str:
    trs = []
    for r in rows:
        slug, info = r["slug"], r["info"]
        name = info["name"] if info else slug
        if info:
            status = "misslyckades senast (tidigare version visas)" if r["failed"] else "klar"
            link = f'<a href="{slug}/index.html">{html.escape(name)}</a>'
            data = html.escape(tiers_sv(info.get("tiers", [])))
            secs = f"{info['seconds']:.1f} s".replace(".", ",")
            dl = (f'<a href="{slug}/tables/{slug}.xlsx">Excel</a> · <a href="{slug}/tables/">CSV</a> · '
                  f'<a href="{slug}/{slug}.ipynb">notebook</a>')
            cls = "failed" if r["failed"] else "built"
        else:
            status, link, data, secs, dl, cls = ("misslyckades" if r["failed"] else "ej byggd"), html.escape(slug), "–", "–", "–", "failed"
        trs.append(f"<tr><td>{link}</td><td class=\"status-{cls}\">{status}</td><td>{secs}</td><td>{data}</td><td>{dl}</td></tr>")
    inputs = "".join(f"<tr><td>{html.escape(p)}</td><td>{html.escape(TIER_TEXT[v['tier']])}</td><td><code>{v['sha256'][:16]}</code></td></tr>"
                     for p, v in manifest["inputs"].items())
    body = (f"<header><h1 style=\"border:0\">Digital motor Fyrbodal – rapporter</h1>"
            f"<p class=\"subtitle\">Regionutgåvan och en utgåva per medlemskommun. Version {html.escape(commit)}; "
            f"dataunderlagets manifest sha256 <code>{manifest_hash[:16]}</code>.</p></header><main>"
            "<table><thead><tr><th>Utgåva</th><th>Status</th><th>Byggtid</th><th>Underlag</th><th>Nedladdningar</th></tr></thead>"
            f"<tbody>{''.join(trs)}</tbody></table>"
            "<h3>Indata</h3><details><summary>Filer, typ av underlag och sha256</summary><table><thead><tr><th>Fil</th><th>Underlag"
            f"</th><th>sha256</th></tr></thead><tbody>{inputs}</tbody></table></details></main>"
            "<footer>Utgåvor som bygger på syntetiska demodata är märkta i varje figur.</footer>")
    return _page("Digital motor Fyrbodal – rapporter", body)
