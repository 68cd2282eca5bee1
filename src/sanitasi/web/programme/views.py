"""Programme matrix screens: the matrix of a city, an activity's page with its change history,
the activity form (new / edit) and Bappeda's review of proposals (adopt, reject).

Who does what comes from :mod:`sanitasi.web.scope` only: rows are
``Activity.objects.restrict(user, action)``; a row the user may not see is a 404, a step the
user may not take a 403. Bappeda (koordinator) and admin create adopted activities and edit
any activity of the city; an agency (opd) *proposes* activities: the state is forced to
``proposed`` and the lead agency to its own, and it edits its proposals only (scope
``change``). Whoever may ``verify`` activities adopts a proposal or rejects it with a
comment.

**Rejecting keeps the row** in state ``rejected`` with the comment (``review_comment``):
deleting it would lose the proposal and the reason everywhere but the audit log, and the
agency would not see why. A rejected activity never reaches the engine (as a proposal, see
:mod:`sanitasi.web.programme.inputs`); its code stays taken; Bappeda may still edit it, the
agency may not (propose again under a new code).

Saving is all-or-nothing: the activity, its supporting agencies and planned years are written
in one transaction with one audit entry (before/after of every field, the supporting
agencies and the planned years), and with optimistic locking: the form carries the version
it was read at, a second save on the same version answers 409 with the stored values and
overwrites nothing. Bad input answers 422 with the message at the field (the CLI's rules and
messages, see :mod:`sanitasi.web.programme.forms`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanitasi.core.programme import SECTORS
from sanitasi.reports.fmt import fmt_idr, fmt_idr_compact, fmt_number
from sanitasi.web import roles
from sanitasi.web.audit.history import object_history
from sanitasi.web.audit.log import acting_as, record, snapshot, suspended
from sanitasi.web.basemodels import StaleObjectError
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import period
from sanitasi.web.plans.inputs import plan_options_for
from sanitasi.web.programme.effects import EffectBuilder
from sanitasi.web.programme.forms import (
    ActivityForm,
    FilterForm,
    RejectForm,
    ReviewForm,
    cost_field,
    output_field,
)
from sanitasi.web.programme.models import (
    ACTIVITY_TEXT_FIELDS,
    ADOPTED,
    REJECTED,
    Activity,
    ActivitySupport,
    Agency,
    PlannedYear,
)
from sanitasi.web.scope import PROPOSED, can, can_add, can_read_history, row_scope, rule, scope_of

LIST = "web/programme.html"
MATRIX = "web/partials/programme_matrix.html"
DETAIL = "web/activity_detail.html"
FORM = "web/activity_form.html"
EDITOR = "web/partials/activity_editor.html"
#: Region levels an activity may be located at.
LOCATION_LEVELS = ("kabkota", "kecamatan", "kelurahan", "desa")


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _activity(request: HttpRequest, kode: str, code: str) -> Activity:
    act = (
        Activity.objects.restrict(request.user)
        .filter(city_kode=kode, code=code)
        .select_related("lead_agency", "location")
        .first()
    )
    if act is None:
        raise Http404("no such activity")
    return act


def adopts(user: Any, kode: str) -> bool:
    """Whether ``user`` adopts activities of ``kode`` (scope ``verify`` on activities): what
    such a user creates is adopted; what anyone else creates is a proposal of its agency."""
    s = scope_of(user)
    if s is None:
        return False
    if s.role == roles.ADMIN:
        return True
    return s.city_kode == kode and rule(s, row_scope(Activity), roles.VERIFY) is not None


def _plan_years(kode: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(SSK period, the years an activity may plan for: after the base year to the horizon)."""
    options = plan_options_for(kode)
    first, last = options.period
    return (int(first), int(last)), (int(options.base_year) + 1, int(options.horizon))


def _period_years(kode: str) -> list[int]:
    (first, last), _range = _plan_years(kode)
    return list(range(first, last + 1))


def _num(value: float, lang: str) -> str:
    return fmt_number(value, 2, lang, strip_zeros=True)


# --------------------------------------------------------------------------- the matrix


@dataclass
class MatrixRow:
    activity: Activity
    supports: list[str]
    cells: list[tuple[str, str]]
    changeable: bool


@dataclass
class SectorGroup:
    sector: str
    rows: list[MatrixRow] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)


