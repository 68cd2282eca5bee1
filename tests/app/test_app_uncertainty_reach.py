"""P(reach) under a budget on the demo (docs/METHOD.md §15.4): ample caps reach every year,
no caps reach none of a rising trajectory, more budget never lowers it, seeded results are
reproducible, no budget says why; ``sanitasi uncertainty`` prints the table."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sanitasi.app import FolderSource
from sanitasi.app.plan import plan_report
from sanitasi.app.uncertainty import reach_budget, uncertainty_report, uncertainty_run
from sanitasi.cli import main
from sanitasi.io.reference import demo_city_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    src = FolderSource(None)
    plan = plan_report(src)
    return plan, reach_budget(src, plan)


def _run(plan, rb, factor: float, draws: int = 200):  # type: ignore[no-untyped-def]
    caps = rb.caps.assign(cap_idr=rb.caps["cap_idr"] * factor)
    return uncertainty_run(
        plan.inputs, plan.options, draws=draws, runs=2, seed=7, budget=replace(rb, caps=caps)
    ).reach


def test_budget_scales(demo) -> None:  # type: ignore[no-untyped-def]
    plan, rb = demo
    assert rb.origin == "budget.csv"
    ample = _run(plan, rb, 1e3)
    assert (ample["probability"] == 1.0).all()
    np.testing.assert_allclose(ample["p50_pct"], ample["trajectory_pct"])
    none = _run(plan, rb, 0.0)
    # with no money only what business as usual reaches is reached (penanganan on the demo)
    rising = none["indicator"].isin(["pct_layak", "pct_aman", "pct_waste_pengurangan"])
    assert (none.loc[rising, "probability"] == 0.0).all()
    prev = none["probability"].to_numpy()
    for f in (0.5, 1.0, 2.0, 4.0):  # more budget never lowers P(reach)
        p = _run(plan, rb, f)["probability"].to_numpy()
        assert (p >= prev).all()
        prev = p


def test_seeded_and_reproducible(demo) -> None:  # type: ignore[no-untyped-def]
    plan, rb = demo
    a, b = _run(plan, rb, 1.0), _run(plan, rb, 1.0)
    assert a.equals(b)
    assert ((a["probability"] >= 0) & (a["probability"] <= 1)).all()
    assert (a["p10_pct"] <= a["p50_pct"] + 1e-9).all() and (
        a["p50_pct"] <= a["p90_pct"] + 1e-9
    ).all()


def test_no_budget_says_why(tmp_path: Path) -> None:
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    (city / "budget.csv").unlink()
    (city / "fiscal_history.csv").unlink()
    res = uncertainty_report(FolderSource(city), draws=20, runs=1)
    assert res.reach is None and "No budget" in res.reach_absent_en
    r = CliRunner().invoke(
        main,
        [
            "uncertainty",
            "--city-dir",
            str(city),
            "--draws",
            "20",
            "--runs",
            "1",
            "--lang",
            "en",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "Probability of reaching the target not computed" in " ".join(r.output.split())


def test_cli_prints_p_reach(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["uncertainty", "--draws", "50", "--runs", "2", "--lang", "en", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    assert "Probability of reaching the target (under the budget)" in flat
    assert "budget from budget.csv" in flat
    html = (out / "uncertainty.html").read_text(encoding="utf-8")
    assert "P(reach)" in html


def test_bad_budget_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "caps.csv"
    bad.write_text("year,source,cap_idr\n2025,BANK,1\n", encoding="utf-8")
    r = CliRunner().invoke(
        main,
        [
            "uncertainty",
            "--budget",
            str(bad),
            "--draws",
            "10",
            "--runs",
            "1",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert r.exit_code == 2 and "SAN-E024" in r.output
    assert not (tmp_path / "out").exists()
