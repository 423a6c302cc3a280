"""Text tables of the report: the vägval of Figur 5 and the deliverables of 1.5."""

from __future__ import annotations

import pandas as pd

from ..raw.files import TableSpec
from .declarations import PUBLISHED, Domain, Table

SPECS = {
    "figur05_vagval": TableSpec(
        "figur05_vagval", ("vagval_id", "vagval", "kind", "item_order", "text"), key=("vagval_id", "kind", "item_order"),
    ),
    "avsnitt15_deliverables": TableSpec(
        "avsnitt15_deliverables", ("deliverable_order", "deliverable", "description", "found_in"),
        key=("deliverable_order",),
    ),
}

#: Lineage as recorded so far: each table lists both files (the manifest is kept unchanged).
_INPUTS = ("figur05_vagval", "avsnitt15_deliverables")
TABLES = (
    Table("vagval", ("vagval_id", "kind", "item_order"), _INPUTS, PUBLISHED),
    Table("deliverables", ("deliverable_order",), _INPUTS, PUBLISHED),
)


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    return {"vagval": frames["figur05_vagval"].reset_index(drop=True),
            "deliverables": frames["avsnitt15_deliverables"].reset_index(drop=True)}


def vagval_wide(vagval: pd.DataFrame) -> pd.DataFrame:
    """Figur 5 as printed: one row per vägval, strengths and weaknesses as bullet lists."""
    rows = []
    for (_vid, name), g in vagval.groupby(["vagval_id", "vagval"], sort=False):
        rows.append({"vagval": name,
                     "styrkor": "\n".join(g.loc[g["kind"] == "styrka"].sort_values("item_order")["text"]),
                     "svagheter": "\n".join(g.loc[g["kind"] == "svaghet"].sort_values("item_order")["text"])})
    return pd.DataFrame(rows)


DOMAIN = Domain("method", SPECS, clean, TABLES)
