"""budget.csv and fiscal_history.csv (docs/city-data.md §14): every problem listed, the
default budget projected from the history (docs/METHOD.md §18.1), and the SSK document's
Bab II fiscal section from the demo's history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sanitasi.app.document import document_report
from sanitasi.app.source import FolderSource
from sanitasi.core.budget import project_budget
from sanitasi.io.budget import read_budget, read_fiscal_history
from sanitasi.io.folders import city_folder
from sanitasi.io.reference import demo_city_dir


def _folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return tmp_path


def test_demo_budget_and_history_read() -> None:
    b, problems = read_budget(city_folder(None))
    assert problems == [] and b is not None
    assert set(b["year"]) == {2025, 2026, 2027, 2028, 2029}
    row = b[(b["year"] == 2025) & (b["source"] == "APBD_KOTA") & (b["sector"] == "ald")]
    assert float(row["cap_idr"].iloc[0]) == 1_200_000_000.0
    assert set(b.loc[b["source"] == "DAK", "sector"]) == {"all"}  # blank sector = both
    h, problems = read_fiscal_history(city_folder(None))
    assert problems == [] and h is not None and len(h) == 23


def test_every_problem_of_budget_csv_is_listed(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        budget__csv="year,source,cap_idr,sector\n"
        "2025,APBN,100,\n"
        "20x5,APBN,100,\n"  # line 3: year
        "2026,BANK,100,\n"  # line 4: source
        "2026,DAK,-5,ald\n"  # line 5: negative cap
        "2026,DAK,10,air\n"  # line 6: sector
        "2025,apbn,7,\n",  # line 7: duplicate of line 2 (source case-insensitive)
    )
    b, problems = read_budget(folder)
    assert b is None
    got = sorted((p.code, p.row, p.column) for p in problems)
    assert got == [
        ("SAN-E009", 5, "cap_idr"),
        ("SAN-E012", 7, "sector"),
        ("SAN-E016", 3, "year"),
        ("SAN-E024", 4, "source"),
        ("SAN-E024", 6, "sector"),
    ]
    assert all(p.file == "budget.csv" for p in problems)


def test_fiscal_history_needs_a_sector_and_a_number(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        fiscal_history__csv="year,source,sector,spent_idr\n2024,DAK,,5\n2024,DAK,ald,lots\n",
    )
    h, problems = read_fiscal_history(folder)
    assert h is None
    assert sorted((p.code, p.row) for p in problems) == [("SAN-E016", 3), ("SAN-E024", 2)]


def test_missing_column_and_absent_files(tmp_path: Path) -> None:
    assert read_budget(tmp_path) == (None, [])
    assert read_fiscal_history(tmp_path) == (None, [])
    _folder(tmp_path, budget__csv="year,source\n2025,APBN\n")
    b, problems = read_budget(tmp_path)
    assert b is None and [p.code for p in problems] == ["SAN-E002"]


def test_a_budget_path_that_does_not_exist_is_e001(tmp_path: Path) -> None:
    b, problems = read_budget(None, tmp_path / "nope.csv")
    assert b is None and [p.code for p in problems] == ["SAN-E001"]


def test_projection_by_hand() -> None:
    # DAK/ald spent 100, 200, 600 in 2022-2024 (window 3: mean 300); APBN/ald only in 2021
    # (outside the window); SWASTA/persampahan 90 in 2024 only: mean 90 / 3 = 30.
    hist = pd.DataFrame(
        {
            "year": [2021, 2022, 2023, 2024, 2024],
            "source": ["APBN", "DAK", "DAK", "DAK", "SWASTA"],
            "sector": ["ald", "ald", "ald", "ald", "persampahan"],
            "spent_idr": [1000.0, 100.0, 200.0, 600.0, 90.0],
            "status": ["sourced", "sourced", "sourced", "illustrative", "sourced"],
        }
    )
    out = project_budget(hist, [2025, 2026], window=3, growth=0.1)
    dak = out[out["source"] == "DAK"].set_index("year")["cap_idr"]
    assert dak[2025] == pytest.approx(330.0) and dak[2026] == pytest.approx(363.0)
    sw = out[out["source"] == "SWASTA"].set_index("year")["cap_idr"]
    assert sw[2025] == pytest.approx(33.0)
    assert "APBN" not in set(out["source"])
    assert set(out["status"]) == {"illustrative"}


def test_document_gets_the_fiscal_section_from_the_demo_history() -> None:
    report = document_report(FolderSource(None))
    t = report.result.tables["fiscal_capacity"].df
    total_2024 = t[(t["year"] == 2024) & (t["source"] == "total")]["spent_idr"].iloc[0]
    # 1.6 + 0.9 + 0.6 + 0.35 + 2.1 + 0.7 + 1.1 + 0.2 billion
    assert float(total_2024) == pytest.approx(7_550_000_000.0)


def test_document_without_history_has_no_fiscal_table(tmp_path: Path) -> None:
    dest = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), dest)
    (dest / "fiscal_history.csv").unlink()
    report = document_report(FolderSource(dest))
    assert "fiscal_capacity" not in report.result.tables
