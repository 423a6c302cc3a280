"""The edition page's notebook body without nbconvert's closing BeautifulSoup pass (publish/html.py).

The build skips that pass (a parse and re-serialisation of the whole page, which changes nothing on an edition's
page); these tests show the page is the same document as nbconvert's, that the pass really is skipped, and that
a page with something the pass would change still gets it.

"The same document" means the same tree as a browser builds it: the pages are parsed with html5lib, which
implements the WHATWG HTML parsing algorithm. (Python's html.parser, which BeautifulSoup uses by default, treats
``<a ... />`` as an empty element as the pass writes it, where a browser keeps the ``<a>`` open: a comparison with
it could not see that nbconvert's heading anchors need the pass, or this module's fix of them.)
"""

from __future__ import annotations

import base64

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from fyrbodal_analysis.publish import html

SVG = ('<figure class="fyr-item"><div style="overflow-x:auto"><svg xmlns="http://www.w3.org/2000/svg" '
       'width="620pt" height="300pt" viewBox="0 0 620 300"><g id="a"><path d="M 0 0 L 10 10 z" '
       'style="fill:#1f77b4"/><text x="1" y="2" style="font: 8px sans-serif">Åmål &amp; Dals-Ed −3 %</text></g>'
       '</svg></div><figcaption>Figur 9. Andel (%) <em>demo</em></figcaption></figure>')
TABLE = ('<table class="fyr-table"><thead><tr><th>Kommun</th><th>Andel</th><th>Antal</th><th>År</th></tr></thead>'
         '<tbody><tr><td>Åmål</td><td>44 %</td><td>-3</td><td>2019</td></tr>'
         '<tr><td>Lysekil</td><td>12,5 %</td><td>1 234</td><td>2020</td></tr></tbody></table>')


def _notebook(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Rubrik\n\nText med *betoning*, [länk](#x) och 5 < 7 & 3 > 2.\n\n"
                                              "| a | b |\n|---|---|\n| 1 | 2 |"),
                nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", data=o)
                                                         for o in outputs])]
    return nb


def _nbconvert_body(nb, monkeypatch) -> str:
    with monkeypatch.context() as m:
        m.setattr(html, "_EXPORTER", HTMLExporter)
        return html._notebook_body(nb)


def _dom(page: str) -> str:
    """The document a browser builds from ``page`` (html5lib: the WHATWG parsing algorithm), serialised, with the
    whitespace between tags dropped (nbconvert's pass re-indents table rows and drops blank lines between blocks;
    elements, attributes and text are compared exactly)."""
    import re
    return re.sub(r">\s+<", "><", BeautifulSoup(page, "html5lib").decode())


def test_same_document_as_nbconvert(monkeypatch):
    nb = _notebook({"text/html": SVG}, {"text/html": TABLE, "text/plain": "tabell"}, {"text/plain": "bara text"})
    ours = html._notebook_body(nb)
    assert "Figur 9" in ours and "Lysekil" in ours
    assert _dom(ours) == _dom(_nbconvert_body(nb, monkeypatch))


def test_the_pass_is_skipped(monkeypatch):
    import nbconvert.exporters.html as nbhtml

    def no_soup(*a, **k):
        raise AssertionError("BeautifulSoup pass ran")
    monkeypatch.setattr(nbhtml, "BeautifulSoup", no_soup)
    html._notebook_body(_notebook({"text/html": SVG}))


def test_a_page_with_an_image_gets_the_pass(monkeypatch):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + b"IHDR" + (400).to_bytes(4, "big") + b"\0" * 40).decode()
    nb = _notebook({"image/png": png, "text/plain": "bild"})
    ours = html._notebook_body(nb)
    assert ours == _nbconvert_body(nb, monkeypatch)
    assert 'alt="' in ours  # nbconvert's pass gave the image its alt text


@pytest.mark.parametrize("code", ["fyrbodal", "1460"])
def test_real_items_same_document(code, edition_items, monkeypatch):
    """The items of a region and a municipality edition, as the executed notebook holds them."""
    items = edition_items(code)[1]
    nb = _notebook(*(it._repr_mimebundle_() for it in items))
    ours = html._notebook_body(nb)
    assert ours.count("<svg") >= 10
    assert _dom(ours) == _dom(_nbconvert_body(nb, monkeypatch))


def test_one_exporter_per_process_and_a_page_owes_nothing_to_the_one_before(monkeypatch):
    first = _notebook({"text/html": TABLE, "text/plain": "tabell"})
    first.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    second = _notebook({"text/html": SVG})
    monkeypatch.setattr(html, "_INSTANCES", {})
    alone = {}
    for name, nb in (("first", first), ("second", second)):
        html._INSTANCES.clear()                      # each page by an exporter of its own
        alone[name] = html._notebook_body(nb)
    html._INSTANCES.clear()
    assert html._notebook_body(first) == alone["first"]
    exporter = html._exporter()
    assert html._notebook_body(second) == alone["second"]  # after another notebook: the same page
    assert alone["first"] != alone["second"]
    assert html._exporter() is exporter and len(html._INSTANCES) == 1  # made once
