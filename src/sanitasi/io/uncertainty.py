"""The reference list of parameters the Monte Carlo leaves out by default
(``reference/uncertainty_excluded.csv``; docs/METHOD.md §15.2)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from sanitasi.io.reference import data_root

EXCLUDED_FILE = "uncertainty_excluded.csv"


@lru_cache(maxsize=1)
def excluded_parameters() -> dict[str, str]:
    """Parameter name -> the reason it is not drawn by default."""
    with (data_root() / "reference" / EXCLUDED_FILE).open("rb") as f:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
    return {str(n).strip(): str(r).strip() for n, r in zip(df["name"], df["reason"], strict=True)}


__all__ = ["EXCLUDED_FILE", "excluded_parameters"]
