"""The baseline workbook: export (wide sheet, drop-downs, numbers as numbers), the exact round
trip, every cell checked with the rules of observations.csv and placed at its Excel row and
column, workbooks refused as a whole, the upsert merge and the whole-city checks."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from sanitasi.core.model import PlanInputs, PlanOptions
from sanitasi.io.baseline_xlsx import (
    BASE_INDICATORS,
    CELL,
    baseline_problems,
    export_baseline_template,
    merge_observations,
    read_baseline_workbook,
)
from sanitasi.io.city import load_city
from sanitasi.io.tables import LINE

KNOWN = frozenset({"13", "13.72", "13.72.01", "13.72.02", "13.72.01.1001", "13.72.01.1002"})
HEADER = [
    "kode",
    "info_nama",
    "year",
    "households",
    "hh_aman",
    "hh_belum_layak",
    "source",
    "status",
]
#: Excel letters of HEADER.
COL = {h: "ABCDEFGH"[i] for i, h in enumerate(HEADER)}


@pytest.fixture(scope="module")
def demo() -> tuple[PlanInputs, PlanOptions]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_city(None)


def book(
    path: Path, rows: list[list[Any]], header: list[str] | None = None, sheet: str = "baseline"
) -> Path:
    """A hand-made workbook with one sheet: ``header`` then ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def codes(problems: list[Any]) -> list[str]:
    return [p.code for p in problems]


def only(problems: list[Any], code: str) -> Any:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


# --------------------------------------------------------------------------- export


def test_round_trip_gives_exactly_the_observations(
    tmp_path: Path, demo: tuple[PlanInputs, PlanOptions]
) -> None:
    inputs, _ = demo
    path = tmp_path / "baseline.xlsx"
    export_baseline_template(inputs.regions, inputs.observations, path)
    df, problems = read_baseline_workbook(path, frozenset(inputs.regions["kode"]))
    assert problems == []
    key = ["kode", "year", "indicator"]
    expected = inputs.observations.sort_values(key).reset_index(drop=True)
    got = df[list(expected.columns)].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) == 235


