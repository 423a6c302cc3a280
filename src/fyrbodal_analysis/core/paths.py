"""Where the project's folders are.

The project root is found, in this order, from the ``FYRBODAL_ROOT``
environment variable, by walking up from the current directory to a folder
that holds ``params/regions`` and ``data/raw``, or from the installed package
location (an editable install inside the checkout).

Every region has its own processed data, edition parameters and reports. The
default region (the one ``params/regions/*.yml`` marks ``default: true``) keeps
``data/processed/``, ``params/editions/`` and ``reports/``; any other region
``<code>`` uses ``data/processed-<code>/``, ``params/editions/<code>/`` and
``reports/<code>/`` (``prepare`` swaps a whole processed folder, so region
folders sit beside ``data/processed/``, never inside it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _looks_like_root(path: Path) -> bool:
    return (path / "params" / "regions").is_dir() and (path / "data" / "raw").is_dir()


def find_root(start: Path | None = None) -> Path:
    """Return the project root folder (see module docstring)."""
    env = os.environ.get("FYRBODAL_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _looks_like_root(candidate):
            return candidate
    package_root = Path(__file__).resolve().parents[2]
    if _looks_like_root(package_root):
        return package_root
    raise FileNotFoundError(
        "Cannot find the project folder (one with params/regions and data/raw). "
        "Run from inside the checkout or set FYRBODAL_ROOT."
    )


@dataclass(frozen=True)
class Project:
    """Paths of one project checkout (or of a copy made by a test)."""

    root: Path
    #: None for the default region's folders; else the code of the region whose folders these are.
    region: str | None = None

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        return cls(find_root(start))

    def for_region(self, region: str | None) -> Project:
        """The same checkout with the folders of ``region`` (None: the default region's)."""
        return Project(self.root, region)

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / ("processed" if self.region is None else f"processed-{self.region}")

    @property
    def reports(self) -> Path:
        return self.root / "reports" if self.region is None else self.root / "reports" / self.region

    @property
    def editions(self) -> Path:
        """The generated edition parameter files of this project's region."""
        return self.params / "editions" if self.region is None else self.params / "editions" / self.region

    @property
    def params(self) -> Path:
        return self.root / "params"

    @property
    def sources_file(self) -> Path:
        return self.raw / "sources.yml"

    @property
    def aliases_file(self) -> Path:
        return self.params / "municipality_aliases.yml"

    def relative(self, path: Path) -> str:
        """A path as shown to users: relative to the root when possible."""
        try:
            return str(Path(path).resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)
