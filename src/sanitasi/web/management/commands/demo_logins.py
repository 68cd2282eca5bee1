"""``demo_logins``: print the demo accounts (only on a demo database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sanitasi.web.accounts.demo import demo_logins_text
from sanitasi.web.models import is_demo_database


class Command(BaseCommand):
    help = "Print the demo logins of a demo database."

    def handle(self, *args: Any, **opts: Any) -> None:
        if is_demo_database():
            self.stdout.write(demo_logins_text())
        else:
            self.stdout.write("Not a demo database: no demo logins.")
