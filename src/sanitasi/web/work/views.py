"""The Pokja's daily work (issue 11 items 1, 3, 4).

* ``agency-tasks`` — **Tugas saya**: what an agency owes this year, from
  :func:`sanitasi.app.agency_brief` on the database (the function ``sanitasi agency-brief``
  runs on a city folder): per activity it leads the planned output and cost per quarter, the
  cumulative target against what is realised, the state of each quarter's report (missing,
  returned, draft, submitted, verified; due, overdue, locked), a one-click start of the next
  report, the activities it supports and its open action items. The landing page of an opd
  user.
* ``kecamatan-home`` — the camat's view: the kelurahan of the kecamatan with their
  indicators and gaps (the plan's ``coverage_areas`` table), the activities located in it or
  that its agency supports, and the state of the reports it gives. The landing page of a
  kecamatan user.
* ``reporting-grid`` — the completeness grid agency × quarter.

Every query goes through ``objects.restrict(user, action)``; figures come from the app layer
and :mod:`sanitasi.core.reporting` (METHOD.md §10.11).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sanitasi.app import AppError
from sanitasi.app import agency_brief as brief_of
from sanitasi.core.reporting import (
    completeness,
    latest_closed_quarter,
    quarter_status,
    row_states,
)
from sanitasi.io.errors import InputErrors
from sanitasi.reports.fmt import fmt_idr, fmt_number, fmt_pct
from sanitasi.reports.i18n import indicator_label, t
from sanitasi.web import roles, shared
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import period
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.plans.results import PlanUnavailable, plan_result, version_key
from sanitasi.web.plans.source import DatabaseSource
from sanitasi.web.programme.models import Activity, ActivitySupport, Agency
from sanitasi.web.scope import ADOPTED, can_add, scope_of

QUARTERS = (1, 2, 3, 4)


def _records(df: pd.DataFrame) -> list[SimpleNamespace]:
    """The rows of ``df`` as objects with one attribute per column."""
    return [SimpleNamespace(**{str(k): v for k, v in r.items()}) for r in df.to_dict("records")]


def _year(request: HttpRequest) -> int:
    """``?year=`` when valid, else the year of the latest closed quarter as of the site's
    reporting date (in January–March the reports still owed are those of last year)."""
    default = latest_closed_quarter(period.reporting_date())[0]
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if period.MIN_YEAR <= year <= period.MAX_YEAR else default


def returned_rows(kode: str, year: int) -> frozenset[tuple[str, int, int]]:
    """``(code, year, quarter)`` of the drafts Bappeda returned (or reopened) with a comment."""
    rows = (
        Realisation.objects.filter(city_kode=kode, year=year, state="draft")
        .exclude(return_comment="")
        .values_list("activity__code", "year", "quarter")
    )
    return frozenset((str(c), int(y), int(q)) for c, y, q in rows)


def state_label(state: str, lang: str) -> str:
    return t(f"rstate_{state}", lang)


def _quarter_cells(status: pd.DataFrame, code: str, lang: str) -> list[dict[str, Any]]:
    rows = status[status["code"] == code]
    return [
        {
            "quarter": int(r.quarter),
            "state": str(r.state),
            "label": state_label(str(r.state), lang) if r.started else "–",
            "started": bool(r.started),
            "due": bool(r.due),
            "overdue": bool(r.overdue),
            "locked": bool(r.locked),
            "deadline": r.deadline,
        }
        for r in _records(rows)
    ]


def agency_brief_of(kode: str, agency: str, year: int, today: Any) -> Any:
    """The brief of ``agency`` (:func:`sanitasi.app.agency_brief`, the CLI's ``agency-brief``)
    computed once per data version, year, day and quarter-lock setting and shared by every
    worker (``sanitasi.web.shared``): a save writes an audit entry, which changes the key."""
    lock_days = period.lock_days()
    return shared.get_or_build(
        version_key("agency-brief", kode, agency, year, today.isoformat(), lock_days),
        lambda: brief_of(
            DatabaseSource(kode),
            agency,
            year,
            today,
            returned=returned_rows(kode, year),
            lock_days=lock_days,
        ),
        lock=f"agency-brief-{kode}",
    )


@login_required
@require_safe
def agency_tasks(request: HttpRequest, kode: str, code: str) -> HttpResponse:
    city = visible_city(request, kode)
    agency = Agency.objects.restrict(request.user).filter(city_kode=kode, code=code).first()
    if agency is None:
        raise Http404("no such agency")
    lang = page_lang()
    year = _year(request)
    today = period.reporting_date()
    try:
        brief = agency_brief_of(kode, agency.code, year, today)
    except (InputErrors, AppError) as e:
        raise PlanUnavailable(kode, tuple(getattr(e, "problems", ())), str(e)) from e
    acts = {
        a.code: a
        for a in Activity.objects.restrict(request.user)
        .filter(city_kode=kode, code__in=list(brief.led["code"]) + list(brief.supported["code"]))
        .select_related("lead_agency")
    }
    nxt = dict(zip(brief.next_reports["code"], brief.next_reports["quarter"], strict=True))
    led = []
    for r in _records(brief.led):
        act = acts.get(str(r.code))
        may_report = act is not None and can_add(request.user, Realisation, kode, activity=act)
        q_next = nxt.get(str(r.code))
        led.append(
            {
                "code": r.code,
                "activity": r.activity,
                "unit": r.output_unit,
                "planned_output": fmt_number(r.planned_output, 2, lang, strip_zeros=True),
                "planned_cost": fmt_idr(r.planned_cost_idr, lang),
                "targets": [
                    {
                        "quarter": q,
                        "output": fmt_number(getattr(r, f"target_q{q}"), 2, lang, strip_zeros=True),
                        "cost": fmt_idr(getattr(r, f"cost_target_q{q}"), lang),
                    }
                    for q in QUARTERS
                ],
                "reported_quarter": int(r.reported_quarter),
                "done": fmt_number(r.output_to_date, 2, lang, strip_zeros=True),
                "spent": fmt_idr(r.spent_to_date_idr, lang),
                "physical_pct": fmt_pct(r.physical_pct, 1, lang),
                "quarters": _quarter_cells(brief.quarters, str(r.code), lang),
                "next_quarter": q_next if may_report else None,
            }
        )
    first_due = next(
        (
            row
            for row in sorted(
                (x for x in led if x["next_quarter"] is not None),
                key=lambda x: (x["next_quarter"], str(x["code"])),
            )
        ),
        None,
    )
    tot = brief.totals
    context = {
        "city": city,
        "agency": agency,
        "agency_name": brief.name_en if lang == "en" and brief.name_en else brief.name_id,
        "year": year,
        "today": today,
        "led": led,
        "first_due": first_due,
        "supported": [
            {
                "code": r.code,
                "activity": r.activity,
                "lead": r.lead_agency,
                "planned_output": fmt_number(r.planned_output, 2, lang, strip_zeros=True),
                "unit": r.output_unit,
                "planned_cost": fmt_idr(r.planned_cost_idr, lang),
            }
            for r in _records(brief.supported)
        ],
        "actions": [
            {
                "meeting": r.meeting_id,
                "action": r.action,
                "due": pd.Timestamp(r.due_date).date(),
                "overdue": bool(r.overdue),
            }
            for r in _records(brief.action_items)
        ],
        "totals": {
            "n_led": fmt_number(tot["n_led"], 0, lang),
            "budget": fmt_idr(tot["planned_cost_idr"], lang),
            "spent": fmt_idr(tot["spent_to_date_idr"], lang),
            "due": int(tot["n_reports_due"]),
            "overdue": int(tot["n_reports_overdue"]),
            "returned": int(tot["n_reports_returned"]),
            "open_actions": int(tot["n_open_actions"]),
            "overdue_actions": int(tot["n_overdue"]),
        },
        "quarters": QUARTERS,
    }
    return render(request, "web/agency_tasks.html", context)


def _kecamatan(request: HttpRequest, kode: str, region_kode: str) -> Region:
    kec = (
        Region.objects.restrict(request.user)
        .filter(city_kode=kode, kode=region_kode, tingkat="kecamatan")
        .first()
    )
    if kec is None:
        raise Http404("no such kecamatan")
    return kec


def _in(kode_col: pd.Series, kec: str) -> pd.Series:
    s = kode_col.astype(str)
    return (s == kec) | s.str.startswith(f"{kec}.")


def kelurahan_indicators(kode: str, kec: str, year: int, lang: str) -> list[dict[str, Any]]:
    """Per kelurahan of ``kec`` and indicator, in ``year`` (clipped to the plan's years):
    the value with the programme (``plan_pct``), the target trajectory and the remaining gap
    max(trajectory − with the programme, 0) in points (the plan's ``coverage_areas``,
    METHOD.md §10.11)."""
    result = plan_result(kode)
    table = result.tables.get("coverage_areas")
    if table is None:
        return []
    df = table.df
    df = df[_in(df["kode"], kec) & (df["kode"].astype(str) != kec)]
    if df.empty:
        return []
    years = df["year"].astype(int)
    y = int(min(max(year, int(years.min())), int(years.max())))
    df = df[years == y].sort_values(["kode", "indicator"])
    return [
        {
            "kode": r.kode,
            "nama": r.nama,
            "indicator": indicator_label(str(r.indicator), lang),
            "year": y,
            "plan": fmt_pct(r.plan_pct, 1, lang),
            "target": fmt_pct(r.trajectory_pct, 1, lang),
            "gap": fmt_number(max(r.trajectory_pct - r.plan_pct, 0.0), 1, lang),
            "short": bool(r.trajectory_pct - r.plan_pct > 0),
        }
        for r in _records(df)
    ]


@login_required
@require_safe
def kecamatan_home(request: HttpRequest, kode: str, region_kode: str) -> HttpResponse:
    city = visible_city(request, kode)
    kec = _kecamatan(request, kode, region_kode)
    lang = page_lang()
    year = _year(request)
    today = period.reporting_date()
    agency = Agency.objects.restrict(request.user).filter(city_kode=kode, kode=kec.kode).first()
    acts = Activity.objects.restrict(request.user).filter(city_kode=kode, state=ADOPTED)
    located = acts.filter(location__kode=kec.kode) | acts.filter(
        location__kode__startswith=f"{kec.kode}."
    )
    supported_pks: set[int] = set()
    if agency is not None:
        supported_pks = set(
            ActivitySupport.objects.filter(city_kode=kode, agency=agency).values_list(
                "activity_id", flat=True
            )
        )
    activities = list(
        (located | acts.filter(pk__in=supported_pks))
        .distinct()
        .select_related("lead_agency", "location")
        .order_by("code")
    )
    # the activities it reports: located in the kecamatan and led or supported by its agency
    reports = [
        a
        for a in activities
        if agency is not None
        and (a.location is not None and _in(pd.Series([a.location.kode]), kec.kode).iloc[0])
        and (a.lead_agency_id == agency.pk or a.pk in supported_pks)
    ]
    status = _status_of(kode, [(a.code, agency.code if agency else "") for a in reports], year)
    context = {
        "city": city,
        "kec": kec,
        "agency": agency,
        "year": year,
        "today": today,
        "indicators": kelurahan_indicators(kode, kec.kode, year, lang),
        "activities": [
            {
                "act": a,
                "located": a.location is not None
                and _in(pd.Series([a.location.kode]), kec.kode).iloc[0],
                "supported": a.pk in supported_pks,
            }
            for a in activities
        ],
        "reports": [
            {
                "act": a,
                "quarters": _quarter_cells(status, a.code, lang),
                "may_report": can_add(request.user, Realisation, kode, activity=a),
            }
            for a in reports
        ],
        "quarters": QUARTERS,
    }
    return render(request, "web/kecamatan_home.html", context)


def _status_of(kode: str, expected: list[tuple[str, str]], year: int) -> pd.DataFrame:
    """:func:`~sanitasi.core.reporting.quarter_status` of ``expected`` ``(code, agency)``
    from the stored realisation of ``year`` (every state)."""
    rows = pd.DataFrame(
        list(
            Realisation.objects.filter(city_kode=kode, year=year).values_list(
                "activity__code", "quarter", "state", "return_comment"
            )
        ),
        columns=["code", "quarter", "state", "return_comment"],
    )
    rows["returned"] = rows["return_comment"].astype(str).str.strip() != ""
    rows["state"] = row_states(rows) if len(rows) else rows["state"]
    params = plan_result(kode).inputs
    due = params.parameters.num("report_due_days") if params is not None else 14.0
    return quarter_status(
        pd.DataFrame(expected, columns=["code", "agency"]),
        rows,
        year,
        period.reporting_date(),
        due,
        period.lock_days(),
    )


@login_required
@require_safe
def reporting_grid(request: HttpRequest, kode: str) -> HttpResponse:
    """The completeness grid: per agency (the lead of each adopted activity with a plan in
    the year or an output reported in it, as on Tugas saya) and quarter, the least advanced
    report state and the counts of each state."""
    city = visible_city(request, kode)
    lang = page_lang()
    year = _year(request)
    acts = Activity.objects.restrict(request.user).filter(city_kode=kode, state=ADOPTED)
    # as Tugas saya: the activities with a plan in the year or an output reported in it
    planned = (
        (
            acts.filter(
                Q(planned__year=year)
                & (Q(planned__planned_output__gt=0) | Q(planned__planned_cost_idr__gt=0))
            )
            | acts.filter(realisations__year=year, realisations__output_achieved__gt=0)
        )
        .values_list("code", "lead_agency__code")
        .distinct()
    )
    status = _status_of(kode, [(str(c), str(a)) for c, a in planned], year)
    grid = completeness(status)
    names = dict(
        Agency.objects.restrict(request.user).filter(city_kode=kode).values_list("code", "name_id")
    )
    rows = []
    for agency_code, g in grid.groupby("agency", sort=True):
        cells = []
        for r in _records(g.sort_values("quarter")):
            counts = [
                (state_label(s, lang), int(getattr(r, s)))
                for s in ("verified", "submitted", "draft", "returned", "missing")
                if int(getattr(r, s))
            ]
            cells.append(
                {
                    "quarter": int(r.quarter),
                    "state": str(r.state),
                    "label": state_label(str(r.state), lang),
                    "counts": counts if len(counts) > 1 else [],
                    "overdue": int(r.overdue),
                    "locked": bool(r.locked),
                }
            )
        rows.append({"code": agency_code, "name": names.get(agency_code, ""), "cells": cells})
    s = scope_of(request.user)
    context = {
        "city": city,
        "year": year,
        "today": period.reporting_date(),
        "rows": rows,
        "quarters": QUARTERS,
        "lock_days": period.lock_days(),
        "is_coordinator": s is not None and s.role in (roles.KOORDINATOR, roles.ADMIN),
    }
    return render(request, "web/reporting_grid.html", context)


__all__ = ["agency_tasks", "kecamatan_home", "reporting_grid"]
