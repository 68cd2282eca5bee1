"""XLSX workbook, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sanitasi.core.model import PlanResult, Table
from sanitasi.reports.xlsx import DATA_ROW, sheet_name, write_xlsx

GENERATED = dt.date(2025, 11, 27)
# 1-based rows as openpyxl numbers them.
TITLE, PROV, HEAD_ID, HEAD_EN, FIRST = 1, 2, 3, 4, DATA_ROW + 1


@pytest.fixture
def book(result: PlanResult, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "laporan.xlsx"
    write_xlsx(result, path, generated=GENERATED)
    assert not list(tmp_path.glob("*.tmp*"))
    return openpyxl.load_workbook(path)


def _header(ws: openpyxl.worksheet.worksheet.Worksheet, row: int) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def _col(ws: openpyxl.worksheet.worksheet.Worksheet, label_en: str) -> int:
    for c in ws[HEAD_EN]:
        if c.value == label_en:
            return int(c.column)
    raise KeyError(label_en)


def test_sheets(book: openpyxl.Workbook, result: PlanResult) -> None:
    assert book.sheetnames == ["README", *result.tables, "warnings"]
    assert all(len(n) <= 31 for n in book.sheetnames)


def test_headers_two_languages_with_units(book: openpyxl.Workbook) -> None:
    ws = book["headline"]
    assert ws.cell(TITLE, 1).value == "Indikator utama kota / City headline indicators"
    assert ws.cell(PROV, 1).value.startswith("Masukan: 12 bersumber, 3 turunan, 40 ilustratif")
    assert "Inputs: 12 sourced" in ws.cell(PROV, 1).value
    # the indicator codes stay as keys, their words in the column after them
    assert _header(ws, HEAD_ID)[:5] == [
        "Kode wilayah",
        "Indikator",
        "Indikator (uraian)",
        "Tahun",
        "Kondisi dasar (%)",
    ]
    assert _header(ws, HEAD_EN)[:5] == [
        "Area code",
        "Indicator",
        "Indicator (in words)",
        "Year",
        "Baseline (%)",
    ]
    assert "Gap (points)" in _header(ws, HEAD_EN)  # unit not repeated as "(pts)"
    ladder = book["ladder"]
    assert "RT aman (rumah tangga)" in _header(ladder, HEAD_ID)
    assert "Households aman" in _header(ladder, HEAD_EN)  # unit already in the label
    costs = book["costs"]
    assert "Biaya (Rp)" in _header(costs, HEAD_ID) and "Cost (IDR)" in _header(costs, HEAD_EN)


def test_frozen_header_and_autofilter(book: openpyxl.Workbook, result: PlanResult) -> None:
    for name in result.tables:
        ws = book[name]
        assert ws.freeze_panes == f"A{FIRST}", name
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith(f"A{HEAD_EN}")


def test_numbers_are_numbers(book: openpyxl.Workbook) -> None:
    ws = book["headline"]
    base = ws.cell(FIRST, _col(ws, "Baseline (%)"))
    assert base.value == 81.25 and base.number_format == "0.0"  # 0-100, not a fraction
    assert ws.cell(FIRST, _col(ws, "Year")).value == 2024
    assert ws.cell(FIRST, 1).value == "13.72"  # a kode stays text
    ladder = book["ladder"]
    hh = ladder.cell(FIRST, _col(ladder, "Households"))
    assert hh.value == 10_000 and hh.number_format == "#,##0"
    aman = _col(ladder, "Households aman")
    values = {ladder.cell(r, aman).value for r in range(FIRST, ladder.max_row + 1)}
    assert 353.5 in values  # fractional households kept, rounded only by the cell format
    funding = book["funding"]
    cost = funding.cell(FIRST, _col(funding, "Cost (IDR)"))
    assert cost.value == 1_200_000_000 and cost.number_format == "#,##0"
    assert funding.cell(FIRST, _col(funding, "Funding source")).value == "APBN"  # codes kept
    numeric = 0
    for ws in book.worksheets[1:]:
        for row in ws.iter_rows(min_row=FIRST):
            for c in row:
                if c.number_format != "General" and c.value is not None:
                    # Formatted columns hold real numbers, never "1.234,5" or "81,3%" text.
                    assert isinstance(c.value, int | float), (ws.title, c.coordinate, c.value)
                    numeric += 1
    assert numeric > 500


def test_missing_values_blank(book: openpyxl.Workbook) -> None:
    ws = book["retrospective"]
    actual = _col(ws, "Actual (%)")
    values = [ws.cell(r, actual).value for r in range(FIRST, FIRST + 5)]
    assert values == [81.25, 9.5, 2.1, None, None]


def test_all_years_in_xlsx(book: openpyxl.Workbook) -> None:
    ws = book["ladder"]
    year = _col(ws, "Year")
    years = {ws.cell(r, year).value for r in range(FIRST, ws.max_row + 1)}
    assert years == {2024, 2025, 2026}  # HTML shows 2024-2025 only


def test_readme(book: openpyxl.Workbook) -> None:
    ws = book["README"]
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    text = "\n".join(str(c) for c in cells)
    assert "Kota Solok (13.72)" in text
    assert "27 November 2025" in text
    assert "Perhatian: sebagian masukan belum resmi" in text
    for status in ("bersumber / sourced", "ilustratif / illustrative"):
        assert status in text
    assert "desludging_interval_years" in text  # the override
    assert "APBD_KOTA" in text and "APBD Kab/Kota" in text  # code legend
    assert "SAN-W001" in text
    for name in ("retrospective", "ladder", "extra_risk"):
        assert name in cells


def test_sheet_name_rules() -> None:
    used: set[str] = set()
    long = "a_very_long_table_name_that_exceeds_excel_limits"
    a = sheet_name(long, used)
    b = sheet_name(long, used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert sheet_name("bad[name]:*?/\\", used) == "bad_name______"


def test_generic_and_odd_values(result: PlanResult, tmp_path: Path) -> None:
    """Extra tables, mixed-type columns, booleans and NaN never crash and keep types."""
    odd = Table(
        name="odd_table_with_a_name_longer_than_thirty_one",
        title_id="Aneh",
        title_en="Odd",
        df=pd.DataFrame(
            {
                "kode": ["13.72", "13.72"],
                "mixed": [1.5, "teks"],
                "flag": [True, False],
                "pct_x": [float("nan"), 50.0],
                "when": [pd.Timestamp("2025-01-31"), pd.NaT],
            }
        ),
        columns={},
        provenance={},
    )
    res = replace(result, tables={**result.tables, odd.name: odd})
    path = tmp_path / "odd.xlsx"
    write_xlsx(res, path, lang="en", generated=GENERATED)
    wb = openpyxl.load_workbook(path)
    ws = wb[odd.name[:31]]
    assert [ws.cell(FIRST, c).value for c in (2, 3, 4)] == [1.5, True, None]
    assert ws.cell(FIRST + 1, 2).value == "teks"
    assert ws.cell(FIRST + 1, 4).value == 50.0
    assert isinstance(ws.cell(FIRST, 5).value, dt.datetime)


def test_parameter_values_stored_as_text_become_numbers(result: PlanResult, tmp_path: Path) -> None:
    """The engine may keep parameter values as text ("3.0") because they mix numbers and
    choices: numbers still land as numbers, choices as text."""
    tb = result.tables["parameters"]
    df = tb.df.copy()
    df["value"] = [str(v) if v is not None else "" for v in df["value"]]
    res = replace(result, tables={**result.tables, "parameters": replace(tb, df=df)})
    path = tmp_path / "p.xlsx"
    write_xlsx(res, path, generated=GENERATED)
    ws = openpyxl.load_workbook(path)["parameters"]
    col = _col(ws, "Value")
    values = [ws.cell(r, col).value for r in range(FIRST, ws.max_row + 1)]
    assert values == [2.0, 0.85, "base_shares", None]
