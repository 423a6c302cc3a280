"""The test suite's own set-up: what `make test-fast` relies on to build expensive fixtures once."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import EDITION_ITEM_FILES, ROOT


def _files_using(fixture: str) -> set[str]:
    found = set()
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and fixture in {a.arg for a in node.args.args}:
                found.add(Path(path).relative_to(ROOT).as_posix())
    return found


def test_every_file_reading_the_built_edition_items_runs_with_the_others():
    """A test file that asks for ``edition_items`` but is not in ``EDITION_ITEM_FILES`` would still pass, only
    rebuild the items of whole editions on a second worker; this keeps the list complete and current."""
    assert _files_using("edition_items") == set(EDITION_ITEM_FILES)


def test_the_scheduler_puts_those_files_in_one_unit_and_keeps_every_other_file_apart(pytestconfig, monkeypatch):
    from xdist.scheduler import LoadFileScheduling

    from tests.conftest import pytest_xdist_make_scheduler

    monkeypatch.setattr(pytestconfig.option, "dist", "loadfile", raising=False)
    monkeypatch.setattr(pytestconfig.option, "tx", ["2*popen"], raising=False)
    sched = pytest_xdist_make_scheduler(pytestconfig, None)
    assert isinstance(sched, LoadFileScheduling)
    assert {sched._split_scope(f"{f}::test_x[a]") for f in EDITION_ITEM_FILES} == {"edition items"}
    assert sched._split_scope("tests/test_bad_input.py::test_x") == "tests/test_bad_input.py"
    assert sched._split_scope("tests/test_fetch.py::test_y[a]") == "tests/test_fetch.py"
    monkeypatch.setattr(pytestconfig.option, "dist", "load")
    assert pytest_xdist_make_scheduler(pytestconfig, None) is None
