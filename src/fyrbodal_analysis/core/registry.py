"""The municipality registry and the reviewed name alias map.

A region is described by one file ``params/regions/<code>.yml`` (name, its
municipalities with SCB code, name and slug, and the raw tables it has data
for under ``datasets``). Exactly one region file says ``default: true`` (or
there is only one): that region is used when none is named. Names found in input files are
resolved to codes through the official national names (from the shipped
municipality GeoJSON) and the reviewed alias map
``params/municipality_aliases.yml``. An unknown name is an error; an alias that
no input used is reported as a warning.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .configfiles import Located, decode_text, parse_json, read_bytes, type_name
from .errors import Problem, ValidationFailed
from .paths import Project

CODE_RE = re.compile(r"^\d{4}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
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
    #: raw tables this region has data for (None: every registered table)
    datasets: list[str] | None = None
    default: bool = False
    #: the region's organisation, e.g. its kommunalförbund (region file ``region.long_name``), when given
    long_name: str | None = None
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

    def has(self, table: str) -> bool:
        """Whether the region declares data for the raw table ``table``."""
        return self.datasets is None or table in self.datasets

    def project(self, project: Project) -> Project:
        """``project`` with this region's folders (the default region keeps data/processed/ and reports/)."""
        return project.for_region(None if self.default else self.region_code)

    def edition_codes(self) -> list[str]:
        """Edition identifiers: the region code first, then every municipality code."""
        return [self.region_code, *self.codes]


def region_files(project: Project) -> dict[str, Path]:
    """Region code (file stem) -> its file in params/regions/."""
    return {p.stem: p for p in sorted((project.params / "regions").glob("*.yml"))}


def default_region(project: Project | None = None) -> str:
    """The region used when none is named: the one region file with ``default: true``, or the only one.

    Several files marked default, or several files and none marked, is a ValidationFailed naming them.
    """
    project = project or Project.find()
    files = region_files(project)
    if not files:
        raise RegistryFailed([Problem(project.relative(project.params / "regions"), None, None,
                                        "holds no region file", "params/regions/<code>.yml")])
    marked = []
    for code, path in files.items():
        doc = _quick(path)
        if doc is not None and doc.get("default", False) is False:
            continue  # the common case without the slower, located parse
        y = Located(path, project.relative(path))
        value = y.doc.get("default", False) if isinstance(y.doc, dict) else False
        if not isinstance(value, bool):
            raise RegistryFailed([y.problem(("default",), "default", f"default is {type_name(value)} {value!r}",
                                              "true or false")])
        if value:
            marked.append((code, y))
    if len(marked) == 1:
        return marked[0][0]
    if not marked and len(files) == 1:
        return next(iter(files))
    if marked:
        raise RegistryFailed([y.problem(("default",), "default", f"region {code!r} is marked default, like "
                                          f"{len(marked) - 1} other(s)", "default: true in exactly one region file")
                                for code, y in marked])
    raise RegistryFailed([Problem(project.relative(project.params / "regions"), None, "default",
                                    f"{len(files)} region files ({', '.join(files)}) and none says default: true",
                                    "default: true in exactly one region file")])


_QUICK: dict[tuple, dict | None] = {}


