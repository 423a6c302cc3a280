"""Provenance of raw files: ``data/raw/sources.yml``.

Every raw file has an entry: the table spec it follows, its tier (published,
public, demo, private), origin (report figure/table and section, or public
repository, path and commit), licence, retrieval date, its sha256 and its
declared file format. A file whose bytes no longer match the recorded sha256
is refused until it is registered again with ``fyrbodal register``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem
from .paths import Project
from .rawfiles import FileFormat

TIERS = ("published", "public", "demo", "private")
IGNORED = {"sources.yml", "PROVENANCE.md", "README.md", ".gitkeep", "disclosure.key"}  # the key is no data


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Source:
    path: str  # relative to data/raw
    table: str | None  # spec name; None for files used only as cross-checks or non-tabular inputs
    tier: str
    sha256: str
    format: FileFormat
    origin: dict
    licence: str
    retrieved: str
    role: str = "input"  # or "crosscheck"

    def to_dict(self) -> dict:
        return {
            "table": self.table,
            "tier": self.tier,
            "role": self.role,
            "sha256": self.sha256,
            "format": self.format.to_dict(),
            "origin": self.origin,
            "licence": self.licence,
            "retrieved": self.retrieved,
        }


PRIVATE_SOURCES = "private/sources.yml"


def load_sources(project: Project) -> dict[str, Source]:
    """All registered raw files: sources.yml plus the git-ignored private/sources.yml."""
    out = _read(project.sources_file)
    private = project.raw / PRIVATE_SOURCES
    if private.exists():
        out.update({k: v for k, v in _read(private).items() if k.startswith("private/")})
    return out


def _read(path: Path) -> dict[str, Source]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for path, e in (doc.get("files") or {}).items():
        out[path] = Source(
            path=path,
            table=e.get("table"),
            tier=e["tier"],
            sha256=e["sha256"],
            format=FileFormat.from_dict(e.get("format")),
            origin=e.get("origin") or {},
            licence=e.get("licence", ""),
            retrieved=str(e.get("retrieved", "")),
            role=e.get("role", "input"),
        )
    return out


def save_sources(project: Project, sources: dict[str, Source]) -> None:
    """Write sources.yml (and private/sources.yml for private files) atomically, sorted by path."""
    header = (
        "# Provenance of every file under data/raw/ (see src/fyrbodal_analysis/sources.py).\n"
        "# Written by `fyrbodal register` and `fyrbodal synth`; edit origin and licence by hand if needed, never sha256.\n"
    )
    public = {p: s for p, s in sources.items() if not p.startswith("private/")}
    private = {p: s for p, s in sources.items() if p.startswith("private/")}
    _write(project.sources_file, header, public)
    if private:
        (project.raw / "private").mkdir(exist_ok=True)
        _write(project.raw / PRIVATE_SOURCES, "# Private (confidential) files: git-ignored, never committed.\n", private)


def _write(path: Path, header: str, sources: dict[str, Source]) -> None:
    body = yaml.safe_dump({"files": {p: sources[p].to_dict() for p in sorted(sources)}},
                          allow_unicode=True, sort_keys=False, width=110)
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(header + body, encoding="utf-8")
    tmp.replace(path)


def check_files(project: Project, sources: dict[str, Source]) -> list[Problem]:
    """Missing, changed and unregistered raw files."""
    problems = []
    for rel, src in sources.items():
        path = project.raw / rel
        shown = f"data/raw/{rel}"
        if src.tier not in TIERS:
            problems.append(Problem("data/raw/sources.yml", None, rel, f"unknown tier {src.tier!r}", " or ".join(TIERS)))
        if not path.exists():
            problems.append(Problem(shown, None, None, "file is registered in sources.yml but missing",
                                    "the file, or remove its entry"))
            continue
        actual = sha256(path)
        if actual != src.sha256:
            problems.append(Problem(
                shown, None, None,
                f"sha256 is {actual[:12]}… but sources.yml records {src.sha256[:12]}…: the file changed since it was registered",
                f"the registered file, or run `fyrbodal register {shown}` to accept the new content"))
    registered = {project.raw / p for p in sources}
    for path in sorted(project.raw.rglob("*")):
        if path.is_file() and path.name not in IGNORED and path not in registered:
            problems.append(Problem(project.relative(path), None, None, "file is not registered in data/raw/sources.yml",
                                    f"`fyrbodal register {project.relative(path)} --table NAME`"))
    return problems


def today() -> str:
    return dt.date.today().isoformat()
