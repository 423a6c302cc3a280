"""Guards of the build: checked inputs, one build per checkout, no publishing by orphans.

* :func:`read_params` – an edition's params file, strictly (unknown keys and wrong types named).
* :func:`check_processed` – ``manifest.json`` readable and every processed table's sha256 as recorded.
* :class:`checkout_lock` – an exclusive ``flock``; a second build (or prepare) is refused, naming the
  holder; the kernel drops the lock when its holder dies, so a killed run leaves no stale lock.
* :func:`die_with_parent` / :func:`kernel_arguments` – workers and their kernels are killed when the
  build's main process dies (Linux ``PR_SET_PDEATHSIG``); a worker also checks its parent before it
  publishes (:class:`Orphaned`).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from .paths import Project

#: Keys an edition's params file may hold: ``edition``, the one value papermill passes to the notebooks, and what
#: the build itself needs to know about the edition (see params.py).
PARAM_KEYS = {"edition": str, "region": str, "code": str, "name": str, "is_region": bool}
REQUIRED_KEYS = ("edition", "region", "code")


def read_params(path: Path, display: str) -> dict:
    """One edition's parameters; unknown keys and wrong types are errors naming the file, line and key."""
    from .configfiles import Located, type_name
    from .errors import ValidationFailed
    y = Located(path, display)
    doc = y.doc
    if not isinstance(doc, dict):
        raise ValidationFailed([y.problem((), None, f"the file is {type_name(doc)}", "a mapping of parameter: value")])
    problems = []
    for k, v in doc.items():
        if k not in PARAM_KEYS:
            problems.append(y.problem((k,), str(k), f"unknown parameter {k!r}", "only " + ", ".join(PARAM_KEYS)))
        elif not isinstance(v, PARAM_KEYS[k]):
            problems.append(y.problem((k,), k, f"{k} is {type_name(v)} {v!r}", "true or false" if PARAM_KEYS[k] is bool
                                      else "a quoted text such as '1460'"))
    for k in REQUIRED_KEYS:
        if k not in doc:
            problems.append(y.problem((), k, f"{k} is missing", "the file `fyrbodal params` writes"))
    if problems:
        raise ValidationFailed(problems)
    return doc


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Worker initializer: the kernel kills this worker when the build's main process dies (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the main process died before the line above took effect
        os._exit(1)


def kernel_arguments(base: list[str]) -> list[str]:
    """The kernel's command-line options ``base``, plus on Linux: the kernel dies with its worker."""
    if not sys.platform.startswith("linux"):
        return list(base)
    return [*base, "--IPKernelApp.exec_lines=__import__('ctypes').CDLL(None).prctl(1, 9)"]


class Orphaned(RuntimeError):
    """The build's main process died; this worker must not publish."""


LOCK_FILE = ".build.lock"


class Busy(RuntimeError):
    """Another build (or prepare) holds the checkout's lock."""


class checkout_lock:
    """An exclusive, non-blocking lock (flock) on ``path``; a second holder is refused with who holds it.

    The kernel releases the lock when its holder dies, however it died, so a killed run never
    leaves a stale lock behind.
    """

    def __init__(self, path: Path, what: str):
        self.path, self.what, self.fd = path, what, None

    def __enter__(self):
        import fcntl
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise Busy(f"another {self.what} is running on this checkout ({holder}; lock {self.path}): "
                       "wait for it to finish, then run this again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {time.strftime('%H:%M:%S')}".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc):
        os.ftruncate(self.fd, 0)
        os.close(self.fd)  # closing releases the flock
        return False


def check_processed(project: Project) -> None:
    """Every processed table exists and matches the sha256 the manifest records (ValidationFailed otherwise)."""
    from .configfiles import load_json
    from .errors import Problem, ValidationFailed
    shown = project.relative(project.processed / "manifest.json")
    manifest = load_json(project.processed / "manifest.json", shown)
    tables = manifest.get("tables") if isinstance(manifest, dict) else None
    if not isinstance(tables, dict) or not tables:
        raise ValidationFailed([Problem(shown, None, "tables", "has no tables", "the manifest `fyrbodal prepare` writes")])
    problems = []
    for name, info in sorted(tables.items()):
        path = project.processed / f"{name}.parquet"
        rel = project.relative(path)
        if not path.is_file():
            problems.append(Problem(rel, None, None, "is listed in the manifest but missing", "run `fyrbodal prepare`"))
            continue
        recorded = info.get("sha256") if isinstance(info, dict) else None
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != recorded:
            problems.append(Problem(rel, None, None, f"sha256 is {actual[:12]}… but {shown} records "
                                    f"{str(recorded)[:12]}…: the file changed after `fyrbodal prepare`",
                                    "the prepared file: run `fyrbodal prepare` again"))
    if problems:
        raise ValidationFailed(problems)
