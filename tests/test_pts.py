"""PTS's Excel "tabellbilaga" behind `fyrbodal register`: read, checked, and used in place of the demo file.

The workbooks are made here with openpyxl in the layout the reader documents (a title row with the
measure and year, a header row Kommunkod/Kommun/Totalt/Tätort/Småort/Utanför, percent-formatted cells);
every value is invented.
"""

from __future__ import annotations

import openpyxl
import pytest

import fyrbodal_analysis as fa
from fyrbodal_analysis.clean.pipeline import all_specs, prepare
from fyrbodal_analysis.publish.cli import main
from fyrbodal_analysis.raw.pts import read_tabellbilaga

HEADER = ["Kommunkod", "Kommun", "Totalt", "I tätort", "I småort", "Utanför tätort och småort"]


def workbook(path, registry, measures=("hushåll", "arbetsställen"), bad=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n, measure in enumerate(measures):
        ws = wb.create_sheet(f"Tabell {n + 5}")
        ws.append([f"Andel {measure} med tillgång till bredband om minst 100 Mbit/s, oktober 2019 (INVENTED TEST DATA)"])
        ws.append([])
        ws.append(HEADER)
        ws.append(["14", "Västra Götalands län", 0.9, 0.95, 0.8, 0.6])
        ws.append(["1480", "Göteborg", 0.97, 0.98, 0.9, 0.7])  # not in the region: skipped
        for i, code in enumerate(registry.codes):
            ws.append([code, registry.name_of[code], 0.80 + i / 100, 0.95, 0.75, 0.55 + i / 200])
        for row in ws.iter_rows(min_row=4, min_col=3):
            for cell in row:
                cell.number_format = "0.0%"
        if bad and n == 0:
            ws["C8"] = bad
    wb.save(path)
    return path


@pytest.fixture
def reg():
    return fa.registry()


def test_reads_percent_cells_and_skips_other_rows(tmp_path, reg):
    frame, problems = read_tabellbilaga(workbook(tmp_path / "pts.xlsx", reg), "pts.xlsx", all_specs()["broadband_pts"], None, reg)
    assert problems == []
    assert len(frame) == 14 * 4 and set(frame["area_type"]) == {"totalt", "tatort", "smaort", "utanfor"}
    row = frame[(frame["municipality_code"] == reg.codes[0]) & (frame["area_type"] == "totalt")].iloc[0]
    assert row["households_pct"] == pytest.approx(80.0) and row["workplaces_pct"] == pytest.approx(80.0)
    assert row["year"] == 2019 and "1480" not in set(frame["municipality_code"])


def test_bad_workbook_reports_sheet_and_cell(tmp_path, reg):
    path = workbook(tmp_path / "pts.xlsx", reg, bad="saknas")
    _, problems = read_tabellbilaga(path, "pts.xlsx", all_specs()["broadband_pts"], None, reg)
    assert "pts.xlsx:8:Tabell 5!C: 'saknas' is not a number (expected a share in percent)" in [str(p) for p in problems]
    _, problems = read_tabellbilaga(workbook(tmp_path / "one.xlsx", reg, measures=("hushåll",)), "one.xlsx",
                                    all_specs()["broadband_pts"], None, reg)
    assert any("no sheet with a table for workplaces (arbetsställen)" in str(p) for p in problems)
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    _, problems = read_tabellbilaga(tmp_path / "x.xlsx", "x.xlsx", all_specs()["broadband_pts"], None, reg)
    assert [str(p) for p in problems] == ["x.xlsx:-:-: cannot be read as an Excel workbook: the file is damaged or not in .xlsx format "
                                          "(expected PTS's tabellbilaga as downloaded (.xlsx))"]


def test_out_of_range_share_is_refused_by_register(prepared_copy, tmp_path, reg, capsys):
    path = workbook(tmp_path / "pts.xlsx", reg, bad=1.5)  # 150 %
    code = main(["register", str(path), "--table", "broadband_pts", "--tier", "public", "--root", str(prepared_copy.root)])
    assert code == 2
    assert "pts.xlsx:8:households_pct: 150 is outside the range 0–100" in capsys.readouterr().err
    assert not (prepared_copy.raw / "public" / "pts.xlsx").exists()


def test_registered_tabellbilaga_replaces_the_demo_file(prepared_copy, tmp_path, reg, capsys):
    path = workbook(tmp_path / "pts.xlsx", reg)
    assert main(["register", str(path), "--table", "broadband_pts", "--tier", "public", "--root", str(prepared_copy.root)]) == 0
    assert (prepared_copy.raw / "public" / "pts.xlsx").read_bytes() == path.read_bytes()  # kept as downloaded
    prepare(prepared_copy, progress=lambda m: print(m))
    assert "demo/broadband_pts.csv is replaced by a public file" in capsys.readouterr().out
    assert fa.manifest(prepared_copy)["tables"]["broadband"]["tiers"] == ["public"]
    from fyrbodal_analysis.report import broadband
    item = broadband.figur_14(fa.edition("1460", prepared_copy))
    assert not item.is_demo and "demodata" not in item.source
    assert item.source.startswith("PTS bredbandskartläggning 2019")
