"""The municipality registry and the reviewed name alias map.

A region is described by one file ``params/regions/<code>.yml`` (name and its
municipalities with SCB code, name and slug). Names found in input files are
resolved to codes through the official national names (from the shipped
municipality GeoJSON) and the reviewed alias map
``params/municipality_aliases.yml``. An unknown name is an error; an alias that
no input used is reported as a warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .paths import Project

CODE_RE = re.compile(r"^\d{4}$")
GEOJSON = "public/sweden_municipalities_okfse.geojson"


class RegistryError(ValueError):
    """The registry or alias file itself is malformed."""


@dataclass
class Registry:
    region_code: str
    region_name: str
    rows: list[dict]  # municipality_code, municipality_name, slug, region_code, region
    national: dict[str, str]  # official name -> code, all municipalities of Sweden
    aliases: dict[str, str]  # variant -> official name
    ambiguous: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # name -> source -> id -> official
    shared_it: list[dict] = field(default_factory=list)
    used_aliases: set[str] = field(default_factory=set)

    # -- lookups -----------------------------------------------------------------
    @property
    def municipalities(self):
        """The registry as a pandas DataFrame (municipality_code, municipality_name, slug, region_code, region)."""
        import pandas as pd
        return pd.DataFrame(self.rows)

    @cached_property
    def codes(self) -> list[str]:
        return [r["municipality_code"] for r in self.rows]

    @cached_property
    def name_of(self) -> dict[str, str]:
        return {r["municipality_code"]: r["municipality_name"] for r in self.rows}

    @cached_property
    def slug_of(self) -> dict[str, str]:
        return {r["municipality_code"]: r["slug"] for r in self.rows}

    @cached_property
    def national_codes(self) -> set[str]:
        return set(self.national.values())

    def is_ambiguous(self, name: str) -> bool:
        return name.strip() in self.ambiguous

    def resolve_name(self, name: str, source: str | None = None, source_id: str | None = None) -> str | None:
        """Code for a municipality name (official or reviewed alias), else None.

        A name listed as ambiguous (two municipalities fold to the same ASCII
        form) resolves only with the source's own id for the row.
        """
        name = name.strip()
        if name in self.ambiguous:
            official = (self.ambiguous[name].get(source) or {}).get(source_id)
            return self.national.get(official) if official else None
        if name in self.national:
            return self.national[name]
        official = self.aliases.get(name)
        if official is not None and official in self.national:
            self.used_aliases.add(name)
            return self.national[official]
        return None

    def in_region(self, code: str) -> bool:
        return code in self.name_of

    def unused_aliases(self) -> list[str]:
        return sorted(set(self.aliases) - self.used_aliases)

    def edition_codes(self) -> list[str]:
        """Edition identifiers: the region code first, then every municipality code."""
        return [self.region_code, *self.codes]


def load_registry(project: Project | None = None, region: str = "fyrbodal") -> Registry:
    """Read the region file, the alias map and the national list of names."""
    project = project or Project.find()
    path = project.params / "regions" / f"{region}.yml"
    if not path.exists():
        known = sorted(p.stem for p in (project.params / "regions").glob("*.yml"))
        raise RegistryError(f"{project.relative(path)}: no such region file (known regions: {', '.join(known)})")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    national = _national_names(project.raw / GEOJSON)
    rows, problems = [], []
    for i, m in enumerate(doc.get("municipalities") or [], 1):
        code = m.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            problems.append(f"municipality {i}: code {code!r} must be a quoted 4-digit string such as \"1460\"")
            continue
        if national and national.get(m.get("name")) != code:
            problems.append(f"municipality {i}: name {m.get('name')!r} does not have code {code} in the national list")
        rows.append(
            {
                "municipality_code": code,
                "municipality_name": m["name"],
                "slug": m["slug"],
                "region_code": doc["region"]["code"],
                "region": doc["region"]["name"],
            }
        )
    if problems:
        raise RegistryError(f"{project.relative(path)}: " + "; ".join(problems))
    aliases_doc = yaml.safe_load(project.aliases_file.read_text(encoding="utf-8")) if project.aliases_file.exists() else {}
    return Registry(
        region_code=doc["region"]["code"],
        region_name=doc["region"]["name"],
        rows=sorted(rows, key=lambda r: r["municipality_code"]),
        national=national,
        aliases=dict((aliases_doc or {}).get("aliases") or {}),
        ambiguous=dict((aliases_doc or {}).get("ambiguous") or {}),
        shared_it=list(doc.get("shared_it_organisations") or []),
    )


def _national_names(geojson: Path) -> dict[str, str]:
    if not geojson.exists():
        return {}
    doc = json.loads(geojson.read_text(encoding="utf-8"))
    return {f["properties"]["kom_namn"]: f["properties"]["id"] for f in doc["features"]}
