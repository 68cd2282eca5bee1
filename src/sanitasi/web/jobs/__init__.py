"""Background tasks of the web application (issue 12 item 4): heavy downloads (PDF, DOCX)
and the plan precomputed after a save run in a task queue, not in the request.

The queue is django-tasks (the backport of Django 6's ``django.tasks``) with the
django-tasks-db backend: a table of the database, PostgreSQL-backed when the database is
PostgreSQL (``sanitasi worker`` processes on any host take tasks with ``SKIP LOCKED``),
run by a thread of the web process on SQLite, and inline (synchronously) in tests and the
CLI (:mod:`.backend`, ``SANITASI_TASKS``). A queued download answers with a progress page
that polls the task's status (HTMX, :mod:`.views`): queued, running, done (the download
link appears), failed (the reason in the page's language).

Big imports too: a baseline workbook larger than ``SANITASI_QUEUE_IMPORT_BYTES`` is stored
in the database (:class:`~sanitasi.web.models.QueuedUpload`) and checked and saved by a task
(:func:`queue_import`); its progress page ends on the same result page as the request's
check (:func:`sanitasi.web.plans.baseline.upload_result`).
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


#: How long an upload whose task never ran is kept (a newer upload deletes older ones).
UPLOAD_KEPT = dt.timedelta(days=1)


def import_threshold() -> int:
    """Uploads larger than this many bytes are queued (``SANITASI_QUEUE_IMPORT_BYTES``,
    524288) when :func:`queued`."""
    return int(getattr(settings, "SANITASI_QUEUE_IMPORT_BYTES", 512 * 1024))


def queue_import(
    request: HttpRequest, kode: str, kind: str, name: str, data: bytes, lang: str, back: str
) -> HttpResponse:
    """Store the upload ``data`` (file ``name``) of ``request.user`` for city ``kode`` in the
    database and queue its check and save (:func:`sanitasi.web.jobs.tasks.import_upload`,
    ``kind`` says which import), unless the same user's same file for the same city is
    queued already (a second click); send the browser to the task's progress page. ``lang``
    is the page's language (the words the checks put into their messages); ``back`` the page
    the upload came from."""
    from sanitasi.web.jobs.tasks import import_upload
    from sanitasi.web.models import QueuedUpload

    digest = hashlib.sha256(data).hexdigest()
    key = _key("import", request.user.pk, kode, kind, digest)
    found = pending(import_upload.module_path, key)
    if found is not None:
        return redirect("task-page", task_id=str(found.id))
    QueuedUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_KEPT).delete()
    user_id = int(str(request.user.pk))
    stored = QueuedUpload.objects.create(
        user_id=user_id,
        city_kode=kode,
        kind=kind,
        name=name,
        size=len(data),
        sha256=digest,
        content=data,
    )
    result = import_upload.enqueue(
        key=key,
        user_id=user_id,
        kode=kode,
        kind=kind,
        upload_id=int(stored.pk),
        name=name,
        lang=lang,
        back=back,
    )
    return redirect("task-page", task_id=str(result.id))


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
    "UPLOAD_KEPT",
    "import_threshold",
    "is_stale",
    "mode",
    "pending",
    "queue_download",
    "queue_import",
    "queue_warm",
    "queued",
    "stale_after",
]
