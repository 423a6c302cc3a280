"""Statistics the report only asserts, and their Swedish wording (scipy)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd

from ..core.formatting import number


def spearman(x, y) -> dict:
    """Spearman rank correlation with two-sided p-value and n (pairs with both values)."""
    d = pd.DataFrame({"x": pd.to_numeric(pd.Series(x), errors="coerce"),
                      "y": pd.to_numeric(pd.Series(y), errors="coerce")}).dropna()
    n = len(d)
    if n < 3:
        return {"rho": math.nan, "p": math.nan, "n": n}
    from scipy import stats  # imported where needed: a build kernel whose items need no test saves ~50 MB
    res = stats.spearmanr(d["x"], d["y"])
    return {"rho": float(res.statistic), "p": float(res.pvalue), "n": n}


#: The significance level of the tests the project runs (two-sided).
ALPHA = 0.05

#: How a statistical result on synthetic data is worded: a demonstration of the method, never a finding.
DEMO_METHOD = ("Demonstration av metoden på syntetiska demodata: siffrorna kommer från påhittade svar och säger "
               "ingenting om kommunerna i regionen")


def verdict(r: dict, demo: bool = False) -> str:
    """What the test supports, in Swedish; on demo data no verdict at all."""
    if demo:
        return "ingen slutsats (syntetiska demodata)"
    if r["n"] < 3 or math.isnan(r["rho"]):
        return "för få observationer för att pröva ett samband"
    alpha = number(ALPHA, 2)
    return (f"inget statistiskt säkerställt samband (p ≥ {alpha})" if r["p"] >= ALPHA
            else f"ett statistiskt säkerställt {'positivt' if r['rho'] > 0 else 'negativt'} samband (p < {alpha})")


def spearman_text(r: dict, what: str, demo: bool = False) -> str:
    """A Swedish sentence stating method, result and what the data supports.

    On demo data the sentence is a demonstration of the method: it says the numbers are synthetic and
    draws no conclusion (no "säkerställt").
    """
    if r["n"] < 3 or math.isnan(r["rho"]):
        return f"{what}: för få observationer (n = {r['n']}) för att pröva ett samband."
    result = f"Spearmans rangkorrelation ρ = {number(r['rho'], 2)}, p = {number(r['p'], 3)}, n = {r['n']}"
    if demo:
        return f"{what} – {DEMO_METHOD}. {result} (syntetiska demodata); ingen slutsats dras."
    return f"{what}: {result} – {verdict(r)}."


def mean_ci(values, level: float = 0.95) -> dict:
    """Mean with a t-based confidence interval."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    return ci_from_summary(v.mean() if len(v) else math.nan, v.std(ddof=1) if len(v) > 1 else math.nan, len(v), level)


def ci_from_summary(mean: float, sd: float, n: int, level: float = 0.95) -> dict:
    if n < 2 or math.isnan(sd):
        return {"mean": mean, "lo": math.nan, "hi": math.nan, "n": n}
    # The t distribution's quantile: what scipy.stats.t.ppf returns (it calls this function), without importing
    # scipy.stats (0,4 s and ~30 MB more in a kernel whose only statistic is this interval).
    from scipy.special import stdtrit
    half = float(stdtrit(n - 1, 0.5 + level / 2)) * sd / math.sqrt(n)
    return {"mean": mean, "lo": mean - half, "hi": mean + half, "n": n}


def ci_text(ci: dict, decimals: int = 1) -> str:
    if math.isnan(ci["lo"]):
        return f"{number(ci['mean'], decimals)} (n = {ci['n']})"
    return f"{number(ci['mean'], decimals)} (95 % KI {number(ci['lo'], decimals)}–{number(ci['hi'], decimals)}, n = {ci['n']})"


def linear_fit(x, y) -> tuple[float, float]:
    """Intercept and slope of a least-squares line (for drawing only)."""
    d = pd.DataFrame({"x": x, "y": y}).dropna()
    slope, intercept = np.polyfit(d["x"].astype(float), d["y"].astype(float), 1)
    return float(intercept), float(slope)


def overestimate_corrected(value: float, lower: float, pct: float = 20.0) -> float:
    """A self-assessment corrected for a ``pct`` % overestimate, measured above the scale's floor."""
    return lower + (value - lower) / (1 + pct / 100)


def submissions_needed(shares_pct: list[float], at_least: int) -> int:
    """Smallest number of submissions (≥ at_least) for which every share is a whole count."""
    for n in range(at_least, 1000):
        if all((Fraction(str(s)) * n / 100).denominator == 1 for s in shares_pct):
            return n
    raise ValueError("no such n")
