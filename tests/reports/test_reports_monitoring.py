"""Monitoring report (Bab VI) of the demo: offline HTML, XLSX, terminal golden, English,
and the agency one-pager."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from programme_demo import GENERATED, demo_brief, demo_monitoring
from rich.console import Console

from golden import assert_golden
from sanitasi.core.programme_run import MonitoringReport
from sanitasi.messages import render as render_warning
from sanitasi.reports.monitoring import (
    agency_brief_html,
    agency_brief_text,
    print_monitoring_summary,
    render_monitoring_html,
    top_warnings,
    write_monitoring_html,
    write_monitoring_xlsx,
)
from sanitasi.reports.xlsx import DATA_ROW

TITLE, PROV, HEAD_ID, HEAD_EN, FIRST = 1, 2, 3, 4, DATA_ROW + 1


@pytest.fixture(scope="module")
def q3() -> MonitoringReport:
    """2026 Q3: verified realisation only; the city is banded ``sangat_rendah``."""
    return demo_monitoring(2026, 3)


@pytest.fixture(scope="module")
def q4_2025() -> MonitoringReport:
    """2025 Q4: PS-04's arm-roll truck bought at Rp 784 juta against Rp 700 juta (+12%)."""
    return demo_monitoring(2025, 4)


@pytest.fixture(scope="module")
def page(q3: MonitoringReport) -> str:
    return render_monitoring_html(q3, "id", generated=GENERATED, inline_js=False)


def _figure(page: str, table: str) -> str:
    return page.split(f'id="tbl-{table}"', 1)[1].split("</figure>", 1)[0]


def _row(block: str, *needles: str) -> str:
    for row in re.findall(r"<tr[^>]*>.*?</tr>", block, flags=re.S):
        if all(n in row for n in needles):
            return row
    raise AssertionError(f"no row with {needles}")


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


# --- HTML --------------------------------------------------------------------------------


