"""Schemas of the confidential microdata (what the steering group's real files look like).

Each entry is a :class:`~fyrbodal_analysis.rawfiles.TableSpec`; the demo set in
``data/raw/demo/`` and real files in ``data/raw/private/`` (git-ignored) follow
them, and are validated like every other raw file. The file name of a dataset
is ``<spec name>.csv``; a private file of that name replaces the demo file.

Category answers are checked per question (``QUESTIONS``).
"""

from __future__ import annotations

import pandera.pandas as pa

from .rawfiles import TableSpec

MICRO = "Microdata"

#: Answer categories per survey question, in display order.
QUESTIONS: dict[str, tuple[str, ...]] = {
    # förvaltningschef survey (Figur 20-22)
    "fig20_synsatt": ("Teknikorienterat", "Verksamhetsorienterat", "Blandning"),
    "fig21_kannedom": ("Ingen", "Lite", "Acceptabel", "Bra", "Mycket bra", "Vet ej"),
    "fig22_mojliggor": ("Inte alls", "Lite", "Acceptabelt", "Bra", "Mycket bra", "Vet ej"),
    # IT-chef survey (Figur 23-24): 1 (instämmer inte alls) - 6 (instämmer helt)
    "fig23_styrning": ("1", "2", "3", "4", "5", "6", "vet ej"),
    "fig23b_infrastruktur": ("1", "2", "3", "4", "5", "6", "vet ej"),
    "fig24_kompetensmix": ("1", "2", "3", "4", "5", "6"),
    # information-security survey (Bilaga 4 and Figur 13)
    "klassning": ("ja", "nej", "vet ej"),
    "kontinuitet": ("ja", "nej", "vet ej"),
    "medvetande": ("ja", "nej", "vet ej"),
    "upphandling": ("ja", "nej", "vet ej"),
    "uppfoljning": ("ja", "nej", "vet ej"),
    "ledning": ("ja", "nej", "vet ej"),
}

MANAGER_QUESTIONS = ("fig20_synsatt", "fig21_kannedom", "fig22_mojliggor")
ITCHEF_QUESTIONS = ("fig23_styrning", "fig23b_infrastruktur", "fig24_kompetensmix")
INFOSEC_QUESTIONS = ("klassning", "kontinuitet", "medvetande", "upphandling", "uppfoljning", "ledning")


def _answers(questions) -> tuple:
    """Answer domains of a survey for ``TableSpec.answers``: each question's own categories, exactly."""
    return ("question_id", "choice", {q: QUESTIONS[q] for q in questions})


def _question_check(questions) -> tuple:
    return ("question_id", pa.Check(lambda df: df["question_id"].isin(list(questions)),
                                    error="not a question of this survey (see microdata.QUESTIONS)"))


def _degree_only_for_yes() -> tuple:
    return ("degree", pa.Check(lambda df: df["degree"].isna() | (df["choice"] == "ja"),
                               error="a degree of implementation given for an answer that is not 'ja'"))


def _ciso_time_needs_ciso() -> tuple:
    return ("ciso_time_pct", pa.Check(lambda df: df["ciso_time_pct"].isna() | df["has_ciso"].fillna(False),
                                      error="a CISO share of working time without a CISO"))


