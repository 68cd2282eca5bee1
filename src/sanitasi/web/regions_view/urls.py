from __future__ import annotations

from django.urls import path

from sanitasi.web.regions_view import views

urlpatterns = [
    path("provinces/<str:kode>/", views.province_page, name="province-page"),
    path("national/", views.national_page, name="national-page"),
]
