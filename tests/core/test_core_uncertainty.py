"""Monte Carlo building blocks (core.uncertainty; METHOD.md §15): hand-computed values and
properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.core.uncertainty import (
    CostStructure,
    built_before,
    cost_draws,
    lhs_uniform,
    quantiles,
    triangular_ppf,
)


def test_triangular_ppf_by_hand() -> None:
    # triangular(0, 1, 2): c = 0.5; u = 0.125 -> sqrt(0.125 * 2 * 1) = 0.5; u = 0.5 -> 1
    x = triangular_ppf(np.array([0.0, 0.125, 0.5, 0.875, 1.0]), 0.0, 1.0, 2.0)
    assert x == pytest.approx([0.0, 0.5, 1.0, 1.5, 2.0])
    # mode at low: x = high - sqrt((1 - u)(high - low)^2); u = 0.75 -> 1 - sqrt(0.25) = 0.5
    assert triangular_ppf(np.array([0.75]), 0.0, 0.0, 1.0)[0] == pytest.approx(0.5)
    # low = high: the constant mode, whatever u
    assert list(triangular_ppf(np.array([0.0, 0.3, 0.99]), 5.0, 5.0, 5.0)) == [5.0, 5.0, 5.0]
    # a mode outside [low, high] is clipped into it
    assert triangular_ppf(np.array([1.0]), 1.0, 9.0, 3.0)[0] == pytest.approx(3.0)


@settings(max_examples=examples(60), deadline=None)
@given(
    low=st.floats(-1e6, 1e6),
    width=st.floats(0, 1e6),
    at=st.floats(0, 1),
    u=st.lists(st.floats(0, 1), min_size=2, max_size=30),
)
def test_triangular_ppf_is_monotone_and_bounded(
    low: float, width: float, at: float, u: list[float]
) -> None:
    high = low + width
    mode = low + at * width
    uu = np.sort(np.array(u))
    x = triangular_ppf(uu, low, mode, high)
    tol = 1e-9 * max(1.0, abs(low), abs(high))
    assert np.all(x >= low - tol) and np.all(x <= high + tol)
    assert np.all(np.diff(x) >= -tol)


@settings(max_examples=examples(40), deadline=None)
@given(n=st.integers(1, 60), dims=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_lhs_one_draw_per_stratum(n: int, dims: int, seed: int) -> None:
    u = lhs_uniform(np.random.default_rng(seed), n, dims)
    assert u.shape == (n, dims)
    assert np.all((u >= 0) & (u < 1))
    for j in range(dims):
        strata = np.floor(u[:, j] * n).astype(int)
        assert sorted(strata) == list(range(n))


def test_lhs_is_seeded() -> None:
    a = lhs_uniform(np.random.default_rng(7), 20, 3)
    b = lhs_uniform(np.random.default_rng(7), 20, 3)
    c = lhs_uniform(np.random.default_rng(8), 20, 3)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@settings(max_examples=examples(40), deadline=None)
@given(
    values=st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=200),
)
def test_quantiles_are_ordered(values: list[float]) -> None:
    q = quantiles(np.array(values))
    assert q[0] <= q[1] <= q[2]


def test_built_before() -> None:
    assert built_before(np.array([1.0, 2.0, 3.0])).tolist() == [0.0, 1.0, 3.0]


def _one_row() -> CostStructure:
    rows = pd.DataFrame(
        {
            "kode": ["13.72"],
            "sector": ["ald"],
            "need": ["new_septic_tank"],
            "item": ["x"],
            "base_cost_idr": [100.0],
            "price_year": [2024.0],
            "om_group": [0],
        }
    )
    groups = pd.DataFrame({"kode": ["13.72"], "sector": ["ald"], "om_item": ["om_general"]})
    q = np.array([[[1.0, 2.0, 3.0]]])  # (K=1, R=1, T=3)
    return CostStructure(rows, np.array([2025, 2026, 2027]), q, groups)


def test_cost_draws_by_hand() -> None:
    # unit cost = 100 x 2 x 1.1^(t - 2024) = 220, 242, 266.2
    # cost = q x unit = 220, 484, 798.6
    # O&M = 0.05 x built before (0, 1, 3) x unit = 0, 12.1, 39.93
    cost, om = cost_draws(
        _one_row(), np.array([0]), np.array([[2.0]]), np.array([0.1]), np.array([0.05])
    )
    assert cost[0, 0] == pytest.approx([220.0, 484.0, 798.6])
    assert om[0, 0] == pytest.approx([0.0, 12.1, 39.93])


def test_cost_draws_are_linear_in_the_multiplier() -> None:
    s = _one_row()
    one, om1 = cost_draws(s, np.array([0, 0]), np.array([[1.0], [3.0]]), np.zeros(2), np.ones(2))
    assert one[1] == pytest.approx(3 * one[0])
    assert om1[1] == pytest.approx(3 * om1[0])
    assert not math.isnan(float(one.sum()))
