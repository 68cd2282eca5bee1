"""Building engine DataFrames from database rows with the dtypes the io readers give.

The web and the CLI must hand the core the *same* tables, so every column is built with an
explicit kind: text (``str`` dtype, never missing), int64, float64 (``None`` -> NaN), bool,
object (tuples) or date (``YYYY-MM-DD`` parsed like the readers do).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

TEXT = "text"
INT = "int"
FLOAT = "float"
BOOL = "bool"
OBJECT = "object"
DATE = "date"


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def _float(v: Any) -> float:
    return math.nan if v is None else float(v)


def _iso(v: dt.date | None) -> str | None:
    return None if v is None else v.isoformat()


def column(values: Sequence[Any], kind: str) -> pd.Series:
    """One column of ``kind`` from Python values."""
    if kind == TEXT:
        return pd.Series([_text(v) for v in values], dtype=str)
    if kind == INT:
        return pd.Series([int(v) for v in values], dtype="int64")
    if kind == FLOAT:
        return pd.Series([_float(v) for v in values], dtype="float64")
    if kind == BOOL:
        return pd.Series([bool(v) for v in values], dtype=bool)
    if kind == OBJECT:
        return pd.Series(list(values), dtype=object)
    if kind == DATE:
        text = pd.Series([_iso(v) for v in values], dtype=object)
        return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    raise ValueError(f"unknown column kind {kind!r}")


def frame(rows: Iterable[Sequence[Any]], kinds: Mapping[str, str]) -> pd.DataFrame:
    """A DataFrame with columns ``kinds`` (name -> kind) from row tuples in that order."""
    listed = list(rows)
    names = list(kinds)
    cols = {name: column([r[i] for r in listed], kinds[name]) for i, name in enumerate(names)}
    return pd.DataFrame(cols, columns=names)
