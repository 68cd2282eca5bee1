"""Site-wide settings stored in the database (e.g. whether it is a demo database), and the
uploads waiting for a queued import task (:class:`QueuedUpload`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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


class QueuedUpload(models.Model):
    """An uploaded file waiting for the queued task that checks and saves it
    (:func:`sanitasi.web.jobs.queue_import`): kept in the database, like the task queue
    itself, so a ``sanitasi worker`` on any host reads it. The task deletes it when it has
    run; one left by a task that never ran is deleted a day later
    (:data:`sanitasi.web.jobs.UPLOAD_KEPT`)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    city_kode = models.CharField(_("city kode"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32)
    name = models.CharField(_("file name"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("queued upload")
        verbose_name_plural = _("queued uploads")

    def __str__(self) -> str:
        return f"{self.kind} {self.city_kode} {self.name}"
