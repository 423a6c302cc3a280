"""The ``fyrbodal`` command line.

Exit codes: 0 success, 2 bad input (one line per problem:
``file:line:column: what is wrong (what was expected)``), 3 the environment
refused: another build or prepare holds the checkout's lock, or a download
failed (``fyrbodal fetch``: no network, rate limited, table gone, changed
answer), 1 an unexpected error (or failed editions). A traceback is shown
only with ``--debug``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import traceback
from pathlib import Path

from ..clean.fetch.http import FetchError
from ..core.errors import ValidationFailed
from ..core.paths import Project
from ..core.registry import RegistryError
from .build import Busy

EPILOG = """examples:
  fyrbodal prepare                      validate data/raw/ and write data/processed/
  fyrbodal validate data/raw/report/figur07_population_forecast.csv
  fyrbodal validate answers.csv --table dimios_answers
  fyrbodal register data/raw/report/figur07_population_forecast.csv   (accept an edited file)
  fyrbodal register new.csv --table facts --tier published --dest report/facts_extra.csv \\
      --origin-figure "Figur 19" --origin-section 3.4.2
  fyrbodal synth --seed 2021            regenerate the synthetic demo set in data/raw/demo/
  fyrbodal fetch scb                    SCB population (per municipality, by age for the county) into data/raw/public/
  fyrbodal fetch scb-projection         SCB's regional population projection by age for the county (Figur 8)
  fyrbodal fetch kolada                 PTS broadband per municipality from Kolada into data/raw/public/
  fyrbodal build --all                  execute every edition and publish reports/ (HTML, CSV, XLSX)
  fyrbodal build --edition bengtsfors   build one edition
  fyrbodal tables                       list table specs and processed tables
  fyrbodal params                       (re)generate params/editions/ from the registry
  fyrbodal prepare --region vastra-gotaland && fyrbodal params --region vastra-gotaland \\
      && fyrbodal build --region vastra-gotaland --all     another region, in folders of its own
