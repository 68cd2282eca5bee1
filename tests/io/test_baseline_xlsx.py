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
    ADDITIVE_INDICATORS,
    BASE_INDICATORS,
    CELL,
    OBSERVATION_COLUMNS,
    ROW,
    baseline_problems,
    export_baseline_template,
    merge_observations,
    read_baseline_workbook,
    recompute_parents,
)
from sanitasi.io.city import load_city
from sanitasi.io.tables import FILE, LINE

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


# --------------------------------------------------------------------------- parent sums

CITY, KEC1, KEC2 = "13.72", "13.72.01", "13.72.02"
L11, L12, L21, L22 = "13.72.01.1001", "13.72.01.1002", "13.72.02.1001", "13.72.02.1002"
#: A city of two kecamatan with two kelurahan each (official counts switched off).
TREE = pd.DataFrame(
    {
        "kode": [CITY, KEC1, KEC2, L11, L12, L21, L22],
        "nama": ["Kota", "Kec 1", "Kec 2", "Kel 11", "Kel 12", "Kel 21", "Kel 22"],
        "tingkat": ["kabkota", "kecamatan", "kecamatan", *["kelurahan"] * 4],
        "parent_kode": ["13", CITY, CITY, KEC1, KEC1, KEC2, KEC2],
    }
)
NO_OFFICIAL: dict[str, int] = {}


def _tree_obs() -> pd.DataFrame:
    """2024 values: hh_aman 10/20 (kec 30), 30/40 (kec 70), city 100; households
    100/200 (300), 300/400 (700), city 1000; waste_generated_tpd 1.5/2.5 (4), 3/4 (7), 11;
    pct_aman 10 everywhere; the city's TPA inflow 50 t/day."""
    values = {
        "hh_aman": [100, 30, 70, 10, 20, 30, 40],
        "households": [1000, 300, 700, 100, 200, 300, 400],
        "waste_generated_tpd": [11, 4, 7, 1.5, 2.5, 3, 4],
        "pct_aman": [10] * 7,
    }
    units = {"hh_aman": "KK", "households": "households", "waste_generated_tpd": "t/day"}
    recs = [
        {
            "kode": k,
            "year": 2024,
            "indicator": ind,
            "value": float(v),
            "status": "sourced",
            "unit": units.get(ind, "%"),
            "source": "BPS",
        }
        for ind, vals in values.items()
        for k, v in zip(TREE["kode"], vals, strict=True)
    ]
    recs.append({**recs[0], "indicator": "tpa_inflow_tpd", "value": 50.0, "unit": "t/day"})
    return pd.DataFrame(recs)


def _set(obs: pd.DataFrame, kode: str, indicator: str, v: float) -> pd.DataFrame:
    """``obs`` with one value changed, and the changed row (as a change passes it)."""
    key = obs["kode"].eq(kode) & obs["indicator"].eq(indicator)
    obs.loc[key, "value"] = v
    return obs[key]


def _value(obs: pd.DataFrame, kode: str, indicator: str) -> float:
    return float(obs.loc[obs["kode"].eq(kode) & obs["indicator"].eq(indicator), "value"].iloc[0])


def test_parents_become_the_sums_of_their_kelurahan() -> None:
    obs = _tree_obs()
    changed = pd.concat(
        [
            _set(obs, L11, "hh_aman", 15),  # kec 1: 15 + 20 = 35; city 15 + 20 + 30 + 40 = 105
            _set(obs, L21, "households", 310),  # kec 2: 310 + 400 = 710; city 1010
            _set(obs, L22, "waste_generated_tpd", 4.25),  # kec 2: 7.25; city 1.5+2.5+3+4.25
            _set(obs, L12, "tpa_inflow_tpd", 9),  # no such row: nothing to sum
        ]
    )
    out, derived = recompute_parents(TREE, obs, changed, source="sum (test)", official=NO_OFFICIAL)
    got = {(r.kode, r.indicator): r.value for r in derived.itertuples()}
    assert got == {
        (CITY, "households"): 1010.0,
        (KEC2, "households"): 710.0,
        (CITY, "hh_aman"): 105.0,
        (KEC1, "hh_aman"): 35.0,
        (CITY, "waste_generated_tpd"): 11.25,
        (KEC2, "waste_generated_tpd"): 7.25,
    }
    assert set(derived["status"]) == {"derived"} and set(derived["source"]) == {"sum (test)"}
    d = derived.set_index(["kode", "indicator"])
    assert d.loc[(KEC1, "hh_aman"), "unit"] == "KK"  # the parent keeps its unit
    assert (d.loc[(KEC1, "hh_aman"), "old_value"], d.loc[(KEC1, "hh_aman"), "old_status"]) == (
        30.0,
        "sourced",
    )
    assert _value(out, KEC1, "hh_aman") == 35 and _value(out, CITY, "hh_aman") == 105
    assert _value(out, KEC2, "hh_aman") == 70  # not touched by the change
    assert _value(out, KEC1, "households") == 300
    assert _value(out, CITY, "tpa_inflow_tpd") == 50  # never a sum over kelurahan
    kec1 = out[out["kode"].eq(KEC1) & out["indicator"].eq("hh_aman")].iloc[0]
    assert (kec1["status"], kec1["source"]) == ("derived", "sum (test)")
    assert len(out) == len(obs)  # rows are changed, never added
    assert "tpa_inflow_tpd" not in ADDITIVE_INDICATORS and "pct_aman" not in ADDITIVE_INDICATORS


