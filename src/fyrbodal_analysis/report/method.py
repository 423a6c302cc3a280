"""Inledning och metod: deliverables, concept figures 1-5, participation (Figur 33), TBM, Dimios model."""

from __future__ import annotations

import pandas as pd

from ..clean import method
from . import diagrams
from .items import Item, item, message

REPORT = "Rapportens text"


@item
def leverabler(ed) -> Item:
    d = ed.load("deliverables")
    t = d[["deliverable", "description", "found_in"]].rename(columns={"deliverable": "Leverabel", "description": "Beskrivning",
                                                                      "found_in": "Återfinns"})
    return Item("Tabell 1.5", "Förstudiens leverabler enligt förstudiedirektivet", ed.source("deliverables", extra="Avsnitt 1.5"),
                table=t, data=d, alt=f"Tabell med {len(d)} leverabler.")


@item
def figur_1(ed) -> Item:
    layers = ["Digital utsida", "Digital insida", "Digital motor"]
    return Item("Figur 1", "Den digitala organisationens tre lager: digital utsida, insida och motor",
                "Rapportens text (avsnitt 1.7); ritad i kod", html=diagrams.layers_html(layers),
                data=pd.DataFrame({"lager": layers}),
                alt="Tre lager ovanpå varandra: digital utsida, digital insida och digital motor.")


@item
def figur_2(ed) -> Item:
    return message("Figur 2", "Stegen i samtrappan framtagen av Länsstyrelsen",
                   "Rapporten visar samtrappan som en bild; stegens namn står inte i rapportens text och återges därför "
                   "inte här. Rapporten beskriver samverkan som samordning i processer och strukturer samt etablerade "
                   "länkar och koordinering.", source="Rapportens text (avsnitt 1.7), Länsstyrelsen 2017")


@item
def figur_3(ed) -> Item:
    parts = ["Processer", "Organisation", "Policy", "Teknik", "Information"]
    return Item("Figur 3", "Element som kan ingå i en förmåga", "Rapportens text (avsnitt 1.7); ritad i kod",
                html=diagrams.elements_html("Förmåga", parts), data=pd.DataFrame({"element": parts}), alt="En förmåga med fem element: " + ", ".join(parts).lower() + ".")


@item
def figur_4(ed) -> Item:
    layers = ["Digital utsida", "Digital insida", "Digital motor"]
    notes = ["invånare, företag och andra intressenter", "kommunens lednings-, kärn- och stödverksamhet",
             "central IT och roller som arbetar med IT"]
    grid = diagrams.layers_html(layers, notes=notes, around="Omvärlds- och invärldsförutsättningar")
    return Item("Figur 4", "Den digitala kommunens utsida, insida och motor är beroende av varandra och påverkas av "
                "omvärlds- och invärldsförutsättningar", "Rapportens text (avsnitt 2–3); ritad i kod", html=grid,
                data=pd.DataFrame({"lager": layers, "omfattar": notes}),
                alt="De tre lagren utsida, insida och motor inom en ram av omvärlds- och invärldsförutsättningar.")


@item
def figur_5(ed) -> Item:
    v = ed.load("vagval")
    wide = method.vagval_wide(v)
    t = wide.rename(columns={"vagval": "Förändringsalternativ", "styrkor": "Styrkor", "svagheter": "Svagheter"})
    t = t.assign(Styrkor=t["Styrkor"].str.replace("\n", "; "), Svagheter=t["Svagheter"].str.replace("\n", "; "))
    return Item("Figur 5", "Styrkor och svagheter med olika alternativa vägval", ed.source("vagval", extra="Avsnitt 3.1.1"),
                table=t, data=v, alt=f"Tabell över {len(wide)} vägval med styrkor och svagheter.",
                notes=["Uppdelningen i styrkor och svagheter är tolkad ur innehållet; textversionen av rapporten saknar kolumnerna."])


