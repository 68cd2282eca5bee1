"""The API (django-ninja) under ``/api/``; OpenAPI description at ``/api/openapi.json``, docs
at ``/api/docs``.

Every query goes through ``Model.objects.restrict(user, action)``
(:mod:`sanitasi.web.scope`): a city, activity or realisation the caller may not see (or one
of another city than the URL's) is a 404; a step the caller may not take on a row it sees is
a 403; no credentials is a 401. Realisation is created and changed only through
:mod:`sanitasi.web.monitoring.workflow` (scope, state and version checks, audit): the
endpoints here are thin wrappers that turn its outcomes into status codes.

Status codes of the realisation workflow, as on the web screens
(:mod:`sanitasi.web.monitoring.views`):

* 422: the request itself is malformed (pydantic: wrong types, unknown fields, a return
  without a comment, nothing to change) or breaks a rule of realisation.csv (a quarter that
  has not started yet, SAN-E049; a physical ``progress`` for an activity not counted at
  completion, SAN-E050). Fix the request; retrying it as is fails again.
  The body is validated before the row is looked up, so a malformed body is a 422 even on
  a row the caller may not see or change.
* 409: the request is well formed but the row does not allow it *now*: the ``version`` sent
  is stale (someone saved the row meanwhile), or the row's state does not allow the step
  (editing a submitted row, verifying a draft, a second report of a quarter). The body
  carries the row as stored (``current``); read it and decide again. Nothing is changed.

``POST .../activities/{code}/realisations`` keeps creating a **draft** (version 1):
submitting is a separate step (``POST .../realisations/{id}/submit``), as on the screens.

Lists are paged (``limit``/``offset``, :class:`Paging`): ``{"items": [...], "count": n,
"limit": l, "offset": o}``, default :data:`DEFAULT_LIMIT` rows, at most :data:`MAX_LIMIT`
(a larger ``limit`` is a 422), in a stable order ending with a unique key.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

import pandas as pd
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from sanitasi import vocabulary
from sanitasi.core.model import PlanResult
from sanitasi.reports.common import HEADLINE_INDICATORS, city_rows, frame, years
from sanitasi.reports.i18n import indicator_label
from sanitasi.web import roles
from sanitasi.web.api import schemas as s
from sanitasi.web.api.auth import AUTH
from sanitasi.web.basemodels import StaleObjectError
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.plans.models import Plan
from sanitasi.web.plans.results import plan_result
from sanitasi.web.programme.models import Activity
from sanitasi.web.shared import stale_reads, stale_reads_enabled

api = NinjaAPI(
    title="Sanitasi API",
    version="1",
    # Markdown (the docs page renders it): the placeholders stay in code spans, where
    # ``<token>`` and ``<username>`` are shown as written instead of read as HTML tags.
    description=(
        "Role-scoped JSON API of the Sanitasi web application. Authenticate with the Django "
        "session (log in at `/accounts/login/`; send `X-CSRFToken` on POST) or with "
        "`Authorization: Bearer <token>` (issued by "
        "`python -m sanitasi.web.manage api_token <username>`). "
        "Percentages are 0-100."
    ),
    auth=AUTH,
    urls_namespace="api",
)

NOT_FOUND = {404: s.Message}
DENIED = {401: s.Message, 403: s.Message}
UNAUTHORIZED = {401: s.Message}
BAD_INPUT = {422: s.FieldErrors}
#: Model field -> API field of a realisation, where they differ.
API_NAMES = {"output_achieved": "output", "cost_spent_idr": "cost", "progress_pct": "progress"}
#: The error responses of a workflow step on one realisation.
STEP_ERRORS = {**DENIED, **NOT_FOUND, 409: s.Conflict, **BAD_INPUT}


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


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals; a body that is not JSON (its 400 "Cannot parse request
    body") is malformed input like any other: 422 with the error at ``body`` (the status the
    OpenAPI description documents; found by schemathesis)."""
    if exc.status_code == 400:
        return field_errors(request, "Invalid input.", {"body": ["The body is not valid JSON."]})
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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
        "progress": r.progress_pct,
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


