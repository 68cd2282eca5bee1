"""Plan editing by Bappeda (HTMX): the plan's settings and target-set selection, the city's
LOCAL sasaran table, parameter overrides and the indicators published on the public page.

Who: whoever may ``change`` the city's active plan (``Plan.objects.restrict(user,
"change")``: the koordinator of the city, admin) edits; every other role that sees the city
reads the same pages without inputs (a POST from them is a 403). A city the user may not see
is a 404 (:func:`~sanitasi.web.cities.visible_city`).

Checks: the CLI's rules with the CLI's rule text (:mod:`sanitasi.web.plans.forms`); bad input
answers 422 with the message at the field (the sasaran table: at the row and field), and
nothing is saved. Conflicts answer 409 and overwrite nothing: the plan carries its
``version`` (``Versioned.save_checked``); the sasaran table and an override carry a
fingerprint of the rows as read, compared again inside the saving transaction.

Audit: plan saves, LOCAL points and overrides are recorded by the audit signals (who, when,
before, after); a new target-set selection is one entry on the plan (``target_sets``: the
codes before and after) instead of one entry per link row. Every entry changes the data
version of :mod:`sanitasi.web.plans.results`, so the dashboard recomputes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanitasi.core import targets as tg
from sanitasi.core.model import LEAF_LEVELS, Parameter
from sanitasi.io import city_checks as cc
from sanitasi.io import city_tables as ct
from sanitasi.io.reference import choices_of, load_reference
from sanitasi.io.tables import LINE
from sanitasi.reports.fmt import fmt_number
from sanitasi.reports.i18n import indicator_label, target_set_label
from sanitasi.web import roles
from sanitasi.web.audit.history import object_history
from sanitasi.web.audit.log import record, suspended
from sanitasi.web.basemodels import StaleObjectError
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.geography.models import Region
from sanitasi.web.plans import forms as f
from sanitasi.web.plans.dashboard import headline_rows
from sanitasi.web.plans.inputs import observations_frame, regions_frame, targets_frame
from sanitasi.web.plans.models import (
    LOCAL,
    ParameterOverride,
    Plan,
    PlanTargetSet,
    TargetPoint,
    TargetSet,
)
from sanitasi.web.plans.results import PlanUnavailable, plan_result
from sanitasi.web.scope import can, can_add, can_read_history

SETTINGS_PAGE = "web/plan_settings.html"
SETTINGS_APP = "web/partials/plan_settings_app.html"
SASARAN_PAGE = "web/plan_sasaran.html"
SASARAN_APP = "web/partials/plan_sasaran_app.html"
PARAMETERS_PAGE = "web/plan_parameters.html"
PARAMETERS_APP = "web/partials/plan_parameters_app.html"


# --------------------------------------------------------------------------- helpers


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _plan(request: HttpRequest, kode: str) -> Plan:
    """The city's active plan as the user may see it (else 404); call after
    :func:`visible_city`."""
    plan = Plan.objects.restrict(request.user).filter(city_kode=kode, is_active=True).first()
    if plan is None:
        raise Http404("no active plan")
    return plan


def may_edit(user: Any, plan: Plan) -> bool:
    """Whether ``user`` edits the plan's settings, targets, parameters and publication."""
    return can(user, roles.CHANGE, plan)


def _require_edit(request: HttpRequest, plan: Plan) -> None:
    if not may_edit(request.user, plan):
        raise PermissionDenied(_("You may not change this plan."))


def _page(
    request: HttpRequest, page: str, app: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, app if _htmx(request) else page, context, status=status)


def _done(request: HttpRequest, url_name: str, kode: str, notice: str) -> HttpResponse | None:
    """Plain form posts: message + redirect; HTMX posts: ``None`` (the caller re-renders)."""
    if _htmx(request):
        return None
    messages.success(request, notice)
    return redirect(url_name, kode=kode)


def _num(v: Any, lang: str) -> str:
    if v is None or isinstance(v, str):
        return "–" if v in (None, "") else str(v)
    return fmt_number(v, 6, lang, strip_zeros=True)


