from __future__ import annotations

from django.contrib import admin

from sanitasi.web.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("when", "username", "action", "model", "object_pk", "city_kode")
    list_filter = ("action", "model", "city_kode")
    search_fields = ("object_pk", "object_repr", "username")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
