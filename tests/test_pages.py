"""The pages and downloads a reader gets, tested fast on tiny inputs: navigation, print and phone CSS,
Swedish text, the front page, the exports, and the edition lookup. (Browser and PDF checks on real
editions are in test_build.py.)"""

from __future__ import annotations

import base64
import csv
import functools
import io
import re
import zipfile
from types import SimpleNamespace

import pytest

from fyrbodal_analysis.core.paths import Project
from fyrbodal_analysis.core.registry import load_registry
from fyrbodal_analysis.publish import html as pages
from fyrbodal_analysis.publish.build import export_tables
from fyrbodal_analysis.publish.exports import csv_rows, sheet, xlsx_format
from fyrbodal_analysis.publish.frontpage import front_page, front_page_data
from fyrbodal_analysis.report.edition import _resolve_edition
from fyrbodal_analysis.report.items import Item
from tests.conftest import ROOT

# --- point 9: JupyterLab and fa.edition ------------------------------------------------------------

def test_item_css_classes_do_not_collide_with_font_awesome():
    import pandas as pd
    it = Item("Figur 1", "Titel", "Källa", table=pd.DataFrame({"a": [1]}), notes=["not"], is_demo=True)
    out = it._repr_html_()
    assert 'class="fyr-heading"' in out and "fyr-table" in out and 'class="fyr-note"' in out
    assert not re.search(r'class="[^"]*\bfa-', out)  # Font Awesome owns .fa-*
    assert ".fa-" not in pages.CSS


@pytest.mark.parametrize("wanted", ["1460", "bengtsfors", "Bengtsfors", "BENGTSFORS", " bengtsFORS "])
def test_edition_accepts_code_slug_or_name_in_any_case(wanted):
    reg = load_registry(Project(ROOT))
    assert _resolve_edition(reg, wanted) == "1460"


def test_edition_lookup_region_and_unknown():
    reg = load_registry(Project(ROOT))
    assert _resolve_edition(reg, None) == _resolve_edition(reg, "Fyrbodal") == _resolve_edition(reg, "FYRBODAL") == reg.region_code
    assert _resolve_edition(reg, "trollhättan") == _resolve_edition(reg, "Trollhattan") == "1488"
    with pytest.raises(KeyError, match="unknown edition 'Atlantis'.*name"):
        _resolve_edition(reg, "Atlantis")


# --- point 5: report order ------------------------------------------------------------------------

def test_items_are_in_report_order():
    """Every figur_N function, in the order the editions show them, has a number no smaller than the one before."""
    from fyrbodal_analysis.report.parts import PARTS
    numbers = []
    for module in PARTS.values():
        for fn in module.ITEMS:
            name = (fn.func if isinstance(fn, functools.partial) else fn).__name__
            m = re.fullmatch(r"figur_(\d+)(_\w+)?", name)
            if m:
                numbers.append(int(m.group(1)))
    assert numbers == sorted(numbers) and {6, 31, 33, 35} <= set(numbers)


# --- the edition page --------------------------------------------------------------------------------

def _png(width: int, height: int = 10) -> str:
    """A PNG header of the given size (enough for the page, which reads only the width)."""
    head = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x06\x00\x00\x00"
    return base64.b64encode(head + b"\x00" * 20).decode()


def _notebook():
    import nbformat  # not at module level: importing it costs ~2 s, paid by every xdist worker at collection

    nb = nbformat.v4.new_notebook()
    item = Item("Figur 7", "Befolkning", "Källa: SCB", table=__import__("pandas").DataFrame(
        {"Kommun": ["Bengtsfors"], "a": [1], "b": [2], "c": [3], "Förändring": ["-12,2 %"]}))
    fig = (f'<h3 class="fyr-heading" id="figur-6">Figur 6: Diagram</h3><figure class="fyr-item"><img src="data:image/png;base64,'
           f'{_png(880)}" alt="Stapeldiagram över befolkningen" style="max-width:100%;height:auto"></figure>')
    cells = [nbformat.v4.new_markdown_cell("# Demografi\n\nBefolkningen."),
             nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("execute_result", {"text/html": fig})]),
             nbformat.v4.new_code_cell("y", outputs=[nbformat.v4.new_output("execute_result", {"text/html": item._repr_html_()})]),
             nbformat.v4.new_markdown_cell("# Bilagor\n\nMetod.")]
    nb.cells = cells
    return nb


def _ed(is_region=False):
    return SimpleNamespace(is_region=is_region, name="Fyrbodal" if is_region else "Bengtsfors", region="Fyrbodal",
                           slug="fyrbodal" if is_region else "bengtsfors", demo_inputs=["dimios_answers", "ledger"])


