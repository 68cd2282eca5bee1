"""Store the due reminders (no duplicate: one per user and event) and e-mail the new ones
through Django's e-mail backend (settings: a file or console backend by default, SMTP when
configured; README "Reminders")."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from sanitasi.web.reminders.messages import message, subject
from sanitasi.web.reminders.models import Notification
from sanitasi.web.reminders.rules import all_due

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    created: int
    emailed: int
    failed: int


def store(today: dt.date) -> list[Notification]:
    """Create the notifications of the events not yet notified (the unique key per user and
    event makes a second run, or a concurrent one, create nothing)."""
    due = all_due(today)
    if not due:
        return []
    users = {d.user_id for d in due}
    existing = set(Notification.objects.filter(user_id__in=users).values_list("user_id", "key"))
    new = []
    seen: set[tuple[int, str]] = set()
    for d in due:
        k = (d.user_id, d.key)
        if k in existing or k in seen:
            continue
        seen.add(k)
        new.append(
            Notification(
                user_id=d.user_id,
                kind=d.kind,
                key=d.key,
                city_kode=d.city_kode,
                params=d.params,
                url=d.url,
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    keys = {(n.user_id, n.key) for n in new}
    created = Notification.objects.filter(user_id__in={u for u, _k in keys}, emailed_at=None)
    return [n for n in created if (n.user_id, n.key) in keys]


def email_pending(lang: str | None = None) -> tuple[int, int]:
    """E-mail every notification not e-mailed yet to users with an address: one message per
    user listing them. Returns (e-mailed notifications, users whose sending failed; their
    notifications are tried again next time)."""
    lang = lang or settings.LANGUAGE_CODE
    pending = list(
        Notification.objects.filter(emailed_at=None)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "created_at", "id")
    )
    by_user: dict[int, list[Notification]] = {}
    for n in pending:
        by_user.setdefault(n.user_id, []).append(n)
    sent = failed = 0
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "sanitasi@localhost")
    with translation.override(lang):
        for items in by_user.values():
            user = items[0].user
            body = "\n\n".join(f"- {message(n)}\n  {n.url}" for n in items)
            try:
                send_mail(subject(len(items)), body, sender, [user.email])
            except Exception:  # SMTP down: keep them for the next run
                log.warning("e-mail to user %s failed", user.pk, exc_info=True)
                failed += 1
                continue
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                emailed_at=timezone.now()
            )
            sent += len(items)
    return sent, failed


def send_reminders(today: dt.date, *, email: bool = True) -> Sent:
    """Store the new reminders as of ``today`` and e-mail what is not e-mailed yet."""
    created = store(today)
    emailed = failed = 0
    if email:
        emailed, failed = email_pending()
    return Sent(len(created), emailed, failed)


def unread_count(user: object) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    pk = getattr(user, "pk", None)
    if pk is None:
        return 0
    return Notification.objects.filter(user_id=int(pk), read_at=None).count()


__all__ = ["Sent", "email_pending", "send_reminders", "store", "unread_count"]
