"""Charts: pure functions of tidy data plus an optional highlight, returning a Figure.

No function reads files or knows about editions; disclosure (which names may be
shown) is decided before the data reaches these functions. Labels are Swedish
and numbers are formatted by :mod:`fyrbodal_analysis.core.formatting`.
"""

from __future__ import annotations

import textwrap

import matplotlib.ticker as mpl_ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..core.formatting import number, percent, sv_range
from .style import (
    BASE,
    CATEGORICAL,
    HIGHLIGHT,
    HIGHLIGHT_BAND,
    HIGHLIGHT_TEXT,
    MUTED,
    NEUTRAL,
    NEUTRAL_ANSWERS,
    REFERENCE,
    SECOND,
    int_axis,
    new_figure,
    ordered_colors,
    sv_axis,
    text_on,
    year_axis,
)

LINE_GREY = "#8A8A8A"  # other municipalities' lines and bars: 3,4:1 on white (WCAG 1.4.11), behind the highlight


def _colors(labels, highlight, base=BASE):
    return [HIGHLIGHT if highlight is not None and lab == highlight else base for lab in labels]


def _legend(fig, ax, handles=None, labels=None, loc: str = "outside lower center", **kw):
    """A figure legend outside the axes: never over data, never clipped (the constrained layout makes room)."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    elif labels is None:
        labels = [h.get_label() for h in handles]
    kw.setdefault("ncols", min(len(handles), 4))
    return fig.legend(handles, labels, loc=loc, **kw)


def _mark_rows(ax, labels, highlight, axis: str = "y") -> None:
    """The edition's own row: bold, dark highlight text and a pale band behind it (stronger than colour alone)."""
    if highlight is None:
        return
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    for i, (lab, tick) in enumerate(zip(labels, ticks)):
        if lab == highlight:
            tick.set_color(HIGHLIGHT_TEXT)
            tick.set_fontweight("bold")
            (ax.axhspan if axis == "y" else ax.axvspan)(i - 0.5, i + 0.5, color=HIGHLIGHT_BAND, zorder=0, lw=0)


def paired_bars(df: pd.DataFrame, label: str, a: str, b: str, a_name: str, b_name: str, ylabel: str,
                highlight: str | None = None) -> Figure:
    """Two bars per row (e.g. population 2019 and 2030), the highlighted row in the highlight colour."""
    fig, ax = new_figure(9, 4.6)
    x = np.arange(len(df))
    w = 0.4
    hl = [highlight is not None and v == highlight for v in df[label]]
    ax.bar(x - w / 2, df[a], w, color=[HIGHLIGHT if h else BASE for h in hl])
    ax.bar(x + w / 2, df[b], w, color=[HIGHLIGHT if h else SECOND for h in hl], hatch="//", edgecolor="white")
    ax.set_xticks(x, df[label], rotation=45, ha="right", rotation_mode="anchor")
    _mark_rows(ax, list(df[label]), highlight, axis="x")
    ax.set_ylabel(ylabel)
    sv_axis(ax)
    from matplotlib.patches import Patch
    handles = [Patch(color=BASE, label=a_name), Patch(facecolor=SECOND, hatch="//", edgecolor="white", label=b_name)]
    if highlight is not None:
        handles.append(Patch(color=HIGHLIGHT, label=highlight))
    _legend(fig, ax, handles, ncols=3, loc="outside upper center")
    return fig


def trend_lines(df: pd.DataFrame, x: str, y: str, group: str, ylabel: str, highlight: str | None = None,
                index_to: int | None = None) -> Figure:
    """One line per group; with ``index_to`` every line is shown as an index (that year = 100)."""
    fig, ax = new_figure(8.5, 4.6)
    data = df.copy()
    if index_to is not None:
        base = data[data[x] == index_to].set_index(group)[y]
        data[y] = data[y] / data[group].map(base) * 100
    ends = {}
    for name, g in data.groupby(group, sort=False):
        is_hl = highlight is not None and name == highlight
        ax.plot(g[x], g[y], color=HIGHLIGHT if is_hl else LINE_GREY,
                lw=2.6 if is_hl else 1.1, label=name, zorder=3 if is_hl else 2)
        ends[name] = (g[x].iloc[-1], g[y].iloc[-1])
    # Lines are told apart by direct labels, not by colour (a region may have 49 or 290 municipalities):
    # every line when they fit, else the highest, the lowest and the highlighted one.
    fit = int(fig.get_figheight() * 72 * 0.75 / 11)
    if highlight is None:
        order = sorted(ends, key=lambda k: ends[k][1])
        names = order if len(order) <= fit else order[:3] + order[-3:]
        _direct_labels(ax, {k: ends[k] for k in names}, fig.get_figheight(), color="#333333")
    else:
        _direct_labels(ax, {highlight: ends[highlight]}, fig.get_figheight(), color=HIGHLIGHT_TEXT, bold=True)
    ax.set_ylabel(ylabel)
    sv_axis(ax)
    year_axis(ax, "x")
    return fig


