"""Tugas saya (an agency's year), the kecamatan dashboard and the completeness grid."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.work import views

urlpatterns = [
    path("cities/<str:kode>/agency/<str:code>/", views.agency_tasks, name="agency-tasks"),
    path(
        "cities/<str:kode>/kecamatan/<str:region_kode>/",
        views.kecamatan_home,
        name="kecamatan-home",
    ),
    path("cities/<str:kode>/reporting/", views.reporting_grid, name="reporting-grid"),
]
