"""fyrbodal-analysis: the pre-study "Digital motor Fyrbodal" (2021) as data and code.

Researchers::

    import fyrbodal_analysis as fa
    pop = fa.load("population")          # clean, validated table (run `fyrbodal prepare` first)
    fa.tables()                          # names of all processed tables
    pop.rename(columns=fa.labels(pop.columns))   # Swedish display labels
    fa.field_dictionary()                # every column: dtype, unit, label, description
"""

from __future__ import annotations

from .clean.processed import load, manifest, tables
from .core.fields import dictionary as field_dictionary
from .core.fields import label, labels
from .core.paths import Project
from .core.registry import load_registry

__version__ = "0.1.0"
__all__ = ["load", "tables", "manifest", "label", "labels", "field_dictionary", "registry", "edition", "__version__"]


def registry(region: str | None = None, project: Project | None = None):
    """The municipality registry of a region (codes, names, slugs); default: the default region."""
    return load_registry(project, region)


def edition(edition: str | int | None = None, project: Project | None = None, region: str | None = None):
    """The context for one edition: ``fa.edition("1460")``, ``fa.edition("bengtsfors")``, ``fa.edition("Bengtsfors")``,
    ``fa.edition()`` (the region), ``fa.edition("vastra-gotaland/uddevalla")`` (another region's edition)."""
    from .report.edition import edition as _edition
    return _edition(edition, project, region)
