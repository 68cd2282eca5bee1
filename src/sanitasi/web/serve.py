"""Serve the web application with gunicorn (static files by WhiteNoise), not runserver.

:func:`serve` migrates the database, collects the static files into
``$SANITASI_HOME/static`` and runs gunicorn in-process (a ``BaseApplication``); the database
is ``DATABASE_URL`` (default: the embedded SQLite file). ``python -m sanitasi.web.serve
[--host H] [--port P] [--workers N] [--threads T]`` does the same from a shell.

Workers are gunicorn's ``gthread`` kind: ``--workers`` processes (``SANITASI_WORKERS``,
default ``min(4, 2 x cores + 1)``) of ``--threads`` threads each (``SANITASI_THREADS``,
default 4), so keep-alive connections and a slow download do not hold a whole process; each
process also has 2 threads that answer ``/healthz/`` only, so busy request threads never make
a health check wait (:mod:`sanitasi.web.health_worker`).
The plan runs are shared by the workers (:mod:`sanitasi.web.shared`) and precomputed after
a save (``SANITASI_PRECOMPUTE``, on unless set to ``0``).

Heavy work (PDF/DOCX downloads, the precomputation) goes to the task queue
(:mod:`sanitasi.web.jobs`): ``SANITASI_TASKS`` defaults to ``worker`` on PostgreSQL, and
:func:`serve` then starts ``--task-workers`` task worker processes (``sanitasi worker``;
``SANITASI_TASK_WORKERS``, default 1; 0 when systemd or another host runs them), stopped with
the server; on SQLite it defaults to ``thread`` (a thread of each web process runs them).
"""

from __future__ import annotations

import argparse
import atexit
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any

from gunicorn.app.base import BaseApplication


class ServeRefused(Exception):
    """The settings must not be served (exit code 2 with the reason)."""


def check_debug() -> None:
    """``SANITASI_DEBUG=1`` shows tracebacks, settings and SQL to every visitor: allowed on
    the demo database only. Raises :class:`ServeRefused` otherwise."""
    from django.conf import settings

    from sanitasi.web.models import is_demo_database

    if settings.DEBUG and not is_demo_database():
        raise ServeRefused(
            "SANITASI_DEBUG=1 is allowed only on the demo database: this database is not "
            "one (debug pages would show settings, SQL and data to any visitor). Unset "
            "SANITASI_DEBUG to serve it."
        )


class SanitasiApplication(BaseApplication):  # type: ignore[misc]
    """gunicorn running a ready WSGI application with the given settings."""

    def __init__(self, application: Callable[..., Any], options: Mapping[str, Any]) -> None:
        self.application = application
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Callable[..., Any]:
        return self.application


def default_workers() -> int:
    env = os.environ.get("SANITASI_WORKERS", "").strip()
    if env:
        return max(1, int(env))
    return min(4, 2 * (os.cpu_count() or 1) + 1)


def default_threads() -> int:
    env = os.environ.get("SANITASI_THREADS", "").strip()
    return max(1, int(env)) if env else 4


def default_task_mode() -> str:
    """``worker`` on PostgreSQL (``DATABASE_URL``), ``thread`` on SQLite."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return "worker" if url.startswith(("postgres", "postgis", "pgsql")) else "thread"


def default_task_workers() -> int:
    env = os.environ.get("SANITASI_TASK_WORKERS", "").strip()
    return max(0, int(env)) if env else 1


def worker_command(interval: float = 1.0) -> list[str]:
    """The command line of one task worker (the same as ``sanitasi worker``)."""
    return [sys.executable, "-m", "sanitasi.web.manage", *worker_args(interval)]


def worker_args(interval: float = 1.0) -> list[str]:
    """django-tasks-db's ``db_worker`` on every queue, without the code reloader."""
    return ["db_worker", "--queue-name", "*", "--interval", str(interval), "--no-reload"]


def start_task_workers(count: int) -> list[subprocess.Popen[bytes]]:
    """Start ``count`` task worker processes (with this process's environment), stopped
    (SIGTERM: the running task ends first) when this process exits."""
    procs = [subprocess.Popen(worker_command()) for _ in range(count)]
    master = os.getpid()

    def stop() -> None:
        if os.getpid() != master:  # a forked gunicorn worker exiting: not its children
            return
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()

    atexit.register(stop)
    return procs


def warm_worker(worker: Any = None) -> None:
    """gunicorn ``post_worker_init``: pay a worker's one-time costs before it takes
    requests (the code fingerprint and reference-data digest of every cache key, the PDF
    library's import), so the first requests of a fresh worker - e.g. eight PDF requests
    that only queue their rendering - hold its threads for milliseconds, not seconds."""
    from sanitasi.io.reference import reference_version
    from sanitasi.web import shared
    from sanitasi.web.plans.views import pdf_available

    shared.code_fingerprint()
    reference_version()
    pdf_available()


def prepare(*, migrate: bool = True) -> Callable[..., Any]:
    """Set Django up, migrate, refuse debug on a real database (:func:`check_debug`),
    collect static files; return the WSGI application. The served application precomputes
    plans after saves unless ``SANITASI_PRECOMPUTE=0``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    os.environ.setdefault("SANITASI_PRECOMPUTE", "1")
    os.environ.setdefault("SANITASI_TASKS", default_task_mode())
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # SANITASI_CACHE=database
    check_debug()
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    application = get_wsgi_application()
    connections.close_all()  # no connection shared with the forked workers
    return application


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    workers: int | None = None,
    threads: int | None = None,
    migrate: bool = True,
    options: Mapping[str, Any] | None = None,
    task_workers: int | None = None,
) -> None:
    """Run the app on ``host:port`` until interrupted (``options``: more gunicorn settings,
    e.g. the load benchmark's access log format). In ``worker`` mode (``SANITASI_TASKS``)
    ``task_workers`` task workers run beside it (default :func:`default_task_workers`)."""
    application = prepare(migrate=migrate)
    from django.conf import settings as django_settings

    if django_settings.SANITASI_TASKS == "worker":
        count = default_task_workers() if task_workers is None else max(0, task_workers)
        start_task_workers(count)
    settings = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        # gthread with threads reserved for /healthz/ (sanitasi.web.health_worker)
        "worker_class": "sanitasi.web.health_worker.HealthThreadWorker",
        "threads": threads or default_threads(),
        "timeout": 120,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "sanitasi",
        "post_worker_init": warm_worker,
        **(options or {}),
    }
    SanitasiApplication(application, settings).run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sanitasi.web.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--task-workers", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        serve(
            args.host,
            args.port,
            workers=args.workers,
            threads=args.threads,
            migrate=not args.no_migrate,
            task_workers=args.task_workers,
        )
    except ServeRefused as exc:
        print(f"sanitasi serve: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