def _direct_labels(ax, ends: dict, fig_height: float, color: str, bold: bool = False, size: float = 8) -> None:
    """Names at the right end of lines, pushed apart vertically so they never overlap, with leader lines.

    Positions are worked out in points on an axes height that is deliberately underestimated: the real
    axes is taller, which only widens the gaps."""
    y0, y1 = ax.get_ylim()
    ys = [v[1] for v in ends.values()]
    y0, y1 = min(y0, *ys), max(y1, *ys)
    height = fig_height * 72 * 0.75
    gap = size * 1.55
    items = sorted(ends.items(), key=lambda kv: kv[1][1])
    start = [(v[1] - y0) / (y1 - y0) * height for _, v in items]
    pos = [max(start[0], 0.0)]
    for p in start[1:]:  # upwards: at least one line of text above the previous label
        pos.append(max(p, pos[-1] + gap))
    if pos[-1] > height:  # too high: push down from the top, never below the axis
        pos[-1] = height
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = max(min(pos[i], pos[i + 1] - gap), 0.0 if i == 0 else -1e9)
    for (name, xy), p0, p1 in zip(items, start, pos):
        ax.annotate(name, xy, xytext=(16, p1 - p0), textcoords="offset points", va="center", fontsize=size,
                    color=color, fontweight="bold" if bold else "normal", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": "#9A9A9A", "lw": 0.6, "shrinkA": 1, "shrinkB": 1})


def forecast_lines(df: pd.DataFrame, x: str, y: str, group: str, forecast: str, ylabel: str) -> Figure:
    """History solid, forecast dashed; one colour per group (Figur 8)."""
    fig, ax = new_figure(8, 4.4)
    for (name, g), color in zip(df.groupby(group, sort=False), CATEGORICAL):
        hist = g[~g[forecast]]
        # the forecast joins the last observed year only when it follows it: no line is drawn across missing years
        joined = g[forecast].any() and g.loc[g[forecast], x].min() == hist[x].max() + 1
        fut = g[g[forecast] | ((g[x] == hist[x].max()) & joined)]
        ax.plot(hist[x], hist[y], color=color, lw=2, label=name)
        ax.plot(fut[x], fut[y], color=color, lw=2, ls="--")
    ax.axvline(df.loc[~df[forecast], x].max() + 0.5, color=REFERENCE, lw=0.8, ls=":")
    ax.set_ylabel(ylabel)
    sv_axis(ax)
    year_axis(ax, "x")
    for line in ax.get_lines():  # groups such as "0-19" are ranges: "0–19"
        line.set_label(sv_range(str(line.get_label())))
    _legend(fig, ax, title="Åldersgrupp (streckad linje = prognos)", ncols=4)
    return fig


def radar(axes_labels: list[str], series: dict[str, list[float]], rmin: float, rmax: float,
          ring: tuple[str, float] | None = None, highlight: str | None = None) -> Figure:
    """Spider chart (Figur 10). ``ring`` draws one reference circle (name, value)."""
    fig = new_figure(6.4, 5.6, subplot_kw={"projection": "polar"})[0]
    ax = fig.axes[0]
    n = len(axes_labels)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist()
    styles = {"Högsta": (SECOND, "-"), "Medel": (BASE, "-"), "Lägsta": (LINE_GREY, "-")}
    for name, vals in series.items():
        color, ls = styles.get(name, (HIGHLIGHT if name == highlight else CATEGORICAL[4], "-"))
        ax.plot(ang + ang[:1], list(vals) + list(vals[:1]), color=color, ls=ls, lw=2.4 if name == highlight else 1.8,
                label=name)
    if ring:
        t = np.linspace(0, 2 * np.pi, 200)
        ax.plot(t, [ring[1]] * len(t), color=REFERENCE, ls="--", lw=1, label=ring[0])
    ax.set_xticks(ang, ["\n".join(textwrap.wrap(a, 16)) for a in axes_labels])
    ax.tick_params(axis="x", pad=22)  # area names clear of the outer ring (checked by figcheck)
    ax.set_ylim(rmin, rmax)
    ax.set_yticks(range(int(rmin), int(rmax) + 1))
    ax.yaxis.set_major_formatter(mpl_ticker.FuncFormatter(lambda v, _: number(v, 0)))
    ax.set_rlabel_position(180 / n)  # scale numbers between two spokes, on a white plate where a line passes
    for t in ax.get_yticklabels():
        t.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85})
    _legend(fig, ax, fontsize=8, ncols=3)
    return fig


