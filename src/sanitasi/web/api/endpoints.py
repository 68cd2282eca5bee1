"""The API (django-ninja) under ``/api/``; OpenAPI description at ``/api/openapi.json``, docs
at ``/api/docs``.

Every query goes through ``Model.objects.restrict(user, action)``
(:mod:`sanitasi.web.scope`): a city or activity the caller may not see is a 404; an activity
the caller sees but may not report on is a 403; no credentials is a 401. Realisation is
created through :func:`sanitasi.web.monitoring.workflow.create` (checks, audit).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import NinjaAPI, Status
from ninja.errors import ValidationError as NinjaValidationError

from sanitasi.reports.common import HEADLINE_INDICATORS, city_rows, frame, years
from sanitasi.reports.i18n import indicator_label
from sanitasi.web import roles
from sanitasi.web.api import schemas as s
from sanitasi.web.api.auth import AUTH
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.plans.dashboard import city_plan
from sanitasi.web.plans.models import Plan
from sanitasi.web.programme.models import Activity

api = NinjaAPI(
    title="Sanitasi API",
    version="1",
    description=(
        "Role-scoped JSON API of the Sanitasi web application. Authenticate with the Django "
        "session (log in at /accounts/login/; send X-CSRFToken on POST) or with "
        "'Authorization: Bearer <token>' (python -m sanitasi.web.manage api_token <username>). "
        "Percentages are 0-100."
    ),
    auth=AUTH,
    urls_namespace="api",
)

NOT_FOUND = {404: s.Message}
DENIED = {401: s.Message, 403: s.Message}


# --------------------------------------------------------------------------- errors


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if not isinstance(p, int)]
    for skip in ("body", "payload", "query", "path"):
        if parts and parts[0] == skip:
            parts = parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


def field_errors(request: HttpRequest, detail: str, errors: dict[str, list[str]]) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(NinjaValidationError)
def _on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        errors.setdefault(_field(e.get("loc", ())), []).append(str(e.get("msg", "invalid")))
    return field_errors(request, "Invalid input.", errors)


@api.exception_handler(PermissionDenied)
def _on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(Http404)
def _on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


# --------------------------------------------------------------------------- helpers


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def _city(request: HttpRequest, kode: str) -> Region:
    """The city region, if the caller may see the city (else 404)."""
    city = (
        Region.objects.restrict(_user(request))
        .filter(city_kode=kode, kode=kode, tingkat="kabkota")
        .first()
    )
    if city is None:
        raise Http404("No such city.")
    return city


def _plan(request: HttpRequest, kode: str) -> Plan:
    _city(request, kode)
    plan = Plan.objects.restrict(_user(request)).filter(city_kode=kode, is_active=True).first()
    if plan is None:
        raise Http404("The city has no active plan.")
    return plan


def _activity(request: HttpRequest, kode: str, code: str) -> Activity:
    """The city's activity ``code``, if the caller may see it (else 404)."""
    _city(request, kode)
    act = (
        Activity.objects.restrict(_user(request))
        .select_related("lead_agency", "location")
        .filter(city_kode=kode, code=code)
        .first()
    )
    if act is None:
        raise Http404("No such activity.")
    return act


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, str):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]


