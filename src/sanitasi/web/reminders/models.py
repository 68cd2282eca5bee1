"""Notification: one reminder for one user (the in-app inbox; also e-mailed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.web.basemodels import KODE_LENGTH

DUE = "due"
RETURNED = "returned"
WAITING = "waiting"
OVERDUE = "overdue"
KIND_CHOICES = [
    (DUE, _("report due")),
    (RETURNED, _("report returned")),
    (WAITING, _("report waiting for verification")),
    (OVERDUE, _("action item overdue")),
]


class Notification(models.Model):
    """A reminder of one event for one user. ``key`` names the event (e.g.
    ``returned:<audit entry id>``): unique per user, so running the reminders again never
    sends the same one twice. ``params`` hold what the message says (rendered in the
    reader's language); ``url`` the page where the user acts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    key = models.CharField(_("event"), max_length=200)
    city_kode = models.CharField(_("city kode"), max_length=KODE_LENGTH, blank=True)
    params = models.JSONField(_("details"), default=dict)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_user_event_uniq"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