# --------------------------------------------------------------------------- paging

#: Rows per page when ``limit`` is not given.
DEFAULT_LIMIT = 50
#: The largest ``limit`` accepted (a larger one is a 422, not silently cut).
MAX_LIMIT = 200
#: The largest ``offset`` accepted (a larger one is a 422): far beyond any list, and within
#: the 64-bit integers the databases take (an ``offset`` of 2^63 was a 500).
MAX_OFFSET = 1_000_000_000
#: Row ids above this cannot exist (64-bit keys): a 404 without asking the database.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Listing:
    """What a paged endpoint returns: the scoped queryset in its stable order (ending with a
    unique key, so pages neither overlap nor skip rows) and how to render one page of it
    (``render`` gets the page's rows only, so per-page look-ups stay small)."""

    rows: QuerySet[Any]
    render: Callable[[list[Any]], list[dict[str, Any]]]


_F = TypeVar("_F", bound=Callable[..., Any])


def resolved(func: _F) -> _F:
    """``func`` with its annotations evaluated: this module's annotations are strings
    (``from __future__ import annotations``) and django-ninja resolves them in the globals of
    the view it calls — for a paged view ``paginate``'s wrapper in ``ninja.pagination``, where
    names such as ``s.RealisationFilter`` do not exist. Put it under ``@paginate``."""
    func.__annotations__ = get_type_hints(func, include_extras=True)
    return func


class Paging(LimitOffsetPagination):
    """``limit``/``offset`` paging (django-ninja's :class:`LimitOffsetPagination`) of a
    :class:`Listing`; the page says its ``count`` (rows over all pages), ``limit`` and
    ``offset``."""

    class PageInput(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"rows per page (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})",
        )
        offset: int = Field(
            0,
            ge=0,
            le=MAX_OFFSET,
            description=f"rows to skip (0: the first page; at most {MAX_OFFSET})",
        )

    Input = PageInput  # type: ignore[assignment]  # the same fields, documented bounds

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="rows matching, over all pages")
        limit: int = Field(description="rows per page")
        offset: int = Field(description="rows skipped before this page")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        if not isinstance(queryset, Listing):
            raise TypeError("a paged endpoint returns a Listing")
        limit, offset = int(pagination.limit), int(pagination.offset)
        page = list(queryset.rows[offset : offset + limit])
        return {
            "items": queryset.render(page),
            "count": queryset.rows.count(),
            "limit": limit,
            "offset": offset,
        }


# --------------------------------------------------------------------------- endpoints


@api.get(
    "/cities/",
    response={200: list[s.CityOut], **UNAUTHORIZED, **BAD_INPUT},
    summary="List the cities the caller may see",
    tags=["cities"],
)
@paginate(Paging)
@resolved
def list_cities(request: HttpRequest) -> Listing:
    """The cities the caller may see, with their active plan's years; paged, by ``kode``."""
    user = _user(request)
    cities = (
        Region.objects.restrict(user)
        .filter(tingkat="kabkota", kode=F("city_kode"))
        .select_related("parent")
        .order_by("kode", "pk")
    )

    def render(page: list[Region]) -> list[dict[str, Any]]:
        plans = {
            p.city_kode: p
            for p in Plan.objects.restrict(user).filter(
                is_active=True, city_kode__in=[c.city_kode for c in page]
            )
        }
        out = []
        for c in page:
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

    return Listing(cities, render)


@api.get(
    "/cities/{kode}/indicators",
    response={200: s.IndicatorsOut, **DENIED, **NOT_FOUND},
    summary="A city's headline indicators: baseline, trajectory, projection, gap",
    tags=["cities"],
)
def city_indicators(request: HttpRequest, kode: str, response: HttpResponse) -> dict[str, Any]:
    """Per headline indicator and year: baseline, target trajectory (and its binding set),
    projection (business as usual) and gap — the figures of ``sanitasi plan`` (``run_plan`` on
    the city's data).

    The figures are those of the city's data now (a save is always seen by the next call).
    A client that sends ``Cache-Control: max-stale`` accepts, while the figures of a new
    change are being computed, those of the version just before it: the answer then comes
    at once and carries the header ``Sanitasi-Stale: 1``."""
    _plan(request, kode)
    with stale_reads(stale_reads_enabled() and accepts_stale(request)) as served:
        result = plan_result(kode)
    if served:
        response["Sanitasi-Stale"] = "1"
    return indicators_data(kode, result)


