"""Monte Carlo over uncertain parameters and unit costs (docs/METHOD.md §15).

Pure functions over arrays (draws x items x years); no engine call here (the use case
:mod:`sanitasi.app.uncertainty` runs the engine for the quantity parameters):

* :func:`lhs_uniform` -- Latin hypercube uniforms (McKay, Beckman & Conover 1979): each of
  ``n`` equal strata of every dimension holds exactly one draw;
* :func:`triangular_ppf` -- inverse CDF of the triangular distribution (low, mode, high)
  (Vose 2008, *Risk Analysis*, 3rd ed., §III.10.5 "Triangular"); ``low = high`` is the
  constant ``mode``;
* :func:`cost_draws` -- the needs' costs of every draw at once: costs are linear in the unit
  costs given the quantities (METHOD.md §8), so with draws of unit-cost multipliers
  ``m[d, i]``, the escalation rate ``e[d]`` and the O&M share ``s[d]``:

  - a need row r (item i, year t): ``cost = q[k(d), r, t] x base_i x m[d, i] x
    (1 + e[d])^(t - price_year_i)``;
  - an O&M group g (sector, payer): ``cost = s[d] x sum over the group's capital rows r of
    built[k(d), r, t] x unit cost[d, r, t]``, ``built`` = the quantity added before year t
    (an asset operates from the year after it is built; §8.5);

  ``k(d)`` is the engine run (quantities) the draw uses;
* :func:`quantiles` -- P10/P50/P90 along the draws;
* :func:`reach_draws` -- the probability of reaching each target year under a budget, per
  draw: each cap row's cumulative needs-based cost against its cumulative cap (METHOD.md
  §15.4).

Units: rupiah (IDR), nominal; quantities in the unit of each need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: The quantiles reported (P10, P50, P90).
QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)


def lhs_uniform(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    """``(n, dims)`` Latin hypercube uniforms in [0, 1): in each column the draws fall one
    in each of the ``n`` strata ``[j/n, (j+1)/n)``, in an independent random order."""
    if n <= 0 or dims <= 0:
        return np.zeros((max(n, 0), max(dims, 0)))
    u = (np.arange(n)[:, None] + rng.random((n, dims))) / n
    order = rng.random((n, dims)).argsort(axis=0)
    return np.take_along_axis(u, order, axis=0)


def triangular_ppf(
    u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """Inverse CDF of triangular(low, mode, high) at ``u`` in [0, 1] (broadcast).

    With ``c = (mode - low) / (high - low)``: ``x = low + sqrt(u (high - low)(mode - low))``
    for ``u < c``, else ``high - sqrt((1 - u)(high - low)(high - mode))``. The mode is first
    clipped into [low, high]; ``low = high`` gives the constant ``mode`` (a degenerate
    distribution)."""
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    lo = np.minimum(low, high)
    hi = np.maximum(low, high)
    mode = np.clip(np.asarray(mode, dtype=float), lo, hi)
    width = hi - lo
    safe = np.where(width > 0, width, 1.0)
    c = (mode - lo) / safe
    left = lo + np.sqrt(np.clip(u * width * (mode - lo), 0.0, None))
    right = hi - np.sqrt(np.clip((1.0 - u) * width * (hi - mode), 0.0, None))
    x = np.where(u < c, left, right)
    return np.where(width > 0, x, mode)


def quantiles(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """P10, P50, P90 of ``values`` along ``axis`` (linear interpolation), stacked first."""
    return np.quantile(values, QUANTILES, axis=axis)


@dataclass(frozen=True)
class CostStructure:
    """The cost rows of the needs of ``K`` engine runs, aligned (same rows, same years).

    ``rows``: one row per (kode, sector, need, item) that is not O&M, with ``item_pos``
    (position in the drawn items), ``base_cost_idr``, ``price_year`` and ``om_group`` (the
    position of its O&M group in ``om_groups``, -1 when its capital carries no O&M);
    ``years``: the costed years; ``quantity``: ``(K, R, T)``; ``om_groups``: one row per
    (kode, sector, om_item) with an O&M cost."""

    rows: pd.DataFrame
    years: np.ndarray
    quantity: np.ndarray
    om_groups: pd.DataFrame


def built_before(quantity: np.ndarray) -> np.ndarray:
    """Quantity added before each year (cumulative sum along the last axis minus the year's
    own): the capital that operates in the year (METHOD.md §8.5)."""
    return np.cumsum(quantity, axis=-1) - quantity


def unit_cost_draws(
    base: np.ndarray,
    price_year: np.ndarray,
    years: np.ndarray,
    multiplier: np.ndarray,
    escalation: np.ndarray,
) -> np.ndarray:
    """``(D, R, T)`` unit cost of each row in each year of each draw: ``base x multiplier[d]
    x (1 + escalation[d])^(t - price_year)`` (METHOD.md §8.2), IDR per unit."""
    expo = years.astype(float)[None, :] - price_year.astype(float)[:, None]  # (R, T)
    esc = (1.0 + escalation)[:, None, None] ** expo[None, :, :]  # (D, R, T)
    return base[None, :, None] * multiplier[:, :, None] * esc


def cost_draws(
    structure: CostStructure,
    run: np.ndarray,
    multiplier: np.ndarray,
    escalation: np.ndarray,
    om_share: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Costs of every draw: ``(D, R, T)`` need-row costs and ``(D, G, T)`` O&M group costs
    (IDR, nominal). ``run``: ``(D,)`` engine run of each draw; ``multiplier``: ``(D, R)``
    unit-cost multiplier of each row's item; ``escalation`` and ``om_share``: ``(D,)``.
    Formulas: module docstring (METHOD.md §15.3)."""
    rows = structure.rows
    q = structure.quantity[run]  # (D, R, T)
    u = unit_cost_draws(
        rows["base_cost_idr"].to_numpy(float),
        rows["price_year"].to_numpy(float),
        structure.years,
        multiplier,
        escalation,
    )
    cost = np.nan_to_num(q * u)
    G = len(structure.om_groups)
    om = np.zeros((len(run), G, len(structure.years)))
    group = rows["om_group"].to_numpy(np.intp)
    has = group >= 0
    if G and has.any():
        stock = np.nan_to_num(built_before(q[:, has, :]) * u[:, has, :])  # (D, R', T)
        # sum the rows of each group: one-hot (R', G) contraction
        onehot = np.zeros((int(has.sum()), G))
        onehot[np.arange(int(has.sum())), group[has]] = 1.0
        om = np.einsum("drt,rg->dgt", stock, onehot) * om_share[:, None, None]
    return cost, om


