"""Target sets, planning trajectory, binding set and area paths (``sanitasi.core.targets``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core import targets as tg
from sanitasi.core.model import PlanInputs, PlanOptions, PlanResult

CITY = "13.72"


def _targets(rows: list[tuple[str, str, int, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["target_set", "indicator", "year", "kind", "value", "scope_kode"]
    )


T = _targets(
    [
        # the city's own sasaran (2025, 2027) and another city's, which must never leak in
        ("LOCAL", "pct_aman", 2025, "target", 12.0, CITY),
        ("LOCAL", "pct_aman", 2027, "target", 20.0, CITY),
        ("LOCAL", "pct_aman", 2026, "target", 90.0, "13.71"),
        # two national sets
        ("A", "pct_aman", 2024, "target", 99.0, ""),  # in the base year: retrospective only
        ("A", "pct_aman", 2026, "target", 15.0, ""),
        ("A", "pct_aman", 2027, "target", 25.0, ""),
        ("A", "pct_aman", 2030, "target", 30.0, ""),
        ("A", "pct_aman", 2035, "target", 50.0, ""),
        ("B", "pct_aman", 2027, "target", 18.0, ""),
        ("B", "pct_aman", 2030, "target", 35.0, ""),
        ("B", "pct_aman", 2035, "target", 50.0, ""),
        ("B", "pct_aman", 2040, "baseline", 95.0, ""),  # a baseline point is never a target
        # lower is better
        ("A", "pct_babs_terbuka", 2026, "target", 5.0, ""),
        ("B", "pct_babs_terbuka", 2026, "target", 2.0, ""),
        ("A", "pct_babs_terbuka", 2030, "target", 0.0, ""),
        ("B", "pct_babs_terbuka", 2030, "target", 1.0, ""),
    ]
)


def test_local_then_national_after_local_last_year() -> None:
    p = tg.trajectory_points(T, ["LOCAL", "A", "B"], CITY, "pct_aman", 2024)
    # LOCAL covers 2025 and 2027 (the A 2026 and 2027 points are inside its span: not used);
    # after 2027: 2030 max(A 30, B 35) = 35 (B); 2035 max(50, 50) = 50 (A and B tie);
    # B's 2040 point is a baseline -> ignored; A's 2024 point is not after the base year.
    assert p.years.tolist() == [2025, 2027, 2030, 2035]
    assert p.values.tolist() == [12.0, 20.0, 35.0, 50.0]
    assert p.binding == ("LOCAL", "LOCAL", "B", "A / B")


def test_without_local_strictest_per_year() -> None:
    expected_years = [2026, 2027, 2030, 2035]
    # 2026 A 15 (only A); 2027 max(A 25, B 18) = 25 (A); 2030 max(30, 35) = 35 (B); 2035 tie
    expected_vals = [15.0, 25.0, 35.0, 50.0]
    for sets, city in ((["A", "B"], CITY), (["LOCAL", "A", "B"], "13.73")):
        # LOCAL not selected, or selected but the city has no LOCAL rows
        p = tg.trajectory_points(T, sets, city, "pct_aman", 2024)
        assert p.years.tolist() == expected_years
        assert p.values.tolist() == expected_vals
        assert p.binding == ("A", "A", "B", "A / B")


def test_lowest_for_open_defecation() -> None:
    p = tg.trajectory_points(T, ["A", "B"], CITY, "pct_babs_terbuka", 2024)
    # lower is better: 2026 min(5, 2) = 2 (B); 2030 min(0, 1) = 0 (A)
    assert tg.lower_is_better("pct_babs_terbuka") and not tg.lower_is_better("pct_aman")
    assert p.years.tolist() == [2026, 2030]
    assert p.values.tolist() == [2.0, 0.0]
    assert p.binding == ("B", "A")


def test_baseline_points_are_ignored() -> None:
    p = tg.trajectory_points(T, ["B"], CITY, "pct_aman", 2024)
    # B alone: 2027 18, 2030 35, 2035 50; the 2040 baseline (95) is not a point
    assert p.years.tolist() == [2027, 2030, 2035]
    assert 95.0 not in p.values.tolist()


def test_no_points() -> None:
    p = tg.trajectory_points(T, ["A"], CITY, "pct_layak", 2024)
    assert len(p.years) == 0
    assert tg.binding_by_year(p, np.arange(2024, 2027)) == ["", "", ""]


def test_binding_by_year() -> None:
    p = tg.trajectory_points(T, ["LOCAL", "A", "B"], CITY, "pct_aman", 2024)
    years = np.arange(2024, 2038)
    # each year is bound by the set of the next point the path heads to; after the last
    # point, by the last point's set
    expected = (
        ["LOCAL"] * 4  # 2024..2027 head to 2025 / 2027 (LOCAL)
        + ["B"] * 3  # 2028..2030 head to 2030 (B)
        + ["A / B"] * 7  # 2031..2035 head to 2035, 2036..2037 held after it
    )
    assert tg.binding_by_year(p, years) == expected


def test_set_points_one_set_alone() -> None:
    p = tg.set_points(T, "LOCAL", CITY, "pct_aman", 2024)
    assert p.years.tolist() == [2025, 2027]
    q = tg.set_points(T, "A", "", "pct_aman", 2024)
    assert q.values.tolist() == [15.0, 25.0, 30.0, 50.0]


def test_paths_linear_from_own_base_share_then_held() -> None:
    pts = tg.Points(np.array([2026, 2028]), np.array([20.0, 40.0]), ("X", "X"))
    none = tg.Points(np.array([], dtype=int), np.array([], dtype=float), ())
    base = np.array([0.10, 0.30, np.nan, 0.20])
    city_inv = np.array([0, 0, 0, 1])  # three areas of city 0, one of city 1 (no points)
    years = np.arange(2024, 2031)
    out = tg.paths(base, city_inv, [pts, none], years, 2024)
    # area 0: 0.10 at 2024, 0.10 + (0.20 - 0.10) * 1/2 = 0.15 at 2025, 0.20 at 2026,
    # interpolated 0.30 at 2027, 0.40 at 2028, held at 0.40 in 2029 and 2030
    np.testing.assert_allclose(out[0], [0.10, 0.15, 0.20, 0.30, 0.40, 0.40, 0.40])
    # area 1 starts above the first point: 0.30, 0.30 + (0.20 - 0.30)/2 = 0.25, 0.20, ...
    np.testing.assert_allclose(out[1], [0.30, 0.25, 0.20, 0.30, 0.40, 0.40, 0.40])
    # a city without points -> no requirement
    assert np.isnan(out[3]).all()
    # no base share: NaN up to the first point (the NaN-base case is checked below)
    assert np.isnan(out[2][:2]).all()


def test_paths_nan_base_share_gives_nan_path() -> None:
    pts = tg.Points(np.array([2026, 2028]), np.array([20.0, 40.0]), ("X", "X"))
    out = tg.paths(np.array([np.nan]), np.array([0]), [pts], np.arange(2024, 2031), 2024)
    assert np.isnan(out).all()


def test_paths_first_point_right_after_base() -> None:
    pts = tg.Points(np.array([2025]), np.array([50.0]), ("X",))
    out = tg.paths(np.array([0.2]), np.array([0]), [pts], np.arange(2024, 2028), 2024)
    # 0.2 in the base year, then the point (0.5) held flat
    np.testing.assert_allclose(out[0], [0.2, 0.5, 0.5, 0.5])


def test_default_target_sets_demo(demo: tuple[PlanInputs, PlanOptions]) -> None:
    inputs, _ = demo
    t = inputs.targets
    # every set with a target in (2024, 2045] or a retrospective target (<= 2024); LOCAL first
    assert tg.default_target_sets(t, ["13.72"], 2024, 2045) == (
        "LOCAL",
        "JAKSTRANAS_2025",
        "RPJMN_2020_2024",
        "RPJMN_2025_2029",
        "SDG_2030",
        "VISI_2045",
    )
    # horizon 2029: SDG 2030 and VISI 2045 have no point inside, RPJMN 2020-2024 stays (retro)
    assert tg.default_target_sets(t, ["13.72"], 2024, 2029) == (
        "LOCAL",
        "JAKSTRANAS_2025",
        "RPJMN_2020_2024",
        "RPJMN_2025_2029",
    )
    # LOCAL only when one of the cities has it
    assert "LOCAL" not in tg.default_target_sets(t, ["13.71"], 2024, 2045)


def test_default_target_sets_baseline_only_set_excluded() -> None:
    t = _targets(
        [("Z", "pct_aman", 2030, "baseline", 10.0, ""), ("A", "pct_aman", 2030, "target", 1.0, "")]
    )
    assert tg.default_target_sets(t, ["13.72"], 2024, 2045) == ("A",)


def test_demo_trajectory_table(demo_result: PlanResult) -> None:
    tr = demo_result["trajectory"]

    def row(ind: str, year: int) -> pd.Series:
        return tr[(tr["indicator"] == ind) & (tr["year"] == year)].iloc[0]

    # LOCAL pct_layak 2025..2029 (83..90), then SDG 2030 100 held to 2045
    assert row("pct_layak", 2026)["value_pct"] == pytest.approx(85.0)
    assert row("pct_layak", 2026)["binding_set"] == "LOCAL"
    assert row("pct_layak", 2030)["value_pct"] == pytest.approx(100.0)
    assert row("pct_layak", 2045)["binding_set"] == "SDG_2030"
    # pct_aman: LOCAL 22 in 2029 (RPJMN 2025-2029's 30 is inside LOCAL's span: not used),
    # SDG 2030 30, then linear to VISI 2045 70: 2031 = 30 + 40 * 1/15 = 32.6667
    assert row("pct_aman", 2029)["value_pct"] == pytest.approx(22.0)
    assert row("pct_aman", 2030)["binding_set"] == "SDG_2030"
    assert row("pct_aman", 2031)["value_pct"] == pytest.approx(30 + 40 / 15)
    assert row("pct_aman", 2031)["binding_set"] == "VISI_2045"
    # base year: the city's own share 1637/20087 = 8.1495 %
    assert row("pct_aman", 2024)["value_pct"] == pytest.approx(100 * 1637 / 20087)
    # no LOCAL pct_waste_managed: Jakstranas 2025 100 % binds
    assert row("pct_waste_managed", 2027)["binding_set"] == "JAKSTRANAS_2025"