def accepts_stale(request: HttpRequest) -> bool:
    """Whether the request's ``Cache-Control`` has the ``max-stale`` directive (RFC 9111
    §5.2.1.2: the client accepts a stale answer; its number of seconds, if any, is not
    measured here: any age is accepted)."""
    directives = request.headers.get("Cache-Control", "").lower().split(",")
    return any(d.strip().split("=", 1)[0].strip() == "max-stale" for d in directives)


#: Fields of a year of ``GET /cities/{kode}/indicators`` -> their column of the headline
#: (or trajectory) table in the column registry.
POINT_COLUMNS: dict[str, str] = {
    "baseline_pct": "baseline_pct",
    "trajectory_pct": "trajectory_pct",
    "binding_set": "binding_set",
    "projection_pct": "bau_pct",
    "gap_pts": "gap_pts",
    "achieved_pts": "achieved_pts",
    "gap_units": "gap_units",
}


def indicators_data(kode: str, result: PlanResult) -> dict[str, Any]:
    """The body of ``GET /cities/{kode}/indicators`` for a plan run of the city (no scope
    check: the caller decides who may see it; the public page passes only published
    indicators on)."""
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
                        "achieved_pts": _num(row.get("achieved_pts")),
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
    lang = _lang()
    return {
        "city_kode": kode,
        "base_year": y.base,
        "horizon": y.horizon,
        "period_start": y.start,
        "period_end": y.end,
        "target_sets": list(result.target_sets),
        "indicators": indicators,
        # what each field of a year means: label and unit from the column registry
        "fields": {
            field: {
                "label": vocabulary.label("headline", column, lang),
                "unit": vocabulary.unit("headline", column),
            }
            for field, column in POINT_COLUMNS.items()
        },
    }


@api.get(
    "/cities/{kode}/activities",
    response={200: list[s.ActivityOut], **UNAUTHORIZED, **NOT_FOUND, **BAD_INPUT},
    summary="List a city's activities",
    tags=["programme"],
)
@paginate(Paging)
@resolved
def list_activities(request: HttpRequest, kode: str) -> Listing:
    """The city's activities the caller may see (``can_report``: may report realisation);
    paged, by ``code``."""
    _city(request, kode)
    user = _user(request)
    acts = (
        Activity.objects.restrict(user)
        .filter(city_kode=kode)
        .select_related("lead_agency", "location")
        .prefetch_related("supports_rows__agency", "planned")
        .order_by("code", "pk")
    )
    return Listing(acts, lambda page: _activities_out(user, kode, page))


