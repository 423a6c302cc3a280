"""Diagrams: concept figures drawn from the report's own words, the capability map and maps.

Concept figures (Figur 1, 3, 4, 31, 35) carry no data; their labels are quoted
from the report text. The capability map (Figur 25, 26, 28) lays out the 55
capabilities in their 3 areas and 13 groups and can colour them by a value.
These are grids of words and are returned as HTML fragments (``Item.html``).
Maps are drawn from the shipped GeoJSON with plain matplotlib patches.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from ..core import filecache
from ..core.formatting import number
from .style import SEQUENTIAL, new_figure, text_on

# ----------------------------------------------------------------------------- grids of words (HTML)
# These diagrams are words in boxes, so they are HTML, not pictures: they reflow on a phone, print sharply,
# can be searched and read aloud. Words are hyphenated by the browser's Swedish rules (lang="sv") where it has
# them (Chromium on Linux has none), never broken in the middle: a box is at least as wide as its longest word,
# and on a phone the grids stack. The style sheet travels with each fragment, so it looks the same in JupyterLab.

GRID_CSS = """
.fyd{font-size:.9rem;line-height:1.3;margin:.4rem 0;hyphens:auto;-webkit-hyphens:auto;overflow-wrap:normal;word-break:normal}
.fyd *{box-sizing:border-box}
.fyd-box{border:1px solid #6B8EB5;background:#EEF4FA;border-radius:4px;padding:.45rem .6rem;break-inside:avoid}
.fyd-layers{display:flex;flex-direction:column;gap:.4rem;max-width:40rem}
.fyd-layer{font-weight:bold;text-align:center}.fyd-layer small{display:block;font-weight:normal}
.fyd-around{border:1px dashed #777;border-radius:6px;padding:.5rem;max-width:42rem}
.fyd-around>p{margin:0 0 .4rem;font-style:italic;text-align:center}
.fyd-elements{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.4rem;max-width:44rem}
.fyd-center{grid-column:1/-1;background:#0072B2;color:#fff;font-weight:bold;text-align:center}
.fyd-rows{display:flex;flex-direction:column;gap:.5rem}
.fyd-row{display:grid;grid-template-columns:minmax(9rem,14rem) 1fr;gap:.5rem;align-items:start;break-inside:avoid}
.fyd-row>div:first-child{font-weight:bold}.fyd-row small{display:block;font-weight:normal;color:#444}
.fyd-cells{display:flex;flex-wrap:wrap;gap:.35rem}.fyd-cells>.fyd-box{flex:1 1 10rem;min-width:min-content}
.fyd-2x2{display:grid;grid-template-columns:1fr 1fr;gap:.4rem;max-width:44rem}
.fyd-2x2 b{font-size:1.2rem;display:block}
.fyd-axis{font-size:.85rem;color:#333;margin:.3rem 0}
.fyd-area{margin:.6rem 0}.fyd-area>h4{margin:.2rem 0;padding:.25rem .5rem;background:#27476E;color:#fff;font-size:1rem}
.fyd-groups{display:grid;grid-template-columns:repeat(auto-fill,minmax(12.5rem,1fr));gap:.5rem}
.fyd-group{break-inside:avoid}.fyd-group>h5{margin:0 0 .25rem;padding:.2rem .4rem;background:#0072B2;color:#fff;font-size:.9rem}
.fyd-group ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.25rem}
.fyd-cap{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.2rem .4rem;
border:1px solid #6B8EB5;border-radius:3px;padding:.3rem .45rem;font-size:.85rem}
.fyd-cap>span:last-child{margin-left:auto;white-space:nowrap}.fyd-val{font-weight:bold}
.fyd-own{white-space:nowrap;font-weight:bold;font-size:.85rem;background:#fff;color:#A04000;border:2px solid #D55E00;border-radius:3px;padding:0 .25rem;margin-left:.3rem}
.fyd-scale{max-width:26rem;margin:.5rem 0}.fyd-bar{height:.9rem;border:1px solid #555}
.fyd-ticks{display:flex;justify-content:space-between;font-size:.8rem}
@media (max-width:40rem){.fyd-row{grid-template-columns:minmax(0,1fr)}.fyd-2x2{grid-template-columns:minmax(0,1fr)}
.fyd-2x2>:nth-child(1){order:2}.fyd-2x2>:nth-child(2){order:4}.fyd-2x2>:nth-child(3){order:1}.fyd-2x2>:nth-child(4){order:3}}
@media print{.fyd-area,.fyd-group,.fyd-row{break-inside:avoid}}
"""


def _wrap(inner: str, label: str) -> str:
    return (f'<div class="fyd" lang="sv" role="group" aria-label="{html.escape(label)}"><style>{GRID_CSS}</style>'
            f"{inner}</div>")


def layers_html(labels: list[str], notes: list[str] | None = None, around: str | None = None) -> str:
    """Stacked layers (Figur 1: utsida, insida, motor; Figur 4 adds what they say and the surrounding conditions)."""
    faces = ["#CDE3F3", "#A9CDEB", "#7FB3DD"]
    rows = "".join(f'<div class="fyd-box fyd-layer" style="background:{faces[i % 3]};margin:0 {i * 1.5}rem">'
                   f"{html.escape(lab)}" + (f"<small>{html.escape(notes[i])}</small>" if notes else "") + "</div>"
                   for i, lab in enumerate(labels))
    inner = f'<div class="fyd-layers">{rows}</div>'
    if around:
        inner = f'<div class="fyd-around"><p>{html.escape(around)}</p>{inner}</div>'
    return _wrap(inner, ", ".join(labels))


def elements_html(center: str, parts: list[str]) -> str:
    """A concept with its elements (Figur 3: the elements of a capability)."""
    cells = "".join(f'<div class="fyd-box">{html.escape(p)}</div>' for p in parts)
    return _wrap(f'<div class="fyd-elements"><div class="fyd-box fyd-center">{html.escape(center)} består av</div>'
                 f"{cells}</div>", f"{center}: " + ", ".join(parts))


def levels_html(levels: list[tuple[str, str, list[str]]], empty: str = "(exempel saknas i rapportens text)") -> str:
    """Levels of a model, each with its parts (Figur 31: TBM). A level is (name, gloss, parts); an English
    name is marked ``lang="en"`` and carries its Swedish gloss."""
    rows = []
    for name, gloss, parts in levels:
        head = (f'<span lang="en">{html.escape(name)}</span><small>{html.escape(gloss)}</small>' if gloss
                else html.escape(name))
        cells = "".join(f'<div class="fyd-box">{html.escape(p)}</div>' for p in parts) or \
            f'<div class="fyd-box" style="background:#F4F4F4;border-color:#999">{html.escape(empty)}</div>'
        rows.append(f'<div class="fyd-row"><div>{head}</div><div class="fyd-cells">{cells}</div></div>')
    return _wrap(f'<div class="fyd-rows">{"".join(rows)}</div>', ", ".join(n for n, _, _ in levels))


def model_2x2_html(xlabel: str, ylabel: str, cells: dict[str, str]) -> str:
    """A 2x2 model with a text per quadrant (Figur 35: Dimios types A-D; B and D on top, as in the model)."""
    order = ["B", "D", "A", "C"]
    boxes = "".join(f'<div class="fyd-box"><b>Typ {k}</b>{html.escape(cells.get(k, ""))}</div>' for k in order)
    return _wrap(f'<p class="fyd-axis">↑ {html.escape(ylabel)}</p><div class="fyd-2x2">{boxes}</div>'
                 f'<p class="fyd-axis">→ {html.escape(xlabel)}</p>', "Modell med fyra typer")


def capability_grid(caps: pd.DataFrame, value: str | None = None, vmin: float = 0, vmax: float = 4, fmt=None,
                    legend: str = "", cmap: str = SEQUENTIAL, marks: dict[str, str] | None = None) -> str:
    """The capabilities by area and group as an HTML grid; optionally coloured by ``value`` (printed too,
    with a colour scale whose ticks are the whole numbers ``vmin``-``vmax``); ``marks`` adds a readable badge
    (e.g. the edition's own level) to a capability."""
    colormap = mpl.colormaps[cmap]
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    areas = []
    for area, a in caps.groupby("capability_area", sort=False):
        groups = []
        for group, g in a.groupby("capability_group", sort=False):
            items = []
            for r in g.itertuples():
                style, val = "", ""
                v = getattr(r, value) if value else None
                if v is not None and pd.notna(v):
                    face = mpl.colors.to_hex(colormap(norm(v)))
                    style = f' style="background:{face};color:{text_on(face)}"'
                    val = f'<span class="fyd-val">{html.escape(fmt(v) if fmt else number(v, 2))}</span>'
                own = marks.get(r.capability_id) if marks else None
                badge = f'<span class="fyd-own">{html.escape(own)}</span>' if own else ""
                items.append(f'<li class="fyd-cap"{style}><span>{html.escape(r.capability)}</span>'
                             f"<span>{val}{badge}</span></li>")
            groups.append(f'<div class="fyd-group"><h5>{html.escape(group)}</h5><ul>{"".join(items)}</ul></div>')
        areas.append(f'<section class="fyd-area"><h4>{html.escape(area)}</h4><div class="fyd-groups">'
                     f'{"".join(groups)}</div></section>')
    scale = ""
    if value:
        stops = ", ".join(mpl.colors.to_hex(colormap(i / 10)) for i in range(11))
        ticks = "".join(f"<span>{number(t, 0)}</span>" for t in range(int(vmin), int(vmax) + 1))
        scale = (f'<div class="fyd-scale" aria-hidden="true"><div>{html.escape(legend)}</div>'
                 f'<div class="fyd-bar" style="background:linear-gradient(to right, {stops})"></div>'
                 f'<div class="fyd-ticks">{ticks}</div></div>')
    return _wrap(scale + "".join(areas), "Förmågekarta")


# ----------------------------------------------------------------------------- maps

def load_shapes(geojson: Path, codes: list[str]) -> dict[str, list[np.ndarray]]:
    """Outer rings (lon, lat arrays) per municipality code, for the given codes only.

    The file is parsed once per process while it is unchanged (two maps per edition, many editions per build
    kernel); the rings are shared, read-only arrays."""
    rings = filecache.derived(geojson, "outer_rings", lambda: _outer_rings(Path(geojson)))
    wanted = set(codes)
    return {code: list(r) for code, r in rings.items() if code in wanted}


def _outer_rings(geojson: Path) -> dict[str, tuple[np.ndarray, ...]]:
    doc = json.loads(geojson.read_text(encoding="utf-8"))
    out: dict[str, tuple[np.ndarray, ...]] = {}
    for f in doc["features"]:
        code = f["properties"]["id"]
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        arrays = [np.asarray(p[0]) for p in polys]
        for a in arrays:
            a.flags.writeable = False  # shared between editions: nobody may change them
        out[code] = tuple(arrays)
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
                va="center", fontsize=8, bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1})
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
