"""Wastewater stock-flow needs and desludging service (``sanitasi.core.wastewater``)."""

from __future__ import annotations

import numpy as np
import pytest

from sanitasi.core import wastewater as ww
from sanitasi.core.model import RUNGS, PlanResult


def _ladder(rows: list[list[float]], households: np.ndarray) -> dict[str, np.ndarray]:
    """BAU from base-year counts per area (aman .. babs_terbuka) at constant shares."""
    counts = np.asarray(rows, dtype=float)
    share = {r: counts[:, i] / counts.sum(axis=1) for i, r in enumerate(RUNGS)}
    return ww.bau_ladder(households, share, "baseline")


# Two areas, three years (2024 = base, 2025, 2026).
# A: urban, in a SPALD-T zone, H = 200 constant; base ladder
#    aman 20, layak_sendiri 100, layak_bersama 20, belum_layak 20, babs_tertutup 20, babs_terbuka 20
# B: rural, outside any zone, H = 100, 110, 120; base ladder 5, 45, 10, 20, 10, 10
H = np.array([[200.0, 200.0, 200.0], [100.0, 110.0, 120.0]])
BASE = [[20, 100, 20, 20, 20, 20], [5, 45, 10, 20, 10, 10]]
TRAJ_LAYAK = np.array([[0.70, 0.80, 0.90], [0.60, 0.70, 0.80]])
TRAJ_AMAN = np.array([[0.10, 0.25, 0.40], [0.05, 0.10, 0.30]])
TRAJ_BABS = np.array([[0.10, 0.05, 0.00], [0.10, 0.10, 0.00]])
URBAN = np.array([True, False])
IN_ZONE = np.array([True, False])
SPALD_T_SHARE = 0.5
READY = 0.3


@pytest.fixture(scope="module")
def needs() -> ww.LadderNeeds:
    bau = _ladder(BASE, H)
    bau_spald_t = np.array([[5.0] * 3, [0.0] * 3])
    return ww.stock_flow(
        H, bau, bau_spald_t, TRAJ_LAYAK, TRAJ_AMAN, TRAJ_BABS, URBAN, IN_ZONE, SPALD_T_SHARE, READY
    )


def test_bau_constant_shares(needs: ww.LadderNeeds) -> None:
    # B grows 100 -> 110 -> 120 at its base shares: aman 5, 5.5, 6; babs_terbuka 10, 11, 12
    np.testing.assert_allclose(needs.bau["aman"][1], [5, 5.5, 6])
    np.testing.assert_allclose(needs.bau["babs_terbuka"][1], [10, 11, 12])


def test_area_in_zone_cumulative(needs: ww.LadderNeeds) -> None:
    c = needs.cumulative
    # A, 2025: A* = max(20, 0.25*200 = 50) = 50; L* = max(140, 0.80*200 = 160, 50) = 160;
    #   open defecation cap 0.05*200 = 10 -> excess 20 - 10 = 10; into layak = max(160-140, 10) = 20
    #   into aman = 50 - 20 = 30 -> SPALD-T 0.5*30 = 15 connections, from the lowest rungs
    #   (non-layak 60 >= 15); new tanks for layak = 20 - 15 = 5; moved 15 + 5 = 20 from the bottom:
    #   babs_terbuka 20 -> 0. L2T2 = 30 - 15 = 15: first the 5 new tanks, then 10 existing
    #   layak_sendiri, of which 30 % ready -> upgrades 0.7 * 10 = 7.
    # A, 2026: A* = 80, L* = 180, excess 20 -> into layak 40; into aman 60 -> SPALD-T 30;
    #   new tanks 40 - 30 = 10; moved 40: terbuka 20, tertutup 20; L2T2 30 = 10 new + 20 existing
    #   -> upgrades 0.7 * 20 = 14
    np.testing.assert_allclose(c["into_layak_hh"][0], [0, 20, 40])
    np.testing.assert_allclose(c["into_aman_hh"][0], [0, 30, 60])
    np.testing.assert_allclose(c["spald_t_connection"][0], [0, 15, 30])
    np.testing.assert_allclose(c["new_septic_tank"][0], [0, 5, 10])
    np.testing.assert_allclose(c["l2t2_enrolment"][0], [0, 15, 30])
    np.testing.assert_allclose(c["septic_tank_upgrade"][0], [0, 7, 14])


