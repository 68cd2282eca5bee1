"""Performance-based monitoring of the SSK programme (``docs/METHOD.md`` §10 Monitoring).

A package by concept: :mod:`.quarters` (constants, quarters, plan profiles, bands,
formatting), :mod:`.meetings` (action items, meetings), :mod:`.performance` (activity
performance, roll-ups, warnings: :func:`monitor`), :mod:`.forecast` (outputs ahead) and
:mod:`.tables` (the labelled tables). Every public name is importable from here.

Everything here is pure: it takes a :class:`~sanitasi.core.programme.ProgrammeInputs`, a
:class:`~sanitasi.core.model.ParameterSet` and dates, and returns new tables (inputs are never
mutated). All computations are vectorised pandas group-bys over activities x quarters.

Definitions, per activity of the reported ``year`` up to the reported ``quarter`` ``Q``:

* **Plan profile.** ``s(Q)`` = the cumulative share of the annual plan due by the end of
  quarter Q (``s(0) = 0``), parameter ``plan_profile_<profile>_q<Q>`` where ``<profile>`` is
  the activity's ``plan_profile``: ``linear`` 0.25/0.50/0.75/1, back-loaded ``apbd``
  0.15/0.40/0.70/1, or ``completion`` 0.10/0.35/0.70/1 (an S-curve of the planned physical
  progress of works whose output counts only when complete; illustrative defaults).
* **Adoption quarter.** An activity adopted during the year (``adopted_on`` in ``year``, in
  quarter ``Qa``) is judged from that quarter: ``s'(Q) = 0`` for ``Q < Qa``, else
  ``s'(Q) = (s(Q) - s(Qa-1)) / (1 - s(Qa-1))`` (``s' = 1`` from ``Qa`` on if ``s(Qa-1) = 1``).
  ``adopted_on`` blank (adopted before the plan period) or in an earlier year: ``Qa = 1``,
  ``s' = s``. Adopted in a later year: not in the plan of ``year`` (``Qa = 5``, ``s' = 0``
  every quarter). ``judged_from_quarter`` = ``Qa``.
* **Planned to date** = annual planned output x s'(Q); planned cost to date = annual
  planned cost x s'(Q).
* **Realised to date** = sum of the quarterly increments ``output_achieved`` and
  ``cost_spent_idr`` of quarters 1..Q of the year whose ``state`` counts: ``verified`` only,
  or ``verified`` + ``submitted`` with ``include_submitted``; ``draft`` never counts.
* **Physical realised to date** (output units): the realised output to date, except for a
  ``completion`` activity with a reported *progres fisik*: max(realised output to date,
  p / 100 x annual planned output), where ``p`` is the ``progress_pct`` (cumulative % of the
  year's planned works physically done) of the latest counted quarter 1..Q of the year that
  reports one. ``progress_pct`` of other activities is ignored. Output of completion works
  counts (coverage, unit cost, forecast of past years) only when reported as output.
* **Physical %** = physical realised to date / planned output to date x 100; NaN ("n/a")
  where nothing is planned to date; any output there is *unplanned* (warning SAN-W305).
  E.g. one IPAL planned, progress 40 % at Q2 with ``s(2) = 0.35``: 0.40 / 0.35 = 114.3 %.
* **Financial %** = spent to date / planned cost to date x 100 (NaN where no cost planned to
  date; spending there is SAN-W306).
* **Absorption %** (*penyerapan*) = spent to date / annual planned cost (the pagu) x 100,
  only for money executed through the city's APBD (:data:`ABSORPTION_SOURCES`: ``APBD_KOTA``
  own funds and ``DAK``, a transfer budgeted and spent inside the APBD). APBN, APBD_PROV,
  SWASTA and MASYARAKAT money is *investment* in the city (:data:`INVESTMENT_SOURCES`):
  ``absorption_pct`` is NaN and ``investment_idr`` = spent to date, reported by source.
* **Unit-cost efficiency %** = planned unit cost / realised unit cost x 100, where planned
  unit cost = annual planned cost / annual planned output and realised unit cost = spent to
  date / realised output to date; only when realised output > 0 (and spending > 0), else
  NaN. 100 = on plan, below 100 = dearer than planned. Works that spend before their output
  counts (IPAL komunal, IPLT) therefore show no efficiency until they deliver.
* **Overspend** (SAN-W302): realised unit cost > planned unit cost x (1 +
  ``overspend_tolerance``), strictly.
* **Band** (Permendagri 86/2017) on physical %: ``sangat_tinggi`` >= ``performance_band_
  sangat_tinggi_min_pct`` (91), ``tinggi`` >= 76, ``sedang`` >= 66, ``rendah`` >= 51, else
  ``sangat_rendah``; ``n/a`` where physical % is NaN.
* **Behind** (SAN-W301): physical % below the lower bound of the ``sedang`` band
  (``performance_band_sedang_min_pct``, 66), i.e. banded ``rendah`` or ``sangat_rendah``.
* **No report** (SAN-W303): an activity with a plan (output or cost > 0) in the year that has
  no ``submitted`` or ``verified`` realisation row for one of the quarters ``Qa``..Q (a
  submitted row is a report even when its figures are not counted yet; drafts are not
  reports; quarters before the adoption quarter are not asked for). One warning per missing
  quarter.
* **Overdue action item** (SAN-W304): ``state == open`` and ``due_date < as_of``; days
  overdue = as_of - due date. ``done`` items are never overdue (the data do not say when
  they were done). Items of meetings held after ``as_of`` are not judged.
* ``as_of`` defaults to the last day of the reported quarter. No realisation may be given
  for a quarter that has not started as of the date it is judged on
  (:func:`quarter_not_started`; the io layer and the web refuse such rows, SAN-E049).

Roll-ups (by lead agency, sector, kecamatan of the location, funding source, city) sum money
(annual plan, plan to date, spent, investment, investment per source) and sum outputs only
where every activity in the group has the same ``output_unit`` (else NaN). Their percentages
are ratios of sums over the same activities as the activity-level figure, so a group of one
activity shows that activity's %: financial % = sum spent / sum planned cost to date over
activities with a cost planned to date (spending without one is ``unplanned_spent_idr``);
absorption % = sum spent / sum pagu over absorption activities with a pagu in the year
(``apbd_pagu_idr``, ``apbd_spent_idr``: APBD including DAK). The **physical index** of a
group is the mean of the activities' physical % *capped at 100*, weighted by their annual
planned cost, over the activities with a physical % (something planned to date); activities
without a physical % or without planned cost weigh nothing, and the index is NaN when nothing
weighs. Percentages are never averaged without weights.

Kecamatan of a location: from the Kemendagri code (``13.72.02.1006`` -> ``13.72.02``; a
kecamatan code is its own kecamatan); activities located at the city fall in the group
``city``.

Forecast (:func:`forecast_outputs`): realised outputs for past years, and from the reported
quarter on the remaining planned outputs x *pace* added to the physical realised to date,
where pace = physical % to date / 100, capped at :data:`PACE_CAP` (1.5, so one early
delivery does not multiply the rest of the plan) and 1.0 where physical % is n/a (nothing
planned to date: assume the plan holds).
"""

