"""Serve the web application with gunicorn (static files by WhiteNoise), not runserver.

:func:`serve` migrates the database, collects the static files into
``$SANITASI_HOME/static`` and runs gunicorn in-process (a ``BaseApplication``); the database
is ``DATABASE_URL`` (default: the embedded SQLite file). ``python -m sanitasi.web.serve
[--host H] [--port P]`` does the same from a shell.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from typing import Any

from gunicorn.app.base import BaseApplication


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


def prepare(*, migrate: bool = True) -> Callable[..., Any]:
    """Set Django up, migrate, collect static files; return the WSGI application."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
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
    migrate: bool = True,
) -> None:
    """Run the app on ``host:port`` until interrupted."""
    application = prepare(migrate=migrate)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "sync",
        "timeout": 120,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "sanitasi",
    }
    SanitasiApplication(application, options).run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sanitasi.web.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args(argv)
    serve(args.host, args.port, workers=args.workers, migrate=not args.no_migrate)


if __name__ == "__main__":  # pragma: no cover
    main()
