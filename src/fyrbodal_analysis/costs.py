"""IT costs: TBM cost pools (Figur 31), IT work areas (Figur 18) and the
published facts of Figur 15-19 (in ``facts.csv``, domain ``costs``).

The ledger microdata (huvudbok per IT organisation, mapped to cost pools) is
defined with the microdata issue; the published tier here gives the cost
pools and work areas every cost figure is drawn over.
"""

from __future__ import annotations

import pandas as pd

from .rawfiles import TableSpec

SPECS = {
    "figur18_it_work_areas": TableSpec(
        "figur18_it_work_areas", ("work_area_id", "work_area", "description", "focus"), key=("work_area_id",),
    ),
    "figur31_tbm_cost_pools": TableSpec(
        "figur31_tbm_cost_pools", ("cost_pool_id", "cost_pool_en", "cost_pool"), key=("cost_pool_id",),
    ),
}

OUTPUTS = {"it_work_areas": ("work_area_id",), "tbm_cost_pools": ("cost_pool_id",)}


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    return {
        "it_work_areas": frames["figur18_it_work_areas"].reset_index(drop=True),
        "tbm_cost_pools": frames["figur31_tbm_cost_pools"].reset_index(drop=True),
    }
