"""Programme matrix, activity pages and the review of proposals."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.programme import views

urlpatterns = [
    path("cities/<str:kode>/programme/", views.programme_list, name="programme-list"),
    path("cities/<str:kode>/programme/new/", views.activity_new, name="activity-new"),
    path(
        "cities/<str:kode>/programme/effect-preview/",
        views.effect_preview,
        name="effect-preview",
    ),
    path(
        "cities/<str:kode>/programme/<str:code>/",
        views.activity_detail,
        name="activity-detail",
    ),
    path(
        "cities/<str:kode>/programme/<str:code>/edit/",
        views.activity_edit,
        name="activity-edit",
    ),
    path(
        "cities/<str:kode>/programme/<str:code>/adopt/",
        views.activity_adopt,
        name="activity-adopt",
    ),
    path(
        "cities/<str:kode>/programme/<str:code>/reject/",
        views.activity_reject,
        name="activity-reject",
    ),
]
