"""One edition of the report: the region, or one municipality highlighted against it.

``ed = fa.edition("1460")`` gives the context every part function needs: the
tables (loaded once), the registry, who took part in what (Figur 33), the data
tier behind each table (so items built on demo data are marked) and the
disclosure rule. An edition is named by one text: a municipality's code, slug or
name, or the region's code or name, in any case; ``"<region>/<slug>"`` names an
edition of a region other than the default one. The region is the one the
processed data were prepared for (``manifest.json`` records it).

Disclosure rule: public data (population, maps, the report's own tables) may
name every municipality. Survey, Dimios, capability and cost data are shown
named only for the edition's own municipality (and its own IT organisation);
every other municipality appears as an anonymous point or in aggregates, and an
aggregate over fewer than ``MIN_GROUP`` organisations is suppressed.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from . import load as _load
from . import manifest as _manifest
from .errors import NoData
from .html import TIER_TEXT  # one wording for pages and captions
from .paths import Project
from .registry import Registry, find_region, load_registry

MIN_GROUP = 3



#: Tables already read in this process, by (processed folder, name, sha256): a build kernel serves many editions,
#: and reads each table once. Every edition gets its own copy, so no edition can change another's data.
_TABLES: dict[tuple, pd.DataFrame] = {}


def _shared_load(table: str, project: Project, sha256: str | None) -> pd.DataFrame:
    if sha256 is None:
        return _load(table, project)
    key = (str(project.processed), table, sha256)
    if key not in _TABLES:
        _TABLES[key] = _load(table, project)
    return _TABLES[key].copy()


STEP_TEXT = {
    "omvarldsanalys": "omvärldsanalysen",
    "enkater": "enkäterna i nulägesanalysen",
    "kostnadsunderlag": "kostnadsunderlaget i nulägesanalysen",
    "formagekartlaggning": "workshopparna i förmågekartläggningen",
}


@dataclass
class Edition:
    code: str
    project: Project
    registry: Registry
    info: dict
    _cache: dict = field(default_factory=dict, repr=False)
    _recorders: list = field(default_factory=list, repr=False)  # one set per item being built (nested)
    #: How often ``code`` was read. ``code`` is the only thing that differs between the editions of one region
    #: (name, highlight, own organisation, participation all derive from it), so an item built without reading it
    #: is the same in every edition of the region: the build renders it once and reuses it (see itemcache).
    _code_reads: int = field(default=0, repr=False)

    def __getattribute__(self, attr):
        if attr == "code":
            object.__setattr__(self, "_code_reads", object.__getattribute__(self, "_code_reads") + 1)
        return object.__getattribute__(self, attr)

    # -- identity -------------------------------------------------------------------
    @property
    def is_region(self) -> bool:
        return self.code == self.registry.region_code

    @property
    def name(self) -> str:
        return self.registry.region_name if self.is_region else self.registry.name_of[self.code]

    @property
    def region(self) -> str:
        return self.registry.region_name

    @property
    def region_genitive(self) -> str:
        """The region's name in the genitive ("Västra Götalands", "Sveriges")."""
        name = self.registry.region_name
        return name if name[-1:] in "sxz" else name + "s"

    @property
    def highlight(self) -> str | None:
        """The label to highlight in figures (None in the region edition)."""
        return None if self.is_region else self.name

    # -- data -----------------------------------------------------------------------
    def load(self, table: str) -> pd.DataFrame:
        """A processed table (loaded once per edition); recorded as an input of every item being built."""
        if table not in self.info["tables"]:
            raise NoData(table, self.region)  # the region file does not declare the data (see items.item)
        for used in self._recorders:
            used.add(table)
        if table not in self._cache:
            self._cache[table] = _shared_load(table, self.project, self.info["tables"][table].get("sha256"))
        return self._cache[table]

    @contextmanager
    def recording(self):
        """Collect the names of the tables loaded inside the ``with`` block (see :func:`items.item`)."""
        used: set[str] = set()
        self._recorders.append(used)
        try:
            yield used
        finally:
            self._recorders.pop()  # the innermost (sets compare by value, so not .remove)

    def tiers(self, *tables: str) -> set[str]:
        return {t for name in tables for t in self.info["tables"][name]["tiers"]}

    def demo(self, *tables: str) -> bool:
        return "demo" in self.tiers(*tables)

    def demo_shown(self, tables, row_tiers=None) -> bool:
        """Whether an item built from ``tables`` shows demo data.

        A table with a per-row ``tier`` column counts with the tiers of the rows the item says it shows
        (``row_tiers``), when it says so; every other table with all the tiers ``prepare`` recorded for it.
        """
        tiered = {t for t in tables if "tier" in self.info["tables"][t].get("columns", ())} if row_tiers is not None else set()
        return self.demo(*(set(tables) - tiered)) or (bool(tiered) and "demo" in row_tiers)

    def confidential(self, *tables: str) -> bool:
        """Whether any of the tables was built from confidential microdata (recorded by ``prepare``)."""
        return any(self.info["tables"][name].get("confidential", False) for name in tables)

    def source(self, *tables: str, extra: str = "") -> str:
        tiers = self.tiers(*tables)
        text = ", ".join(TIER_TEXT[t] for t in ("published", "public", "private", "demo") if t in tiers)
        return (extra + "; " if extra else "") + text[0].upper() + text[1:] if text else extra

    # -- participation and organisations ------------------------------------------------
    def took_part(self, step: str) -> bool:
        if self.is_region:
            return True
        p = self.load("participation").set_index("municipality_code")
        return int(p.loc[self.code, f"{step}_n"]) > 0

    def absent(self, step: str) -> str:
        return f"{self.name} deltog inte i {STEP_TEXT[step]} (Figur 33), så här finns inga egna uppgifter att visa."

    @property
    def own_org(self) -> str | None:
        if self.is_region:
            return None
        m = self.load("it_org_members")
        row = m.loc[m["municipality_code"] == self.code, "it_org_id"]
        return None if row.empty else str(row.iloc[0])

    def org_label(self, org_id: str) -> str | None:
        """Name of an IT organisation if the edition may name it (its own), else None."""
        if org_id is None or org_id != self.own_org:
            return None
        orgs = self.load("it_organisations").set_index("it_org_id")
        return str(orgs.loc[org_id, "it_org_name"])

    def anonymous_labels(self, ids: list[str], own: str | None, prefix: str) -> list[str]:
        """Stable anonymous labels ("Org. A", ...) for all but the edition's own id."""
        # order by a hash, not by name, so that a letter says nothing about which organisation it is
        others = sorted((i for i in set(ids) if i != own), key=lambda i: hashlib.sha256(f"fyrbodal:{i}".encode()).hexdigest())
        letters = {i: f"{prefix} {chr(65 + n)}" for n, i in enumerate(others)}
        return [self.org_label(i) or self.name if i == own else letters[i] for i in ids]


