"""The audit entry."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanitasi.web.basemodels import KODE_LENGTH, RestrictedManager
from sanitasi.web.scope import AUDIT, RowScope

ACTIONS = [
    ("create", _("created")),
    ("update", _("changed")),
    ("delete", _("deleted")),
    ("submit", _("submitted")),
    ("verify", _("verified")),
    ("return", _("returned")),
    ("reopen", _("reopened")),
    ("load", _("loaded")),
    ("disable", _("disabled")),
    ("lockout", _("locked out")),
    ("revoke", _("revoked")),
]


class AuditEntry(models.Model):
    """One change: who, when, which row (model + primary key, in which city), the action and
    the row's fields before and after (JSON; ``None`` for a create's before / a delete's
    after)."""

    city_kode = models.CharField(_("city kode"), max_length=KODE_LENGTH, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    when = models.DateTimeField(_("when"), default=timezone.now)
    model = models.CharField(_("model"), max_length=100)
    object_pk = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=ACTIONS)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = RestrictedManager()
    row_scope: ClassVar[RowScope] = RowScope(AUDIT)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-when", "-id"]
        indexes = [
            models.Index(fields=["city_kode", "model", "object_pk"], name="audit_city_object"),
            models.Index(fields=["city_kode", "when"], name="audit_city_when"),
        ]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.username or '-'} {self.action} {self.model} {self.object_pk}"

    def changed_fields(self) -> dict[str, tuple[object, object]]:
        """Field -> (before, after) for the fields that differ."""
        before = self.before or {}
        after = self.after or {}
        keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
        return {k: (before.get(k), after.get(k)) for k in keys}