def _base_context(request: HttpRequest, city: Region, plan: Plan) -> dict[str, Any]:
    return {
        "city": city,
        "plan": plan,
        "editable": may_edit(request.user, plan),
        "reads_history": can_read_history(request.user, city.kode),
    }


# --------------------------------------------------------------------------- settings page


@dataclass
class SetRow:
    """A target set as the settings page shows it."""

    code: str
    label: str
    local: bool
    selected: bool
    position: int | None
    points: list[TargetPoint] = field(default_factory=list)


def visible_sets(user: Any, kode: str, plan: Plan) -> list[SetRow]:
    """National shared sets and the city's own, as the user may see them, selected first
    (in plan order), with their points."""
    sets = list(
        TargetSet.objects.restrict(user)
        .filter(city_kode__in=["", kode])
        .order_by("city_kode", "code")
    )
    chosen = list(
        PlanTargetSet.objects.filter(plan=plan)
        .order_by("position", "id")
        .values_list("target_set_id", flat=True)
    )
    rank = {pk: i for i, pk in enumerate(chosen)}
    points: dict[int, list[TargetPoint]] = {s.pk: [] for s in sets}
    for p in (
        TargetPoint.objects.restrict(user)
        .filter(target_set__in=sets)
        .order_by("indicator", "year", "id")
    ):
        points[p.target_set_id].append(p)
    lang = page_lang()
    rows = [
        SetRow(
            s.code,
            target_set_label(s.code, lang) if s.code != LOCAL else _("City sasaran (LOCAL)"),
            bool(s.city_kode),
            s.pk in rank,
            rank[s.pk] + 1 if s.pk in rank else None,
            points[s.pk],
        )
        for s in sets
    ]
    rows.sort(key=lambda r: (not r.selected, r.position or 0, not r.local))
    return rows


def engine_default_sets(kode: str, plan: Plan) -> tuple[str, ...]:
    """What the engine takes when the plan selects no set (``default_target_sets``)."""
    return tg.default_target_sets(
        targets_frame(kode), [kode], int(plan.base_year), int(plan.horizon)
    )


def _settings_form(kode: str, *args: Any, **kwargs: Any) -> f.PlanSettingsForm:
    regions = regions_frame(kode)
    leaves = list(regions.loc[regions["tingkat"].isin(LEAF_LEVELS), "kode"])
    return f.PlanSettingsForm(*args, leaf_obs=observations_frame(kode), leaves=leaves, **kwargs)


def _settings_initial(plan: Plan) -> dict[str, Any]:
    return {
        "base_year": plan.base_year,
        "horizon": plan.horizon,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "growth_method": plan.growth_method,
        "bau_mode": plan.bau_mode,
        "stage": plan.stage,
        "version": plan.version,
    }


def _publishable(kode: str) -> list[tuple[str, str]]:
    """(code, label) of the city's headline indicators (those of its plan run). A plan that
    cannot run (a city without baseline data) has none; its settings stay editable."""
    lang = page_lang()
    try:
        result = plan_result(kode)
    except PlanUnavailable:  # the dashboard names the reasons
        return []
    return [(r.indicator, r.label) for r in headline_rows(result, kode, lang)]


def _settings_page(
    request: HttpRequest,
    city: Region,
    plan: Plan,
    *,
    status: int = 200,
    form: f.PlanSettingsForm | None = None,
    **extra: Any,
) -> HttpResponse:
    kode = city.kode
    editable = may_edit(request.user, plan)
    if form is None:
        form = _settings_form(kode, initial=_settings_initial(plan))
    if not editable:
        for fld in form.fields.values():
            fld.disabled = True
    sets = visible_sets(request.user, kode, plan)
    published = set(plan.published_indicators or [])
    context = {
        **_base_context(request, city, plan),
        "form": form,
        "sets": sets,
        "engine_decides": not any(s.selected for s in sets),
        "default_sets": engine_default_sets(kode, plan),
        "publishable": [(c, label, c in published) for c, label in _publishable(kode)],
        "history": object_history(request.user, plan),
        **extra,
    }
    return _page(request, SETTINGS_PAGE, SETTINGS_APP, context, status)


