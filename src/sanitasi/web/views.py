"""Pages of the foundation: home (the user's cities) and a health check (the city dashboard
is :mod:`sanitasi.web.plans.views`). Every query goes through
``objects.restrict(user, action)``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sanitasi.web import roles
from sanitasi.web.geography.models import Region
from sanitasi.web.scope import scope_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's landing page: the national page (national viewer), the province page
    (fasilitator); an opd user lands on its agency's "Tugas saya", a kecamatan user on its
    kecamatan dashboard (when that agency / kecamatan exists in its city); a user of one city
    on its dashboard; else the list of its cities."""
    s = scope_of(request.user)
    if s is not None and s.role == roles.NATIONAL:
        return redirect("national-page")
    if s is not None and s.role == roles.FASILITATOR and s.province_kode:
        if Region.objects.restrict(request.user).filter(tingkat="kabkota").exists():
            return redirect("province-page", kode=s.province_kode)
    cities = list(Region.objects.restrict(request.user).filter(tingkat="kabkota").order_by("kode"))
    if s is not None and s.city_kode in {c.kode for c in cities}:
        from sanitasi.web.programme.models import Agency

        if s.role == roles.KECAMATAN and s.kecamatan_kode:
            found = Region.objects.restrict(request.user).filter(
                city_kode=s.city_kode, kode=s.kecamatan_kode, tingkat="kecamatan"
            )
            if found.exists():
                return redirect("kecamatan-home", kode=s.city_kode, region_kode=s.kecamatan_kode)
        if s.role == roles.OPD and s.agency_code:
            mine = Agency.objects.filter(city_kode=s.city_kode, code=s.agency_code)
            if mine.exists():
                return redirect("agency-tasks", kode=s.city_kode, code=s.agency_code)
    if len(cities) == 1:
        return redirect("city-dashboard", kode=cities[0].kode)
    return render(request, "web/home.html", {"cities": cities})


def healthz(request: HttpRequest) -> HttpResponse:
    connection.ensure_connection()
    return HttpResponse("ok\n", content_type="text/plain")
