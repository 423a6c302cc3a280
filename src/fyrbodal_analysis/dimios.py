"""Digital maturity (Dimios): Figur 9-11 and the statements of Bilaga 3.

Published tier: the lowest, highest and mean self-assessed value per area
(Figur 9) and the 15 digital-capability statements with the means and standard
deviations the text gives (statements 5, 8, 11, 13). Microdata tier (issue 3):
one row per respondent and statement, answer 1-6 or "vet ej"
(spec ``dimios_answers``).
"""

from __future__ import annotations

import pandas as pd

from .errors import Problem, ValidationFailed
from .rawfiles import TableSpec

SPECS = {
    "figur09_dimios_areas": TableSpec(
        "figur09_dimios_areas", ("dimios_area_id", "dimios_area", "min_value", "max_value", "mean_value"),
        key=("dimios_area_id",),
    ),
    "bilaga3_dimios_statements": TableSpec(
        "bilaga3_dimios_statements", ("statement_id", "statement", "mean_value", "sd_value"), key=("statement_id",),
    ),
    "dimios_answers": TableSpec(
        "dimios_answers",
        ("respondent_id", "municipality_code", "role", "statement_id", "answer", "survey_year"),
        key=("respondent_id", "statement_id", "survey_year"),
        description="Microdata: one Dimios answer per respondent and statement.",
    ),
}

OUTPUTS = {"dimios_areas": ("dimios_area_id",), "dimios_statements": ("statement_id",)}


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    areas = frames["figur09_dimios_areas"]
    display = areas.attrs.get("file", "figur09")
    bad = areas[(areas["min_value"] > areas["mean_value"]) | (areas["mean_value"] > areas["max_value"])]
    if len(bad):
        raise ValidationFailed([Problem(display, int(i), "mean_value", "mean is not between lowest and highest value",
                                        "min_value ≤ mean_value ≤ max_value") for i in bad.index])
    return {
        "dimios_areas": areas.reset_index(drop=True),
        "dimios_statements": frames["bilaga3_dimios_statements"].reset_index(drop=True),
    }