@pytest.fixture(scope="module")
def edition_html():
    return pages.edition_page(_notebook(), _ed(), ["published", "demo"], "abc123", {}, pdf="bengtsfors.pdf")


def test_page_navigation(edition_html):
    toc = re.search(r'<nav class="toc".*?</nav>', edition_html, flags=re.S).group(0)
    assert "<details" not in toc  # always open: a sidebar on a desktop, on top on a phone
    assert 'href="#Demografi"' in toc and 'href="#figur-6"' in toc and 'href="#Bilagor"' in toc
    assert '<span class="num">Figur 6</span>' in toc  # a phone shows the numbers only
    assert 'href="../index.html"' in edition_html and 'href="#top"' in edition_html and '<body id="top">' in edition_html
    assert "position: sticky" in pages.CSS and "@media (min-width: 1000px)" in pages.CSS


def test_toc_never_names_a_chapter_twice():
    """The summary item is numbered like its chapter: the contents shows its title, not "Sammanfattning" twice."""
    body = ('<h1 id="Sammanfattning">Sammanfattning</h1><h3 id="s">Sammanfattning: Bengtsfors i korthet</h3>'
            '<h1 id="Demografi">Demografi</h1><h3 id="f6">Figur 6: Befolkning</h3>')
    toc = pages._toc(body)
    assert '<span class="num">Bengtsfors i korthet</span>' in toc and toc.count(">Sammanfattning<") == 1
    assert '<span class="num">Figur 6</span><span class="ttl">: Befolkning</span>' in toc


def test_page_downloads_link_files_not_folders(edition_html):
    links = re.findall(r'href="([^"#]+)"', re.search(r'<p class="downloads">.*?</p>', edition_html).group(0))
    assert links == ["bengtsfors.pdf", "tables/bengtsfors.xlsx", "tables/bengtsfors-csv.zip", "bengtsfors.ipynb"]


def test_page_print_rules(edition_html):
    css = re.search(r"@media print \{.*", pages.CSS, flags=re.S).group(0)
    assert "main .text_cell h1 { break-before: page; }" in css  # every chapter but the first
    assert "main > .cell:first-child h1 { break-before: auto; }" in css
    assert "h1:first-of-type" not in css  # matched every chapter: each sits in its own cell
    assert re.search(r"\.output_html[^{]*\{ break-inside: avoid", css)  # heading, figure and caption stay together
    assert 'content: "Digital motor Fyrbodal – Bengtsfors"' in edition_html and "counter(page)" in edition_html


def test_page_language(edition_html):
    assert "Fyrbodal – Fyrbodal" not in pages.edition_page(_notebook(), _ed(True), ["published"], "c", {})
    assert "−12,2" in edition_html and "-12,2" not in edition_html
    assert "dimios_answers" not in edition_html and "ledger" not in edition_html
    assert pages.input_sv("dimios_answers") in edition_html


def test_typographic_minus_only_in_text():
    src = ('<style>a { margin:-1px }</style><p title="-5">Förändring -12,2 % och -3; 2021-02-26, Dals-Ed, Dag-1, 1-6, '
           'x-2</p><img src="data:image/png;base64,ab-1">')
    out = pages.typographic_minus(src)
    assert "Förändring −12,2 % och −3;" in out
    for kept in ("margin:-1px", 'title="-5"', "2021-02-26", "Dals-Ed", "Dag-1", "1-6", "x-2", "ab-1"):
        assert kept in out


def test_every_demo_input_has_a_swedish_description():
    import yaml
    sources = yaml.safe_load((ROOT / "data" / "raw" / "sources.yml").read_text(encoding="utf-8"))
    files = sources.get("files", sources)
    demo = {p.rsplit("/", 1)[-1].rsplit(".", 1)[0] for p, v in files.items() if isinstance(v, dict) and v.get("tier") == "demo"}
    assert demo and demo <= set(pages.INPUT_SV)


def test_charts_keep_a_legible_width_on_a_phone(edition_html):
    img = re.search(r"<img [^>]*>", edition_html).group(0)
    assert f"min-width:min({round(880 * pages.MIN_FIGURE_SCALE)}px,880px)" in img and 'alt="Stapeldiagram' in img
    assert "figure.fyr-item { overflow-x: auto; }" in pages.CSS


def test_wide_tables_scroll_with_a_sticky_first_column_and_a_hint(edition_html):
    table = re.search(r"<table[^>]*>", edition_html).group(0)
    assert "fyr-wide" in table and "Tabellen är bredare än skärmen" in edition_html
    assert re.search(r"table\.fyr-wide tr > :first-child \{ position: sticky; left: 0", pages.CSS)
    long = pages._tables_for_phones('<table class="x"><tr><th>A</th></tr><tr><td>' + "ord " * 30 + "</td></tr></table>")
    assert 'class="fyr-long"' in long  # long text gets width instead of a tall thin cell (Bilaga 5 on a phone)


