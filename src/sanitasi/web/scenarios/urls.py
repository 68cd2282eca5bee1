"""The scenarios page of a city (issue 13 item 4)."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.scenarios import views

urlpatterns = [
    path("cities/<str:kode>/scenarios/", views.scenario_list, name="scenario-list"),
    path(
        "cities/<str:kode>/scenarios/<str:scenario>/edit/",
        views.scenario_edit,
        name="scenario-edit",
    ),
    path(
        "cities/<str:kode>/scenarios/<str:scenario>/delete/",
        views.scenario_delete,
        name="scenario-delete",
    ),
]
