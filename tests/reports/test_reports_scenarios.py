"""Reports of the scenario comparison and the Monte Carlo on small hand-made results: labels
not codes, Indonesian numbers, user text escaped (HTML and rich), workbook sheets."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
from rich.console import Console

from sanitasi.app.scenarios import Alternative
from sanitasi.io.scenarios import Scenario
from sanitasi.reports.scenarios import (
    print_scenarios,
    print_uncertainty,
    scenario_tables,
    uncertainty_tables,
    write_scenarios,
    write_uncertainty,
)

EVIL = "<script>alert(1)</script> [bold]x[/bold]"


def _cmp() -> SimpleNamespace:
    sc = Scenario(
        name="s", title=EVIL, title_en=EVIL, file="scenarios/s.toml", target_sets=("SDG_2030",)
    )
    alts = (
        Alternative("bau", "B", "B"),
        Alternative("needs", "N", "N"),
        Alternative("scenario:s", sc.title, sc.title_en, sc),
    )
    ind = pd.DataFrame(
        {
            "kode": "13.72",
            "indicator": ["pct_layak"] * 3,
            "year": [2029] * 3,
            "alternative": ["bau", "needs", "scenario:s"],
            "value_pct": [82.75, 90.0, 91.25],
        }
    )
    costs = pd.DataFrame(
        {
            "kode": "13.72",
            "alternative": ["needs", "scenario:s"],
            "sector": ["ald", "ald"],
            "cost_idr": [24.5e9, 30e9],
            "programme_cost_idr": [11.5e9, 11.5e9],
            "funding_gap_idr": [13e9, 18.5e9],
        }
    )
    short = ind.assign(trajectory_pct=90.0, shortfall_pts=[7.25, 0.0, 0.0])
    base = SimpleNamespace(tables={"costs": SimpleNamespace(provenance={"illustrative": 2})})
    return SimpleNamespace(
        period=(2025, 2029),
        alternatives=alts,
        indicators=ind,
        costs=costs,
        shortfall=short,
        base=base,
        city_kodes=("13.72",),
    )


def test_scenario_tables_use_labels() -> None:
    t = scenario_tables(_cmp(), "id")
    ind = t["scenario_indicators"].df
    assert list(ind["indicator"]) == ["Akses layak"]
    assert list(ind.columns) == ["indicator", "year", "bau", "needs", "scenario:s"]
    assert t["scenario_indicators"].label("bau", "id") == "Tanpa intervensi (BAU)"
    assert t["scenario_indicators"].label("scenario:s", "en") == EVIL
    assert list(t["scenario_costs"].df["sector"]) == ["Air limbah domestik"] * 2
    assert t["scenario_definitions"].df.at[0, "target_sets"] == "TPB/SDG 2030"


def test_html_escapes_and_formats(tmp_path: Path) -> None:
    write_scenarios(_cmp(), tmp_path, "Kota Solok", "id")
    html = (tmp_path / "scenarios.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "91,3%" in html  # 91.25 the Indonesian way, one decimal
    assert "Rp 24,5 miliar" in html
    wb = openpyxl.load_workbook(tmp_path / "scenarios.xlsx", read_only=True)
    assert wb.sheetnames == [
        "README",
        "scenario_definitions",
        "scenario_indicators",
        "scenario_costs",
        "scenario_shortfall",
    ]


def test_terminal_escapes_user_text() -> None:
    con = Console(record=True, width=200)
    print_scenarios(_cmp(), con, "en")
    text = con.export_text()
    assert "[bold]x[/bold]" in text  # shown literally, not as markup
    assert "Needs-based plan" in text and "pct_layak" not in text


def _unc() -> SimpleNamespace:
    costs = pd.DataFrame(
        {
            "kode": "13.72",
            "sector": ["ald", "total"],
            "year": [2025, 2025],
            "deterministic_idr": [1e9, 1e9],
            "mean_idr": [1.1e9, 1.1e9],
            "p10_idr": [0.9e9, 0.9e9],
            "p50_idr": [1.05e9, 1.05e9],
            "p90_idr": [1.4e9, 1.4e9],
        }
    )
    needs = pd.DataFrame(
        {
            "kode": "13.72",
            "sector": ["ald"],
            "need": ["new_septic_tank"],
            "unit": ["household"],
            "year": [2025],
            "deterministic": [10.0],
            "p10": [8.0],
            "p50": [10.0],
            "p90": [12.5],
        }
    )
    drawn = pd.DataFrame(
        {
            "name": ["persons_per_household"],
            "kind": ["parameter"],
            "role": ["engine"],
            "unit": ["persons/household"],
            "low": [3.8],
            "mode": [3.9],
            "high": [4.2],
            "status": ["unverified"],
        }
    )
    return SimpleNamespace(
        draws=100,
        runs=4,
        seed=1,
        period=(2025, 2029),
        city_kodes=("13.72",),
        drawn=drawn,
        costs=costs,
        period_costs=costs.drop(columns="year"),
        needs=needs,
        reach=pd.DataFrame(
            {
                "kode": ["13.72"],
                "indicator": ["pct_aman"],
                "year": [2029],
                "trajectory_pct": [22.0],
                "p10_pct": [15.0],
                "p50_pct": [16.0],
                "p90_pct": [17.0],
                "probability": [0.5],
            }
        ),
        budget_from="budget.csv",
    )


def test_uncertainty_reports(tmp_path: Path) -> None:
    t = uncertainty_tables(_unc(), "id")
    assert list(t["uncertainty_period"].df["sector"])[-1] == "Jumlah"
    assert t["uncertainty_needs"].df.at[0, "need"] != "new_septic_tank"
    assert t["uncertainty_drawn"].df.at[0, "status"] != "unverified"
    assert np.isclose(t["uncertainty_reach"].df.at[0, "probability"], 50.0)
    write_uncertainty(_unc(), tmp_path, "Kota Solok", "en")
    html = (tmp_path / "uncertainty.html").read_text(encoding="utf-8")
    assert "IDR 1.4 billion" in html and "P90" in html
    con = Console(record=True, width=160)
    print_uncertainty(_unc(), con, "id")
    text = con.export_text()
    assert "Rp 1,4 miliar" in text and "100 undian" in text
    # P(reach) per indicator x year, and where the budget comes from
    flat = " ".join(text.split())
    assert "Peluang mencapai" in flat and "Akses aman 50%" in flat
    assert "budget.csv" in text
