"""What a reader of the final pages met in the look at four editions (issue 11, second pass), each turned into a
check of the whole class of mistake: chart text too small on a phone, words spilling out of their boxes, the
edition's own row not standing out in tables, internal names in table headers and downloads, straight quotes
and hyphens in ranges."""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil

import pandas as pd
import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.core.fields import FIELDS
from fyrbodal_analysis.core.formatting import sv_range
from fyrbodal_analysis.publish import html as pages
from fyrbodal_analysis.publish.exports import VALUE_LABELS, sheet
from fyrbodal_analysis.report import parts
from fyrbodal_analysis.report.items import MIN_TEXT_PX, Item, inline_svg
from fyrbodal_analysis.report.style import HIGHLIGHT_BAND, new_figure

EDITIONS = ["fyrbodal", "bengtsfors", "trollhattan", "sotenas"]  # region, full participant, partial, SML IT member


# --- charts on a phone: the smallest text decides how far a chart may shrink ------------------------------

def _svg_of(fontsize: float) -> str:
    fig, ax = new_figure(8, 4)
    ax.plot([0, 1], [0, 1])
    ax.text(0.5, 0.5, "liten text", fontsize=fontsize)
    import io

    import matplotlib as mpl
    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none"}):  # real text, as the pages have it
        fig.savefig(buf, format="svg")
    return inline_svg(buf.getvalue(), "x", "Figur X: test")


@pytest.mark.parametrize("fontsize", [7, 8, 10])
def test_svg_chart_never_shrinks_its_smallest_text_below_9_px(fontsize):
    svg = _svg_of(fontsize)
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    min_px = float(re.search(r"min-width:([\d.]+)px", svg).group(1))
    assert min_px / width * fontsize >= MIN_TEXT_PX - 0.05  # smallest text at the smallest width
    assert min_px <= width * 4 / 3 + 1  # never wider than its natural size


def test_svg_chart_wider_than_a_phone_says_so():
    wide = '<figure class="fyr-item">\n<div style="overflow-x:auto"><svg viewBox="0 0 576 300" style="max-width:768px;min-width:650px">'
    narrow = wide.replace("min-width:650px", "min-width:300px")
    assert pages.FIGURE_HINT in pages._figures_for_phones(wide)
    assert pages.FIGURE_HINT not in pages._figures_for_phones(narrow)


# --- tables: the edition's own row, no internal names ------------------------------------------------------

def test_own_row_has_a_band_and_bold_text_and_pivot_names_are_dropped():
    t = pd.DataFrame({"Kommun": ["▶ Bengtsfors", "Dals-Ed"], 2019: ["9 750", "4 813"]})
    t.columns.name = "year"  # what a pivot leaves behind; it showed as an empty "year" column (Figur 7c)
    out = Item("Tabell X", "Test", "Källa", table=t)._repr_html_()
    assert f'<tr class="fyr-own" style="background:{HIGHLIGHT_BAND};font-weight:bold">' in out
    assert out.count("fyr-own") == 1
    assert ">year<" not in out
    assert "table.fyr-wide tr.fyr-own > :first-child { background: inherit; }" in pages.CSS  # sticky cell keeps the band


def test_internal_category_codes_have_swedish_labels_in_downloads():
    for name, f in FIELDS.items():
        allowed = getattr(f, "allowed", None) or ()
        if f.dtype == "category" and any("_" in str(v) for v in allowed):
            assert set(allowed) <= set(VALUE_LABELS.get(name, {})), name
    item = {"number": "Budget 1", "title": "t", "slug": "budget-1", "columns": ["cost_type", "age_group", "as_printed"],
            "rows": [["egen_personal", "0-19", "50-150h per/kommun"], ["extern", "80+", "150 tkr"]]}
    cols = {c.header: c.values for c in sheet(item).columns}
    assert cols["Kostnadsslag"] == ["Egen personal", "Externa tjänster"]
    assert cols["Åldersgrupp"] == ["0–19", "80+"]
    assert cols[FIELDS["as_printed"].label_sv] == ["50-150h per/kommun", "150 tkr"]  # quoted as printed


def test_sv_range():
    assert [sv_range(s) for s in ["0-19", "10 %-24 %", "80+", "2021-02-26"]] == ["0–19", "10 %–24 %", "80+", "2021-02-26"]


# --- every item of four editions, as text ------------------------------------------------------------------

INTERNAL = re.compile(r"^[a-z][a-z0-9_]*$")


