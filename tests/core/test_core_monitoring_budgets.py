"""Monitoring as budgets work (issue 9, item 8): absorption of APBD Kab/Kota and DAK money,
investment by source, the ``completion`` profile with progres fisik, the adoption quarter and
the quarters that have not started. Reference parameters: linear 0.25/0.50/0.75/1, apbd
0.15/0.40/0.70/1, completion 0.10/0.35/0.70/1, bands 91/76/66/51."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from programme_helpers import activity_row, monitoring_params, programme, small

from hypothesis_profiles import examples
from sanitasi.core.model import ParameterSet
from sanitasi.core.monitoring import (
    ABSORPTION_SOURCES,
    INVESTMENT_SOURCES,
    NOT_ADOPTED_QUARTER,
    W_BEHIND,
    W_NO_REPORT,
    activity_shares,
    adoption_quarter,
    forecast_outputs,
    monitor,
    physical_realised,
    quarter_not_started,
    quarter_start,
    quarterly_series,
)
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.roles import agency_owes
from sanitasi.messages import render as render_warning

M = 1_000_000.0


@pytest.fixture(scope="module")
def params() -> ParameterSet:
    return monitoring_params()


def row(df: pd.DataFrame, code: str) -> pd.Series:
    r = df[df["code"] == code]
    assert len(r) == 1
    return r.iloc[0]


def with_progress(
    prog: ProgrammeInputs, progress: dict[tuple[str, int, int], float]
) -> ProgrammeInputs:
    """``prog`` with a ``progress_pct`` column (NaN except the given keys)."""
    r = prog.realisation.copy()
    keys = list(zip(r["activity_code"], r["year"], r["quarter"], strict=True))
    r["progress_pct"] = [progress.get(k, np.nan) for k in keys]
    return replace(prog, realisation=r)


def with_adoption(prog: ProgrammeInputs, adopted: dict[str, str]) -> ProgrammeInputs:
    a = prog.activities.copy()
    a["adopted_on"] = pd.to_datetime(a["code"].map(adopted), format="%Y-%m-%d")
    return replace(prog, activities=a)


# ----------------------------------------------------------------------------- absorption


def test_sources_split() -> None:
    assert ABSORPTION_SOURCES == ("APBD_KOTA", "DAK")
    assert INVESTMENT_SOURCES == ("APBN", "APBD_PROV", "SWASTA", "MASYARAKAT")


def test_dak_is_absorption_prov_is_investment_by_source(params: ParameterSet) -> None:
    m = monitor(small(), params, 2026, 2)
    src = m.by_source.set_index("funding_source")
    # A1 APBD_KOTA: 190 m of the 600 m pagu; A2 DAK: 10 m of 40 m; A3 APBD_PROV: 12 m spent
    # with nothing planned in 2026 -> investment of the provincial budget
    assert list(src.index) == ["DAK", "APBD_PROV", "APBD_KOTA"]
    assert src.loc["DAK", "money_kind"] == "absorption"
    assert src.loc["DAK", "absorption_pct"] == pytest.approx(10 / 40 * 100)
    assert src.loc["DAK", "investment_idr"] == 0
    assert src.loc["APBD_PROV", "money_kind"] == "investment"
    assert math.isnan(src.loc["APBD_PROV", "absorption_pct"])
    assert src.loc["APBD_PROV", "investment_idr"] == 12 * M
    assert src.loc["APBD_PROV", "investment_apbd_prov_idr"] == 12 * M
    assert src.loc["APBD_KOTA", "absorption_pct"] == pytest.approx(190 / 600 * 100)
    ag = m.by_agency.set_index("lead_agency")
    # DLH leads A2 (DAK: absorption) and A3 (APBD_PROV: investment): 10 of 40 m absorbed
    assert ag.loc["DLH", "absorption_pct"] == pytest.approx(25.0)
    assert ag.loc["DLH", "investment_apbd_prov_idr"] == 12 * M
    assert ag.loc["DLH", "investment_apbn_idr"] == 0


# ----------------------------------------------------------------------------- completion


def ipal(progress: dict[tuple[str, int, int], float]) -> ProgrammeInputs:
    """One IPAL komunal (APBN, completion profile) planned in 2026 for Rp 550 m; Q1 5 %,
    Q2 40 % (no output, 100 m and 150 m spent), Q3 nothing new reported, Q4 completed."""
    prog = programme(
        activities=[
            activity_row("W1", lead="PERKIM", source="APBN", profile="completion", unit="IPAL"),
        ],
        planned=[("W1", 2026, 1, 550 * M)],
        realisation=[
            ("W1", 2026, 1, 0, 100 * M, "verified"),
            ("W1", 2026, 2, 0, 150 * M, "verified"),
            ("W1", 2026, 3, 0, 200 * M, "verified"),
            ("W1", 2026, 4, 1, 100 * M, "verified"),
        ],
    )
    return with_progress(prog, progress)


def test_completion_progress_q2(params: ParameterSet) -> None:
    prog = ipal({("W1", 2026, 1): 5, ("W1", 2026, 2): 40, ("W1", 2026, 4): 100})
    w = row(monitor(prog, params, 2026, 2).activities, "W1")
    # s(2) = 0.35: planned to date 1 x 0.35 = 0.35 IPAL, 550 x 0.35 = 192.5 m
    assert w["profile_share"] == pytest.approx(0.35)
    assert w["planned_cost_to_date_idr"] == pytest.approx(192.5 * M)
    # nothing complete; latest progress 40 %: physical realised max(0, 0.40 x 1) = 0.4
    assert w["output_to_date"] == 0 and w["progress_pct"] == 40
    assert w["physical_to_date"] == pytest.approx(0.4)
    assert w["physical_pct"] == pytest.approx(0.40 / 0.35 * 100)  # 114.3 %
    assert w["band"] == "sangat_tinggi" and not w["behind"]
    # no output: no unit cost, no efficiency; APBN money is investment
    assert math.isnan(w["efficiency_pct"]) and w["investment_idr"] == 250 * M
    # Q3 reports no progress: the Q2 40 % stands against s(3) = 0.70: 57.1 %, behind
    q3 = monitor(prog, params, 2026, 3)
    w3 = row(q3.activities, "W1")
    assert w3["progress_pct"] == 40
    assert w3["physical_pct"] == pytest.approx(0.40 / 0.70 * 100)
    assert w3["behind"]
    msg = render_warning(next(x for x in q3.warnings if x.code == W_BEHIND), "en")
    assert "physical progress 40%" in msg and "0.4 of 0.7 IPAL" in msg
    # Q4: completed (output 1, progress 100 %): 1 / 1 = 100 %; unit cost 550 m as planned
    w4 = row(monitor(prog, params, 2026, 4).activities, "W1")
    assert w4["output_to_date"] == 1 and w4["physical_pct"] == pytest.approx(100.0)
    assert w4["efficiency_pct"] == pytest.approx(100.0)


def test_completion_output_without_progress_and_max(params: ParameterSet) -> None:
    # completion reported as output only (no progress at all): 1 / 1 = 100 % at Q4, 0 % before
    prog = ipal({})
    assert row(monitor(prog, params, 2026, 3).activities, "W1")["physical_pct"] == 0
    assert row(monitor(prog, params, 2026, 4).activities, "W1")["physical_pct"] == 100
    # a progress below what is complete does not lower it: max(1, 0.3 x 1) = 1
    low = ipal({("W1", 2026, 4): 30})
    assert row(monitor(low, params, 2026, 4).activities, "W1")["physical_to_date"] == 1


def test_progress_of_other_profiles_is_ignored(params: ParameterSet) -> None:
    # A1 is apbd-profile: a progress in its rows never changes its physical %
    plain = monitor(small(), params, 2026, 2).activities
    noisy = monitor(with_progress(small(), {("A1", 2026, 2): 99}), params, 2026, 2).activities
    assert row(noisy, "A1")["physical_pct"] == pytest.approx(row(plain, "A1")["physical_pct"])
    assert math.isnan(row(noisy, "A1")["progress_pct"])


def test_completion_submitted_progress_counts_only_when_asked(params: ParameterSet) -> None:
    prog = ipal({("W1", 2026, 1): 5, ("W1", 2026, 2): 40})
    r = prog.realisation.copy()
    r.loc[r["quarter"] == 2, "state"] = "submitted"
    prog = replace(prog, realisation=r)
    # verified only: Q1 5 % -> 0.05 / 0.35 = 14.3 %; with the submitted Q2: 114.3 %
    assert row(monitor(prog, params, 2026, 2).activities, "W1")["physical_pct"] == pytest.approx(
        5 / 35 * 100
    )
    inc = monitor(prog, params, 2026, 2, include_submitted=True)
    assert row(inc.activities, "W1")["physical_pct"] == pytest.approx(40 / 35 * 100)


def test_completion_series_and_forecast(params: ParameterSet) -> None:
    prog = ipal({("W1", 2026, 1): 5, ("W1", 2026, 2): 40, ("W1", 2026, 4): 100})
    s = quarterly_series(prog, params, 2026, 3).set_index("quarter")
    # plan 0.10 / 0.35 / 0.70 / 1 IPAL; physical 0.05, 0.40, 0.40 (Q3 carries Q2), n/a after Q3
    assert list(s["planned_output_cum"]) == pytest.approx([0.10, 0.35, 0.70, 1.0])
    assert list(s["physical_output_cum"].iloc[:3]) == pytest.approx([0.05, 0.40, 0.40])
    assert math.isnan(s.loc[4, "physical_output_cum"])
    assert list(s["realised_output_cum"].iloc[:3]) == [0, 0, 0]
    # forecast at Q2: pace 0.40 / 0.35 = 1.1429; 2026 = 0.4 + (1 - 0.35) x 1.1429 = 1.1429
    m = monitor(prog, params, 2026, 2)
    f = forecast_outputs(prog, m, 2026).set_index("year")
    assert f.loc[2026, "output"] == pytest.approx(0.4 + 0.65 * 0.40 / 0.35)


def test_physical_realised_vectorised() -> None:
    got = physical_realised([0, 1, 2, 3], [np.nan, 30, 50, 100], [10, 10, 10, 2])
    # NaN progress: the output; else max(output, progress x plan): 3, 5, max(3, 2) = 3
    assert list(got) == [0, 3, 5, 3]


# ----------------------------------------------------------------------------- adoption


def adopted_q3() -> ProgrammeInputs:
    """B1: 100 septic tanks for Rp 400 m in 2026 (linear, APBD_KOTA), adopted 15 Aug 2026
    (Q3); Q3 30 tanks / 100 m verified."""
    return with_adoption(
        programme(
            activities=[activity_row("B1", lead="PERKIM", source="APBD_KOTA")],
            planned=[("B1", 2026, 100, 400 * M), ("B1", 2027, 100, 400 * M)],
            realisation=[("B1", 2026, 3, 30, 100 * M, "verified")],
        ),
        {"B1": "2026-08-15"},
    )


def test_adoption_quarter_of_dates() -> None:
    d = pd.Series(pd.to_datetime(["2026-08-15", None, "2025-12-31", "2027-01-02", "2026-01-01"]))
    assert list(adoption_quarter(d, 2026)) == [3, 1, 1, NOT_ADOPTED_QUARTER, 1]


def test_adoption_in_q3_rebases_the_profile(params: ParameterSet) -> None:
    prog = adopted_q3()
    sh = activity_shares(prog, params, 2026).set_index("quarter")
    # Qa = 3, s(Qa-1) = s(2) = 0.50: s'(1) = s'(2) = 0; s'(3) = (0.75 - 0.50) / 0.50 = 0.5;
    # s'(4) = (1 - 0.5) / 0.5 = 1
    assert list(sh["share"]) == pytest.approx([0, 0, 0, 0.5, 1.0])
    assert set(sh["judged_from_quarter"]) == {3}
    q3 = monitor(prog, params, 2026, 3)
    b = row(q3.activities, "B1")
    assert b["judged_from_quarter"] == 3
    assert b["planned_output_to_date"] == pytest.approx(50)  # 100 x 0.5
    assert b["planned_cost_to_date_idr"] == pytest.approx(200 * M)
    assert b["physical_pct"] == pytest.approx(60.0)  # 30 / 50
    assert b["financial_pct"] == pytest.approx(50.0)  # 100 / 200
    # Q1 and Q2 came before the adoption: no SAN-W303 for them, and Q3 is reported
    assert b["missing_quarters"] == ()
    assert not (q3.warnings_table["code"] == W_NO_REPORT).any()
    # in Q2 of the adoption year nothing is due yet: n/a, nothing missing
    q2 = row(monitor(prog, params, 2026, 2).activities, "B1")
    assert q2["planned_output_to_date"] == 0 and math.isnan(q2["physical_pct"])
    assert q2["missing_quarters"] == ()
    # Q4 without a Q4 report: only Q4 is missing
    assert row(monitor(prog, params, 2026, 4).activities, "B1")["missing_quarters"] == (4,)
    # the next year is judged normally from Q1 (no report at all: Q1 and Q2 missing)
    y27 = row(monitor(prog, params, 2027, 2).activities, "B1")
    assert y27["profile_share"] == pytest.approx(0.50)
    assert y27["missing_quarters"] == (1, 2)


def test_adoption_of_an_apbd_activity_in_q2(params: ParameterSet) -> None:
    prog = with_adoption(small(), {"A1": "2026-05-20"})
    sh = activity_shares(prog, params, 2026)
    a1 = sh[sh["code"] == "A1"].set_index("quarter")["share"]
    # apbd s(1) = 0.15: s'(2) = (0.40 - 0.15) / 0.85, s'(3) = (0.70 - 0.15) / 0.85
    assert list(a1) == pytest.approx([0, 0, 0.25 / 0.85, 0.55 / 0.85, 1.0])
    a = row(monitor(prog, params, 2026, 2).activities, "A1")
    # 30 tanks (Q1 10 + Q2 20) of 100 x 0.2941 = 29.41: 102 %
    assert a["physical_pct"] == pytest.approx(30 / (100 * 0.25 / 0.85) * 100)


def test_adopted_after_the_year_is_not_judged(params: ParameterSet) -> None:
    prog = with_adoption(small(), {"A2": "2027-02-01"})
    m = monitor(prog, params, 2026, 2)
    a2 = row(m.activities, "A2")
    assert a2["judged_from_quarter"] == NOT_ADOPTED_QUARTER
    assert a2["planned_output_to_date"] == 0 and math.isnan(a2["physical_pct"])
    assert a2["missing_quarters"] == ()  # the Q2 report it lacks is not asked for


def test_agency_brief_uses_the_rebased_targets(params: ParameterSet) -> None:
    prog = adopted_q3()
    brief = agency_owes(prog, "PERKIM", 2026, dt.date(2026, 9, 30), params)
    b = brief.led.set_index("code").loc["B1"]
    assert [b[f"target_q{q}"] for q in (1, 2, 3, 4)] == pytest.approx([0, 0, 50, 100])
    assert b["judged_from_quarter"] == 3
    assert b["physical_pct"] == pytest.approx(60.0)  # as the monitoring: 30 / 50


def test_agency_brief_completion_progress(params: ParameterSet) -> None:
    prog = ipal({("W1", 2026, 2): 40})
    brief = agency_owes(prog, "PERKIM", 2026, dt.date(2026, 6, 30), params)
    w = brief.led.set_index("code").loc["W1"]
    assert w["progress_pct"] == 40 and w["physical_to_date"] == pytest.approx(0.4)
    assert w["physical_pct"] == pytest.approx(0.40 / 0.35 * 100)


@settings(max_examples=examples(60), deadline=None)
@given(
    profile=st.sampled_from(["linear", "apbd", "completion"]),
    month=st.integers(1, 12),
    year_offset=st.integers(-1, 1),
)
def test_rebased_shares_are_a_profile(profile: str, month: int, year_offset: int) -> None:
    """Whatever the adoption date, s' is 0 before Qa, non-decreasing, within [0, 1] and 1 at
    Q4 when the activity is adopted by the end of the year."""
    params = monitoring_params()
    prog = with_adoption(
        programme(
            activities=[activity_row("X", lead="DLH", profile=profile)],
            planned=[("X", 2026, 10, 10 * M)],
        ),
        {"X": f"{2026 + year_offset}-{month:02d}-10"},
    )
    sh = activity_shares(prog, params, 2026)
    s = sh["share"].to_numpy()
    qa = int(sh["judged_from_quarter"].iloc[0])
    assert (np.diff(s) >= -1e-12).all() and (s >= 0).all() and (s <= 1 + 1e-12).all()
    assert (s[: min(qa, 5)] == 0).all()
    assert s[-1] == pytest.approx(1.0 if qa <= 4 else 0.0)


# ----------------------------------------------------------------------------- quarters


def test_quarter_not_started() -> None:
    assert quarter_start(2026, 4) == dt.date(2026, 10, 1)
    as_of = dt.date(2026, 9, 30)
    got = quarter_not_started(
        np.array([2026, 2026, 2027, 2025, np.nan, 2026]),
        np.array([3, 4, 1, 4, 1, 5]),
        as_of,
    )
    # Q3 2026 has started (even though not ended on 30 Sep: it ends that day); Q4 2026 and
    # Q1 2027 start after 30 Sep; a missing year or quarter 5 is for other checks
    assert list(got) == [False, True, True, False, False, False]
    # a quarter that started this morning has started
    assert not quarter_not_started(np.array([2026]), np.array([4]), dt.date(2026, 10, 1))[0]
