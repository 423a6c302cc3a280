"""Population: SCB 1950-2019 (public) and the report's Figur 6-7 (published).

The SCB file arrives as published by its source: UTF-8 with BOM, CRLF,
``;``-separated, wide (one column per year) and with names folded to ASCII
("Amal"). :func:`clean` resolves the names through the reviewed alias map,
keeps the region's municipalities and reshapes to long. The Figur 7 table is
rebuilt from data: the 2019 column is SCB's 31 December 2019 figure rounded
half-up to hundreds, change and change % are computed from the printed
populations, and every disagreement with the printed values is kept visible.
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import Problem, ValidationFailed
from ..core.formatting import number, percent, round_half_up, sv_sort_key
from ..raw.files import TableSpec
from ..raw.microdata import MICRO
from .declarations import MICRODATA, PUBLIC, PUBLISHED, Domain, Table

SPECS = {
    "figur07_population_forecast": TableSpec(
        "figur07_population_forecast",
        ("municipality", "population_2019", "population_2030", "change", "change_pct"),
        key=("municipality",),
    ),
    "figur07_population_forecast_total": TableSpec(
        "figur07_population_forecast_total",
        ("region", "population_2019", "population_2030", "change", "change_pct"),
        key=("region",),
    ),
    "scb_population_wide": TableSpec(
        "scb_population_wide",
        ("k_ID", "kommun"),
        key=("k_ID",),
        field_of={"k_ID": "source_k_id", "kommun": "municipality"},
        pattern=(r"ar_\d{4}", "population"),
        scope="national",
    ),
    # Public files brought in by `fyrbodal fetch scb` (optional: without them the shipped 1950-2019 file is used).
    "scb_population": TableSpec(
        "scb_population", ("municipality_code", "year", "population"), key=("municipality_code", "year"),
        description="Public (fetched): SCB population 31 December per municipality, PxWebApi."),
    "scb_age_population": TableSpec(
        "scb_age_population", ("area_code", "year", "age", "population"), key=("area_code", "year", "age"),
        description="Public (fetched): SCB population 31 December by single year of age for the county and the region's "
                    "municipalities, PxWebApi."),
    "scb_age_projection": TableSpec(
        "scb_age_projection", ("area_code", "year", "age", "population", "published"), key=("area_code", "year", "age"),
        description="Public (fetched): SCB's regional population projection (BE0401), projected population 31 December "
                    "by single year of age for the county, with the date SCB published it, PxWebApi."),
    "age_structure": TableSpec(
        "age_structure", ("region", "year", "age_group", "population", "is_forecast"), key=("region", "year", "age_group"),
        description=f"{MICRO}: population by age group, history and forecast (Figur 8).", microdata=True),
}

FIGUR07 = ("figur07_population_forecast", "figur07_population_forecast_total", "scb_population_wide")
#: The region total rows of Figur 7 have no municipality code.
NO_CODE = frozenset({"municipality_code"})
TABLES = (
    Table("age_structure", ("region", "year", "age_group"), ("age_structure",), MICRODATA | PUBLIC,
          optional=("scb_age_population", "scb_age_projection")),
    Table("population", ("municipality_code", "year"), ("scb_population_wide",), PUBLIC, optional=("scb_population",)),
    Table("population_forecast", ("municipality_code",), ("figur07_population_forecast", "scb_population_wide"),
          PUBLIC | PUBLISHED),
    Table("figur07", ("municipality_name",), FIGUR07, PUBLIC | PUBLISHED, nullable=NO_CODE),
    Table("forecast_followup", ("municipality_name", "year"), FIGUR07, PUBLIC | PUBLISHED,
          optional=("scb_population",), nullable=NO_CODE),
    # empty until `fyrbodal fetch scb` brings the age table
    Table("population_by_age", ("area_code", "year", "age_group"), (), PUBLIC, optional=("scb_age_population",),
          non_empty=False),
    # empty until `fyrbodal fetch scb-projection` brings SCB's projection
    Table("population_projection", ("area_code", "year", "age_group"), (), PUBLIC, optional=("scb_age_projection",),
          non_empty=False),
)

SCB_YEAR = 2019
#: SCB county codes the age table may hold, with the name Figur 8 uses.
COUNTIES = {"14": "Västra Götaland"}
ALL_AGES = 101  # 0, 1, ..., 99 and 100+ (SCB's single years of age)
AGE_GROUPS = ((0, 19, "0-19"), (20, 64, "20-64"), (65, 79, "65-79"), (80, 200, "80+"))


def clean(frames: dict[str, pd.DataFrame], registry) -> dict[str, pd.DataFrame]:
    population = clean_scb(frames["scb_population_wide"], registry)
    if "scb_population" in frames:
        population = extend_population(population, frames["scb_population"], registry)
    projection = population_projection(frames.get("scb_age_projection"), registry)
    out = {"population": population, "population_by_age": population_by_age(frames.get("scb_age_population"), registry),
           "population_projection": projection}
    if "figur07_population_forecast" in frames and "figur07_population_forecast_total" in frames:
        forecast = clean_forecast(frames["figur07_population_forecast"], population, registry)
        total = frames["figur07_population_forecast_total"]
        out |= {"population_forecast": forecast, "figur07": figur7_table(forecast, total, registry),
                "forecast_followup": forecast_followup(forecast, total, population, registry)}
    if "age_structure" in frames:
        out["age_structure"] = age_structure(frames["age_structure"], frames.get("scb_age_population"),
                                             projection, frames.get("scb_age_projection"))
    return out


def extend_population(shipped: pd.DataFrame, fetched: pd.DataFrame, registry) -> pd.DataFrame:
    """Add the fetched years after the shipped file's last year; years in both must agree exactly."""
    display = fetched.attrs.get("file", "scb_population")
    last = int(shipped["year"].max())
    old = shipped.set_index(["municipality_code", "year"])["population"]
    problems = []
    for line, r in fetched.iterrows():
        key = (r["municipality_code"], int(r["year"]))
        if key in old.index and int(old[key]) != int(r["population"]):
            problems.append(Problem(display, int(line), "population", f"{registry.name_of[key[0]]} {key[1]}: the fetched "
                                    f"value {int(r['population'])} differs from the shipped SCB file's {int(old[key])}",
                                    "the same 31 December population in both"))
    new = fetched[fetched["year"] > last]
    for year, g in new.groupby("year"):
        for c in sorted(set(registry.codes) - set(g["municipality_code"])):
            problems.append(Problem(display, None, "municipality_code", f"no value for {registry.name_of[c]} ({c}) in {year}",
                                    "every municipality of the region in every year"))
    if problems:
        raise ValidationFailed(problems)
    add = new.assign(municipality_name=new["municipality_code"].map(registry.name_of))
    out = pd.concat([shipped, add[shipped.columns]], ignore_index=True)
    out = out.astype({"municipality_code": "string", "municipality_name": "string", "year": "Int64", "population": "Int64"})
    return out.sort_values(["municipality_code", "year"], ignore_index=True)


