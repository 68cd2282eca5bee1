"""Quarterly realisation screens."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.monitoring import views

urlpatterns = [
    path("cities/<str:kode>/realisation/", views.realisation_list, name="realisation-list"),
    path(
        "cities/<str:kode>/realisation/new/<str:code>/",
        views.realisation_new,
        name="realisation-new",
    ),
    path(
        "cities/<str:kode>/realisation/<int:pk>/edit/",
        views.realisation_edit,
        name="realisation-edit",
    ),
    path(
        "cities/<str:kode>/realisation/<int:pk>/submit/",
        views.realisation_submit,
        name="realisation-submit",
    ),
    path(
        "cities/<str:kode>/realisation/<int:pk>/verify/",
        views.realisation_verify,
        name="realisation-verify",
    ),
    path(
        "cities/<str:kode>/realisation/<int:pk>/return/",
        views.realisation_return,
        name="realisation-return",
    ),
]
