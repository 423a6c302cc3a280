"""Digital mognad (Dimios): Figur 9-11, the statements of Bilaga 3, confidence intervals, self-assessment bias."""

from __future__ import annotations

import pandas as pd

from ..clean import dimios, stats
from ..clean.facts import get as fact
from ..core.formatting import number, percent
from . import disclosure, figures
from .edition import too_few
from .items import DEMO_WORDS, Item, item, report_note

ASSUMPTION = report_note("Antaganden (rapporten definierar dem inte): ett områdesvärde är medelvärdet av svaren 1–6 (vet ej utesluts); "
              "procent = (värde − 1) / 5 × 100; gränsen mellan låg och hög i modellen går vid skalans mitt (3,5).")


def _measured_earlier(ed) -> list[str]:
    """Where the data hold a municipality measured before the survey (the report's 2019 measurement), say so.

    The report does not say which municipality it is; by Figur 33 only the two that skipped the surveys
    qualify. On demo data the choice is the demo's, and the page says so where the data are shown.
    """
    ans = ed.load("dimios_answers")
    last = ans.groupby("municipality_code")["survey_year"].max()
    survey_year = int(last.max())
    earlier = last[last < survey_year]
    demo = ed.demo("dimios_answers")
    facts = ed.load("facts")
    n = int(fact(facts, "dimios_municipalities_2019_n"))
    quote = report_note(f"Rapporten räknar in {'en kommun' if n == 1 else f'{n} kommuner'} som mätte sin digitala mognad under "
                        f"{int(fact(facts, 'dimios_earlier_measurement_year'))}, utanför förstudiens enkät, utan att säga "
                        "vilken; enligt Figur 33 kan det bara vara en av de två kommuner som inte deltog i enkäterna.")
    if earlier.empty:
        return []
    if ed.is_region:
        return [quote] + (["Demodata väljer en av de två; valet är ett antagande i demodata och anges i den kommunens egen "
                           "utgåva."] if demo else [])
    if ed.code in earlier.index:
        year = int(earlier[ed.code])
        if demo:
            return [quote, f"Antagande i demodata: den kommunen antas här vara {ed.name}, så {ed.name}s värden kommer från en "
                           f"syntetisk mätning {year}, inte från rapporten."]
        return [f"{ed.name}s värden kommer från kommunens egen mätning {year}, utanför förstudiens enkät."]
    if demo and not ed.took_part("enkater"):
        return [quote, f"Antagande i demodata: den kommunen antas här vara den andra av de två, inte {ed.name}, så här "
                       "finns inga egna värden."]
    return []


def _own_scores(ed) -> pd.Series | None:
    """The edition's own area values, only when they rest on at least 3 respondents (an opinion survey)."""
    if ed.is_region or not disclosure.own_shown(ed, "dimios_scores"):
        return None
    s = ed.load("dimios_scores")
    own = s[s["municipality_code"] == ed.code]
    return None if own.empty else own.set_index("dimios_area_id")["score"]


def _few_note(ed) -> list[str]:
    """What the page says when the own values rest on fewer than 3 respondents."""
    if ed.is_region or not 0 < disclosure.own_respondents(ed, "dimios_scores") < disclosure.MIN_OTHERS:
        return []
    disclosure.own_shown(ed, "dimios_scores")  # records the withheld values for the analyst
    return [ed.marked(f"{disclosure.genitive(ed.name)} egna värden: {disclosure.FEW_RESPONDENTS}.", "dimios_answers")]


