"""Digital mognad (Dimios): Figur 9-11, the statements of Bilaga 3, confidence intervals, self-assessment bias."""

from __future__ import annotations

import pandas as pd

from .. import dimios, figures, stats
from ..context import too_few
from ..facts import get as fact
from ..items import Item, item
from ..svformat import number, percent

ASSUMPTION = ("Antaganden (rapporten definierar dem inte): ett områdesvärde är medelvärdet av svaren 1–6 (vet ej utesluts); "
              "procent = (värde − 1) / 5 × 100; gränsen mellan låg och hög i modellen går vid skalans mitt (3,5).")


def _own_scores(ed) -> pd.Series | None:
    if ed.is_region:
        return None
    s = ed.load("dimios_scores")
    own = s[s["municipality_code"] == ed.code]
    return None if own.empty else own.set_index("dimios_area_id")["score"]


@item
def figur_9(ed) -> Item:
    a = ed.load("dimios_areas")
    s = ed.load("dimios_scores")
    calc = s.groupby("dimios_area_id")["score"].agg(["min", "max", "mean"])
    t = pd.DataFrame({"Område": [f"{i} {n}" for i, n in zip(a["dimios_area_id"], a["dimios_area"])],
                      "Lägsta värde": [number(v, 1) for v in a["min_value"]],
                      "Högsta värde": [number(v, 1) for v in a["max_value"]],
                      "Snitt": [number(v, 1) for v in a["mean_value"]],
                      "Snitt beräknat ur svaren": [number(calc.loc[i, "mean"], 2) for i in a["dimios_area_id"]]})
    own = _own_scores(ed)
    notes = [f"Lägsta, högsta och snitt är rapportens värden; beräknat snitt bygger på {s['municipality_code'].nunique()} "
             "kommuners svar."]
    if own is not None:
        t[f"{ed.name}"] = [number(own.get(i), 1) for i in a["dimios_area_id"]]
    elif not ed.is_region:
        notes.append(ed.absent("enkater"))
    return Item("Figur 9", "Lägst, högst samt genomsnittligt självuppskattat värde per område (skala 1–6)",
                ed.source("dimios_areas", "dimios_scores", extra="Figur 9"), table=t, data=t, notes=notes,
                alt="Tabell: " + "; ".join(f"{r.dimios_area} {number(r.min_value, 1)}–{number(r.max_value, 1)}, snitt "
                                          f"{number(r.mean_value, 1)}" for r in a.itertuples()) + ".")


@item
def figur_10(ed) -> Item:
    a = ed.load("dimios_areas")
    national = fact(ed.load("facts"), "dimios_sweden_mean_pct")
    ring = 1 + national / 100 * 5
    series = {"Högsta": list(a["max_value"]), "Medel": list(a["mean_value"]), "Lägsta": list(a["min_value"])}
    own = _own_scores(ed)
    if own is not None:
        series[ed.name] = [own.get(i) for i in a["dimios_area_id"]]
    fig = figures.radar(list(a["dimios_area"]), series, 1, 6, ring=(f"Sverige {percent(national, 0)} (omräknat)", ring),
                        highlight=ed.name if own is not None else None)
    mean_pct = dimios.maturity_pct(ed.load("dimios_scores")["score"].mean())
    notes = [f"Rapporten anger bara ett totalvärde för Sverige ({percent(national, 0)}), här ritat som en ring på "
             f"{number(ring, 2)} efter omräkning. {ed.region_genitive} genomsnitt blir {percent(mean_pct, 0)} med samma omräkning "
             f"(rapporten: cirka {percent(fact(ed.load('facts'), 'dimios_fyrbodal_mean_pct'), 0)}).", ASSUMPTION]
    return Item("Figur 10", f"Lägst, högst och genomsnittligt självuppskattat värde för {ed.region} jämfört med Sverige",
                ed.source("dimios_areas", "dimios_scores", "facts", extra="Figur 9–10"), figure=fig, notes=notes,
                alt="Spindeldiagram med sex områden: medel " + ", ".join(f"{n} {number(v, 1)}" for n, v in
                                                                         zip(a["dimios_area"], a["mean_value"])) + ".")


def _points(ed, pos: pd.DataFrame) -> pd.DataFrame:
    pts = pos[["municipality_code", "formaga_score", "arv_score"]].copy()
    pts["label"] = [ed.name if (not ed.is_region and c == ed.code) else None for c in pts["municipality_code"]]
    return pts.drop(columns="municipality_code").astype({"formaga_score": float, "arv_score": float})


QUADRANTS = {"A": (1.75, 1.75), "B": (1.75, 5.25), "C": (5.25, 1.75), "D": (5.25, 5.25)}


@item
def figur_11(ed) -> Item:
    pos = ed.load("dimios_positions")
    if (small := too_few(ed, "Figur 11", "Resultat och fördelning i Dimios modell för digital mognad", len(pos), "kommuner")):
        return small
    pts = _points(ed, pos)
    mean = (float(pos["formaga_score"].mean()), float(pos["arv_score"].mean()))
    fig = figures.quadrants(pts, "formaga_score", "arv_score", dimios.MIDPOINT, (1, 6), "Digital förmåga (1–6)",
                            "Digitalt arv (1–6)", QUADRANTS, mean=mean, mean_label=f"Medel {ed.region}")
    counts = pos["dimios_type"].value_counts().reindex(list("ABCD"), fill_value=0)
    notes = [f"Medelpositionen ligger i typ {dimios.dimios_type(*mean)}. Rapporten: medel i typ B, en kommun i typ A, flera i typ D.",
             ASSUMPTION]
    if not ed.is_region:
        own = pos[pos["municipality_code"] == ed.code]
        notes.insert(0, f"{ed.name} placerar sig i typ {own['dimios_type'].iloc[0]}." if len(own) else ed.absent("enkater"))
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
    text = (f"Om självskattningen överskattar med {percent(pct, 0)} (räknat från skalans botten 1) flyttas kommunerna: "
            + ", ".join(f"typ {k}: {before[k]} → {after[k]}" for k in "ABCD") + ".")
    return Item("Figur 11b", f"Dimios-positioner korrigerade för {percent(pct, 0)} överskattning",
                ed.source("dimios_positions", "facts", extra="avsnitt 8.2.4 om överskattning"), figure=fig, data=shifted,
                notes=[text, "Metod: varje värde v ersätts med 1 + (v − 1) / 1,2."], alt=text)


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
    return Item("Bilaga 3", "Påståenden om digital förmåga med medelvärden och 95 % konfidensintervall",
                ed.source("dimios_statements", "dimios_answers", extra="Bilaga 3, avsnitt 3.3.2"), table=t, data=t,
                notes=["Konfidensintervallen är t-intervall: medel ± t(0,975; n−1) · sd / √n, med n = antal svar (vet ej "
                       "uteslutet) i data."], alt=f"Tabell med 15 påståenden. Påstående 13: {s13}.")


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
    return Item("Tabell 9b", "Figur 9:s medelvärden med 95 % konfidensintervall över kommunerna",
                ed.source("dimios_scores", "dimios_areas"), table=t, data=t,
                notes=["Intervallen visar osäkerheten i snittet över kommunerna (t-intervall, n = antal kommuner)."],
                alt="Tabell: " + "; ".join(f"{r['Område']} {r['Snitt med 95 % KI (kommuner)']}" for r in rows) + ".")


ITEMS = [figur_9, figur_9_ci, figur_10, figur_11, figur_11_bias, bilaga_3]
