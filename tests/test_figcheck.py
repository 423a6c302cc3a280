"""The automated figure check: every figure of a sample of editions passes it, and it catches each figure
defect that issue 11 found when that defect is put back (each built here on a tiny figure)."""

from __future__ import annotations

import itertools
import os
import shutil

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.ticker import FuncFormatter

from fyrbodal_analysis.core.formatting import number, percent
from fyrbodal_analysis.publish import figcheck
from fyrbodal_analysis.report import figures
from fyrbodal_analysis.report.style import DEMO_MARK, mark_demo, new_figure, sv_axis

# region, Bengtsfors (full participant), Trollhättan (partial), Sotenäs (SML IT member): codes, so that the
# items test_editions built for the same editions are shared (conftest.edition_items)
EDITIONS = ["fyrbodal", "1460", "1488", "1427"]


def _old_demo_mark(fig):
    """The demo mark as it was: pinned to the top edge over whatever is there."""
    fig.text(0.5, 0.995, DEMO_MARK, ha="center", va="top", fontsize=10, fontweight="bold", color="#FFFFFF",
             bbox={"boxstyle": "round,pad=0.3", "facecolor": "#B00020", "edgecolor": "none"})


def has(problems: list[str], *words: str) -> bool:
    return any(all(w in p for w in words) for p in problems)


# --- every figure of the sample editions -------------------------------------------------------------

# Bengtsfors (the full participant: every figure) in `make test-fast`, the other three in `make test`
@pytest.mark.parametrize("edition", [e if e == "1460" else pytest.param(e, marks=pytest.mark.integration) for e in EDITIONS])
def test_every_figure_passes_the_check(edition_items, edition):
    failures = {}
    n = 0
    for it in edition_items(edition)[1]:
        if it.figure is not None:
            n += 1
            if problems := figcheck.problems(it.figure):
                failures[it.number] = problems
    assert n >= 20
    assert not failures, failures


# --- a good figure passes ----------------------------------------------------------------------------

def test_a_clean_figure_passes():
    fig = figures.count_bars(["a", "b", "c"], [3, 1, 2], "Band", highlight="b", total=6)
    mark_demo(fig)
    assert figcheck.problems(fig) == []


# --- each defect, put back -----------------------------------------------------------------------------

def test_catches_repeated_tick_labels():  # Figur 28b / 29: "0, 1, 1, 2, 2, 3, 3, 4, 4"
    fig, ax = new_figure(6, 4)
    ax.plot([1, 2, 3], [0.5, 2.2, 3.9], "o")
    ax.set_ylim(-0.2, 4.2)
    sv_axis(ax, "y", 0)
    assert has(figcheck.problems(fig), "upprepade skaletiketter")


def test_catches_decimal_years():  # Figur 8: "2010.0, 2012.5, ..."
    fig, ax = new_figure(6, 4)
    ax.plot([2010, 2015, 2020, 2025, 2030], [5, 6, 7, 6, 5])
    sv_axis(ax, "y")
    p = figcheck.problems(fig)
    assert has(p, "x-axel", "svenskt format") and has(p, "x-axel", "heltalsdata")


def test_catches_fractional_count_axis():  # Figur 12: "0,0, 0,5 ... 3,0" for counts (here in Swedish format)
    fig, ax = new_figure(6, 4)
    ax.bar(["a", "b", "c"], [1, 3, 2])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, 1)))
    assert has(figcheck.problems(fig), "y-axel", "heltalsdata")


def test_catches_point_decimals_and_hyphen_minus():
    fig, ax = new_figure(6, 4)
    ax.plot([0.1, 0.7], [-5.0, 5.0])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))  # "-5" with a hyphen
    p = figcheck.problems(fig)
    assert has(p, "x-axel", "svenskt format") and has(p, "y-axel", "svenskt format")


def test_catches_share_scale_past_100_percent():  # Karta 2: colour scale 70-120 % for a share
    fig, ax = new_figure(5, 4)
    sm = mpl.cm.ScalarMappable(norm=mpl.colors.TwoSlopeNorm(95, 70, 120), cmap="RdBu")
    sm.set_array(np.array([69.0, 88.0, 96.0]))
    cb = fig.colorbar(sm, ax=ax)
    cb.formatter = FuncFormatter(lambda v, _: percent(v, 0))
    ax.axis("off")
    assert has(figcheck.problems(fig), "andelar utanför 0–100")
    fig2, ax2 = new_figure(5, 4)  # and a share axis
    ax2.bar(["a", "b"], [40.0, 90.0])
    ax2.set_ylim(0, 130)
    sv_axis(ax2, "y", 0, pct=True)
    assert has(figcheck.problems(fig2), "andelar utanför 0–100")


def test_allows_shares_past_100_percent_when_the_data_do():
    fig, ax = new_figure(5, 4)
    ax.bar(["a", "b"], [40.0, 125.0])
    sv_axis(ax, "y", 0, pct=True)
    assert not has(figcheck.problems(fig), "andelar")