def _stale_plan(current: Any) -> str:
    if current is None:
        return _("Someone deleted this plan meanwhile; nothing was saved.")
    return _(
        "Someone else saved this plan meanwhile (now version %(version)s: base year %(base)s, "
        "horizon %(horizon)s). Nothing was overwritten: check the values and save again to "
        "replace them."
    ) % {"version": current.version, "base": current.base_year, "horizon": current.horizon}


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest, kode: str) -> HttpResponse:
    """GET: the plan page; POST: save the settings (base year ... stage)."""
    city = visible_city(request, kode)
    plan = _plan(request, kode)
    if request.method == "GET":
        return _settings_page(request, city, plan)
    _require_edit(request, plan)
    form = _settings_form(kode, request.POST, initial=_settings_initial(plan))
    if not form.is_valid():
        return _settings_page(request, city, plan, status=422, form=form)
    d = form.cleaned_data
    plan.base_year = d["base_year"]
    plan.horizon = d["horizon"]
    plan.period_start = d["period_start"]
    plan.period_end = d["period_end"]
    plan.growth_method = d["growth_method"]
    plan.bau_mode = d["bau_mode"]
    plan.stage = d["stage"] or ""
    try:
        plan.save_checked(d["version"])
    except StaleObjectError as e:
        current = e.current
        data = request.POST.copy()
        if current is not None:
            data["version"] = str(getattr(current, "version", ""))
        again = _settings_form(kode, data)
        again.is_valid()
        fresh = _plan(request, kode)
        return _settings_page(
            request, city, fresh, status=409, form=again, conflict=_stale_plan(current)
        )
    notice = _("Plan settings saved.")
    return _done(request, "plan-settings", kode, notice) or _settings_page(
        request, city, plan, notice=notice
    )


def save_selection(user: Any, plan: Plan, version: int, codes: list[str]) -> bool:
    """Replace the plan's target-set selection by ``codes`` (in order) if the plan is still at
    ``version``; one audit entry on the plan (``target_sets`` before → after). Returns
    whether anything changed; raises :class:`StaleObjectError` on a conflict."""
    with transaction.atomic():
        current = Plan._base_manager.select_for_update().filter(pk=plan.pk).first()
        if current is None or current.version != version:
            raise StaleObjectError(current)
        before = list(
            PlanTargetSet.objects.filter(plan=plan)
            .order_by("position", "id")
            .values_list("target_set__code", flat=True)
        )
        if before == codes:
            return False
        sets = {
            s.code: s
            # the city's own set (after the shared ones) wins over a shared set of that code
            for s in TargetSet.objects.filter(
                city_kode__in=["", plan.city_kode], code__in=codes
            ).order_by("city_kode")
        }
        with suspended():
            Plan._base_manager.filter(pk=plan.pk).update(version=version + 1)
            PlanTargetSet.objects.filter(plan=plan).delete()
            PlanTargetSet.objects.bulk_create(
                [
                    PlanTargetSet(
                        city_kode=plan.city_kode, plan=plan, target_set=sets[c], position=i
                    )
                    for i, c in enumerate(codes)
                ]
            )
        plan.version = version + 1
        record(
            user,
            plan,
            {"target_sets": before, "version": version},
            {"target_sets": list(codes), "version": version + 1},
        )
    return True


