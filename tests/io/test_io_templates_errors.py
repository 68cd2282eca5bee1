"""Bad workbooks: each case breaks ONE thing in an exported template; the import raises
InputErrors naming the workbook and sheet, the Excel row and the column, and the city folder
is byte-identical afterwards (nothing is half-written). Atomic writes roll back."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from io_fixtures import CityFolder
from io_workbooks import Workbook, snapshot

from sanitasi import atomicfiles
from sanitasi.io import csvfiles
from sanitasi.io.errors import InputErrors, Problem
from sanitasi.io.templates import export_template, import_workbook

PRG = "programme.csv"
REA = "realisation.csv"


@pytest.fixture
def programme(city: CityFolder, tmp_path: Path) -> Workbook:
    out = tmp_path / "program.xlsx"
    export_template("programme", city.path, out)
    return Workbook(out)


@pytest.fixture
def realisation(city: CityFolder, tmp_path: Path) -> Workbook:
    out = tmp_path / "realisasi.xlsx"
    export_template("realisation", city.path, out)
    return Workbook(out)


#: The date the imports below are judged on (the prepared 2026 Q4 rows have started).
AS_OF = dt.date(2026, 12, 31)


def rejected(
    wb: Workbook, city: CityFolder, *, check_only: bool = False, as_of: dt.date = AS_OF
) -> list[Problem]:
    """Import the saved workbook: it must fail and leave the folder byte-identical."""
    wb.save()
    before = snapshot(city.path)
    with pytest.raises(InputErrors) as info:
        import_workbook(wb.path, city.path, check_only=check_only, as_of=as_of)
    assert snapshot(city.path) == before
    assert info.value.errors
    return info.value.errors


def where(p: Problem) -> tuple[object, ...]:
    return (p.code, p.file, p.row, p.column, p.value)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --------------------------------------------------------------------------- workbook shape


def test_wrong_sheet(programme: Workbook, city: CityFolder) -> None:
    programme.ws.title = "Sheet1"
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E047", "program.xlsx", None, None, None)
    assert "no sheet program or realisasi" in p.rule and "Sheet1" in p.rule


def test_both_template_sheets(programme: Workbook, city: CityFolder) -> None:
    programme.wb.create_sheet("realisasi")
    p = only(rejected(programme, city))
    assert p.code == "SAN-E047" and "only one kind" in p.rule


def test_missing_column(programme: Workbook, city: CityFolder) -> None:
    programme.delete_column("effect")
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E002", "program.xlsx [program]", 1, "effect", None)


def test_missing_realisation_column(realisation: Workbook, city: CityFolder) -> None:
    realisation.rename_column("quarter", "triwulan")
    problems = rejected(realisation, city)
    assert [where(p) for p in problems] == [
        ("SAN-E002", "realisasi.xlsx [realisasi]", 1, "quarter", None)
    ]


def test_missing_planned_cost_column(programme: Workbook, city: CityFolder) -> None:
    programme.delete_column("planned_cost_2028")
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E002", "program.xlsx [program]", 1, "planned_cost_2028", None)


def test_column_given_twice(programme: Workbook, city: CityFolder) -> None:
    programme.rename_column("source", "status")
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E048", "program.xlsx [program]", 1, "status", None)


def test_not_a_workbook(city: CityFolder, tmp_path: Path) -> None:
    bad = tmp_path / "program.xlsx"
    bad.write_bytes(city.file(PRG).read_bytes())
    before = snapshot(city.path)
    with pytest.raises(InputErrors) as info:
        import_workbook(bad, city.path)
    p = only(info.value.errors)
    assert (p.code, p.file) == ("SAN-E046", "program.xlsx")
    assert snapshot(city.path) == before


def test_workbook_not_found(city: CityFolder, tmp_path: Path) -> None:
    with pytest.raises(InputErrors) as info:
        import_workbook(tmp_path / "nope.xlsx", city.path)
    assert only(info.value.errors).code == "SAN-E046"


# --------------------------------------------------------------------------- programme rows


def test_unknown_agency(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="ALD-03")
    programme.set(row, "lead_agency", "DINAS_X")
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E040", "program.xlsx [program]", row, "lead_agency", "DINAS_X")


def test_unknown_supporting_agency(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="PS-06")
    programme.set(row, "support_agencies", "DLH;SEMEN_PADANG;PT_X")
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E040", "program.xlsx [program]", row, "support_agencies", "PT_X")


def test_unknown_kelurahan(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="ALD-02")
    programme.set(row, "location_kode", "13.72.02.1099")
    p = only(rejected(programme, city))
    assert where(p) == (
        "SAN-E004",
        "program.xlsx [program]",
        row,
        "location_kode",
        "13.72.02.1099",
    )


def test_kelurahan_of_another_city(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="ALD-02")
    programme.set(row, "location_kode", "13.71.01.1001")
    p = only(rejected(programme, city))
    assert where(p)[:4] == ("SAN-E006", "program.xlsx [program]", row, "location_kode")


def test_location_typed_as_a_number(programme: Workbook, city: CityFolder) -> None:
    # 13.70 typed into a cell formatted as General becomes the number 13.7
    row = programme.row_of(code="ALD-01")
    programme.set(row, "location_kode", 13.7)
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E004", "program.xlsx [program]", row, "location_kode", "13.7")


def test_text_in_a_number_cell(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="ALD-01")
    programme.set(row, "planned_cost_2026", "sembilan ratus juta")
    p = only(rejected(programme, city))
    assert where(p) == (
        "SAN-E016",
        "program.xlsx [program]",
        row,
        "planned_cost_2026",
        "sembilan ratus juta",
    )


def test_negative_planned_output(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="PS-03")
    programme.set(row, "planned_output_2025", -500)
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E009", "program.xlsx [program]", row, "planned_output_2025", "-500")


def test_duplicate_activity_code(programme: Workbook, city: CityFolder) -> None:
    first = programme.row_of(code="ALD-04")
    row = programme.last_row() + 1
    programme.copy_row(first, row)
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E012", "program.xlsx [program]", row, "code", "ALD-04")
    assert p.rule == f"duplicated row: the same code is already on line {first}"


def test_malformed_effect(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="PS-04")
    programme.set(row, "effect", "tpd:unmanaged->penanganan:2.5;cap:truck:1")
    p = only(rejected(programme, city))
    assert where(p)[:4] == ("SAN-E041", "program.xlsx [program]", row, "effect")
    assert "capacity kind 'truck'" in p.rule


def test_blank_required_cell(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="PS-05")
    programme.set(row, "activity", None)
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E027", "program.xlsx [program]", row, "activity", "")


def test_removing_activity_with_realisation(programme: Workbook, city: CityFolder) -> None:
    programme.ws.delete_rows(programme.row_of(code="PS-07"))
    problems = rejected(programme, city)
    assert {(p.code, p.file, p.value) for p in problems} == {("SAN-E042", REA, "PS-07")}
    assert len(problems) == 7


def test_every_bad_row_is_listed(programme: Workbook, city: CityFolder) -> None:
    r1, r2, r3 = (programme.row_of(code=c) for c in ("ALD-03", "ALD-05", "PS-04"))
    programme.set(r1, "lead_agency", "DINAS_X")
    programme.set(r2, "planned_output_2026", "sepuluh")
    programme.set(r3, "funding_source", "HIBAH")
    problems = rejected(programme, city)
    assert [(p.code, p.row, p.column) for p in problems] == [
        ("SAN-E040", r1, "lead_agency"),
        ("SAN-E016", r2, "planned_output_2026"),
        ("SAN-E024", r3, "funding_source"),
    ]


def test_check_only_reports_the_same(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="ALD-03")
    programme.set(row, "lead_agency", "DINAS_X")
    p = only(rejected(programme, city, check_only=True))
    assert (p.code, p.row) == ("SAN-E040", row)


# --------------------------------------------------------------------------- realisation rows


def test_quarter_5(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="ALD-04", year=2026, quarter=4)
    realisation.set(row, "quarter", 5)
    realisation.set(row, "output_achieved", 100)
    realisation.set(row, "cost_spent_idr", 25_000_000)
    realisation.set(row, "state", "submitted")
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E024", "realisasi.xlsx [realisasi]", row, "quarter", "5")


def test_realisation_for_unknown_activity(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="PS-03", year=2026, quarter=4)
    realisation.set(row, "activity_code", "PS-33")
    realisation.set(row, "output_achieved", 100)
    realisation.set(row, "cost_spent_idr", 15_000_000)
    realisation.set(row, "state", "submitted")
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E042", "realisasi.xlsx [realisasi]", row, "activity_code", "PS-33")


def test_negative_realised_output(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="PS-02", year=2026, quarter=3)
    realisation.set(row, "output_achieved", -1)
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E009", "realisasi.xlsx [realisasi]", row, "output_achieved", "-1")


def test_text_in_realised_cost(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="PS-02", year=2026, quarter=3)
    realisation.set(row, "cost_spent_idr", "Rp 50.000.000")
    p = only(rejected(realisation, city))
    assert where(p) == (
        "SAN-E016",
        "realisasi.xlsx [realisasi]",
        row,
        "cost_spent_idr",
        "Rp 50.000.000",
    )


def test_duplicate_quarter_in_workbook(realisation: Workbook, city: CityFolder) -> None:
    first = realisation.row_of(activity_code="PS-02", year=2026, quarter=3)
    row = realisation.row_of(activity_code="PS-02", year=2026, quarter=4)
    realisation.set(row, "quarter", 3)
    realisation.set(row, "output_achieved", 1)
    realisation.set(row, "cost_spent_idr", 1)
    realisation.set(row, "state", "draft")
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E012", "realisasi.xlsx [realisasi]", row, "quarter", "3")
    assert p.rule.endswith(f"is already on line {first}")


def test_state_left_blank(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="ALD-01", year=2026, quarter=4)
    realisation.set(row, "output_achieved", 10)
    realisation.set(row, "cost_spent_idr", 60_000_000)
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E027", "realisasi.xlsx [realisasi]", row, "state", None)


def test_state_not_allowed(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="ALD-01", year=2026, quarter=3)
    realisation.set(row, "state", "disetujui")
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E024", "realisasi.xlsx [realisasi]", row, "state", "disetujui")


def test_only_output_filled(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="ALD-01", year=2026, quarter=4)
    realisation.set(row, "output_achieved", 10)
    realisation.set(row, "state", "draft")
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E010", "realisasi.xlsx [realisasi]", row, "cost_spent_idr", "")


def test_folder_errors_block_the_import(realisation: Workbook, city: CityFolder) -> None:
    # the merged folder must load: a problem already in the folder is reported too
    city.set(PRG, city.line_of(PRG, code="PS-01"), "effect", "tpd:unmanaged")
    before = snapshot(city.path)
    realisation.save()
    with pytest.raises(InputErrors) as info:
        import_workbook(realisation.path, city.path)
    assert [(p.code, p.file) for p in info.value.errors] == [("SAN-E041", PRG)]
    assert snapshot(city.path) == before


# --------------------------------------------------------------------------- atomic writes


def test_failed_replace_leaves_folder_untouched(
    realisation: Workbook, city: CityFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = realisation.row_of(activity_code="PS-02", year=2026, quarter=3)
    realisation.set(row, "output_achieved", 2)
    realisation.save()
    before = snapshot(city.path)

    def fail(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomicfiles.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        import_workbook(realisation.path, city.path)
    assert snapshot(city.path) == before  # no temporary file left behind either


def _failing_on(n: int) -> Callable[[object, object], None]:
    calls = {"n": 0}
    real = os.replace

    def replace(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == n:
            raise OSError("replace failed")
        real(src, dst)  # type: ignore[arg-type]

    return replace


def test_second_replace_failing_rolls_back_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    a.write_bytes(b"old a\n")
    b.write_bytes(b"old b\n")
    monkeypatch.setattr(atomicfiles.os, "replace", _failing_on(2))
    with pytest.raises(OSError, match="replace failed"):
        csvfiles.write_atomically({a: b"new a\n", b: b"new b\n", c: b"new c\n"})
    assert a.read_bytes() == b"old a\n" and b.read_bytes() == b"old b\n"
    assert not c.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_new_file_rolled_back_when_a_later_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    b.write_bytes(b"old b\n")
    monkeypatch.setattr(atomicfiles.os, "replace", _failing_on(2))
    with pytest.raises(OSError):
        csvfiles.write_atomically({a: b"new a\n", b: b"new b\n"})
    assert not a.exists() and b.read_bytes() == b"old b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]


def test_write_atomically_writes_all_and_keeps_mode(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"old a\n")
    a.chmod(0o640)
    csvfiles.write_atomically({a: b"new a\n", b: b"new b\n"})
    assert a.read_bytes() == b"new a\n" and b.read_bytes() == b"new b\n"
    assert a.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


# --------------------------------------------------------------------------- budgets work


def test_quarter_not_started(realisation: Workbook, city: CityFolder) -> None:
    # judged on 30 Sep 2026, the prepared 2026 Q4 row reports a quarter that starts 1 Oct
    row = realisation.row_of(activity_code="ALD-04", year=2026, quarter=4)
    realisation.set(row, "output_achieved", 100)
    realisation.set(row, "cost_spent_idr", 25_000_000)
    realisation.set(row, "state", "draft")
    p = only(rejected(realisation, city, as_of=dt.date(2026, 9, 30)))
    assert where(p) == ("SAN-E049", "realisasi.xlsx [realisasi]", row, "quarter", "4")
    assert "ALD-04" in p.rule and "2026-10-01" in p.rule and "2026-09-30" in p.rule


def test_progress_out_of_range(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="ALD-03", year=2026, quarter=3)
    realisation.set(row, "progress_pct", 140)
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E011", "realisasi.xlsx [realisasi]", row, "progress_pct", "140")


def test_progress_for_an_activity_counted_per_unit(realisation: Workbook, city: CityFolder) -> None:
    row = realisation.row_of(activity_code="ALD-01", year=2026, quarter=3)
    realisation.set(row, "progress_pct", 50)
    p = only(rejected(realisation, city))
    assert where(p) == ("SAN-E050", "realisasi.xlsx [realisasi]", row, "progress_pct", "50")


def test_adopted_on_not_a_date(programme: Workbook, city: CityFolder) -> None:
    row = programme.row_of(code="PS-02")
    programme.set(row, "adopted_on", "Agustus 2026")
    p = only(rejected(programme, city))
    assert where(p) == ("SAN-E043", "program.xlsx [program]", row, "adopted_on", "Agustus 2026")
