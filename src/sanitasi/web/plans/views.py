"""The city dashboard and the report downloads.

The dashboard draws its charts in the browser from the same Vega-Lite specs as the reports
(:mod:`sanitasi.reports.charts`), embedded as JSON and rendered with the vendored
vega-embed; the plan run is cached per city and data version (:mod:`.results`). Downloads are
the reports of the CLI (``render_html``, ``write_xlsx``, the monitoring writers) on the same
run, plus a PDF of the plan report rendered server-side with WeasyPrint.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanitasi.core.model import PlanResult
from sanitasi.reports import charts
from sanitasi.reports.common import frame, years
from sanitasi.reports.fmt import fmt_idr_compact, fmt_pct
from sanitasi.reports.html import render_html, retrospective_summary
from sanitasi.reports.monitoring import (
    band_label,
    investment_sources,
    render_monitoring_html,
    write_monitoring_xlsx,
)
from sanitasi.reports.xlsx import write_xlsx
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.geography.boundaries import visible_boundaries
from sanitasi.web.monitoring.period import default_period, parse_period
from sanitasi.web.plans.dashboard import ghg_panel, headline_rows
from sanitasi.web.plans.results import download, monitoring_report, plan_result
from sanitasi.web.plans.tiles import map_chart, tile_chart
from sanitasi.web.scope import can_read_history

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def cost_rows(result: PlanResult, lang: str) -> list[dict[str, str]]:
    """Needs-based cost over the SSK period by sector and need (and the total)."""
    df = frame(result, "costs")
    if df is None or not {"year", "sector", "need", "cost_idr"} <= set(df.columns):
        return []
    y = years(result)
    sub = df[(df["year"] >= y.start) & (df["year"] <= y.end)]
    g = sub.groupby(["sector", "need"], sort=False, as_index=False)["cost_idr"].sum()
    rows = [
        {"sector": str(r.sector), "need": str(r.need), "cost": fmt_idr_compact(r.cost_idr, lang)}
        for r in g.itertuples()
    ]
    total = float(pd.to_numeric(sub["cost_idr"], errors="coerce").sum())
    rows.append({"sector": _("Total"), "need": "", "cost": fmt_idr_compact(total, lang)})
    return rows


def monitoring_panel(kode: str, year: int, quarter: int, lang: str) -> dict[str, Any] | None:
    """Key figures of the monitoring report (verified realisation only) and its charts."""
    report = monitoring_report(kode, year, quarter)
    if report is None:
        return None
    table = report.tables.get("by_city")
    df = table.df if table is not None else None
    figures: list[tuple[str, str]] = []
    band = ""
    if df is not None and len(df):
        r = df.iloc[0]
        band = band_label(r.get("band"), lang)
        figures = [
            (_("Physical progress index"), fmt_pct(r.get("physical_index_pct"), 1, lang)),
            (_("Financial realisation"), fmt_pct(r.get("financial_pct"), 1, lang)),
            (_("APBD absorption (incl. DAK)"), fmt_pct(r.get("absorption_pct"), 1, lang)),
            (_("Spent to date"), fmt_idr_compact(r.get("spent_to_date_idr"), lang)),
            (_("Investment by source"), investment_sources(r, lang)),
        ]
    return {
        "year": year,
        "quarter": quarter,
        "band": band,
        "figures": figures,
        "spent_to_date": None if df is None or not len(df) else df.iloc[0]["spent_to_date_idr"],
        "charts": charts.monitoring_charts(report, lang, city_kode=kode),
        "warnings": [w.message(lang) for w in report.warnings][:10],
    }


@login_required
@require_safe
def city_dashboard(request: HttpRequest, kode: str) -> HttpResponse:
    city = visible_city(request, kode)
    lang = page_lang()
    result = plan_result(kode)
    retro_heading, retro_lines = retrospective_summary(result, lang)
    all_specs = charts.all_charts(result, lang, kode=kode)
    headline_specs = {k: v for k, v in all_specs.items() if k.startswith("headline:")}
    other = ("ladder", "waste", "funding", "programme_funding")
    other_specs = {k: all_specs[k] for k in other if k in all_specs}
    tiles = tile_chart(result, lang)
    if tiles is not None:
        other_specs["tiles"] = tiles
    geo = map_chart(result, visible_boundaries(request.user, kode), lang)
    if geo is not None:  # kelurahan with an uploaded boundary; the tile grid stays
        other_specs["map"] = geo
    ghg = ghg_panel(result, kode, lang)
    ghg_specs = {"ghg": all_specs["ghg_summary"]} if "ghg_summary" in all_specs else {}
    year, quarter = parse_period(request.GET, default_period(kode))
    panel = monitoring_panel(kode, year, quarter, lang)
    chart_specs: dict[str, Any] = {**headline_specs, **other_specs, **ghg_specs}
    if panel is not None:
        chart_specs.update({f"monitoring:{k}": v for k, v in panel["charts"].items()})
    context = {
        "city": city,
        "years": years(result),
        "headline": headline_rows(result, kode, lang),
        "retro_heading": retro_heading,
        "retro_lines": retro_lines,
        "headline_keys": list(headline_specs),
        "other_keys": list(other_specs),
        "monitoring": panel,
        "monitoring_keys": [f"monitoring:{k}" for k in (panel or {}).get("charts", {})],
        "costs": cost_rows(result, lang),
        "ghg": ghg,
        "ghg_keys": list(ghg_specs),
        "warnings": [w.message(lang) for w in result.warnings],
        "target_sets": result.target_sets,
        "charts": {"specs": chart_specs, "options": charts.embed_options(lang)},
        "quarters": (1, 2, 3, 4),
        "reads_history": can_read_history(request.user, kode),
    }
    return render(request, "web/city_dashboard.html", context)


# --------------------------------------------------------------------------- downloads


def _file(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _xlsx_bytes(write: Callable[[Path], None]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="sanitasi-") as tmp:
        path = Path(tmp) / "report.xlsx"
        write(path)
        return path.read_bytes()


def html_to_pdf(html: str) -> bytes:
    """The HTML rendered to PDF by WeasyPrint. WeasyPrint runs no JavaScript, so the page
    must be a report's print mode (``static_charts=True``: charts already drawn as inline
    SVG by vl-convert, A4 page CSS)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@login_required
