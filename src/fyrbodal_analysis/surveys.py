"""Participation and survey facts: Figur 20-24 and Figur 33.

Figur 33 says, for every municipality, in how many of the study's steps it
took part (environment analysis x/4, surveys x/3, cost documents x/2,
capability workshops x/5). The survey shares of Figur 20-24 are facts in
``facts.csv`` (domain ``surveys``). Per-respondent answers are microdata.
"""

from __future__ import annotations

import pandas as pd

from .errors import Problem, ValidationFailed
from .rawfiles import TableSpec

STEPS = ("omvarldsanalys", "enkater", "kostnadsunderlag", "formagekartlaggning")

SPECS = {
    "figur33_participation": TableSpec(
        "figur33_participation",
        ("municipality", *[f"{s}_{x}" for s in STEPS for x in ("n", "of")]),
        key=("municipality",),
    ),
}

OUTPUTS = {"participation": ("municipality_code",)}


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    df = frames["figur33_participation"]
    problems = []
    for step in STEPS:
        for i, r in df[df[f"{step}_n"] > df[f"{step}_of"]].iterrows():
            problems.append(Problem(df.attrs.get("file", "figur33"), int(i), f"{step}_n",
                                    f"{r[f'{step}_n']} of {r[f'{step}_of']} is more than all", f"at most {r[f'{step}_of']}"))
    missing = set(registry.codes) - set(df["municipality"].map(registry.resolve_name))
    for code in sorted(missing):
        problems.append(Problem(df.attrs.get("file", "figur33"), None, "municipality",
                                f"no row for {registry.name_of[code]}", "a row for every municipality of the region"))
    if problems:
        raise ValidationFailed(problems)
    out = df.reset_index(drop=True).copy()
    out.insert(0, "municipality_code", out.pop("municipality").map(registry.resolve_name).astype("string"))
    out.insert(1, "municipality_name", out["municipality_code"].map(registry.name_of).astype("string"))
    return {"participation": out}


def took_part(participation: pd.DataFrame, code: str, step: str) -> bool:
    """Whether a municipality took part at all in one step of the study."""
    row = participation.loc[participation["municipality_code"] == code]
    return bool(len(row)) and int(row[f"{step}_n"].iloc[0]) > 0
