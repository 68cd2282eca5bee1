"""What the realisation screens show next to each row: its evidence files (those the user
may see) and, for the verify queue, the activity's location by name, the planned output and
cost to date (docs/METHOD.md §10.3, :func:`sanitasi.core.monitoring.planned_to_date`) and the
output realised to date in the year.

Attributes set on each :class:`~sanitasi.web.monitoring.models.Realisation` row (plain
attributes for the template): ``files`` (list of visible
:class:`~sanitasi.web.evidence.models.Evidence`), and for queue rows ``location_name``,
``planned_output_to_date``, ``planned_cost_to_date_idr`` and ``output_to_date``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.db.models import Q
from django.utils.translation import gettext as _

from sanitasi.core.monitoring import planned_to_date
from sanitasi.web.evidence.models import Evidence
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring.models import SUBMITTED, VERIFIED, Realisation
from sanitasi.web.plans.inputs import active_plan, parameters_for
from sanitasi.web.programme.models import PlannedYear


def attach_files(user: Any, kode: str, rows: Sequence[Realisation]) -> None:
    """Set ``row.files``: the evidence of each row that ``user`` may see (one query)."""
    ids = {r.pk for r in rows if r is not None and r.pk is not None}
    by_row: dict[int, list[Evidence]] = defaultdict(list)
    if ids:
        for ev in (
            Evidence.objects.restrict(user)
            .filter(city_kode=kode, realisation_id__in=ids)
            .order_by("uploaded_at", "id")
        ):
            by_row[ev.realisation_id].append(ev)
    for r in rows:
        if r is not None:
            r.files = by_row.get(r.pk, [])  # type: ignore[attr-defined]


def location_name(region: Region | None) -> str:
    """The activity's place by name: "Kel. X, Kec. Y", "Kec. Y" or "whole city (Z)"."""
    if region is None:
        return "–"
    parent = region.parent
    if region.tingkat == "kelurahan":
        place = _("Kel. %(name)s") % {"name": region.nama}
    elif region.tingkat == "desa":
        place = _("Desa %(name)s") % {"name": region.nama}
    elif region.tingkat == "kecamatan":
        return _("Kec. %(name)s") % {"name": region.nama}
    else:
        return _("whole city (%(name)s)") % {"name": region.nama}
    if parent is not None and parent.tingkat == "kecamatan":
        return f"{place}, " + _("Kec. %(name)s") % {"name": parent.nama}
    return place


def annotate(kode: str, rows: Sequence[Realisation]) -> None:
    """Location, planned to date and realised to date of the queue rows (a few queries and
    one vectorised computation over all rows)."""
    if not rows:
        return
    keys = {(r.activity_id, r.year) for r in rows}
    planned: dict[tuple[int, int], tuple[float, float]] = {}
    cond = Q()
    for activity_id, year in keys:
        cond |= Q(activity_id=activity_id, year=year)
    for p in PlannedYear.objects.filter(city_kode=kode).filter(cond):
        planned[(p.activity_id, p.year)] = (p.planned_output, p.planned_cost_idr)
    frame = pd.DataFrame(
        {
            "plan_profile": [r.activity.plan_profile or "linear" for r in rows],
            "adopted_on": pd.to_datetime(
                pd.Series([r.activity.adopted_on for r in rows], dtype=object)
            ),
            "year": [r.year for r in rows],
            "quarter": [r.quarter for r in rows],
            "planned_output": [planned.get((r.activity_id, r.year), (0.0, 0.0))[0] for r in rows],
            "planned_cost_idr": [planned.get((r.activity_id, r.year), (0.0, 0.0))[1] for r in rows],
        }
    )
    todate = planned_to_date(frame, parameters_for(active_plan(kode)))
    # realised to date: submitted or verified rows of earlier quarters of the year, plus
    # this row (one query over the rows' activities and years)
    earlier: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for activity_id, year, quarter, output in (
        Realisation.objects.filter(city_kode=kode, state__in=(VERIFIED, SUBMITTED))
        .filter(cond)
        .values_list("activity_id", "year", "quarter", "output_achieved")
    ):
        earlier[(activity_id, year)].append((quarter, output))
    done = {
        r.pk: float(r.output_achieved)
        + sum(o for q, o in earlier[(r.activity_id, r.year)] if q < r.quarter)
        for r in rows
    }
    out_to_date = todate["planned_output_to_date"].to_numpy(dtype=float)
    cost_to_date = todate["planned_cost_to_date_idr"].to_numpy(dtype=float)
    for i, r in enumerate(rows):
        r.location_name = location_name(r.activity.location)  # type: ignore[attr-defined]
        r.planned_output_to_date = float(out_to_date[i])  # type: ignore[attr-defined]
        r.planned_cost_to_date_idr = float(cost_to_date[i])  # type: ignore[attr-defined]
        r.output_to_date = done[r.pk]  # type: ignore[attr-defined]
