"""CLI of issue 3: export-template / import (round trip, bad workbook, --check) and monitor."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sanitasi.cli import main


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("kind", ["programme", "realisation"])
def test_template_round_trip_leaves_folder_unchanged(kind: str, city: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / f"{kind}.xlsx"
    code, text = run("export-template", kind, "--city-dir", str(city), "--out", str(xlsx))
    assert code == 0, text
    assert xlsx.exists()
    before = snapshot(city)
    code, text = run("import", str(xlsx), "--city-dir", str(city))
    assert code == 0, text
    assert snapshot(city) == before


def _realisation_sheet(path: Path) -> tuple[openpyxl.Workbook, object, dict[str, int]]:
    wb = openpyxl.load_workbook(path)
    ws = wb["realisasi"]
    header = {str(c.value): i + 1 for i, c in enumerate(ws[1]) if c.value is not None}
    return wb, ws, header


def test_bad_workbook_is_rejected_whole(city: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "r.xlsx"
    assert (
        run("export-template", "realisation", "--city-dir", str(city), "--out", str(xlsx))[0] == 0
    )
    wb, ws, h = _realisation_sheet(xlsx)
    ws.cell(2, h["quarter"]).value = 5  # type: ignore[attr-defined]
    ws.cell(3, h["output_achieved"]).value = "banyak"  # type: ignore[attr-defined]
    wb.save(xlsx)
    before = snapshot(city)
    code, text = run("import", str(xlsx), "--city-dir", str(city))
    assert code == 2, text
    assert "realisasi" in text and "quarter" in text and "output_achieved" in text
    assert snapshot(city) == before


def test_check_only_writes_nothing(city: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "r.xlsx"
    assert (
        run("export-template", "realisation", "--city-dir", str(city), "--out", str(xlsx))[0] == 0
    )
    wb, ws, h = _realisation_sheet(xlsx)
    # a new, valid report for an existing activity
    row = 2
    ws.cell(row, h["output_achieved"]).value = 7  # type: ignore[attr-defined]
    wb.save(xlsx)
    before = snapshot(city)
    code, text = run("import", str(xlsx), "--city-dir", str(city), "--check")
    assert code == 0, text
    assert "Diperiksa" in text
    assert snapshot(city) == before


def test_monitor_demo(tmp_path: Path) -> None:
    out = tmp_path / "mon"
    code, text = run("monitor", "--year", "2026", "--quarter", "3", "--out", str(out))
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["monitoring.html", "monitoring.xlsx"]
    assert "sangat_rendah" in text or "sangat rendah" in text.lower()


def test_monitor_bad_as_of_exits_2() -> None:
    code, text = run("monitor", "--year", "2026", "--quarter", "3", "--as-of", "30/09/2026")
    assert code == 2
    assert "YYYY-MM-DD" in text


def test_monitor_bad_city_exits_2(city: Path) -> None:
    (city / "programme.csv").write_text(
        (city / "programme.csv")
        .read_text(encoding="utf-8")
        .replace("hh:belum_layak->aman@l2t2:1", "hh:belum->aman:1", 1),
        encoding="utf-8",
    )
    code, text = run("monitor", "--year", "2026", "--quarter", "2", "--city-dir", str(city))
    assert code == 2
    assert "SAN-E041" in text and "programme.csv" in text


def test_agency_brief(tmp_path: Path) -> None:
    code, text = run("agency-brief", "dlh", "--year", "2026", "--as-of", "2026-09-30")
    assert code == 0, text
    # DLH leads 7 activities in 2026 (ALD-04, ALD-05, PS-01..PS-05); PS-04 truck done in 2026 Q3
    assert "Memimpin 7 kegiatan" in text
    assert "PS-04" in text and "142,9%" in text
    out = tmp_path / "dlh.html"
    code, text = run(
        "agency-brief", "DLH", "--year", "2026", "--as-of", "2026-09-30", "--out", str(out)
    )
    assert code == 0, text
    assert "<html" in out.read_text(encoding="utf-8").lower()


def test_agency_brief_unknown_agency_exits_2() -> None:
    code, text = run("agency-brief", "DINAS_X", "--year", "2026")
    assert code == 2
    assert "DINAS_X" in text
