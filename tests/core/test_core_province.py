"""Province roll-up: ratios of sums, never means of ratios (docs/METHOD.md §17)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitasi.core.province import SUM_COLUMNS, city_shares, ratio_of_sums


def _row(city: str, prov: str, den: float, num: float, **kw: float) -> dict[str, object]:
    base = dict.fromkeys(SUM_COLUMNS, 0.0)
    base.update(base_den=den, base_num=num, end_den=den, target_num=num, bau_num=num)
    base.update(kw)
    return {"city_kode": city, "province_kode": prov, "indicator": "pct_layak", **base}


def test_ratio_of_sums_by_hand() -> None:
    # 1,000 households at 80 % and 3,000 at 60 %: (800 + 1,800) / 4,000 = 65 %, not 70 %
    df = pd.DataFrame(
        [
            _row("13.71", "13", 1000, 800, national_num=900, gap_units=100),
            _row("13.72", "13", 3000, 1800, national_num=2700, gap_units=900),
        ]
    )
    out = ratio_of_sums(df, "province_kode").set_index("indicator").loc["pct_layak"]
    assert out["baseline_pct"] == pytest.approx(65.0)
    assert out["national_pct"] == pytest.approx(90.0)  # (900 + 2,700) / 4,000
    assert out["gap_pts"] == pytest.approx(25.0)  # 90 - 65
    assert out["gap_units"] == pytest.approx(1000.0)
    assert out["cities"] == 2
    shares = city_shares(df).set_index("city_kode")
    assert shares.loc["13.71", "baseline_pct"] == pytest.approx(80.0)
    assert shares.loc["13.72", "gap_pts"] == pytest.approx(30.0)


def test_national_target_of_some_cities_only() -> None:
    # only 13.71 has a national target (90 % of 1,000): the province's national share and
    # gap are over 13.71 alone, never diluted by 13.72's households nor shown as met
    df = pd.DataFrame(
        [
            _row("13.71", "13", 1000, 600, national_num=900, gap_units=300),
            _row("13.72", "13", 3000, 2400, national_num=float("nan"), gap_units=float("nan")),
        ]
    )
    out = ratio_of_sums(df, "province_kode").iloc[0]
    assert out["baseline_pct"] == pytest.approx(75.0)  # 3,000 / 4,000
    assert out["national_pct"] == pytest.approx(90.0)
    assert out["gap_pts"] == pytest.approx(30.0)  # 90 - 60
    assert out["gap_units"] == pytest.approx(300.0)
    none = ratio_of_sums(df.assign(national_num=float("nan")), "province_kode").iloc[0]
    assert pd.isna(none["national_pct"]) and pd.isna(none["gap_pts"])


def test_missing_national_target_and_zero_households() -> None:
    df = pd.DataFrame([_row("13.71", "13", 0, 0, national_num=float("nan"))])
    out = ratio_of_sums(df, "province_kode").iloc[0]
    assert pd.isna(out["baseline_pct"]) and pd.isna(out["national_pct"])
    assert ratio_of_sums(df.iloc[0:0], "province_kode").empty


@settings(deadline=None)  # pandas on a loaded machine: no wall-clock limit
@given(st.lists(st.tuples(st.integers(1, 10**6), st.floats(0, 1)), min_size=1, max_size=30))
def test_province_share_is_the_household_weighted_mean(cities: list[tuple[int, float]]) -> None:
    rows = [_row(f"13.{i:02d}", "13", den, den * share) for i, (den, share) in enumerate(cities)]
    df = pd.DataFrame(rows)
    got = float(ratio_of_sums(df, "province_kode")["baseline_pct"].iloc[0])
    total = sum(d for d, _s in cities)
    expected = 100.0 * sum(d * s for d, s in cities) / total
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)
    shares = [100.0 * s for _d, s in cities]
    assert min(shares) - 1e-9 <= got <= max(shares) + 1e-9
