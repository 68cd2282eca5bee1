"""The print edition of the reports (the PDF): area x year tables and the parameter list left
to the XLSX annex with a note naming their sheet, fewer years where charts draw every year,
and every table on a page it fits (portrait, landscape, or landscape split by columns), which
a layout of the demo PDFs by WeasyPrint confirms table by table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sanitasi.core.model import PlanResult
from sanitasi.reports import print_layout as pl
from sanitasi.reports.common import years
from sanitasi.reports.html import Block, Cell, TableView, plan_table_view, render_html
from sanitasi.reports.xlsx import plan_sheet_names, write_xlsx

# --------------------------------------------------------------------------- estimates


def test_text_width_uses_the_print_font_metrics() -> None:
    # Helvetica/Arial/Liberation Sans advance widths (1/1000 em): digits 556, "." and "," 278
    assert pl.text_em("0") == pytest.approx(0.556)
    # "1.234,5": five digits and two separators = 5 x 556 + 2 x 278 = 3336
    assert pl.text_em("1.234,5") == pytest.approx(3.336)
    # "Rp": R 722 + p 556 = 1278; bold is taken 10 % wider
    assert pl.text_em("Rp", bold=True) == pytest.approx(1.278 * 1.1)
    assert pl.text_em("\u2013") == pytest.approx(0.6)  # outside ASCII: 0.6 em


def test_column_widths_wrap_text_but_not_numbers() -> None:
    headers = [Cell("Biaya total", True), Cell("Kegiatan")]
    rows = [("", [Cell("Rp 1.234", True), Cell("Bank sampah baru")])]
    widths = pl.column_widths_pt(headers, rows)
    # column 1: the number does not wrap: R 722 + p 556 + space 278 + 1 556 + . 278
    # + 2 556 + 3 556 + 4 556 = 4058 -> 4.058 em; the bold header's longest word "Biaya"
    # (667 + 222 + 556 + 500 + 556 = 2501 -> x 1.1 = 2.751 em) is narrower
    # width = (4.058 em x 7.5 pt + 6 pt padding) x 1.06 = 38.6211 pt
    assert widths[0] == pytest.approx((4.058 * 7.5 + 6) * 1.06)
    # column 2: the bold header "Kegiatan" (K 667 e 556 g 556 i 222 a 556 t 278 a 556 n 556
    # = 3947 -> x 1.1 = 4.3417 em) is wider than the longest word of the text cell,
    # "sampah" (500 + 833 + 556 + 556 + 556 + 556 = 3557)
    assert widths[1] == pytest.approx((3.947 * 1.1 * 7.5 + 6) * 1.06)


def _view(n_cols: int, n_rows: int, text: str = "1.234.567") -> TableView:
    headers = [Cell("Kode"), *(Cell(f"Kolom {i}", True) for i in range(1, n_cols))]
    rows = [
        ("", [Cell(f"A{r}"), *(Cell(text, True) for _ in range(1, n_cols))]) for r in range(n_rows)
    ]
    return TableView(
        "t",
        "tbl-t",
        "T",
        "",
        "",
        False,
        headers,
        rows,
        columns=["kode", *(f"c{i}" for i in range(1, n_cols))],
    )


def test_a_narrow_table_stays_portrait_and_whole() -> None:
    view = _view(5, 10)
    pl.fit_tables([Block("table", table=view)], lambda i, n: f"{i}/{n}")
    assert pl.table_width_pt(view) < pl.PORTRAIT_PT
    assert view.page == "keep" and not view.parts


def test_a_wider_table_goes_landscape_and_may_break_between_rows() -> None:
    # 14 columns: "Kode" column + 13 x "1.234.567" (7 x 556 + 2 x 278 = 4448 -> 4.448 em)
    # each (4.448 x 7.5 + 6) x 1.06 = 41.72 pt: about 575 pt, over 516 pt portrait
    view = _view(14, 40)
    pl.fit_tables([Block("table", table=view)], lambda i, n: f"{i}/{n}")
    assert pl.PORTRAIT_PT < pl.table_width_pt(view) < pl.LANDSCAPE_PT
    assert view.page == "landscape" and not view.parts  # 40 rows: not kept on one page


def test_a_table_wider_than_landscape_is_split_by_columns() -> None:
    view = _view(40, 3)
    before = [c.text for c in view.headers]
    pl.fit_tables([Block("table", table=view)], lambda i, n: f"part {i} of {n}")
    assert view.page == "landscape"  # parts: broken between rows when long
    assert len(view.parts) >= 2 and not view.rows
    shown: list[str] = []
    for i, part in enumerate(view.parts, start=1):
        assert part.title == f"part {i} of {len(view.parts)}"
        assert part.headers[0].text == "Kode"  # the key column in every part
        assert sum(pl.column_widths_pt(part.headers, part.rows)) <= pl.LANDSCAPE_PT
        assert [cells[0].text for _css, cells in part.rows] == ["A0", "A1", "A2"]
        shown += [h.text for h in part.headers[1:]]
    assert shown == before[1:]  # every other column once, in order


def test_column_shares_size_fixed_layout_columns_like_the_automatic_layout() -> None:
    headers = [Cell("Nama"), Cell("Nilai", True)]
    rows = [("", [Cell("Tanah Garam"), Cell("1.234", True)])]
    # room for everything on one line: each column its one-line width, the spare width
    # shared in proportion to it
    shares = pl.column_shares(headers, rows, 500.0)
    one_line = [
        (pl.text_em("Tanah Garam") * 7.5 + 6) * 1.06,
        (pl.text_em("1.234") * 7.5 + 6) * 1.06,
    ]
    assert sum(shares) == pytest.approx(100, abs=0.05)
    assert shares[0] / shares[1] == pytest.approx(one_line[0] / one_line[1], rel=1e-3)
    # too narrow for one line: the text column wraps, the number column keeps its width
    # ("1.234" is wider than the bold "Nilai")
    narrow = sum(one_line) - 10
    shares = pl.column_shares(headers, rows, narrow)
    assert shares[1] / 100 * narrow == pytest.approx(one_line[1], rel=1e-3)
    # narrower than the longest words: numbers keep their width, text shares the rest
    tight = pl.column_shares(
        [Cell("Kegiatan"), Cell("Biaya", True)],
        [("", [Cell("x" * 40), Cell("Rp 900.000.000", True)])],
        100.0,
    )
    # (shares are rounded to 0.01 %)
    assert tight[1] >= (pl.text_em("Rp 900.000.000") * 7.5 + 6) * 1.06 - 0.01
    assert pl.column_shares([], [], 100.0) == []


def test_print_tables_have_column_widths_and_the_screen_edition_none(result: PlanResult) -> None:
    paper = render_html(result, "id", inline_js=False, static_charts=True)
    tables = re.findall(r"<table[^>]*>\s*(<colgroup>.*?</colgroup>)?", paper, flags=re.S)
    bare = [
        paper[m.start() - 300 : m.end() + 100]
        for m in re.finditer(r"<table[^>]*>", paper)
        if "<colgroup>" not in paper[m.end() : m.end() + 40]
    ]
    assert tables and not bare, bare  # every print table: fixed, with its <col> widths
    for group in tables:
        widths = [float(w) for w in re.findall(r"width: ([\d.]+)%", group)]
        assert sum(widths) == pytest.approx(100, abs=0.2)
    screen = render_html(result, "id", inline_js=False)
    assert "<colgroup>" not in screen and 'class="fixed"' not in screen


# --------------------------------------------------------------------------- print views


def test_print_edition_leaves_area_year_tables_and_parameters_to_the_xlsx(
    result: PlanResult,
) -> None:
    y = years(result)
    sheets = plan_sheet_names(result.tables)
    ladder = plan_table_view(result.tables["ladder"], "id", y, print_sheet=sheets["ladder"])
    n = len(result.tables["ladder"].df)
    assert not ladder.rows and not ladder.parts
    assert ladder.annex == (
        f"Edisi cetak tidak memuat tabel ini ({n} baris per wilayah \u00d7 tahun); tabel "
        f"lengkapnya ada di lampiran XLSX, lembar \u201cladder\u201d."
    )
    assert ladder.provenance  # the provenance line stays
    params = plan_table_view(result.tables["parameters"], "en", y, print_sheet="parameters")
    assert params.annex.startswith("The print edition leaves this table out (")
    # the screen edition keeps both
    assert plan_table_view(result.tables["ladder"], "id", y).parts


def test_print_edition_headline_shows_base_and_end_years_without_city_columns(
    result: PlanResult,
) -> None:
    y = years(result)
    screen = plan_table_view(result.tables["headline"], "id", y)
    paper = plan_table_view(result.tables["headline"], "id", y, print_sheet="headline")
    assert "kode" in screen.columns and "kode" not in paper.columns
    year_col = paper.columns.index("year")
    shown = sorted({int(cells[year_col].text) for _css, cells in paper.rows})
    assert shown == [y.base, y.end] == [2024, 2025]
    assert any("grafik di atas menunjukkan setiap tahun" in f for f in paper.footnotes)


def test_annex_notes_name_real_sheets_of_the_workbook(result: PlanResult, tmp_path: Path) -> None:
    html = render_html(result, "id", inline_js=False, static_charts=True)
    named = set(re.findall(r"lembar \u201c([^\u201d]+)\u201d", html))
    assert {"ladder", "parameters"} <= named
    write_xlsx(result, tmp_path / "plan.xlsx", "id")
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx", read_only=True)
    assert named <= set(book.sheetnames)


# --------------------------------------------------------------------------- the layout

weasyprint = pytest.importorskip("weasyprint")


@cache
def _demo() -> tuple[Any, Any]:
    from sanitasi.app import FolderSource, monitoring_report, plan_report

    source = FolderSource(None)
    plan = plan_report(source)
    return plan, monitoring_report(source, 2025, 3, plan=plan)


def _boxes(box: Any, figure: str = "") -> Iterator[tuple[Any, str]]:
    element = getattr(box, "element", None)
    if getattr(box, "element_tag", "") == "figure" and element is not None:
        figure = element.get("id") or figure
    yield box, figure
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child, figure)


def laid_out_tables(html: str) -> list[tuple[int, bool, str, float, float, float]]:
    """Every table of the WeasyPrint layout of ``html``: (page, landscape page, figure id,
    table left edge from the page text's left edge, table right edge, page text right edge),
    in CSS px."""
    from weasyprint.formatting_structure.boxes import TableBox

    document = weasyprint.HTML(string=html).render()
    found = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        left, right = box.content_box_x(), box.content_box_x() + box.width
        assert (round(page.width), round(page.height)) in {(794, 1123), (1123, 794)}  # A4
        for child, figure in _boxes(box):
            if isinstance(child, TableBox):
                x = child.border_box_x()
                wide = page.width > page.height
                found.append((number, wide, figure, x - left, x + child.border_width(), right))
    return found


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.parametrize("kind, lang", [("plan", "id"), ("plan", "en"), ("monitoring", "id")])
def test_no_laid_out_table_is_wider_than_its_page(kind: str, lang: str) -> None:
    """Lays the demo's print edition out with WeasyPrint (its charts removed: they are not
    tables) and compares every table box with the text width of the page it is on."""
    from sanitasi.reports.monitoring import render_monitoring_html

    plan, report = _demo()
    if kind == "plan":
        html = render_html(plan, lang, inline_js=False, static_charts=True)
    else:
        html = render_monitoring_html(report, lang, inline_js=False, static_charts=True)
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    tables = laid_out_tables(html)
    assert len(tables) > 20  # the demo's tables were laid out
    too_wide = [
        f"page {page}: {fig} ends at {right:.0f} px, the page text at {edge:.0f} px"
        for page, _wide, fig, left, right, edge in tables
        if right > edge + 0.5 or left < -0.5
    ]
    assert not too_wide, too_wide
    landscape = {fig for _page, wide, fig, *_ in tables if wide}
    portrait = {fig for _page, wide, fig, *_ in tables if not wide}
    if kind == "plan":
        assert "tbl-kkl" in landscape  # 26 columns: split by columns on landscape pages
        assert "tbl-retrospective" in portrait
    else:
        assert "tbl-activities" in landscape
