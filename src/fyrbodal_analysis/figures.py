"""Charts: pure functions of tidy data plus an optional highlight, returning a Figure.

No function reads files or knows about editions; disclosure (which names may be
shown) is decided before the data reaches these functions. Labels are Swedish
and numbers are formatted by :mod:`fyrbodal_analysis.svformat`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .style import BASE, CATEGORICAL, HIGHLIGHT, MUTED, REFERENCE, SECOND, new_figure, sv_axis
from .svformat import number, percent


def _colors(labels, highlight, base=BASE):
    return [HIGHLIGHT if highlight is not None and lab == highlight else base for lab in labels]


def paired_bars(df: pd.DataFrame, label: str, a: str, b: str, a_name: str, b_name: str, ylabel: str,
                highlight: str | None = None) -> Figure:
    """Two bars per row (e.g. population 2019 and 2030), the highlighted row in the highlight colour."""
    fig, ax = new_figure(9, 4.6)
    x = np.arange(len(df))
    w = 0.4
    hl = [highlight is not None and v == highlight for v in df[label]]
    ax.bar(x - w / 2, df[a], w, color=[HIGHLIGHT if h else BASE for h in hl])
    ax.bar(x + w / 2, df[b], w, color=[HIGHLIGHT if h else SECOND for h in hl], hatch="//", edgecolor="white")
    ax.set_xticks(x, df[label], rotation=45, ha="right")
    for tick, h in zip(ax.get_xticklabels(), hl):
        tick.set_fontweight("bold" if h else "normal")
    ax.set_ylabel(ylabel)
    sv_axis(ax)
    from matplotlib.patches import Patch
    handles = [Patch(color=BASE, label=a_name), Patch(facecolor=SECOND, hatch="//", edgecolor="white", label=b_name)]
    if highlight is not None:
        handles.append(Patch(color=HIGHLIGHT, label=highlight))
    ax.legend(handles=handles, ncols=3, loc="upper left")
    return fig


def trend_lines(df: pd.DataFrame, x: str, y: str, group: str, ylabel: str, highlight: str | None = None,
                index_to: int | None = None) -> Figure:
    """One line per group; with ``index_to`` every line is shown as an index (that year = 100)."""
    fig, ax = new_figure(8.5, 4.6)
    data = df.copy()
    if index_to is not None:
        base = data[data[x] == index_to].set_index(group)[y]
        data[y] = data[y] / data[group].map(base) * 100
    for name, g in data.groupby(group, sort=False):
        is_hl = highlight is not None and name == highlight
        ax.plot(g[x], g[y], color=HIGHLIGHT if is_hl else (MUTED if highlight else None),
                lw=2.6 if is_hl else 1.2, label=name, zorder=3 if is_hl else 2)
    if highlight is None:
        ax.legend(ncols=2, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        g = data[data[group] == highlight]
        ax.annotate(highlight, (g[x].iloc[-1], g[y].iloc[-1]), xytext=(4, 0), textcoords="offset points",
                    color=HIGHLIGHT, fontweight="bold", va="center")
    ax.set_ylabel(ylabel)
    sv_axis(ax)
    return fig


def forecast_lines(df: pd.DataFrame, x: str, y: str, group: str, forecast: str, ylabel: str) -> Figure:
    """History solid, forecast dashed; one colour per group (Figur 8)."""
    fig, ax = new_figure(8, 4.4)
    for (name, g), color in zip(df.groupby(group, sort=False), CATEGORICAL):
        hist = g[~g[forecast]]
        fut = g[g[forecast] | (g[x] == hist[x].max())]
        ax.plot(hist[x], hist[y], color=color, lw=2, label=name)
        ax.plot(fut[x], fut[y], color=color, lw=2, ls="--")
    ax.axvline(df.loc[~df[forecast], x].max() + 0.5, color=REFERENCE, lw=0.8, ls=":")
    ax.set_ylabel(ylabel)
    sv_axis(ax)
    ax.legend(title="Åldersgrupp", ncols=4, loc="upper left")
    return fig


def radar(axes_labels: list[str], series: dict[str, list[float]], rmin: float, rmax: float,
          ring: tuple[str, float] | None = None, highlight: str | None = None) -> Figure:
    """Spider chart (Figur 10). ``ring`` draws one reference circle (name, value)."""
    fig = new_figure(6.4, 5.6, subplot_kw={"projection": "polar"})[0]
    ax = fig.axes[0]
    n = len(axes_labels)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist()
    styles = {"Högsta": (SECOND, "-"), "Medel": (BASE, "-"), "Lägsta": (MUTED, "-")}
    for name, vals in series.items():
        color, ls = styles.get(name, (HIGHLIGHT if name == highlight else CATEGORICAL[4], "-"))
        ax.plot(ang + ang[:1], list(vals) + list(vals[:1]), color=color, ls=ls, lw=2.4 if name == highlight else 1.8,
                label=name)
    if ring:
        t = np.linspace(0, 2 * np.pi, 200)
        ax.plot(t, [ring[1]] * len(t), color=REFERENCE, ls="--", lw=1, label=ring[0])
    ax.set_xticks(ang, axes_labels)
    ax.set_ylim(rmin, rmax)
    ax.set_yticks(range(int(rmin), int(rmax) + 1))
    ax.legend(loc="upper right", bbox_to_anchor=(1.35, 1.1), fontsize=8)
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
    if mean is not None:
        ax.scatter([mean[0]], [mean[1]], s=140, marker="D", color=BASE, edgecolor="black", zorder=4, label=mean_label)
    ax.set_xlim(*lim)
    ax.set_ylim(*lim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    sv_axis(ax, "x", 1)
    sv_axis(ax, "y", 1)
    ax.legend(loc="lower right", fontsize=8)
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
    return fig


def stacked_hbars(df: pd.DataFrame, label: str, parts: list[str], xlabel: str, colors=None,
                  highlight: str | None = None, pct: bool = False) -> Figure:
    """One horizontal stacked bar per row; ``parts`` are the stacked columns (Bilaga 4, Figur 16-18)."""
    fig, ax = new_figure(8.5, 0.45 * len(df) + 1.8)
    left = np.zeros(len(df))
    colors = colors or CATEGORICAL
    for part, color in zip(parts, colors):
        vals = df[part].to_numpy(dtype=float)
        ax.barh(df[label], vals, left=left, color=color, label=part, edgecolor="white")
        for y, (l, v) in enumerate(zip(left, vals)):
            if v >= (6 if pct else 1):
                ax.text(l + v / 2, y, percent(v, 0) if pct else number(v), ha="center", va="center", fontsize=8,
                        color="white" if color in (BASE, CATEGORICAL[2], CATEGORICAL[4]) else "black")
        left += vals
    ax.invert_yaxis()
    for tick in ax.get_yticklabels():
        if highlight is not None and tick.get_text() == highlight:
            tick.set_color(HIGHLIGHT)
            tick.set_fontweight("bold")
    ax.set_xlabel(xlabel)
    if pct:
        sv_axis(ax, "x", 0, pct=True)
    ax.legend(ncols=min(4, len(parts)), loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(df) > 3 else -0.3), fontsize=8)
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
    for tick in ax.get_yticklabels():
        if highlight is not None and tick.get_text() == highlight:
            tick.set_color(HIGHLIGHT)
            tick.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, 100)
    sv_axis(ax, "x", 0, pct=True)
    ax.legend(ncols=len(cols) + 1, loc="upper center", bbox_to_anchor=(0.5, -0.06), fontsize=8)
    return fig


def box_by_category(df: pd.DataFrame, category: str, value: str, order: list[str], ylabel: str,
                    own: pd.DataFrame | None = None, own_label: str | None = None) -> Figure:
    """Distribution per category across organisations (Figur 15); the own organisation as a marker."""
    fig, ax = new_figure(9, 4.4)
    data = [df.loc[df[category] == c, value].to_numpy() for c in order]
    ax.boxplot(data, tick_labels=order, patch_artist=True, boxprops={"facecolor": "#DCE9F5", "edgecolor": BASE},
               medianprops={"color": BASE, "lw": 2}, whiskerprops={"color": BASE}, capprops={"color": BASE},
               flierprops={"markeredgecolor": MUTED})
    if own is not None and len(own):
        xs = [order.index(c) + 1 for c in own[category]]
        ax.scatter(xs, own[value], color=HIGHLIGHT, s=60, zorder=3, label=own_label, edgecolor="black")
        ax.legend(loc="upper right")
    ax.set_ylabel(ylabel)
    sv_axis(ax, "y", 0, pct=True)
    ax.tick_params(axis="x", rotation=30)
    return fig


def ranked_bars(df: pd.DataFrame, label: str, value: str, ylabel: str, highlight: str | None = None,
                lines: list[tuple[str, float, str]] = (), decimals: int = 2) -> Figure:
    """Bars sorted by value with reference lines (Figur 19)."""
    d = df.sort_values(value, ascending=False)
    fig, ax = new_figure(8.5, 4.4)
    bars = ax.bar(d[label], d[value], color=_colors(list(d[label]), highlight, MUTED if highlight else BASE))
    for b, v in zip(bars, d[value]):
        ax.text(b.get_x() + b.get_width() / 2, v, percent(v, decimals), ha="center", va="bottom", fontsize=8)
    for name, v, style in lines:
        ax.axhline(v, color=REFERENCE, ls=style, lw=1.1, label=name)
    ax.set_ylabel(ylabel)
    sv_axis(ax, "y", 1, pct=True)
    ax.tick_params(axis="x", rotation=45)
    for t in ax.get_xticklabels():
        t.set_ha("right")
        if highlight is not None and t.get_text() == highlight:
            t.set_color(HIGHLIGHT)
            t.set_fontweight("bold")
    if lines:
        ax.legend(loc="upper right")
    return fig


def donut(labels: list[str], counts: list[int], center: str = "") -> Figure:
    """Shares of answer categories (Figur 20-22)."""
    fig, ax = new_figure(6.4, 4.2)
    keep = [(l, c) for l, c in zip(labels, counts) if c > 0]
    total = sum(c for _, c in keep)
    wedges, _ = ax.pie([c for _, c in keep], colors=CATEGORICAL[: len(keep)], startangle=90, counterclock=False,
                       wedgeprops={"width": 0.42, "edgecolor": "white"})
    ax.legend(wedges, [f"{l}: {percent(c / total * 100, 1)} ({c})" for l, c in keep], loc="center left",
              bbox_to_anchor=(1.0, 0.5), fontsize=9)
    ax.text(0, 0, center, ha="center", va="center", fontsize=9)
    ax.set_aspect("equal")
    return fig


def scale_bars(categories: list[str], counts: list[int], own: str | None = None, own_label: str = "") -> Figure:
    """Distribution over a 1-6 scale (Figur 23-24); the edition's own answer marked."""
    fig, ax = new_figure(7, 3.6)
    colors = [HIGHLIGHT if own is not None and c == own else (CATEGORICAL[2] if c in ("4", "5") else BASE) for c in categories]
    bars = ax.bar(categories, counts, color=colors)
    total = sum(counts)
    for b, c in zip(bars, counts):
        ax.text(b.get_x() + b.get_width() / 2, c, f"{c}\n{percent(c / total * 100, 0)}" if total else "", ha="center",
                va="bottom", fontsize=8)
    ax.set_xlabel("Svar (1 = instämmer inte alls, 6 = instämmer helt)")
    ax.set_ylabel("Antal IT-organisationer")
    ax.margins(y=0.3)
    if own is not None:
        ax.text(0.99, 0.97, own_label, transform=ax.transAxes, ha="right", va="top", color=HIGHLIGHT, fontweight="bold")
    return fig


