"""Demografi: Figur 6-8, SCB population since 1950, the forecast followed up and a map of the forecast change."""

from __future__ import annotations

from ..core.formatting import number, percent
from . import diagrams, figures
from .items import Item, item, report_note, sv_table


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
    return Item("Figur 6", f"Befolkningsprognos för {ed.region_genitive} kommuner", ed.source("population_forecast", extra="Figur 7"),
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
    return Item("Figur 7", f"Befolkningsprognos för {ed.region_genitive} kommuner", ed.source("figur07", extra="Figur 7; SCB"), table=t,
                data=f, notes=notes, alt=f"Tabell: {ed.region} {number(tot['population_2019'])} invånare 2019 och "
                                         f"{number(tot['population_2030'])} 2030, förändring {percent(tot['change_pct_computed'])}.")


@item
def scb_link(ed) -> Item:
    f = ed.load("figur07")
    t = sv_table(f[["municipality_name", "population_2019_scb", "population_2019_scb_rounded", "population_2019"]],
                 {"population_2019_scb": ("number", 0), "population_2019_scb_rounded": ("number", 0), "population_2019": ("number", 0)},
                 {"municipality_name": "Kommun", "population_2019_scb": "SCB 31 dec 2019", "population_2019_scb_rounded":
                  "SCB avrundat till hundratal", "population_2019": "Rapporten 2019"})
    if not ed.is_region:
        t["Kommun"] = [f"▶ {n}" if n == ed.name else n for n in t["Kommun"]]
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
    y0, y1 = int(total["year"].iloc[0]), int(total["year"].iloc[-1])
    fig = figures.trend_lines(pop, "year", "population", "municipality_name", f"Index ({y0} = 100)", highlight=ed.highlight,
                              index_to=y0)
    first, last = total["population"].iloc[0], total["population"].iloc[-1]
    alt = (f"Linjediagram {y0}–{y1}, index {y0} = 100, en linje per kommun. {ed.region} hade {number(first)} invånare {y0} "
           f"och {number(last)} {y1}.")
    return Item("Figur 6b", f"Befolkningsutveckling {y0}–{y1} per kommun (index, {y0} = 100)", ed.source("population",
                extra="SCB folkmängd 31 december"), figure=fig, data=pop, alt=alt)


@item
def efterhand(ed) -> Item:
    """Prognosen i efterhand: SCB's actual population each year since 2019 beside the report's 2030 forecast."""
    f = ed.load("forecast_followup")
    years = sorted(int(y) for y in f["year"].unique())
    first, last = years[0], years[-1]
    span = str(first) if first == last else f"{first}–{last}"
    muni = f[~f["is_total"]]
    fig = figures.remaining_dots(muni, "municipality_name", "year", "remaining_change_pct",
                                 "Förändring som återstår till prognosen för 2030, i % av folkmängden det året",
                                 highlight=ed.highlight)
    keep = f[f["year"] == last].set_index("municipality_name")
    t = _followup_table(ed, f, keep, last)
    notes = _followup_notes(ed, f, keep, first, last)
    tot = keep.loc[ed.region]
    alt = (f"Punktdiagram per kommun, en punkt per år {span}, utan linjer: hur stor förändring som återstår till "
           f"rapportens prognos för 2030. {ed.region} {last}: {number(tot['population'])} invånare, prognos "
           f"{number(tot['population_2030'])}, kvar {number(tot['remaining_change'])} ({percent(tot['remaining_change_pct'])}).")
    return Item("Figur 7c", f"Prognosen i efterhand: folkmängden {span} jämförd med prognosen för 2030",
                ed.source("forecast_followup", extra="SCB folkmängd 31 december; rapportens prognos (Figur 7)"),
                figure=fig, table=t, data=f, alt=alt, notes=notes)


def _followup_table(ed, f, keep, last: int):
    """Kommun | each year (SCB) | Prognos 2030 | what remains from the last year, formatted the Swedish way."""
    wide = f.pivot(index="municipality_name", columns="year", values="population")
    t = wide.reindex(list(dict.fromkeys(f["municipality_name"]))).rename(columns=lambda y: f"{y} (SCB)")
    t["Prognos 2030 (rapporten)"] = keep["population_2030"]
    t[f"Kvar från {last}"] = keep["remaining_change"]
    t[f"Kvar från {last} (%)"] = keep["remaining_change_pct"]
    t = sv_table(t.reset_index(), {c: ("number", 0) for c in t.columns if not c.endswith("(%)")} |
                 {f"Kvar från {last} (%)": ("percent", 1)}, {"municipality_name": "Kommun"})
    if not ed.is_region:
        t["Kommun"] = [f"▶ {n}" if n == ed.name else n for n in t["Kommun"]]
    return t


def _followup_notes(ed, f, keep, first: int, last: int) -> list[str]:
    start = f[f["year"] == first].set_index("municipality_name")["remaining_change"]
    now = keep["remaining_change"]
    # reached or passed: the change still needed is zero or points the other way than in the first year
    passed = [n for n in now.index if n != ed.region and (now[n] == 0 or (now[n] > 0) != (start[n] > 0))]
    notes = ["Folkmängden är SCB:s exakta siffra den 31 december varje år; prognosen för 2030 är rapportens tryckta värde "
             "(Figur 7, avrundat till hundratal). Rapporten anger ingen väg mellan 2019 och 2030, så diagrammet visar bara "
             "de år som har inträffat, utan linje mot 2030. Positivt värde: befolkningen behöver växa för att nå prognosen; "
             "negativt: den behöver minska."]
    if last == first:
        # how an analyst fetches the later years (fyrbodal fetch scb) is in the README, not on a reader's page
        notes.insert(0, f"SCB:s folkmängd efter {first} finns inte i underlaget för den här utgåvan, så bara utgångsläget "
                        f"{first} visas.")
    else:
        n = f.loc[~f["is_total"], "municipality_name"].nunique()
        notes.append(f"{len(passed)} av {n} kommuner hade {last} redan nått eller passerat rapportens prognos för 2030"
                     + (f": {', '.join(passed)}." if passed else "."))
    if not ed.is_region:
        own = keep.loc[ed.name]
        notes.insert(0, f"{ed.name}: {number(own['population'])} invånare {last}, prognosen för 2030 är "
                        f"{number(own['population_2030'])}; förändring som återstår: {number(own['remaining_change'])} personer "
                        f"({percent(own['remaining_change_pct'])}).")
    return notes


@item
def karta(ed) -> Item:
    f = ed.load("population_forecast")
    shapes = diagrams.load_shapes(ed.project.raw / "public/sweden_municipalities_okfse.geojson", list(f["municipality_code"]))
    values = dict(zip(f["municipality_code"], f["change_pct"]))
    fig = diagrams.choropleth(shapes, values, ed.registry.name_of, "Förändring 2019–2030 (%)", highlight=None if ed.is_region else ed.code,
                              cmap="RdBu", center=0, fmt=lambda v: percent(v, 1))
    return Item("Karta 1", "Befolkningsförändring 2019–2030 enligt prognosen", ed.source("population_forecast",
                extra="Figur 7; kommungränser okfse/sweden-geojson"), figure=fig, data=f[["municipality_code", "municipality_name",
                "change_pct"]], alt=f"Karta över {ed.region}: " + ", ".join(f"{n} {percent(v)}" for n, v in
                                                                        zip(f["municipality_name"], f["change_pct"])) + ".")


@item
def figur_8(ed) -> Item:
    a = ed.load("age_structure")
    projection = ed.load("population_projection")
    fig = figures.forecast_lines(a, "year", "population", "age_group", "is_forecast", "Invånare")
    g = a.pivot(index="year", columns="age_group", values="population")
    y0, y1 = g.index.min(), g.index.max()
    growth = (g.loc[y1] / g.loc[y0] - 1) * 100
    alt = f"Linjediagram {y0}–{y1} per åldersgrupp; " + ", ".join(f"{k}: {percent(v, 0)}" for k, v in growth.items()) + " förändring."
    notes = [report_note("Streckad linje = prognos. Rapporten anger inga siffror för figuren, bara att antalet 80+ "
                         "väntas öka kraftigt.")]
    named = _projection_name(projection)
    notes += _series_notes(a, named, projection)
    tiers = set(a["tier"])
    return Item("Figur 8", "Förväntad utveckling av befolkningsstrukturen i Västra Götaland", _age_source(a, named),
                figure=fig, data=a, alt=alt, row_tiers=tiers, notes=notes)


def _projection_name(projection) -> str:
    """SCB's projection named by its year of publication, e.g. "SCB:s regionala befolkningsframskrivning 2024
    (publicerad 2024-06-11)"; empty when none is fetched."""
    dates = sorted(set(projection["published"].dropna()))
    return f"SCB:s regionala befolkningsframskrivning {dates[-1][:4]} (publicerad {dates[-1]})" if dates else ""


def _age_source(a, projection_name: str) -> str:
    """Figur 8's source line for the rows it shows: a synthetic stand-in says so first; SCB's statistics and
    SCB's projection are named only for the years that come from them."""
    from ..core.formatting import tiers_sv
    public = a[a["tier"] == "public"]
    parts = ["Syntetiska demodata – inte verkliga uppgifter"] if "demo" in set(a["tier"]) else []
    if (~public["is_forecast"]).any():
        parts.append("SCB folkmängd 31 december efter ålder")
    if public["is_forecast"].any():
        parts.append(projection_name)
    real = set(a["tier"]) - {"demo"}
    text = tiers_sv(real)
    if real and "demo" not in set(a["tier"]):  # like Edition.source: capitalised unless they follow the demo lead
        text = text[0].upper() + text[1:]
    return "; ".join(x for x in parts + [text] if x)


def _years(years) -> str:
    """Sorted years as ranges: 2021–2023, 2031."""
    ys, out = sorted(int(y) for y in set(years)), []
    for y in ys:
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in out)


