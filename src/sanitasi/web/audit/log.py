"""Recording changes: :func:`record`, :func:`snapshot` and the acting user.

The acting user is kept in a context variable: :class:`AuditUserMiddleware` sets it for each
request, :func:`acting_as` for scripts, services and tests. :func:`suspended` turns the
signals off (bulk loads write one ``load`` entry instead of one per row).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from sanitasi.web.audit.models import AuditEntry

_user: ContextVar[Any] = ContextVar("sanitasi_audit_user", default=None)
_suspended: ContextVar[bool] = ContextVar("sanitasi_audit_suspended", default=False)

BEFORE_ATTR = "_audit_before"
ACTION_ATTR = "_audit_action"


def current_user() -> Any:
    return _user.get()


def is_suspended() -> bool:
    return _suspended.get()


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute the changes made inside the block to ``user``."""
    token = _user.set(user)
    try:
        yield
    finally:
        _user.reset(token)


@contextmanager
def suspended() -> Iterator[None]:
    """Record nothing inside the block (the caller records a summary entry)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The row's concrete fields as JSON-safe values (foreign keys as their ids, NaN as null)."""
    data = {f.attname: _plain(f.value_from_object(obj)) for f in obj._meta.concrete_fields}
    extra = getattr(obj, "audit_extra", None)
    if callable(extra):
        data.update(extra())
    loaded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return loaded


def remember_before(obj: models.Model) -> None:
    """Keep the stored row's snapshot on ``obj`` for the next save's entry (once)."""
    if obj.pk is None or BEFORE_ATTR in obj.__dict__:
        return
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    obj.__dict__[BEFORE_ATTR] = None if stored is None else snapshot(stored)


def set_action(obj: models.Model, action: str) -> None:
    """Name the next save of ``obj`` (``submit``, ``verify``, ``return`` ...)."""
    obj.__dict__[ACTION_ATTR] = action


def _username(user: Any) -> str:
    getter: Callable[[], str] | None = getattr(user, "get_username", None)
    return getter() if getter is not None else ""


def record(
    user: Any,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    action: str | None = None,
) -> AuditEntry | None:
    """Write one audit entry for ``obj``; nothing when an update changed nothing.

    ``action`` defaults to ``create`` (no before), ``delete`` (no after) or ``update``.
    """
    from sanitasi.web.audit.models import AuditEntry

    if action is None:
        action = "create" if before is None else "delete" if after is None else "update"
        if action == "update" and before == after:
            return None
    who = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        city_kode=str(getattr(obj, "city_kode", "") or ""),
        user=who,
        username=_username(who) if who is not None else "",
        model=obj._meta.label_lower,
        object_pk=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        before=before,
        after=after,
    )


class AuditUserMiddleware:
    """Make ``request.user`` the acting user of every change made while serving a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _user.reset(token)
