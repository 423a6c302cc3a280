"""Informationssäkerhet: Figur 12, Figur 13 and Bilaga 4."""

from __future__ import annotations

import pandas as pd

from ..clean import infosec
from ..clean.facts import get as fact
from ..core.formatting import percent
from . import disclosure, figures
from .edition import too_few
from .items import Item, item, report_note
from .style import ordered_colors

# Ordered answers, best first as the report lists them; "Kan inte bedöma" and "Vet ej" are neutral (grey).
SCALE = ["Är fullt infört", "Har delvis genomförts", "Har just påbörjats", "Nej", "Kan inte bedöma", "Vet ej"]
SCALE_ORDER = ["Nej", "Har just påbörjats", "Har delvis genomförts", "Är fullt infört"]  # worst to best
BANDS = [(0, 10, "0–9 %"), (10, 25, "10–24 %"), (25, 50, "25–49 %"), (50, 75, "50–74 %"), (75, 101, "75–100 %")]


def _respondents_conflict(ed) -> str:
    """The report contradicts itself on who answered; the demo follows the more specific source (Bilaga 4)."""
    facts = ed.load("facts")
    of = int(ed.load("infosec_questions")["respondents_n"].iloc[0])
    return report_note(
        f"Rapporten säger att svaren kom från {int(fact(facts, 'infosec_respondents_people_n'))} personer som representerade "
        f"{int(fact(facts, 'infosec_municipalities_n'))} kommuner (avsnitt 8.2.2), men redovisar dem som ”x av {of}” "
        f"(Bilaga 4, Figur 12–13). Här följs den mer detaljerade redovisningen: {of} kommuner, de som enligt Figur 33 "
        "lämnade alla tre enkäterna.")


def _own_note(ed, table: str) -> list[str]:
    if ed.is_region:
        return []
    d = ed.load(table)
    if ed.code not in set(d["municipality_code"]):
        return [f"{ed.name} finns inte bland de svarande i informationssäkerhetsenkäten (enkäter: se Figur 33)."]
    return []


@item
def figur_12(ed) -> Item:
    c = ed.load("infosec_ciso")
    if (small := too_few(ed, "Figur 12", "Fördelning av ordinarie arbetstid för CISO", set(c["municipality_code"]))):
        return small
    has = c[c["has_ciso"]]
    if (small := too_few(ed, "Figur 12", "Fördelning av ordinarie arbetstid för CISO", set(has["municipality_code"]))):
        return small  # the bands rest on those with a CISO only
    labels = [b[2] for b in BANDS]
    counts = [int(((has["ciso_time_pct"] >= lo) & (has["ciso_time_pct"] < hi)).sum()) for lo, hi, _ in BANDS]
    own_band = None
    notes = _own_note(ed, "infosec_ciso")
    if not ed.is_region and not notes:
        own = c.set_index("municipality_code").loc[ed.code]
        if bool(own["has_ciso"]):
            own_band = next(b[2] for b in BANDS if b[0] <= own["ciso_time_pct"] < b[1])
            notes.append(ed.marked(f"{ed.name}: CISO på {percent(own['ciso_time_pct'], 0)} av arbetstiden (markerad stapel).",
                                   "infosec_ciso"))
        else:
            notes.append(ed.marked(f"{ed.name} uppger att det inte finns någon CISO eller motsvarande.", "infosec_ciso"))
    fig = figures.count_bars(labels, counts, "CISO:s andel av ordinarie arbetstid", highlight=own_band, total=len(has))
    at_rec = (has["ciso_time_pct"] >= infosec.CISO_RECOMMENDED_PCT).mean() * 100
    facts = ed.load("facts")
    notes += [ed.marked(f"{len(has)} av {len(c)} har en CISO eller motsvarande; {percent(at_rec, 0)} av dem lägger minst "
                        f"{percent(infosec.CISO_RECOMMENDED_PCT, 0)} av arbetstiden.", "infosec_ciso"),
              report_note(f"Rapporten: {int(fact(facts, 'infosec_ciso_yes_n'))} av {len(c)} har en CISO; "
                          f"{percent(fact(facts, 'infosec_ciso_recommended_time_pct'), 0)} lägger den rekommenderade tiden. "
                          f"SKR:s rekommendation ”minst en deltid” tolkas här som minst "
                          f"{percent(infosec.CISO_RECOMMENDED_PCT, 0)} av arbetstiden."),
              _respondents_conflict(ed)]
    return Item("Figur 12", "Fördelning av ordinarie arbetstid för CISO (eller motsvarande)", ed.source("infosec_ciso"),
                figure=fig, data=pd.DataFrame({"band": labels, "count": counts}), notes=notes,
                alt=f"Stapeldiagram över {len(has)} CISO:ars arbetstid: " + ", ".join(f"{l}: {n}" for l, n in zip(labels, counts)) + ".")


