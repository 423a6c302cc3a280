"""Saving a figure as SVG with every text measured once per process, not once per renderer.

Matplotlib measures a text (width, height, descent) through the renderer and keeps the result only while that
renderer lives; saving one figure with a constrained layout makes three SVG renderers (the layout's, the pass
before printing, the print), so every tick label, legend entry and annotation was measured three times per
figure, and again in every figure and edition (~2 000 FreeType layouts per edition, a tenth of its drawing time).

For the SVG renderer with real text (``svg.fonttype: none``) a measurement depends only on the text, the font
properties and the fonts the family names resolve to: it goes through :class:`matplotlib.textpath.TextToPath` at a
fixed 72 dpi, whatever the renderer's size or dpi. :class:`Canvas` prints exactly as matplotlib's SVG canvas does,
with a renderer that keeps those measurements for the process. Math text and TeX are measured as before.
The output is byte for byte what matplotlib writes (tests/test_svgcanvas.py).
"""

from __future__ import annotations

import codecs

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.backends import backend_svg
from matplotlib.backends.backend_mixed import MixedModeRenderer

#: (text, font properties, the rc font lists a generic family name resolves through) -> (width, height, descent)
_METRICS: dict[tuple, tuple[float, float, float]] = {}
_MAX = 50_000  # far more than a build needs; a runaway process starts over
_FAMILIES = ("font.family", "font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")


class Renderer(backend_svg.RendererSVG):
    """Matplotlib's SVG renderer, with the measurement of plain text remembered for the process."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:  # math text and TeX go through parsers with their own settings: as matplotlib does
            return super().get_text_width_height_descent(s, prop, ismath)
        params = mpl.rcParams
        key = (s, prop.copy(), tuple(tuple(params[k]) for k in _FAMILIES))
        hit = _METRICS.get(key)
        if hit is None:
            if len(_METRICS) >= _MAX:
                _METRICS.clear()
            hit = _METRICS[key] = super().get_text_width_height_descent(s, prop, ismath)
        return hit


class Canvas(backend_svg.FigureCanvasSVG):
    """Matplotlib's SVG canvas with :class:`Renderer`; ``print_svg`` is matplotlib's (3.11) with that one change."""

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
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi,
                Renderer(w, h, fh, image_dpi=dpi, metadata=metadata),
                bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()


def save_svg(figure, target, **kwargs) -> None:
    """``figure.savefig(target, format="svg", **kwargs)`` through :class:`Canvas`; the figure keeps its canvas."""
    old = figure.canvas
    Canvas(figure)  # sets itself as the figure's canvas: the layout engine measures with it too
    try:
        figure.savefig(target, format="svg", **kwargs)
    finally:
        figure.set_canvas(old)
