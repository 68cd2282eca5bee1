"""Target sets, the retrospective table and the planning trajectory (DESIGN.md section 4).

* Points with ``kind = baseline`` are never targets.
* Points in or before the base year form the *retrospective* table (target vs actual).
* Planning trajectory per city and indicator: the city's ``LOCAL`` sasaran for the years
  it covers, extended after its last year by the selected national points; without LOCAL,
  all selected sets' points after the base year, the strictest value in each year (highest,
  or lowest for indicators where lower is better, e.g. ``pct_babs_terbuka``).
* Each area's path runs linearly from its own base-year share through these points and is
  held flat after the last one; the city's path does the same from the city's share.

Units: target values are percent (0-100) in the tables; paths are fractions (0-1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sanitasi.core.model import INDICATORS

LOCAL = "LOCAL"


def lower_is_better(indicator: str) -> bool:
    return bool(INDICATORS.get(indicator, {}).get("lower_is_better", False))


def default_target_sets(
    targets: pd.DataFrame, city_kodes: Sequence[str], base_year: int, horizon: int
) -> tuple[str, ...]:
    """Every set with a target point in (base, horizon] plus every set with a target point in
    or before the base year (retrospective). ``LOCAL`` only when one of the cities has it."""
    t = targets[targets["kind"] == "target"]
    scope = t["scope_kode"].fillna("")
    t = t[(scope == "") | scope.isin(list(city_kodes))]
    inside = t[(t["year"] > base_year) & (t["year"] <= horizon)]["target_set"]
    retro = t[t["year"] <= base_year]["target_set"]
    names = set(inside) | set(retro)
    order = [LOCAL] if LOCAL in names else []
    order += sorted(n for n in names if n != LOCAL)
    return tuple(order)


@dataclass(frozen=True)
class Points:
    """Trajectory points of one indicator for one city: years, values (percent), binding set."""

    years: np.ndarray
    values: np.ndarray
    binding: tuple[str, ...]

    def key(self) -> tuple[tuple[int, ...], tuple[float, ...]]:
        return tuple(int(y) for y in self.years), tuple(float(v) for v in self.values)


def _strictest(df: pd.DataFrame, lower: bool) -> Points:
    """Strictest value per year among ``df`` rows (target_set, year, value)."""
    if df.empty:
        return Points(np.array([], dtype=int), np.array([], dtype=float), ())
    best = df.groupby("year")["value"].min() if lower else df.groupby("year")["value"].max()
    binding = []
    for y, v in best.items():
        sets = df.loc[(df["year"] == y) & np.isclose(df["value"], v), "target_set"]
        binding.append(" / ".join(sorted(set(sets))))
    return Points(best.index.to_numpy(dtype=int), best.to_numpy(dtype=float), tuple(binding))


def trajectory_points(
    targets: pd.DataFrame,
    sets: Sequence[str],
    city_kode: str,
    indicator: str,
    base_year: int,
) -> Points:
    """Planning points after the base year for one city and indicator (see module doc)."""
    t = targets[
        (targets["kind"] == "target")
        & (targets["indicator"] == indicator)
        & (targets["year"] > base_year)
        & targets["target_set"].isin(list(sets))
    ]
    scope = t["scope_kode"].fillna("")
    national = t[(t["target_set"] != LOCAL) & (scope == "")]
    local = t[(t["target_set"] == LOCAL) & (scope == city_kode)]
    lower = lower_is_better(indicator)
    if local.empty:
        return _strictest(national, lower)
    lp = _strictest(local, lower)
    last = int(lp.years.max())
    np_ = _strictest(national[national["year"] > last], lower)
    return Points(
        np.concatenate([lp.years, np_.years]),
        np.concatenate([lp.values, np_.values]),
        lp.binding + np_.binding,
    )


def set_points(
    targets: pd.DataFrame, target_set: str, city_kode: str, indicator: str, base_year: int
) -> Points:
    """Points of one set alone (after the base year) for its own gap table."""
    return trajectory_points(targets, [target_set], city_kode, indicator, base_year)


def binding_by_year(points: Points, years: np.ndarray) -> list[str]:
    """Which set binds each year: the set of the next point the path heads to; after the last
    point, the last point's set; '' when there is no point."""
    if len(points.years) == 0:
        return [""] * len(years)
    idx = np.searchsorted(points.years, years, side="left")
    idx = np.minimum(idx, len(points.years) - 1)
    return [points.binding[i] for i in idx]


def paths(
    base_share: np.ndarray,
    city_inv: np.ndarray,
    city_points: Sequence[Points],
    years: np.ndarray,
    base_year: int,
) -> np.ndarray:
    """Linear paths (fractions) of every area from its base share through its city's points.

    ``base_share`` (n,) fraction 0-1 (NaN = no data -> NaN path); ``city_inv`` (n,) index of
    each area's city in ``city_points``; a city with no points gives NaN (no requirement).
    Path(t) = s + (v1 - s)(t - b)/(t1 - b) before the first point t1, then the linear
    interpolation of the points, held flat after the last one. Vectorised: cities with
    identical points share one curve.
    """
    years = np.asarray(years, dtype=float)
    ncity = len(city_points)
    t1 = np.full(ncity, np.nan)
    v1 = np.full(ncity, np.nan)
    curve = np.full((ncity, len(years)), np.nan)
    cache: dict[object, tuple[float, float, np.ndarray]] = {}
    for c, pts in enumerate(city_points):
        if len(pts.years) == 0:
            continue
        k = pts.key()
        if k not in cache:
            cache[k] = (
                float(pts.years[0]),
                float(pts.values[0]) / 100.0,
                np.interp(years, pts.years.astype(float), pts.values / 100.0),
            )
        t1[c], v1[c], curve[c] = cache[k]
    a_t1 = t1[city_inv][:, None]
    a_v1 = v1[city_inv][:, None]
    s = base_share[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (years[None, :] - base_year) / (a_t1 - base_year)
        before = s + (a_v1 - s) * frac
    out = np.where(years[None, :] < a_t1, before, curve[city_inv])
    return np.where(np.isnan(base_share)[:, None], np.nan, out)