def _degree_frame(answers: pd.DataFrame, qids: list[str]) -> pd.DataFrame:
    s = infosec.summary(answers).set_index("question_id").loc[qids]
    out = pd.DataFrame({"question_id": qids})
    for d in infosec.DEGREES:
        out[d] = s[d].to_numpy()
    out["Nej"] = (s["respondents_n"] - s["yes_n"] - s["dont_know_n"]).to_numpy()
    out["Vet ej"] = s["dont_know_n"].to_numpy()
    return out


@item
def figur_13(ed) -> Item:
    a = ed.load("infosec_answers")
    d = _degree_frame(a, ["ledning"]).assign(label=["Ledningen informerar sig och beslutar"])
    fig = figures.stacked_hbars(d, "label", SCALE, "Antal kommuner", colors=ordered_colors(SCALE, SCALE_ORDER))
    yes = int(d[list(infosec.DEGREES)].sum(axis=1).iloc[0])
    notes = _own_note(ed, "infosec_answers")
    if not ed.is_region and not notes:
        own = a[(a["municipality_code"] == ed.code) & (a["question_id"] == "ledning")].iloc[0]
        notes.append(ed.marked(f"{ed.name} svarade: {own['choice']}" + (f" ({own['degree'].lower()})."
                                                                       if pd.notna(own["degree"]) else "."), "infosec_answers"))
    facts = ed.load("facts")
    notes += [report_note(f"Rapporten: {int(fact(facts, 'infosec_management_yes_n'))} av "
                          f"{len(a[a['question_id'] == 'ledning'])} kommuner har arbetssättet, "
                          f"{int(fact(facts, 'infosec_management_full_n'))} har infört det fullt ut."), _respondents_conflict(ed)]
    return Item("Figur 13", "Kommuner där ledningen regelbundet informerar sig och beslutar i informationssäkerhetsfrågor",
                ed.source("infosec_answers", "facts", extra="Figur 13"), figure=fig, data=d, notes=notes,
                alt=f"{yes} av {len(a[a['question_id'] == 'ledning'])} kommuner har arbetssättet; "
                    f"{int(d['Är fullt infört'].iloc[0])} har infört det fullt ut.")


@item
def bilaga_4(ed) -> Item:
    q = ed.load("infosec_questions")
    deg = ed.load("infosec_degree").pivot(index="question_id", columns="degree", values="count")
    t = pd.DataFrame({"Fråga": q["question"], "Ja": [f"{n} av {r}" for n, r in zip(q["yes_n"], q["respondents_n"])],
                      "Vet ej": [f"{n} av {r}" for n, r in zip(q["dont_know_n"], q["respondents_n"])]})
    for d in infosec.DEGREES:
        t[d] = deg.loc[q["question_id"], d].to_numpy()
    notes = [report_note("Grad av införande avser dem som svarat ja.")]
    if disclosure.allowed(ed, "infosec_answers"):  # the report's table is public; only the check uses the answers
        calc = infosec.summary(ed.load("infosec_answers")).set_index("question_id")
        same = all(calc.loc[r.question_id, "yes_n"] == r.yes_n for r in q.itertuples())
        notes.append(ed.marked("Svaren i data ger samma antal som rapporten." if same else "Svaren i data avviker från rapporten.",
                               "infosec_answers"))
    notes.append(_respondents_conflict(ed))
    source = ed.source("infosec_questions", "infosec_degree", extra="Bilaga 4")
    if ed.demo("infosec_answers"):
        source += "; jämförelsen med svaren bygger på syntetiska demodata"
    return Item("Bilaga 4", "Resultat från informationssäkerhetsenkäten", source, table=t, data=t, notes=notes,
                demo_rows=[False] * len(t),
                alt="Tabell: " + "; ".join(f"{r.question_id}: {r.yes_n} av {r.respondents_n} ja" for r in q.itertuples()) + ".")


@item
def bilaga_4_figur(ed) -> Item:
    a = ed.load("infosec_answers")
    q = ed.load("infosec_questions")
    d = _degree_frame(a, list(q["question_id"]))
    d["label"] = ["Klassning av information", "Kontinuitet", "Medarbetarnas medvetande", "Upphandling", "Uppföljning"]
    fig = figures.stacked_hbars(d, "label", SCALE, "Antal kommuner", colors=ordered_colors(SCALE, SCALE_ORDER))
    return Item("Figur B4", "Etablerade arbetssätt för informationssäkerhet och hur långt de har införts",
                ed.source("infosec_answers"), figure=fig, data=d,
                notes=_own_note(ed, "infosec_answers"),
                alt="Staplat diagram för fem frågor: " + "; ".join(f"{l}: {int(r[list(infosec.DEGREES)].sum())} ja"
                                                                  for l, (_, r) in zip(d["label"], d.iterrows())) + ".")


ITEMS = [figur_12, figur_13, bilaga_4, bilaga_4_figur]