@item
def figur_9(ed) -> Item:
    a = ed.load("dimios_areas")
    t = pd.DataFrame({"Område": [f"{i} {n}" for i, n in zip(a["dimios_area_id"], a["dimios_area"])],
                      "Lägsta värde": [number(v, 1) for v in a["min_value"]],
                      "Högsta värde": [number(v, 1) for v in a["max_value"]],
                      "Snitt": [number(v, 1) for v in a["mean_value"]]})
    if not disclosure.allowed(ed, "dimios_scores"):  # the report's values are public; the answers are too few
        return Item("Figur 9", "Lägst, högst samt genomsnittligt självuppskattat värde per område (skala 1–6)",
                    ed.source("dimios_areas", extra="Figur 9"), table=t, data=t,
                    notes=["Rapportens värden. Beräkningar ur svaren visas inte: underlaget är för litet för att inte röja "
                           "enskilda svar."], alt="Tabell: " + "; ".join(
                        f"{r.dimios_area} {number(r.min_value, 1)}–{number(r.max_value, 1)}, snitt {number(r.mean_value, 1)}"
                        for r in a.itertuples()) + ".")
    s = ed.load("dimios_scores")
    calc = s.groupby("dimios_area_id")["score"].agg(["min", "max", "mean"])
    t["Snitt beräknat ur svaren"] = [number(calc.loc[i, "mean"], 2) for i in a["dimios_area_id"]]
    own = _own_scores(ed)
    notes = [report_note("Lägsta, högsta och snitt är rapportens värden."),
             ed.marked(f"Beräknat snitt bygger på {s['municipality_code'].nunique()} kommuners svar.", "dimios_scores")]
    if own is not None:
        t[f"{ed.name}"] = [number(own.get(i), 1) for i in a["dimios_area_id"]]
    elif not ed.is_region:
        notes.append(_few_note(ed)[0] if _few_note(ed) else ed.absent("enkater"))
    notes += _measured_earlier(ed)
    return Item("Figur 9", "Lägst, högst samt genomsnittligt självuppskattat värde per område (skala 1–6)",
                ed.source("dimios_areas", "dimios_scores", extra="Figur 9"), table=t, data=t, notes=notes,
                alt="Tabell: " + "; ".join(f"{r.dimios_area} {number(r.min_value, 1)}–{number(r.max_value, 1)}, snitt "
                                          f"{number(r.mean_value, 1)}" for r in a.itertuples()) + ".")


@item
def figur_10(ed) -> Item:
    a = ed.load("dimios_areas")
    national = fact(ed.load("facts"), "dimios_sweden_mean_pct")
    ring = dimios.score_of_pct(national)
    series = {"Högsta": list(a["max_value"]), "Medel": list(a["mean_value"]), "Lägsta": list(a["min_value"])}
    own = _own_scores(ed)
    if own is not None:
        series[ed.name] = [own.get(i) for i in a["dimios_area_id"]]
    fig = figures.radar(list(a["dimios_area"]), series, 1, 6, ring=(f"Sverige {percent(national, 0)} (omräknat)", ring),
                        highlight=ed.name if own is not None else None)
    mean_pct = dimios.maturity_pct(a["mean_value"].mean())  # the report's own area means (Figur 9), not the data
    stated = fact(ed.load("facts"), "dimios_fyrbodal_mean_pct")
    notes = [report_note(f"Rapporten anger bara ett totalvärde för Sverige ({percent(national, 0)}), här ritat som en ring på "
                         f"{number(ring, 2)} efter omräkning."),
             report_note(f"Rapportens egna områdessnitt (Figur 9) ger {ed.region} {percent(mean_pct, 0)} med samma omräkning, "
                         f"men rapporten skriver cirka {percent(stated, 0)}: rapporten räknar alltså om på ett annat, "
                         "okänt sätt." if round(mean_pct) != round(stated) else
                         f"Rapportens egna områdessnitt (Figur 9) ger {ed.region} {percent(mean_pct, 0)} med samma omräkning "
                         f"(rapporten: cirka {percent(stated, 0)})."), ASSUMPTION]
    if own is not None:
        notes.insert(0, ed.marked(f"{ed.name} är ritad med sina egna områdesvärden.", "dimios_scores"))
    notes += _measured_earlier(ed)
    return Item("Figur 10", f"Lägst, högst och genomsnittligt självuppskattat värde för {ed.region} jämfört med Sverige",
                ed.source("dimios_areas", "dimios_scores", "facts", extra="Figur 9–10"), figure=fig, notes=_few_note(ed) + notes,
                alt="Spindeldiagram med sex områden: medel " + ", ".join(f"{n} {number(v, 1)}" for n, v in
                                                                         zip(a["dimios_area"], a["mean_value"])) + ".")


