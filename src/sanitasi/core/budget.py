"""Budgets: the default budget projected from the fiscal history (docs/METHOD.md §18.1).

Pure: tables in, tables out; vectorised over sources x sectors x years.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

BUDGET_COLUMNS: tuple[str, ...] = ("year", "source", "sector", "cap_idr", "status")


def project_budget(
    history: pd.DataFrame, years: Sequence[int], window: int, growth: float
) -> pd.DataFrame:
    """The default budget from ``fiscal_history.csv`` (docs/METHOD.md §18.1)::

        cap(s, k, y) = mean_{last `window` years of the history} spent(s, k) x (1 + g)^(y - Y)

    per source ``s`` and sector ``k``, where the mean runs over the latest ``window`` years
    of the whole history (a year in that window without a row of ``(s, k)`` counts as 0),
    ``Y`` is the latest history year and ``g`` = ``budget_growth_rate_per_year``. Units:
    Rp of the year (nominal). ``status`` is ``derived`` when every row used is
    sourced/derived, else the weakest status of the rows used (illustrative, unverified).
    Columns :data:`BUDGET_COLUMNS`, one row per ``year x source x sector``."""
    if history.empty or not len(years):
        return pd.DataFrame({c: [] for c in BUDGET_COLUMNS})
    hist_years = np.sort(history["year"].astype(int).unique())
    last = hist_years[-max(int(window), 1) :]
    used = history[history["year"].astype(int).isin(last)]
    mean = (
        used.groupby(["source", "sector"], sort=True)["spent_idr"].sum().astype(float) / len(last)
    ).reset_index()
    weakest = "derived"
    st = set(used.get("status", pd.Series(dtype=str)).astype(str))
    for s in ("unverified", "illustrative"):
        if s in st:
            weakest = s
    yrs = np.asarray(list(years), dtype=int)
    factor = (1.0 + float(growth)) ** (yrs - int(hist_years[-1]))
    n = len(mean)
    return pd.DataFrame(
        {
            "year": np.tile(yrs, n),
            "source": np.repeat(mean["source"].to_numpy(), len(yrs)),
            "sector": np.repeat(mean["sector"].to_numpy(), len(yrs)),
            "cap_idr": np.repeat(mean["spent_idr"].to_numpy(), len(yrs)) * np.tile(factor, n),
            "status": weakest,
        }
    )


__all__ = ["BUDGET_COLUMNS", "project_budget"]
