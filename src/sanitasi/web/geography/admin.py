from __future__ import annotations

from django.contrib import admin

from sanitasi.web.geography.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "tingkat", "city_kode", "urban", "area_km2")
    list_filter = ("city_kode", "tingkat")
    search_fields = ("kode", "nama")
