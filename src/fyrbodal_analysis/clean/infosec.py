"""Information security: Figur 12-13 facts and the survey of Bilaga 4.

Bilaga 4 gives, for five questions, how many of the 10 responding
organisations said yes and "vet ej", and how the yes-answers split over four
degrees of implementation. The degree counts must add up to the yes count;
a file where they do not is rejected.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..core.errors import Problem, ValidationFailed
from ..raw.files import TableSpec
from ..raw.microdata import INFOSEC_QUESTIONS, MICRO, answers_of, question_check
from .declarations import MICRODATA, PUBLISHED, Domain, Table


def _degree_only_for_yes() -> tuple:
    return ("degree", pa.Check(lambda df: df["degree"].isna() | (df["choice"] == "ja"),
                               error="a degree of implementation given for an answer that is not 'ja'"))


def _ciso_time_needs_ciso() -> tuple:
    return ("ciso_time_pct", pa.Check(lambda df: df["ciso_time_pct"].isna() | df["has_ciso"].fillna(False),
                                      error="a CISO share of working time without a CISO"))


SPECS = {
    "bilaga4_infosec_questions": TableSpec(
        "bilaga4_infosec_questions", ("question_id", "question", "yes_n", "dont_know_n", "respondents_n"),
        key=("question_id",),
    ),
    "bilaga4_infosec_degree": TableSpec(
        "bilaga4_infosec_degree", ("question_id", "degree", "count"), key=("question_id", "degree"),
    ),
    "infosec_answers": TableSpec(
        "infosec_answers", ("municipality_code", "question_id", "choice", "degree"),
        key=("municipality_code", "question_id"), nullable=frozenset({"degree"}),
        checks=(question_check(INFOSEC_QUESTIONS), _degree_only_for_yes()), answers=answers_of(INFOSEC_QUESTIONS),
        description=f"{MICRO}: information-security survey, one row per organisation and question.", confidential=True,
        microdata=True),
    "infosec_ciso": TableSpec(
        "infosec_ciso", ("municipality_code", "has_ciso", "ciso_time_pct"), key=("municipality_code",),
        checks=(_ciso_time_needs_ciso(),), description=f"{MICRO}: CISO presence and share of working time.",
        confidential=True, microdata=True),
}

TABLES = (
    Table("infosec_questions", ("question_id",), ("bilaga4_infosec_questions",), PUBLISHED),
    Table("infosec_degree", ("question_id", "degree"), ("bilaga4_infosec_degree",), PUBLISHED),
    Table("infosec_answers", ("municipality_code", "question_id"), ("infosec_answers",), MICRODATA,
          nullable=frozenset({"degree"}), confidential=True, answers=answers_of(INFOSEC_QUESTIONS)),
    Table("infosec_ciso", ("municipality_code",), ("infosec_ciso",), MICRODATA, confidential=True),
)

#: SKR: a CISO should spend "minst en deltid"; read here as at least half of ordinary working time.
CISO_RECOMMENDED_PCT = 50

DEGREES = ("Kan inte bedöma", "Har just påbörjats", "Har delvis genomförts", "Är fullt infört")


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    q = frames["bilaga4_infosec_questions"]
    d = frames["bilaga4_infosec_degree"]
    qfile, dfile = q.attrs.get("file", "questions"), d.attrs.get("file", "degree")
    problems = []
    for i, r in q[q["yes_n"] + q["dont_know_n"] > q["respondents_n"]].iterrows():
        problems.append(Problem(qfile, int(i), "yes_n", f"yes ({r['yes_n']}) plus vet ej ({r['dont_know_n']}) exceed "
                                f"{r['respondents_n']} respondents", "yes_n + dont_know_n ≤ respondents_n"))
    for i, r in d[~d["question_id"].isin(q["question_id"])].iterrows():
        problems.append(Problem(dfile, int(i), "question_id", f"unknown question {r['question_id']!r}",
                                "a question_id of bilaga4_infosec_questions.csv"))
    sums = d.groupby("question_id")["count"].sum()
    for i, r in q.iterrows():
        if r["question_id"] in sums and sums[r["question_id"]] != r["yes_n"]:
            problems.append(Problem(qfile, int(i), "yes_n", f"the degree counts add up to {sums[r['question_id']]}, "
                                    f"not {r['yes_n']}", "the degree counts of a question to add up to its yes count"))
    if problems:
        raise ValidationFailed(problems)
    degree = d.reset_index(drop=True).copy()
    order = {k: n for n, k in enumerate(DEGREES)}
    qorder = {k: n for n, k in enumerate(q["question_id"])}
    degree = degree.sort_values(["question_id", "degree"], key=lambda s: s.map(qorder if s.name == "question_id" else order),
                                ignore_index=True)
    return {"infosec_questions": q.reset_index(drop=True), "infosec_degree": degree,
            "infosec_answers": frames["infosec_answers"].reset_index(drop=True),
            "infosec_ciso": frames["infosec_ciso"].reset_index(drop=True)}


def summary(answers: pd.DataFrame) -> pd.DataFrame:
    """Bilaga 4 recomputed from answers: yes and vet ej per question, degrees of the yes answers."""
    rows = []
    for qid, g in answers.groupby("question_id", sort=False):
        row = {"question_id": qid, "yes_n": int((g["choice"] == "ja").sum()), "dont_know_n": int((g["choice"] == "vet ej").sum()),
               "respondents_n": len(g)}
        for d in DEGREES:
            row[d] = int((g["degree"] == d).sum())
        rows.append(row)
    return pd.DataFrame(rows)


DOMAIN = Domain("infosec", SPECS, clean, TABLES)
