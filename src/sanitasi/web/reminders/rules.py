"""The reminder rules (issue 11 item 5; README "Reminders"): which users get which reminder
as of a day. Each rule returns :class:`Due` items; :func:`send_reminders` stores the new ones
(one per user and event: the ``key``) and e-mails them.

=========  ==========================================================================
kind       rule (as of ``today``)
=========  ==========================================================================
due        a quarter's report is due on the ``report_due_days``-th day after the quarter
           ends (reference parameter, 14; ``SANITASI_REPORT_DUE_DAYS`` overrides); from
           ``SANITASI_REMINDER_DAYS`` days before (default 14) until that day, every opd user of an agency that leads adopted activities
           planned that year without a submitted or verified report of the quarter gets one
           reminder per quarter (key ``due:<city>:<agency>:<year>Q<quarter>``)
returned   a realisation returned by Bappeda (draft with a return comment): its submitter
           and the opd users of its lead agency, once per return (key: the audit entry of
           the return)
waiting    a submitted realisation: the koordinator users of the city, once per submission
overdue    an open action item past its due date: the opd users of its owner agency and
           the koordinator users of the city, once per due date
=========  ==========================================================================
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from sanitasi.core.monitoring import quarter_end
from sanitasi.web import roles
from sanitasi.web.reminders.models import DUE, OVERDUE, RETURNED, WAITING

#: Defaults of the settings (days).
REMINDER_DAYS = 14


@dataclass(frozen=True)
class Due:
    """A reminder to store: for ``user_id``, event ``key``."""

    user_id: int
    kind: str
    key: str
    city_kode: str
    url: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def reminder_days() -> int:
    return int(getattr(settings, "SANITASI_REMINDER_DAYS", REMINDER_DAYS))


def report_due_days() -> int:
    """Days after a quarter's end its report is due: the reference parameter
    ``report_due_days`` (the rule Tugas saya and ``sanitasi agency-brief`` use, METHOD.md
    §10.11), unless the deployment sets ``SANITASI_REPORT_DUE_DAYS``."""
    override = getattr(settings, "SANITASI_REPORT_DUE_DAYS", None)
    if override is not None:
        return int(override)
    from sanitasi.io.reference import load_parameters

    return int(load_parameters().num("report_due_days"))


def report_due_date(year: int, quarter: int) -> dt.date:
    """The day the report of ``year`` Q``quarter`` is due: the quarter's end plus
    :func:`report_due_days`."""
    return quarter_end(year, quarter) + dt.timedelta(days=report_due_days())


def _users(role: str, cities: Iterable[str]) -> dict[tuple[str, str], list[int]]:
    """(city, agency code) -> active user ids of ``role`` in ``cities``."""
    from sanitasi.web.accounts.models import UserProfile

    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows = UserProfile.objects.filter(
        role=role, city_kode__in=list(cities), user__is_active=True
    ).values_list("city_kode", "agency_code", "user_id")
    for city, agency, uid in rows:
        out[(city, agency)].append(int(uid))
    return out


def _koordinators(cities: Iterable[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for (city, _agency), ids in _users(roles.KOORDINATOR, cities).items():
        out[city].extend(ids)
    return out


def _quarters_near(today: dt.date) -> list[tuple[int, int]]:
    """The quarters whose report is due in ``[today, today + SANITASI_REMINDER_DAYS]``."""
    horizon = today + dt.timedelta(days=reminder_days())
    out = []
    for year in (today.year - 1, today.year, today.year + 1):
        for q in (1, 2, 3, 4):
            if today <= report_due_date(year, q) <= horizon:
                out.append((year, q))
    return out


def due_reports(today: dt.date) -> list[Due]:
    """Reports of a quarter due within the reminder window, per opd user of the lead
    agency (see the module table)."""
    from sanitasi.web.monitoring.models import SUBMITTED, VERIFIED, Realisation
    from sanitasi.web.programme.models import PlannedYear

    out: list[Due] = []
    for year, quarter in _quarters_near(today):
        planned = (
            PlannedYear._base_manager.filter(year=year, activity__state="adopted")
            .exclude(planned_output=0, planned_cost_idr=0)
            .values_list(
                "city_kode", "activity_id", "activity__code", "activity__lead_agency__code"
            )
        )
        done = set(
            Realisation._base_manager.filter(
                year=year, quarter=quarter, state__in=(SUBMITTED, VERIFIED)
            ).values_list("activity_id", flat=True)
        )
        owed: dict[tuple[str, str], set[str]] = defaultdict(set)
        for city, act_id, code, agency in planned:
            if act_id not in done:
                owed[(city, agency)].add(code)
        users = _users(roles.OPD, {c for c, _a in owed})
        due = report_due_date(year, quarter)
        for (city, agency), codes in sorted(owed.items()):
            for uid in users.get((city, agency), []):
                out.append(
                    Due(
                        uid,
                        DUE,
                        f"due:{city}:{agency}:{year}Q{quarter}",
                        city,
                        reverse("realisation-list", args=[city]),
                        {
                            "year": year,
                            "quarter": quarter,
                            "due": due.isoformat(),
                            "count": len(codes),
                            "activities": sorted(codes)[:10],
                        },
                    )
                )
    return out


def _return_events(pks: list[int]) -> dict[str, int]:
    """Realisation pk (text) -> id of its latest ``return`` audit entry."""
    from django.db.models import Max

    from sanitasi.web.audit.models import AuditEntry

    rows = (
        AuditEntry.objects.filter(
            model="monitoring.realisation", action="return", object_pk__in=[str(p) for p in pks]
        )
        .values("object_pk")
        .annotate(last=Max("id"))
        .values_list("object_pk", "last")
    )
    return {str(k): int(v) for k, v in rows}


def returned_reports(today: dt.date) -> list[Due]:
    """Returned realisation: its submitter and the opd users of its lead agency."""
    from sanitasi.web.monitoring.models import DRAFT, Realisation

    rows = list(
        Realisation._base_manager.filter(state=DRAFT)
        .exclude(return_comment="")
        .values_list(
            "pk",
            "city_kode",
            "activity__code",
            "activity__lead_agency__code",
            "year",
            "quarter",
            "return_comment",
            "submitted_by_id",
        )
    )
    events = _return_events([r[0] for r in rows])
    users = _users(roles.OPD, {r[1] for r in rows})
    out: list[Due] = []
    for pk, city, code, agency, year, quarter, comment, submitter in rows:
        event = events.get(str(pk))
        if event is None:  # returned before the audit log (loaded data): the comment names it
            event_key = "c" + hashlib.sha256(comment.encode()).hexdigest()[:12]
        else:
            event_key = str(event)
        recipients = set(users.get((city, agency), []))
        if submitter is not None:
            recipients.add(int(submitter))
        for uid in sorted(recipients):
            out.append(
                Due(
                    uid,
                    RETURNED,
                    f"returned:{pk}:{event_key}",
                    city,
                    reverse("realisation-list", args=[city]),
                    {"activity": code, "year": year, "quarter": quarter, "comment": comment[:500]},
                )
            )
    return out


def waiting_reports(today: dt.date) -> list[Due]:
    """Submitted realisation waiting for verification: the city's koordinator users."""
    from sanitasi.web.monitoring.models import SUBMITTED, Realisation

    rows = list(
        Realisation._base_manager.filter(state=SUBMITTED).values_list(
            "pk",
            "city_kode",
            "activity__code",
            "activity__lead_agency__code",
            "year",
            "quarter",
            "submitted_at",
            "version",
        )
    )
    users = _koordinators({r[1] for r in rows})
    out: list[Due] = []
    for pk, city, code, agency, year, quarter, submitted_at, version in rows:
        stamp = submitted_at.isoformat() if submitted_at is not None else f"v{version}"
        for uid in users.get(city, []):
            out.append(
                Due(
                    uid,
                    WAITING,
                    f"waiting:{pk}:{stamp}",
                    city,
                    reverse("realisation-list", args=[city]),
                    {"activity": code, "agency": agency, "year": year, "quarter": quarter},
                )
            )
    return out


