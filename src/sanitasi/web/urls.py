"""URLs: login/logout (Django auth views), language switch, admin, home and city pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from sanitasi.web import views
from sanitasi.web.api.endpoints import api
from sanitasi.web.api.index import api_index

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("", include("sanitasi.web.plans.urls")),
    path("", include("sanitasi.web.plans.edit_urls")),
    path("", include("sanitasi.web.plans.baseline_urls")),
    path("", include("sanitasi.web.plans.public_urls")),
    path("", include("sanitasi.web.programme.urls")),
    path("", include("sanitasi.web.geography.urls")),
    path("", include("sanitasi.web.monitoring.urls")),
    path("", include("sanitasi.web.audit.urls")),
    path("", include("sanitasi.web.work.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api_index, name="api-index"),
    path("api/", api.urls),
]
