from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    name = "sanitasi.web.geography"
    label = "geography"
    verbose_name = _("Geography")
    default_auto_field = "django.db.models.BigAutoField"
