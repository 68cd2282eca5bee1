"""``manage.py send_reminders [--as-of YYYY-MM-DD] [--no-email]``: store the due reminders
(no duplicate per user and event) and e-mail the new ones. Run daily by cron or a systemd
timer (README "Reminders")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanitasi.web.monitoring import period
from sanitasi.web.reminders.send import send_reminders


class Command(BaseCommand):
    help = "Send the due reminders (in-app inbox and e-mail); running it twice sends nothing new."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", default="", help="the day to judge on (default: today)")
        parser.add_argument("--no-email", action="store_true", help="inbox only")

    def handle(self, *args: Any, **opts: Any) -> None:
        today = period.reporting_date()
        if opts["as_of"]:
            try:
                today = dt.date.fromisoformat(opts["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of {opts['as_of']!r}: not a date (YYYY-MM-DD)", returncode=2
                ) from None
        sent = send_reminders(today, email=not opts["no_email"])
        self.stdout.write(
            f"reminders as of {today.isoformat()}: {sent.created} new, "
            f"{sent.emailed} e-mailed, {sent.failed} e-mail failures"
        )
        if sent.failed:
            raise CommandError("some e-mails failed; they are retried on the next run")
