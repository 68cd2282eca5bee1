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
    dashboard_parts_at,
)
from sanitasi.web.plans.results import (
    cached_download,
    data_version,
    download,
    monitoring_report,
    plan_result,
)
from sanitasi.web.plans.scoped import (
    WHOLE_CITY,
    ReportScope,
    report_scope,
    scope_monitoring,
    scope_plan,
)
from sanitasi.web.plans.source import DatabaseSource
from sanitasi.web.scope import can_read_history, scope_of
from sanitasi.web.shared import serves_stale

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def bad_period(exc: BadPeriod) -> HttpResponse:
    """400 with the reason a report period was refused."""
    return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")


@login_required
@require_safe
@serves_stale
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
    scope = report_scope(request.user, kode)
    # the version the parts were built at (the previous one while another worker builds a
    # new one: the page then says it is being updated); the map and body follow it
    parts, version = dashboard_parts_at(kode, lang, year, quarter, data_version(kode), scope)
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
    """The HTML rendered to PDF by WeasyPrint (:func:`sanitasi.reports.html.pdf_bytes`), the
    one renderer of every PDF download (plan, monitoring, SSK document). WeasyPrint runs no
    JavaScript, so the page must be a report's print mode (``static_charts=True``: charts
    already drawn as inline SVG by vl-convert, A4 page CSS)."""
    from sanitasi.reports.html import pdf_bytes

    return pdf_bytes(html)


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


#: The downloads that take seconds to render (WeasyPrint layout, the Word document): when
#: tasks are queued (``SANITASI_TASKS`` ``thread`` or ``worker``) a request for one that is
#: not rendered yet queues its rendering and answers with the progress page
#: (:mod:`sanitasi.web.jobs`); the others are rendered in the request.
QUEUED_DOWNLOADS: frozenset[tuple[str, str]] = frozenset(
    {("plan", "pdf"), ("ssk", "docx"), ("ssk", "pdf"), ("monitoring", "pdf")}
)


class ReportFile:
    """A rendered download: body, content type and file name."""

    def __init__(self, body: bytes | str, content_type: str, name: str) -> None:
        self.body, self.content_type, self.name = body, content_type, name

    def response(self) -> HttpResponse:
        return _file(self.body, self.content_type, self.name)


def _stem(kode: str) -> str:
    from sanitasi.web.geography.models import Region

    city = Region.objects.filter(city_kode=kode, kode=kode, tingkat="kabkota").first()
    return f"ssk-{slugify(city.nama if city else '') or kode}"


def download_key(
    kode: str, doc: str, fmt: str, lang: str, scope: ReportScope, period: tuple[int, int] | None
) -> tuple[str, tuple[Any, ...]]:
    """(name, extra) of a download in the ``downloads`` cache (:func:`results.download`)."""
    if doc == "monitoring":
        assert period is not None
        return f"monitoring.{fmt}", (lang, *period, scope.key)
    return f"{doc}.{fmt}", (lang, scope.key)


