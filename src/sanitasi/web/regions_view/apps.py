from __future__ import annotations

from django.apps import AppConfig


class RegionsViewConfig(AppConfig):
    name = "sanitasi.web.regions_view"
    label = "regions_view"
    verbose_name = "Province and national views"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from sanitasi.web.audit.models import AuditEntry
        from sanitasi.web.regions_view.summary import on_audit_entry

        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="regions-summary")