from __future__ import annotations

from sanitasi.core.monitoring.forecast import (
    forecast_outputs,
)
from sanitasi.core.monitoring.meetings import (
    action_items_status,
    meeting_table,
)
from sanitasi.core.monitoring.performance import (
    ACTIVITY_COLUMNS,
    ROLLUP_COLUMNS,
    WARNING_TABLE_COLUMNS,
    Monitoring,
    activity_performance,
    latest_progress,
    money_by_source,
    monitor,
    physical_realised,
    quarterly_series,
    rollup,
)
from sanitasi.core.monitoring.quarters import (
    ABSORPTION_SOURCES,
    ACTIVITY_KEYS,
    BAND_NA,
    BANDS,
    BEHIND_BAND,
    CITY_GROUP,
    INVESTMENT_COLUMNS,
    INVESTMENT_SOURCES,
    NOT_ADOPTED_QUARTER,
    PACE_CAP,
    PHYSICAL_CAP_PCT,
    W_BEHIND,
    W_NO_REPORT,
    W_OVERDUE,
    W_OVERSPEND,
    W_UNPLANNED_OUTPUT,
    W_UNPLANNED_SPENDING,
    WARNING_CODES,
    activity_shares,
    adoption_quarter,
    band_of,
    band_thresholds,
    counted_realisation,
    counted_states,
    format_idr,
    format_number,
    investment_column,
    kecamatan_of,
    location_level,
    planned_to_date,
    profile_shares,
    quarter_end,
    quarter_not_started,
    quarter_of,
    quarter_start,
    reported_quarter,
    segments,
)
from sanitasi.core.monitoring.tables import (
    COLUMNS,
    monitoring_tables,
)

__all__ = [
    "ABSORPTION_SOURCES",
    "ACTIVITY_COLUMNS",
    "ACTIVITY_KEYS",
    "BANDS",
    "BAND_NA",
    "BEHIND_BAND",
    "CITY_GROUP",
    "COLUMNS",
    "INVESTMENT_COLUMNS",
    "INVESTMENT_SOURCES",
    "Monitoring",
    "NOT_ADOPTED_QUARTER",
    "PACE_CAP",
    "PHYSICAL_CAP_PCT",
    "ROLLUP_COLUMNS",
    "WARNING_CODES",
    "WARNING_TABLE_COLUMNS",
    "W_BEHIND",
    "W_NO_REPORT",
    "W_OVERDUE",
    "W_OVERSPEND",
    "W_UNPLANNED_OUTPUT",
    "W_UNPLANNED_SPENDING",
    "action_items_status",
    "activity_performance",
    "activity_shares",
    "adoption_quarter",
    "band_of",
    "band_thresholds",
    "counted_realisation",
    "counted_states",
    "forecast_outputs",
    "format_idr",
    "format_number",
    "investment_column",
    "kecamatan_of",
    "latest_progress",
    "location_level",
    "meeting_table",
    "money_by_source",
    "monitor",
    "monitoring_tables",
    "physical_realised",
    "planned_to_date",
    "profile_shares",
    "quarter_end",
    "quarter_not_started",
    "quarter_of",
    "quarter_start",
    "quarterly_series",
    "reported_quarter",
    "rollup",
    "segments",
]
