"""The HTML a steering group opens: one page per edition and a landing page.

Pages are self-contained: styles inline, images embedded as data URIs, no
script and no address outside the page's own folder. ``lang="sv"``, readable on
a phone (fluid layout) and printable on A4 (print CSS). Code, prompts and the
parameters cells never reach the page.
"""

from __future__ import annotations

import html
import re

from ..core.formatting import tiers_sv

REPORT_DATE = "2021-02-26"

CSS = """
:root { --blue:#0072B2; --ink:#1a1a1a; --muted:#595959; --line:#d9d9d9; --warn:#B00020; --bg:#fff; }
* { box-sizing: border-box; }
html { scroll-padding-top: .5rem; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0; line-height: 1.5; background: var(--bg); }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; color: var(--blue); margin: 2rem 0 .5rem; border-bottom: 2px solid var(--blue); }
header h1 { border: 0; margin-top: 0; }
h2 { font-size: 1.25rem; margin: 1.6rem 0 .4rem; }
h3 { font-size: 1.1rem; margin: 1.8rem 0 .4rem; }
a { color: var(--blue); }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.demo { background: var(--warn); color: #fff; padding: .6rem 1rem; border-radius: 4px; font-weight: bold; }
.fyr-demo { color: var(--warn); }
figure { margin: 0 0 1.5rem; break-inside: avoid; }
figure.fyr-item { overflow-x: auto; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .3rem; }
.fyr-note { display: inline-block; margin-top: .2rem; }
img { max-width: 100%; height: auto; }
figure.fyr-item svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; display: block; overflow-x: auto; max-width: 100%;
  background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left center / 40px 100% no-repeat local,
    linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right center / 40px 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.28), rgba(0,0,0,0)) left center / 14px 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.28), rgba(0,0,0,0)) right center / 14px 100% no-repeat scroll; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef4fa; }
td { min-width: 4.5em; }
td.fyr-long { min-width: 16em; }
table.fyr-wide tr > :first-child { position: sticky; left: 0; z-index: 1; background: #fff; box-shadow: 1px 0 0 var(--line); }
table.fyr-wide thead tr > :first-child { background: #eef4fa; }
table.fyr-wide tr.fyr-own > :first-child { background: inherit; }
.fyr-scrollhint { display: none; font-size: .8rem; color: var(--muted); margin: .3rem 0 0; }
span.fyr-scrollhint { margin: 0 0 .3rem; }
.fyr-back { font-size: .9rem; margin: 0 0 .6rem; }
nav.toc { font-size: .9rem; padding: .5rem 1rem 1rem; max-width: 1100px; margin: 0 auto; }
nav.toc h2 { font-size: 1rem; margin: .6rem 0 .3rem; color: var(--blue); }
nav.toc ol { padding-left: 1.2rem; margin: .2rem 0; }
nav.toc ol ol { font-size: .85rem; padding-left: .4rem; list-style: none; }
nav.toc li { margin: .1rem 0; }
.fyr-top { position: fixed; right: .8rem; bottom: .8rem; background: #fff; border: 1px solid var(--blue); border-radius: 1.2rem;
  padding: .25rem .7rem; font-size: .85rem; text-decoration: none; box-shadow: 0 1px 4px rgba(0,0,0,.2); z-index: 5; }
.downloads a, nav a, td a { color: var(--blue); }
footer { color: var(--muted); font-size: .8rem; margin: 3rem auto 2rem; border-top: 1px solid var(--line); padding-top: .5rem; }
.status-built, .status-cached { color: #006b3c; } .status-failed { color: var(--warn); font-weight: bold; }
.fyr-front { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem 2rem; }
.fyr-map svg { width: 100%; max-width: 520px; height: auto; }
.fyr-map path { stroke: #fff; stroke-width: 1; }
.fyr-map a:focus path, .fyr-map a:hover path { stroke: var(--ink); stroke-width: 2.5; }
.fyr-map text { font-size: 13px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; pointer-events: none; }
.fyr-legend { font-size: .85rem; color: var(--muted); }
.fyr-legend .item { white-space: nowrap; width: auto; height: auto; margin: 0; }
.fyr-legend span span { display: inline-block; width: 1em; height: 1em; vertical-align: -.15em; margin: 0 .2em 0 .6em; }
caption { text-align: left; caption-side: top; }
dl.fyr-glossary dt { font-weight: bold; margin-top: .5rem; }
dl.fyr-glossary dd { margin: 0 0 0 1.2rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
@media (min-width: 1000px) {
  .fyr-layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); }
  nav.toc { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; margin: 0; padding: 1rem .8rem 2rem 1rem;
    border-right: 1px solid var(--line); font-size: .82rem; }
  nav.toc ol ol { font-size: .78rem; }
  .fyr-front { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
}
nav.toc ol ol li { display: inline-block; margin: 0 .6rem 0 0; white-space: nowrap; }
nav.toc ol ol li .ttl { display: none; }
@media (max-width: 999px) { nav.toc { border-bottom: 1px solid var(--line); } }
@media (max-width: 600px) {
  h1 { font-size: 1.3rem; } table { font-size: .75rem; } .fyr-scrollhint { display: block; }
  table.fyr-cards, table.fyr-cards tbody, table.fyr-cards tr { display: block; background: none; }
  table.fyr-cards thead { display: none; }
  table.fyr-cards tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.fyr-cards td { display: inline; border: 0; padding: 0; min-width: 0; }
  table.fyr-cards td:has(+ td.fyr-long) { font-weight: bold; }
  table.fyr-cards td:not(.fyr-long):has(+ td:not(.fyr-long))::after { content: " · "; }
  table.fyr-cards td.fyr-long { display: block; margin-top: .15rem; }
  table.fyr-cards td.fyr-long::before, table.fyr-cards td:not(:first-child):has(+ td.fyr-long)::before {
    content: attr(data-label) ": "; font-weight: normal; color: var(--muted); }
}
@media print {
  @page { size: A4; margin: 18mm 14mm 14mm;
    @top-left { content: "PAGE_HEADER"; font-size: 8pt; color: #595959; }
    @top-right { content: "Sida " counter(page) " av " counter(pages); font-size: 8pt; color: #595959; } }
  nav.toc, .downloads, .fyr-top, .fyr-back, .fyr-scrollhint { display: none; }
  .fyr-layout { display: block; }
  body { font-size: 10pt; }
  h1, h2, h3, .fyr-heading { break-after: avoid; }
  main .text_cell h1 { break-before: page; }
  main > .cell:first-child h1 { break-before: auto; }
  .text_cell { break-after: avoid; }
  .output_html, .output_area, figure { break-inside: avoid; }
  .output_html:has(table.fyr-longtable), .output_area:has(table.fyr-longtable), figure:has(table.fyr-longtable) { break-inside: auto; }
  h3, .fyr-heading { break-inside: avoid; }
  figure.fyr-item { overflow: visible; }
  figure.fyr-item img { min-width: 0 !important; max-height: 230mm; }
  table { display: table; background: none; }
  table.fyr-wide tr > :first-child { position: static; box-shadow: none; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _page(title: str, body: str, running_header: str | None = None) -> str:
    css = CSS.replace("PAGE_HEADER", _css_string(running_header or title))
    return (f'<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<style>{css}</style>\n</head>\n<body id=\"top\">\n{body}\n</body>\n</html>\n")


def _css_string(text: str) -> str:
    """Text for a CSS ``content:`` string (printed in the running header)."""
    return re.sub(r"[\\\"<>\n]", " ", text)


#: What each synthetic demo input is, in words a reader understands (the page never shows internal table names).
INPUT_SV = {
    "account_map": "koppling av konton till TBM-kostnadspooler",
    "age_structure": "befolkning per åldersgrupp i Västra Götaland (Figur 8)",
    "broadband_pts": "tillgång till bredband per kommun (PTS, Figur 14)",
    "capability_assessments": "kommunernas skattning av förmågornas mognad (Figur 28–30)",
    "capability_importance": "förmågornas strategiska betydelse (Figur 26 och 29)",
    "cost_centre_map": "koppling av kostnadsställen till IT-arbetsområden",
    "dimios_answers": "svaren på Dimios-enkäten om digital mognad (Figur 10–11, Bilaga 3)",
    "infosec_answers": "svaren på enkäten om informationssäkerhet (Figur 13, Bilaga 4)",
    "infosec_ciso": "CISO:ns andel av arbetstiden (Figur 12)",
    "it_cost_totals": "IT-organisationernas totala IT-kostnader (Figur 15–19)",
    "it_org_members": "vilka kommuner som hör till vilken IT-organisation",
    "it_organisations": "IT-organisationernas bemanning (årsarbetare) och vilka som ingår i kostnadsanalysen",
    "itchef_survey": "IT-chefernas enkätsvar (Figur 23–24)",
    "ledger": "IT-organisationernas huvudböcker (Figur 15–18)",
    "manager_survey": "förvaltningschefernas enkätsvar (Figur 20–22)",
    "municipal_costs": "kommunernas totala kostnader (Figur 19)",
}


def input_sv(name: str) -> str:
    """Swedish description of an input table (a generic phrase for an unknown one, never the internal name)."""
    return INPUT_SV.get(name, "ett underlag utan beskrivning")


_MINUS = re.compile(r"(?<![\w\-–−.,/:])-(?=\d)")


def typographic_minus(page: str) -> str:
    """Hyphens used as minus signs in the page's text become U+2212 (tags, styles and attributes untouched)."""
    out, in_style = [], False
    for part in re.split(r"(<[^>]*>)", page):
        if part.startswith("<"):
            low = part[:7].lower()
            in_style = low.startswith(("<style", "<script")) or (in_style and not low.startswith(("</style", "</scri")))
            out.append(part)
        else:
            out.append(part if in_style else _MINUS.sub("\u2212", part))
    return "".join(out)


