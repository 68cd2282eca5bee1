"""Quarterly realisation screens."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.monitoring import meetings, views

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
    path(
        "cities/<str:kode>/realisation/<int:pk>/reopen/",
        views.realisation_reopen,
        name="realisation-reopen",
    ),
    path(
        "cities/<str:kode>/realisation/<int:pk>/delete/",
        views.realisation_delete,
        name="realisation-delete",
    ),
    path("cities/<str:kode>/meetings/", meetings.meeting_list, name="meeting-list"),
    path("cities/<str:kode>/meetings/new/", meetings.meeting_new, name="meeting-new"),
    path("cities/<str:kode>/meetings/<str:code>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path(
        "cities/<str:kode>/meetings/<str:code>/delete/",
        meetings.meeting_delete,
        name="meeting-delete",
    ),
    path("cities/<str:kode>/actions/<int:pk>/edit/", meetings.action_edit, name="action-edit"),
    path(
        "cities/<str:kode>/actions/<int:pk>/delete/",
        meetings.action_delete,
        name="action-delete",
    ),
    path(
        "cities/<str:kode>/meetings/<str:code>/actions/new/",
        meetings.action_new,
        name="action-new",
    ),
    path(
        "cities/<str:kode>/actions/<int:pk>/done/",
        meetings.action_done,
        name="action-done",
    ),
]