"""


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except ValidationFailed as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        n = len(exc.problems)
        print(f"fyrbodal: {n} problem{'s' if n != 1 else ''} found; nothing was written", file=sys.stderr)
        return 2
    except Busy as exc:
        print(f"fyrbodal: {exc}", file=sys.stderr)
        return 3
    except FetchError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"fyrbodal fetch: {exc}; nothing in data/raw/ was changed", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("fyrbodal: interrupted; nothing half-written was published (the next run cleans up)", file=sys.stderr)
        return 130
    except (UsageError, RegistryError, FileNotFoundError) as exc:
        if args.debug:
            traceback.print_exc()
        print(f"fyrbodal: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, no permission, ...: the system's words and the path
        if args.debug:
            traceback.print_exc()
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"fyrbodal: {exc.strerror or exc}{where}; nothing half-written was published", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - last-resort message for users
        if args.debug:
            traceback.print_exc()
        else:
            print(f"fyrbodal: unexpected error: {type(exc).__name__}: {exc} (run with --debug for a traceback)",
                  file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    top = _common(argparse.ArgumentParser(add_help=False), suppress=False)
    common = _common(argparse.ArgumentParser(add_help=False), suppress=True)
    p = argparse.ArgumentParser(
        prog="fyrbodal", parents=[top], epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Data, checks and reports for the pre-study 'Digital motor Fyrbodal' (2021).",
    )
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    s = sub.add_parser("prepare", parents=[common], help="validate data/raw/ and write tidy tables to data/processed/",
                       description="Check every file registered in data/raw/sources.yml, clean it and write parquet "
                                   "tables plus manifest.json to data/processed/. On any problem nothing is written "
                                   "and every problem is listed (exit code 2).")
    s.set_defaults(func=cmd_prepare)

    s = sub.add_parser("validate", parents=[common], help="check one raw file and list every problem",
                       description="Check one file: a registered file with its recorded table and format, or any "
                                   "file against --table with the given format options.")
    s.add_argument("path", type=Path, help="the CSV file to check")
    s.add_argument("--table", help="table spec to check against (see `fyrbodal tables`)")
    _format_args(s)
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("register", parents=[common], help="take a new or replaced raw file in, with provenance",
                       description="Validate FILE and record it in data/raw/sources.yml with its sha256. A file "
                                   "outside data/raw/ is copied to data/raw/DEST. Re-registering a registered file "
                                   "keeps its table, format and origin and records the new sha256. Nothing is "
                                   "recorded when the file does not validate.")
    s.add_argument("file", type=Path)
    s.add_argument("--table", help="table spec the file follows (required for a new file)")
    s.add_argument("--tier", choices=("published", "public", "demo", "private"), help="data tier (required for a new file)")
    s.add_argument("--dest", help="path under data/raw/ to copy the file to (default: tier/filename)")
    s.add_argument("--origin-document", help="report, repository or publisher the file comes from")
    s.add_argument("--origin-figure", help="figure or table of the report, e.g. 'Figur 7'")
    s.add_argument("--origin-section", help="section of the report, e.g. 3.3.1")
    s.add_argument("--licence", default="", help="licence of the data")
    s.add_argument("--replace", action="store_true", help="overwrite an existing file at DEST")
    _format_args(s)
    s.set_defaults(func=cmd_register)

    s = sub.add_parser("synth", parents=[common], help="write the synthetic demo set to data/raw/demo/",
                       description="Generate the demo microdata, calibrated to every aggregate the report publishes, "
                                   "and register it in sources.yml. Same seed, same bytes.")
    s.add_argument("--seed", type=int, default=2021, help="random seed (default: 2021, the committed demo set)")
    s.set_defaults(func=cmd_synth)

    s = sub.add_parser("fetch", parents=[common], help="download public statistics (SCB, Kolada) into data/raw/public/",
                       description="Download real public data and register them in data/raw/sources.yml as tier public "
                                   "(url, query, date, licence, sha256); run `fyrbodal prepare` afterwards. scb: population "
                                   "31 December per municipality since 2019 and by age for the county (PxWebApi v2, v1 if "
                                   "v2 refuses). scb-projection: SCB's latest regional population projection by age for the "
                                   "county (Figur 8's forecast years). kolada: PTS's broadband shares (>= 100 Mbit/s) "
                                   "per municipality. A failed "
                                   "download changes nothing (exit code 3).")
    s.add_argument("source", choices=("scb", "scb-projection", "kolada"))
    s.add_argument("--kpi-households", help="Kolada KPI id for households (default: found by title)")
    s.add_argument("--kpi-workplaces", help="Kolada KPI id for workplaces (default: found by title)")
    s.set_defaults(func=cmd_fetch)

    s = sub.add_parser("build", parents=[common], help="execute every edition and publish HTML to reports/",
                       description="Execute the notebooks for each edition through papermill (in parallel worker "
                                   "processes) and publish reports/<edition>/ (HTML, tables as CSV and XLSX, the executed "
                                   "notebook) and reports/index.html. Editions whose inputs did not change are reused.")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--all", action="store_true", help="build the region edition and every municipality edition")
    g.add_argument("--edition", action="append", metavar="SLUG", help="build one edition (repeatable), e.g. bengtsfors, or the region's code")
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    s.add_argument("--force", action="store_true", help="rebuild even editions whose inputs did not change")
    s.add_argument("--timeout", type=int, default=900, help="seconds one notebook cell may run (default: 900)")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("distribute", parents=[common], help="write one package per municipality to dist/ for sending",
                       description="Write, outside reports/, one package per municipality: its own edition, the region "
                                   "edition, their tables, a Swedish note on handling and an index linking only those "
                                   "two (dist/<slug>/ and dist/<slug>.zip). Build the editions first.")
    s.add_argument("--edition", action="append", metavar="SLUG", help="one municipality (repeatable); default: all")
    s.add_argument("--out", type=Path, default=None, help="output folder (default: dist/)")
    s.set_defaults(func=cmd_distribute)

    s = sub.add_parser("tables", parents=[common], help="list table specs and processed tables")
    s.set_defaults(func=cmd_tables)

    s = sub.add_parser("params", parents=[common], help="generate params/editions/*.yml from the registry")
    s.set_defaults(func=cmd_params)
    return p


def _common(p: argparse.ArgumentParser, suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before and after the command (sub-parsers must not reset them)."""
    d = (lambda v: argparse.SUPPRESS) if suppress else (lambda v: v)
    p.add_argument("--debug", action="store_true", default=d(False), help="show a full traceback on errors")
    p.add_argument("--root", type=Path, default=d(None), help="project folder (default: found from the current directory)")
    p.add_argument("--region", default=d(None), help="region file in params/regions/ by code or name (default: the "
                   "one marked default: true)")
    return p


def _format_args(s: argparse.ArgumentParser) -> None:
    g = s.add_argument_group("file format (default: the registered format, else UTF-8, ',' and plain numbers)")
    g.add_argument("--sep", help="column separator, e.g. ';'")
    g.add_argument("--decimal", choices=(".", ","), help="decimal separator")
    g.add_argument("--thousands", choices=("", " "), help="thousands separator: '' (none) or ' ' (space)")
    g.add_argument("--encoding", choices=("utf-8", "utf-8-sig"), help="utf-8-sig when the file starts with a BOM")


