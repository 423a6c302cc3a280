"""pandera schemas built from the field dictionary, and failures as Problems.

Every table, raw or processed, is checked by a pandera ``DataFrameSchema``
whose column rules come from :mod:`fyrbodal_analysis.core.fields` (range, allowed
values, nullability, dtype) plus the table's unique key. Validation is lazy, so
all failures are collected, then translated into ``file:line:column`` problems.
The frame's index carries the source line numbers of raw files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..core.errors import Problem
from ..core.fields import FIELDS, Field

if TYPE_CHECKING:
    from .files import TableSpec

LIKERT = ("1", "2", "3", "4", "5", "6", "vet ej")


def pandas_dtype(fld: Field) -> str:
    return {"int": "Int64", "float": "Float64", "pct": "Float64", "bool": "boolean"}.get(fld.dtype, "string")


def _checks(fld: Field) -> list[pa.Check]:
    checks = []
    lo, hi = fld.min, fld.max
    if fld.dtype == "pct" and lo is None and hi is None:
        lo, hi = 0, 100
    if lo is not None and hi is not None:
        checks.append(pa.Check.in_range(lo, hi, error=f"outside the range {lo}–{hi}"))
    elif lo is not None:
        checks.append(pa.Check.ge(lo, error=f"below the minimum {lo}"))
    elif hi is not None:
        checks.append(pa.Check.le(hi, error=f"above the maximum {hi}"))
    if fld.allowed:
        checks.append(pa.Check.isin(list(fld.allowed), error="not an allowed value"))
    if fld.dtype == "likert6":
        checks.append(pa.Check.isin(list(LIKERT), error="outside the answer scale"))
    return checks


def schema_for(columns: dict[str, Field], key: tuple[str, ...] = (), nullable: frozenset[str] = frozenset(),
               name: str = "", wide_checks: list[pa.Check] | None = None) -> pa.DataFrameSchema:
    """A pandera schema for columns named by their fields."""
    return pa.DataFrameSchema(
        {
            col: pa.Column(pandas_dtype(fld), checks=_checks(fld), nullable=fld.nullable or col in nullable,
                           required=True)
            for col, fld in columns.items()
        },
        unique=list(key) or None,
        report_duplicates="all",
        checks=wide_checks or [],
        name=name,
        strict=False,
    )


def spec_schema(frame: pd.DataFrame, spec: TableSpec) -> pa.DataFrameSchema:
    return schema_for({c: spec.field(c) for c in frame.columns}, spec.key, spec.nullable, spec.name,
                      [check for _, check in spec.checks])


def validate_frame(frame: pd.DataFrame, spec: TableSpec, display: str) -> list[Problem]:
    """Run the spec's schema lazily; return every failure as a Problem."""
    return run_schema(spec_schema(frame, spec), frame, display, spec.key, spec.checks)


def run_schema(schema: pa.DataFrameSchema, frame: pd.DataFrame, display: str, key=(), wide=()) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        return sorted(set(translate(exc.failure_cases, frame, display, key, wide)), key=str)
    return []


def translate(cases: pd.DataFrame, frame: pd.DataFrame, display: str, key=(), wide=()) -> list[Problem]:
    """pandera failure cases -> one Problem per failing cell or row.

    ``wide`` pairs a cross-column check's error text with the column it blames.
    """
    blame = {check.error: column for column, check in wide}
    problems: list[Problem] = []
    for case in cases.to_dict("records"):
        check = str(case.get("check"))
        if check in blame:
            line = None if pd.isna(case.get("index")) else int(case["index"])
            if case.get("column") == blame[check]:
                value = frame.at[line, blame[check]] if line in frame.index else case.get("failure_case")
                problems.append(Problem(display, line, blame[check], f"{show(value)} is {check}", None))
            continue
        col = case.get("column")
        col = None if col is None or (isinstance(col, float) and pd.isna(col)) or col == frame.__class__.__name__ else col
        idx = case.get("index")
        line = None if idx is None or pd.isna(idx) else int(idx)
        value = case.get("failure_case")
        fld = FIELDS.get(col) if isinstance(col, str) else None
        if "column_in_dataframe" in check:
            problems.append(Problem(display, 1, str(value), "column is missing", None))
        elif check.startswith("field_uniqueness") or "unique" in check.lower() or check == "multiple_fields_uniqueness":
            problems.append(_duplicate(frame, line, key, display))
        elif "not_nullable" in check:
            problems.append(Problem(display, line, col, "value is missing", fld.expected() if fld else None))
        elif check.startswith("dtype"):
            problems.append(Problem(display, None, col, f"has dtype {value}", check))
        else:
            problems.append(Problem(display, line, col, f"{show(value)} is {check}", fld.expected() if fld else None))
    return problems


def show(value) -> str:
    """A cell value as users wrote it: texts quoted, whole numbers without '.0'."""
    if isinstance(value, str):
        return repr(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        return repr(value)
    return str(int(f)) if f.is_integer() else repr(f)


def _duplicate(frame: pd.DataFrame, line, key, display) -> Problem:
    key = list(key)
    if line is None or not key or line not in frame.index:
        return Problem(display, line, ",".join(key) or None, "duplicated key", "each key once")
    row = frame.loc[line, key]
    same = frame[(frame[key] == row.values).all(axis=1)].index
    others = [str(i) for i in same if i != line]
    shown = ", ".join(f"{k}={row[k]!s}" for k in key)
    return Problem(display, line, ",".join(key), f"duplicated key ({shown}), also on line {', '.join(others)}",
                   "each key once")
