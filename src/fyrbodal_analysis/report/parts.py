"""The report's parts: each function takes an :class:`~fyrbodal_analysis.report.edition.Edition` and
returns one numbered :class:`~fyrbodal_analysis.report.items.Item` (figure or table) for a notebook cell.

``ITEMS`` lists every item in report order with the function that makes it; the
build uses it for exports and the tests run every function for several editions.
"""

from __future__ import annotations

from . import appendices, broadband, capabilities, costs, demography, dimios, infosec, method, pilots, summary, surveys

PARTS = {
    "00_summary": summary,
    "01_method": method,
    "02_demography": demography,
    "03_dimios": dimios,
    "04_infosec": infosec,
    "05_broadband": broadband,
    "06_costs": costs,
    "07_surveys": surveys,
    "08_capabilities": capabilities,
    "09_pilots": pilots,
    "10_appendices": appendices,
}


def items(ed):
    """Every item of every part, in report order (used by the build and the tests)."""
    for module in PARTS.values():
        for fn in module.ITEMS:
            yield fn(ed)


#: The garbage collector's first threshold in a process that runs editions (``warm_up(freeze=True)``). At Python's
#: default (700 new container objects) an edition runs ~200 collections, most of them while matplotlib builds and
#: draws a figure's many objects; at 20 000 it runs about seven, and the collector's share of an edition falls from
#: ~0,33 to ~0,2 s of ~2,3 s, with the same peak memory (a figure's cycles are still collected within the edition).
GC_THRESHOLD = 20_000


def warm_up(freeze: bool = False) -> None:
    """Do once what every kernel's first edition would otherwise do on the way: import what items import on first
    use (pyarrow's Parquet reader, the SVG canvas, Pillow through matplotlib's image code, pandas' HTML and
    reshaping code) and draw one small figure and one small table in the house style (font lookup, measurement
    caches). The build runs this in each worker's kernel while the worker itself starts (see
    publish.build._prewarm), so a kernel's first edition runs about as fast as its later ones.

    Not scipy: only items with a test statistic import it (clean.stats), and a kernel of a region without them
    (all of Sweden, public items) does without its ~50 MB.

    ``freeze`` (for a process that runs editions until it ends, as the build's kernels do): then move what is alive
    (modules, classes, caches: all of it lives as long as the process) out of the garbage collector's sight
    (``gc.freeze``), so that the collection of every reset between editions and the collector's own full passes
    during an edition go over that edition's objects only (the reset's collection: 0,2 -> 0,07 s), and collect less
    often (:data:`GC_THRESHOLD`)."""
    import pandas as pd
    import pyarrow.dataset  # noqa: F401 - imported for its side effect: the module is loaded
    import pyarrow.parquet  # noqa: F401
    from PIL import Image

    from .items import Item
    from .style import new_figure, sv_axis
    Image.preinit()  # the image plugins matplotlib's SVG writer loads on its first image
    fig, ax = new_figure(3, 2)
    ax.bar(["a", "b"], [1.0, 2.0])
    ax.set_title("Titel")
    ax.legend(["x"])
    sv_axis(ax)
    Item("Figur 0", "Uppvärmning", "Ingen", figure=fig, alt="Ingen").svg()
    table = pd.DataFrame({"a": ["x", "y"], "b": ["1", "2"], "c": [1, 2]}).pivot(index="a", columns="b", values="c")
    Item("Tabell 0", "Uppvärmning", "Ingen", table=table.reset_index())._repr_html_()
    if freeze:
        import gc
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