def importance_vs_maturity(df: pd.DataFrame, own: pd.DataFrame | None = None, fit: tuple[float, float] | None = None,
                           shifted: pd.Series | None = None, mean_label: str = "Medel") -> Figure:
    """Figur 29: strategic importance (x) and mean maturity with spread (y) per capability."""
    fig, ax = new_figure(8, 5)
    ax.errorbar(df["strategic_importance"], df["mean_level"], yerr=df["sd_level"], fmt="o", color=BASE, ecolor="#9DBFDF",
                elinewidth=1, capsize=2, label=f"{mean_label} ± standardavvikelse")
    if shifted is not None:
        ax.scatter(df["strategic_importance"], shifted, s=18, facecolor="none", edgecolor=MUTED, label="Efter korrigering −20 %")
    if own is not None and len(own):
        ax.scatter(own["strategic_importance"], own["level"], marker="x", color=HIGHLIGHT, s=40, label="Er egen bedömning")
    if fit is not None:
        xs = np.linspace(df["strategic_importance"].min(), df["strategic_importance"].max(), 20)
        ax.plot(xs, fit[0] + fit[1] * xs, color=REFERENCE, ls="--", lw=1, label="Linjär anpassning")
    ax.set_xlabel("Strategisk betydelse (1–5)")
    ax.set_ylabel("Skattad mognad (0–4)")
    ax.set_ylim(-0.2, 4.2)
    sv_axis(ax, "x", 1)
    sv_axis(ax, "y", 0)
    ax.legend(loc="lower left", fontsize=8)
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
    sv_axis(ax, "x")
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
    sv_axis(ax, "x", 1, pct=True)
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], ls="", marker="o", mfc="white", mec=BASE, label=str(first))]
    if last != first:
        handles += [Line2D([], [], ls="", marker="o", color=MUTED, ms=4, label="år däremellan")] if df[year].nunique() > 2 else []
        handles.append(Line2D([], [], ls="", marker="o", color=BASE, label=str(last)))
    ax.legend(handles=handles, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8)
    return fig
