"""URLs of the baseline screens: the table, in-place row editing, template and upload."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.plans import baseline

urlpatterns = [
    path("cities/<str:kode>/baseline/", baseline.baseline, name="baseline"),
    path(
        "cities/<str:kode>/baseline/template.xlsx",
        baseline.baseline_template,
        name="baseline-template",
    ),
    path("cities/<str:kode>/baseline/upload/", baseline.baseline_upload, name="baseline-upload"),
    path(
        "cities/<str:kode>/baseline/<str:region_kode>/<int:year>/",
        baseline.baseline_row,
        name="baseline-row",
    ),
]
