"""Look and feel shared by every figure: palette, fonts, Swedish axis numbers, demo mark.

The palette is Okabe-Ito (colour-blind safe). The highlighted municipality is
always drawn in ``HIGHLIGHT`` and everything else in muted tones, so a reader
finds "their" bar or point in the same colour in every figure.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display needed; figures are rendered to PNG
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .svformat import number, percent  # noqa: E402

# Okabe & Ito (2008)
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
HIGHLIGHT = "#D55E00"   # vermillion: the edition's municipality, everywhere
BASE = "#0072B2"        # blue: the region / the main series
SECOND = "#56B4E9"      # sky blue: a second series
MUTED = "#B8B8B8"       # grey: other (anonymous) organisations
REFERENCE = "#000000"   # black: goals, averages, reference lines
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#D55E00", "#999999"]
SEQUENTIAL = "cividis"  # perceptually uniform and colour-blind safe

DEMO_MARK = "Syntetiska demodata – inte verkliga svar"

RC = {
    "font.family": "DejaVu Sans",
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


def mark_demo(fig: Figure) -> None:
    """Stamp the demo mark on the image itself (top, across the figure)."""
    fig.text(0.5, 0.995, DEMO_MARK, ha="center", va="top", fontsize=10, fontweight="bold", color="#FFFFFF",
             bbox={"boxstyle": "round,pad=0.3", "facecolor": "#B00020", "edgecolor": "none"}, gid="demo-mark")


def has_demo_mark(fig: Figure) -> bool:
    return any(t.get_text() == DEMO_MARK for t in fig.texts)
