"""Pokja roles: RACI matrix, agency summary and the one-page brief, on the small programme
of ``test_core_monitoring`` and on the demo."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
import pytest
from programme_helpers import demo_programme, monitoring_params, small

from sanitasi.core.model import ParameterSet
from sanitasi.core.monitoring import monitor
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.roles import (
    AGENCY_SUMMARY_COLUMNS,
    agency_owes,
    agency_plan,
    agency_summary,
    raci,
    raci_long,
)

M = 1_000_000.0


@pytest.fixture(scope="module")
def params() -> ParameterSet:
    return monitoring_params()


def cells(df: pd.DataFrame) -> dict[str, dict[str, str]]:
    codes = [c for c in df.columns if c not in ("city_kode", "agency", "name_id", "name_en")]
    return {a: {c: r[c] for c in codes if r[c]} for a, r in df.set_index("agency").iterrows()}


def test_raci_small() -> None:
    m = cells(raci(small()))
    # A1 at kelurahan 13.72.01.1001: PERKIM leads; DLH and KEC_A support (KEC_A is C, not I);
    # KEC_B (13.72.02) has no role. A2 at city level: both kecamatan are informed.
    # A3 at kecamatan 13.72.02: BAPPEDA supports and is accountable (A/C); KEC_B informed.
    assert m == {
        "BAPPEDA": {"A1": "A", "A2": "A", "A3": "A/C"},
        "PERKIM": {"A1": "R"},
        "DLH": {"A1": "C", "A2": "R", "A3": "R"},
        "KEC_A": {"A1": "C", "A2": "I"},
        "KEC_B": {"A2": "I", "A3": "I"},
        "KSM": {"A2": "C"},
    }
    df = raci(small())
    assert list(df.columns) == ["city_kode", "agency", "name_id", "name_en", "A1", "A2", "A3"]
    assert list(df["agency"]) == ["BAPPEDA", "PERKIM", "DLH", "KEC_A", "KEC_B", "KSM"]


def test_raci_without_bappeda_lead_is_accountable() -> None:
    prog = small()
    ag = prog.agencies[prog.agencies["code"] != "BAPPEDA"]
    long = raci_long(replace(prog, agencies=ag))
    a = long[long["role"] == "A"].set_index("code")["agency"].to_dict()
    assert a == {"A1": "PERKIM", "A2": "DLH", "A3": "DLH"}
    m = cells(raci(replace(prog, agencies=ag)))
    assert m["PERKIM"]["A1"] == "R/A"
    # BAPPEDA still supports A3: it appears as an extra row holding C
    assert m["BAPPEDA"] == {"A3": "C"}


def test_raci_demo() -> None:
    df = raci(demo_programme()).set_index("agency")
    # every activity has one R and one A
    long = raci_long(demo_programme())
    assert (long[long["role"] == "R"].groupby("code").size() == 1).all()
    assert (long[long["role"] == "A"].groupby("code").size() == 1).all()
    assert df.loc["BAPPEDA", "PS-07"] == "R/A"  # Bappeda leads the data system
    assert df.loc["BAPPEDA", "ALD-06"] == "A/C"
    # ALD-02 in Laing (Tanjung Harapan): KEC_TH supports, KEC_LS has no role
    assert df.loc["KEC_TH", "ALD-02"] == "C" and df.loc["KEC_LS", "ALD-02"] == ""
    # PS-05 at kecamatan 13.72.02: KEC_TH informed only
    assert df.loc["KEC_TH", "PS-05"] == "I" and df.loc["KEC_LS", "PS-05"] == ""
    # ALD-05 (city-level IPLT): both camat informed
    assert df.loc["KEC_TH", "ALD-05"] == "I" and df.loc["KEC_LS", "ALD-05"] == "I"
    assert df.loc["PFI", ["ALD-01", "PS-07"]].tolist() == ["", ""]


def test_agency_plan_small() -> None:
    p = agency_plan(small())
    dlh = p[(p["agency"] == "DLH") & (p["year"] == 2026)]
    assert sorted(zip(dlh["role"], dlh["code"], strict=True)) == [
        ("C", "A1"),
        ("R", "A2"),
        ("R", "A3"),
    ]
    assert set(p["role"]) == {"R", "C"}


def test_agency_summary_small(params: ParameterSet) -> None:
    prog = small()
    raw = agency_summary(prog, 2026)
    assert list(raw.columns) == AGENCY_SUMMARY_COLUMNS
    assert list(raw["agency"]) == ["BAPPEDA", "PERKIM", "DLH", "KEC_A", "KEC_B", "KSM"]
    s = raw.set_index("agency")
    # PERKIM leads A1: 2026 budget 600 m; over the years 2025-2027 3 x 600 m
    assert s.loc["PERKIM", "n_led"] == 1 and s.loc["PERKIM", "led"] == ("A1",)
    assert s.loc["PERKIM", "planned_cost_led_idr"] == 600 * M
    assert s.loc["PERKIM", "period_cost_led_idr"] == 1800 * M
    assert s.loc["PERKIM", "planned_outputs"] == "A1 100 septic tank"
    # DLH leads A2 (40 m) and A3 (nothing in 2026), supports A1 (600 m);
    # period: A2 40 + 40, A3 0 + 60 = 140 m
    assert s.loc["DLH", "led"] == ("A2", "A3") and s.loc["DLH", "supported"] == ("A1",)
    assert s.loc["DLH", "planned_cost_led_idr"] == 40 * M
    assert s.loc["DLH", "planned_cost_supported_idr"] == 600 * M
    assert s.loc["DLH", "period_cost_led_idr"] == 140 * M
    assert s.loc["DLH", "planned_outputs"] == "A2 40 household enrolled"
    assert s.loc["DLH", "n_open_actions"] == 2
    # camat: KEC_A supports A1 and is informed of A2; KEC_B informed of A2 and A3
    assert (s.loc["KEC_A", "n_supported"], s.loc["KEC_A", "n_informed"]) == (1, 1)
    assert (s.loc["KEC_B", "n_supported"], s.loc["KEC_B", "n_informed"]) == (0, 2)
    # without monitoring: verified spending of 2026 (Q1-Q2 and beyond): PERKIM 60 + 130
    assert s.loc["PERKIM", "spent_to_date_idr"] == 190 * M
    assert math.isnan(s.loc["PERKIM", "financial_pct"])
    # with the 2026 Q2 monitoring: the lead-agency roll-up
    w = agency_summary(prog, 2026, monitor(prog, params, 2026, 2)).set_index("agency")
    assert w.loc["PERKIM", "financial_pct"] == pytest.approx(190 / 240 * 100)
    assert w.loc["PERKIM", "physical_index_pct"] == pytest.approx(75.0)
    assert w.loc["PERKIM", "band"] == "sedang"
    assert w.loc["DLH", "n_behind"] == 1  # A2
    assert w.loc["KSM", "spent_to_date_idr"] == 0 and w.loc["KSM", "band"] == ""
    with pytest.raises(ValueError, match="2026"):
        agency_summary(prog, 2027, monitor(prog, params, 2026, 2))


def test_agency_owes_small(params: ParameterSet) -> None:
    b = agency_owes(small(), "PERKIM", 2026, dt.date(2026, 8, 15), params)
    assert (b.agency, b.city_kode, b.year) == ("PERKIM", "13.72", 2026)
    led = b.led.set_index("code")
    assert list(led.index) == ["A1"]
    a1 = led.loc["A1"]
    # apbd profile targets: 15, 40, 70, 100 tanks; 90, 240, 420, 600 m
    assert [a1[f"target_q{q}"] for q in (1, 2, 3, 4)] == pytest.approx([15, 40, 70, 100])
    assert [a1[f"cost_target_q{q}"] for q in (1, 2, 3, 4)] == pytest.approx(
        [90 * M, 240 * M, 420 * M, 600 * M]
    )
    # as of 15 Aug: quarters 1-3 may be reported; verified only: 30 tanks, 190 m;
    # against the Q3 target 70: 42.9 %
    assert a1["reported_quarter"] == 3
    assert (a1["output_to_date"], a1["spent_to_date_idr"]) == (30, 190 * M)
    assert a1["physical_pct"] == pytest.approx(30 / 70 * 100)
    # open action item (due 15 Jun): 61 days overdue on 15 Aug
    ai = b.action_items
    assert list(ai["action"]) == ["Survey the kelurahan"]
    assert bool(ai["overdue"].iloc[0]) and ai["days_overdue"].iloc[0] == 61
    # meetings of 2026 with PERKIM: MTG-1 only (MTG-2 is BAPPEDA, DLH, KEC_A)
    assert list(b.meetings["id"]) == ["MTG-1"]
    assert b.totals["planned_cost_idr"] == 600 * M
    assert b.totals["n_overdue"] == 1
    lines = b.lines("en")
    assert "Rp 600,000,000" in lines[1]
    assert any("Survey the kelurahan" in x and "overdue" in x for x in lines)
    assert "Rp 600.000.000" in b.lines("id")[1]


def test_agency_owes_submitted_and_unknown(params: ParameterSet) -> None:
    b = agency_owes(small(), "PERKIM", 2026, dt.date(2026, 9, 30), params, include_submitted=True)
    assert b.led.iloc[0]["output_to_date"] == 42  # the submitted Q3 row counts
    d = agency_owes(small(), "DLH", 2026, dt.date(2026, 9, 30), params)
    assert list(d.supported["code"]) == ["A1"]
    # DLH's meetings: MTG-1 and MTG-2 (held 10 Jul); MTG-2's action raised and overdue
    assert list(d.meetings["id"]) == ["MTG-1", "MTG-2"]
    assert sorted(d.action_items["action"]) == ["Report the land", "Sign the DAK contract"]
    with pytest.raises(ValueError, match="unknown agency"):
        agency_owes(small(), "NOPE", 2026, dt.date(2026, 9, 30), params)


def test_agency_owes_demo(params: ParameterSet) -> None:
    b = agency_owes(demo_programme(), "KEC_TH", 2026, dt.date(2026, 9, 30), params)
    # the camat of Tanjung Harapan leads nothing but owes the ALD-02 speed-up (overdue)
    assert b.led.empty
    assert list(b.action_items["meeting_id"]) == ["MTG-06"]
    assert b.action_items["days_overdue"].iloc[0] == 92
    assert "ALD-02" in set(b.supported["code"])
    # 2026 meetings with KEC_TH: MTG-06..MTG-10, the last not yet held on 30 Sep
    assert list(b.meetings["id"]) == ["MTG-06", "MTG-07", "MTG-08", "MTG-09", "MTG-10"]
    assert b.totals["n_upcoming"] == 1
    p = agency_owes(demo_programme(), "PERKIM", 2026, dt.date(2026, 6, 30), params)
    led = p.led.set_index("code")
    # ALD-08 (Perwako) has no 2026 plan but a 2026 output (the carry-over) so it is listed
    assert list(led.index) == ["ALD-01", "ALD-02", "ALD-08"]
    assert led.loc["ALD-02", "target_q2"] == pytest.approx(24)  # 60 x 0.40
    assert led.loc["ALD-02", "output_to_date"] == 8


def test_roles_two_cities(params: ParameterSet) -> None:
    a, b = demo_programme(), demo_programme("13.71")
    both = ProgrammeInputs(
        *(
            pd.concat([getattr(a, k), getattr(b, k)], ignore_index=True)
            for k in (
                "agencies",
                "activities",
                "planned",
                "realisation",
                "meetings",
                "action_items",
            )
        )
    )
    r = raci(both)
    assert len(r) == 2 * len(raci(a))
    s = agency_summary(both, 2026)
    assert s.groupby("city_kode")["planned_cost_led_idr"].sum().nunique() == 1
    with pytest.raises(ValueError, match="city_kode"):
        agency_owes(both, "DLH", 2026, dt.date(2026, 9, 30), params)
    one = agency_owes(both, "DLH", 2026, dt.date(2026, 9, 30), params, city_kode="13.71")
    alone = agency_owes(a, "DLH", 2026, dt.date(2026, 9, 30), params)
    assert one.totals == alone.totals