def _project(args) -> Project:
    return Project(args.root.resolve()) if args.root else Project.find()


def _region_project(project: Project, region: str | None) -> Project:
    """``project`` with the folders of ``region`` (the default region keeps data/processed/ and reports/)."""
    from ..core.registry import load_registry
    return load_registry(project, region).project(project)


def _fmt(args, base=None):
    from ..raw.files import FileFormat
    d = (base or FileFormat()).to_dict()
    for k in ("sep", "decimal", "thousands", "encoding"):
        if getattr(args, k, None) is not None:
            d[k] = getattr(args, k)
    return FileFormat.from_dict(d)


def _explicit_fmt(args) -> bool:
    return any(getattr(args, k, None) is not None for k in ("sep", "decimal", "thousands", "encoding"))


def cmd_prepare(args) -> int:
    from ..clean.pipeline import prepare
    project = _project(args)
    t0 = time.perf_counter()
    manifest = prepare(project, args.region, progress=lambda m: print(m, file=sys.stderr))
    for name, info in manifest["tables"].items():
        print(f"{name:28s} {info['rows']:6d} rows  {'/'.join(info['tiers'])}")
    project = _region_project(project, args.region)
    print(f"prepared {len(manifest['tables'])} tables in {time.perf_counter() - t0:.2f} s -> "
          f"{project.relative(project.processed)}/", file=sys.stderr)
    return 0


def cmd_validate(args) -> int:
    from ..clean.pipeline import validate_file
    project = _project(args)
    if not args.path.exists():
        raise UsageError(f"{args.path}: no such file")
    if args.path.is_dir():
        raise UsageError(f"{args.path}: is a folder, not a file")
    fmt = _fmt(args) if _explicit_fmt(args) else None
    problems = validate_file(args.path, project, args.table, fmt, args.region)
    if problems:
        raise ValidationFailed(problems)
    print(f"{args.path}: ok")
    return 0


#: The folder under data/raw/ that belongs to each tier; `register` writes only there.
TIER_FOLDER = {"published": "report", "public": "public", "demo": "demo", "private": "private"}


def cmd_register(args) -> int:
    from ..clean.pipeline import all_specs, validate_file
    from ..raw.sources import Source, load_sources, save_sources, sha256, today
    project = _project(args)
    src_path = args.file.resolve()
    if not src_path.exists():
        raise UsageError(f"{args.file}: no such file")
    if not src_path.is_file():
        raise UsageError(f"{args.file}: is a folder, not a file")
    sources = load_sources(project)
    try:
        rel = src_path.relative_to(project.raw.resolve()).as_posix()
    except ValueError:
        rel = None
    existing = sources.get(rel) if rel else None
    if existing is None:
        if not args.table or not args.tier:
            raise UsageError("a new file needs --table and --tier")
        if args.table not in all_specs():
            raise UsageError(f"unknown table {args.table!r}; known: {', '.join(sorted(all_specs()))}")
    table = args.table or existing.table
    tier = args.tier or existing.tier
    if rel is None:
        rel = _destination(project, args.dest or f"{TIER_FOLDER[tier]}/{src_path.name}", tier)
    else:
        if args.dest:
            raise UsageError(f"{args.file} is already under data/raw/; --dest is only for files from elsewhere")
        _destination(project, rel, tier)  # a file already in data/raw/ must be in its tier's folder too
    fmt = _fmt(args, existing.format if existing else None)
    problems = validate_file(src_path, project, table, fmt, args.region)
    problems = [p for p in problems if "sha256" not in p.message]  # the new content is what we register
    if problems:
        raise ValidationFailed(problems)
    dest = project.raw / rel
    if dest.resolve() != src_path:
        if dest.exists() and not args.replace:
            raise UsageError(f"data/raw/{rel} exists; pass --replace to overwrite it")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.copyfile(src_path, tmp)
        tmp.replace(dest)
        existing = sources.get(rel)
    origin = dict(existing.origin) if existing else {}
    for key in ("document", "figure", "section"):
        value = getattr(args, f"origin_{key}")
        if value:
            origin[key] = value
    sources[rel] = Source(
        path=rel, table=table, tier=tier, sha256=sha256(dest), format=fmt,
        origin=origin, licence=args.licence or (existing.licence if existing else ""), retrieved=today(),
        role=existing.role if existing else "input",
    )
    save_sources(project, sources)
    print(f"registered data/raw/{rel} as table {table} ({sources[rel].tier}), sha256 {sources[rel].sha256[:12]}…")
    return 0


