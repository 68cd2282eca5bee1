"""Monitoring (docs/METHOD.md §10) on the small hand-computed programme
``programme_helpers.small()`` (A1 APBD_KOTA apbd-profile, A2 DAK linear, A3 nothing planned in
2026; see its docstring), reference parameters: linear profile 0.25/0.50/0.75/1, apbd
profile 0.15/0.40/0.70/1, bands 91/76/66/51, overspend tolerance 0.10."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from programme_helpers import activity_row, monitoring_params, programme, small

from sanitasi.core.model import ParameterSet
from sanitasi.core.monitoring import (
    BAND_NA,
    W_BEHIND,
    W_NO_REPORT,
    W_OVERDUE,
    W_OVERSPEND,
    W_UNPLANNED_OUTPUT,
    W_UNPLANNED_SPENDING,
    action_items_status,
    band_of,
    band_thresholds,
    forecast_outputs,
    kecamatan_of,
    meeting_table,
    monitor,
    quarter_end,
    reported_quarter,
)
from sanitasi.messages import render as render_warning

M = 1_000_000.0


@pytest.fixture(scope="module")
def params() -> ParameterSet:
    return monitoring_params()


def row(df: pd.DataFrame, code: str) -> pd.Series:
    r = df[df["code"] == code]
    assert len(r) == 1
    return r.iloc[0]


# ----------------------------------------------------------------------------- per activity


def test_apbd_activity_q2(params: ParameterSet) -> None:
    a1 = row(monitor(small(), params, 2026, 2).activities, "A1")
    # apbd q2 share 0.40: planned to date 100 x 0.40 = 40 tanks, 600 m x 0.40 = 240 m
    assert a1["profile_share"] == pytest.approx(0.40)
    assert a1["planned_output_to_date"] == pytest.approx(40)
    assert a1["planned_cost_to_date_idr"] == pytest.approx(240 * M)
    # realised to date (verified Q1 + Q2): 10 + 20 = 30 tanks, 60 + 130 = 190 m
    assert a1["output_to_date"] == 30 and a1["spent_to_date_idr"] == 190 * M
    assert a1["output_quarter"] == 20 and a1["spent_quarter_idr"] == 130 * M
    # physical 30 / 40 = 75 %; financial 190 / 240 = 79.1667 %
    assert a1["physical_pct"] == pytest.approx(75.0)
    assert a1["financial_pct"] == pytest.approx(190 / 240 * 100)
    # absorption (APBD pagu) 190 / 600 = 31.667 %; no investment
    assert a1["money_kind"] == "absorption"
    assert a1["absorption_pct"] == pytest.approx(190 / 600 * 100)
    assert a1["investment_idr"] == 0
    # unit costs: plan 600 m / 100 = 6 m; realised 190 m / 30 = 6.333 m;
    # efficiency 6 / 6.333 = 94.74 %; overrun 5.56 % (within 10 %)
    assert a1["planned_unit_cost_idr"] == pytest.approx(6 * M)
    assert a1["realised_unit_cost_idr"] == pytest.approx(190 * M / 30)
    assert a1["efficiency_pct"] == pytest.approx(6 / (190 / 30) * 100)
    assert a1["unit_cost_overrun_pct"] == pytest.approx((190 / 30 / 6 - 1) * 100)
    assert not a1["overspend"]
    # 75 % is in [66, 76): sedang, not behind
    assert a1["band"] == "sedang" and not a1["behind"]
    assert a1["kecamatan_kode"] == "13.72.01" and a1["location_level"] == "kelurahan"


def test_dak_activity_is_absorption_and_behind(params: ParameterSet) -> None:
    a2 = row(monitor(small(), params, 2026, 2).activities, "A2")
    # linear q2 0.50: 20 households / 20 m to date; realised 10 / 10 m (Q2 never reported)
    assert a2["planned_output_to_date"] == pytest.approx(20)
    assert a2["physical_pct"] == pytest.approx(50.0)  # 10 / 20
    assert a2["financial_pct"] == pytest.approx(50.0)  # 10 m / 20 m
    # DAK is budgeted and spent inside the city's APBD: absorption, 10 m of the 40 m pagu
    assert a2["money_kind"] == "absorption"
    assert a2["absorption_pct"] == pytest.approx(25.0)  # 10 / 40
    assert a2["investment_idr"] == 0
    # unit cost 1 m planned and realised: efficiency 100 %
    assert a2["efficiency_pct"] == pytest.approx(100.0)
    # 50 < 51: sangat_rendah, behind (below the sedang bound 66)
    assert a2["band"] == "sangat_rendah" and a2["behind"]
    assert a2["missing_quarters"] == (2,)
    assert a2["kecamatan_kode"] == "city" and a2["location_level"] == "city"


def test_nothing_planned_is_na_and_unplanned(params: ParameterSet) -> None:
    a3 = row(monitor(small(), params, 2026, 2).activities, "A3")
    assert a3["planned_output_to_date"] == 0
    assert math.isnan(a3["physical_pct"]) and math.isnan(a3["financial_pct"])
    assert a3["band"] == BAND_NA and not a3["behind"]
    # APBD_PROV but no pagu in 2026: absorption NaN
    assert math.isnan(a3["absorption_pct"])
    assert a3["unplanned_output"] and a3["unplanned_spending"]
    # no plan -> no planned unit cost -> no efficiency
    assert math.isnan(a3["efficiency_pct"])
    assert a3["missing_quarters"] == ()  # nothing planned: no report is owed
    assert a3["kecamatan_kode"] == "13.72.02"


def test_include_submitted_q3(params: ParameterSet) -> None:
    prog = small()
    only = row(monitor(prog, params, 2026, 3).activities, "A1")
    both = row(monitor(prog, params, 2026, 3, include_submitted=True).activities, "A1")
    # apbd q3 0.70: 70 tanks / 420 m to date
    # verified only: 30 / 70 = 42.86 % (sangat_rendah), unit cost 6.333 m (no overspend)
    assert only["output_to_date"] == 30
    assert only["physical_pct"] == pytest.approx(30 / 70 * 100)
    assert only["band"] == "sangat_rendah" and not only["overspend"]
    # with the submitted Q3 row: 42 / 70 = 60 % (rendah, behind); 280 m / 42 = 6.667 m,
    # + 11.1 % over the 6 m plan > 10 %: overspend
    assert both["output_to_date"] == 42 and both["spent_to_date_idr"] == 280 * M
    assert both["physical_pct"] == pytest.approx(60.0)
    assert both["band"] == "rendah" and both["behind"]
    assert both["unit_cost_overrun_pct"] == pytest.approx((280 / 42 / 6 - 1) * 100)
    assert both["overspend"]
    # a draft never counts, not even with include_submitted, and is not a report
    a2 = row(monitor(prog, params, 2026, 3, include_submitted=True).activities, "A2")
    assert a2["output_to_date"] == 10
    assert a2["missing_quarters"] == (2, 3)


def test_overspend_tolerance_is_strict(params: ParameterSet) -> None:
    def one(cost: float) -> pd.Series:
        prog = programme(
            [activity_row("X", lead="DLH", source="APBD_KOTA")],
            planned=[("X", 2026, 10, 100 * M)],  # 10 m per unit
            realisation=[("X", 2026, q, 2.5, cost / 4, "verified") for q in (1, 2, 3, 4)],
        )
        return row(monitor(prog, params, 2026, 4).activities, "X")

    at = one(110 * M)  # 11 m per unit: exactly +10 %
    assert at["unit_cost_overrun_pct"] == pytest.approx(10.0)
    assert not at["overspend"]
    above = one(110.1 * M)  # +10.1 %
    assert above["overspend"]
    assert above["efficiency_pct"] == pytest.approx(100 / 110.1 * 100)


def test_efficiency_needs_output(params: ParameterSet) -> None:
    prog = programme(
        [activity_row("W", lead="DLH", source="APBN")],
        planned=[("W", 2026, 1, 500 * M)],
        realisation=[("W", 2026, 1, 0, 200 * M, "verified")],
    )
    w = row(monitor(prog, params, 2026, 1).activities, "W")
    assert math.isnan(w["realised_unit_cost_idr"]) and math.isnan(w["efficiency_pct"])
    assert not w["overspend"]
    # linear q1: 0.25 unit and 125 m planned; 200 / 125 = 160 % financial, 0 % physical
    assert w["financial_pct"] == pytest.approx(160.0)
    assert w["physical_pct"] == 0.0


def test_bands_at_thresholds(params: ParameterSet) -> None:
    thr = band_thresholds(params)
    assert thr == {"sangat_tinggi": 91, "tinggi": 76, "sedang": 66, "rendah": 51}
    x = [91, 90.99, 76, 75.99, 66, 65.99, 51, 50.99, 0, np.nan, 250]
    assert list(band_of(np.array(x), thr)) == [
        "sangat_tinggi",
        "tinggi",
        "tinggi",
        "sedang",
        "sedang",
        "rendah",
        "rendah",
        "sangat_rendah",
        "sangat_rendah",
        BAND_NA,
        "sangat_tinggi",
    ]


def test_behind_threshold_is_sedang_bound(params: ParameterSet) -> None:
    def phys(out: float) -> pd.Series:
        prog = programme(
            [activity_row("B", lead="DLH")],
            planned=[("B", 2026, 100, 100 * M)],
            realisation=[("B", 2026, 4, out, out * M, "verified")]
            + [("B", 2026, q, 0, 0, "verified") for q in (1, 2, 3)],
        )
        return row(monitor(prog, params, 2026, 4).activities, "B")

    assert not phys(66)["behind"]  # 66 % = sedang lower bound
    assert phys(65.9)["behind"]


def test_missing_state_column_means_verified(params: ParameterSet) -> None:
    prog = small()
    r = prog.realisation.drop(columns="state")
    a1 = row(monitor(replace(prog, realisation=r), params, 2026, 3).activities, "A1")
    assert a1["output_to_date"] == 42  # the submitted Q3 row counts as verified


def test_bad_quarter(params: ParameterSet) -> None:
    with pytest.raises(ValueError, match="quarter"):
        monitor(small(), params, 2026, 5)


# ----------------------------------------------------------------------------- roll-ups


def test_city_rollup(params: ParameterSet) -> None:
    c = monitor(small(), params, 2026, 2).by_city.iloc[0]
    assert c["n_activities"] == 3
    # units differ (septic tank, household enrolled): outputs are not summed
    assert c["output_unit"] == "" and math.isnan(c["planned_output"])
    assert c["planned_cost_idr"] == 640 * M  # 600 + 40 + 0
    assert c["planned_cost_to_date_idr"] == 260 * M  # 240 + 20 + 0
    assert c["spent_to_date_idr"] == 212 * M  # 190 + 10 + 12
    assert c["unplanned_spent_idr"] == 12 * M  # A3
    # financial: (190 + 10) / 260 = 76.92 % (A3's unplanned 12 m is outside the ratio)
    assert c["financial_pct"] == pytest.approx(200 / 260 * 100)
    # absorption: APBD Kab/Kota + DAK with a pagu = A1 (600 m) and A2 (DAK, 40 m):
    # (190 + 10) / (600 + 40) = 31.25 %
    assert c["apbd_pagu_idr"] == 640 * M and c["apbd_spent_idr"] == 200 * M
    assert c["absorption_pct"] == pytest.approx(200 / 640 * 100)
    # investment: A3's 12 m of APBD Provinsi (its 2026 carry-over), by source
    assert c["investment_idr"] == 12 * M
    assert c["investment_apbd_prov_idr"] == 12 * M
    assert c["investment_apbn_idr"] == 0 and c["investment_swasta_idr"] == 0
    assert c["investment_masyarakat_idr"] == 0
    # physical index: (75 x 600 + 50 x 40) / (600 + 40) = 47000 / 640 = 73.4375 (sedang);
    # A3 (n/a) weighs nothing
    assert c["physical_index_pct"] == pytest.approx(73.4375)
    assert c["band"] == "sedang"
    assert c["n_with_plan_to_date"] == 2
    assert (c["n_behind"], c["n_overspend"], c["n_unplanned"], c["n_missing_reports"]) == (
        1,
        0,
        1,
        1,
    )


def test_group_rollups(params: ParameterSet) -> None:
    m = monitor(small(), params, 2026, 2)
    kec = m.by_kecamatan.set_index("kecamatan_kode")
    assert list(kec.index) == ["13.72.01", "13.72.02", "city"]
    # one unit per kecamatan group: outputs summed
    assert kec.loc["13.72.01", "output_unit"] == "septic tank"
    assert kec.loc["13.72.01", "planned_output"] == 100
    assert kec.loc["13.72.01", "output_to_date"] == 30
    assert math.isnan(kec.loc["13.72.02", "physical_index_pct"])
    ag = m.by_agency.set_index("lead_agency")
    assert ag.loc["PERKIM", "physical_index_pct"] == pytest.approx(75.0)
    # DLH: A2 (50 %, 40 m) and A3 (n/a): index 50; units differ -> NaN outputs
    assert ag.loc["DLH", "physical_index_pct"] == pytest.approx(50.0)
    assert math.isnan(ag.loc["DLH", "planned_output"])
    assert ag.loc["DLH", "spent_to_date_idr"] == 22 * M
    sec = m.by_sector.set_index("sector")
    # ald = A1 + A3, both septic tanks: 100 + 0 planned, 30 + 2 done
    assert sec.loc["ald", "planned_output"] == 100 and sec.loc["ald", "output_to_date"] == 32
    assert sec.loc["persampahan", "planned_cost_idr"] == 40 * M


def test_physical_index_caps_overdelivery(params: ParameterSet) -> None:
    prog = programme(
        [activity_row("P", lead="DLH"), activity_row("Q", lead="DLH")],
        planned=[("P", 2026, 10, 100 * M), ("Q", 2026, 10, 300 * M)],
        realisation=[
            ("P", 2026, 1, 10, 100 * M, "verified"),  # 10 / 2.5 = 400 %
            ("Q", 2026, 1, 1.25, 37.5 * M, "verified"),  # 1.25 / 2.5 = 50 %
        ],
    )
    m = monitor(prog, params, 2026, 1)
    assert row(m.activities, "P")["physical_pct"] == pytest.approx(400.0)
    # (100 x 100 + 50 x 300) / 400 = 62.5 (not (400 x 100 + 50 x 300) / 400 = 137.5)
    assert m.by_city.iloc[0]["physical_index_pct"] == pytest.approx(62.5)


# ----------------------------------------------------------------------------- warnings


def test_warnings_small(params: ParameterSet) -> None:
    m = monitor(small(), params, 2026, 2)
    wt = m.warnings_table
    got = sorted(zip(wt["code"], wt["activity_code"], wt["agency"], wt["quarter"], strict=True))
    assert got == sorted(
        [
            (W_BEHIND, "A2", "DLH", 2),
            (W_NO_REPORT, "A2", "DLH", 2),
            (W_UNPLANNED_OUTPUT, "A3", "DLH", 2),
            (W_UNPLANNED_SPENDING, "A3", "DLH", 2),
            (W_OVERDUE, "", "PERKIM", 2),  # due 2026-06-15, as of 2026-06-30: 15 days
        ]
    )
    od = wt[wt["code"] == W_OVERDUE].iloc[0]
    assert od["value"] == 15
    # the table has codes and values only; the warnings carry the values of the message
    assert "message_en" not in wt and len(m.warnings) == len(wt)
    wod = next(w for w in m.warnings if w.code == W_OVERDUE)
    assert wod.values["days"] == 15 and wod.values["agency"] == "PERKIM"
    assert "15 days past" in render_warning(wod, "en")
    assert "PERKIM" in render_warning(wod, "id") and "terlambat 15 hari" in render_warning(
        wod, "id"
    )
    beh = render_warning(next(w for w in m.warnings if w.code == W_BEHIND), "en")
    assert beh.startswith("A2 (DLH, location ") and "13.72" in beh
    assert {w.code for w in m.warnings} == set(wt["code"])
    assert all(render_warning(w, "id") and render_warning(w, "en") for w in m.warnings)


def test_overspend_warning_names_activity(params: ParameterSet) -> None:
    m = monitor(small(), params, 2026, 3, include_submitted=True)
    w = m.warnings_table[m.warnings_table["code"] == W_OVERSPEND]
    assert list(w["activity_code"]) == ["A1"]
    assert w.iloc[0]["value"] == pytest.approx((280 / 42 / 6 - 1) * 100)
    wo = next(x for x in m.warnings if x.code == W_OVERSPEND)
    assert wo.values["area"] == "13.72.01.1001" and "13.72.01.1001" in render_warning(wo, "en")


def test_as_of_defaults_to_quarter_end(params: ParameterSet) -> None:
    assert monitor(small(), params, 2026, 2).as_of == dt.date(2026, 6, 30)
    assert quarter_end(2026, 1) == dt.date(2026, 3, 31)
    assert quarter_end(2026, 3) == dt.date(2026, 9, 30)
    assert quarter_end(2026, 4) == dt.date(2026, 12, 31)
    assert reported_quarter(2026, dt.date(2026, 8, 15)) == 3
    assert reported_quarter(2026, dt.date(2025, 12, 31)) == 0
    assert reported_quarter(2026, dt.date(2027, 1, 1)) == 4


def test_as_of_moves_overdue(params: ParameterSet) -> None:
    prog = small()
    late = monitor(prog, params, 2026, 2, as_of=dt.date(2026, 9, 30))
    od = late.action_items[late.action_items["overdue"]]
    # PERKIM (due 06-15): 107 days; DLH (06-30): 92; DLH MTG-2 (08-01, raised 07-10): 60
    assert sorted(zip(od["owner_agency"], od["days_overdue"], strict=True)) == [
        ("DLH", 60),
        ("DLH", 92),
        ("PERKIM", 107),
    ]


# ----------------------------------------------------------------------------- meetings


def test_action_items_status() -> None:
    ai = action_items_status(small(), dt.date(2026, 6, 30))
    by = ai.set_index("action")
    assert bool(by.loc["Survey the kelurahan", "overdue"])
    assert by.loc["Survey the kelurahan", "days_overdue"] == 15
    # due on the report date is not yet overdue
    assert not by.loc["Sign the DAK contract", "overdue"]
    assert by.loc["Sign the DAK contract", "days_to_due"] == 0
    # done is never overdue
    assert not by.loc["Draft the SK", "overdue"]
    # MTG-2 (2026-07-10) is after the report date: not raised yet
    assert not by.loc["Report the land", "raised"]
    assert by.loc["Report the land", "days_to_due"] == 32
    assert list(ai["due_date"]) == sorted(ai["due_date"])


def test_meeting_table() -> None:
    mt = meeting_table(small(), dt.date(2026, 6, 30)).set_index("id")
    assert list(mt.index) == ["MTG-1", "MTG-2"]
    assert bool(mt.loc["MTG-1", "held"]) and not mt.loc["MTG-2", "held"]
    assert mt.loc["MTG-1", "n_actions"] == 3
    assert mt.loc["MTG-1", "n_open"] == 2
    assert mt.loc["MTG-1", "n_overdue"] == 1
    assert mt.loc["MTG-2", "n_participants"] == 3


# ----------------------------------------------------------------------------- series, forecast


def test_quarterly_series(params: ParameterSet) -> None:
    s = monitor(small(), params, 2026, 2).series
    a1 = s[s["code"] == "A1"].set_index("quarter")
    # apbd profile: 15, 40, 70, 100 tanks; 90, 240, 420, 600 m
    assert list(a1["planned_output_cum"]) == pytest.approx([15, 40, 70, 100])
    assert list(a1["planned_cost_cum_idr"]) == pytest.approx([90 * M, 240 * M, 420 * M, 600 * M])
    # realised cumulative 10, 30 then NaN after the reported quarter
    assert list(a1["realised_output_cum"].iloc[:2]) == [10, 30]
    assert a1["realised_output_cum"].iloc[2:].isna().all()
    assert list(a1["spent_cum_idr"].iloc[:2]) == [60 * M, 190 * M]
    a2 = s[s["code"] == "A2"].set_index("quarter")
    assert list(a2["realised_output_cum"].iloc[:2]) == [10, 10]  # nothing in Q2


def test_forecast_outputs(params: ParameterSet) -> None:
    prog = small()
    m = monitor(prog, params, 2026, 2)
    raw = forecast_outputs(prog, m, 2027)
    assert list(raw.columns[:4]) == ["city_kode", "code", "year", "output"]
    assert len(raw) == 3 * 3  # 3 activities x 2025..2027
    f = raw.set_index(["code", "year"])
    # A1: 2025 realised 90 (the submitted 5 does not count); pace 0.75:
    # 2026 = 30 + (100 - 40) x 0.75 = 75; 2027 = 100 x 0.75 = 75
    assert f.loc[("A1", 2025), "output"] == 90
    assert f.loc[("A1", 2026), "output"] == pytest.approx(75)
    assert f.loc[("A1", 2027), "output"] == pytest.approx(75)
    # A2: pace 0.5: 2026 = 10 + (40 - 20) x 0.5 = 20; 2027 = 40 x 0.5 = 20; 2025: nothing
    assert f.loc[("A2", 2025), "output"] == 0
    assert f.loc[("A2", 2026), "output"] == pytest.approx(20)
    assert f.loc[("A2", 2027), "output"] == pytest.approx(20)
    # A3: physical n/a -> pace 1: 2026 = 2 + 0; 2027 = 10
    assert f.loc[("A3", 2026), "output"] == pytest.approx(2)
    assert f.loc[("A3", 2027), "output"] == pytest.approx(10)
    assert f.loc[("A3", 2027), "pace"] == 1.0
    assert f.loc[("A1", 2025), "basis"] == "realised"
    assert f.loc[("A1", 2026), "basis"] == "realised+pace"
    assert f.loc[("A1", 2027), "basis"] == "pace"


def test_forecast_pace_is_capped(params: ParameterSet) -> None:
    prog = programme(
        [activity_row("F", lead="DLH")],
        planned=[("F", 2026, 10, 10 * M), ("F", 2027, 10, 10 * M)],
        realisation=[("F", 2026, 1, 10, 10 * M, "verified")],  # 10 / 2.5 = 400 %
    )
    f = forecast_outputs(prog, monitor(prog, params, 2026, 1), 2027).set_index("year")
    assert f.loc[2026, "pace"] == 1.5
    # 2026 = 10 + (10 - 2.5) x 1.5 = 21.25; 2027 = 10 x 1.5 = 15
    assert f.loc[2026, "output"] == pytest.approx(21.25)
    assert f.loc[2027, "output"] == pytest.approx(15)


def test_kecamatan_of() -> None:
    s = pd.Series(["13.72.01.1001", "13.72.02", "13.72", " 13.72.02.1006 "])
    assert list(kecamatan_of(s)) == ["13.72.01", "13.72.02", "city", "13.72.02"]


def test_tables_are_labelled(params: ParameterSet) -> None:
    m = monitor(small(), params, 2026, 2)
    t = m.tables()
    assert list(t)[:2] == ["by_city", "by_agency"]
    assert t["activities"].label("physical_pct", "id") == "Capaian fisik"
    assert t["activities"].label("physical_pct", "en") == "Physical progress"
    assert all(c in t["activities"].columns for c in m.activities.columns)
    assert t["by_city"].provenance["illustrative"] > 0
