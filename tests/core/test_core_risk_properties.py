"""Property tests of the risk scoring: scores stay within 1-4, scores within [1, 16], the
highest score of a city is class 4 and the lowest class 1 (docs/METHOD.md §11.1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.core.risk import equal_interval_class, score_risk

FAST = settings(
    max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` non-negative integer weights summing to 100."""
    cuts = np.sort(rng.integers(0, 101, n - 1))
    return np.diff(np.concatenate([[0], cuts, [100]])).astype(float)


@st.composite
def risk_inputs(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_kel = draw(st.integers(1, 8))
    kodes = [f"13.72.01.{1001 + i}" for i in range(n_kel)]
    specs = [("all", "impact", f"i{j}") for j in range(draw(st.integers(1, 4)))]
    for sub in ("ald", "persampahan"):
        specs += [(sub, "exposure", f"{sub}{j}") for j in range(draw(st.integers(1, 4)))]
    rows, wrows = [], []
    for comp_sub in {(s, c) for s, c, _ in specs}:
        group = [sp for sp in specs if (sp[0], sp[1]) == comp_sub]
        ws = _weights(rng, len(group))
        for (sub, comp, ind), w in zip(group, ws, strict=True):
            direction = str(rng.choice(["risk", "protective", "score"]))
            wrows.append((sub, comp, ind, w, direction))
            if direction == "score":
                vals = rng.integers(1, 5, n_kel).astype(float)
            elif rng.random() < 0.15:
                vals = np.full(n_kel, rng.normal() * 100)  # zero range
            else:
                vals = np.round(rng.normal(0, 100, n_kel), int(rng.integers(0, 3)))
            rows += [(k, sub, ind, v) for k, v in zip(kodes, vals, strict=True)]
    ind = pd.DataFrame(rows, columns=["kode", "subsector", "indicator", "value"])
    w = pd.DataFrame(wrows, columns=["subsector", "component", "indicator", "weight", "direction"])
    return ind, w


@FAST
@given(risk_inputs())
def test_scores_stay_in_range(inputs: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    ind, w = inputs
    res = score_risk(ind, w)
    sc = res["risk_indicator_scores"]["score"]
    assert sc.between(1, 4).all() and (sc == np.round(sc)).all()
    s = res["risk_scores"]
    assert s["impact_score"].between(1 - 1e-9, 4 + 1e-9).all()
    assert s["exposure_score"].between(1 - 1e-9, 4 + 1e-9).all()
    assert s["risk_score"].between(1 - 1e-9, 16 + 1e-9).all()
    assert s["final_class"].isin([1, 2, 3, 4]).all()
    for _, g in s.groupby("subsector"):
        hi, lo = g["risk_score"].max(), g["risk_score"].min()
        if hi > lo:
            assert g.loc[g["risk_score"].idxmax(), "computed_class"] == 4
            assert g.loc[g["risk_score"].idxmin(), "computed_class"] == 1
        else:
            assert (g["computed_class"] == 1).all()
    # higher score never gets a lower class
    for _, g in s.groupby("subsector"):
        o = g.sort_values("risk_score")
        assert o["computed_class"].is_monotonic_increasing


@FAST
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30),
)
def test_equal_intervals_are_monotone_and_bounded(values: list[float]) -> None:
    x = np.array(values)
    c = equal_interval_class(x, x.min(), x.max())
    assert ((c >= 1) & (c <= 4)).all()
    o = np.argsort(x, kind="stable")
    assert (np.diff(c[o]) >= 0).all()
    if x.max() > x.min():
        assert c[np.argmax(x)] == 4 and c[np.argmin(x)] == 1