def test_rural_area_outside_zone_cumulative(needs: ww.LadderNeeds) -> None:
    c = needs.cumulative
    # B, 2025: H 110; BAU layak 0.6*110 = 66; L* = max(66, 0.7*110 = 77, 11) = 77 -> into layak 11;
    #   open defecation cap 0.1*110 = 11 = BAU -> no excess; 11 new tanks, moved from babs_terbuka
    #   (11 -> 0); into aman = max(5.5, 0.1*110 = 11) - 5.5 = 5.5, all L2T2 from the new tanks.
    # B, 2026: H 120; BAU layak 72; L* = max(72, 96, 36) = 96 -> into layak 24 (terbuka 12,
    #   tertutup 12); into aman = 0.3*120 - 6 = 30: 24 new tanks, then 6 existing layak_sendiri;
    #   rural -> those 6 are pits that get a new SNI tank, no upgrade: new tanks 24 + 6 = 30
    np.testing.assert_allclose(c["into_layak_hh"][1], [0, 11, 24])
    np.testing.assert_allclose(c["into_aman_hh"][1], [0, 5.5, 30])
    np.testing.assert_allclose(c["spald_t_connection"][1], [0, 0, 0])
    np.testing.assert_allclose(c["new_septic_tank"][1], [0, 11, 30])
    np.testing.assert_allclose(c["l2t2_enrolment"][1], [0, 5.5, 30])
    np.testing.assert_allclose(c["septic_tank_upgrade"][1], [0, 0, 0])


def test_annual_needs(needs: ww.LadderNeeds) -> None:
    a = needs.annual
    # year-on-year increases of the cumulative numbers, 0 in the base year
    np.testing.assert_allclose(a["into_layak_hh"], [[0, 20, 20], [0, 11, 13]])
    np.testing.assert_allclose(a["into_aman_hh"], [[0, 30, 30], [0, 5.5, 24.5]])
    np.testing.assert_allclose(a["new_septic_tank"], [[0, 5, 5], [0, 11, 19]])
    np.testing.assert_allclose(a["septic_tank_upgrade"], [[0, 7, 7], [0, 0, 0]])
    np.testing.assert_allclose(a["l2t2_enrolment"], [[0, 15, 15], [0, 5.5, 24.5]])
    np.testing.assert_allclose(a["spald_t_connection"], [[0, 15, 15], [0, 0, 0]])


def test_plan_ladder(needs: ww.LadderNeeds) -> None:
    p = needs.plan
    # A 2025: aman 20 + 15 + 15 = 50; layak_sendiri 100 - 10 + (5 - 5) = 90; terbuka 0
    # A 2026: aman 80; layak_sendiri 100 - 20 = 80; tertutup 0; terbuka 0
    np.testing.assert_allclose(p["aman"][0], [20, 50, 80])
    np.testing.assert_allclose(p["layak_sendiri"][0], [100, 90, 80])
    np.testing.assert_allclose(p["layak_bersama"][0], [20, 20, 20])
    np.testing.assert_allclose(p["belum_layak"][0], [20, 20, 20])
    np.testing.assert_allclose(p["babs_tertutup"][0], [20, 20, 0])
    np.testing.assert_allclose(p["babs_terbuka"][0], [20, 0, 0])
    # B 2025: aman 11; layak_sendiri 49.5 + (11 - 5.5) = 55; terbuka 0
    # B 2026: aman 36; layak_sendiri 54 - 6 + 0 = 48; tertutup 12 - 12 = 0; terbuka 0
    np.testing.assert_allclose(p["aman"][1], [5, 11, 36])
    np.testing.assert_allclose(p["layak_sendiri"][1], [45, 55, 48])
    np.testing.assert_allclose(p["layak_bersama"][1], [10, 11, 12])
    np.testing.assert_allclose(p["belum_layak"][1], [20, 22, 24])
    np.testing.assert_allclose(p["babs_tertutup"][1], [10, 11, 0])
    np.testing.assert_allclose(p["babs_terbuka"][1], [10, 0, 0])
    # plan rungs sum to households; targets are met
    total = sum(p[r] for r in RUNGS)
    np.testing.assert_allclose(total, H, rtol=1e-12)
    layak = p["aman"] + p["layak_sendiri"] + p["layak_bersama"]
    assert (layak >= TRAJ_LAYAK * H - 1e-9).all()
    assert (p["aman"] >= TRAJ_AMAN * H - 1e-9).all()
    assert (p["babs_terbuka"] <= TRAJ_BABS * H + 1e-9).all()


