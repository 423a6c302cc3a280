"""Förmågor: Figur 25-30, the correlation the report denies, and the self-assessment bias."""

from __future__ import annotations

import pandas as pd

from ..clean import stats
from ..clean.facts import get as fact
from ..core.formatting import genitive, number, percent, quote
from . import diagrams, figures
from .items import DEMO_WORDS, Item, item, report_note


def _own_levels(ed) -> pd.DataFrame | None:
    if ed.is_region:
        return None
    lv = ed.load("capability_levels")
    own = lv[lv["assessor_id"] == ed.code]
    return None if own.empty else own


@item
def figur_25(ed) -> Item:
    caps = ed.load("capabilities")
    grid = diagrams.capability_grid(caps)
    n_groups = caps["capability_group"].nunique()
    return Item("Figur 25", "Förmågekarta med identifierade förmågor", ed.source("capabilities", extra="Figur 25 och Bilaga 5"),
                html=grid, data=caps, alt=f"Förmågekarta: {len(caps)} förmågor i {caps['capability_area'].nunique()} områden och "
                                           f"{n_groups} grupper.")


@item
def bilaga_5(ed) -> Item:
    caps = ed.load("capabilities")
    t = caps[["capability_area", "capability_group", "capability", "description"]].rename(columns={
        "capability_area": "Område", "capability_group": "Grupp", "capability": "Förmåga", "description": "Beskrivning"})
    return Item("Bilaga 5", "Beskrivning av förmågor", ed.source("capabilities", extra="Bilaga 5"), table=t, data=caps,
                alt=f"Tabell med beskrivningar av {len(caps)} förmågor.")


@item
def figur_26(ed) -> Item:
    s = ed.load("capability_summary")
    top = ed.load("strategic_top3").sort_values("rank")
    grid = diagrams.capability_grid(s, "strategic_importance", 1, 5, fmt=lambda v: number(v, 1),
                                    legend="Strategisk betydelse (1–5)")
    return Item("Figur 26", "Förmågor med bedömd strategisk betydelse", ed.source("capability_summary", "strategic_top3",
                extra="Figur 26"), html=grid, data=s[["capability_id", "capability", "strategic_importance"]],
                notes=[report_note("De tre viktigaste enligt rapporten: " + ", ".join(f"{r.rank}) {r.capability}"
                                                                      for r in top.itertuples()) + ".")],
                alt="Förmågekarta färgad efter strategisk betydelse; viktigast: " + ", ".join(top["capability"]) + ".")


@item
def figur_27(ed) -> Item:
    m = ed.load("maturity_levels").sort_values("level", ascending=False)
    t = m.rename(columns={"level": "Nivå", "level_name": "Benämning", "description": "Beskrivning"})
    return Item("Figur 27/32", "Nivåer vid skattning av mognadsgrad", ed.source("maturity_levels", extra="Avsnitt 3.4.3 och 8.2.3"),
                table=t, data=m, alt="Tabell över mognadsnivåerna 0 (obefintlig) till 4 (branschledande).")


@item
def figur_28(ed) -> Item:
    s = ed.load("capability_summary")
    own = _own_levels(ed)
    marks = None if own is None else {r.capability_id: f"Ni: {r.level}" for r in own.itertuples()}
    grid = diagrams.capability_grid(s, "mean_level", 0, 4, fmt=lambda v: number(v, 2),
                                    legend="Genomsnittlig skattad mognad (skala 0–4)", marks=marks)
    with4 = int((s["n_level4"] > 0).sum())
    facts = ed.load("facts")
    notes = [ed.marked(f"{with4} av {len(s)} förmågor har minst en 4:a (branschledande).", "capability_summary"),
             report_note(f"Rapporten: {int(fact(facts, 'capabilities_with_level4_n'))} av {int(fact(facts, 'capabilities_n'))}.")]
    if not ed.is_region:
        notes.insert(0, ed.marked(f"Rutan {quote('Ni: n')} visar {genitive(ed.name)} egen skattning.", "capability_levels") if own is not None else
                     f"{ed.name} finns inte bland dem som skattat förmågorna.")
    return Item("Figur 28", f"Förmågor med genomsnittlig mognadsnivå ({s['respondents_total'].max()} bedömningar)",
                ed.source("capability_summary", extra="Figur 28"), html=grid,
                data=s[["capability_id", "capability", "mean_level", "n_level4"]] if own is None else
                s[["capability_id", "capability", "mean_level", "n_level4"]].merge(own[["capability_id", "level"]], how="left"),
                notes=notes,
                alt=f"Förmågekarta färgad efter medelmognad {number(s['mean_level'].min(), 2)}–{number(s['mean_level'].max(), 2)}; "
                    f"{with4} förmågor har minst en 4:a.")