def edition(edition: str | int | None = None, project: Project | None = None, region: str | None = None) -> Edition:
    """The edition named by ``edition``: a municipality code, slug or name, or the region's code or name, any case
    ("1460", "bengtsfors", "Bengtsfors", "BENGTSFORS"); None gives the region edition.

    The region is the one the processed data were prepared for (``manifest.json`` of the default region's
    data/processed/), unless ``edition`` is ``"<region>/<edition>"``, names another region (its code or
    name), or ``region`` is given: then that region's processed folder is used.
    """
    project = project or Project.find()
    if isinstance(edition, int):  # e.g. papermill -p edition 1460 without -r
        edition = f"{edition:04d}"
    wanted = None if edition is None or not str(edition).strip() else str(edition).strip()
    if wanted and "/" in wanted:
        region, wanted = (part.strip() or None for part in wanted.split("/", 1))
    if region is None:
        try:
            region = _manifest(project).get("region")  # the data say which region they were prepared for
        except FileNotFoundError:
            region = None  # not prepared yet: the default region (the error comes below, naming the folder)
        reg = load_registry(project, region)
        other = find_region(wanted, project) if wanted and not _known(reg, wanted) else None
        if other is not None:
            region, wanted, reg = other, None, None  # another region's own edition
    else:
        reg = None
    reg = reg or load_registry(project, region)
    project = reg.project(project.for_region(None))
    info = _manifest(project)
    if info.get("region") != reg.region_code:
        raise ValueError(f"{project.relative(project.processed / 'manifest.json')} was prepared for region "
                         f"{info.get('region')!r}, not {reg.region_code!r}: run `fyrbodal prepare --region "
                         f"{reg.region_code}`")
    return Edition(_resolve_edition(reg, wanted), project, reg, info)


def _known(reg: Registry, wanted: str) -> bool:
    try:
        _resolve_edition(reg, wanted)
        return True
    except KeyError:
        return False


def _resolve_edition(reg: Registry, wanted: str | None) -> str:
    """The code an edition request means: code, slug or name (case and surrounding space ignored)."""
    if wanted is None or str(wanted).strip() == "":
        return reg.region_code
    key = str(wanted).strip().casefold()
    lookup = {reg.region_code.casefold(): reg.region_code, reg.region_name.casefold(): reg.region_code}
    for code in reg.codes:
        for alias in (code, reg.slug_of[code], reg.name_of[code]):
            lookup[alias.casefold()] = code
    if key not in lookup:
        raise KeyError(f"unknown edition {wanted!r}: use {reg.region_code!r}, a municipality code, slug or name "
                       f"(e.g. {reg.codes[0]!r}, {reg.slug_of[reg.codes[0]]!r}, {reg.name_of[reg.codes[0]]!r})")
    return lookup[key]


def too_few(ed: Edition, number: str, title: str, n: int, what: str = "organisationer"):
    """A message item instead of an aggregate over fewer than MIN_GROUP organisations (None when enough)."""
    if n >= MIN_GROUP:
        return None
    from .items import message
    return message(number, title, f"Visas inte: underlaget omfattar {n} {what}, färre än {MIN_GROUP}, och skulle kunna "
                                  "röja enskilda svar.", source="Regeln om röjandeskydd i fyrbodal-analysis")