def test_enrolled_stock(needs: ww.LadderNeeds) -> None:
    # E(t) = on-site aman (BAU aman - SPALD-T) + L2T2 enrolments:
    # A: (20 - 5) + [0, 15, 30] = [15, 30, 45]; B: [5, 5.5, 6] + [0, 5.5, 30] = [5, 11, 36]
    np.testing.assert_allclose(needs.enrolled, [[15, 30, 45], [5, 11, 36]])


def _one(
    base: list[float], traj_layak: list[float], traj_aman: list[float], urban: bool, zone: bool
) -> ww.LadderNeeds:
    h = np.array([[100.0, 100.0]])
    bau = _ladder([base], h)
    nan = np.full((1, 2), np.nan)
    return ww.stock_flow(
        h,
        bau,
        np.zeros((1, 2)),
        np.array([traj_layak]),
        np.array([traj_aman]),
        nan,
        np.array([urban]),
        np.array([zone]),
        0.5,
        0.3,
    )


def test_l2t2_order_then_shared_toilets() -> None:
    # urban, outside zones, H 100: aman 10, layak_sendiri 10, layak_bersama 30, belum_layak 50.
    # A* = 40 -> into aman 30 (layak already 50 = target): no new tanks for layak, so L2T2 takes
    # the 10 existing layak_sendiri (upgrades 0.7*10 = 7), then 20 layak_bersama households, each
    # with a private toilet and a new SNI tank (new tanks 20).
    n = _one([10, 10, 30, 50, 0, 0], [0.5, 0.5], [0.1, 0.4], urban=True, zone=False)
    assert n.cumulative["l2t2_enrolment"][0, 1] == pytest.approx(30)
    assert n.cumulative["septic_tank_upgrade"][0, 1] == pytest.approx(7)
    assert n.cumulative["new_septic_tank"][0, 1] == pytest.approx(20)
    assert n.cumulative["into_layak_hh"][0, 1] == pytest.approx(0)
    np.testing.assert_allclose([n.plan[r][0, 1] for r in RUNGS], [40, 0, 10, 50, 0, 0])


def test_spald_t_connections_from_lowest_rungs() -> None:
    # in zone, H 100: aman 10, layak_sendiri 60, layak_bersama 20, belum_layak 10.
    # A* = 50 -> into aman 40 -> 20 SPALD-T connections: 10 from belum_layak (the lowest rung
    # with households), then 10 from layak_bersama; 20 L2T2 from existing layak_sendiri
    # (upgrades 0.7*20 = 14). Layak rises to 100 although its target is 90.
    n = _one([10, 60, 20, 10, 0, 0], [0.9, 0.9], [0.1, 0.5], urban=True, zone=True)
    assert n.cumulative["spald_t_connection"][0, 1] == pytest.approx(20)
    assert n.cumulative["into_layak_hh"][0, 1] == pytest.approx(10)
    assert n.cumulative["new_septic_tank"][0, 1] == pytest.approx(0)
    assert n.cumulative["septic_tank_upgrade"][0, 1] == pytest.approx(14)
    np.testing.assert_allclose([n.plan[r][0, 1] for r in RUNGS], [50, 40, 10, 0, 0, 0])


def test_area_above_path_keeps_bau() -> None:
    # an area already above its trajectory (and a NaN trajectory) needs nothing and never regresses
    n = _one([50, 30, 10, 10, 0, 0], [0.5, 0.6], [np.nan, np.nan], urban=True, zone=True)
    for k, v in n.cumulative.items():
        np.testing.assert_allclose(v, 0.0, err_msg=k)
    for r in RUNGS:
        np.testing.assert_allclose(n.plan[r], n.bau[r])


