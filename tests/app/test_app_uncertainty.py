"""Monte Carlo on the demo (app.uncertainty; METHOD.md §15): seeded, ordered quantiles, the
deterministic plan through the vectorised cost formula, degenerate ranges, no reach without a
budget."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sanitasi.app import FolderSource, PlanRequest
from sanitasi.app.uncertainty import TOTAL, uncertainty_run
from sanitasi.core.model import ParameterSet
from sanitasi.core.plan import compute

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    return FolderSource(None).plan_inputs(PlanRequest())


@pytest.fixture(scope="module")
def run(demo):  # type: ignore[no-untyped-def]
    return uncertainty_run(*demo, draws=300, runs=3, seed=11)


def test_same_seed_same_numbers(demo, run) -> None:  # type: ignore[no-untyped-def]
    again = uncertainty_run(*demo, draws=300, runs=3, seed=11)
    pd.testing.assert_frame_equal(run.costs, again.costs)
    pd.testing.assert_frame_equal(run.needs, again.needs)
    other = uncertainty_run(*demo, draws=300, runs=3, seed=12)
    assert not np.allclose(run.period_costs["p50_idr"], other.period_costs["p50_idr"])


def test_quantiles_are_ordered(run) -> None:  # type: ignore[no-untyped-def]
    for df, cols in (
        (run.costs, ("p10_idr", "p50_idr", "p90_idr")),
        (run.period_costs, ("p10_idr", "p50_idr", "p90_idr")),
        (run.needs, ("p10", "p50", "p90")),
    ):
        a, b, c = (df[x].to_numpy() for x in cols)
        assert np.all(a <= b + 1e-6) and np.all(b <= c + 1e-6)
    # something is uncertain: the SSK-period total spreads
    tot = run.period_costs.set_index("sector").loc[TOTAL]
    assert tot["p10_idr"] < tot["p90_idr"]


def test_deterministic_equals_the_plan(demo, run) -> None:  # type: ignore[no-untyped-def]
    costs = compute(*demo).costs
    by = costs.groupby(["sector", "year"])["cost_idr"].sum()
    got = run.costs[run.costs["sector"] != TOTAL].set_index(["sector", "year"])["deterministic_idr"]
    assert got.to_numpy() == pytest.approx(by.reindex(got.index).to_numpy(), rel=1e-12)
    period = costs[(costs["year"] >= 2025) & (costs["year"] <= 2029)]["cost_idr"].sum()
    tot = run.period_costs.set_index("sector").at[TOTAL, "deterministic_idr"]
    assert tot == pytest.approx(period, rel=1e-12)
    assert period == pytest.approx(56.755e9, rel=1e-3)  # the demo's needs 2025-2029, Rp


def test_low_equal_high_is_the_deterministic_plan(demo) -> None:  # type: ignore[no-untyped-def]
    inputs, options = demo
    params = ParameterSet(
        {
            n: replace(p, low=p.value, high=p.value)
            if isinstance(p.value, float | int) and p.low is not None
            else p
            for n, p in inputs.parameters.params.items()
        }
    )
    uc = inputs.unit_costs.copy()
    uc["low_idr"] = uc["cost_idr"]
    uc["high_idr"] = uc["cost_idr"]
    res = uncertainty_run(
        replace(inputs, parameters=params, unit_costs=uc), options, draws=50, runs=2, seed=1
    )
    assert len(res.drawn) > 0  # drawn, but from degenerate ranges
    for df, cols, det in (
        (res.costs, ("p10_idr", "p50_idr", "p90_idr", "mean_idr"), "deterministic_idr"),
        (res.needs, ("p10", "p50", "p90"), "deterministic"),
    ):
        for c in cols:
            assert df[c].to_numpy() == pytest.approx(df[det].to_numpy(), rel=1e-9, abs=1e-6)


def test_no_budget_no_reach(demo) -> None:  # type: ignore[no-untyped-def]
    # the probability of reaching needs a budget (tests/app/test_app_uncertainty_reach.py)
    res = uncertainty_run(*demo, draws=20, runs=2, seed=5)
    assert res.reach is None and res.budget_from == ""


def test_bad_counts() -> None:
    with pytest.raises(ValueError):
        uncertainty_run(None, None, draws=0)  # type: ignore[arg-type]
