"""Scenarier och piloter: milestone plan (Gantt) and rough budget for each of the five pilots."""

from __future__ import annotations

import functools

import pandas as pd

from ..clean import pilots
from ..core.formatting import number
from . import figures
from .items import Item, item


def _range(lo, hi, unit="") -> str:
    if pd.isna(lo):
        return "–"
    return (number(lo) if lo == hi else f"{number(lo)}–{number(hi)}") + unit


@item
def plan(ed, pilot_id: int) -> Item:
    p = ed.load("pilots").set_index("pilot_id").loc[pilot_id]
    ms = ed.load("pilot_milestones").query("pilot_id == @pilot_id").sort_values("milestone_order")
    fig = figures.gantt(ms, "milestone", "start_day", "end_day")
    what = p["capability"] if pd.notna(p["capability"]) else p["capability_area_name"]
    return Item(f"Pilot {pilot_id}", f"Milstolpeplan för pilotprojekt {pilot_id} (scenario {p['scenario']} – {p['scenario_name']}): {what}",
                ed.source("pilot_milestones", extra=f"Avsnitt {p['section']}"), figure=fig, data=ms,
                alt=f"Tidslinje med {len(ms)} milstolpar från dag {ms['start_day'].min()} till dag "
                    f"{int(ms['end_day'].max())}.")


@item
def budget(ed, pilot_id: int) -> Item:
    lines = ed.load("pilot_budget_lines").query("pilot_id == @pilot_id").sort_values("line_order")
    hours = pilots.line_hours(lines).set_index("line_order")
    rows = []
    for r in lines.itertuples():
        if r.cost_type == "egen_personal":
            h = hours.loc[r.line_order]
            amount = _range(h["line_hours_min"], h["line_hours_max"], " h") + (" (driftperiod, okänt)" if pd.isna(h["line_hours_min"]) else "")
        else:
            amount = _range(r.cost_tkr_min, r.cost_tkr_max, " tkr") + (" per kommun" if r.per_municipality else "")
        rows.append({"Kostnadsslag": "Egen personal" if r.cost_type == "egen_personal" else "Externa tjänster", "Fas": r.phase,
                     "År": "–" if pd.isna(r.budget_year) else str(r.budget_year), "I rapporten": r.as_printed, "Beräknat": amount})
    t = pd.DataFrame(rows)
    tot = ed.load("pilot_totals").set_index("pilot_id").loc[pilot_id]
    notes = [f"Summa egen tid: {_range(tot['hours_min'], tot['hours_max'], ' h')} (rapporten: "
             f"{_range(tot['stated_hours_min'], tot['stated_hours_max'], ' h')}); externa kostnader: "
             f"{_range(tot['external_tkr_min'], tot['external_tkr_max'], ' tkr')} (rapporten: "
             f"{_range(tot['stated_external_tkr_min'], tot['stated_external_tkr_max'], ' tkr')}).",
             "Timmar per rad = workshoppar × timmar + timmar för en kommun; belopp ”per kommun” räknas för en kommun, "
             "som rapporten gör."]
    if not bool(tot["matches_report"]):
        notes.insert(0, f"⚠ Avvikelse mot rapporten: {tot['discrepancy']}.")
    return Item(f"Budget {pilot_id}", f"Grov budgetuppskattning för pilotprojekt {pilot_id}", ed.source("pilot_budget_lines",
                "pilot_totals"), table=t, data=lines, notes=notes,
                alt=f"Tabell med {len(t)} budgetrader; summa {_range(tot['hours_min'], tot['hours_max'], ' timmar')} och "
                    f"{_range(tot['external_tkr_min'], tot['external_tkr_max'], ' tkr')}.")


@item
def totals(ed) -> Item:
    t0 = ed.load("pilot_totals")
    t = pd.DataFrame({"Pilot": t0["pilot_id"],
                      "Timmar, rapporten": [_range(a, b) for a, b in zip(t0["stated_hours_min"], t0["stated_hours_max"])],
                      "Timmar, summa av raderna": [_range(a, b) for a, b in zip(t0["hours_min"], t0["hours_max"])],
                      "Extern kostnad tkr, rapporten": [_range(a, b) for a, b in zip(t0["stated_external_tkr_min"], t0["stated_external_tkr_max"])],
                      "Extern kostnad tkr, summa av raderna": [_range(a, b) for a, b in zip(t0["external_tkr_min"], t0["external_tkr_max"])],
                      "Stämmer": ["ja" if m else "⚠ nej" for m in t0["matches_report"]]})
    bad = t0[~t0["matches_report"]]
    return Item("Tabell 6", "Pilotprojektens totaler: rapportens siffror och summan av budgetraderna",
                ed.source("pilot_totals"), table=t, data=t0.drop(columns=["quote"]),
                notes=[f"Pilot {r.pilot_id}: {r.discrepancy}." for r in bad.itertuples()] +
                      ["Extern kostnad räknas som stämmande om skillnaden ryms i rapportens avrundning."],
                alt=f"Tabell över fem piloter; {len(bad)} avviker från rapportens summa.")


ITEMS = [*(f for i in range(1, 6) for f in (functools.partial(plan, pilot_id=i), functools.partial(budget, pilot_id=i))),
         totals]
