"""URLs of this screen group (filled by the views that use them)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
