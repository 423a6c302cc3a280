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
    df.attrs["labels"] = SharedDict(labels(df.columns))
    df.attrs["tiers"] = SharedList(info[name]["tiers"])
    return df


class _Shared:
    """A read-only container that every copy of a frame shares: pandas deep-copies ``attrs`` on nearly every
    operation (a column, a filter, a copy), and the column labels were copied thousands of times per edition."""

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def _read_only(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is shared by every copy of the table and cannot be changed")


class SharedDict(_Shared, dict):
    """The column labels of a processed table (``attrs["labels"]``): a dict that cannot be changed."""

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _Shared._read_only

    def __reduce__(self):
        return (SharedDict, (dict(self),))


class SharedList(_Shared, list):
    """The tiers of a processed table (``attrs["tiers"]``): a list that cannot be changed."""

    __setitem__ = __delitem__ = __iadd__ = __imul__ = append = clear = extend = insert = pop = remove = reverse = \
        sort = _Shared._read_only

    def __reduce__(self):
        return (SharedList, (list(self),))
