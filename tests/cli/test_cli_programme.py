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
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("kind", ["programme", "realisation", "swot"])
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


def _add_q4_row(city: Path) -> int:
    """A 2026 Q4 realisation row for ALD-04 appended to realisation.csv; returns its line."""
    path = city / "realisation.csv"
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    values = {
        "activity_code": "ALD-04",
        "year": "2026",
        "quarter": "4",
        "output_achieved": "50",
        "cost_spent_idr": "12500000",
        "state": "draft",
    }
    path.write_text(text + ",".join(values.get(c, "") for c in header) + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def test_monitor_refuses_a_quarter_not_started(city: Path) -> None:
    line = _add_q4_row(city)
    args = ["monitor", "--year", "2026", "--quarter", "4", "--city-dir", str(city), "--lang", "en"]
    code, text = run(*args, "--as-of", "2026-09-30")
    assert code == 2, text
    flat = " ".join(text.split())
    assert "SAN-E049" in flat and f"realisation.csv line {line}" in flat
    assert "ALD-04 for 2026 Q4" in flat and "starts on 2026-10-01" in flat
    assert "2026-09-30" in flat
    # Q4 has started on 5 October (not ended): allowed
    code, text = run(*args, "--as-of", "2026-10-05")
    assert code == 0, text
    # a report of Q3 (as of its end) does not read the Q4 row
    code, text = run("monitor", "--year", "2026", "--quarter", "3", "--city-dir", str(city))
    assert code == 0, text


def test_import_refuses_a_quarter_not_started(city: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "r.xlsx"
    assert (
        run("export-template", "realisation", "--city-dir", str(city), "--out", str(xlsx))[0] == 0
    )
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["realisasi"]
    h = {str(c.value): i + 1 for i, c in enumerate(ws[1]) if c.value is not None}
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, h["year"]).value == 2026 and ws.cell(r, h["quarter"]).value == 4
    )
    for col, value in (("output_achieved", 5), ("cost_spent_idr", 1_000_000), ("state", "draft")):
        ws.cell(row, h[col]).value = value
    wb.save(xlsx)
    before = snapshot(city)
    code, text = run("import", str(xlsx), "--city-dir", str(city), "--as-of", "2026-09-30")
    assert code == 2, text
    flat = " ".join(text.split())
    assert "SAN-E049" in flat and f"line {row}" in flat and "T4 2026" in flat
    assert snapshot(city) == before
    code, text = run("import", str(xlsx), "--city-dir", str(city), "--as-of", "2026-10-01")
    assert code == 0, text
    assert snapshot(city) != before


def test_import_bad_as_of_exits_2(city: Path, tmp_path: Path) -> None:
    code, text = run("import", str(tmp_path / "x.xlsx"), "--city-dir", str(city), "--as-of", "1/10")
    assert code == 2 and "YYYY-MM-DD" in text
