"""Solid waste: generation, balance, TPS3R, collection trucks, TPA-full year
(``sanitasi.core.waste``)."""

from __future__ import annotations

import numpy as np
import pytest

from sanitasi.core import waste
from sanitasi.core.model import PlanResult


def test_generation_hand_computed() -> None:
    pop = np.array([[10000.0, 11000.0], [2000.0, 2000.0]])
    rate = np.array([0.7, 0.5])
    # 10000 x 0.7 / 1000 = 7 t/day; 11000 x 0.7 / 1000 = 7.7; 2000 x 0.5 / 1000 = 1
    np.testing.assert_allclose(
        waste.generation(pop, rate, 0.0, np.array([2024, 2025]), 2024), [[7, 7.7], [1, 1]]
    )
    # with a 2 %/year rate growth: 2025 x 1.02 -> 7.854 and 1.02
    np.testing.assert_allclose(
        waste.generation(pop, rate, 0.02, np.array([2024, 2025]), 2024), [[7, 7.854], [1, 1.02]]
    )


def test_waste_areas_tps3r_residue_to_penanganan() -> None:
    G = np.array([[100.0, 100.0, 100.0]])
    wa = waste.waste_areas(
        G,
        np.array([0.10]),
        np.array([0.60]),
        np.array([[0.10, 0.20, 0.20]]),
        np.array([[0.60, 0.70, 0.85]]),
        0.4,
    )
    # BAU: pengurangan 0.10 x 100 = 10, penanganan 0.60 x 100 = 60 t/day
    np.testing.assert_allclose(wa.bau_pengurangan, [[10, 10, 10]])
    np.testing.assert_allclose(wa.bau_penanganan, [[60, 60, 60]])
    # required pengurangan = max(10, traj x 100) = [10, 20, 20]; added = [0, 10, 10]
    np.testing.assert_allclose(wa.plan_pengurangan, [[10, 20, 20]])
    np.testing.assert_allclose(wa.added_pengurangan, [[0, 10, 10]])
    # all through TPS3R (no routes given): input = 10 / 0.4 = 25, residue = 25 x 0.6 = 15 t/day
    np.testing.assert_allclose(wa.tps3r_input, [[0, 25, 25]])
    np.testing.assert_allclose(wa.residue, [[0, 15, 15]])
    # only the residue of waste that was unmanaged is new penanganan: unmanaged share of the
    # non-reduced waste u = (100 - 10 - 60) / (100 - 10) = 1/3 -> 15 / 3 = 5 t/day
    np.testing.assert_allclose(wa.residue_new, [[0, 5, 5]])
    # penanganan 2025 = max(required 70, BAU 60 + 5 = 65) = 70;
    # 2026 = max(85, 65) = 85, capped at G - pengurangan = 100 - 20 = 80
    np.testing.assert_allclose(wa.plan_penanganan, [[60, 70, 80]])


def test_waste_areas_routes_split_the_added_pengurangan() -> None:
    G = np.array([[100.0, 100.0]])
    wa = waste.waste_areas(
        G,
        np.array([0.10]),
        np.array([0.30]),
        np.array([[0.10, 0.20]]),
        np.array([[0.30, 0.30]]),
        0.4,
        {"tps3r": 1.0, "bank_sampah": 0.6, "other": 0.4},  # normalised: 0.5 / 0.3 / 0.2
    )
    # added 10 t/day: TPS3R 5, bank sampah 3, other 2
    np.testing.assert_allclose(wa.routes["tps3r"], [[0, 5]])
    np.testing.assert_allclose(wa.routes["bank_sampah"], [[0, 3]])
    np.testing.assert_allclose(wa.routes["other"], [[0, 2]])
    # TPS3R input 5 / 0.4 = 12.5, residue 7.5; u = (100 - 10 - 30) / 90 = 2/3 -> new 5
    np.testing.assert_allclose(wa.residue_new, [[0, 5]])
    # penanganan = max(30, 30 + 5) = 35 (capped at 100 - 20 = 80)
    np.testing.assert_allclose(wa.plan_penanganan, [[30, 35]])
    assert waste.route_shares({}) == {"tps3r": 0.0, "bank_sampah": 0.0, "other": 1.0}


