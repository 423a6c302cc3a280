"""Declarations of what ``prepare`` makes: one :class:`Table` per processed table, one :class:`Domain` per module.

A cleaning module (demography, dimios, …) ends with ``DOMAIN = Domain(...)``:
the raw specs it owns (published, public and microdata alike), its ``clean``
function and one ``Table`` per output. ``pipeline`` reads nothing else of the
module. Every rule that can be checked without data is checked when the
declaration is made (:func:`check_domains` runs at ``pipeline``'s import);
what ``clean`` returns is checked against the declaration on every run
(:func:`check_produced`), and each made table against its key, nullable
columns, row checks, tiers, answer domains and ``non_empty``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..core.errors import Problem
from ..core.fields import FIELDS
from ..raw.files import TableSpec
from ..raw.sources import TIERS as _TIERS

#: The tiers a raw file can have (sources.yml).
TIERS = frozenset(_TIERS)
#: Tables transcribed from the report.
PUBLISHED = frozenset({"published"})
#: Public files (SCB, Kolada, PTS) shipped or brought in by ``fyrbodal fetch``.
PUBLIC = frozenset({"public"})
#: Microdata: a synthetic demo file stands in until a private file replaces it.
MICRODATA = frozenset({"demo", "private"})


class DeclarationError(RuntimeError):
    """A domain module's declarations disagree with each other or with what its ``clean`` returns (a bug)."""


@dataclass(frozen=True)
class Table:
    """One processed table (``data/processed/<name>.parquet``)."""

    name: str
    #: Columns that identify a row (unique together).
    key: tuple[str, ...]
    #: Raw specs the table is built from: all must be present for the table to be made (its lineage).
    inputs: tuple[str, ...]
    #: Tiers (sources.yml) its input files may have; a file of another tier is refused.
    tiers: frozenset[str]
    #: Raw specs used when present (e.g. public files brought in by ``fyrbodal fetch``); part of the lineage then.
    optional: tuple[str, ...] = ()
    #: Columns that may be empty although their field is not nullable.
    nullable: frozenset[str] = frozenset()
    #: Rules across columns: (column to blame, pandera Check returning a boolean Series per row).
    checks: tuple = ()
    #: Holds confidential microdata: every report item that loads it passes the disclosure rule.
    confidential: bool = False
    #: A table without rows is refused.
    non_empty: bool = True
    #: Answer domains: (question column, answer column, {question id: allowed answers}).
    answers: tuple | None = None

    def __post_init__(self):
        bad = sorted(set(self.tiers) - TIERS)
        if bad or not self.tiers:
            raise DeclarationError(f"table {self.name!r}: tiers {sorted(self.tiers)} are not a non-empty subset of "
                                   f"{sorted(TIERS)}")
        unknown = [c for c in (*self.key, *self.nullable, *(c for c, _ in self.checks),
                               *(self.answers[:2] if self.answers else ())) if c not in FIELDS]
        if unknown:
            raise DeclarationError(f"table {self.name!r}: columns {unknown} are not fields of fields.py")
        if not self.inputs and not self.optional:
            raise DeclarationError(f"table {self.name!r} is built from no raw table")


@dataclass(frozen=True)
class Domain:
    """A cleaning module: its raw specs, its ``clean`` and the tables ``clean`` returns."""

    name: str
    #: Raw specs this domain owns, by name (a spec may feed tables of other domains too).
    specs: Mapping[str, TableSpec]
    #: ``clean(frames by spec name, registry) -> {table name: frame}``.
    clean: Callable
    tables: tuple[Table, ...]
    #: Raw specs ``clean`` reads only to check the others (no table is built from them, so not in any lineage).
    reads: tuple[str, ...] = ()
    #: Required inputs a region may lack (its region file does not declare them): the tables built on them are left out.
    partial: frozenset[str] = frozenset()
    #: ``notes(tables) -> [message]`` shown after a run that made all the domain's tables.
    notes: Callable | None = None
    by_name: dict[str, Table] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {t.name: t for t in self.tables})
        if len(self.by_name) != len(self.tables):
            raise DeclarationError(f"domain {self.name!r} declares a table twice")
        if not self.tables:
            raise DeclarationError(f"domain {self.name!r} declares no table")
        for name, spec in self.specs.items():
            if spec.name != name:
                raise DeclarationError(f"domain {self.name!r}: spec {spec.name!r} is filed under {name!r}")
        if not set(self.partial) <= set(self.required()):
            raise DeclarationError(f"domain {self.name!r}: partial {sorted(set(self.partial) - set(self.required()))} "
                                   "are not required inputs")

    def required(self) -> list[str]:
        """Raw specs that must be present (or left out by the region) for ``clean`` to run."""
        out = [*self.reads]
        for t in self.tables:
            out += [s for s in t.inputs if s not in out]
        return out

    def optional(self) -> list[str]:
        """Raw specs ``clean`` uses when present."""
        req = set(self.required())
        return sorted({s for t in self.tables for s in t.optional} - req)


