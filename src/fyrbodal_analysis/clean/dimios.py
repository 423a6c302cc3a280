"""Digital maturity (Dimios): Figur 9-11 and the statements of Bilaga 3.

Published tier: the lowest, highest and mean self-assessed value per area
(Figur 9) and the 15 digital-capability statements with the means and standard
deviations the text gives (statements 5, 8, 11, 13). Microdata tier (issue 3):
one row per respondent and statement, answer 1-6 or "vet ej"
(spec ``dimios_answers``).
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import Problem, ValidationFailed
from ..raw.files import TableSpec
from ..raw.microdata import MICRO
from .declarations import MICRODATA, PUBLISHED, Domain, Table

SPECS = {
    "figur09_dimios_areas": TableSpec(
        "figur09_dimios_areas", ("dimios_area_id", "dimios_area", "min_value", "max_value", "mean_value"),
        key=("dimios_area_id",),
    ),
    "bilaga3_dimios_statements": TableSpec(
        "bilaga3_dimios_statements", ("statement_id", "statement", "mean_value", "sd_value"), key=("statement_id",),
    ),
    "dimios_answers": TableSpec(
        "dimios_answers", ("respondent_id", "municipality_code", "role", "statement_id", "answer", "survey_year"),
        key=("respondent_id", "statement_id", "survey_year"), one_per=(("respondent_id", "municipality_code"),),
        description=f"{MICRO}: one Dimios answer per respondent and statement.", confidential=True, microdata=True),
}

TABLES = (
    Table("dimios_areas", ("dimios_area_id",), ("figur09_dimios_areas",), PUBLISHED),
    Table("dimios_statements", ("statement_id",), ("bilaga3_dimios_statements",), PUBLISHED),
    Table("dimios_answers", ("respondent_id", "statement_id", "survey_year"), ("dimios_answers",), MICRODATA,
          confidential=True),
    Table("dimios_scores", ("municipality_code", "dimios_area_id"), ("dimios_answers", "figur09_dimios_areas"),
          MICRODATA | PUBLISHED, confidential=True),
    Table("dimios_positions", ("municipality_code",), ("dimios_answers",), MICRODATA, confidential=True),
)

# Undefined in the report, chosen here and stated on the figures:
#: Dimios maturity in percent: (mean answer - 1) / 5 x 100, so 1 = 0 % and 6 = 100 %.
#: Quadrant lines of Figur 11: the middle of the 1-6 scale on both axes.
MIDPOINT = 3.5

# --- How statements make up the six areas ------------------------------------------------------
# The report does not say which statement belongs to which area. Assumption (documented where the
# figures are shown): the 15 statements of Bilaga 3 are the "digital förmåga" dimension, five per
# area, grouped by their wording (measuring/steering = Effektivitet, exploring/opening =
# Innovation, prioritising/realising = Balansering); statements 16-30, whose text the report does
# not print, are the "digitalt arv" dimension (Teknik, Användare, Organisation).
N_STATEMENTS = 30
AREA_STATEMENTS = {
    1: (1, 3, 5, 7, 14),      # Effektivitet
    2: (2, 4, 6, 9, 10),      # Innovation
    3: (8, 11, 12, 13, 15),   # Balansering
    4: (16, 17, 18, 19, 20),  # Teknik
    5: (21, 22, 23, 24, 25),  # Användare
    6: (26, 27, 28, 29, 30),  # Organisation
}
DIMENSION_AREAS = {"Digital förmåga": (1, 2, 3), "Digitalt arv": (4, 5, 6)}


def statements_of(area_id: int) -> tuple[int, ...]:
    return AREA_STATEMENTS[area_id]


def area_of(statement_id: int) -> int:
    return next(a for a, sts in AREA_STATEMENTS.items() if statement_id in sts)


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    areas = frames["figur09_dimios_areas"]
    display = areas.attrs.get("file", "figur09")
    bad = areas[(areas["min_value"] > areas["mean_value"]) | (areas["mean_value"] > areas["max_value"])]
    if len(bad):
        raise ValidationFailed([Problem(display, int(i), "mean_value", "mean is not between lowest and highest value",
                                        "min_value ≤ mean_value ≤ max_value") for i in bad.index])
    answers = clean_answers(frames["dimios_answers"])
    scores = municipality_scores(answers, areas)
    return {
        "dimios_areas": areas.reset_index(drop=True),
        "dimios_statements": frames["bilaga3_dimios_statements"].reset_index(drop=True),
        "dimios_answers": answers,
        "dimios_scores": scores,
        "dimios_positions": positions(scores),
    }


def clean_answers(raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.reset_index(drop=True).copy()
    df["dimios_area_id"] = df["statement_id"].map(area_of).astype("Int64")
    df["answer_value"] = pd.to_numeric(df["answer"].where(df["answer"] != "vet ej"), errors="coerce").astype("Int64")
    return df[["respondent_id", "municipality_code", "role", "survey_year", "statement_id", "dimios_area_id", "answer",
               "answer_value"]]


def municipality_scores(answers: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Each municipality's value per area: the mean of its respondents' answers (vet ej left out)."""
    g = answers.dropna(subset=["answer_value"]).groupby(["municipality_code", "dimios_area_id"])["answer_value"]
    out = g.agg(score="mean", n_answers="count").reset_index()
    out["dimios_area"] = out["dimios_area_id"].map(dict(zip(areas["dimios_area_id"], areas["dimios_area"]))).astype("string")
    out["score"] = out["score"].astype("Float64")
    out["n_answers"] = out["n_answers"].astype("Int64")
    return out[["municipality_code", "dimios_area_id", "dimios_area", "score", "n_answers"]]


def positions(scores: pd.DataFrame) -> pd.DataFrame:
    """Figur 11: digital capability (areas 1-3) and digital legacy (areas 4-6) per municipality, type A-D."""
    wide = scores.pivot(index="municipality_code", columns="dimios_area_id", values="score")
    out = pd.DataFrame({
        "formaga_score": wide[list(DIMENSION_AREAS["Digital förmåga"])].mean(axis=1).astype("Float64"),
        "arv_score": wide[list(DIMENSION_AREAS["Digitalt arv"])].mean(axis=1).astype("Float64"),
    }).reset_index()
    out["dimios_type"] = [dimios_type(f, a) for f, a in zip(out["formaga_score"], out["arv_score"])]
    out["dimios_type"] = out["dimios_type"].astype("string")
    return out


def dimios_type(formaga: float, arv: float) -> str:
    """A: limiting legacy and weak capability; B: enabling legacy, weak capability;
    C: limiting legacy, strong capability; D: enabling legacy and strong capability."""
    strong, enabling = formaga >= MIDPOINT, arv >= MIDPOINT
    return {(False, False): "A", (False, True): "B", (True, False): "C", (True, True): "D"}[(strong, enabling)]


def maturity_pct(score: float) -> float:
    """A 1-6 value as percent (assumption, see MIDPOINT above): (score - 1) / 5 x 100."""
    return (score - 1) / 5 * 100


def score_of_pct(pct: float) -> float:
    """The inverse of :func:`maturity_pct`: a percentage as a value on the 1-6 scale."""
    return 1 + pct / 100 * 5


DOMAIN = Domain("dimios", SPECS, clean, TABLES)
