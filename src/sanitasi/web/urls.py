"""URLs: login/logout (Django auth views), language switch, admin, home and city pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from sanitasi.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("cities/<str:kode>/", views.city_dashboard, name="city-dashboard"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
