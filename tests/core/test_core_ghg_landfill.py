"""Landfill methane of a city's TPA and CO2-equivalents (``sanitasi.core.ghg``,
docs/METHOD.md §12.2, §12.4), checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.ghg import (
    backcast_deposits,
    co2e,
    gwp_of,
    landfill_methane,
    landfill_scenarios,
    site_mcf,
    splice_projection,
    stream_shares,
    tpa_scenarios,
)

YEARS = list(range(2018, 2025))


def test_backcast_from_the_opening_year_with_population() -> None:
    pop = np.array(
        [
            [900, 950, 1000, 1050, 1100, 1150, 1200],  # city 1
            [500, 500, 500, 500, 500, 500, 500],  # city 2
        ],
        dtype=float,
    )
    observed = np.full(pop.shape, np.nan)
    observed[0, 4] = 2000.0  # city 1 weighed its TPA in 2022
    observed[1, 6] = 7300.0  # city 2 observed the base year (20 t/day)
    out = backcast_deposits(
        YEARS, [2020, 2010], 2024, pop, base_tonnes=[3650.0, 1000.0], observed=observed
    )
    # city 1: 0 before the 2020 opening; W(y) = 3650 x P(y) / 1200; 2022 observed
    #   2020: 3650 x 1000/1200 = 3041.6667; 2021: x 1050/1200 = 3193.75; 2022: 2000
    #   2023: 3650 x 1150/1200 = 3497.9167; 2024: 3650
    np.testing.assert_allclose(
        out[0], [0, 0, 3041.6666667, 3193.75, 2000.0, 3497.9166667, 3650.0], rtol=1e-9
    )
    # city 2: the observed base year (7300) beats base_tonnes; flat population -> flat
    np.testing.assert_allclose(out[1], [7300.0] * 7)


def test_backcast_leaves_the_plan_years_to_the_projection() -> None:
    years = [2023, 2024, 2025, 2026]
    pop = np.array([[100.0, 100.0, 110.0, 120.0]])
    hist = backcast_deposits(years, [2000], 2024, pop, base_tonnes=[365.0])
    np.testing.assert_allclose(hist, [[365.0, 365.0, 0.0, 0.0]])
    tpd = np.array([[9.0, 9.0, 12.0, 11.0]])
    # years after the base year: t/day x 365 = 4380, 4015
    np.testing.assert_allclose(
        splice_projection(hist, years, 2024, tpd), [[365.0, 365.0, 4380.0, 4015.0]]
    )


def test_backcast_rejects_a_base_year_without_population() -> None:
    with pytest.raises(ValueError, match="population"):
        backcast_deposits([2023, 2024], [2000], 2024, np.array([[1.0, 0.0]]), [1.0])


def test_table_2_3_south_eastern_asia_mapped_to_streams() -> None:
    cats = ["food", "paper", "wood", "textiles", "inert", "inert", "inert", "inert", "inert"]
    pct = [43.5, 12.9, 9.9, 2.7, 0.9, 7.2, 3.3, 4.0, 16.3]  # Table 2.3 row, as printed
    shares = stream_shares(pct, cats, ["food", "paper", "wood", "textiles", "inert"])
    # inert = (0.9 + 7.2 + 3.3 + 4.0 + 16.3) / 100 = 0.317; the row sums to 1.007
    np.testing.assert_allclose(shares, [0.435, 0.129, 0.099, 0.027, 0.317])
    with pytest.raises(ValueError, match="unknown streams"):
        stream_shares([1.0], ["rubber"], ["food"])


def test_site_class_mcf() -> None:
    table = {"controlled_landfill": 1.0, "open_dump_shallow": 0.4, "uncategorised": 0.6}
    np.testing.assert_allclose(
        site_mcf(["controlled_landfill", "open_dump_shallow"], table), [1, 0.4]
    )
    with pytest.raises(ValueError, match="site class"):
        site_mcf(["sanitary"], table)


def test_landfill_methane_by_hand() -> None:
    # one TPA, 1000 t/year, half food (DOC 0.15, DOCf 0.5, k = ln 2 -> exp1 = 1/2), half inert,
    # MCF 0.8: D(food) = 1000 x 0.5 x 0.15 x 0.5 x 0.8 = 30 t C per year; delay 6 months
    res = landfill_methane(
        np.array([[1000.0, 1000.0]]),
        [0.5, 0.5],
        [0.15, 0.0],
        [0.5, 0.0],
        [math.log(2), 0.0],
        np.array([0.8]),
        ox=np.array([0.1]),
        recovered=np.array([[0.0, 2.0]]),
    )
    # year 1: nothing decomposes; year 2: E = 30 x 1/2 = 15 -> CH4 = 15 x 0.5 x 16/12 = 10
    np.testing.assert_allclose(res.generated_total, [[0.0, 10.0]])
    # emitted = (10 - 2) x (1 - 0.1) = 7.2
    np.testing.assert_allclose(res.emitted, [[0.0, 7.2]])
    assert res.generated.shape == (1, 2, 2)


def test_bau_vs_plan_avoided_emissions_by_hand() -> None:
    bau = np.array([[1000.0, 1000.0, 1000.0]])
    plan = np.array([[1000.0, 600.0, 600.0]])  # the plan diverts 400 t/year from year 2
    sc = landfill_scenarios(
        bau, plan, [0.5, 0.5], [0.15, 0.0], [0.5, 0.0], [math.log(2), 0.0], np.array([0.8])
    )
    # BAU: D = 30/yr; H1 = 30, E2 = 15, H2 = 30 + 15 = 45, E3 = 22.5 -> CH4 [0, 10, 15]
    # plan: D = [30, 18, 18]; E2 = 15, H2 = 18 + 15 = 33, E3 = 16.5 -> CH4 [0, 10, 11]
    np.testing.assert_allclose(sc.bau.emitted, [[0.0, 10.0, 15.0]])
    np.testing.assert_allclose(sc.plan.emitted, [[0.0, 10.0, 11.0]])
    np.testing.assert_allclose(sc.avoided, [[0.0, 0.0, 4.0]])  # the diversion pays off a year later


def test_tpa_chain_from_plan_tables_by_hand() -> None:
    # TPA opened 2022, base year 2023, horizon 2025; population 100 then 110, 120, 120;
    # landfilled t/day BAU 2 (2023) -> base tonnage 2 x 365 = 730 t;
    # history: 2022 = 730 x 100/110 = 663.636..., 2023 = 730; 2024-25 from t/day x 365
    years = [2022, 2023, 2024, 2025]
    pop = np.array([[100.0, 110.0, 120.0, 120.0]])
    bau_tpd = np.array([[0.0, 2.0, 2.0, 2.0]])
    plan_tpd = np.array([[0.0, 2.0, 1.0, 1.0]])
    sc = tpa_scenarios(
        years, 2023, [2022], pop, bau_tpd, plan_tpd, [1.0], [0.2], [0.5], [math.log(2)], [1.0]
    )
    # D = W x 0.2 x 0.5 x 1 = 0.1 W; exp1 = 1/2; delay 6 months; CH4 = E x 2/3
    # BAU D = [66.3636, 73, 73, 73]: E = [0, 33.1818, 53.0909, 63.0455]
    d0 = 730 * 100 / 110 * 0.1
    e_bau = [0.0, d0 / 2, (73 + d0 / 2) / 2, (73 + (73 + d0 / 2) / 2) / 2]
    np.testing.assert_allclose(sc.bau.emitted[0], np.array(e_bau) * 2 / 3)
    # plan D = [66.3636, 73, 36.5, 36.5]: only 2025 differs, E(2025) lower by 36.5/2
    np.testing.assert_allclose(sc.avoided[0], [0.0, 0.0, 0.0, 36.5 / 2 * 2 / 3])


def test_co2e_and_gwp_tables() -> None:
    table = pd.DataFrame(
        {
            "assessment": ["AR5", "AR5", "AR6", "AR6"],
            "gas": ["ch4", "n2o", "ch4", "n2o"],
            "gwp100": [28.0, 265.0, 27.0, 273.0],
        }
    )
    gwp = gwp_of(table, "AR5")
    # 10 t CH4 x 28 + 1 t N2O x 265 = 545 t CO2e
    assert float(co2e(10.0, 1.0, gwp=gwp)) == 545.0
    # AR6 (non-fossil CH4 27): 10 x 27 + 1 x 273 = 543
    assert float(co2e(10.0, 1.0, gwp=gwp_of(table, "AR6"))) == 543.0
    with pytest.raises(ValueError, match="AR4"):
        gwp_of(table, "AR4")