@pytest.mark.integration
@pytest.mark.parametrize("edition", EDITIONS)
def test_items_speak_swedish_and_mark_the_own_row(prepared, edition):
    ed = fa.edition(edition, prepared)
    bad = []
    for it in parts.items(ed):
        page = it._repr_html_()
        text = re.sub(r"<svg\b.*?</svg>|<style>.*?</style>", "", page, flags=re.S)
        for th in re.findall(r"<th[^>]*>(.*?)</th>", text, flags=re.S):
            if INTERNAL.match(htmllib.unescape(th).strip()):
                bad.append(f"{it.number}: intern kolumnrubrik {th!r}")
        words = htmllib.unescape(re.sub(r"<[^>]+>", " ", text))
        if '"' in words:
            bad.append(f"{it.number}: raka citattecken")
        if re.search(r"\bfyrbodal (fetch|prepare|build|distribute)\b", words):  # the analyst's commands: README
            bad.append(f"{it.number}: kommandon till analytikern på läsarens sida")
        if not ed.is_region and it.table is not None and "Kommun" in it.table.columns:
            names = [str(n) for n in it.table["Kommun"]]
            if ed.name in names:
                bad.append(f"{it.number}: {ed.name} utan markering i tabellen")
            elif f"▶ {ed.name}" in names and "fyr-own" not in page:
                bad.append(f"{it.number}: egen rad utan färgband")
    assert not bad, bad


# --- in the browser: chart text size on a phone, words inside their boxes ----------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAYOUT_JS = """() => {
  const figs = [...document.querySelectorAll('svg[role=img]')].map(svg => {
    let min = 1e9, s = '';
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const m = t.getScreenCTM(), px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < min) { min = px; s = t.textContent.trim(); }
    }
    return {label: svg.getAttribute('aria-label'), min, s};
  });
  const spill = [...document.querySelectorAll('.fyd-box, .fyd-cap, .fyd-group > h5, .fyd-area > h4, .fyd')]
    .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent.trim().slice(0, 40));
  return {figs, spill};
}"""


@pytest.mark.integration
@pytest.mark.parametrize("width", [390, 1100])
def test_chart_text_and_word_grids_in_chromium(prepared, tmp_path, width):
    """At phone and desktop width: no chart text under ~9 px, no word outside its box in the HTML grids."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
        pytest.skip("chromium is not installed here")
    from playwright.sync_api import sync_playwright
    ed = fa.edition("bengtsfors", prepared)
    body = pages._figures_for_phones("".join(it._repr_html_() for it in parts.items(ed)))
    page = tmp_path / "items.html"
    page.write_text(f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" '
                    f'content="width=device-width"><style>{pages.CSS}</style></head><body style="margin:0 16px">{body}'
                    "</body></html>", encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": width, "height": 900})
        tab.goto(page.as_uri())
        found = tab.evaluate(LAYOUT_JS)
        browser.close()
    assert len(found["figs"]) >= 20
    small = [f"{f['label']}: ”{f['s']}” {f['min']:.1f} px" for f in found["figs"] if f["min"] < MIN_TEXT_PX - 0.2]
    assert not small, small
    assert not found["spill"], found["spill"]


# --- the front page of a region without the report's Figur 7 ----------------------------------------------

def test_front_page_of_a_region_without_figur_7_shows_scb_population(tmp_path):
    """Another region (no Figur 7): the map and key figures come from SCB's population, last year against ten
    years before, said so in the caption and legend, instead of only a note."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fyrbodal_analysis.core.paths import Project
    from fyrbodal_analysis.publish.frontpage import front_page, front_page_data
    from tests.conftest import ROOT
    (tmp_path / "params").symlink_to(ROOT / "params")
    raw = tmp_path / "data" / "raw"
    raw.parent.mkdir()
    raw.symlink_to(ROOT / "data" / "raw")
    proj = Project(tmp_path, region="vastra-gotaland")
    proj.processed.mkdir(parents=True)
    (proj.processed / "manifest.json").write_text('{"inputs": {}}', encoding="utf-8")
    pq.write_table(pa.table({"municipality_code": ["1460", "1460", "1488", "1488"], "municipality_name": ["Bengtsfors"] * 2
                             + ["Trollhättan"] * 2, "year": [2009, 2019, 2009, 2019],
                             "population": [10000, 9750, 55000, 59058]}), proj.processed / "population.parquet")
    (tmp_path / "reports").mkdir()
    data = front_page_data(proj, "vastra-gotaland", "h")
    assert data["period"] == [2009, 2019] and data["basis"] == "scb"
    b = next(m for m in data["municipalities"] if m["name"] == "Bengtsfors")
    assert (b["population_from"], b["population_to"], b["change_pct"]) == (10000, 9750, -2.5)
    page = front_page([], data)
    assert "Folkmängd 31 december 2009 och 2019 (SCB)" in page and "Befolkningsförändring 2009–2019:" in page
    assert "<path" in page and "Figur 7" not in page.split("<main>")[1].split("Vad som är")[0]
    assert page.count('text-anchor="middle">') == 2  # two municipalities: named on the map
    many = dict(data, municipalities=[dict(b, code=str(i), name=f"K{i}") for i in range(49)])
    assert 'text-anchor="middle">' not in front_page([], many)  # 49 names would collide: the table names them