@login_required
@require_POST
def plan_target_sets(request: HttpRequest, kode: str) -> HttpResponse:
    """Save which target sets the plan uses and their order (none = the engine decides)."""
    city = visible_city(request, kode)
    plan = _plan(request, kode)
    _require_edit(request, plan)
    vform = f.VersionForm(request.POST)
    available = [s.code for s in visible_sets(request.user, kode, plan)]
    codes, unknown = f.selected_codes(request.POST, available)
    if not vform.is_valid() or unknown:
        errors = [f.rule_text(p) for p in cc.target_set_problems(unknown, sorted(set(available)))]
        if not vform.is_valid():
            errors.append(_("Missing version: reload the page."))
        return _settings_page(request, city, plan, status=422, selection_errors=errors)
    try:
        changed = save_selection(request.user, plan, vform.cleaned_data["version"], codes)
    except StaleObjectError as e:
        fresh = _plan(request, kode)
        return _settings_page(
            request, city, fresh, status=409, selection_conflict=_stale_plan(e.current)
        )
    notice = _("Target sets saved.") if changed else _("Nothing changed.")
    fresh = _plan(request, kode)
    return _done(request, "plan-settings", kode, notice) or _settings_page(
        request, city, fresh, selection_notice=notice
    )


@login_required
@require_POST
def plan_publish(request: HttpRequest, kode: str) -> HttpResponse:
    """Save which headline indicators the public page shows."""
    city = visible_city(request, kode)
    plan = _plan(request, kode)
    _require_edit(request, plan)
    vform = f.VersionForm(request.POST)
    available = [c for c, _label in _publishable(kode)]
    codes, unknown = f.published_codes(request.POST, available)
    if not vform.is_valid() or unknown:
        errors = [
            _("Indicator %(code)s is not a headline indicator of this city.") % {"code": c}
            for c in unknown
        ]
        if not vform.is_valid():
            errors.append(_("Missing version: reload the page."))
        return _settings_page(request, city, plan, status=422, publish_errors=errors)
    plan.published_indicators = codes
    try:
        plan.save_checked(vform.cleaned_data["version"])
    except StaleObjectError as e:
        fresh = _plan(request, kode)
        return _settings_page(
            request, city, fresh, status=409, publish_conflict=_stale_plan(e.current)
        )
    notice = _("Published indicators saved.")
    return _done(request, "plan-settings", kode, notice) or _settings_page(
        request, city, plan, publish_notice=notice
    )


# --------------------------------------------------------------------------- LOCAL sasaran


def local_set(kode: str) -> TargetSet | None:
    return TargetSet.objects.filter(city_kode=kode, code=LOCAL).first()


def _local_points(ts: TargetSet | None) -> list[TargetPoint]:
    if ts is None:
        return []
    return list(TargetPoint.objects.filter(target_set=ts).order_by("indicator", "year", "id"))


def fingerprint(points: Iterable[TargetPoint]) -> str:
    """A digest of the LOCAL rows as read (the table's optimistic-locking token)."""
    rows = sorted(
        (p.pk, p.indicator, int(p.year), p.kind, float(p.value), p.unit, p.source, p.status, p.note)
        for p in points
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:32]


def _point_initial(p: TargetPoint) -> dict[str, Any]:
    return {
        "id": p.pk,
        "indicator": p.indicator,
        "year": str(p.year),
        "kind": p.kind,
        "value": f"{p.value:g}" if abs(p.value) < 1e15 else repr(p.value),
        "unit": p.unit,
        "source": p.source,
        "status": p.status,
        "note": p.note,
    }


def _may_edit_sasaran(user: Any, plan: Plan, ts: TargetSet | None) -> bool:
    if not may_edit(user, plan):
        return False
    if ts is None:
        return can_add(user, TargetSet, plan.city_kode)
    return can(user, roles.CHANGE, ts)


def _sasaran_page(
    request: HttpRequest,
    city: Region,
    plan: Plan,
    *,
    status: int = 200,
    formset: Any = None,
    token: str | None = None,
    **extra: Any,
) -> HttpResponse:
    kode = city.kode
    ts = TargetSet.objects.restrict(request.user).filter(city_kode=kode, code=LOCAL).first()
    points = _local_points(ts)
    editable = _may_edit_sasaran(request.user, plan, ts)
    indicators = f.indicator_choices([p.indicator for p in points])
    if formset is None and editable:
        formset = f.SasaranFormSet(
            initial=[_point_initial(p) for p in points], indicators=indicators, prefix="row"
        )
    lang = page_lang()
    context = {
        **_base_context(request, city, plan),
        "editable": editable,
        "local_set": ts,
        "points": points,
        "formset": formset,
        "token": fingerprint(points) if token is None else token,
        "indicator_labels": [(c, indicator_label(c, lang)) for c in indicators],
        **extra,
    }
    return _page(request, SASARAN_PAGE, SASARAN_APP, context, status)