def _notebook_body(nb) -> str:
    """The executed notebook's outputs as HTML: markdown and outputs only (nbconvert, basic template).

    nbconvert copies the notebook before it changes anything, so a shallow copy with fewer cells is enough here;
    it validates the notebook once, after its preprocessors, instead of after each of them (the same check, a
    twelfth of the work: the notebook's outputs are large)."""
    import copy

    nb = copy.copy(nb)
    nb.cells = [c for c in nb.cells if not set(c.get("metadata", {}).get("tags", [])) & {"parameters", "setup", "injected-parameters"}]
    body, _ = _exporter().from_notebook_node(nb)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return _tables_for_phones(_figures_for_phones(body))


_EXPORTER = None
_INSTANCES: dict = {}  # exporter class -> the one instance this process converts its pages with


def _exporter():
    """The page exporter (:func:`_exporter_class`), made once per process: a new one loads and compiles its Jinja
    templates again (a tenth of the page's work). It keeps nothing from one notebook to the next that a page shows
    (tests/test_html_exporter.py)."""
    cls = _exporter_class()
    if cls not in _INSTANCES:
        _INSTANCES[cls] = cls(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                              exclude_output_prompt=True, anchor_link_text="", optimistic_validation=True)
    return _INSTANCES[cls]


#: What nbconvert's closing pass changes: images (alt text) and JupyterLab's cell classes (tabindex).
_SOUP_TARGETS = ("<img", "jp-Cell-inputWrapper", "jp-OutputArea-output")
#: An ``<a>`` written as an empty XML element (nbconvert's heading anchors: ``<a class="anchor-link" href="#x"/>``).
_EMPTY_ANCHOR = re.compile(r"<a\b([^<>]*?)\s*/>")


