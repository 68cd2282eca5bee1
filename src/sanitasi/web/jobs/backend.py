"""The task backend of Sanitasi: django-tasks-db's database backend (the queue is the table
``django_tasks_db_dbtaskresult``: status, arguments, return value, traceback), with three
ways of running what is queued (``SANITASI_TASKS``, settings ``TASKS["default"]["OPTIONS"]
["mode"]``):

``inline``
    the task runs in the caller's thread as it is queued (its row is ``SUCCESSFUL`` or
    ``FAILED`` when :meth:`enqueue` returns): tests, ``runserver``, the synchronous path.
``thread``
    once the caller's transaction commits, a thread of this process runs it (at most
    ``SANITASI_TASK_THREADS`` at once per process): the fallback for SQLite, where a second
    process writing the same file would only queue behind the web's writes.
``worker``
    the row waits for ``sanitasi worker`` (django-tasks-db's ``db_worker``: on PostgreSQL
    ``SELECT ... FOR UPDATE SKIP LOCKED``, so any number of workers on any number of hosts
    share one queue); ``sanitasi serve`` starts one.

Whichever runs it, the row is claimed first (``READY`` -> ``RUNNING`` in one exclusive
transaction), so a task runs once even when a thread and a worker both look at it.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django_tasks_db.backend import DatabaseBackend

log = logging.getLogger(__name__)

MODES = ("inline", "thread", "worker")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            from django.conf import settings

            _pool = ThreadPoolExecutor(
                max_workers=int(getattr(settings, "SANITASI_TASK_THREADS", 1)),
                thread_name_prefix="sanitasi-task",
            )
        return _pool


def run_queued(result_id: str, worker_id: str) -> bool:
    """Claim the task ``result_id`` if it is still ``READY`` and run it (django-tasks-db's
    worker: return value or traceback stored, signals sent). False when another runner has
    it already."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    rows = DBTaskResult.objects.ready().filter(id=result_id)
    with exclusive_transaction(rows.db):
        row = rows.get_locked()
        if row is not None:
            row.claim(worker_id)
    if row is None:
        return False
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=row.backend_name,
        startup_delay=False,
        max_tasks=1,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    runner.run_task(row)
    return True


def _run_in_thread(result_id: str) -> None:
    try:
        run_queued(result_id, f"thread-{threading.get_native_id()}")
    except Exception:  # the row stays as it was; the page shows it queued or running
        log.exception("task %s could not be run", result_id)
    finally:
        connections.close_all()  # this thread's connections


class SanitasiTaskBackend(DatabaseBackend):
    """:class:`django_tasks_db.DatabaseBackend` that also runs the task ``inline`` or in a
    ``thread`` (see the module docstring); ``worker`` leaves it to ``sanitasi worker``."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.mode = str(self.options.get("mode", "inline"))
        if self.mode not in MODES:
            raise ImproperlyConfigured(
                f"SANITASI_TASKS must be one of {', '.join(MODES)} (got {self.mode!r})"
            )

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        result: Any = super().enqueue(task, args, kwargs)
        if self.mode == "inline":
            run_queued(str(result.id), "inline")
            return self.get_result(str(result.id))
        if self.mode == "thread":
            rid = str(result.id)
            transaction.on_commit(lambda: _executor().submit(_run_in_thread, rid))
        return result


__all__ = ["MODES", "SanitasiTaskBackend", "run_queued"]
