"""Target sets, held targets, the planning trajectory and the area paths (docs/METHOD.md §4).

* Points with ``kind = baseline`` are never targets.
* Points in or before the base year form the *retrospective* table (target vs actual) and
  stay in force after their year (*held*): a set's latest point in or before the base year
  is caught up linearly by the last year of the SSK period, unless a point of a selected set
  (national or the city's ``LOCAL``) falls after the base year and no later than the end of
  the period (it replaces the held target). After the period it keeps binding until a later
  point replaces it.
* Planning trajectory per city and indicator: the city's ``LOCAL`` sasaran for the years it
  covers, extended after its last year by the selected national points; without LOCAL, all
  selected sets' points after the base year. The strictest value binds in each year
  (highest, or lowest for indicators where lower is better, e.g. ``pct_babs_terbuka``).
* The city's path runs linearly from its base-year share through these points and is held
  after the last one; a city already past the point it heads to holds its own value.
* Area paths close gaps proportionally: each area closes, in each year, the same fraction
  of its own gap to the *anchor* (the last point of a run of points of the same binding
  set: a LOCAL series is one run whose yearly values are city milestones) as the city closes
  of its own gap; an area past the anchor holds; nothing regresses.

Units: target values are percent (0-100) in the tables; paths are fractions (0-1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core.model import INDICATORS

LOCAL = "LOCAL"

#: Tolerance on fractions (0-1) below which a gap counts as closed.
_EPS = 1e-12


def lower_is_better(indicator: str) -> bool:
    return bool(INDICATORS.get(indicator, {}).get("lower_is_better", False))


def default_target_sets(
    targets: pd.DataFrame, city_kodes: Sequence[str], base_year: int, horizon: int
) -> tuple[str, ...]:
    """Every set with a target point in (base, horizon] plus every set with a target point in
    or before the base year (retrospective and held). ``LOCAL`` only when one of the cities
    has it."""
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
    """Trajectory points of one indicator for one city.

    ``years`` (int), ``values`` (percent), ``binding`` (the set or sets, ``" / "``-joined, of
    each point), ``held`` (the point carries a target of a year in or before the base year)
    and ``anchor`` (the point is an area target: the last point of a run of points of the same
    binding set, and the run's most demanding point when a milestone asks more than the run's
    last point; the others are city milestones). ``lower`` tells which way is more
    demanding (lower is better, e.g. open defecation)."""

    years: np.ndarray
    values: np.ndarray
    binding: tuple[str, ...]
    held: tuple[bool, ...] = field(default=())
    anchor: tuple[bool, ...] = field(default=())
    lower: bool = False

    def __post_init__(self) -> None:
        n = len(self.years)
        if len(self.held) != n:
            object.__setattr__(self, "held", (False,) * n)
        if len(self.anchor) != n:
            object.__setattr__(self, "anchor", _anchors(self.binding, self.values, self.lower))

    def key(self) -> tuple[object, ...]:
        """Years, values and anchors: cities whose points have the same key share one
        computation (kept on the instance after the first call)."""
        cached = self.__dict__.get("_key")
        if cached is None:
            cached = (
                tuple(int(y) for y in self.years),
                tuple(float(v) for v in self.values),
                self.anchor,
            )
            object.__setattr__(self, "_key", cached)
        return cached  # type: ignore[no-any-return]


NO_POINTS = Points(np.array([], dtype=int), np.array([], dtype=float), ())


def _anchors(binding: Sequence[str], values: np.ndarray, lower: bool) -> tuple[bool, ...]:
    """Area targets: the last point of each run of consecutive points with the same binding
    set, and the first most demanding point of the run when it asks more than the last (a
    milestone above the run's final value is a target too: nothing regresses after it)."""
    n = len(binding)
    out = [i == n - 1 or binding[i + 1] != binding[i] for i in range(n)]
    sign = -1.0 if lower else 1.0
    start = 0
    for i in range(n):
        if out[i]:
            run = sign * np.asarray(values[start : i + 1], dtype=float)
            best = int(np.argmax(run))
            if run[best] > run[-1]:
                out[start + best] = True
            start = i + 1
    return tuple(out)


#: A target row: (target_set, year, value).
_Row = tuple[object, int, float]


def _close(a: float, b: float) -> bool:
    """``np.isclose(a, b)`` (rtol 1e-05, atol 1e-08; NaN is never close)."""
    return a == b or abs(a - b) <= 1e-08 + 1e-05 * abs(b)


def _strictest(rows: list[tuple[object, int, float, bool]], lower: bool) -> Points:
    """Strictest value per year among ``rows`` (target_set, year, value, held): the highest
    (lowest when ``lower``), missing values skipped; the binding sets are those whose value
    is close to it, the point is held when all of them are."""
    if not rows:
        return NO_POINTS
    by_year: dict[int, list[tuple[object, int, float, bool]]] = {}
    for r in rows:
        by_year.setdefault(r[1], []).append(r)
    years, values, binding, held = [], [], [], []
    for y in sorted(by_year):
        vals = [r[2] for r in by_year[y] if r[2] == r[2]]
        best = (min(vals) if lower else max(vals)) if vals else float("nan")
        close = [r for r in by_year[y] if _close(r[2], best)]
        years.append(y)
        values.append(best)
        binding.append(" / ".join(sorted({str(r[0]) for r in close})))
        held.append(all(r[3] for r in close))
    return Points(
        np.array(years, dtype=int),
        np.array(values, dtype=float),
        tuple(binding),
        tuple(held),
        lower=lower,
    )


def _rows(targets: pd.DataFrame, sets: Sequence[str], city_kode: str, indicator: str) -> list[_Row]:
    """Target rows of ``indicator`` in the selected sets that apply to ``city_kode``: national
    rows (no scope) of the non-LOCAL sets and the city's own LOCAL rows, in table order.

    Plain Python over the (few hundred) target rows: a pandas filter costs milliseconds
    per call and the engine calls this per city, indicator and set."""
    cols = ("kind", "indicator", "target_set", "year", "value", "scope_kode")
    kind, ind, tset, year, value, scope = (targets[c].tolist() for c in cols)
    wanted = set(sets)
    out: list[_Row] = []
    for k, i, t, y, v, sc in zip(kind, ind, tset, year, value, scope, strict=True):
        if k != "target" or i != indicator or t not in wanted:
            continue
        sc = sc if isinstance(sc, str) else ("" if sc is None or sc != sc else str(sc))
        if (t != LOCAL and sc == "") or (t == LOCAL and sc == city_kode and city_kode != ""):
            out.append((t, int(y), float(v)))
    return out


def trajectory_points(
    targets: pd.DataFrame,
    sets: Sequence[str],
    city_kode: str,
    indicator: str,
    base_year: int,
    period_end: int | None = None,
) -> Points:
    """Planning points after the base year for one city and indicator (see module doc).

    ``period_end`` is the last year of the SSK period: held targets are caught up by it
    (``None``: no held targets, points after the base year only)."""
    rows = _rows(targets, sets, city_kode, indicator)
    lower = lower_is_better(indicator)
    after = [r for r in rows if r[1] > base_year]
    local = [r for r in after if r[0] == LOCAL]
    national = [r for r in after if r[0] != LOCAL]
    if local:
        last = max(r[1] for r in local)
        national = [r for r in national if r[1] > last]
    cand = [(t, y, v, False) for t, y, v in local + national]
    if period_end is not None and period_end > base_year:
        replaced = any(r[1] <= period_end for r in after)
        retro = [r for r in rows if r[1] <= base_year]
        if not replaced and retro:
            # each set's latest point in or before the base year (its last value given)
            latest: dict[object, tuple[int, float]] = {}
            for t, y, v in sorted(retro, key=lambda r: r[1]):
                prev = latest.get(t)
                latest[t] = (y, v if v == v or prev is None else prev[1])
            cand += [(t, int(period_end), v, True) for t, (_y, v) in sorted(latest.items())]
    return _strictest(cand, lower)


def set_points(
    targets: pd.DataFrame,
    target_set: str,
    city_kode: str,
    indicator: str,
    base_year: int,
    period_end: int | None = None,
) -> Points:
    """Points of one set alone (after the base year, with its held target) for its own gap
    table."""
    return trajectory_points(targets, [target_set], city_kode, indicator, base_year, period_end)


def binding_by_year(points: Points, years: np.ndarray) -> list[str]:
    """Which set binds each year: the set of the next point the path heads to; after the last
    point, the last point's set; '' when there is no point."""
    if len(points.years) == 0:
        return [""] * len(years)
    idx = np.searchsorted(points.years, years, side="left")
    idx = np.minimum(idx, len(points.years) - 1)
    return [points.binding[i] for i in idx]


def held_by_year(points: Points, years: np.ndarray) -> list[bool]:
    """Whether the point each year heads to (or is held after) is a held target."""
    if len(points.years) == 0:
        return [False] * len(years)
    idx = np.searchsorted(points.years, years, side="left")
    idx = np.minimum(idx, len(points.years) - 1)
    return [bool(points.held[i]) for i in idx]


def _raw_curves(
    city_base: np.ndarray, city_points: Sequence[Points], years: np.ndarray, base_year: int
) -> np.ndarray:
    """(C, T) linear interpolation of each city's base share (at the base year) and its points
    (fractions), held after the last point; NaN for a city without points or base share."""
    yrs = np.asarray(years, dtype=float)
    C = len(city_points)
    t1 = np.full(C, np.nan)
    v1 = np.full(C, np.nan)
    curve = np.full((C, len(yrs)), np.nan)
    cache: dict[object, tuple[float, float, np.ndarray]] = {}
    for c, pts in enumerate(city_points):
        if len(pts.years) == 0:
            continue
        k = pts.key()
        if k not in cache:
            cache[k] = (
                float(pts.years[0]),
                float(pts.values[0]) / 100.0,
                np.interp(yrs, pts.years.astype(float), pts.values / 100.0),
            )
        t1[c], v1[c], curve[c] = cache[k]
    s = city_base[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        before = s + (v1[:, None] - s) * (yrs[None, :] - base_year) / (t1[:, None] - base_year)
    out = np.where(yrs[None, :] < t1[:, None], before, curve)
    return np.where(np.isnan(city_base)[:, None], np.nan, out)


def _grid(rows: np.ndarray | slice, cols: np.ndarray) -> Any:
    """Index of ``rows`` x ``cols`` (an outer product when both are arrays)."""
    return (rows, cols) if isinstance(rows, slice) else np.ix_(rows, cols)


def area_paths(
    base_share: np.ndarray,
    city_inv: np.ndarray,
    city_base: np.ndarray,
    city_points: Sequence[Points],
    years: np.ndarray,
    base_year: int,
    lower: bool = False,
    columns: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Paths (fractions) of every area and of every city by proportional gap closure.

    ``base_share`` (n,) area shares in the base year (NaN = no data -> NaN path);
    ``city_inv`` (n,) index of each area's city; ``city_base`` (C,) the city's own base share
    (ratio of sums); ``city_points`` the city's :class:`Points`. Returns ``(areas (n, T),
    cities (C, T))``.

    Method (docs/METHOD.md §4.5). ``R_c(t)`` is the city's raw curve: linear from its base
    share through its points, held after the last. The points form runs of the same binding
    set; each run ends at an anchor ``(t_e, V)`` and starts at ``t_s`` (the base year or the
    previous anchor). Within a run the city closes the fraction
    ``f(t) = (R(t) - R(t_s)) / (V - R(t_s))`` of its gap (``(t - t_s) / (t_e - t_s)`` when
    the city has no gap), clipped to [0, 1] and never decreasing; every area ``a`` (and the
    city itself) moves to ``a(t_s) + f(t) x max(V - a(t_s), 0)`` (mirrored when lower is
    better), so an area past the anchor holds and nothing regresses. After the last anchor
    all paths are flat. Vectorised over areas; cities with identical points share one run
    structure. With ``columns`` (year positions), the areas' paths are computed and returned
    for those years only, ``(n, len(columns))``, with the same values.
    """
    yrs = np.asarray(years, dtype=float)
    n, C, T = len(base_share), len(city_points), len(yrs)
    # Year columns whose area values are needed: all, or the asked ones plus each run's end.
    need = np.ones(T, dtype=bool)
    if columns is not None:
        need[:] = False
        need[np.asarray(columns, dtype=np.intp)] = True
        need[0] = True
    area = np.full((n, T), np.nan) if columns is None else np.empty((n, T))
    city = np.full((C, T), np.nan)
    raw = _raw_curves(city_base, city_points, years, base_year)
    sign = -1.0 if lower else 1.0
    groups: dict[object, list[int]] = {}
    for c, pts in enumerate(city_points):
        if len(pts.years):
            groups.setdefault(pts.key(), []).append(c)
    for members in groups.values():
        pts = city_points[members[0]]
        cs = np.asarray(members)
        if len(cs) == C:  # every city shares these points (the national run): all rows
            leaf: np.ndarray | slice = slice(None)
            pos: np.ndarray | slice = city_inv
            a_prev = base_share.astype(float)
        else:
            leaf = np.nonzero(np.isin(city_inv, cs))[0]
            pos = np.searchsorted(cs, city_inv[leaf])  # index of each leaf's city within cs
            a_prev = base_share[leaf].astype(float)
        c_prev = city_base[cs].astype(float)
        r = raw[cs]
        area[leaf, 0] = a_prev
        city[cs, 0] = c_prev
        t_s, j_s = float(base_year), 0  # start of the run and its column
        for i in (i for i, is_anchor in enumerate(pts.anchor) if is_anchor):
            t_e = float(pts.years[i])
            v = float(pts.values[i]) / 100.0
            cols = np.nonzero((yrs > t_s) & (yrs <= t_e))[0]
            if t_e <= t_s or len(cols) == 0:
                continue
            span = slice(int(cols[0]), int(cols[-1]) + 1)  # years are sorted: one run
            r_s = r[:, j_s]
            gap_c = sign * (v - r_s)
            with np.errstate(invalid="ignore", divide="ignore"):
                f_city = sign * (r[:, span] - r_s[:, None]) / gap_c[:, None]
            f_time = (yrs[span] - t_s) / (t_e - t_s)
            f = np.where((gap_c > _EPS)[:, None], f_city, f_time[None, :])
            f = np.maximum.accumulate(np.clip(np.nan_to_num(f, nan=0.0), 0.0, 1.0), axis=1)
            c_gap = np.maximum(sign * (v - c_prev), 0.0)
            a_gap = np.maximum(sign * (v - a_prev), 0.0)
            city[cs, span] = c_prev[:, None] + sign * f * c_gap[:, None]
            if columns is None:
                area[leaf, span] = a_prev[:, None] + sign * f[pos] * a_gap[:, None]
            else:
                need[int(cols[-1])] = True  # the next run starts from this column
                sub = cols[need[cols]]
                fs = f[:, sub - int(cols[0])]
                area[_grid(leaf, sub)] = a_prev[:, None] + sign * fs[pos] * a_gap[:, None]
            t_s, j_s = t_e, int(cols[-1])
            a_prev, c_prev = area[leaf, j_s], city[cs, j_s]
            if yrs[j_s] < t_e:  # the horizon ends inside this run
                break
        if j_s + 1 < T:  # flat after the last anchor
            if columns is None:
                area[leaf, j_s + 1 :] = a_prev[:, None]
            else:
                tail = np.flatnonzero(need[j_s + 1 :]) + j_s + 1
                area[_grid(leaf, tail)] = a_prev[:, None]
            city[cs, j_s + 1 :] = c_prev[:, None]
    if columns is not None:
        # Rows of cities without points stay NaN (as in the full computation).
        done = np.zeros(n, dtype=bool)
        for members in groups.values():
            done |= np.isin(city_inv, members)
        area = area[:, np.asarray(columns, dtype=np.intp)]
        area[~done] = np.nan
    area[np.isnan(base_share)] = np.nan
    return area, city


def cap_pair(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``second`` capped so that ``first + second <= 1`` (both fractions): penanganan may not
    exceed what pengurangan leaves of the generated waste (docs/METHOD.md §4.4)."""
    return np.where(np.isnan(first), second, np.minimum(second, 1.0 - first))


@dataclass(frozen=True)
class Cliff:
    """A year whose required increase exceeds ``factor`` x the mean yearly increase of the
    SSK period (docs/METHOD.md §4.6)."""

    city: int
    year: int
    increase_pts: float
    mean_pts: float


def cliffs(
    city_paths: np.ndarray,
    years: np.ndarray,
    period: tuple[int, int],
    base_year: int,
    lower: bool,
    factor: float,
    min_pts: float,
) -> list[Cliff]:
    """Cliff years of every city's path (fractions (C, T)).

    Increase(t) = path(t) - path(t-1) in points (reversed when lower is better); the mean
    yearly increase of the SSK period = (path(p1) - path(b)) / (p1 - b). A year is a cliff
    when its increase exceeds ``factor`` x that mean and ``min_pts`` points. Vectorised over
    cities; one entry per cliff year."""
    yrs = np.asarray(years)
    if len(yrs) < 2:
        return []
    sign = -1.0 if lower else 1.0
    p = 100.0 * sign * city_paths
    inc = np.diff(p, axis=1)
    p1 = min(period[1], int(yrs[-1]))
    j1 = int(np.searchsorted(yrs, p1))
    span = max(p1 - base_year, 1)
    mean = (p[:, j1] - p[:, 0]) / span
    thr = np.maximum(factor * np.maximum(mean, 0.0), min_pts)
    with np.errstate(invalid="ignore"):
        hit = inc > thr[:, None] + 1e-9
    ci, yi = np.nonzero(hit)
    return [
        Cliff(int(c), int(yrs[j + 1]), float(inc[c, j]), float(mean[c]))
        for c, j in zip(ci, yi, strict=True)
    ]


def local_below_national(
    targets: pd.DataFrame, sets: Sequence[str], city_kodes: Sequence[str]
) -> pd.DataFrame:
    """LOCAL sasaran below (above, when lower is better) a selected national target of the
    same indicator and year: ``kode, indicator, year, local_pct, national_pct, target_set``
    (docs/METHOD.md §4.6)."""
    cols = ["kode", "indicator", "year", "local_pct", "national_pct", "target_set"]
    t = targets[(targets["kind"] == "target") & targets["target_set"].isin(list(sets))]
    scope = t["scope_kode"].fillna("").astype(str)
    loc = t[(t["target_set"] == LOCAL) & scope.isin(list(city_kodes))]
    nat = t[(t["target_set"] != LOCAL) & (scope == "")]
    if loc.empty or nat.empty:
        return pd.DataFrame(columns=cols)
    m = loc.assign(kode=scope[loc.index]).merge(
        nat[["indicator", "year", "value", "target_set"]],
        on=["indicator", "year"],
        suffixes=("_local", ""),
    )
    lower = m["indicator"].map(lower_is_better).astype(bool)
    below = np.where(lower, m["value_local"] > m["value"], m["value_local"] < m["value"])
    out = m[below].rename(columns={"value_local": "local_pct", "value": "national_pct"})
    out = out.sort_values(["kode", "indicator", "year", "target_set"])
    return out[cols].reset_index(drop=True)
