"""``sanitasi scenarios`` and ``sanitasi uncertainty`` end to end: files, terminal, exit 2 on a
bad scenario file with nothing written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sanitasi.cli import main

pytestmark = pytest.mark.slow


def test_scenarios_demo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["scenarios", "--out", str(out), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["scenarios.html", "scenarios.xlsx"]
    assert "National targets only" in r.output and "Needs-based plan" in r.output
    assert "pct_layak" not in r.output  # labels, never codes
    assert "[green]" not in r.output and "\u2192" in r.output  # styled, not raw markup
    wb = openpyxl.load_workbook(out / "scenarios.xlsx", read_only=True)
    assert wb.sheetnames[0] == "README"
    assert {"scenario_indicators", "scenario_costs", "scenario_shortfall"} <= {
        s[:31] for s in wb.sheetnames
    }
    html = (out / "scenarios.html").read_text(encoding="utf-8")
    assert "Basic" in html or "layak" in html
    assert "<script" not in html


def test_bad_scenario_exits_2_and_writes_nothing(city: Path, tmp_path: Path) -> None:
    (city / "scenarios" / "bad.toml").write_text(
        'title = "x"\ncolour = 1\n[parameters]\nno_such = 2\n', encoding="utf-8"
    )
    (city / "scenarios" / "broken.toml").write_text("title = ", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["scenarios", "--city-dir", str(city), "--out", str(out)])
    assert r.exit_code == 2, r.output
    for code in ("SAN-E197", "SAN-E198", "SAN-E018"):
        assert code in r.output
    assert "scenarios/bad.toml" in r.output and "scenarios/broken.toml" in r.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sanitasi-")]


def test_uncertainty_demo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["uncertainty", "--draws", "40", "--runs", "2", "--seed", "3", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["uncertainty.html", "uncertainty.xlsx"]
    assert "P10" in r.output and "Jumlah" in r.output
    assert "40 undian" in r.output
    assert "[/]" not in r.output and "\u2192" in r.output


def test_uncertainty_bad_input_exits_2(city: Path, tmp_path: Path) -> None:
    (city / "regions.csv").write_text("kode,nama\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["uncertainty", "--city-dir", str(city), "--draws", "5", "--out", str(out)]
    )
    assert r.exit_code == 2, r.output
    assert "SAN-E002" in r.output and "regions.csv" in r.output
    assert not out.exists()


def test_uncertainty_rejects_zero_draws() -> None:
    r = CliRunner().invoke(main, ["uncertainty", "--draws", "0"])
    assert r.exit_code == 2
