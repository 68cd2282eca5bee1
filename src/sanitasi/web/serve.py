"""Serve the web application with gunicorn (static files by WhiteNoise), not runserver.

:func:`serve` migrates the database, collects the static files into
``$SANITASI_HOME/static`` and runs gunicorn in-process (a ``BaseApplication``); the database
is ``DATABASE_URL`` (default: the embedded SQLite file). ``python -m sanitasi.web.serve
[--host H] [--port P] [--workers N] [--threads T]`` does the same from a shell.

Workers are gunicorn's ``gthread`` kind: ``--workers`` processes (``SANITASI_WORKERS``,
default ``min(4, 2 x cores + 1)``) of ``--threads`` threads each (``SANITASI_THREADS``,
default 4), so keep-alive connections and a slow download do not hold a whole process.
The plan runs are shared by the workers (:mod:`sanitasi.web.shared`) and precomputed after
a save (``SANITASI_PRECOMPUTE``, on unless set to ``0``).
"""

from __future__ import annotations

import argparse
import os
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


def prepare(*, migrate: bool = True) -> Callable[..., Any]:
    """Set Django up, migrate, refuse debug on a real database (:func:`check_debug`),
    collect static files; return the WSGI application. The served application precomputes
    plans after saves unless ``SANITASI_PRECOMPUTE=0``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    os.environ.setdefault("SANITASI_PRECOMPUTE", "1")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
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
) -> None:
    """Run the app on ``host:port`` until interrupted (``options``: more gunicorn settings,
    e.g. the load benchmark's access log format)."""
    application = prepare(migrate=migrate)
    settings = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads or default_threads(),
        "timeout": 120,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "sanitasi",
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
    args = parser.parse_args(argv)
    try:
        serve(
            args.host,
            args.port,
            workers=args.workers,
            threads=args.threads,
            migrate=not args.no_migrate,
        )
    except ServeRefused as exc:
        print(f"sanitasi serve: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
