"""What a notebook cell shows: a numbered figure or table with caption, source and alt text.

An :class:`Item` renders itself as HTML in Jupyter (``_repr_html_``), so a
notebook cell is one library call. Figures are embedded inline as SVG with real
text (sharp in print and on any screen, searchable), a ``<title>`` and an
``aria-label``; diagrams that are grids of words are an ``html`` fragment
instead (it reflows on a phone); tables are formatted the Swedish way by our own
formatter. ``data`` is the tidy frame behind the item, exported by the build as
CSV/XLSX; it never holds more than the item shows.
"""

from __future__ import annotations

import functools
import html
import io
import re
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from ..core.errors import NoData
from ..core.formatting import number, percent
from . import itemcache
from .style import DEMO_MARK, HIGHLIGHT_BAND, RC, has_demo_mark, mark_demo

#: The mark inside a sentence that rests on synthetic demo data (point 3 of issue 10).
DEMO_WORDS = "syntetiska demodata"
#: The column every exported table built on demo data carries, so a copied sheet keeps the mark.
DEMO_COLUMN = "Syntetiska demodata"
DEMO_YES, DEMO_NO = "ja", "nej"
#: The note on the header of an exported sheet built on demo data (an XLSX cell comment, not an extra row).
DEMO_SHEET_NOTE = (f"{DEMO_MARK}. Tabellen bygger på syntetiska demodata som efterliknar rapportens publicerade siffror; "
                   f"kolumnen \"{DEMO_COLUMN}\" anger vilka rader som är syntetiska.")


class ReportNote(str):
    """A note that rests on the report's text, public or private data or the method, never on demo data: no demo mark.

    Every other note of an item built on demo data must mark each sentence that states a number (the check in
    tests/test_demo_marks.py runs over every edition).
    """


def report_note(text: str) -> ReportNote:
    return ReportNote(text)


def demo_sentence(text: str) -> str:
    """``text`` with "(syntetiska demodata)" inside each sentence, before its closing punctuation."""
    import re
    out = []
    for sentence in re.split(r"(?<!Org\.)(?<=[.!?])\s+(?=[A-ZÅÄÖ⚠])", text.strip()):
        if "demodata" in sentence.lower():
            out.append(sentence)
        elif sentence and sentence[-1] in ".!?:":
            out.append(f"{sentence[:-1]} ({DEMO_WORDS}){sentence[-1]}")
        else:
            out.append(f"{sentence} ({DEMO_WORDS})")
    return " ".join(out)


