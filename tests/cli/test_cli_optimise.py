"""`sanitasi optimise` end to end on the demo (docs/METHOD.md §18.3): the three tables with
the issue's English headers in the terminal and optimise.xlsx, spend within every cap, the
shortfall warning; bad budget exits 2 with every problem; a solver failure exits 1."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sanitasi.app.optimise import optimise_report
from sanitasi.app.source import FolderSource
from sanitasi.cli import main
from sanitasi.messages import render as render_warning

HEADERS = {
    "optimise_spend": ["Year", "Funding source", "Cap (IDR)", "Spent (IDR)"],
    "optimise_shortfall": [
        "Indicator",
        "Year",
        "Trajectory (%)",
        "Optimised (%)",
        "Shortfall (points)",
    ],
    "optimise_shadow": ["Year", "Funding source", "Marginal gain per billion IDR", "Unit"],
}


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


@pytest.fixture(scope="module")
def demo_report():
    return optimise_report(FolderSource(None))


def test_demo_spend_within_caps_and_a_named_shortfall(demo_report) -> None:
    r = demo_report
    sec = r.result.tables["optimise_spend_sector"].df
    assert (sec["spent_idr"] <= sec["cap_idr"] * (1 + 1e-7) + 1.0).all()
    short = r.result.tables["optimise_shortfall"].df
    aman = short[short["indicator"] == "pct_aman"].set_index("year")
    # the demo's budget falls short of the aman path, more each year
    assert aman.at[2029, "shortfall_pts"] > aman.at[2025, "shortfall_pts"] >= 0.0
    assert (short["optimised_pct"] <= short["trajectory_pct"] + 1e-9).all()
    w25 = [w for w in r.result.warnings if w.code == "SAN-W025"]
    assert len(w25) == 1 and "DAK" in render_warning(w25[0], "en")
    assert r.budget_from == "budget.csv"
    # the optimised plan spends no more than the needs-based path of the same model
    assert r.solution.cost.sum() <= r.needs_based_cost_idr
    for name, headers in HEADERS.items():
        t = r.result.tables[name]
        assert [t.label(c, "en") for c in t.df.columns] == headers


def test_cli_prints_the_tables_and_writes_the_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("optimise", "--out", str(out), "--lang", "en")
    assert code == 0, text
    flat = " ".join(text.split())
    for headers in HEADERS.values():
        for h in headers:
            assert h in flat, h
    assert "SAN-W025" in flat
    assert "[yellow]" not in flat and "[green]" not in flat and "[/]" not in flat
    assert sorted(p.name for p in out.iterdir()) == ["optimise.html", "optimise.xlsx"]
    wb = openpyxl.load_workbook(out / "optimise.xlsx", read_only=True)
    english = {
        tuple(c for c in row if c)
        for ws in wb.worksheets
        for row in ws.iter_rows(min_row=1, max_row=6, values_only=True)
    }
    # the English headers, in order; a code column may be followed by its words
    # column ("Funding source (in words)", the column registry's rule for codes in XLSX)
    plain = {tuple(c for c in row if not str(c).endswith("(in words)")) for row in english}
    for headers in HEADERS.values():
        assert tuple(headers) in plain, headers


def test_default_budget_from_the_fiscal_history(city: Path) -> None:
    (city / "budget.csv").unlink()
    code, text = run("optimise", "--city-dir", str(city), "--lang", "en")
    assert code == 0, text
    assert "budget from fiscal_history.csv" in " ".join(text.split())


def test_no_budget_at_all_exits_2(city: Path) -> None:
    (city / "budget.csv").unlink()
    (city / "fiscal_history.csv").unlink()
    code, text = run("optimise", "--city-dir", str(city), "--lang", "en")
    assert code == 2 and "No budget" in text


def test_bad_budget_file_exits_2_with_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "caps.csv"
    bad.write_text("year,source,cap_idr\n2025,BANK,1\n2026,DAK,-1\n", encoding="utf-8")
    out = tmp_path / "out"
    code, text = run("optimise", "--budget", str(bad), "--out", str(out))
    assert code == 2, text
    flat = " ".join(text.split())
    assert "SAN-E024" in flat and "SAN-E009" in flat and "caps.csv" in flat
    assert not out.exists()


def test_solver_failure_exits_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sanitasi.app.optimise as app_opt
    from sanitasi.core.optimise import OptimiseFailed

    def fail(_p: object) -> None:
        raise OptimiseFailed("Time limit reached")

    monkeypatch.setattr(app_opt, "solve", fail)
    out = tmp_path / "out"
    code, text = run("optimise", "--out", str(out), "--lang", "en")
    assert code == 1 and "Time limit reached" in text
    assert not out.exists()
