"""Diagrams: concept figures drawn from the report's own words, the capability map and maps.

Concept figures (Figur 1, 3, 4, 31, 35) carry no data; their labels are quoted
from the report text. The capability map (Figur 25, 26, 28) lays out the 55
capabilities in their 3 areas and 13 groups and can colour them by a value.
Maps are drawn from the shipped GeoJSON with plain matplotlib patches.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Polygon

from .style import BASE, HIGHLIGHT, MUTED, SEQUENTIAL, new_figure
from .svformat import number


def _box(ax, x, y, w, h, text, face="#DCE9F5", edge=BASE, size=10, bold=False, color="black"):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.008", facecolor=face, edgecolor=edge))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=size, fontweight="bold" if bold else "normal",
            color=color)


def _blank(width, height) -> tuple[Figure, object]:
    fig, ax = new_figure(width, height)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    return fig, ax


def layers(labels: list[str], notes: list[str] | None = None, around: str | None = None) -> Figure:
    """Stacked layers (Figur 1: utsida, insida, motor; Figur 4 adds the surrounding conditions)."""
    fig, ax = _blank(7.5, 4.2)
    top = 0.9 if around else 0.95
    if around:
        _box(ax, 0.02, 0.02, 0.96, 0.96, "", face="#F4F4F4", edge=MUTED)
        ax.text(0.5, 0.94, around, ha="center", va="center", fontsize=9, style="italic")
    h = (top - 0.08) / len(labels)
    faces = ["#CDE3F3", "#A9CDEB", "#7FB3DD"]
    for i, lab in enumerate(labels):
        y = top - (i + 1) * h
        _box(ax, 0.1 + 0.05 * i, y + 0.01, 0.8 - 0.1 * i, h - 0.02, lab, face=faces[i % 3], bold=True, size=11)
        if notes:
            ax.text(0.1 + 0.05 * i + 0.8 - 0.1 * i - 0.01, y + 0.03, notes[i], ha="right", va="bottom", fontsize=7.5)
    return fig


def elements(center: str, parts: list[str]) -> Figure:
    """A concept with its elements around it (Figur 3: a capability's elements)."""
    fig, ax = _blank(6.5, 4.6)
    _box(ax, 0.35, 0.42, 0.3, 0.16, center, face=BASE, color="white", bold=True, size=12)
    for i, p in enumerate(parts):
        a = np.pi / 2 + 2 * np.pi * i / len(parts)
        x, y = 0.5 + 0.36 * np.cos(a), 0.5 + 0.38 * np.sin(a)
        ax.plot([0.5, x], [0.5, y], color=MUTED, lw=1, zorder=0)
        _box(ax, x - 0.11, y - 0.06, 0.22, 0.12, p, size=10)
    return fig


def tbm(levels: list[tuple[str, list[str]]]) -> Figure:
    """The TBM model's levels from cost pools up to the business (Figur 31)."""
    fig, ax = _blank(9, 4.8)
    h = 0.9 / len(levels)
    for i, (name, items) in enumerate(levels):
        y = 0.05 + i * h
        ax.text(0.01, y + h / 2, name, ha="left", va="center", fontsize=10, fontweight="bold")
        if items:
            w = 0.72 / len(items)
            for j, it in enumerate(items):
                _box(ax, 0.26 + j * w, y + 0.02, w - 0.01, h - 0.04, "\n".join(textwrap.wrap(it, 13)), size=7.5)
        else:
            _box(ax, 0.26, y + 0.02, 0.72, h - 0.04, "(exempel saknas i rapportens text)", face="#F4F4F4", edge=MUTED, size=8)
    return fig


def model_2x2(xlabel: str, ylabel: str, cells: dict[str, str]) -> Figure:
    """A 2x2 model with a text per quadrant (Figur 35: Dimios types A-D)."""
    fig, ax = _blank(7.5, 6)
    pos = {"A": (0.1, 0.1), "B": (0.1, 0.5), "C": (0.5, 0.1), "D": (0.5, 0.5)}
    for k, (x, y) in pos.items():
        _box(ax, x + 0.01, y + 0.01, 0.38, 0.38, f"{k}\n\n" + "\n".join(textwrap.wrap(cells.get(k, ""), 30)), size=8.5)
    ax.annotate("", (0.92, 0.05), (0.1, 0.05), arrowprops={"arrowstyle": "->"})
    ax.annotate("", (0.05, 0.92), (0.05, 0.1), arrowprops={"arrowstyle": "->"})
    ax.text(0.5, 0.01, xlabel, ha="center", fontsize=10)
    ax.text(0.01, 0.5, ylabel, rotation=90, va="center", fontsize=10)
    return fig


def capability_map(caps: pd.DataFrame, value: str | None = None, vmin=None, vmax=None, fmt=None, legend: str = "",
                   cmap: str = SEQUENTIAL, marks: dict[str, str] | None = None) -> Figure:
    """The 55 capabilities by area and group; optionally coloured by ``value`` with the value printed.

    ``marks`` puts a short text (e.g. the edition's own level) in the corner of a capability box.
    """
    groups = list(dict.fromkeys(caps["capability_group"]))
    fig, ax = _blank(16, 9.5)
    colw = 0.98 / len(groups)
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax) if value else None
    colormap = mpl.colormaps[cmap] if value else None
    area_of = dict(zip(caps["capability_group"], caps["capability_area"]))
    area_spans: dict[str, list[int]] = {}
    for gi, g in enumerate(groups):
        area_spans.setdefault(area_of[g], []).append(gi)
        sub = caps[caps["capability_group"] == g]
        x = 0.01 + gi * colw
        _box(ax, x, 0.86, colw - 0.005, 0.06, "\n".join(textwrap.wrap(g, 14)), face=BASE, color="white", bold=True, size=7.5)
        for j, r in enumerate(sub.itertuples()):
            y = 0.85 - (j + 1) * 0.13
            face = "#EEF4FA"
            txt_color = "black"
            if value and pd.notna(getattr(r, value)):
                rgba = colormap(norm(getattr(r, value)))
                face = mpl.colors.to_hex(rgba)
                txt_color = "white" if (0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]) < 0.55 else "black"
            label = "\n".join(textwrap.wrap(r.capability, 17))
            if value and pd.notna(getattr(r, value)):
                label += "\n" + (fmt(getattr(r, value)) if fmt else number(getattr(r, value), 2))
            _box(ax, x, y, colw - 0.005, 0.12, label, face=face, edge="#6B8EB5", size=6.3, color=txt_color)
            if marks and r.capability_id in marks:
                ax.text(x + colw - 0.01, y + 0.112, marks[r.capability_id], ha="right", va="top", fontsize=6.5,
                        fontweight="bold", color=HIGHLIGHT,
                        bbox={"facecolor": "white", "edgecolor": HIGHLIGHT, "pad": 1})
    for area, idx in area_spans.items():
        x0, x1 = 0.01 + min(idx) * colw, 0.01 + (max(idx) + 1) * colw - 0.005
        _box(ax, x0, 0.93, x1 - x0, 0.05, area, face="#27476E", color="white", bold=True, size=10)
    if value:
        sm = mpl.cm.ScalarMappable(norm=norm, cmap=colormap)
        cb = fig.colorbar(sm, ax=ax, orientation="horizontal", fraction=0.03, pad=0.01, aspect=60,
                          format=mpl.ticker.FuncFormatter(lambda v, _: number(v, 1)))
        cb.set_label(legend)
    return fig