@require_safe
def plan_download(request: HttpRequest, kode: str, fmt: str) -> HttpResponse:
    city = visible_city(request, kode)
    lang = page_lang()
    result = plan_result(kode)
    stem = f"ssk-{slugify(city.nama) or kode}"
    if fmt == "html":
        html = download(kode, "plan.html", lambda: render_html(result, lang), lang)
        return _file(html, "text/html; charset=utf-8", f"{stem}.html")
    if fmt == "xlsx":
        body = download(
            kode, "plan.xlsx", lambda: _xlsx_bytes(lambda p: write_xlsx(result, p, lang)), lang
        )
        return _file(body, XLSX, f"{stem}.xlsx")
    if fmt == "pdf":
        if not pdf_available():
            return HttpResponse(_("PDF export is not installed."), status=501)
        pdf = download(
            kode,
            "plan.pdf",
            lambda: html_to_pdf(render_html(result, lang, inline_js=False, static_charts=True)),
            lang,
        )
        return _file(pdf, "application/pdf", f"{stem}.pdf")
    raise Http404("unknown format")


def _document(kode: str, lang: str) -> Any:
    """The SSK document tree of the city's cached plan (the document inputs stored at load;
    :func:`sanitasi.app.document.with_document`)."""
    from sanitasi.app.document import with_document
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.document import build_document
    from sanitasi.web.plans.results import PlanUnavailable
    from sanitasi.web.plans.source import DatabaseSource

    result = plan_result(kode)
    try:
        report = with_document(result, DatabaseSource(kode))
    except InputErrors as exc:  # stored document files the checks refuse: say so (503)
        raise PlanUnavailable(kode, tuple(errors_of(exc.problems))) from None
    return build_document(report.result, report.inputs, lang)


@login_required
@require_safe
def document_download(request: HttpRequest, kode: str, fmt: str) -> HttpResponse:
    """The SSK document (Bab I-VI, memorandum, lampiran): ``ssk.docx`` (editable Word) or
    ``ssk.pdf``; cached per city, language and data version like the plan downloads."""
    city = visible_city(request, kode)
    lang = page_lang()
    stem = f"ssk-{slugify(city.nama) or kode}"
    if fmt == "docx":
        from sanitasi.reports.document import docx_bytes

        body = download(kode, "ssk.docx", lambda: docx_bytes(_document(kode, lang)), lang)
        return _file(body, DOCX, f"{stem}.docx")
    if fmt == "pdf":
        if not pdf_available():
            return HttpResponse(_("PDF export is not installed."), status=501)
        from sanitasi.reports.document import document_pdf

        pdf = download(kode, "ssk.pdf", lambda: document_pdf(_document(kode, lang)), lang)
        return _file(pdf, "application/pdf", f"{stem}-dokumen.pdf")
    raise Http404("unknown format")


@login_required
@require_safe
def monitoring_download(request: HttpRequest, kode: str, fmt: str) -> HttpResponse:
    city = visible_city(request, kode)
    lang = page_lang()
    year, quarter = parse_period(request.GET, default_period(kode))
    report = monitoring_report(kode, year, quarter)
    if report is None:
        raise Http404("the city has no programme matrix")
    stem = f"monitoring-{slugify(city.nama) or kode}-{year}-q{quarter}"
    period = (lang, year, quarter)
    if fmt == "html":
        html = download(
            kode, "monitoring.html", lambda: render_monitoring_html(report, lang), *period
        )
        return _file(html, "text/html; charset=utf-8", f"{stem}.html")
    if fmt == "xlsx":
        body = download(
            kode,
            "monitoring.xlsx",
            lambda: _xlsx_bytes(lambda p: write_monitoring_xlsx(report, p, lang)),
            *period,
        )
        return _file(body, XLSX, f"{stem}.xlsx")
    if fmt == "pdf":
        if not pdf_available():
            return HttpResponse(_("PDF export is not installed."), status=501)
        pdf = download(
            kode,
            "monitoring.pdf",
            lambda: html_to_pdf(
                render_monitoring_html(report, lang, inline_js=False, static_charts=True)
            ),
            *period,
        )
        return _file(pdf, "application/pdf", f"{stem}.pdf")
    raise Http404("unknown format")
