"""SFD of the Kota Solok demo: the shipped sfd.csv against the 2024 ladder and the plan."""

from __future__ import annotations

import numpy as np
import pytest

from sanitasi.core.model import PlanResult
from sanitasi.core.sfd import compute_sfd
from sanitasi.io.instruments import load_sfd


@pytest.fixture(scope="module")
def sfd_inputs() -> object:
    return load_sfd()


def test_demo_baseline(sfd_inputs: object) -> None:
    s = sfd_inputs
    res = compute_sfd(s.systems, s.ladder, kode=s.city_kode, years=[2024])  # type: ignore[attr-defined]
    c = res["sfd_compare"].iloc[0]
    # aman = 1,637 / 20,087 households; layak = (1,637 + 13,031 + 1,663) / 20,087
    assert c["pct_aman"] == pytest.approx(100 * 1637 / 20087)
    assert c["pct_layak"] == pytest.approx(100 * 16331 / 20087)
    # SFD safe = layak_sendiri (contained, not emptied) 13,031 + shared tanks 1,663 x 0.95
    #   + emptied private tanks 1,187 x 0.9 x 0.85 + shared 1,663 x 0.05 x 0.9 x 0.85
    #   + SPALD-T 450 x 0.95 x 0.90, all / 20,087
    safe = 13031 + 1663 * 0.95 + 1187 * 0.9 * 0.85 + 1663 * 0.05 * 0.9 * 0.85 + 450 * 0.95 * 0.9
    assert c["sfd_safe_pct"] == pytest.approx(100 * safe / 20087)
    # JMP-style: without the shared tanks (1,663 x 0.95 + 1,663 x 0.05 x 0.9 x 0.85)
    jmp = safe - 1663 * 0.95 - 1663 * 0.05 * 0.9 * 0.85
    assert c["jmp_safely_managed_pct"] == pytest.approx(100 * jmp / 20087)
    assert round(c["sfd_safe_pct"], 1) == 79.5 and round(c["pct_aman"], 1) == 8.1
    f = res["sfd_flows"].iloc[0]
    assert f["open_defecation"] == 0
    # babs_tertutup + belum_layak: not contained, not emptied
    assert f["not_contained_not_emptied"] == pytest.approx(100 * (2085 + 1671) / 20087)
    assert res.warnings == ()


def test_demo_projection_with_the_plan_ladder(sfd_inputs: object, demo_result: PlanResult) -> None:
    s = sfd_inputs
    lad = demo_result["ladder"]
    lad = lad[lad["kode"].eq("13.72") & lad["scenario"].eq("plan")]
    res = compute_sfd(s.systems, lad, kode="13.72", years=range(2024, 2030))  # type: ignore[attr-defined]
    c = res["sfd_compare"].set_index("year")
    assert c.index.tolist() == list(range(2024, 2030))
    assert c["pct_aman"].is_monotonic_increasing
    # the aman systems (tank emptied + SPALD-T) follow the plan's aman share exactly
    sy = res["sfd_systems"]
    aman = sy[sy["ladder_rung"].eq("aman")].groupby("year")["population_share_pct"].sum()
    assert np.allclose(aman.to_numpy(), c["pct_aman"].to_numpy())
    totals = res["sfd_stages"].groupby(["year", "stage"])["value_pct"].sum()
    assert np.allclose(totals.to_numpy(), 100.0)
    # the three measures differ every year
    assert (c["sfd_safe_pct"] > c["jmp_safely_managed_pct"]).all()
    assert (c["jmp_safely_managed_pct"] > c["pct_aman"]).all()


def test_demo_projection_follows_the_plan(sfd_inputs: object, demo_result: PlanResult) -> None:
    """With the plan's L2T2 service the demo's SFD-safe rises with aman every year (the IPLT
    capacity the plan adds keeps up with the load), and 2029 checks by hand."""
    s = sfd_inputs
    lad = demo_result["ladder"]
    lad = lad[lad["kode"].eq("13.72") & lad["scenario"].eq("plan")]
    svc = demo_result["service_ald"]
    svc = svc[svc["kode"].eq("13.72")]
    res = compute_sfd(s.systems, lad, kode="13.72", service=svc)  # type: ignore[attr-defined]
    c = res["sfd_compare"].set_index("year")
    assert res.plan_years == tuple(range(2025, 2046))
    assert (np.diff(c["sfd_safe_pct"].to_numpy()) >= 0).all()
    assert c.at[2024, "sfd_safe_pct"] == pytest.approx(79.4905, abs=1e-4)  # assessed base year
    # 2029 by hand from the plan's tables: E = enrolled, S0 = 1,637 - 1,187 = 450 base SPALD-T
    # households, the rest of aman new connections; the IPLT keeps up (capacity >= load)
    y = lad.set_index("year").loc[2029]
    v = svc.set_index("year").loc[2029]
    assert (
        v["iplt_capacity_m3_per_day"] + v["iplt_capacity_to_add_m3_per_day"]
        >= v["iplt_load_m3_per_day"]
    )
    e = v["enrolled_hh"]
    new = y["hh_aman"] - e - 450
    lb = y["hh_layak_bersama"] * (0.95 + 0.05 * 0.9 * 0.85)  # shared tanks as assessed
    safe = y["hh_layak_sendiri"] + lb + e * 1 * 1 * 1 + 450 * 0.95 * 0.9 + new * 1 * 1
    assert c.at[2029, "sfd_safe_pct"] == pytest.approx(100 * safe / y["households"])
    assert round(c.at[2029, "sfd_safe_pct"], 1) == 90.6
    assert round(c.at[2029, "jmp_safely_managed_pct"], 1) == 83.1
    assert round(c.at[2029, "pct_aman"], 1) == 22.0
    totals = res["sfd_stages"].groupby(["year", "stage"])["value_pct"].sum()
    assert np.allclose(totals.to_numpy(), 100.0)