def _exporter_class():
    """nbconvert's HTMLExporter without its closing BeautifulSoup pass.

    That pass parses the whole page, adds an English alt text to ``<img>`` without one and ``tabindex`` to
    JupyterLab's cell classes, and serialises the page again (a tenth of an edition's work). The basic template's
    output of an edition has no ``<img>`` (its charts are inline SVG with Swedish titles) and none of those classes;
    what the re-serialisation does change for a browser is nbconvert's heading anchors, written ``<a ... />``:
    a browser keeps such an ``<a>`` open (only SVG and MathML elements close at "/>"), so the rest of the section
    would become a link. This exporter closes them (:data:`_EMPTY_ANCHOR`) instead. The pages are the same
    document as nbconvert's, parsed as a browser parses them (tests/test_html_exporter.py); a page with anything
    else the pass would change goes through nbconvert's own exporter.
    """
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter
        from nbconvert.exporters.templateexporter import TemplateExporter

        class Exporter(HTMLExporter):
            def from_notebook_node(self, nb, resources=None, **kw):  # HTMLExporter's (nbconvert 7), minus the pass
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                self.register_filter("highlight_code",
                                     self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                given = resources
                resources = self._init_resources(resources)
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                if any(s in page for s in _SOUP_TARGETS):  # something the pass would change: nbconvert's own way
                    return super().from_notebook_node(nb, given, **kw)
                return _EMPTY_ANCHOR.sub(r"<a\1></a>", page), resources

        _EXPORTER = Exporter
    return _EXPORTER


FIGURE_HINT = '<span class="fyr-scrollhint">Diagrammet är bredare än skärmen: svep i sidled.</span>'
#: Chart text is at least ~8 pt at the figures' 110 dpi (~12 px); shown at 75 % or more it stays ≥ 9 px.
MIN_FIGURE_SCALE = 0.75


def _png_width(b64: str) -> int | None:
    import base64
    try:
        head = base64.b64decode(b64[:44])
    except ValueError:
        return None
    return int.from_bytes(head[16:20], "big") if head[:8] == b"\x89PNG\r\n\x1a\n" else None


def _figures_for_phones(body: str) -> str:
    """Give every embedded chart a minimum width (its box scrolls sideways on a phone instead of shrinking the text)."""
    def fix(m: re.Match) -> str:
        tag = m.group(0)
        w = _png_width(m.group(1))
        if not w:
            return tag
        style = f'style="max-width:100%;height:auto;min-width:min({round(w * MIN_FIGURE_SCALE)}px,{w}px)" width="{w}"'
        tag = re.sub(r'\s(style|width)="[^"]*"', "", tag).replace("<img ", f"<img {style} ", 1)
        return tag + (FIGURE_HINT if w * MIN_FIGURE_SCALE > 380 else "")
    body = re.sub(r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]{44})[^"]*"[^>]*>', fix, body)
    body = re.sub(r'(<figure class="fyr-item">\s*)(<svg\b[^>]*>)', lambda m: m.group(1) + _svg_min_width(m.group(2)), body)
    return re.sub(r'<div style="overflow-x:auto"><svg\b[^>]*?min-width:(\d+)px', _svg_hint, body)


def _svg_hint(m: re.Match) -> str:
    """An inline SVG chart wider than a phone (its minimum width keeps the text legible) gets the swipe hint."""
    return (FIGURE_HINT if int(m.group(1)) > PHONE_CONTENT_PX else "") + m.group(0)


#: Width of the content column on a 390 px phone (CSS px): a figure wider than this scrolls sideways.
PHONE_CONTENT_PX = 358


#: Inline SVG charts (matplotlib) are sized in pt: 8 pt text is ~10,7 px at natural size, so keep 85 % of it.
MIN_SVG_SCALE = 0.85


def _svg_min_width(tag: str) -> str:
    """The same minimum width for an inline SVG chart as for a PNG one (natural width from its width attribute)."""
    m = re.search(r'\swidth="([\d.]+)(pt|px)?"', tag)
    if not m:
        return tag
    w = round(float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1))
    rule = f"max-width:100%;height:auto;min-width:min({round(w * MIN_SVG_SCALE)}px,{w}px)"
    if ' style="' in tag:
        return tag.replace(' style="', f' style="{rule};', 1)
    return tag.replace("<svg", f'<svg style="{rule}"', 1)


