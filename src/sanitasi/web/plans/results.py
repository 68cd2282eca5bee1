"""Cached engine runs of a city: the plan and the quarterly monitoring report, built by the
use-case layer on the database (:func:`sanitasi.app.plan_report` and
:func:`sanitasi.app.monitoring_report` on a
:class:`~sanitasi.web.plans.source.DatabaseSource`), so the web's pages and downloads carry
every chapter ``sanitasi plan`` writes for the same city (programme, Bab II instruments).

A run is cached per city and *data version*: the active plan's id plus the id and time of
the city's latest audit entry (every change to plan data, activities and realisation writes
one, and a reload replaces the plan row). A page therefore recomputes only after the data
changed, and then **once for all gunicorn workers** (:mod:`sanitasi.web.shared`): the first
worker to need the new version computes it under a file lock and stores it pickled in the
``results`` cache; the other workers wait for the lock and load the pickle (tens of
milliseconds instead of seconds). A plan result is stored without its engine memo
``arrays.notes["levels"]`` (closures, rebuilt on demand by the engine). Whole-city rule
failures (:class:`PlanUnavailable` with problems) are shared too: the same data fail the
same way.

After a save (on commit, when ``SANITASI_PRECOMPUTE`` is on: ``sanitasi serve`` turns it
on) the precomputation is a task of the queue when tasks are queued (``SANITASI_TASKS``
``thread`` or ``worker``: :func:`sanitasi.web.jobs.queue_warm`, run by
:func:`sanitasi.web.jobs.tasks.warm_city`), else :func:`schedule_warm` computes the new version's plan, the dashboard's monitoring report and
the dashboard's parts (:func:`warm`) in a background thread of the saving worker, so the next
dashboard of every worker only loads them. Rendered downloads (bytes) go to the ``downloads`` cache the same way
(:func:`download`).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connections

from sanitasi.app import monitoring_report as app_monitoring_report
from sanitasi.app import plan_report
from sanitasi.core.model import PlanResult
from sanitasi.core.programme_run import MonitoringReport
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.web import shared
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.plans.inputs import active_plan
from sanitasi.web.plans.source import DatabaseSource, request_from_plan

log = logging.getLogger(__name__)
#: Number of engine runs in this process (tests check that a second request, or another
#: worker, does not recompute).
runs = {"plan": 0, "monitoring": 0}

#: Engine memos of :class:`~sanitasi.core.plan.PlanArrays` left out of the shared copy
#: (closures do not pickle; the engine rebuilds them when it needs them).
UNSHARED_NOTES: frozenset[str] = frozenset({"levels"})

#: A city's data version: (active plan id, latest audit entry id, its time).
Version = shared.Version


def data_version(city_kode: str) -> Version:
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


def version_key(kind: str, city_kode: str, *extra: Any, version: Version | None = None) -> str:
    """The shared-cache key of ``kind`` (plan, monitoring, a download ...) of a city at its
    current data version (``version``: :func:`data_version`, when the caller has it)."""
    return shared.cache_key(kind, city_kode, *extra, *(version or data_version(city_kode)))


def clear() -> None:
    """Forget the runs of this process and the shared ones (tests)."""
    shared.clear_local()
    caches["results"].clear()


def clear_downloads() -> None:
    """Drop the cached reports only (tests that stub a renderer; the runs stay cached)."""
    caches["downloads"].clear()


def shareable(result: PlanResult) -> PlanResult:
    """``result`` as stored for the other workers: the same tables, warnings, inputs and
    arrays, without the engine memos of :data:`UNSHARED_NOTES`."""
    arrays = result.arrays
    if arrays is None or not UNSHARED_NOTES & set(arrays.notes):
        return result
    notes = {k: v for k, v in arrays.notes.items() if k not in UNSHARED_NOTES}
    return dataclasses.replace(result, arrays=dataclasses.replace(arrays, notes=notes))


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

    def __reduce__(self) -> tuple[Any, ...]:  # pickled whole (shared between workers)
        return (PlanUnavailable, (self.city_kode, self.problems, self.detail))


def _data_error(exc: BaseException) -> bool:
    """Shared with the other workers: the whole-city rules the stored data break (not an
    engine failure, which may be of the moment)."""
    return isinstance(exc, PlanUnavailable) and bool(exc.problems)


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
    chapters when it has the files), computed once per data version for every worker
    (:func:`sanitasi.web.shared.get_versioned`: inside ``shared.stale_reads`` the previous
    version answers while another worker builds the current one)."""
    return shared.get_versioned(
        ("plan", city_kode),
        data_version(city_kode),
        lambda: _build_plan(city_kode),
        lock=f"plan-{city_kode}",
        current=lambda: data_version(city_kode),
        share=shareable,
        share_error=_data_error,
    )[0]


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
    computed once per data version for every worker; ``None`` when the city has no
    programme matrix."""
    return shared.get_versioned(
        ("monitoring", city_kode, year, quarter),
        data_version(city_kode),
        lambda: _build_monitoring(city_kode, year, quarter),
        lock=f"monitoring-{city_kode}",
        current=lambda: data_version(city_kode),
        share_error=_data_error,
    )[0]


def download(
    city_kode: str, name: str, build: Callable[[], bytes | str], *extra: Any
) -> bytes | str:
    """A rendered report (``name``: e.g. ``plan.pdf``; ``extra``: language, period ...),
    cached per city and data version in the ``downloads`` file cache (settings.CACHES):
    a PDF takes seconds to lay out (WeasyPrint), so it is rendered once, by one worker
    (the others wait for it), and a later download of unchanged data, from any gunicorn
    worker, is read from disk."""
    return shared.get_or_build(
        version_key("download", city_kode, name, *extra),
        build,
        lock=f"download-{city_kode}-{name}",
        alias="downloads",
        local=False,
    )


def cached_download(city_kode: str, name: str, *extra: Any) -> bytes | str | None:
    """The rendered report of :func:`download` if it is in the ``downloads`` cache at the
    city's current data version, else ``None`` (nothing is rendered)."""
    found = caches["downloads"].get(version_key("download", city_kode, name, *extra))
    return found if isinstance(found, bytes | str) else None


