"""URLs: login/logout (Django auth views), language switch, admin, home and city pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, include, path

from sanitasi.web import views
from sanitasi.web.api.endpoints import api
from sanitasi.web.api.index import api_index


def _account_urls() -> list[URLPattern]:
    """Django's auth views: login, logout, password change; the password-reset pages only
    when mail is configured (``SANITASI_SMTP_HOST``): without mail a reset link could never
    arrive, and the pages would only tell a visitor which addresses have accounts."""
    from django.contrib.auth import urls as auth_urls

    reset = {
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
    keep = [p for p in auth_urls.urlpatterns if isinstance(p, URLPattern)]
    if getattr(settings, "SANITASI_PASSWORD_RESET", False):
        return keep
    return [p for p in keep if p.name not in reset]


account_urls = _account_urls()

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
    path("", include("sanitasi.web.evidence.urls")),
    path("", include("sanitasi.web.audit.urls")),
    path("", include("sanitasi.web.regions_view.urls")),
    path("", include("sanitasi.web.reminders.urls")),
    path("", include("sanitasi.web.work.urls")),
    path("", include("sanitasi.web.scenarios.urls")),
    path("", include("sanitasi.web.jobs.urls")),
    path("accounts/", include(account_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api_index, name="api-index"),
    path("api/", api.urls),
]
