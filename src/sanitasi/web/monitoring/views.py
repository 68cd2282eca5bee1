"""Quarterly realisation screens (HTMX): the activities the user reports on with their
quarters, a form to enter or edit a quarter (saved as draft), submit, and for Bappeda verify
or return with a comment.

Every query goes through ``objects.restrict(user, action)``; every change through
:mod:`sanitasi.web.monitoring.workflow` (scope, state and version checks). A row the user may
not see is a 404, a step the user may not take a 403. An HTMX request gets the
``#realisation-app`` fragment back, a plain form post a redirect (or the page with errors).
Form errors answer 422, a conflict (someone saved the row first) 409 with the stored values.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanitasi.core.programme import COMPLETION_PROFILE
from sanitasi.io.evidence import Upload
from sanitasi.web import roles
from sanitasi.web.audit.history import object_history
from sanitasi.web.basemodels import StaleObjectError
from sanitasi.web.cities import visible_city
from sanitasi.web.evidence import queue
from sanitasi.web.evidence import service as evidence
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import period, workflow
from sanitasi.web.monitoring.forms import RealisationForm, ReasonForm, ReturnForm, VersionForm
from sanitasi.web.monitoring.models import SUBMITTED, VERIFIED, Realisation
from sanitasi.web.monitoring.period import parse_period
from sanitasi.web.programme.models import Activity
from sanitasi.web.scope import can, can_add

APP = "web/partials/realisation_app.html"
PAGE = "web/realisation.html"


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _realisation(request: HttpRequest, kode: str, pk: int) -> Realisation:
    r = (
        Realisation.objects.restrict(request.user)
        .filter(city_kode=kode, pk=pk)
        .select_related("activity")
        .first()
    )
    if r is None:
        raise Http404("no such realisation")
    return r


def _activity(request: HttpRequest, kode: str, code: str) -> Activity:
    act = Activity.objects.restrict(request.user).filter(city_kode=kode, code=code).first()
    if act is None:
        raise Http404("no such activity")
    return act


def _render(
    request: HttpRequest,
    city: Region,
    *,
    status: int = 200,
    notice: str = "",
    **extra: Any,
) -> HttpResponse:
    user = request.user
    kode = city.kode
    activities = list(
        Activity.objects.restrict(user, roles.SUBMIT)
        .filter(city_kode=kode)
        .select_related("lead_agency", "location")
        .order_by("code")
    )
    rows: dict[int, list[Realisation]] = {a.pk: [] for a in activities}
    own = list(
        Realisation.objects.restrict(user)
        .filter(city_kode=kode, activity__in=activities)
        .order_by("-year", "-quarter")
    )
    for r in own:
        rows[r.activity_id].append(r)
    to_verify = list(
        Realisation.objects.restrict(user, roles.VERIFY)
        .filter(city_kode=kode, state=SUBMITTED)
        .select_related("activity", "submitted_by", "activity__location__parent")
        .order_by("activity__code", "year", "quarter")
    )
    reopenable = list(
        Realisation.objects.restrict(user, roles.VERIFY)
        .filter(city_kode=kode, state=VERIFIED)
        .select_related("activity")
        .order_by("-year", "-quarter", "activity__code")[:50]
    )
    form_row = extra.get("form_row")
    queue.attach_files(
        user, kode, [*own, *to_verify, *reopenable, *([form_row] if form_row else [])]
    )
    queue.annotate(kode, to_verify)
    # The form opens where the user clicked: under the activity's "Report a quarter" link or
    # under the row being edited; at the top only for a row outside the user's list.
    form_act = extra.get("form_activity")
    editor_inline = False
    if form_act is not None and form_act.pk in rows:
        listed = rows[form_act.pk]
        editor_inline = form_row is None or any(r.pk == form_row.pk for r in listed)
    context = {
        "city": city,
        "editor_inline": editor_inline,
        "reopenable": reopenable,
        "activities": [(a, rows[a.pk]) for a in activities],
        "to_verify": to_verify,
        "verifies": Realisation.objects.restrict(user, roles.VERIFY)
        .filter(city_kode=kode)
        .exists(),
        "notice": notice,
        **extra,
    }
    return render(request, APP if _htmx(request) else PAGE, context, status=status)


def _done(request: HttpRequest, city: Region, notice: str) -> HttpResponse:
    if _htmx(request):
        return _render(request, city, notice=notice)
    messages.success(request, notice)
    return redirect("realisation-list", kode=city.kode)


@login_required
@require_safe
def realisation_list(request: HttpRequest, kode: str) -> HttpResponse:
    return _render(request, visible_city(request, kode))


def _default_quarter() -> tuple[int, int]:
    today = period.reporting_date()
    return today.year, (today.month - 1) // 3 + 1


def _add_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def realisation_new(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    city = visible_city(request, kode)
    act = _activity(request, kode, code)
    if not can_add(request.user, Realisation, kode, activity=act):
        raise PermissionDenied(_("You may not report on this activity."))
    completion = act.plan_profile == COMPLETION_PROFILE
    if request.method == "GET":
        year, quarter = parse_period(request.GET, _default_quarter())
        form = RealisationForm(
            initial={"year": year, "quarter": quarter, "output_achieved": 0, "cost_spent_idr": 0},
            completion=completion,
        )
        return _render(request, city, form=form, form_activity=act)
    form = RealisationForm(request.POST, request.FILES, completion=completion)
    if form.is_valid():
        d = form.cleaned_data
        uploads = _uploads(d)
        try:
            evidence.check(None, uploads)  # refused files: nothing is saved
            with transaction.atomic():
                r = workflow.create(
                    request.user,
                    act,
                    d["year"],
                    d["quarter"],
                    output_achieved=d["output_achieved"],
                    cost_spent_idr=d["cost_spent_idr"],
                    progress_pct=form.progress(),
                    note=d["note"],
                )
                if uploads:
                    evidence.attach(request.user, r, uploads)
        except ValidationError as e:
            _add_errors(form, e)
        except IntegrityError:
            form.add_error(None, _("This quarter is already reported for this activity."))
        else:
            return _done(request, city, _("Draft saved."))
    return _render(request, city, status=422, form=form, form_activity=act)


def _uploads(cleaned: dict[str, Any]) -> list[Upload]:
    """The form's evidence files as :class:`~sanitasi.io.evidence.Upload` values."""
    return [Upload(f.name or "", int(f.size or 0), f) for f in cleaned.get("evidence_files") or []]