def test_waste_areas_no_data_no_need() -> None:
    G = np.array([[50.0, 55.0]])
    wa = waste.waste_areas(
        G,
        np.array([np.nan]),
        np.array([np.nan]),
        np.array([[np.nan, np.nan]]),
        np.array([[np.nan, np.nan]]),
        0.4,
    )
    for arr in (wa.bau_pengurangan, wa.plan_pengurangan, wa.added_pengurangan, wa.plan_penanganan):
        np.testing.assert_allclose(arr, 0.0)


def test_tps3r_units() -> None:
    added = np.array([[0.0, 1.0, 1.05, 0.5]])
    # ceil(added / (0.5 t/day input x 0.4 recovery = 0.2)) = [0, 5, ceil 5.25 = 6, 3]
    # held at the running maximum (a unit once built stays): [0, 5, 6, 6]
    np.testing.assert_allclose(waste.tps3r_units(added, 0.5, 0.4), [[0, 5, 6, 6]])
    # the Juknis unit: 4.5 m3/day x 0.25 t/m3 = 1.125 t/day input, 0.45 t/day recovered;
    # 3.76 t/day of the TPS3R route -> ceil(8.36) = 9 units
    assert waste.tps3r_units(np.array([[3.76]]), 1.125, 0.4)[0, 0] == 9


def test_trips_per_day_by_distance() -> None:
    # 7 hours; 30 km/h; 1.5 h fixed per trip. 10 km: 7 / (20/30 + 1.5) = 3.23 -> 3, capped at 2;
    # 40 km: 7 / (80/30 + 1.5) = 1.68 -> 1; unknown distance: the maximum (2)
    out = waste.trips_per_day(np.array([10.0, 40.0, np.nan]), 2.0, 7.0, 30.0, 1.5)
    np.testing.assert_allclose(out, [2, 1, 2])


def test_fleet_calibrated_to_the_base_year() -> None:
    # Kota Solok 2024: 5 dump trucks of 8 m3 and 3 arm-rolls of 6 m3 = 58 m3 carry the
    # observed 37.56 t/day: no backlog in the base year, whatever the parameters say
    pen = np.array([[37.56, 37.56 * 1.1, 37.56 * 1.3], [40.0, 40.0, 44.0]])
    fl = waste.fleet(
        pen,
        np.array([37.56, 40.0]),
        np.array([8.0, 0.0]),
        np.array([58.0, 0.0]),
        np.array([215.0, 250.0]),
        330.0,
        8.0,
        np.array([2.0, 2.0]),
        0.85,
    )
    assert fl.calibrated.tolist() == [True, False]
    # calibrated: 2025 needs 58 x 1.1 = 63.8 m3 -> (63.8 - 58) / 8 = 0.725 -> 1 truck;
    # 2026: 58 x 1.3 = 75.4 -> 17.4 / 8 = 2.175 -> 3 trucks; base year 0
    np.testing.assert_allclose(fl.to_add[0], [0, 1, 3])
    np.testing.assert_allclose(fl.needed[0], [8, 9, 11])
    assert fl.tpd_per_truck[0] == pytest.approx(37.56 / 8)
    # no fleet: the parameters size it (40 t/day, 250 kg/m3 -> 14 trucks, see below; 44 t/day
    # -> 44 x 365/330 x 4 = 194.67 m3 / 13.6 = 14.31 -> 15)
    np.testing.assert_allclose(fl.to_add[1], [14, 14, 15])


def test_collection_trucks() -> None:
    pen = np.array([[40.0], [40.0], [37.56]])
    dens = np.array([250.0, 215.0, 215.0])
    out = waste.collection_trucks(pen, dens, 330.0, 8.0, 2.0, 0.85)
    # m3/collection day = pen x 365/330 x 1000/density; trucks = ceil(m3 / (8 x 2 x 0.85 = 13.6))
    # 40 t/day, 250 kg/m3: 40 x 365/330 = 44.2424 t -> 176.97 m3 -> /13.6 = 13.01 -> 14
    # 40 t/day, 215 kg/m3: 44.2424 t -> 205.78 m3 -> 15.13 -> 16
    # Kota Solok 2024: 37.56 x 365/330 = 41.544 t -> 193.23 m3 -> 14.21 -> 15
    np.testing.assert_allclose(out, [[14], [16], [15]])


YEARS = np.array([2024, 2025, 2026])