# --- the front page --------------------------------------------------------------------------------

def _front():
    square = "M0 0L10 0L10 10Z"
    return {"region_code": "fyrbodal", "region_name": "Fyrbodal", "viewbox": "0 0 100 100", "demo_inputs": ["ledger"],
            "municipalities": [
                {"code": "1460", "name": "Bengtsfors", "slug": "bengtsfors", "path": square, "label_xy": [5, 5],
                 "population_from": 9800, "population_to": 8600, "change_pct": -12.2},
                {"code": "1488", "name": "Trollhättan", "slug": "trollhattan", "path": square, "label_xy": [50, 50],
                 "population_from": 59100, "population_to": 61100, "change_pct": 3.4}]}


def test_front_page_links_only_the_editions_it_is_given():
    eds = [{"slug": "fyrbodal", "name": "Fyrbodal", "code": "fyrbodal", "href": "fyrbodal/index.html", "pdf": "fyrbodal/fyrbodal.pdf"},
           {"slug": "bengtsfors", "name": "Bengtsfors", "code": "1460", "href": "bengtsfors/index.html"}]
    out = front_page(eds, _front())
    assert 'href="bengtsfors/index.html"' in out and 'href="fyrbodal/fyrbodal.pdf"' in out
    assert "trollhattan/" not in out  # a municipality's package never links another municipality's edition
    assert "<svg" in out and "Trollhättan" in out and "59\u00a0100" in out  # but the map shows every municipality
    assert "−12,2" in out and "Fyrbodal totalt" in out and "68\u00a0900" in out  # total computed from the rows
    for term in ("Dimios", "TBM", "CISO", "Typ A–D", "p-värde"):
        assert f"<dt>{term}</dt>" in out
    assert pages.input_sv("ledger") in out and "Syntetiska demodata – inte verkliga svar" in out
    assert "Teknisk information" not in out  # only when given
    assert "Teknisk information" in front_page(eds, _front(), technical="<p>sha256</p>")


def test_front_page_of_another_region_names_the_study_it_applies():
    """Another region's front page names the pre-study that exists (the default region's), never a study of its own."""
    own = front_page([], _front())
    assert "Förstudien <em>Digital motor Fyrbodal</em>" in own and "gällde bara" not in own
    other = {**_front(), "region_code": "vastra-gotaland", "region_name": "Västra Götaland",
             "study_region": "Fyrbodal", "study_publisher": "Fyrbodals kommunalförbund"}
    out = front_page([], other)
    assert "Digital motor Västra Götaland</em>" not in out and "Västra Götalands kommunalförbund" not in out
    assert "Förstudien <em>Digital motor Fyrbodal</em> (Fyrbodals kommunalförbund" in out
    assert "de 2 kommunerna i Västra Götaland" in out and "gällde bara kommunerna i Fyrbodal" in out


def test_front_page_data_from_the_shipped_geojson(prepared, tmp_path):
    proj = Project(tmp_path)
    (tmp_path / "reports").mkdir()
    for name in ("params", "data"):
        (tmp_path / name).symlink_to(prepared.root / name)
    data = front_page_data(proj, "fyrbodal", "hash")
    assert len(data["municipalities"]) == 14 and all(m["path"].startswith("M") for m in data["municipalities"])
    b = next(m for m in data["municipalities"] if m["name"] == "Bengtsfors")
    assert (b["population_from"], b["change_pct"]) == (9800, -12.2) and data["period"] == [2019, 2030]
    assert (data["study_region"], data["study_publisher"]) == ("Fyrbodal", "Fyrbodals kommunalförbund")
    assert front_page_data(proj, "fyrbodal", "hash") == data and (tmp_path / "reports" / ".front.json").exists()


# --- downloads ---------------------------------------------------------------------------------------

ITEM = {"number": "Figur 29", "title": "T", "slug": "figur-29", "is_demo": True, "source": "s",
        "columns": ["capability_id", "it_org_id", "it_cost_share_pct", "matches_report", "municipality_code", "year",
                    "population", "label", "Rapporten"],
        "rows": [["F01", "ORG1", 2.1699999410335638, True, "1460", 2019, 9750, "IT Bengtsfors", "-0,38"],
                 ["F02", "ORG2", 1.06, False, "1438", 2020, 4813, "Org. A", "2,73"]]}


def _lookup(table, id_col, name_col):
    return {"F01": "Bygga kultur", "F02": "Leda utifrån en helhetssyn"} if table == "capabilities" else {}


