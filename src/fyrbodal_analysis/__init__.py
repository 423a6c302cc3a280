"""fyrbodal-analysis: the pre-study "Digital motor Fyrbodal" (2021) as data and code.

Researchers::

    import fyrbodal_analysis as fa
    pop = fa.load("population")          # clean, validated table (run `fyrbodal prepare` first)
    fa.tables()                          # names of all processed tables
    pop.rename(columns=fa.labels(pop.columns))   # Swedish display labels
    fa.field_dictionary()                # every column: dtype, unit, label, description
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .fields import dictionary as field_dictionary
from .fields import label, labels
from .paths import Project
from .registry import load_registry

if TYPE_CHECKING:  # pandas is imported when a table is loaded, so the CLI starts fast
    import pandas as pd

__version__ = "0.1.0"
__all__ = ["load", "tables", "manifest", "label", "labels", "field_dictionary", "registry", "edition", "__version__"]


def manifest(project: Project | None = None) -> dict:
    """The manifest written by the last successful ``fyrbodal prepare``."""
    project = project or Project.find()
    path = project.processed / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"{project.relative(path)} is missing: run `fyrbodal prepare` (or `make data`) first")
    from .configfiles import load_json
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


def registry(region: str | None = None, project: Project | None = None):
    """The municipality registry of a region (codes, names, slugs); default: the default region."""
    return load_registry(project, region)


def edition(edition: str | int | None = None, project: Project | None = None, region: str | None = None):
    """The context for one edition: ``fa.edition("1460")``, ``fa.edition("bengtsfors")``, ``fa.edition("Bengtsfors")``,
    ``fa.edition()`` (the region), ``fa.edition("vastra-gotaland/uddevalla")`` (another region's edition)."""
    from .context import edition as _edition
    return _edition(edition, project, region)
