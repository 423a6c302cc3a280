"""Sammanfattning: a short summary computed from the data (never written by hand)."""

from __future__ import annotations

import pandas as pd

from .. import dimios
from ..items import Item, item
from ..svformat import number, percent


def _population(ed) -> str:
    f = ed.load("figur07")
    row = f[f["is_total"]].iloc[0] if ed.is_region else f.set_index("municipality_code").loc[ed.code]
    word = "öka" if row["change_computed"] > 0 else ("minska" if row["change_computed"] < 0 else "vara oförändrad")
    change = f" med {number(abs(row['change_computed']))} invånare ({percent(row['change_pct_computed'])})" if row["change_computed"] else ""
    rank = ""
    if not ed.is_region:
        r = f[~f["is_total"]].sort_values("change_pct_computed", ascending=False).reset_index(drop=True)
        pos = int(r.index[r["municipality_code"] == ed.code][0]) + 1
        rank = f", plats {pos} av {len(r)} i {ed.region}"
    return f"Befolkningen väntas {word} mellan 2019 och 2030{change}{rank}."


def _dimios(ed) -> str:
    pos = ed.load("dimios_positions")
    if ed.is_region:
        counts = pos["dimios_type"].value_counts().reindex(list("ABCD"), fill_value=0)
        mean = dimios.dimios_type(pos["formaga_score"].mean(), pos["arv_score"].mean())
        return (f"Digital mognad (Dimios): medelpositionen ligger i typ {mean}; " +
                ", ".join(f"{counts[k]} kommuner i typ {k}" for k in "ABCD") + ".")
    own = pos[pos["municipality_code"] == ed.code]
    if own.empty:
        return f"Digital mognad (Dimios): {ed.name} har inga egna svar (deltog inte i enkäterna)."
    o = own.iloc[0]
    return (f"Digital mognad (Dimios): {ed.name} hamnar i typ {o['dimios_type']} (förmåga {number(o['formaga_score'], 1)}, "
            f"arv {number(o['arv_score'], 1)}; {ed.region_genitive} medel {number(pos['formaga_score'].mean(), 1)} och "
            f"{number(pos['arv_score'].mean(), 1)}).")


def _capabilities(ed) -> str:
    s = ed.load("capability_summary").set_index("capability_id")
    if ed.is_region:
        top = s.nlargest(3, "mean_level")["capability"]
        low = s.nsmallest(3, "mean_level")["capability"]
        return f"Förmågor: starkast i snitt {', '.join(top)}; svagast {', '.join(low)}."
    lv = ed.load("capability_levels")
    own = lv[lv["assessor_id"] == ed.code].set_index("capability_id")["level"]
    if own.empty:
        return f"Förmågor: {ed.name} har ingen egen skattning."
    diff = (own - s["mean_level"].reindex(own.index)).sort_values()
    names = s["capability"]
    strong = ", ".join(f"{names[c]} (+{number(d, 1)})" for c, d in diff.tail(3)[::-1].items())
    weak = ", ".join(f"{names[c]} ({number(d, 1)})" for c, d in diff.head(3).items())
    return f"Förmågor jämfört med {ed.region_genitive} snitt: starkast {strong}; svagast {weak}."


def _costs(ed) -> str:
    s = ed.load("it_cost_share")
    mean = s["it_cost_share_pct"].mean()
    if ed.is_region:
        return (f"IT-kostnader: central IT motsvarar i snitt {percent(mean, 1)} av kommunernas totala kostnad "
                f"({len(s)} IT-organisationer).")
    own = s[s["it_org_id"] == ed.own_org]
    if own.empty:
        return f"IT-kostnader: inga uppgifter för {ed.name}."
    return (f"IT-kostnader: {ed.org_label(ed.own_org)} lägger {percent(own['it_cost_share_pct'].iloc[0], 2)} av den totala "
            f"kostnaden på central IT (snitt i {ed.region} {percent(mean, 1)}).")


@item
def sammanfattning(ed) -> Item:
    sentences = [_population(ed), _dimios(ed), _capabilities(ed), _costs(ed)]
    demo = ed.demo("dimios_positions", "capability_summary", "it_cost_share")
    if demo:
        sentences.append("Enkät-, förmåge- och kostnadsuppgifterna i denna utgåva är syntetiska demodata, inte verkliga svar.")
    return Item("Sammanfattning", f"{ed.name} i korthet", ed.source("figur07", "dimios_positions", "capability_summary",
                "it_cost_share"), notes=sentences, alt=" ".join(sentences),
                data=pd.DataFrame({"text": sentences}))


ITEMS = [sammanfattning]
