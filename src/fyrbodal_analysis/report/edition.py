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
every other unit appears as an anonymous point or in aggregates. The rule and
its thresholds live in :mod:`fyrbodal_analysis.report.disclosure`; every item passes
through it (see :func:`items.item`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from ..clean.processed import load as _load
from ..clean.processed import manifest as _manifest
from ..core.errors import NoData
from ..core.formatting import TIER_TEXT  # one wording for pages and captions
from ..core.paths import Project
from ..core.registry import Registry, find_region, load_registry

MIN_GROUP = 3  # units besides the reader's own (disclosure.MIN_OTHERS)



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

    @property
    def code_reads(self) -> int:
        """How often ``code`` was read so far (directly or through ``name``, ``highlight``, ``is_region`` …)."""
        return self._code_reads

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
        from ..core.formatting import genitive
        return genitive(self.registry.region_name)

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
        return self.peek(table)

    def peek(self, table: str) -> pd.DataFrame:
        """A processed table without recording it as an item's input (for the disclosure layer's own checks)."""
        for used in self._recorders:  # not an input of the item, but its cache entry is valid only while unchanged
            used.peeked.add(table)
        if table not in self._cache:
            self._cache[table] = _shared_load(table, self.project, self.info["tables"].get(table, {}).get("sha256"))
        return self._cache[table]

    def note_disclosure(self, text: str) -> None:
        """Record, for the analyst's disclosure report, what the item being built withheld and why."""
        for used in self._recorders:
            if text not in used.notes:
                used.notes.append(text)

    @contextmanager
    def recording(self):
        """Collect the names of the tables loaded inside the ``with`` block (see :func:`items.item`)."""
        used = _Used()
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

    def source(self, *tables: str, extra: str = "", producer: str = "", demo_format: str = "") -> str:
        """The source line: ``extra`` (report figure, section), then the data tiers.

        ``producer`` names who produced the microdata ("PTS bredbandskartläggning 2019"). It is named only
        when the data are real; on demo data the line says "Syntetiska demodata i {demo_format}" instead
        and never attributes synthetic values to a real producer.
        """
        tiers = self.tiers(*tables)
        if "demo" in tiers:
            lead = "Syntetiska demodata" + (f" i {demo_format}" if demo_format else "") + " – inte verkliga uppgifter"
            rest = [TIER_TEXT[t] for t in ("published", "public", "private") if t in tiers]
            return "; ".join(x for x in (lead, extra, ", ".join(rest)) if x)
        text = ", ".join(TIER_TEXT[t] for t in ("published", "public", "private") if t in tiers)
        head = "; ".join(x for x in (producer, extra) if x)
        return (head + "; " if head else "") + text[0].upper() + text[1:] if text else head

    def marked(self, text: str, *tables: str) -> str:
        """``text`` with "(syntetiska demodata)" inside each sentence when any of ``tables`` holds demo data;
        otherwise the text as a note that rests on real data (no mark, even inside an item that also uses demo data)."""
        from .items import demo_sentence, report_note
        return demo_sentence(text) if tables and self.demo(*tables) else report_note(text)

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


class _Used(set):
    """Tables loaded while building an item, and the disclosure layer's notes about it."""

    def __init__(self):
        super().__init__()
        self.notes: list[str] = []
        self.peeked: set[str] = set()  # tables read without being inputs (the disclosure layer's checks)


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


def too_few(ed: Edition, number: str, title: str, units, what: str = "organisationer"):
    """A message item instead of a value over too few units (None when enough).

    ``units`` are the ids the value rests on; the reader's own units do not count (see
    :mod:`disclosure`). A bare count is taken to include the reader's own unit.
    """
    from . import disclosure
    if disclosure.enough(ed, units):
        return None
    from .items import message
    n = units - 1 if isinstance(units, int) else disclosure.others_seen(ed, units)
    ed.note_disclosure(f"{number}: undertryckt, {n} {what} utöver läsarens egna")
    return message(number, title, disclosure.threshold_text(ed, n, what), source=disclosure.RULE_SOURCE)