def _series_notes(a, projection_name: str, projection) -> list[str]:
    """One sentence per part of the figure saying where its years come from, when SCB's data are in it."""
    if "public" not in set(a["tier"]):
        return []
    text = {(False, "public"): "SCB:s folkmängd 31 december (offentlig statistik)",
            (False, "demo"): "syntetiska demodata (SCB:s folkmängd efter ålder inte hämtad)",
            (True, "public"): projection_name,
            (True, "demo"): "syntetiska demodata (" + ("SCB:s framskrivning täcker inte figurens år"
                                                        if projection_name else "ingen befolkningsframskrivning hämtad") + ")"}
    out = []
    for (forecast, tier), g in a.groupby(["is_forecast", "tier"], sort=True):
        head = "Prognosen" if forecast else "Observerade år"
        out.append(report_note(f"{head} ({_years(g['year'])}): {text[(bool(forecast), tier)]}."))
    observed, forecast = a.loc[~a["is_forecast"], "year"], a.loc[a["is_forecast"], "year"]
    if len(forecast) and int(forecast.min()) > int(observed.max()) + 1:
        gap = _years(range(int(observed.max()) + 1, int(forecast.min())))
        out.append(report_note(f"{gap} saknas: folkmängden efter ålder finns till och med {int(observed.max())} och "
                               f"SCB:s framskrivning börjar {int(forecast.min())}; figuren drar ingen linje över "
                               f"{'dem' if '–' in gap else 'det'}."))
    shown = a.loc[a["is_forecast"] & (a["tier"] == "public"), "year"]
    if len(shown) and int(projection["year"].max()) > int(shown.max()):
        out.append(report_note(f"SCB:s framskrivning sträcker sig till {int(projection['year'].max())}; figuren visar "
                               f"år till och med {int(shown.max())}."))
    return out


ITEMS = [figur_6, figur_7, scb_link, efterhand, trend, karta, figur_8]
