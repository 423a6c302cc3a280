"""Problems found in input data, and the exception that carries them.

Every check in the toolkit reports a :class:`Problem` that names the file, the
line, the column, what is wrong and what was expected. Checks collect all
problems before failing, so a user fixes a file in one pass, not one error at a
time.
"""

from __future__ import annotations

from dataclasses import dataclass

#: At most this many problems are listed per file and column; the rest are counted in one line.
MAX_PER_COLUMN = 20


def printable(text: str) -> str:
    """``text`` with control characters (NUL, escape, ...) shown as escapes, so a message is one clean line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def _escape(c: str) -> str:
    if c in "\u00a0\u202f\u2007":
        return c  # no-break spaces print as spaces
    return c.encode("unicode_escape").decode("ascii")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one input file."""

    file: str
    line: int | None
    column: str | None
    message: str
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file
        where += f":{self.line}" if self.line is not None else ":-"
        where += f":{self.column}" if self.column else ":-"
        text = f"{where}: {self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        return printable(text)


class ValidationFailed(Exception):
    """Raised when one or more input files fail validation.

    ``problems`` holds every problem found; ``str(exc)`` is one line per problem.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = _capped(sorted(set(problems), key=_sort_key))
        super().__init__("\n".join(str(p) for p in self.problems))


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PER_COLUMN problems per file and column, then one line that counts the rest."""
    out, seen, extra = [], {}, {}
    for p in problems:
        where = (p.file, p.column)
        seen[where] = seen.get(where, 0) + 1
        if seen[where] <= MAX_PER_COLUMN:
            out.append(p)
        else:
            extra[where] = extra.get(where, 0) + 1
    for (file, column), n in extra.items():
        out.append(Problem(file, None, column, f"… and {n} more problem{'s' if n != 1 else ''} like the above in this "
                           f"{'column' if column else 'file'} (only the first {MAX_PER_COLUMN} are listed)"))
    return out


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.line if p.line is not None else -1, p.column or "", p.message)


class Collector:
    """Accumulates problems for one file, so each check can add and continue."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int | None, column: str | None, message: str, expected: str | None = None) -> None:
        self.problems.append(Problem(self.file, line, column, message, expected))

    def __bool__(self) -> bool:  # true when something is wrong
        return bool(self.problems)


class NoData(LookupError):
    """An item asked for a processed table its region has no data for (the region file does not declare it)."""

    def __init__(self, table: str, region: str):
        super().__init__(f"no processed table {table!r} for region {region}")
        self.table, self.region = table, region
