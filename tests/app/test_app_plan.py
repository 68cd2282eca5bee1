"""The use-case layer on a tiny fake source: each step runs once, every problem of every
input is reported together, the instrument chapters are a pure function of the plan and the
instrument inputs, monitoring reuses a given plan, refusals carry their message."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import pytest

from sanitasi.app import (
    INSTRUMENTS,
    AppError,
    CitySource,
    FolderSource,
    InstrumentInputs,
    PlanRequest,
    agency_brief,
    instrument_chapters,
    monitoring_report,
    plan_report,
)
from sanitasi.core.ghg_plan import GHG_TABLES
from sanitasi.core.model import PlanInputs, PlanOptions, PlanResult
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.results import run_plan
from sanitasi.io.errors import InputErrors, Problem, problem
from sanitasi.io.ghg import GhgInputs
from sanitasi.io.instruments import RiskInputs

K1, K2, K3, K4 = "13.72.01.1001", "13.72.01.1002", "13.72.01.1003", "13.72.02.1001"


@cache
def demo_inputs() -> tuple[PlanInputs, PlanOptions]:
    return FolderSource(None).plan_inputs(PlanRequest())


@cache
def demo_programme() -> ProgrammeInputs:
    prog = FolderSource(None).programme()
    assert prog is not None
    return prog


@cache
def demo_ghg() -> GhgInputs:
    return FolderSource(None).ghg()


@cache
def demo_plan() -> PlanResult:
    return run_plan(*demo_inputs())


def tiny_risk() -> RiskInputs:
    """Four kelurahan, one IMPACT and one EXPOSURE (ald) indicator, weights 100 each.

    poverty 10/20/30/50 -> range 10-50, four intervals of 10: scores 1, 2, 3, 4 (30 is on a
    boundary: 3); irs 40/40/80/60 -> range 40-80, intervals of 10: 1, 1, 4, 3. Risk = IMPACT
    x EXPOSURE = 1x1, 2x1, 3x4, 4x3 = 1, 2, 12, 12; classes by four equal intervals of 1-12
    (width 2,75): 1, 1, 4, 4. The Pokja override puts K2 in class 3."""
    ind = pd.DataFrame(
        {
            "kode": [K1, K2, K3, K4] * 2,
            "subsector": ["all"] * 4 + ["ald"] * 4,
            "indicator": ["poverty_pct"] * 4 + ["irs_ald"] * 4,
            "value": [10.0, 20.0, 30.0, 50.0, 40.0, 40.0, 80.0, 60.0],
            "status": "illustrative",
        }
    )
    weights = pd.DataFrame(
        {
            "subsector": ["all", "ald"],
            "component": ["impact", "exposure"],
            "indicator": ["poverty_pct", "irs_ald"],
            "weight": [100.0, 100.0],
            "direction": ["risk", "risk"],
        }
    )
    overrides = pd.DataFrame(
        {"kode": [K2], "subsector": ["ald"], "class": [3], "reason": ["Field check: drains"]}
    )
    return RiskInputs("13.72", ind, weights, overrides, names={K1: "Tanah Garam"})


W_RISK = problem("SAN-W182", "risk_indicators.csv", 3, "kode", K1)


@dataclass
class FakeSource:
    """A source in memory: the demo's plan inputs, an optional programme, given instrument
    inputs, the demo's GHG inputs, and problems to raise per method; counts the calls."""

    prog: ProgrammeInputs | None = None
    ins: InstrumentInputs = field(default_factory=InstrumentInputs)
    fail: dict[str, list[Problem]] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return "fake"

    def plan_inputs(self, request: PlanRequest) -> tuple[PlanInputs, PlanOptions]:
        self.calls["plan_inputs"] += 1
        if "plan" in self.fail:
            raise InputErrors(self.fail["plan"])
        return demo_inputs()

    def programme(
        self,
        *,
        as_of: dt.date | None = None,
        through: tuple[int, int] | None = None,
        required: bool = False,
    ) -> ProgrammeInputs | None:
        self.calls["programme"] += 1
        if "programme" in self.fail:
            raise InputErrors(self.fail["programme"])
        if self.prog is None and required:
            raise InputErrors([problem("SAN-E001", "programme.csv", name="x", folder="fake")])
        return self.prog

    def instruments(
        self, kinds: Collection[str] = INSTRUMENTS, *, required: bool = False
    ) -> InstrumentInputs:
        self.calls["instruments"] += 1
        if "instruments" in self.fail:
            raise InputErrors(self.fail["instruments"])
        return self.ins

    def ghg(self) -> GhgInputs:
        self.calls["ghg"] += 1
        if "ghg" in self.fail:
            raise InputErrors(self.fail["ghg"])
        return demo_ghg()


def test_fake_source_is_a_city_source() -> None:
    assert isinstance(FakeSource(), CitySource)
    assert isinstance(FolderSource(None), CitySource)


