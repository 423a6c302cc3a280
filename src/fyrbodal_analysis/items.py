"""What a notebook cell shows: a numbered figure or table with caption, source and alt text.

An :class:`Item` renders itself as HTML in Jupyter (``_repr_html_``), so a
notebook cell is one library call. Figures are embedded as PNG with alt text;
tables are formatted the Swedish way by our own formatter. ``data`` is the tidy
frame behind the item, exported by the build as CSV/XLSX; it never holds more
than the item shows.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from .style import DEMO_MARK, has_demo_mark, mark_demo
from .svformat import number, percent


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

    def __repr__(self) -> str:  # text/plain: never a DataFrame with its index
        return f"{self.number}: {self.title}"

    # -- rendering -------------------------------------------------------------------------
    def png(self) -> bytes:
        if getattr(self, "_png", None) is None:
            buf = io.BytesIO()
            self.figure.savefig(buf, format="png", dpi=110, metadata={"Software": None})
            self._png = buf.getvalue()
        return self._png

    def _repr_html_(self) -> str:
        parts = [f'<h3 class="fa-heading" id="{self.slug}">{html.escape(self.number)}: {html.escape(self.title)}</h3>',
                 f'<figure class="fa-item">']
        if self.figure is not None or getattr(self, "_png", None) is not None:
            b64 = base64.b64encode(self.png()).decode()
            parts.append(f'<img src="data:image/png;base64,{b64}" alt="{html.escape(self.alt)}" '
                         f'style="max-width:100%;height:auto">')
        if self.table is not None:
            if self.is_demo:
                parts.append(f'<p class="fa-demo"><strong>{DEMO_MARK}</strong></p>')
            parts.append(self.table.to_html(index=False, escape=True, border=0, classes="fa-table", na_rep="–"))
        parts.append(f"<figcaption><em>Källa: {html.escape(self.source)}</em>")
        for n in self.notes:
            parts.append(f'<br><span class="fa-note">{html.escape(n)}</span>')
        parts.append("</figcaption></figure>")
        return "\n".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML for readers, plus the item's data (what it shows, nothing more) for the build's exports.

        Once displayed, the item keeps its image as PNG bytes and lets the matplotlib Figure go:
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
        return payload

    def texts(self) -> list[str]:
        """Every string a reader (or a curious parser) can get from this item; used by disclosure tests."""
        out = [self.number, self.title, self.source, self.alt, *self.notes]
        if self.figure is not None:
            from matplotlib.text import Text
            out += [t.get_text() for t in self.figure.findobj(Text)]
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
        with ed.recording() as used:
            try:
                it = fn(ed, *args, **kwargs)
            except Exception:  # noqa: BLE001 - data too small to compute on are too small to show
                it = disclosure.failed_on_small_data(ed, fn.__name__, used)
                if it is None:
                    raise
        it.set_provenance(used, demo=ed.demo(*used), confidential=ed.confidential(*used))
        return disclosure.release(ed, it, used)
    build.is_item = True
    return build


def _json_value(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    return v if isinstance(v, (int, float, bool, str)) else str(v)


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
