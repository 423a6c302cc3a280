"""Shared fixtures: a throw-away copy of the project for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fyrbodal_analysis.paths import Project
from fyrbodal_analysis.pipeline import prepare

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


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> Project:
    """One prepared copy shared by read-only tests."""
    proj = copy_project(tmp_path_factory.mktemp("prepared") / "proj")
    prepare(proj)
    return proj


@pytest.fixture
def prepared_copy(tmp_path, prepared) -> Project:
    """A prepared copy a test may break (raw files and processed output)."""
    dest = tmp_path / "proj"
    shutil.copytree(prepared.root, dest)
    return Project(dest)
