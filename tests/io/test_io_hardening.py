"""Issue 12, items 1-2: readers that never crash (every problem named, nothing written),
workbooks read within bounds from their real extent, stale workbooks refused, and formula
neutralisation of the exports (docs/city-data.md, Limits)."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from click.testing import CliRunner
from io_fixtures import CityFolder
from io_workbooks import snapshot

from sanitasi.cli import main
from sanitasi.formulas import csv_cell, is_formula_like, write_text
from sanitasi.io import tables, workbooks
from sanitasi.io.baseline_xlsx import read_baseline_workbook
from sanitasi.io.errors import InputErrors, Problem
from sanitasi.io.ghg import fod_csv_bytes
from sanitasi.io.limits import limits
from sanitasi.io.tables import LINE, parse_csv
from sanitasi.io.templates import export_template, import_workbook

KNOWN = frozenset({"13", "13.72", "13.72.01", "13.72.01.1001", "13.72.01.1002"})


def codes(problems: list[Problem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.row, p.column) for p in problems]


def with_limits(monkeypatch: pytest.MonkeyPatch, **changes: int) -> None:
    """Smaller limits for one test (the readers look them up at each read)."""
    small = dataclasses.replace(limits(), **changes)
    monkeypatch.setattr(tables, "limits", lambda: small)
    monkeypatch.setattr(workbooks, "limits", lambda: small)


# --------------------------------------------------------------------------- CSV readers


def test_header_repeated_in_another_case() -> None:
    df, problems = parse_csv(b"Code,name,code\nA,x,B\n", "agencies.csv")
    assert df is None
    assert codes(problems) == [("SAN-E048", 1, "code")]
    assert problems[0].value == "code"


def test_nul_byte_named_with_its_line() -> None:
    df, problems = parse_csv(b"a,b\n1,2\n3,\x004\n", "x.csv")
    assert df is None and codes(problems) == [("SAN-E151", 3, None)]
    assert "byte 10" in problems[0].rule


def test_not_utf8_named_with_its_line() -> None:
    df, problems = parse_csv("a,b\n1,2\n3,Garám\n".encode("latin-1"), "x.csv")
    assert df is None and codes(problems) == [("SAN-E003", 3, None)]
    assert "not UTF-8" in problems[0].rule


def test_every_wide_row_listed() -> None:
    df, problems = parse_csv(b"a,b\n1,2\n1,2,3\n4,5\n6,7,8,9\n", "x.csv")
    assert df is None
    assert codes(problems) == [("SAN-E154", 3, None), ("SAN-E154", 5, None)]
    assert "has 4 cells but the header has 2" in problems[1].rule


def test_wide_row_in_a_quoted_file_counts_physical_lines() -> None:
    data = b'a,b\n"multi\nline",2\n1,2,3\n'
    df, problems = parse_csv(data, "x.csv")
    assert codes(problems) == [("SAN-E154", 4, None)]


def test_short_row_is_padded_with_blanks() -> None:
    df, problems = parse_csv(b"a,b,c\n1,2\n", "x.csv")
    assert problems == [] and df is not None
    assert df.loc[0, ["a", "b", "c"]].tolist() == ["1", "2", ""] and df.loc[0, LINE] == 2


def test_field_beyond_pythons_csv_default_is_read() -> None:
    """131,072 characters is the csv module's default limit (the issue's ``_csv.Error``)."""
    big = "x" * 200_000
    df, problems = parse_csv(f'a,b\n1,"{big}"\n'.encode(), "x.csv")
    assert problems == [] and df is not None and len(df.loc[0, "b"]) == 200_000


def test_field_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    with_limits(monkeypatch, csv_max_field_chars=10)
    df, problems = parse_csv(b'a,b\n1,2\n3,"01234567890"\n', "x.csv")
    assert df is None and codes(problems) == [("SAN-E153", 3, "b")]
    assert "11 characters; the limit is 10" in problems[0].rule


def test_line_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    with_limits(monkeypatch, csv_max_line_chars=20)
    df, problems = parse_csv(b"a,b\n1,2\n" + b"3," + b"9" * 30 + b"\n", "x.csv")
    assert df is None and codes(problems) == [("SAN-E152", 3, None)]
    assert "32 characters" in problems[0].rule


def test_file_over_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with_limits(monkeypatch, csv_max_bytes=10)
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    df, problems = tables.read_table(path, "x.csv", ("a",))
    assert df is None and [p.code for p in problems] == ["SAN-E150"]
    assert "12 bytes; the limit is 10" in problems[0].rule


def test_too_many_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    with_limits(monkeypatch, csv_max_columns=3)
    df, problems = parse_csv(b"a,b,c,d\n1,2,3,4\n", "x.csv")
    assert df is None and codes(problems) == [("SAN-E155", 1, None)]


def test_optional_csv_that_is_a_folder_is_an_error(city: CityFolder) -> None:
    (city.path / "targets.csv").unlink()
    (city.path / "targets.csv").mkdir()
    p = city.one("SAN-E156")
    assert p.file == "targets.csv" and "not a regular file" in p.rule


def test_absent_optional_csv_is_still_absent(city: CityFolder) -> None:
    (city.path / "targets.csv").unlink()
    assert city.problems("SAN-E156") == [] and city.problems("SAN-E001") == []


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


def test_cli_plan_refuses_a_repeated_header_with_exit_2(city: CityFolder, tmp_path: Path) -> None:
    text = city.file("agencies.csv").read_text(encoding="utf-8")
    city.file("agencies.csv").write_text(text.replace("code,", "Code,code,", 1), encoding="utf-8")
    out = tmp_path / "out"
    code, output = run("plan", "--city-dir", str(city.path), "--out", str(out), "--lang", "en")
    assert code == 2, output
    assert "SAN-E048 agencies.csv line 1, column code" in output
    assert not out.exists()


def test_cli_prints_rich_markup_in_user_text_as_written(city: CityFolder, tmp_path: Path) -> None:
    """An agency code and an output path with ``[/]`` (rich markup) are printed as written."""
    for path in city.path.glob("*.csv"):
        name = path.name
        text = city.file(name).read_text(encoding="utf-8")
        city.file(name).write_text(re.sub(r"\bDLH\b", "[/DLH]", text), encoding="utf-8")
    out = tmp_path / "o[/]x"
    code, output = run("plan", "--city-dir", str(city.path), "--out", str(out))
    assert code == 0, output
    assert f"→ {out.resolve() / 'plan.html'}" in output.replace("\n", "")
    code, output = run("agency-brief", "[/DLH]", "--city-dir", str(city.path), "--year", "2026")
    assert code == 0, output
    assert "[/DLH]" in output


# --------------------------------------------------------------------------- workbooks


def baseline_book(path: Path, n_rows: int) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "baseline"
    ws.append(["kode", "year", "households", "hh_aman", "source", "status"])
    for i in range(n_rows):
        ws.append(["13.72.01.1001", 2000 + i, 100, 10, "survey", "sourced"])
    wb.save(path)
    return path


def rewrite_member(path: Path, member: str, change: object) -> None:
    """Rewrite one zip member of ``path`` with ``change(text) -> text``."""
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            zf.writestr(info.filename, data)


def set_dimension(path: Path, ref: str) -> None:
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda t: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', t),
    )


@pytest.mark.parametrize("ref", ["A1:B2", "A1:XFD20000"])
def test_workbook_read_from_its_rows_not_its_dimension(tmp_path: Path, ref: str) -> None:
    """A dimension claiming fewer rows drops none; one claiming A1:XFD20000 pads nothing."""
    path = baseline_book(tmp_path / "b.xlsx", 12)
    set_dimension(path, ref)
    obs, problems = read_baseline_workbook(path, KNOWN)
    assert [p for p in problems if p.is_error] == []
    years = sorted(obs.loc[obs["indicator"].eq("households"), "year"].astype(int))
    assert years == list(range(2000, 2012))
    assert sorted(set(obs[LINE])) == list(range(2, 14))


def test_workbook_rows_over_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with_limits(monkeypatch, xlsx_max_rows=5)
    path = baseline_book(tmp_path / "b.xlsx", 12)
    obs, problems = read_baseline_workbook(path, KNOWN)
    assert obs.empty and [p.code for p in problems] == ["SAN-E158"]
    assert "more than 5 rows" in problems[0].rule


def test_workbook_value_beyond_the_column_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_limits(monkeypatch, xlsx_max_columns=10)
    path = baseline_book(tmp_path / "b.xlsx", 2)
    wb = openpyxl.load_workbook(path)
    wb["baseline"].cell(3, 40).value = "far away"
    wb.save(path)
    obs, problems = read_baseline_workbook(path, KNOWN)
    assert obs.empty and [p.code for p in problems] == ["SAN-E158"]
    assert "more than 10 columns" in problems[0].rule


def test_zip_bomb_refused_before_opening(tmp_path: Path) -> None:
    path = baseline_book(tmp_path / "b.xlsx", 2)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (8 << 20))  # 8 MiB of zeros: ~1000:1
    obs, problems = read_baseline_workbook(path, KNOWN)
    assert obs.empty and [p.code for p in problems] == ["SAN-E157"]
    assert "xl/media/padding.bin" in problems[0].rule


def test_unpacked_size_over_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with_limits(monkeypatch, xlsx_max_uncompressed_bytes=1000)
    path = baseline_book(tmp_path / "b.xlsx", 2)
    obs, problems = read_baseline_workbook(path, KNOWN)
    assert [p.code for p in problems] == ["SAN-E157"]


def test_workbook_file_over_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with_limits(monkeypatch, xlsx_max_bytes=100)
    path = baseline_book(tmp_path / "b.xlsx", 2)
    _, problems = read_baseline_workbook(path, KNOWN)
    assert [p.code for p in problems] == ["SAN-E150"]


def test_template_import_reads_rows_beyond_the_dimension(city: CityFolder, tmp_path: Path) -> None:
    """An exported template whose dimension claims one row imports every row (no drop)."""
    xlsx = tmp_path / "r.xlsx"
    export_template("realisation", city.path, xlsx)
    whole = import_workbook(xlsx, city.path, check_only=True)
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    member = f"xl/worksheets/sheet{wb.sheetnames.index('realisasi') + 1}.xml"
    wb.close()
    rewrite_member(
        xlsx,
        member,
        lambda t: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>', t),
    )
    report = import_workbook(xlsx, city.path, check_only=True)
    assert report.rows == whole.rows == 124  # the demo with PS-08
    assert (report.unchanged, report.added, report.updated) == (108, (), ())


# --------------------------------------------------------------------------- stale workbooks


def test_stale_workbook_lists_the_rows_changed_since_export(
    city: CityFolder, tmp_path: Path
) -> None:
    xlsx = tmp_path / "r.xlsx"
    export_template("realisation", city.path, xlsx)
    line = city.line_of("realisation.csv", activity_code="ALD-02", year="2025", quarter="1")
    city.set("realisation.csv", line, "status_note", "edited on the web after the export")
    before = snapshot(city.path)
    with pytest.raises(InputErrors) as err:
        import_workbook(xlsx, city.path)
    assert [(p.code, p.value) for p in err.value.errors] == [("SAN-E159", "ALD-02 2025 Q1")]
    assert "was changed after this workbook was exported" in err.value.errors[0].rule
    assert snapshot(city.path) == before
    fresh = tmp_path / "fresh.xlsx"
    export_template("realisation", city.path, fresh)
    assert import_workbook(fresh, city.path).written == ()


def test_stale_programme_names_rows_added_since_export(city: CityFolder, tmp_path: Path) -> None:
    xlsx = tmp_path / "p.xlsx"
    export_template("programme", city.path, xlsx)
    rows = city.read("programme.csv")
    new = list(rows[1])
    new[rows[0].index("code")] = "ALD-99"
    city.write("programme.csv", [*rows, new])
    with pytest.raises(InputErrors) as err:
        import_workbook(xlsx, city.path)
    stale = [p for p in err.value.errors if p.code == "SAN-E159"]
    assert [p.value for p in stale] == ["ALD-99"] and "was added after" in stale[0].rule


def test_workbook_without_fingerprint_is_not_checked(city: CityFolder, tmp_path: Path) -> None:
    xlsx = tmp_path / "r.xlsx"
    export_template("realisation", city.path, xlsx)
    wb = openpyxl.load_workbook(xlsx)
    del wb["sanitasi_versi"]
    wb.save(xlsx)
    line = city.line_of("realisation.csv", activity_code="ALD-02", year="2025", quarter="1")
    city.set("realisation.csv", line, "status_note", "edited")
    report = import_workbook(xlsx, city.path, check_only=True)
    assert report.updated == ("ALD-02 2025 Q1",)


# --------------------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=1+1", True),
        ("+SUM(A1)", True),
        ("-2+3", True),
        ("@cmd", True),
        ("\tx", True),
        ("\rx", True),
        ("-5", False),
        ("+1.5", False),
        ("-1e3", False),
        ("a=b", False),
        ("", False),
    ],
)
def test_formula_like(text: str, formula: bool) -> None:
    assert is_formula_like(text) is formula
    assert csv_cell(text) == ("'" + text if formula else text)


def test_write_text_quote_prefixes_formula_like_text(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    bold = wb.add_format({"bold": True})
    write_text(ws, 0, 0, "=1+1", bold)
    write_text(ws, 1, 0, "plain", bold)
    write_text(ws, 2, 0, "@x")
    wb.close()
    cells = openpyxl.load_workbook(path)["Sheet1"]
    a1, a2, a3 = cells["A1"], cells["A2"], cells["A3"]
    assert (a1.value, a1.data_type, a1.quotePrefix, a1.font.b) == ("=1+1", "s", True, True)
    assert (a2.value, a2.quotePrefix, a2.font.b) == ("plain", False, True)
    assert (a3.value, a3.data_type, a3.quotePrefix) == ("@x", "s", True)


def test_realisation_note_formula_exports_as_text_and_round_trips(
    city: CityFolder, tmp_path: Path
) -> None:
    line = city.line_of("realisation.csv", activity_code="ALD-01", year="2025", quarter="1")
    city.set("realisation.csv", line, "status_note", "=1+1")
    before = snapshot(city.path)
    xlsx = tmp_path / "r.xlsx"
    export_template("realisation", city.path, xlsx)
    ws = openpyxl.load_workbook(xlsx)["realisasi"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=1+1"]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].quotePrefix
    report = import_workbook(xlsx, city.path)
    assert report.written == () and snapshot(city.path) == before
    assert city.get("realisation.csv", line, "status_note") == "=1+1"


def test_fod_csv_neutralises_text() -> None:
    from sanitasi.core.ghg import FOD_COLUMNS

    row = {c: 1.0 for c in FOD_COLUMNS}
    text_col = next(c for c in FOD_COLUMNS if c in ("stream", "category", "source"))
    row[text_col] = "=HYPERLINK(1)"
    data = fod_csv_bytes(pd.DataFrame([row], columns=list(FOD_COLUMNS)))
    assert b"'=HYPERLINK(1)" in data
    back = pd.read_csv(io.BytesIO(data))
    assert back.loc[0, text_col] == "'=HYPERLINK(1)"
