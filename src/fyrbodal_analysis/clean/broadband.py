"""Broadband (Figur 14): the regional goal from the report's text.

The report prints no per-municipality values; it states the goal that 95 % of
households and workplaces in Västra Götaland have access to 100 Mbit/s by
2020 (facts ``broadband_goal_*``). Per-municipality PTS figures are microdata
(spec ``broadband_pts``): share of households and workplaces with access to
at least 100 Mbit/s, in total and by tätort / småort / outside.
"""

from __future__ import annotations

import pandas as pd

from ..raw.files import TableSpec
from ..raw.microdata import MICRO
from . import facts as _facts
from .declarations import MICRODATA, PUBLIC, Domain, Table

SPECS: dict = {
    "broadband_pts": TableSpec(
        "broadband_pts", ("municipality_code", "year", "area_type", "households_pct", "workplaces_pct"),
        key=("municipality_code", "year", "area_type"),
        description=f"{MICRO}: PTS broadband access per municipality (≥ 100 Mbit/s), total and by area type.",
        microdata=True),
    #: Fetched from Kolada (``fyrbodal fetch kolada``): PTS's totals per municipality and year; no urban/rural split.
    "kolada_broadband": TableSpec(
        "kolada_broadband", ("municipality_code", "year", "households_pct", "workplaces_pct"), key=("municipality_code", "year"),
        nullable=frozenset({"households_pct", "workplaces_pct"}),
        description="Public (fetched): PTS broadband access ≥ 100 Mbit/s per municipality and year, as published in Kolada."),
}

TABLES = (
    Table("broadband", ("municipality_code", "year", "area_type"), ("broadband_pts",), MICRODATA | PUBLIC,
          optional=("kolada_broadband",), nullable=frozenset({"households_pct", "workplaces_pct"})),
)


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    return {"broadband": combine(frames["broadband_pts"], frames.get("kolada_broadband"))}


def combine(pts: pd.DataFrame, kolada: pd.DataFrame | None) -> pd.DataFrame:
    """PTS's file (demo stand-in, or the real tabellbilaga) with Kolada's totals, each row tagged with its tier.

    Kolada has only the total per municipality, so it supplies ``totalt`` rows where the PTS file is demo
    (a real PTS file wins where both give a value); the split by tätort, småort and outside stays with the PTS
    file, and so stays demo until a real PTS file is registered.
    """
    base = pts.reset_index(drop=True).assign(tier=pts.attrs.get("tier", "demo"))
    if kolada is not None:
        k = kolada.reset_index(drop=True).assign(area_type="totalt", tier=kolada.attrs.get("tier", "public"))
        k = k[k["households_pct"].notna() | k["workplaces_pct"].notna()]
        keys = ["municipality_code", "year", "area_type"]
        if (base["tier"] == "demo").all():
            base = base[base["area_type"] != "totalt"]
        taken = pd.MultiIndex.from_frame(base[keys])
        k = k[~pd.MultiIndex.from_frame(k[keys]).isin(taken)]
        base = pd.concat([base, k[base.columns]], ignore_index=True)
    base = base.astype({"municipality_code": "string", "year": "Int64", "area_type": "string", "households_pct": "Float64",
                        "workplaces_pct": "Float64", "tier": "string"})
    return base.sort_values(["municipality_code", "year", "area_type"], ignore_index=True)


def goal(facts: pd.DataFrame) -> dict[str, float]:
    """The regional broadband goal: share (%), speed (Mbit/s) and year."""
    return {
        "share_pct": _facts.get(facts, "broadband_goal_pct"),
        "speed_mbit_s": _facts.get(facts, "broadband_goal_mbit"),
        "year": int(_facts.get(facts, "broadband_goal_year")),
    }


DOMAIN = Domain("broadband", SPECS, clean, TABLES)