@dataclass(frozen=True)
class Reach:
    """What :func:`reach_draws` returns: ``share`` (D, K, T) the share of each sector's
    needs-based additions the budget buys by each year; ``shortfall`` (D, I, T) points
    below the trajectory; ``reached`` (D, I, T) the shortfall is at most the tolerance."""

    share: np.ndarray
    shortfall: np.ndarray
    reached: np.ndarray


def reach_draws(
    need: np.ndarray,
    cap: np.ndarray,
    cover: np.ndarray,
    gap_pts: np.ndarray,
    sector_of: np.ndarray,
    tol_pts: float,
) -> Reach:
    """Reaching the trajectory under a budget, every draw at once (METHOD.md §15.4).

    ``need`` (D, G, T): the needs-based cost cap row g must fund in year t of draw d (Rp:
    the cost of the sectors the row covers x the row's source's funding share); ``cap``
    (G, T): the cap (Rp, 0 in a year without one); ``cover`` (G, K): row g binds sector k;
    ``gap_pts`` (I, T): trajectory - business as usual of indicator i (points); ``sector_of``
    (I,): the sector of each indicator; ``tol_pts``: the shortfall still counted as reached.

    With cumulative sums from the period's first year ``N[d,g,t] = sum_{tau<=t} need`` and
    ``C[g,t] = sum_{tau<=t} cap``::

        share[d,k,t]     = min(1, min over rows g covering k of C[g,t] / N[d,g,t])
        shortfall[d,i,t] = (1 - share[d, k(i), t]) x max(gap_pts[i,t], 0)
        reached[d,i,t]   = shortfall[d,i,t] <= tol_pts

    (a row with nothing to fund does not limit; a sector no row covers is not limited).
    More cap never gives a smaller share, a larger shortfall or fewer draws reached."""
    need = np.asarray(need, dtype=float)
    cap = np.asarray(cap, dtype=float)
    cover = np.asarray(cover, dtype=bool)
    D, G, T = need.shape
    K = cover.shape[1] if cover.ndim == 2 else 0
    cum_need = np.cumsum(np.maximum(need, 0.0), axis=2)
    cum_cap = np.cumsum(np.maximum(cap, 0.0), axis=1)[None, :, :]
    # a need near zero may overflow the ratio to inf: clipped to 1 below (nothing limits)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(cum_need > 0, cum_cap / np.where(cum_need > 0, cum_need, 1.0), np.inf)
    ratio = np.minimum(ratio, 1.0)  # (D, G, T)
    share = np.ones((D, K, T))
    for k in range(K):
        rows = np.flatnonzero(cover[:, k])
        if len(rows):
            share[:, k, :] = ratio[:, rows, :].min(axis=1)
    gap = np.maximum(np.asarray(gap_pts, dtype=float), 0.0)  # (I, T)
    shortfall = (1.0 - share[:, np.asarray(sector_of, dtype=np.intp), :]) * gap[None, :, :]
    return Reach(share, shortfall, shortfall <= tol_pts)


__all__ = [
    "QUANTILES",
    "Reach",
    "CostStructure",
    "built_before",
    "cost_draws",
    "lhs_uniform",
    "reach_draws",
    "quantiles",
    "triangular_ppf",
    "unit_cost_draws",
]
