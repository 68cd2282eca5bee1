"""The funding-constrained model (docs/METHOD.md §18.3) on hand-solvable problems, and its
invariants (hypothesis): spend never above a cap, more budget never less progress, caps
above the needs-based cost reach the trajectory at no more than that cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.core.optimise import Facility, Problem, Stream, needs_based_cost, solve
from sanitasi.core.priority import area_priorities

YEARS3 = np.array([2025, 2026, 2027])


def _caps(source: str, values: list[float], years: np.ndarray = YEARS3, sector: str = "all"):
    return pd.DataFrame(
        {"year": years[: len(values)], "source": source, "sector": sector, "cap_idr": values}
    )


def _stream(need, cost, shares, points=0.1, name="layak", sector="ald") -> Stream:
    need = np.atleast_2d(np.asarray(need, dtype=float))
    n, T = need.shape
    return Stream(
        name,
        sector,
        "pct_layak",
        "households",
        need,
        np.broadcast_to(np.asarray(cost, dtype=float), (n, T)).copy(),
        np.broadcast_to(np.asarray(shares, dtype=float), (n, len(shares))).copy(),
        np.full(T, points),
    )


def test_one_kelurahan_one_intervention_one_cap() -> None:
    # a tank costs Rp 1,000,000, half of it from DAK (cap Rp 25 million a year), half from the
    # household (uncapped): households a year = 25e6 / (1e6 x 0.5) = 50
    p = Problem(
        YEARS3,
        np.array(["a"]),
        ("DAK", "MASYARAKAT"),
        (_stream([[100, 200, 300]], 1e6, [0.5, 0.5]),),
        (),
        _caps("DAK", [25e6] * 3),
    )
    s = solve(p)
    np.testing.assert_allclose(s.x["layak"], [[50, 50, 50]], atol=1e-4)
    np.testing.assert_allclose(s.shortfall["layak"], [[50, 100, 150]], atol=1e-4)
    dak = s.spend[s.spend["source"] == "DAK"]["spent_idr"].to_numpy()
    np.testing.assert_allclose(dak, [25e6] * 3, rtol=1e-6)
    mas = s.spend[s.spend["source"] == "MASYARAKAT"]
    assert mas["cap_idr"].isna().all()  # uncapped, reported with its spend
    # one more billion of DAK in 2025 buys 2,000 households x 0.1 points in 2025, 2026 and
    # 2027 (its effect lasts): 600 point-years; in 2027: 200
    gain = s.shadow.set_index("year")["gain_per_billion"]
    assert gain[2025] == pytest.approx(600.0) and gain[2027] == pytest.approx(200.0)
    assert set(s.binding) == {(2025, "DAK", "all"), (2026, "DAK", "all"), (2027, "DAK", "all")}


def test_the_higher_risk_class_gets_the_money_first() -> None:
    areas = pd.DataFrame(
        {
            "city_kode": "13.72",
            "kode": ["13.72.01.1001", "13.72.01.1002"],
            "sector": "ald",
            "risk_class": [1.0, 4.0],
            "gap": [100.0, 100.0],
            "gap_unit": "households",
            "cost_idr": [1e8, 1e8],
        }
    )
    w = {"risk": 0.4, "gap": 0.3, "cost": 0.2, "readiness": 0.1}
    pr = area_priorities(areas, w)
    # risk (4-1)/3 = 1 x 0.4 + gap 1 x 0.3 + cost 0 (both equal: 1 - 1) = 0.7 vs 0.3
    assert pr["kode"].tolist() == ["13.72.01.1002", "13.72.01.1001"]
    assert pr["score"].tolist() == pytest.approx([0.7, 0.3])
    score = pr.set_index("kode")["score"]
    weights = {"ald": 1.0 + score.reindex(areas["kode"]).to_numpy()}
    # money for 100 of the 200 households: all of it to the class-4 kelurahan
    p = Problem(
        np.array([2025]),
        areas["kode"].to_numpy(),
        ("APBD_KOTA",),
        (_stream([[100.0], [100.0]], 1e6, [1.0]),),
        (),
        _caps("APBD_KOTA", [1e8], np.array([2025])),
        weights=weights,
    )
    s = solve(p)
    np.testing.assert_allclose(s.x["layak"][:, 0], [0.0, 100.0], atol=1e-6)


def _aman_iplt(cap: float) -> Problem:
    # 100 households into aman at Rp 1 million; each enrolled household adds 0.01 m3/day
    # to the IPLT, which has 0.5 m3/day to spare; a module of 1 m3/day costs Rp 100 million
    iplt = Facility(
        "iplt_capacity",
        "ald",
        "m3/day",
        {"aman": np.array([0.01])},
        np.array([1e8]),
        np.array([1.0]),
        per_unit=1.0,
        spare=np.array([0.5]),
    )
    return Problem(
        np.array([2025]),
        np.array(["a"]),
        ("APBD_KOTA",),
        (_stream([[100.0]], 1e6, [1.0], name="aman"),),
        (iplt,),
        _caps("APBD_KOTA", [cap], np.array([2025])),
    )


def test_a_binding_iplt_capacity_link() -> None:
    # Rp 100 million: 100 households would need a module (another Rp 100 million), so only
    # the 50 the spare 0.5 m3/day serves are enrolled
    s = solve(_aman_iplt(1e8))
    assert s.x["aman"][0, 0] == pytest.approx(50.0, abs=1e-6)
    assert s.units["iplt_capacity"][0] == 0.0
    assert s.shortfall["aman"][0, 0] == pytest.approx(50.0, abs=1e-6)
    # Rp 200 million: the module and all 100 households
    s = solve(_aman_iplt(2e8))
    assert s.x["aman"][0, 0] == pytest.approx(100.0, abs=1e-6)
    assert s.units["iplt_capacity"][0] == 1.0


@pytest.mark.parametrize(("carry", "done"), [(False, 50.0), (True, 100.0)])
def test_carry_over(carry: bool, done: float) -> None:
    # nothing can be built in 2025 (price Rp 1e12); 100 households due in 2026; Rp 50 million
    # a year: without carry-over 2025's cap is lost, with it 2026 spends Rp 100 million
    st_ = _stream([[0.0, 100.0]], 1e6, [1.0])
    st_ = Stream(
        *[getattr(st_, f) for f in ("name", "sector", "indicator", "unit", "need")],
        np.array([[1e12, 1e6]]),
        st_.shares,
        st_.points,
    )
    p = Problem(
        np.array([2025, 2026]),
        np.array(["a"]),
        ("APBD_KOTA",),
        (st_,),
        (),
        _caps("APBD_KOTA", [5e7, 5e7], np.array([2025, 2026])),
        carry_over=carry,
    )
    s = solve(p)
    # (2025 buys 5e-5 of a household at Rp 1e12: nothing worth counting)
    assert s.x["layak"][0].sum() == pytest.approx(done, abs=1e-3)


def test_an_unreachable_trajectory_is_a_shortfall_not_an_error() -> None:
    p = Problem(
        YEARS3,
        np.array(["a"]),
        ("DAK",),
        (_stream([[100, 200, 300]], 1e6, [1.0]),),
        (),
        _caps("DAK", [0.0] * 3),
    )
    s = solve(p)
    np.testing.assert_allclose(s.shortfall["layak"], [[100, 200, 300]], atol=1e-6)
    assert s.cost.sum() == pytest.approx(0.0, abs=1e-6)


def test_inputs_are_not_mutated() -> None:
    p = _aman_iplt(1e8)
    before = p.streams[0].need.copy(), p.caps.copy()
    solve(p)
    np.testing.assert_array_equal(p.streams[0].need, before[0])
    pd.testing.assert_frame_equal(p.caps, before[1])


# --------------------------------------------------------------------------- properties


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 3))
    T = draw(st.integers(1, 3))
    years = np.arange(2025, 2025 + T)
    inc = np.array(
        draw(st.lists(st.floats(0, 50), min_size=n * T, max_size=n * T)), dtype=float
    ).reshape(n, T)
    need = np.cumsum(inc, axis=1)
    cost = draw(st.floats(1e5, 1e7))
    share = draw(st.floats(0.1, 1.0))
    caps = draw(st.lists(st.floats(0, 1e8), min_size=T, max_size=T))
    truck = Facility(
        "vacuum_truck",
        "ald",
        "truck",
        {"layak": np.full(n, 1.0)},
        np.full(T, draw(st.floats(1e6, 1e8))),
        np.array([1.0, 0.0]),
        per_unit=draw(st.floats(10, 200)),
        spare=np.full(T, draw(st.floats(0, 50))),
    )
    return Problem(
        years,
        np.array([f"a{i}" for i in range(n)]),
        ("APBD_KOTA", "MASYARAKAT"),
        (_stream(need, cost, [share, 1 - share]),),
        (truck,),
        _caps("APBD_KOTA", caps, years),
        weights={"ald": np.array(draw(st.lists(st.floats(1, 2), min_size=n, max_size=n)))},
        objective=draw(st.sampled_from(["progress", "cost"])),
    )


@settings(max_examples=examples(25), deadline=None)
@given(problems())
def test_spend_never_exceeds_a_cap(p: Problem) -> None:
    s = solve(p)
    capped = s.spend[s.spend["cap_idr"].notna()]
    # tolerance Rp 1: HiGHS's primal feasibility tolerance of the least-cost linear model is
    # Rp 0.1 on a cap row (core.optimise.LP_TIGHT)
    assert (capped["spent_idr"] <= capped["cap_idr"] * (1 + 1e-7) + 1.0).all()


@settings(max_examples=examples(25), deadline=None)
@given(problems(), st.floats(1.0, 3.0))
def test_more_budget_never_less_progress(p: Problem, factor: float) -> None:
    more = Problem(**{**p.__dict__, "caps": p.caps.assign(cap_idr=p.caps["cap_idr"] * factor)})
    a, b = solve(p).shortfall_objective, solve(more).shortfall_objective
    assert b <= a * (1 + 1e-6) + 1e-6


@settings(max_examples=examples(25), deadline=None)
@given(problems())
def test_caps_above_the_need_reach_the_trajectory_at_no_more_than_its_cost(p: Problem) -> None:
    rich = Problem(**{**p.__dict__, "caps": p.caps.assign(cap_idr=1e15), "objective": "cost"})
    s = solve(rich)
    assert s.shortfall_objective == pytest.approx(0.0, abs=1e-6)
    assert s.cost.sum() <= needs_based_cost(rich).sum() * (1 + 1e-7) + 1e-3


@settings(max_examples=examples(25), deadline=None)
@given(problems(), st.sampled_from([1e-4, 1e-2]))
def test_the_one_solve_objective_is_within_its_bound(p: Problem, eps: float) -> None:
    """``cost_weight = eps``: S at most eps x C*/C_nb above the exact S* (METHOD §18.3)."""
    exact = solve(p)
    fast = solve(Problem(**{**p.__dict__, "cost_weight": eps}))
    c_nb = needs_based_cost(p).sum()
    bound = eps * exact.cost.sum() / c_nb if c_nb > 0 else eps * exact.cost.sum() / 1e9
    assert fast.shortfall_objective <= exact.shortfall_objective + bound * (1 + 1e-6) + 1e-6
    capped = fast.spend[fast.spend["cap_idr"].notna()]
    assert (capped["spent_idr"] <= capped["cap_idr"] * (1 + 1e-7) + 1.0).all()
