"""Serving and deleting evidence files.

``evidence_file`` answers only rows ``Evidence.objects.restrict(user)`` lets the user see
(404 otherwise, the same answer as a file that does not exist): images inline, PDF and XLSX
as downloads (``Content-Disposition: attachment``), always with
``X-Content-Type-Options: nosniff`` and the type read from the content at upload.
``evidence_delete`` removes a file of a draft (its uploader only) and answers like the other
realisation steps (the HTMX fragment or a redirect).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sanitasi.web import roles
from sanitasi.web.cities import visible_city
from sanitasi.web.evidence import service, storage
from sanitasi.web.evidence.models import Evidence
from sanitasi.web.monitoring import views as realisation_views
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.monitoring.workflow import WorkflowError


def _evidence(request: HttpRequest, kode: str, pk: int) -> Evidence:
    ev = (
        Evidence.objects.restrict(request.user)
        .filter(city_kode=kode, pk=pk)
        .select_related("realisation", "realisation__activity")
        .first()
    )
    if ev is None:
        raise Http404("no such evidence file")
    return ev


@login_required
@require_safe
def evidence_file(request: HttpRequest, kode: str, pk: int) -> FileResponse:
    visible_city(request, kode)
    ev = _evidence(request, kode, pk)
    try:
        path = storage.path_of(ev.stored)
        handle = path.open("rb")
    except (ValueError, OSError):
        raise Http404("evidence file missing") from None
    response = FileResponse(
        handle,
        content_type=ev.content_type,
        as_attachment=not ev.image,
        filename=ev.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    city = visible_city(request, kode)
    if not Realisation.objects.restrict(request.user, roles.CHANGE).filter(city_kode=kode).exists():
        # a role that enters no realisation here (Bappeda, viewers, ...) deletes no evidence
        raise PermissionDenied(_("You may not change this realisation."))
    ev = _evidence(request, kode, pk)
    r = ev.realisation
    try:
        service.delete(request.user, ev)
    except WorkflowError as e:
        return realisation_views.render_app(
            request, city, status=409, notice=str(e), step_error=True
        )
    return realisation_views.render_editor(request, city, r.pk, notice=_("Attachment deleted."))
