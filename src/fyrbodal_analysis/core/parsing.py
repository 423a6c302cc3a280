"""Parsing numbers as they are written in Swedish and in plain files.

A file declares its number format in ``data/raw/sources.yml``: the decimal
separator (``.`` or ``,``) and the thousands separator (none, or a space, which
also covers no-break and narrow no-break spaces). Cells are parsed strictly
against that declaration: "9 800" is read as 9800 only when the file declares
a space as thousands separator, and "12,2 %" only when it declares a decimal
comma; otherwise the cell is rejected with a message that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space
_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class NumberFormat:
    decimal: str = "."
    thousands: str = ""  # "" or " "

    def describe(self) -> str:
        dec = "decimal comma" if self.decimal == "," else "decimal point"
        th = ", space as thousands separator" if self.thousands else ", no thousands separator"
        return dec + th


class NumberError(ValueError):
    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.expected = expected


def parse_number(cell: str, fmt: NumberFormat, *, integer: bool, percent: bool) -> float | int:
    """Parse one cell; raise :class:`NumberError` with the reason when it is not valid."""
    text = cell.strip().replace("\u2212", "-")  # typographic minus
    shown = repr(cell)
    example = _example(fmt, integer, percent)
    if percent and text.endswith("%"):
        text = text[:-1].rstrip(SPACES)
    elif text.endswith("%"):
        raise NumberError(f"{shown} has a percent sign where a plain number is required", example)
    if any(s in text for s in SPACES):
        if not fmt.thousands:
            raise NumberError(
                f"{shown} contains a space; the file declares no thousands separator",
                f"{example} (or declare thousands: \" \" in data/raw/sources.yml)",
            )
        if not _GROUPED.match(text):
            raise NumberError(f"{shown} has a space that is not a thousands separator", example)
        for s in SPACES:
            text = text.replace(s, "")
    if "," in text:
        if fmt.decimal != ",":
            raise NumberError(
                f"{shown} uses a decimal comma; the file declares a decimal point",
                f"{example} (or declare decimal: \",\" in data/raw/sources.yml)",
            )
        if "." in text:
            raise NumberError(f"{shown} mixes '.' and ','", example)
        text = text.replace(",", ".")
    elif "." in text and fmt.decimal == ",":
        raise NumberError(f"{shown} uses a decimal point; the file declares a decimal comma", example)
    if not _PLAIN.match(text):
        raise NumberError(f"{shown} is not a number", example)
    value = float(text)
    if integer:
        if not value.is_integer():
            raise NumberError(f"{shown} is not a whole number", example)
        return int(value)
    return value


def _example(fmt: NumberFormat, integer: bool, percent: bool) -> str:
    if integer:
        base = "9 800" if fmt.thousands else "9800"
    else:
        base = "12,2" if fmt.decimal == "," else "12.2"
    if percent:
        base += " (a trailing % is allowed)"
    return f"a number like {base}"