@item
def figur_29(ed) -> Item:
    s = ed.load("capability_summary")
    own = _own_levels(ed)
    own_pts = None if own is None else own.merge(s[["capability_id", "strategic_importance"]], on="capability_id")
    r = stats.spearman(s["strategic_importance"], s["mean_level"])
    fig = figures.importance_vs_maturity(s, own=own_pts, fit=stats.linear_fit(s["strategic_importance"], s["mean_level"]),
                                         mean_label=f"Medel {ed.region}")
    text = stats.spearman_text(r, "Strategisk betydelse mot genomsnittlig mognad", demo=ed.demo("capability_summary"))
    return Item("Figur 29", "Förmågornas strategiska vikt och skattad mognad", ed.source("capability_summary", extra="Figur 29"),
                figure=fig, data=s[["capability_id", "strategic_importance", "mean_level", "sd_level"]],
                notes=[text, report_note("Rapporten: ”Det finns ingen uppenbar korrelation mellan hur viktigt "
                                                            "något anses vara och hur god förmåga kommunerna anser sig ha.”")],
                alt=text)


@item
def figur_30(ed) -> Item:
    e = ed.load("maturity_extremes")
    s = ed.load("capability_summary").set_index("capability_id")
    t = pd.DataFrame({"": [x.capitalize() for x in e["extreme"]], "Förmåga": e["capability"],
                      "Rapporten": [number(v, 2) for v in e["mean_level"]],
                      "Beräknat ur bedömningarna": [number(s.loc[c, "mean_level"], 2) for c in e["capability_id"]]})
    demo = ed.demo("capability_summary")
    if demo:
        t = t.rename(columns={"Beräknat ur bedömningarna": f"Beräknat ur bedömningarna ({DEMO_WORDS})"})
    own = _own_levels(ed)
    if own is not None:
        o = own.set_index("capability_id")["level"]
        t[f"{ed.name}"] = [str(o.get(c, "–")) for c in e["capability_id"]]
    return Item("Figur 30", "Högst och lägst skattade förmågor (genomsnitt, skala 0–4)", ed.source("maturity_extremes",
                "capability_summary", extra="Figur 30"), table=t, data=t,
                alt="Tabell: högst " + ", ".join(f"{c} {number(v, 2)}" for c, v, x in zip(e["capability"], e["mean_level"], e["extreme"])
                                                 if x == "högst") + "; lägst " +
                    ", ".join(f"{c} {number(v, 2)}" for c, v, x in zip(e["capability"], e["mean_level"], e["extreme"]) if x == "lägst") + ".")


@item
def figur_28_bias(ed) -> Item:
    s = ed.load("capability_summary").copy()
    pct = fact(ed.load("facts"), "dimios_it_overestimate_pct")
    s["corrected"] = [stats.overestimate_corrected(v, 0, pct) for v in s["mean_level"]]
    fig = figures.importance_vs_maturity(s, shifted=s["corrected"], mean_label=f"Medel {ed.region}")
    below2_before, below2_after = int((s["mean_level"] < 2).sum()), int((s["corrected"] < 2).sum())
    text = ed.marked(f"Med {percent(pct, 0)} överskattning (nivå / 1,2) ligger {below2_after} av {len(s)} förmågor under "
                     f"nivå 2 (acceptabel) i stället för {below2_before}; högsta genomsnitt {number(s['corrected'].max(), 2)} i "
                     f"stället för {number(s['mean_level'].max(), 2)}.", "capability_summary")
    return Item("Figur 28b", f"Förmågornas mognad korrigerad för {percent(pct, 0)} överskattning", ed.source("capability_summary",
                "facts", extra="avsnitt 8.2.4"), figure=fig, data=s[["capability_id", "mean_level", "corrected"]].rename(
                columns={"corrected": "mean_level_corrected"}), notes=[text], alt=text)


ITEMS = [figur_25, figur_26, figur_27, figur_28, figur_28_bias, figur_29, figur_30, bilaga_5]