def overdue_actions(today: dt.date) -> list[Due]:
    """Open action items past their due date: the owner agency's opd users and the city's
    koordinator users."""
    from sanitasi.web.monitoring.models import ActionItem

    rows = list(
        ActionItem._base_manager.filter(state="open", due_date__lt=today).values_list(
            "pk", "city_kode", "meeting__code", "number", "action", "owner_agency__code", "due_date"
        )
    )
    cities = {r[1] for r in rows}
    opd = _users(roles.OPD, cities)
    koord = _koordinators(cities)
    out: list[Due] = []
    for pk, city, meeting, number, action, owner, due in rows:
        recipients = set(opd.get((city, owner), [])) | set(koord.get(city, []))
        for uid in sorted(recipients):
            out.append(
                Due(
                    uid,
                    OVERDUE,
                    f"overdue:{pk}:{due.isoformat()}",
                    city,
                    reverse("meeting-list", args=[city]),
                    {
                        "meeting": meeting,
                        "number": number,
                        "action": action[:300],
                        "owner": owner,
                        "due": due.isoformat(),
                        "days": (today - due).days,
                    },
                )
            )
    return out


RULES = (due_reports, returned_reports, waiting_reports, overdue_actions)


def all_due(today: dt.date) -> list[Due]:
    """Every reminder the rules give as of ``today`` (new or already sent)."""
    out: list[Due] = []
    for rule in RULES:
        out.extend(rule(today))
    return out