def _destination(project: Project, dest: str, tier: str) -> str:
    """``dest`` as a path under data/raw/, refused unless it lies inside the tier's own folder.

    A private file may only go to data/raw/private/ (git-ignored; its entry goes to the git-ignored
    private/sources.yml), never to a tracked folder or the committed sources.yml.
    """
    folder = TIER_FOLDER[tier]
    parts = Path(dest.replace("\\", "/")).parts
    if Path(dest).is_absolute() or ".." in parts or not parts:
        raise UsageError(f"--dest {dest!r}: must be a relative path under data/raw/{folder}/ without '..'")
    rel = Path(*parts).as_posix()
    if parts[0] != folder or len(parts) < 2:
        raise UsageError(f"data/raw/{rel}: a {tier} file belongs in data/raw/{folder}/"
                         + (" (git-ignored), never in a tracked folder" if tier == "private" else "")
                         + f"; use --dest {folder}/NAME")
    root = (project.raw / folder).resolve()
    target = (project.raw / rel).resolve()
    if root not in target.parents:
        raise UsageError(f"data/raw/{rel}: resolves to {target}, outside data/raw/{folder}/ (a symbolic link?)")
    if tier == "private" and _tracked_by_git(project, project.raw / rel):
        raise UsageError(f"data/raw/{rel}: git would track this file; data/raw/private/ must stay git-ignored "
                         "(check .gitignore)")
    return rel


def _tracked_by_git(project: Project, path: Path) -> bool:
    """True when ``path`` is inside a git work tree and not ignored (False when git is not there)."""
    import subprocess
    try:
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=project.root, capture_output=True,
                                text=True, timeout=10)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return False
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", str(path)], cwd=project.root,
                                 capture_output=True, timeout=10)
        return ignored.returncode == 1
    except (OSError, subprocess.SubprocessError):
        return False


def cmd_build(args) -> int:
    from .build import build, summary
    project = _region_project(_project(args), args.region)
    t0 = time.perf_counter()
    try:
        results = build(project, None if args.all else args.edition, args.jobs, args.force,
                        progress=lambda m: print(m, flush=True), timeout=args.timeout)
    except KeyError as exc:
        raise UsageError(str(exc).strip("\"'")) from None
    text, code = summary(results)
    print(text + f" ({time.perf_counter() - t0:.1f} s)", file=sys.stderr if code else sys.stdout)
    return code


def cmd_fetch(args, http=None) -> int:
    from ..clean.fetch import Http, run
    project = _project(args)
    http = http or Http(say=lambda m: print(m, file=sys.stderr))
    kpis = {"households_pct": args.kpi_households, "workplaces_pct": args.kpi_workplaces}
    for rel in run(args.source, project, args.region, http, kpis):
        print(f"fetched and registered data/raw/{rel} (public)")
    print("next: `fyrbodal prepare`, then commit data/raw/public/ and data/raw/sources.yml", file=sys.stderr)
    return 0


def cmd_distribute(args) -> int:
    from .distribute import distribute
    project = _project(args)
    try:
        made = distribute(project, args.edition, args.out)
    except KeyError as exc:
        raise UsageError(str(exc).strip("\"'")) from None
    print(f"{len(made)} package(s) written; send each municipality only its own (see HANTERING.txt in each)")
    return 0


def cmd_synth(args) -> int:
    from ..demo.synth import write_demo
    project = _project(args)
    written = write_demo(project, args.seed)
    print(f"wrote {len(written)} demo files to {project.relative(project.raw / 'demo')}/ (seed {args.seed})")
    return 0


def cmd_tables(args) -> int:
    from ..clean.pipeline import all_specs
    project = _project(args)
    print("Raw table specs (for --table):")
    for name, spec in sorted(all_specs().items()):
        print(f"  {name:36s} {', '.join(spec.columns)}")
    try:
        from ..clean.processed import manifest
        info = manifest(project)["tables"]
        print("Processed tables (for fa.load):")
        for name, t in info.items():
            print(f"  {name:36s} {t['rows']:6d} rows  {'/'.join(t['tiers'])}")
    except FileNotFoundError:
        print("No processed tables yet: run `fyrbodal prepare`.")
    return 0


def cmd_params(args) -> int:
    from .params import write_edition_params
    project = _project(args)
    written = write_edition_params(project, args.region)
    print(f"wrote {len(written)} parameter files to {project.relative(_region_project(project, args.region).editions)}/")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