def _tpa(
    lf: list[float], life: float, ref: float, inflow: float = 50.0, lf_ref: float = 35.38
) -> waste.Tpa:
    return waste.tpa_full(
        YEARS,
        np.array([lf]),
        np.array([life]),
        np.array([inflow]),
        np.array([ref]),
        np.array([lf_ref]),
        700.0,
        0.15,
    )


def test_tpa_full_next_year() -> None:
    t = _tpa([35.38, 37.0, 38.0], life=1.0, ref=2024)
    # capacity = L x I0 x 365 = 1 x 50 x 365 = 18,250 t; other users = 50 - 35.38 = 14.62 t/day
    assert t.capacity_t[0] == pytest.approx(18250)
    # 2024: 365 x (35.38 + 14.62) = 18,250 -> cum 18,250, not beyond capacity
    # 2025: 365 x (37 + 14.62) = 18,841.3 -> cum 37,091.3 > 18,250 -> full in 2025
    np.testing.assert_allclose(t.consumed_t[0], [18250, 37091.3, 37091.3 + 365 * 52.62])
    assert t.full_year[0] == 2025
    np.testing.assert_allclose(t.remaining_t[0], [0, 0, 0])
    # volume after it = city tonnes / 0.7 t/m3 x 1.15:
    # 2025: 365 x 37 = 13,505 t -> 19,292.86 m3 -> 22,186.79 m3; 2026: 365 x 38 = 13,870 t -> 22,786.43
    np.testing.assert_allclose(t.landfill_volume_m3[0], [0, 13505 / 0.7 * 1.15, 13870 / 0.7 * 1.15])
    assert t.landfill_volume_m3[0, 1] == pytest.approx(22186.79, abs=0.01)
    # the whole facility (all users): 2025: 18,841.3 t -> 30,953.85 m3; the city's share
    # 13,505 / 18,841.3 = 71.68 %
    assert t.facility_volume_m3[0, 1] == pytest.approx(18841.3 / 0.7 * 1.15)
    assert t.city_share[0, 1] == pytest.approx(13505 / 18841.3)
    assert np.isnan(t.city_share[0, 0])


def test_tpa_full_partial_year() -> None:
    t = _tpa([35.38, 37.0, 38.0], life=1.5, ref=2024)
    # capacity 1.5 x 50 x 365 = 27,375 t; cum 2025 = 37,091.3 -> over by 9,716.3 of that year's
    # 18,841.3 t -> fraction 0.51569 of the city's 13,505 t needs the new cell
    assert t.full_year[0] == 2025
    frac = (37091.3 - 27375) / 18841.3
    assert t.landfill_volume_m3[0, 1] == pytest.approx(frac * 13505 / 0.7 * 1.15)
    np.testing.assert_allclose(t.remaining_t[0], [27375 - 18250, 0, 0])


def test_tpa_never_full() -> None:
    t = _tpa([35.38, 37.0, 38.0], life=100.0, ref=2024)
    assert np.isnan(t.full_year[0])
    np.testing.assert_allclose(t.landfill_volume_m3, 0.0)
    # remaining 2024 = 1,825,000 - 18,250 = 1,806,750 t
    assert t.remaining_t[0, 0] == pytest.approx(1806750)


def test_tpa_reference_before_base_year() -> None:
    t = _tpa([35.38, 35.38, 35.38], life=4.0, ref=2022)
    # capacity 4 x 50 x 365 = 73,000 t; 2022 and 2023 consume 365 x 50 = 18,250 each (36,500);
    # 2024 -> 54,750 (remaining 18,250); 2025 -> 73,000 (= capacity, not beyond: remaining 0);
    # 2026 -> 91,250 -> full in 2026
    np.testing.assert_allclose(t.consumed_t[0], [54750, 73000, 91250])
    np.testing.assert_allclose(t.remaining_t[0], [18250, 0, 0])
    assert t.full_year[0] == 2026
    # 2026 volume: 365 x 35.38 = 12,913.7 t / 0.7 x 1.15 = 21,215.36 m3
    assert t.landfill_volume_m3[0, 2] == pytest.approx(12913.7 / 0.7 * 1.15)
    assert t.landfill_volume_m3[0, 1] == 0


