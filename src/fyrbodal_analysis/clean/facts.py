"""Single numbers the report states in prose (``data/raw/report/facts.csv``).

Each fact has an id, the module it belongs to, the figure and section, how the
printed value relates to the truth (``=``, ``≈``, ``>``, ``<``), value, unit,
denominator where the text says "x of y", the quoted sentence and a note where
the prose is contradictory. Modules read their facts with :func:`get`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..core.errors import Problem, ValidationFailed
from ..raw.files import TableSpec
from .declarations import PUBLISHED, Domain, Table

#: A share must lie in 0-100; checked across columns because it depends on ``unit``.
PCT_RANGE = ("value", pa.Check(lambda df: ~(df["unit"] == "pct") | df["value"].between(0, 100),
                               error="a percentage outside 0–100"))

SPECS = {
    "facts": TableSpec(
        "facts",
        ("fact_id", "domain", "figure", "section", "relation", "value", "unit", "denominator", "quote", "note"),
        key=("fact_id",),
        checks=(PCT_RANGE,),
    ),
}


#: Every fact id the library and the report parts read (``get``). ``prepare`` refuses a facts file
#: without one of them, so a deleted fact is found here and not in a notebook. A test scans the
#: source for ids read and keeps this list complete.
REQUIRED = (
    "broadband_goal_mbit", "broadband_goal_pct", "broadband_goal_year",
    "capabilities_n", "capabilities_with_level4_n",
    "costs_below_average_n", "costs_forsakringskassan_share_pct", "costs_share_it_orgs_n", "costs_sweden_share_pct",
    "dimios_earlier_measurement_year", "dimios_fyrbodal_mean_pct", "dimios_it_overestimate_pct",
    "dimios_municipalities_2019_n", "dimios_sweden_mean_pct", "dimios_type_a_n", "dimios_type_d_n",
    "fig20_verksamhetsorienterat_pct", "fig21_acceptabel_pct", "fig21_bra_mycket_bra_pct", "fig21_lite_ingen_pct",
    "fig22_bra_pct", "fig22_inte_alls_pct", "fig22_jamn_acceptabel_bra_pct", "fig22_mycket_bra_pct",
    "fig23_value_4_5_pct", "fig23b_infrastructure_4_5_pct", "fig24_value_4_5_pct",
    "infosec_ciso_recommended_time_pct", "infosec_ciso_yes_n", "infosec_management_full_n", "infosec_management_yes_n",
    "infosec_municipalities_n", "infosec_respondents_people_n", "surveys_manager_respondents_n",
)
TABLES = (Table("facts", ("fact_id",), ("facts",), PUBLISHED, checks=(PCT_RANGE,)),)


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    df = frames["facts"]
    missing = sorted(set(REQUIRED) - set(df["fact_id"].dropna()))
    if missing:
        raise ValidationFailed([Problem(df.attrs.get("file", "facts.csv"), None, "fact_id",
                                        f"fact {m!r} is missing; the report parts read it", "a row with this fact_id")
                                for m in missing])
    return {"facts": df.reset_index(drop=True)}


def get(facts: pd.DataFrame, fact_id: str) -> float:
    """The value of one fact; KeyError names the missing id."""
    row = facts.loc[facts["fact_id"] == fact_id]
    if row.empty:
        raise KeyError(f"no published fact {fact_id!r}")
    return float(row["value"].iloc[0])


def for_domain(facts: pd.DataFrame, domain: str) -> pd.DataFrame:
    return facts.loc[facts["domain"] == domain].reset_index(drop=True)


DOMAIN = Domain("facts", SPECS, clean, TABLES)
