"""Province and national roll-up of city summaries (docs/METHOD.md §17): ratios of sums.

A province's share of households with *layak* sanitation is the households with *layak*
sanitation of its cities over their households, never the mean of the cities' shares (a
city of 1,000 households at 80 % and one of 3,000 at 60 % make 65 %, not 70 %). Pure and
vectorised (one ``groupby`` over cities x indicators).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The sums a city contributes per indicator (units: households or t/day, as the indicator).
#: ``base_den``/``base_num``: denominator and numerator at the base year; ``end_den``: the
#: denominator at the end of the SSK period; ``target_num``, ``bau_num``, ``national_num``:
#: numerators of the plan's trajectory, business as usual and the national target there;
#: ``gap_units``: what the city must add to reach the national target (never negative: a
#: city above it does not lift another).
SUM_COLUMNS: tuple[str, ...] = (
    "base_den",
    "base_num",
    "end_den",
    "target_num",
    "bau_num",
    "national_num",
    "gap_units",
)


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    """100 x num / den, NaN where the denominator is 0 or missing."""
    den = den.astype(float)
    return 100.0 * num.astype(float) / den.where(den > 0, np.nan)


def ratio_of_sums(cities: pd.DataFrame, by: str) -> pd.DataFrame:
    """Roll ``cities`` (one row per city x indicator, the :data:`SUM_COLUMNS` plus ``by``
    and ``indicator``) up to ``by`` x indicator.

    Per group: every sum of :data:`SUM_COLUMNS` (each over the cities that have it; NaN when
    none has), the number of cities, and the shares (%) ``baseline_pct`` = Σbase_num /
    Σbase_den, ``target_pct`` = Σtarget_num / Σend_den, ``bau_pct`` alike;
    ``national_pct`` = Σnational_num / Σend_den and ``gap_pts`` = national_pct − (Σbau_num /
    Σend_den), both over the cities that have a national target for the indicator (points:
    the group's gap to the national target at the end of the SSK period, from its sums);
    ``gap_units`` = Σ of the cities' gaps.
    """
    if cities.empty:
        cols = [by, "indicator", *SUM_COLUMNS, "cities"]
        return pd.DataFrame(columns=cols + ["baseline_pct", "target_pct", "bau_pct"])
    df = cities.copy()
    has_national = pd.to_numeric(df["national_num"], errors="coerce").notna()
    end_den = pd.to_numeric(df["end_den"], errors="coerce")
    df["national_den"] = end_den.where(has_national)
    df["national_bau"] = pd.to_numeric(df["bau_num"], errors="coerce").where(has_national)
    cols = [*SUM_COLUMNS, "national_den", "national_bau"]
    g = df.groupby([by, "indicator"], sort=True, observed=True)
    sums = g[cols].sum(min_count=1)  # NaN only where no city has the column
    sums["cities"] = g.size()
    out = sums.reset_index()
    out["baseline_pct"] = _pct(out["base_num"], out["base_den"])
    out["target_pct"] = _pct(out["target_num"], out["end_den"])
    out["bau_pct"] = _pct(out["bau_num"], out["end_den"])
    out["national_pct"] = _pct(out["national_num"], out["national_den"])
    out["gap_pts"] = out["national_pct"] - _pct(out["national_bau"], out["national_den"])
    return out.drop(columns=["national_den", "national_bau"])


def city_shares(cities: pd.DataFrame) -> pd.DataFrame:
    """The same shares for each city row (its own sums): ``baseline_pct``, ``target_pct``,
    ``bau_pct``, ``national_pct`` and ``gap_pts``."""
    out = cities.copy()
    out["baseline_pct"] = _pct(out["base_num"], out["base_den"])
    out["target_pct"] = _pct(out["target_num"], out["end_den"])
    out["bau_pct"] = _pct(out["bau_num"], out["end_den"])
    out["national_pct"] = _pct(out["national_num"], out["end_den"])
    out["gap_pts"] = out["national_pct"] - out["bau_pct"]
    return out


__all__ = ["SUM_COLUMNS", "city_shares", "ratio_of_sums"]