def _planned_by_activity(acts: Iterable[Activity]) -> dict[int, dict[int, tuple[float, float]]]:
    ids = [a.pk for a in acts]
    out: dict[int, dict[int, tuple[float, float]]] = {i: {} for i in ids}
    for aid, year, output, cost in PlannedYear.objects.filter(activity_id__in=ids).values_list(
        "activity_id", "year", "planned_output", "planned_cost_idr"
    ):
        out[aid][int(year)] = (float(output), float(cost))
    return out


def _supports_by_activity(acts: Iterable[Activity]) -> dict[int, list[str]]:
    ids = [a.pk for a in acts]
    out: dict[int, list[str]] = {i: [] for i in ids}
    for aid, code in (
        ActivitySupport.objects.filter(activity_id__in=ids)
        .order_by("activity_id", "position", "id")
        .values_list("activity_id", "agency__code")
    ):
        out[aid].append(code)
    return out


def matrix_groups(
    user: Any, kode: str, years: list[int], lang: str, *, sector: str = "", state: str = ""
) -> list[SectorGroup]:
    """The visible activities of the city grouped by sector (in :data:`SECTORS` order), with
    planned output and cost per year of ``years``, and per sector the planned cost per year
    of the *adopted* activities shown (a proposal is not in the plan)."""
    qs = Activity.objects.restrict(user).filter(city_kode=kode)
    if sector:
        qs = qs.filter(sector=sector)
    if state:
        qs = qs.filter(state=state)
    acts = list(qs.select_related("lead_agency", "location").order_by("code"))
    planned = _planned_by_activity(acts)
    supports = _supports_by_activity(acts)
    changeable = set(
        Activity.objects.restrict(user, roles.CHANGE)
        .filter(city_kode=kode)
        .values_list("pk", flat=True)
    )
    groups = {s: SectorGroup(s) for s in SECTORS}
    totals: dict[str, dict[int, float]] = {s: dict.fromkeys(years, 0.0) for s in SECTORS}
    for a in acts:
        cells = []
        for y in years:
            output, cost = planned[a.pk].get(y, (0.0, 0.0))
            cells.append((_num(output, lang), fmt_idr_compact(cost, lang)))
            if a.state == ADOPTED and a.sector in totals:
                totals[a.sector][y] += cost
        group = groups.setdefault(a.sector, SectorGroup(a.sector))
        group.rows.append(MatrixRow(a, supports[a.pk], cells, a.pk in changeable))
    for s, group in groups.items():
        group.totals = [fmt_idr_compact(totals.get(s, {}).get(y, 0.0), lang) for y in years]
    return [g for g in groups.values() if g.rows]


@login_required
@require_safe
def programme_list(request: HttpRequest, kode: str) -> HttpResponse:
    """The programme matrix of the city (view scope), filtered by sector and state."""
    city = visible_city(request, kode)
    lang = page_lang()
    years = _period_years(kode)
    filters = FilterForm(request.GET or None)
    sector = state = ""
    status = 200
    if filters.is_bound:
        if filters.is_valid():
            sector = filters.cleaned_data["sector"]
            state = filters.cleaned_data["state"]
        else:
            status = 422
    context = {
        "city": city,
        "filters": filters,
        "years": years,
        "groups": matrix_groups(request.user, kode, years, lang, sector=sector, state=state),
        "can_new": can_add(request.user, Activity, kode),
        "proposes": not adopts(request.user, kode),
        "reads_history": can_read_history(request.user, kode),
    }
    return render(request, MATRIX if _htmx(request) else LIST, context, status=status)


# --------------------------------------------------------------------------- one activity


def _planned_rows(act: Activity, lang: str) -> list[dict[str, str]]:
    return [
        {
            "year": str(p.year),
            "output": _num(p.planned_output, lang),
            "cost": fmt_idr(p.planned_cost_idr, lang),
        }
        for p in PlannedYear.objects.filter(activity=act).order_by("year")
    ]