def test_offline_self_contained(q3: MonitoringReport, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "monitoring.html"
    write_monitoring_html(q3, out, generated=GENERATED)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and not list(out.parent.glob("*.tmp"))
    assert not re.search(r"<script[^>]*\ssrc=", text)  # every script inline
    assert not re.search(r"<link[^>]*stylesheet", text)
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert 'data-lib="vega-lite.min.js"' in text and "vegaEmbed" in text
    for anchor in ("chart-money", "chart-output", "chart-indicator-pct-layak"):
        assert f'id="{anchor}"' in text


def test_header_and_chapters(page: str) -> None:
    text = _text(page)
    assert "Pemantauan Kinerja Program SSK T3 2026" in text
    assert "Keadaan per 30 September 2026" in text
    assert "Realisasi yang dihitung hanya yang terverifikasi" in text
    assert "Dibuat 5 Oktober 2026" in text
    for chapter in (
        "Kinerja per OPD",
        "Kinerja per kegiatan",
        "Rencana vs realisasi per triwulan",
        "Indikator: rencana, realisasi dan prakiraan",
        "Kinerja per sektor dan kecamatan",
        "Rapat, Coaching Clinic dan tindak lanjut",
        "Peringatan",
    ):
        assert f"<h2>{chapter}</h2>" in page, chapter
    assert "Perhatian: sebagian masukan belum resmi" in text  # the demo is illustrative


def test_city_summary_band_sangat_rendah(page: str) -> None:
    summary = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert '<span class="chip band-sangat_rendah">Sangat rendah</span>' in summary
    text = _text(summary)
    for figure in (
        "Indeks capaian fisik 33,5%",
        "Capaian keuangan 42,0%",
        "Penyerapan APBD (termasuk DAK) 34,5%",
        "Tindak lanjut lewat tenggat 2",
        # investment by source, not one lump: ALD-03 (APBN), the PS-05 carry-over (APBD
        # Provinsi), PS-06 (Semen Padang), PS-03 (households)
        "Investasi menurut sumber: APBN Rp 165 juta \u00b7 APBD Provinsi Rp 300 juta \u00b7 "
        "Swasta/CSR Rp 54 juta \u00b7 Masyarakat Rp 37,5 juta",
    ):
        assert figure in text, figure
    assert "16 kegiatan: 9 terlambat" in text
    assert "Sangat tinggi \u2265 91%" in text and "Sangat rendah &lt; 51%" in summary
    city = _row(_figure(page, "by-city"), "Rp 5.872.000.000")
    assert '<td class="band band-sangat_rendah">Sangat rendah</td>' in city


def test_agency_and_activity_tables(page: str) -> None:
    dlh = _row(_figure(page, "by-agency"), "<td>DLH</td>")
    # DLH: financial 1,237.5 / 2,683.75 m; absorption (ALD-04, PS-02, PS-04 APBD Kab/Kota,
    # ALD-05 DAK) 1,200 / 2,950 m; investment PS-03 37.5 + PS-05 300 m; physical index
    # 131,428.6 / 3,775 (ALD-05 21.4 % from its progres fisik)
    for cell in ("Rp 3.775.000.000", "46,1%", "40,7%", "Rp 337.500.000", "34,8%"):
        assert f'<td class="num">{cell}</td>' in dlh, cell
    assert '<td class="band band-sangat_rendah">' in dlh
    dinkes = _row(_figure(page, "by-agency"), "<td>DINKES</td>")
    assert '<td class="band band-sedang">Sedang</td>' in dinkes
    acts = _figure(page, "activities")
    ald04 = _row(acts, "<td>ALD-04</td>")
    assert '<td class="num">280</td>' in ald04 and '<td class="num">180</td>' in ald04
    assert '<td class="num">64,3%</td>' in ald04
    assert '<td class="band band-rendah">Rendah</td>' in ald04
    assert "<td>Penyerapan (APBD Kab/Kota, DAK)</td>" in ald04  # APBD money: absorption
    ald01 = _row(acts, "<td>ALD-01</td>")
    assert "<td>Penyerapan (APBD Kab/Kota, DAK)</td>" in ald01  # DAK money: absorption too
    ps01 = _row(acts, "<td>PS-01</td>")
    assert ">Investasi (APBN, APBD Provinsi, swasta, masyarakat)</td>" in ps01  # APBN
    # ALD-03 (IPAL komunal, counted at completion): progres fisik 25 % -> 0.25 of the 0.7
    # IPAL planned to date (s(3) = 0.70): 35.7 %
    ald03 = _row(acts, "<td>ALD-03</td>")
    assert "<td>Saat selesai (kurva S)</td>" in ald03
    for cell in ("0,7", "25,0%", "35,7%"):
        assert f'<td class="num">{cell}</td>' in ald03, cell
    money = _figure(page, "by-source")
    dak = _row(money, "<td>DAK</td>")
    assert '<td class="num">20,0%</td>' in dak  # 580 / 2,900 m
    assert '<td class="num">Rp 300.000.000</td>' in _row(money, "<td>APBD Provinsi</td>")
    summary = _figure(page, "agencies")
    assert "Dinas Lingkungan Hidup Kota Solok" in summary
    assert "Capaian keuangan" in summary  # the realisation of the year is there


def test_meetings_and_overdue_action_items(page: str) -> None:
    meetings = _figure(page, "meetings")
    cc = _row(meetings, "<td>MTG-01</td>")
    assert "<td>20 Juli 2023</td>" in cc and "<td>Coaching Clinic</td>" in cc
    assert "Coaching Clinic II, SSK implementation stage 2023" in cc
    assert '<tr class="pending">' in meetings  # MTG-10 of 22 Oktober 2026 not held yet
    items = _figure(page, "action-items")
    late = _row(items, "Propose land for the 2026 TPS3R")
    assert late.startswith('<tr class="overdue">')
    assert "<td>31 Maret 2026</td>" in late and '<td class="num">183</td>' in late
    assert "<td>ya</td>" in late
    done = _row(items, "Deliver households by ladder rung")
    assert "overdue" not in done.split(">", 1)[0] and "<td>selesai</td>" in done


def test_indicators_and_warnings(page: str) -> None:
    ind = _row(_figure(page, "indicators"), "<td>Akses aman</td>", ">2026</td>")
    for cell in ("13,0%", "12,8%", "10,8%", "11,3%"):  # trajectory, plan, realised, forecast
        assert f'<td class="num">{cell}</td>' in ind, cell
    warnings = page.split('id="warnings"', 1)[1].split("</section>", 1)[0]
    assert '<li class="danger"><code>SAN-W301</code>ALD-01' in warnings
    assert '<li class="danger"><code>SAN-W304</code>' in warnings
    assert '<li class="warn"><code>SAN-W311</code>' in warnings


def test_overspend_2025(q4_2025: MonitoringReport) -> None:
    page = render_monitoring_html(q4_2025, "id", generated=GENERATED, inline_js=False)
    ps04 = _row(_figure(page, "activities"), "<td>PS-04</td>")
    assert ps04.startswith('<tr class="overdue">')  # overspent row flagged
    assert '<td class="num">12,0%</td>' in ps04  # unit-cost overrun
    assert '<td class="num">89,3%</td>' in ps04  # efficiency = 700 / 784
    assert "Rp 784.000.000 per arm-roll truck" in page  # the SAN-W302 message
    assert '<li class="danger"><code>SAN-W302</code>PS-04' in page
    assert '<span class="chip band-tinggi">Tinggi</span>' in page  # the city in 2025 Q4


def test_english(q3: MonitoringReport) -> None:
    page = render_monitoring_html(q3, "en", generated=GENERATED, inline_js=False)
    assert '<html lang="en">' in page
    text = _text(page)
    assert "SSK Programme Performance Monitoring 2026 Q3" in text
    assert "As of 30 September 2026" in text
    assert '<span class="chip band-sangat_rendah">Very low</span>' in page
    assert "Physical index 33.5%" in text and "APBD absorption (incl. DAK) 34.5%" in text
    dlh = _row(_figure(page, "by-agency"), "<td>DLH</td>")
    assert '<td class="num">IDR 3,775,000,000</td>' in dlh
    assert "physical realisation 26.7% to 2026 Q3" in page  # English warning messages
    assert "<td>20 July 2023</td>" in _figure(page, "meetings")


def test_include_submitted_is_said(q3: MonitoringReport) -> None:
    sub = demo_monitoring(2026, 3, include_submitted=True)
    page = render_monitoring_html(sub, "id", generated=GENERATED, inline_js=False)
    assert "terverifikasi dan diajukan (belum diverifikasi)" in page


def test_incomplete_report_does_not_crash(q3: MonitoringReport, tmp_path: Path) -> None:
    empty = replace(
        q3,
        tables={n: replace(tb, df=tb.df.iloc[0:0]) for n, tb in q3.tables.items()},
        warnings=(),
    )
    for rep in (empty, replace(q3, tables={})):
        render_monitoring_html(rep, inline_js=False)
        write_monitoring_xlsx(rep, tmp_path / "m.xlsx")
        print_monitoring_summary(rep, Console(file=io.StringIO(), width=120))
    one = {n: replace(tb, df=tb.df.drop(columns=tb.df.columns[:2])) for n, tb in q3.tables.items()}
    rep = replace(q3, tables=one)
    render_monitoring_html(rep, inline_js=False)
    print_monitoring_summary(rep, Console(file=io.StringIO(), width=120))


# --- XLSX --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(q3: MonitoringReport, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("mon") / "monitoring.xlsx"
    write_monitoring_xlsx(q3, path, generated=GENERATED)
    assert not list(path.parent.glob("*.tmp*"))
    return openpyxl.load_workbook(path)


def _col(ws: object, label_en: str) -> int:
    for c in ws[HEAD_EN]:  # type: ignore[index]
        if c.value == label_en:
            return int(c.column)
    raise KeyError(label_en)


def test_xlsx_sheets_and_headers(book: openpyxl.Workbook, q3: MonitoringReport) -> None:
    assert book.sheetnames[0] == "README" and book.sheetnames[-1] == "warnings"
    assert set(book.sheetnames[1:]) == set(q3.tables)
    ws = book["by_agency"]
    assert ws.cell(TITLE, 1).value == (
        "Kinerja per OPD pelaksana (T3 2026) / Performance by lead agency (2026 Q3)"
    )
    assert "Capaian keuangan (%)" in [c.value for c in ws[HEAD_ID]]
    assert "Financial progress (%)" in [c.value for c in ws[HEAD_EN]]
    for name in book.sheetnames[1:]:
        assert book[name].freeze_panes == f"A{FIRST}", name


def test_xlsx_numbers_are_numbers(book: openpyxl.Workbook) -> None:
    city = book["by_city"]
    idx = city.cell(FIRST, _col(city, "Physical index (cost-weighted) (%)"))
    # (193,128.6 + PS-08 66.7 x 50) / 5,872 (test_core_monitoring_demo.test_golden_2026_q3)
    assert idx.value == pytest.approx(33.457, abs=1e-3) and idx.number_format == "0.0"
    apbn = city.cell(FIRST, _col(city, "Investment: APBN (IDR)"))
    assert apbn.value == 165_000_000 and apbn.number_format == "#,##0"
    pagu = city.cell(FIRST, _col(city, "Annual planned cost (IDR)"))
    assert pagu.value == 5_872_000_000 and pagu.number_format == "#,##0"
    assert city.cell(FIRST, _col(city, "Performance band")).value == "sangat_rendah"  # code
    acts = book["activities"]
    assert acts.cell(FIRST, _col(acts, "Quarter")).value == 3
    items = book["action_items"]
    due = items.cell(FIRST, _col(items, "Due date")).value
    assert isinstance(due, dt.datetime)
    assert isinstance(items.cell(FIRST, _col(items, "Overdue")).value, bool)
    meetings = book["meetings"]
    assert "BAPPEDA, DINKES" in meetings.cell(FIRST, _col(meetings, "Participants")).value
    numeric = 0
    for ws in book.worksheets[1:]:
        for row in ws.iter_rows(min_row=FIRST):
            for c in row:
                if c.number_format not in ("General", "yyyy-mm-dd") and c.value is not None:
                    assert isinstance(c.value, int | float), (ws.title, c.coordinate, c.value)
                    numeric += 1
    assert numeric > 300


def test_xlsx_band_colours_and_readme(book: openpyxl.Workbook) -> None:
    rules = [r for cf in book["by_agency"].conditional_formatting for r in cf.rules]
    assert any('"sangat_rendah"' in (r.formula or [""])[0] for r in rules)
    text = "\n".join(
        str(c.value) for row in book["README"].iter_rows() for c in row if c.value is not None
    )
    for s in ("T3 2026", "30 September 2026", "hanya yang terverifikasi", "5 Oktober 2026"):
        assert s in text, s
    assert "Sangat tinggi \u2265 91%" in text and "sangat_rendah" in text


# --- terminal ----------------------------------------------------------------------------


def _summary(report: MonitoringReport, lang: str = "id") -> str:
    console = Console(record=True, width=120, file=io.StringIO())
    print_monitoring_summary(report, console, lang)
    return console.export_text(styles=False)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_fits(q3: MonitoringReport, q4_2025: MonitoringReport, lang: str) -> None:
    for rep in (q3, q4_2025):
        lines = _summary(rep, lang).rstrip("\n").splitlines()
        assert len(lines) <= 60, len(lines)
        assert max(len(ln) for ln in lines) <= 120


def test_summary_content(q3: MonitoringReport) -> None:
    text = _summary(q3)
    assert "Kategori kinerja kota: SANGAT RENDAH" in text
    assert (
        "Indeks capaian fisik 33,5% \u00b7 Capaian keuangan 42,0% \u00b7 "
        "Penyerapan APBD (termasuk DAK) 34,5%" in text
    )
    assert "Investasi menurut sumber: APBN Rp 165 juta" in text
    dlh = next(ln for ln in text.splitlines() if ln.startswith("DLH "))
    for s in ("34,8%", "46,1%", "40,7%", "Rp 338 juta", "Sangat rendah"):
        assert s in dlh, s
    assert "[MTG-05] DLH: Propose land for the 2026 TPS3R" in text
    assert "tenggat 31 Maret 2026, terlambat 183 hari" in text
    assert "21 peringatan: SAN-W301 \u00d79" in text


def test_top_warnings_worst_first(q3: MonitoringReport) -> None:
    picked = top_warnings(q3)
    assert len(picked) == 6 and "SAN-W304" not in {w.code for w in picked}
    assert picked[0].code == "SAN-W301" and "realisasi fisik 0%" in render_warning(picked[0], "id")
    assert {"SAN-W311", "SAN-W310"} <= {w.code for w in picked}  # one of each code first


def test_summary_overspend_2025(q4_2025: MonitoringReport) -> None:
    text = _summary(q4_2025)
    assert "Kategori kinerja kota: TINGGI" in text
    assert "SAN-W302 PS-04" in text and "sebesar 12,0%" in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_golden(q3: MonitoringReport, lang: str) -> None:
    assert_golden(f"reports/monitoring_summary_{lang}.txt", _summary(q3, lang))


# --- agency one-pager --------------------------------------------------------------------


def test_agency_brief_text() -> None:
    brief = demo_brief("DLH", 2026, dt.date(2026, 9, 30))
    text = agency_brief_text(brief, "id")
    assert text.startswith("Dinas Lingkungan Hidup Kota Solok (DLH)\n")
    assert "Kewajiban OPD tahun 2026 \u00b7 per 30 September 2026" in text
    assert "Memimpin 7 kegiatan dengan anggaran Rp 3.775.000.000" in text
    assert "Target kumulatif: T1 60 \u00b7 T2 160 \u00b7 T3 280 \u00b7 T4 400" in text
    assert "Capaian s.d. T3: 180 (64,3%); Rp 45.000.000" in text
    # ALD-05, the IPLT upgrade counted at completion: S-curve targets (10 m3/day x 0.10,
    # 0.35, 0.70, 1), nothing complete, verified progres fisik 15 % -> 1.5 / 7 = 21.4 %
    assert "Target kumulatif: T1 1 \u00b7 T2 3,5 \u00b7 T3 7 \u00b7 T4 10" in text
    assert "Capaian s.d. T3: 0, progres fisik 15,0% (21,4%); Rp 400.000.000" in text
    assert "! [MTG-05] Propose land for the 2026 TPS3R \u2014 tenggat 31 Maret 2026" in text
    assert "LEWAT TENGGAT 183 hari" in text
    assert "(dipimpin PERKIM)" in text  # a supported activity
    assert "22 Oktober 2026 \u00b7 MTG-10" in text and "(akan" in text
    assert max(len(ln) for ln in text.splitlines()) <= 100
    en = agency_brief_text(brief, "en")
    assert "What the agency owes in 2026 \u00b7 as of 30 September 2026" in en
    assert "Environment Office (DLH)" in en and "OVERDUE by 183 days" in en
    assert "Done to Q3: 180 (64.3%); IDR 45,000,000" in en
    assert "Done to Q3: 0, physical progress 15.0% (21.4%); IDR 400,000,000" in en


def test_agency_brief_html() -> None:
    brief = demo_brief("DLH", 2026, dt.date(2026, 9, 30))
    page = agency_brief_html(brief, "id", generated=GENERATED)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "<h1>Dinas Lingkungan Hidup Kota Solok (DLH)</h1>" in page
    assert '<li class="danger">[MTG-05] Propose land for the 2026 TPS3R' in page
    assert "LEWAT TENGGAT 183 hari" in page and "5 Oktober 2026" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert '<html lang="en">' in agency_brief_html(brief, "en")


def test_agency_brief_without_rows() -> None:
    brief = demo_brief("PFI", 2026, dt.date(2026, 9, 30))  # a partner with no activity
    empty = replace(
        brief, led=pd.DataFrame(), supported=pd.DataFrame(), action_items=pd.DataFrame()
    )
    text = agency_brief_text(empty)
    assert "tidak ada" in text
    agency_brief_html(empty)


def test_summary_band_coloured(q3: MonitoringReport) -> None:
    console = Console(
        record=True, width=120, file=io.StringIO(), force_terminal=True, color_system="truecolor"
    )
    print_monitoring_summary(q3, console)
    html = console.export_html(inline_styles=True)
    chip = html.split("SANGAT RENDAH", 1)[0].rsplit("<span", 1)[1]
    assert "background-color: #800000" in chip  # red band, reversed
    late = html.split("[MTG-05]", 1)[0].rsplit("<span", 1)[1]
    assert "#800000" in late or "#ff0000" in late
