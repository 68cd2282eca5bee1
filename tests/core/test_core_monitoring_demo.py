"""Monitoring of the Kota Solok demo: the built-in cases of ``data/kota_solok/README.md``
(PS-04 overspend, ALD-02 behind, 2026 Q3 submitted, overdue action items) and a golden
summary of 2026 Q2 and Q3."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
import pytest
from programme_helpers import demo_programme, monitoring_params

from sanitasi.core.model import ParameterSet
from sanitasi.core.monitoring import (
    W_BEHIND,
    W_NO_REPORT,
    W_OVERDUE,
    W_OVERSPEND,
    W_UNPLANNED_OUTPUT,
    Monitoring,
    action_items_status,
    forecast_outputs,
    monitor,
)
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.messages import render as render_warning

M = 1_000_000.0


@pytest.fixture(scope="module")
def prog() -> ProgrammeInputs:
    return demo_programme()


@pytest.fixture(scope="module")
def params() -> ParameterSet:
    return monitoring_params()


@pytest.fixture(scope="module")
def q2(prog: ProgrammeInputs, params: ParameterSet) -> Monitoring:
    return monitor(prog, params, 2026, 2)


@pytest.fixture(scope="module")
def q3(prog: ProgrammeInputs, params: ParameterSet) -> Monitoring:
    return monitor(prog, params, 2026, 3)


def act(m: Monitoring, code: str) -> dict[str, object]:
    return m.activities.set_index("code").loc[code].to_dict()


def codes(m: Monitoring, code: str) -> list[str]:
    w = m.warnings_table
    return sorted(w.loc[w["code"] == code, "activity_code"])


def test_ps04_overspend_2025(prog: ProgrammeInputs, params: ParameterSet) -> None:
    for q in (3, 4):
        m = monitor(prog, params, 2025, q)
        ps04 = act(m, "PS-04")
        # Rp 784 m for 1 truck against Rp 700 m: +12 % > 10 %; efficiency 700 / 784 = 89.3 %
        assert ps04["realised_unit_cost_idr"] == 784 * M
        assert ps04["planned_unit_cost_idr"] == 700 * M
        assert ps04["unit_cost_overrun_pct"] == pytest.approx(12.0)
        assert ps04["efficiency_pct"] == pytest.approx(700 / 784 * 100)
        assert ps04["overspend"]
        w = m.warnings_table
        msg = w[(w["code"] == W_OVERSPEND) & (w["activity_code"] == "PS-04")].iloc[0]
        assert msg["agency"] == "DLH" and msg["value"] == pytest.approx(12.0)
        ws = [x for x in m.warnings if x.code == W_OVERSPEND and x.values["activity"] == "PS-04"]
        assert "Rp 784.000.000" in render_warning(ws[0], "id")
        assert "IDR 784,000,000" in render_warning(ws[0], "en")
    # at year end PS-04 is the only overspend (PS-05 is 5,700 m / 35,000 m3 = 162,857 per m3
    # vs 150,000: +8.6 %)
    assert codes(monitor(prog, params, 2025, 4), W_OVERSPEND) == ["PS-04"]
    # PS-04's 2026 truck (Rp 705 m vs 700 m, +0.7 %) is within tolerance
    assert not act(monitor(prog, params, 2026, 2), "PS-04")["overspend"]


def test_ald02_behind(
    q2: Monitoring, q3: Monitoring, prog: ProgrammeInputs, params: ParameterSet
) -> None:
    # 2026 plan 60 tanks, apbd profile: Q2 60 x 0.40 = 24, Q3 60 x 0.70 = 42
    a = act(q2, "ALD-02")
    assert a["physical_pct"] == pytest.approx(8 / 24 * 100)  # 33.3 %
    assert a["band"] == "sangat_rendah"
    assert act(q3, "ALD-02")["physical_pct"] == pytest.approx(8 / 42 * 100)  # 19.0 %
    inc = monitor(prog, params, 2026, 3, include_submitted=True)
    assert act(inc, "ALD-02")["physical_pct"] == pytest.approx(18 / 42 * 100)  # 42.9 %
    for m in (q2, q3, inc):
        assert "ALD-02" in codes(m, W_BEHIND)
    # 2025 year end: 27 of 40 = 67.5 % (sedang), no longer below the threshold
    y25 = monitor(prog, params, 2025, 4)
    assert act(y25, "ALD-02")["physical_pct"] == pytest.approx(67.5)
    assert codes(y25, W_BEHIND) == ["ALD-08"]  # the Perwako, enacted only in 2026 Q2


def test_submitted_2026_q3_not_counted(
    q3: Monitoring, prog: ProgrammeInputs, params: ParameterSet
) -> None:
    inc = monitor(prog, params, 2026, 3, include_submitted=True)
    # ALD-01: verified Q1-Q2 = 0 + 30; with the submitted Q3 row 85 ("85 of 150 by Q3")
    assert act(q3, "ALD-01")["output_to_date"] == 30
    assert act(inc, "ALD-01")["output_to_date"] == 85
    # ALD-04 (L2T2): 180 verified, 295 with Q3 ("295 of 400 by Q3")
    assert act(q3, "ALD-04")["output_to_date"] == 180
    assert act(inc, "ALD-04")["output_to_date"] == 295
    # ALD-05 (IPLT): Rp 0.4 bn verified, 1.3 bn with Q3 ("Rp 1.3 billion of 2.0 spent")
    assert act(inc, "ALD-05")["spent_to_date_idr"] == 1300 * M
    # nothing in the verified Q3 view comes from Q3
    assert (q3.activities["output_quarter"] == 0).all()
    assert (q3.activities["spent_quarter_idr"] == 0).all()
    # a submitted row is a report: no quarter is missing either way
    assert codes(q3, W_NO_REPORT) == [] and codes(inc, W_NO_REPORT) == []
    # and when the state column is missing everything counts as verified
    r = prog.realisation.drop(columns="state")
    nostate = monitor(replace(prog, realisation=r), params, 2026, 3)
    assert act(nostate, "ALD-01")["output_to_date"] == 85


def test_overdue_action_items_2026(prog: ProgrammeInputs, q3: Monitoring) -> None:
    ai = action_items_status(prog, dt.date(2026, 9, 30))
    od = ai[ai["overdue"]]
    # open items of 2026 due before 30 Sep 2026: the TPS3R land (DLH, due 31 Mar: 183 days)
    # and the ALD-02 speed-up (KEC_TH, due 30 Jun: 92 days)
    assert sorted(zip(od["meeting_id"], od["owner_agency"], od["days_overdue"], strict=True)) == [
        ("MTG-05", "DLH", 183),
        ("MTG-06", "KEC_TH", 92),
    ]
    w = q3.warnings_table
    assert sorted(w.loc[w["code"] == W_OVERDUE, "agency"]) == ["DLH", "KEC_TH"]
    # the MTG-10 items (meeting on 22 Oct 2026) are not raised yet on 30 Sep
    assert not ai.loc[ai["meeting_id"] == "MTG-10", "raised"].any()
    # by the end of the year the MTG-10 BAPPEDA item (due 30 Nov) and PUPR item (15 Dec)
    # are overdue too; the DLH SIPSN item is due in 2027
    late = action_items_status(prog, dt.date(2026, 12, 31))
    assert sorted(late.loc[late["overdue"], "owner_agency"]) == ["BAPPEDA", "DLH", "KEC_TH", "PUPR"]


def test_carry_overs_are_unplanned(q3: Monitoring) -> None:
    # 2026: the PS-05 cell carry-over (5,000 m3) and the Perwako (ALD-08) have no 2026 plan
    assert codes(q3, W_UNPLANNED_OUTPUT) == ["ALD-08", "PS-05"]


def _summary(m: Monitoring) -> dict[str, float]:
    c = m.by_city.iloc[0]
    return {
        k: round(float(c[k]), 1)
        for k in (
            "planned_cost_idr",
            "planned_cost_to_date_idr",
            "spent_to_date_idr",
            "unplanned_spent_idr",
            "financial_pct",
            "apbd_pagu_idr",
            "apbd_spent_idr",
            "absorption_pct",
            "investment_idr",
            "physical_index_pct",
            "n_behind",
            "n_overspend",
            "n_unplanned",
            "n_missing_reports",
        )
    } | {"band": c["band"], "n_warnings": len(m.warnings)}


def test_golden_2026_q2(q2: Monitoring) -> None:
    assert _summary(q2) == {
        # 5,822 m + PS-08 (Lubuk Sikarah collection points, APBD Kab/Kota) 50 m
        "planned_cost_idr": 5_872_000_000.0,
        # the works counted at completion (ALD-03, ALD-05) follow the completion S-curve,
        # s(2) = 0.35 instead of linear 0.50: 2,780 - (550 + 2,000) x 0.15 = 2,397.5 m,
        # + PS-08 50 x 0.50 = 25 m
        "planned_cost_to_date_idr": 2_422_500_000.0,
        "spent_to_date_idr": 2_089_500_000.0,  # 2,064.5 + PS-08 25
        "unplanned_spent_idr": 320_000_000.0,  # PS-05 300 m + ALD-08 20 m
        "financial_pct": 73.0,  # (2,089.5 - 320) / 2,422.5
        # APBD_KOTA + DAK pagu 2026: ALD-02 360 + ALD-04 100 + ALD-07 60 + PS-02 150 + PS-04 700
        # + PS-07 60 + PS-08 50 = 1,480 m (APBD Kab/Kota) + ALD-01 900 + ALD-05 2,000 (DAK)
        # = 4,380 m; spent on them: 48 + 45 + 30 + 50 + 705 + 30 + 25 + 180 + 400 = 1,513 m
        "apbd_pagu_idr": 4_380_000_000.0,
        "apbd_spent_idr": 1_513_000_000.0,
        "absorption_pct": 34.5,  # 1,513 / 4,380
        # APBN/APBD_PROV/MASYARAKAT/SWASTA: ALD-03 165 + PS-05 300 + PS-03 37.5 + PS-06 54
        "investment_idr": 556_500_000.0,
        # sum of min(physical %, 100) x annual cost / sum of cost, in Rp m: ALD-01 40 x 900,
        # ALD-02 33.3 x 360, ALD-04 100 (112.5 capped) x 100, ALD-07 100 x 60, PS-02 83.3 x 150,
        # PS-03 100 x 75, PS-04 100 (250 capped) x 700, PS-06 92.3 x 117 (164,800 in all), and
        # the completion works from their progres fisik: ALD-03 0.25 / 0.35 = 71.4 x 550,
        # ALD-05 1.5 / 3.5 = 42.9 x 2,000 (125,000); 0 % for PS-01 (750), PS-07 (60);
        # PS-08 1 of 2 x 0.5 = 100 x 50: 294,800 / 5,872 = 50.2
        "physical_index_pct": 50.2,
        "band": "sangat_rendah",
        "n_behind": 5,
        "n_overspend": 0,
        "n_unplanned": 2,
        "n_missing_reports": 0,
        "n_warnings": 10,
    }
    assert codes(q2, W_BEHIND) == ["ALD-01", "ALD-02", "ALD-05", "PS-01", "PS-07"]


def test_golden_2026_q3(q3: Monitoring, prog: ProgrammeInputs, params: ParameterSet) -> None:
    assert _summary(q3) == {
        "planned_cost_idr": 5_872_000_000.0,
        # 4,301 (all linear/apbd) - ALD-03 550 x 0.05 - ALD-05 2,000 x 0.05 (s(3) = 0.70)
        # + PS-08 50 x 0.75
        "planned_cost_to_date_idr": 4_211_000_000.0,
        "spent_to_date_idr": 2_089_500_000.0,  # the Q3 rows are only submitted
        "unplanned_spent_idr": 320_000_000.0,
        "financial_pct": 42.0,  # 1,769.5 / 4,211
        "apbd_pagu_idr": 4_380_000_000.0,
        "apbd_spent_idr": 1_513_000_000.0,
        "absorption_pct": 34.5,
        "investment_idr": 556_500_000.0,
        # as Q2 with the Q3 plan shares: 193,128.6 (ALD-03 0.25 / 0.70 = 35.7 %,
        # ALD-05 1.5 / 7 = 21.4 %) + PS-08 1 of 1.5 = 66.7 % x 50: 196,461.9 / 5,872
        "physical_index_pct": 33.5,
        "band": "sangat_rendah",
        "n_behind": 9,
        "n_overspend": 0,
        "n_unplanned": 2,
        "n_missing_reports": 0,
        "n_warnings": 15,
    }
    inc = monitor(prog, params, 2026, 3, include_submitted=True)
    s = _summary(inc)
    assert s["spent_to_date_idr"] == 3_770_250_000.0  # 3,740.25 + PS-08 25 + 5
    assert s["financial_pct"] == 81.9  # (3,770.25 - 320) / 4,211
    # with a pagu: APBD_KOTA ALD-02 108 + ALD-04 73.75 + ALD-07 45 + PS-02 100 + PS-04 705
    # + PS-07 45 + PS-08 30 = 1,106.75; DAK ALD-01 510 + ALD-05 1,300: 2,916.75 / 4,380
    assert s["absorption_pct"] == 66.6
    assert s["physical_index_pct"] == 73.7
    assert s["n_behind"] == 3
    assert codes(inc, W_BEHIND) == ["ALD-02", "PS-01", "PS-07"]


def test_investment_by_source_2026_q3(q3: Monitoring) -> None:
    src = q3.by_source.set_index("funding_source")
    assert list(src.index) == ["APBN", "DAK", "APBD_PROV", "APBD_KOTA", "SWASTA", "MASYARAKAT"]
    assert list(src["money_kind"]) == [
        "investment",
        "absorption",
        "investment",
        "absorption",
        "investment",
        "investment",
    ]
    # investment by source (verified to Q2): APBN ALD-03 165 m (PS-01 nothing yet),
    # APBD Provinsi PS-05 300 m (the 2025 cell's carry-over), SWASTA PS-06 27 + 27,
    # MASYARAKAT PS-03 18 + 19.5
    assert src["investment_idr"].to_dict() == {
        "APBN": 165 * M,
        "DAK": 0.0,
        "APBD_PROV": 300 * M,
        "APBD_KOTA": 0.0,
        "SWASTA": 54 * M,
        "MASYARAKAT": 37.5 * M,
    }
    # DAK: ALD-01 180 + ALD-05 400 of 900 + 2,000: 20 %; APBD Kab/Kota (908 + PS-08 25) /
    # (1,430 + 50)
    assert src.loc["DAK", "absorption_pct"] == pytest.approx(580 / 2900 * 100)
    assert src.loc["APBD_KOTA", "absorption_pct"] == pytest.approx(933 / 1480 * 100)
    c = q3.by_city.iloc[0]
    assert c["investment_apbn_idr"] == 165 * M and c["investment_apbd_prov_idr"] == 300 * M
    assert c["investment_swasta_idr"] == 54 * M and c["investment_masyarakat_idr"] == 37.5 * M


def test_completion_works_2026_q3(
    q3: Monitoring, prog: ProgrammeInputs, params: ParameterSet
) -> None:
    # ALD-03 (one IPAL komunal, completion profile s(3) = 0.70): nothing complete, progres
    # fisik 25 % verified (Q2): 0.25 / 0.70 = 35.7 %; with the submitted Q3 (70 %): 100 %
    a = act(q3, "ALD-03")
    assert a["plan_profile"] == "completion" and a["output_to_date"] == 0
    assert a["progress_pct"] == 25 and a["physical_to_date"] == pytest.approx(0.25)
    assert a["physical_pct"] == pytest.approx(25 / 70 * 100)
    assert math.isnan(a["efficiency_pct"])  # no output yet: no unit cost
    inc = monitor(prog, params, 2026, 3, include_submitted=True)
    assert act(inc, "ALD-03")["physical_pct"] == pytest.approx(100.0)
    # ALD-05 (IPLT, 10 m3/day): 15 % -> 1.5 of 7 m3/day = 21.4 %; submitted 60 %: 6 / 7
    assert act(q3, "ALD-05")["physical_pct"] == pytest.approx(1.5 / 7 * 100)
    assert act(inc, "ALD-05")["physical_pct"] == pytest.approx(6 / 7 * 100)
    # PS-05 2025 (40,000 m3 cell): Q3 15,000 m3 usable, progress 50 %: max(15,000, 20,000) of
    # 40,000 x 0.70 = 28,000 -> 71.4 %; year end 35,000 m3 and 87.5 %: 87.5 %
    y25q3 = monitor(prog, params, 2025, 3)
    assert act(y25q3, "PS-05")["physical_to_date"] == 20_000
    assert act(y25q3, "PS-05")["physical_pct"] == pytest.approx(20_000 / 28_000 * 100)
    assert act(monitor(prog, params, 2025, 4), "PS-05")["physical_pct"] == pytest.approx(87.5)


def test_rollups_add_up(q3: Monitoring) -> None:
    total = q3.activities["planned_cost_idr"].sum()
    for t in (q3.by_agency, q3.by_sector, q3.by_kecamatan, q3.by_city):
        assert t["planned_cost_idr"].sum() == pytest.approx(total)
        assert t["spent_to_date_idr"].sum() == pytest.approx(
            q3.activities["spent_to_date_idr"].sum()
        )
    assert set(q3.by_kecamatan["kecamatan_kode"]) == {"13.72.01", "13.72.02", "city"}


def test_demo_forecast(prog: ProgrammeInputs, q3: Monitoring) -> None:
    f = forecast_outputs(prog, q3, 2029)
    assert set(f["year"]) == {2025, 2026, 2027, 2028, 2029}
    assert len(f) == 16 * 5
    a = f.set_index(["code", "year"])
    assert a.loc[("ALD-01", 2025), "output"] == 115  # realised 2025
    # ALD-04: pace 180 / 280 = 0.643; 2026 = 180 + (400 - 280) x 0.643 = 257.1
    assert a.loc[("ALD-04", 2026), "output"] == pytest.approx(180 + 120 * 180 / 280)
    assert a.loc[("ALD-04", 2029), "output"] == pytest.approx(700 * 180 / 280)
    assert (f["output"] >= 0).all()


def test_same_as_io_loader(prog: ProgrammeInputs, params: ParameterSet) -> None:
    """The io loader's demo gives the same monitoring as the local test helper."""
    io_programme = pytest.importorskip("sanitasi.io.programme")
    loaded = io_programme.load_programme(None)
    for inc in (False, True):
        a = monitor(prog, params, 2026, 3, include_submitted=inc)
        b = monitor(loaded, params, 2026, 3, include_submitted=inc)
        pd.testing.assert_frame_equal(
            a.activities, b.activities, check_dtype=False, check_index_type=False
        )
        pd.testing.assert_frame_equal(a.by_city, b.by_city, check_dtype=False)
        assert a.warnings == b.warnings


def test_two_cities_match_one(prog: ProgrammeInputs, params: ParameterSet) -> None:
    """Every table is keyed by city: a city monitored inside a two-city run gets the same
    figures as alone (the second city is the demo re-keyed to 13.71)."""
    other = demo_programme("13.71")
    both = ProgrammeInputs(
        *(
            pd.concat([getattr(prog, k), getattr(other, k)], ignore_index=True)
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
    one = monitor(prog, params, 2026, 3)
    two = monitor(both, params, 2026, 3)
    assert list(two.by_city["city_kode"]) == ["13.71", "13.72"]
    mine = two.activities[two.activities["city_kode"] == "13.72"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, one.activities)
    c = two.by_city.set_index("city_kode")
    assert c.loc["13.71", "physical_index_pct"] == pytest.approx(
        c.loc["13.72", "physical_index_pct"]
    )
    assert len(two.warnings) == 2 * len(one.warnings)
    assert len(two.by_agency) == 2 * len(one.by_agency)
