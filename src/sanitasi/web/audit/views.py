"""The change history of a city (koordinator and admin): who, when, what, before → after."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sanitasi.web.audit.history import describe, model_label
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.cities import visible_city
from sanitasi.web.scope import can_read_history

PER_PAGE = 50


@login_required
def city_audit(request: HttpRequest, kode: str) -> HttpResponse:
    city = visible_city(request, kode)
    if not can_read_history(request.user, kode):
        raise PermissionDenied(_("Only Bappeda and administrators read the change history."))
    qs = AuditEntry.objects.restrict(request.user).filter(city_kode=kode)
    models = sorted(set(qs.values_list("model", flat=True)))
    chosen = request.GET.get("model", "")
    if chosen in models:
        qs = qs.filter(model=chosen)
    else:
        chosen = ""
    page = Paginator(qs.select_related("user"), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "city": city,
        "page": page,
        "rows": describe(page.object_list),
        "models": [(m, model_label(m)) for m in models],
        "chosen": chosen,
    }
    return render(request, "web/audit.html", context)
