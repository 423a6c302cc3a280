"""Demografi: Figur 6-8, SCB 1950-2019 and a map of the forecast change."""

from __future__ import annotations


from .. import diagrams, figures
from ..items import Item, report_note, sv_table, item
from ..svformat import number, percent


@item
def figur_6(ed) -> Item:
    f = ed.load("population_forecast")
    fig = figures.paired_bars(f, "municipality_name", "population_2019", "population_2030", "Befolkning 2019",
                              "Befolkning 2030 (prognos)", "Invånare", highlight=ed.highlight)
    big = f.loc[f["change_pct"].idxmin()]
    alt = (f"Stapeldiagram: befolkning 2019 och prognos 2030 för {len(f)} kommuner, från {number(f['population_2019'].min())} "
           f"till {number(f['population_2019'].max())} invånare 2019. Störst minskning: {big['municipality_name']} "
           f"{percent(big['change_pct'])}.")
    if not ed.is_region:
        own = f.set_index("municipality_code").loc[ed.code]
        alt += f" {ed.name}: {number(own['population_2019'])} → {number(own['population_2030'])}."
    return Item("Figur 6", "Befolkningsprognos för Fyrbodals kommuner", ed.source("population_forecast", extra="Figur 7"),
                figure=fig, data=f[["municipality_code", "municipality_name", "population_2019", "population_2030"]], alt=alt)


@item
def figur_7(ed) -> Item:
    f = ed.load("figur07")
    t = sv_table(f[["municipality_name", "population_2019", "population_2030", "change_computed", "change_pct_computed"]],
                 {"population_2019": ("number", 0), "population_2030": ("number", 0), "change_computed": ("number", 0),
                  "change_pct_computed": ("percent", 1)},
                 {"municipality_name": "Kommun", "population_2019": "Befolkning 2019", "population_2030": "Befolkning 2030 prognos",
                  "change_computed": "Förändring", "change_pct_computed": "Förändring %"})
    if not ed.is_region:
        t["Kommun"] = [f"▶ {n}" if n == ed.name else n for n in t["Kommun"]]
    bad = f[~f["matches_report"]]
    notes = ["Förändring och förändring % är beräknade ur befolkningstalen; 2019 är SCB:s folkmängd 31 december 2019 "
             "avrundad till hundratal."]
    notes += [f"Avviker från rapporten: {r.municipality_name}: {r.discrepancy}" for r in bad.itertuples()] or \
             ["Alla beräknade värden stämmer med rapportens tabell."]
    tot = f[f["is_total"]].iloc[0]
    return Item("Figur 7", "Befolkningsprognos för Fyrbodals kommuner", ed.source("figur07", extra="Figur 7; SCB"), table=t,
                data=f, notes=notes, alt=f"Tabell: Fyrbodal {number(tot['population_2019'])} invånare 2019 och "
                                         f"{number(tot['population_2030'])} 2030, förändring {percent(tot['change_pct_computed'])}.")


@item
def scb_link(ed) -> Item:
    f = ed.load("figur07")
    t = sv_table(f[["municipality_name", "population_2019_scb", "population_2019_scb_rounded", "population_2019"]],
                 {"population_2019_scb": ("number", 0), "population_2019_scb_rounded": ("number", 0), "population_2019": ("number", 0)},
                 {"municipality_name": "Kommun", "population_2019_scb": "SCB 31 dec 2019", "population_2019_scb_rounded":
                  "SCB avrundat till hundratal", "population_2019": "Rapporten 2019"})
    same = int((f["population_2019_scb_rounded"] == f["population_2019"]).sum())
    return Item("Tabell 7b", "Rapportens befolkning 2019 jämförd med SCB:s folkmängd 31 december 2019",
                ed.source("figur07", extra="SCB (folkmängd 31 dec) och Figur 7"), table=t, data=f[["municipality_name",
                "population_2019_scb", "population_2019_scb_rounded", "population_2019"]],
                alt=f"Tabell: {same} av {len(f)} rader stämmer när SCB:s siffra avrundas till hundratal.",
                notes=[f"{same} av {len(f)} rader (inklusive summan) stämmer när SCB:s siffra avrundas till närmaste hundratal "
                       "(exakt halva avrundas uppåt)."])


@item
def trend(ed) -> Item:
    pop = ed.load("population")
    total = pop.groupby("year", as_index=False)["population"].sum().assign(municipality_name=ed.region)
    fig = figures.trend_lines(pop, "year", "population", "municipality_name", "Index (1950 = 100)", highlight=ed.highlight,
                              index_to=1950)
    first, last = total["population"].iloc[0], total["population"].iloc[-1]
    alt = (f"Linjediagram 1950–2019, index 1950 = 100, en linje per kommun. Fyrbodal hade {number(first)} invånare 1950 "
           f"och {number(last)} 2019.")
    return Item("Figur 6b", "Befolkningsutveckling 1950–2019 per kommun (index, 1950 = 100)", ed.source("population",
                extra="SCB folkmängd 31 december"), figure=fig, data=pop, alt=alt)


@item
def karta(ed) -> Item:
    f = ed.load("population_forecast")
    shapes = diagrams.load_shapes(ed.project.raw / "public/sweden_municipalities_okfse.geojson", list(f["municipality_code"]))
    values = dict(zip(f["municipality_code"], f["change_pct"]))
    fig = diagrams.choropleth(shapes, values, ed.registry.name_of, "Förändring 2019–2030 (%)", highlight=None if ed.is_region else ed.code,
                              cmap="RdBu", center=0, fmt=lambda v: percent(v, 1))
    return Item("Karta 1", "Befolkningsförändring 2019–2030 enligt prognosen", ed.source("population_forecast",
                extra="Figur 7; kommungränser okfse/sweden-geojson"), figure=fig, data=f[["municipality_code", "municipality_name",
                "change_pct"]], alt="Karta över Fyrbodal: " + ", ".join(f"{n} {percent(v)}" for n, v in
                                                                        zip(f["municipality_name"], f["change_pct"])) + ".")


@item
def figur_8(ed) -> Item:
    a = ed.load("age_structure")
    fig = figures.forecast_lines(a, "year", "population", "age_group", "is_forecast", "Invånare")
    g = a.pivot(index="year", columns="age_group", values="population")
    y0, y1 = g.index.min(), g.index.max()
    growth = (g.loc[y1] / g.loc[y0] - 1) * 100
    alt = f"Linjediagram {y0}–{y1} per åldersgrupp; " + ", ".join(f"{k}: {percent(v, 0)}" for k, v in growth.items()) + " förändring."
    return Item("Figur 8", "Förväntad utveckling av befolkningsstrukturen i Västra Götaland", ed.source("age_structure"),
                figure=fig, data=a, alt=alt,
                notes=[report_note("Streckad linje = prognos. Rapporten anger inga siffror för figuren, bara att antalet 80+ "
                                   "väntas öka kraftigt.")])


ITEMS = [figur_6, figur_7, scb_link, trend, karta, figur_8]
