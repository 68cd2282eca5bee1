"""XLSX templates: what the exported workbook holds, round trips and clean imports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from io_fixtures import CityFolder
from io_workbooks import Workbook, snapshot

from sanitasi.io.programme import load_programme
from sanitasi.io.templates import cell_text, export_template, import_workbook

PRG = "programme.csv"
REA = "realisation.csv"


@pytest.fixture
def programme_xlsx(city: CityFolder, tmp_path: Path) -> Path:
    out = tmp_path / "program.xlsx"
    export_template("programme", city.path, out)
    return out


@pytest.fixture
def realisation_xlsx(city: CityFolder, tmp_path: Path) -> Path:
    out = tmp_path / "realisasi.xlsx"
    export_template("realisation", city.path, out)
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- export


def test_programme_template_content(programme_xlsx: Path, city: CityFolder) -> None:
    wb = openpyxl.load_workbook(programme_xlsx)
    assert wb.sheetnames == [
        "petunjuk",
        "program",
        "daftar_instansi",
        "daftar_wilayah",
        "daftar_kode",
        "sanitasi_versi",
    ]
    assert wb["sanitasi_versi"].sheet_state == "hidden"  # the fingerprint (issue 12)
    ws = wb["program"]
    assert wb.active.title == "program"
    header = [c.value for c in ws[1]]
    csv_header = city.read(PRG)[0]
    # the programme.csv columns in their order, plus the read-only location name and the
    # optional contract column the demo lacks (adopted_on)
    assert [h for h in header if h != "info_nama_lokasi"] == [*csv_header, "adopted_on"]
    assert header.index("info_nama_lokasi") == header.index("location_kode") + 1
    assert ws.freeze_panes == "B2"
    assert ws.max_row == 17
    assert ws.cell(2, 1).value == "ALD-01"
    out = ws.cell(2, header.index("planned_output_2026") + 1).value
    cost = ws.cell(2, header.index("planned_cost_2026") + 1).value
    assert (out, cost) == (150, 900_000_000) and isinstance(cost, int)
    loc = ws.cell(3, header.index("location_kode") + 1).value
    assert loc == "13.72.02.1006" and isinstance(loc, str)
    assert ws.column_dimensions["A"].width > 5


def test_programme_template_dropdowns(programme_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(programme_xlsx)
    ws = wb["program"]
    header = [c.value for c in ws[1]]
    rules = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        rules[header[openpyxl.utils.column_index_from_string(col) - 1]] = dv
    assert rules["lead_agency"].type == "list"
    assert rules["lead_agency"].formula1 == "daftar_instansi!$A$2:$A$15"
    assert rules["location_kode"].formula1 == "daftar_wilayah!$A$2:$A$17"
    assert rules["sector"].type == "list" and rules["funding_source"].type == "list"
    assert rules["plan_profile"].type == "list" and rules["sasaran"].type == "list"
    # units already used, but a new unit may be typed
    assert rules["output_unit"].type == "list" and rules["output_unit"].errorStyle == "information"
    assert rules["planned_cost_2025"].type == "decimal"
    assert "DLH;DINKES" in rules["support_agencies"].prompt
    lists = wb["daftar_wilayah"]
    regions = {lists.cell(r, 1).value: lists.cell(r, 2).value for r in range(2, 18)}
    assert regions["13.72"] == "Kota Solok" and regions["13.72.02.1006"] == "Laing"
    assert len(regions) == 16
    agencies = [wb["daftar_instansi"].cell(r, 1).value for r in range(2, 16)]
    assert agencies[0] == "BAPPEDA" and "KSM" in agencies
    codes = wb["daftar_kode"]
    funding = [codes.cell(r, 2).value for r in range(2, 8)]
    assert funding == ["APBN", "DAK", "APBD_PROV", "APBD_KOTA", "SWASTA", "MASYARAKAT"]
    assert "septic tank" in [codes.cell(r, 6).value for r in range(2, 20)]


def test_instructions_indonesian_then_english(programme_xlsx: Path) -> None:
    ws = openpyxl.load_workbook(programme_xlsx)["petunjuk"]
    text = [str(c.value) for c in ws["A"] if c.value]
    assert text[0].startswith("Template matriks program SSK") and "Kota Solok (13.72)" in text[0]
    i_en = next(i for i, t in enumerate(text) if t.startswith("SSK programme matrix"))
    assert "Cara mengisi" in text[:i_en] and "How to fill it in" in text[i_en:]
    assert any("sanitasi import" in t for t in text)
    assert any(t.startswith("- lead_agency:") for t in text[:i_en])


def test_instructions_english_first(city: CityFolder, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    export_template("realisation", city.path, out, lang="en")
    ws = openpyxl.load_workbook(out)["petunjuk"]
    assert str(ws["A1"].value).startswith("Quarterly realisation template")


def test_realisation_template_content(realisation_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(realisation_xlsx, data_only=True)
    assert wb.sheetnames[1] == "realisasi" and "daftar_kegiatan" in wb.sheetnames
    ws = wb["realisasi"]
    header = [c.value for c in ws[1]]
    assert header == [
        "activity_code",
        "info_kegiatan",
        "info_satuan",
        "info_pelaksana",
        "year",
        "quarter",
        "output_achieved",
        "cost_spent_idr",
        "progress_pct",
        "state",
        "status_note",
    ]
    assert ws.freeze_panes == "B2"
    first = [c.value for c in ws[2]]
    assert first[0] == "ALD-01" and first[4:10] == [2025, 1, 0, 0, None, "verified"]
    assert first[1] == "Build individual SNI septic tanks (SPALD-S) with L2T2 enrolment"
    assert first[3] == "PERKIM"
    # the 108 rows of realisation.csv, then the next quarter (2026 Q4) prepared per activity
    assert [c.value for c in ws[109]][4:6] == [2026, 3]
    nxt = [c.value for c in ws[110]]
    assert nxt[0] == "ALD-01" and nxt[4:6] == [2026, 4] and nxt[6:10] == [None] * 4
    assert ws.cell(125, 1).value == "PS-08" and ws.cell(126, 1).value is None
    q3 = [ws.cell(r, 10).value for r in range(94, 110)]
    assert q3 == ["submitted"] * 16
    # progres fisik of the works counted at completion, stored as numbers (ALD-03 2026 Q3)
    ald03 = [c.value for c in ws[96]]
    assert ald03[0] == "ALD-03" and ald03[4:6] == [2026, 3] and ald03[8] == 70
    wsv = openpyxl.load_workbook(realisation_xlsx)["realisasi"]
    kinds = {str(dv.sqref).split(":")[0][0]: dv.type for dv in wsv.data_validations.dataValidation}
    assert kinds == {
        "A": "list",
        "E": "whole",
        "F": "list",
        "G": "decimal",
        "H": "decimal",
        "I": "decimal",  # progress_pct: 0-100
        "J": "list",
        "K": None,  # a prompt only
    }
    progress = next(dv for dv in wsv.data_validations.dataValidation if str(dv.sqref)[0] == "I")
    # no operator written = Excel's default, between
    assert (progress.operator, progress.formula1, progress.formula2) == (None, "0", "100")


def test_unknown_kind_or_language(city: CityFolder, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="template kind"):
        export_template("meetings", city.path, tmp_path / "x.xlsx")
    with pytest.raises(ValueError, match="language"):
        export_template("programme", city.path, tmp_path / "x.xlsx", lang="fr")


def test_demo_is_the_default_folder(tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    export_template("programme", None, out)
    assert openpyxl.load_workbook(out)["program"].cell(16, 1).value == "PS-07"


def test_template_for_a_city_without_programme(city: CityFolder, tmp_path: Path) -> None:
    city.file(PRG).unlink()
    city.file(REA).unlink()
    out = tmp_path / "p.xlsx"
    export_template("programme", city.path, out)
    ws = openpyxl.load_workbook(out)["program"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["code", "sector"] and "effect" in header
    assert sum(1 for h in header if str(h).startswith("planned_output_")) == 5
    assert ws.max_row == 1
    export_template("realisation", city.path, tmp_path / "r.xlsx")


def test_cell_text() -> None:
    import datetime as dt

    assert cell_text(None) == ""
    assert cell_text(720000000.0) == "720000000"
    assert cell_text(0.2) == "0.2"
    assert cell_text(3) == "3"
    assert cell_text(True) == "true"
    assert cell_text(" ALD-01 ") == "ALD-01"
    assert cell_text(dt.datetime(2025, 7, 10)) == "2025-07-10"


# --------------------------------------------------------------------------- round trips


def test_programme_round_trip_leaves_folder_unchanged(
    city: CityFolder, programme_xlsx: Path
) -> None:
    before = snapshot(city.path)
    report = import_workbook(programme_xlsx, city.path)
    assert snapshot(city.path) == before
    assert (report.kind, report.sheet, report.rows) == ("programme", "program", 16)
    assert report.unchanged == 16 and not report.changed and report.written == ()
    assert report.problems == ()


def test_realisation_round_trip_leaves_folder_unchanged(
    city: CityFolder, realisation_xlsx: Path
) -> None:
    before = snapshot(city.path)
    report = import_workbook(realisation_xlsx, city.path)
    assert snapshot(city.path) == before
    assert report.kind == "realisation" and report.unchanged == 108
    assert not report.changed and report.written == ()


def test_round_trip_after_saving_in_openpyxl(city: CityFolder, programme_xlsx: Path) -> None:
    # a workbook saved by another program (no cached formula values) imports the same
    Workbook(programme_xlsx).save()
    before = snapshot(city.path)
    assert not import_workbook(programme_xlsx, city.path).changed
    assert snapshot(city.path) == before


def test_round_trip_keeps_bom_and_crlf(city: CityFolder, tmp_path: Path) -> None:
    data = city.file(REA).read_bytes().replace(b"\n", b"\r\n")
    city.file(REA).write_bytes(b"\xef\xbb\xbf" + data)
    out = tmp_path / "r.xlsx"
    export_template("realisation", city.path, out)
    wb = Workbook(out)
    row = wb.row_of(activity_code="PS-02", year=2026, quarter=3)
    wb.set(row, "output_achieved", 2)
    wb.save()
    import_workbook(out, city.path)
    written = city.file(REA).read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and written.count(b"\r\n") == 109
    assert written.replace(b"PS-02,2026,3,2,", b"PS-02,2026,3,1,") == b"\xef\xbb\xbf" + data


def test_round_trip_without_state_column(city: CityFolder, tmp_path: Path) -> None:
    rows = city.read(REA)
    i = rows[0].index("state")
    city.write(REA, [r[:i] + r[i + 1 :] for r in rows])
    before = snapshot(city.path)
    out = tmp_path / "r.xlsx"
    export_template("realisation", city.path, out)
    assert Workbook(out).get(2, "state") == "verified"
    assert not import_workbook(out, city.path).changed
    assert snapshot(city.path) == before


# --------------------------------------------------------------------------- clean edits


def test_check_only_never_writes(city: CityFolder, programme_xlsx: Path) -> None:
    wb = Workbook(programme_xlsx)
    wb.set(wb.row_of(code="ALD-01"), "planned_output_2027", 175)
    wb.save()
    before = snapshot(city.path)
    report = import_workbook(programme_xlsx, city.path, check_only=True)
    assert report.updated == ("ALD-01",) and report.written == () and report.check_only
    assert snapshot(city.path) == before


def test_programme_edit_is_merged(city: CityFolder, programme_xlsx: Path) -> None:
    wb = Workbook(programme_xlsx)
    row = wb.row_of(code="ALD-01")
    wb.set(row, "planned_output_2027", 175)
    wb.set(row, "planned_cost_2027", 1_050_000_000)
    before = city.file(PRG).read_text(encoding="utf-8").splitlines()
    wb.save()
    report = import_workbook(programme_xlsx, city.path)
    assert report.updated == ("ALD-01",) and report.unchanged == 15
    assert report.written == (city.file(PRG),)
    after = city.file(PRG).read_text(encoding="utf-8").splitlines()
    assert after[0] == before[0] and after[2:] == before[2:]
    assert ",120,150,175,150,120," in after[1] and ",1050000000," in after[1]
    planned = load_programme(city.path).planned
    assert planned.set_index(["code", "year"]).at[("ALD-01", 2027), "planned_output"] == 175


def test_programme_new_activity_and_removed_one(city: CityFolder, programme_xlsx: Path) -> None:
    wb = Workbook(programme_xlsx)
    last = wb.last_row()
    wb.copy_row(wb.row_of(code="PS-02"), last + 1)
    wb.set(last + 1, "code", "PS-09")
    wb.set(last + 1, "location_kode", "13.72.01.1003")
    wb.set(last + 1, "source", None)
    wb.set(last + 1, "status", None)
    wb.save()
    report = import_workbook(programme_xlsx, city.path)
    assert report.added == ("PS-09",)
    rows = _rows(city.file(PRG))
    assert [r["code"] for r in rows][-2:] == ["PS-08", "PS-09"]
    assert rows[-1]["location_kode"] == "13.72.01.1003" and rows[-1]["status"] == ""
    assert load_programme(city.path).activities.set_index("code").at["PS-09", "status"] == (
        "unverified"
    )


def test_removing_activity_without_realisation(city: CityFolder, tmp_path: Path) -> None:
    city.drop_rows(REA, activity_code="PS-07")
    out = tmp_path / "p.xlsx"
    export_template("programme", city.path, out)
    wb = Workbook(out)
    wb.ws.delete_rows(wb.row_of(code="PS-07"))
    wb.save()
    report = import_workbook(out, city.path)
    assert report.removed == ("PS-07",)
    codes = [r["code"] for r in _rows(city.file(PRG))]
    assert "PS-07" not in codes and codes[-2:] == ["PS-06", "PS-08"]


def test_columns_left_out_keep_their_values(city: CityFolder, programme_xlsx: Path) -> None:
    wb = Workbook(programme_xlsx)
    wb.delete_column("source")
    wb.delete_column("status")
    wb.set(wb.row_of(code="PS-03"), "planned_output_2029", 650)
    wb.save()
    before = _rows(city.file(PRG))
    import_workbook(programme_xlsx, city.path)
    after = _rows(city.file(PRG))
    assert [r["source"] for r in after] == [r["source"] for r in before]
    assert [r["status"] for r in after] == [r["status"] for r in before]
    assert after[10]["planned_output_2029"] == "650"


def test_extra_column_ignored_with_a_warning(city: CityFolder, programme_xlsx: Path) -> None:
    wb = Workbook(programme_xlsx)
    wb.ws.cell(1, wb.ws.max_column + 1).value = "catatan_saya"
    wb.ws.cell(2, wb.ws.max_column).value = "cek lagi"
    wb.save()
    before = snapshot(city.path)
    report = import_workbook(programme_xlsx, city.path)
    assert [(p.code, p.column) for p in report.problems] == [("SAN-W145", "catatan_saya")]
    assert snapshot(city.path) == before


def test_columns_may_be_reordered(city: CityFolder, programme_xlsx: Path) -> None:
    wb = Workbook(programme_xlsx)
    wb.ws.move_range("A1:A17", cols=wb.ws.max_column)
    wb.ws.delete_cols(1)
    wb.save()
    before = snapshot(city.path)
    assert not import_workbook(programme_xlsx, city.path).changed
    assert snapshot(city.path) == before


def test_realisation_next_quarter_is_appended(city: CityFolder, realisation_xlsx: Path) -> None:
    wb = Workbook(realisation_xlsx)
    row = wb.row_of(activity_code="ALD-04", year=2026, quarter=4)
    wb.set(row, "output_achieved", 120)
    wb.set(row, "cost_spent_idr", 30_000_000)
    wb.set(row, "state", "submitted")
    wb.set(row, "status_note", "Catatan triwulan IV")
    wb.save()
    report = import_workbook(realisation_xlsx, city.path, as_of=dt.date(2026, 11, 15))
    assert report.added == ("ALD-04 2026 Q4",) and report.unchanged == 108
    rows = _rows(city.file(REA))
    assert len(rows) == 109
    assert rows[-1] == {
        "activity_code": "ALD-04",
        "year": "2026",
        "quarter": "4",
        "output_achieved": "120",
        "cost_spent_idr": "30000000",
        "progress_pct": "",
        "state": "submitted",
        "status_note": "Catatan triwulan IV",
        "source": "",
        "status": "",
    }
    r = load_programme(city.path).realisation
    assert len(r) == 109


def test_realisation_update_keeps_other_columns(city: CityFolder, realisation_xlsx: Path) -> None:
    wb = Workbook(realisation_xlsx)
    row = wb.row_of(activity_code="PS-06", year=2026, quarter=3)
    wb.set(row, "state", "verified")
    wb.save()
    before = _rows(city.file(REA))
    report = import_workbook(realisation_xlsx, city.path)
    assert report.updated == ("PS-06 2026 Q3",)
    after = _rows(city.file(REA))
    i = next(
        i
        for i, r in enumerate(before)
        if r["activity_code"] == "PS-06" and r["quarter"] == "3" and r["year"] == "2026"
    )
    assert after[i] == {**before[i], "state": "verified"}
    assert after[:i] == before[:i] and after[i + 1 :] == before[i + 1 :]


def test_realisation_rows_deleted_from_workbook_stay(
    city: CityFolder, realisation_xlsx: Path
) -> None:
    wb = Workbook(realisation_xlsx)
    wb.ws.delete_rows(2, 30)
    wb.save()
    before = snapshot(city.path)
    assert not import_workbook(realisation_xlsx, city.path).changed
    assert snapshot(city.path) == before


def test_blank_existing_row_is_kept_with_a_warning(
    city: CityFolder, realisation_xlsx: Path
) -> None:
    wb = Workbook(realisation_xlsx)
    row = wb.row_of(activity_code="ALD-02", year=2025, quarter=1)
    for col in ("output_achieved", "cost_spent_idr", "status_note"):
        wb.set(row, col, None)
    wb.save()
    before = snapshot(city.path)
    report = import_workbook(realisation_xlsx, city.path)
    assert [(p.code, p.row) for p in report.problems] == [("SAN-W146", row)]
    assert snapshot(city.path) == before


def test_realisation_into_a_folder_without_realisation(city: CityFolder, tmp_path: Path) -> None:
    city.file(REA).unlink()
    out = tmp_path / "r.xlsx"
    export_template("realisation", city.path, out)
    wb = Workbook(out)
    row = wb.row_of(activity_code="PS-03", year=2025, quarter=1)
    wb.set(row, "output_achieved", 100)
    wb.set(row, "cost_spent_idr", 15_000_000)
    wb.set(row, "state", "draft")
    wb.save()
    report = import_workbook(out, city.path)
    assert report.added == ("PS-03 2025 Q1",)
    text = city.file(REA).read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text))) == [
        [
            "activity_code",
            "year",
            "quarter",
            "output_achieved",
            "cost_spent_idr",
            "progress_pct",
            "state",
            "status_note",
        ],
        ["PS-03", "2025", "1", "100", "15000000", "", "draft", ""],
    ]
