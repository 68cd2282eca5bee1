"""Needs by agency, action plan, land, cost recovery and fiscal capacity (docs/METHOD.md
§8, §9): values computed by hand on small tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.memorandum import (
    action_plan,
    agency_funding,
    cost_recovery,
    fiscal_capacity,
    land_needs,
    nomenclature_parts,
    resolve_need_agency,
)
from sanitasi.core.model import Parameter, ParameterSet


def _params(**values: float) -> ParameterSet:
    return ParameterSet(
        {
            k: Parameter(name=k, value=v, unit="", source="test", status="illustrative")
            for k, v in values.items()
        }
    )


REFERENCE = pd.DataFrame(
    {
        "need": ["new_septic_tank", "tps3r", "om_general", "landfill_volume_regional"],
        "sector": ["ald", "persampahan", "persampahan", "persampahan"],
        "agencies": [("PERKIM", "PUPR"), ("DLH",), ("DLH",), ("DLH_PROV",)],
        "nomenclature": ["1.03.05.2.01.0044", "2.11.11.2.01.0005", "", ""],
        "status": ["derived"] * 4,
    }
)


def test_resolve_need_agency_city_reference_unassigned() -> None:
    city = pd.DataFrame({"need": ["tps3r"], "sector": ["persampahan"], "agency": ["perkim"]})
    m = resolve_need_agency(REFERENCE, city, ["PUPR", "Perkim", "DLH"]).set_index("need")
    assert m.loc["new_septic_tank", "agency"] == "Perkim"  # first listed the city has
    assert m.loc["new_septic_tank", "origin"] == "reference"
    assert m.loc["tps3r", "agency"] == "Perkim"  # the city's override, as the city writes it
    assert m.loc["tps3r", "origin"] == "city"
    assert m.loc["landfill_volume_regional", "agency"] == ""  # no province agency in the city
    assert m.loc["landfill_volume_regional", "origin"] == "unassigned"


def test_agency_funding_splits_like_the_funding_table() -> None:
    costs = pd.DataFrame(
        {
            "kode": ["13.72"] * 4,
            "year": [2025, 2025, 2026, 2025],
            "sector": ["ald", "persampahan", "persampahan", "persampahan"],
            "need": [
                "new_septic_tank",
                "tps3r",
                "operation_maintenance",
                "landfill_volume_regional",
            ],
            "item": ["septic_tank_individual", "tps3r_unit", "om_general", "landfill_cell_per_m3"],
            "cost_idr": [1000.0, 600.0, 50.0, 200.0],
        }
    )
    need_items = pd.DataFrame(
        {"need": ["landfill_volume_regional"], "funding_item": ["landfill_cell_regional"]}
    )
    shares = pd.DataFrame(
        {
            "item": [
                "septic_tank_individual",
                "septic_tank_individual",
                "tps3r_unit",
                "om_general",
                "landfill_cell_regional",
                "landfill_cell_regional",
            ],
            "source": ["DAK", "APBD_KOTA", "DAK", "APBD_KOTA", "APBD_PROV", "APBN"],
            "share": [0.5, 0.5, 1.0, 1.0, 0.5, 0.5],
        }
    )
    mapping = resolve_need_agency(
        REFERENCE, REFERENCE.iloc[0:0].assign(agency=[]), ["PERKIM", "DLH"]
    )
    out = agency_funding(costs, need_items, shares, mapping, (2025, 2029))
    got = {(r.agency, r.year, r.source): r.cost_idr for r in out.itertuples()}
    # PERKIM 2025: septic tanks 1000 x 0.5 DAK, x 0.5 APBD_KOTA
    assert got[("PERKIM", 2025, "DAK")] == 500.0
    assert got[("PERKIM", 2025, "APBD_KOTA")] == 500.0
    # DLH: TPS3R 600 x 1.0 DAK (2025); O&M (om_general) 50 x 1.0 APBD_KOTA (2026)
    assert got[("DLH", 2025, "DAK")] == 600.0
    assert got[("DLH", 2026, "APBD_KOTA")] == 50.0
    # the regional cell: funding item landfill_cell_regional, no city agency: 200 x 0.5 each
    assert got[("", 2025, "APBD_PROV")] == 100.0
    assert got[("", 2025, "APBN")] == 100.0
    assert out["cost_idr"].sum() == pytest.approx(costs["cost_idr"].sum())


def test_action_plan_codes_and_readiness() -> None:
    acts = pd.DataFrame(
        {
            "code": ["A-1", "A-2"],
            "sector": ["ald", "persampahan"],
            "activity": ["tanks", "tps3r"],
            "location_kode": ["13.72", "13.72.01"],
            "output_unit": ["tank", "unit"],
            "funding_source": ["DAK", "APBN"],
            "lead_agency": ["PERKIM", "DLH"],
            "sub_kegiatan": ["1.03.05.2.01.0044", "2.11.11.2.01"],
            "ready_land": ["yes", "no"],
            "ready_ded": ["yes", "yes"],
            "ready_env_doc": ["yes", ""],
            "ready_operator": ["yes", "in_progress"],
            "readiness_note": ["", "no land"],
        }
    )
    planned = pd.DataFrame(
        {
            "code": ["A-1", "A-2", "A-1", "A-2"],
            "year": [2025, 2025, 2026, 2026],
            "planned_output": [10.0, 0.0, 5.0, 1.0],
            "planned_cost_idr": [60.0, 0.0, 30.0, 750.0],
        }
    )
    nom = pd.DataFrame(
        {"code": ["1.03.05.2.01.0044", "2.11.11.2.01"], "name": ["SPALD-S", "Pengelolaan Sampah"]}
    )
    ap = action_plan(acts, planned, nom, (2025, 2029))
    # A-2 has nothing planned in 2025: left out
    assert list(zip(ap["year"], ap["code"], strict=True)) == [
        (2025, "A-1"),
        (2026, "A-1"),
        (2026, "A-2"),
    ]
    first = ap.iloc[0]
    assert (first["program_code"], first["kegiatan_code"], first["sub_kegiatan_code"]) == (
        "1.03.05",
        "1.03.05.2.01",
        "1.03.05.2.01.0044",
    )
    assert first["sub_kegiatan_name"] == "SPALD-S" and first["ready"] == "yes"
    last = ap.iloc[2]
    assert last["sub_kegiatan_code"] == "" and last["kegiatan_code"] == "2.11.11.2.01"
    assert last["ready"] == "no"  # land: no
    assert last["pagu_idr"] == 750.0 and last["volume"] == 1.0
    assert nomenclature_parts("1.03.04") == ("1.03.04", "", "")


def test_land_needs_by_hand() -> None:
    costs = pd.DataFrame(
        {
            "year": [2025, 2025, 2026, 2026],
            "sector": ["persampahan", "ald", "persampahan", "persampahan"],
            "need": ["tps3r", "iplt_capacity", "landfill_volume_regional", "tps3r"],
            "unit": ["unit", "m3/day", "m3", "unit"],
            "quantity": [2.0, 5.0, 20000.0, 1.0],
        }
    )
    p = _params(tps3r_min_land_m2=200.0, iplt_land_m2_per_m3_day=285.7, landfill_cell_depth_m=10.0)
    out = land_needs(costs, p, (2025, 2029))
    got = {(r.need, r.year): r.land_m2 for r in out.itertuples()}
    assert got[("tps3r", 2025)] == 400.0  # 2 units x 200 m2
    assert got[("tps3r", 2026)] == 200.0
    assert got[("iplt_capacity", 2025)] == pytest.approx(1428.5)  # 5 m3/day x 285.7
    assert got[("landfill_volume_regional", 2026)] == 2000.0  # 20,000 m3 / 10 m


def test_cost_recovery_by_hand() -> None:
    years = (2025, 2026)
    costs = pd.DataFrame(
        {
            "year": [2025, 2025, 2025, 2025],
            "sector": ["ald", "persampahan", "persampahan", "persampahan"],
            "need": [
                "l2t2_desludging",
                "operation_maintenance",
                "tpa_tipping_fee",
                "operation_maintenance",
            ],
            "item": ["x", "om_general", "fee", "om_community"],
            "cost_idr": [380_000.0, 1_000_000.0, 200_000.0, 0.0],
        }
    )
    service = pd.DataFrame({"year": [2025, 2026], "desludgings": [1.0, 2.0]})
    nw = pd.DataFrame({"year": [2025, 2026], "route_tps3r_tpd": [1.0, 0.0]})
    uc = pd.DataFrame(
        {
            "item": [
                "desludging_tariff_payakumbuh",
                "waste_retribution_household_month",
                "tps3r_product_sales_per_tonne",
            ],
            "cost_idr": [130_000.0, 10_000.0, 300_000.0],
            "price_year": [2025, 2025, 2025],
        }
    )
    p = _params(cost_escalation_rate_per_year=0.1, tps3r_recovery_fraction=0.4)
    out = cost_recovery(
        costs=costs,
        service=service,
        needs_waste=nw,
        households=pd.Series({2025: 100.0, 2026: 100.0}),
        penanganan_pct=pd.Series({2025: 50.0, 2026: 50.0}),
        unit_costs=uc,
        params=p,
        years=years,
    ).set_index(["stream", "year"])
    d = out.loc[("desludging_tariff", 2025)]
    # 1 desludging x Rp 130,000 against the Rp 380,000 it costs: 34.2 %
    assert d["revenue_idr"] == 130_000.0
    assert d["recovery_pct"] == pytest.approx(100 * 130_000 / 380_000)
    # 2026: 2 desludgings x 130,000 x 1.1 = 286,000; no cost that year -> NaN
    d2 = out.loc[("desludging_tariff", 2026)]
    assert d2["revenue_idr"] == pytest.approx(286_000.0)
    assert np.isnan(d2["recovery_pct"])
    r = out.loc[("waste_retribution", 2025)]
    # 100 households x 50 % x 12 months x 10,000 = 6,000,000 against 1,000,000 + 200,000
    assert r["revenue_idr"] == pytest.approx(6_000_000.0)
    assert r["om_idr"] == 1_200_000.0
    assert r["recovery_pct"] == pytest.approx(500.0)
    s = out.loc[("tps3r_sales", 2025)]
    # 1 t/day x 0.4 recovered x 365 days = 146 t x 300,000 = 43,800,000; no O&M -> NaN
    assert s["quantity"] == pytest.approx(146.0)
    assert s["revenue_idr"] == pytest.approx(43_800_000.0)
    assert np.isnan(s["recovery_pct"])


def test_fiscal_capacity_per_person_and_share() -> None:
    fiscal = pd.DataFrame(
        {
            "year": [2023, 2023, 2024],
            "source": ["APBD_KOTA", "DAK", "APBD_KOTA"],
            "sector": ["ald", "ald", "persampahan"],
            "spent_idr": [1_000_000.0, 3_000_000.0, 2_000_000.0],
        }
    )
    out = fiscal_capacity(
        fiscal, pd.Series({2023: 1000.0, 2024: 2000.0}), pd.Series({2023: 400_000_000.0})
    )
    total = out[(out["source"] == "total") & (out["year"] == 2023)].iloc[0]
    assert total["spent_idr"] == 4_000_000.0  # 1,000,000 + 3,000,000
    assert total["per_person_idr"] == 4000.0  # 4,000,000 / 1,000 persons
    assert total["apbd_share_pct"] == 1.0  # 100 x 4,000,000 / 400,000,000
    row24 = out[(out["year"] == 2024) & (out["source"] == "total")].iloc[0]
    assert row24["per_person_idr"] == 1000.0 and np.isnan(row24["apbd_share_pct"])
