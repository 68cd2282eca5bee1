from __future__ import annotations

from django.contrib import admin

from sanitasi.web.programme import models as m


class SupportInline(admin.TabularInline):
    model = m.ActivitySupport
    extra = 0


class PlannedInline(admin.TabularInline):
    model = m.PlannedYear
    extra = 0


@admin.register(m.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "code", "name_id", "kind", "kode")
    list_filter = ("city_kode", "kind")


@admin.register(m.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "code", "sector", "lead_agency", "location", "state")
    list_filter = ("city_kode", "sector", "state")
    inlines = [SupportInline, PlannedInline]
