"""The processed tables written by ``fyrbodal prepare``: the manifest, the table names, a table by name.

The package facade re-exports these as ``fa.manifest``, ``fa.tables`` and ``fa.load``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.fields import labels
from ..core.paths import Project

if TYPE_CHECKING:  # pandas is imported when a table is loaded, so the CLI starts fast
    import pandas as pd


def manifest(project: Project | None = None) -> dict:
    """The manifest written by the last successful ``fyrbodal prepare``."""
    project = project or Project.find()
    path = project.processed / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"{project.relative(path)} is missing: run `fyrbodal prepare` (or `make data`) first")
    from ..core.configfiles import load_json
    return load_json(path, project.relative(path))  # a truncated manifest is named, with line and column


def tables(project: Project | None = None) -> list[str]:
    """Names of the processed tables that :func:`load` can return."""
    return sorted(manifest(project)["tables"])


def load(name: str, project: Project | None = None) -> pd.DataFrame:
    """A processed table by name, e.g. ``load("population")``.

    The frame's ``attrs`` hold ``labels`` (Swedish column labels) and ``tiers``
    (published / public / demo / private inputs it was built from).
    """
    import pandas as pd
    project = project or Project.find()
    info = manifest(project)["tables"]
    if name not in info:
        raise KeyError(f"no processed table {name!r}; known tables: {', '.join(sorted(info))}")
    df = pd.read_parquet(project.processed / f"{name}.parquet")
    df.attrs["labels"] = labels(df.columns)
    df.attrs["tiers"] = info[name]["tiers"]
    return df
