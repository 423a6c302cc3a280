"""Write the initial data/raw/sources.yml (run once when the raw files were first transcribed).

Kept for the record of where every file came from; later changes go through
`fyrbodal register`, which preserves these entries.
"""

from fyrbodal_analysis.core.paths import Project
from fyrbodal_analysis.raw.files import FileFormat
from fyrbodal_analysis.raw.sources import Source, load_sources, save_sources, sha256

REPORT = {
    "document": "Digital motor Fyrbodal – förstudie (Fyrbodals kommunalförbund, publicerad 2021-02-26, 110 s.)",
    "transcribed_from": "shared/seed/000_f3c929965cd643d5.txt (text of the report)",
}
SV = FileFormat(encoding="utf-8", sep=";", decimal=",", thousands=" ")
PLAIN = FileFormat()
PUBLISHED = {
    "report/figur05_vagval.csv": ("figur05_vagval", "Figur 5", "3.1.1", PLAIN,
                                  "Column split into styrkor/svagheter inferred from the content; the text extraction loses the table columns."),
    "report/figur07_population_forecast.csv": ("figur07_population_forecast", "Figur 7", "3.3.1", SV, "Transcribed as printed (Swedish number format)."),
    "report/figur07_population_forecast_total.csv": ("figur07_population_forecast_total", "Figur 7", "3.3.1", SV, "The Fyrbodal row of Figur 7, as printed."),
    "report/figur09_dimios_areas.csv": ("figur09_dimios_areas", "Figur 9", "3.3.2", SV, "As printed (decimal comma)."),
    "report/bilaga3_dimios_statements.csv": ("bilaga3_dimios_statements", "Bilaga 3", "8.3, 3.3.2", PLAIN,
                                             "Statements from Bilaga 3; means and SDs for 5, 8, 11, 13 from section 3.3.2."),
    "report/bilaga4_infosec_questions.csv": ("bilaga4_infosec_questions", "Bilaga 4", "8.4", PLAIN, ""),
    "report/bilaga4_infosec_degree.csv": ("bilaga4_infosec_degree", "Bilaga 4", "8.4", PLAIN, ""),
    "report/bilaga5_capabilities.csv": ("bilaga5_capabilities", "Figur 25, Bilaga 5", "8.5.1–8.5.3", PLAIN,
                                        "Ids F01–F55 assigned in the order of Bilaga 5."),
    "report/figur26_strategic_top3.csv": ("figur26_strategic_top3", "Figur 26", "3.4.3", PLAIN, ""),
    "report/figur27_maturity_levels.csv": ("figur27_maturity_levels", "Figur 27 / Figur 32", "3.4.3, 8.2.3", PLAIN, ""),
    "report/figur30_maturity_extremes.csv": ("figur30_maturity_extremes", "Figur 30", "3.4.3", SV, "As printed (decimal comma)."),
    "report/figur33_participation.csv": ("figur33_participation", "Figur 33", "8.2.4", PLAIN, "'x av y' split into _n and _of columns."),
    "report/figur18_it_work_areas.csv": ("figur18_it_work_areas", "Figur 18 (table of work areas)", "3.4.2", PLAIN,
                                         "focus column from the sentence after the table (drift vs utveckling)."),
    "report/figur31_tbm_cost_pools.csv": ("figur31_tbm_cost_pools", "Figur 31", "8.2.2", PLAIN,
                                          "Swedish names from the text of 8.2.2; English TBM names from the issue/TBM standard."),
    "report/avsnitt15_deliverables.csv": ("avsnitt15_deliverables", "Leverabler (table)", "1.5", PLAIN, ""),
    "report/avsnitt6_pilots.csv": ("avsnitt6_pilots", "Pilotprojekt 1–5", "6.2.7–6.6.7", PLAIN, ""),
    "report/avsnitt6_pilot_milestones.csv": ("avsnitt6_pilot_milestones", "Milstolpeplan, pilot 1–5", "6.2.7–6.6.7", PLAIN, ""),
    "report/avsnitt6_pilot_budget_lines.csv": ("avsnitt6_pilot_budget_lines", "Grov budgetuppskattning, pilot 1–5", "6.2.7–6.6.7", PLAIN,
                                               "budget_year only where a line prints two year values; the text extraction loses the year columns otherwise."),
    "report/avsnitt6_pilot_stated_totals.csv": ("avsnitt6_pilot_stated_totals", "Pilot totals (text)", "6.2.7–6.6.7", PLAIN,
                                                "external_precision_tkr = unit of the last digit printed."),
    "report/facts.csv": ("facts", "several", "several", PLAIN, "One row per number stated in prose, with its quote."),
}
PUBLIC = {
    "public/scb_folkmangd_kommun_1950_2019_odectra.csv": (
        "scb_population_wide", "input", FileFormat(encoding="utf-8-sig", sep=";"),
        {"repository": "odectra/popu-sweden", "path": "data/folkmangd.csv", "commit": "f8515537fe29342b445d31abc5b6933d67f8891d",
         "publisher": "SCB (Statistics Sweden), population 31 December"},
        "none stated in the repository; underlying statistics are SCB's"),
    "public/sweden_municipalities_okfse.geojson": (
        None, "input", PLAIN,
        {"repository": "okfse/sweden-geojson", "path": "swedish_municipalities.geojson", "commit": "ff67bcb030d7d09032ae5f443d27130f05fdf1e0"},
        "no LICENSE file; README says 'Feel free to reuse.'"),
    "public/scb_BE0101N1_kommun_1968_2017_20795.csv": (
        None, "crosscheck", PLAIN,
        {"repository": "20795/Datasets", "path": "BE0101N1.csv", "commit": "7fb87087a5448a8b8d15eab34ab49f54cd01af86",
         "use": "tests only: independent copy of SCB 1968-2017 to cross-check the odectra file"},
        "none stated in the repository"),
    "public/fyrbodal_population_1950_2019.csv": (
        None, "crosscheck", PLAIN,
        {"derived_from": "public/scb_folkmangd_kommun_1950_2019_odectra.csv (see PROVENANCE.md)",
         "use": "tests only: the library's own normalisation must reproduce it; never an input"},
        "as its source"),
}

project = Project.find()
# keep entries this script does not own (demo files from `fyrbodal synth`, files taken in by `register`)
sources = {k: v for k, v in load_sources(project).items() if k not in PUBLISHED and k not in PUBLIC}
for rel, (table, figure, section, fmt, note) in PUBLISHED.items():
    origin = dict(REPORT, figure=figure, section=section)
    if note:
        origin["note"] = note
    sources[rel] = Source(rel, table, "published", sha256(project.raw / rel), fmt, origin,
                          "Report text; numbers are facts transcribed for research use", "2026-11-28")
for rel, (table, role, fmt, origin, licence) in PUBLIC.items():
    origin = dict(origin, provenance="data/raw/public/PROVENANCE.md")
    sources[rel] = Source(rel, table, "public", sha256(project.raw / rel), fmt, origin, licence, "2026-11-28", role)
save_sources(project, sources)
print(f"wrote {len(sources)} entries")
