"""ApiToken: one bearer token per user, stored as a SHA-256 hash (shown once when issued),
valid for ``SANITASI_API_TOKEN_DAYS`` days (default 90), revoked by ``api_token --revoke`` and
deleted when the user's password changes (:func:`revoke_on_password_change`)."""

from __future__ import annotations

import datetime as dt
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
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @classmethod
    def issue(cls, user: Any) -> str:
        """A new token for ``user`` (replacing any previous one); returns the raw token."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = timezone.now()
        cls.objects.update_or_create(
            user=user,
            defaults={
                "key_hash": token_hash(raw),
                "prefix": raw[: len(TOKEN_PREFIX) + 6],
                "created_at": now,
                "last_used_at": None,
                "expires_at": now + token_lifetime(),
            },
        )
        return raw

    @classmethod
    def user_for(cls, raw: str) -> Any:
        """The active user owning token ``raw`` (not expired), or ``None``."""
        if not raw.startswith(TOKEN_PREFIX):
            return None
        token = cls.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.expires_at is None or token.expires_at <= now:
            return None
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


def token_lifetime() -> dt.timedelta:
    """How long a new token is valid: ``SANITASI_API_TOKEN_DAYS`` (default 90) days."""
    from django.conf import settings as django_settings

    return dt.timedelta(days=float(getattr(django_settings, "SANITASI_API_TOKEN_DAYS", 90)))


def revoke_on_password_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_save of the user model: a changed password hash deletes the user's API token
    (a stolen token dies with the password). A user not saved yet has no token."""
    fields = kwargs.get("update_fields")
    if instance.pk is None or (fields is not None and "password" not in fields):
        return
    old = type(instance)._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    before = old.first()
    if before is not None and before != instance.password:
        deleted, _rows = ApiToken.objects.filter(user_id=instance.pk).delete()
        if deleted:
            from sanitasi.web.accounts.security import audit_account_event

            audit_account_event(
                "revoke", instance.get_username(), {"api_token": "password changed"}
            )
