"""SWOT scoring of SSK Bab IV (docs/METHOD.md §13.4): IFAS/EFAS by hand, quadrants, links."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitasi.core.swot import factor_scores, quadrant_of, sector_scores, strategy_links

QUADRANTS = pd.DataFrame(
    {
        "quadrant": ["I", "II", "III", "IV"],
        "direction_id": ["agresif", "diversifikasi", "turn-around", "defensif"],
        "direction_en": ["aggressive", "diversification", "turn-around", "defensive"],
        "status": ["sourced"] * 4,
    }
)


def approx(x: float) -> object:
    return pytest.approx(x, abs=1e-12)


def _swot(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sector": [r[0] for r in rows],
            "id": [f"F{i}" for i in range(len(rows))],
            "kind": [r[1] for r in rows],
            "factor": ["x"] * len(rows),
            "weight": [r[2] for r in rows],
            "rating": [r[3] for r in rows],
            "activities": [()] * len(rows),
            "status": ["illustrative"] * len(rows),
        }
    )


def test_ifas_efas_and_quadrant_by_hand() -> None:
    swot = _swot(
        [
            # ald: S 0.2x3 + 0.15x3 = 1.05; W 0.3x4 + 0.25x4 + 0.1x3 = 2.5 -> IFAS -1.45
            ("ald", "S", 0.20, 3),
            ("ald", "S", 0.15, 3),
            ("ald", "W", 0.30, 4),
            ("ald", "W", 0.25, 4),
            ("ald", "W", 0.10, 3),
            # O 0.35x4 + 0.25x3 = 2.15; T 0.25x3 + 0.15x2 = 1.05 -> EFAS +1.1 -> III
            ("ald", "O", 0.35, 4),
            ("ald", "O", 0.25, 3),
            ("ald", "T", 0.25, 3),
            ("ald", "T", 0.15, 2),
            # persampahan: S 0.6x4 = 2.4; W 0.4x2 = 0.8 -> IFAS 1.6
            ("persampahan", "S", 0.6, 4),
            ("persampahan", "W", 0.4, 2),
            # O 0.5x1 = 0.5; T 0.5x3 = 1.5 -> EFAS -1.0 -> II
            ("persampahan", "O", 0.5, 1),
            ("persampahan", "T", 0.5, 3),
        ]
    )
    before = swot.copy()
    out = sector_scores(swot, QUADRANTS).set_index("sector")
    assert out.loc["ald", "s_score"] == approx(1.05)
    assert out.loc["ald", "w_score"] == approx(2.5)
    assert out.loc["ald", "ifas"] == approx(-1.45)
    assert out.loc["ald", "efas"] == approx(1.1)
    assert out.loc["ald", "quadrant"] == "III"
    assert out.loc["ald", "direction_en"] == "turn-around"
    assert out.loc["persampahan", "ifas"] == approx(1.6)
    assert out.loc["persampahan", "efas"] == approx(-1.0)
    assert out.loc["persampahan", "quadrant"] == "II"
    assert out.loc["persampahan", "direction_id"] == "diversifikasi"
    pd.testing.assert_frame_equal(swot, before)  # inputs are never mutated
    # each factor's score = weight x rating: 0.35 x 4 = 1.4
    assert factor_scores(swot)["score"].iloc[5] == approx(1.4)


def test_quadrants_of_each_sign_and_zero() -> None:
    q = quadrant_of(np.array([1.0, 1.0, -1.0, -1.0, 0.0]), np.array([1.0, -1.0, 1.0, -1.0, 0.0]))
    assert list(q) == ["I", "II", "III", "IV", "I"]  # a 0 counts as positive


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["S", "W", "O", "T"]),
            st.floats(0, 1, allow_nan=False),
            st.floats(1, 4, allow_nan=False),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_ifas_is_s_minus_w_and_quadrant_follows_signs(rows: list[tuple[str, float, float]]) -> None:
    swot = _swot([("ald", k, w, r) for k, w, r in rows])
    out = sector_scores(swot, QUADRANTS).iloc[0]
    s = sum(w * r for k, w, r in rows if k == "S")
    w_ = sum(w * r for k, w, r in rows if k == "W")
    o = sum(w * r for k, w, r in rows if k == "O")
    t = sum(w * r for k, w, r in rows if k == "T")
    assert abs(out["ifas"] - (s - w_)) < 1e-9
    assert abs(out["efas"] - (o - t)) < 1e-9
    expected = {(True, True): "I", (True, False): "II", (False, True): "III", (False, False): "IV"}
    assert out["quadrant"] == expected[(out["ifas"] >= 0, out["efas"] >= 0)]


def test_strategy_links_name_the_kkl_strategy() -> None:
    swot = _swot([("ald", "W", 1.0, 4), ("ald", "S", 0.0, 1)])
    swot["activities"] = [("A-1", "A-2"), ()]
    acts = pd.DataFrame(
        {
            "code": ["A-1", "A-2", "A-3"],
            "strategy": ["st1", "st2", "st3"],
            "programme": ["p", "p", "p"],
            "activity": ["a1", "a2", "a3"],
        }
    )
    links = strategy_links(swot, acts)
    assert list(links["code"]) == ["A-1", "A-2"]
    assert list(links["strategy"]) == ["st1", "st2"]
    assert set(links["id"]) == {"F0"}
