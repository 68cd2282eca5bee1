"""Charts drawn offline for the PDF (``reports.static_charts``) and the print mode of the
plan and monitoring HTML reports (``static_charts=True``)."""

from __future__ import annotations

import base64
import logging
import re
from typing import Any

import pytest
from click.testing import CliRunner
from programme_demo import GENERATED, demo_monitoring
from reports_fixtures import make_result

from sanitasi.cli import main
from sanitasi.reports import static_charts as sc
from sanitasi.reports.html import plan as html_plan
from sanitasi.reports.html import render_html
from sanitasi.reports.monitoring import render_monitoring_html

pytest.importorskip("vl_convert")

#: Two bars, 1234.5 and 2500, labelled with the d3 format ",.1f" and an axis up to 2500.
SMALL: dict[str, Any] = {
    "title": {"text": "Biaya kecil", "subtitle": "juta Rp"},
    "data": {"values": [{"a": "x", "v": 1234.5}, {"a": "y", "v": 2500}]},
    "width": 200,
    "height": 100,
    "layer": [
        {
            "mark": {"type": "bar", "clip": True},
            "encoding": {
                "x": {"field": "a", "type": "nominal"},
                "y": {"field": "v", "type": "quantitative", "axis": {"format": ",.1f"}},
            },
        },
        {
            "mark": {"type": "text", "dy": -5},
            "encoding": {
                "x": {"field": "a", "type": "nominal"},
                "y": {"field": "v", "type": "quantitative"},
                "text": {"field": "v", "type": "quantitative", "format": ",.1f"},
            },
        },
    ],
}

BROKEN: dict[str, Any] = {"title": "Grafik rusak", "mark": "no-such-mark"}
WITH_URL: dict[str, Any] = {
    "title": "Dari internet",
    "data": {"url": "https://example.com/data.csv"},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "nominal"}},
}


def _texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]*)</text>", svg)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    sc.clear_cache()


def test_small_spec_indonesian_numbers() -> None:
    svgs = sc.chart_svgs({"small": SMALL}, "id")
    svg = svgs["small"]
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    texts = _texts(svg)
    # the labels of the bars and the axis, Indonesian separators (1234.5 -> 1.234,5)
    assert "1.234,5" in texts and "2.500,0" in texts
    assert "1.000,0" in texts  # an axis tick
    assert "1,234.5" not in texts
    assert "Biaya kecil" in texts  # chart_svgs draws the spec as given, title included


def test_small_spec_english_numbers() -> None:
    texts = _texts(sc.chart_svgs({"small": SMALL}, "en")["small"])
    assert "1,234.5" in texts and "2,500.0" in texts and "1,000.0" in texts
    assert "1.234,5" not in texts


def test_svg_names_the_measured_font_and_prefixes_ids() -> None:
    svg = sc.render_chart("small", SMALL, "id").markup
    assert 'font-family="sans-serif"' not in svg
    assert f'font-family="{sc.PRINT_FONT}"' in svg
    # the clipped bar layer gives a clip path: its id and its use carry the chart's prefix
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("chart-small-") for i in ids)
    assert all(ref in ids for ref in re.findall(r"url\(#([^)]+)\)", svg))
    other = sc.render_chart("other", SMALL, "id", prefix="fig-2").markup
    assert set(re.findall(r'\bid="([^"]+)"', other)).isdisjoint(ids)
    # the empty group paths Vega writes everywhere are dropped
    assert 'd="M0,0h0v0h0Z"' not in svg


def test_tidy_svg_rewrites_only_the_svg_own_ids() -> None:
    raw = (
        '<svg><defs><clipPath id="clip1"><rect/></clipPath><linearGradient id="g1"/></defs>'
        '<path clip-path="url(#clip1)" fill="url(#g1)"/><use href="#clip1"/>'
        '<path class="background" aria-hidden="true" d="M0,0h0v0h0Z"/>'
        '<text font-family="sans-serif">url(#elsewhere)</text></svg>'
    )
    out = sc._tidy_svg(raw, "chart-x")
    assert 'id="chart-x-clip1"' in out and 'id="chart-x-g1"' in out
    assert 'clip-path="url(#chart-x-clip1)"' in out and 'fill="url(#chart-x-g1)"' in out
    assert 'href="#chart-x-clip1"' in out
    assert "url(#elsewhere)" in out  # not an id of this SVG: untouched
    assert "M0,0h0v0h0Z" not in out
    assert f'font-family="{sc.PRINT_FONT}"' in out


