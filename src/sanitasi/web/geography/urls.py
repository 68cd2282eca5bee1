"""Boundaries of a city's kelurahan/desa: the page, the GeoJSON upload and clearing."""

from __future__ import annotations

from django.urls import URLPattern, path

from sanitasi.web.geography import views

urlpatterns: list[URLPattern] = [
    path("cities/<str:kode>/boundaries/", views.boundaries, name="boundaries"),
    path(
        "cities/<str:kode>/boundaries/upload/",
        views.boundaries_upload,
        name="boundaries-upload",
    ),
    path(
        "cities/<str:kode>/boundaries/clear/",
        views.boundaries_clear,
        name="boundaries-clear",
    ),
]
