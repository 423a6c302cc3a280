"""IT costs: TBM cost pools (Figur 31), IT work areas (Figur 18) and the
published facts of Figur 15-19 (in ``facts.csv``, domain ``costs``).

The ledger microdata (huvudbok per IT organisation, mapped to cost pools and
work areas) and the IT organisations are specified here too; the published
tier gives the cost pools and work areas every cost figure is drawn over.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..core.errors import Problem, ValidationFailed
from ..raw.files import TableSpec, sum_rows
from ..raw.microdata import MICRO
from .declarations import MICRODATA, PUBLISHED, Domain, Table

#: What every cost figure sums the ledger over (see SPECS["ledger"].sum_over).
LEDGER_KEYS = ("it_org_id", "account", "supplier_id", "cost_centre")

SPECS = {
    "figur18_it_work_areas": TableSpec(
        "figur18_it_work_areas", ("work_area_id", "work_area", "description", "focus"), key=("work_area_id",),
    ),
    "figur31_tbm_cost_pools": TableSpec(
        "figur31_tbm_cost_pools", ("cost_pool_id", "cost_pool_en", "cost_pool"), key=("cost_pool_id",),
    ),
    "it_organisations": TableSpec(
        "it_organisations", ("it_org_id", "it_org_name", "central_it_fte", "in_cost_pool_analysis"), key=("it_org_id",),
        description=f"{MICRO}: IT organisations, their staff and whether they delivered a ledger.", confidential=True,
        microdata=True),
    "it_org_members": TableSpec(
        "it_org_members", ("it_org_id", "municipality_code"), key=("municipality_code",),
        description=f"{MICRO}: which municipalities each IT organisation serves (one organisation per municipality).",
        confidential=True, microdata=True),
    "ledger": TableSpec(
        "ledger", ("it_org_id", "period", "account", "supplier_id", "cost_centre", "amount_sek"),
        nullable=frozenset({"supplier_id"}), sum_over=(LEDGER_KEYS, "amount_sek"),
        checks=(("period", pa.Check(lambda df: df["period"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])"),
                                    error="not a month YYYY-MM")),),
        description=f"{MICRO}: general ledger (huvudbok) rows of central IT, per IT organisation.", confidential=True,
        microdata=True),
    "account_map": TableSpec(
        "account_map", ("it_org_id", "account", "account_name", "cost_pool_id"), key=("it_org_id", "account"),
        description=f"{MICRO}: reviewed mapping of each organisation's accounts to TBM cost pools.", confidential=True,
        microdata=True),
    "cost_centre_map": TableSpec(
        "cost_centre_map", ("it_org_id", "cost_centre", "work_area_id"), key=("it_org_id", "cost_centre"),
        description=f"{MICRO}: reviewed mapping of cost centres to the IT work areas of Figur 18.", confidential=True,
        microdata=True),
    "it_cost_totals": TableSpec(
        "it_cost_totals", ("it_org_id", "year", "central_it_cost_sek"), key=("it_org_id", "year"),
        description=f"{MICRO}: total central IT cost per IT organisation and year (Figur 19).", confidential=True,
        microdata=True),
    "municipal_costs": TableSpec(
        "municipal_costs", ("municipality_code", "year", "total_operating_cost_sek"), key=("municipality_code", "year"),
        description=f"{MICRO}: each municipality's total operating cost (Figur 19).", confidential=True,
        microdata=True),
}

_MICRO = dict(tiers=MICRODATA, confidential=True)
TABLES = (
    Table("it_work_areas", ("work_area_id",), ("figur18_it_work_areas",), PUBLISHED),
    Table("tbm_cost_pools", ("cost_pool_id",), ("figur31_tbm_cost_pools",), PUBLISHED),
    Table("it_organisations", ("it_org_id",), ("it_organisations",), **_MICRO),
    Table("it_org_members", ("municipality_code",), ("it_org_members",), **_MICRO),
    Table("cost_pools_by_org", ("it_org_id", "cost_pool_id"), ("ledger", "account_map"), **_MICRO),
    Table("work_areas_by_org", ("it_org_id", "work_area_id"), ("ledger", "cost_centre_map"), **_MICRO),
    Table("it_cost_share", ("it_org_id",), ("it_cost_totals", "municipal_costs", "it_org_members"), **_MICRO),
    Table("supplier_totals", ("supplier_id",), ("ledger",), **_MICRO),
    Table("municipal_costs", ("municipality_code", "year"), ("municipal_costs",), **_MICRO),
)

#: Tolerance when a ledger's total is compared with the organisation's reported central IT cost.
LEDGER_TOLERANCE_SEK = 1.0


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    f = dict(frames)
    f["ledger"] = compact_ledger(frames["ledger"])  # millions of rows -> one per distinct posting key
    problems = _check_links(f, registry)
    if problems:
        raise ValidationFailed(problems)
    ledger = f["ledger"].reset_index(drop=True)
    pools = f["account_map"][["it_org_id", "account", "cost_pool_id"]]
    centres = f["cost_centre_map"][["it_org_id", "cost_centre", "work_area_id"]]
    return {
        "it_work_areas": f["figur18_it_work_areas"].reset_index(drop=True),
        "tbm_cost_pools": f["figur31_tbm_cost_pools"].reset_index(drop=True),
        "it_organisations": f["it_organisations"].reset_index(drop=True),
        "it_org_members": f["it_org_members"].reset_index(drop=True),
        "cost_pools_by_org": _by(ledger.merge(pools, on=["it_org_id", "account"]), "cost_pool_id"),
        "work_areas_by_org": _by(ledger.merge(centres, on=["it_org_id", "cost_centre"]), "work_area_id"),
        "it_cost_share": it_cost_share(f["it_cost_totals"], f["municipal_costs"], f["it_org_members"]),
        "supplier_totals": ledger.dropna(subset=["supplier_id"]).groupby("supplier_id", as_index=False)["amount_sek"].sum()
                                 .rename(columns={"amount_sek": "cost_sek"}).astype({"cost_sek": "Float64"}),
        "municipal_costs": f["municipal_costs"].reset_index(drop=True),
    }


def compact_ledger(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger summed over period: one row per organisation, account, supplier and cost centre.

    Every figure is a sum over these keys, so nothing is lost; the index is the first file line of
    each group, so a link problem is reported once per account (or cost centre), at its first line.
    ``prepare`` already reads the ledger summed this way (``TableSpec.sum_over``); summing again is
    a no-op then.
    """
    out = sum_rows(ledger, LEDGER_KEYS, "amount_sek")
    out.attrs = dict(ledger.attrs)
    return out


