"""Capabilities of the digital engine: Figur 25-30 and Bilaga 5.

The 55 capabilities in 3 areas and 13 groups with their descriptions
(Bilaga 5), the maturity levels 0-4 (Figur 27/32), the five highest and five
lowest mean maturity (Figur 30) and the three most strategic capabilities
(Figur 26). Names printed in Figur 26 and 30 are resolved to capability ids;
a name that is not one of the 55 is an error.
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import Problem, ValidationFailed
from ..raw.files import TableSpec
from ..raw.microdata import MICRO
from .declarations import MICRODATA, PUBLISHED, Domain, Table

SPECS = {
    "bilaga5_capabilities": TableSpec(
        "bilaga5_capabilities",
        ("capability_id", "capability_area_id", "capability_area", "capability_group", "capability", "description"),
        key=("capability_id",),
    ),
    "figur27_maturity_levels": TableSpec("figur27_maturity_levels", ("level", "level_name", "description"), key=("level",)),
    "figur30_maturity_extremes": TableSpec(
        "figur30_maturity_extremes", ("extreme", "rank", "capability", "mean_level"), key=("extreme", "rank"),
    ),
    "figur26_strategic_top3": TableSpec("figur26_strategic_top3", ("rank", "capability"), key=("rank",)),
    "capability_assessments": TableSpec(
        "capability_assessments", ("assessor_id", "capability_id", "level"), key=("assessor_id", "capability_id"),
        description=f"{MICRO}: self-assessed maturity 0-4, one row per assessor and capability.", confidential=True,
        microdata=True),
    "capability_importance": TableSpec(
        "capability_importance", ("capability_id", "strategic_importance"), key=("capability_id",),
        description=f"{MICRO}: strategic importance per capability (group exercise).", confidential=True,
        microdata=True),
}

TABLES = (
    Table("capability_levels", ("assessor_id", "capability_id"), ("capability_assessments",), MICRODATA,
          confidential=True),
    Table("capability_summary", ("capability_id",),
          ("capability_assessments", "capability_importance", "bilaga5_capabilities"), MICRODATA | PUBLISHED,
          confidential=True),
    Table("capabilities", ("capability_id",), ("bilaga5_capabilities",), PUBLISHED),
    Table("maturity_levels", ("level",), ("figur27_maturity_levels",), PUBLISHED),
    Table("maturity_extremes", ("extreme", "rank"), ("figur30_maturity_extremes", "bilaga5_capabilities"), PUBLISHED),
    Table("strategic_top3", ("rank",), ("figur26_strategic_top3", "bilaga5_capabilities"), PUBLISHED),
)


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    caps = frames["bilaga5_capabilities"]
    problems = []
    dup = caps[caps["capability"].duplicated(keep=False)]
    for i, r in dup.iterrows():
        problems.append(Problem(caps.attrs.get("file", "capabilities"), int(i), "capability",
                                f"capability name {r['capability']!r} appears more than once", "unique names"))
    ids = dict(zip(caps["capability"], caps["capability_id"]))
    out = {"capabilities": caps.reset_index(drop=True), "maturity_levels": frames["figur27_maturity_levels"].reset_index(drop=True)}
    for spec, name in (("figur30_maturity_extremes", "maturity_extremes"), ("figur26_strategic_top3", "strategic_top3")):
        df = frames[spec]
        for i, r in df[~df["capability"].isin(ids)].iterrows():
            problems.append(Problem(df.attrs.get("file", spec), int(i), "capability",
                                    f"{r['capability']!r} is not one of the capabilities of Bilaga 5",
                                    "a name from bilaga5_capabilities.csv"))
        df = df.reset_index(drop=True).copy()
        df.insert(0, "capability_id", df["capability"].map(ids).astype("string"))
        out[name] = df
    levels = frames["capability_assessments"]
    imp = frames["capability_importance"]
    assessors = set(registry.codes) | set(frames["it_organisations"]["it_org_id"])
    for df, col, known, what in ((levels, "capability_id", set(ids.values()), "a capability_id of Bilaga 5"),
                                 (imp, "capability_id", set(ids.values()), "a capability_id of Bilaga 5"),
                                 (levels, "assessor_id", assessors, "a municipality code or it_org_id")):
        for i, r in df[~df[col].isin(known)].iterrows():
            problems.append(Problem(df.attrs.get("file", "capabilities"), int(i), col, f"unknown {col} {r[col]!r}", what))
    if problems:
        raise ValidationFailed(problems)
    out["capability_levels"] = levels.reset_index(drop=True)
    out["capability_summary"] = summary(levels.reset_index(drop=True), imp.reset_index(drop=True), out["capabilities"])
    return out


def summary(levels: pd.DataFrame, importance: pd.DataFrame, caps: pd.DataFrame) -> pd.DataFrame:
    """Per capability: mean and spread of the self-assessed levels, number of 4s, strategic importance."""
    g = levels.groupby("capability_id")["level"]
    out = pd.DataFrame({"mean_level": g.mean(), "sd_level": g.std(ddof=1), "n_level4": g.apply(lambda x: int((x == 4).sum())),
                        "respondents_total": g.count()}).reset_index()
    out = caps[["capability_id", "capability_area", "capability_group", "capability"]].merge(out, on="capability_id", how="left")
    out = out.merge(importance, on="capability_id", how="left")
    for c, t in (("mean_level", "Float64"), ("sd_level", "Float64"), ("n_level4", "Int64"), ("respondents_total", "Int64"),
                 ("strategic_importance", "Float64")):
        out[c] = out[c].astype(t)
    return out


def ranked(summary: pd.DataFrame, extremes: pd.DataFrame, descending: bool = True) -> pd.DataFrame:
    """Capabilities by mean level; exact ties in the report's order (Figur 30), then in Bilaga 5's order."""
    report_order = {c: i for i, c in enumerate(extremes["capability_id"])}
    key = summary.assign(_mean=summary["mean_level"].astype(float).round(9),
                         _report=summary["capability_id"].map(report_order).fillna(len(report_order)),
                         _bilaga5=range(len(summary)))
    return (key.sort_values(["_mean", "_report", "_bilaga5"], ascending=[not descending, True, True])
            .drop(columns=["_mean", "_report", "_bilaga5"]).reset_index(drop=True))


def groups(capabilities: pd.DataFrame) -> pd.DataFrame:
    """Areas and groups with their number of capabilities, in report order."""
    return (capabilities.groupby(["capability_area_id", "capability_area", "capability_group"], sort=False)
            .size().rename("count").reset_index())


# assessor ids are checked against the IT organisations (costs.SPECS)
DOMAIN = Domain("capabilities", SPECS, clean, TABLES, reads=("it_organisations",))
