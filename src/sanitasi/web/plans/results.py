"""Cached engine runs of a city: the plan and the quarterly monitoring report, built by the
use-case layer on the database (:func:`sanitasi.app.plan_report` and
:func:`sanitasi.app.monitoring_report` on a
:class:`~sanitasi.web.plans.source.DatabaseSource`), so the web's pages and downloads carry
every chapter ``sanitasi plan`` writes for the same city (programme, Bab II instruments).

A run is cached per city and *data version*: the active plan's id plus the id of the city's
latest audit entry (every change to plan data, activities and realisation writes one, and a
reload replaces the plan row). A page therefore recomputes only after the data changed.

The cache lives in the process (a small LRU), not in Django's cache framework: a
:class:`~sanitasi.core.model.PlanResult` holds closures and does not pickle, and Django's
cache backends pickle every value. With gunicorn each worker keeps its own copy; the key
(with the entry's time, since SQLite can reuse a rolled-back id) changes with the data.
Rendered downloads (bytes) do pickle: they go to the ``downloads`` file cache, shared by the
workers (:func:`download`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches

from sanitasi.app import monitoring_report as app_monitoring_report
from sanitasi.app import plan_report
from sanitasi.core.model import PlanResult
from sanitasi.core.programme_run import MonitoringReport
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.plans.inputs import active_plan
from sanitasi.web.plans.source import DatabaseSource, request_from_plan

MAX_ENTRIES = 32
log = logging.getLogger(__name__)
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


def clear_downloads() -> None:
    """Drop the cached reports only (tests that stub a renderer; the runs stay cached)."""
    caches["downloads"].clear()


class PlanUnavailable(Exception):
    """The engine cannot compute a city's plan from the stored data (e.g. a city without a
    baseline, or a baseline edited into an inconsistent state). ``problems`` are the rules
    broken, as ``sanitasi plan`` names them; empty when the engine itself failed."""

    def __init__(self, city_kode: str, problems: tuple[Problem, ...] = (), detail: str = ""):
        self.city_kode = city_kode
        self.problems = problems
        self.detail = detail
        super().__init__(
            f"the plan of {city_kode} cannot be computed" + (f": {detail}" if detail else "")
        )

    def messages(self, lang: str) -> list[str]:
        return [p.message(lang) for p in self.problems] or ([self.detail] if self.detail else [])


def _build_plan(city_kode: str) -> PlanResult:
    source = DatabaseSource(city_kode)
    request = request_from_plan(active_plan(city_kode))
    runs["plan"] += 1
    try:
        return plan_report(source, request)
    except InputErrors as exc:  # the whole-city rules of ``sanitasi plan`` the data break
        raise PlanUnavailable(city_kode, tuple(errors_of(exc.problems))) from None
    except Exception as exc:  # the engine on data the checks let through: say so, log it
        log.exception("plan of %s failed", city_kode)
        raise PlanUnavailable(city_kode, detail=f"{type(exc).__name__}: {exc}") from exc


def plan_result(city_kode: str) -> PlanResult:
    """The city's plan report (programme chapters when it has a matrix, Bab II instrument
    chapters when it has the files), cached."""
    key = ("plan", city_kode, *data_version(city_kode))
    return _cached(key, lambda: _build_plan(city_kode))


def _build_monitoring(city_kode: str, year: int, quarter: int) -> MonitoringReport | None:
    source = DatabaseSource(city_kode)
    if not source.has_programme():
        return None
    plan = plan_result(city_kode)
    runs["monitoring"] += 1
    # Verified realisation only: dashboards count what Bappeda verified.
    return app_monitoring_report(
        source,
        year,
        quarter,
        include_submitted=False,
        plan=plan,
        require_programme=False,
    )


def monitoring_report(city_kode: str, year: int, quarter: int) -> MonitoringReport | None:
    """The city's monitoring report for ``year`` Q``quarter`` (verified realisation only),
    cached; ``None`` when the city has no programme matrix."""
    key = ("monitoring", city_kode, year, quarter, *data_version(city_kode))
    return _cached(key, lambda: _build_monitoring(city_kode, year, quarter))


def download(
    city_kode: str, name: str, build: Callable[[], bytes | str], *extra: Any
) -> bytes | str:
    """A rendered report (``name``: e.g. ``plan.pdf``; ``extra``: language, period ...),
    cached per city and data version in the ``downloads`` file cache (settings.CACHES):
    a PDF takes seconds to lay out (WeasyPrint), so a second download of unchanged data,
    from any gunicorn worker, is read from disk."""
    key = repr(("download", city_kode, name, *extra, *data_version(city_kode)))
    cache_key = "download:" + hashlib.sha256(key.encode()).hexdigest()
    cache = caches["downloads"]
    found: bytes | str | None = cache.get(cache_key)
    if found is not None:
        return found
    value = build()
    cache.set(cache_key, value)
    return value


__all__ = [
    "PlanUnavailable",
    "download",
    "clear",
    "clear_downloads",
    "data_version",
    "monitoring_report",
    "plan_result",
    "runs",
]