def _by(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    out = rows.groupby(["it_org_id", key], as_index=False)["amount_sek"].sum().rename(columns={"amount_sek": "cost_sek"})
    out["share_pct"] = out["cost_sek"] / out.groupby("it_org_id")["cost_sek"].transform("sum") * 100
    return out.astype({"cost_sek": "Float64", "share_pct": "Float64"})


def it_cost_share(totals: pd.DataFrame, muni: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Figur 19: central IT cost as a share of the total cost of the municipalities it serves."""
    cost = members.merge(muni, on="municipality_code").groupby("it_org_id", as_index=False)["total_operating_cost_sek"].sum()
    out = totals.reset_index(drop=True)[["it_org_id", "central_it_cost_sek"]].merge(cost, on="it_org_id", how="left")
    out["it_cost_share_pct"] = (out["central_it_cost_sek"] / out["total_operating_cost_sek"] * 100).astype("Float64")
    return out


def _check_links(f, registry) -> list[Problem]:
    """Every ledger row mapped; every organisation known; ledger totals equal the reported central IT cost."""
    problems = []
    orgs = set(f["it_organisations"]["it_org_id"])

    def bad(df, mask, col, message, expected):
        for i, r in df[mask].iterrows():
            problems.append(Problem(df.attrs.get("file", "?"), int(i), col, message.format(**r), expected))

    for name in ("it_org_members", "ledger", "account_map", "cost_centre_map", "it_cost_totals"):
        df = f[name]
        bad(df, ~df["it_org_id"].isin(orgs), "it_org_id", "unknown IT organisation {it_org_id!r}", "an it_org_id of it_organisations.csv")
    members = f["it_org_members"]
    for code in sorted(set(registry.codes) - set(members["municipality_code"])):
        problems.append(Problem(members.attrs.get("file", "?"), None, "municipality_code", f"no IT organisation for {code}",
                                "every municipality of the region in one organisation"))
    led, amap, cmap = f["ledger"], f["account_map"], f["cost_centre_map"]
    known_acc = set(zip(amap["it_org_id"], amap["account"]))
    known_cc = set(zip(cmap["it_org_id"], cmap["cost_centre"]))
    bad(led, [(o, a) not in known_acc for o, a in zip(led["it_org_id"], led["account"])], "account",
        "account {account} of {it_org_id} is not in account_map.csv", "every account mapped to a TBM cost pool")
    bad(led, [(o, c) not in known_cc for o, c in zip(led["it_org_id"], led["cost_centre"])], "cost_centre",
        "cost centre {cost_centre} of {it_org_id} is not in cost_centre_map.csv", "every cost centre mapped to a work area")
    pools = set(f["figur31_tbm_cost_pools"]["cost_pool_id"]) if "figur31_tbm_cost_pools" in f else None
    if pools:
        bad(amap, ~amap["cost_pool_id"].isin(pools), "cost_pool_id", "unknown cost pool {cost_pool_id!r}", "a TBM cost pool of Figur 31")
    areas = set(f["figur18_it_work_areas"]["work_area_id"]) if "figur18_it_work_areas" in f else None
    if areas:
        bad(cmap, ~cmap["work_area_id"].isin(areas), "work_area_id", "unknown work area {work_area_id!r}", "a work area of Figur 18")
    totals = f["it_cost_totals"].set_index("it_org_id")["central_it_cost_sek"]
    sums = led.groupby("it_org_id")["amount_sek"].sum()
    orgs_df = f["it_organisations"]
    for i, r in orgs_df.iterrows():  # an organisation in the cost-pool analysis must have delivered its ledger
        if bool(r["in_cost_pool_analysis"] is not pd.NA and r["in_cost_pool_analysis"]) and r["it_org_id"] not in sums.index:
            problems.append(Problem(led.attrs.get("file", "?"), None, "it_org_id",
                                    f"no ledger rows for {r['it_org_id']!r}, which it_organisations.csv line {i} marks "
                                    "as in the cost-pool analysis", "its ledger rows, or in_cost_pool_analysis false"))
    for org, s in sums.items():
        if org in totals and abs(s - totals[org]) > LEDGER_TOLERANCE_SEK:
            problems.append(Problem(f["it_cost_totals"].attrs.get("file", "?"), None, "central_it_cost_sek",
                                    f"{org}: the ledger adds up to {s:.0f} kr, not {totals[org]:.0f} kr",
                                    "the reported central IT cost to equal the ledger total"))
    return problems


DOMAIN = Domain("costs", SPECS, clean, TABLES)
