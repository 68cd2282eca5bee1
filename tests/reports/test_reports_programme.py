"""Plan report with the programme chapters (KKL, roles, coverage, funding) of the demo:
HTML chapters and Indonesian figures, XLSX sheets, terminal Program block, English."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from programme_demo import GENERATED, demo_plan
from rich.console import Console

from golden import assert_golden
from sanitasi.core.model import Column, PlanResult, Table
from sanitasi.reports.html import render_html, table_view, write_html
from sanitasi.reports.terminal import print_summary
from sanitasi.reports.xlsx import DATA_ROW, write_xlsx

PROGRAMME_TABLES = (
    "kkl",
    "roles",
    "agencies",
    "coverage",
    "coverage_areas",
    "capacity",
    "tpa_programme",
    "programme_funding",
    "funding_short",
    "funding_by_agency",
)
HEAD_ID, HEAD_EN, FIRST = 3, 4, DATA_ROW + 1


@pytest.fixture(scope="module")
def plan() -> PlanResult:
    return demo_plan()


@pytest.fixture(scope="module")
def page(plan: PlanResult) -> str:
    return render_html(plan, "id", generated=GENERATED, inline_js=False)


def _section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


def _figure(page: str, table: str) -> str:
    return page.split(f'id="tbl-{table}"', 1)[1].split("</figure>", 1)[0]


def _row(block: str, *needles: str) -> str:
    """The first table row of ``block`` containing every needle."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", block, flags=re.S):
        if all(n in row for n in needles):
            return row
    raise AssertionError(f"no row with {needles}")


def test_demo_has_the_programme_tables(plan: PlanResult) -> None:
    assert set(PROGRAMME_TABLES) <= set(plan.tables)


def test_tables_in_their_ssk_chapters(page: str) -> None:
    ch3 = _section(page, "chapter-3")
    ch5 = _section(page, "chapter-5")
    for name in ("coverage", "coverage-areas"):
        assert f'id="tbl-{name}"' in ch3, name
    order = [
        "kkl",
        "roles",
        "agencies",
        "capacity",
        "tpa-programme",
        "programme-funding",
        "funding-short",
        "funding-by-agency",
    ]
    positions = [ch5.index(f'id="tbl-{name}"') for name in order]
    assert positions == sorted(positions)  # KKL first, funding by agency last
    assert ch5.index('id="tbl-medium-term"') < positions[0]  # after the needs-based tables
    assert 'id="chapter-other"' not in page  # every programme table has its chapter


def test_chart_placement(page: str) -> None:
    ch3 = _section(page, "chapter-3")
    charts = re.findall(r'id="chart-coverage-([a-z-]+)"', ch3)
    assert charts == [
        "pct-layak",
        "pct-aman",
        "pct-babs-terbuka",
        "pct-waste-pengurangan",
        "pct-waste-penanganan",
        "pct-waste-managed",
    ]
    assert ch3.index('id="chart-coverage-pct-layak"') < ch3.index('id="tbl-coverage"')
    ch5 = _section(page, "chapter-5")
    assert ch5.index('id="chart-programme-funding"') < ch5.index('id="tbl-programme-funding"')


def test_titles(page: str) -> None:
    text = re.sub(r"<[^>]+>", " ", page)
    for title in (
        "Matriks kerangka kerja logis (KKL)",
        "Pembagian peran (R pelaksana, A penanggung jawab, C pendukung, I diinformasikan)",
        "Ringkasan per OPD 2025",
        "Cakupan program terhadap lintasan target",
        "Kapasitas: ditambah program vs dibutuhkan",
        "TPA dengan program",
        "Biaya program vs indikasi pendanaan kebutuhan",
        "Kekurangan dana per sektor",
        "Pendanaan program: sumber x tahun x OPD",
    ):
        assert title in text, title


