"""A city computed alone equals the same city inside a multi-city run."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from sanitasi.bench import synthetic_national
from sanitasi.core.model import PlanInputs, PlanOptions, PlanResult
from sanitasi.core.results import run_plan

SOLOK = "13.72"
OTHER = "13.71"  # the re-keyed copy built by conftest.two_city_inputs


def _city(df: pd.DataFrame, kode: str) -> pd.DataFrame:
    out = df[df["kode"].astype(str) == kode].reset_index(drop=True)
    for col in ("kode", "nama", "tingkat", "scenario"):
        if col in out and isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
    return out


@pytest.mark.parametrize(
    "table",
    [
        "headline",
        "needs_ald",
        "service_ald",
        "needs_waste",
        "costs",
        "funding",
        "retrospective",
        "trajectory",
        "medium_term",
        "ladder",
        "population",
    ],
)
def test_solok_alone_equals_solok_in_two_city_run(
    demo_result: PlanResult, two_city_result: PlanResult, table: str
) -> None:
    alone = _city(demo_result[table], SOLOK)
    inside = _city(two_city_result[table], SOLOK)
    assert len(alone) > 0
    pd.testing.assert_frame_equal(alone, inside, rtol=1e-9, check_dtype=False)


def test_two_city_run_shape(two_city_result: PlanResult) -> None:
    assert two_city_result.city_kodes == (OTHER, SOLOK)
    # LOCAL only for Kota Solok: the other city follows the strictest national points
    tr = two_city_result["trajectory"]
    t = tr[(tr["indicator"] == "pct_layak") & (tr["year"] == 2026)].set_index("kode")
    assert t.loc[SOLOK, "binding_set"] == "LOCAL"
    assert t.loc[SOLOK, "value_pct"] == pytest.approx(85.0)
    # ... here RPJMN 2020-2024's 90 % layak (2024), missed, held and caught up by 2029 (the
    # end of the SSK period; SDG 2030 comes after it): 81.3013 + (90 - 81.3013) x 2/5
    assert t.loc[OTHER, "binding_set"] == "RPJMN_2020_2024"
    assert t.loc[OTHER, "value_pct"] == pytest.approx(81.3013 + (90 - 81.3013) * 2 / 5, abs=1e-3)
    # the other city's ladder is Solok's at half scale: same shares, half the households
    lad = two_city_result["ladder"]
    b = lad[(lad["year"] == 2024) & (lad["scenario"].astype(str) == "bau")]
    b = b.set_index(b["kode"].astype(str).to_numpy())
    assert b.loc[OTHER, "households"] == pytest.approx(b.loc[SOLOK, "households"] / 2)
    assert b.loc[OTHER, "pct_layak"] == pytest.approx(b.loc[SOLOK, "pct_layak"])
    # the run is rolled up to province and nation; counts add up
    p = two_city_result["population"]
    p24 = p[p["year"] == 2024].set_index(p["kode"].astype(str)[p["year"] == 2024].to_numpy())
    assert p24.loc["13", "population"] == pytest.approx(78341 * 1.5)
    assert p24.loc["0", "population"] == pytest.approx(78341 * 1.5)


def _subset(inputs: PlanInputs, prefix: str) -> PlanInputs:
    """The cities whose code starts with ``prefix`` plus their ancestors."""
    reg = inputs.regions
    k = reg["kode"].astype(str)
    keep = k.str.startswith(prefix) | k.apply(lambda c: prefix.startswith(c + ".") or c == prefix)
    obs = inputs.observations
    fac = inputs.facilities
    return replace(
        inputs,
        regions=reg[keep].reset_index(drop=True),
        observations=obs[obs["kode"].astype(str).str.startswith(prefix)].reset_index(drop=True),
        facilities=fac[fac["kode"].astype(str).str.startswith(prefix)].reset_index(drop=True),
    )


@pytest.fixture(scope="module")
def synthetic_13() -> PlanInputs:
    return _subset(synthetic_national(20250101), "13")


def test_synthetic_city_alone_equals_province_run(synthetic_13: PlanInputs) -> None:
    """Kota Solok of the synthetic national baseline, alone and inside all 19 kab/kota of
    Sumatera Barat (national target sets only)."""
    options = PlanOptions(base_year=2025, horizon=2032)
    prov = run_plan(synthetic_13, options)
    alone = run_plan(_subset(synthetic_13, SOLOK), options)
    assert len(prov.city_kodes) == 19 and alone.city_kodes == (SOLOK,)
    for table in ("headline", "needs_ald", "service_ald", "needs_waste", "costs", "ladder"):
        pd.testing.assert_frame_equal(
            _city(alone[table], SOLOK),
            _city(prov[table], SOLOK),
            rtol=1e-9,
            check_dtype=False,
            obj=table,
        )
    # the province rows are the sums of their cities
    p = prov["population"]
    y = p[p["year"] == 2030]
    kab = y[y["tingkat"].astype(str) == "kabkota"]["population"].sum()
    assert y[y["kode"].astype(str) == "13"]["population"].iloc[0] == pytest.approx(kab, rel=1e-12)
