from __future__ import annotations

from django.contrib import admin

from sanitasi.web.plans import models as m


@admin.register(m.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "code", "base_year", "horizon", "is_active", "version")


@admin.register(m.Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "region", "year", "indicator", "value", "status")
    list_filter = ("city_kode", "indicator", "year")


@admin.register(m.TargetSet)
class TargetSetAdmin(admin.ModelAdmin):
    list_display = ("code", "city_kode", "name")


@admin.register(m.TargetPoint)
class TargetPointAdmin(admin.ModelAdmin):
    list_display = ("target_set", "indicator", "year", "kind", "value", "city_kode")
    list_filter = ("target_set__code", "indicator")


@admin.register(m.ParameterOverride)
class ParameterOverrideAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "plan", "name", "value_num", "value_text", "status")


@admin.register(m.Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "code", "type", "region", "capacity", "capacity_unit")
    list_filter = ("city_kode", "type")
