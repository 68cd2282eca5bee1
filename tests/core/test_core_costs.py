"""Capital and operating costs and the funding indication (``sanitasi.core.costs``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core import costs
from sanitasi.core.model import UNASSIGNED, PlanResult

NEED_ITEMS = pd.DataFrame(
    [
        ("tank", "household", "tank_item", "capex", "ald", "om_share"),
        ("desl", "desludging", "desl_item", "opex", "ald", "none"),
        ("truck", "truck", "truck_item", "capex", "persampahan", "om_share"),
        ("upgrade", "household", "upgrade_item", "capex", "ald", "desludging"),
    ],
    columns=["need", "unit", "item", "cost_kind", "sector", "om_rule"],
)
UNIT_COSTS = pd.DataFrame(
    [
        ("tank_item", 1_000_000.0, 2023, "sourced"),
        ("desl_item", 100_000.0, 2025, "derived"),
        ("truck_item", 500_000_000.0, 2024, "illustrative"),
        ("upgrade_item", 2_000_000.0, 2025, "illustrative"),
    ],
    columns=["item", "cost_idr", "price_year", "status"],
)
SHARES = pd.DataFrame(
    [
        ("tank_item", "DAK", 0.5, "illustrative"),
        ("tank_item", "APBD_KOTA", 0.3, "illustrative"),
        ("tank_item", "MASYARAKAT", 0.2, "illustrative"),
        ("desl_item", "MASYARAKAT", 0.342, "derived"),
        ("desl_item", "APBD_KOTA", 0.658, "derived"),
        ("upgrade_item", "APBD_KOTA", 1.0, "illustrative"),
        ("om_general", "APBD_KOTA", 1.0, "illustrative"),
        # truck_item has no shares -> UNASSIGNED
    ],
    columns=["item", "source", "share", "status"],
)
YEARS = np.array([2024, 2025, 2026])
QUANT = {
    "tank": np.array([[3.0, 10.0, 5.0]]),  # the base-year 3 is never costed
    "desl": np.array([[150.0, 200.0, 300.0]]),
    "truck": np.array([[0.0, 1.0, 0.0]]),
    "upgrade": np.array([[0.0, 0.0, 4.0]]),
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return costs.costs_table(
        np.array(["13.72"]), YEARS, QUANT, NEED_ITEMS, UNIT_COSTS, 0.03, 0.05, 2025
    )


def _cost(df: pd.DataFrame, need: str, year: int, col: str = "cost_idr") -> float:
    r = df[(df["need"] == need) & (df["year"] == year)]
    assert len(r) == 1, (need, year, r)
    return float(r[col].iloc[0])


def test_only_years_from_first_cost_year(table: pd.DataFrame) -> None:
    assert sorted(table["year"].unique().tolist()) == [2025, 2026]


def test_escalation_and_capex(table: pd.DataFrame) -> None:
    # tank: 1,000,000 at 2023 prices -> 2025: x 1.03^2 = 1,060,900; 2026: x 1.03^3 = 1,092,727
    assert _cost(table, "tank", 2025, "unit_cost_idr") == pytest.approx(1_060_900)
    assert _cost(table, "tank", 2026, "unit_cost_idr") == pytest.approx(1_092_727)
    # capital in the year of the addition: 10 x 1,060,900 = 10,609,000; 5 x 1,092,727 = 5,463,635
    assert _cost(table, "tank", 2025) == pytest.approx(10_609_000)
    assert _cost(table, "tank", 2026) == pytest.approx(5_463_635)
    # desludging (opex) at 2025 prices: 200 x 100,000 = 20,000,000; 300 x 103,000 = 30,900,000
    assert _cost(table, "desl", 2025) == pytest.approx(20_000_000)
    assert _cost(table, "desl", 2026) == pytest.approx(30_900_000)
    # truck at 2024 prices: 2025 -> 500e6 x 1.03 = 515,000,000
    assert _cost(table, "truck", 2025) == pytest.approx(515_000_000)
    assert _cost(table, "truck", 2026) == 0.0
    # upgrade 2026: 4 x 2,000,000 x 1.03 = 8,240,000
    assert _cost(table, "upgrade", 2026) == pytest.approx(8_240_000)


def test_om_share_of_capital_to_previous_year(table: pd.DataFrame) -> None:
    om = table[table["need"] == costs.OM_NEED].set_index(["sector", "year"])
    # ald: only om_share items (tank) count, not upgrade (om_rule desludging) or opex; the
    # base-year 3 tanks are never built by the plan. 2025: stock before 2025 = 0 -> 0;
    # 2026: the 10 tanks of 2025 valued at 2026 prices (escalated like capital):
    # 10 x 1,092,727 = 10,927,270 -> O&M 0.05 x 10,927,270 = 546,363.5
    assert om.loc[("ald", 2025), "cost_idr"] == pytest.approx(0.0)
    assert om.loc[("ald", 2026), "quantity"] == pytest.approx(10_927_270)
    assert om.loc[("ald", 2026), "cost_idr"] == pytest.approx(546_363.5)
    # persampahan 2026: 1 truck x 500e6 x 1.03^2 = 530,450,000 -> 0.05 x = 26,522,500
    assert om.loc[("persampahan", 2026), "cost_idr"] == pytest.approx(26_522_500)
    assert (om["item"] == costs.OM_ITEM).all() and (om["cost_kind"] == "opex").all()


def test_funding_split_and_unassigned(table: pd.DataFrame) -> None:
    f = costs.funding_table(table, SHARES).set_index(["year", "sector", "source"])["cost_idr"]
    # 2025 ald: DAK 0.5 x 10,609,000 = 5,304,500
    assert f[(2025, "ald", "DAK")] == pytest.approx(5_304_500)
    # APBD_KOTA 0.3 x 10,609,000 + 0.658 x 20,000,000 + O&M 0 = 3,182,700 + 13,160,000 = 16,342,700
    assert f[(2025, "ald", "APBD_KOTA")] == pytest.approx(16_342_700)
    # MASYARAKAT 0.2 x 10,609,000 + 0.342 x 20,000,000 = 2,121,800 + 6,840,000 = 8,961,800
    assert f[(2025, "ald", "MASYARAKAT")] == pytest.approx(8_961_800)
    # 2026 ald APBD_KOTA: 0.3 x 5,463,635 + 0.658 x 30,900,000 + 8,240,000 (upgrade)
    #   + 546,363.5 (O&M) = 1,639,090.5 + 20,332,200 + 8,240,000 + 546,363.5 = 30,757,654
    assert f[(2026, "ald", "APBD_KOTA")] == pytest.approx(30_757_654)
    # the truck item has no shares -> UNASSIGNED 515,000,000 in 2025
    assert f[(2025, "persampahan", UNASSIGNED)] == pytest.approx(515_000_000)
    # its O&M is om_general -> APBD_KOTA 26,522,500 in 2026
    assert f[(2026, "persampahan", "APBD_KOTA")] == pytest.approx(26_522_500)
    # shares sum to 1 per item -> the funding total equals the cost total
    assert f.sum() == pytest.approx(table["cost_idr"].sum(), rel=1e-12)


def test_om_payer_and_funding_item() -> None:
    """A community-run asset's O&M is paid by its ``om_item``; a need may be funded by
    another item's shares than its unit-cost item (a regional TPA cell by its owner)."""
    ni = pd.DataFrame(
        [
            ("plant", "conn", "plant_item", "capex", "ald", "om_share", "om_community", ""),
            (
                "cell",
                "m3",
                "cell_item",
                "capex",
                "persampahan",
                "om_share",
                "om_regional",
                "cell_reg",
            ),
        ],
        columns=[
            "need",
            "unit",
            "item",
            "cost_kind",
            "sector",
            "om_rule",
            "om_item",
            "funding_item",
        ],
    )
    uc = pd.DataFrame(
        [("plant_item", 1_000.0, 2025, "derived"), ("cell_item", 10.0, 2025, "derived")],
        columns=["item", "cost_idr", "price_year", "status"],
    )
    shares = pd.DataFrame(
        [
            ("om_community", "MASYARAKAT", 1.0, "illustrative"),
            ("om_regional", "APBD_PROV", 1.0, "illustrative"),
            ("cell_item", "APBD_KOTA", 1.0, "illustrative"),  # not used: funding_item wins
            ("cell_reg", "APBD_PROV", 0.5, "illustrative"),
            ("cell_reg", "APBN", 0.5, "illustrative"),
        ],
        columns=["item", "source", "share", "status"],
    )
    q = {"plant": np.array([[0.0, 100.0, 0.0]]), "cell": np.array([[0.0, 0.0, 1000.0]])}
    t = costs.costs_table(np.array(["13.72"]), YEARS, q, ni, uc, 0.0, 0.1, 2025)
    om = t[t["need"] == costs.OM_NEED].set_index(["year", "sector"])
    # plant: 100 connections x 1,000 = 100,000 built 2025 -> 2026 O&M 0.1 x 100,000 = 10,000
    assert om.loc[(2026, "ald"), "cost_idr"] == pytest.approx(10_000)
    assert om.loc[(2026, "ald"), "item"] == "om_community"
    f = costs.funding_table(t, shares).set_index(["year", "sector", "source"])["cost_idr"]
    assert f[(2026, "ald", "MASYARAKAT")] == pytest.approx(10_000)
    # the cell (1,000 m3 x 10 = 10,000 in 2026) is split by cell_reg: 5,000 + 5,000
    assert f[(2026, "persampahan", "APBD_PROV")] == pytest.approx(5_000)
    assert f[(2026, "persampahan", "APBN")] == pytest.approx(5_000)
    assert (2026, "persampahan", "APBD_KOTA") not in f.index