def quadrants(points: pd.DataFrame, x: str, y: str, mid: float, lim: tuple[float, float], xlabel: str, ylabel: str,
              quadrant_names: dict[str, tuple[float, float]], mean: tuple[float, float] | None = None,
              shifted: pd.DataFrame | None = None, mean_label: str = "Medel") -> Figure:
    """Scatter in a 2x2 model (Figur 11). ``points`` has columns x, y and ``label`` (None = anonymous)."""
    fig, ax = new_figure(6.6, 6.0)
    ax.axvline(mid, color=REFERENCE, lw=0.8)
    ax.axhline(mid, color=REFERENCE, lw=0.8)
    for name, (qx, qy) in quadrant_names.items():
        ax.text(qx, qy, name, fontsize=16, color="#666666", ha="center", va="center", fontweight="bold")
    anon = points[points["label"].isna()]
    own = points[points["label"].notna()]
    ax.scatter(anon[x], anon[y], s=45, color=MUTED, edgecolor="#555555", label="Kommuner (anonyma)", zorder=3)
    if shifted is not None:
        ax.scatter(shifted[x], shifted[y], s=30, facecolor="none", edgecolor=BASE, label="Efter korrigering −20 %", zorder=3)
        for (x0, y0), (x1, y1) in zip(points[[x, y]].to_numpy(), shifted[[x, y]].to_numpy()):
            ax.annotate("", (x1, y1), (x0, y0), arrowprops={"arrowstyle": "->", "color": "#999999", "lw": 0.7})
    for _, r in own.iterrows():
        ax.scatter([r[x]], [r[y]], s=110, color=HIGHLIGHT, edgecolor="black", zorder=4, label=r["label"])
    if shifted is not None and "label" in shifted:  # the edition's own corrected position, as strong as its own point
        for _, r in shifted[shifted["label"].notna()].iterrows():
            ax.scatter([r[x]], [r[y]], s=90, facecolor="none", edgecolor=HIGHLIGHT, linewidth=2.2, zorder=4,
                       label=f"{r['label']} efter korrigering")
    if mean is not None:
        ax.scatter([mean[0]], [mean[1]], s=140, marker="D", color=BASE, edgecolor="black", zorder=4, label=mean_label)
    ax.set_xlim(*lim)
    ax.set_ylim(*lim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for which in ("x", "y"):
        (ax.xaxis if which == "x" else ax.yaxis).set_major_locator(mpl_ticker.MultipleLocator(1))
        sv_axis(ax, which, 0)
    _legend(fig, ax, fontsize=8, ncols=2)
    return fig


def count_bars(labels: list[str], counts: list[int], xlabel: str, highlight: str | None = None,
               horizontal: bool = False, total: int | None = None) -> Figure:
    """Counts per category, e.g. CISO time bands (Figur 12); shares printed when ``total`` is given."""
    fig, ax = new_figure(7, 3.8)
    colors = _colors(labels, highlight)
    bars = (ax.barh if horizontal else ax.bar)(labels, counts, color=colors)
    for b, c in zip(bars, counts):
        text = f"{c}" + (f" ({percent(c / total * 100, 0)})" if total else "")
        if horizontal:
            ax.text(b.get_width() + 0.05, b.get_y() + b.get_height() / 2, text, va="center")
        else:
            ax.text(b.get_x() + b.get_width() / 2, b.get_height() + 0.05, text, ha="center", va="bottom")
    (ax.set_xlabel if not horizontal else ax.set_ylabel)(xlabel)
    (ax.set_ylabel if not horizontal else ax.set_xlabel)("Antal")
    ax.margins(y=0.15) if not horizontal else ax.margins(x=0.15)
    int_axis(ax, "x" if horizontal else "y")
    if highlight is not None and highlight in labels:
        _mark_rows(ax, labels, highlight, axis="y" if horizontal else "x")
    return fig


def stacked_hbars(df: pd.DataFrame, label: str, parts: list[str], xlabel: str, colors=None,
                  highlight: str | None = None, pct: bool = False) -> Figure:
    """One horizontal stacked bar per row; ``parts`` are the stacked columns (Bilaga 4, Figur 16-18)."""
    fig, ax = new_figure(8.5, 0.45 * len(df) + 1.8)
    left = np.zeros(len(df))
    colors = colors or CATEGORICAL
    for part, color in zip(parts, colors):
        vals = df[part].to_numpy(dtype=float)
        hatch = "///" if part.lower() in NEUTRAL_ANSWERS and color != NEUTRAL else None
        ax.barh(df[label], vals, left=left, color=color, label=part, edgecolor="white", hatch=hatch)
        for y, (l, v) in enumerate(zip(left, vals)):
            if v >= (6 if pct else 1):
                ax.text(l + v / 2, y, percent(v, 0) if pct else number(v), ha="center", va="center", fontsize=8,
                        color=text_on(color))
        left += vals
    ax.set_yticks(range(len(df)), df[label])
    _mark_rows(ax, list(df[label]), highlight)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if pct:
        ax.set_xlim(0, 100)
        sv_axis(ax, "x", 0, pct=True)
    else:
        int_axis(ax, "x")
    _legend(fig, ax, ncols=min(3, len(parts)), fontsize=8)
    return fig


def grouped_hbars(df: pd.DataFrame, label: str, cols: list[str], names: list[str], xlabel: str,
                  goal: tuple[str, float] | None = None, highlight: str | None = None) -> Figure:
    """Several bars per row (Figur 14: tätort / småort / utanför), with a goal line."""
    fig, ax = new_figure(8.5, 0.55 * len(df) + 1.6)
    h = 0.8 / len(cols)
    y = np.arange(len(df))
    for i, (c, n) in enumerate(zip(cols, names)):
        ax.barh(y + i * h - 0.4 + h / 2, df[c], h, color=CATEGORICAL[i], label=n)
    if goal:
        ax.axvline(goal[1], color=REFERENCE, ls="--", lw=1.2, label=goal[0])
    ax.set_yticks(y, df[label])
    _mark_rows(ax, list(df[label]), highlight)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, 100)
    sv_axis(ax, "x", 0, pct=True)
    _legend(fig, ax, ncols=min(len(cols) + 1, 3), fontsize=8)
    return fig


