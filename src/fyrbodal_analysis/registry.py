"""The municipality registry and the reviewed name alias map.

A region is described by one file ``params/regions/<code>.yml`` (name and its
municipalities with SCB code, name and slug). Names found in input files are
resolved to codes through the official national names (from the shipped
municipality GeoJSON) and the reviewed alias map
``params/municipality_aliases.yml``. An unknown name is an error; an alias that
no input used is reported as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .configfiles import Located, load_json, type_name
from .errors import Problem, ValidationFailed
from .paths import Project

CODE_RE = re.compile(r"^\d{4}$")
GEOJSON = "public/sweden_municipalities_okfse.geojson"


class RegistryError(ValueError):
    """The registry or alias file itself is malformed."""


class RegistryFailed(ValidationFailed, RegistryError):
    """Located problems in the region file, the alias map or the GeoJSON (a RegistryError too)."""


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
    """Read the region file, the alias map and the national list of names.

    Every fault in these files is a Problem at its line (raised as ValidationFailed, exit code 2).
    """
    project = project or Project.find()
    path = project.params / "regions" / f"{region}.yml"
    if not path.exists():
        known = sorted(p.stem for p in (project.params / "regions").glob("*.yml"))
        raise RegistryError(f"{project.relative(path)}: no such region file (known regions: {', '.join(known)})")
    y = Located(path, project.relative(path))
    national = _national_names(project.raw / GEOJSON, f"data/raw/{GEOJSON}")
    doc = y.doc
    if not isinstance(doc, dict) or not isinstance(doc.get("region"), dict):
        raise RegistryFailed([y.problem(("region",), "region", "the file needs a mapping 'region' with code and name",
                                          "region: {code: …, name: …} and municipalities: [...]")])
    problems: list[Problem] = []
    for k in ("code", "name"):
        if not isinstance(doc["region"].get(k), str):
            problems.append(y.problem(("region", k), k, f"region {k} is {type_name(doc['region'].get(k))}", "a text"))
    if not isinstance(doc.get("municipalities"), list):
        problems.append(y.problem(("municipalities",), "municipalities", "municipalities is missing or not a list",
                                  "a list of {code, name, slug}"))
    if problems:
        raise RegistryFailed(problems)
    rows = []
    for i, m in enumerate(doc["municipalities"]):
        where = ("municipalities", i)
        if not isinstance(m, dict) or any(not isinstance(m.get(k), str) for k in ("name", "slug")):
            problems.append(y.problem(where, None, f"municipality {i + 1} is not a mapping with code, name and slug texts",
                                      '{code: "1460", name: Bengtsfors, slug: bengtsfors}'))
            continue
        code = m.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            problems.append(y.problem(where + ("code",), "code", f"municipality {i + 1}: code {code!r} must be a quoted "
                                      "4-digit string", '"1460"'))
            continue
        if national.get(m["name"]) != code:
            problems.append(y.problem(where + ("name",), "name", f"municipality {i + 1}: name {m['name']!r} does not "
                                      f"have code {code} in the national list", "the official name of that code"))
        rows.append({"municipality_code": code, "municipality_name": m["name"], "slug": m["slug"],
                     "region_code": doc["region"]["code"], "region": doc["region"]["name"]})
    for code in sorted({r["municipality_code"] for r in rows if [x["municipality_code"] for x in rows].count(r["municipality_code"]) > 1}):
        problems.append(y.problem(("municipalities",), "code", f"code {code} is listed twice", "each municipality once"))
    aliases, ambiguous = _aliases(project)
    if problems:
        raise RegistryFailed(problems)
    return Registry(
        region_code=doc["region"]["code"],
        region_name=doc["region"]["name"],
        rows=sorted(rows, key=lambda r: r["municipality_code"]),
        national=national,
        aliases=aliases,
        ambiguous=ambiguous,
        shared_it=list(doc.get("shared_it_organisations") or []),
    )


def _aliases(project: Project) -> tuple[dict, dict]:
    """The reviewed alias map: {variant: official name} and the ambiguous names per source."""
    path = project.aliases_file
    if not path.exists():
        return {}, {}
    y = Located(path, project.relative(path))
    doc = y.doc or {}
    problems = []
    if not isinstance(doc, dict):
        raise RegistryFailed([y.problem((), None, f"the file is {type_name(doc)}", "a mapping with 'aliases'")])
    aliases = doc.get("aliases") or {}
    if not isinstance(aliases, dict):
        problems.append(y.problem(("aliases",), "aliases", f"aliases is {type_name(aliases)}", '"Variant": "Official name"'))
        aliases = {}
    for k, v in aliases.items():
        if not isinstance(k, str) or not isinstance(v, str):
            problems.append(y.problem(("aliases", k), str(k), f"alias {k!r}: {v!r} is not text to text",
                                      '"Amal": "Åmål" (both quoted)'))
    ambiguous = doc.get("ambiguous") or {}
    if not isinstance(ambiguous, dict) or not all(
            isinstance(v, dict) and all(isinstance(ids, dict) for ids in v.values()) for v in ambiguous.values()):
        problems.append(y.problem(("ambiguous",), "ambiguous", "ambiguous must map a name to {source: {id: official}}",
                                  "Habo: {scb_odectra: {\"1382\": Habo, \"0305\": Håbo}}"))
    if problems:
        raise RegistryFailed(problems)
    return dict(aliases), dict(ambiguous)


def _national_names(geojson: Path, display: str) -> dict[str, str]:
    """Official name -> code of every municipality of Sweden, from the shipped GeoJSON (one Problem if it is broken)."""
    if not geojson.exists():
        raise RegistryFailed([Problem(display, None, None, "file is missing; every municipality name is checked "
                                        "against it", "the registered file (restore it from git)")])
    doc = load_json(geojson, display)
    try:
        names = {f["properties"]["kom_namn"]: f["properties"]["id"] for f in doc["features"]}
    except (KeyError, TypeError, IndexError):
        raise RegistryFailed([Problem(display, None, None, "is not a FeatureCollection whose features have "
                                        "properties kom_namn and id", "the registered GeoJSON")]) from None
    if not names:
        raise RegistryFailed([Problem(display, None, None, "has no features", "the municipalities of Sweden")])
    return names
