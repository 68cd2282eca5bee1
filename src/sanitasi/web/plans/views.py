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

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanitasi.reports.html import render_html
from sanitasi.reports.monitoring import (
    render_monitoring_html,
    write_monitoring_xlsx,
)
from sanitasi.reports.xlsx import write_xlsx
from sanitasi.web import roles
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.monitoring.period import BadPeriod, requested_period
from sanitasi.web.plans.dashboard import (
    charts_json,
    dashboard_body,
    dashboard_map,
    dashboard_parts,
)
from sanitasi.web.plans.results import data_version, download, monitoring_report, plan_result
from sanitasi.web.plans.scoped import (
    WHOLE_CITY,
    ReportScope,
    report_scope,
    scope_monitoring,
    scope_plan,
)
from sanitasi.web.scope import can_read_history, scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def bad_period(exc: BadPeriod) -> HttpResponse:
    """400 with the reason a report period was refused."""
    return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")


@login_required
@require_safe
def city_dashboard(request: HttpRequest, kode: str) -> HttpResponse:
    """The dashboard: the city's figures and charts (:func:`dashboard_parts`, computed once
    per data version, language and period for every worker), the map of the boundaries the
    user may see, and the links of the user's role. Below the city navigation the page is
    the same for every user with the same history link and map: rendered once
    (:func:`dashboard_body`)."""
    city = visible_city(request, kode)
    lang = page_lang()
    try:
        year, quarter = requested_period(request.GET, kode)
    except BadPeriod as exc:
        return bad_period(exc)
    version = data_version(kode)
    scope = report_scope(request.user, kode)
    parts = dashboard_parts(kode, lang, year, quarter, version, scope)
    reads_history = can_read_history(request.user, kode)
    geo_key, geo = dashboard_map(request.user, kode, lang, version)
    other_specs = dict(parts["other_specs"])
    if geo is not None:  # kelurahan with an uploaded boundary; the tile grid stays
        other_specs["map"] = geo
    panel = parts["monitoring"]
    context = {
        "city": city,
        "years": parts["years"],
        "headline": parts["headline"],
        "retro_heading": parts["retro_heading"],
        "retro_lines": parts["retro_lines"],
        "headline_keys": list(parts["headline_specs"]),
        "other_keys": list(other_specs),
        "monitoring": panel,
        "monitoring_keys": [f"monitoring:{k}" for k in (panel or {}).get("charts", {})],
        "costs": parts["costs"],
        "needs_years": parts.get("needs_years"),
        "funding_years": parts.get("funding_years"),
        "raci": parts.get("raci"),
        "ghg": parts["ghg"],
        "ghg_keys": parts["ghg_keys"],
        "warnings": parts["warnings"],
        "target_sets": parts["target_sets"],
        "quarters": (1, 2, 3, 4),
        "reads_history": reads_history,
    }
    context["exports_city"] = exports_city(request.user, kode)
    context["body"] = dashboard_body(
        context,
        lambda: charts_json(parts, other_specs, lang),
        (kode, lang, year, quarter, reads_history, geo_key, scope.key),
        version,
    )
    return render(request, "web/city_dashboard.html", context)


# --------------------------------------------------------------------------- downloads


def _file(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def exports_city(user: Any, kode: str) -> bool:
    """Whether ``user`` may download the whole city (:func:`city_export`): Bappeda of this
    city or an administrator, and only while nothing of the city is hidden from them."""
    s = scope_of(user)
    if s is None:
        return False
    if s.role != roles.ADMIN and not (s.role == roles.KOORDINATOR and s.city_kode == kode):
        return False
    return report_scope(user, kode).key == WHOLE_CITY.key


@login_required
@require_safe
def city_export(request: HttpRequest, kode: str) -> HttpResponse:
    """The whole city as a ZIP city folder (:mod:`sanitasi.web.plans.export`), for the roles
    that see the whole city; others get 403. Built in memory: complete or not at all."""
    city = visible_city(request, kode)
    if not exports_city(request.user, kode):
        raise PermissionDenied(_("Only Bappeda and administrators download the whole city."))
    from sanitasi.web.plans.export import city_zip, folder_name

    body = city_zip(city.kode)
    return _file(body, "application/zip", f"{folder_name(city.kode)}.zip")


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
    scope = report_scope(request.user, kode)
    result = scope_plan(plan_result(kode), scope)
    stem = f"ssk-{slugify(city.nama) or kode}"
    if fmt == "html":
        html = download(kode, "plan.html", lambda: render_html(result, lang), lang, scope.key)
        return _file(html, "text/html; charset=utf-8", f"{stem}.html")
    if fmt == "xlsx":
        body = download(
            kode,
            "plan.xlsx",
            lambda: _xlsx_bytes(lambda p: write_xlsx(result, p, lang)),
            lang,
            scope.key,
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
            scope.key,
        )
        return _file(pdf, "application/pdf", f"{stem}.pdf")
    raise Http404("unknown format")


def _document(kode: str, lang: str, scope: ReportScope) -> Any:
    """The SSK document tree of the city's cached plan (the document inputs stored at load;
    :func:`sanitasi.app.document.with_document`), narrowed to ``scope``."""
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
    from sanitasi.web.plans.scoped import scope_inputs

    return build_document(
        scope_plan(report.result, scope), scope_inputs(report.inputs, scope), lang
    )


@login_required
@require_safe
def document_download(request: HttpRequest, kode: str, fmt: str) -> HttpResponse:
    """The SSK document (Bab I-VI, memorandum, lampiran): ``ssk.docx`` (editable Word) or
    ``ssk.pdf``; cached per city, language and data version like the plan downloads."""
    city = visible_city(request, kode)
    lang = page_lang()
    scope = report_scope(request.user, kode)
    stem = f"ssk-{slugify(city.nama) or kode}"
    if fmt == "docx":
        from sanitasi.reports.document import docx_bytes

        body = download(
            kode, "ssk.docx", lambda: docx_bytes(_document(kode, lang, scope)), lang, scope.key
        )
        return _file(body, DOCX, f"{stem}.docx")
    if fmt == "pdf":
        if not pdf_available():
            return HttpResponse(_("PDF export is not installed."), status=501)
        from sanitasi.reports.document import document_pdf

        pdf = download(
            kode, "ssk.pdf", lambda: document_pdf(_document(kode, lang, scope)), lang, scope.key
        )
        return _file(pdf, "application/pdf", f"{stem}-dokumen.pdf")
    raise Http404("unknown format")


@login_required
@require_safe
def monitoring_download(request: HttpRequest, kode: str, fmt: str) -> HttpResponse:
    city = visible_city(request, kode)
    lang = page_lang()
    try:
        year, quarter = requested_period(request.GET, kode)
    except BadPeriod as exc:
        return bad_period(exc)
    scope = report_scope(request.user, kode)
    report = scope_monitoring(monitoring_report(kode, year, quarter), scope)
    if report is None:
        raise Http404("the city has no programme matrix")
    stem = f"monitoring-{slugify(city.nama) or kode}-{year}-q{quarter}"
    period = (lang, year, quarter, scope.key)
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