def forecast_followup(forecast: pd.DataFrame, printed_total: pd.DataFrame, population: pd.DataFrame,
                      registry) -> pd.DataFrame:
    """Each year since 2019: SCB's actual population beside the printed 2030 forecast, and what change remains.

    Only observed years appear; no path between them and 2030 is assumed.
    """
    since = population[population["year"] >= SCB_YEAR]
    rows = since.merge(forecast[["municipality_code", "population_2030"]], on="municipality_code")
    rows["is_total"] = False
    tot = since.groupby("year", as_index=False)["population"].sum()
    complete = since.groupby("year")["municipality_code"].nunique() == len(registry.codes)
    tot = tot[tot["year"].map(complete)]
    tot = tot.assign(municipality_code=pd.NA, municipality_name=registry.region_name,
                     population_2030=int(printed_total["population_2030"].iloc[0]), is_total=True)
    out = pd.concat([rows, tot], ignore_index=True)
    out["remaining_change"] = out["population_2030"] - out["population"]
    out["remaining_change_pct"] = [round_half_up(c / p * 100, 1) for c, p in zip(out["remaining_change"], out["population"])]
    out = out.astype({"municipality_code": "string", "municipality_name": "string", "year": "Int64", "population": "Int64",
                      "population_2030": "Int64", "remaining_change": "Int64", "remaining_change_pct": "Float64",
                      "is_total": "boolean"})
    cols = ["municipality_code", "municipality_name", "year", "population", "population_2030", "remaining_change",
            "remaining_change_pct", "is_total"]
    return out[cols].sort_values(["is_total", "municipality_name", "year"], key=lambda s: s.map(sv_sort_key)
                                 if s.name == "municipality_name" else s, ignore_index=True)