def test_tpa_no_data() -> None:
    t = waste.tpa_full(
        YEARS,
        np.array([[30.0, 30.0, 30.0]]),
        np.array([np.nan]),
        np.array([np.nan]),
        np.array([np.nan]),
        np.array([30.0]),
        700.0,
        0.15,
    )
    assert np.isnan(t.capacity_t[0]) and np.isnan(t.full_year[0])
    np.testing.assert_allclose(t.landfill_volume_m3, 0.0)


def test_demo_waste_needs(demo_result: PlanResult) -> None:
    nw = demo_result["needs_waste"].set_index("year")
    # 2024: generated 53.27 (city observation, shared out by population), penanganan 37.56,
    # landfilled 35.38 (observed; share 35.38/37.56 of penanganan later on)
    assert nw.loc[2024, "generated_tpd"] == pytest.approx(53.27)
    assert nw.loc[2024, "required_penanganan_tpd"] == pytest.approx(37.56)
    assert nw.loc[2024, "landfilled_tpd"] == pytest.approx(35.38)
    assert nw.loc[2025, "landfilled_tpd"] == pytest.approx(
        35.38 / 37.56 * nw.loc[2025, "required_penanganan_tpd"]
    )
    # trucks: the 8 trucks (5 x 8 + 3 x 6 = 58 m3) carry the observed 37.56 t/day in 2024 (no
    # backlog, although the parameters alone would ask for 15); 2029 needs 58 x H(2029)/H(2024)
    assert nw.loc[2024, "collection_trucks_needed"] == 8
    assert nw.loc[2024, "collection_trucks_existing"] == 8
    assert nw.loc[2024, "collection_trucks_to_add"] == 0
    assert nw.loc[2024, "collection_tpd_per_truck"] == pytest.approx(37.56 / 8)
    h29 = nw.loc[2029, "required_penanganan_tpd"]
    assert nw.loc[2029, "collection_trucks_to_add"] == np.ceil((58 * h29 / 37.56 - 58) / 8)
    # TPA: L = 1 year, I0 = 50 t/day at 2024 -> 18,250 t, used up in 2024; full in 2025
    assert (nw.loc[2024, "tpa_full"], nw.loc[2025, "tpa_full"]) == ("", "ya")
    assert nw.loc[2024, "tpa_remaining_t"] == pytest.approx(0.0)
    # whole 2025 landfilled tonnage needs the new cell: 365 x lf / 0.7 x 1.15; the regional
    # facility (province-owned) needs it for the other users too: 50 - 35.38 = 14.62 t/day
    lf = nw.loc[2025, "landfilled_tpd"]
    assert nw.loc[2025, "landfill_volume_m3"] == pytest.approx(365 * lf / 0.7 * 1.15)
    assert nw.loc[2025, "facility_volume_m3"] == pytest.approx(365 * (lf + 14.62) / 0.7 * 1.15)
    assert nw.loc[2025, "city_share_pct"] == pytest.approx(100 * lf / (lf + 14.62))
    assert nw.loc[2025, "tpa_owner"] == "regional"
    # pengurangan routes: added = 14 % x G(2025) - 11.5074 % x G(2025); TPS3R 0.4 of it,
    # each unit recovers 1.125 x 0.4 = 0.45 t/day; bank sampah 0.3 of it at 0.2 t/day a unit
    g = nw.loc[2025, "generated_tpd"]
    added = 0.14 * g - 6.13 / 53.27 * g
    assert nw.loc[2025, "required_pengurangan_tpd"] == pytest.approx(0.14 * g)
    assert nw.loc[2025, "route_tps3r_tpd"] == pytest.approx(0.4 * added)
    assert nw.loc[2025, "route_other_tpd"] == pytest.approx(0.3 * added)
    assert nw.loc[2025, "tps3r_units_total"] == np.ceil(0.4 * added / 0.45)
    assert nw.loc[2025, "bank_sampah_units_total"] == np.ceil(0.3 * added / 0.2)
    # generation grows with population only (growth 0): G(t)/G(2024) = P(t)/P(2024)
    p = demo_result["population"]
    pc = p[p["kode"].astype(str) == "13.72"].set_index("year")["population"]
    assert g / 53.27 == pytest.approx(pc[2025] / pc[2024])
    assert any(w.code == "SAN-W001" and w.year == 2025 for w in demo_result.warnings)