def _points(ed, pos: pd.DataFrame) -> pd.DataFrame:
    """One unlabelled point per municipality (the own one named when it rests on 3 respondents), sorted by value."""
    pts = pos[["municipality_code", "formaga_score", "arv_score"]].copy()
    named = not ed.is_region and disclosure.own_shown(ed, "dimios_positions")
    pts["label"] = [ed.name if (named and c == ed.code) else None for c in pts["municipality_code"]]
    return pts.drop(columns="municipality_code").astype({"formaga_score": float, "arv_score": float}) \
        .sort_values(["formaga_score", "arv_score"], ignore_index=True)


QUADRANTS = {"A": (1.75, 1.75), "B": (1.75, 5.25), "C": (5.25, 1.75), "D": (5.25, 5.25)}


@item
def figur_11(ed) -> Item:
    pos = ed.load("dimios_positions")
    if (small := too_few(ed, "Figur 11", "Resultat och fördelning i Dimios modell för digital mognad",
                         set(pos["municipality_code"]), "kommuner")):
        return small
    pts = _points(ed, pos)
    mean = (float(pos["formaga_score"].mean()), float(pos["arv_score"].mean()))
    fig = figures.quadrants(pts, "formaga_score", "arv_score", dimios.MIDPOINT, (1, 6), "Digital förmåga (1–6)",
                            "Digitalt arv (1–6)", QUADRANTS, mean=mean, mean_label=f"Medel {ed.region}")
    counts = pos["dimios_type"].value_counts().reindex(list("ABCD"), fill_value=0)
    facts = ed.load("facts")
    n_a, d_more_than = int(fact(facts, "dimios_type_a_n")), int(fact(facts, "dimios_type_d_n"))
    mean_type = dimios.dimios_type(*mean)
    notes = [ed.marked(f"Medelpositionen ligger i typ {mean_type}; " + ", ".join(f"{counts[k]} i typ {k}" for k in "ABCD") + ".",
                       "dimios_positions"),
             report_note(f"Rapporten: medelpositionen i typ B, {n_a} kommun i typ A och flera kommuner i typ D."), ASSUMPTION]
    if mean_type != "B" or counts["A"] != n_a or counts["D"] <= d_more_than:
        notes.insert(1, ed.marked("⚠ Avviker från rapporten med projektets gräns vid skalans mitt "
                                  f"({number(dimios.MIDPOINT, 1)}), som inte justeras för att nå rapportens antal.",
                                  "dimios_positions"))
    if not ed.is_region:
        own = pos[pos["municipality_code"] == ed.code]
        if _few_note(ed):
            notes.insert(0, _few_note(ed)[0])
        else:
            notes.insert(0, ed.marked(f"{ed.name} placerar sig i typ {own['dimios_type'].iloc[0]}.", "dimios_positions")
                         if len(own) else ed.absent("enkater"))
    notes += _measured_earlier(ed)
    return Item("Figur 11", "Resultat och fördelning i Dimios modell för digital mognad", ed.source("dimios_positions"),
                figure=fig, data=pts, notes=notes,
                alt=f"Punktdiagram med {len(pos)} kommuner: " + ", ".join(f"{counts[k]} i typ {k}" for k in "ABCD") + ".")


@item
def figur_11_bias(ed) -> Item:
    pos = ed.load("dimios_positions")
    pct = fact(ed.load("facts"), "dimios_it_overestimate_pct")
    pts = _points(ed, pos)
    shifted = pts.copy()
    for c in ("formaga_score", "arv_score"):
        shifted[c] = [stats.overestimate_corrected(v, 1, pct) for v in pts[c]]
    fig = figures.quadrants(pts, "formaga_score", "arv_score", dimios.MIDPOINT, (1, 6), "Digital förmåga (1–6)",
                            "Digitalt arv (1–6)", QUADRANTS, shifted=shifted)
    before = pos["dimios_type"].value_counts().reindex(list("ABCD"), fill_value=0)
    after = pd.Series([dimios.dimios_type(f, a) for f, a in zip(shifted["formaga_score"], shifted["arv_score"])]).value_counts() \
        .reindex(list("ABCD"), fill_value=0)
    text = ed.marked(f"Om självskattningen överskattar med {percent(pct, 0)} (räknat från skalans botten 1) flyttas "
                     "kommunerna: " + ", ".join(f"typ {k}: {before[k]} → {after[k]}" for k in "ABCD") + ".", "dimios_positions")
    return Item("Figur 11b", f"Dimios-positioner korrigerade för {percent(pct, 0)} överskattning",
                ed.source("dimios_positions", "facts", extra="avsnitt 8.2.4 om överskattning"), figure=fig, data=shifted,
                notes=[text, report_note("Metod: varje värde v ersätts med 1 + (v − 1) / 1,2."), *_measured_earlier(ed)],
                alt=text)