def test_bau_new_households_on_layak_sendiri() -> None:
    h = np.array([[100.0, 120.0, 90.0]])
    share = {r: np.array([s]) for r, s in zip(RUNGS, [0.1, 0.5, 0.1, 0.1, 0.1, 0.1], strict=True)}
    bau = ww.bau_ladder(h, share, "layak_sendiri")
    # growth of 20 households all on layak_sendiri: 50 + 20 = 70; others stay at base stocks;
    # where households fall (90 < 100) the base shares apply: layak_sendiri 45, aman 9
    np.testing.assert_allclose(bau["layak_sendiri"][0], [50, 70, 45])
    np.testing.assert_allclose(bau["aman"][0], [10, 10, 9])
    np.testing.assert_allclose(sum(bau[r] for r in RUNGS), h)
    with pytest.raises(ValueError, match="new_households_ladder"):
        ww.bau_ladder(h, share, "nonsense")


def _service(enrolled: list[list[float]], cap: float, trucks: float) -> ww.Service:
    # interval 3 years, 3 m3 per desludging, IPLT receiving 250 days/year,
    # 2 trips/truck/day, 250 working days, 85 % availability
    return ww.service(
        np.array(enrolled), 3.0, 3.0, 250.0, np.array([cap]), 2.0, 250.0, 0.85, np.array([trucks])
    )


def test_desludgings_with_ramp_up() -> None:
    s = _service([[300.0, 360.0, 450.0]], 1.0, 0.0)
    # exact cohort schedule: the base stock 300 is spread over the 3-year interval (100 a
    # year); each new enrolment is emptied when it enrols: 100 + 60 = 160; 100 + 90 = 190
    np.testing.assert_allclose(s.desludgings, [[100, 160, 190]])
    # septage = d x 3 m3 = [300, 480, 570] m3/year; IPLT load = /250 days = [1.2, 1.92, 2.28]
    np.testing.assert_allclose(s.septage_m3_per_year, [[300, 480, 570]])
    np.testing.assert_allclose(s.iplt_load_m3_per_day, [[1.2, 1.92, 2.28]])
    # utilisation against 1 m3/day = [120, 192, 228] %
    np.testing.assert_allclose(s.iplt_utilisation_pct, [[120, 192, 228]])
    # capacity to add = ceil(load - 1) = [ceil 0.2, ceil 0.92, ceil 1.28] = [1, 1, 2]
    np.testing.assert_allclose(s.iplt_capacity_to_add_m3_per_day, [[1, 1, 2]])
    # trucks = ceil(d / (2 x 250 x 0.85 = 425)) = [1, 1, 1]
    np.testing.assert_allclose(s.vacuum_trucks_needed, [[1, 1, 1]])
    assert not s.trucks_calibrated[0] and s.desludgings_per_truck_year[0] == pytest.approx(425)


def test_cohort_desludging_every_interval() -> None:
    # 300 households enrolled in the base year, 90 more in 2025, none after: the 2025 cohort
    # is emptied in 2025 and again in 2028 (every 3 years); the base stock 100 a year
    d = ww.cohort_desludgings(np.array([[300.0, 390, 390, 390, 390, 390, 390]]), 3.0)
    np.testing.assert_allclose(d, [[100, 190, 100, 100, 190, 100, 100]])
    # a 2-year interval: base 150 a year, the cohort again in 2027 and 2029
    d2 = ww.cohort_desludgings(np.array([[300.0, 390, 390, 390, 390, 390]]), 2.0)
    np.testing.assert_allclose(d2, [[150, 240, 150, 240, 150, 240]])


def test_vacuum_trucks_calibrated_on_observed_desludgings() -> None:
    # 2 trucks did 600 desludgings in the base year: 300 per truck-year (instead of 425)
    s = ww.service(
        np.array([[1800.0, 2400.0]]),
        3.0,
        3.0,
        250.0,
        np.array([20.0]),
        2.0,
        250.0,
        0.85,
        np.array([2.0]),
        np.array([600.0]),
    )
    assert s.trucks_calibrated[0] and s.desludgings_per_truck_year[0] == pytest.approx(300)
    # d = [600, 600 + 600 = 1200] -> trucks ceil(600/300) = 2, ceil(1200/300) = 4 -> add 2
    np.testing.assert_allclose(s.vacuum_trucks_needed, [[2, 4]])
    np.testing.assert_allclose(s.vacuum_trucks_to_add, [[0, 2]])


