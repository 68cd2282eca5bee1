"""The raw-numpy baseline of the national benchmark (benchmarks/raw_baseline.py) computes
what the engine computes: same projection, paths, stock-flow, waste balance and roll-ups.

If the two drift apart, the benchmark's ratio no longer compares like with like."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sanitasi.bench import synthetic_national
from sanitasi.core.model import RUNGS, PlanInputs, PlanOptions, PlanResult
from sanitasi.core.plan import HEADLINE
from sanitasi.core.results import run_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from raw_baseline import raw_inputs, raw_paths, raw_plan
from sanitasi.core import targets as tg


def _province(inputs: PlanInputs, prefix: str) -> PlanInputs:
    """The province ``prefix`` (its kab/kota, kecamatan and desa) of the synthetic baseline."""
    keep = lambda s: s.astype(str).str.startswith(prefix)  # noqa: E731
    return replace(
        inputs,
        regions=inputs.regions[keep(inputs.regions["kode"])].reset_index(drop=True),
        observations=inputs.observations[keep(inputs.observations["kode"])].reset_index(drop=True),
        facilities=inputs.facilities[keep(inputs.facilities["kode"])].reset_index(drop=True),
    )


@pytest.fixture(scope="module")
def province() -> tuple[PlanInputs, PlanOptions, PlanResult, dict[str, np.ndarray]]:
    inputs = _province(synthetic_national(20250101), "13")  # Sumatera Barat, 19 kab/kota
    options = PlanOptions(base_year=2025, horizon=2040)
    return inputs, options, run_plan(inputs, options), raw_plan(raw_inputs(inputs, options))


def _same(raw: np.ndarray, engine: np.ndarray) -> None:
    np.testing.assert_allclose(raw, engine, rtol=1e-12, atol=1e-9, equal_nan=True)


def test_raw_baseline_leaf_arrays_equal_the_engine(province: tuple) -> None:
    _inputs, _options, result, raw = province
    a = result.arrays
    assert a is not None
    assert a.tree.n > 1000 and len(a.city_kode) == 19
    _same(raw["leaf_population"], a.pop.population)
    _same(raw["leaf_households"], a.pop.households)
    for ind in HEADLINE:
        _same(raw[f"leaf_path_{ind}"], a.leaf_paths[ind])
        _same(raw[f"city_path_{ind}"], a.city_paths[ind])
    for rung in RUNGS:
        _same(raw[f"leaf_plan_{rung}"], a.ladder.plan[rung])
    for need, v in a.ladder.annual.items():
        _same(raw[f"leaf_annual_{need}"], v)
    _same(raw["leaf_plan_penanganan"], a.waste.plan_penanganan)
    # the plan really moves households: the comparison is not between two zero arrays
    assert a.ladder.annual["new_septic_tank"].sum() > 1000


def test_raw_baseline_rollups_equal_the_engine_tables(province: tuple) -> None:
    _inputs, _options, result, raw = province
    lad, waste, needs = result["ladder"], result["waste"], result["needs_ald"]
    pop = result["population"]
    _same(raw["population"], pop["population"].to_numpy())
    _same(raw["households"], pop["households"].to_numpy())
    for rung in RUNGS:
        _same(raw[f"ladder_hh_{rung}"], lad[f"hh_{rung}"].to_numpy())
    for col in ("pct_layak", "pct_aman", "pct_babs_terbuka"):
        _same(raw[f"ladder_{col}"], lad[col].to_numpy())
    _same(raw["waste_unmanaged"], waste["unmanaged_tpd"].to_numpy())
    _same(raw["waste_pct_managed"], waste["pct_waste_managed"].to_numpy())
    _same(raw["needs_new_septic_tank"], needs["new_septic_tank"].to_numpy())
    head = result["headline"]
    for ind in HEADLINE:
        h = head[head["indicator"] == ind]
        _same(raw[f"headline_bau_{ind}"].reshape(-1), h["bau_pct"].to_numpy())
        traj = h["trajectory_pct"].to_numpy()
        short = np.where(np.isnan(traj), np.nan, raw[f"headline_shortfall_{ind}"].reshape(-1))
        _same(short, h["area_shortfall_units"].to_numpy())
    # the province row (kode 13) is the sum of its kab/kota: checked on the raw columns too
    y = pop[(pop["year"] == 2030)]
    kab = y[y["tingkat"].astype(str) == "kabkota"]["population"].sum()
    assert float(y.loc[y["kode"].astype(str) == "13", "population"].iloc[0]) == pytest.approx(
        kab, rel=1e-12
    )


def test_raw_paths_by_hand() -> None:
    # Two desa of one city; the city's base share 40 %, one national point 60 % in 2027.
    # City gap 20 points closed linearly: f(2026) = (50 - 40) / (60 - 40) = 0.5, f(2027) = 1.
    # Desa at 20 %: 20 + 0.5 x (60 - 20) = 40 % in 2026, 60 % in 2027, then held.
    # Desa at 70 % is past the point: it holds 70 %.
    pts = tg.Points(np.array([2027]), np.array([60.0]), ("SET",))
    area, city = raw_paths(
        np.array([0.2, 0.7]),
        np.array([0.4]),
        np.array([0, 0]),
        pts,
        np.arange(2025, 2030),
        2025,
        lower=False,
    )
    np.testing.assert_allclose(city[0], [0.4, 0.5, 0.6, 0.6, 0.6])
    np.testing.assert_allclose(area[0], [0.2, 0.4, 0.6, 0.6, 0.6])
    np.testing.assert_allclose(area[1], [0.7] * 5)
    # the engine's own function gives the same
    e_area, e_city = tg.area_paths(
        np.array([0.2, 0.7]), np.array([0, 0]), np.array([0.4]), [pts], np.arange(2025, 2030), 2025
    )
    np.testing.assert_array_equal(area, e_area)
    np.testing.assert_array_equal(city, e_city)


def test_raw_inputs_refuse_what_the_baseline_does_not_cover(province: tuple) -> None:
    inputs, options, _result, _raw = province
    with pytest.raises(ValueError, match="geometric growth and the constant BAU"):
        raw_inputs(inputs, replace(options, bau_mode="trend"))
    assert isinstance(_result["ladder"], pd.DataFrame)
