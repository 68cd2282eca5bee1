"""Pages of the foundation: home (the user's cities), the city dashboard (placeholder with
the headline figures of ``run_plan``), a health check. Every query goes through
``objects.restrict(user, action)``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from sanitasi.reports.common import years
from sanitasi.web.geography.models import Region
from sanitasi.web.plans.dashboard import city_plan, headline_rows
from sanitasi.web.plans.models import Plan


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cities = list(Region.objects.restrict(request.user).filter(tingkat="kabkota").order_by("kode"))
    if len(cities) == 1:
        return redirect("city-dashboard", kode=cities[0].kode)
    return render(request, "web/home.html", {"cities": cities})


def healthz(request: HttpRequest) -> HttpResponse:
    connection.ensure_connection()
    return HttpResponse("ok\n", content_type="text/plain")


@login_required
def city_dashboard(request: HttpRequest, kode: str) -> HttpResponse:
    city = (
        Region.objects.restrict(request.user)
        .filter(city_kode=kode, kode=kode, tingkat="kabkota")
        .first()
    )
    if city is None or not Plan.objects.restrict(request.user).filter(city_kode=kode).exists():
        raise Http404("no such city")
    result = city_plan(kode)
    lang = translation.get_language() or "id"
    lang = "en" if lang.startswith("en") else "id"
    context = {
        "city": city,
        "years": years(result),
        "headline": headline_rows(result, kode, lang),
        "warnings": [w.message(lang) for w in result.warnings],
        "target_sets": result.target_sets,
    }
    return render(request, "web/city_dashboard.html", context)