def age_structure(demo: pd.DataFrame, fetched: pd.DataFrame | None, projection: pd.DataFrame | None = None,
                  projection_raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figur 8's age groups, year by year from one source each; the column ``tier`` says which.

    Observed years: SCB's population by age where fetched (public), else the demo set. Forecast years (after
    the last observed year, within the figure's span, i.e. the demo set's years): SCB's population projection
    where fetched (public), else the demo set. Once SCB's projection is there the synthetic forecast is dropped
    altogether, so no synthetic value is drawn between real ones; a year neither SCB table covers is left out.
    """
    demo = demo.reset_index(drop=True).assign(tier=demo.attrs.get("tier", "demo"))
    out = demo
    if fetched is not None:
        county = fetched[fetched["area_code"].isin(list(COUNTIES))]
        if county.empty:
            raise ValidationFailed([Problem(fetched.attrs.get("file", "scb_age_population"), None, "area_code",
                                            "no rows for a county", "rows for one of " + ", ".join(COUNTIES))])
        f = county.assign(region=county["area_code"].map(COUNTIES), age_group=_age_group(county["age"]))
        public = (f.groupby(["region", "year", "age_group"], observed=True, as_index=False)["population"].sum()
                  .assign(is_forecast=False, tier=fetched.attrs.get("tier", "public")))
        public["age_group"] = public["age_group"].astype(str)
        last = int(public["year"].max())
        rest = demo[(demo["year"] > last) & demo["region"].isin(public["region"])]
        out = pd.concat([public, rest[public.columns]], ignore_index=True)
    if projection is not None and not projection.empty:
        tier = projection_raw.attrs.get("tier", "public") if projection_raw is not None else "public"
        p = projection[projection["area_code"].isin(list(COUNTIES))]
        p = p.assign(region=p["area_code"].map(COUNTIES), is_forecast=True, tier=tier)
        observed = ~out["is_forecast"].astype(bool)
        p = p[(p["year"] > out.loc[observed, "year"].max()) & p["year"].isin(out["year"]) & p["region"].isin(out["region"])]
        if not p.empty:  # SCB's projection is not mixed with the synthetic one: years it lacks are left out, not filled
            out = pd.concat([out[observed], p[out.columns]], ignore_index=True)
    return _age_types(out)


def population_projection(fetched: pd.DataFrame | None, registry) -> pd.DataFrame:
    """SCB's population projection in Figur 8's age groups per area, with its publication date; empty until fetched."""
    cols = {"area_code": "string", "area_name": "string", "year": "Int64", "age_group": "string", "population": "Int64",
            "published": "string"}
    if fetched is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    names = {**COUNTIES, **registry.name_of}
    display = fetched.attrs.get("file", "scb_age_projection")
    problems = [Problem(display, None, "area_code", f"area code {c!r} is neither the county nor a municipality of "
                        f"{registry.region_name}", "one of " + ", ".join(names)) for c in sorted(set(fetched["area_code"]) - set(names))]
    dates = sorted(set(fetched["published"].astype(str)))
    if len(dates) != 1:
        problems.append(Problem(display, None, "published", f"{len(dates)} publication dates ({', '.join(dates)})",
                                "one projection per file: a single date"))
    ages = fetched.groupby(["area_code", "year"])["age"].nunique()
    short = ages[ages != ALL_AGES]
    problems += [Problem(display, None, "age", f"{names.get(a, a)} {y}: {n} of the {ALL_AGES} ages 0–100",
                         "every single year of age in every projected year (age groups are sums of them)")
                 for (a, y), n in short.head(5).items()]
    if problems:
        raise ValidationFailed(problems)
    f = fetched.assign(age_group=_age_group(fetched["age"]))
    out = f.groupby(["area_code", "year", "age_group"], observed=True, as_index=False)["population"].sum()
    out["area_name"] = out["area_code"].map(names)
    out["age_group"] = out["age_group"].astype(str)
    out["published"] = dates[0]
    return out[list(cols)].astype(cols).sort_values(["area_code", "year", "age_group"], ignore_index=True)


def _age_group(age: pd.Series) -> pd.Series:
    return pd.cut(age.astype(int), [-1, 19, 64, 79, 200], labels=[g for *_, g in AGE_GROUPS])


def population_by_age(fetched: pd.DataFrame | None, registry) -> pd.DataFrame:
    """The fetched age table in Figur 8's age groups, per area (county and municipalities); empty until fetched."""
    cols = {"area_code": "string", "area_name": "string", "year": "Int64", "age_group": "string", "population": "Int64"}
    if fetched is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    names = {**COUNTIES, **registry.name_of}
    display = fetched.attrs.get("file", "scb_age_population")
    unknown = sorted(set(fetched["area_code"]) - set(names))
    if unknown:
        raise ValidationFailed([Problem(display, None, "area_code", f"area code {c!r} is neither the county nor a "
                                        f"municipality of {registry.region_name}", "one of " + ", ".join(names))
                                for c in unknown])
    f = fetched.assign(age_group=_age_group(fetched["age"]))
    out = f.groupby(["area_code", "year", "age_group"], observed=True, as_index=False)["population"].sum()
    out["area_name"] = out["area_code"].map(names)
    out["age_group"] = out["age_group"].astype(str)
    return out[list(cols)].astype(cols).sort_values(["area_code", "year", "age_group"], ignore_index=True)