class _Conflict(Exception):
    def __init__(self, points: list[TargetPoint]) -> None:
        self.points = points


def save_sasaran(
    kode: str, token: str, rows: list[tuple[int | None, dict[str, Any]]], deleted: list[int]
) -> dict[str, int]:
    """Write the LOCAL table in one transaction: ``rows`` are (id or ``None`` for a new row,
    typed values), ``deleted`` the ids removed. Raises :class:`_Conflict` when the stored
    rows are no longer those the editor read (``token``). Rows whose indicator or year
    changed are deleted and created again, so the unique key never collides midway."""
    counts = {"created": 0, "changed": 0, "deleted": 0}
    with transaction.atomic():
        ts, _created = TargetSet.objects.get_or_create(
            city_kode=kode, code=LOCAL, defaults={"name": "LOCAL"}
        )
        ts = TargetSet.objects.select_for_update().get(pk=ts.pk)
        stored = {p.pk: p for p in _local_points(ts)}
        if fingerprint(stored.values()) != token:
            raise _Conflict(list(stored.values()))
        updates: list[tuple[TargetPoint, dict[str, Any]]] = []
        creates: list[dict[str, Any]] = []
        removals = [stored[pk] for pk in deleted if pk in stored]
        rekeyed: list[tuple[TargetPoint, dict[str, Any]]] = []
        for pk, values in rows:
            p = stored.get(pk) if pk is not None else None
            if p is None:
                creates.append(values)
            elif (p.indicator, p.year) != (values["indicator"], values["year"]):
                rekeyed.append((p, values))
            else:
                updates.append((p, values))
        for p in removals + [p for p, _v in rekeyed]:
            p.delete()
        for p, values in updates:
            if any(getattr(p, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(p, k, v)
                p.save()
                counts["changed"] += 1
        for values in [v for _p, v in rekeyed] + creates:
            TargetPoint.objects.create(city_kode=kode, target_set=ts, **values)
        counts["created"] = len(creates)
        counts["deleted"] = len(removals)
        counts["changed"] += len(rekeyed)
    return counts


def _typed(rec: dict[str, Any], kode: str) -> dict[str, Any]:
    return {
        "indicator": str(rec["indicator"]),
        "year": int(rec["year"]),
        "kind": str(rec["kind"]),
        "value": float(rec["value"]),
        "status": str(rec["status"]),
        "scope_kode": kode,
        "unit": str(rec["unit"]),
        "source": str(rec["source"]),
        "note": str(rec["note"]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_sasaran(request: HttpRequest, kode: str) -> HttpResponse:
    """GET: the city's LOCAL sasaran; POST: save the whole table (all or nothing)."""
    city = visible_city(request, kode)
    plan = _plan(request, kode)
    if request.method == "GET":
        return _sasaran_page(request, city, plan)
    ts = TargetSet.objects.restrict(request.user).filter(city_kode=kode, code=LOCAL).first()
    if not _may_edit_sasaran(request.user, plan, ts):
        raise PermissionDenied(_("You may not change the sasaran of this city."))
    stored = _local_points(ts)
    indicators = f.indicator_choices([p.indicator for p in stored])
    formset = f.SasaranFormSet(request.POST, indicators=indicators, prefix="row")
    token = str(request.POST.get("token", ""))
    if not formset.is_valid():
        return _sasaran_page(request, city, plan, status=422, formset=formset, token=token)
    known = {p.pk for p in stored}
    kept: list[tuple[int, dict[str, Any]]] = []
    ids: dict[int, int | None] = {}
    deleted: list[int] = []
    for i, form in enumerate(formset.forms, start=1):
        d = form.cleaned_data
        if not d or form.is_blank_new():
            continue
        pk = d.get("id")
        if pk not in known:  # a row deleted meanwhile (or never ours): saved as a new row
            pk = None
        if d.get("delete"):
            if pk is not None:
                deleted.append(pk)
            continue
        kept.append((i, d))
        ids[i] = pk
    typed, errors = f.check_sasaran(kept, kode, indicators)
    for i, by_field in errors.items():
        form = formset.forms[i - 1]
        for fld, msgs in by_field.items():
            for m in msgs:
                form.add_error(fld, m)
    if errors or any(form.errors for form in formset.forms):
        return _sasaran_page(
            request,
            city,
            plan,
            status=422,
            formset=formset,
            token=token,
            table_error=_("Nothing was saved: correct the rows marked below."),
        )
    records = [{str(k): v for k, v in r.items()} for r in typed.to_dict("records")]
    rows = [(ids[int(r[LINE])], _typed(r, kode)) for r in records]
    try:
        counts = save_sasaran(kode, token, rows, deleted)
    except _Conflict as c:
        return _sasaran_page(
            request,
            city,
            plan,
            status=409,
            formset=formset,
            token=fingerprint(c.points),
            conflict=_(
                "Someone else changed the sasaran meanwhile; nothing was saved. The stored "
                "rows are listed below your table: check them and save again to replace them."
            ),
            stored_points=c.points,
        )
    notice = (
        _("Sasaran saved: %(created)s added, %(changed)s changed, %(deleted)s deleted.") % counts
    )
    return _done(request, "plan-sasaran", kode, notice) or _sasaran_page(
        request, city, plan, notice=notice
    )


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class ParamRow:
    """A reference parameter with the plan's override (if any), formatted for the page."""

    name: str
    value: str
    unit: str
    range: str
    source: str
    status: str
    note: str
    override: ParameterOverride | None
    override_value: str


def override_token(o: ParameterOverride | None) -> str:
    """The state of an override as read (``none`` when absent): the form's conflict check."""
    if o is None:
        return "none"
    num = None if o.value_num is None else float(o.value_num)
    raw = json.dumps([o.pk, num, o.value_text, o.source, o.status, o.note])
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _range(p: Parameter, lang: str) -> str:
    choices = choices_of(p.unit)
    if choices is not None:
        return " | ".join(choices)
    if p.low is None and p.high is None:
        return ""
    return f"{_num(p.low, lang)} – {_num(p.high, lang)}"


def parameter_rows(plan: Plan) -> list[ParamRow]:
    lang = page_lang()
    overrides = {o.name: o for o in ParameterOverride.objects.filter(plan=plan)}
    out = []
    for p in load_reference().parameters.params.values():
        if p.reference_only:  # no computation reads it: not offered for override
            continue
        o = overrides.get(p.name)
        out.append(
            ParamRow(
                p.name,
                _num(p.value, lang),
                p.unit,
                _range(p, lang),
                p.source,
                p.status,
                p.note,
                o,
                "" if o is None else _num(o.value, lang),
            )
        )
    return out


def _override_initial(o: ParameterOverride | None) -> dict[str, Any]:
    if o is None:
        return {"status": "unverified", "current": "none"}
    v = o.value
    return {
        "value": v if isinstance(v, str) else f"{v:.15g}",
        "source": o.source,
        "status": o.status,
        "note": o.note,
        "current": override_token(o),
    }


def _parameters_page(
    request: HttpRequest,
    city: Region,
    plan: Plan,
    *,
    status: int = 200,
    form: f.OverrideForm | None = None,
    edit: str = "",
    **extra: Any,
) -> HttpResponse:
    editable = may_edit(request.user, plan)
    params = load_reference().parameters
    if form is None and editable and edit in params and not params.params[edit].reference_only:
        o = ParameterOverride.objects.filter(plan=plan, name=edit).first()
        form = f.OverrideForm(initial=_override_initial(o), name=edit, params=params)
    context = {
        **_base_context(request, city, plan),
        "rows": parameter_rows(plan),
        "form": form if editable else None,
        "edit": form.name if form is not None else "",
        "edit_param": params[form.name] if form is not None else None,
        **extra,
    }
    return _page(request, PARAMETERS_PAGE, PARAMETERS_APP, context, status)


@login_required
@require_safe
def plan_parameters(request: HttpRequest, kode: str) -> HttpResponse:
    """Every reference parameter with the plan's override; ``?edit=<name>`` opens its form."""
    city = visible_city(request, kode)
    plan = _plan(request, kode)
    return _parameters_page(request, city, plan, edit=str(request.GET.get("edit", "")))


class _OverrideConflict(Exception):
    def __init__(self, current: ParameterOverride | None) -> None:
        self.current = current


def save_override(
    plan: Plan, name: str, token: str, override: ct.Override | None, note: str
) -> str:
    """Set (``override``) or clear (``None``) the plan's override of ``name`` if it is still
    as the editor read it (``token``). Returns ``created``, ``changed``, ``cleared`` or
    ``unchanged``."""
    with transaction.atomic():
        Plan._base_manager.select_for_update().filter(pk=plan.pk).first()
        current = ParameterOverride.objects.filter(plan=plan, name=name).first()
        if override_token(current) != token:
            raise _OverrideConflict(current)
        if override is None:
            if current is None:
                return "unchanged"
            current.delete()
            return "cleared"
        o = current or ParameterOverride(city_kode=plan.city_kode, plan=plan, name=name)
        o.value = override.value
        o.source, o.status, o.note = override.source, override.status, note
        if current is not None and override_token(o) == token:
            return "unchanged"
        o.save()
        return "created" if current is None else "changed"


@login_required
@require_POST
def plan_parameter(request: HttpRequest, kode: str, name: str) -> HttpResponse:
    """Set or clear the plan's override of one parameter (``clear`` button or blank value)."""
    city = visible_city(request, kode)
    plan = _plan(request, kode)
    params = load_reference().parameters
    if name not in params:
        raise Http404("no such parameter")
    _require_edit(request, plan)
    form = f.OverrideForm(request.POST, name=name, params=params)
    clear = "clear" in request.POST
    if not clear and not form.is_valid():
        return _parameters_page(request, city, plan, status=422, form=form)
    token = str(request.POST.get("current", ""))
    note = "" if clear else str(form.cleaned_data.get("note", ""))
    override = None if clear else form.override
    try:
        outcome = save_override(plan, name, token, override, note)
    except _OverrideConflict as e:
        data = request.POST.copy()
        data["current"] = override_token(e.current)
        again = f.OverrideForm(data, name=name, params=params)
        again.is_valid()
        return _parameters_page(
            request, city, plan, status=409, form=again, conflict=_stale_override(e.current)
        )
    notice = {
        "created": _("Override of %(name)s saved."),
        "changed": _("Override of %(name)s saved."),
        "cleared": _("Override of %(name)s cleared: the reference value applies."),
        "unchanged": _("Nothing changed."),
    }[outcome] % {"name": name}
    return _done(request, "plan-parameters", kode, notice) or _parameters_page(
        request, city, plan, notice=notice
    )


def _stale_override(current: ParameterOverride | None) -> str:
    if current is None:
        return _(
            "Someone else cleared this override meanwhile; nothing was saved. Save again to set it."
        )
    return _(
        "Someone else saved this override meanwhile (value %(value)s, status %(status)s, "
        "source “%(source)s”). Nothing was overwritten: check the values and save again to "
        "replace them."
    ) % {"value": current.value, "status": current.status, "source": current.source}


__all__ = [
    "engine_default_sets",
    "fingerprint",
    "may_edit",
    "override_token",
    "parameter_rows",
    "plan_parameter",
    "plan_parameters",
    "plan_publish",
    "plan_sasaran",
    "plan_settings",
    "plan_target_sets",
    "save_override",
    "save_sasaran",
    "save_selection",
    "visible_sets",
]