def test_broken_spec_gives_placeholder_and_does_not_raise(caplog: Any) -> None:
    with caplog.at_level(logging.WARNING, logger="sanitasi.reports.static_charts"):
        drawn = sc.render_charts({"small": SMALL, "broken": BROKEN}, "id")
    assert drawn["small"].kind == "svg"
    bad = drawn["broken"]
    assert bad.kind == "failed" and bad.error.startswith("ValueError: ")
    assert " at " not in bad.error  # the JavaScript stack is left to the log
    assert bad.markup.startswith('<p class="chart-failed" role="note">Grafik \u201cGrafik rusak')
    assert "tidak dapat digambar" in bad.markup
    assert sc.failed(drawn) == {"broken": bad.error}
    assert "chart broken could not be drawn" in caplog.text
    # chart_svgs: same placeholder, the good chart still drawn
    svgs = sc.chart_svgs({"broken": BROKEN, "small": SMALL}, "en")
    assert svgs["broken"].startswith('<p class="chart-failed"')
    assert "could not be drawn" in svgs["broken"] and "<svg" in svgs["small"]


def test_placeholder_escapes_the_title() -> None:
    drawn = sc.render_chart("x", {"title": "A <b>&", "mark": "nope"}, "en")
    assert "A &lt;b&gt;&amp;" in drawn.markup and "<b>" not in drawn.markup


def test_not_a_spec_gives_placeholder() -> None:
    spec = {"title": "Objek", "mark": "bar", "data": {"values": [{"a": object()}]}}
    drawn = sc.render_chart("x", spec, "id")
    assert drawn.kind == "failed" and drawn.markup.startswith('<p class="chart-failed"')
    assert "Objek" in drawn.markup


def test_url_spec_is_refused_without_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sc.spec_urls(WITH_URL) == ["https://example.com/data.csv"]
    assert sc.spec_urls({"layer": [{"data": {"values": [{"url": 3}]}}]}) == []
    drawn = sc.render_chart("web", WITH_URL, "id")
    assert drawn.kind == "failed"
    assert drawn.error.startswith("ChartURLError: spec loads data from a URL (https://example")


