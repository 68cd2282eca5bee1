"""The change history page."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.audit import views

urlpatterns = [
    path("cities/<str:kode>/audit/", views.city_audit, name="city-audit"),
]
