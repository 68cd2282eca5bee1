"""City dashboard and report downloads."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.plans import views

urlpatterns = [
    path("cities/<str:kode>/", views.city_dashboard, name="city-dashboard"),
    path("cities/<str:kode>/downloads/plan.<str:fmt>", views.plan_download, name="plan-download"),
    path(
        "cities/<str:kode>/downloads/ssk.<str:fmt>",
        views.document_download,
        name="document-download",
    ),
    path("cities/<str:kode>/downloads/city.zip", views.city_export, name="city-export"),
    path(
        "cities/<str:kode>/downloads/monitoring.<str:fmt>",
        views.monitoring_download,
        name="monitoring-download",
    ),
]
