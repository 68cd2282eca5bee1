"""ApiToken: one bearer token per user, stored as a SHA-256 hash (shown once when issued)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Issued tokens start with this prefix (easy to spot in logs and secret scanners).
TOKEN_PREFIX = "sst_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """The user's API token (``Authorization: Bearer <token>``). Only the hash is stored;
    issuing a new token replaces the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_token",
    )
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token prefix"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @classmethod
    def issue(cls, user: Any) -> str:
        """A new token for ``user`` (replacing any previous one); returns the raw token."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user,
            defaults={
                "key_hash": token_hash(raw),
                "prefix": raw[: len(TOKEN_PREFIX) + 6],
                "created_at": timezone.now(),
                "last_used_at": None,
            },
        )
        return raw

    @classmethod
    def user_for(cls, raw: str) -> Any:
        """The active user owning token ``raw``, or ``None``."""
        if not raw.startswith(TOKEN_PREFIX):
            return None
        token = cls.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
