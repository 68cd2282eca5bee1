"""Site-wide settings stored in the database (e.g. whether it is a demo database)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

DEMO_DATABASE = "demo_database"


class SiteSetting(models.Model):
    """A key with a JSON value. ``demo_database = true`` marks a database created with the
    demo: its pages show a DEMO banner and the password ``demo`` opens it."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    value = models.JSONField(_("value"), null=True, blank=True)

    class Meta:
        verbose_name = _("site setting")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return f"{self.key}={self.value!r}"


def get_setting(key: str, default: Any = None) -> Any:
    row = SiteSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return default if row is None else row


def set_setting(key: str, value: Any) -> None:
    SiteSetting.objects.update_or_create(key=key, defaults={"value": value})


def is_demo_database() -> bool:
    return get_setting(DEMO_DATABASE, False) is True
