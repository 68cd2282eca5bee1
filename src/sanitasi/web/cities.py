"""The city a page is about: visible to the user (``restrict``) and loaded with a plan."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import translation

from sanitasi.web.geography.models import Region
from sanitasi.web.plans.models import Plan


def visible_city(request: HttpRequest, kode: str) -> Region:
    """The city region ``kode`` if the user may see it and it has a plan; else 404."""
    city = (
        Region.objects.restrict(request.user)
        .filter(city_kode=kode, kode=kode, tingkat="kabkota")
        .first()
    )
    if city is None or not Plan.objects.restrict(request.user).filter(city_kode=kode).exists():
        raise Http404("no such city")
    return city


def page_lang() -> str:
    """``id`` or ``en``: the language of the current request."""
    lang = translation.get_language() or "id"
    return "en" if lang.startswith("en") else "id"