def _activities_out(user: Any, kode: str, acts: list[Activity]) -> list[dict[str, Any]]:
    reportable = set(
        Activity.objects.restrict(user, roles.SUBMIT)
        .filter(city_kode=kode, pk__in=[a.pk for a in acts])
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
            "adopted_on": a.adopted_on,
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


def _render_realisations(page: list[Realisation]) -> list[dict[str, Any]]:
    return [realisation_out(r) for r in page]


@api.get(
    "/cities/{kode}/activities/{code}/realisations",
    response={200: list[s.RealisationOut], **UNAUTHORIZED, **NOT_FOUND, **BAD_INPUT},
    summary="List an activity's quarterly realisation",
    tags=["monitoring"],
)
@paginate(Paging)
@resolved
def list_realisations(request: HttpRequest, kode: str, code: str) -> Listing:
    """Quarterly realisation of the activity (every state the caller may see); paged, by
    year and quarter."""
    act = _activity(request, kode, code)
    rows = (
        Realisation.objects.restrict(_user(request))
        .filter(city_kode=kode, activity=act)
        .select_related("activity", "submitted_by", "verified_by")
        .order_by("year", "quarter", "pk")
    )
    return Listing(rows, _render_realisations)


@api.post(
    "/cities/{kode}/activities/{code}/realisations",
    response={
        201: s.RealisationOut,
        **DENIED,
        **NOT_FOUND,
        409: s.Conflict,
        422: s.FieldErrors,
    },
    summary="Report a quarter of an activity (creates a draft)",
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
                progress_pct=payload.progress,
                note=payload.note,
                evidence=payload.evidence,
            )
    except DjangoValidationError as e:
        errors = e.message_dict
        if set(errors) == {NON_FIELD_ERRORS}:  # the unique constraint (a concurrent create)
            return Status(409, {"detail": "; ".join(errors[NON_FIELD_ERRORS]), "current": None})
        names = API_NAMES
        return field_errors(
            request, "Invalid input.", {names.get(k, k): list(v) for k, v in errors.items()}
        )
    except IntegrityError:
        return Status(409, {"detail": "This quarter was reported meanwhile.", "current": None})
    return Status(201, realisation_out(r))


@api.get(
    "/cities/{kode}/realisations",
    response={200: list[s.RealisationOut], **UNAUTHORIZED, **NOT_FOUND, **BAD_INPUT},
    summary="List a city's realisation (e.g. state=submitted: the verify queue)",
    tags=["monitoring"],
    url_name="city-realisations",
)
@paginate(Paging)
@resolved
def list_city_realisations(
    request: HttpRequest, kode: str, filters: Query[s.RealisationFilter]
) -> Listing:
    """The city's realisation the caller may see, filtered by ``state``, ``year``,
    ``quarter`` and ``activity`` (code); paged, by activity code, year and quarter (the
    order of the verify queue on the realisation screen). Bappeda's queue:
    ``?state=submitted``."""
    _city(request, kode)
    rows = Realisation.objects.restrict(_user(request)).filter(city_kode=kode)
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.quarter is not None:
        rows = rows.filter(quarter=filters.quarter)
    if filters.activity is not None:
        rows = rows.filter(activity__code=filters.activity)
    rows = rows.select_related("activity", "submitted_by", "verified_by").order_by(
        "activity__code", "year", "quarter", "pk"
    )
    return Listing(rows, _render_realisations)


# --------------------------------------------------------------------------- the workflow


def _realisation(request: HttpRequest, kode: str, pk: int) -> Realisation:
    """Realisation ``pk`` of city ``kode``, if the caller may see it (else 404: also when the
    row belongs to another city than the URL's)."""
    _city(request, kode)
    if not 0 < pk <= MAX_ID:
        raise Http404("No such realisation.")
    r = (
        Realisation.objects.restrict(_user(request))
        .select_related("activity", "submitted_by", "verified_by")
        .filter(city_kode=kode, pk=pk)
        .first()
    )
    if r is None:
        raise Http404("No such realisation.")
    return r


def _stored(pk: int) -> dict[str, Any] | None:
    if not 0 < pk <= MAX_ID:
        return None
    r = (
        Realisation.objects.select_related("activity", "submitted_by", "verified_by")
        .filter(pk=pk)
        .first()
    )
    return None if r is None else realisation_out(r)


def _run_step(request: HttpRequest, r: Realisation, step: Callable[[], Realisation]) -> Any:
    """Run one workflow function on ``r`` and answer: 200 with the row; 409 with the stored
    row when the version is stale or the state does not allow the step; 422 when the model
    refuses a value; 403 (PermissionDenied, from the workflow) when the caller may not take
    the step. All or nothing: a refused step changes nothing."""
    pk = r.pk
    try:
        with transaction.atomic():
            done = step()
    except StaleObjectError as e:
        version = getattr(e.current, "version", None)
        detail = (
            "Someone deleted this realisation meanwhile; nothing was changed."
            if e.current is None
            else f"Someone else saved this realisation meanwhile (now version {version}); "
            "nothing was changed. Check `current` and send again with its version."
        )
        return Status(409, {"detail": detail, "current": _stored(pk)})
    except workflow.WorkflowError as e:
        return Status(409, {"detail": str(e), "current": _stored(pk)})
    except DjangoValidationError as e:
        names = API_NAMES
        return field_errors(
            request, "Invalid input.", {names.get(k, k): list(v) for k, v in e.message_dict.items()}
        )
    return Status(200, realisation_out(done))


@api.get(
    "/cities/{kode}/realisations/{pk}",
    response={200: s.RealisationOut, **UNAUTHORIZED, **NOT_FOUND, **BAD_INPUT},
    summary="One realisation (state, version, who submitted and verified, return comment)",
    tags=["monitoring"],
    url_name="realisation",
)
def get_realisation(request: HttpRequest, kode: str, pk: int) -> Any:
    """The row with its ``version`` (send it with the next change or step)."""
    return realisation_out(_realisation(request, kode, pk))


@api.patch(
    "/cities/{kode}/realisations/{pk}",
    response={200: s.RealisationOut, **STEP_ERRORS},
    summary="Change a draft (or returned) realisation's output, cost, note or evidence",
    tags=["monitoring"],
    url_name="realisation-edit",
)
def edit_realisation(request: HttpRequest, kode: str, pk: int, payload: s.RealisationPatch) -> Any:
    """Only the fields sent change (``workflow.edit``). 403: the caller may not change the
    row (not its agency's); 409: stale ``version`` or the row is no longer a draft (body:
    the stored row); 422: bad body (nothing to change, ``null``, negative numbers...)."""
    r = _realisation(request, kode, pk)
    names = {v: k for k, v in API_NAMES.items()}
    values = {names.get(k, k): getattr(payload, k) for k in payload.model_fields_set - {"version"}}
    return _run_step(
        request, r, lambda: workflow.edit(_user(request), r, payload.version, **values)
    )


@api.post(
    "/cities/{kode}/realisations/{pk}/submit",
    response={200: s.RealisationOut, **STEP_ERRORS},
    summary="Submit a draft realisation to Bappeda (draft -> submitted)",
    tags=["monitoring"],
    url_name="realisation-submit",
)
def submit_realisation(request: HttpRequest, kode: str, pk: int, payload: s.VersionIn) -> Any:
    """``workflow.submit``. 403: the caller may not report on the activity; 409: stale
    ``version`` or the row is not a draft."""
    r = _realisation(request, kode, pk)
    return _run_step(request, r, lambda: workflow.submit(_user(request), r, payload.version))


@api.post(
    "/cities/{kode}/realisations/{pk}/verify",
    response={200: s.RealisationOut, **STEP_ERRORS},
    summary="Verify a submitted realisation (Bappeda; submitted -> verified)",
    tags=["monitoring"],
    url_name="realisation-verify",
)
def verify_realisation(request: HttpRequest, kode: str, pk: int, payload: s.VersionIn) -> Any:
    """``workflow.verify``: dashboards count verified realisation only. 403: the caller is
    not Bappeda (koordinator) of the city or admin; 409: stale ``version`` or the row is not
    submitted."""
    r = _realisation(request, kode, pk)
    return _run_step(request, r, lambda: workflow.verify(_user(request), r, payload.version))


@api.post(
    "/cities/{kode}/realisations/{pk}/return",
    response={200: s.RealisationOut, **STEP_ERRORS},
    summary="Return a submitted realisation to the agency with a comment (-> draft)",
    tags=["monitoring"],
    url_name="realisation-return",
)
def return_realisation(request: HttpRequest, kode: str, pk: int, payload: s.ReturnIn) -> Any:
    """``workflow.return_``: back to draft with ``comment`` (what to fix; required, 422
    without). 403: the caller is not Bappeda (koordinator) of the city or admin; 409: stale
    ``version`` or the row is not submitted."""
    r = _realisation(request, kode, pk)
    return _run_step(
        request,
        r,
        lambda: workflow.return_(_user(request), r, payload.version, payload.comment),
    )