@item
def figur_33(ed) -> Item:
    p = ed.load("participation")
    steps = [("omvarldsanalys", "Omvärldsanalys"), ("enkater", "Nulägesanalys: enkäter"),
             ("kostnadsunderlag", "Nulägesanalys: kostnadsunderlag"), ("formagekartlaggning", "Förmågekartläggning")]
    t = pd.DataFrame({"Kommun": p["municipality_name"]})
    for s, label in steps:
        t[label] = [f"{n} av {of}" for n, of in zip(p[f"{s}_n"], p[f"{s}_of"])]
    notes = []
    if not ed.is_region:
        row = p.set_index("municipality_code").loc[ed.code]
        missed = [label.lower() for s, label in steps if int(row[f"{s}_n"]) == 0]
        notes.append(f"{ed.name} deltog inte i: {', '.join(missed)}." if missed else f"{ed.name} deltog i alla delar.")
        t["Kommun"] = [f"▶ {n}" if n == ed.name else n for n in t["Kommun"]]
    full = int(((p["enkater_n"] == p["enkater_of"]) & (p["kostnadsunderlag_n"] == p["kostnadsunderlag_of"])).sum())
    return Item("Figur 33", "Deltagande för varje organisation vid varje mötestillfälle", ed.source("participation", extra="Avsnitt 8.2.4"),
                table=t, data=p, notes=notes,
                alt=f"Tabell över deltagandet för {len(p)} kommuner; {full} lämnade både alla enkäter och hela kostnadsunderlaget.")


@item
def figur_31(ed) -> Item:
    pools = ed.load("tbm_cost_pools")["cost_pool"].tolist()
    areas = ed.load("it_work_areas")["work_area"].tolist()
    levels = [("Cost pools", "kostnadsområden", pools), ("IT towers", "IT-torn: arbetsområden", areas),
              ("Products & services", "produkter och tjänster", []), ("Verksamhet", "", [])]
    grid = diagrams.levels_html(levels)
    data = pd.DataFrame([{"nivå": n, "svensk_benämning": g, "del": p} for n, g, ps in levels for p in (ps or [None])])
    return Item("Figur 31", "TBM-modellen och dess indelningar", ed.source("tbm_cost_pools", "it_work_areas", extra="Avsnitt 8.2.2"),
                html=grid, data=data, alt=f"TBM-modellens nivåer: {len(pools)} kostnadsområden, {len(areas)} arbetsområden, "
                                "produkter och tjänster samt verksamhet.")


@item
def figur_34(ed) -> Item:
    from ..clean.dimios import AREA_STATEMENTS, DIMENSION_AREAS
    a = ed.load("dimios_areas").set_index("dimios_area_id")
    rows = [{"Dimension": dim, "Område": a.loc[i, "dimios_area"], "Påståenden (nr)": ", ".join(map(str, AREA_STATEMENTS[i]))}
            for dim, ids in DIMENSION_AREAS.items() for i in ids]
    t = pd.DataFrame(rows)
    return Item("Figur 34", "Kategorier och mätpunkter för Dimios", ed.source("dimios_areas", extra="Bilaga 3 och avsnitt 3.3.2"),
                table=t, data=t, alt="Tabell: Dimios två dimensioner med tre områden var.",
                notes=["Rapporten anger inte vilka påståenden som hör till vilket område. Här antas påstående 1–15 (Bilaga 3) "
                       "utgöra digital förmåga och 16–30 (texten publiceras inte) digitalt arv."])


@item
def figur_35(ed) -> Item:
    cells = {"A": "Sitter fast i tungt begränsande arv och brister i förmåga; riskerar förlorade kostnader.",
             "B": "Begränsas av brister i förmåga; tidigare moderniseringsinvesteringar ger låg verkningsgrad.",
             "C": "Hög förmåga men begränsande digitalt arv.",
             "D": "Digitala satsningar har hög verkningsgrad: möjliggörande arv och hög förmåga."}
    grid = diagrams.model_2x2_html("Digital förmåga (låg → hög)", "Digitalt arv (begränsande → möjliggörande)", cells)
    return Item("Figur 35", "Dimios modell för digital mognad", "Rapportens text (avsnitt 3.3.2 och Bilaga 3); ritad i kod",
                html=grid, data=pd.DataFrame({"typ": list(cells), "beskrivning": list(cells.values())}),
                alt="Fyra typer: A låg förmåga och begränsande arv, B låg förmåga och möjliggörande arv, "
                                "C hög förmåga och begränsande arv, D hög förmåga och möjliggörande arv.",
                notes=["Rapportens text beskriver typ A, B och D; typ C följer av modellens två axlar."])


ITEMS = [leverabler, figur_1, figur_2, figur_3, figur_4, figur_5]  # Figur 31, 33–35: report/appendices.py (report order)