def test_a_kelurahan_without_value_leaves_its_kecamatan_and_the_city() -> None:
    obs = _tree_obs()
    obs = obs[~(obs["kode"].eq(L22) & obs["indicator"].eq("hh_aman"))].copy()
    changed = pd.concat([_set(obs, L21, "hh_aman", 33), _set(obs, L11, "hh_aman", 15)])
    out, derived = recompute_parents(TREE, obs, changed, official=NO_OFFICIAL)
    # kec 2 lacks Kel 22: kec 2 and the city stay; kec 1 is complete: 15 + 20
    assert list(zip(derived["kode"], derived["value"], strict=True)) == [(KEC1, 35.0)]
    assert _value(out, KEC2, "hh_aman") == 70 and _value(out, CITY, "hh_aman") == 100


def test_an_explicit_parent_value_wins() -> None:
    obs = _tree_obs()
    changed = pd.concat([_set(obs, L11, "hh_aman", 15), _set(obs, KEC1, "hh_aman", 50)])
    out, derived = recompute_parents(TREE, obs, changed, official=NO_OFFICIAL)
    assert _value(out, KEC1, "hh_aman") == 50  # the user's value, kept
    assert list(zip(derived["kode"], derived["value"], strict=True)) == [(CITY, 105.0)]


def test_percentages_are_never_summed_and_equal_sums_stay() -> None:
    obs = _tree_obs()
    changed = _set(obs, L11, "pct_aman", 40)
    out, derived = recompute_parents(TREE, obs, changed, official=NO_OFFICIAL)
    assert derived.empty and _value(out, KEC1, "pct_aman") == 10
    assert _value(out, CITY, "pct_aman") == 10
    # 10 -> 15 and 20 -> 15: kec 1 still 30, the city still 100; both keep their provenance
    obs = _tree_obs()
    changed = pd.concat([_set(obs, L11, "hh_aman", 15), _set(obs, L12, "hh_aman", 15)])
    out, derived = recompute_parents(TREE, obs, changed, official=NO_OFFICIAL)
    assert derived.empty
    assert out.equals(obs)


def test_parents_need_every_official_kelurahan() -> None:
    """Kecamatan Lubuk Sikarah has 7 official kelurahan and Kota Solok 13: with only two of
    them listed, a sum would be a partial total, so nothing is recomputed."""
    obs = _tree_obs()
    changed = _set(obs, L11, "hh_aman", 15)
    out, derived = recompute_parents(TREE, obs, changed)
    assert derived.empty and _value(out, KEC1, "hh_aman") == 30
    # with the listed ones declared complete for kecamatan 1 only
    out, derived = recompute_parents(TREE, obs, changed, official={KEC1: 2, CITY: 13})
    assert list(zip(derived["kode"], derived["value"], strict=True)) == [(KEC1, 35.0)]


def test_recomputed_parents_pass_the_subarea_check(
    tmp_path: Path, demo: tuple[PlanInputs, PlanOptions]
) -> None:
    """Kota Solok 2024, upload -> merge -> recompute: Tanah Garam's 350 belum layak households
    become aman; Lubuk Sikarah (872 aman, 827 belum layak) and the city (1637, 1671) follow,
    so the whole-city check has no SAN-W101 left; the recomputed rows are named by their
    source, not by a workbook cell."""
    inputs, _ = demo
    stored = inputs.observations[OBSERVATION_COLUMNS].copy()
    path = book(tmp_path / "b.xlsx", [[L11, None, 2024, None, 560, 0, "", "sourced"]])
    df, problems = read_baseline_workbook(path, KNOWN)
    assert problems == []
    merged = merge_observations(stored, df)
    before = baseline_problems(inputs.regions, merged.observations, 2024)
    # the kecamatan no longer equals its kelurahan (the city still equals its kecamatan)
    assert codes(before) == ["SAN-W101"] * 2
    assert {p.file for p in before} == {
        f"database: {KEC1} 2024 hh_aman",
        f"database: {KEC1} 2024 hh_belum_layak",
    }
    changed = pd.concat([merged.added, merged.changed])
    out, derived = recompute_parents(
        inputs.regions, merged.observations, changed, source="sum (b.xlsx)"
    )
    got = {(r.kode, r.indicator): (r.value, r.old_value) for r in derived.itertuples()}
    assert got == {
        (CITY, "hh_aman"): (1637 + 350, 1637),
        (KEC1, "hh_aman"): (872 + 350, 872),
        (CITY, "hh_belum_layak"): (1671 - 350, 1671),
        (KEC1, "hh_belum_layak"): (827 - 350, 827),
    }
    assert baseline_problems(inputs.regions, out, 2024) == []
    row = out[out["kode"].eq(KEC1) & out["indicator"].eq("hh_aman")].iloc[0]
    assert (row[FILE], row[CELL], row["unit"]) == ("sum (b.xlsx)", "hh_aman", "households")
    assert row[ROW] is None