def test_coverage_figures_indonesian(page: str) -> None:
    cov = _figure(page, "coverage")
    row = _row(cov, "<td>Akses layak</td>", ">2029</td>")
    # BAU, with the programme, trajectory, share of the gap closed, still short (households)
    # (BAU 82,8 % since new households are built to code; (87,56 - 82,75) / (90 - 82,75) = 66,4 %)
    for cell in ("82,8%", "87,6%", "90,0%", "66,4%", ">695<"):
        assert cell in row, cell
    assert ">2030</td>" not in cov  # base year and plan period only; XLSX has every year
    # by area: one table per indicator, the years with the programme as columns, then BAU,
    # trajectory, share of the gap closed and still short at the end of the plan period
    areas = _figure(page, "coverage-areas")
    layak = areas.split('id="tbl-coverage-areas-pct-layak-plan-pct"', 1)[1].split("</table>")[0]
    assert "<h4>Akses layak</h4>" in layak
    assert (
        '<th colspan="6" class="group">Dengan program</th>'
        '<th colspan="4" class="group">2029</th>' in layak
    )
    city = re.findall(r"<td[^>]*>(.*?)</td>", _row(layak, "<td>Kota Solok</td>"))
    assert city[3:] == [
        *("81,3%", "82,4%", "83,9%", "85,4%", "86,6%", "87,6%"),  # 2024, 2025-2029
        *("82,8%", "90,0%", "66,4%", "695"),  # as in the city table above
    ]
    waste = areas.split('id="tbl-coverage-areas-pct-waste-pengurangan-plan-pct"', 1)[1]
    waste = waste.split("</table>")[0]
    assert "Masih kurang (ton/hari)" in waste
    assert re.findall(r"<td[^>]*>(.*?)</td>", _row(waste, "<td>Kota Solok</td>"))[-1] == "4,6"
    assert ">2030<" not in areas and "semua tahun ada di berkas XLSX" in areas


def test_kkl_matrix(page: str) -> None:
    kkl = _figure(page, "kkl")
    row = _row(kkl, "<td>ALD-01</td>")
    assert "<td>Akses aman</td>" in row  # the sasaran indicator translated
    assert '<td class="num">8,1%</td>' in row  # its baseline
    assert "2025: 10; 2026: 13" in row  # yearly targets of the trajectory
    assert '<td class="num">120</td>' in row and '<td class="num">150</td>' in row  # outputs
    assert '<td class="num">Rp 720.000.000</td>' in row  # cost per year
    assert "Kode kota" not in kkl  # one city: no city column


def test_roles_and_agencies(page: str) -> None:
    roles = _figure(page, "roles")
    bappeda = _row(roles, "<td>BAPPEDA</td>")
    assert "<td>R/A</td>" in bappeda and "<td>A/C</td>" in bappeda
    assert "<td></td>" in _row(roles, "<td>PERKIM</td>")  # no role: empty, not a dash
    assert "Regional Development" not in roles  # Indonesian names only
    ag = _figure(page, "agencies")
    perkim = _row(ag, "<td>PERKIM</td>")
    assert "<td>ALD-01, ALD-02, ALD-08</td>" in perkim  # list joined, not a Python tuple
    assert '<td class="num">Rp 1.060.000.000</td>' in perkim
    assert "Capaian keuangan" not in ag  # realisation columns belong to the monitoring


def test_capacity_tpa_and_funding(page: str) -> None:
    cap = _figure(page, "capacity")
    row = _row(cap, "<td>Volume sel TPA</td>", ">2029</td>")
    assert '<td class="num">120.000,0</td>' in row
    tpa = _figure(page, "tpa-programme")
    assert "Tahun TPA penuh (program)" in tpa and ">2026</td>" in tpa
    matrix = _figure(page, "funding-by-agency")
    prov = _row(matrix, "<td>APBD Provinsi</td>", "<td>DLH</td>")
    assert '<td class="num">Rp 6.000.000.000</td>' in prov
    assert '<td class="num">Rp 18.000.000.000</td>' in prov  # row total 2025-2029
    assert re.search(r"<th[^>]*>2025</th>", matrix) and '<th class="num">Jumlah</th>' in matrix
    short = _figure(page, "funding-short")
    assert "<td>Persampahan</td>" in short and "Kekurangan dana" in short


