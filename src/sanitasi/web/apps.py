from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def sqlite_wal(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite in WAL mode: readers do not block the writer (and the reverse)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")


class WebConfig(AppConfig):
    name = "sanitasi.web"
    label = "web"
    verbose_name = _("Sanitasi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(sqlite_wal, dispatch_uid="sanitasi_sqlite_wal")
        from sanitasi.reports import static_charts
        from sanitasi.web.shared import ChartStore

        static_charts.set_shared_store(ChartStore())  # PDF charts drawn once for all workers
