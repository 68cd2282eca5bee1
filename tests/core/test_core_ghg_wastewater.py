"""Wastewater CH4 and N2O by pathway for one kelurahan, by hand
(``sanitasi.core.ghg_wastewater``, docs/METHOD.md §12.3; IPCC 2019 Refinement Vol. 5 Ch. 6).

The kelurahan: aman 100 households (20 on SPALD-T), layak_sendiri 200, layak_bersama 50,
belum_layak 30, babs_tertutup 10, babs_terbuka 10; 4 persons per household. Factors: the
reference defaults (BOD 40 g/person/day, Bo 0.6, septic MCF 0.5, latrine 0.7, SPALD-T
anaerobic reactor 0.8, IPLT deep anaerobic pond 0.8, discharge MCF 0.11; protein 61.7 g,
F_NPR 0.16, N_HH 1.13, F_NON-CON 1.02; N2O EF septic system 0.0045, discharge 0.005).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.ghg_wastewater import (
    SOURCES,
    Pathway,
    WastewaterFactors,
    emissions_table,
    emptied_shares,
    wastewater_emissions,
)

FACTORS = WastewaterFactors(
    bod_g_per_person_day=40.0,
    bo_kg_ch4_per_kg_bod=0.6,
    septic_sludge_bod_share=0.5,
    protein_g_per_person_day=61.7,
    f_npr=0.16,
    n_hh=1.13,
    f_non_con=1.02,
    discharge_mcf=0.11,
    discharge_ef_n2o=0.005,
    pathways={
        "septic": Pathway(mcf=0.5, tow_rem=0.625, n_rem=0.68, ef_n2o=0.0045),
        "latrine": Pathway(mcf=0.7),
        "direct_discharge": Pathway(mcf=0.0, effluent_to_water=True),
        "open_defecation": Pathway(mcf=0.0),
        "spald_t": Pathway(mcf=0.8),
        "iplt": Pathway(mcf=0.8),
    },
)
HH = {
    "aman": np.array([[100.0]]),
    "layak_sendiri": np.array([[200.0]]),
    "layak_bersama": np.array([[50.0]]),
    "belum_layak": np.array([[30.0]]),
    "babs_tertutup": np.array([[10.0]]),
    "babs_terbuka": np.array([[10.0]]),
}
SPALD = np.array([[20.0]])
# BOD per person per year: 40 g x 365 / 10^6 = 0.0146 t
# N per person per year: 61.7 x 365 / 10^6 x 0.16 x 1.13 x 1.02 = 0.004153140528 t


def test_one_kelurahan_ch4_by_hand() -> None:
    res = wastewater_emissions(HH, SPALD, 4.0, FACTORS)
    ch4 = {s: float(res.ch4[s][0, 0]) for s in SOURCES}
    # aman onsite: 80 hh x 4 = 320 persons; TOW = 320 x 0.0146 = 4.672 t BOD; all emptied
    # (F = 1): S = 4.672 x 1 x 0.5 = 2.336; CH4 = (4.672 - 2.336) x 0.6 x 0.5 = 0.7008
    assert ch4["aman_onsite"] == pytest.approx(0.7008)
    # SPALD-T: 80 persons, TOW 1.168 x 0.6 x 0.8 = 0.56064
    assert ch4["spald_t"] == pytest.approx(0.56064)
    # layak_sendiri: 800 persons, TOW 11.68, not emptied: 11.68 x 0.3 = 3.504
    assert ch4["layak_sendiri"] == pytest.approx(3.504)
    # layak_bersama: 200 persons, TOW 2.92 x 0.3 = 0.876
    assert ch4["layak_bersama"] == pytest.approx(0.876)
    # belum_layak (latrine): 120 persons, TOW 1.752 x 0.6 x 0.7 = 0.73584
    assert ch4["belum_layak"] == pytest.approx(0.73584)
    # babs_tertutup (straight to water): 40 persons, TOW 0.584 x 0.6 x 0.11 = 0.038544
    assert ch4["babs_tertutup"] == pytest.approx(0.038544)
    assert ch4["babs_terbuka"] == 0.0
    # IPLT: the 2.336 t BOD of septage x 0.6 x 0.8 = 1.12128
    assert ch4["iplt"] == pytest.approx(1.12128)
    assert float(res.sludge_bod_t[0, 0]) == pytest.approx(2.336)
    # total 0.7008 + 0.56064 + 3.504 + 0.876 + 0.73584 + 0.038544 + 1.12128 = 7.537104
    assert float(res.ch4_total[0, 0]) == pytest.approx(7.537104)


def test_one_kelurahan_n2o_by_hand() -> None:
    res = wastewater_emissions(HH, SPALD, 4.0, FACTORS)
    n2o = {s: float(res.n2o[s][0, 0]) for s in SOURCES}
    # septic systems (320 + 800 + 200 = 1320 persons): N = 1320 x 0.004153140528 =
    # 5.48214549696 t N; N2O = 5.48214549696 x 0.0045 x 44/28 = 0.0387666003 t
    septic = n2o["aman_onsite"] + n2o["layak_sendiri"] + n2o["layak_bersama"]
    assert septic == pytest.approx(0.03876660029993143)
    # direct discharge: 40 x 0.004153140528 = 0.16612562112 t N x 0.005 x 44/28 = 0.00130527
    assert n2o["babs_tertutup"] == pytest.approx(0.0013052727373714286)
    # latrine, anaerobic reactor, open defecation and IPLT: no N2O factor
    assert n2o["belum_layak"] == n2o["spald_t"] == n2o["babs_terbuka"] == n2o["iplt"] == 0.0


def test_desludging_beyond_aman_reaches_the_layak_tanks() -> None:
    # 130 tanks emptied: 80 on aman onsite (F = 1), the other 50 over the 250 layak tanks
    # (F = 50 / 250 = 0.2)
    f_aman, f_layak = emptied_shares(np.array(80.0), np.array(250.0), np.array(130.0))
    assert (float(f_aman), float(f_layak)) == (1.0, pytest.approx(0.2))
    res = wastewater_emissions(HH, SPALD, 4.0, FACTORS, emptied_hh=np.array([[130.0]]))
    # layak_sendiri: S = 11.68 x 0.2 x 0.5 = 1.168; CH4 = (11.68 - 1.168) x 0.3 = 3.1536
    assert float(res.ch4["layak_sendiri"][0, 0]) == pytest.approx(3.1536)
    # septage: 2.336 + 1.168 + (2.92 x 0.2 x 0.5 = 0.292) = 3.796 t BOD
    assert float(res.sludge_bod_t[0, 0]) == pytest.approx(3.796)


def test_nobody_emptied_keeps_the_whole_septic_load() -> None:
    res = wastewater_emissions(HH, SPALD, 4.0, FACTORS, emptied_hh=np.zeros((1, 1)))
    # aman onsite: 4.672 x 0.3 = 1.4016; no septage, no IPLT CH4
    assert float(res.ch4["aman_onsite"][0, 0]) == pytest.approx(1.4016)
    assert float(res.ch4["iplt"][0, 0]) == 0.0


def test_aerobic_spald_t_with_effluent() -> None:
    aerobic = Pathway(
        mcf=0.03,
        tow_rem=0.84,
        n_rem=0.4,
        ef_n2o=0.016,
        effluent_to_water=True,
        i_factor=1.25,
        f_ind_com=1.25,
    )
    factors = WastewaterFactors(
        **{**FACTORS.__dict__, "pathways": {**FACTORS.pathways, "spald_t": aerobic}}
    )
    res = wastewater_emissions(HH, SPALD, 4.0, factors)
    # TOW = 80 x 0.0146 x 1.25 = 1.46; treatment 1.46 x 0.6 x 0.03 = 0.02628;
    # effluent 1.46 x (1 - 0.84) x 0.6 x 0.11 = 0.0154176; total 0.0416976
    assert float(res.ch4["spald_t"][0, 0]) == pytest.approx(0.0416976)
    # N = 80 x 0.004153140528 x 1.25 = 0.4153140528 t; plant x 0.016 x 44/28 = 0.0104421819;
    # effluent x (1 - 0.4) x 0.005 x 44/28 = 0.0019579091; total 0.0124000910
    assert float(res.n2o["spald_t"][0, 0]) == pytest.approx(0.012400091005)


def test_bau_vs_plan_over_areas_and_years_is_one_call_each() -> None:
    # two kelurahan x two years; the plan moves 50 layak_sendiri households to aman (emptied)
    bau = {r: np.repeat(np.repeat(v, 2, axis=0), 2, axis=1) for r, v in HH.items()}
    plan = dict(bau)
    plan["aman"] = bau["aman"] + np.array([[0.0, 50.0], [0.0, 50.0]])
    plan["layak_sendiri"] = bau["layak_sendiri"] - np.array([[0.0, 50.0], [0.0, 50.0]])
    spald = np.full((2, 2), 20.0)
    b = wastewater_emissions(bau, spald, 4.0, FACTORS)
    p = wastewater_emissions(plan, spald, 4.0, FACTORS)
    # 50 hh = 200 persons, TOW 2.92: without emptying 2.92 x 0.3 = 0.876; emptied:
    # 1.46 x 0.3 = 0.438 in the tank + 1.46 x 0.6 x 0.8 = 0.7008 at the IPLT -> +0.2628
    np.testing.assert_allclose(p.ch4_total - b.ch4_total, [[0.0, 0.2628], [0.0, 0.2628]])
    table = emissions_table(p, ["a", "b"], [2025, 2026], "plan", gwp={"ch4": 28, "n2o": 265})
    assert len(table) == 2 * 2 * len(SOURCES)
    one = table[(table["kode"] == "a") & (table["year"] == 2025)]
    assert one["ch4_t"].sum() == pytest.approx(7.537104)
    assert one["co2e_t"].sum() == pytest.approx(7.537104 * 28 + one["n2o_t"].sum() * 265)
    assert isinstance(table, pd.DataFrame)


def test_spald_t_above_aman_is_rejected() -> None:
    with pytest.raises(ValueError, match="spald_t"):
        wastewater_emissions(HH, np.array([[120.0]]), 4.0, FACTORS)
    with pytest.raises(ValueError, match="rungs"):
        wastewater_emissions({"sewer": np.ones((1, 1))}, 0.0, 4.0, FACTORS)