def box_by_category(df: pd.DataFrame, category: str, value: str, order: list[str], ylabel: str,
                    own: pd.DataFrame | None = None, own_label: str | None = None) -> Figure:
    """Distribution per category across organisations (Figur 15); the own organisation as a marker."""
    fig, ax = new_figure(9, 0.45 * len(order) + 1.8)
    data = [df.loc[df[category] == c, value].to_numpy() for c in order]
    ax.boxplot(data, tick_labels=order, orientation="horizontal", patch_artist=True,
               boxprops={"facecolor": "#DCE9F5", "edgecolor": BASE}, medianprops={"color": BASE, "lw": 2},
               whiskerprops={"color": BASE}, capprops={"color": BASE}, flierprops={"markeredgecolor": "#666666"})
    ax.invert_yaxis()
    if own is not None and len(own):
        ys = [order.index(c) + 1 for c in own[category]]
        ax.scatter(own[value], ys, color=HIGHLIGHT, s=60, zorder=3, label=own_label, edgecolor="black", marker="D")
        _legend(fig, ax)
    ax.set_xlabel(ylabel)
    sv_axis(ax, "x", 0, pct=True)
    return fig


def ranked_bars(df: pd.DataFrame, label: str, value: str, ylabel: str, highlight: str | None = None,
                lines: list[tuple[str, float, str]] = (), decimals: int = 2) -> Figure:
    """Bars sorted by value with reference lines (Figur 19)."""
    d = df.sort_values(value, ascending=False)
    fig, ax = new_figure(8.5, 4.4)
    bars = ax.bar(d[label], d[value], color=_colors(list(d[label]), highlight, LINE_GREY if highlight else BASE))
    for b, v in zip(bars, d[value]):
        ax.text(b.get_x() + b.get_width() / 2, v, percent(v, decimals), ha="center", va="bottom", fontsize=8)
    for name, v, style in lines:
        ax.axhline(v, color=REFERENCE, ls=style, lw=1.1, label=name)
    ax.set_ylabel(ylabel)
    sv_axis(ax, "y", 1, pct=True)
    ax.tick_params(axis="x", rotation=45)
    for t in ax.get_xticklabels():
        t.set_ha("right")
        t.set_rotation_mode("anchor")
    _mark_rows(ax, list(d[label]), highlight, axis="x")
    if lines:
        _legend(fig, ax)
    return fig


