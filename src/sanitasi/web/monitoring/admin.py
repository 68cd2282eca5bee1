from __future__ import annotations

from django.contrib import admin

from sanitasi.web.monitoring import models as m


@admin.register(m.Realisation)
class RealisationAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "activity", "year", "quarter", "state", "output_achieved")
    list_filter = ("city_kode", "state", "year", "quarter")


class ParticipantInline(admin.TabularInline):
    model = m.MeetingParticipant
    extra = 0


class ActionInline(admin.TabularInline):
    model = m.ActionItem
    extra = 0


@admin.register(m.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("city_kode", "code", "date", "kind", "milestone")
    inlines = [ParticipantInline, ActionInline]
