"""Property tests (hypothesis) of the survey shares and classification."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.core import survey as cs
from sanitasi.core.model import RUNGS

FAST = settings(
    max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def surveys(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 300))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(cs.LADDER), n)
    skew = draw(st.floats(0.0, 3.0))
    weights = rng.lognormal(0.0, skew, n)
    groups = rng.integers(0, draw(st.integers(1, 6)), n)
    return codes, weights, groups


@FAST
@given(surveys())
def test_shares_sum_to_100_and_intervals_contain_the_estimate(
    data: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    codes, weights, groups = data
    out = cs.weighted_shares(pd.Series(codes), weights, groups)
    have = out[out["n"] > 0]
    total = sum(have[f"pct_{r}"] for r in RUNGS)
    np.testing.assert_allclose(total.to_numpy(float), 100.0, atol=1e-9)
    for r in RUNGS:
        p, lo, hi = have[f"pct_{r}"], have[f"pct_{r}_low"], have[f"pct_{r}_high"]
        assert ((lo <= p + 1e-9) & (p <= hi + 1e-9)).all()
        assert ((lo >= 0) & (hi <= 100)).all()
    assert (out["n"] + out["n_unknown"]).sum() == len(codes)
    assert ((have["n_eff"] > 0) & (have["n_eff"] <= have["n"] + 1e-9)).all()


@FAST
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 10.0))
def test_classification_is_total_and_monotone_in_the_window(seed: int, window: float) -> None:
    """Every household gets exactly one ladder code; widening the window only moves
    layak_sendiri households up to aman."""
    rng = np.random.default_rng(seed)
    n = 200
    t = rng.integers(-2, len(cs.TOILET), n).astype(np.int8)
    u = rng.integers(-2, len(cs.USE), n).astype(np.int8)
    d = rng.integers(-2, len(cs.DISPOSAL), n).astype(np.int8)
    urb = rng.integers(-2, 2, n).astype(np.int8)
    y = np.where(rng.random(n) < 0.2, np.nan, rng.uniform(0, 12, n))
    narrow = cs.classify_codes(t, u, d, y, urb, cs.SurveyRules(window_years=window))
    wide = cs.classify_codes(t, u, d, y, urb, cs.SurveyRules(window_years=window + 2))
    assert ((narrow >= 0) & (narrow < len(cs.LADDER))).all()
    moved = narrow != wide
    assert (narrow[moved] == cs.RUNG_CODE["layak_sendiri"]).all()
    assert (wide[moved] == cs.RUNG_CODE["aman"]).all()