def test_catches_legend_clipped_at_the_right():  # Figur 20-22: "Acceptabel: 37,1 % (13"
    fig, ax = new_figure(6.4, 4.2)
    wedges, _ = ax.pie([13, 8, 14], wedgeprops={"width": 0.42})
    ax.legend(wedges, ["Acceptabel: 37,1 % (13)", "Bra: 22,9 % (8)", "Lite: 40,0 % (14)"], loc="center left",
              bbox_to_anchor=(1.0, 0.5), fontsize=9)
    assert has(figcheck.problems(fig), "utanför bilden", "Acceptabel")


def test_catches_legend_clipped_at_the_bottom():  # Figur 13, 16, 18
    fig, ax = new_figure(8.5, 2.3)
    fig.set_layout_engine("none")  # a legend placed by hand below the axes, where no layout makes room
    ax.barh(["Fyrbodal"], [3], label="Är fullt infört")
    ax.barh(["Fyrbodal"], [5], left=[3], label="Nej")
    ax.legend(ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    p = figcheck.problems(fig)
    assert has(p, "utanför bilden") and has(p, "förklaringen går utanför bilden")


def test_catches_legend_over_data():  # Figur 8: the legend covers the 20-64 line
    fig, ax = new_figure(8, 4.4)
    for i, name in enumerate(["0-19", "20-64", "65-79", "80+"]):
        ax.plot([2010, 2030], [9 - i * 0.2, 9 - i * 0.2], label=name)
    ax.set_ylim(0, 10)
    ax.legend(title="Åldersgrupp", ncols=4, loc="upper left")
    assert has(figcheck.problems(fig), "förklaringen ligger över data")


def test_catches_demo_mark_on_the_legend_title():  # Figur 8: the demo badge sits on the legend title
    fig, ax = new_figure(8, 4.4)
    ax.plot([2010, 2030], [1, 2], label="0-19")
    ax.legend(title="Åldersgrupp", loc="upper center", bbox_to_anchor=(0.5, 1.12))
    _old_demo_mark(fig)
    assert has(figcheck.problems(fig), "texter överlappar", "Åldersgrupp")


def test_catches_demo_mark_over_data():  # Figur 15: the badge covers the 40 % outlier / the own point
    fig, ax = new_figure(9, 4.4)
    ax.scatter([1, 2, 3, 2], [10, 20, 15, 40])
    ax.set_ylim(0, 41)
    _old_demo_mark(fig)
    assert has(figcheck.problems(fig), "demomärkningen ligger över data")


def test_catches_overlapping_text():  # data labels, annotations and ticks on each other
    fig, ax = new_figure(5, 3)
    ax.bar(["a", "b"], [3, 4])
    ax.text(0, 3, "3 (43 %)", ha="center")
    ax.text(0.05, 3, "Ert svar: 4", ha="center")
    assert has(figcheck.problems(fig), "texter överlappar")


def test_catches_hyphen_ranges_and_straight_quotes():  # Figur 8 (second look): age groups "0-19", "20-64"
    fig, ax = new_figure(5, 3)
    for g in ["0-19", "20-64", "80+"]:
        ax.plot([2010, 2030], [1, 2], label=g)
    ax.legend(loc="lower right")
    ax.set_title('Rapporten: "kraftig ökning"')
    p = figcheck.problems(fig)
    assert has(p, "bindestreck i ett intervall", "0-19") and has(p, "raka citattecken")
    assert not has(p, "80+")


def test_catches_colour_only_series_beyond_the_palette():  # Figur 6b: 14 lines on a 10-colour cycle
    fig, ax = new_figure(8.5, 4.6)
    for i in range(14):
        ax.plot([1950, 2019], [100, 80 + 5 * i], label=f"Kommun {i}")
    ax.legend(ncols=2, fontsize=7, loc="upper left")
    p = figcheck.problems(fig)
    assert has(p, "inte går att skilja åt") and has(p, "serier skiljs bara åt med färg")


def test_catches_radar_labels_on_the_ring():  # Figur 10: area names collide with the rings
    fig = new_figure(6.4, 5.6, subplot_kw={"projection": "polar"})[0]
    ax = fig.axes[0]
    ang = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    ax.plot(np.r_[ang, ang[:1]], [6, 5, 6, 5, 6, 5, 6])
    ax.set_xticks(ang, ["Effektivitet", "Innovation", "Balansering", "Teknik", "Användare", "Organisation"])
    ax.set_ylim(1, 6)
    assert has(figcheck.problems(fig), "yttre ringen")


# --- the figure functions keep what the check cannot see ------------------------------------------------

def test_ordered_answers_get_an_ordered_palette_and_grey_for_dont_know():
    from fyrbodal_analysis.report.style import NEUTRAL, luminance, ordered_colors
    labels = ["Ingen", "Lite", "Acceptabel", "Bra", "Mycket bra", "Vet ej"]
    cols = ordered_colors(labels)
    assert cols[-1] == NEUTRAL and NEUTRAL not in cols[:-1] and len(set(cols[:-1])) == 5
    assert cols[0] != cols[-2] and luminance(cols[2]) > max(luminance(cols[0]), luminance(cols[4]))  # diverging
    assert ordered_colors(["Kan inte bedöma", "Nej", "Ja"])[0] == NEUTRAL


def test_own_bar_keeps_its_group_colour_and_is_outlined():  # Figur 23
    from matplotlib.colors import to_rgba

    from fyrbodal_analysis.report.style import CATEGORICAL, HIGHLIGHT
    fig = figures.scale_bars(["1", "2", "3", "4", "5", "6"], [0, 1, 2, 5, 3, 1], own="4", own_label="Ert svar: 4")
    bars = [p for p in fig.axes[0].patches if p.get_height() > 0 or p.get_width() > 0][:6]
    own = bars[3]
    assert own.get_facecolor() == to_rgba(CATEGORICAL[2]) and own.get_edgecolor() == to_rgba(HIGHLIGHT)
    assert own.get_linewidth() >= 2
    assert figcheck.problems(fig) == []


def test_highlighted_row_has_a_band_not_only_a_label_colour():  # Figur 14
    from matplotlib.colors import to_rgba

    from fyrbodal_analysis.report.style import HIGHLIGHT_BAND
    w = pd.DataFrame({"n": ["A", "B"], "t": [90.0, 97.0], "u": [60.0, 80.0]})
    fig = figures.grouped_hbars(w, "n", ["t", "u"], ["Tätort", "Utanför"], "Andel", goal=("Mål", 95), highlight="B")
    assert any(p.get_facecolor() == to_rgba(HIGHLIGHT_BAND) for p in fig.axes[0].patches)
    bold = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["B"]


def test_many_lines_are_labelled_directly_not_by_colour():  # Figur 6b in a region of 49 municipalities
    df = pd.DataFrame([{"year": y, "pop": 100 + i * (y - 1950) / 10, "g": f"K{i}"} for i in range(49) for y in (1950, 2019)])
    fig = figures.trend_lines(df, "year", "pop", "g", "Index")
    assert not fig.legends and fig.axes[0].get_legend() is None
    assert figcheck.problems(fig) == []


# --- the same figures as the browser lays them out -------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TEXT_BOXES_JS = """() => [...document.querySelectorAll('svg[role=img]')].map(svg => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    const m = /rotate\\((-?[\\d.]+)/.exec(t.getAttribute('transform') || '');
    return {s: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, rot: m ? Math.abs(+m[1]) % 90 : 0};
  });
  return {label: svg.getAttribute('aria-label'), box: [box.left, box.top, box.right, box.bottom], texts};
})"""


@pytest.mark.integration  # Chromium
def test_svg_text_in_chromium_stays_inside_and_apart(edition_items, tmp_path):
    """SVG text is laid out by the browser with the fonts the page names: check it there too."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
        pytest.skip("chromium is not installed here")
    from playwright.sync_api import sync_playwright
    body = "".join(it._repr_html_() for it in edition_items("1460")[1] if it.figure is not None)
    page = tmp_path / "figures.html"
    page.write_text(f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"></head><body style="width:1000px">{body}'
                    "</body></html>", encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        tab.goto(page.as_uri())
        figs = tab.evaluate(TEXT_BOXES_JS)
        browser.close()
    assert len(figs) >= 20
    bad = []
    for f in figs:
        x0, y0, x1, y1 = f["box"]
        for t in f["texts"]:
            if t["x0"] < x0 - 1 or t["y0"] < y0 - 1 or t["x1"] > x1 + 1 or t["y1"] > y1 + 1:
                bad.append(f"{f['label']}: ”{t['s']}” utanför bilden")
        straight = [t for t in f["texts"] if t["rot"] == 0]
        for a, b in itertools.combinations(straight, 2):
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 1 and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 1:
                bad.append(f"{f['label']}: ”{a['s']}” och ”{b['s']}” överlappar")
    assert not bad, bad


def test_scatter_legend_tells_filled_from_ring_but_not_twins():  # Figur 11b: own point and own corrected position
    fig, ax = new_figure(5, 4)
    ax.scatter([2], [2], s=110, color="#d95f02", label="Bengtsfors")
    ax.scatter([1.8], [1.8], s=90, facecolor="none", edgecolor="#d95f02", label="Bengtsfors efter korrigering")
    ax.legend(loc="lower right")
    assert not has(figcheck.problems(fig), "inte går att skilja åt")
    ax.scatter([3], [3], s=110, color="#d95f02", label="En annan")  # a second filled dot of the same colour
    ax.legend(loc="lower right")
    assert has(figcheck.problems(fig), "inte går att skilja åt")
