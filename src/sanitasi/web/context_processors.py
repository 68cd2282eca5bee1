"""Template context of every page: demo banner flag, the user's role and visible cities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sanitasi.web import roles
from sanitasi.web.models import is_demo_database
from sanitasi.web.scope import scope_of


def site(request: HttpRequest) -> dict[str, Any]:
    from sanitasi.web.geography.models import Region

    user = getattr(request, "user", None)
    scope = scope_of(user)
    cities: list[tuple[str, str]] = []
    if scope is not None:
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
        # the user's own pages (Tugas saya, the kecamatan dashboard) in the city navigation
        "user_agency_code": "" if scope is None else scope.agency_code,
        "user_kecamatan_kode": "" if scope is None else scope.kecamatan_kode,
        "user_city_kode": "" if scope is None else scope.city_kode,
    }
