"""PDF chart benchmark: run ``python benchmarks/pdf_charts.py`` (``--png`` also times the PNG
route, ``--lang en`` the English report).

Renders the charts of the Kota Solok demo plan (with the programme and SSK instrument
chapters, as ``sanitasi plan`` builds it: headline, coverage, ladder, waste, funding,
programme funding and the risk tile map) and of its monitoring report (2025 Q3) to SVG with
vl-convert, uncached, and prints per chart the rendering time, the SVG size and the time
WeasyPrint takes to draw that chart alone on an A4 page; then the total, and the time of
the whole PDF (HTML print mode + WeasyPrint) with and without the charts. Times are printed,
never asserted: they depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable, Mapping
from typing import Any

from sanitasi.app import FolderSource, monitoring_report, plan_report
from sanitasi.core.model import PlanResult
from sanitasi.core.programme_run import MonitoringReport
from sanitasi.reports import charts as _charts
from sanitasi.reports import static_charts as sc
from sanitasi.reports.html import render_html
from sanitasi.reports.monitoring import render_monitoring_html

PAGE = (
    "<!DOCTYPE html><html><head><style>@page {{ size: A4 portrait; margin: 16mm 14mm }}"
    "svg, img {{ max-width: 100%; height: auto }}</style></head><body>{}</body></html>"
)


def demo() -> tuple[PlanResult, MonitoringReport]:
    source = FolderSource(None)
    result = plan_report(source)
    report = monitoring_report(source, 2025, 3, plan=result)
    assert report is not None
    return result, report


def _ms(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - t0) * 1000.0


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _pages(pdf: bytes) -> int:
    try:
        import pypdf
    except ImportError:  # pragma: no cover - pypdf is a dev dependency
        return -1
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def chart_table(name: str, specs: Mapping[str, dict[str, Any]], lang: str, png: bool) -> None:
    sc.clear_cache()
    print(f"\n{name}: {len(specs)} charts ({lang})")
    head = f"  {'chart':32s} {'svg ms':>8s} {'svg kB':>8s} {'pdf ms':>8s}"
    print(head + (f" {'png ms':>8s} {'png kB':>8s} {'pdf ms':>8s}" if png else ""))
    total = weasy_total = png_total = 0.0
    for key, spec in specs.items():
        chart = sc.render_chart(key, spec, lang)
        _, weasy = _ms(lambda c=chart: _pdf(PAGE.format(c.markup)))
        total += chart.ms
        weasy_total += weasy
        line = f"  {key:32s} {chart.ms:8.1f} {len(chart.markup) / 1024:8.1f} {weasy:8.1f}"
        if png:
            raster = sc.render_chart(key, spec, lang, fmt="png")
            _, pweasy = _ms(lambda c=raster: _pdf(PAGE.format(c.markup)))
            png_total += raster.ms
            line += f" {raster.ms:8.1f} {len(raster.markup) * 3 / 4 / 1024:8.1f} {pweasy:8.1f}"
        if chart.kind == "failed":
            line += f"  FAILED {chart.error}"
        print(line)
    print(f"  {'total':32s} {total:8.1f} {'':>8s} {weasy_total:8.1f}", end="")
    print(f" {png_total:8.1f}" if png else "")


def pdf_times(name: str, render: Callable[[bool], str]) -> None:
    sc.clear_cache()
    html, html_ms = _ms(lambda: render(True))
    _, cached_ms = _ms(lambda: render(True))
    pdf, pdf_ms = _ms(lambda: _pdf(html))
    plain, plain_html_ms = _ms(lambda: render(False))
    plain_pdf, plain_pdf_ms = _ms(lambda: _pdf(plain))
    print(
        f"{name} PDF with charts: html {html_ms:.0f} ms (charts cached: {cached_ms:.0f} ms) + "
        f"WeasyPrint {pdf_ms:.0f} ms = {html_ms + pdf_ms:.0f} ms, {_pages(pdf)} pages, "
        f"{len(pdf) / 1024:.0f} kB"
    )
    print(
        f"{name} PDF without charts: html {plain_html_ms:.0f} ms + WeasyPrint {plain_pdf_ms:.0f} ms"
        f" = {plain_html_ms + plain_pdf_ms:.0f} ms, {_pages(plain_pdf)} pages, "
        f"{len(plain_pdf) / 1024:.0f} kB"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lang", choices=["id", "en"], default="id")
    ap.add_argument("--png", action="store_true", help="also time vl-convert PNG (scale 2)")
    args = ap.parse_args()
    result, report = demo()
    first, warm = _ms(lambda: sc.render_chart("warm-up", {"mark": "point"}, args.lang))
    print(f"vl-convert start-up (first chart of the process): {warm:.0f} ms")
    chart_table("plan", _charts.all_charts(result, args.lang), args.lang, args.png)
    chart_table("monitoring", _charts.monitoring_charts(report, args.lang), args.lang, args.png)
    print()
    pdf_times(
        "plan",
        lambda static: render_html(result, args.lang, inline_js=False, static_charts=static),
    )
    pdf_times(
        "monitoring",
        lambda static: render_monitoring_html(
            report, args.lang, inline_js=False, static_charts=static
        ),
    )