def _stale_notice(current: Any) -> str:
    if current is None:
        return _("Someone deleted this realisation meanwhile; nothing was saved.")
    return _(
        "Someone else saved this realisation meanwhile (now version %(version)s, %(state)s: "
        "output %(output)s, spent Rp %(cost)s, note “%(note)s”). Nothing was overwritten: "
        "check the values and save again to replace them."
    ) % {
        "version": current.version,
        "state": current.get_state_display(),
        "output": current.output_achieved,
        "cost": current.cost_spent_idr,
        "note": current.note,
    }


@login_required
@require_http_methods(["GET", "POST"])
def realisation_edit(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    city = visible_city(request, kode)
    r = _realisation(request, kode, pk)
    if not can(request.user, roles.CHANGE, r):
        raise PermissionDenied(_("You may not change this realisation."))
    initial, completion, extra = _editor(request, r)
    if request.method == "GET":
        form = RealisationForm(initial=initial, editing=True, completion=completion)
        return _render(request, city, form=form, **extra)
    form = RealisationForm(
        request.POST, request.FILES, initial=initial, editing=True, completion=completion
    )
    if form.is_valid():
        d = form.cleaned_data
        values: dict[str, Any] = {
            "output_achieved": d["output_achieved"],
            "cost_spent_idr": d["cost_spent_idr"],
            "note": d["note"],
        }
        if completion:
            values["progress_pct"] = form.progress()
        uploads = _uploads(d)
        try:
            evidence.check(r, uploads)  # refused files: nothing is saved
            with transaction.atomic():
                workflow.edit(request.user, r, d["version"], **values)
                if uploads:
                    evidence.attach(request.user, r, uploads)
        except StaleObjectError as e:
            return _conflict(request, city, form, e, **extra)
        except workflow.WorkflowError as e:
            form.add_error(None, str(e))
            return _render(request, city, status=409, form=form, **extra)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            return _done(request, city, _("Draft saved."))
    return _render(request, city, status=422, form=form, **extra)


def _editor(request: HttpRequest, r: Realisation) -> tuple[dict[str, Any], bool, dict[str, Any]]:
    """The edit form's initial values, whether the activity is counted at completion, and
    the editor's context (activity, row, history)."""
    initial = {
        "year": r.year,
        "quarter": r.quarter,
        "output_achieved": r.output_achieved,
        "cost_spent_idr": r.cost_spent_idr,
        "progress_pct": r.progress_pct,
        "note": r.note,
        "version": r.version,
    }
    completion = r.activity.plan_profile == COMPLETION_PROFILE
    extra: dict[str, Any] = {
        "form_activity": r.activity,
        "form_row": r,
        "history": object_history(request.user, r),
    }
    return initial, completion, extra


def render_editor(request: HttpRequest, city: Region, pk: int, notice: str = "") -> HttpResponse:
    """The app with the edit form of row ``pk`` open (after an attachment was deleted); the
    list only when the user may no longer change the row."""
    r = _realisation(request, city.kode, pk)
    if not can(request.user, roles.CHANGE, r):
        return _done(request, city, notice)
    initial, completion, extra = _editor(request, r)
    form = RealisationForm(initial=initial, editing=True, completion=completion)
    if not _htmx(request):
        messages.success(request, notice)
        return redirect("realisation-edit", kode=city.kode, pk=pk)
    return _render(request, city, form=form, notice=notice, **extra)


def render_app(request: HttpRequest, city: Region, **kwargs: Any) -> HttpResponse:
    """The realisation app (fragment for HTMX, else the page) with ``kwargs`` in context."""
    return _render(request, city, **kwargs)


def _conflict(
    request: HttpRequest, city: Region, form: RealisationForm, e: StaleObjectError, **extra: Any
) -> HttpResponse:
    """The form again with the user's values, the stored row described and the version of
    the stored row (saving again replaces it deliberately)."""
    current = e.current
    data = request.POST.copy()
    if current is not None:
        data["version"] = str(getattr(current, "version", ""))
    again = RealisationForm(data, initial=form.initial, editing=True, completion=form.completion)
    again.is_valid()
    return _render(request, city, status=409, form=again, conflict=_stale_notice(current), **extra)


def _step(request: HttpRequest, kode: str, pk: int, step: str) -> HttpResponse:
    city = visible_city(request, kode)
    r = _realisation(request, kode, pk)
    action = roles.SUBMIT if step == "submit" else roles.VERIFY
    if step == "delete":
        action = roles.CHANGE
    if not can(request.user, action, r):
        raise PermissionDenied(_("You may not do this on this realisation."))
    form: Form
    if step == "return":
        form = ReturnForm(request.POST)
    elif step == "reopen":
        form = ReasonForm(request.POST)
    else:
        form = VersionForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(m) for ms in form.errors.values() for m in ms)
        return _render(request, city, status=422, notice=errors, step_error=True)
    version = form.cleaned_data["version"]
    try:
        if step == "submit":
            workflow.submit(request.user, r, version)
            notice = _("Submitted to Bappeda.")
        elif step == "verify":
            workflow.verify(request.user, r, version)
            notice = _("Verified: the dashboard now counts it.")
        elif step == "reopen":
            workflow.reopen(request.user, r, version, form.cleaned_data["reason"])
            notice = _("Reopened: the agency can correct it and submit it again.")
        elif step == "delete":
            workflow.delete_draft(request.user, r, version)
            notice = _("Draft deleted.")
        else:
            workflow.return_(request.user, r, version, form.cleaned_data["comment"])
            notice = _("Returned to the agency with your comment.")
    except StaleObjectError as e:
        return _render(request, city, status=409, conflict=_stale_notice(e.current))
    except workflow.WorkflowError as e:
        return _render(request, city, status=409, notice=str(e), step_error=True)
    return _done(request, city, notice)


@login_required
@require_POST
def realisation_submit(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    return _step(request, kode, pk, "submit")


@login_required
@require_POST
def realisation_verify(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    return _step(request, kode, pk, "verify")


@login_required
@require_POST
def realisation_return(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    return _step(request, kode, pk, "return")


@login_required
@require_POST
def realisation_reopen(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    """Bappeda reopens a verified row with a reason (back to draft, audited ``reopen``)."""
    return _step(request, kode, pk, "reopen")


@login_required
@require_POST
def realisation_delete(request: HttpRequest, kode: str, pk: int) -> HttpResponse:
    """The author deletes a draft that was never submitted (audited ``delete``)."""
    return _step(request, kode, pk, "delete")
