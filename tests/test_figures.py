"""Unit tests of the plotting functions on tiny inline frames (no files, no kernel)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from fyrbodal_analysis.report import diagrams, figures
from fyrbodal_analysis.report.items import Item, sv_table
from fyrbodal_analysis.report.style import DEMO_MARK, HIGHLIGHT, has_demo_mark


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def legend_texts(fig: Figure) -> list[str]:
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    return [t.get_text() for leg in legends for t in leg.get_texts()]


def colours_of_bars(fig):
    from matplotlib.patches import Rectangle
    return [r.get_facecolor() for r in fig.axes[0].patches if isinstance(r, Rectangle)]


POP = pd.DataFrame({"name": ["A", "B", "C"], "y19": [9800, 4800, 59100], "y30": [8600, 4700, 61100]})


def test_paired_bars_highlight_and_swedish_ticks():
    fig = figures.paired_bars(POP, "name", "y19", "y30", "2019", "2030", "Invånare", highlight="B")
    from matplotlib.colors import to_rgba
    assert to_rgba(HIGHLIGHT) in colours_of_bars(fig)
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("\u00a0" in t for t in ticks) and not any("," in t for t in ticks)  # "60 000", no "60,000"


def test_paired_bars_without_highlight_has_no_highlight_colour():
    from matplotlib.colors import to_rgba
    fig = figures.paired_bars(POP, "name", "y19", "y30", "2019", "2030", "Invånare")
    assert to_rgba(HIGHLIGHT) not in colours_of_bars(fig)


def test_trend_lines_index():
    df = pd.DataFrame({"year": [1950, 2019, 1950, 2019], "pop": [100, 150, 200, 100], "g": ["A", "A", "B", "B"]})
    fig = figures.trend_lines(df, "year", "pop", "g", "Index", highlight="A", index_to=1950)
    lines = fig.axes[0].get_lines()
    assert [list(l.get_ydata()) for l in lines] == [[100, 150], [100, 50]]
    assert "A" in texts(fig)


def test_radar_and_ring():
    fig = figures.radar(["x", "y", "z"], {"Medel": [3, 4, 5]}, 1, 6, ring=("Sverige", 3.35))
    assert "Sverige" in legend_texts(fig)


def test_quadrants_only_labelled_points_are_named():
    pts = pd.DataFrame({"f": [2.0, 4.0, 5.0], "a": [2.0, 5.0, 3.0], "label": [None, "Egen", None]})
    fig = figures.quadrants(pts, "f", "a", 3.5, (1, 6), "X", "Y", {"A": (2, 2)}, mean=(3.6, 3.3))
    legend = legend_texts(fig)
    assert "Egen" in legend and "Kommuner (anonyma)" in legend
    shifted = pts.assign(f=pts["f"] - 1)  # Figur 11b: the own corrected position is highlighted, the others are not named
    legend = legend_texts(figures.quadrants(pts, "f", "a", 3.5, (1, 6), "X", "Y", {"A": (2, 2)}, shifted=shifted))
    assert "Egen efter korrigering" in legend and not any("None" in t for t in legend)


def test_count_and_stacked_bars():
    fig = figures.count_bars(["a", "b"], [3, 1], "x", highlight="b", total=4)
    assert "3 (75\u00a0%)" in texts(fig)
    df = pd.DataFrame({"label": ["r1", "r2"], "p": [60.0, 20.0], "q": [40.0, 80.0]})
    fig = figures.stacked_hbars(df, "label", ["p", "q"], "Andel", pct=True, highlight="r2")
    assert "60\u00a0%" in texts(fig)


def test_box_ranked_donut_scale_gantt():
    df = pd.DataFrame({"cat": ["a", "a", "b", "b"], "v": [10.0, 20.0, 30.0, 50.0]})
    assert isinstance(figures.box_by_category(df, "cat", "v", ["a", "b"], "Andel", own=df.head(1), own_label="Egen"), Figure)
    fig = figures.ranked_bars(pd.DataFrame({"l": ["x", "y"], "v": [1.2, 2.17]}), "l", "v", "Andel", highlight="y",
                              lines=[("Snitt", 1.7, "--")])
    assert "2,17\u00a0%" in texts(fig)
    fig = figures.donut(["Ja", "Nej", "Kanske"], [3, 1, 0])
    assert any(t.startswith("Ja: 75,0") for t in texts(fig)) and not any(t.startswith("Kanske") for t in texts(fig))
    fig = figures.scale_bars(["1", "2", "4"], [1, 0, 3], own="4", own_label="Ert svar: 4")
    assert "Ert svar: 4" in texts(fig)
    ms = pd.DataFrame({"m": ["Start", "Beslut"], "s": [0, 10], "e": [np.nan, 20]})
    assert isinstance(figures.gantt(ms, "m", "s", "e"), Figure)


def test_importance_vs_maturity_and_grouped_bars():
    df = pd.DataFrame({"strategic_importance": [2.0, 3.0, 4.0], "mean_level": [2.1, 2.4, 2.2], "sd_level": [0.5, 0.6, 0.7]})
    own = pd.DataFrame({"strategic_importance": [2.0], "level": [3]})
    fig = figures.importance_vs_maturity(df, own=own, fit=(2.0, 0.05))
    assert "Er egen bedömning" in legend_texts(fig)
    w = pd.DataFrame({"n": ["A", "B"], "t": [90.0, 97.0], "u": [60.0, 80.0]})
    fig = figures.grouped_hbars(w, "n", ["t", "u"], ["Tätort", "Utanför"], "Andel", goal=("Mål 95 %", 95), highlight="A")
    assert "Mål 95 %" in legend_texts(fig)


def test_forecast_lines():
    df = pd.DataFrame({"year": [2018, 2019, 2020, 2018, 2019, 2020], "p": [1, 2, 3, 3, 2, 1], "g": ["a"] * 3 + ["b"] * 3,
                       "f": [False, False, True] * 2})
    fig = figures.forecast_lines(df, "year", "p", "g", "f", "Invånare")
    assert len(fig.axes[0].get_lines()) == 5  # 2 groups x (history + forecast) + the divider
    first_forecast = fig.axes[0].get_lines()[1].get_xdata()
    assert list(first_forecast) == [2019, 2020]  # joined to the last observed year it follows


def test_forecast_lines_draw_no_line_across_missing_years():
    df = pd.DataFrame({"year": [2018, 2019, 2023, 2024], "p": [1, 2, 3, 4], "g": ["a"] * 4, "f": [False, False, True, True]})
    fig = figures.forecast_lines(df, "year", "p", "g", "f", "Invånare")
    assert list(fig.axes[0].get_lines()[1].get_xdata()) == [2023, 2024]  # not from 2019: 2020-2022 are not in the data


def test_diagrams_are_html_grids_of_words():
    assert "Digital motor" in diagrams.layers_html(["Digital utsida", "Digital insida", "Digital motor"])
    assert "Teknik" in diagrams.elements_html("Förmåga", ["Processer", "Teknik"])
    tbm = diagrams.levels_html([("Cost pools", "kostnadsområden", ["Hårdvara"]), ("Verksamhet", "", [])])
    assert '<span lang="en">Cost pools</span><small>kostnadsområden</small>' in tbm and "Hårdvara" in tbm
    assert "Typ D" in diagrams.model_2x2_html("x", "y", {"D": "hög"})
    caps = pd.DataFrame({"capability_id": ["F1", "F2"], "capability_area": ["Område", "Område"],
                         "capability_group": ["G1", "G2"], "capability": ["Informationshantering", "Andra"], "v": [1.5, 2.5]})
    grid = diagrams.capability_grid(caps, "v", 0, 4, legend="Mognad", marks={"F1": "Ni: 3"})
    assert '<span class="fyd-own">Ni: 3</span>' in grid and "1,50" in grid
    assert 'lang="sv"' in grid and "hyphens:auto" in grid and "word-break:break-all" not in grid  # no mid-word breaks
    ticks = grid.split('class="fyd-ticks">')[1].split("</div>")[0]
    assert ticks == "".join(f"<span>{i}</span>" for i in range(5))  # the colour scale is the whole 0-4 scale


def test_grid_text_has_contrast():
    import matplotlib as mpl

    from fyrbodal_analysis.report.style import contrast, text_on
    for i in range(11):
        face = mpl.colors.to_hex(mpl.colormaps["cividis"](i / 10))
        assert contrast(face, text_on(face)) >= 4.5, face  # WCAG AA for normal text


def test_figure_is_inline_svg_with_real_text_and_title():
    a = Item("Figur 12", "CISO", "s", figure=figures.count_bars(["a", "b"], [3, 1], "Andel"), alt="Tre och en")
    b = Item("Figur 13", "Annat", "s", figure=figures.count_bars(["a", "b"], [2, 2], "Andel"), alt="Två och två")
    ha, hb = a._repr_html_(), b._repr_html_()
    assert "<img" not in ha and "<svg" in ha and 'role="img"' in ha and "<title" in ha and "Tre och en</desc>" in ha
    assert ">Antal</text>" in ha  # real text, not glyph outlines
    import re
    ids_a, ids_b = set(re.findall(r' id="([^"]+)"', ha)), set(re.findall(r' id="([^"]+)"', hb))
    assert ids_a and not ids_a & ids_b  # two figures on one page never share an id
    for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', ha):
        assert ref in ids_a, ref  # every reference still resolves


def test_choropleth_outlines_the_highlight():
    square = [np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)]
    other = [np.array([[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]], dtype=float)]
    fig = diagrams.choropleth({"0001": square, "0002": other}, {"0001": -2.0, "0002": 3.0}, {"0001": "Ett", "0002": "Två"},
                              "Förändring", highlight="0001", center=0)
    assert "Ett\n\u22122,0" in texts(fig)
    from matplotlib.colors import to_rgba
    outlined = [p for p in fig.axes[0].patches if p.get_edgecolor() == to_rgba("#000000") and p.get_linewidth() >= 2]
    assert len(outlined) == 1  # black, not the highlight colour: it must show on a red-blue map


def test_item_marks_demo_exactly_when_demo():
    fig = figures.count_bars(["a"], [1], "x")
    assert has_demo_mark(Item("Figur 1", "t", "s", figure=fig, is_demo=True).figure)
    fig2 = figures.count_bars(["a"], [1], "x")
    assert not has_demo_mark(Item("Figur 1", "t", "s", figure=fig2, is_demo=False).figure)
    t = Item("Tabell", "t", "s", table=pd.DataFrame({"a": [1]}), is_demo=True)
    assert DEMO_MARK in t._repr_html_()


def test_item_html_has_alt_text_and_heading():
    it = Item("Figur 6", "Befolkning", "SCB", figure=figures.count_bars(["a"], [1], "x"), alt="Alt med siffror 1")
    html = it._repr_html_()
    assert "<desc" in html and "Alt med siffror 1</desc>" in html and "<h3" in html and "Källa: SCB" in html


def test_sv_table_formats():
    t = sv_table(pd.DataFrame({"n": [273900], "p": [-0.18]}), {"n": ("number", 0), "p": ("percent", 1)}, {"n": "Antal"})
    assert t.iloc[0].tolist() == ["273\u00a0900", "\u22120,2\u00a0%"] and list(t.columns) == ["Antal", "p"]