def render_report(
    user: Any, kode: str, doc: str, fmt: str, lang: str, period: tuple[int, int] | None = None
) -> ReportFile:
    """The download ``doc`` (``plan``, ``ssk``, ``monitoring``) in ``fmt`` for ``user``
    (narrowed to what ``user`` may see), rendered once per data version into the
    ``downloads`` cache: the view calls it in the request, the queued task
    (:func:`sanitasi.web.jobs.tasks.render_download`) in the background. Raises
    :class:`~django.http.Http404` for an unknown format or a city without a programme
    matrix (monitoring), :class:`PlanUnavailable` when the plan cannot be computed."""
    scope = report_scope(user, kode)
    name, extra = download_key(kode, doc, fmt, lang, scope, period)
    stem = _stem(kode)
    if doc == "plan":
        if fmt not in {"html", "xlsx", "pdf"}:
            raise Http404("unknown format")
        result = scope_plan(plan_result(kode), scope)
        if fmt == "html":
            html = download(kode, name, lambda: render_html(result, lang), *extra)
            return ReportFile(html, "text/html; charset=utf-8", f"{stem}.html")
        if fmt == "xlsx":
            body = download(
                kode, name, lambda: _xlsx_bytes(lambda p: write_xlsx(result, p, lang)), *extra
            )
            return ReportFile(body, XLSX, f"{stem}.xlsx")
        pdf = download(
            kode,
            name,
            lambda: html_to_pdf(render_html(result, lang, inline_js=False, static_charts=True)),
            *extra,
        )
        return ReportFile(pdf, "application/pdf", f"{stem}.pdf")
    if doc == "ssk":
        if fmt == "docx":
            from sanitasi.reports.document import docx_bytes

            body = download(kode, name, lambda: docx_bytes(_document(kode, lang, scope)), *extra)
            return ReportFile(body, DOCX, f"{stem}.docx")
        if fmt == "pdf":
            from sanitasi.reports.document import document_html

            pdf = download(
                kode, name, lambda: html_to_pdf(document_html(_document(kode, lang, scope))), *extra
            )
            return ReportFile(pdf, "application/pdf", f"{stem}-dokumen.pdf")
        raise Http404("unknown format")
    if doc != "monitoring" or fmt not in {"html", "xlsx", "pdf"} or period is None:
        raise Http404("unknown format")
    year, quarter = period
    report = scope_monitoring(monitoring_report(kode, year, quarter), scope)
    if report is None:
        raise Http404("the city has no programme matrix")
    mstem = f"monitoring-{stem.removeprefix('ssk-')}-{year}-q{quarter}"
    if fmt == "html":
        html = download(kode, name, lambda: render_monitoring_html(report, lang), *extra)
        return ReportFile(html, "text/html; charset=utf-8", f"{mstem}.html")
    if fmt == "xlsx":
        body = download(
            kode,
            name,
            lambda: _xlsx_bytes(lambda p: write_monitoring_xlsx(report, p, lang)),
            *extra,
        )
        return ReportFile(body, XLSX, f"{mstem}.xlsx")
    pdf = download(
        kode,
        name,
        lambda: html_to_pdf(
            render_monitoring_html(report, lang, inline_js=False, static_charts=True)
        ),
        *extra,
    )
    return ReportFile(pdf, "application/pdf", f"{mstem}.pdf")


def _deliver(
    request: HttpRequest, kode: str, doc: str, fmt: str, period: tuple[int, int] | None = None
) -> HttpResponse:
    """The download: from the cache or rendered now; or, for a heavy one
    (:data:`QUEUED_DOWNLOADS`) not rendered yet while tasks are queued, its rendering
    queued and the progress page (303 to the task's page)."""
    from sanitasi.web import jobs

    lang = page_lang()
    if fmt == "pdf" and not pdf_available():
        return HttpResponse(_("PDF export is not installed."), status=501)
    if (doc, fmt) in QUEUED_DOWNLOADS and jobs.queued():
        if doc == "monitoring" and not DatabaseSource(kode).has_programme():
            raise Http404("the city has no programme matrix")
        name, extra = download_key(kode, doc, fmt, lang, report_scope(request.user, kode), period)
        if cached_download(kode, name, *extra) is None:
            return jobs.queue_download(request, kode, doc, fmt, lang, period)
    return render_report(request.user, kode, doc, fmt, lang, period).response()


@login_required
@require_safe
def plan_download(request: HttpRequest, kode: str, fmt: str) -> HttpResponse:
    visible_city(request, kode)
    return _deliver(request, kode, "plan", fmt)


def _document(kode: str, lang: str, scope: ReportScope) -> Any:
    """The SSK document tree of the city's cached plan (the document inputs stored at load;
    :func:`sanitasi.app.document.with_document`), narrowed to ``scope``."""
    from sanitasi.app.document import with_document
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.document import build_document
    from sanitasi.web.plans.results import PlanUnavailable

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
    visible_city(request, kode)
    if fmt not in {"docx", "pdf"}:
        raise Http404("unknown format")
    return _deliver(request, kode, "ssk", fmt)


@login_required
@require_safe
def monitoring_download(request: HttpRequest, kode: str, fmt: str) -> HttpResponse:
    visible_city(request, kode)
    try:
        period = requested_period(request.GET, kode)
    except BadPeriod as exc:
        return bad_period(exc)
    if fmt not in {"html", "xlsx", "pdf"}:
        raise Http404("unknown format")
    return _deliver(request, kode, "monitoring", fmt, period)