def _age_types(df: pd.DataFrame) -> pd.DataFrame:
    df = df[["region", "year", "age_group", "population", "is_forecast", "tier"]]
    df = df.astype({"region": "string", "year": "Int64", "age_group": "string", "population": "Int64",
                    "is_forecast": "boolean", "tier": "string"})
    return df.sort_values(["region", "age_group", "year"], ignore_index=True)


def clean_scb(wide: pd.DataFrame, registry) -> pd.DataFrame:
    """Wide SCB file -> long table of the region's municipalities."""
    display = wide.attrs.get("file", "scb_population_wide")
    codes = pd.Series([registry.resolve_name(n, "odectra", k) for n, k in zip(wide["kommun"], wide["k_ID"])],
                      index=wide.index, dtype="object")
    unresolved = codes.isna()
    if unresolved.any():
        raise ValidationFailed([Problem(display, int(i), "kommun", f"ambiguous municipality name {wide.at[i, 'kommun']!r} "
                                        f"with unknown k_ID {wide.at[i, 'k_ID']!r}",
                                        "an id listed under 'ambiguous' in params/municipality_aliases.yml")
                                for i in wide.index[unresolved]])
    dup = codes[codes.duplicated(keep=False)]
    if len(dup):
        raise ValidationFailed([Problem(display, int(i), "kommun", f"{wide.at[i, 'kommun']!r} resolves to {c}, like another row",
                                        "one row per municipality") for i, c in dup.items()])
    region = wide.assign(municipality_code=codes)[codes.map(registry.in_region)]
    missing = sorted(set(registry.codes) - set(region["municipality_code"]))
    if missing:
        raise ValidationFailed([Problem(display, None, "kommun", f"no row for {registry.name_of[c]} ({c})",
                                        "a row for every municipality of the region") for c in missing])
    years = [c for c in wide.columns if c.startswith("ar_")]
    long = region.melt(id_vars=["municipality_code"], value_vars=years, var_name="year", value_name="population")
    long["year"] = long["year"].str.removeprefix("ar_").astype("Int64")
    long["municipality_name"] = long["municipality_code"].map(registry.name_of)
    long["municipality_code"] = long["municipality_code"].astype("string")
    long["municipality_name"] = long["municipality_name"].astype("string")
    long["population"] = long["population"].astype("Int64")
    return long[["municipality_code", "municipality_name", "year", "population"]].sort_values(
        ["municipality_code", "year"], ignore_index=True)


