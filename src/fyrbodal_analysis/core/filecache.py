"""Results derived from a read-only input file, computed once per process while the file is unchanged.

A build kernel makes many editions, and each used to parse the same input files again (the municipality
GeoJSON for every map). :func:`derived` keeps what a function derived from a file, keyed
by the file's path, its modification time, size and inode and a key the caller chooses; a file written again
(a new mtime or size) is read again. Only for inputs nothing in the process writes, and for results the
callers never change (return immutable values, or copies).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_MEMO: dict[tuple, tuple[tuple, object]] = {}


def signature(path: Path | str) -> tuple:
    """What tells one version of a file from the next without reading it."""
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def derived(path: Path | str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` (which reads ``path``), remembered for ``(path, key)`` while the file keeps its signature.

    A missing file raises ``FileNotFoundError`` from ``os.stat`` before ``compute`` runs, as the read would have.
    """
    slot = (os.path.realpath(path), key)
    sig = signature(path)
    hit = _MEMO.get(slot)
    if hit is not None and hit[0] == sig:
        return hit[1]  # type: ignore[return-value]
    value = compute()
    _MEMO[slot] = (sig, value)
    return value


def clear() -> None:
    """Forget every remembered result (for tests)."""
    _MEMO.clear()
