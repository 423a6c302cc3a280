"""IT-kostnader: Figur 15-19 (TBM cost pools, work areas, share of total cost) and the size tests."""

from __future__ import annotations

import pandas as pd

from ..clean import stats
from ..clean.demography import SCB_YEAR
from ..clean.facts import get as fact
from ..core.formatting import number, percent
from . import disclosure, figures
from .edition import too_few
from .items import Item, item, report_note
from .style import CATEGORICAL

PREFIX = "Org."


def _labelled(ed, df: pd.DataFrame, table: str, by: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Replace IT organisation ids by labels the edition may show (own name, else pseudonyms, see
    :func:`disclosure.labels`); rows sorted by value (``by``), an order that says nothing about ids."""
    out = df.copy()
    labels, note = disclosure.labels(ed, list(out["it_org_id"]), PREFIX, table)
    out["label"] = labels
    out = out.drop(columns="it_org_id").sort_values([*by, "label"], ignore_index=True)
    return out, [note] if note else []


def _pools(ed) -> tuple[pd.DataFrame, list[str]]:
    p = ed.load("cost_pools_by_org").merge(ed.load("tbm_cost_pools"), on="cost_pool_id")
    order = list(ed.load("tbm_cost_pools")["cost_pool"])
    return p, order


def _own_note(ed, table: str) -> list[str]:
    if ed.is_region:
        return []
    if ed.own_org not in set(ed.load(table)["it_org_id"]):
        return [ed.absent("kostnadsunderlag") if not ed.took_part("kostnadsunderlag") else
                f"{ed.name} lämnade inte fullständigt kostnadsunderlag (huvudbok) och ingår inte i kostnadsanalysen (Figur 33)."]
    org = ed.org_label(ed.own_org)
    return [f"{ed.name} ingår i {org}, som visas med namn." if org != ed.name else f"{ed.name} visas med namn."]


@item
def figur_15(ed) -> Item:
    p, order = _pools(ed)
    if (small := too_few(ed, "Figur 15", "Fördelning av IT-kostnaden på kostnadsområden (TBM)", set(p["it_org_id"]))):
        return small
    own = p[p["it_org_id"] == ed.own_org] if ed.own_org else None
    fig = figures.box_by_category(p, "cost_pool", "share_pct", order, "Andel av IT-kostnaden", own=own,
                                  own_label=ed.org_label(ed.own_org) if ed.own_org else None)
    med = p.groupby("cost_pool")["share_pct"].median().reindex(order)
    data, label_note = _labelled(ed, p[["it_org_id", "cost_pool", "share_pct"]], "cost_pools_by_org", ["cost_pool", "share_pct"])
    notes = _own_note(ed, "cost_pools_by_org") + [report_note(
        "Rapportens jämförelse med internationella organisationer och Försäkringskassan visas inte: de värdena finns inte "
        "i rapportens text.")] + [report_note(n) for n in label_note]
    return Item("Figur 15", "Fördelning av IT-kostnaden på kostnadsområden (TBM) mellan organisationerna",
                ed.source("cost_pools_by_org", "tbm_cost_pools"), figure=fig,
                data=data, notes=notes, alt=f"Lådagram över {p['it_org_id'].nunique()} organisationer; median: " +
                ", ".join(f"{k} {percent(v, 0)}" for k, v in med.items()) + ".")


@item
def figur_16(ed) -> Item:
    p, order = _pools(ed)
    title = "Deltagande organisationers IT-kostnader fördelade på kostnadsområden"
    if (small := too_few(ed, "Figur 16", title, set(p["it_org_id"]))):
        return small
    total = p.groupby("cost_pool")["cost_sek"].sum().reindex(order)
    rows = [{"label": f"{ed.region} (alla)", **(total / total.sum() * 100).to_dict()}]
    if ed.own_org in set(p["it_org_id"]):
        o = p[p["it_org_id"] == ed.own_org].set_index("cost_pool")["share_pct"].reindex(order).fillna(0)
        rows.append({"label": ed.org_label(ed.own_org), **o.to_dict()})
    d = pd.DataFrame(rows)
    fig = figures.stacked_hbars(d, "label", order, "Andel av IT-kostnaden", colors=CATEGORICAL, pct=True,
                                highlight=ed.org_label(ed.own_org) if ed.own_org else None)
    hw_sw = (total["Hårdvara"] + total["Mjukvara"]) / total.sum() * 100
    return Item("Figur 16", "Deltagande organisationers IT-kostnader fördelade på kostnadsområden",
                ed.source("cost_pools_by_org", "tbm_cost_pools"), figure=fig, data=d, notes=_own_note(ed, "cost_pools_by_org"),
                alt=f"Staplat diagram: hårdvara och mjukvara {percent(hw_sw, 0)} av den samlade IT-kostnaden; " +
                    ", ".join(f"{k} {percent(v / total.sum() * 100, 0)}" for k, v in total.items()) + ".")


@item
def figur_17(ed) -> Item:
    p, order = _pools(ed)
    if (small := too_few(ed, "Figur 17", "Skillnad i fördelning av IT-kostnader", set(p["it_org_id"]))):
        return small
    wide = p.pivot(index="it_org_id", columns="cost_pool", values="share_pct").reindex(columns=order).fillna(0).reset_index()
    d, label_note = _labelled(ed, wide, "cost_pools_by_org", [order[0], *order[1:]])
    fig = figures.stacked_hbars(d, "label", order, "Andel av IT-kostnaden", colors=CATEGORICAL, pct=True,
                                highlight=ed.org_label(ed.own_org) if ed.own_org else None)
    spread = p.groupby("cost_pool")["share_pct"].agg(lambda s: s.max() - s.min()).reindex(order)
    return Item("Figur 17", "Skillnad i fördelning av IT-kostnader mellan de deltagande organisationerna",
                ed.source("cost_pools_by_org", "tbm_cost_pools"), figure=fig, data=d[["label", *order]],
                notes=_own_note(ed, "cost_pools_by_org") + [report_note("Andra organisationer visas anonymt, ordnade efter värde.")]
                + [report_note(n) for n in label_note],
                alt=f"{len(d)} staplar, en per organisation. Störst skillnad mellan organisationerna: " +
                    ", ".join(f"{k} {number(v, 0)} procentenheter" for k, v in spread.nlargest(2).items()) + ".")


@item
def figur_18(ed) -> Item:
    w = ed.load("work_areas_by_org").merge(ed.load("it_work_areas"), on="work_area_id")
    if (small := too_few(ed, "Figur 18", "Fördelning av kostnaden inom IT:s arbetsområden", set(w["it_org_id"]))):
        return small
    order = list(ed.load("it_work_areas")["work_area"])
    total = w.groupby("work_area")["cost_sek"].sum().reindex(order)
    rows = [{"label": f"{ed.region} (alla)", **(total / total.sum() * 100).to_dict()}]
    if ed.own_org in set(w["it_org_id"]):
        rows.append({"label": ed.org_label(ed.own_org),
                     **w[w["it_org_id"] == ed.own_org].set_index("work_area")["share_pct"].reindex(order).fillna(0).to_dict()})
    d = pd.DataFrame(rows)
    fig = figures.stacked_hbars(d, "label", order, "Andel av IT-kostnaden", pct=True,
                                highlight=ed.org_label(ed.own_org) if ed.own_org else None)
    drift = total[["Infrastruktur", "Slutanvändartjänster"]].sum() / total.sum() * 100
    return Item("Figur 18", "Fördelning av kostnaden inom IT:s arbetsområden", ed.source("work_areas_by_org", "it_work_areas"),
                figure=fig, data=d,
                notes=_own_note(ed, "work_areas_by_org") + [ed.marked(f"Drift (infrastruktur och slutanvändartjänster) står "
                                                                      f"för {percent(drift, 0)} av kostnaden.", "work_areas_by_org")],
                alt=f"Staplat diagram: drift {percent(drift, 0)}, utveckling {percent(100 - drift, 0)} av kostnaden.")


@item
def figur_18_tabell(ed) -> Item:
    a = ed.load("it_work_areas")
    t = a[["work_area", "description"]].rename(columns={"work_area": "Arbetsområde", "description": "Beskrivning"})
    return Item("Tabell 18", "IT:s arbetsområden i analysen", ed.source("it_work_areas", extra="Avsnitt 3.4.2"), table=t, data=a,
                alt=f"Tabell med {len(a)} arbetsområden: " + ", ".join(a["work_area"]) + ".")


@item
def figur_19(ed) -> Item:
    s = ed.load("it_cost_share")
    if (small := too_few(ed, "Figur 19", "Central IT-kostnad som andel av kommunens totala kostnad", set(s["it_org_id"]))):
        return small
    facts = ed.load("facts")
    d, label_note = _labelled(ed, s[["it_org_id", "it_cost_share_pct"]], "it_cost_share", ["it_cost_share_pct"])
    mean = s["it_cost_share_pct"].mean()
    sweden = fact(facts, "costs_sweden_share_pct")
    fig = figures.ranked_bars(d, "label", "it_cost_share_pct", "Central IT av kommunens totala kostnad",
                              highlight=ed.org_label(ed.own_org) if ed.own_org else None,
                              lines=[(f"Snitt {ed.region} {percent(mean, 1)}", mean, "--"), (f"Svenska kommuner ≈ {percent(sweden, 0)}", sweden, ":")])
    below = int((s["it_cost_share_pct"] < sweden).sum())
    notes = [ed.marked(f"{below} av {len(s)} IT-organisationer ligger under {percent(sweden, 0)}.", "it_cost_share"),
             report_note(f"Rapporten: {int(fact(facts, 'costs_below_average_n'))} av {int(fact(facts, 'costs_share_it_orgs_n'))} "
                         f"ligger under snittet; Försäkringskassan lägger "
                         f"{percent(fact(facts, 'costs_forsakringskassan_share_pct'), 0)}.")] + [report_note(n) for n in label_note]
    if not ed.is_region:
        own = s[s["it_org_id"] == ed.own_org]
        notes.insert(0, ed.marked(f"{ed.org_label(ed.own_org)}: {percent(own['it_cost_share_pct'].iloc[0], 2)}.", "it_cost_share")
                     if len(own) else ed.absent("kostnadsunderlag"))
        if len(own) and ed.own_org not in set(ed.load("cost_pools_by_org")["it_org_id"]):
            # Figur 15-18 say the edition's organisation is not in the ledger analysis; say why it is here all the same.
            notes.insert(1, f"Andelen bygger på IT-organisationens totala IT-kostnad och kommunens totala kostnad, ett annat "
                            f"underlag än kostnadsunderlaget (huvudboken) i Figur 15–18, där {ed.name} inte ingår.")
    return Item("Figur 19", "Central IT-kostnad som andel av kommunens totala kostnad", ed.source("it_cost_share", "facts"),
                figure=fig, data=d, notes=notes,
                alt=f"Stapeldiagram, {len(s)} IT-organisationer: snitt {percent(mean, 1)}, högst {percent(s['it_cost_share_pct'].max(), 2)}.")


@item
def storlek(ed) -> Item:
    """Figur 17/19: is there a correlation with municipality size? (Spearman)"""
    pop = ed.load("population").pipe(lambda p: p[p["year"] == SCB_YEAR]).set_index("municipality_code")["population"]
    m = ed.load("it_org_members").assign(pop=lambda d: d["municipality_code"].map(pop)).groupby("it_org_id")["pop"].sum()
    s = ed.load("it_cost_share").set_index("it_org_id")
    p = ed.load("cost_pools_by_org").pivot(index="it_org_id", columns="cost_pool_id", values="share_pct")
    tests = [("Andel central IT av total kostnad (Figur 19)", s["it_cost_share_pct"])]
    for pool, name in (("hardware", "Hårdvaruandel"), ("software", "Mjukvaruandel"), ("internal_labor", "Andel egen personal")):
        tests.append((f"{name} av IT-kostnaden (Figur 17)", p[pool]))
    rows = []
    demo = ed.demo("it_cost_share", "cost_pools_by_org")
    for name, series in tests:
        r = stats.spearman(m.reindex(series.index), series)
        rows.append({"Samband med invånarantal": name, "ρ (Spearman)": number(r["rho"], 2), "p-värde": number(r["p"], 3),
                     "Antal organisationer (n)": r["n"], "Slutsats": stats.verdict(r, demo)})
    t = pd.DataFrame(rows)
    if demo:
        t = t.rename(columns={"ρ (Spearman)": "ρ (Spearman, syntetiska demodata)", "p-värde": "p-värde (syntetiska demodata)"})
    method = (f"Metod: Spearmans rangkorrelation mellan IT-organisationens invånarantal (summan av dess kommuner, SCB "
              f"{SCB_YEAR}) och måttet")
    notes = [report_note("Rapporten: ”Utredningen har inte kunnat se någon korrelation till kommunstorlek.”")]
    if demo:
        notes += [report_note(method + "."), stats.DEMO_METHOD + "; ρ och p ovan är inga resultat och ska inte citeras."]
    else:
        notes += [report_note(f"{method}; p < {number(stats.ALPHA, 2)} räknas som statistiskt säkerställt. Med så få "
                              "organisationer kan bara starka samband upptäckas.")]
    return Item("Tabell 19b", "Finns det ett samband mellan IT-kostnaderna och kommunens storlek?",
                ed.source("it_cost_share", "cost_pools_by_org", "population"), table=t, data=t,
                notes=notes,
                alt="Tabell: " + "; ".join(f"{r['Samband med invånarantal']}: ρ = {r['ρ (Spearman)']}, p = {r['p-värde']}"
                                          for r in rows) + (" (syntetiska demodata, ingen slutsats)." if demo else "."))


ITEMS = [figur_15, figur_16, figur_17, figur_18_tabell, figur_18, figur_19, storlek]
