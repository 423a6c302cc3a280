"""Saving a figure as SVG with every text measured once per process, not once per renderer.

Matplotlib measures a text (width, height, descent) through the renderer and keeps the result only while that
renderer lives; saving one figure with a constrained layout makes three SVG renderers (the layout's, the pass
before printing, the print), so every tick label, legend entry and annotation was measured three times per
figure, and again in every figure and edition (~2 000 FreeType layouts per edition, a tenth of its drawing time).

Saving a figure with a layout engine also draws it twice: ``print_figure`` first draws the whole figure into a
renderer whose drawing methods do nothing, only so that ``Figure.draw`` runs the layout engine, then draws it for
real with the layout engine off. :class:`Canvas` runs the layout engine in that first pass and skips the empty
drawing of every artist (a fifth of the drawing time of an edition's figures); the second, real draw is unchanged.

For the SVG renderer with real text (``svg.fonttype: none``) a measurement depends only on the text, the font
properties and the fonts the family names resolve to: it goes through :class:`matplotlib.textpath.TextToPath` at a
fixed 72 dpi, whatever the renderer's size or dpi. :class:`Canvas` prints exactly as matplotlib's SVG canvas does,
with a renderer that keeps those measurements for the process, and the height metrics of each font (read from
its tables for every text on every draw). Math text and TeX are measured as before.
The output is byte for byte what matplotlib writes (tests/test_svgcanvas.py).
"""

from __future__ import annotations

import codecs
import contextlib

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.backends import backend_svg
from matplotlib.backends.backend_mixed import MixedModeRenderer

#: (text, font properties, the rc font lists a generic family name resolves through) -> (width, height, descent)
_METRICS: dict[tuple, tuple[float, float, float]] = {}
_MAX = 50_000  # far more than a build needs; a runaway process starts over
_FAMILIES = ("font.family", "font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")


#: (font properties, rc font lists) -> the font's units per em, line gap, ascender and descender (None: no table)
_HEIGHTS: dict[tuple, tuple | None] = {}
#: The font tables Text._get_layout reads a font's height from, in its order (matplotlib 3.11).
_HEIGHT_TABLES = (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"), ("hhea", "lineGap", "ascent", "descent"))


def _families() -> tuple:
    params = mpl.rcParams
    return tuple(tuple(params[k]) for k in _FAMILIES)


class Renderer(backend_svg.RendererSVG):
    """Matplotlib's SVG renderer, with the measurement of plain text remembered for the process."""

    figure = None  # the figure being printed (set by Canvas.print_svg)
    layout_only = False  # print_figure's first pass only lays the figure out (set by Canvas.print_svg)

    def _draw_disabled(self):
        """The context in which ``print_figure`` draws the figure once before printing it, only for its layout
        engine (matplotlib 3.11, backend_bases.py): with :attr:`layout_only`, ``Figure.draw`` runs the layout engine
        as its first step does, and draws nothing else."""
        if self.figure is None or not self.layout_only:
            return super()._draw_disabled()
        return self._layout_pass(self.figure)

    @contextlib.contextmanager
    def _layout_pass(self, fig):
        def layout(renderer):  # Figure.draw's first step (matplotlib 3.11, figure.py)
            engine = fig.get_layout_engine()
            if fig.axes and engine is not None:
                try:
                    engine.execute(fig)
                except ValueError:
                    pass  # as Figure.draw does
        with cbook._setattr_cm(fig, draw=layout), super()._draw_disabled():
            yield

    def _get_font_height_metrics(self, prop):
        """Ascent, descent and line gap of the font, as Text._get_layout computes them from the font's OS/2 or hhea
        table (the same expression, so the same floats), with the tables read once per process instead of for
        every text on every draw. Matplotlib asks a renderer for this when it can (its PDF and PS renderers do);
        (None, None, None) lets it compute them itself."""
        if self.figure is None:
            return None, None, None
        key = (prop.copy(), _families())
        if key not in _HEIGHTS:
            from matplotlib.font_manager import fontManager, get_font
            font = get_font(fontManager._find_fonts_by_props(prop))
            raw = None
            for table_name, gap, ascent, descent in _HEIGHT_TABLES:
                table = font.get_sfnt_table(table_name)
                if table is not None:
                    raw = (font.get_sfnt_table("head")["unitsPerEm"], table[gap], table[ascent], table[descent])
                    break
            _HEIGHTS[key] = raw
        raw = _HEIGHTS[key]
        if raw is None:
            return None, None, None
        units_per_em, gap, ascent, descent = raw
        scale = 1 / units_per_em * prop.get_size_in_points() * self.figure.dpi / 72  # Text._get_layout's dpi
        return ascent * scale, -descent * scale, gap * scale

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:  # math text and TeX go through parsers with their own settings: as matplotlib does
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, prop.copy(), _families())
        hit = _METRICS.get(key)
        if hit is None:
            if len(_METRICS) >= _MAX:
                _METRICS.clear()
                _HEIGHTS.clear()
            hit = _METRICS[key] = super().get_text_width_height_descent(s, prop, ismath)
        return hit


class Canvas(backend_svg.FigureCanvasSVG):
    """Matplotlib's SVG canvas with :class:`Renderer`; ``print_svg`` is matplotlib's (3.11) with that one change."""

    #: the pre-draw only lays out (not for bbox_inches="tight", which measures the drawn figure after that pass)
    layout_only = True

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None,
                  dpi=None, facecolor=None, edgecolor=None, orientation=None):
        # print_figure passes these four to every print method and drops them only for matplotlib's own;
        # matplotlib's print_svg does not take them (the figure's dpi and colours are already set), nor does this
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            w, h = width * 72, height * 72
            svg = Renderer(w, h, fh, image_dpi=dpi, metadata=metadata)
            svg.figure = self.figure
            svg.layout_only = self.layout_only
            renderer = MixedModeRenderer(self.figure, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()


def save_svg(figure, target, **kwargs) -> None:
    """``figure.savefig(target, format="svg", **kwargs)`` through :class:`Canvas`; the figure keeps its canvas."""
    old = figure.canvas
    canvas = Canvas(figure)  # sets itself as the figure's canvas: the layout engine measures with it too
    canvas.layout_only = kwargs.get("bbox_inches", mpl.rcParams["savefig.bbox"]) != "tight"
    try:
        figure.savefig(target, format="svg", **kwargs)
    finally:
        figure.set_canvas(old)