# ----------------------------------------------------------------- precompute after a save

_warming: dict[str, bool] = {}  # city -> another save came while warming
_warming_lock = threading.Lock()


def precompute_enabled() -> bool:
    return bool(getattr(settings, "SANITASI_PRECOMPUTE", False))


def warm(city_kode: str) -> None:
    """Compute (or load) into the shared cache, at the city's current data version, its
    plan, the monitoring report its dashboard shows by default and the dashboard's parts in
    both languages."""
    from django.conf import settings as django_settings

    from sanitasi.web.monitoring.period import default_period
    from sanitasi.web.plans.dashboard import dashboard_parts

    try:
        plan_result(city_kode)
        period = default_period(city_kode)
        monitoring_report(city_kode, *period)
        for lang, _name in django_settings.LANGUAGES:
            dashboard_parts(city_kode, lang, *period)
    except PlanUnavailable:
        pass  # shared as such; the pages show it
    except Exception:  # a city deleted meanwhile, a database gone: the pages will say
        log.warning("precomputing the plan of %s failed", city_kode, exc_info=True)


def _warm_loop(city_kode: str) -> None:
    try:
        while True:
            warm(city_kode)
            with _warming_lock:
                if not _warming.get(city_kode):
                    _warming.pop(city_kode, None)
                    return
                _warming[city_kode] = False  # saved again meanwhile: once more
    finally:
        with _warming_lock:
            _warming.pop(city_kode, None)
        connections.close_all()  # this thread's connections


def start_thread(target: Callable[[], None], name: str) -> None:
    """Run ``target`` in a daemon thread (tests replace this to run it inline)."""
    threading.Thread(target=target, name=name, daemon=True).start()


def schedule_warm(city_kode: str) -> None:
    """Precompute the city's new data version in the background (one thread per city at a
    time; saves made while it runs make it run once more at the end)."""
    if not city_kode:
        return
    with _warming_lock:
        if city_kode in _warming:
            _warming[city_kode] = True
            return
        _warming[city_kode] = False
    start_thread(lambda: _warm_loop(city_kode), f"sanitasi-warm-{city_kode}")


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, **_: Any) -> None:
    """post_save of :class:`AuditEntry`: every data change writes one; once its transaction
    commits, precompute the city's new version (when ``SANITASI_PRECOMPUTE`` is on)."""
    if not created or not precompute_enabled():
        return
    from django.db import transaction

    from sanitasi.web import jobs

    kode = str(instance.city_kode or "")
    if jobs.queued():  # the task queue runs it (a thread of a web process, or a worker)
        transaction.on_commit(lambda: queue_warm_safely(kode))
        return
    transaction.on_commit(lambda: schedule_warm(kode))


def queue_warm_safely(kode: str) -> None:
    """Queue the precomputation of ``kode`` (:func:`sanitasi.web.jobs.queue_warm`); a
    failure to queue is logged, never the saving request's error."""
    from sanitasi.web import jobs

    if not kode:
        return
    try:
        jobs.queue_warm(kode)
    except Exception:
        log.warning("queueing the precomputation of %s failed", kode, exc_info=True)


__all__ = [
    "PlanUnavailable",
    "UNSHARED_NOTES",
    "Version",
    "clear",
    "cached_download",
    "clear_downloads",
    "data_version",
    "download",
    "monitoring_report",
    "on_audit_entry",
    "plan_result",
    "precompute_enabled",
    "runs",
    "schedule_warm",
    "shareable",
    "version_key",
    "warm",
]
