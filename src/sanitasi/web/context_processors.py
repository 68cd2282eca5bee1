"""Template context of every page: demo banner flag, the user's role and visible cities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
        "user_role": scope.role if scope is not None else "",
        "nav_cities": cities,
    }