def test_png_route() -> None:
    drawn = sc.render_charts({"small": SMALL}, "id", png=["small"])["small"]
    assert drawn.kind == "png"
    found = re.fullmatch(
        r'<img class="chart-png" src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="Biaya kecil">',
        drawn.markup,
    )
    assert found is not None
    assert base64.b64decode(found[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_cache_renders_each_chart_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = sc._convert

    def counting(spec: Any, lang: str, fmt: str) -> str:
        calls.append(lang)
        return real(spec, lang, fmt)

    monkeypatch.setattr(sc, "_convert", counting)
    first = sc.render_chart("small", SMALL, "id")
    again = sc.render_chart("small", SMALL, "id")
    english = sc.render_chart("small", SMALL, "en")
    assert calls == ["id", "en"]
    assert again.markup == first.markup and again.ms == 0.0 and first.ms > 0
    assert english.markup != first.markup
    sc.clear_cache()
    sc.render_chart("small", SMALL, "id")
    assert calls == ["id", "en", "id"]


def test_failures_are_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(spec: Any, lang: str, fmt: str) -> str:
        raise RuntimeError("worker died")

    monkeypatch.setattr(sc, "_convert", boom)
    assert sc.render_chart("small", SMALL, "id").error == "RuntimeError: worker died"
    monkeypatch.undo()
    assert sc.render_chart("small", SMALL, "id").kind == "svg"


def test_split_title() -> None:
    title, sub, rest = sc.split_title(SMALL, "small")
    assert (title, sub) == ("Biaya kecil", "juta Rp") and "title" not in rest
    assert rest["layer"] is SMALL["layer"]
    assert sc.split_title({"title": ["Baris 1", "baris 2"]})[:2] == ("Baris 1 baris 2", "")
    assert sc.split_title({"mark": "bar"}, "key")[:2] == ("key", "")
    assert sc.split_title({"title": "Judul"})[:2] == ("Judul", "")


# --------------------------------------------------------------------------- print mode


def test_plan_print_mode_embeds_the_charts() -> None:
    result = make_result()
    page = render_html(result, "id", generated=GENERATED, inline_js=False, static_charts=True)
    assert "<script" not in page and "vegaEmbed" not in page
    assert "@page { size: A4 portrait" in page
    figures = re.findall(r'<figure class="chart static" id="(chart-[a-z0-9-]+)">', page)
    assert figures == [
        "chart-ladder",
        "chart-waste",
        "chart-headline-pct-layak",
        "chart-headline-pct-aman",
        "chart-headline-pct-babs-terbuka",
        "chart-headline-pct-waste-pengurangan",
        "chart-headline-pct-waste-penanganan",
        "chart-headline-pct-waste-managed",
        "chart-funding",
    ]
    assert page.count("<svg") >= 9
    # the title is the caption (text in the PDF) and is not drawn again inside the chart
    ladder = page[
        page.index('id="chart-ladder"') : page.index("</figure>", page.index("chart-ladder"))
    ]
    assert (
        "<figcaption><strong>Tangga sanitasi per kelurahan/desa (skenario rencana)</strong>"
        '<span class="subtitle">Bagian rumah tangga \u2014 Rencana</span></figcaption>'
    ) in ladder
    assert ">Tangga sanitasi per kelurahan/desa (skenario rencana)</text>" not in ladder
    # Indonesian axis labels: shares as 0%..100%, Rp 1,2 miliar of APBN money in 2025
    assert ">100%</text>" in ladder
    funding = page[page.index('id="chart-funding"') :]
    funding = funding[: funding.index("</figure>")]
    texts = _texts(funding)
    assert {"0,5", "1,5", "2,5", "Biaya (miliar Rp)", "APBN"} <= set(texts)  # miliar ticks
    assert "0.5" not in texts


def test_plan_interactive_mode_unchanged() -> None:
    result = make_result()
    page = render_html(result, "id", generated=GENERATED, inline_js=False)
    assert 'class="chart static"' not in page and "@page" not in page
    assert '<div class="chart" id="chart-ladder" role="img"' in page
    assert '<script type="application/json" id="sanitasi-charts">' in page


def test_plan_print_mode_survives_a_failing_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    real = sc._convert

    def flaky(spec: Any, lang: str, fmt: str) -> str:
        if "rung" in spec.get("encoding", {}).get("color", {}).get("field", ""):  # the ladder
            raise RuntimeError("too many marks")
        return real(spec, lang, fmt)

    monkeypatch.setattr(sc, "_convert", flaky)
    page = render_html(make_result(), "en", inline_js=False, static_charts=True)
    ladder = page[page.index('id="chart-ladder"') :]
    ladder = ladder[: ladder.index("</figure>")]
    assert (
        '<p class="chart-failed" role="note">Chart \u201cSanitation ladder by kelurahan/desa'
        in ladder
    )
    assert "could not be drawn (RuntimeError: too many marks)" in ladder
    assert "<svg" not in ladder
    assert page.count('<figure class="chart static"') == 9
    assert page.count('class="chart-failed"') == 1


def test_monitoring_print_mode_embeds_the_charts() -> None:
    report = demo_monitoring(2025, 3)
    page = render_monitoring_html(report, "id", generated=GENERATED, static_charts=True)
    assert "<script" not in page
    figures = re.findall(r'<figure class="chart static" id="(chart-[a-z0-9-]+)">', page)
    assert {"chart-money", "chart-output", "chart-indicator-pct-layak"} <= set(figures)
    assert "Rencana vs realisasi keuangan per triwulan (kumulatif)</strong>" in page
    assert page.count("<svg") >= len(figures)
    assert 'class="chart-failed"' not in page
    interactive = render_monitoring_html(report, "id", generated=GENERATED, inline_js=False)
    assert 'class="chart static"' not in interactive and "<svg" not in interactive


# --------------------------------------------------------------------------- CLI


def test_cli_plan_pdf(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``sanitasi plan --pdf`` hands the print edition (charts drawn as SVG, no script) to the
    one PDF renderer and writes what it returns. The renderer (``pdf_bytes``) is stubbed
    here: the real layout of this print edition (its chart titles as PDF text) is tested by
    tests/web/test_web_pdf_charts.py::test_plan_pdf_has_the_charts, its table widths by
    tests/reports/test_reports_print.py, and ``pdf_bytes`` itself by the CLI's document
    test."""
    handed: list[str] = []

    def fake(html: str) -> bytes:
        handed.append(html)
        return b"%PDF-1.7 stub of the plan"

    monkeypatch.setattr(html_plan, "pdf_bytes", fake)  # where write_pdf calls it
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["plan", "--out", str(out), "--pdf"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["plan.html", "plan.pdf", "plan.xlsx"]
    assert (out / "plan.pdf").read_bytes() == b"%PDF-1.7 stub of the plan"
    [printed] = handed  # one layout, of the print edition
    assert "<script" not in printed and printed.count('<figure class="chart static"') >= 3
    for title in (
        "Tangga sanitasi per kelurahan/desa (skenario rencana)",
        "Indikasi pendanaan menurut sumber dan tahun",
        "Biaya program vs indikasi pendanaan kebutuhan",
    ):
        assert title in printed, title
    assert "tidak dapat digambar" not in printed and "memerlukan JavaScript" not in printed
    # the HTML file stays the interactive report
    page = (out / "plan.html").read_text(encoding="utf-8")
    assert 'class="chart static"' not in page and "vegaEmbed" in page


def test_cli_plan_pdf_failure_leaves_nothing(tmp_path: Any, monkeypatch: Any) -> None:
    def broken(html: str) -> bytes:
        raise RuntimeError("no Pango")

    monkeypatch.setattr(html_plan, "pdf_bytes", broken)  # where write_pdf calls it
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="no Pango"):
        CliRunner().invoke(main, ["plan", "--out", str(out), "--pdf"], catch_exceptions=False)
    assert not out.exists() or not any(out.iterdir())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sanitasi-")]