def _tables_for_phones(body: str) -> str:
    """Wide tables: a sticky first column and a hint to swipe; long text cells get room instead of tall thin rows."""
    def fix(m: re.Match) -> str:
        table = m.group(0)
        head = re.search(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
        ncols = len(re.findall(r"<t[hd][ >]", head.group(1))) if head else 0
        table = re.sub(r"<td>([^<]{80,})</td>", r'<td class="fyr-long">\1</td>', table)
        if _print_lines(table) > PRINT_LINES:  # taller than a printed page: let it break, heading with its first rows
            table = re.sub(r'<table class="([^"]*)"', r'<table class="\1 fyr-longtable"', table, count=1)
        if "fyr-long" in table:  # text tables (Bilaga 5): one card per row on a phone, the long text full width
            return _labelled_cells(re.sub(r'<table class="([^"]*)"', r'<table class="\1 fyr-cards"', table, count=1))
        if ncols < 4:
            return table
        table = re.sub(r'<table class="([^"]*)"', r'<table class="\1 fyr-wide"', table, count=1)
        return table + '<p class="fyr-scrollhint">Tabellen är bredare än skärmen: svep i sidled för att se alla kolumner.</p>'
    return re.sub(r"<table\b.*?</table>", fix, body, flags=re.S)


def _labelled_cells(table: str) -> str:
    """Each body cell carries its column header (``data-label``), shown before the text in a card on a phone."""
    thead = re.search(r"<thead>.*?</thead>", table, flags=re.S)
    if not thead:
        return table
    heads = [html.escape(html.unescape(re.sub(r"<[^>]+>", "", h)).strip()) for h in re.findall(r"<th[^>]*>(.*?)</th>",
                                                                                              thead.group(0), re.S)]

    def row(m: re.Match) -> str:
        cells = iter(heads)
        return re.sub(r"<td(?=[ >])", lambda c: f'<td data-label="{next(cells, "")}"', m.group(0))
    return table[:thead.end()] + re.sub(r"<tr[^>]*>.*?</tr>", row, table[thead.end():], flags=re.S)


#: About how many table lines fit on an A4 page under a heading (10 pt text, 18 mm and 14 mm margins).
PRINT_LINES = 45


def _print_lines(table: str) -> int:
    """A rough printed height of a table in lines: each row as tall as its longest cell wrapped at ~45 characters."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    return sum(max([1] + [len(re.sub(r"<[^>]+>", "", c)) // 45 + 1 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)])
               for r in rows)


def _toc(body: str, back: str | None = None) -> str:
    items, current = [], None
    for level, anchor, text in re.findall(r'<h([13])[^>]*id="([^"]+)"[^>]*>(.*?)</h\1>', body, flags=re.S):
        label = html.escape(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
        if level == "1":
            current = [label, anchor, []]
            items.append(current)
        elif current is not None:
            current[2].append((label, anchor))
    n = sum(len(x[2]) for x in items)
    out = ['<nav class="toc" aria-label="Innehåll">']
    if back:
        out.append(f'<p class="fyr-back"><a href="{back}">← Alla utgåvor</a></p>')
    out.append(f"<h2>Innehåll</h2><p class=\"subtitle\">{len(items)} avsnitt, {n} figurer och tabeller</p><ol>")
    for label, anchor, subs in items:
        out.append(f'<li><a href="#{anchor}">{label}</a>')
        if subs:
            out.append("<ol>" + "".join(f'<li><a href="#{a}" title="{l}">{_toc_label(l, label)}</a></li>' for l, a in subs) + "</ol>")
        out.append("</li>")
    out.append("</ol></nav>")
    return "".join(out)


def _toc_label(label: str, chapter: str = "") -> str:
    """"Figur 7: Befolkning …" as number and title; the contents shows the number (the title on hover). An item
    named like its chapter ("Sammanfattning: Bengtsfors i korthet") shows its title instead of the chapter twice."""
    num, sep, title = label.partition(": ")
    if sep and num == chapter:
        return f'<span class="num">{title}</span>'
    return f'<span class="num">{num}</span><span class="ttl">{sep}{title}</span>' if sep else label


def edition_title(ed) -> str:
    """"Digital motor Fyrbodal – regionutgåva" or "… – Bengtsfors" (never the region's name twice)."""
    who = "regionutgåva" if ed.is_region else ed.name
    return f"Digital motor {ed.region} – {who}"


def edition_page(nb, ed, tiers, commit: str, files: dict, pdf: str | None = None, back: str | None = "../index.html") -> str:
    body = _notebook_body(nb)
    name = edition_title(ed)
    title = f"{name} (data 2019, rapport {REPORT_DATE})"
    kind = "regionutgåva" if ed.is_region else f"utgåva för {ed.name}, jämförd med {ed.region}"
    demo = ('<p class="demo">Utgåvan bygger delvis på syntetiska demodata – inte verkliga svar. Figurer och tabeller som '
            "bygger på demodata är märkta.</p>") if "demo" in tiers else ""
    if getattr(ed, "demo_inputs", None):
        demo += ("<details><summary>Vilka underlag är demodata?</summary><ul>" +
                 "".join(f"<li>{html.escape(input_sv(d))}</li>" for d in ed.demo_inputs) + "</ul></details>")
    slug = html.escape(ed.slug)
    links = [f'<a href="{html.escape(pdf)}">hela utgåvan som PDF</a>'] if pdf else []
    links += [f'<a href="tables/{slug}.xlsx">alla tabeller (Excel)</a>', f'<a href="tables/{slug}-csv.zip">alla tabeller som '
              "CSV (zip)</a>", f'<a href="{slug}.ipynb">den körda notebooken</a>']
    downloads = f'<p class="downloads">Ladda ner: {" · ".join(links)}</p>'
    head = (f"<header><h1>{html.escape(title)}</h1>"
            f"<p class=\"subtitle\">Förstudien Digital motor {html.escape(ed.region)} i siffror – {html.escape(kind)}. "
            f"Underlag: {html.escape(tiers_sv(tiers))}.</p>{demo}{downloads}</header>")
    foot = (f"<footer>Byggd från versionen {html.escape(commit)} av fyrbodal-analysis. Siffrorna kommer från rapportens text, "
            "SCB och de underlag som anges vid varje figur. Procent och decimaler är avrundade.</footer>")
    page = ('<div class="fyr-layout">' + _toc(body, back) + f'<div class="fyr-content">{head}<main>{body}</main>{foot}</div></div>'
            '<a class="fyr-top" href="#top">↑ Till början</a>')
    return _page(title, typographic_minus(page), running_header=name)
