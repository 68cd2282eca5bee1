"""City summaries for the province and national pages (docs/METHOD.md §17).

A page listing hundreds of cities never runs a plan: it reads one :class:`CitySummary` row
per city. A row is built from the city's cached plan run and monitoring report
(:mod:`sanitasi.web.plans.results`) and stamped with the version it was built at: the city's
data version, the latest closed quarter (the summary's reporting figures are about it) and
the code's fingerprint. :func:`current_versions` gives the version every city should have in
three queries; a row whose stamp differs is *stale*: the page still shows it (marked) and
:func:`schedule_refresh` rebuilds it in a background thread (with ``SANITASI_PRECOMPUTE``). Rows are also rebuilt after
every save (when ``SANITASI_PRECOMPUTE`` is on, like the dashboard's warm-up) and by
``manage.py refresh_summaries`` / ``sanitasi summaries``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import connections
from django.db.models import Max

from sanitasi.core.monitoring import quarter_of
from sanitasi.core.province import SUM_COLUMNS
from sanitasi.reports.common import HEADLINE_INDICATORS, city_rows, frame, years
from sanitasi.web import shared
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import period
from sanitasi.web.monitoring.models import SUBMITTED, VERIFIED, Realisation
from sanitasi.web.plans import results
from sanitasi.web.plans.models import Plan
from sanitasi.web.regions_view.models import CitySummary

log = logging.getLogger(__name__)

#: The target set of a city's own sasaran: not a national target.
LOCAL = "LOCAL"


def latest_closed_quarter(day: dt.date) -> tuple[int, int]:
    """The last quarter that ended before ``day`` (2027-03-31 -> 2026 Q4)."""
    q = quarter_of(day)
    return (day.year, q - 1) if q > 1 else (day.year - 1, 4)


def stamp(version: results.Version, quarter: tuple[int, int]) -> str:
    return f"{version[0]}:{version[1]}:{version[2]}|{quarter[0]}Q{quarter[1]}|" + (
        shared.code_fingerprint()
    )


def current_versions(kodes: Iterable[str], quarter: tuple[int, int]) -> dict[str, str]:
    """The stamp every city of ``kodes`` with an active plan should carry now (three queries
    whatever the number of cities; the same data version as
    :func:`sanitasi.web.plans.results.data_version`)."""
    kodes = list(kodes)
    plans = dict(
        Plan._base_manager.filter(is_active=True, city_kode__in=kodes).values_list(
            "city_kode", "pk"
        )
    )
    last_ids = (
        AuditEntry.objects.filter(city_kode__in=kodes)
        .values("city_kode")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    last = {
        k: (int(i), w.isoformat())
        for k, i, w in AuditEntry.objects.filter(id__in=list(last_ids)).values_list(
            "city_kode", "id", "when"
        )
    }
    out = {}
    for k, plan_id in plans.items():
        entry_id, when = last.get(k, (0, ""))
        out[k] = stamp((int(plan_id), entry_id, when), quarter)
    return out


# --------------------------------------------------------------------------- building


def _denominators(result: Any, kode: str) -> dict[str, pd.Series]:
    """Denominators by year of the city: households (population table) and waste generated
    in t/day (needs_waste), keyed by the unit of the headline table."""
    out: dict[str, pd.Series] = {}
    pop = frame(result, "population")
    if pop is not None:
        p = city_rows(pop, kode)
        out["households"] = pd.Series(p["households"].to_numpy(float), index=p["year"].to_numpy())
    waste = frame(result, "needs_waste")
    if waste is not None:
        w = city_rows(waste, kode)
        out["t/day"] = pd.Series(w["generated_tpd"].to_numpy(float), index=w["year"].to_numpy())
    return out


def figures_of(result: Any, kode: str) -> dict[str, dict[str, Any]]:
    """Per headline indicator of the city's plan run, the sums of
    :data:`sanitasi.core.province.SUM_COLUMNS` (docs/METHOD.md §17): numerators are the
    indicator's share x its denominator (households, or waste generated in t/day) at the
    base year and at the end of the SSK period; the national target is the strictest
    national target set's point in the gap table at the end year (the largest gap; not
    ``LOCAL``), ``gap_units`` its gap in units."""
    head = frame(result, "headline")
    if head is None:
        return {}
    head = city_rows(head, kode)
    y = years(result)
    dens = _denominators(result, kode)
    gap = frame(result, "gap")
    if gap is not None:
        gap = city_rows(gap, kode)
        gap = gap[(gap["year"] == y.end) & (gap["target_set"].astype(str) != LOCAL)]
    out: dict[str, dict[str, Any]] = {}
    for ind in HEADLINE_INDICATORS:
        rows = head[head["indicator"] == ind]
        if not len(rows):
            continue
        unit = str(rows["unit"].iloc[0])
        den = dens.get(unit)
        base = rows[rows["year"] == y.base]
        end = rows[rows["year"] == y.end]
        if den is None or not len(base) or not len(end) or y.base not in den or y.end not in den:
            continue
        base_den, end_den = float(den[y.base]), float(den[y.end])
        fig: dict[str, Any] = {
            "unit": unit,
            "base_den": base_den,
            "base_num": float(base["baseline_pct"].iloc[0]) / 100.0 * base_den,
            "end_den": end_den,
            "target_num": float(end["trajectory_pct"].iloc[0]) / 100.0 * end_den,
            "bau_num": float(end["bau_pct"].iloc[0]) / 100.0 * end_den,
            "national_num": None,
            "gap_units": None,
            "national_set": "",
        }
        if gap is not None:
            g = gap[gap["indicator"] == ind].sort_values("gap_units", ascending=False)
            if len(g):
                fig["national_num"] = float(g["target_pct"].iloc[0]) / 100.0 * end_den
                fig["gap_units"] = max(float(g["gap_units"].iloc[0]), 0.0)
                fig["national_set"] = str(g["target_set"].iloc[0])
        out[ind] = {k: (None if isinstance(v, float) and v != v else v) for k, v in fig.items()}
    return out


def completeness(kode: str, year: int, quarter: int) -> tuple[int, int, int]:
    """(expected, reported, verified) reports of ``year`` Q``quarter``: adopted activities
    with a planned output or cost that year; of them, those with a submitted or verified
    realisation row for the quarter, and the verified ones."""
    from sanitasi.web.programme.models import Activity

    expected_ids = set(
        Activity._base_manager.filter(city_kode=kode, state="adopted", planned__year=year)
        .exclude(planned__planned_output=0, planned__planned_cost_idr=0)
        .values_list("pk", flat=True)
    )
    rows = Realisation._base_manager.filter(
        city_kode=kode, year=year, quarter=quarter, activity_id__in=expected_ids
    ).values_list("activity_id", "state")
    reported = {a for a, s in rows if s in (SUBMITTED, VERIFIED)}
    verified = {a for a, s in rows if s == VERIFIED}
    return len(expected_ids), len(reported), len(verified)


def _band(kode: str, year: int, quarter: int) -> str:
    report = results.monitoring_report(kode, year, quarter)
    if report is None:
        return ""
    table = report.tables.get("by_city")
    if table is None or not len(table.df):
        return ""
    band = table.df.iloc[0].get("band")
    return "" if band is None or band != band else str(band)


def build_summary(kode: str) -> CitySummary:
    """Compute and store the summary of city ``kode`` (uses the cached plan run and
    monitoring report: a plan is computed only when the city's data changed)."""
    city = Region._base_manager.filter(city_kode=kode, kode=kode, tingkat="kabkota").first()
    if city is None:
        raise LookupError(kode)
    prov_kode = kode.split(".")[0]
    prov = Region._base_manager.filter(city_kode=kode, kode=prov_kode).first()
    quarter = latest_closed_quarter(period.reporting_date())
    version = results.data_version(kode)
    values: dict[str, Any] = {
        "province_kode": prov_kode,
        "nama": city.nama,
        "province_nama": "" if prov is None else prov.nama,
        "version": stamp(version, quarter),
        "year": quarter[0],
        "quarter": quarter[1],
        "error": "",
        "band": "",
    }
    try:
        result = results.plan_result(kode)
    except results.PlanUnavailable as exc:
        values.update(figures={}, base_year=None, end_year=None)
        values["error"] = "; ".join(exc.messages("en"))[:2000] or "plan unavailable"
    else:
        y = years(result)
        values.update(figures=figures_of(result, kode), base_year=y.base, end_year=y.end)
        try:
            values["band"] = _band(kode, *quarter)
        except results.PlanUnavailable:
            pass
    values["expected"], values["reported"], values["verified"] = completeness(kode, *quarter)
    row, _created = CitySummary.objects.update_or_create(city_kode=kode, defaults=values)
    return row


def refresh(kodes: Iterable[str] | None = None, *, stale_only: bool = True) -> list[str]:
    """(Re)build the summaries of ``kodes`` (``None``: every loaded city); ``stale_only``
    skips rows already at their current version. Returns the cities rebuilt."""
    if kodes is None:
        kodes = Plan._base_manager.filter(is_active=True).values_list("city_kode", flat=True)
    kodes = sorted(set(kodes))
    quarter = latest_closed_quarter(period.reporting_date())
    want = current_versions(kodes, quarter)
    have = dict(CitySummary.objects.filter(city_kode__in=kodes).values_list("city_kode", "version"))
    done = []
    for k in kodes:
        if k not in want or (stale_only and have.get(k) == want[k]):
            continue
        try:
            build_summary(k)
        except LookupError:
            continue
        done.append(k)
    return done


# --------------------------------------------------------------------------- background

_pending: set[str] = set()
_running = {"on": False}
_lock = threading.Lock()


def _loop() -> None:
    try:
        while True:
            with _lock:
                if not _pending:
                    _running["on"] = False
                    return
                batch = sorted(_pending)
                _pending.clear()
            try:
                refresh(batch)
            except Exception:  # a database gone, a city deleted meanwhile: the page says stale
                log.warning("refreshing city summaries failed", exc_info=True)
    except BaseException:
        with _lock:
            _running["on"] = False
        raise
    finally:
        connections.close_all()  # this thread's connections


def schedule_refresh(kodes: Iterable[str]) -> None:
    """Rebuild the summaries of ``kodes`` in one background thread (one at a time; cities
    asked for meanwhile join its queue). Only with ``SANITASI_PRECOMPUTE`` on (``sanitasi
    serve``), like every background computation; else ``refresh_summaries`` does it."""
    kodes = [k for k in kodes if k]
    if not kodes or not results.precompute_enabled():
        return
    with _lock:
        _pending.update(kodes)
        if _running["on"]:
            return
        _running["on"] = True
    results.start_thread(_loop, "sanitasi-city-summaries")


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, **_: Any) -> None:
    """post_save of an audit entry: with ``SANITASI_PRECOMPUTE`` on (and
    ``SANITASI_SUMMARIES_AFTER_SAVE``, default on), rebuild the city's summary once the
    transaction commits."""
    if not created or not results.precompute_enabled():
        return
    if not getattr(settings, "SANITASI_SUMMARIES_AFTER_SAVE", True):
        return
    from django.db import transaction

    kode = str(instance.city_kode or "")
    if kode:
        transaction.on_commit(lambda: schedule_refresh([kode]))


__all__ = [
    "SUM_COLUMNS",
    "build_summary",
    "completeness",
    "current_versions",
    "figures_of",
    "latest_closed_quarter",
    "refresh",
    "schedule_refresh",
]
