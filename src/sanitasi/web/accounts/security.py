"""Account hardening (issue 12 item 5): login throttling with lockout, the demo accounts
switched off when a real city arrives, and the idle session timeout.

Login throttling is kept in the database (:class:`~sanitasi.web.accounts.models.LoginThrottle`,
one row per user name), so every gunicorn worker sees the same count. After
``SANITASI_LOGIN_MAX_FAILURES`` (default 5) wrong passwords in a row the user name is locked
for ``SANITASI_LOGIN_LOCKOUT_MINUTES`` (default 15): every login is refused, the right
password too, until the cool-off ends; a successful login resets the count. The lockout is
written to the audit log (model ``account``, action ``lockout``). The count is per user name
(not per address): a guesser spreading over many addresses is still stopped, at the price
that anyone can keep a known user name locked; the account's owner then waits or an admin
clears the row (Django admin, *Login throttles*).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

#: Audit ``model`` of the account events below.
ACCOUNT = "account"


def max_failures() -> int:
    return int(getattr(settings, "SANITASI_LOGIN_MAX_FAILURES", 5))


def lockout() -> dt.timedelta:
    return dt.timedelta(minutes=float(getattr(settings, "SANITASI_LOGIN_LOCKOUT_MINUTES", 15)))


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def is_locked(username: str | None) -> bool:
    """Whether ``username`` is locked out now."""
    from sanitasi.web.accounts.models import LoginThrottle

    row = LoginThrottle.objects.filter(username=_key(username)).first()
    return row is not None and row.locked_until is not None and row.locked_until > timezone.now()


def record_failure(username: str | None, request: Any = None) -> bool:
    """Count a wrong password for ``username``; lock it at the limit (audited). Returns
    whether the user name is locked now."""
    from sanitasi.web.accounts.models import LoginThrottle

    key = _key(username)
    if not key:
        return False
    now = timezone.now()
    with transaction.atomic():
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(username=key)
        if row.locked_until is not None and row.locked_until <= now:
            row.failures, row.locked_until = 0, None  # the cool-off is over: count anew
        row.failures += 1
        row.last_failure = now
        locked_now = row.locked_until is None and row.failures >= max_failures()
        if locked_now:
            until = now + lockout()
            row.locked_until = until
        row.save()
        if locked_now:
            audit_account_event(
                "lockout",
                key,
                {
                    "failures": row.failures,
                    "locked_until": until.isoformat(),
                    "address": _address(request),
                },
            )
    return row.locked_until is not None and row.locked_until > now


def record_success(username: str | None) -> None:
    from sanitasi.web.accounts.models import LoginThrottle

    LoginThrottle.objects.filter(username=_key(username)).delete()


def _address(request: Any) -> str:
    meta = getattr(request, "META", None) or {}
    return str(meta.get("REMOTE_ADDR", ""))


def audit_account_event(action: str, username: str, after: dict[str, Any]) -> None:
    """An audit entry about accounts (no city: admins read it in the admin's audit list)."""
    from sanitasi.web.audit.models import AuditEntry

    AuditEntry.objects.create(
        city_kode="",
        user=None,
        username="",
        model=ACCOUNT,
        object_pk=username[:64],
        object_repr=username[:200],
        action=action,
        after=after,
    )


def disable_demo_accounts(city_kode: str) -> tuple[str, ...]:
    """A real city is being loaded into a demo database: switch off every demo account
    (inactive, unusable password, API token deleted), clear the demo marker (the password
    ``demo`` opens nothing any more, the DEMO banner goes) and audit it. Returns the names
    of the accounts switched off."""
    from django.contrib.auth import get_user_model

    from sanitasi.web.accounts.demo import DEMO_USERS
    from sanitasi.web.audit.models import AuditEntry
    from sanitasi.web.models import DEMO_DATABASE, set_setting

    User = get_user_model()
    users = list(User.objects.filter(username__in=[d.username for d in DEMO_USERS]))
    names = []
    for u in users:
        u.is_active = False
        u.set_unusable_password()
        u.save()
        names.append(u.get_username())
    from sanitasi.web.api.models import ApiToken

    ApiToken.objects.filter(user__in=users).delete()
    set_setting(DEMO_DATABASE, False)
    AuditEntry.objects.create(
        city_kode=city_kode,
        model=ACCOUNT,
        object_pk="demo",
        object_repr="demo accounts",
        action="disable",
        after={"disabled": sorted(names), "reason": "a real city was loaded"},
    )
    return tuple(sorted(names))


class IdleTimeoutMiddleware:
    """Sign a user out after ``SANITASI_IDLE_MINUTES`` (default 30) without a request: the
    session stores the time of the last request; an older one ends the session (the next
    page sends the user to the login). The time is written at most once a minute (not a
    session write per request). The session cookie's own age (``SESSION_COOKIE_AGE``)
    bounds a session that is used all along."""

    KEY = "sanitasi_last_seen"

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = timezone.now().timestamp()
            idle = float(getattr(settings, "SANITASI_IDLE_MINUTES", 30)) * 60
            last = request.session.get(self.KEY)
            if isinstance(last, int | float) and now - last > idle:
                from django.contrib.auth import logout

                logout(request)
            elif not isinstance(last, int | float) or now - last >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)


__all__ = [
    "ACCOUNT",
    "IdleTimeoutMiddleware",
    "audit_account_event",
    "disable_demo_accounts",
    "is_locked",
    "lockout",
    "max_failures",
    "record_failure",
    "record_success",
]