def test_medium_term_om_is_end_of_period_stock() -> None:
    from sanitasi.core.results import medium_term

    years = np.array([2024, 2025, 2026, 2027])
    q = {"tank": np.array([[0.0, 10.0, 5.0, 0.0]])}
    t = costs.costs_table(np.array(["13.72"]), years, q, NEED_ITEMS, UNIT_COSTS, 0.0, 0.05, 2025)
    mt = medium_term(t, 2025, 2027).set_index(["sector", "need"])
    # no escalation: stock 2026 = 10 x 1,000,000; 2027 = 15 x 1,000,000. The quantity is the
    # last year's stock, 15,000,000 (not 10 + 15 million); the cost is summed:
    # 0.05 x (10,000,000 + 15,000,000) = 1,250,000
    assert mt.loc[("ald", costs.OM_NEED), "quantity"] == pytest.approx(15_000_000)
    assert mt.loc[("ald", costs.OM_NEED), "cost_idr"] == pytest.approx(1_250_000)
    # flows are summed: tanks 10 + 5 = 15
    assert mt.loc[("ald", "tank"), "quantity"] == pytest.approx(15)


def test_empty_quantities() -> None:
    out = costs.costs_table(
        np.array(["13.72"]), YEARS, {}, NEED_ITEMS, UNIT_COSTS, 0.03, 0.05, 2025
    )
    assert out.empty and "cost_idr" in out.columns


