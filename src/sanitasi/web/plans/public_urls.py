"""The public page of published indicators (no login): :mod:`sanitasi.web.plans.public`."""

from __future__ import annotations

from django.urls import URLPattern, path

from sanitasi.web.plans import public

urlpatterns: list[URLPattern] = [
    path("public/", public.public_home, name="public-home"),
    path("public/<str:kode>/", public.public_city, name="public-city"),
]