SPECS: dict[str, TableSpec] = {
    "dimios_answers": TableSpec(
        "dimios_answers", ("respondent_id", "municipality_code", "role", "statement_id", "answer", "survey_year"),
        key=("respondent_id", "statement_id", "survey_year"), one_per=(("respondent_id", "municipality_code"),),
        description=f"{MICRO}: one Dimios answer per respondent and statement.", confidential=True),
    "manager_survey": TableSpec(
        "manager_survey", ("respondent_id", "municipality_code", "submitted_at", "question_id", "choice"),
        key=("respondent_id", "submitted_at", "question_id"), one_per=(("respondent_id", "municipality_code"),),
        checks=(_question_check(MANAGER_QUESTIONS),), answers=_answers(MANAGER_QUESTIONS),
        description=f"{MICRO}: förvaltningschef survey, one row per submitted answer (a person may submit twice).", confidential=True),
    "itchef_survey": TableSpec(
        "itchef_survey", ("respondent_id", "it_org_id", "submitted_at", "question_id", "choice"),
        key=("respondent_id", "submitted_at", "question_id"), one_per=(("respondent_id", "it_org_id"),),
        checks=(_question_check(ITCHEF_QUESTIONS),), answers=_answers(ITCHEF_QUESTIONS),
        description=f"{MICRO}: IT-chef survey, one row per answer; a respondent answers for one IT organisation.", confidential=True),
    "infosec_answers": TableSpec(
        "infosec_answers", ("municipality_code", "question_id", "choice", "degree"),
        key=("municipality_code", "question_id"), nullable=frozenset({"degree"}),
        checks=(_question_check(INFOSEC_QUESTIONS), _degree_only_for_yes()), answers=_answers(INFOSEC_QUESTIONS),
        description=f"{MICRO}: information-security survey, one row per organisation and question.", confidential=True),
    "infosec_ciso": TableSpec(
        "infosec_ciso", ("municipality_code", "has_ciso", "ciso_time_pct"), key=("municipality_code",),
        checks=(_ciso_time_needs_ciso(),), description=f"{MICRO}: CISO presence and share of working time.", confidential=True),
    "capability_assessments": TableSpec(
        "capability_assessments", ("assessor_id", "capability_id", "level"), key=("assessor_id", "capability_id"),
        description=f"{MICRO}: self-assessed maturity 0-4, one row per assessor and capability.", confidential=True),
    "capability_importance": TableSpec(
        "capability_importance", ("capability_id", "strategic_importance"), key=("capability_id",),
        description=f"{MICRO}: strategic importance per capability (group exercise).", confidential=True),
    "it_organisations": TableSpec(
        "it_organisations", ("it_org_id", "it_org_name", "central_it_fte", "in_cost_pool_analysis"), key=("it_org_id",),
        description=f"{MICRO}: IT organisations, their staff and whether they delivered a ledger.", confidential=True),
    "it_org_members": TableSpec(
        "it_org_members", ("it_org_id", "municipality_code"), key=("municipality_code",),
        description=f"{MICRO}: which municipalities each IT organisation serves (one organisation per municipality).", confidential=True),
    "ledger": TableSpec(
        "ledger", ("it_org_id", "period", "account", "supplier_id", "cost_centre", "amount_sek"),
        nullable=frozenset({"supplier_id"}), sum_over=(("it_org_id", "account", "supplier_id", "cost_centre"), "amount_sek"),
        checks=(("period", pa.Check(lambda df: df["period"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])"),
                                    error="not a month YYYY-MM")),),
        description=f"{MICRO}: general ledger (huvudbok) rows of central IT, per IT organisation.", confidential=True),
    "account_map": TableSpec(
        "account_map", ("it_org_id", "account", "account_name", "cost_pool_id"), key=("it_org_id", "account"),
        description=f"{MICRO}: reviewed mapping of each organisation's accounts to TBM cost pools.", confidential=True),
    "cost_centre_map": TableSpec(
        "cost_centre_map", ("it_org_id", "cost_centre", "work_area_id"), key=("it_org_id", "cost_centre"),
        description=f"{MICRO}: reviewed mapping of cost centres to the IT work areas of Figur 18.", confidential=True),
    "it_cost_totals": TableSpec(
        "it_cost_totals", ("it_org_id", "year", "central_it_cost_sek"), key=("it_org_id", "year"),
        description=f"{MICRO}: total central IT cost per IT organisation and year (Figur 19).", confidential=True),
    "municipal_costs": TableSpec(
        "municipal_costs", ("municipality_code", "year", "total_operating_cost_sek"), key=("municipality_code", "year"),
        description=f"{MICRO}: each municipality's total operating cost (Figur 19).", confidential=True),
    "broadband_pts": TableSpec(
        "broadband_pts", ("municipality_code", "year", "area_type", "households_pct", "workplaces_pct"),
        key=("municipality_code", "year", "area_type"),
        description=f"{MICRO}: PTS broadband access per municipality (≥ 100 Mbit/s), total and by area type."),
    "age_structure": TableSpec(
        "age_structure", ("region", "year", "age_group", "population", "is_forecast"), key=("region", "year", "age_group"),
        description=f"{MICRO}: population by age group, history and forecast (Figur 8)."),
}
