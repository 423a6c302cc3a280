"""The five pilot projects (6.2.7-6.6.7): milestone plans and rough budgets.

Budget lines are transcribed as printed: workshops ("4 x WS à 3h"), hours per
municipality ("+40h per kommun", "50-150h per kommun") and external costs in
tkr (ranges kept as min/max). Totals are recomputed from the lines the way the
report counts them (workshop hours plus hours for one municipality; the
operating period "Driftperiod" has unknown hours and is left out, as the report
says) and compared with the totals the text states. A disagreement is kept and
marked, never smoothed over.
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import Problem, ValidationFailed
from ..core.formatting import number
from ..raw.files import TableSpec
from .declarations import PUBLISHED, Domain, Table

SPECS = {
    "avsnitt6_pilots": TableSpec(
        "avsnitt6_pilots", ("pilot_id", "section", "scenario", "scenario_name", "capability", "capability_area_name"),
        key=("pilot_id",), nullable=frozenset({"capability"}),
    ),
    "avsnitt6_pilot_milestones": TableSpec(
        "avsnitt6_pilot_milestones", ("pilot_id", "milestone_order", "milestone", "start_day", "end_day"),
        key=("pilot_id", "milestone_order"),
    ),
    "avsnitt6_pilot_budget_lines": TableSpec(
        "avsnitt6_pilot_budget_lines",
        ("pilot_id", "line_order", "cost_type", "phase", "budget_year", "workshops_n", "workshop_hours", "hours_min",
         "hours_max", "cost_tkr_min", "cost_tkr_max", "per_municipality", "as_printed"),
        key=("pilot_id", "line_order"),
    ),
    "avsnitt6_pilot_stated_totals": TableSpec(
        "avsnitt6_pilot_stated_totals",
        ("pilot_id", "hours_min", "hours_max", "external_tkr_min", "external_tkr_max", "external_precision_tkr", "quote"),
        key=("pilot_id",),
    ),
}

#: Lineage as recorded so far: each table lists all four files (the manifest is kept unchanged).
_INPUTS = tuple(SPECS)
TABLES = (
    Table("pilots", ("pilot_id",), _INPUTS, PUBLISHED, nullable=frozenset({"capability"})),
    Table("pilot_milestones", ("pilot_id", "milestone_order"), _INPUTS, PUBLISHED),
    Table("pilot_budget_lines", ("pilot_id", "line_order"), _INPUTS, PUBLISHED),
    Table("pilot_totals", ("pilot_id",), _INPUTS, PUBLISHED),
)


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    ms = frames["avsnitt6_pilot_milestones"]
    lines = frames["avsnitt6_pilot_budget_lines"]
    problems = []
    for i, r in ms[ms["end_day"].notna() & (ms["end_day"] < ms["start_day"])].iterrows():
        problems.append(Problem(ms.attrs.get("file", "milestones"), int(i), "end_day",
                                f"ends on day {r['end_day']} before it starts on day {r['start_day']}", "end_day ≥ start_day"))
    for col in ("hours", "cost_tkr"):
        bad = lines[lines[f"{col}_min"] > lines[f"{col}_max"]]
        for i, _ in bad.iterrows():
            problems.append(Problem(lines.attrs.get("file", "budget"), int(i), f"{col}_min", "minimum above maximum",
                                    f"{col}_min ≤ {col}_max"))
    if problems:
        raise ValidationFailed(problems)
    budget = lines.reset_index(drop=True)
    stated = frames["avsnitt6_pilot_stated_totals"].reset_index(drop=True)
    return {
        "pilots": frames["avsnitt6_pilots"].reset_index(drop=True),
        "pilot_milestones": ms.reset_index(drop=True),
        "pilot_budget_lines": budget,
        "pilot_totals": totals(budget, stated),
    }


def line_hours(budget: pd.DataFrame) -> pd.DataFrame:
    """Own-staff hours per line: workshops x hours each, plus hours for one municipality."""
    own = budget.loc[budget["cost_type"] == "egen_personal"].copy()
    ws = (own["workshops_n"].fillna(0) * own["workshop_hours"].fillna(0)).astype("Float64")
    known = own["workshops_n"].notna() | own["hours_min"].notna()
    own["line_hours_min"] = (ws + own["hours_min"].fillna(0)).where(known)
    own["line_hours_max"] = (ws + own["hours_max"].fillna(0)).where(known)
    return own


def totals(budget: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """Computed totals per pilot beside the stated ones, with agreement flags."""
    own = line_hours(budget).groupby("pilot_id")[["line_hours_min", "line_hours_max"]].sum()
    ext = budget.loc[budget["cost_type"] == "extern"].groupby("pilot_id")[["cost_tkr_min", "cost_tkr_max"]].sum()
    df = stated.rename(columns={"hours_min": "stated_hours_min", "hours_max": "stated_hours_max",
                                "external_tkr_min": "stated_external_tkr_min", "external_tkr_max": "stated_external_tkr_max"})
    df["hours_min"] = df["pilot_id"].map(own["line_hours_min"]).astype("Float64")
    df["hours_max"] = df["pilot_id"].map(own["line_hours_max"]).astype("Float64")
    df["external_tkr_min"] = df["pilot_id"].map(ext["cost_tkr_min"]).astype("Float64")
    df["external_tkr_max"] = df["pilot_id"].map(ext["cost_tkr_max"]).astype("Float64")
    half = df["external_precision_tkr"] / 2
    df["hours_match"] = ((df["hours_min"] == df["stated_hours_min"]) & (df["hours_max"] == df["stated_hours_max"])).astype("boolean")
    df["external_match"] = (((df["external_tkr_min"] - df["stated_external_tkr_min"]).abs() <= half)
                            & ((df["external_tkr_max"] - df["stated_external_tkr_max"]).abs() <= half)).astype("boolean")
    df["matches_report"] = (df["hours_match"] & df["external_match"]).astype("boolean")
    notes = []
    for r in df.to_dict("records"):
        parts = []
        if not r["hours_match"]:
            parts.append(f"timmar: rapporten {_range(r['stated_hours_min'], r['stated_hours_max'])}, "
                         f"summan av raderna {_range(r['hours_min'], r['hours_max'])}")
        if not r["external_match"]:
            parts.append(f"extern kostnad: rapporten {_range(r['stated_external_tkr_min'], r['stated_external_tkr_max'])} tkr, "
                         f"summan av raderna {_range(r['external_tkr_min'], r['external_tkr_max'])} tkr")
        notes.append("; ".join(parts) or pd.NA)
    df["discrepancy"] = pd.Series(notes, dtype="string")
    return df


def _range(lo, hi) -> str:
    return number(lo) if lo == hi else f"{number(lo)}–{number(hi)}"


DOMAIN = Domain("pilots", SPECS, clean, TABLES)
