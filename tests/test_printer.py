"""The build's printer: one Chromium for many pages over the DevTools pipe (publish/printer.py).

Fast tests against a stand-in browser (tests/fixtures/fake_chromium.py) for the protocol, restarts,
timeouts and a browser that dies; one integration test prints a real page with Chromium.
"""

from __future__ import annotations

import shutil
import sys
import time

import pytest

from fyrbodal_analysis.publish.printer import Printer
from tests.conftest import ROOT

FAKE = ROOT / "tests" / "fixtures" / "fake_chromium.py"


@pytest.fixture
def fake(tmp_path, monkeypatch):
    exe = tmp_path / "chromium"
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} {FAKE} \"$@\"\n", encoding="utf-8")
    exe.chmod(0o755)
    log = tmp_path / "log"
    monkeypatch.setenv("FAKE_LOG", str(log))
    pages = []
    for i in range(5):
        p = tmp_path / f"p{i}.html"
        p.write_text(f"<p>{i}</p>", encoding="utf-8")
        pages.append(p)
    return exe, log, pages


def lines(log) -> list[str]:
    return log.read_text(encoding="utf-8").split("\n")[:-1]


def test_one_browser_prints_many_pages_and_is_replaced_after_its_quota(fake, tmp_path):
    exe, log, pages = fake
    with Printer(str(exe), pages_per_browser=2) as printer:
        for p in pages:
            printer.print(p, p.with_suffix(".pdf"))
    got = lines(log)
    assert [line.split()[0] for line in got] == ["start", "print", "print", "start", "print", "print", "start", "print"]
    for p in pages:
        assert p.with_suffix(".pdf").read_bytes() == f"%PDF-fake {p.resolve().as_uri()}".encode()
    assert not list(tmp_path.glob(".*.tmp"))
    # each page is loaded with print media already in effect (laid out once, for print, not for the screen first)
    assert all(line.endswith(" loaded-as=print") for line in got if line.startswith("print "))


def test_start_starts_the_browser_before_the_first_page_and_only_once(fake):
    exe, log, pages = fake
    with Printer(str(exe)) as printer:
        printer.start()
        assert printer.proc is not None and printer.proc.poll() is None
        printer.start()
        printer.print(pages[0], pages[0].with_suffix(".pdf"))
    assert [line.split()[0] for line in lines(log)] == ["start", "print"]


def test_a_hanging_browser_times_out_is_killed_and_the_next_page_gets_a_new_one(fake, monkeypatch):
    exe, log, pages = fake
    monkeypatch.setenv("FAKE_MODE", "hang")
    printer = Printer(str(exe), timeout=1.5)
    t0 = time.monotonic()
    with pytest.raises(TimeoutError, match="did not answer within 2 s"):
        printer.print(pages[0], pages[0].with_suffix(".pdf"))
    assert time.monotonic() - t0 < 15
    assert printer.proc is None and not pages[0].with_suffix(".pdf").exists()
    monkeypatch.setenv("FAKE_MODE", "")
    printer.print(pages[1], pages[1].with_suffix(".pdf"))
    printer.close()
    assert [line.split()[0] for line in lines(log)] == ["start", "start", "print"]


@pytest.mark.parametrize(("mode", "message"), [("die", "Chromium closed the connection"), ("empty", "empty PDF")])
def test_a_browser_that_dies_or_prints_nothing_fails_the_page_with_a_clear_error(fake, monkeypatch, mode, message):
    exe, _, pages = fake
    monkeypatch.setenv("FAKE_MODE", mode)
    with Printer(str(exe)) as printer, pytest.raises(RuntimeError, match=message):
        printer.print(pages[0], pages[0].with_suffix(".pdf"))
    assert not pages[0].with_suffix(".pdf").exists()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.integration
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium")
def test_chromium_prints_a4_pages_with_the_page_css(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<style>@page { size: A4; margin: 20mm } h1 { break-before: page }</style>"
                    "<p>ett</p><h1>två</h1><p>tre</p>", encoding="utf-8")
    with Printer(CHROMIUM) as printer:
        for name in ("a.pdf", "b.pdf"):
            printer.print(page, tmp_path / name)
    data = (tmp_path / "a.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    import subprocess
    info = subprocess.run(["pdfinfo", str(tmp_path / "a.pdf")], capture_output=True, text=True)
    if info.returncode == 0:
        assert "Pages:           2" in info.stdout and "(A4)" in info.stdout
