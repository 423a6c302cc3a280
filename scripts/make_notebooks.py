"""Write the thin report notebooks in notebooks/ from the parts registry (run after adding an item).

Each notebook: a title, one cell tagged `parameters` with plain literals, one setup cell, then for
every item a heading, a sentence and one library call. No logic lives in the notebooks.
"""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat as nbf

from fyrbodal_analysis.report.parts import PARTS

ROOT = Path(__file__).resolve().parents[1]

TITLES = {
    "00_summary": ("Sammanfattning", "Det viktigaste för utgåvan, beräknat ur data."),
    "01_method": ("Inledning och metod", "Förstudiens leverabler, begreppen som rapporten bygger på och de "
                               "alternativa vägvalen för samverkan."),
    "02_demography": ("Demografi", "Befolkningen 2019, prognosen för 2030 och utvecklingen sedan 1950 enligt SCB."),
    "03_dimios": ("Digital mognad (Dimios)", "Kommunernas självskattade digitala mognad, med osäkerhet och en "
                          "känslighetsanalys för överskattning."),
    "04_infosec": ("Informationssäkerhet", "Svaren från enkäten till informationssäkerhetsansvariga."),
    "05_broadband": ("Bredband", "Tillgången till fast bredband jämfört med det regionala målet."),
    "06_costs": ("IT-kostnader", "IT-kostnaderna enligt TBM och som andel av kommunernas totala kostnad, och om de "
                        "hänger ihop med kommunens storlek."),
    "07_surveys": ("Verksamhetsstöd", "Hur förvaltningschefer och IT-chefer ser på IT-verksamhetens stöd."),
    "08_capabilities": ("Den digitala motorns förmågor", "Förmågekartan, strategisk betydelse och skattad mognad."),
    "09_pilots": ("Scenarier och pilotprojekt", "Milstolpeplan och grov budget för de fem pilotprojekten, "
                                 "med summorna räknade om ur budgetraderna."),
    "10_appendices": ("Bilagor", "Metodbilagorna: TBM-modellen, vilka kommuner som deltog i vilka delar av förstudien och "
                   "Dimios kategorier och modell."),
}


def call(fn) -> str:
    if isinstance(fn, functools.partial):
        args = ", ".join(f"{k}={v!r}" for k, v in fn.keywords.items())
        return f"{fn.func.__name__}(ed, {args})"
    return f"{fn.__name__}(ed)"


def notebook(name: str, module) -> nbf.NotebookNode:
    title, intro = TITLES[name]
    short = module.__name__.rsplit(".", 1)[-1]
    nb = nbf.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    cells = [
        nbf.v4.new_markdown_cell(f"# {title}\n\n{intro}"),
        nbf.v4.new_code_cell("# the edition: a municipality's slug, SCB code or name (\"bengtsfors\", \"1460\"), or the\n"
                             "# region's code or name; None is the region edition of the prepared data\n"
                             "edition = None", metadata={"tags": ["parameters"]}),
        nbf.v4.new_code_cell(f"import fyrbodal_analysis as fa\nfrom fyrbodal_analysis.report import {short}\n\n"
                             "ed = fa.edition(edition)", metadata={"tags": ["setup"]}),
    ]
    for fn in module.ITEMS:
        cells.append(nbf.v4.new_code_cell(f"{short}.{call(fn)}"))
    for i, cell in enumerate(cells):
        cell["id"] = f"{name[:2]}-{i:03d}"  # stable ids: regenerating gives the same file
    nb.cells = cells
    return nb


def main() -> None:
    out = ROOT / "notebooks"
    out.mkdir(exist_ok=True)
    for name, module in PARTS.items():
        nbf.write(notebook(name, module), out / f"{name}.ipynb")
    print(f"wrote {len(PARTS)} notebooks to {out}")


if __name__ == "__main__":
    main()
