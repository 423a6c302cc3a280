"""The field dictionary: every column of every table, defined once.

Each field has a dtype (how a raw cell is parsed), a unit, the Swedish label a
reader sees, an English description, and the value rules that the pandera
schemas enforce. Raw and processed tables name their columns from here, so a
quantity has one name everywhere (``population_2019``, ``change_pct``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: How raw cells are parsed.  ``municipality`` is a name resolved through the
#: registry and alias map; ``code`` is a 4-character SCB code; ``likert6`` is an
#: answer 1–6 or "vet ej".
DTYPES = ("text", "category", "int", "float", "pct", "code", "municipality", "bool", "likert6")


@dataclass(frozen=True)
class Field:
    name: str
    dtype: str
    unit: str | None
    label_sv: str
    description: str
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    nullable: bool = False

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"field {self.name}: unknown dtype {self.dtype}")

    @property
    def is_numeric(self) -> bool:
        return self.dtype in ("int", "float", "pct")

    def expected(self) -> str:
        """Human description of a valid value, used in error messages."""
        if self.dtype == "int":
            text = "a whole number"
        elif self.dtype in ("float", "pct"):
            text = "a number" + (" (percent)" if self.dtype == "pct" else "")
        elif self.dtype == "code":
            text = "a 4-digit municipality code such as \"1460\""
        elif self.dtype == "municipality":
            text = "a municipality name of the region"
        elif self.dtype == "bool":
            text = "true or false"
        elif self.dtype == "likert6":
            text = "an answer 1–6 or \"vet ej\""
        elif self.allowed:
            text = "one of " + ", ".join(repr(a) for a in self.allowed)
        else:
            text = "a text"
        if self.min is not None and self.max is not None:
            text += f" from {_num(self.min)} to {_num(self.max)}"
        elif self.min is not None:
            text += f" of at least {_num(self.min)}"
        elif self.max is not None:
            text += f" of at most {_num(self.max)}"
        return text


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _f(name, dtype, unit, label_sv, description, **kw) -> Field:
    return Field(name, dtype, unit, label_sv, description, **kw)


_FIELDS: list[Field] = [
    # --- registry and geography
    _f("municipality_code", "code", None, "Kommunkod", "SCB municipality code, 4 characters, e.g. \"1460\"."),
    _f("municipality", "municipality", None, "Kommun", "Municipality name as written in the source; resolved to a code via the registry and alias map."),
    _f("municipality_name", "text", None, "Kommun", "Official municipality name (with å, ä, ö)."),
    _f("source_k_id", "text", None, "Källans id", "Identifier used by the source file (not an SCB code)."),
    _f("slug", "text", None, "Kortnamn", "ASCII name used for file names and edition names."),
    _f("region_code", "text", None, "Regionkod", "Code of the region the municipality belongs to in this registry."),
    _f("region", "text", None, "Region", "Region name, as the region file gives it."),
    _f("area_code", "text", None, "Områdeskod", "SCB region code of the area a value is for: \"14\" (a county) or a 4-digit municipality code."),
    _f("area_name", "text", None, "Område", "Name of the area an area_code stands for (county or municipality)."),
    _f("tier", "category", None, "Typ av underlag", "Data tier of the row: public (real public statistics) or demo (synthetic); "
       "set per row where one table mixes series from different sources.", allowed=("published", "public", "demo", "private")),
    _f("is_total", "bool", None, "Summa för regionen", "True on the row that sums the region."),
    # --- population (Figur 6-7, SCB)
    _f("year", "int", "år", "År", "Calendar year.", min=1900, max=2100),
    _f("population", "int", "personer", "Folkmängd", "Population on 31 December (SCB).", min=0),
    _f("population_2019", "int", "personer", "Befolkning 2019", "Population 2019 as printed in the report (rounded to hundreds).", min=0),
    _f("population_2030", "int", "personer", "Befolkning 2030 (prognos)", "Population forecast for 2030 as printed in the report.", min=0),
    _f("change", "int", "personer", "Förändring", "Change 2019-2030 in persons as printed in the report."),
    _f("change_pct", "pct", "%", "Förändring %", "Change 2019-2030 in percent as printed in the report.", min=-100),
    _f("population_2019_scb", "int", "personer", "Folkmängd 31 dec 2019 (SCB)", "SCB population on 31 December 2019.", min=0),
    _f("population_2019_scb_rounded", "int", "personer", "SCB 2019 avrundat till hundratal", "SCB 2019 population rounded half-up to hundreds, as the report does.", min=0),
    _f("change_computed", "int", "personer", "Förändring (beräknad)", "population_2030 minus population_2019, computed.", nullable=True),
    _f("change_pct_computed", "pct", "%", "Förändring % (beräknad)", "change_computed / population_2019 x 100, rounded to one decimal.", min=-100, nullable=True),
    _f("matches_report", "bool", None, "Stämmer med rapporten", "True when every computed value equals the value printed in the report."),
    _f("remaining_change", "int", "personer", "Kvar till prognosen 2030", "population_2030 (printed forecast) minus the actual population that year (SCB, exact).", nullable=True),
    _f("remaining_change_pct", "pct", "%", "Kvar till prognosen 2030 (%)", "remaining_change / the actual population that year x 100, rounded to one decimal.",
       min=-100, nullable=True),
    _f("discrepancy", "text", None, "Avvikelse", "What differs between the computed and printed values; empty when they agree.", nullable=True),
    # --- Dimios (Figur 9-11, Bilaga 3)
    _f("dimios_area_id", "int", None, "Område nr", "Dimios area number 1-6 (Figur 9).", min=1, max=6),
    _f("dimios_area", "category", None, "Område", "Dimios area name.",
       allowed=("Effektivitet", "Innovation", "Balansering", "Teknik", "Användare", "Organisation")),
    _f("min_value", "float", "skala 1–6", "Lägsta värde", "Lowest self-assessed value among the municipalities.", min=1, max=6),
    _f("max_value", "float", "skala 1–6", "Högsta värde", "Highest self-assessed value among the municipalities.", min=1, max=6),
    _f("mean_value", "float", "skala 1–6", "Medelvärde", "Mean self-assessed value.", min=1, max=6, nullable=True),
    _f("sd_value", "float", "skala 1–6", "Standardavvikelse", "Standard deviation of the answers.", min=0, nullable=True),
    _f("statement_id", "int", None, "Påstående nr", "Dimios statement: 1-15 digital capability (Bilaga 3), 16-30 digital legacy (text not published).", min=1, max=30),
    _f("statement", "text", None, "Påstående", "Statement text as printed in Bilaga 3."),
    _f("respondent_id", "text", None, "Respondent", "Pseudonymous respondent identifier."),
    _f("role", "text", None, "Roll", "Respondent's role, e.g. förvaltningschef or IT-chef."),
    _f("answer", "likert6", "skala 1–6", "Svar", "Answer 1 (instämmer inte alls) to 6 (instämmer helt), or \"vet ej\"."),
    _f("answer_value", "int", "skala 1–6", "Svar (1–6)", "Answer as a number; empty for \"vet ej\".", min=1, max=6, nullable=True),
    _f("score", "float", "skala 1–6", "Värde", "Mean of the answers (1-6), excluding \"vet ej\".", min=1, max=6),
    _f("formaga_score", "float", "skala 1–6", "Digital förmåga", "Mean of the digital-capability areas (Effektivitet, Innovation, Balansering).", min=1, max=6),
    _f("arv_score", "float", "skala 1–6", "Digitalt arv", "Mean of the digital-legacy areas (Teknik, Användare, Organisation).", min=1, max=6),
    _f("dimios_type", "category", None, "Typ", "Quadrant of the Dimios maturity model (A-D).", allowed=("A", "B", "C", "D")),
    _f("n_answers", "int", "antal", "Antal svar", "Number of answers the value is based on.", min=0),
    _f("survey_year", "int", "år", "Mätår", "Year the survey was answered.", min=2015, max=2100),
    _f("submitted_at", "text", None, "Inskickad", "When the answer was submitted, ISO 8601 (YYYY-MM-DDTHH:MM)."),
    _f("choice", "text", None, "Svar", "Answer to a question with named answer categories (allowed values depend on the question)."),
    _f("it_org_id", "text", None, "IT-organisation (id)", "Identifier of an IT organisation (one municipality's IT or a shared one such as SML IT)."),
    _f("it_org_name", "text", None, "IT-organisation", "Name of the IT organisation."),
    _f("central_it_fte", "float", "årsarbetare", "Central IT, heltidstjänster", "Full-time equivalents in central IT.", min=0),
    _f("in_cost_pool_analysis", "bool", None, "Med i kostnadsanalysen", "True when the organisation delivered a general ledger for the TBM cost-pool analysis."),
    _f("assessor_id", "text", None, "Bedömare", "Who made a capability self-assessment: a municipality code or an IT organisation id."),
    _f("strategic_importance", "float", "skala 1–5", "Strategisk betydelse", "Assessed strategic importance of a capability (group exercise), 1 (low) to 5 (high).", min=1, max=5),
    # --- information security (Figur 12-13, Bilaga 4)
    _f("question_id", "text", None, "Fråga (id)", "Short identifier of a survey question."),
    _f("question", "text", None, "Fråga", "Question text as printed."),
    _f("yes_n", "int", "antal", "Svarar ja", "Number of respondents answering yes.", min=0),
    _f("dont_know_n", "int", "antal", "Svarar vet ej", "Number of respondents answering don't know.", min=0),
    _f("respondents_n", "int", "antal", "Antal svarande", "Number of respondents to the question.", min=1),
    _f("degree", "category", None, "Grad av införande", "Degree of implementation (Bilaga 4).",
       allowed=("Kan inte bedöma", "Har just påbörjats", "Har delvis genomförts", "Är fullt infört")),
    _f("count", "int", "antal", "Antal", "Number of respondents.", min=0),
    _f("has_ciso", "bool", None, "Har CISO", "True when the organisation has a CISO or equivalent."),
    _f("ciso_time_pct", "pct", "%", "CISO:s andel av arbetstiden", "Share of ordinary working time the CISO spends on the role.", nullable=True),
    # --- text tables (Figur 5, 1.5)
    _f("vagval_id", "text", None, "Vägval (id)", "Short identifier of a vägval (Figur 5)."),
    _f("vagval", "text", None, "Förändringsalternativ", "Vägval as named in Figur 5."),
    _f("kind", "category", None, "Styrka/svaghet", "Whether the item is a strength or a weakness.", allowed=("styrka", "svaghet")),
    _f("item_order", "int", None, "Ordning", "Order of the item within its group.", min=1),
    _f("text", "text", None, "Text", "Text as printed in the report."),
    _f("deliverable_order", "int", None, "Nr", "Order of the deliverable in the table of section 1.5.", min=1),
    _f("deliverable", "text", None, "Leverabel", "Deliverable name."),
    _f("description", "text", None, "Beskrivning", "Description as printed in the report."),
    _f("found_in", "text", None, "Återfinns", "Where in the report the deliverable is found."),
    # --- capabilities (Figur 25-30, Bilaga 5)
    _f("capability_id", "text", None, "Förmåga (id)", "Capability identifier F01-F55 in the order of Bilaga 5."),
    _f("capability_area_id", "category", None, "Område (id)", "Capability area.", allowed=("ledning", "karn", "stod")),
    _f("capability_area", "category", None, "Förmågeområde", "Capability area name.", allowed=("Ledningsförmågor", "Kärnförmågor", "Stödförmågor")),
    _f("capability_group", "text", None, "Förmågegrupp", "One of the 13 capability groups (e.g. Leda, Förvalta)."),
    _f("capability", "text", None, "Förmåga", "Capability name as printed in Bilaga 5."),
    _f("level", "int", "nivå 0–4", "Nivå", "Maturity level 0-4 (Figur 27).", min=0, max=4),
    _f("level_name", "text", None, "Nivånamn", "Name of the maturity level."),
    _f("extreme", "category", None, "Högst/lägst", "Whether the row is among the highest or lowest mean maturity.", allowed=("högst", "lägst")),
    _f("rank", "int", None, "Rang", "Rank within its list.", min=1),
    _f("sd_level", "float", "nivå", "Standardavvikelse", "Standard deviation of the self-assessed levels.", min=0, nullable=True),
    _f("n_level4", "int", "antal", "Antal 4:or", "How many assessors gave level 4 (branschledande).", min=0),
    _f("mean_level", "float", "nivå 0–4", "Genomsnittlig mognad", "Mean self-assessed maturity level.", min=0, max=4),
    # --- participation (Figur 33)
    _f("omvarldsanalys_n", "int", "tillfällen", "Omvärldsanalys", "Meetings attended in the environment analysis.", min=0),
    _f("omvarldsanalys_of", "int", "tillfällen", "Omvärldsanalys av", "Number of meetings in the environment analysis.", min=1),
    _f("enkater_n", "int", "enkäter", "Enkäter", "Surveys answered in the current-state analysis.", min=0),
    _f("enkater_of", "int", "enkäter", "Enkäter av", "Number of surveys.", min=1),
    _f("kostnadsunderlag_n", "int", "underlag", "Kostnadsunderlag", "Cost documents delivered.", min=0),
    _f("kostnadsunderlag_of", "int", "underlag", "Kostnadsunderlag av", "Number of cost documents asked for.", min=1),
    _f("formagekartlaggning_n", "int", "workshoppar", "Förmågekartläggning", "Capability workshops attended.", min=0),
    _f("formagekartlaggning_of", "int", "workshoppar", "Förmågekartläggning av", "Number of capability workshops.", min=1),
    # --- costs (Figur 15-19, 31)
    _f("work_area_id", "text", None, "Arbetsområde (id)", "IT work area identifier (Figur 18)."),
    _f("work_area", "text", None, "Arbetsområde", "IT work area name."),
    _f("focus", "category", None, "Fokus", "Whether the work area mainly keeps operations running or develops.", allowed=("drift", "utveckling")),
    _f("cost_pool_id", "text", None, "Kostnadsområde (id)", "TBM cost pool identifier."),
    _f("cost_pool_en", "text", None, "Cost pool (TBM)", "TBM cost pool name in English."),
    _f("cost_pool", "text", None, "Kostnadsområde", "TBM cost pool name in Swedish."),
    # --- broadband (Figur 14)
    _f("area_type", "category", None, "Områdestyp", "Where the access is measured: all, tätort, småort or outside.",
       allowed=("totalt", "tatort", "smaort", "utanfor")),
    _f("households_pct", "pct", "%", "Hushåll med ≥ 100 Mbit/s", "Share of households with access to at least 100 Mbit/s."),
    _f("workplaces_pct", "pct", "%", "Arbetsställen med ≥ 100 Mbit/s", "Share of workplaces with access to at least 100 Mbit/s."),
    # --- IT cost microdata (Figur 15-19)
    _f("period", "text", None, "Period", "Accounting month, YYYY-MM."),
    _f("account", "text", None, "Konto", "Account number in the organisation's chart of accounts."),
    _f("account_name", "text", None, "Kontonamn", "Name of the account."),
    _f("supplier_id", "text", None, "Leverantör", "Pseudonymous supplier identifier.", nullable=True),
    _f("cost_centre", "text", None, "Ansvar/kostnadsställe", "Cost centre of the ledger row."),
    _f("amount_sek", "float", "kr", "Belopp (kr)", "Amount in SEK (costs positive, corrections negative)."),
    _f("central_it_cost_sek", "float", "kr", "Central IT-kostnad (kr)", "Total cost of central IT for the year.", min=0),
    _f("total_operating_cost_sek", "float", "kr", "Kommunens totala kostnad (kr)", "The municipality's total operating cost (result and depreciation) for the year.", min=0),
    _f("cost_sek", "float", "kr", "Kostnad (kr)", "Cost in SEK.", min=0),
    _f("share_pct", "pct", "%", "Andel", "Share in percent."),
    _f("it_cost_share_pct", "pct", "%", "Central IT av total kostnad", "Central IT cost as a share of the municipality's total cost."),
    _f("respondents_total", "int", "antal", "Antal svar", "Number of answers the share is computed on.", min=0),
    # --- age structure (Figur 8)
    _f("age", "int", "år", "Ålder", "Age in whole years; 100 means 100 years or older (SCB's \"100+\").", min=0, max=100),
    _f("age_group", "category", None, "Åldersgrupp", "Age group.", allowed=("0-19", "20-64", "65-79", "80+")),
    _f("is_forecast", "bool", None, "Prognos", "True for forecast years."),
    _f("published", "text", None, "Publicerad", "Date the source published the values (YYYY-MM-DD; for SCB's population "
       "projection the 'updated' date of its answer), which names the projection's year."),
    # --- pilots (6.2-6.6)
    _f("pilot_id", "int", None, "Pilotprojekt", "Pilot project number 1-5.", min=1, max=5),
    _f("section", "text", None, "Avsnitt", "Section of the report."),
    _f("scenario", "int", None, "Scenario", "Scenario number 1-5.", min=1, max=5),
    _f("scenario_name", "text", None, "Scenarionamn", "Scenario name."),
    _f("capability_area_name", "text", None, "Förmågeområde", "Capability area a pilot covers, when it covers a whole area.", nullable=True),
    _f("milestone_order", "int", None, "Nr", "Order of the milestone.", min=1),
    _f("milestone", "text", None, "Milstolpe", "Milestone as printed."),
    _f("start_day", "int", "dag", "Påbörjas (dag)", "Start day counted from day 0 of the pilot.", min=0),
    _f("end_day", "int", "dag", "Avslutas (dag)", "End day; empty for a point in time.", min=0, nullable=True),
    _f("line_order", "int", None, "Rad", "Order of the budget line.", min=1),
    _f("cost_type", "category", None, "Kostnadsslag", "Own staff hours or external (bought) services.", allowed=("egen_personal", "extern")),
    _f("phase", "text", None, "Fas", "Budget phase as printed."),
    _f("budget_year", "int", None, "År", "Budget year 1-3 where the text gives it; empty otherwise.", min=1, max=3, nullable=True),
    _f("workshops_n", "int", "workshoppar", "Antal workshoppar", "Number of workshops on the line.", min=0, nullable=True),
    _f("workshop_hours", "float", "timmar", "Timmar per workshop", "Length of each workshop.", min=0, nullable=True),
    _f("hours_min", "float", "timmar", "Timmar (min)", "Hours, lower end of the range.", min=0, nullable=True),
    _f("hours_max", "float", "timmar", "Timmar (max)", "Hours, upper end of the range.", min=0, nullable=True),
    _f("cost_tkr_min", "float", "tkr", "Kostnad tkr (min)", "External cost in thousand SEK, lower end.", min=0, nullable=True),
    _f("cost_tkr_max", "float", "tkr", "Kostnad tkr (max)", "External cost in thousand SEK, upper end.", min=0, nullable=True),
    _f("per_municipality", "bool", None, "Per kommun", "True when the printed amount is per participating municipality."),
    _f("as_printed", "text", None, "Som i rapporten", "The cell as printed in the report."),
    _f("external_tkr_min", "float", "tkr", "Extern kostnad tkr (min)", "External cost total, lower end.", min=0),
    _f("external_tkr_max", "float", "tkr", "Extern kostnad tkr (max)", "External cost total, upper end.", min=0),
    _f("external_precision_tkr", "float", "tkr", "Angiven precision tkr", "Unit of the last digit the report prints for the external total.", min=0),
    _f("stated_hours_min", "float", "timmar", "Timmar enligt rapporten (min)", "Total hours as stated in the text, lower end.", min=0),
    _f("stated_hours_max", "float", "timmar", "Timmar enligt rapporten (max)", "Total hours as stated in the text, upper end.", min=0),
    _f("stated_external_tkr_min", "float", "tkr", "Extern kostnad enligt rapporten (min)", "External cost total as stated, lower end.", min=0),
    _f("stated_external_tkr_max", "float", "tkr", "Extern kostnad enligt rapporten (max)", "External cost total as stated, upper end.", min=0),
    _f("hours_match", "bool", None, "Timmar stämmer", "True when the recomputed hours equal the stated hours."),
    _f("external_match", "bool", None, "Extern kostnad stämmer", "True when the recomputed external cost is within the stated precision."),
    _f("line_hours_min", "float", "timmar", "Timmar på raden (min)", "Hours of one budget line, lower end.", min=0, nullable=True),
    _f("line_hours_max", "float", "timmar", "Timmar på raden (max)", "Hours of one budget line, upper end.", min=0, nullable=True),
    _f("quote", "text", None, "Citat", "The sentence of the report the value comes from."),
    # --- published facts
    _f("fact_id", "text", None, "Uppgift (id)", "Identifier of a published fact."),
    _f("domain", "category", None, "Område", "Module the fact belongs to.",
       allowed=("demography", "dimios", "infosec", "broadband", "costs", "surveys", "capabilities", "pilots")),
    _f("figure", "text", None, "Figur", "Figure or table of the report.", nullable=True),
    _f("relation", "category", None, "Relation", "How the printed value relates to the true one: =, ≈ (about), > (more than), < (less than).",
       allowed=("=", "≈", ">", "<")),
    _f("value", "float", None, "Värde", "Value as printed."),
    _f("unit", "category", None, "Enhet", "Unit of the value.", allowed=("count", "pct", "sek", "tkr", "fte", "year", "mbit_s")),
    _f("denominator", "int", "antal", "Av totalt", "Denominator where the text says 'x of y'.", min=1, nullable=True),
    _f("note", "text", None, "Anmärkning", "Editor's note, e.g. on contradictory prose.", nullable=True),
]

FIELDS: dict[str, Field] = {f.name: f for f in _FIELDS}


def field(name: str) -> Field:
    """Look up one field; raises KeyError with the known names on a typo."""
    try:
        return FIELDS[name]
    except KeyError:
        raise KeyError(f"no field {name!r} in the field dictionary") from None


def label(name: str) -> str:
    """Swedish display label of a column (the name itself when it is not a field)."""
    f = FIELDS.get(name)
    return f.label_sv if f else name


def labels(columns) -> dict[str, str]:
    """Swedish labels for many columns, e.g. ``df.rename(columns=labels(df.columns))``."""
    return {c: label(c) for c in columns}


def dictionary():
    """The whole field dictionary as a table (pandas DataFrame)."""
    import pandas as pd
    return pd.DataFrame(
        [
            {
                "name": f.name,
                "dtype": f.dtype,
                "unit": f.unit,
                "label_sv": f.label_sv,
                "description": f.description,
                "min": f.min,
                "max": f.max,
                "allowed": ", ".join(f.allowed) if f.allowed else None,
                "nullable": f.nullable,
            }
            for f in _FIELDS
        ]
    )