def donut(labels: list[str], counts: list[int], center: str = "", scale: list[str] | None = None) -> Figure:
    """Shares of answer categories (Figur 20-22), coloured as an ordered scale (``scale``: worst to best;
    default the order of ``labels``); "Vet ej" in neutral grey."""
    fig, ax = new_figure(7.2, 4.2)
    colors = dict(zip(labels, ordered_colors(labels, scale)))
    keep = [(l, c) for l, c in zip(labels, counts) if c > 0]
    total = sum(c for _, c in keep)
    wedges, _ = ax.pie([c for _, c in keep], colors=[colors[l] for l, _ in keep], startangle=90, counterclock=False,
                       wedgeprops={"width": 0.42, "edgecolor": "white"})
    from matplotlib.patches import Circle
    for radius in (1.0, 0.58):  # outline the ring, so that a pale answer still has a visible edge on white
        ax.add_patch(Circle((0, 0), radius, fill=False, edgecolor="#767676", lw=0.8))
    _legend(fig, ax, wedges, [f"{l}: {percent(c / total * 100, 1)} ({c})" for l, c in keep], loc="outside right center",
            ncols=1, fontsize=9)
    ax.text(0, 0, center, ha="center", va="center", fontsize=9)
    ax.set_aspect("equal")
    return fig


def scale_bars(categories: list[str], counts: list[int], own: str | None = None, own_label: str = "") -> Figure:
    """Distribution over a 1-6 scale (Figur 23-24); the edition's own answer marked."""
    from matplotlib.patches import Patch
    fig, ax = new_figure(7, 3.8)
    colors = [NEUTRAL if c.lower() in NEUTRAL_ANSWERS else (CATEGORICAL[2] if c in ("4", "5") else BASE) for c in categories]
    bars = ax.bar(categories, counts, color=colors)
    total = sum(counts)
    for b, c in zip(bars, counts):
        ax.text(b.get_x() + b.get_width() / 2, c, f"{c}\n{percent(c / total * 100, 0)}" if total else "", ha="center",
                va="bottom", fontsize=8)
    handles = [Patch(color=CATEGORICAL[2], label="4–5 (rapportens gruppering)"), Patch(color=BASE, label="övriga svar")]
    if own is not None and own in categories:
        # The own answer keeps its group colour and gets a thick outline, so the 4-5 grouping stays readable.
        own_bar = bars[categories.index(own)]
        own_bar.set_edgecolor(HIGHLIGHT)
        own_bar.set_linewidth(3)
        handles.append(Patch(facecolor="none", edgecolor=HIGHLIGHT, linewidth=3, label=own_label))
    ax.set_xlabel("Svar (1 = instämmer inte alls, 6 = instämmer helt)")
    ax.set_ylabel("Antal IT-organisationer")
    ax.margins(y=0.3)
    int_axis(ax, "y")
    _legend(fig, ax, handles, ncols=3, fontsize=8)
    return fig


