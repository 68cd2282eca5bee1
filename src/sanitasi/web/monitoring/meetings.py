"""Meetings (Coaching Clinic, Pokja meeting, milestone review M1–M4) and their action items.

The list shows every meeting of the city the user may see with its action items and which
are overdue (open and due before today, or before ``?as_of=YYYY-MM-DD``). Bappeda and the
provincial facilitator record meetings and add action items (``can_add`` / ``can`` on the
meeting, ``change``); the agency that owns an action item marks it done (``can`` on the
item, ``change``). Rows come from ``objects.restrict(user, action)`` only; every change is
audited by the model signals (the meeting's entry lists its participants).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanitasi.web import roles
from sanitasi.web.audit.log import acting_as, record, snapshot, suspended
from sanitasi.web.cities import visible_city
from sanitasi.web.monitoring.forms import ActionItemForm, MeetingForm
from sanitasi.web.monitoring.models import ActionItem, Meeting, MeetingParticipant
from sanitasi.web.programme.models import Agency
from sanitasi.web.scope import can, can_add

LIST = "web/meetings.html"
FORM = "web/meeting_form.html"
DONE = "done"
OPEN = "open"


def as_of_date(request: HttpRequest) -> tuple[dt.date, str]:
    """The reference date for overdue flags and an error message ('' if fine)."""
    raw = request.GET.get("as_of", "").strip()
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return today, _("“%(value)s” is not a date (YYYY-MM-DD); showing today.") % {"value": raw}


def _agencies(request: HttpRequest, kode: str) -> Any:
    return Agency.objects.restrict(request.user).filter(city_kode=kode).order_by("code")


def _meeting(request: HttpRequest, kode: str, code: str) -> Meeting:
    m = Meeting.objects.restrict(request.user).filter(city_kode=kode, code=code).first()
    if m is None:
        raise Http404("no such meeting")
    return m


@login_required
@require_safe
def meeting_list(request: HttpRequest, kode: str) -> HttpResponse:
    city = visible_city(request, kode)
    user = request.user
    as_of, as_of_error = as_of_date(request)
    meetings = list(
        Meeting.objects.restrict(user)
        .filter(city_kode=kode)
        .prefetch_related("participant_rows__agency")
        .order_by("date", "code")
    )
    changeable = set(
        Meeting.objects.restrict(user, roles.CHANGE)
        .filter(city_kode=kode)
        .values_list("pk", flat=True)
    )
    items = (
        ActionItem.objects.restrict(user)
        .filter(city_kode=kode)
        .select_related("owner_agency")
        .order_by("meeting_id", "number")
    )
    done_able = set(
        ActionItem.objects.restrict(user, roles.CHANGE)
        .filter(city_kode=kode, state=OPEN)
        .values_list("pk", flat=True)
    )
    by_meeting: dict[int, list[dict[str, Any]]] = {m.pk: [] for m in meetings}
    overdue = 0
    for item in items:
        late = item.state != DONE and item.due_date < as_of
        overdue += late
        by_meeting.setdefault(item.meeting_id, []).append(
            {"item": item, "overdue": late, "can_done": item.pk in done_able}
        )
    rows = [
        {
            "meeting": m,
            "participants": [p.agency.code for p in m.participant_rows.all()],
            "actions": by_meeting.get(m.pk, []),
            "can_add_action": m.pk in changeable,
        }
        for m in meetings
    ]
    context = {
        "city": city,
        "rows": rows,
        "as_of": as_of,
        "as_of_error": as_of_error,
        "overdue": overdue,
        "can_record": can_add(user, Meeting, kode),
        "action_form": ActionItemForm(agencies=_agencies(request, kode)) if changeable else None,
    }
    return render(request, LIST, context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, kode: str) -> HttpResponse:
    city = visible_city(request, kode)
    if not can_add(request.user, Meeting, kode):
        raise PermissionDenied(_("You may not record meetings of this city."))
    agencies = _agencies(request, kode)
    taken = set(Meeting.objects.filter(city_kode=kode).values_list("code", flat=True))
    if request.method == "GET":
        form = MeetingForm(agencies=agencies, taken=taken, initial={"date": timezone.localdate()})
        return render(request, FORM, {"city": city, "form": form})
    form = MeetingForm(request.POST, agencies=agencies, taken=taken)
    if not form.is_valid():
        return render(request, FORM, {"city": city, "form": form}, status=422)
    d = form.cleaned_data
    m = Meeting(
        city_kode=kode,
        code=d["code"],
        date=d["date"],
        kind=d["kind"],
        milestone=d["milestone"] or "",
        title=d["title"],
        summary=d["summary"],
        decisions=d["decisions"],
        status="unverified",
        recorded_by_id=request.user.pk,
    )
    with transaction.atomic(), acting_as(request.user):
        with suspended():  # one entry with the participants, written below
            m.save()
            for i, agency in enumerate(d["participants"]):
                MeetingParticipant.objects.create(
                    city_kode=kode, meeting=m, agency=agency, position=i
                )
        record(request.user, m, None, snapshot(m))
    messages.success(request, _("Meeting %(code)s recorded.") % {"code": m.code})
    return redirect("meeting-list", kode=kode)


@login_required
@require_POST
def action_new(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    city = visible_city(request, kode)
    m = _meeting(request, kode, code)
    if not can(request.user, roles.CHANGE, m):
        raise PermissionDenied(_("You may not add action items to this meeting."))
    form = ActionItemForm(request.POST, agencies=_agencies(request, kode))
    if not form.is_valid():
        context = {"city": city, "action_form": form, "meeting": m}
        return render(request, "web/action_form.html", context, status=422)
    d = form.cleaned_data
    with transaction.atomic(), acting_as(request.user):
        last = ActionItem.objects.filter(meeting=m).aggregate(n=Max("number"))["n"] or 0
        item = ActionItem.objects.create(
            city_kode=kode,
            meeting=m,
            number=last + 1,
            action=d["action"],
            owner_agency=d["owner_agency"],
            due_date=d["due_date"],
            state=OPEN,
            status="unverified",
        )
    messages.success(
        request, _("Action item %(code)s #%(n)s added.") % {"code": m.code, "n": item.number}
    )
    return redirect("meeting-list", kode=kode)


@login_required
@require_POST
def action_done(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    visible_city(request, kode)
    item = (
        ActionItem.objects.restrict(request.user)
        .filter(city_kode=kode, pk=pk)
        .select_related("meeting")
        .first()
    )
    if item is None:
        raise Http404("no such action item")
    if not can(request.user, roles.CHANGE, item):
        raise PermissionDenied(_("Only the owner agency, Bappeda or the facilitator close it."))
    if item.state != DONE:
        with transaction.atomic(), acting_as(request.user):
            item.state = DONE
            item.save()
    done = {"code": item.meeting.code, "n": item.number}
    messages.success(request, _("Action item %(code)s #%(n)s marked done.") % done)
    return redirect("meeting-list", kode=kode)


def _action_item(request: HttpRequest, kode: str, pk: int) -> ActionItem:
    item = (
        ActionItem.objects.restrict(request.user)
        .filter(city_kode=kode, pk=pk)
        .select_related("meeting", "owner_agency")
        .first()
    )
    if item is None:
        raise Http404("no such action item")
    return item


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    """Change a meeting (who may record meetings of the city: ``change`` on the meeting);
    one audit entry with the participants."""
    city = visible_city(request, kode)
    m = _meeting(request, kode, code)
    if not can(request.user, roles.CHANGE, m):
        raise PermissionDenied(_("You may not change this meeting."))
    agencies = _agencies(request, kode)
    taken = set(
        Meeting.objects.filter(city_kode=kode).exclude(pk=m.pk).values_list("code", flat=True)
    )
    initial = {
        "code": m.code,
        "date": m.date,
        "kind": m.kind,
        "milestone": m.milestone,
        "title": m.title,
        "participants": [p.agency for p in m.participant_rows.select_related("agency")],
        "summary": m.summary,
        "decisions": m.decisions,
    }
    context: dict[str, Any] = {"city": city, "meeting": m}
    if request.method == "GET":
        form = MeetingForm(agencies=agencies, taken=taken, initial=initial)
        return render(request, FORM, {**context, "form": form})
    form = MeetingForm(request.POST, agencies=agencies, taken=taken, initial=initial)
    if not form.is_valid():
        return render(request, FORM, {**context, "form": form}, status=422)
    d = form.cleaned_data
    with transaction.atomic(), acting_as(request.user):
        before = snapshot(m)
        with suspended():  # one entry with the new participants, written below
            for f in ("code", "date", "kind", "title", "summary", "decisions"):
                setattr(m, f, d[f])
            m.milestone = d["milestone"] or ""
            m.save()
            MeetingParticipant.objects.filter(meeting=m).delete()
            for i, agency in enumerate(d["participants"]):
                MeetingParticipant.objects.create(
                    city_kode=kode, meeting=m, agency=agency, position=i
                )
        record(request.user, m, before, snapshot(m))
    messages.success(request, _("Meeting %(code)s saved.") % {"code": m.code})
    return redirect("meeting-list", kode=kode)


@login_required
@require_POST
def meeting_delete(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    """Delete a meeting with its action items (each deletion audited)."""
    visible_city(request, kode)
    m = _meeting(request, kode, code)
    if not can(request.user, roles.CHANGE, m):
        raise PermissionDenied(_("You may not delete this meeting."))
    with transaction.atomic(), acting_as(request.user):
        for item in ActionItem.objects.filter(meeting=m).select_related("owner_agency"):
            item.delete()
        m.delete()
    messages.success(request, _("Meeting %(code)s deleted.") % {"code": code})
    return redirect("meeting-list", kode=kode)


def _may_edit_item(request: HttpRequest, item: ActionItem) -> bool:
    """Editing and deleting an action item is for who may change its meeting (Bappeda,
    the facilitator); the owner agency only marks it done."""
    return can(request.user, roles.CHANGE, item.meeting)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    city = visible_city(request, kode)
    item = _action_item(request, kode, pk)
    if not _may_edit_item(request, item):
        raise PermissionDenied(_("You may not change this action item."))
    agencies = _agencies(request, kode)
    initial = {"action": item.action, "owner_agency": item.owner_agency, "due_date": item.due_date}
    context: dict[str, Any] = {"city": city, "meeting": item.meeting, "item": item}
    if request.method == "GET":
        form = ActionItemForm(agencies=agencies, initial=initial)
        return render(request, "web/action_form.html", {**context, "action_form": form})
    form = ActionItemForm(request.POST, agencies=agencies, initial=initial)
    if not form.is_valid():
        return render(request, "web/action_form.html", {**context, "action_form": form}, status=422)
    d = form.cleaned_data
    with transaction.atomic(), acting_as(request.user):
        item.action = d["action"]
        item.owner_agency = d["owner_agency"]
        item.due_date = d["due_date"]
        item.save()
    done = {"code": item.meeting.code, "n": item.number}
    messages.success(request, _("Action item %(code)s #%(n)s saved.") % done)
    return redirect("meeting-list", kode=kode)


@login_required
@require_POST
def action_delete(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    visible_city(request, kode)
    item = _action_item(request, kode, pk)
    if not _may_edit_item(request, item):
        raise PermissionDenied(_("You may not delete this action item."))
    done = {"code": item.meeting.code, "n": item.number}
    with transaction.atomic(), acting_as(request.user):
        item.delete()
    messages.success(request, _("Action item %(code)s #%(n)s deleted.") % done)
    return redirect("meeting-list", kode=kode)


__all__ = [
    "action_delete",
    "action_done",
    "action_edit",
    "action_new",
    "meeting_delete",
    "meeting_edit",
    "meeting_list",
    "meeting_new",
]