def _detail_context(request: HttpRequest, city: Region, act: Activity) -> dict[str, Any]:
    user = request.user
    lang = page_lang()
    return {
        "city": city,
        "act": act,
        "supports": list(act.support_codes()),
        "planned": _planned_rows(act, lang),
        "history": object_history(user, act),
        "can_edit": can(user, roles.CHANGE, act),
        "can_review": act.state == PROPOSED and can(user, roles.VERIFY, act),
        "reject_form": RejectForm(initial={"version": act.version}),
        "reads_history": can_read_history(user, city.kode),
    }


@login_required
@require_safe
def activity_detail(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    city = visible_city(request, kode)
    act = _activity(request, kode, code)
    return render(request, DETAIL, _detail_context(request, city, act))


def _choices(
    request: HttpRequest, kode: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(agencies, locations) of the city as (code, label) choices."""
    agencies = [
        (a.code, f"{a.code} · {a.name_id}")
        for a in Agency.objects.restrict(request.user).filter(city_kode=kode).order_by("code")
    ]
    locations = [
        (r.kode, f"{r.nama} · {r.tingkat} ({r.kode})")
        for r in Region.objects.restrict(request.user)
        .filter(city_kode=kode, tingkat__in=LOCATION_LEVELS)
        .order_by("kode")
    ]
    return agencies, locations


def _form(
    request: HttpRequest,
    kode: str,
    data: Any = None,
    *,
    act: Activity | None = None,
    initial: dict[str, Any] | None = None,
    lead_code: str | None = None,
) -> ActivityForm:
    agencies, locations = _choices(request, kode)
    _period, plan_years = _plan_years(kode)
    years = set(_period_years(kode))
    if act is not None:
        years |= set(PlannedYear.objects.filter(activity=act).values_list("year", flat=True))
    return ActivityForm(
        data,
        initial=initial,
        city_kode=kode,
        agencies=agencies,
        locations=locations,
        years=sorted(years),
        plan_years=plan_years,
        lang=page_lang(),
        editing=act is not None,
        lead_code=lead_code,
    )


def _initial(act: Activity) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(act, name) for name in ("code", *ACTIVITY_TEXT_FIELDS, "version")
    }
    initial["lead_agency"] = act.lead_agency.code
    initial["location"] = act.location.kode
    initial["adopted_on"] = act.adopted_on
    initial["support_agencies"] = list(act.support_codes())
    for p in PlannedYear.objects.filter(activity=act):
        initial[output_field(p.year)] = p.planned_output
        initial[cost_field(p.year)] = p.planned_cost_idr
    return initial


def _render_form(
    request: HttpRequest,
    city: Region,
    form: ActivityForm,
    *,
    act: Activity | None = None,
    status: int = 200,
    conflict: Activity | None = None,
) -> HttpResponse:
    lang = page_lang()
    context = {
        "city": city,
        "form": form,
        "act": act,
        "proposes": not adopts(request.user, city.kode),
        "conflict": conflict,
        "conflict_supports": [] if conflict is None else list(conflict.support_codes()),
        "conflict_planned": [] if conflict is None else _planned_rows(conflict, lang),
        "history": [] if act is None else object_history(request.user, act),
        "reads_history": can_read_history(request.user, city.kode),
    }
    return render(request, EDITOR if _htmx(request) else FORM, context, status=status)


def _saved(request: HttpRequest, act: Activity, notice: str, warnings: list[str]) -> HttpResponse:
    messages.success(request, notice)
    for w in warnings:
        messages.warning(request, w)
    url = reverse("activity-detail", args=[act.city_kode, act.code])
    if _htmx(request):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _write_children(act: Activity, form: ActivityForm) -> None:
    """Supporting agencies (in the order chosen) and planned years of ``act`` as in
    ``form``; rows no longer listed are deleted, the others updated in place."""
    kode = act.city_kode
    agencies = {a.code.upper(): a for a in Agency.objects.filter(city_kode=kode)}
    chosen = list(dict.fromkeys(str(c).upper() for c in form.cleaned_data["support_agencies"]))
    # A multi-select sends its options in page order: keep the matrix order of the agencies
    # already listed, add the new ones after them.
    kept = [c.upper() for c in act.support_codes() if c.upper() in chosen]
    codes = kept + [c for c in chosen if c not in kept]
    wanted = [agencies[c] for c in codes]
    ActivitySupport.objects.filter(activity=act).exclude(agency__in=[a.pk for a in wanted]).delete()
    for i, agency in enumerate(wanted):
        ActivitySupport.objects.update_or_create(
            city_kode=kode, activity=act, agency=agency, defaults={"position": i}
        )
    planned = form.planned()
    PlannedYear.objects.filter(activity=act).exclude(year__in=list(planned)).delete()
    for year, (output, cost) in planned.items():
        PlannedYear.objects.update_or_create(
            city_kode=kode,
            activity=act,
            year=year,
            defaults={"planned_output": float(output), "planned_cost_idr": float(cost)},
        )


def _apply(act: Activity, form: ActivityForm) -> None:
    """The parsed row (the CLI's typed values: sasaran lower-case, funding source upper-case,
    agency codes as registered) onto ``act``."""
    parsed = form.parsed
    assert parsed is not None and len(parsed.df) == 1
    row = parsed.df.iloc[0]
    kode = act.city_kode
    for name in ACTIVITY_TEXT_FIELDS:
        setattr(act, name, str(row[name]))
    act.lead_agency = Agency.objects.get(city_kode=kode, code=str(row["lead_agency"]))
    act.location = Region.objects.get(city_kode=kode, kode=str(row["location_kode"]))
    adopted = row["adopted_on"]
    act.adopted_on = None if pd.isna(adopted) else pd.Timestamp(adopted).date()


def _add_model_errors(form: ActivityForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errs in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, kode: str) -> HttpResponse:
    """A new activity: adopted when the user adopts (Bappeda, admin), else a proposal of the
    user's own agency."""
    city = visible_city(request, kode)
    user = request.user
    if not can_add(user, Activity, kode):
        raise PermissionDenied(_("You may not add activities to this city."))
    lead_code: str | None = None
    if not adopts(user, kode):
        s = scope_of(user)
        agency_code = "" if s is None else s.agency_code
        lead = Agency.objects.filter(city_kode=kode, code=agency_code).first()
        if lead is None:
            raise PermissionDenied(_("Your agency is not an agency of this city."))
        lead_code = lead.code
    if request.method == "GET":
        initial: dict[str, Any] = {f"{output_field(y)}": 0 for y in _period_years(kode)}
        initial.update({f"{cost_field(y)}": 0 for y in _period_years(kode)})
        if lead_code is None:  # added by Bappeda: adopted today (blank it for the original plan)
            initial["adopted_on"] = period.reporting_date()
        form = _form(request, kode, initial=initial, lead_code=lead_code)
        return _render_form(request, city, form)
    form = _form(request, kode, request.POST, lead_code=lead_code)
    if form.is_valid():
        act = Activity(city_kode=kode, code=form.cleaned_data["code"])
        act.state = ADOPTED if lead_code is None else PROPOSED
        try:
            _apply(act, form)
            act.full_clean(validate_unique=False, validate_constraints=False)
            with transaction.atomic(), acting_as(user):
                with suspended():  # one entry with supports and planned years, below
                    act.save()
                    _write_children(act, form)
                record(user, act, None, snapshot(act))
        except ValidationError as e:
            _add_model_errors(form, e)
        except IntegrityError:
            form.add_error("code", _("This city already has an activity with this code."))
        else:
            notice = (
                _("Activity %(code)s added to the plan.")
                if act.state == ADOPTED
                else _("Activity %(code)s proposed: Bappeda will review it.")
            ) % {"code": act.code}
            return _saved(request, act, notice, form.warnings)
    return _render_form(request, city, form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    """Edit an activity (koordinator: any of the city; opd: its own proposals)."""
    city = visible_city(request, kode)
    user = request.user
    act = _activity(request, kode, code)
    if not can(user, roles.CHANGE, act):
        raise PermissionDenied(_("You may not change this activity."))
    lead_code = None if adopts(user, kode) else act.lead_agency.code
    initial = _initial(act)
    if request.method == "GET":
        form = _form(request, kode, act=act, initial=initial, lead_code=lead_code)
        return _render_form(request, city, form, act=act)
    form = _form(request, kode, request.POST, act=act, initial=initial, lead_code=lead_code)
    if not form.is_valid():
        return _render_form(request, city, form, act=act, status=422)
    try:
        _apply(act, form)
        act.full_clean(validate_unique=False, validate_constraints=False)
        with transaction.atomic(), acting_as(user):
            before = snapshot(Activity._base_manager.get(pk=act.pk))
            with suspended():  # one entry with supports and planned years, below
                act.save_checked(int(form.cleaned_data["version"]))
                _write_children(act, form)
            record(user, act, before, snapshot(act))
    except StaleObjectError as e:
        return _conflict(request, city, form, act, e)
    except ValidationError as e:
        _add_model_errors(form, e)
        return _render_form(request, city, form, act=act, status=422)
    return _saved(request, act, _("Activity %(code)s saved.") % {"code": act.code}, form.warnings)


def _conflict(
    request: HttpRequest, city: Region, form: ActivityForm, act: Activity, e: StaleObjectError
) -> HttpResponse:
    """The form again with the user's values and the stored row shown next to it; the form
    now carries the stored version, so saving again replaces it deliberately."""
    current = e.current
    stored = act if current is None else Activity.objects.get(pk=current.pk)
    data = request.POST.copy()
    if current is not None:
        data["version"] = str(getattr(current, "version", ""))
    again = _form(
        request,
        city.kode,
        data,
        act=stored,
        initial=_initial(stored),
        lead_code=form.lead_code,
    )
    again.is_valid()
    return _render_form(request, city, again, act=stored, status=409, conflict=stored)


@login_required
@require_POST
def effect_preview(request: HttpRequest, kode: str) -> HttpResponse:
    """The effect builder of the activity form again (HTMX, on every change): the rows as
    posted (a new blank row once the last is filled; from/to options following each row's
    kind), the errors at their fields and what one unit does, in words and the page's
    language. Stores nothing; answers 200 so the page swaps the errors in. Only for users who
    add or change activities of the city (the others have no form)."""
    city = visible_city(request, kode)
    user = request.user
    edits = Activity.objects.restrict(user, roles.CHANGE).filter(city_kode=kode).exists()
    if not (can_add(user, Activity, kode) or edits):
        raise PermissionDenied(_("You may not add activities to this city."))
    builder = EffectBuilder(request.POST, lang=page_lang())
    context = {"city": city, "builder": builder, "preview": builder.preview(), "form": None}
    return render(request, "web/partials/effect_builder.html", context)


# --------------------------------------------------------------------------- review


def _review(request: HttpRequest, kode: str, code: str, step: str) -> HttpResponse:
    city = visible_city(request, kode)
    user = request.user
    act = _activity(request, kode, code)
    if not can(user, roles.VERIFY, act):
        raise PermissionDenied(_("You may not review this activity."))
    form: ReviewForm | RejectForm = (
        RejectForm(request.POST) if step == "reject" else ReviewForm(request.POST)
    )
    context = _detail_context(request, city, act)
    if not form.is_valid():
        if isinstance(form, RejectForm):
            context["reject_form"] = form
        context["notice"] = "; ".join(str(m) for ms in form.errors.values() for m in ms)
        return render(request, DETAIL, context, status=422)
    if act.state != PROPOSED:
        context["notice"] = _(
            "Only a proposal can be adopted or rejected (this activity is %(state)s)."
        ) % {"state": act.get_state_display()}
        return render(request, DETAIL, context, status=409)
    if step == "adopt":
        act.state = ADOPTED
        act.review_comment = ""
        act.adopted_on = period.reporting_date()
        notice = _("Activity %(code)s adopted: it is now in the plan.")
    else:
        act.state = REJECTED
        act.review_comment = str(form.cleaned_data["comment"])
        notice = _("Proposal %(code)s rejected; the agency sees your comment.")
    try:
        with acting_as(user):
            act.save_checked(int(form.cleaned_data["version"]))
    except StaleObjectError as e:
        stored = e.current
        fresh = _activity(request, kode, code) if stored is not None else act
        context = _detail_context(request, city, fresh)
        context["notice"] = _(
            "Someone else changed this activity meanwhile (now version %(version)s, "
            "%(state)s). Nothing was saved: check it and decide again."
        ) % {"version": fresh.version, "state": fresh.get_state_display()}
        return render(request, DETAIL, context, status=409)
    return _saved(request, act, notice % {"code": act.code}, [])


@login_required
@require_POST
def activity_adopt(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    return _review(request, kode, code, "adopt")


@login_required
@require_POST
def activity_reject(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    return _review(request, kode, code, "reject")
