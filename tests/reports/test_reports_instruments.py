"""Reports of the SSK instruments (risk areas, SFD, household survey): offline HTML, the tile
map spec, XLSX numbers and the terminal in Indonesian format. The Bab II chapters of the plan
(:func:`sanitasi.app.instruments.instrument_chapters`) are tested in
``tests/app/test_app_instruments.py``."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from rich.console import Console

from sanitasi.core.risk import score_risk
from sanitasi.core.sfd import compute_sfd
from sanitasi.io.reference import demo_city_dir
from sanitasi.io.survey import read_survey
from sanitasi.reports.charts import RISK_CLASS_COLORS, risk_map_chart, survey_interval_chart
from sanitasi.reports.instruments import (
    InstrumentReport,
    print_instrument_summary,
    render_instrument_html,
    risk_report,
    sfd_report,
    survey_report,
    write_instrument_xlsx,
)

K1, K2, K3, K4 = "13.72.01.1001", "13.72.01.1002", "13.72.01.1003", "13.72.02.1001"
NAMES = {
    "13.72": "Kota Solok",
    "13.72.01": "Lubuk Sikarah",
    "13.72.02": "Tanjung Harapan",
    K1: "Tanah Garam",
    K2: "VI Suku",
    K3: "Sinapa Piliang",
    K4: "Koto Panjang",
}


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def risk() -> InstrumentReport:
    """Four kelurahan, one IMPACT and one EXPOSURE (ald) indicator, weights 100 each.

    poverty 10/20/30/50 -> range 10-50, width 10: scores 1, 2, 3, 4 (30 is on a boundary: 3);
    irs 40/40/80/60 -> width 10: scores 1, 1, 4, 3. Risk = IMPACT x EXPOSURE = 1, 2, 12, 12;
    classes by equal intervals of 1-12 (width 2,75): 1, 1, 4, 4. Override: K2 -> 3."""
    ind = pd.DataFrame(
        {
            "kode": [K1, K2, K3, K4] * 2,
            "subsector": ["all"] * 4 + ["ald"] * 4,
            "indicator": ["poverty_pct"] * 4 + ["irs_ald"] * 4,
            "value": [10, 20, 30, 50, 40, 40, 80, 60],
            "status": "illustrative",
        }
    )
    weights = pd.DataFrame(
        {
            "subsector": ["all", "ald"],
            "component": ["impact", "exposure"],
            "indicator": ["poverty_pct", "irs_ald"],
            "weight": [100, 100],
            "direction": ["risk", "risk"],
        }
    )
    overrides = pd.DataFrame(
        {"kode": [K2], "subsector": ["ald"], "class": [3], "reason": ["Field check: drains"]}
    )
    result = score_risk(ind, weights, overrides, names=NAMES)
    return risk_report(result, city_kode="13.72", city_name="Kota Solok", names=NAMES)


SYSTEMS = pd.DataFrame(
    {
        "year": [2024] * 4,
        "code": ["SEWER", "ST_E", "ST", "PIT"],
        "name": ["Sewer", "Tank emptied", "Tank", "Pit"],
        "ladder_rung": ["aman", "aman", "layak_sendiri", "belum_layak"],
        "population_share_pct": [10.0, 40.0, 30.0, 20.0],
        "contained": [False, True, True, False],
        "offsite": [True, False, False, False],
        "emptied_pct": [None, 50.0, 0.0, 0.0],
        "delivered_pct": [90.0, 80.0, 0.0, 0.0],
        "treated_pct": [80.0, 50.0, 0.0, 0.0],
        "status": "illustrative",
    }
)


@pytest.fixture(scope="module")
def sfd() -> InstrumentReport:
    """Safe = contained not emptied 20 + 30, treated 40 x 0,5 x 0,8 x 0,5 = 8, sewer treated
    10 x 0,9 x 0,8 = 7,2: 65,2 % of the population."""
    result = compute_sfd(SYSTEMS, None, kode="13.72")
    return sfd_report(result, year=2024, city_kode="13.72", city_name="Kota Solok", no_ladder=True)


@pytest.fixture(scope="module")
def survey_result(tmp_path_factory: pytest.TempPathFactory) -> object:
    """45 households in Tanah Garam (20 aman, 25 layak sendiri), 30 in Koto Panjang (aman)
    and 2 of an unknown kelurahan."""
    rows = [(K1, "A", "A", "A", "B")] * 20 + [(K1, "A", "A", "A", "E")] * 25
    rows += [(K4, "A", "A", "A", "B")] * 30 + [("13.72.09.9999", "A", "A", "A", "B")] * 2
    cols = ["kode_kelurahan", "tempat_bab", "jenis_kloset", "pembuangan_tinja", "septik_dikuras"]
    path = tmp_path_factory.mktemp("survey") / "ehra.csv"
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)
    return read_survey(path, city_dir=Path(str(demo_city_dir())), year=2024)


@pytest.fixture(scope="module")
def survey(survey_result: object) -> InstrumentReport:
    return survey_report(survey_result, city_kode="13.72", city_name="Kota Solok")


def terminal(report: InstrumentReport, lang: str = "id") -> str:
    con = Console(record=True, width=120, highlight=False)
    print_instrument_summary(report, con, lang=lang)
    return con.export_text()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def offline(html: str) -> None:
    """No resource is loaded from anywhere: every script inline, no external URL."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        for attr in ("src", "href", "data", "srcset"):
            value = (attrs.get(attr) or "").strip().lower()
            assert not value.startswith(("http://", "https://", "//")), (tag, attr, value)
        assert not (tag == "script" and "src" in attrs), attrs
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), attrs
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style


