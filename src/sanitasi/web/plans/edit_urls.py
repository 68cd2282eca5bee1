"""Plan editing by Bappeda: settings and target sets, LOCAL sasaran, parameter overrides and
the indicators published on the public page (:mod:`sanitasi.web.plans.editing`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sanitasi.web.plans import editing

urlpatterns: list[URLPattern] = [
    path("cities/<str:kode>/plan/", editing.plan_settings, name="plan-settings"),
    path("cities/<str:kode>/plan/target-sets/", editing.plan_target_sets, name="plan-target-sets"),
    path("cities/<str:kode>/plan/publish/", editing.plan_publish, name="plan-publish"),
    path("cities/<str:kode>/plan/sasaran/", editing.plan_sasaran, name="plan-sasaran"),
    path("cities/<str:kode>/plan/parameters/", editing.plan_parameters, name="plan-parameters"),
    path(
        "cities/<str:kode>/plan/parameters/<str:name>/",
        editing.plan_parameter,
        name="plan-parameter",
    ),
]
