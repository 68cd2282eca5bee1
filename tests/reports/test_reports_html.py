"""Self-contained offline HTML report."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sanitasi.core.model import PlanResult
from sanitasi.reports import html as report_html
from sanitasi.reports.html import render_html, write_html

GENERATED = dt.date(2025, 11, 27)


class _Collector(HTMLParser):
    """Tags with their attributes, the text, and the bodies of <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._in_script: dict[str, str | None] | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script, self._buf = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._buf.append(data)
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def page_id() -> str:
    from reports_fixtures import make_result

    return render_html(make_result(), "id", generated=GENERATED)


@pytest.fixture(scope="module")
def parsed_id(page_id: str) -> _Collector:
    p = _Collector()
    p.feed(page_id)
    return p


def test_write_html_file(result: PlanResult, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "laporan.html"
    write_html(result, out, generated=GENERATED)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert not list(out.parent.glob("*.tmp"))  # no temporary file left behind


def test_offline_no_external_resources(parsed_id: _Collector, page_id: str) -> None:
    for tag, attrs in parsed_id.tags:
        for attr in ("src", "href", "data", "srcset", "poster"):
            value = (attrs.get(attr) or "").strip().lower()
            assert not value.startswith(("http://", "https://", "//")), (tag, attr, value)
        if tag == "script":
            assert "src" not in attrs, attrs  # every script is inline
        if tag == "link":
            assert (attrs.get("rel") or "") != "stylesheet", attrs
    style = page_id.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style


def test_vega_inlined(parsed_id: _Collector) -> None:
    libs = {attrs.get("data-lib"): body for attrs, body in parsed_id.scripts}
    versions = report_html.vendored_versions()
    for name, js in (
        ("vega.min.js", "vega"),
        ("vega-lite.min.js", "vega-lite"),
        ("vega-embed.min.js", "vega-embed"),
    ):
        body = libs[name]
        assert len(body) > 0.9 * versions[js]["bytes"]
        assert "sourceMappingURL" not in body
    assert ".vegaEmbed=" in libs["vega-embed.min.js"]
    assert '"6.5.0"' in libs["vega-lite.min.js"]  # the pinned Vega-Lite version


def test_chart_payload(parsed_id: _Collector, page_id: str) -> None:
    payloads = [b for a, b in parsed_id.scripts if a.get("id") == "sanitasi-charts"]
    assert len(payloads) == 1
    data = json.loads(payloads[0])
    assert data["options"]["formatLocale"] == {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["Rp\u00a0", ""],
    }
    for anchor in data["specs"]:
        assert f'id="{anchor}"' in page_id  # every spec has its container
    assert "chart-headline-pct-layak" in data["specs"] and "chart-funding" in data["specs"]


def test_content(parsed_id: _Collector, result: PlanResult) -> None:
    text = " ".join(" ".join(parsed_id.text).split())
    assert "Kota Solok" in text
    assert "Tahun dasar 2024" in text
    assert "Periode rencana 2025\u20132025" in text
    assert "RPJMN 2020\u20132024, Jakstranas 2025" in text
    assert "27 November 2025" in text
    for chapter in ("Bab II Profil Sanitasi", "Bab III", "Bab V Program"):
        assert chapter in text
    for table in result.tables.values():
        assert table.title_id in text
    assert "Masukan: 12 bersumber, 3 turunan, 40 ilustratif, 2 belum terverifikasi" in text
    # Illustrative / unverified notice.
    assert "Perhatian: sebagian masukan belum resmi" in text


def test_summary_box(parsed_id: _Collector) -> None:
    text = " ".join(" ".join(parsed_id.text).split())
    assert "Seberapa jauh dari target Bappenas 2024?" in text
    assert (
        "Akses layak: capaian 81,3% terhadap target 90,0% (RPJMN 2020\u20132024, 2024) "
        "\u2014 kurang 8,8 poin (\u2248 875 rumah tangga)." in text
    )
    assert (
        "RT terlayani sampah: target 100,0% (RPJMN 2020\u20132024, 2024) \u2014 tidak ada" in text
    )


def test_tables_formatted_and_translated(page_id: str) -> None:
    assert '<td class="num">Rp 1.200.000.000</td>' in page_id  # funding
    assert "<td>APBD Kab/Kota</td>" in page_id  # source code translated
    assert "<td>Air limbah domestik</td>" in page_id  # sector translated
    assert '<td class="num">81,3%</td>' in page_id
    assert '<td class="num">10.000</td>' in page_id  # households, thousands '.'
    assert '<td class="num">0,85</td>' in page_id  # parameter value not rounded to 0,9


def test_large_tables_show_base_and_plan_years(page_id: str) -> None:
    ladder = page_id.split('id="tbl-ladder"', 1)[1].split("</figure>", 1)[0]
    # wide: the years are columns (tests/reports/test_reports_wide.py has the details)
    assert '<th class="num">2024</th><th class="num">2025</th></tr>' in ladder
    assert ">2026<" not in ladder  # beyond the plan period: XLSX only
    assert "semua tahun ada di berkas XLSX" in ladder
    costs = page_id.split('id="tbl-costs"', 1)[1].split("</figure>", 1)[0]
    assert ">2025</td>" in costs and ">2026</td>" not in costs  # long, filtered by year
    trajectory = page_id.split('id="tbl-trajectory"', 1)[1].split("</figure>", 1)[0]
    assert ">2026</td>" in trajectory  # small tables keep every year


def test_warnings_and_parameters(page_id: str) -> None:
    warnings = page_id.split('id="warnings"', 1)[1].split("</section>", 1)[0]
    assert '<li class="danger"><code>SAN-W001</code>TPA penuh pada tahun 2025' in warnings
    assert '<li class="warn"><code>SAN-W004</code>' in warnings
    assert "VI Suku (13.72.01.1002)" in warnings
    params = page_id.split('id="parameters"', 1)[1].split("</section>", 1)[0]
    assert "desludging_interval_years" in params and "belum terverifikasi" in params
    sources = page_id.split('id="sources"', 1)[1].split("</section>", 1)[0]
    assert "data/kota_solok/observations.csv" in sources
    assert 'plan override <span class="who">&mdash; dipakai oleh: desludging_interval_' in sources


def test_english(result: PlanResult) -> None:
    page = render_html(result, "en", generated=GENERATED, inline_js=False)
    assert '<html lang="en">' in page
    assert "How far are we from the Bappenas 2024 targets?" in page
    assert "Basic sanitation (layak): 81.3% against a target of 90.0%" in page
    assert "Chapter V Programmes" in page
    assert '<td class="num">IDR 1,200,000,000</td>' in page
    assert "Inputs: 12 sourced, 3 derived, 40 illustrative, 2 unverified" in page


def test_escaping(result: PlanResult) -> None:
    evil = "<script>alert(1)</script>"
    tables = dict(result.tables)
    pop = tables["population"]
    df = pop.df.copy()
    df.loc[df["kode"] == "13.72", "nama"] = evil
    tables["population"] = replace(pop, df=df)
    page = render_html(replace(result, tables=tables), generated=GENERATED, inline_js=False)
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    payload = page.split('id="sanitasi-charts">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload  # JSON in a script element cannot close it


def test_extra_table_rendered_generically(page_id: str) -> None:
    block = page_id.split('id="tbl-extra-risk"', 1)[1].split("</figure>", 1)[0]
    assert "Area berisiko" in block and "Masukan: tidak tercatat" in block
    assert '<td class="num">3,8</td>' in block and '<td class="num">30,5%</td>' in block


def test_no_charts_no_js(result: PlanResult) -> None:
    page = render_html(replace(result, tables={}), generated=GENERATED)
    assert "vegaEmbed" not in page  # nothing to draw, no 840 kB of code
    assert "13.72" in page  # no table carries the city name: the kode stands in
    assert "Tidak ada titik target nasional" in page


def test_chart_placement(page_id: str) -> None:
    ch2 = page_id.split('id="chapter-2"', 1)[1].split('id="chapter-3"', 1)[0]
    assert ch2.index('id="chart-ladder"') < ch2.index('id="tbl-ladder"')
    assert 'id="chart-waste"' in ch2
    ch5 = page_id.split('id="chapter-5"', 1)[1]
    assert ch5.index('id="chart-funding"') < ch5.index('id="tbl-funding"')
    assert len(re.findall(r'id="chart-headline-', page_id)) == 6


def test_parameter_values_stored_as_text(result: PlanResult) -> None:
    tb = result.tables["parameters"]
    df = tb.df.copy()
    df["value"] = [str(v) for v in df["value"]]
    res = replace(result, tables={**result.tables, "parameters": replace(tb, df=df)})
    page = render_html(res, generated=GENERATED, inline_js=False)
    block = page.split('id="tbl-parameters"', 1)[1].split("</figure>", 1)[0]
    assert '<td class="num">0,85</td>' in block and "0.85" not in block
    assert "base_shares" in block