def importance_vs_maturity(df: pd.DataFrame, own: pd.DataFrame | None = None, fit: tuple[float, float] | None = None,
                           shifted: pd.Series | None = None, mean_label: str = "Medel") -> Figure:
    """Figur 29: strategic importance (x) and mean maturity with spread (y) per capability."""
    fig, ax = new_figure(8, 5)
    ax.errorbar(df["strategic_importance"], df["mean_level"], yerr=df["sd_level"], fmt="o", color=BASE, ecolor="#9DBFDF",
                elinewidth=1, capsize=2, label=f"{mean_label} ± standardavvikelse")
    if shifted is not None:
        ax.scatter(df["strategic_importance"], shifted, s=18, facecolor="none", edgecolor=LINE_GREY, label="Efter korrigering −20 %")
    if own is not None and len(own):
        ax.scatter(own["strategic_importance"], own["level"], marker="x", color=HIGHLIGHT, s=40, label="Er egen bedömning")
    if fit is not None:
        xs = np.linspace(df["strategic_importance"].min(), df["strategic_importance"].max(), 20)
        ax.plot(xs, fit[0] + fit[1] * xs, color=REFERENCE, ls="--", lw=1, label="Linjär anpassning")
    ax.set_xlabel("Strategisk betydelse (1–5)")
    ax.set_ylabel("Skattad mognad (0–4)")
    ax.set_ylim(-0.2, 4.2)
    ax.set_yticks(range(0, 5))  # whole levels: "0, 1, 2, 3, 4", never "0, 1, 1, 2"
    ax.xaxis.set_major_locator(mpl_ticker.MultipleLocator(0.5))
    sv_axis(ax, "x", 1)
    sv_axis(ax, "y", 0)
    _legend(fig, ax, fontsize=8, ncols=2)
    return fig


def gantt(df: pd.DataFrame, label: str, start: str, end: str) -> Figure:
    """Milestone plan: bars from start to end day; a diamond for a point in time."""
    fig, ax = new_figure(9, 0.38 * len(df) + 1.2)
    for i, r in enumerate(df.itertuples()):
        s, e = getattr(r, start), getattr(r, end)
        if pd.isna(e):
            ax.scatter([s], [i], marker="D", color=HIGHLIGHT, zorder=3)
        else:
            ax.barh(i, max(e - s, 1), left=s, color=BASE if "Beslut" not in getattr(r, label) else CATEGORICAL[1])
    ax.set_yticks(range(len(df)), df[label], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Dag (från erbjudandebeskrivning, dag 0)")
    int_axis(ax, "x")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    handles = [Patch(color=BASE, label="Aktivitet"), Patch(color=CATEGORICAL[1], label="Beslut")]
    if df[end].isna().any():
        handles.append(Line2D([], [], ls="", marker="D", color=HIGHLIGHT, label="Tidpunkt (start)"))
    _legend(fig, ax, handles, fontsize=8)  # what the colours mean: orange bars are decisions
    return fig


def remaining_dots(df: pd.DataFrame, label: str, year: str, value: str, xlabel: str, highlight: str | None = None) -> Figure:
    """One row per unit, one dot per observed year, never joined: how far each year was from a target (0 = reached).

    The earliest year is a hollow ring, the latest a filled dot; years between are small grey dots. No line is
    drawn between the years or towards the target, because the data give no path.
    """
    labels = list(dict.fromkeys(df[label]))
    fig, ax = new_figure(8.5, 0.42 * len(labels) + 1.8)
    y = {name: i for i, name in enumerate(labels)}
    first, last = df[year].min(), df[year].max()
    for _, r in df.iterrows():
        is_hl = highlight is not None and r[label] == highlight
        color = HIGHLIGHT if is_hl else BASE
        if r[year] == first:
            ax.scatter(r[value], y[r[label]], s=60, facecolors="white", edgecolors=color, lw=1.6, zorder=3)
        elif r[year] == last:
            ax.scatter(r[value], y[r[label]], s=60, color=color, zorder=4)
        else:
            ax.scatter(r[value], y[r[label]], s=14, color=MUTED, zorder=2)
    ax.axvline(0, color=REFERENCE, lw=1.0)
    ax.set_yticks(range(len(labels)), labels)
    for tick in ax.get_yticklabels():
        if highlight is not None and tick.get_text() == highlight:
            tick.set_color(HIGHLIGHT)
            tick.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    # a change, not a share: ticks only where there are data (or the target line at 0)
    lo, hi = min(0.0, float(df[value].min())), max(0.0, float(df[value].max()))
    ax.set_xticks([t for t in ax.get_xticks() if lo - 1e-9 <= t <= hi + 1e-9])
    sv_axis(ax, "x", 1, pct=True)
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], ls="", marker="o", mfc="white", mec=BASE, label=str(first))]
    if last != first:
        handles += [Line2D([], [], ls="", marker="o", color=MUTED, ms=4, label="år däremellan")] if df[year].nunique() > 2 else []
        handles.append(Line2D([], [], ls="", marker="o", color=BASE, label=str(last)))
    ax.legend(handles=handles, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8)
    return fig
