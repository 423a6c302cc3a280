"""Look and feel shared by every figure: palette, fonts, Swedish axis numbers, demo mark.

The palette is Okabe-Ito (colour-blind safe). The highlighted municipality is
always drawn in ``HIGHLIGHT`` and everything else in muted tones, so a reader
finds "their" bar or point in the same colour in every figure.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display needed; figures are rendered to SVG
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from ..core.formatting import number, percent  # noqa: E402

# Okabe & Ito (2008)
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
HIGHLIGHT = "#D55E00"   # vermillion: the edition's municipality, everywhere
HIGHLIGHT_TEXT = "#A04000"  # the same hue dark enough for text (WCAG AA, 5,9:1 on white)
HIGHLIGHT_BAND = "#FBE3D3"  # a pale band behind the edition's row
BASE = "#0072B2"        # blue: the region / the main series
SECOND = "#56B4E9"      # sky blue: a second series
MUTED = "#B8B8B8"       # grey: other (anonymous) organisations
REFERENCE = "#000000"   # black: goals, averages, reference lines
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#D55E00", "#999999"]
SEQUENTIAL = "cividis"  # perceptually uniform and colour-blind safe
# Ordered answer scales (worst -> best): ColorBrewer PuOr, colour-blind safe; "vet ej" answers in neutral grey.
DIVERGING = {2: ["#E66101", "#5E3C99"], 3: ["#E66101", "#D8DAEB", "#5E3C99"],
             4: ["#E66101", "#FDB863", "#B2ABD2", "#5E3C99"], 5: ["#E66101", "#FDB863", "#D8DAEB", "#B2ABD2", "#5E3C99"],
             6: ["#B35806", "#F1A340", "#FEE0B6", "#D8DAEB", "#998EC3", "#542788"]}
NEUTRAL = "#8C8C8C"       # "Vet ej", "Kan inte bedöma": not part of the scale
NEUTRAL_LIGHT = "#D0D0D0"
NEUTRAL_ANSWERS = {"vet ej", "kan inte bedöma"}

DEMO_MARK = "Syntetiska demodata – inte verkliga svar"

RC = {
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",     # real, searchable text in the SVG
    "svg.hashsalt": "fyrbodal-analysis",  # stable ids: same figure, same bytes
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "legend.frameon": False,
    "axes.formatter.use_locale": False,
}


def new_figure(width: float = 8.0, height: float = 4.5, **kw) -> tuple[Figure, object]:
    """A figure in the house style (not registered with pyplot, so nothing leaks between cells)."""
    with plt.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.subplots(**kw)
    return fig, ax


def sv_axis(ax, which: str = "y", decimals: int = 0, pct: bool = False) -> None:
    """Swedish tick labels (space as thousands separator, decimal comma)."""
    fmt = FuncFormatter(lambda v, _: percent(v, decimals) if pct else number(v, decimals))
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(fmt)


def int_axis(ax, which: str = "y") -> None:
    """An axis of counts: integer ticks only, Swedish format."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda v, _: number(v, 0)))


def year_axis(ax, which: str = "x") -> None:
    """An axis of years: whole years, written without a thousands separator (2019, not 2 019)."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(round(v))}"))


def ordered_colors(labels, scale: list[str] | None = None) -> list[str]:
    """Colours for an ordered answer scale: ``scale`` lists the answers worst to best (default: ``labels`` in
    order, skipping neutral answers); neutral answers ("Vet ej", "Kan inte bedöma") are grey."""
    scale = [x for x in (scale or labels) if x.lower() not in NEUTRAL_ANSWERS]
    ramp = DIVERGING[max(2, min(len(scale), 6))]
    neutral = iter([NEUTRAL, NEUTRAL_LIGHT, NEUTRAL_LIGHT])
    return [next(neutral) if lab.lower() in NEUTRAL_ANSWERS else ramp[scale.index(lab) * len(ramp) // max(len(scale), 1)]
            for lab in labels]


def luminance(color) -> float:
    """WCAG relative luminance."""
    def lin(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours (1-21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(face) -> str:
    """Black or white text, whichever has the higher contrast on ``face``."""
    return "#000000" if contrast(face, "#000000") >= contrast(face, "#FFFFFF") else "#FFFFFF"


def mark_demo(fig: Figure) -> None:
    """Stamp the demo mark on the image itself: a title band above everything else, so the constrained
    layout keeps it clear of data, legends and labels."""
    fig.suptitle(DEMO_MARK, fontsize=10, fontweight="bold", color="#FFFFFF",
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#B00020", "edgecolor": "none"}, gid="demo-mark")


def has_demo_mark(fig: Figure) -> bool:
    return any(t.get_text() == DEMO_MARK for t in fig.texts)