# ----------------------------------------------------------------------------- maps

def load_shapes(geojson: Path, codes: list[str]) -> dict[str, list[np.ndarray]]:
    """Outer rings (lon, lat arrays) per municipality code, for the given codes only."""
    doc = json.loads(Path(geojson).read_text(encoding="utf-8"))
    out: dict[str, list[np.ndarray]] = {}
    for f in doc["features"]:
        code = f["properties"]["id"]
        if code not in codes:
            continue
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[code] = [np.asarray(p[0]) for p in polys]
    return out


def choropleth(shapes: dict[str, list[np.ndarray]], values: dict[str, float], names: dict[str, str], legend: str,
               highlight: str | None = None, cmap: str = "RdBu", center: float | None = None, fmt=None,
               share: bool = False) -> Figure:
    """Municipalities coloured by value, names printed, the edition's municipality outlined.

    ``share``: the values are shares (0-100 %), so the colour scale never runs past 100 %."""
    fig, ax = new_figure(7.2, 7.6)
    vals = np.array([values[c] for c in shapes])
    if center is not None:
        span = max(abs(vals - center).max(), 1e-9)
        lo, hi = center - span, center + span
        if share:  # a share cannot pass 0 or 100 %: the scale stops there (and at the data)
            lo, hi = max(lo, 0.0, min(vals.min(), center) if vals.min() < center else lo), min(hi, 100.0)
        norm = mpl.colors.TwoSlopeNorm(vcenter=center, vmin=min(lo, center - 1e-6), vmax=max(hi, center + 1e-6))
    else:
        norm = mpl.colors.Normalize(vmin=vals.min(), vmax=vals.max())
    colormap = mpl.colormaps[cmap]
    lat0 = np.mean([r[:, 1].mean() for rings in shapes.values() for r in rings])
    k = np.cos(np.radians(lat0))  # simple equirectangular correction
    for code, rings in shapes.items():
        patches = [Polygon(np.c_[r[:, 0] * k, r[:, 1]], closed=True) for r in rings]
        pc = PatchCollection(patches, facecolor=colormap(norm(values[code])), edgecolor="white", lw=0.8)
        ax.add_collection(pc)
        biggest = max(rings, key=len)
        cx, cy = biggest[:, 0].mean() * k, biggest[:, 1].mean()
        ax.text(cx, cy, f"{names[code]}\n{fmt(values[code]) if fmt else number(values[code], 1)}", ha="center",
                va="center", fontsize=7, bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1})
    if highlight in shapes:
        for r in shapes[highlight]:
            ax.add_patch(Polygon(np.c_[r[:, 0] * k, r[:, 1]], closed=True, fill=False, edgecolor="#000000", lw=2.5))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=colormap)
    sm.set_array(vals)  # the data behind the scale (checked: a share scale stays within the data and 0-100 %)
    cb = fig.colorbar(sm, ax=ax, fraction=0.035, pad=0.02)
    cb.set_label(legend)
    if fmt:
        cb.formatter = mpl.ticker.FuncFormatter(lambda v, _: fmt(v))
        cb.update_ticks()
    return fig
