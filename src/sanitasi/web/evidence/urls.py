"""Evidence files of realisation rows."""

from __future__ import annotations

from django.urls import path

from sanitasi.web.evidence import views

urlpatterns = [
    path("cities/<str:kode>/evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path(
        "cities/<str:kode>/evidence/<int:pk>/delete/",
        views.evidence_delete,
        name="evidence-delete",
    ),
]