def test_plan_report_runs_each_step_once_and_adds_the_risk_chapter() -> None:
    src = FakeSource(ins=InstrumentInputs(risk=tiny_risk(), warnings={"risk": (W_RISK,)}))
    res = plan_report(src, PlanRequest())
    assert src.calls == Counter(plan_inputs=1, programme=1, instruments=1, ghg=1)
    assert res.instruments == ("risk_scores", "risk_priority")
    base = demo_plan()
    assert list(res.tables)[: len(base.tables)] == list(base.tables)  # plan tables first
    # then Bab II, the priorities (METHOD.md §18.2), then the GHG chapter
    added = ["risk_scores", "risk_priority", "priority_areas", *GHG_TABLES]
    assert list(res.tables)[len(base.tables) :] == added
    sc = res.tables["risk_scores"].df.set_index("kode")
    # risk = IMPACT x EXPOSURE (docstring of tiny_risk): 1, 2, 12, 12; classes 1, 3 (override), 4, 4
    assert sc["risk_score"].tolist() == [1.0, 2.0, 12.0, 12.0]
    assert sc["final_class"].tolist() == [1, 3, 4, 4]
    assert sc.at[K2, "overridden"] and sc.at[K2, "computed_class"] == 1
    prio = res.tables["risk_priority"].df
    assert prio["kode"].tolist() == [K3, K4, K2]  # class 4, 4, then 3
    # no programme: no priority share; the input warning is a report warning
    assert "priority_share_period" not in res.tables and res.programme is None
    assert "SAN-W182" in [w.code for w in res.warnings]
    assert res.arrays is not None and res.inputs is demo_inputs()[0]


def test_plan_report_with_the_programme_shares_it_with_the_risk_chapter() -> None:
    src = FakeSource(prog=demo_programme(), ins=InstrumentInputs(risk=tiny_risk()))
    res = plan_report(src)
    assert res.programme is demo_programme()
    assert {"kkl", "roles", "priority_share_period", "priority_activities"} <= set(res.tables)
    assert res.instruments == (
        "risk_scores",
        "risk_priority",
        "priority_share_period",
        "priority_activities",
    )


def test_every_problem_of_every_input_is_raised_together() -> None:
    e_plan = problem("SAN-E020", "observations.csv", None, "year", 2031, years="2024")
    e_prog = problem("SAN-E001", "programme.csv", name="programme.csv", folder="fake")
    e_risk = problem("SAN-E083", "risk_weights.csv", 2, "weight", 45)
    e_ghg = problem("SAN-E145", "waste_composition.csv", None, "share_pct", 80, tolerance=1)
    src = FakeSource(
        fail={"plan": [e_plan], "programme": [e_prog], "instruments": [e_risk], "ghg": [e_ghg]}
    )
    with pytest.raises(InputErrors) as err:
        plan_report(src)
    assert [p.code for p in err.value.errors] == ["SAN-E020", "SAN-E001", "SAN-E083", "SAN-E145"]
    assert src.calls == Counter(plan_inputs=1, programme=1, instruments=1, ghg=1)


def test_instrument_chapters_is_pure_and_skips_absent_instruments() -> None:
    plan = demo_plan()
    assert instrument_chapters(plan, InstrumentInputs()) is plan
    before = dict(plan.tables)
    res = instrument_chapters(plan, InstrumentInputs(risk=tiny_risk()))
    assert dict(plan.tables) == before and plan.instruments == ()  # input not mutated
    assert res.instruments == ("risk_scores", "risk_priority")


def test_survey_shares_note_takes_the_window_parameter() -> None:
    shares = pd.DataFrame(
        {
            "kode": [K1],
            "nama": ["Tanah Garam"],
            "n": [45],
            **{f"pct_{r}": [0.0] for r in ("aman", "layak_sendiri", "layak_bersama")},
            **{f"pct_{r}": [0.0] for r in ("belum_layak", "babs_tertutup", "babs_terbuka")},
        }
    )
    shares["pct_aman"] = 100.0 * 20 / 45  # 20 of 45 households aman: 44,4 %
    res = instrument_chapters(demo_plan(), InstrumentInputs(survey_shares=shares))
    table = res.tables["survey_shares"]
    # aman_desludging_window_years = 5 in reference/parameters.csv
    assert "dikuras dalam 5 tahun terakhir" in table.note_id
    assert table.df["pct_aman"].iloc[0] == pytest.approx(44.444, abs=1e-3)
    assert dict(table.provenance) == {"derived": 1}


def test_monitoring_reuses_a_given_plan_and_may_have_no_programme() -> None:
    src = FakeSource()
    assert monitoring_report(src, 2026, 3, require_programme=False) is None
    with pytest.raises(InputErrors) as err:
        monitoring_report(src, 2026, 3)
    assert [p.code for p in err.value.errors] == ["SAN-E001"]
    src = FakeSource(prog=demo_programme())
    plan = demo_plan()
    report = monitoring_report(src, 2026, 3, plan=plan)
    assert report is not None and (report.year, report.quarter) == (2026, 3)
    assert src.calls["plan_inputs"] == 0  # the plan's inputs and arrays were reused
    assert report.as_of == dt.date(2026, 9, 30)  # default: the end of the quarter


def test_agency_brief_refuses_an_unknown_agency() -> None:
    src = FakeSource(prog=demo_programme())
    brief = agency_brief(src, "dlh", 2026, dt.date(2026, 9, 30))  # any case
    assert brief.agency == "DLH"
    with pytest.raises(AppError) as err:
        agency_brief(src, "XX", 2026, dt.date(2026, 9, 30))
    assert err.value.message("en").startswith("'XX': unknown agency code; BAPPEDA, ")
    assert "kode OPD tidak dikenal" in err.value.message("id")
