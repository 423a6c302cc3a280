"""Items that are the same in every edition, rendered once per build and reused.

An item function that never reads ``ed.code`` (see :class:`~fyrbodal_analysis.report.edition.Edition`) made
the same item for every edition of its region: the method diagrams, the capability maps, most figures
without a highlight. The build turns this cache on for its kernels (``FYRBODAL_ITEM_CACHE`` names the
folder); in JupyterLab it is off and every call computes a live Item with its matplotlib Figure.

An entry is found by its *head*: the package's code, the item function and its arguments, the region and
the region's parameter files (and the disclosure key). It is valid while the processed tables the item loaded, recorded when it was
built, still have the hashes ``prepare`` wrote into the manifest; so a changed table rebuilds exactly the
items that loaded it, and a changed parameter file or library rebuilds every item of the region.
An item that did read ``ed.code`` is remembered as edition-specific (valid on the same terms), so later
editions compute it without waiting for anyone.

Two workers that need the same entry at once take a lock per head (``flock``: released by the kernel even
when a process is killed): one computes and stores, the other waits and reads, so each shared item is
computed once per build. Entries are written to a temporary file and renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

ENV = "FYRBODAL_ITEM_CACHE"
_CODE: str | None = None


def folder() -> Path | None:
    """The cache folder the build set for this process, or None (cache off)."""
    value = os.environ.get(ENV)
    return Path(value) if value else None


#: Libraries whose version changes what an item looks like (the build's edition key covers the rest).
LIBRARIES = ("matplotlib", "pandas", "numpy", "scipy", "seaborn")


def code_hash() -> str:
    """Hash of the package's Python files (package-level granularity) and of the versions of the libraries that
    draw and compute items, computed once per process."""
    global _CODE
    if _CODE is None:
        import sys
        from importlib import metadata
        h = hashlib.sha256(sys.version.encode())
        for name in LIBRARIES:
            try:
                h.update(f"{name}=={metadata.version(name)}".encode())
            except metadata.PackageNotFoundError:
                h.update(f"{name}==none".encode())
        package = Path(__file__).resolve().parent
        for p in sorted(package.rglob("*.py")):
            h.update(str(p.relative_to(package)).encode())
            h.update(p.read_bytes())
        _CODE = h.hexdigest()
    return _CODE


def params_hash(ed) -> str:
    """Hash of the parameter files that shape every edition of ``ed``'s region."""
    h = hashlib.sha256()
    params = ed.project.params
    files = sorted((params / "regions").glob("*.yml")) + sorted(params.glob("*.yml"))
    key = ed.project.raw / "private" / "disclosure.key"  # a new key draws new letters (never in a shared item, but)
    files += [key] if key.exists() else []
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def head(ed, fn, args: tuple, kwargs: dict) -> str:
    parts = [code_hash(), _params(ed), fn.__module__, fn.__qualname__, repr(args), repr(sorted(kwargs.items())),
             str(ed.info.get("region")), str(ed.project.processed.name)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]


def _params(ed) -> str:
    # parameters do not change while a kernel runs editions; read them once per region folder
    key = str(ed.project.params)
    if key not in _PARAMS:
        _PARAMS[key] = params_hash(ed)
    return _PARAMS[key]


_PARAMS: dict[str, str] = {}


def table_hashes(ed, tables) -> dict[str, str]:
    return {t: ed.info["tables"].get(t, {}).get("sha256", "") for t in sorted(tables)}


@contextlib.contextmanager
def locked(path: Path):
    import fcntl
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def read(path: Path, ed) -> dict | None:
    """The entry at ``path`` if the tables it was built from are unchanged, else None."""
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    try:
        if table_hashes(ed, entry["tables"]) != entry["tables"]:
            return None
    except KeyError:  # a table the entry used is gone from the manifest
        return None
    return entry


def write(path: Path, entry: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def cached(ed, fn, args: tuple, kwargs: dict, compute) -> tuple:
    """The item ``fn(ed, *args, **kwargs)`` and the tables it rests on: from the cache when it is shared and
    valid, else from ``compute()``.

    ``compute()`` returns ``(item, tables, read_code)``. A shared item is stored rendered (its SVG, no live
    Figure), so reusing it costs a file read. An item that read ``ed.code`` (directly, or through the
    disclosure layer, the name, the highlight …) is never stored: it is computed by every edition.
    """
    root = folder()
    if root is None:
        it, tables, _ = compute()
        return it, tables
    path = root / (head(ed, fn, args, kwargs) + ".pkl")
    with locked(path):
        entry = read(path, ed)
        if entry is not None and entry["shared"]:
            return entry["item"], set(entry["tables"])
        if entry is None:
            it, tables, read_code = compute()
            shared = not read_code
            if shared and it.figure is not None:
                it.svg()          # render once, here, and keep only the text
                it.figure = None
            write(path, {"tables": table_hashes(ed, tables), "shared": shared, "item": it if shared else None})
            return it, tables
    it, tables, _ = compute()  # edition-specific: computed by every edition, outside the lock
    return it, tables