# ----------------------------------------------------------------------------- risk


def test_risk_scores_by_hand(risk: InstrumentReport) -> None:
    sc = risk.tables["risk_scores"].df.set_index("kode")
    assert list(sc["risk_score"]) == [1.0, 2.0, 12.0, 12.0]
    assert list(sc["computed_class"]) == [1, 1, 4, 4]
    assert sc.at[K2, "final_class"] == 3 and bool(sc.at[K2, "overridden"])


def test_risk_tile_map_spec(risk: InstrumentReport) -> None:
    spec = risk_map_chart(risk.tables["risk_scores"].df, "id", names=NAMES)
    assert spec is not None
    json.dumps(spec, allow_nan=False)  # plain JSON, no NaN
    assert spec["facet"]["row"]["field"] == "subsector"
    inner = spec["spec"]
    assert inner["encoding"]["x"]["field"] == "pos"
    assert inner["encoding"]["y"]["sort"] == [
        "Lubuk Sikarah (13.72.01)",
        "Tanjung Harapan (13.72.02)",
    ]
    marks = [layer["mark"]["type"] for layer in inner["layer"]]
    assert marks == ["rect", "text", "text"]
    color = inner["layer"][0]["encoding"]["color"]
    assert color["scale"]["domain"] == ["1 rendah", "2 sedang", "3 tinggi", "4 amat tinggi"]
    assert color["scale"]["range"] == list(RISK_CLASS_COLORS)
    assert inner["layer"][0]["encoding"]["stroke"]["condition"]["test"] == "datum.overridden"
    rows = {r["kode"]: r for r in spec["data"]["values"]}
    # tiles laid out by kecamatan rows and kelurahan columns
    assert [rows[k]["pos"] for k in (K1, K2, K3, K4)] == [1, 2, 3, 1]
    assert rows[K4]["kecamatan"] == "Tanjung Harapan (13.72.02)"
    assert rows[K2]["class_label"] == "3 tinggi" and rows[K2]["overridden"] is True
    assert rows[K2]["computed"] == "1 rendah" and rows[K2]["reason"] == "Field check: drains"
    assert rows[K3]["score_text"] == "12,0 \u00b7 4"
    en = risk_map_chart(risk.tables["risk_scores"].df, "en", names=NAMES)
    assert en is not None and en["data"]["values"][0]["subsector"] == "Domestic wastewater"
    assert risk_map_chart(None) is None and risk_map_chart(pd.DataFrame()) is None


def test_risk_html_offline(risk: InstrumentReport) -> None:
    html = render_instrument_html(risk, "id")
    offline(html)
    assert html.count('<script data-lib="') == 3  # Vega, Vega-Lite, Vega-Embed inlined
    assert 'id="chart-risk-scores"' in html
    assert "Tanjung Harapan (13.72.02)" in html  # kecamatan rows of the tile map
    assert '<td class="num risk risk-4">4</td>' in html
    assert "Area Berisiko Sanitasi \u2014 Kota Solok (13.72)" in html
    # every intermediate score is shown (two decimals), and the override reason
    assert "<td>Field check: drains</td>" in html and '<td class="num">12,00</td>' in html
    assert "Skor indikator area berisiko (1-4)" in html


def test_risk_xlsx_numbers(risk: InstrumentReport, tmp_path: Path) -> None:
    path = tmp_path / "risk.xlsx"
    write_instrument_xlsx(risk, path, "id")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "README"
    ws = wb["risk_scores"]
    head_id = [c.value for c in ws[3]]
    head_en = [c.value for c in ws[4]]
    assert "Skor risiko (skor 1-16)" in head_id and "Risk score (skor 1-16)" in head_en
    j = head_en.index("Risk score (skor 1-16)")
    values = [ws.cell(row=r, column=j + 1).value for r in range(5, 9)]
    assert values == [1.0, 2.0, 12.0, 12.0]
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    cls = [ws.cell(row=r, column=head_en.index("Risk class (1-4)") + 1).value for r in range(5, 9)]
    assert cls == [1, 3, 4, 4]
    ind = wb["risk_indicator_scores"]
    scores = [c.value for c in ind["M"][4:]]
    assert all(isinstance(v, int | float) for v in scores)


def test_risk_terminal_indonesian(risk: InstrumentReport) -> None:
    text = terminal(risk)
    assert "Kota Solok (13.72) \u00b7 Area Berisiko Sanitasi" in text
    assert re.search(r"Sinapa Piliang\s+3,00\s+4,00\s+12,00\s+4 amat tinggi", text)
    assert "3 tinggi*" in text
    assert "interval sama dari rentang skor: Air limbah domestik 3,75 / 6,5 / 9,25" in text
    assert "Tidak ada programme.csv" in text
    en = terminal(risk, "en")
    assert re.search(r"Sinapa Piliang\s+3\.00\s+4\.00\s+12\.00\s+4 very high", en)