def _quick(path: Path) -> dict | None:
    """A region file parsed fast (libyaml when present, cached by size and time), or None when it does not parse
    to a mapping (the caller then reads it with :class:`Located` to report the fault at its line)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _QUICK:
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError):
            doc = None
        _QUICK[key] = doc if isinstance(doc, dict) else None
    return _QUICK[key]


def find_region(text: str, project: Project | None = None) -> str | None:
    """The code of the region whose code or name is ``text`` (any case), else None."""
    project = project or Project.find()
    wanted = text.strip().casefold()
    for code, path in region_files(project).items():
        doc = _quick(path)
        if doc is None:
            doc = Located(path, project.relative(path)).doc  # raises at the faulty line
        region = doc.get("region") if isinstance(doc, dict) else None
        names = {code, *(str(region.get(k)) for k in ("code", "name", "long_name") if isinstance(region, dict) and region.get(k))}
        if wanted in {n.casefold() for n in names}:
            return code
    return None


def load_registry(project: Project | None = None, region: str | None = None) -> Registry:
    """Read the region file (default: ``project.region``, else the default region), the alias map and the
    national list of names.

    Every fault in these files is a Problem at its line (raised as ValidationFailed, exit code 2).
    """
    project = project or Project.find()
    region = region or project.region or default_region(project)
    path = project.params / "regions" / f"{region}.yml"
    if not path.exists():
        found = find_region(region, project)
        if found is None:
            known = sorted(region_files(project))
            raise RegistryError(f"{project.relative(path)}: no such region file (known regions: {', '.join(known)})")
        region, path = found, project.params / "regions" / f"{found}.yml"
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
    datasets = doc.get("datasets", "all")
    if datasets != "all" and (not isinstance(datasets, list) or not all(isinstance(d, str) for d in datasets)):
        problems.append(y.problem(("datasets",), "datasets", f"datasets is {type_name(datasets)}",
                                  "all, or a list of raw table names (see `fyrbodal tables`)"))
    if not isinstance(doc.get("default", False), bool):
        problems.append(y.problem(("default",), "default", f"default is {type_name(doc.get('default'))}", "true or false"))
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
    slugs = [r["slug"] for r in rows]
    for i, r in enumerate(rows):
        if slugs.count(r["slug"]) > 1 or r["slug"] == doc["region"]["code"] or not SLUG_RE.match(r["slug"]):
            problems.append(y.problem(("municipalities", i, "slug"), "slug", f"slug {r['slug']!r} of "
                                      f"{r['municipality_name']} is not a unique lower-case name distinct from the "
                                      "region code", "a-z, 0-9 and '-', one per municipality (habo, haabo)"))
    if not SLUG_RE.match(doc["region"]["code"]):
        problems.append(y.problem(("region", "code"), "code", f"region code {doc['region']['code']!r} is not a "
                                  "folder name", "a-z, 0-9 and '-', e.g. vastra-gotaland"))
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
        datasets=None if datasets == "all" else list(datasets),
        default=region == default_region(project),
        long_name=doc["region"].get("long_name"),
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


#: National names by the sha256 of the GeoJSON's bytes: parsing the 0.8 MB file is most of ``load_registry``'s
#: time, and every edition, ``prepare`` and validation reads the registry. Keyed on content, so a changed or
#: broken file is parsed (and reported) again; only good parses are kept, and only the last few.
_NAMES: dict[bytes, dict[str, str]] = {}
_NAMES_KEPT = 4


def _national_names(geojson: Path, display: str) -> dict[str, str]:
    """Official name -> code of every municipality of Sweden, from the shipped GeoJSON (one Problem if it is broken)."""
    if not geojson.exists():
        raise RegistryFailed([Problem(display, None, None, "file is missing; every municipality name is checked "
                                        "against it", "the registered file (restore it from git)")])
    data = read_bytes(geojson, display)
    key = hashlib.sha256(data).digest()
    if key in _NAMES:
        return dict(_NAMES[key])
    names = _parse_national_names(data, display)
    while len(_NAMES) >= _NAMES_KEPT:
        _NAMES.pop(next(iter(_NAMES)))
    _NAMES[key] = names
    return dict(names)


def _parse_national_names(data: bytes, display: str) -> dict[str, str]:
    doc = parse_json(decode_text(data, display), display)
    try:
        names = {f["properties"]["kom_namn"]: f["properties"]["id"] for f in doc["features"]}
    except (KeyError, TypeError, IndexError):
        raise RegistryFailed([Problem(display, None, None, "is not a FeatureCollection whose features have "
                                        "properties kom_namn and id", "the registered GeoJSON")]) from None
    if not names:
        raise RegistryFailed([Problem(display, None, None, "has no features", "the municipalities of Sweden")])
    return names