@dataclass
class Item:
    number: str                      # "Figur 7", "Bilaga 4", "Tabell: Leverabler"
    title: str                       # Swedish caption
    source: str                      # Swedish source statement
    figure: Figure | None = None
    table: pd.DataFrame | None = None  # formatted for display (strings)
    data: pd.DataFrame | None = None   # tidy data behind the item (exported)
    alt: str = ""                    # alt text stating the main numbers
    notes: list[str] = field(default_factory=list)
    is_demo: bool = False            # derived by @item from the tables the item loaded
    confidential: bool = False       # derived by @item: built from survey/cost/capability microdata
    slug: str = ""                   # file name for exports
    tables: tuple[str, ...] = ()     # processed tables the item loaded (set by @item)
    #: Tiers of the rows the item shows from tables that carry a per-row ``tier`` column (series by series,
    #: e.g. public totals beside synthetic area splits). Without it such a table counts with all its tiers.
    row_tiers: set[str] | frozenset[str] | None = None
    html: str | None = None          # an HTML fragment (a grid of words) shown instead of a figure
    demo_rows: list[bool] | None = None  # which rows of ``data`` are synthetic (None: all of them when is_demo)
    release: dict | None = None      # the disclosure layer's record (set by @item); the build refuses items without

    def __post_init__(self) -> None:
        self._mark()
        if not self.slug:
            self.slug = _slug(self.number + " " + self.title)[:60]

    def _mark(self) -> None:
        if self.figure is not None and self.is_demo and not has_demo_mark(self.figure):
            mark_demo(self.figure)

    def set_provenance(self, tables, demo: bool, confidential: bool) -> None:
        """Record what the item was built from; the demo mark and the confidentiality follow from it."""
        self.tables = tuple(sorted(tables))
        self.is_demo = self.is_demo or demo
        self.confidential = self.confidential or confidential
        self._mark()
        if self.is_demo and self.alt and not self.alt.startswith(DEMO_MARK):
            self.alt = f"{DEMO_MARK}. {self.alt}"

    def __repr__(self) -> str:  # text/plain: never a DataFrame with its index
        return f"{self.number}: {self.title}"

    # -- rendering -------------------------------------------------------------------------
    def svg(self) -> str:
        """The figure as inline SVG: real text, ids unique on the page, a title and a description."""
        if getattr(self, "_svg", None) is None:
            import matplotlib as mpl

            from .svgcanvas import save_svg
            buf = io.StringIO()
            with mpl.rc_context({k: v for k, v in RC.items() if k.startswith("svg.")}):  # read when saving
                save_svg(self.figure, buf, metadata={"Date": None, "Creator": None})  # matplotlib's SVG, text measured once
            self._svg = inline_svg(buf.getvalue(), self.slug, f"{self.number}: {self.title}", self.alt)
        return self._svg

    def _repr_html_(self) -> str:
        parts = [f'<h3 class="fyr-heading" id="{self.slug}">{html.escape(self.number)}: {html.escape(self.title)}</h3>',
                 '<figure class="fyr-item">']
        has_figure = self.figure is not None or getattr(self, "_svg", None) is not None
        if has_figure:
            # On a narrow screen the figure keeps a width at which its text stays readable and scrolls sideways.
            parts.append(f'<div style="overflow-x:auto">{self.svg()}</div>')
        elif self.is_demo:  # a figure carries the mark in the image; grids, tables and text get it as a banner
            parts.append(f'<p class="fyr-demo"><strong>{DEMO_MARK}</strong></p>')
        if self.html is not None:
            parts.append(self.html)
        if self.table is not None:
            table = self.table.rename_axis(columns=None)  # a pivot's column name ("year") is nothing a reader knows
            parts.append(own_rows(table.to_html(index=False, escape=True, border=0, classes="fyr-table", na_rep="–")))
        parts.append(f"<figcaption><em>Källa: {html.escape(self.source)}</em>")
        for n in self.notes:
            parts.append(f'<br><span class="fyr-note">{html.escape(n)}</span>')
        parts.append("</figcaption></figure>")
        return "\n".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML for readers, plus the item's data (what it shows, nothing more) for the build's exports.

        Once displayed, the item keeps its image as SVG text and lets the matplotlib Figure go:
        IPython keeps every displayed object, and a notebook of 60 live figures needs ~150 MB more.
        """
        bundle = {"text/plain": repr(self), "text/html": self._repr_html_(), MIME: self.export()}
        self.figure = None
        return bundle

    def export(self) -> dict:
        frame = self.data if self.data is not None else self.table
        payload = {"number": self.number, "title": self.title, "slug": self.slug, "is_demo": self.is_demo,
                   "source": self.source, "release": self.release}
        if frame is not None:
            f = frame.reset_index(drop=True)
            payload["columns"] = [str(c) for c in f.columns]
            payload["rows"] = [[_json_value(v) for v in row] for row in f.itertuples(index=False)]
            if self.is_demo:  # the mark travels inside the data: every export path writes this column
                flags = self.demo_rows if self.demo_rows is not None else [True] * len(f)
                payload["columns"].append(DEMO_COLUMN)
                for row, demo in zip(payload["rows"], flags):
                    row.append(DEMO_YES if demo else DEMO_NO)
                payload["demo_note"] = DEMO_SHEET_NOTE
        return payload

    def texts(self) -> list[str]:
        """Every string a reader (or a curious parser) can get from this item; used by disclosure tests."""
        out = [self.number, self.title, self.source, self.alt, *self.notes]
        if self.figure is not None:
            from matplotlib.text import Text
            out += [t.get_text() for t in self.figure.findobj(Text)]
        if self.html is not None:
            out += [html.unescape(t) for t in re.findall(r">([^<>]+)<", re.sub(r"<style>.*?</style>", "", self.html, flags=re.S))]
        if getattr(self, "_svg", None) is not None and self.figure is None:
            out += [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", self._svg)]
        for df in (self.table, self.data):
            if df is not None:
                out += [str(c) for c in df.columns] + [str(v) for v in df.astype(str).to_numpy().ravel()]
        return out


MIME = "application/vnd.fyrbodal.item+json"


def item(fn):
    """Decorator for every report item function ``fn(ed, ...) -> Item``.

    Provenance is derived, not declared: the edition records every table the
    function loads, and the item's demo mark and confidentiality follow from
    the tiers and flags ``prepare`` recorded for those tables. Every item then
    passes through the disclosure layer (:func:`disclosure.release`), which may
    replace it by a message; the build refuses an item that did not.
    """
    from . import disclosure

    @functools.wraps(fn)
    def build(ed, *args, **kwargs) -> Item:
        def compute():
            # Whether the item (or the disclosure layer deciding on it) read ``ed.code``: only an item that did
            # not is the same in every edition of the region and may be served to them from the item cache.
            reads = ed.code_reads
            with ed.recording() as used:
                try:
                    it = fn(ed, *args, **kwargs)
                except NoData as missing:  # the region has no data for this item
                    used.discard(missing.table)
                    it = no_data(ed, fn.__name__, missing.table)
                except Exception:  # noqa: BLE001 - data too small to compute on are too small to show
                    it = disclosure.failed_on_small_data(ed, fn.__name__, used, Item)
                    if it is None:
                        raise
            it.set_provenance(used, demo=ed.demo_shown(used, it.row_tiers), confidential=ed.confidential(*used))
            it = disclosure.release(ed, it, used)
            return it, set(used) | used.peeked, ed.code_reads != reads
        it, read = itemcache.cached(ed, fn, args, kwargs, compute)
        for used in ed._recorders:  # an item built inside another's: its tables count for the outer one too
            used.update(it.tables)
            used.peeked.update(read)
        return it
    build.is_item = True
    return build
def inline_svg(svg: str, prefix: str, title: str, desc: str = "") -> str:
    """Make matplotlib's SVG document fit inline in a page beside others, and small.

    Drops the XML prolog, the namespaces (HTML needs none, and the page names no address), metadata and
    every id nothing refers to; renames the ids that are referred to
    (clip paths, markers, hatches) with a short prefix made from ``prefix`` so that two figures never
    share an id; rounds coordinates to 0,01 pt; scales with its container (``viewBox``, width 100 %);
    adds ``role="img"``, an ``aria-label``, a ``<title>`` and a ``<desc>`` for screen readers."""
    import hashlib
    short = "f" + hashlib.sha1(prefix.encode()).hexdigest()[:6]
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    used = set(re.findall(r'href="#([^"]+)"', svg)) | set(re.findall(r"url\(#([^)]+)\)", svg))
    svg = re.sub(r' id="([^"]+)"', lambda m: f' id="{short}-{m.group(1)}"' if m.group(1) in used else "", svg)
    svg = re.sub(r'(?:xlink:)?href="#([^"]+)"', rf'href="#{short}-\1"', svg)  # SVG 2 href: no namespace needed
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{short}-\1)", svg)
    svg = re.sub(r"(\d+\.\d\d)\d+", r"\1", svg)
    svg = re.sub(r"\s*\n\s*", " ", svg).replace("> <", "><")
    svg = re.sub(r"<g>(<(?:path|use|text)[^>]*/>)</g>", r"\1", svg)  # drop wrappers that carry nothing
    # DejaVu Sans is what the layout was measured with; Verdana has nearly the same widths where it is missing
    svg = svg.replace("font-family: 'DejaVu Sans'", "font-family: 'DejaVu Sans', Verdana, sans-serif")
    sizes = [float(x) for x in re.findall(r"font-size: ?([\d.]+)px", svg)]  # viewBox units (pt)
    svg = re.sub(r"^<svg [^>]*?>", lambda m: _svg_tag(m.group(0), short, title, min(sizes, default=10.0)), svg, count=1)
    head = f'<title id="{short}-title">{html.escape(title)}</title>'
    if desc:
        head += f'<desc id="{short}-desc">{html.escape(desc)}</desc>'
    return svg.replace(">", ">" + head, 1).strip()


#: Marks the edition's own row in a table's first column (parts write "▶ Bengtsfors").
OWN_ROW_MARK = "▶ "


def own_rows(table_html: str) -> str:
    """The edition's own rows (first cell starting with ``OWN_ROW_MARK``) stand out as in the figures: a pale
    band and bold text, set inline so they look the same in JupyterLab and on the page."""
    return re.sub(r"<tr>(\s*<td>)(?=" + OWN_ROW_MARK + ")",
                  rf'<tr class="fyr-own" style="background:{HIGHLIGHT_BAND};font-weight:bold">\1', table_html)


#: The smallest chart text a reader should meet on any screen, in CSS px (issue 11: about 9 px on a phone).
MIN_TEXT_PX = 9.0


def svg_min_scale(smallest_font: float) -> float:
    """CSS px per viewBox unit below which the chart may not shrink: its smallest text stays ``MIN_TEXT_PX``
    (never more than the natural 4/3 px per pt)."""
    return min(4 / 3, MIN_TEXT_PX / max(smallest_font, 1.0))


def _svg_tag(tag: str, prefix: str, title: str, smallest_font: float = 10.0) -> str:
    """Scales with its container, but not below the width at which its smallest text is still ``MIN_TEXT_PX``;
    narrower screens scroll the figure sideways."""
    view = re.search(r'viewBox="([^"]+)"', tag).group(1)
    width = float(view.split()[2])
    return (f'<svg viewBox="{view}" '
            f'width="100%" style="max-width:{width * 4 / 3:.0f}px;min-width:{width * svg_min_scale(smallest_font):.0f}px;'
            f'height:auto" '
            f'role="img" '
            f'aria-labelledby="{prefix}-title {prefix}-desc" aria-label="{html.escape(title)}">')


def _json_value(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    return v if isinstance(v, (int, float, bool, str)) else str(v)


def no_data(ed, name: str, table: str) -> Item:
    """A message item for an item whose data the edition's region does not have."""
    number = " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(name.split("_")))
    text = (f"Uppgiften finns inte för {ed.region}: regionens data ({ed.registry.region_code}) omfattar inte "
            f"underlaget ({table}).")
    return message(number, f"Uppgiften finns inte för {ed.region}", text, source=f"Regionfilen för {ed.region}")


def message(number: str, title: str, text: str, source: str = "Rapportens deltagandetabell (Figur 33)") -> Item:
    """An item that says in words why there is nothing to show (e.g. the municipality did not take part)."""
    it = Item(number, title, source, notes=[text])
    it.alt = text
    return it


def sv_table(df: pd.DataFrame, formats: dict[str, tuple[str, int]] | None = None, labels: dict[str, str] | None = None
             ) -> pd.DataFrame:
    """Format numbers Swedish-style: formats maps column -> ("number"|"percent", decimals)."""
    out = df.copy()
    for col, (kind, dec) in (formats or {}).items():
        f = percent if kind == "percent" else number
        out[col] = [f(v, dec) if pd.notna(v) else "–" for v in out[col]]
    return out.rename(columns=labels or {})


def _slug(text: str) -> str:
    import re
    import unicodedata
    t = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")
