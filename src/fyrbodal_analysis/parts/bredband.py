"""Bredband: Figur 14 and a map of access to 100 Mbit/s."""

from __future__ import annotations

from .. import broadband, diagrams, figures
from ..items import Item, item, report_note
from ..svformat import percent


AREAS = ["totalt", "tatort", "smaort", "utanfor"]
AREA_NAMES = {"totalt": "Totalt", "tatort": "Tätort", "smaort": "Småort", "utanfor": "Utanför tätort och småort"}


def _wide(ed):
    b = ed.load("broadband")
    w = b.pivot(index="municipality_code", columns="area_type", values="households_pct")
    w = w.reindex(columns=AREAS).reset_index()  # a file may give only some area types
    w["municipality_name"] = w["municipality_code"].map(ed.registry.name_of)
    return w.sort_values("totalt", ascending=False)


@item
def figur_14(ed) -> Item:
    w = _wide(ed)
    goal = broadband.goal(ed.load("facts"))
    have = [a for a in AREAS if w[a].notna().any()]
    fig = figures.grouped_hbars(w, "municipality_name", have, [AREA_NAMES[a] for a in have], "Hushåll med tillgång till ≥ 100 Mbit/s",
                                goal=(f"Mål {goal['year']}: {percent(goal['share_pct'], 0)}", goal["share_pct"]), highlight=ed.highlight)
    reached = int((w["totalt"] >= goal["share_pct"]).sum())
    alt = (f"Stapeldiagram för {len(w)} kommuner; {reached} når målet {percent(goal['share_pct'], 0)} totalt. "
           f"Spridning totalt {percent(w['totalt'].min())}–{percent(w['totalt'].max())}.")
    notes = [report_note("PTS publicerar uppgifterna per kommun; rapporten återger dem bara som bild och skriver att "
                         "\"några få kommuner är nära att nå målet\".")]
    if not ed.is_region:
        own = w.set_index("municipality_code").loc[ed.code]
        notes.insert(0, ed.marked(f"{ed.name}: " + ", ".join(f"{percent(own[a])} {AREA_NAMES[a].lower()}" for a in have) + ".",
                                  "broadband"))
    return Item("Figur 14", "Tillgång till fast bredband (≥ 100 Mbit/s) år 2019 per kommun", ed.source("broadband", "facts",
                producer="PTS bredbandskartläggning 2019", demo_format="PTS format"), figure=fig, data=w, alt=alt, notes=notes)


@item
def karta(ed) -> Item:
    w = _wide(ed)
    shapes = diagrams.load_shapes(ed.project.raw / "public/sweden_municipalities_okfse.geojson", list(w["municipality_code"]))
    goal = broadband.goal(ed.load("facts"))["share_pct"]
    fig = diagrams.choropleth(shapes, dict(zip(w["municipality_code"], w["totalt"])), ed.registry.name_of,
                              "Hushåll med ≥ 100 Mbit/s (%)", highlight=None if ed.is_region else ed.code, cmap="RdBu",
                              center=goal, fmt=lambda v: percent(v, 0))
    return Item("Karta 2", f"Bredbandstillgång per kommun jämfört med målet {percent(goal, 0)}", ed.source("broadband",
                extra="kommungränser okfse/sweden-geojson", producer="PTS", demo_format="PTS format"), figure=fig, data=w[["municipality_code", "municipality_name",
                "totalt"]],
                alt="Karta: " + ", ".join(f"{n} {percent(v, 0)}" for n, v in zip(w["municipality_name"], w["totalt"])) + ".")


ITEMS = [figur_14, karta]
