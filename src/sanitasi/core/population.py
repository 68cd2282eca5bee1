"""Population and household projection per leaf area and year (vectorised).

Formulas (DESIGN.md section 4 "Population"):

* growth rate of an area = rate between its earliest and latest ``population`` observations
  within the 10 years up to the base year; an area with fewer than two observations takes
  its nearest ancestor's rate (kecamatan, then kab/kota, then province); the parameter
  ``population_growth_rate`` (fraction/year) overrides all;
* geometric (default): ``P(t) = P0 * (1 + r)^(t - b)`` with ``r = (P1/P0)^(1/n) - 1``;
  arithmetic: ``P(t) = P0 * (1 + r*(t - b))`` with ``r = (P1/P0 - 1)/n``;
  exponential: ``P(t) = P0 * exp(r*(t - b))`` with ``r = ln(P1/P0)/n``;
* households ``H(t) = P(t) / pph`` where ``pph`` is the area's persons per household in the
  base year (population / households observed), else ``persons_per_household``.

Units: persons, households (rumah tangga), fraction/year. Source: BPS projection practice
(geometric growth), DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sanitasi.core.tree import Tree

GROWTH_WINDOW_YEARS = 10
METHODS = ("geometric", "arithmetic", "exponential")


@dataclass(frozen=True)
class Population:
    population: np.ndarray  # (n, T) persons
    households: np.ndarray  # (n, T) households
    growth_rate: np.ndarray  # (n,) fraction/year under the chosen method
    rate_from: np.ndarray  # (n,) code whose history gave the rate ("" = parameter, "-" = none)
    pph: np.ndarray  # (n,) persons per household in the base year


def growth_rates(obs: pd.DataFrame, base_year: int, method: str) -> pd.Series:
    """Growth rate per kode from its population history (fraction/year), by ``method``.

    Uses observations with ``indicator == 'population'`` and ``base_year - 10 <= year <=
    base_year``; a kode needs two distinct years.
    """
    if method not in METHODS:
        raise ValueError(f"unknown growth method {method!r}; use one of {METHODS}")
    p = obs.loc[
        (obs["indicator"] == "population")
        & (obs["year"] <= base_year)
        & (obs["year"] >= base_year - GROWTH_WINDOW_YEARS),
        ["kode", "year", "value"],
    ].sort_values(["kode", "year"])
    if p.empty:
        return pd.Series(dtype=float)
    g = p.groupby("kode", sort=False)
    first = g.first()
    last = g.last()
    n = (last["year"] - first["year"]).astype(float)
    ratio = last["value"] / first["value"]
    ok = (n > 0) & (first["value"] > 0) & (last["value"] > 0)
    n, ratio = n[ok], ratio[ok]
    if method == "geometric":
        r = ratio ** (1.0 / n) - 1.0
    elif method == "arithmetic":
        r = (ratio - 1.0) / n
    else:
        r = pd.Series(np.log(ratio.to_numpy(dtype=float)), index=ratio.index) / n
    return r.astype(float)


def grow(
    p0: np.ndarray, rate: np.ndarray, years: np.ndarray, base_year: int, method: str
) -> np.ndarray:
    """Project ``p0`` (n,) over ``years`` (T,) with per-area ``rate`` (n,) -> (n, T)."""
    dt = (np.asarray(years, dtype=float) - base_year)[None, :]
    r = rate[:, None]
    if method == "geometric":
        f = (1.0 + r) ** dt
    elif method == "arithmetic":
        f = 1.0 + r * dt
    elif method == "exponential":
        f = np.exp(r * dt)
    else:
        raise ValueError(f"unknown growth method {method!r}")
    return p0[:, None] * np.maximum(f, 0.0)


def leaf_rates(
    tree: Tree, rates: pd.Series, override: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """Rate of each leaf: own history, else nearest ancestor's; ``override`` wins.

    Returns (rate, rate_from) where ``rate_from`` is the code whose history was used, ``""``
    for the parameter and ``"-"`` where no history exists anywhere up the tree (rate 0).
    """
    if override is not None:
        return np.full(tree.n, float(override)), np.full(tree.n, "", dtype=object)
    rate = rates.reindex(tree.leaf_kode).to_numpy(dtype=float).copy()
    src = np.where(np.isnan(rate), "-", tree.leaf_kode).astype(object)
    for lvl in ("kecamatan", "kabkota", "provinsi"):
        level = tree.levels[lvl]
        vals = rates.reindex(level.codes).to_numpy(dtype=float)[level.inverse]
        take = np.isnan(rate) & ~np.isnan(vals)
        rate[take] = vals[take]
        src[take] = level.codes[level.inverse][take]
    rate = np.where(np.isnan(rate), 0.0, rate)
    return rate, src


def project(
    tree: Tree,
    base_pop: np.ndarray,
    base_hh: np.ndarray,
    obs: pd.DataFrame,
    years: np.ndarray,
    base_year: int,
    method: str,
    growth_override: float | None,
    default_pph: float,
) -> Population:
    """Project population and households of every leaf over ``years``.

    ``base_pop``/``base_hh`` are the base-year leaf values (NaN when not observed; a missing
    one is derived from the other with ``default_pph`` persons per household).
    """
    pop0 = np.where(np.isnan(base_pop), base_hh * default_pph, base_pop)
    hh0 = np.where(np.isnan(base_hh), pop0 / default_pph, base_hh)
    with np.errstate(divide="ignore", invalid="ignore"):
        pph = np.where(hh0 > 0, pop0 / hh0, default_pph)
    rate, src = leaf_rates(tree, growth_rates(obs, base_year, method), growth_override)
    pop = grow(np.nan_to_num(pop0), rate, years, base_year, method)
    hh = pop / pph[:, None]
    return Population(population=pop, households=hh, growth_rate=rate, rate_from=src, pph=pph)