def test_export_headers_an_item_named_itself_read_as_headers():
    """Columns outside the field dictionary ("lager", "svensk_benämning") get a capital and no underscore."""
    item = {**ITEM, "columns": ["lager", "svensk_benämning", "p-värde (syntetiska demodata)"],
            "rows": [["Digital utsida", "Förmåga", 0.159]]}
    assert sheet(item).headers == ["Lager", "Svensk benämning", "p-värde (syntetiska demodata)"]


def test_export_sheet_is_ready_for_a_swedish_analyst():
    s = sheet(ITEM, _lookup)
    assert s.headers == ["Förmåga", "Central IT av total kostnad (%)", "Stämmer med rapporten", "Kommunkod", "År",
                         "Folkmängd", "Benämning", "Rapporten"]
    assert "ORG1" not in str(s.rows())  # ids of anonymous units are never exported
    assert csv_rows(s)[0] == ["Bygga kultur", "2,17", "ja", "1460", "2019", "9750", "IT Bengtsfors", "-0,38"]
    assert csv_rows(s)[1][2] == "nej"
    fmts = [xlsx_format(c) for c in s.columns]
    assert fmts == [None, "#,##0.00", None, None, "0", "#,##0", None, "#,##0.00"]
    assert s.rows()[0][7] == -0.38  # a number the part formatted as text is a number again
    s.add("Demodata", ["ja", "ja"])  # how a further column is added
    assert s.headers[-1] == "Demodata" and csv_rows(s)[0][-1] == "ja"


def test_export_files_xlsx_numbers_and_zip(tmp_path):
    import nbformat
    from openpyxl import load_workbook

    from fyrbodal_analysis.report.items import MIME
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", {MIME: ITEM})])]
    files = export_tables(nb, tmp_path, "bengtsfors")
    assert list(files) == ["figur-29"]
    ws = load_workbook(tmp_path / "bengtsfors.xlsx")["Figur 29"]
    assert ws["B2"].value == 2.17 and ws["B2"].number_format == "#,##0.00" and ws["D2"].value == "1460"
    with zipfile.ZipFile(tmp_path / "bengtsfors-csv.zip") as z:
        assert z.namelist() == ["bengtsfors/figur-29.csv"]
        rows = list(csv.reader(io.StringIO(z.read("bengtsfors/figur-29.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == "Central IT av total kostnad (%)" and rows[1][1] == "2,17"


def test_build_reads_items_without_importing_items():
    from fyrbodal_analysis.publish import build
    from fyrbodal_analysis.report import items
    assert build.ITEM_MIME == items.MIME


def test_tables_taller_than_a_page_may_break_in_print():
    """An item taller than a page breaks inside (heading with its first rows), instead of leaving the heading alone."""
    rows = "".join(f"<tr><td>Förmåga {i}</td><td>{'ord ' * 30}</td></tr>" for i in range(40))
    long = pages._tables_for_phones(f'<table class="x"><thead><tr><th>A</th><th>B</th></tr></thead>{rows}</table>')
    short = pages._tables_for_phones('<table class="x"><tr><th>A</th></tr><tr><td>1</td></tr></table>')
    assert "fyr-longtable" in long and "fyr-longtable" not in short
    assert re.search(r"\.output_html:has\(table\.fyr-longtable\)[^{]*\{ break-inside: auto; \}", pages.CSS)


def test_ids_get_the_names_the_edition_already_shows():
    from fyrbodal_analysis.publish.exports import name_lookup
    fig25 = {"number": "Figur 25", "title": "t", "slug": "f25", "columns": ["capability_id", "capability"],
             "rows": [["F01", "Bygga kultur"], ["F02", "Leda utifrån en helhetssyn"]]}
    fig29 = {"number": "Figur 29", "title": "t", "slug": "f29", "columns": ["capability_id", "mean_level"],
             "rows": [["F02", 2.0666], ["F03", 1.5]]}
    s = sheet(fig29, name_lookup([fig25, fig29]))
    assert s.headers == ["Förmåga", "Genomsnittlig mognad"]
    assert csv_rows(s) == [["Leda utifrån en helhetssyn", "2,07"], ["F03", "1,50"]]


def test_inline_svg_charts_keep_a_legible_width_too():
    """The figures are moving to inline SVG (sized in pt); they get the same minimum width as PNG charts."""
    body = '<figure class="fyr-item">\n<svg xmlns="http://www.w3.org/2000/svg" width="576pt" height="324pt" viewBox="0 0 576 324">'
    out = pages._figures_for_phones(body)
    assert f"min-width:min({round(768 * pages.MIN_SVG_SCALE)}px,768px)" in out
