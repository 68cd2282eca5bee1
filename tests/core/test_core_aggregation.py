"""Aggregation up the region tree: counts are summed, percentages are ratios of sums."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.model import RUNGS, PlanResult

KEC1 = [f"13.72.01.100{i}" for i in range(1, 8)]


def _rows(df: pd.DataFrame, **match: object) -> pd.DataFrame:
    m = np.ones(len(df), dtype=bool)
    for k, v in match.items():
        m &= (df[k].astype(str) == str(v)).to_numpy()
    return df[m]


def _by_kode(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index(df["kode"].astype(str).to_numpy())


def test_ladder_percentages_are_ratios_of_sums(demo_result: PlanResult) -> None:
    lad = demo_result["ladder"]
    bau24 = _by_kode(_rows(lad, scenario="bau", year=2024))
    # kecamatan Lubuk Sikarah 2024: (872 + 7035 + 777) / 10646 = 8684/10646 = 81.5706 %
    assert bau24.loc["13.72.01", "pct_layak"] == pytest.approx(100 * 8684 / 10646)
    # city: 16331/20087 = 81.3013 %; aman 1637/20087 = 8.1495 %
    assert bau24.loc["13.72", "pct_layak"] == pytest.approx(100 * 16331 / 20087)
    assert bau24.loc["13.72", "pct_aman"] == pytest.approx(100 * 1637 / 20087)
    # ... which is not the plain average of the kelurahan percentages (81.5706 vs mean)
    mean_kel = bau24.loc[KEC1, "pct_layak"].mean()
    assert abs(mean_kel - 100 * 8684 / 10646) > 0.01
    # the same rule in every year and scenario: pct = 100 x sum(numerator) / sum(households)
    plan29 = _rows(lad, scenario="plan", year=2029)
    leaves = plan29[plan29["tingkat"].astype(str) == "kelurahan"]
    city = plan29[plan29["kode"].astype(str) == "13.72"].iloc[0]
    lay = leaves[["hh_aman", "hh_layak_sendiri", "hh_layak_bersama"]].to_numpy().sum()
    assert city["pct_layak"] == pytest.approx(100 * lay / leaves["households"].sum(), rel=1e-12)
    assert city["pct_aman"] == pytest.approx(
        100 * leaves["hh_aman"].sum() / leaves["households"].sum(), rel=1e-12
    )


def test_waste_percentages_are_ratios_of_sums(demo_result: PlanResult) -> None:
    w = demo_result["waste"]
    w25 = _rows(w, scenario="plan", year=2025)
    leaves = w25[w25["tingkat"].astype(str) == "kelurahan"]
    city = w25[w25["kode"].astype(str) == "13.72"].iloc[0]
    assert city["pct_waste_pengurangan"] == pytest.approx(
        100 * leaves["pengurangan_tpd"].sum() / leaves["generated_tpd"].sum(), rel=1e-12
    )
    # base year: 6.13/53.27 = 11.5074 %, 37.56/53.27 = 70.5087 %
    b = _rows(w, scenario="bau", year=2024)
    cb = b[b["kode"].astype(str) == "13.72"].iloc[0]
    assert cb["pct_waste_pengurangan"] == pytest.approx(100 * 6.13 / 53.27)
    assert cb["pct_waste_penanganan"] == pytest.approx(100 * 37.56 / 53.27)
    # unmanaged = 53.27 - 6.13 - 37.56 = 9.58 t/day
    assert cb["unmanaged_tpd"] == pytest.approx(9.58)


def _check_children_sum(df: pd.DataFrame, cols: list[str], keys: list[str]) -> None:
    kode = df["kode"].astype(str)
    ting = df["tingkat"].astype(str)
    leaves = df[ting.isin(["kelurahan", "desa"])]
    for level, width in (("kecamatan", 8), ("kabkota", 5)):
        parents = df[ting == level].copy()
        parents["kode"] = kode[ting == level]
        grouped = (
            leaves.assign(kode=kode[leaves.index].str.slice(0, width))
            .groupby(["kode", *keys], observed=True)[cols]
            .sum()
        )
        got = parents.set_index(["kode", *keys])[cols].sort_index()
        pd.testing.assert_frame_equal(
            got, grouped.sort_index().reindex(got.index), rtol=1e-9, check_names=False
        )


def test_children_sum_to_parents(demo_result: PlanResult) -> None:
    lad = demo_result["ladder"]
    _check_children_sum(lad, [f"hh_{r}" for r in RUNGS] + ["households"], ["scenario", "year"])
    _check_children_sum(demo_result["population"], ["population", "households"], ["year"])
    _check_children_sum(
        demo_result["waste"],
        ["generated_tpd", "pengurangan_tpd", "penanganan_tpd"],
        ["scenario", "year"],
    )
    needs = demo_result["needs_ald"]
    _check_children_sum(
        needs,
        [
            c
            for c in needs.columns
            if c.endswith(("_hh", "_tank", "upgrade", "enrolment", "connection"))
        ],
        ["year"],
    )
    # 2024 kelurahan households sum to the observed kecamatan and city totals
    p = demo_result["population"]
    p24 = _by_kode(p[p["year"] == 2024])
    assert p24.loc["13.72.01", "households"] == pytest.approx(10646)
    assert p24.loc["13.72.02", "households"] == pytest.approx(9441)
    assert p24.loc["13.72", "households"] == pytest.approx(20087)
