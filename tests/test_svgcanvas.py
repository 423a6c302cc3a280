"""The SVG canvas that measures each text once per process writes exactly what matplotlib writes."""

from __future__ import annotations

import io

import matplotlib as mpl
import pandas as pd
import pytest

from fyrbodal_analysis.report import figures, svgcanvas
from fyrbodal_analysis.report.style import RC, mark_demo, new_figure

KW = {"metadata": {"Date": None, "Creator": None}}


def _svg(fig, ours: bool) -> str:
    buf = io.StringIO()
    with mpl.rc_context({k: v for k, v in RC.items() if k.startswith("svg.")}):
        if ours:
            svgcanvas.save_svg(fig, buf, **KW)
        else:
            fig.savefig(buf, format="svg", **KW)
    return buf.getvalue()


def _texts_figure():
    fig, ax = new_figure(6, 3.5)
    ax.bar(["Bengtsfors", "Dals-Ed", "Vänersborg"], [3, 1, 2])
    ax.set_xlabel("Bengtsfors")                      # the same string at another size and weight …
    ax.text(0, 2.5, "Bengtsfors", fontsize=15, fontweight="bold")
    ax.text(1, 2.5, "Bengtsfors", fontsize=7, family="monospace")  # … and in a generic family
    ax.set_title(r"Andel $x^2$ (math text)")
    ax.tick_params(axis="x", rotation=45)
    fig.legend(["Antal"], loc="outside lower center")
    mark_demo(fig)
    return fig


def _bars_figure():
    df = pd.DataFrame({"namn": ["A", "B", "C"], "ja": [50.0, 20.0, 10.0], "nej": [50.0, 80.0, 90.0]})
    return figures.stacked_hbars(df, "namn", ["ja", "nej"], "Andel (%)", highlight="B", pct=True)


@pytest.mark.parametrize("make", [_texts_figure, _bars_figure])
def test_same_bytes_as_matplotlib(make):
    svgcanvas._METRICS.clear()
    first = _svg(make(), ours=True)             # measured afresh
    again = _svg(make(), ours=True)             # every text from the process's memory
    assert first == _svg(make(), ours=False) == again
    assert svgcanvas._METRICS                   # the measurements were kept


def test_measures_each_text_once_and_keeps_the_canvas(monkeypatch):
    svgcanvas._METRICS.clear()
    calls = []
    real = mpl.backends.backend_svg.RendererSVG.get_text_width_height_descent

    def counting(self, s, prop, ismath):
        calls.append(s)
        return real(self, s, prop, ismath)
    monkeypatch.setattr(mpl.backends.backend_svg.RendererSVG, "get_text_width_height_descent", counting)
    _svg(_bars_figure(), ours=False)
    by_matplotlib = len(calls)  # every text once per renderer (three renderers)
    calls.clear()
    fig = _bars_figure()
    canvas = fig.canvas
    _svg(fig, ours=True)
    assert fig.canvas is canvas
    assert 0 < len(calls) < by_matplotlib / 2
    calls.clear()
    _svg(_bars_figure(), ours=True)
    assert calls == []  # nothing measured again


def test_a_generic_family_follows_the_rc_lists():
    from matplotlib.font_manager import FontProperties
    svgcanvas._METRICS.clear()
    r = svgcanvas.Renderer(100, 100, io.StringIO())
    prop = FontProperties(family="sans-serif", size=10)
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        a = r.get_text_width_height_descent("Mmm", prop, False)
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans Mono", "DejaVu Sans"]}):
        b = r.get_text_width_height_descent("Mmm", prop, False)
    assert a != b  # another font behind the same name: measured again, not served from memory


@pytest.mark.parametrize("dpi", [72, 100, 110])
def test_font_heights_as_matplotlib_computes_them(dpi):
    """The renderer's font height metrics give Text._get_layout the very floats it computes itself, at any dpi."""
    from matplotlib.backends.backend_svg import RendererSVG
    svgcanvas._HEIGHTS.clear()
    fig, ax = new_figure(4, 3)
    fig.dpi = dpi
    texts = [ax.text(0, 0, "Två rader\nmed text", fontsize=13, fontweight="bold"), ax.set_xlabel("Antal (%)"),
             ax.text(0, 0, "Mono", family="monospace", fontsize=7), ax.text(0, 0, "Kursiv", style="italic")]
    ours = svgcanvas.Renderer(100, 100, io.StringIO())
    ours.figure = fig
    plain = RendererSVG(100, 100, io.StringIO())
    for t in texts:
        for _ in range(2):  # measured, then from memory
            a, b = t._get_layout(ours), t._get_layout(plain)
            assert (a[0].bounds, a[1], a[2]) == (b[0].bounds, b[1], b[2])
    assert svgcanvas._HEIGHTS
    assert svgcanvas.Renderer(1, 1, io.StringIO())._get_font_height_metrics(texts[0].get_fontproperties()) == \
        (None, None, None)  # a renderer that prints no figure lets matplotlib compute them


def _count_axes_draws(monkeypatch) -> list:
    from matplotlib.axes import Axes
    calls = []
    real = Axes.draw

    def counting(self, renderer):
        calls.append(self)
        return real(self, renderer)
    monkeypatch.setattr(Axes, "draw", counting)
    return calls


def test_the_pass_before_printing_only_lays_out(monkeypatch):
    """Matplotlib draws every artist twice to save a figure with a layout engine; ours once, same bytes."""
    calls = _count_axes_draws(monkeypatch)
    theirs = _svg(_bars_figure(), ours=False)
    assert len(calls) == 2  # the pass that only runs the layout engine, then the print
    calls.clear()
    fig = _bars_figure()
    ours = _svg(fig, ours=True)
    assert len(calls) == 1 and ours == theirs
    assert fig.get_layout_engine() is not None and fig.draw.__func__ is type(fig).draw  # the figure is as it was


def test_tight_bbox_and_no_layout_engine_as_matplotlib(monkeypatch):
    """bbox_inches="tight" measures the figure after a real first pass (kept), and a figure without a layout engine
    has no first pass: both as matplotlib writes them."""
    def tight(ours):
        buf = io.StringIO()
        fig = _bars_figure()
        with mpl.rc_context({k: v for k, v in RC.items() if k.startswith("svg.")}):
            if ours:
                svgcanvas.save_svg(fig, buf, bbox_inches="tight", **KW)
            else:
                fig.savefig(buf, format="svg", bbox_inches="tight", **KW)
        return buf.getvalue()
    calls = _count_axes_draws(monkeypatch)
    assert tight(ours=True) == tight(ours=False)
    assert len(calls) == 4  # two passes each
    fig = _bars_figure()
    fig.set_layout_engine("none")
    assert _svg(fig, ours=True) == _svg(fig, ours=False)


@pytest.mark.integration
def test_every_figure_of_an_edition_as_matplotlib_writes_it(prepared):
    """Every figure the region's edition draws (each kind of chart, map and diagram): the same bytes through our
    canvas (text measured once, one drawing pass) as through matplotlib's savefig. Each is saved once, from a figure
    of its own: saving a figure again lays it out again, which moves some (maps, fixed aspect) a little."""
    import fyrbodal_analysis as fa
    from fyrbodal_analysis.report import parts

    def figures_():
        return [(it.number, it.figure) for it in parts.items(fa.edition("fyrbodal", prepared)) if it.figure is not None]
    ours, theirs = figures_(), figures_()
    assert len(ours) >= 25 and [n for n, _ in ours] == [n for n, _ in theirs]
    for (number, a), (_, b) in zip(ours, theirs):
        assert _svg(a, ours=True) == _svg(b, ours=False), number
