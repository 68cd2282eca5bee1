"""Cached engine runs of a city: the plan (with the programme chapters, as ``sanitasi plan``
gives them for a folder with a programme matrix) and the quarterly monitoring report.

A run is cached per city and *data version*: the active plan's id plus the id of the city's
latest audit entry (every change to plan data, activities and realisation writes one, and a
reload replaces the plan row). A page therefore recomputes only after the data changed.

The cache lives in the process (a small LRU), not in Django's cache framework: a
:class:`~sanitasi.core.model.PlanResult` holds closures and does not pickle, and Django's
cache backends pickle every value. With gunicorn each worker keeps its own copy; the key
(with the entry's time, since SQLite can reuse a rolled-back id) changes with the data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from sanitasi.core.model import PlanResult
from sanitasi.core.programme_run import MonitoringReport, monitoring_run, programme_chapters
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.plans.dashboard import city_plan
from sanitasi.web.plans.inputs import active_plan, plan_inputs_for
from sanitasi.web.programme.inputs import programme_inputs_for

MAX_ENTRIES = 32
_T = TypeVar("_T")
_lock = threading.Lock()
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
#: Number of engine runs (tests check that a second request does not recompute).
runs = {"plan": 0, "monitoring": 0}


def data_version(city_kode: str) -> tuple[int, int, str]:
    """(active plan id, id and time of the city's latest audit entry): changes whenever the
    data do. The time is part of the key because SQLite may reuse the id of an entry whose
    transaction was rolled back."""
    plan_id = int(active_plan(city_kode).pk)
    last = (
        AuditEntry.objects.filter(city_kode=city_kode).order_by("-id").values_list("id", "when")
    ).first()
    if last is None:
        return plan_id, 0, ""
    return plan_id, int(last[0]), last[1].isoformat()


def _cached(key: tuple[Any, ...], build: Callable[[], _T]) -> _T:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            value: _T = _cache[key]
            return value
    value = build()
    with _lock:
        _cache[key] = value
        _cache.move_to_end(key)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _cache.clear()


def _build_plan(city_kode: str) -> PlanResult:
    runs["plan"] += 1
    result = city_plan(city_kode)
    prog = programme_inputs_for(city_kode)
    if prog is None:
        return result
    inputs = plan_inputs_for(city_kode)
    tables, warns, _cover = programme_chapters(inputs, result.extras["arrays"], prog)
    return replace(
        result,
        tables={**result.tables, **tables},
        warnings=(*result.warnings, *warns),
        extras={**result.extras, "programme": prog, "inputs": inputs},
    )


def plan_result(city_kode: str) -> PlanResult:
    """The city's plan run (with programme chapters when it has a matrix), cached."""
    key = ("plan", city_kode, *data_version(city_kode))
    return _cached(key, lambda: _build_plan(city_kode))


def _build_monitoring(city_kode: str, year: int, quarter: int) -> MonitoringReport | None:
    prog = programme_inputs_for(city_kode)
    if prog is None:
        return None
    runs["monitoring"] += 1
    result = plan_result(city_kode)
    inputs = result.extras.get("inputs") or plan_inputs_for(city_kode)
    # Verified realisation only: dashboards count what Bappeda verified.
    return monitoring_run(
        inputs, result.extras["arrays"], prog, year, quarter, include_submitted=False
    )


def monitoring_report(city_kode: str, year: int, quarter: int) -> MonitoringReport | None:
    """The city's monitoring report for ``year`` Q``quarter`` (verified realisation only),
    cached; ``None`` when the city has no programme matrix."""
    key = ("monitoring", city_kode, year, quarter, *data_version(city_kode))
    return _cached(key, lambda: _build_monitoring(city_kode, year, quarter))


__all__ = ["clear", "data_version", "monitoring_report", "plan_result", "runs"]
