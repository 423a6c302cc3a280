"""Participation and survey facts: Figur 20-24 and Figur 33.

Figur 33 says, for every municipality, in how many of the study's steps it
took part (environment analysis x/4, surveys x/3, cost documents x/2,
capability workshops x/5). The survey shares of Figur 20-24 are facts in
``facts.csv`` (domain ``surveys``). Per-respondent answers are microdata.
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import Problem, ValidationFailed
from ..raw.files import TableSpec
from ..raw.microdata import ITCHEF_QUESTIONS, MANAGER_QUESTIONS, MICRO, answers_of, question_check
from .declarations import MICRODATA, PUBLISHED, Domain, Table

STEPS = ("omvarldsanalys", "enkater", "kostnadsunderlag", "formagekartlaggning")

SPECS = {
    "figur33_participation": TableSpec(
        "figur33_participation",
        ("municipality", *[f"{s}_{x}" for s in STEPS for x in ("n", "of")]),
        key=("municipality",),
    ),
    "manager_survey": TableSpec(
        "manager_survey", ("respondent_id", "municipality_code", "submitted_at", "question_id", "choice"),
        key=("respondent_id", "submitted_at", "question_id"), one_per=(("respondent_id", "municipality_code"),),
        checks=(question_check(MANAGER_QUESTIONS),), answers=answers_of(MANAGER_QUESTIONS),
        description=f"{MICRO}: förvaltningschef survey, one row per submitted answer (a person may submit twice).",
        confidential=True, microdata=True),
    "itchef_survey": TableSpec(
        "itchef_survey", ("respondent_id", "it_org_id", "submitted_at", "question_id", "choice"),
        key=("respondent_id", "submitted_at", "question_id"), one_per=(("respondent_id", "it_org_id"),),
        checks=(question_check(ITCHEF_QUESTIONS),), answers=answers_of(ITCHEF_QUESTIONS),
        description=f"{MICRO}: IT-chef survey, one row per answer; a respondent answers for one IT organisation.",
        confidential=True, microdata=True),
}

_MANAGER = dict(tiers=MICRODATA, confidential=True, answers=answers_of(MANAGER_QUESTIONS))
TABLES = (
    Table("participation", ("municipality_code",), ("figur33_participation",), PUBLISHED),
    Table("manager_answers", ("respondent_id", "question_id"), ("manager_survey",), **_MANAGER),
    # empty when nobody submitted twice
    Table("manager_duplicates", ("respondent_id", "submitted_at", "question_id"), ("manager_survey",), **_MANAGER,
          non_empty=False),
    Table("manager_submissions", ("respondent_id", "submitted_at", "question_id"), ("manager_survey",), **_MANAGER),
    Table("itchef_answers", ("respondent_id", "question_id"), ("itchef_survey", "it_org_members"), MICRODATA,
          confidential=True, answers=answers_of(ITCHEF_QUESTIONS)),
)

#: Duplicate rule (the report: "några chefer som råkat svara två gånger och svaren visade två olika
#: resultat"): a person's latest submission counts; earlier ones are dropped and listed in
#: ``manager_duplicates``. ``manager_submissions`` keeps every submission, as the report counted them.
DUPLICATE_RULE = "senaste inskicket per person räknas"


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
    subs = frames["manager_survey"].reset_index(drop=True)
    kept, dropped = deduplicate(subs)
    it = frames["itchef_survey"]
    members = frames["it_org_members"]
    unknown = it[~it["it_org_id"].isin(members["it_org_id"])]
    if len(unknown):
        raise ValidationFailed([Problem(it.attrs.get("file", "itchef_survey"), int(i), "it_org_id",
                                        f"unknown IT organisation {r['it_org_id']!r}", "an it_org_id of it_org_members.csv")
                                for i, r in unknown.iterrows()])
    return {"participation": out, "manager_answers": kept, "manager_duplicates": dropped, "manager_submissions": subs,
            "itchef_answers": deduplicate(it.reset_index(drop=True))[0]}


def notes(tables: dict[str, pd.DataFrame]) -> list[str]:
    """What the cleaning dropped, for the prepare log."""
    d = tables["manager_duplicates"]
    if d.empty:
        return []
    return [f"manager survey: dropped {d['submitted_at'].groupby(d['respondent_id']).nunique().sum()} earlier "
            f"submission(s) from {d['respondent_id'].nunique()} people (rule: the latest submission counts); "
            "see table manager_duplicates"]


def deduplicate(subs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the duplicate rule: keep each person's latest submission (see DUPLICATE_RULE)."""
    latest = subs.groupby("respondent_id")["submitted_at"].transform("max")
    keep = subs["submitted_at"] == latest
    return subs[keep].reset_index(drop=True), subs[~keep].reset_index(drop=True)


def shares(answers: pd.DataFrame, question_id: str, categories) -> pd.DataFrame:
    """Share of answers per category of one question (all categories, zeros included)."""
    a = answers.loc[answers["question_id"] == question_id, "choice"]
    counts = a.value_counts().reindex(list(categories), fill_value=0)
    return pd.DataFrame({"choice": list(categories), "count": counts.to_numpy(),
                         "share_pct": counts.to_numpy() / max(len(a), 1) * 100, "respondents_total": len(a)})


def took_part(participation: pd.DataFrame, code: str, step: str) -> bool:
    """Whether a municipality took part at all in one step of the study."""
    row = participation.loc[participation["municipality_code"] == code]
    return bool(len(row)) and int(row[f"{step}_n"].iloc[0]) > 0


DOMAIN = Domain("surveys", SPECS, clean, TABLES, notes=notes)