@item
def bilaga_3(ed) -> Item:
    st = ed.load("dimios_statements")
    ans = ed.load("dimios_answers")
    now = ans[ans["survey_year"] == ans["survey_year"].max()]
    rows = []
    for r in st.itertuples():
        vals = now.loc[now["statement_id"] == r.statement_id, "answer_value"].dropna().astype(float)
        ci = stats.mean_ci(vals)
        printed = (stats.ci_text(stats.ci_from_summary(r.mean_value, r.sd_value, ci["n"]))
                   if pd.notna(r.mean_value) else "–")
        rows.append({"Nr": r.statement_id, "Påstående": r.statement,
                     "Rapporten: medel ± sd": f"{number(r.mean_value, 1)} ± {number(r.sd_value, 1)}" if pd.notna(r.mean_value) else "–",
                     "95 % KI kring rapportens medel": printed, "Beräknat ur svaren": stats.ci_text(ci)})
    t = pd.DataFrame(rows)
    s13 = t.set_index("Nr").loc[13, "95 % KI kring rapportens medel"]
    demo = ed.demo("dimios_answers")
    if demo:  # both interval columns use n from the data
        t = t.rename(columns={c: f"{c} ({DEMO_WORDS})" for c in ("95 % KI kring rapportens medel", "Beräknat ur svaren")})
    return Item("Bilaga 3", "Påståenden om digital förmåga med medelvärden och 95 % konfidensintervall",
                ed.source("dimios_statements", "dimios_answers", extra="Bilaga 3, avsnitt 3.3.2"), table=t, data=t,
                notes=[report_note("Konfidensintervallen är t-intervall: medel ± t(0,975; n−1) · sd / √n, med n = antal "
                                   "svar (vet ej uteslutet) i data.")] + _demo_method(demo),
                alt=f"Tabell med 15 påståenden. Påstående 13: {s13}" + (" (syntetiska demodata)." if demo else "."))


@item
def figur_9_ci(ed) -> Item:
    s = ed.load("dimios_scores")
    a = ed.load("dimios_areas").set_index("dimios_area_id")
    rows = []
    for i, g in s.groupby("dimios_area_id"):
        ci = stats.mean_ci(g["score"])
        rows.append({"Område": a.loc[i, "dimios_area"], "Rapportens snitt": number(a.loc[i, "mean_value"], 1),
                     "Snitt med 95 % KI (kommuner)": stats.ci_text(ci, 2)})
    t = pd.DataFrame(rows)
    demo = ed.demo("dimios_scores")
    if demo:
        t = t.rename(columns={"Snitt med 95 % KI (kommuner)": f"Snitt med 95 % KI (kommuner, {DEMO_WORDS})"})
    return Item("Tabell 9b", "Figur 9:s medelvärden med 95 % konfidensintervall över kommunerna",
                ed.source("dimios_scores", "dimios_areas"), table=t, data=t,
                notes=[report_note("Intervallen visar osäkerheten i snittet över kommunerna (t-intervall, n = antal "
                                   "kommuner).")] + _demo_method(demo),
                alt="Tabell: " + "; ".join(f"{r['Område']} {r['Snitt med 95 % KI (kommuner)']}" for r in rows) + ".")


def _demo_method(demo: bool) -> list[str]:
    """On demo data an interval is a demonstration of the method, never a result to quote."""
    return [stats.DEMO_METHOD + "; intervallen visar bara hur beräkningen går till."] if demo else []


ITEMS = [figur_9, figur_9_ci, figur_10, figur_11, figur_11_bias, bilaga_3]
