"""Target sets, planning trajectory, binding set and area paths (``sanitasi.core.targets``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
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


def _pts(years: list[int], values: list[float], sets: list[str]) -> tg.Points:
    return tg.Points(np.array(years), np.array(values, dtype=float), tuple(sets))


def test_area_paths_proportional_gap_closure_three_kelurahan() -> None:
    # LOCAL milestones 74 / 78 / 82 (2025-2027) form one run: its anchor is 82 in 2027.
    pts = _pts([2025, 2026, 2027], [74.0, 78.0, 82.0], ["LOCAL"] * 3)
    assert pts.anchor == (False, False, True)
    base = np.array([0.50, 0.80, 0.95])
    area, city = tg.area_paths(
        base, np.zeros(3, dtype=int), np.array([0.70]), [pts], np.arange(2024, 2029), 2024
    )
    # the city closes (74 - 70) / (82 - 70) = 1/3 of its gap by 2025, 2/3 by 2026, all by 2027
    np.testing.assert_allclose(city[0], [0.70, 0.74, 0.78, 0.82, 0.82])
    # kelurahan at 50: gap 32 points -> 50 + 32/3 = 60.667, 71.333, 82, held at 82
    np.testing.assert_allclose(area[0], [0.50, 0.50 + 0.32 / 3, 0.50 + 0.64 / 3, 0.82, 0.82])
    # kelurahan at 80: gap 2 points -> 80.667, 81.333, 82
    np.testing.assert_allclose(area[1], [0.80, 0.80 + 0.02 / 3, 0.80 + 0.04 / 3, 0.82, 0.82])
    # kelurahan at 95 is above the anchor: it holds (never regresses to the milestones)
    np.testing.assert_allclose(area[2], [0.95] * 5)
    # no front-loading: the lowest kelurahan adds 10.667 points every year of the run
    np.testing.assert_allclose(np.diff(area[0])[:3], [0.32 / 3] * 3)


def test_area_paths_two_runs_and_city_above_target() -> None:
    # two sets: A 60 in 2026 (anchor), B 90 in 2028 (anchor)
    pts = _pts([2026, 2028], [60.0, 90.0], ["A", "B"])
    base = np.array([0.40, 0.70])
    area, city = tg.area_paths(
        base, np.zeros(2, dtype=int), np.array([0.50]), [pts], np.arange(2024, 2030), 2024
    )
    # run 1 (to A 60): the city closes (55-50)/(60-50) = 1/2 in 2025, all in 2026
    np.testing.assert_allclose(city[0][:3], [0.50, 0.55, 0.60])
    np.testing.assert_allclose(area[0][:3], [0.40, 0.50, 0.60])
    np.testing.assert_allclose(area[1][:3], [0.70, 0.70, 0.70])  # above A: holds
    # run 2 (to B 90 from 2026): the city closes (75-60)/(90-60) = 1/2 in 2027, all in 2028;
    # kelurahan at 60 -> 75 -> 90, kelurahan at 70 -> 80 -> 90; flat after the last anchor
    np.testing.assert_allclose(city[0][3:], [0.75, 0.90, 0.90])
    np.testing.assert_allclose(area[0][3:], [0.75, 0.90, 0.90])
    np.testing.assert_allclose(area[1][3:], [0.80, 0.90, 0.90])


def test_area_paths_city_already_past_the_target_holds() -> None:
    # city at 72 % against a 70 % target: the city holds 72; a kelurahan at 60 still closes
    # its own gap, linearly in time (the city has no gap to pace it): 65 in 2025, 70 in 2026
    pts = _pts([2026], [70.0], ["A"])
    area, city = tg.area_paths(
        np.array([0.60, 0.80]),
        np.zeros(2, dtype=int),
        np.array([0.72]),
        [pts],
        np.arange(2024, 2028),
        2024,
    )
    np.testing.assert_allclose(city[0], [0.72] * 4)
    np.testing.assert_allclose(area[0], [0.60, 0.65, 0.70, 0.70])
    np.testing.assert_allclose(area[1], [0.80] * 4)


def test_area_paths_lower_is_better_and_missing_data() -> None:
    # open defecation: city 6 % -> 2 % (2026, B) -> 0 % (2030, A)
    pts = _pts([2026, 2030], [2.0, 0.0], ["B", "A"])
    base = np.array([0.05, 0.0, np.nan])
    area, city = tg.area_paths(
        base, np.zeros(3, dtype=int), np.array([0.06]), [pts], np.arange(2024, 2031), 2024, True
    )
    # city: 6 -> 4 -> 2 (run B), then 2 -> 1.5 -> 1 -> 0.5 -> 0 (run A)
    np.testing.assert_allclose(city[0], [0.06, 0.04, 0.02, 0.015, 0.01, 0.005, 0.0])
    # the area at 5 %: half of its gap to 2 % in 2025 (3.5 %), then 2 %, then to 0 %
    np.testing.assert_allclose(area[0], [0.05, 0.035, 0.02, 0.015, 0.01, 0.005, 0.0])
    np.testing.assert_allclose(area[1], [0.0] * 7)  # already at 0: holds
    assert np.isnan(area[2]).all()  # no base share -> no path
    # a city without points: no requirement (NaN)
    a2, c2 = tg.area_paths(
        np.array([0.3]), np.array([0]), np.array([0.3]), [tg.NO_POINTS], np.arange(2024, 2027), 2024
    )
    assert np.isnan(a2).all() and np.isnan(c2).all()


def test_held_target_caught_up_by_period_end() -> None:
    t = _targets(
        [
            ("J", "pct_waste_pengurangan", 2021, "target", 24.0, ""),
            ("J", "pct_waste_pengurangan", 2025, "target", 30.0, ""),
            ("S", "pct_layak", 2030, "target", 100.0, ""),
            ("R", "pct_layak", 2024, "target", 90.0, ""),
        ]
    )
    # base 2025 (an SSK updated today): Jakstranas 2025 is in the base year; no later point ->
    # it is caught up by the end of the period (2030) and held after
    p = tg.trajectory_points(t, ["J"], CITY, "pct_waste_pengurangan", 2025, 2030)
    assert p.years.tolist() == [2030] and p.values.tolist() == [30.0]
    assert p.binding == ("J",) and p.held == (True,)
    # without a period end nothing is held (points after the base year only)
    assert len(tg.trajectory_points(t, ["J"], CITY, "pct_waste_pengurangan", 2025).years) == 0
    # base 2024: the 2025 point replaces the 2021 one (it lies within the period)
    q = tg.trajectory_points(t, ["J"], CITY, "pct_waste_pengurangan", 2024, 2029)
    assert q.years.tolist() == [2025] and q.held == (False,)
    # RPJMN 2024 layak 90 (missed or not) held to 2029; SDG 2030 100 comes after the period
    r = tg.trajectory_points(t, ["R", "S"], CITY, "pct_layak", 2024, 2029)
    assert r.years.tolist() == [2029, 2030] and r.values.tolist() == [90.0, 100.0]
    assert r.held == (True, False) and r.binding == ("R", "S")
    # a LOCAL point inside the period says otherwise: no held point
    tl = pd.concat([t, _targets([("LOCAL", "pct_layak", 2027, "target", 85.0, CITY)])])
    r2 = tg.trajectory_points(tl, ["LOCAL", "R", "S"], CITY, "pct_layak", 2024, 2029)
    assert r2.years.tolist() == [2027, 2030] and r2.held == (False, False)


def test_cliff_warning_rule() -> None:
    # 80 -> 90 over 2025-2029 (mean 2 points/year), then 100 in 2030 (+10 = 5 x the mean)
    path = np.array([[80, 82, 84, 86, 88, 90, 100, 100]]) / 100.0
    years = np.arange(2024, 2032)
    cl = tg.cliffs(path, years, (2025, 2029), 2024, False, 3.0, 1.0)
    assert [(c.city, c.year) for c in cl] == [(0, 2030)]
    assert cl[0].increase_pts == pytest.approx(10.0) and cl[0].mean_pts == pytest.approx(2.0)
    # 3 x 2 = 6 points: an increase of 6 is not a cliff, and below min_pts nothing is
    six = np.array([[80, 82, 84, 86, 88, 90, 96, 96]]) / 100.0
    assert not tg.cliffs(six, years, (2025, 2029), 2024, False, 3.0, 1.0)
    assert not tg.cliffs(path, years, (2025, 2029), 2024, False, 3.0, 11.0)
    # lower is better: a fall of 6 points in one year against a mean fall of 1
    babs = np.array([[6, 5, 4, 3, 2, 1, 1, 1]]) / 100.0
    assert not tg.cliffs(babs, years, (2025, 2029), 2024, True, 3.0, 1.0)
    babs2 = np.array([[6, 6, 6, 6, 6, 6, 0, 0]]) / 100.0
    cl2 = tg.cliffs(babs2, years, (2025, 2029), 2024, True, 3.0, 1.0)
    assert [c.year for c in cl2] == [2030]


def test_local_below_national() -> None:
    t = _targets(
        [
            ("LOCAL", "pct_aman", 2029, "target", 22.0, CITY),
            ("N", "pct_aman", 2029, "target", 30.0, ""),
            ("LOCAL", "pct_layak", 2029, "target", 95.0, CITY),
            ("N", "pct_layak", 2029, "target", 90.0, ""),
            ("LOCAL", "pct_babs_terbuka", 2026, "target", 3.0, CITY),
            ("N", "pct_babs_terbuka", 2026, "target", 0.0, ""),
            ("N", "pct_aman", 2028, "target", 99.0, ""),  # no LOCAL point that year
        ]
    )
    low = tg.local_below_national(t, ["LOCAL", "N"], [CITY])
    # aman 22 < 30; BABS 3 > 0 (lower is better); layak 95 >= 90 is fine
    assert low[["indicator", "year", "local_pct", "national_pct"]].values.tolist() == [
        ["pct_aman", 2029, 22.0, 30.0],
        ["pct_babs_terbuka", 2026, 3.0, 0.0],
    ]
    # the national set not selected: no comparison
    assert tg.local_below_national(t, ["LOCAL"], [CITY]).empty


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
    # then linear to VISI 2045 70 (SDG 6.2 sets no numeric aman target):
    # 2031 = 22 + 48 x 2/16 = 28
    assert row("pct_aman", 2029)["value_pct"] == pytest.approx(22.0)
    assert row("pct_aman", 2030)["binding_set"] == "VISI_2045"
    assert row("pct_aman", 2031)["value_pct"] == pytest.approx(28.0)
    # base year: the city's own share 1637/20087 = 8.1495 %
    assert row("pct_aman", 2024)["value_pct"] == pytest.approx(100 * 1637 / 20087)
    # pct_waste_managed is the sum of the pengurangan and penanganan paths: LOCAL 2029
    # pengurangan 28 + penanganan held at its base 70.51 % (LOCAL's 70 is met) = 98.51
    pe = row("pct_waste_pengurangan", 2029)["value_pct"]
    pa = row("pct_waste_penanganan", 2029)["value_pct"]
    assert pe == pytest.approx(28.0)
    assert row("pct_waste_managed", 2029)["value_pct"] == pytest.approx(pe + pa)
    assert row("pct_waste_managed", 2027)["binding_set"] == "LOCAL"


@st.composite
def _path_case(draw: st.DrawFn) -> tuple:
    """Random areas, cities and points for area_paths (some cities without points, some
    areas without data)."""
    n_city = draw(st.integers(1, 4))
    inv = np.sort(np.array(draw(st.lists(st.integers(0, n_city - 1), min_size=1, max_size=12))))
    share = st.one_of(st.just(float("nan")), st.floats(0.0, 1.0))
    base = np.array([draw(share) for _ in inv])
    city_base = np.array([draw(share) for _ in range(n_city)])
    pts = []
    for _ in range(n_city):
        years = sorted(draw(st.sets(st.integers(2025, 2050), max_size=3)))
        values = [draw(st.floats(0.0, 100.0)) for _ in years]
        binding = tuple(draw(st.sampled_from(["A", "B"])) for _ in years)
        pts.append(tg.Points(np.array(years, dtype=int), np.array(values), binding))
    if draw(st.booleans()):
        pts = [pts[0]] * n_city  # every city on the same points (the national run)
    columns = np.array(sorted(draw(st.sets(st.integers(0, 20), min_size=1, max_size=4))))
    return base, inv, city_base, pts, draw(st.booleans()), columns


@given(_path_case())
@settings(max_examples=examples(300), deadline=None)
def test_area_paths_at_some_columns_equal_the_full_paths(case: tuple) -> None:
    # The gap tables ask area_paths for the point years only: same values as the full run.
    base, inv, city_base, pts, lower, columns = case
    years = np.arange(2024, 2045)
    full_area, full_city = tg.area_paths(base, inv, city_base, pts, years, 2024, lower)
    area, city = tg.area_paths(base, inv, city_base, pts, years, 2024, lower, columns=columns)
    np.testing.assert_array_equal(area, full_area[:, columns])
    np.testing.assert_array_equal(city, full_city)


def _reference_points(
    targets: pd.DataFrame, sets: list[str], city: str, ind: str, b: int, p1: int | None
) -> tg.Points:
    """The pandas formulation of trajectory_points before issue 10 (kept as the reference
    of the plain-Python one: same points, values, binding sets and held flags)."""
    t = targets[
        (targets["kind"] == "target")
        & (targets["indicator"] == ind)
        & targets["target_set"].isin(list(sets))
    ]
    scope = t["scope_kode"].fillna("").astype(str)
    local_rows = t["target_set"] == tg.LOCAL
    keep = (~local_rows & (scope == "")) | (local_rows & (scope == city) & (city != ""))
    rows = t.loc[keep, ["target_set", "year", "value"]]
    after = rows[rows["year"] > b]
    local = after[after["target_set"] == tg.LOCAL]
    national = after[after["target_set"] != tg.LOCAL]
    if not local.empty:
        national = national[national["year"] > int(local["year"].max())]
    cand = pd.concat([local, national], ignore_index=True).assign(held=False)
    if p1 is not None and p1 > b:
        replaced = bool(((after["year"] > b) & (after["year"] <= p1)).any())
        retro = rows[rows["year"] <= b]
        if not replaced and not retro.empty:
            latest = retro.sort_values("year").groupby("target_set", as_index=False).last()
            cand = pd.concat([cand, latest.assign(year=int(p1), held=True)], ignore_index=True)
    if cand.empty:
        return tg.NO_POINTS
    lower = tg.lower_is_better(ind)
    best = cand.groupby("year")["value"].min() if lower else cand.groupby("year")["value"].max()
    binding, held = [], []
    for y, v in best.items():
        r = cand[(cand["year"] == y) & np.isclose(cand["value"], v)]
        binding.append(" / ".join(sorted(set(r["target_set"]))))
        held.append(bool(r["held"].all()))
    return tg.Points(
        best.index.to_numpy(dtype=int), best.to_numpy(dtype=float), tuple(binding), tuple(held)
    )


@st.composite
def _targets_case(draw: st.DrawFn) -> tuple:
    n = draw(st.integers(0, 14))
    rows = [
        {
            "target_set": draw(st.sampled_from(["LOCAL", "A", "B", "C"])),
            "indicator": draw(st.sampled_from(["pct_layak", "pct_babs_terbuka"])),
            "kind": draw(st.sampled_from(["target", "target", "baseline"])),
            "year": draw(st.integers(2018, 2040)),
            "value": draw(st.sampled_from([10.0, 50.0, 50.000001, 80.0, 100.0])),
            "scope_kode": draw(st.sampled_from(["", "13.72", "13.71", None])),
        }
        for _ in range(n)
    ]
    df = pd.DataFrame(
        rows, columns=["target_set", "indicator", "kind", "year", "value", "scope_kode"]
    ).drop_duplicates(["target_set", "indicator", "year", "scope_kode"])
    df["year"] = df["year"].astype("int64")
    sets = draw(st.lists(st.sampled_from(["LOCAL", "A", "B", "C"]), min_size=1, unique=True))
    p1 = draw(st.sampled_from([None, 2029, 2024]))
    return (
        df,
        sets,
        draw(st.sampled_from(["13.72", ""])),
        draw(st.sampled_from(["pct_layak", "pct_babs_terbuka"])),
        p1,
    )


@given(_targets_case())
@settings(max_examples=examples(300), deadline=None)
def test_trajectory_points_equal_the_pandas_formulation(case: tuple) -> None:
    df, sets, city, ind, p1 = case
    got = tg.trajectory_points(df, sets, city, ind, 2024, p1)
    ref = _reference_points(df, sets, city, ind, 2024, p1)
    np.testing.assert_array_equal(got.years, ref.years)
    np.testing.assert_array_equal(got.values, ref.values)
    assert got.binding == ref.binding and got.held == ref.held
