"""Swedish number formatting that does not depend on the machine's locale.

Decimal comma, a no-break space as thousands separator, a space before the
percent sign and the typographic minus (U+2212) that Swedish typesetting uses:
``number(273900) == "273\u00a0900"``, ``percent(-12.24) == "\u221212,2\u00a0%"``.
Also the small pieces of Swedish grammar and typography the pages need:
:func:`genitive` ("Bengtsfors" has no extra s) and :func:`quote` (”…”).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
MINUS = "\u2212"  # typographic minus sign


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round like people do (2.5 -> 3), not like IEEE (2.5 -> 2). ``decimals`` may be negative."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP))


def number(value, decimals: int = 0) -> str:
    """Format a number the Swedish way (minus sign U+2212); missing values become an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return "–"
    rounded = round_half_up(float(value), decimals)
    sign = MINUS if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):.{max(decimals, 0)}f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return sign + text + ("," + frac if frac else "")


def percent(value, decimals: int = 1) -> str:
    """``12.24 -> "12,2 %"`` (with a no-break space)."""
    text = number(value, decimals)
    return text if text == "–" else text + NBSP + "%"


def sv_sort_key(name: str) -> str:
    """Swedish alphabetical order: å, ä, ö after z."""
    return name.translate(str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})).lower()


def genitive(name: str) -> str:
    """Swedish genitive of a name: "Uddevalla" -> "Uddevallas"; names ending in s, x or z take no
    extra s ("Bengtsfors" -> "Bengtsfors", "Sotenäs" -> "Sotenäs", "Mellerud" -> "Melleruds");
    abbreviations take a colon ("SML IT" -> "SML IT:s", like "SCB:s")."""
    name = name.strip()
    last = name.split()[-1] if name else ""
    if len(last) > 1 and last.isupper():
        return name + ":s"
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def quote(text: str) -> str:
    """Swedish quotation marks: the same sign (U+201D) opens and closes: ”text”."""
    return f"\u201d{text}\u201d"


def sv_range(text: str) -> str:
    """A range of numbers with an en dash, as Swedish typography writes it: "0-19" -> "0–19", "10-24 %" -> "10–24 %"
    (dates such as 2021-02-26 stay)."""
    return re.sub(r"(?<![\d-])(\d+(?:\s?%)?)-(?=\d+(?![\d-]))", "\\1\u2013", text)


# The data tiers in Swedish: one wording for pages and captions.
TIER_TEXT = {"published": "rapportens text", "public": "offentliga data", "demo": "syntetiska demodata",
             "private": "kommunernas konfidentiella underlag"}


def tiers_sv(tiers) -> str:
    return ", ".join(TIER_TEXT[t] for t in ("published", "public", "private", "demo") if t in tiers)
