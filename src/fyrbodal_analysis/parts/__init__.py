"""The report's parts: each function takes an :class:`~fyrbodal_analysis.edition.Edition` and
returns one numbered :class:`~fyrbodal_analysis.items.Item` (figure or table) for a notebook cell.

``ITEMS`` lists every item in report order with the function that makes it; the
build uses it for exports and the tests run every function for several editions.
"""

from __future__ import annotations

from . import bilagor, bredband, demografi, enkater, formagor, infosak, kostnader, metod, mognad, piloter, sammanfattning

PARTS = {
    "00_sammanfattning": sammanfattning,
    "01_inledning_och_metod": metod,
    "02_demografi": demografi,
    "03_digital_mognad": mognad,
    "04_informationssakerhet": infosak,
    "05_bredband": bredband,
    "06_it_kostnader": kostnader,
    "07_verksamhetsstod": enkater,
    "08_formagor": formagor,
    "09_scenarier_och_piloter": piloter,
    "10_bilagor": bilagor,
}


def items(ed):
    """Every item of every part, in report order (used by the build and the tests)."""
    for module in PARTS.values():
        for fn in module.ITEMS:
            yield fn(ed)
