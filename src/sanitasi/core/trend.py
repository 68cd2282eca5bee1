"""Business-as-usual share trends (``bau_mode = "trend"``, docs/METHOD.md §5).

The default BAU keeps each area's base-year shares. The trend option extrapolates the
city's observed share trend: for each share (a ladder rung over households, or pengurangan
/ penanganan over generated waste) the least-squares slope over the city's observations
within the 10 years up to the base year (percentage points per year, as fractions), added
to each area's own base share: ``s_a(t) = clip(s_a(b) + slope_city x (t - b), 0, 1)``.
Ladder shares are then renormalised so the rungs still sum to households. A city with
fewer than two observed years has slope 0 (constant BAU).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

TREND_WINDOW_YEARS = 10


def city_slopes(
    obs: pd.DataFrame,
    city_kode: np.ndarray,
    numerators: Sequence[str],
    denominator: str,
    base_year: int,
) -> dict[str, np.ndarray]:
    """Least-squares slope per year of ``numerator / denominator`` at city level.

    Returns numerator -> (C,) slopes (fraction per year), 0 where fewer than two years.
    ``slope = sum((y - ybar)(s - sbar)) / sum((y - ybar)^2)`` over the city's years."""
    o = obs[
        (obs["year"] <= base_year)
        & (obs["year"] >= base_year - TREND_WINDOW_YEARS)
        & obs["kode"].isin(list(city_kode))
        & obs["indicator"].isin([*numerators, denominator])
    ]
    long = o.drop_duplicates(["kode", "year", "indicator"]).set_index(["kode", "year", "indicator"])
    w: pd.DataFrame = long["value"].unstack("indicator")
    out: dict[str, np.ndarray] = {}
    for num in numerators:
        if w.empty or num not in w or denominator not in w:
            out[num] = np.zeros(len(city_kode))
            continue
        s = (w[num] / w[denominator]).dropna().rename("s").reset_index()
        s["y"] = s["year"].astype(float)
        g = s.groupby("kode")
        dy = s["y"] - g["y"].transform("mean")
        ds = s["s"] - g["s"].transform("mean")
        num_ = (dy * ds).groupby(s["kode"]).sum()
        den_ = (dy * dy).groupby(s["kode"]).sum()
        slope = (num_ / den_).where(den_ > 0, 0.0)
        out[num] = slope.reindex(city_kode).fillna(0.0).to_numpy(dtype=float)
    return out


def share_paths(
    base_share: np.ndarray, slope: np.ndarray, years: np.ndarray, base_year: int
) -> np.ndarray:
    """``clip(s(b) + slope x (t - b), 0, 1)`` for each area (n,) over ``years`` -> (n, T)."""
    dt = np.asarray(years, dtype=float)[None, :] - base_year
    return np.clip(base_share[:, None] + slope[:, None] * dt, 0.0, 1.0)


def normalise(paths: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rescale share paths so they sum to 1 in every area and year (where the sum is > 0)."""
    total = sum(paths.values())
    assert isinstance(total, np.ndarray)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(total > 0, 1.0 / total, 0.0)
    return {k: v * f for k, v in paths.items()}
