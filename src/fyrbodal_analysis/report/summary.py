"""Sammanfattning: a short summary computed from the data (never written by hand)."""

from __future__ import annotations

import pandas as pd

from ..clean import capabilities, dimios
from ..core.formatting import number, percent
from . import disclosure
from .items import Item, item, report_note


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


def _withheld(what: str) -> str:
    return f"{what}: visas inte – underlaget är för litet för att inte röja enskilda svar."


def _dimios(ed) -> str:
    if not disclosure.allowed(ed, "dimios_positions"):  # derived: follows the suppression of Figur 11
        return _withheld("Digital mognad (Dimios)")
    pos = ed.load("dimios_positions")
    if ed.is_region:
        counts = pos["dimios_type"].value_counts().reindex(list("ABCD"), fill_value=0)
        mean = dimios.dimios_type(pos["formaga_score"].mean(), pos["arv_score"].mean())
        return ed.marked(f"Digital mognad (Dimios): medelpositionen ligger i typ {mean}; " +
                         ", ".join(f"{counts[k]} {'kommun' if counts[k] == 1 else 'kommuner'} i typ {k}" for k in "ABCD")
                         + ".", "dimios_positions")
    own = pos[pos["municipality_code"] == ed.code]
    if own.empty:
        return f"Digital mognad (Dimios): {ed.name} har inga egna svar (deltog inte i enkäterna)."
    if not disclosure.own_shown(ed, "dimios_positions"):
        return ed.marked(f"Digital mognad (Dimios): {disclosure.genitive(ed.name)} egna värden – {disclosure.FEW_RESPONDENTS}.",
                         "dimios_answers")
    o = own.iloc[0]
    ans = ed.load("dimios_answers")
    own_year = int(ans.loc[ans["municipality_code"] == ed.code, "survey_year"].max())
    earlier = ""
    if own_year < int(ans["survey_year"].max()):
        earlier = (f"; värdena kommer från en mätning {own_year}" +
                   (", och att den är kommunens är ett antagande i demodata" if ed.demo("dimios_answers") else ""))
    return ed.marked(f"Digital mognad (Dimios): {ed.name} hamnar i typ {o['dimios_type']} (förmåga "
                     f"{number(o['formaga_score'], 1)}, arv {number(o['arv_score'], 1)}; {ed.region_genitive} medel "
                     f"{number(pos['formaga_score'].mean(), 1)} och {number(pos['arv_score'].mean(), 1)}{earlier}).",
                     "dimios_positions")


def _capabilities(ed) -> str:
    if not disclosure.allowed(ed, "capability_summary"):
        return _withheld("Förmågor")
    s = ed.load("capability_summary").set_index("capability_id")
    if ed.is_region:
        s = ed.load("capability_summary")
        extremes = ed.load("maturity_extremes")
        top, low = _with_ties(capabilities.ranked(s, extremes), 3), _with_ties(capabilities.ranked(s, extremes, False), 3)
        return ed.marked(f"Förmågor: starkast i snitt {top}; svagast {low}.", "capability_summary")
    s = ed.load("capability_summary").set_index("capability_id")
    lv = ed.load("capability_levels")
    own = lv[lv["assessor_id"] == ed.code].set_index("capability_id")["level"]
    if own.empty:
        return f"Förmågor: {ed.name} har ingen egen skattning."
    diff = (own - s["mean_level"].reindex(own.index)).sort_values()
    names = s["capability"]
    strong = ", ".join(f"{names[c]} (+{number(d, 1)})" for c, d in diff.tail(3)[::-1].items())
    weak = ", ".join(f"{names[c]} ({number(d, 1)})" for c, d in diff.head(3).items())
    return ed.marked(f"Förmågor jämfört med {ed.region_genitive} snitt: starkast {strong}; svagast {weak}.", "capability_levels")


def _with_ties(ranked: pd.DataFrame, k: int) -> str:
    """The first ``k`` capabilities with their means, and every capability tied with the k-th (in the given order)."""
    means = ranked["mean_level"].astype(float).round(9)
    chosen = ranked[[i < k or m == means.iloc[k - 1] for i, m in enumerate(means)]]
    return ", ".join(f"{r.capability} ({number(r.mean_level, 2)})" for r in chosen.itertuples())


def _costs(ed) -> str:
    if not disclosure.allowed(ed, "it_cost_share"):
        return _withheld("IT-kostnader")
    s = ed.load("it_cost_share")
    mean = s["it_cost_share_pct"].mean()
    if ed.is_region:
        return ed.marked(f"IT-kostnader: central IT motsvarar i snitt {percent(mean, 1)} av kommunernas totala kostnad "
                         f"({len(s)} IT-organisationer).", "it_cost_share")
    own = s[s["it_org_id"] == ed.own_org]
    if own.empty:
        return f"IT-kostnader: inga uppgifter för {ed.name}."
    return ed.marked(f"IT-kostnader: {ed.org_label(ed.own_org)} lägger {percent(own['it_cost_share_pct'].iloc[0], 2)} av den "
                     f"totala kostnaden på central IT (snitt i {ed.region} {percent(mean, 1)}).", "it_cost_share")


@item
def sammanfattning(ed) -> Item:
    parts = [(report_note(_population(ed)), ("figur07",)), (_dimios(ed), ("dimios_positions",)),
             (_capabilities(ed), ("capability_summary", "capability_levels")), (_costs(ed), ("it_cost_share",))]
    sentences = [text for text, _ in parts]
    demo_rows = [ed.demo(*tables) for _, tables in parts]
    demo = [name for (_, tables), name in zip(parts, ("", "Dimios", "förmåge", "kostnads")) if name and ed.demo(*tables)]
    if demo:
        words = ", ".join(f"{w}-" for w in demo[:-1]) + (" och " if len(demo) > 1 else "") + demo[-1]
        sentences.append(f"{words[0].upper()}{words[1:]}uppgifterna i denna utgåva är syntetiska demodata, inte verkliga svar.")
        demo_rows.append(True)
    return Item("Sammanfattning", f"{ed.name} i korthet", ed.source("figur07", "dimios_positions", "capability_summary",
                "it_cost_share"), notes=sentences, alt=" ".join(sentences),
                data=pd.DataFrame({"text": sentences}), demo_rows=demo_rows)


ITEMS = [sammanfattning]
