"""The optimised alternatives of ``sanitasi scenarios`` (docs/METHOD.md §14.2): the city's
optimised plan beside the others, a scenario's own optimised plan under its budget, the
column kept with the reason when the city has no budget or the solver fails; the frames
checked by hand against the optimiser's own tables."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sanitasi.app import FolderSource
from sanitasi.app.scenarios import (
    OPTIMISED,
    OPTIMISED_PREFIX,
    SCENARIO_PREFIX,
    compare_scenarios,
    optimised_frames,
)
from sanitasi.cli import main
from sanitasi.core.model import Table
from sanitasi.core.optimise import Problem, Stream, needs_based_cost_by_sector
from sanitasi.io.reference import demo_city_dir
from sanitasi.reports.scenarios import alternative_notes, scenario_tables

pytestmark = pytest.mark.slow

YEARS = np.array([2025, 2026])


def _problem() -> Problem:
    # one kelurahan: 10 households a year into layak at Rp 1 million (ald); 2 t/day of
    # added penanganan in 2026 at Rp 0 (its trucks are the facilities; none here)
    layak = Stream(
        "layak",
        "ald",
        "pct_layak",
        "households",
        np.array([[10.0, 20.0]]),
        np.full((1, 2), 1e6),
        np.array([[1.0]]),
        np.full(2, 1.0),
    )
    pen = Stream(
        "penanganan",
        "persampahan",
        "pct_waste_penanganan",
        "t/day",
        np.array([[0.0, 2.0]]),
        np.zeros((1, 2)),
        np.array([[1.0]]),
        np.full(2, 1.0),
    )
    caps = pd.DataFrame(columns=["year", "source", "sector", "cap_idr"])
    return Problem(YEARS, np.array(["k1"]), ("APBD_KOTA",), (layak, pen), (), caps)


def test_needs_based_cost_by_sector_by_hand() -> None:
    by = needs_based_cost_by_sector(_problem())
    np.testing.assert_allclose(by["ald"], [10e6, 10e6])  # 10 households x Rp 1 million a year
    np.testing.assert_allclose(by["persampahan"], [0.0, 0.0])


def test_optimised_frames_by_hand() -> None:
    """Indicator = trajectory - shortfall (waste managed: minus both waste shortfalls); cost
    = the plan's period cost - the model's needs-based cost + the optimised cost."""
    headline = pd.DataFrame(
        {
            "kode": "13.72",
            "indicator": ["pct_layak", "pct_waste_managed", "pct_babs_terbuka"],
            "year": 2026,
            "trajectory_pct": [90.0, 98.0, 0.0],
        }
    )
    costs = pd.DataFrame(
        {
            "kode": "13.72",
            "year": [2025, 2026, 2026, 2030],
            "sector": ["ald", "ald", "persampahan", "ald"],
            "cost_idr": [50e6, 50e6, 7e6, 1e9],  # 2030 is outside the period
        }
    )

    class Plan(SimpleNamespace):  # the slice of a PlanResult optimised_frames reads
        def __getitem__(self, name: str) -> pd.DataFrame:
            return self.tables[name].df

    plan = Plan(
        options=SimpleNamespace(period=(2025, 2026)),
        city_kodes=("13.72",),
        tables={"headline": SimpleNamespace(df=headline), "costs": SimpleNamespace(df=costs)},
    )
    short = pd.DataFrame(
        {
            "indicator": ["pct_layak", "pct_waste_pengurangan", "pct_waste_penanganan"],
            "year": 2026,
            "shortfall_pts": [2.5, 1.0, 0.5],
        }
    )
    opt_plan = pd.DataFrame(
        {"year": [2025, 2026], "sector": ["ald", "ald"], "cost_idr": [4e6, 11e6]}
    )
    report = SimpleNamespace(
        problem=_problem(),
        result=SimpleNamespace(
            tables={
                "optimise_shortfall": Table("s", "", "", short, {}, {}),
                "optimise_plan": Table("p", "", "", opt_plan, {}, {}),
            }
        ),
    )
    head, cost = optimised_frames(report, plan)  # type: ignore[arg-type]
    got = head.set_index("indicator")["value_pct"]
    assert got["pct_layak"] == pytest.approx(87.5)  # 90 - 2.5
    assert got["pct_waste_managed"] == pytest.approx(96.5)  # 98 - (1.0 + 0.5)
    assert "pct_babs_terbuka" not in got.index  # not modelled by the optimiser
    c = cost.set_index("sector")["cost_idr"]
    assert c["ald"] == pytest.approx(100e6 - 20e6 + 15e6)  # 95 million
    assert c["persampahan"] == pytest.approx(7e6)


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    return compare_scenarios(FolderSource(None), optimise=True)


def test_demo_optimised_column_matches_the_optimiser(demo) -> None:  # type: ignore[no-untyped-def]
    keys = [a.key for a in demo.alternatives]
    assert keys[:4] == ["bau", "needs", "programme", OPTIMISED]
    assert SCENARIO_PREFIX + "nasional_sedot_mahal" in keys
    # the demo scenario names no budget: no optimised run of its own
    assert OPTIMISED_PREFIX + "nasional_sedot_mahal" not in keys
    opt = demo.alternatives[3]
    assert opt.budget_from == "budget.csv" and opt.absent_en == ""
    report = demo.optimised[OPTIMISED]
    short = report.result.tables["optimise_shortfall"].df.set_index(["indicator", "year"])
    s = demo.shortfall.set_index(["alternative", "indicator"])
    # at 2029 the comparison's shortfall is the optimiser's (aman: 5.4 points on the demo)
    aman = float(short.loc[("pct_aman", 2029), "shortfall_pts"])
    assert aman > 5.0
    assert s.loc[(OPTIMISED, "pct_aman"), "shortfall_pts"] == pytest.approx(aman, abs=1e-9)
    ind = demo.indicators
    needs = ind[(ind["alternative"] == "needs") & (ind["indicator"] == "pct_aman")]
    opt_aman = ind[(ind["alternative"] == OPTIMISED) & (ind["indicator"] == "pct_aman")]
    merged = needs.merge(opt_aman, on=["kode", "indicator", "year"], suffixes=("_n", "_o"))
    gaps = short.xs("pct_aman", level="indicator")["shortfall_pts"]
    np.testing.assert_allclose(
        merged["value_pct_n"] - merged["value_pct_o"], gaps.reindex(merged["year"]), atol=1e-9
    )
    # cost: the needs-based cost less the model's saving (model needs-based - optimised)
    c = demo.costs.set_index(["alternative", "sector"])["cost_idr"]
    saving = report.needs_based_cost_idr - float(report.solution.cost.sum())
    total_opt = c[OPTIMISED].sum()
    total_needs = c["needs"].sum()
    assert total_opt == pytest.approx(total_needs - saving, rel=1e-9)
    assert 0 < total_opt < total_needs


def test_report_says_where_the_budget_comes_from(demo) -> None:  # type: ignore[no-untyped-def]
    notes = alternative_notes(demo, "en")
    assert len(notes) == 1 and "budget from budget.csv" in notes[0]
    tables = scenario_tables(demo, "en")
    assert "budget from budget.csv" in tables["scenario_costs"].note_en


def _city(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), dest)
    return dest


def test_scenario_with_its_own_budget_gets_its_own_optimised_plan(tmp_path: Path) -> None:
    city = _city(tmp_path)
    budget = pd.read_csv(city / "budget.csv")
    budget["cap_idr"] = budget["cap_idr"] * 0.5
    budget.to_csv(city / "budget_half.csv", index=False)
    (city / "scenarios" / "half.toml").write_text(
        'title = "Anggaran separuh"\ntitle_en = "Half budget"\nbudget = "budget_half.csv"\n',
        encoding="utf-8",
    )
    cmp = compare_scenarios(FolderSource(city), optimise=True)
    keys = [a.key for a in cmp.alternatives]
    assert keys.index(OPTIMISED_PREFIX + "half") == keys.index(SCENARIO_PREFIX + "half") + 1
    alt = cmp.alternatives[keys.index(OPTIMISED_PREFIX + "half")]
    assert alt.budget_from == "budget_half.csv" and alt.label_en == "Half budget \u2014 optimised"
    half, full = cmp.optimised[OPTIMISED_PREFIX + "half"], cmp.optimised[OPTIMISED]
    # half the caps: every cap row is half the city's, never more progress
    caps_half = half.problem.caps.set_index(["year", "source", "sector"])["cap_idr"]
    caps_full = full.problem.caps.set_index(["year", "source", "sector"])["cap_idr"]
    np.testing.assert_allclose(caps_half, 0.5 * caps_full.reindex(caps_half.index))
    assert half.solution.shortfall_objective >= full.solution.shortfall_objective - 1e-6
    assert half.solution.cost.sum() < full.solution.cost.sum()
    s = cmp.shortfall.set_index(["alternative", "indicator"])["shortfall_pts"]
    assert s[(OPTIMISED_PREFIX + "half", "pct_aman")] >= s[(OPTIMISED, "pct_aman")] - 1e-9


def test_no_budget_keeps_the_column_and_says_why(tmp_path: Path) -> None:
    city = _city(tmp_path)
    (city / "budget.csv").unlink()
    (city / "fiscal_history.csv").unlink()
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["scenarios", "--city-dir", str(city), "--out", str(out), "--lang", "en"]
    )
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    assert "Optimised plan: no figures" in flat and "No budget" in flat
    html = (out / "scenarios.html").read_text(encoding="utf-8")
    assert "Optimised plan: no figures" in html


def test_solver_failure_keeps_the_column_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import sanitasi.app.optimise as app_opt
    from sanitasi.core.optimise import OptimiseFailed

    def fail(_p: object) -> None:
        raise OptimiseFailed("Time limit reached")

    monkeypatch.setattr(app_opt, "solve", fail)
    cmp = compare_scenarios(FolderSource(None), scenarios=[], optimise=True)
    opt = [a for a in cmp.alternatives if a.key == OPTIMISED][0]
    assert "Time limit reached" in opt.absent_en and "HiGHS" in opt.absent_en
    assert not (cmp.indicators["alternative"] == OPTIMISED).any()
    assert OPTIMISED not in cmp.optimised
    table = scenario_tables(cmp, "en")["scenario_indicators"]
    assert OPTIMISED in table.df.columns and table.df[OPTIMISED].isna().all()


def test_bad_scenario_budget_file_exits_2(tmp_path: Path) -> None:
    city = _city(tmp_path)
    (city / "caps_bad.csv").write_text("year,source,cap_idr\n2025,BANK,1\n", encoding="utf-8")
    (city / "scenarios" / "bad.toml").write_text('budget = "caps_bad.csv"\n', encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["scenarios", "--city-dir", str(city), "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "SAN-E024" in r.output and "caps_bad.csv" in r.output
    assert not out.exists()
