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
