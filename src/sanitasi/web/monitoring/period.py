"""The monitoring period (year, quarter) a page shows: from the query string, else the latest
*closed* quarter as of :func:`reporting_date` (the day new realisation is judged on;
METHOD.md §10.11); and :func:`lock_days`, the quarter lock of ``SANITASI_QUARTER_LOCK_DAYS``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sanitasi.core.monitoring import quarter_end
from sanitasi.core.reporting import latest_closed_quarter

MIN_YEAR = 2000
MAX_YEAR = 2100
LOCK_SETTING = "SANITASI_QUARTER_LOCK_DAYS"


def default_period(city_kode: str) -> tuple[int, int]:
    """The latest quarter closed as of :func:`reporting_date` (``city_kode``: any city; the
    rule is the same for every city)."""
    return latest_closed_quarter(reporting_date())


def lock_days() -> int | None:
    """Days after a quarter ends after which agencies can no longer add or change its
    realisation (the Django setting or environment variable ``SANITASI_QUARTER_LOCK_DAYS``;
    unset, blank or negative: never locked). Returned or reopened rows stay editable."""
    raw = getattr(settings, LOCK_SETTING, None)
    if raw is None:
        raw = os.environ.get(LOCK_SETTING, "")
    try:
        days = int(str(raw).strip())
    except ValueError:
        return None
    return days if days >= 0 else None


def quarter_locked(year: int, quarter: int, today: dt.date | None = None) -> bool:
    """Whether ``year`` Q``quarter`` is locked as of ``today`` (default
    :func:`reporting_date`): its last day + :func:`lock_days` is before today."""
    days = lock_days()
    if days is None or not 1 <= quarter <= 4:
        return False
    day = today or reporting_date()
    return quarter_end(year, quarter) + dt.timedelta(days=days) < day


def parse_period(query: Mapping[str, Any], default: tuple[int, int]) -> tuple[int, int]:
    """``year`` and ``quarter`` from ``query`` when both are valid, else ``default``."""
    try:
        year = int(str(query.get("year", "")))
        quarter = int(str(query.get("quarter", "")))
    except ValueError:
        return default
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= quarter <= 4):
        return default
    return year, quarter


class BadPeriod(ValueError):
    """A report period the city's plan does not have (the page answers 400 with it)."""


def plan_years(city_kode: str) -> tuple[int, int]:
    """(first, last) year of the city's active plan: base year to horizon."""
    from sanitasi.web.plans.inputs import active_plan

    plan = active_plan(city_kode)
    return int(plan.base_year), int(plan.horizon)


def requested_period(query: Mapping[str, Any], city_kode: str) -> tuple[int, int]:
    """The period of a report page or download: ``year`` and ``quarter`` from ``query``,
    or the city's :func:`default_period` when neither is given. A given value that is not a
    whole number, a quarter outside 1-4 or a year outside the plan's years (base year to
    horizon) raises :class:`BadPeriod` with the reason: a report of year 2090 is never
    rendered (issue 12 item 4)."""
    raw_year = str(query.get("year", "")).strip()
    raw_quarter = str(query.get("quarter", "")).strip()
    if not raw_year and not raw_quarter:
        return default_period(city_kode)
    default_year, default_quarter = default_period(city_kode)
    try:
        year = int(raw_year) if raw_year else default_year
        quarter = int(raw_quarter) if raw_quarter else default_quarter
    except ValueError:
        raise BadPeriod(
            _("Year and quarter must be whole numbers (got year %(year)s, quarter %(quarter)s).")
            % {"year": raw_year[:20] or "-", "quarter": raw_quarter[:20] or "-"}
        ) from None
    if not 1 <= quarter <= 4:
        raise BadPeriod(_("The quarter must be 1 to 4 (got %(quarter)s).") % {"quarter": quarter})
    first, last = plan_years(city_kode)
    if not first <= year <= last:
        raise BadPeriod(
            _("The year must be within the plan's years %(first)s-%(last)s (got %(year)s).")
            % {"first": first, "last": last, "year": year}
        )
    return year, quarter


def reporting_date() -> dt.date:
    """Today in the site's time zone: a quarter that starts later cannot be reported yet
    (``SAN-E049``), the default quarter of a new report, and the date stamped on an activity
    Bappeda adopts. Call it as ``period.reporting_date()`` (tests pin it)."""
    return timezone.localdate()
