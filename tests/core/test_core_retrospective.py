"""Retrospective gap of the demo (targets in or before the base year vs the actual)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.model import PlanResult


@pytest.fixture(scope="module")
def retro(demo_result: PlanResult) -> pd.DataFrame:
    return demo_result["retrospective"].set_index(["target_set", "indicator", "year"])


def test_rpjmn_2024_layak(retro: pd.DataFrame) -> None:
    r = retro.loc[("RPJMN_2020_2024", "pct_layak", 2024)]
    # actual = (aman 1637 + layak_sendiri 13031 + layak_bersama 1663) / 20087 = 16331/20087
    #        = 81.3013 %; gap = 90 - 81.3013 = 8.6987 points;
    # households = 0.90 x 20087 - 16331 = 18078.3 - 16331 = 1747.3
    assert r["actual_pct"] == pytest.approx(100 * 16331 / 20087)
    assert r["actual_pct"] == pytest.approx(81.30, abs=0.005)
    assert r["gap_pts"] == pytest.approx(8.70, abs=0.005)
    assert r["gap_units"] == pytest.approx(1747.3)
    assert (r["unit"], r["data"]) == ("households", "ok")


def test_rpjmn_2024_aman(retro: pd.DataFrame) -> None:
    r = retro.loc[("RPJMN_2020_2024", "pct_aman", 2024)]
    # actual = 1637/20087 = 8.1495 %; gap = 15 - 8.1495 = 6.8505 points;
    # households = 0.15 x 20087 - 1637 = 3013.05 - 1637 = 1376.05
    assert r["actual_pct"] == pytest.approx(100 * 1637 / 20087)
    assert r["gap_pts"] == pytest.approx(15 - 100 * 1637 / 20087)
    assert r["gap_pts"] == pytest.approx(6.85, abs=0.005)
    assert r["gap_units"] == pytest.approx(1376.05)


def test_rpjmn_2024_open_defecation(retro: pd.DataFrame) -> None:
    r = retro.loc[("RPJMN_2020_2024", "pct_babs_terbuka", 2024)]
    # ODF city: 0 / 20087 = 0 % against a 0 % target -> no gap
    assert (r["actual_pct"], r["gap_pts"], r["gap_units"]) == (0.0, 0.0, 0.0)


def test_household_waste_service_has_no_data(retro: pd.DataFrame) -> None:
    r = retro.loc[("RPJMN_2020_2024", "pct_hh_waste_served", 2024)]
    # household-based waste service is never guessed from tonnage shares
    assert r["data"] == "no_data"
    assert np.isnan(r["actual_pct"]) and np.isnan(r["gap_pts"]) and np.isnan(r["gap_units"])
    assert r["target_pct"] == 100.0


def test_jakstranas_2021(retro: pd.DataFrame) -> None:
    p = retro.loc[("JAKSTRANAS_2025", "pct_waste_pengurangan", 2021)]
    # pengurangan 2021: 4.69/50.75 = 9.2414 %; gap 24 - 9.2414 = 14.7586 points;
    # t/day = 0.24 x 50.75 - 4.69 = 12.18 - 4.69 = 7.49
    assert p["actual_pct"] == pytest.approx(100 * 4.69 / 50.75)
    assert p["gap_pts"] == pytest.approx(24 - 100 * 4.69 / 50.75)
    assert p["gap_units"] == pytest.approx(7.49)
    assert p["unit"] == "t/day"
    h = retro.loc[("JAKSTRANAS_2025", "pct_waste_penanganan", 2021)]
    # penanganan 2021: 34.26/50.75 = 67.5074 %; gap 6.4926; 0.74 x 50.75 - 34.26 = 3.295 t/day
    assert h["gap_units"] == pytest.approx(3.295)


def test_only_targets_in_or_before_base_year(demo_result: PlanResult) -> None:
    r = demo_result["retrospective"]
    assert (r["year"] <= 2024).all()
    # the Jakstranas 2017 points are baselines, not targets
    assert 2017 not in r["year"].tolist()
    assert set(r["target_set"]) == {"RPJMN_2020_2024", "JAKSTRANAS_2025"}
    assert len(r) == 6
