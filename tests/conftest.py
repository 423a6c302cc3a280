"""Shared fixtures: a throw-away copy of the project for tests that write."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from fyrbodal_analysis.clean.pipeline import prepare
from fyrbodal_analysis.core.paths import Project

ROOT = Path(__file__).resolve().parents[1]


def copy_project(dest: Path) -> Project:
    """Copy raw data and params (not processed output) into ``dest``."""
    (dest / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "raw", dest / "data" / "raw",
                    ignore=shutil.ignore_patterns("private"))
    shutil.copytree(ROOT / "params", dest / "params")
    return Project(dest)


@pytest.fixture
def project(tmp_path) -> Project:
    """A fresh, unprepared copy of the project."""
    return copy_project(tmp_path / "proj")


def _content(root: Path) -> dict[str, str]:
    """Every file under ``root`` by its sha256 (a few MB: milliseconds)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> Project:
    """One prepared copy shared by read-only tests, and by the xdist workers of one run: the first worker to get
    here copies and prepares it under the run's common temporary folder while holding a lock, the other waits and
    uses it. Read-only is checked: every worker compares the copy's content at the end of its session."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        root = tmp_path_factory.mktemp("prepared")
    else:
        root = tmp_path_factory.getbasetemp().parent / "prepared"
    done = root / "prepared.ok"
    root.mkdir(parents=True, exist_ok=True)
    with open(root.parent / "prepared.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                shutil.rmtree(root / "proj", ignore_errors=True)  # left by a worker killed half-way
                prepare(copy_project(root / "proj"))
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    proj = Project(root / "proj")
    before = _content(proj.root)
    yield proj
    assert _content(proj.root) == before, "a test wrote into the shared `prepared` project (use `prepared_copy`)"


@pytest.fixture(scope="session")
def edition_items(prepared):
    """``edition_items(code) -> (edition, [items])``, each edition's items built once per session and shared by
    the read-only tests that look at them (building every item is the slow part). A test that changes an item or
    its edition builds its own."""
    import fyrbodal_analysis as fa
    from fyrbodal_analysis.report import parts

    built: dict = {}

    def items(code: str):
        if code not in built:
            ed = fa.edition(code, prepared)
            built[code] = (ed, list(parts.items(ed)))
        return built[code]
    return items


@pytest.fixture
def prepared_copy(tmp_path, prepared) -> Project:
    """A prepared copy a test may break (raw files and processed output)."""
    dest = tmp_path / "proj"
    shutil.copytree(prepared.root, dest)
    return Project(dest)


# --- scheduling on xdist workers ---------------------------------------------------------------------------

#: Test files that read the session's built edition items (``edition_items``). ``make test-fast`` runs files on two
#: workers (``--dist loadfile``); these run as one unit on one worker, so each edition's items are built once per
#: run instead of once per worker that happens to get one of the files. test_structure checks the list is complete.
EDITION_ITEM_FILES = ("tests/test_disclosure.py", "tests/test_editions.py", "tests/test_figcheck.py",
                      "tests/test_html_exporter.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with the files in :data:`EDITION_ITEM_FILES` as one unit; other modes unchanged."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class EditionItemsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return "edition items" if path in EDITION_ITEM_FILES else path

    return EditionItemsTogether(config, log)
