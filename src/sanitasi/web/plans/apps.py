from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _audit_entry_saved(sender: Any, **kwargs: Any) -> None:
    """A data change (every one writes an audit entry): precompute the city's new plan
    version after the commit when ``SANITASI_PRECOMPUTE`` is on (``results.on_audit_entry``,
    imported here only when needed: it loads the engine)."""
    from django.conf import settings

    if getattr(settings, "SANITASI_PRECOMPUTE", False):
        from sanitasi.web.plans.results import on_audit_entry

        on_audit_entry(sender, **kwargs)


class PlansConfig(AppConfig):
    name = "sanitasi.web.plans"
    label = "plans"
    verbose_name = _("Plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_save.connect(
            _audit_entry_saved, sender="audit.AuditEntry", dispatch_uid="sanitasi_precompute"
        )