# ----------------------------------------------------------------------------- SFD


def test_sfd_html_has_the_sankey(sfd: InstrumentReport) -> None:
    html = render_instrument_html(sfd, "id")
    offline(html)
    assert "<script" not in html  # nothing to draw with JavaScript
    assert '<figure class="diagram" id="sfd-2024">' in html
    assert 'data-source="population" data-target="onsite_contained"' in html
    assert "Aman menurut SFD" in html and "65,2%" in html


def test_sfd_xlsx_matrix_numbers(sfd: InstrumentReport, tmp_path: Path) -> None:
    path = tmp_path / "sfd.xlsx"
    write_instrument_xlsx(sfd, path, "en")
    wb = openpyxl.load_workbook(path)
    ws = wb["sfd_matrix"]
    head = [c.value for c in ws[4]]
    src, dst, val = head.index("From"), head.index("To"), head.index("Value (% of population)")
    cells = {
        (ws.cell(row=r, column=src + 1).value, ws.cell(row=r, column=dst + 1).value): ws.cell(
            row=r, column=val + 1
        ).value
        for r in range(5, ws.max_row + 1)
    }
    assert cells[("delivered", "treated")] == pytest.approx(8.0)
    assert cells[("sewer_delivered", "sewer_treated")] == pytest.approx(7.2)
    assert cells[("contained_not_emptied", "safely_managed")] == pytest.approx(50.0)
    cmp = wb["sfd_compare"]
    assert cmp.cell(
        row=5, column=[c.value for c in cmp[4]].index("SFD safely managed (% of population)") + 1
    ).value == pytest.approx(65.2)


def test_sfd_terminal_indonesian(sfd: InstrumentReport) -> None:
    text = terminal(sfd)
    assert re.search(r"Tertampung, tidak dikuras\s+50,0%\s+aman", text)
    assert re.search(r"Lumpur tinja diolah\s+8,0%\s+aman", text)
    assert re.search(r"Air limbah diolah\s+7,2%\s+aman", text)
    assert re.search(r"2024\s+65,2%\s+65,2%\s+\u2013\s+\u2013", text)  # no ladder: no aman
    assert "Tidak ada tangga sanitasi" in text


# ----------------------------------------------------------------------------- survey


def test_survey_chart_spec(survey: InstrumentReport) -> None:
    spec = survey_interval_chart(survey.tables["survey_shares"].df, "id", min_households=40)
    assert spec is not None
    json.dumps(spec, allow_nan=False)
    rule, point = spec["spec"]["layer"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["field"] == "low"
    assert rule["encoding"]["x2"]["field"] == "high" and point["mark"]["type"] == "point"
    rows = [r for r in spec["data"]["values"] if r["rung"] == "Aman"]
    assert [r["area"] for r in rows] == ["Tanah Garam (n=45)", "Koto Panjang (n=30) *"]
    assert rows[0]["pct"] == pytest.approx(100 * 20 / 45, abs=1e-6)
    assert rows[0]["low"] < rows[0]["pct"] < rows[0]["high"]


def test_survey_html_offline(survey: InstrumentReport) -> None:
    html = render_instrument_html(survey, "id", inline_js=False)
    offline(html)
    assert 'id="chart-survey-shares"' in html
    # share with its 95 % interval, n and the EHRA flag
    assert re.search(r"<td>44,4% \(\d+,\d\u2013\d+,\d\)</td>", html)
    assert "<td>ya</td>" in html  # Koto Panjang below the minimum
    assert "13.72.09.9999" in html and "SAN-W182" in html


def test_survey_xlsx_numbers(survey: InstrumentReport, tmp_path: Path) -> None:
    path = tmp_path / "survey.xlsx"
    write_instrument_xlsx(survey, path, "id")
    wb = openpyxl.load_workbook(path)
    ws = wb["survey_shares"]
    head = [c.value for c in ws[4]]
    j = head.index("Safely managed (aman) (%)")
    low = head.index("Safely managed (aman): 95% lower bound")
    assert ws.cell(row=5, column=j + 1).value == pytest.approx(100 * 20 / 45)
    assert isinstance(ws.cell(row=5, column=low + 1).value, float)
    issues = wb["survey_issue_columns"]
    assert [c.value for c in issues[5]][:3] == ["kode_kelurahan", "kelurahan", 2]


def test_survey_terminal(survey: InstrumentReport) -> None:
    text = terminal(survey)
    assert "Baris (rumah tangga) 77 \u00b7 Tergolong 75" in text
    assert re.search(r"Tanah Garam\s+45\s+44,4%", text)
    assert re.search(r"Koto Panjang\s+30\s+100,0%", text) and "< 40" in text
    assert re.search(r"kode_kelurahan\s+Kelurahan/desa\s+2\s+1\s+SAN-W182", text)
