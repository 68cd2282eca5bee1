"""Background tasks of the web application (issue 12 item 4): heavy downloads (PDF, DOCX)
and the plan precomputed after a save run in a task queue, not in the request.

The queue is django-tasks (the backport of Django 6's ``django.tasks``) with the
django-tasks-db backend: a table of the database, PostgreSQL-backed when the database is
PostgreSQL (``sanitasi worker`` processes on any host take tasks with ``SKIP LOCKED``),
run by a thread of the web process on SQLite, and inline (synchronously) in tests and the
CLI (:mod:`.backend`, ``SANITASI_TASKS``). A queued download answers with a progress page
that polls the task's status (HTMX, :mod:`.views`): queued, running, done (the download
link appears), failed (the reason in the page's language).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone


def mode() -> str:
    """``inline``, ``thread`` or ``worker`` (``SANITASI_TASKS``)."""
    return str(getattr(settings, "SANITASI_TASKS", "inline") or "inline")


def queued() -> bool:
    """True when heavy work is queued (``thread`` or ``worker``), not done in the request."""
    return mode() != "inline"


def _key(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def stale_after() -> dt.timedelta:
    """A task running longer than this (``SANITASI_TASK_STALE_MINUTES``, 30) is taken as
    interrupted (its process died): the page says so and a new request queues it again."""
    return dt.timedelta(minutes=float(getattr(settings, "SANITASI_TASK_STALE_MINUTES", 30)))


def is_stale(row: Any) -> bool:
    """Whether ``row`` is a ``RUNNING`` task started longer than :func:`stale_after` ago."""
    return (
        str(row.status) == "RUNNING"
        and row.started_at is not None
        and row.started_at < timezone.now() - stale_after()
    )


def pending(task_path: str, key: str) -> Any:
    """The queued, or running and not stale, task of ``task_path`` with ``key``, if any."""
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path=task_path, args_kwargs__kwargs__key=key)
        .filter(
            Q(status="READY") | Q(status="RUNNING", started_at__gte=timezone.now() - stale_after())
        )
        .order_by("enqueued_at")
        .first()
    )


def queue_download(
    request: HttpRequest, kode: str, doc: str, fmt: str, lang: str, period: tuple[int, int] | None
) -> HttpResponse:
    """Queue the rendering of a download for ``request.user`` (unless the same user's same
    download is queued already) and send the browser to its progress page."""
    from sanitasi.web.jobs.tasks import render_download

    back = request.get_full_path()
    key = _key("download", request.user.pk, kode, doc, fmt, lang, period)
    found = pending(render_download.module_path, key)
    if found is not None:
        task_id = str(found.id)
    else:
        result = render_download.enqueue(
            key=key,
            user_id=int(str(request.user.pk)),
            kode=kode,
            doc=doc,
            fmt=fmt,
            lang=lang,
            period=list(period) if period else None,
            back=back,
        )
        task_id = str(result.id)
    return redirect("task-page", task_id=task_id)


def queue_warm(kode: str) -> None:
    """Queue the precomputation of ``kode`` after a save (once: a save while one is queued
    and not started adds nothing; the queued one will see the newest data)."""
    from django_tasks_db.models import DBTaskResult

    from sanitasi.web.jobs.tasks import warm_city

    key = _key("warm", kode)
    waiting = DBTaskResult.objects.filter(
        task_path=warm_city.module_path, status="READY", args_kwargs__kwargs__key=key
    )
    if not waiting.exists():
        warm_city.enqueue(key=key, kode=kode)


__all__ = [
    "is_stale",
    "mode",
    "pending",
    "queue_download",
    "queue_warm",
    "queued",
    "stale_after",
]
