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
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.configfiles import Located, type_name
from ..core.errors import Problem, ValidationFailed
from ..core.paths import Project
from .files import FileFormat, format_problems

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


ROLES = ("input", "crosscheck")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _read(path: Path) -> dict[str, Source]:
    """Entries of one sources file; every malformed entry is a Problem at its line (ValidationFailed)."""
    display = f"data/raw/{path.relative_to(path.parents[1 if path.parent.name == 'private' else 0]).as_posix()}"
    y = Located(path, display)
    doc = y.doc if y.doc is not None else {}
    if not isinstance(doc, dict) or not isinstance(doc.get("files", {}), (dict, type(None))):
        raise ValidationFailed([y.problem(("files",), "files", "the file must be a mapping with one key 'files' "
                                          "that maps each raw path to its entry", "files: {PATH: {table: …, tier: …}}")])
    out, problems = {}, []
    for rel, e in (doc.get("files") or {}).items():
        where = ("files", rel)
        bad = _entry_problems(rel, e)
        if bad:
            problems += [y.problem(where + ((k,) if k else ()), k or rel, m, x) for k, m, x in bad]
            continue
        out[rel] = Source(
            path=rel,
            table=e.get("table"),
            tier=e["tier"],
            sha256=e["sha256"],
            format=FileFormat.from_dict(e.get("format")),
            origin=e.get("origin") or {},
            licence=str(e.get("licence") or ""),
            retrieved=str(e.get("retrieved", "")),
            role=e.get("role", "input"),
        )
    if problems:
        raise ValidationFailed(problems)
    return out


def _entry_problems(rel, e) -> list[tuple[str | None, str, str]]:
    """(key, what is wrong, expected) for one entry of sources.yml."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel or ".." in Path(rel).parts:
        return [(None, f"raw path {rel!r} is not a plain path under data/raw/", "a relative path like demo/ledger.csv")]
    if not isinstance(e, dict):
        return [(None, f"entry is {type_name(e)}", "a mapping with table, tier, sha256, format, origin")]
    out = []
    unknown = sorted(set(e) - {"table", "tier", "role", "sha256", "format", "origin", "licence", "retrieved"})
    for k in unknown:
        out.append((k, f"unknown key {k!r}", "table, tier, role, sha256, format, origin, licence, retrieved"))
    if "tier" not in e:
        out.append((None, "entry has no tier", "tier: " + " or ".join(TIERS)))
    elif e["tier"] not in TIERS:
        out.append(("tier", f"unknown tier {e['tier']!r}", " or ".join(TIERS)))
    if "sha256" not in e:
        out.append((None, "entry has no sha256", "sha256: 64 hex digits (run `fyrbodal register`)"))
    elif not isinstance(e["sha256"], str) or not SHA256_RE.match(e["sha256"]):
        out.append(("sha256", f"sha256 is {type_name(e['sha256'])} {str(e['sha256'])[:20]!r}, not 64 hex digits",
                    "a quoted text of 64 lower-case hex digits (run `fyrbodal register` to record it)"))
    if e.get("table") is not None and not isinstance(e["table"], str):
        out.append(("table", f"table is {type_name(e['table'])}", "a table name (see `fyrbodal tables`)"))
    if e.get("role", "input") not in ROLES:
        out.append(("role", f"unknown role {e['role']!r}", " or ".join(ROLES)))
    if e.get("origin") is not None and not isinstance(e["origin"], dict):
        out.append(("origin", f"origin is {type_name(e['origin'])}", "a mapping (document, figure, section, …)"))
    fmt = e.get("format")
    if fmt is not None and not isinstance(fmt, dict):
        out.append(("format", f"format is {type_name(fmt)}", "a mapping with encoding, sep, decimal, thousands"))
    elif fmt:
        out += [("format", m, x) for m, x in format_problems(fmt)]
    return out


def save_sources(project: Project, sources: dict[str, Source]) -> None:
    """Write sources.yml (and private/sources.yml for private files) atomically, sorted by path."""
    header = (
        "# Provenance of every file under data/raw/ (see src/fyrbodal_analysis/raw/sources.py).\n"
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
        if not path.is_file():
            problems.append(Problem(shown, None, None, "is registered in sources.yml but is a folder, not a file",
                                    "a file at this path, or remove its entry"))
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
