"""The monitoring period (year, quarter) a page shows: from the query string, else the latest
quarter with verified realisation, else the first year after the plan's base year, Q1; and
:func:`reporting_date`, the day new realisation is judged on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from sanitasi.web.monitoring.models import VERIFIED, Realisation
from sanitasi.web.plans.inputs import active_plan

MIN_YEAR = 2000
MAX_YEAR = 2100


def default_period(city_kode: str) -> tuple[int, int]:
    last = (
        Realisation.objects.filter(city_kode=city_kode, state=VERIFIED)
        .order_by("-year", "-quarter")
        .values_list("year", "quarter")
        .first()
    )
    if last is not None:
        return int(last[0]), int(last[1])
    return int(active_plan(city_kode).base_year) + 1, 1


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


def reporting_date() -> dt.date:
    """Today in the site's time zone: a quarter that starts later cannot be reported yet
    (``SAN-E049``), the default quarter of a new report, and the date stamped on an activity
    Bappeda adopts. Call it as ``period.reporting_date()`` (tests pin it)."""
    return timezone.localdate()
