"""Bredband: Figur 14 and a map of access to 100 Mbit/s."""

from __future__ import annotations

from ..clean import broadband
from ..core.formatting import percent
from . import diagrams, figures
from .items import Item, demo_sentence, item, report_note

AREAS = ["totalt", "tatort", "smaort", "utanfor"]
AREA_NAMES = {"totalt": "Totalt", "tatort": "Tätort", "smaort": "Småort", "utanfor": "Utanför tätort och småort"}


REPORT_YEAR = 2019  # the year Figur 14 shows
TIER_NAMES = {"public": "PTS (offentliga data)", "private": "PTS (konfidentiellt underlag)",
              "demo": "syntetiska demodata i PTS format", "published": "rapportens text"}


def _year(b) -> int:
    """The report's year when the data have it, else the latest year (the caption says which)."""
    years = set(int(y) for y in b["year"].dropna())
    return REPORT_YEAR if REPORT_YEAR in years else max(years)


def _wide(ed, year: int | None = None):
    b = ed.load("broadband")
    b = b[b["year"] == (year or _year(b))]
    w = b.pivot(index="municipality_code", columns="area_type", values="households_pct")
    w = w.reindex(columns=AREAS).reset_index()  # a file may give only some area types
    w["municipality_name"] = w["municipality_code"].map(ed.registry.name_of)
    return w.sort_values("totalt", ascending=False)


def _tiers(ed, year: int) -> dict[str, set[str]]:
    """Which tiers each area type's values come from (series by series)."""
    b = ed.load("broadband")
    b = b[b["year"] == year]
    return {a: set(g["tier"]) for a, g in b.groupby("area_type")}


@item
def figur_14(ed) -> Item:
    year = _year(ed.load("broadband"))
    w = _wide(ed, year)
    goal = broadband.goal(ed.load("facts"))
    have = [a for a in AREAS if w[a].notna().any()]
    tiers = _tiers(ed, year)
    mixed = len(set().union(*tiers.values())) > 1
    names = [AREA_NAMES[a] + (" (syntetisk)" if mixed and "demo" in tiers.get(a, ()) else "") for a in have]
    fig = figures.grouped_hbars(w, "municipality_name", have, names, "Hushåll med tillgång till ≥ 100 Mbit/s",
                                goal=(f"Mål {goal['year']}: {percent(goal['share_pct'], 0)}", goal["share_pct"]), highlight=ed.highlight)
    reached = int((w["totalt"] >= goal["share_pct"]).sum())
    alt = (f"Stapeldiagram för {len(w)} kommuner; {reached} når målet {percent(goal['share_pct'], 0)} totalt. "
           f"Spridning totalt {percent(w['totalt'].min())}–{percent(w['totalt'].max())}.")
    notes = [report_note("PTS publicerar uppgifterna per kommun; rapporten återger dem bara som bild och skriver att "
                         "”några få kommuner är nära att nå målet”.")]
    notes += [report_note(f"{AREA_NAMES[a]}: " + " och ".join(TIER_NAMES[t] for t in sorted(tiers[a])) + ".") for a in have if mixed]
    if year != REPORT_YEAR:
        notes.append(report_note(f"Underlaget saknar {REPORT_YEAR}; figuren visar {year}."))
    if not ed.is_region:
        own = w.set_index("municipality_code").loc[ed.code]
        own_text = f"{ed.name}: " + ", ".join(f"{percent(own[a])} {AREA_NAMES[a].lower()}" for a in have) + "."
        shown = {t for a in have for t in tiers.get(a, ())}
        notes.insert(0, demo_sentence(own_text) if "demo" in shown else report_note(own_text))
    return Item("Figur 14", f"Tillgång till fast bredband (≥ 100 Mbit/s) år {year} per kommun",
                _source(_pts_source(tiers, year), set().union(*tiers.values()) | set(ed.tiers("facts"))), figure=fig, data=w, alt=alt, notes=notes,
                row_tiers={t for a in have for t in tiers.get(a, ())})


def _source(extra: str, tiers: set[str]) -> str:
    """Like Edition.source, but for the tiers of the series an item shows, not of the whole table."""
    from ..core.formatting import tiers_sv
    text = tiers_sv(tiers)
    return f"{extra}; {text[0].upper()}{text[1:]}" if text else extra


def _pts_source(tiers: dict[str, set[str]], year: int) -> str:
    """Name PTS only for series that really come from PTS; the synthetic stand-in says what it is."""
    all_tiers = set().union(*tiers.values()) if tiers else set()
    real = sorted(all_tiers - {"demo"})
    parts = ["Syntetiska demodata i PTS format – inte verkliga uppgifter"] if "demo" in all_tiers else []
    if real:
        parts.append(f"PTS bredbandskartläggning {year}" + (" via Kolada" if "public" in real and all_tiers != {"public"} else ""))
    return "; ".join(parts)


@item
def karta(ed) -> Item:
    year = _year(ed.load("broadband"))
    w = _wide(ed, year)
    total = {"totalt": _tiers(ed, year).get("totalt", set())}
    shapes = diagrams.load_shapes(ed.project.raw / "public/sweden_municipalities_okfse.geojson", list(w["municipality_code"]))
    goal = broadband.goal(ed.load("facts"))["share_pct"]
    fig = diagrams.choropleth(shapes, dict(zip(w["municipality_code"], w["totalt"])), ed.registry.name_of,
                              "Hushåll med ≥ 100 Mbit/s (%)", highlight=None if ed.is_region else ed.code, cmap="RdBu",
                              center=goal, fmt=lambda v: percent(v, 0), share=True)
    return Item("Karta 2", f"Bredbandstillgång {year} per kommun jämfört med målet {percent(goal, 0)}", _source(
                _pts_source(total, year) + "; kommungränser okfse/sweden-geojson", total["totalt"] | set(ed.tiers("facts"))), figure=fig,
                data=w[["municipality_code", "municipality_name", "totalt"]], row_tiers=total["totalt"],
                alt="Karta: " + ", ".join(f"{n} {percent(v, 0)}" for n, v in zip(w["municipality_name"], w["totalt"])) + ".")


ITEMS = [figur_14, karta]