def clean_forecast(printed: pd.DataFrame, population: pd.DataFrame, registry) -> pd.DataFrame:
    """Figur 7 per municipality: printed values, SCB 2019 and computed change side by side."""
    df = printed.reset_index(drop=True).copy()
    df.insert(0, "municipality_code", df.pop("municipality").map(registry.resolve_name).astype("string"))
    df.insert(1, "municipality_name", df["municipality_code"].map(registry.name_of).astype("string"))
    scb = population.loc[population["year"] == SCB_YEAR].set_index("municipality_code")["population"]
    df["population_2019_scb"] = df["municipality_code"].map(scb).astype("Int64")
    df = _computed(df)
    return df.sort_values("municipality_name", key=lambda s: s.map(sv_sort_key), ignore_index=True)


def _computed(df: pd.DataFrame) -> pd.DataFrame:
    df["population_2019_scb_rounded"] = df["population_2019_scb"].map(lambda x: int(round_half_up(x, -2))).astype("Int64")
    df["change_computed"] = (df["population_2030"] - df["population_2019"]).astype("Int64")
    df["change_pct_computed"] = [round_half_up(c / p * 100, 1) for c, p in zip(df["change_computed"], df["population_2019"])]
    df["change_pct_computed"] = df["change_pct_computed"].astype("Float64")
    notes = [_discrepancy(r) for r in df.to_dict("records")]
    df["discrepancy"] = pd.Series([n or pd.NA for n in notes], dtype="string", index=df.index)
    df["matches_report"] = pd.Series([not n for n in notes], dtype="boolean", index=df.index)
    return df


def _discrepancy(r: dict) -> str:
    parts = []
    if r["population_2019_scb_rounded"] != r["population_2019"]:
        parts.append(f"2019: rapporten {number(r['population_2019'])}, SCB avrundat {number(r['population_2019_scb_rounded'])}")
    if r["change_computed"] != r["change"]:
        parts.append(f"förändring: rapporten {number(r['change'])}, beräknat {number(r['change_computed'])}")
    if abs(r["change_pct_computed"] - r["change_pct"]) > 1e-9:
        parts.append(f"förändring %: rapporten {percent(r['change_pct'])}, beräknat {percent(r['change_pct_computed'])}")
    return "; ".join(parts)


def figur7_table(forecast: pd.DataFrame, printed_total: pd.DataFrame, registry) -> pd.DataFrame:
    """The Figur 7 table with the region total recomputed from the 14 rows."""
    rows = forecast.copy()
    rows["is_total"] = False
    pt = printed_total.reset_index(drop=True).iloc[0]
    total = {
        "municipality_code": pd.NA,
        "municipality_name": registry.region_name,
        "population_2019": pt["population_2019"],
        "population_2030": pt["population_2030"],
        "change": pt["change"],
        "change_pct": pt["change_pct"],
        "population_2019_scb": int(forecast["population_2019_scb"].sum()),
        "is_total": True,
    }
    total_df = pd.DataFrame([total])
    # The total row compares the printed total with the sum of the printed rows.
    sums = {c: int(forecast[c].sum()) for c in ("population_2019", "population_2030")}
    total_df = _computed(total_df.astype({"population_2019_scb": "Int64"}))
    notes = []
    for c, s in sums.items():
        if s != total[c]:
            notes.append(f"{c[-4:]}: rapportens summa {number(total[c])}, summan av raderna {number(s)}")
    if notes:
        total_df["discrepancy"] = "; ".join(filter(None, [*notes, total_df["discrepancy"].iloc[0] or ""]))
        total_df["matches_report"] = False
    out = pd.concat([rows, total_df], ignore_index=True)
    out["is_total"] = out["is_total"].astype("boolean")
    for c in ("population_2019", "population_2030", "change", "population_2019_scb", "population_2019_scb_rounded",
              "change_computed"):
        out[c] = out[c].astype("Int64")
    for c in ("change_pct", "change_pct_computed"):
        out[c] = out[c].astype("Float64")
    for c in ("municipality_code", "municipality_name", "discrepancy"):
        out[c] = out[c].astype("string")
    out["matches_report"] = out["matches_report"].astype("boolean")
    return out


#: A region may lack the report's Figur 7 and the age structure (its region file does not declare them).
DOMAIN = Domain("demography", SPECS, clean, TABLES,
                partial=frozenset({"figur07_population_forecast", "figur07_population_forecast_total", "age_structure"}))