def test_demo_costs_consistent(demo_result: PlanResult) -> None:
    c = demo_result["costs"]
    a = demo_result.arrays
    # new septic tanks 2025: quantity = city annual need, unit 6,000,000 at 2024 prices x 1.03
    r = c[(c["need"] == "new_septic_tank") & (c["year"] == 2025)].iloc[0]
    assert r["quantity"] == pytest.approx(a.quantities["new_septic_tank"][0, 1])
    assert r["unit_cost_idr"] == pytest.approx(6_000_000 * 1.03)
    assert r["cost_idr"] == pytest.approx(r["quantity"] * 6_180_000)
    # desludging: 380,000 at 2021 prices -> 2025 x 1.03^4
    d = c[(c["need"] == "l2t2_desludging") & (c["year"] == 2025)].iloc[0]
    assert d["unit_cost_idr"] == pytest.approx(380_000 * 1.03**4)
    assert d["quantity"] == pytest.approx(a.service.desludgings[0, 1])
    # costs and funding are never negative, and funding adds up to costs
    assert (c["cost_idr"] >= 0).all()
    f = demo_result["funding"]
    assert (f["cost_idr"] >= 0).all()
    assert f["cost_idr"].sum() == pytest.approx(c["cost_idr"].sum(), rel=1e-9)
    # medium term = sum of 2025..2029
    mt = demo_result["medium_term"]
    per = c[(c["year"] >= 2025) & (c["year"] <= 2029)]
    assert mt["cost_idr"].sum() == pytest.approx(per["cost_idr"].sum(), rel=1e-12)
