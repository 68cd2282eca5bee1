"""The probability of reaching a target year under a budget (docs/METHOD.md §15.4): a
hand-computed case and the invariant that more budget never lowers it (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hypothesis_profiles import examples
from sanitasi.core.uncertainty import reach_draws


def test_one_source_one_sector_by_hand() -> None:
    # one cap row (DAK, ald) of Rp 15 a year; draw 0 needs 10 a year, draw 1 needs 20 a year
    need = np.array([[[10.0, 10.0]], [[20.0, 20.0]]])  # (D=2, G=1, T=2)
    cap = np.array([[15.0, 15.0]])
    cover = np.array([[True, False]])  # the row binds ald only
    gap = np.array([[4.0, 8.0], [2.0, 2.0]])  # layak (ald), pengurangan (persampahan)
    r = reach_draws(need, cap, cover, gap, np.array([0, 1]), 0.005)
    # draw 0: cumulative 15/10 and 30/20 -> share 1; draw 1: 15/20 and 30/40 -> 0.75
    np.testing.assert_allclose(r.share[:, 0, :], [[1.0, 1.0], [0.75, 0.75]])
    np.testing.assert_allclose(r.share[:, 1, :], 1.0)  # no row binds solid waste
    # draw 1 layak: (1 - 0.75) x 4 = 1 point short in year 1, x 8 = 2 points in year 2
    np.testing.assert_allclose(r.shortfall[1, 0], [1.0, 2.0])
    assert r.reached[:, 0, :].mean(axis=0).tolist() == [0.5, 0.5]
    assert r.reached[:, 1, :].all()


def test_money_left_over_carries_to_the_next_year() -> None:
    # caps 30 then 0 against needs 10 then 20: cumulative 30 >= 30, reached both years
    r = reach_draws(
        np.array([[[10.0, 20.0]]]),
        np.array([[30.0, 0.0]]),
        np.array([[True, True]]),
        np.array([[5.0, 5.0]]),
        np.array([0]),
        0.005,
    )
    assert r.reached.all()


def test_an_all_sector_row_binds_both_sectors() -> None:
    r = reach_draws(
        np.array([[[40.0]]]),
        np.array([[10.0]]),
        np.array([[True, True]]),
        np.array([[2.0], [2.0]]),
        np.array([0, 1]),
        0.005,
    )
    np.testing.assert_allclose(r.share[0, :, 0], [0.25, 0.25])
    np.testing.assert_allclose(r.shortfall[0, :, 0], [1.5, 1.5])


_D, _G, _T, _I = 3, 2, 4, 3


@settings(max_examples=examples(60), deadline=None)
@given(
    need=arrays(float, (_D, _G, _T), elements=st.floats(0, 1e3)),
    cap=arrays(float, (_G, _T), elements=st.floats(0, 1e3)),
    extra=arrays(float, (_G, _T), elements=st.floats(0, 1e3)),
    cover=arrays(bool, (_G, 2)),
    gap=arrays(float, (_I, _T), elements=st.floats(-5, 20)),
)
def test_more_budget_never_lowers_the_probability(need, cap, extra, cover, gap) -> None:  # type: ignore[no-untyped-def]
    sector_of = np.array([0, 1, 0])
    a = reach_draws(need, cap, cover, gap, sector_of, 0.005)
    b = reach_draws(need, cap + extra, cover, gap, sector_of, 0.005)
    assert (b.share >= a.share - 1e-12).all()
    assert (b.shortfall <= a.shortfall + 1e-9).all()
    assert (b.reached.mean(axis=0) >= a.reached.mean(axis=0)).all()
    assert ((a.share >= 0) & (a.share <= 1)).all()