def test_capacity_and_trucks_running_max() -> None:
    s = _service([[3000.0, 3600.0, 4500.0, 4500.0]], 15.0, 3.0)
    # d = 1000 a year for the base stock + new enrolments: [1000, 1600, 1900, 1000]
    np.testing.assert_allclose(s.desludgings, [[1000, 1600, 1900, 1000]])
    # load = d x 3 / 250 = [12, 19.2, 22.8, 12] m3/day; utilisation vs 15 = [80, 128, 152, 80] %
    np.testing.assert_allclose(s.iplt_load_m3_per_day, [[12, 19.2, 22.8, 12]])
    np.testing.assert_allclose(s.iplt_utilisation_pct, [[80, 128, 152, 80]])
    # to add = ceil(max(load - 15, 0)) = [0, 5, 8, 0] held at its running max -> [0, 5, 8, 8]
    np.testing.assert_allclose(s.iplt_capacity_to_add_m3_per_day, [[0, 5, 8, 8]])
    # trucks = ceil(d/425) = [ceil 2.35, ceil 3.76, ceil 4.47, ceil 2.35] = [3, 4, 5, 3]
    np.testing.assert_allclose(s.vacuum_trucks_needed, [[3, 4, 5, 3]])
    # to add vs 3 existing = [0, 1, 2, 0] -> running max [0, 1, 2, 2]
    np.testing.assert_allclose(s.vacuum_trucks_to_add, [[0, 1, 2, 2]])


def test_no_iplt_gives_nan_utilisation() -> None:
    s = _service([[300.0, 300.0]], 0.0, 0.0)
    assert np.isnan(s.iplt_utilisation_pct).all()
    # to add = ceil(load) = ceil(100 * 3 / 250 = 1.2) = 2
    np.testing.assert_allclose(s.iplt_capacity_to_add_m3_per_day, [[2, 2]])


def test_spald_t_zone_plant_sized_to_the_period_end() -> None:
    years = np.arange(2024, 2030)
    conn = np.array(
        [
            [0.0, 0.0, 50.0, 100.0, 150.0, 200.0],  # first connections 2026, period ends 2027
            [0.0, 0.0, 0.0, 0.0, 0.0, 40.0],  # first connections after the period (2029)
            [0.0] * 6,  # no connections: no plant
        ]
    )
    cap = ww.spald_t_capacity(conn, years, 2027, False, 65.0)
    # one plant built in 2026 for the 100 connections of 2027 (not one per 7 connections);
    # the later connections are added in the year they come (150, 200)
    np.testing.assert_allclose(cap[0], [0, 0, 100, 100, 150, 200])
    # a zone whose connections come after the period: sized to the horizon (40)
    np.testing.assert_allclose(cap[1], [0, 0, 0, 0, 0, 40])
    np.testing.assert_allclose(cap[2], 0.0)
    # modular: modules of 65 connections as needed: ceil(50/65) = 1 -> 65, 100 -> 130, ...
    mod = ww.spald_t_capacity(conn[:1], years, 2027, True, 65.0)
    np.testing.assert_allclose(mod[0], [0, 0, 65, 130, 195, 260])


def test_demo_service_base_year(demo_result: PlanResult) -> None:
    s = demo_result["service_ald"]
    r = s[s["year"] == 2024].iloc[0]
    # E(2024) = aman 1637 - SPALD-T 450 = 1187 households; d = 1187/3 = 395.667;
    # septage 395.667 x 3 = 1187 m3/year; load 1187/250 = 4.748 m3/day; utilisation 4.748/20
    # = 23.74 %; trucks ceil(395.667/425) = 1 (2 existing)
    assert r["enrolled_hh"] == pytest.approx(1187)
    assert r["desludgings"] == pytest.approx(1187 / 3)
    assert r["septage_m3_per_year"] == pytest.approx(1187)
    assert r["iplt_load_m3_per_day"] == pytest.approx(4.748)
    assert r["iplt_utilisation_pct"] == pytest.approx(23.74)
    assert r["vacuum_trucks_needed"] == 1
    assert r["vacuum_trucks_existing"] == 2
    a = demo_result.arrays
    e = a.service.enrolled_hh[0]
    # exact cohort schedule, written out: E(2024)/3 a year plus each year's new enrolments
    # again every third year
    new = [0.0] + [max(e[t] - e[t - 1], 0.0) for t in range(1, len(e))]
    expected = [e[0] / 3 + sum(new[t - k] for k in range(0, t + 1, 3)) for t in range(len(e))]
    np.testing.assert_allclose(a.service.desludgings[0], expected, rtol=1e-12)
