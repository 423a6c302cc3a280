"""``fyrbodal prepare``: raw files -> validated, tidy parquet tables + manifest.

1. Check every file registered in ``data/raw/sources.yml`` (present, sha256
   unchanged, nothing unregistered).
2. Parse each input with its table spec and file format; collect all problems.
3. Run each domain's ``clean``, check what it returned against its declared
   tables (``declarations.Table``) and validate every table against the field
   dictionary (pandera, lazy), its key, row checks, tiers and answer domains.
4. Write all tables and ``manifest.json`` to a temporary folder next to
   ``data/processed/`` and swap it in only when everything succeeded. A failed
   run leaves ``data/processed/`` exactly as it was.

Outputs are byte-identical across runs: parquet written with fixed options and
a manifest without timestamps.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import Problem, ValidationFailed
from ..core.fields import FIELDS
from ..core.paths import Project
from ..core.registry import Registry, load_registry
from ..raw.files import TableSpec, read_table
from ..raw.schemas import run_schema, schema_for
from ..raw.sources import Source, check_files, load_sources, sha256
from . import broadband, capabilities, costs, demography, dimios, facts, infosec, method, pilots, surveys
from .declarations import Domain, Table, check_domains, check_produced, domain_of, table_problems

MODULES = (demography, dimios, infosec, costs, broadband, capabilities, surveys, method, pilots, facts)
#: Each module's declaration; a module without one fails here, at import.
DOMAINS: tuple[Domain, ...] = tuple(domain_of(m) for m in MODULES)
_SPECS = check_domains(DOMAINS)
MANIFEST = "manifest.json"


def all_specs() -> dict[str, TableSpec]:
    """Every raw spec of every domain, by name."""
    return dict(_SPECS)


def microdata_specs() -> dict[str, TableSpec]:
    """The raw specs ``fyrbodal synth`` writes demo files for."""
    return {name: spec for name, spec in _SPECS.items() if spec.microdata}


def all_tables() -> dict[str, Table]:
    """Every declared processed table, by name."""
    return {t.name: t for d in DOMAINS for t in d.tables}


@dataclass
class Inputs:
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # by spec name
    sources: dict[str, Source] = field(default_factory=dict)  # by spec name
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_inputs(project: Project, registry: Registry) -> Inputs:
    """Check and parse every registered raw input; collect all problems."""
    result = Inputs()
    sources = load_sources(project)
    result.problems += check_files(project, sources)
    broken = {p.file for p in result.problems}
    specs = all_specs()
    private_tables = {s.table for s in sources.values() if s.tier == "private"}
    public_tables = {s.table for s in sources.values() if s.tier == "public" and s.role == "input"}
    for rel, src in sorted(sources.items()):
        display = f"data/raw/{rel}"
        if src.role != "input" or src.table is None or display in broken or not registry.has(src.table):
            continue  # a table the region does not declare is not read at all
        if src.tier == "demo" and src.table in private_tables:
            result.warnings.append(f"{display} is replaced by a private file")
            continue
        if src.tier == "demo" and src.table in public_tables:
            result.warnings.append(f"{display} is replaced by a public file")
            continue
        if src.table not in specs:
            result.problems.append(Problem("data/raw/sources.yml", None, rel, f"unknown table {src.table!r}",
                                           "one of " + ", ".join(sorted(specs))))
            continue
        frame, problems = _reader(rel)(project.raw / rel, display, specs[src.table], src.format, registry)
        result.problems += problems
        if frame is not None and not problems:
            if src.table in result.frames:
                result.problems.append(Problem(display, None, None, f"a second input for table {src.table!r} "
                                               f"(also {result.frames[src.table].attrs['file']})", "one file per table"))
                continue
            frame.attrs["file"] = display
            frame.attrs["tier"] = src.tier
            result.frames[src.table] = frame
            result.sources[src.table] = src
    return result


def _reader(path: str):
    """CSV files go through files.read_table; PTS's Excel tables through pts.read_tabellbilaga."""
    if str(path).lower().endswith(".xlsx"):
        from ..raw.pts import read_tabellbilaga
        return read_tabellbilaga
    return read_table


def build_tables(project: Project, registry: Registry) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]], Inputs]:
    """Validate inputs and run every module's clean. Raises ValidationFailed."""
    inputs = read_inputs(project, registry)
    if inputs.problems:
        raise ValidationFailed(inputs.problems)
    tables: dict[str, pd.DataFrame] = {}
    lineage: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for d in DOMAINS:
        required, optional = d.required(), d.optional()
        needed = [s for s in required if s in inputs.frames] + [s for s in optional if s in inputs.frames]
        missing = [s for s in required if s not in inputs.frames]
        if any(not registry.has(s) for s in missing):
            # the region has no data for some of the domain's inputs: a domain that can do with part of them
            # (``partial`` lists what it can do without) makes what it can, every other one is left out
            if not set(missing) <= d.partial or not needed:
                continue
            missing = []
        if missing:
            problems += [Problem("data/raw/sources.yml", None, s, "no registered input for this table",
                                 f"a file registered with table: {s}") for s in missing]
            continue
        try:
            out = d.clean({s: inputs.frames[s] for s in needed}, registry)
        except ValidationFailed as exc:
            problems += exc.problems
            continue
        check_produced(d, out, set(needed))
        for name, df in out.items():
            tables[name] = df
            t = d.by_name[name]
            lineage[name] = [inputs.sources[s].path for s in (*t.inputs, *t.optional) if s in inputs.frames]
    if problems:
        raise ValidationFailed(problems)
    problems += _validate_outputs(tables, lineage, inputs.sources)
    if problems:
        raise ValidationFailed(problems)
    for d in DOMAINS:
        if d.notes is not None and all(t.name in tables for t in d.tables):
            inputs.warnings += d.notes(tables)
    unused = registry.unused_aliases()
    if unused:
        inputs.warnings.append(f"{len(unused)} aliases in params/municipality_aliases.yml were not used by any input")
    return tables, lineage, inputs


