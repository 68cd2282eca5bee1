"""The progress page of a queued task and its status fragment."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.jobs import views

urlpatterns = [
    path("tasks/<str:task_id>/", views.task_page, name="task-page"),
    path("tasks/<str:task_id>/status/", views.task_status, name="task-status"),
]
