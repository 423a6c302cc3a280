"""Verksamhetsstöd (enkäter): Figur 20-24 from the förvaltningschef and IT-chef surveys."""

from __future__ import annotations

from ..clean import surveys
from ..clean.facts import get as fact
from ..clean.stats import submissions_needed
from ..core.formatting import percent
from ..raw.microdata import QUESTIONS
from . import disclosure, figures
from .edition import too_few
from .items import Item, item, report_note

MANAGER = {
    "fig20_synsatt": ("Figur 20", "Vilket synsätt stämmer bäst med hur IT-verksamheten arbetar?"),
    "fig21_kannedom": ("Figur 21", "Hur väl känner IT-verksamheten till respondenternas arbetssätt?"),
    "fig22_mojliggor": ("Figur 22", "Hur väl möjliggör IT-verksamheten digitala lösningar när verksamheten utvecklas?"),
}
SCALES = {"fig20_synsatt": ["Teknikorienterat", "Blandning", "Verksamhetsorienterat"]}  # colour order of the answers
def _reported(facts, q: str) -> str:
    """What the report says about the question, from facts.csv (never typed here)."""
    def p(key):
        return percent(fact(facts, key), 1 if fact(facts, key) % 1 else 0)
    if q == "fig20_synsatt":
        return f"Rapporten: över hälften blandning, {p('fig20_verksamhetsorienterat_pct')} verksamhetsorienterat."
    if q == "fig21_kannedom":
        return (f"Rapporten: {p('fig21_acceptabel_pct')} acceptabel, {p('fig21_bra_mycket_bra_pct')} bra eller mycket bra, "
                f"{p('fig21_lite_ingen_pct')} lite eller ingen.")
    exact = [fact(facts, k) for k in ("fig22_bra_pct", "fig22_jamn_acceptabel_bra_pct", "fig22_inte_alls_pct")]
    n = submissions_needed(exact, int(fact(facts, "surveys_manager_respondents_n")))
    return (f"Rapporten: {p('fig22_bra_pct')} bra, {p('fig22_jamn_acceptabel_bra_pct')} (”jämnt mellan acceptabelt och bra”), "
            f"{p('fig22_mycket_bra_pct')} mycket bra, {p('fig22_inte_alls_pct')} inte alls. Texten går inte ihop "
            f"({p('fig22_mycket_bra_pct')} kan inte vara en andel av de {n} svar som de andra andelarna förutsätter) och "
            "återges som den står.")


ITCHEF = {
    "fig23_styrning": ("Figur 23", "IT-cheferna: styrningen ger både kontroll och förutsättningar för innovation", "fig23_value_4_5_pct"),
    "fig23b_infrastruktur": ("Figur 23b", "IT-cheferna: IT-infrastrukturen är snabb och flexibel och möjliggör nyutveckling",
                             "fig23b_infrastructure_4_5_pct"),
    "fig24_kompetensmix": ("Figur 24", "IT-cheferna: IT-verksamheten har en mycket bra kompetensmix", "fig24_value_4_5_pct"),
}


def _manager_item(ed, q: str) -> Item:
    number_, title = MANAGER[q]
    cats = QUESTIONS[q]
    kept = ed.load("manager_answers")
    if (small := too_few(ed, number_, title, set(kept["municipality_code"]), "kommuner")):
        return small
    subs = ed.load("manager_submissions")
    sh = surveys.shares(kept, q, cats)
    all_ = surveys.shares(subs, q, cats)
    fig = figures.donut(list(sh["choice"]), list(sh["count"]), center=f"{sh['respondents_total'].iloc[0]} svar",
                        scale=SCALES.get(q))
    notes = [report_note(f"Dubbletter: {surveys.DUPLICATE_RULE}."),
             ed.marked(f"Räknat på alla {all_['respondents_total'].iloc[0]} inskick, som rapporten gjorde: " +
                       ", ".join(f"{c} {percent(v, 1)}" for c, v in zip(all_["choice"], all_["share_pct"]) if v) + ".",
                       "manager_submissions"),
             report_note(_reported(ed.load("facts"), q))]
    if not ed.is_region:
        own = kept[(kept["municipality_code"] == ed.code) & (kept["question_id"] == q)]
        if own.empty:
            notes.insert(0, ed.absent("enkater"))
        elif not disclosure.own_shown(ed, "manager_answers"):  # an opinion survey: own breakdown over ≥ 3 people only
            notes.insert(0, ed.marked(f"Svar från {ed.name}: {disclosure.FEW_RESPONDENTS}.", "manager_answers"))
        else:
            counts = own["choice"].value_counts()
            notes.insert(0, ed.marked(f"Svar från {ed.name} ({len(own)} personer): " +
                                      ", ".join(f"{c} {n}" for c, n in counts.items()) + ".", "manager_answers"))
    return Item(number_, title, ed.source("manager_answers", "facts", producer="Enkät till förvaltningschefer",
                                          demo_format="förvaltningschefsenkätens format"), figure=fig,
                data=sh, notes=notes,
                alt=f"Cirkeldiagram, {sh['respondents_total'].iloc[0]} svar: " +
                    ", ".join(f"{c} {percent(v, 1)}" for c, v in zip(sh["choice"], sh["share_pct"]) if v) + ".")


@item
def figur_20(ed) -> Item:
    return _manager_item(ed, "fig20_synsatt")


@item
def figur_21(ed) -> Item:
    return _manager_item(ed, "fig21_kannedom")


@item
def figur_22(ed) -> Item:
    return _manager_item(ed, "fig22_mojliggor")


def _itchef_item(ed, q: str) -> Item:
    number_, title, key = ITCHEF[q]
    a = ed.load("itchef_answers")
    if (small := too_few(ed, number_, title, set(a["it_org_id"]))):
        return small
    sh = surveys.shares(a, q, QUESTIONS[q])
    own_answer, notes = None, []
    if not ed.is_region:
        own = a[(a["it_org_id"] == ed.own_org) & (a["question_id"] == q)]
        if own.empty:
            notes.append(ed.absent("enkater"))
        else:
            own_answer = own["choice"].iloc[0]
            notes.append(ed.marked(f"{ed.org_label(ed.own_org)} svarade {own_answer} (markerad stapel).", "itchef_answers"))
    fig = figures.scale_bars(list(sh["choice"]), list(sh["count"]), own=own_answer,
                             own_label=f"Ert svar: {own_answer}" if own_answer else "")
    four_five = sh.set_index("choice").loc[["4", "5"], "share_pct"].sum()
    notes += [ed.marked(f"{percent(four_five, 0)} svarade 4–5.", "itchef_answers"),
              report_note(f"Rapporten: {percent(fact(ed.load('facts'), key), 0)}. En IT-organisation svarar för alla kommuner "
                          "den betjänar.")]
    return Item(number_, title, ed.source("itchef_answers", "facts", producer="Enkät till IT-chefer",
                                          demo_format="IT-chefsenkätens format"), figure=fig, data=sh,
                notes=notes,
                alt=f"Stapeldiagram, {sh['respondents_total'].iloc[0]} svar på skalan 1–6: {percent(four_five, 0)} svarade 4–5.")


@item
def figur_23(ed) -> Item:
    return _itchef_item(ed, "fig23_styrning")


@item
def figur_23b(ed) -> Item:
    return _itchef_item(ed, "fig23b_infrastruktur")


@item
def figur_24(ed) -> Item:
    return _itchef_item(ed, "fig24_kompetensmix")


ITEMS = [figur_20, figur_21, figur_22, figur_23, figur_23b, figur_24]
