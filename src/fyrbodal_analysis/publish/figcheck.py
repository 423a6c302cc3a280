"""Automated checks of a rendered figure: what a careful reader would see is wrong.

``problems(fig)`` draws the figure once and returns a list of human-readable
problems (empty when the figure passes). The checks use matplotlib's renderer
bounding boxes, so they see the figure as it is saved:

* no repeated tick labels on an axis ("0, 1, 1, 2, 2");
* integer ticks where every value on the axis is an integer (counts, years);
* shares (ticks ending in %) within 0–100 % unless the data exceed it;
* Swedish numbers on every numeric tick: decimal comma, typographic minus;
* Swedish typography in every text: an en dash in ranges ("0–19", not "0-19"), quotes as ” ”;
* no text outside the canvas (clipped legends, labels);
* no two text elements overlapping (ticks, labels, legends, annotations, data labels, demo mark);
* the demo mark and legends never over a data mark; polar axis labels never on a line;
* series told apart by colour only up to what the palette carries, and no two legend entries alike.

Layout in the browser (SVG text with the page's fonts) is not checked here.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ..report.style import CATEGORICAL, DEMO_MARK

MAX_COLOURS = len(CATEGORICAL)  # distinct series a palette can carry by colour alone
NUMERIC_LIKE = re.compile(r"^[\-\u2212+]?[\d\s\u00a0.,]*\d[\d\s\u00a0.,]*(e[\-+]?\d+)?(\s?%)?$")
SWEDISH = re.compile(r"^\u2212?(\d{1,3}(\u00a0\d{3})*|\d{4})(,\d+)?(\u00a0%)?$")
TOL = 1.0  # pixels of slack for touching boxes


def problems(fig: Figure) -> list[str]:
    """Everything wrong with ``fig``, as sentences (empty list = passes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # layout and text extents as when saved, without painting pixels
    r = canvas.get_renderer()
    out: list[str] = []
    for ax in fig.axes:
        for name, axis in _axes_of(ax) if ax.axison else []:
            out += _tick_problems(ax, name, axis)
        out += _legend_problems(ax.get_legend(), _ax_name(ax))
    for leg in fig.legends:
        out += _legend_problems(leg, "figuren")
    texts = _texts(fig, r)
    out += _outside(fig, texts)
    out += _typography(texts)
    fb = fig.bbox
    for leg in [*(ax.get_legend() for ax in fig.axes), *fig.legends]:
        if leg is not None and leg.get_visible():
            b = leg.get_window_extent(r)  # the legend's frame, not only its texts
            if b.x0 < fb.x0 - TOL or b.y0 < fb.y0 - TOL or b.x1 > fb.x1 + TOL or b.y1 > fb.y1 + TOL:
                out.append("förklaringen går utanför bilden")
    out += _overlaps(texts)
    out += _over_data(fig, r)
    return out


# ----------------------------------------------------------------------------- ticks

def _axes_of(ax):
    if ax.name == "polar":
        return [("r", ax.yaxis)]
    return [("x", ax.xaxis), ("y", ax.yaxis)]


def _visible_ticks(axis) -> list[tuple[float, str]]:
    ticks = axis._update_ticks()  # the ticks matplotlib draws (inside the view)
    return [(t.get_loc(), lab.get_text()) for t in ticks for lab in (t.label1, t.label2)  # label2: right/top side
            if lab.get_visible() and lab.get_text().strip()]


def _tick_problems(ax, name: str, axis) -> list[str]:
    where = f"{_ax_name(ax)} {name}-axel"
    ticks = _visible_ticks(axis)
    labels = [t for _, t in ticks]
    out = []
    dup = sorted({t for t in labels if labels.count(t) > 1})
    if dup:
        out.append(f"{where}: upprepade skaletiketter {dup}")
    numeric = [(loc, t) for loc, t in ticks if NUMERIC_LIKE.match(t.strip())]
    bad = [t for _, t in numeric if not SWEDISH.match(t.strip())]
    if bad:
        out.append(f"{where}: skaletiketter inte i svenskt format (decimalkomma, minustecken) {bad}")
    data = _data_along(ax, name)
    if numeric and len(data) and np.all(np.isclose(data, np.round(data))) and len(set(np.round(data))) > 1:
        frac = [t for loc, t in numeric if not math.isclose(loc, round(loc), abs_tol=1e-9) or "," in t]
        if frac:
            out.append(f"{where}: heltalsdata (antal, år) men skaletiketter med decimaler {frac}")
    pct = [(loc, t) for loc, t in numeric if t.strip().endswith("%")]
    if pct:
        lo = min([0.0, *data]) if len(data) else 0.0
        hi = max([100.0, *data]) if len(data) else 100.0
        beyond = [t for loc, t in pct if loc < lo - 1e-9 or loc > hi + 1e-9]
        if beyond:
            out.append(f"{where}: andelar utanför 0–100 % som data inte når {beyond}")
    return out


def _data_along(ax, name: str) -> np.ndarray:
    """The data values plotted along one axis (bars' ends, line and scatter points, a colour bar's values)."""
    if getattr(ax, "_colorbar", None) is not None:
        arr = ax._colorbar.mappable.get_array()
        return np.asarray(arr, dtype=float).ravel() if arr is not None else np.array([])
    i = 0 if name == "x" else 1
    vals: list[float] = []
    for c in ax.containers:
        if getattr(c, "orientation", None) in ("vertical", "horizontal"):
            along = "y" if c.orientation == "vertical" else "x"
            if along == name:
                for p in c.patches:
                    vals += [p.get_y() + p.get_height()] if along == "y" else [p.get_x() + p.get_width()]
    for line in ax.lines:
        if line.get_transform() == ax.transData:
            vals += list(np.asarray(line.get_xydata(), dtype=float)[:, i])
    for coll in ax.collections:
        off = coll.get_offsets()
        if coll.get_offset_transform() == ax.transData and len(off):
            vals += list(np.asarray(off, dtype=float)[:, i])
    a = np.asarray(vals, dtype=float)
    return a[np.isfinite(a)]


def _legend_problems(leg, where: str) -> list[str]:
    if leg is None:
        return []
    keys = [_handle_key(h) for h in leg.legend_handles if h is not None]
    out = []
    if len(keys) != len(set(keys)):
        out.append(f"{where}: förklaringen har poster som inte går att skilja åt (samma färg och stil)")
    if len({k[0] for k in keys}) > MAX_COLOURS:
        out.append(f"{where}: {len(keys)} serier skiljs bara åt med färg (paletten bär {MAX_COLOURS})")
    return out


def _handle_key(h) -> tuple[str, ...]:
    """What tells a legend entry apart: colour plus line style, marker, filled or ring, or hatch."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    if isinstance(h, Line2D):
        return _hex(h.get_color()), str(h.get_linestyle()), str(h.get_marker()), ""
    if isinstance(h, Patch):
        face = h.get_facecolor() if h.get_fill() else h.get_edgecolor()
        return _hex(face), str(h.get_linestyle()), "", str(h.get_hatch())
    if isinstance(h, Collection):
        fc, ec = h.get_facecolor(), h.get_edgecolor()
        filled = bool(len(fc) and fc[0][3] > 0)  # a filled marker and a ring of the same colour are told apart
        c = fc[0] if filled else (ec[0] if len(ec) else "none")
        return _hex(c), "", str(h.get_paths()[0].vertices.shape[0] if h.get_paths() else ""), "filled" if filled else "ring"
    return (repr(h),)


def _hex(c) -> str:
    try:
        return to_hex(c, keep_alpha=False)
    except (ValueError, TypeError):
        return str(c)


# ----------------------------------------------------------------------------- text boxes

def _texts(fig: Figure, r) -> list[tuple[str, Bbox]]:
    """(description, display box) of every text a reader sees."""
    items: list[Text] = []
    for ax in fig.axes:
        for _, axis in [("x", ax.xaxis), ("y", ax.yaxis)] if ax.axison else []:
            for t in axis._update_ticks():
                items += [lab for lab in (t.label1, t.label2) if lab.get_visible()]
            items.append(axis.label)
        items += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        leg = ax.get_legend()
        if leg is not None:
            items += [*leg.get_texts(), leg.get_title()]
    for leg in fig.legends:
        items += [*leg.get_texts(), leg.get_title()]
    items += fig.texts
    out = []
    for t in items:
        if not t.get_visible() or not t.get_text().strip():
            continue
        box = Text.get_window_extent(t, r)  # the text itself, not an annotation's leader line
        patch = t.get_bbox_patch()
        if patch is not None:
            box = Bbox.union([box, patch.get_window_extent(r)])
        out.append((_describe(t), box, t))
    return out


def _describe(t: Text) -> str:
    s = t.get_text().replace("\n", " ")
    return f"”{s[:40]}”"


RANGE_HYPHEN = re.compile(r"(?<![\d-])\d+(?:\s?%)?-\d+(?![\d-])")  # "0-19", "10-24 %": a range wants an en dash ("0–19")


def _typography(texts) -> list[str]:
    """Swedish typography in the figure's words: ranges with an en dash, quotes as ” ”."""
    out = []
    for d, _, t in texts:
        s = t.get_text()
        if RANGE_HYPHEN.search(s):
            out.append(f"bindestreck i ett intervall (ska vara –): {d}")
        if '"' in s:
            out.append(f"raka citattecken (ska vara ” ”): {d}")
    return out


def _outside(fig: Figure, texts) -> list[str]:
    fb = fig.bbox
    bad = [d for d, b, _ in texts if b.x0 < fb.x0 - TOL or b.y0 < fb.y0 - TOL or b.x1 > fb.x1 + TOL or b.y1 > fb.y1 + TOL]
    return [f"text utanför bilden: {', '.join(bad[:6])}"] if bad else []


def _overlaps(texts) -> list[str]:
    out = []
    for (d1, b1, t1), (d2, b2, t2) in itertools.combinations(texts, 2):
        w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if w > TOL and h > TOL and not _parallel_apart(t1, t2):
            out.append(f"texter överlappar: {d1} och {d2}")
    return out


def _parallel_apart(t1: Text, t2: Text) -> bool:
    """Two single-line texts rotated by the same slanted angle (tick labels at 45°) whose axis-aligned boxes
    overlap but whose baselines are at least one text height apart: they do not touch."""
    rot = t1.get_rotation() % 180
    if rot % 90 == 0 or abs(rot - t2.get_rotation() % 180) > 1e-6 or "\n" in t1.get_text() + t2.get_text():
        return False
    theta = math.radians(rot)
    normal = np.array([-math.sin(theta), math.cos(theta)])
    p1 = t1.get_transform().transform(t1.get_position())
    p2 = t2.get_transform().transform(t2.get_position())
    height = max(t1.get_fontsize(), t2.get_fontsize()) * t1.figure.dpi / 72
    return abs(float(np.dot(p1 - p2, normal))) >= height


# ----------------------------------------------------------------------------- over data

def _data_boxes_and_points(ax, r):
    """Display-space bounding boxes of patches and points along lines/markers of one axes."""
    boxes, pts = [], []
    for p in ax.patches:
        if p.get_visible() and p.get_gid() != "frame":
            boxes.append(p.get_window_extent(r))
    for line in ax.lines:
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if line.get_linestyle() in ("None", "", " ") or len(xy) < 2:
            pts.append(xy)
            continue
        for a, b in zip(xy[:-1], xy[1:]):
            n = max(int(np.hypot(*(b - a)) / 3), 1)
            pts.append(a + (b - a) * np.linspace(0, 1, n + 1)[:, None])
    for coll in ax.collections:
        off = coll.get_offsets()
        if len(off) and coll.get_offset_transform() is not None and len(coll.get_paths()) <= len(off):
            pts.append(coll.get_offset_transform().transform(np.asarray(off, dtype=float)))
        else:
            for path in coll.get_paths():
                boxes.append(path.transformed(coll.get_transform()).get_extents())
    return boxes, (np.vstack(pts) if pts else np.empty((0, 2)))


def _hits(box: Bbox, boxes, pts) -> bool:
    inner = Bbox.from_extents(box.x0 + TOL, box.y0 + TOL, box.x1 - TOL, box.y1 - TOL)
    if any(inner.overlaps(b) for b in boxes):
        return True
    return bool(len(pts)) and bool(np.any((pts[:, 0] > inner.x0) & (pts[:, 0] < inner.x1) &
                                          (pts[:, 1] > inner.y0) & (pts[:, 1] < inner.y1)))


def _over_data(fig: Figure, r) -> list[str]:
    out = []
    marks = {ax: _data_boxes_and_points(ax, r) for ax in fig.axes if getattr(ax, "_colorbar", None) is None}
    demo = [t for t in fig.texts if t.get_text() == DEMO_MARK]
    for t in demo:
        box = Bbox.union([t.get_window_extent(r), t.get_bbox_patch().get_window_extent(r)]) if t.get_bbox_patch() \
            else t.get_window_extent(r)
        if any(_hits(box, *m) for m in marks.values()):
            out.append("demomärkningen ligger över data")
    for ax, m in marks.items():
        leg = ax.get_legend()
        if leg is not None and _hits(leg.get_window_extent(r), *m):
            out.append(f"{_ax_name(ax)}: förklaringen ligger över data")
        if ax.name == "polar":
            out += _polar_labels(ax, r, m[1])
    for leg in fig.legends:
        box = leg.get_window_extent(r)
        if any(_hits(box, *m) for m in marks.values()):
            out.append("förklaringen ligger över data")
    return out


def _polar_labels(ax, r, line_points) -> list[str]:
    """Spider charts: the names round the outside stay clear of the outer ring, no label sits on a line."""
    out = []
    rmin, rmax = ax.get_ylim()
    cx, cy = ax.transData.transform((0, rmin))
    radius = float(np.hypot(*(ax.transData.transform((0, rmax)) - (cx, cy))))  # the outer ring
    for t in ax.xaxis._update_ticks():
        if not t.label1.get_visible() or not t.label1.get_text().strip():
            continue
        b = t.label1.get_window_extent(r)
        nx, ny = min(max(cx, b.x0), b.x1), min(max(cy, b.y0), b.y1)  # the box's point nearest the centre
        if math.hypot(nx - cx, ny - cy) < radius + TOL:
            out.append(f"{_ax_name(ax)}: etiketten {_describe(t.label1)} går in i den yttre ringen")
    for t in [*ax.xaxis._update_ticks(), *ax.yaxis._update_ticks()]:
        lab = t.label1
        backed = lab.get_bbox_patch() is not None and lab.get_bbox_patch().get_facecolor()[3] > 0.7  # drawn on a plate
        if lab.get_visible() and lab.get_text().strip() and not backed and _hits(lab.get_window_extent(r), [], line_points):
            out.append(f"{_ax_name(ax)}: etiketten {_describe(t.label1)} ligger på en linje")
    return out


def _ax_name(ax) -> str:
    label = ax.get_ylabel() or ax.get_xlabel() or ax.get_title() or ax.name
    return f"diagram ”{label[:30]}”"
