"""Property tests (hypothesis) of the monitoring: realisation never changes the plan, roll-ups
add up to the activities, ratios stay consistent.

The three properties are checked on the same random programmes by one hypothesis test, which
monitors each programme once for all three (``monitor`` costs about a third of a second
whatever the size of the programme); each property still sees every example."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from programme_helpers import M, activity_row, monitoring_params, programme

from hypothesis_profiles import examples
from sanitasi.core.monitoring import PACE_CAP, Monitoring, forecast_outputs, monitor
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.roles import agency_summary

FAST = settings(
    max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PARAMS = monitoring_params()

LOCATIONS = ("13.72", "13.72.01", "13.72.02", "13.72.01.1001", "13.72.02.1006")
SOURCES = ("APBN", "DAK", "APBD_PROV", "APBD_KOTA", "SWASTA", "MASYARAKAT")
LEADS = ("PERKIM", "DLH", "BAPPEDA")
UNITS = ("septic tank", "household", "unit")
STATES = ("draft", "submitted", "verified")
YEARS = (2025, 2026, 2027)


@st.composite
def programmes(draw: st.DrawFn) -> tuple[ProgrammeInputs, int, int, bool]:
    """Random small programmes: 1-6 activities with random lead, sector, location, source,
    profile and unit, random plans (some zero) and random realisation rows."""
    n = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    acts: list[dict[str, Any]] = []
    planned: list[tuple[str, int, float, float]] = []
    real: list[tuple[str, int, int, float, float, str]] = []
    for i in range(n):
        code = f"X{i}"
        acts.append(
            activity_row(
                code,
                lead=str(rng.choice(LEADS)),
                support=("KSM",) if rng.random() < 0.5 else (),
                location=str(rng.choice(LOCATIONS)),
                source=str(rng.choice(SOURCES)),
                profile=str(rng.choice(["linear", "apbd"])),
                sector=str(rng.choice(["ald", "persampahan"])),
                unit=str(rng.choice(UNITS)),
            )
        )
        for y in YEARS:
            out = float(rng.integers(0, 200)) if rng.random() < 0.8 else 0.0
            cost = out * float(rng.uniform(0.1, 10.0)) * M if rng.random() < 0.9 else 0.0
            planned.append((code, y, out, cost))
            for q in (1, 2, 3, 4):
                if rng.random() < 0.7:
                    real.append(
                        (
                            code,
                            y,
                            q,
                            float(rng.integers(0, 80)),
                            float(rng.uniform(0, 300)) * M,
                            str(rng.choice(STATES)),
                        )
                    )
    prog = programme(acts, planned, real)
    return prog, draw(st.sampled_from(YEARS)), draw(st.integers(1, 4)), draw(st.booleans())


PLAN_COLUMNS = [
    "city_kode",
    "code",
    "planned_output",
    "planned_cost_idr",
    "profile_share",
    "planned_output_to_date",
    "planned_cost_to_date_idr",
]


@FAST
@given(programmes())
def test_monitoring_properties(case: tuple[ProgrammeInputs, int, int, bool]) -> None:
    """Each property of the module on the programme, monitored once."""
    prog, year, quarter, inc = case
    before = {k: copy.deepcopy(getattr(prog, k)) for k in ("activities", "planned", "realisation")}
    m = monitor(prog, PARAMS, year, quarter, include_submitted=inc)
    # each property on its own copy of the monitoring (as when each monitored it itself)
    realisation_never_changes_the_plan(case, copy.deepcopy(m))
    rolled_up_budget_is_the_sum_of_activities(case, copy.deepcopy(m))
    ratios_are_consistent(case, m)
    # and the inputs are not mutated
    for k, v in before.items():
        pd.testing.assert_frame_equal(getattr(prog, k), v)


def realisation_never_changes_the_plan(
    case: tuple[ProgrammeInputs, int, int, bool], m: Monitoring
) -> None:
    prog, year, quarter, inc = case
    empty = replace(prog, realisation=prog.realisation.iloc[0:0])
    m0 = monitor(empty, PARAMS, year, quarter, include_submitted=inc)
    # the plan columns and the planned series are the same with or without realisation
    pd.testing.assert_frame_equal(m.activities[PLAN_COLUMNS], m0.activities[PLAN_COLUMNS])
    cols = ["code", "quarter", "planned_output_cum", "planned_cost_cum_idr"]
    pd.testing.assert_frame_equal(m.series[cols], m0.series[cols])
    for t, t0 in ((m.by_city, m0.by_city), (m.by_agency, m0.by_agency)):
        for c in ("planned_cost_idr", "planned_cost_to_date_idr", "apbd_pagu_idr"):
            np.testing.assert_allclose(t[c].to_numpy(), t0[c].to_numpy())


def rolled_up_budget_is_the_sum_of_activities(
    case: tuple[ProgrammeInputs, int, int, bool], m: Monitoring
) -> None:
    prog, year, quarter, inc = case
    a = m.activities
    for col in (
        "planned_cost_idr",
        "planned_cost_to_date_idr",
        "spent_to_date_idr",
        "investment_idr",
    ):
        total = a[col].sum()
        for t in (m.by_agency, m.by_sector, m.by_kecamatan, m.by_city):
            assert np.isclose(t[col].sum(), total, rtol=1e-12, atol=1e-3)
    # the budget per year in the planned table equals the activities' annual budget
    p = prog.planned
    assert np.isclose(
        p.loc[p["year"] == year, "planned_cost_idr"].sum(), a["planned_cost_idr"].sum()
    )
    assert m.by_city["n_activities"].sum() == len(a) == len(prog.activities)
    # the agency summary's led budget adds up to the same total
    s = agency_summary(prog, year, m)
    assert np.isclose(s["planned_cost_led_idr"].sum(), a["planned_cost_idr"].sum())


def ratios_are_consistent(case: tuple[ProgrammeInputs, int, int, bool], m: Monitoring) -> None:
    prog, year, quarter, inc = case
    a = m.activities
    # the index is a weighted mean of capped percentages: within [0, 100]
    for t in (m.by_agency, m.by_sector, m.by_kecamatan, m.by_city):
        idx = t["physical_index_pct"].dropna()
        assert ((idx >= -1e-9) & (idx <= 100 + 1e-9)).all()
    # a roll-up of a single activity reports that activity's ratios
    one = replace(prog, activities=prog.activities.iloc[:1])
    m1 = monitor(one, PARAMS, year, quarter, include_submitted=inc)
    r, c = m1.activities.iloc[0], m1.by_city.iloc[0]
    np.testing.assert_allclose(c["financial_pct"], r["financial_pct"], equal_nan=True)
    if r["planned_cost_idr"] > 0:
        np.testing.assert_allclose(
            c["physical_index_pct"], min(r["physical_pct"], 100.0), equal_nan=True
        )
    if r["money_kind"] == "absorption":
        np.testing.assert_allclose(c["absorption_pct"], r["absorption_pct"], equal_nan=True)
    # physical % is n/a exactly where nothing is planned to date
    assert (a["physical_pct"].isna() == (a["planned_output_to_date"] <= 0)).all()
    # efficiency only where output > 0
    assert a.loc[a["output_to_date"] <= 0, "efficiency_pct"].isna().all()
    # forecast: never negative, pace within [0, PACE_CAP]
    f = forecast_outputs(prog, m, 2027)
    assert (f["output"] >= 0).all()
    assert ((f["pace"] >= 0) & (f["pace"] <= PACE_CAP)).all()
