"""The GHG chapter in the reports: the HTML chapter (tables, chart slot, years shown), the
XLSX sheets (every year), the terminal block (t CO2e at the end of the SSK period, BAU vs
plan, avoided) and the chart spec (BAU beside the plan, stacked by source)."""

from __future__ import annotations

import io
import json
import re
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from sanitasi.app import FolderSource, PlanRequest, plan_report
from sanitasi.core.model import PlanResult
from sanitasi.reports.charts import all_charts, ghg_chart
from sanitasi.reports.fmt import fmt_number
from sanitasi.reports.html import render_html
from sanitasi.reports.terminal import print_summary
from sanitasi.reports.xlsx import write_xlsx


@cache
def demo() -> PlanResult:
    return plan_report(FolderSource(None), PlanRequest())


def summary_row(source: str, year: int = 2029) -> dict[str, object]:
    df = demo()["ghg_summary"]
    return dict(df[(df["year"] == year) & (df["ghg_source"] == source)].iloc[0])


def test_html_has_the_ghg_chapter() -> None:
    html = render_html(demo(), "id", inline_js=False)
    assert 'id="chapter-ghg"' in html and "Emisi Gas Rumah Kaca (GRK)" in html
    chapter = html[html.index('id="chapter-ghg"') :]
    for name in ("ghg-summary", "ghg-landfill", "ghg-wastewater", "ghg-factors"):
        assert f'id="tbl-{name}"' in chapter
    # the chart slot sits before the summary table; its spec is in the page's JSON
    assert chapter.index('id="chart-ghg-summary"') < chapter.index('id="tbl-ghg-summary"')
    payload = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert payload is not None and "chart-ghg-summary" in json.loads(payload.group(1))["specs"]
    # codes translated, numbers the Indonesian way, the base year and plan period shown
    tco2e = fmt_number(summary_row("total")["plan_co2e_t"], 1, "id")
    assert "TPA (bagian kota)" in chapter and tco2e in chapter
    assert "IPCC 2006 Vol. 5 Ch. 2 Table 2.4" in chapter
    assert "Ditampilkan tahun dasar dan tahun periode rencana (2024, 2025" in chapter


def test_html_in_english() -> None:
    html = render_html(demo(), "en", inline_js=False)
    chapter = html[html.index('id="chapter-ghg"') :]
    assert "Greenhouse Gas Emissions" in html and "Landfill (city&#39;s part)" in chapter
    assert "Avoided (BAU - plan)" in chapter


def test_xlsx_has_every_year_of_the_chapter(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_xlsx(demo(), path)
    wb = openpyxl.load_workbook(path, read_only=True)
    for name in ("ghg_summary", "ghg_landfill", "ghg_wastewater", "ghg_factors"):
        assert name in wb.sheetnames
    rows = list(wb["ghg_summary"].iter_rows(values_only=True))
    head = list(rows[3])  # English header row
    data = [r for r in rows[4:] if r[0] is not None]
    assert len(data) == 22 * 5  # 2024-2045 x (4 sources + total)
    total = [r for r in data if r[head.index("Emission source")] == "total"]
    last = total[-1]
    assert last[head.index("Year")] == 2045
    want = summary_row("total", 2045)["plan_co2e_t"]
    assert last[head.index("Plan (t CO2e)")] == pytest.approx(want)


def _terminal(lang: str) -> str:
    buf = io.StringIO()
    print_summary(demo(), Console(file=buf, width=140, color_system=None), lang=lang)
    return buf.getvalue()


def test_terminal_block() -> None:
    text = _terminal("id")
    assert "Emisi GRK 2029 (t CO2e, GWP AR5)" in text
    r = summary_row("total")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("Jumlah") and "." in ln)
    for col in ("bau_co2e_t", "plan_co2e_t", "avoided_co2e_t"):
        assert fmt_number(r[col], 0, "id") in line
    assert "Dihindari = BAU − rencana" in text
    en = _terminal("en")
    assert "Greenhouse gases 2029 (t CO2e, GWP AR5)" in en
    lf = summary_row("landfill")
    assert fmt_number(lf["bau_co2e_t"], 0, "en") in en


def test_chart_bau_beside_plan_by_source() -> None:
    spec = ghg_chart(demo(), "id")
    assert spec is not None and all_charts(demo(), "id")["ghg_summary"] == spec
    values = spec["data"]["values"]
    assert len(values) == 22 * 4 * 2  # years x sources x scenarios
    assert spec["encoding"]["column"]["sort"] == ["BAU", "Rencana"]
    assert spec["encoding"]["color"]["scale"]["domain"] == [
        "TPA (bagian kota)",
        "Tangki septik dan cubluk",
        "Buangan langsung",
        "Pengolahan (IPAL SPALD-T, IPLT)",
    ]
    lf = summary_row("landfill", 2045)
    got = [v for v in values if v["year"] == 2045 and v["scenario"] == "Rencana"][0]
    assert got["co2e"] == pytest.approx(lf["plan_co2e_t"], rel=1e-6)
    assert "GWP AR5" in spec["title"]["subtitle"]
