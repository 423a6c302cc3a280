"""One edition of the report: the region, or one municipality highlighted against it.

``ed = fa.edition("1460")`` gives the context every part function needs: the
tables (loaded once), the registry, who took part in what (Figur 33), the data
tier behind each table (so items built on demo data are marked) and the
disclosure rule. The region edition uses the region code (``"fyrbodal"``).

Disclosure rule: public data (population, maps, the report's own tables) may
name every municipality. Survey, Dimios, capability and cost data are shown
named only for the edition's own municipality (and its own IT organisation);
every other unit appears as an anonymous point or in aggregates. The rule and
its thresholds live in :mod:`fyrbodal_analysis.disclosure`; every item passes
through it (see :func:`items.item`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from . import load as _load
from . import manifest as _manifest
from .html import TIER_TEXT  # one wording for pages and captions
from .paths import Project
from .registry import Registry, load_registry

MIN_GROUP = 3  # units besides the reader's own (disclosure.MIN_OTHERS)



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
    def highlight(self) -> str | None:
        """The label to highlight in figures (None in the region edition)."""
        return None if self.is_region else self.name

    # -- data -----------------------------------------------------------------------
    def load(self, table: str) -> pd.DataFrame:
        """A processed table (loaded once per edition); recorded as an input of every item being built."""
        for used in self._recorders:
            used.add(table)
        return self.peek(table)

    def peek(self, table: str) -> pd.DataFrame:
        """A processed table without recording it as an item's input (for the disclosure layer's own checks)."""
        if table not in self._cache:
            self._cache[table] = _load(table, self.project)
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


class _Used(set):
    """Tables loaded while building an item, and the disclosure layer's notes about it."""

    def __init__(self):
        super().__init__()
        self.notes: list[str] = []


def edition(code: str | None = None, project: Project | None = None, region: str = "fyrbodal") -> Edition:
    """The edition for a municipality code (or slug), or the region edition when ``code`` is None/region."""
    project = project or Project.find()
    reg = load_registry(project, region)
    if isinstance(code, int):  # e.g. papermill -p municipality_code 1460 without -r
        code = f"{code:04d}"
    code = code or reg.region_code
    if code not in reg.name_of and code != reg.region_code:
        by_slug = {v: k for k, v in reg.slug_of.items()}
        if code not in by_slug:
            raise KeyError(f"unknown edition {code!r}: use {reg.region_code!r}, a municipality code or a slug")
        code = by_slug[code]
    return Edition(code, project, reg, _manifest(project))


def too_few(ed: "Edition", number: str, title: str, units, what: str = "organisationer"):
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
