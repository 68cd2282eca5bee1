"""Population and household projection per leaf area and year (vectorised).

Formulas (docs/METHOD.md §2):

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
(geometric growth), docs/METHOD.md §2.
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
    sel = (
        (obs["indicator"] == "population").to_numpy()
        & (obs["year"] <= base_year).to_numpy()
        & (obs["year"] >= base_year - GROWTH_WINDOW_YEARS).to_numpy()
    )
    if not sel.any():
        return pd.Series(dtype=float)
    # Per kode (rows by year): the first and last year, and the first and last value that is
    # not missing (as ``groupby().first()/.last()``); kodes in order of appearance, without
    # sorting text (the result is looked up by kode).
    code, kodes = pd.factorize(obs["kode"].to_numpy(dtype=object)[sel])
    year = obs["year"].to_numpy()[sel]
    value = obs["value"].to_numpy(dtype=float)[sel]
    order = np.lexsort((year, code))
    code, year, value = code[order], year[order], value[order]
    start = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    end = np.r_[start[1:], len(code)] - 1
    valid = ~np.isnan(value)
    pos = np.arange(len(value))
    first_valid = np.minimum.reduceat(np.where(valid, pos, len(value)), start)
    last_valid = np.maximum.reduceat(np.where(valid, pos, -1), start)
    has = first_valid < len(value)
    v_first = np.where(has, value[np.minimum(first_valid, len(value) - 1)], np.nan)
    v_last = np.where(has, value[np.maximum(last_valid, 0)], np.nan)
    index = pd.Index(kodes[code[start]], name="kode")
    n = pd.Series((year[end] - year[start]).astype(float), index=index)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = pd.Series(v_last / v_first, index=index)
    ok = (n > 0) & (v_first > 0) & (v_last > 0)
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
    known = pd.Index(rates.index.astype(object))
    ext = np.append(rates.to_numpy(dtype=float), np.nan)  # position -1 -> NaN

    def lookup(codes: np.ndarray) -> np.ndarray:
        return ext[known.get_indexer(pd.Index(np.asarray(codes, dtype=object)))]

    rate = lookup(tree.leaf_kode)
    src = np.where(np.isnan(rate), "-", tree.leaf_kode).astype(object)
    for lvl in ("kecamatan", "kabkota", "provinsi"):
        level = tree.levels[lvl]
        vals = lookup(level.codes)[level.inverse]
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
