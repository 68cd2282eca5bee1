"""Scenario comparison on the demo (app.scenarios; METHOD.md §14), checked by hand against
the base plan's own tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.app import FolderSource
from sanitasi.app.scenarios import (
    BAU,
    NEEDS,
    OPTIMISED,
    PROGRAMME,
    SCENARIO_PREFIX,
    compare_scenarios,
    shortfall_pts,
)
from sanitasi.io.scenarios import Scenario

pytestmark = pytest.mark.slow

SAME = Scenario(name="same", title="Sama", title_en="Same", file="scenarios/same.toml")
DOUBLE = Scenario(
    name="double",
    title="Tangki x2",
    title_en="Tanks x2",
    file="scenarios/double.toml",
    unit_cost_factors={"septic_tank_individual": 2.0},
)


@pytest.fixture(scope="module")
def cmp():  # type: ignore[no-untyped-def]
    optimised = pd.DataFrame(
        {"kode": ["13.72"], "indicator": ["pct_layak"], "year": [2029], "value_pct": [88.0]}
    )
    return compare_scenarios(
        FolderSource(None), scenarios=[SAME, DOUBLE], optimised_headline=optimised
    )


def test_alternatives_in_order(cmp) -> None:  # type: ignore[no-untyped-def]
    keys = [a.key for a in cmp.alternatives]
    assert keys == [BAU, NEEDS, PROGRAMME, OPTIMISED, "scenario:same", "scenario:double"]
    assert cmp.period == (2025, 2029)


def test_scenario_equal_to_default_gives_the_default_numbers(cmp) -> None:  # type: ignore[no-untyped-def]
    ind = cmp.indicators
    needs = ind[ind["alternative"] == NEEDS].reset_index(drop=True)
    same = ind[ind["alternative"] == SCENARIO_PREFIX + "same"].reset_index(drop=True)
    assert len(needs) == len(same) > 0
    assert np.array_equal(needs["value_pct"].to_numpy(), same["value_pct"].to_numpy())
    c = cmp.costs.set_index(["alternative", "sector"])["cost_idr"]
    for sector in ("ald", "persampahan"):
        assert c[(SCENARIO_PREFIX + "same", sector)] == c[(NEEDS, sector)]
    base = cmp.base["costs"]
    same_costs = cmp.results["same"]["costs"]
    assert np.array_equal(base["cost_idr"].to_numpy(), same_costs["cost_idr"].to_numpy())


def test_unit_cost_times_two_doubles_that_line(cmp) -> None:  # type: ignore[no-untyped-def]
    base = cmp.base["costs"]
    dbl = cmp.results["double"]["costs"]
    line = (base["item"] == "septic_tank_individual").to_numpy()
    assert base.loc[line, "cost_idr"].sum() > 0
    assert dbl.loc[line, "cost_idr"].to_numpy() == pytest.approx(
        2 * base.loc[line, "cost_idr"].to_numpy()
    )
    others = ~line & (base["need"] != "operation_maintenance").to_numpy()
    assert dbl.loc[others, "cost_idr"].to_numpy() == pytest.approx(
        base.loc[others, "cost_idr"].to_numpy()
    )


def test_costs_and_funding_gap_by_hand(cmp) -> None:  # type: ignore[no-untyped-def]
    costs = cmp.base["costs"]
    period = costs[(costs["year"] >= 2025) & (costs["year"] <= 2029)]
    prog = cmp.base["funding_short"]
    c = cmp.costs.set_index(["alternative", "sector"])
    for sector in ("ald", "persampahan"):
        need = period.loc[period["sector"] == sector, "cost_idr"].sum()
        programme = prog.loc[prog["sector"] == sector, "programme_cost_idr"].sum()
        assert c.at[(NEEDS, sector), "cost_idr"] == pytest.approx(need)
        assert c.at[(NEEDS, sector), "funding_gap_idr"] == pytest.approx(need - programme)
        assert c.at[(PROGRAMME, sector), "cost_idr"] == pytest.approx(programme)
        assert np.isnan(c.at[(PROGRAMME, sector), "funding_gap_idr"])
    # the demo's figures (Rp): needs 24.76 + 31.99 billion, programme 11.69 + 25.245 billion
    assert c.at[(NEEDS, "ald"), "cost_idr"] == pytest.approx(24.762e9, rel=1e-3)
    assert c.at[(PROGRAMME, "ald"), "cost_idr"] == pytest.approx(11.69e9)
    assert BAU not in set(cmp.costs["alternative"])


def test_shortfall_at_the_end_of_the_period(cmp) -> None:  # type: ignore[no-untyped-def]
    h = cmp.base["headline"]
    row = h[(h["indicator"] == "pct_layak") & (h["year"] == 2029)].iloc[0]
    s = cmp.shortfall.set_index(["alternative", "indicator"])
    assert s.at[(BAU, "pct_layak"), "shortfall_pts"] == pytest.approx(
        row["trajectory_pct"] - row["bau_pct"]
    )
    assert s.at[(NEEDS, "pct_layak"), "shortfall_pts"] == 0.0
    # the optimised hook: 90 - 88 = 2 points
    assert s.at[(OPTIMISED, "pct_layak"), "shortfall_pts"] == pytest.approx(
        row["trajectory_pct"] - 88.0
    )
    assert (cmp.shortfall["shortfall_pts"] >= 0).all()


def test_shortfall_direction() -> None:
    out = shortfall_pts(
        np.array([90.0, 90.0, 5.0, 5.0]),
        np.array([80.0, 95.0, 8.0, 2.0]),
        np.array([False, False, True, True]),
    )
    assert out.tolist() == [10.0, 0.0, 3.0, 0.0]