def domain_of(module) -> Domain:
    """A cleaning module's declaration; a module without ``DOMAIN`` (or with something else there) is an error."""
    d = vars(module).get("DOMAIN")
    if not isinstance(d, Domain):
        raise DeclarationError(f"{module.__name__} declares no DOMAIN = Domain(...): every cleaning module declares "
                               "its raw specs and one Table per output (see declarations.py)")
    return d


def check_domains(domains: tuple[Domain, ...]) -> dict[str, TableSpec]:
    """Rules across domains; returns every raw spec by name. Raises DeclarationError."""
    specs: dict[str, TableSpec] = {}
    owner: dict[str, str] = {}
    for d in domains:
        for name, spec in d.specs.items():
            if name in specs:
                raise DeclarationError(f"raw spec {name!r} is declared by both {owner[name]} and {d.name}")
            specs[name], owner[name] = spec, d.name
    made: dict[str, str] = {}
    used: set[str] = set()
    for d in domains:
        for s in (*d.required(), *d.optional()):
            if s not in specs:
                raise DeclarationError(f"domain {d.name!r} reads raw table {s!r}, which no domain declares")
            used.add(s)
        for t in d.tables:
            if t.name in made:
                raise DeclarationError(f"table {t.name!r} is declared by both {made[t.name]} and {d.name}")
            made[t.name] = d.name
            secret = [s for s in (*t.inputs, *t.optional) if specs[s].confidential]
            if secret and not t.confidential:
                raise DeclarationError(f"table {t.name!r} is built from confidential {secret} but not declared "
                                       "confidential=True")
    unused = sorted(set(specs) - used)
    if unused:
        raise DeclarationError(f"raw specs {unused} are declared but no domain reads them")
    return specs


def check_produced(domain: Domain, out: Mapping[str, pd.DataFrame], present: set[str]) -> None:
    """What ``clean`` returned against the declaration: no undeclared table, and every declared table whose inputs
    are all present. Raises DeclarationError (a bug in the module, not in the data)."""
    undeclared = sorted(set(out) - set(domain.by_name))
    if undeclared:
        raise DeclarationError(f"{domain.name}.clean returned undeclared tables {undeclared}: declare a Table for each")
    expected = {t.name for t in domain.tables if set(t.inputs) <= present}
    lost = sorted(expected - set(out))
    if lost:
        raise DeclarationError(f"{domain.name}.clean did not return the declared tables {lost} although their inputs "
                               "are present")


def table_problems(table: Table, df: pd.DataFrame, tiers: dict[str, str]) -> list[Problem]:
    """Rules of a made table that pandera does not check: its input tiers (file -> tier), rows, answer domains."""
    display = f"data/processed/{table.name}.parquet"
    problems = []
    for path, tier in sorted(tiers.items()):
        if tier not in table.tiers:
            problems.append(Problem(f"data/raw/{path}", None, None, f"a {tier} file for table {table.name!r}",
                                    "a file of tier " + " or ".join(sorted(table.tiers)) + " (data/raw/sources.yml)"))
    if table.non_empty and not len(df):
        problems.append(Problem(display, None, None, "the table has no rows", "at least one row"))
    if table.answers and len(df):
        qcol, acol, domains = table.answers
        for (q, a), _ in df.groupby([qcol, acol], sort=True, dropna=True):
            allowed = domains.get(q)
            if allowed is None:
                problems.append(Problem(display, None, qcol, f"unknown question {q!r}", "one of " + ", ".join(domains)))
            elif a not in allowed:
                problems.append(Problem(display, None, acol, f"{a!r} is not an answer to {q}",
                                        "one of " + ", ".join(repr(c) for c in allowed)))
    return problems
