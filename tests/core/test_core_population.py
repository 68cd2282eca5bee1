"""Population growth rates and projections (``sanitasi.core.population``)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sanitasi.core import population as pop
from sanitasi.core.model import PlanInputs, PlanOptions, PlanResult
from sanitasi.core.results import run_plan
from sanitasi.core.tree import build_tree


def _obs(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "indicator": "population",
            "value": [r[2] for r in rows],
        }
    )


# Kota Solok's population history: 2010 census 59,396 (outside the 10-year window of 2024),
# 2020 census 73,438, 2024 estimate 78,341.
SOLOK_HISTORY = _obs([("13.72", 2010, 59396.0), ("13.72", 2020, 73438.0), ("13.72", 2024, 78341.0)])


def test_geometric_rate_hand_computed() -> None:
    r = pop.growth_rates(SOLOK_HISTORY, 2024, "geometric")
    # window 2014..2024 keeps 2020 and 2024: r = (78341/73438)^(1/4) - 1 = 1.0667638^(0.25) - 1
    # = 0.0162886 per year (2010 is excluded; with it, (78341/59396)^(1/14) - 1 = 0.0200)
    assert r["13.72"] == pytest.approx((78341 / 73438) ** 0.25 - 1, rel=1e-12)
    assert r["13.72"] == pytest.approx(0.0162886, abs=5e-8)


def test_arithmetic_and_exponential_rates_hand_computed() -> None:
    ra = pop.growth_rates(SOLOK_HISTORY, 2024, "arithmetic")["13.72"]
    re_ = pop.growth_rates(SOLOK_HISTORY, 2024, "exponential")["13.72"]
    # arithmetic: (78341/73438 - 1)/4 = 0.0667638/4 = 0.0166910
    assert ra == pytest.approx((78341 / 73438 - 1) / 4, rel=1e-12)
    assert ra == pytest.approx(0.016691, abs=5e-7)
    # exponential: ln(78341/73438)/4 = 0.0646264/4 = 0.0161566
    assert re_ == pytest.approx(math.log(78341 / 73438) / 4, rel=1e-12)
    assert re_ == pytest.approx(0.016157, abs=5e-7)


def test_window_of_ten_years_excludes_older_points() -> None:
    # base 2020: window 2010..2020 -> (73438/59396)^(1/10) - 1 = 0.021447
    r2020 = pop.growth_rates(SOLOK_HISTORY, 2020, "geometric")["13.72"]
    assert r2020 == pytest.approx((73438 / 59396) ** 0.1 - 1, rel=1e-12)
    # base 2021: window 2011..2021 only holds 2020 -> one point -> no rate at all
    assert "13.72" not in pop.growth_rates(SOLOK_HISTORY, 2021, "geometric").index
    # points after the base year are never used: base 2019 sees only 2010 -> no rate
    assert pop.growth_rates(SOLOK_HISTORY, 2019, "geometric").empty


def test_unknown_method_raises() -> None:
    with pytest.raises(ValueError, match="growth method"):
        pop.growth_rates(SOLOK_HISTORY, 2024, "logistic")
    with pytest.raises(ValueError, match="growth method"):
        pop.grow(np.ones(1), np.zeros(1), np.array([2024]), 2024, "logistic")


def test_grow_three_methods_hand_computed() -> None:
    years = np.array([2024, 2025, 2026])
    p0, r = np.array([1000.0]), np.array([0.02])
    # geometric: 1000, 1000*1.02 = 1020, 1000*1.02^2 = 1040.4
    np.testing.assert_allclose(pop.grow(p0, r, years, 2024, "geometric"), [[1000, 1020, 1040.4]])
    # arithmetic: 1000*(1 + 0.02*t) = 1000, 1020, 1040
    np.testing.assert_allclose(pop.grow(p0, r, years, 2024, "arithmetic"), [[1000, 1020, 1040]])
    # exponential: 1000*e^(0.02 t) = 1000, 1020.2013, 1040.8108
    np.testing.assert_allclose(
        pop.grow(p0, r, years, 2024, "exponential"), [[1000, 1020.20134, 1040.81077]], rtol=1e-8
    )
    # arithmetic decline never goes below zero: 1000*(1 - 0.6*2) -> 0
    np.testing.assert_allclose(
        pop.grow(p0, np.array([-0.6]), years, 2024, "arithmetic"), [[1000, 400, 0]]
    )


LEAVES = np.array(
    [
        "13.72.01.1001",  # own history
        "13.72.01.1002",  # none; kecamatan 13.72.01 none -> city 13.72
        "13.72.02.1001",  # none -> kecamatan 13.72.02
        "13.73.01.1001",  # none up to the city -> province 13
        "14.01.01.2001",  # nothing anywhere -> rate 0, from "-"
    ]
)
TREE_OBS = _obs(
    [
        ("13.72.01.1001", 2020, 1000.0),
        ("13.72.01.1001", 2024, 1100.0),
        ("13.72", 2014, 50000.0),
        ("13.72", 2024, 60000.0),
        ("13.72.02", 2022, 8000.0),
        ("13.72.02", 2024, 8400.0),
        ("13", 2019, 5.0e6),
        ("13", 2024, 5.5e6),
        ("14.01.01.2001", 2024, 700.0),  # one point only: no rate of its own
    ]
)


def test_leaf_takes_nearest_ancestor_rate() -> None:
    t = build_tree(LEAVES)
    rate, src = pop.leaf_rates(t, pop.growth_rates(TREE_OBS, 2024, "geometric"), None)
    expected = [
        (1100 / 1000) ** (1 / 4) - 1,  # own: 1.1^(1/4) - 1 = 0.024114
        (60000 / 50000) ** (1 / 10) - 1,  # city: 1.2^(1/10) - 1 = 0.018399
        (8400 / 8000) ** (1 / 2) - 1,  # kecamatan 13.72.02: 1.05^(1/2) - 1 = 0.024695
        (5.5e6 / 5.0e6) ** (1 / 5) - 1,  # province 13: 1.1^(1/5) - 1 = 0.019245
        0.0,  # no history anywhere
    ]
    np.testing.assert_allclose(rate, expected, rtol=1e-12)
    assert src.tolist() == ["13.72.01.1001", "13.72", "13.72.02", "13", "-"]


def test_override_wins_everywhere() -> None:
    t = build_tree(LEAVES)
    rate, src = pop.leaf_rates(t, pop.growth_rates(TREE_OBS, 2024, "geometric"), 0.01)
    np.testing.assert_array_equal(rate, np.full(5, 0.01))
    assert src.tolist() == [""] * 5


def test_project_households_from_base_pph() -> None:
    t = build_tree(LEAVES[:3])
    base_pop = np.array([3900.0, np.nan, 2000.0])
    base_hh = np.array([1000.0, 500.0, np.nan])
    out = pop.project(
        t, base_pop, base_hh, TREE_OBS, np.array([2024, 2025]), 2024, "geometric", None, 4.0
    )
    # pph: 3900/1000 = 3.9; missing population -> 500 * 4.0 = 2000 persons, pph 4.0;
    # missing households -> 2000/4.0 = 500, pph 4.0
    np.testing.assert_allclose(out.pph, [3.9, 4.0, 4.0])
    r0 = 1.1**0.25 - 1
    r1 = 1.2**0.1 - 1
    r2 = 1.05**0.5 - 1
    np.testing.assert_allclose(
        out.population, [[3900, 3900 * (1 + r0)], [2000, 2000 * (1 + r1)], [2000, 2000 * (1 + r2)]]
    )
    # households = population / base-year pph: 1000*(1+r0), 500*(1+r1), 500*(1+r2)
    np.testing.assert_allclose(
        out.households, [[1000, 1000 * (1 + r0)], [500, 500 * (1 + r1)], [500, 500 * (1 + r2)]]
    )


def _city_row(df: pd.DataFrame, year: int) -> pd.Series:
    return df[(df["kode"].astype(str) == "13.72") & (df["year"] == year)].iloc[0]


def test_demo_population_uses_city_rate(demo_result: PlanResult) -> None:
    p = demo_result["population"]
    r = (78341 / 73438) ** 0.25 - 1
    # every kelurahan has only its 2024 value -> all take the city's 2020-2024 rate, so the
    # city total grows at it too: 78341 * 1.0162886 = 79617.1 in 2025; 78341 * (1+r)^21 in 2045
    assert _city_row(p, 2024)["population"] == pytest.approx(78341)
    assert _city_row(p, 2025)["population"] == pytest.approx(78341 * (1 + r), rel=1e-12)
    assert _city_row(p, 2045)["population"] == pytest.approx(78341 * (1 + r) ** 21, rel=1e-12)
    # households 2024 = sum of kelurahan households 20087; pph 3.9 everywhere -> same growth
    assert _city_row(p, 2024)["households"] == pytest.approx(20087)
    assert _city_row(p, 2025)["households"] == pytest.approx(20087 * (1 + r), rel=1e-6)
    a = demo_result.arrays
    assert set(a.pop.rate_from.tolist()) == {"13.72"}


@pytest.mark.parametrize(
    ("method", "factor"),
    [("geometric", 1.01**3), ("arithmetic", 1 + 0.01 * 3), ("exponential", math.exp(0.03))],
)
def test_demo_population_growth_rate_override(
    demo: tuple[PlanInputs, PlanOptions], method: str, factor: float
) -> None:
    inputs, options = demo
    params = inputs.parameters.with_overrides({"population_growth_rate": 0.01})
    res = run_plan(
        replace(inputs, parameters=params), replace(options, horizon=2030, growth_method=method)
    )
    # 2027 = base + 3 years: 78341 * 1.01^3 = 80714.8 (geometric), 78341 * 1.03 = 80691.2
    # (arithmetic), 78341 * e^0.03 = 80726.8 (exponential)
    assert _city_row(res["population"], 2027)["population"] == pytest.approx(78341 * factor)
    assert any(w.code == "SAN-W010" for w in res.warnings)