def test_overplan_warnings_listed(page: str) -> None:
    warnings = _section(page, "warnings")
    # ALD-02 in Laing 2028 and 2029 (its 208 babs_tertutup households no longer grow), and
    # two more over-plans of the programme
    assert warnings.count("<code>SAN-W201</code>") == 4
    assert "Laing (13.72.02.1006)" in warnings


def test_offline_file(plan: PlanResult, tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    write_html(plan, out, generated=GENERATED)
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=", text)
    assert not re.search(r"<link[^>]*\shref=\"https?://", text)
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert 'id="chart-programme-funding"' in text and "vegaEmbed" in text


def test_english(plan: PlanResult) -> None:
    page = render_html(plan, "en", generated=GENERATED, inline_js=False)
    assert "Logical framework matrix (KKL)" in page
    assert "Programme coverage against the trajectory" in page
    row = _row(_figure(page, "coverage"), "<td>Basic sanitation (layak)</td>", ">2029</td>")
    assert "87.6%" in row and "66.4%" in row
    assert "IDR 720,000,000" in _figure(page, "kkl")
    assert "Regional Development Planning Agency" in _figure(page, "roles")


def test_kkl_hierarchy_merged_in_html() -> None:
    df = pd.DataFrame(
        {
            "code": ["A-1", "A-2", "B-1"],
            "urgent_problem": ["P", "P", "P"],
            "strategic_issue": ["I", "I", "J"],
            "objective": ["O", "O", "O"],
        }
    )
    table = Table("kkl", "KKL", "KKL", df, {c: Column(c, c, kind="text") for c in df}, {})
    view = table_view(table, "id", merge_repeats=("urgent_problem", "strategic_issue", "objective"))
    texts = [[c.text for c in cells] for _, cells in view.rows]
    assert texts[0] == ["A-1", "P", "I", "O"]
    assert texts[1] == ["A-2", "", "", ""]  # same problem, issue, objective: left blank
    assert texts[2] == ["B-1", "", "J", "O"]  # a new issue repeats what follows it


# --- XLSX --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(plan: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "plan.xlsx"
    write_xlsx(plan, path, generated=GENERATED)
    return openpyxl.load_workbook(path)


def _col(ws: object, label_en: str) -> int:
    for c in ws[HEAD_EN]:  # type: ignore[index]
        if c.value == label_en:
            return int(c.column)
    raise KeyError(label_en)


def test_xlsx_one_sheet_per_programme_table(book: openpyxl.Workbook) -> None:
    for name in PROGRAMME_TABLES:
        ws = book[name]
        assert ws.freeze_panes == f"A{FIRST}", name
        assert ws.cell(HEAD_ID, 1).value and ws.cell(HEAD_EN, 1).value, name


def test_xlsx_kkl_wide_years(book: openpyxl.Workbook) -> None:
    ws = book["kkl"]
    en = [c.value for c in ws[HEAD_EN] if c.value is not None]
    ids = [c.value for c in ws[HEAD_ID] if c.value is not None]
    years = [f"Output {y}" for y in range(2025, 2030)]
    assert [h for h in en if h.startswith("Output 2")] == years
    assert [h for h in en if h.startswith("Cost 2")] == [
        f"Cost {y} (IDR)" for y in range(2025, 2030)
    ]
    assert "Keluaran 2025" in ids and "Biaya 2025 (Rp)" in ids
    out = ws.cell(FIRST, _col(ws, "Output 2025"))
    cost = ws.cell(FIRST, _col(ws, "Cost 2025 (IDR)"))
    assert out.value == 120 and cost.value == 720_000_000 and cost.number_format == "#,##0"
    assert ws.cell(FIRST, _col(ws, "Sasaran (indicator)")).value == "pct_aman"  # codes kept


def test_xlsx_numbers_and_lists(book: openpyxl.Workbook) -> None:
    cov = book["coverage"]
    share = cov.cell(FIRST + 5, _col(cov, "Share of gap closed (%)"))  # pct_layak 2029
    assert share.value == pytest.approx(66.401, abs=1e-3) and share.number_format == "0.0"
    years = {cov.cell(r, _col(cov, "Year")).value for r in range(FIRST, cov.max_row + 1)}
    assert max(years) == 2045  # every year, not only the plan period
    ag = book["agencies"]
    perkim = next(r for r in range(FIRST, ag.max_row + 1) if ag.cell(r, 2).value == "PERKIM")
    assert ag.cell(perkim, _col(ag, "Activities led")).value == "ALD-01, ALD-02, ALD-08"
    assert ag.cell(perkim, _col(ag, "Leads (R)")).value == 3
    fba = book["funding_by_agency"]
    assert isinstance(fba.cell(FIRST, _col(fba, "Programme cost (IDR)")).value, int | float)
    tpa = book["tpa_programme"]
    assert tpa.cell(FIRST, _col(tpa, "TPA full (programme)")).value == 2026


# --- terminal ----------------------------------------------------------------------------


def _render(result: PlanResult, lang: str = "id") -> str:
    console = Console(record=True, width=120, file=io.StringIO())
    print_summary(result, console, lang)
    return console.export_text(styles=False)


def test_terminal_program_block(plan: PlanResult) -> None:
    text = _render(plan)
    lines = text.rstrip("\n").splitlines()
    assert len(lines) <= 80 and max(len(ln) for ln in lines) <= 120
    assert "Program 2025\u20132029: kesenjangan 2029 yang ditutup" in text
    layak = next(ln for ln in lines if ln.startswith("Akses layak") and "87,6%" in ln)
    assert "66%" in layak and "695 rumah tangga" in layak
    babs = [ln for ln in lines if ln.startswith("BABS terbuka  ")]
    assert "tanpa kesenjangan" in babs[-1]  # no gap to close: no share
    short = next(ln for ln in lines if ln.startswith("Kekurangan dana 2025\u20132029"))
    assert "Air limbah domestik Rp" in short and "Persampahan Rp" in short
    assert "Rencana berlebih (SAN-W201): 4 peringatan" in text
    assert "SAN-W201 ALD-02" not in text  # counted in the block, not listed one by one


def test_terminal_english(plan: PlanResult) -> None:
    text = _render(plan, "en")
    assert "Programme 2025\u20132029: share of the 2029 gap closed" in text
    assert "Over-plan (SAN-W201): 4 warnings" in text
    assert "Funding short 2025\u20132029: Domestic wastewater IDR" in text
    assert max(len(ln) for ln in text.splitlines()) <= 120


def test_terminal_golden(plan: PlanResult) -> None:
    assert_golden("reports/summary_programme_id.txt", _render(plan))


def test_programme_tables_with_missing_columns_do_not_crash(plan: PlanResult) -> None:
    """Each column of each programme table dropped in turn: charts, terminal and HTML."""
    from sanitasi.reports import charts

    for name in PROGRAMME_TABLES:
        tb = plan.tables[name]
        for col in tb.df.columns:
            res = replace(
                plan, tables={**plan.tables, name: replace(tb, df=tb.df.drop(columns=[col]))}
            )
            try:
                charts.coverage_charts(res, "id")
                charts.programme_funding_chart(res, "id")
                _render(res)
            except Exception as exc:  # pragma: no cover - the message names the culprit
                pytest.fail(f"dropping {name}.{col}: {type(exc).__name__}: {exc}")
    empty = {n: replace(plan.tables[n], df=plan.tables[n].df.iloc[0:0]) for n in PROGRAMME_TABLES}
    res = replace(plan, tables={**plan.tables, **empty})
    render_html(res, inline_js=False)
    _render(res)
