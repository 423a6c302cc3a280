"""Broadband (Figur 14): the regional goal from the report's text.

The report prints no per-municipality values; it states the goal that 95 % of
households and workplaces in Västra Götaland have access to 100 Mbit/s by
2020 (facts ``broadband_goal_*``). Per-municipality PTS figures are microdata
(spec ``broadband_pts``): share of households and workplaces with access to
at least 100 Mbit/s, in total and by tätort / småort / outside.
"""

from __future__ import annotations

import pandas as pd

from . import facts as _facts

SPECS: dict = {}

MICRO_INPUTS = ("broadband_pts",)
OUTPUTS = {"broadband": ("municipality_code", "year", "area_type")}


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    return {"broadband": frames["broadband_pts"].reset_index(drop=True)}


def goal(facts: pd.DataFrame) -> dict[str, float]:
    """The regional broadband goal: share (%), speed (Mbit/s) and year."""
    return {
        "share_pct": _facts.get(facts, "broadband_goal_pct"),
        "speed_mbit_s": _facts.get(facts, "broadband_goal_mbit"),
        "year": int(_facts.get(facts, "broadband_goal_year")),
    }
