"""Wide HTML view of the area x year tables: a row per area, a column per year, one small
table per measure (the XLSX file keeps them long).

The fixture is hand-made: Kota Solok with one kecamatan and two kelurahan, years 2024-2027,
base year 2024 and plan period 2025-2026 (so 2027 is XLSX only). Each kelurahan has its own
figures, so a value in the wrong row or column shows.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from sanitasi.core.model import Column, PlanResult, Table
from sanitasi.reports.common import WIDE_TABLES, Years, wide_spec
from sanitasi.reports.html import (
    TablePart,
    TableView,
    plan_table_view,
    render_html,
    wide_table_view,
)
from sanitasi.reports.xlsx import DATA_ROW, write_xlsx

Y = Years(base=2024, horizon=2027, start=2025, end=2026)
KEL1, KEL2, KEC, CITY = "13.72.01.1001", "13.72.01.1002", "13.72.01", "13.72"
#: Areas in the order the engine might give them (the city first): the view reorders.
AREAS = [
    (CITY, "Kota Solok", "kabkota"),
    (KEC, "Lubuk Sikarah", "kecamatan"),
    (KEL1, "Tanah Garam", "kelurahan"),
    (KEL2, "VI Suku", "kelurahan"),
]
YEARS = (2024, 2025, 2026, 2027)
BASE_POP = {KEL1: 12_345.6, KEL2: 26_654.4, KEC: 39_000.0, CITY: 39_000.0}

C = Column
AREA_COLS = {
    "kode": C("Kode wilayah", "Area code", kind="text"),
    "nama": C("Nama wilayah", "Area name", kind="text"),
    "tingkat": C("Tingkat", "Level", kind="text"),
    "scenario": C("Skenario", "Scenario", kind="text"),
    "year": C("Tahun", "Year", kind="year"),
    "indicator": C("Indikator", "Indicator", kind="text"),
    "unit": C("Satuan", "Unit", kind="text"),
}
PROV = {"sourced": 2, "derived": 1, "illustrative": 3, "unverified": 0}


def _table(name: str, rows: list[dict[str, Any]], cols: dict[str, Column]) -> Table:
    df = pd.DataFrame(rows)
    return Table(
        name=name,
        title_id=f"Judul {name}",
        title_en=f"Title {name}",
        df=df,
        columns={**AREA_COLS, **cols},
        provenance=PROV,
        note_id="Catatan tabel.",
        note_en="Table note.",
    )


def population() -> Table:
    rows = []
    for year in YEARS:
        factor = 1 + 0.01 * (year - 2024)
        for kode, nama, tingkat in AREAS:
            pop = BASE_POP[kode] * factor
            rows.append(
                dict(
                    kode=kode,
                    nama=nama,
                    tingkat=tingkat,
                    year=year,
                    population=pop,
                    households=pop / 3.9,
                )
            )
    cols = {
        "population": C("Penduduk", "Population", "jiwa / persons", "count"),
        "households": C("Rumah tangga", "Households", "rumah tangga / households", "count"),
    }
    return _table("population", rows, cols)


#: % layak by (kode, scenario): base year, then +2 points a year in the plan for KEL1 only;
#: BAU stays at the base; KEL2 has the same figures in both scenarios.
LAYAK = {KEL1: 80.01, KEL2: 82.53, KEC: 81.61, CITY: 81.61}


def ladder() -> Table:
    rows = []
    for year in YEARS:
        for scen in ("bau", "plan"):
            for kode, nama, tingkat in AREAS:
                step = 2.0 * (year - 2024) if scen == "plan" and kode != KEL2 else 0.0
                rows.append(
                    dict(
                        kode=kode,
                        nama=nama,
                        tingkat=tingkat,
                        scenario=scen,
                        year=year,
                        pct_layak=LAYAK[kode] + step,
                        hh_belum_layak=100.0 + year - 2024 if kode != CITY else 250.0,
                        hh_babs_terbuka=0.0,
                        hh_aman=50.0,
                    )
                )
    cols = {
        "pct_layak": C("Akses layak", "Layak access", "%", "pct"),
        "hh_belum_layak": C("RT belum_layak", "HH belum_layak", "rumah tangga / households", "count"),
        "hh_babs_terbuka": C("RT babs_terbuka", "HH babs_terbuka", "rumah tangga / households", "count"),
        "hh_aman": C("RT aman", "HH aman", "rumah tangga / households", "count"),
    }  # fmt: skip
    return _table("ladder", rows, cols)


def coverage_areas() -> Table:
    rows = []
    for ind, unit, short in (
        ("pct_layak", "households", 938.6),
        ("pct_waste_pengurangan", "t/day", 4.63),
    ):
        for year in YEARS:
            for i, (kode, nama, tingkat) in enumerate(AREAS):
                plan = 70.0 + i + (year - 2024)
                rows.append(
                    dict(
                        kode=kode,
                        nama=nama,
                        tingkat=tingkat,
                        indicator=ind,
                        year=year,
                        unit=unit,
                        bau_pct=70.0 + i,
                        plan_pct=plan,
                        trajectory_pct=80.0,
                        gap_pts=10.0 - i,
                        gap_closed_share=None if year == 2024 else 10.0 * (year - 2024) + i,
                        short_units=short * (year - 2024) / (1 + i),
                    )
                )
    cols = {
        "bau_pct": C("Tanpa intervensi (BAU)", "Business as usual", "%", "pct"),
        "plan_pct": C("Dengan program", "With the programme", "%", "pct"),
        "trajectory_pct": C("Lintasan target", "Trajectory", "%", "pct"),
        "gap_pts": C("Kesenjangan (poin)", "Gap (points)", "poin %", "float"),
        "gap_closed_share": C("Bagian kesenjangan ditutup", "Share of gap closed", "%", "pct"),
        "short_units": C("Masih kurang", "Still short", "", "count"),
    }  # fmt: skip
    return _table("coverage_areas", rows, cols)


def _view(table: Table, lang: str = "id", **kw: Any) -> TableView:
    spec = wide_spec(table)
    assert spec is not None
    return wide_table_view(table, lang, spec, Y, **kw)


def _part(view: TableView, anchor_end: str) -> TablePart:
    found = [p for p in view.parts if p.anchor.endswith(anchor_end)]
    assert len(found) == 1, [p.anchor for p in view.parts]
    return found[0]


def cell(part: TablePart, kode: str, column: str) -> str:
    """Text of the cell of area ``kode`` under heading ``column`` (a year, ``Nama wilayah``)."""
    heads = [h.text for h in part.headers]
    rows = [cells for _, cells in part.rows if cells[0].text == kode]
    assert len(rows) == 1, (kode, [c[0].text for _, c in part.rows])
    return rows[0][heads.index(column)].text


def test_one_row_per_area_and_a_column_per_year() -> None:
    view = _view(population())
    assert view.wide and not view.rows
    assert [p.title for p in view.parts] == ["Penduduk (jiwa)", "Rumah tangga"]
    part = view.parts[0]
    assert [h.text for h in part.headers] == [
        "Kode wilayah",
        "Nama wilayah",
        "Tingkat",
        "2024",
        "2025",
        "2026",
    ]  # base year and plan period; 2027 is in the XLSX only
    assert [h.num for h in part.headers] == [False, False, False, True, True, True]
    # kelurahan, then kecamatan, then the city (bold)
    assert [(css, cells[0].text) for css, cells in part.rows] == [
        ("", KEL1),
        ("", KEL2),
        ("level-start", KEC),
        ("total level-start", CITY),
    ]
    assert [c.text for c in part.rows[1][1][:3]] == [KEL2, "VI Suku", "Kelurahan"]
    assert part.rows[3][1][2].text == "Kab/Kota"


def test_cell_of_kelurahan_and_year_holds_its_formatted_value() -> None:
    view = _view(population())
    pop, hh = view.parts
    assert cell(pop, KEL2, "2025") == "26.921"  # 26 654,4 x 1,01
    assert cell(pop, KEL1, "2026") == "12.593"  # 12 345,6 x 1,02
    assert cell(pop, KEL1, "2024") == "12.346"
    assert cell(pop, CITY, "2026") == "39.780"
    assert cell(hh, KEL1, "2025") == "3.197"  # 12 469,1 / 3,9
    assert cell(hh, KEL2, "2024") == "6.834"
    en = _view(population(), "en")
    assert cell(en.parts[0], KEL2, "2025") == "26,921"
    assert [h.text for h in en.parts[0].headers[:3]] == ["Area code", "Area name", "Level"]
    assert en.parts[0].title == "Population (persons)"


def test_footnotes_years_and_columns_in_the_xlsx() -> None:
    view = _view(population())
    assert view.footnotes == [
        "Ditampilkan tahun dasar dan tahun periode rencana (2024, 2025, 2026); semua tahun "
        "ada di berkas XLSX."
    ]
    assert view.provenance == "Masukan: 2 bersumber, 1 turunan, 3 ilustratif, 0 belum terverifikasi"
    assert view.note == "Catatan tabel." and view.title == "Judul population"


def test_plan_scenario_and_bau_only_where_it_differs() -> None:
    view = _view(ladder())
    assert [p.title for p in view.parts] == [
        "Akses layak \u2014 Rencana",
        "Akses layak \u2014 BAU",
        "Rumah tangga belum layak \u2014 Rencana",
    ]
    plan = _part(view, "pct-layak-plan")
    assert cell(plan, KEL1, "2025") == "82,0%" and cell(plan, KEL1, "2026") == "84,0%"
    assert cell(plan, KEL2, "2026") == "82,5%"
    bau = _part(view, "pct-layak-bau")
    # VI Suku has the same figures in both scenarios: not repeated
    assert [cells[0].text for _, cells in bau.rows] == [KEL1, KEC, CITY]
    assert cell(bau, KEL1, "2026") == "80,0%"
    assert bau.footnotes == ["Wilayah lain: BAU sama dengan rencana."]
    belum = _part(view, "hh-belum-layak-plan")
    assert cell(belum, KEL2, "2026") == "102" and cell(belum, CITY, "2025") == "250"
    assert belum.footnotes == [
        "BAU sama dengan rencana di semua wilayah dan tahun yang ditampilkan."
    ]
    assert view.footnotes[1:] == [
        "Tidak ditampilkan karena bernilai 0 di semua wilayah dan tahun: "
        "Rumah tangga BABS terbuka.",
        "Kolom lain ada di berkas XLSX: Rumah tangga aman.",
    ]


def test_english_labels() -> None:
    view = _view(ladder(), "en")
    assert [p.title for p in view.parts][:2] == [
        "Layak access \u2014 Plan",
        "Layak access \u2014 BAU",
    ]
    assert cell(view.parts[0], KEL1, "2025") == "82.0%"
    assert view.parts[1].footnotes == ["Other areas: BAU equals plan."]
    assert view.footnotes[-1] == "The XLSX file also has: Households, safely managed (aman)."


def test_one_table_per_indicator_with_end_of_period_columns() -> None:
    view = _view(coverage_areas())
    assert [p.title for p in view.parts] == ["Akses layak", "Pengurangan sampah"]
    layak, waste = view.parts
    assert layak.groups == [("", 3), ("Dengan program", 3), ("2026", 4)]
    assert [h.text for h in layak.headers[3:]] == [
        "2024",
        "2025",
        "2026",
        "Tanpa intervensi (BAU)",
        "Lintasan target",
        "Bagian kesenjangan ditutup",
        "Masih kurang (rumah tangga)",
    ]
    # areas in the data order city, kecamatan, KEL1, KEL2 (i = 0..3)
    assert cell(layak, KEL2, "2025") == "74,0%"  # 70 + 3 + 1
    assert cell(layak, KEL1, "2026") == "74,0%"  # 70 + 2 + 2
    assert cell(layak, KEL1, "Bagian kesenjangan ditutup") == "22,0%"  # end of period, not 2027
    assert cell(layak, CITY, "Masih kurang (rumah tangga)") == "1.877"  # 938,6 x 2
    assert cell(waste, CITY, "Masih kurang (ton/hari)") == "9,3"  # t/day: one decimal
    assert cell(waste, KEL2, "Masih kurang (ton/hari)") == "2,3"  # 4,63 x 2 / 4
    assert view.footnotes[-1] == "Kolom lain ada di berkas XLSX: Kesenjangan (poin)."


def test_rows_cut_per_small_table() -> None:
    view = _view(population(), max_rows=2)
    assert all(len(p.rows) == 2 for p in view.parts)
    assert view.parts[0].footnotes == ["2 baris lain tidak ditampilkan."]


def test_which_tables_are_wide() -> None:
    assert set(WIDE_TABLES) >= {"population", "ladder", "waste", "needs_ald", "coverage_areas"}
    pop = population()
    # another area x year table: every number column, one table each
    other = replace(pop, name="extra_area")
    spec = wide_spec(other)
    assert spec is not None and spec.measures == ("population", "households")
    # a table with another key (a sector) or of one area only stays long
    by_sector = replace(pop, name="extra_sector", df=pop.df.assign(sector="ald"))
    assert wide_spec(by_sector) is None
    city_only = replace(pop, df=pop.df[pop.df["kode"] == CITY])
    assert wide_spec(city_only) is None
    assert wide_spec(replace(pop, df=pop.df.drop(columns="tingkat"))) is None
    long = plan_table_view(city_only, "id", Y)
    assert not long.wide and not long.parts and long.rows


def _figure(page: str, table: str) -> str:
    return page.split(f'id="tbl-{table}"', 1)[1].split("</figure>", 1)[0]


def _row_cells(block: str, kode: str) -> list[str]:
    for row in re.findall(r"<tr[^>]*>.*?</tr>", block, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        if cells and cells[0] == kode:
            return cells
    raise AssertionError(f"no row of {kode}")


def test_rendered_page(result: PlanResult) -> None:
    """The report fixture (two kelurahan, base year 2024, plan period 2025) in HTML."""
    page = render_html(result, "id", inline_js=False)
    ladder = _figure(page, "ladder")
    assert '<figure class="table-block wide" id="tbl-ladder">' in page
    part = ladder.split('id="tbl-ladder-pct-layak-plan"', 1)[1].split("</table>", 1)[0]
    assert "<h4>Akses layak \u2014 Rencana</h4>" in part
    assert '<th class="num">2024</th><th class="num">2025</th></tr>' in part
    assert ">2026<" not in ladder  # beyond the plan period: XLSX only
    assert _row_cells(part, "13.72.01.1002") == [
        "13.72.01.1002",
        "VI Suku",
        "Kelurahan",
        "82,5%",
        "85,1%",
    ]
    assert '<tr class="total level-start"><td>13.72</td><td>Kota Solok</td>' in part
    assert (
        part.index("13.72.01.1001") < part.index("<td>13.72.01</td>") < part.index("<td>13.72</td>")
    )
    assert "Masukan: 12 bersumber, 3 turunan, 40 ilustratif, 2 belum terverifikasi" in ladder
    assert "semua tahun ada di berkas XLSX" in ladder
    pop = _figure(page, "population")
    assert _row_cells(pop, "13.72.01.1001")[3:] == ["19.500", "19.695"]


def test_xlsx_stays_long(result: PlanResult, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_xlsx(result, path)
    ws = openpyxl.load_workbook(path)["ladder"]
    df = result.tables["ladder"].df
    rows = [r for r in ws.iter_rows(min_row=DATA_ROW + 1, values_only=True) if any(r)]
    assert len(rows) == len(df)  # every area, scenario and year, one row each
    assert {r[list(df.columns).index("year")] for r in rows} == {2024, 2025, 2026}
