"""``load_city --demo`` / ``load_city --city-dir D``: load a city folder (validated as in the
CLI, all-or-nothing). Exit code 2 with every problem on bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanitasi.io.errors import InputErrors, errors_of
from sanitasi.web.accounts.demo import demo_logins_text
from sanitasi.web.loader import LoadError, OnExists, load_city_folder


class Command(BaseCommand):
    help = "Load a city folder (or the Kota Solok demo) into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        src = parser.add_mutually_exclusive_group(required=True)
        src.add_argument("--demo", action="store_true", help="The Kota Solok demo + demo logins.")
        src.add_argument("--city-dir", type=Path, help="City folder (docs/city-data.md).")
        when = parser.add_mutually_exclusive_group()
        when.add_argument(
            "--replace", action="store_true", help="Replace the city if it is already loaded."
        )
        when.add_argument(
            "--skip-existing",
            action="store_true",
            help="Leave the city as it is if it is already loaded.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --replace: delete realisation, meetings and action items entered on "
            "the web since the last load.",
        )
        parser.add_argument("--lang", choices=["id", "en"], default="id")
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not migrate the database first."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        on_exists: OnExists = (
            "replace" if opts["replace"] else "skip" if opts["skip_existing"] else "error"
        )
        lang = opts["lang"]
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            result = load_city_folder(
                opts["city_dir"], demo=opts["demo"], on_exists=on_exists, force=opts["force"]
            )
        except InputErrors as e:
            problems = errors_of(e.problems)
            title = "Masukan tidak valid" if lang == "id" else "Invalid input"
            self.stderr.write(f"{title}: {len(problems)} masalah/problems")
            for p in problems:
                self.stderr.write(f"  • {p.code} {p.message(lang)}")
            raise CommandError("nothing was loaded", returncode=2) from None
        except LoadError as e:
            raise CommandError(str(e), returncode=2) from None
        if result.skipped:
            self.stdout.write(f"{result.city_name} ({result.city_kode}): already loaded, kept.")
        else:
            counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
            self.stdout.write(f"{result.city_name} ({result.city_kode}) loaded: {counts}")
        for p in result.warnings:
            self.stdout.write(f"  ! {p.code} {p.message(lang)}")
        if result.demo_users:
            self.stdout.write(demo_logins_text())
        if result.disabled_demo_users:
            names = ", ".join(result.disabled_demo_users)
            self.stderr.write(
                "PERHATIAN / WARNING: a real city came into a demo database: every demo "
                f"account is now disabled ({names}); the password 'demo' opens nothing. "
                "Create real accounts with `python -m sanitasi.web.manage createsuperuser`."
            )