def _validate_outputs(tables: dict[str, pd.DataFrame], lineage: dict[str, list[str]],
                      sources: dict[str, Source]) -> list[Problem]:
    """Every made table against its declaration: fields, key, nullable columns, row checks, tiers, rows, answers."""
    problems = []
    tiers_of = {s.path: s.tier for s in sources.values()}
    for name, t in all_tables().items():
        if name not in tables:  # not made for a region without its data
            continue
        df = tables[name]
        unknown = [c for c in df.columns if c not in FIELDS]
        if unknown:
            problems.append(Problem(f"data/processed/{name}.parquet", None, ",".join(unknown),
                                    "column is not in the field dictionary", "a field of fields.py"))
            continue
        schema = schema_for({c: FIELDS[c] for c in df.columns}, t.key, t.nullable, name, [c for _, c in t.checks])
        problems += run_schema(schema, df, f"data/processed/{name}.parquet", t.key, list(t.checks))
        problems += table_problems(t, df, {p: tiers_of[p] for p in lineage[name]})
    return problems


def prepare(project: Project | None = None, region: str | None = None, progress=None) -> dict:
    """Validate and clean the region's inputs (default: the default region); publish the tables atomically into
    the region's processed folder. Returns the manifest."""
    project = project or Project.find()
    project = load_registry(project, region).project(project)
    project.processed.parent.mkdir(parents=True, exist_ok=True)
    from ..core.guards import checkout_lock
    with checkout_lock(project.processed.parent / ".processed-lock", "prepare"):
        for stale in project.processed.parent.glob(".processed-*"):
            if stale.is_dir():  # left by a killed run (we hold the lock)
                shutil.rmtree(stale, ignore_errors=True)
        return _prepare(project, region, progress)


def _prepare(project: Project, region: str | None, progress) -> dict:
    say = progress or (lambda msg: None)
    registry = load_registry(project, region)
    say("checking and reading data/raw/ …")
    tables, lineage, inputs = build_tables(project, registry)
    for w in inputs.warnings:
        say("note: " + w)
    say(f"writing {len(tables)} tables …")
    project.processed.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".processed-", dir=project.processed.parent))
    try:
        manifest = _write(tables, lineage, inputs, project, tmp, registry)
        _swap(tmp, project.processed)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _write(tables, lineage, inputs: Inputs, project: Project, folder: Path, registry: Registry) -> dict:
    sources = load_sources(project)
    declared = all_tables()
    entries = {}
    for name in sorted(tables):
        df = tables[name].reset_index(drop=True)
        path = folder / f"{name}.parquet"
        df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
        tiers = sorted({sources[p].tier for p in lineage[name]})
        entries[name] = {
            "rows": int(len(df)),
            "columns": list(df.columns),
            "tiers": tiers,
            "confidential": declared[name].confidential,
            "inputs": sorted(lineage[name]),
            "sha256": sha256(path),
        }
    manifest = {
        "region": registry.region_code,
        "inputs": {f"data/raw/{p}": {"sha256": s.sha256, "tier": s.tier} for p, s in sorted(sources.items()) if s.role == "input"},
        "tables": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames; the old folder is removed last."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


def validate_file(path: Path, project: Project, table: str | None = None, fmt=None, region: str | None = None) -> list[Problem]:
    """Check one raw file (registered, or against the named table spec)."""
    registry = load_registry(project, region)
    sources = load_sources(project)
    rel = _rel_to_raw(path, project)
    src = sources.get(rel) if rel else None
    problems: list[Problem] = []
    if src is not None:
        actual = sha256(path)
        if actual != src.sha256:
            problems.append(Problem(project.relative(path), None, None,
                                    f"sha256 is {actual[:12]}… but sources.yml records {src.sha256[:12]}…",
                                    f"the registered file, or run `fyrbodal register {project.relative(path)}`"))
        table = table or src.table
        fmt = fmt or src.format
    if table is None:
        return problems + [Problem(project.relative(path), None, None, "file is not registered and no --table given",
                                   "--table NAME (see `fyrbodal tables`)")]
    specs = all_specs()
    if table not in specs:
        return problems + [Problem(project.relative(path), None, None, f"unknown table {table!r}", ", ".join(sorted(specs)))]
    from ..raw.files import FileFormat
    reader = _reader(path)
    extra = {"keep": False} if reader is read_table else {}  # check only: keep no frame in memory
    _, found = reader(path, project.relative(path), specs[table], fmt or FileFormat(), registry, **extra)
    return problems + found


def _rel_to_raw(path: Path, project: Project) -> str | None:
    try:
        return str(path.resolve().relative_to(project.raw.resolve()))
    except ValueError:
        return None