def _name(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def realisation_out(r: Realisation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "activity": r.activity.code,
        "year": r.year,
        "quarter": r.quarter,
        "output": r.output_achieved,
        "cost": r.cost_spent_idr,
        "note": r.note,
        "evidence": r.evidence,
        "state": r.state,
        "status": r.status,
        "return_comment": r.return_comment,
        "version": r.version,
        "submitted_by": _name(r.submitted_by),
        "submitted_at": r.submitted_at,
        "verified_by": _name(r.verified_by),
        "verified_at": r.verified_at,
        "updated_at": r.updated_at,
    }


def _lang() -> str:
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


# --------------------------------------------------------------------------- endpoints


@api.get("/cities/", response={200: list[s.CityOut], **DENIED}, tags=["cities"])
def list_cities(request: HttpRequest) -> list[dict[str, Any]]:
    """The cities the caller may see, with their active plan's years."""
    user = _user(request)
    cities = (
        Region.objects.restrict(user)
        .filter(tingkat="kabkota")
        .select_related("parent")
        .order_by("kode")
    )
    plans = {p.city_kode: p for p in Plan.objects.restrict(user).filter(is_active=True)}
    out = []
    for c in cities:
        if c.kode != c.city_kode:
            continue
        p = plans.get(c.city_kode)
        out.append(
            {
                "kode": c.kode,
                "nama": c.nama,
                "province_kode": c.parent.kode if c.parent else c.kode.split(".")[0],
                "base_year": p.base_year if p else None,
                "horizon": p.horizon if p else None,
                "period_start": p.period_start if p else None,
                "period_end": p.period_end if p else None,
            }
        )
    return out


@api.get(
    "/cities/{kode}/indicators",
    response={200: s.IndicatorsOut, **DENIED, **NOT_FOUND},
    tags=["cities"],
)
def city_indicators(request: HttpRequest, kode: str) -> dict[str, Any]:
    """Per headline indicator and year: baseline, target trajectory (and its binding set),
    projection (business as usual) and gap — the figures of ``sanitasi plan`` (``run_plan`` on
    the city's data)."""
    _plan(request, kode)
    result = city_plan(kode)
    y = years(result)
    headline = frame(result, "headline")
    trajectory = frame(result, "trajectory")
    indicators: list[dict[str, Any]] = []
    if headline is not None:
        hl = city_rows(headline, kode)
        traj: dict[tuple[str, int], tuple[Any, Any]] = {}
        if trajectory is not None:
            for t in _records(city_rows(trajectory, kode)):
                traj[(str(t["indicator"]), int(t["year"]))] = (t["value_pct"], t["binding_set"])
        present = [str(i) for i in hl["indicator"].drop_duplicates()]
        order = [i for i in HEADLINE_INDICATORS if i in present]
        order += [i for i in present if i not in order]
        lang = _lang()
        for ind in order:
            rows = hl[hl["indicator"] == ind].sort_values("year")
            points = []
            for row in _records(rows):
                year = int(row["year"])
                t_value, binding = traj.get((ind, year), (row["trajectory_pct"], None))
                points.append(
                    {
                        "year": year,
                        "baseline_pct": _num(row["baseline_pct"]),
                        "trajectory_pct": _num(t_value),
                        "binding_set": None if pd.isna(binding) else str(binding),
                        "projection_pct": _num(row["bau_pct"]),
                        "gap_pts": _num(row["gap_pts"]),
                        "gap_units": _num(row.get("gap_units")),
                    }
                )
            unit = rows["unit"].iloc[0] if "unit" in rows.columns and len(rows) else ""
            indicators.append(
                {
                    "indicator": ind,
                    "label": indicator_label(ind, lang),
                    "unit": "" if pd.isna(unit) else str(unit),
                    "years": points,
                }
            )
    return {
        "city_kode": kode,
        "base_year": y.base,
        "horizon": y.horizon,
        "period_start": y.start,
        "period_end": y.end,
        "target_sets": list(result.target_sets),
        "indicators": indicators,
    }


@api.get(
    "/cities/{kode}/activities",
    response={200: list[s.ActivityOut], **DENIED, **NOT_FOUND},
    tags=["programme"],
)
def list_activities(request: HttpRequest, kode: str) -> list[dict[str, Any]]:
    """The city's activities the caller may see (``can_report``: may report realisation)."""
    _city(request, kode)
    user = _user(request)
    acts = (
        Activity.objects.restrict(user)
        .filter(city_kode=kode)
        .select_related("lead_agency", "location")
        .prefetch_related("supports_rows__agency", "planned")
        .order_by("code")
    )
    reportable = set(
        Activity.objects.restrict(user, roles.SUBMIT)
        .filter(city_kode=kode)
        .values_list("pk", flat=True)
    )
    return [
        {
            "code": a.code,
            "sector": a.sector,
            "activity": a.activity,
            "output_unit": a.output_unit,
            "lead_agency": a.lead_agency.code,
            "support_agencies": [
                r.agency.code
                for r in sorted(a.supports_rows.all(), key=lambda r: (r.position, r.pk))
            ],
            "location_kode": a.location.kode,
            "location_nama": a.location.nama,
            "funding_source": a.funding_source,
            "plan_profile": a.plan_profile,
            "state": a.state,
            "status": a.status,
            "version": a.version,
            "can_report": a.pk in reportable,
            "planned": [
                {"year": p.year, "output": p.planned_output, "cost": p.planned_cost_idr}
                for p in sorted(a.planned.all(), key=lambda p: p.year)
            ],
        }
        for a in acts
    ]


@api.get(
    "/cities/{kode}/activities/{code}/realisations",
    response={200: list[s.RealisationOut], **DENIED, **NOT_FOUND},
    tags=["monitoring"],
)
def list_realisations(request: HttpRequest, kode: str, code: str) -> list[dict[str, Any]]:
    """Quarterly realisation of the activity (every state the caller may see)."""
    act = _activity(request, kode, code)
    rows = (
        Realisation.objects.restrict(_user(request))
        .filter(city_kode=kode, activity=act)
        .select_related("activity", "submitted_by", "verified_by")
        .order_by("year", "quarter")
    )
    return [realisation_out(r) for r in rows]


@api.post(
    "/cities/{kode}/activities/{code}/realisations",
    response={
        201: s.RealisationOut,
        **DENIED,
        **NOT_FOUND,
        409: s.Conflict,
        422: s.FieldErrors,
    },
    tags=["monitoring"],
)
def create_realisation(request: HttpRequest, kode: str, code: str, payload: s.RealisationIn) -> Any:
    """Report a quarter: creates a **draft** realisation (submit it to Bappeda afterwards).
    403 when the caller may not report on the activity; 409 when the quarter already has a
    realisation; 422 with field errors for bad input."""
    user = _user(request)
    act = _activity(request, kode, code)
    if not Activity.objects.restrict(user, roles.SUBMIT).filter(pk=act.pk).exists():
        raise PermissionDenied("You may not report on this activity.")
    plan = _plan(request, kode)
    if not plan.base_year <= payload.year <= plan.horizon:
        return field_errors(
            request,
            "Invalid input.",
            {"year": [f"The plan runs from {plan.base_year} to {plan.horizon}."]},
        )
    existing = (
        Realisation.objects.restrict(user)
        .select_related("activity", "submitted_by", "verified_by")
        .filter(city_kode=kode, activity=act, year=payload.year, quarter=payload.quarter)
        .first()
    )
    if existing is not None:
        return Status(
            409,
            {
                "detail": f"{act.code} already has a realisation for {payload.year} "
                f"Q{payload.quarter} (state {existing.state}); change that one instead.",
                "current": realisation_out(existing),
            },
        )
    try:
        with transaction.atomic():
            r = workflow.create(
                user,
                act,
                payload.year,
                payload.quarter,
                output_achieved=payload.output,
                cost_spent_idr=payload.cost,
                note=payload.note,
                evidence=payload.evidence,
            )
    except DjangoValidationError as e:
        errors = e.message_dict
        if set(errors) == {NON_FIELD_ERRORS}:  # the unique constraint (a concurrent create)
            return Status(409, {"detail": "; ".join(errors[NON_FIELD_ERRORS]), "current": None})
        names = {"output_achieved": "output", "cost_spent_idr": "cost"}
        return field_errors(
            request, "Invalid input.", {names.get(k, k): list(v) for k, v in errors.items()}
        )
    except IntegrityError:
        return Status(409, {"detail": "This quarter was reported meanwhile.", "current": None})
    return Status(201, realisation_out(r))