def test_template_is_wide_with_numbers_and_drop_downs(
    tmp_path: Path, demo: tuple[PlanInputs, PlanOptions]
) -> None:
    inputs, _ = demo
    path = tmp_path / "baseline.xlsx"
    export_baseline_template(inputs.regions, inputs.observations, path, lang="en", years=[2025])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["petunjuk", "baseline"]
    assert {"daftar_wilayah", "daftar_indikator", "daftar_kode"} <= set(wb.sheetnames)
    ws = wb["baseline"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["kode", "info_nama", "info_tingkat", "year"]
    assert header[4 : 4 + len(BASE_INDICATORS)] == list(BASE_INDICATORS)
    assert header[4:10] == [
        "population",
        "households",
        "hh_aman",
        "hh_layak_sendiri",
        "hh_layak_bersama",
        "hh_belum_layak",
    ]
    assert header[-2:] == ["source", "status"]
    assert "slum_area_ha" in header  # a context indicator of the city keeps its column
    rows: dict[tuple[Any, Any], list[tuple[Any, ...]]] = {}
    for r in ws.iter_rows(min_row=2, values_only=True):
        if r[0]:
            rows.setdefault((r[0], r[3]), []).append(r)
    # Tanah Garam 2024: hh_babs_terbuka has its own source (STBM award), so two rows
    first, babs = rows[("13.72.01.1001", 2024)]
    assert babs[header.index("hh_babs_terbuka")] == 0 and babs[header.index("households")] is None
    assert "antaranews" in babs[header.index("source")]
    tanah_garam = first
    assert tanah_garam[header.index("households")] == 3498  # observations.csv
    assert isinstance(tanah_garam[header.index("households")], int | float)
    assert tanah_garam[header.index("hh_babs_terbuka")] is None
    assert tanah_garam[header.index("status")] in ("sourced", "derived", "illustrative")
    # an empty row for every region in the extra year 2025 (the city has population_dukcapil)
    assert rows[("13.72.02.1006", 2025)][0][4:-2] == (None,) * (len(header) - 6)
    # the status drop-down and the number validation
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status_col = openpyxl.utils.get_column_letter(header.index("status") + 1)
    status = next(dv for ref, dv in rules.items() if ref.startswith(f"{status_col}2:"))
    assert status.type == "list" and "daftar_kode" in str(status.formula1)
    hh_col = openpyxl.utils.get_column_letter(header.index("hh_aman") + 1)
    number = next(dv for ref, dv in rules.items() if ref.startswith(f"{hh_col}2:"))
    assert number.type == "decimal" and number.operator == "greaterThanOrEqual"
    units = {r[0]: r[1] for r in wb["daftar_indikator"].iter_rows(min_row=2, values_only=True)}
    assert units["households"] == "households" and units["population"] == "persons"
    text = " ".join(str(c.value) for c in wb["petunjuk"]["A"] if c.value)
    assert text.startswith("City baseline data template") and "Template data dasar" in text


def test_unknown_language_is_refused(tmp_path: Path, demo: tuple[PlanInputs, PlanOptions]) -> None:
    inputs, _ = demo
    with pytest.raises(ValueError, match="language"):
        export_baseline_template(inputs.regions, inputs.observations, tmp_path / "x.xlsx", "fr")


# --------------------------------------------------------------------------- reading


def test_hand_made_workbook_is_read_cell_by_cell(tmp_path: Path) -> None:
    path = book(
        tmp_path / "b.xlsx",
        [
            ["13.72.01.1001", "Tanah Garam", 2024, 100, 40, 60, "Survey 2024", "sourced"],
            ["13.72.01.1002", None, "2024", 50.5, None, None, "", ""],
            [None, None, None, None, None, None, None, None],  # blank row: ignored
            ["13.72.01.1002", None, 2024, None, None, None, "ignored: no value", "sourced"],
        ],
    )
    df, problems = read_baseline_workbook(path, KNOWN)
    assert problems == []
    rows = df.set_index(["kode", "indicator"])
    assert len(df) == 4  # three values of row 2, one of row 3
    assert rows.loc[("13.72.01.1001", "hh_aman"), "value"] == 40.0
    assert rows.loc[("13.72.01.1001", "hh_aman"), "source"] == "Survey 2024"
    assert rows.loc[("13.72.01.1001", "hh_aman"), "unit"] == "households"  # default unit
    second = rows.loc[("13.72.01.1002", "households")]
    assert (second["value"], second["status"], second["year"]) == (50.5, "unverified", 2024)
    assert (second[LINE], second[CELL]) == (3, "households (D)")


def test_wrong_sheet_is_refused(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", [["13.72", None, 2024, 1, 1, 0, "", ""]], sheet="Sheet1")
    df, problems = read_baseline_workbook(path, KNOWN)
    p = only(problems, "SAN-E047")
    assert p.file == "b.xlsx" and "baseline" in p.rule and "Sheet1" in p.rule
    assert df.empty


def test_missing_required_column_is_refused(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "year"]
    path = book(tmp_path / "b.xlsx", [["13.72", None, 1, 1, 0, "", ""]], header)
    df, problems = read_baseline_workbook(path, KNOWN)
    p = only(problems, "SAN-E002")
    assert (p.file, p.row, p.column) == ("b.xlsx [baseline]", 1, "year")
    assert df.empty


def test_header_problems(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", [], ["kode", "year", "hh aman", "hh_aman", "hh_aman"])
    _, problems = read_baseline_workbook(path, KNOWN)
    assert codes(problems) == ["SAN-E120", "SAN-E048"]
    assert problems[0].column == "hh aman (C)" and problems[1].column == "hh_aman (E)"
    path = book(tmp_path / "c.xlsx", [["13.72", 2024, "x"]], ["kode", "year", "source"])
    _, problems = read_baseline_workbook(path, KNOWN)
    assert codes(problems) == ["SAN-E121"]


@pytest.mark.parametrize(
    "content", [b"", b"kode,year\n13.72,2024\n", b"PK\x03\x04 not really a zip"]
)
def test_garbage_files_are_problems_not_crashes(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    df, problems = read_baseline_workbook(path, KNOWN)
    assert codes(problems) == ["SAN-E046"] and df.empty
    assert problems[0].file == "upload.xlsx"


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    _, problems = read_baseline_workbook(tmp_path / "nope.xlsx", KNOWN, label="nope")
    assert codes(problems) == ["SAN-E046"] and "not found" in problems[0].rule


def test_text_in_a_number_cell_names_row_and_column(tmp_path: Path) -> None:
    path = book(
        tmp_path / "b.xlsx",
        [
            ["13.72.01.1001", None, 2024, 100, 40, 60, "", ""],
            ["13.72.01.1002", None, 2024, 80, "lima", "3,5", "", ""],
        ],
    )
    df, problems = read_baseline_workbook(path, KNOWN)
    assert codes(problems) == ["SAN-E016", "SAN-E016"]
    a, b = problems
    assert (a.file, a.row, a.column, a.value) == ("b.xlsx [baseline]", 3, "hh_aman (E)", "lima")
    assert a.rule.startswith("hh_aman must be a number")
    assert a.message_id.startswith("hh_aman harus berupa angka")
    assert (b.row, b.column, b.value) == (3, "hh_belum_layak (F)", "3,5")
    # the good cells are still returned (the caller refuses the whole upload on any error)
    assert len(df) == 4


def test_percentage_above_100_and_negative_value(tmp_path: Path) -> None:
    header = ["kode", "year", "pct_waste_processed_dlh", "households"]
    path = book(tmp_path / "b.xlsx", [["13.72", 2024, 120, -3]], header)
    _, problems = read_baseline_workbook(path, KNOWN)
    pct, neg = only(problems, "SAN-E011"), only(problems, "SAN-E009")
    assert (pct.row, pct.column, pct.value) == (2, "pct_waste_processed_dlh (C)", "120")
    assert "between 0 and 100" in pct.rule
    assert (neg.row, neg.column, neg.value) == (2, "households (D)", "-3")
    assert neg.rule == "households must not be negative"


def test_unknown_kode_reported_once_per_row(tmp_path: Path) -> None:
    path = book(
        tmp_path / "b.xlsx",
        [
            ["99.99.99", None, 2024, 100, 40, 60, "", ""],
            ["13.71", None, 2024, 100, 40, 60, "", ""],  # official, but not of this city
        ],
    )
    df, problems = read_baseline_workbook(path, KNOWN)
    assert codes(problems) == ["SAN-E004", "SAN-E005"]
    assert (problems[0].row, problems[0].column, problems[0].value) == (2, "kode (A)", "99.99.99")
    assert (problems[1].row, problems[1].value) == (3, "13.71")
    assert df.empty


def test_duplicate_cell_names_the_first_row(tmp_path: Path) -> None:
    path = book(
        tmp_path / "b.xlsx",
        [
            ["13.72.01.1001", None, 2024, 100, 40, 60, "BPS", "sourced"],
            ["13.72.01.1001", None, 2024.0, None, 41, None, "Survey", "derived"],
        ],
    )
    df, problems = read_baseline_workbook(path, KNOWN)
    p = only(problems, "SAN-E012")
    assert (p.file, p.row, p.column) == ("b.xlsx [baseline]", 3, "hh_aman (E)")
    assert "line 2" in p.rule
    assert df.set_index("indicator").loc["hh_aman", "value"] == 40.0  # the first one kept


def test_bad_year_and_status(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", [["13.72", None, 1800, 1, 1, 0, "", "verified"]])
    _, problems = read_baseline_workbook(path, KNOWN)
    year, status = only(problems, "SAN-E014"), only(problems, "SAN-E024")
    assert (year.row, year.column, year.value) == (2, "year (C)", "1800")
    assert (status.row, status.column, status.value) == (2, "status (H)", "verified")


def test_units_come_from_the_indicator_sheet(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", [["13.72", None, 2024, 10, 4, 6, "", ""]])
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("daftar_indikator")
    ws.append(["indicator", "unit"])
    ws.append(["households", "rumah tangga"])
    ws.append(["hh_aman", "x" * 70])
    wb.save(path)
    _, problems = read_baseline_workbook(path, KNOWN)
    p = only(problems, "SAN-E122")
    assert p.file == "b.xlsx [daftar_indikator]" and "64" in p.rule
    ws["B3"] = "households"
    wb.save(path)
    df, problems = read_baseline_workbook(path, KNOWN)
    assert problems == []
    assert df.set_index("indicator")["unit"].to_dict()["households"] == "rumah tangga"


# --------------------------------------------------------------------------- merge, city checks


def _stored() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": ["13.72.01.1001"] * 3,
            "year": [2024] * 3,
            "indicator": ["households", "hh_aman", "hh_belum_layak"],
            "value": [100.0, 40.0, 60.0],
            "status": ["sourced"] * 3,
            "unit": ["households"] * 3,
            "source": ["BPS"] * 3,
        }
    )


def test_merge_counts_and_keeps_stored_source(tmp_path: Path) -> None:
    path = book(
        tmp_path / "b.xlsx",
        [
            ["13.72.01.1001", None, 2024, 100, 45, 55, "", "sourced"],
            ["13.72.01.1002", None, 2024, 70, 70, 0, "Survey", "derived"],
        ],
    )
    df, problems = read_baseline_workbook(path, KNOWN)
    assert problems == []
    merged = merge_observations(_stored(), df)
    assert (len(merged.added), len(merged.changed), merged.unchanged) == (3, 2, 1)
    ch = merged.changed.set_index("indicator")
    assert (ch.loc["hh_aman", "old_value"], ch.loc["hh_aman", "value"]) == (40.0, 45.0)
    assert ch.loc["hh_aman", "source"] == "BPS"  # a blank source keeps the stored one
    assert len(merged.observations) == 6


def test_city_checks_place_ladder_errors_on_the_workbook(tmp_path: Path) -> None:
    regions = pd.DataFrame(
        {
            "kode": ["13.72", "13.72.01", "13.72.01.1001"],
            "nama": ["Kota", "Kec", "Kel"],
            "tingkat": ["kabkota", "kecamatan", "kelurahan"],
        }
    )
    # only hh_aman changes: the rungs (45 + 60) no longer sum to households (100)
    path = book(tmp_path / "b.xlsx", [["13.72.01.1001", None, 2024, None, 45, None, "", ""]])
    df, _ = read_baseline_workbook(path, KNOWN)
    merged = merge_observations(_stored(), df)
    problems = baseline_problems(regions, merged.observations, 2024)
    p = only(problems, "SAN-E008")
    # the households row is reported: it is stored, so the database row is named
    assert p.file == "database: 13.72.01.1001 2024 households" and p.row is None
    assert "sum to 105" in p.rule and "households is 100" in p.rule
    # uploaded with households: the households cell of the workbook
    path = book(tmp_path / "c.xlsx", [["13.72.01.1001", None, 2024, 90, 45, None, "", ""]])
    df, _ = read_baseline_workbook(path, KNOWN)
    problems = baseline_problems(regions, merge_observations(_stored(), df).observations, 2024)
    p = only(problems, "SAN-E008")
    assert (p.file, p.row, p.column) == ("c.xlsx [baseline]", 2, "households (D)")
    # a consistent row passes; a base year without kelurahan data does not
    path = book(tmp_path / "d.xlsx", [["13.72.01.1001", None, 2024, None, 45, 55, "", ""]])
    df, _ = read_baseline_workbook(path, KNOWN)
    observations = merge_observations(_stored(), df).observations
    assert baseline_problems(regions, observations, 2024) == []
    assert codes(baseline_problems(regions, observations, 2023)) == ["SAN-E020"]
