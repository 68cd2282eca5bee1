"""The public page (no login): the headline indicators a city's koordinator published.

What is public is decided here and only here: a city appears when its active plan lists at
least one published indicator (``Plan.published_indicators``, chosen on the plan page and
audited like every plan change) that its plan run has; a city page shows only those
indicators: baseline, trajectory, business as usual and gap per year — the figures of
``GET /api/cities/{kode}/indicators`` (:func:`sanitasi.web.api.endpoints.indicators_data` on
the cached plan run) — and the report's headline chart of each. Any other city, or a city
with nothing published, is a 404: the page never carries a figure that was not published.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sanitasi.core.model import INDICATORS
from sanitasi.reports import charts
from sanitasi.reports.fmt import fmt_gap, fmt_number
from sanitasi.reports.i18n import target_set_label
from sanitasi.web.api.endpoints import indicators_data
from sanitasi.web.cities import page_lang
from sanitasi.web.geography.models import Region
from sanitasi.web.plans.models import Plan
from sanitasi.web.plans.results import plan_result


def _published_plans() -> list[Plan]:
    """Active plans that publish at least one indicator of the engine's catalogue (filtered
    in Python: portable across SQLite and PostgreSQL JSON, and cities are few)."""
    plans = Plan._base_manager.filter(is_active=True).order_by("city_kode")
    return [p for p in plans if any(c in INDICATORS for c in p.published_indicators or [])]


def published_data(kode: str) -> tuple[Plan, dict[str, Any]]:
    """The active plan of ``kode`` and the API figures restricted to its published
    indicators (in the order chosen); 404 when the city publishes nothing."""
    plan = Plan._base_manager.filter(city_kode=kode, is_active=True).first()
    if plan is None or not plan.published_indicators:
        raise Http404("nothing published")
    published = [str(c) for c in plan.published_indicators]
    data = indicators_data(kode, plan_result(kode))
    by_code = {i["indicator"]: i for i in data["indicators"]}
    shown = [by_code[c] for c in published if c in by_code]
    if not shown:
        raise Http404("nothing published")
    return plan, {**data, "indicators": shown}


def _city(kode: str) -> Region:
    city = Region._base_manager.filter(city_kode=kode, kode=kode, tingkat="kabkota").first()
    if city is None:
        raise Http404("no such city")
    return city


def public_home(request: HttpRequest) -> HttpResponse:
    """Cities with at least one published indicator."""
    kodes = [p.city_kode for p in _published_plans()]
    cities = list(Region._base_manager.filter(kode__in=kodes, tingkat="kabkota").order_by("kode"))
    return render(request, "web/public_home.html", {"cities": cities})


def public_city(request: HttpRequest, kode: str) -> HttpResponse:
    """The published indicators of one city, year by year, with their charts."""
    city = _city(kode)
    _plan, data = published_data(kode)
    lang = page_lang()
    result = plan_result(kode)
    specs: dict[str, Any] = {}
    tables = []
    for ind in data["indicators"]:
        code = ind["indicator"]
        spec = charts.headline_chart(result, code, lang, kode=kode)
        if spec is not None:
            specs[f"public:{code}"] = spec
        rows = [
            {
                "year": p["year"],
                "baseline": fmt_number(p["baseline_pct"], 1, lang),
                "trajectory": fmt_number(p["trajectory_pct"], 1, lang),
                "binding": "" if not p["binding_set"] else target_set_label(p["binding_set"], lang),
                "projection": fmt_number(p["projection_pct"], 1, lang),
                "gap": fmt_gap(p["gap_pts"], p.get("achieved_pts"), 1, lang),
            }
            for p in ind["years"]
        ]
        tables.append({"code": code, "label": ind["label"], "unit": ind["unit"], "rows": rows})
    context = {
        "city": city,
        "data": data,
        "tables": tables,
        "target_sets": [target_set_label(s, lang) for s in data["target_sets"]],
        "chart_keys": list(specs),
        "charts": {"specs": specs, "options": charts.embed_options(lang)},
    }
    return render(request, "web/public_city.html", context)


__all__ = ["public_city", "public_home", "published_data"]
