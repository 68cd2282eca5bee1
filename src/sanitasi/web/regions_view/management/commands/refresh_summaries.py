"""``manage.py refresh_summaries [--city KODE ...] [--all]``: (re)build the stored city
summaries of the province and national pages (stale ones only unless ``--all``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sanitasi.web.regions_view.summary import refresh


class Command(BaseCommand):
    help = "Rebuild the city summaries of the province and national pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", action="append", default=[], help="city kode (repeat)")
        parser.add_argument("--all", action="store_true", help="rebuild even if up to date")

    def handle(self, *args: Any, **opts: Any) -> None:
        done = refresh(opts["city"] or None, stale_only=not opts["all"])
        self.stdout.write(f"city summaries rebuilt: {len(done)}")
