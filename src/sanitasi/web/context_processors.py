"""Template context of every page: demo banner flag, the user's role and visible cities (the
province or national page instead of the list for the fasilitator and the national viewer),
the number of unread reminders."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sanitasi.web import roles
from sanitasi.web.models import is_demo_database
from sanitasi.web.scope import scope_of
from sanitasi.web.shared import stale_served


def site(request: HttpRequest) -> dict[str, Any]:
    from sanitasi.web.geography.models import Region

    user = getattr(request, "user", None)
    scope = scope_of(user)
    cities: list[tuple[str, str]] = []
    region_link: tuple[str, str] | None = None
    unread = 0
    if scope is not None:
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from sanitasi.web.reminders.send import unread_count

        unread = unread_count(user)
        if scope.role == roles.NATIONAL:
            region_link = (reverse("national-page"), _("National view"))
        elif scope.role == roles.FASILITATOR and scope.province_kode:
            region_link = (reverse("province-page", args=[scope.province_kode]), _("Province"))
    if scope is not None and scope.role != roles.NATIONAL:
        cities = list(
            Region.objects.restrict(user)
            .filter(tingkat="kabkota")
            .order_by("kode")
            .values_list("kode", "nama")
        )
    return {
        "demo_database": is_demo_database(),
        "user_role": "" if scope is None else dict(roles.ROLE_CHOICES).get(scope.role, scope.role),
        "nav_cities": cities,
        "nav_region": region_link,
        "nav_unread": unread,
        # the user's own pages (Tugas saya, the kecamatan dashboard) in the city navigation
        "user_agency_code": "" if scope is None else scope.agency_code,
        "user_kecamatan_kode": "" if scope is None else scope.kecamatan_kode,
        "user_city_kode": "" if scope is None else scope.city_kode,
        # answered from the previous data version while the current one is being built
        # (sanitasi.web.shared.serves_stale): the page says so
        "data_updating": bool(stale_served()),
    }
