"""``sanitasi reminders``: send the due reminders (the web's ``send_reminders``) and
``sanitasi summaries``: rebuild the province/national pages' city summaries (the web's
``refresh_summaries``), both on the database of ``DATABASE_URL``."""

from __future__ import annotations

import click


@click.command()
@click.option("--as-of", default="", help="Judge on this day (YYYY-MM-DD; default today).")
@click.option("--no-email", is_flag=True, help="Inbox only, no e-mail.")
def reminders(as_of: str, no_email: bool) -> None:
    """Store the due reminders (inbox) and e-mail the new ones; no duplicates (run daily)."""
    from sanitasi.web.manage import main as manage

    manage(["send_reminders", *(["--as-of", as_of] if as_of else []), *["--no-email"] * no_email])


@click.command()
@click.option("--city", multiple=True, help="City kode (repeatable; default every city).")
@click.option("--all", "everything", is_flag=True, help="Rebuild even the up-to-date ones.")
def summaries(city: tuple[str, ...], everything: bool) -> None:
    """Rebuild the city summaries the province and national pages read."""
    from sanitasi.web.manage import main as manage

    args = ["refresh_summaries"]
    for k in city:
        args += ["--city", k]
    manage(args + ["--all"] * everything)


COMMANDS = (reminders, summaries)
