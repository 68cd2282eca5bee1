"""The text of a notification, in the active language (gettext)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sanitasi.web.reminders.models import DUE, OVERDUE, RETURNED, WAITING, Notification


def _date(text: str) -> str:
    try:
        return str(date_format(dt.date.fromisoformat(text), "DATE_FORMAT"))
    except (TypeError, ValueError):
        return text


def message(n: Notification) -> str:
    p = n.params or {}
    if n.kind == DUE:
        return ngettext(
            "The report of Q%(quarter)s %(year)s is due on %(due)s: %(count)s activity of "
            "your agency has none yet (%(activities)s).",
            "The report of Q%(quarter)s %(year)s is due on %(due)s: %(count)s activities of "
            "your agency have none yet (%(activities)s).",
            int(p.get("count", 0)),
        ) % {
            "quarter": p.get("quarter"),
            "year": p.get("year"),
            "due": _date(str(p.get("due", ""))),
            "count": p.get("count"),
            "activities": ", ".join(p.get("activities", [])),
        }
    if n.kind == RETURNED:
        return (
            _("Bappeda returned the report of %(activity)s for Q%(quarter)s %(year)s: %(comment)s")
            % p
        )
    if n.kind == WAITING:
        return (
            _(
                "The report of %(activity)s (%(agency)s) for Q%(quarter)s %(year)s waits for "
                "your verification."
            )
            % p
        )
    if n.kind == OVERDUE:
        return _(
            "Action item %(number)s of meeting %(meeting)s (%(owner)s) was due on %(due)s: "
            "%(action)s"
        ) % {**p, "due": _date(str(p.get("due", "")))}
    return n.key


def subject(count: int) -> str:
    return ngettext(
        "Sanitasi: %(count)s new reminder", "Sanitasi: %(count)s new reminders", count
    ) % {"count": count}
