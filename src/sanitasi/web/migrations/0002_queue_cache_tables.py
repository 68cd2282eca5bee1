"""The tables of the shared result caches when they live in the database
(``SANITASI_CACHE=database``, the default on PostgreSQL): Django's ``createcachetable``,
which does nothing for file caches and for tables that exist."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
