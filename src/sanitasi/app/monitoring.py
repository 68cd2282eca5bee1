"""Monitoring use cases: the quarterly report (Bab VI) and an agency's one-page brief.

:func:`monitoring_report` is what ``sanitasi monitor`` and the web's monitoring panel and
downloads run; :func:`agency_brief` is ``sanitasi agency-brief``. Both read a
:class:`~sanitasi.app.source.CitySource` and raise one
:class:`~sanitasi.io.errors.InputErrors` with every problem of the plan and programme inputs.
The formulas are in :mod:`sanitasi.core.monitoring` and :mod:`sanitasi.core.roles`
(``docs/METHOD.md §10``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sanitasi.app.errors import AppError
from sanitasi.app.source import CitySource, PlanRequest
from sanitasi.core.model import ParameterSet, PlanInputs, PlanOptions, PlanResult
from sanitasi.core.monitoring import quarter_end
from sanitasi.core.plan import PlanArrays, compute
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.programme_run import MonitoringReport, monitoring_run
from sanitasi.core.roles import AgencyBrief, agency_owes
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.messages import worded_table


def monitoring_report(
    source: CitySource,
    year: int,
    quarter: int,
    *,
    as_of: dt.date | None = None,
    include_submitted: bool = False,
    plan: PlanResult | None = None,
    require_programme: bool = True,
) -> MonitoringReport | None:
    """Monitor ``year`` Q``quarter`` (:func:`sanitasi.core.programme_run.monitoring_run`).

    ``as_of``: judge dates as of that day (default: the end of the quarter); realisation of
    the quarters up to the one monitored that have not started by then is an error
    (``SAN-E049``). ``include_submitted``: count submitted realisation too (default: verified
    only). ``plan``: a plan result of the same source (e.g. cached by the web) whose inputs
    and arrays are reused instead of computing the plan again. ``require_programme``: a city
    without a programme matrix is an error (the CLI) or gives ``None`` (the web)."""
    problems: list[Problem] = []
    inputs: PlanInputs | None = None
    options: PlanOptions | None = None
    arrays: PlanArrays | None = None
    prog: ProgrammeInputs | None = None
    if plan is not None and plan.inputs is not None and plan.arrays is not None:
        inputs, arrays = plan.inputs, plan.arrays
    else:
        try:
            inputs, options = source.plan_inputs(PlanRequest())
        except InputErrors as e:
            problems += errors_of(e.problems)
    try:
        # the rows this report reads (to the quarter monitored) must be of quarters that have
        # started as of the as-of date
        judged = as_of or quarter_end(year, quarter)
        prog = source.programme(as_of=judged, through=(year, quarter), required=require_programme)
    except InputErrors as e:
        problems += errors_of(e.problems)
    if problems or inputs is None:
        raise InputErrors(problems)
    if prog is None:
        return None
    if arrays is None:
        assert options is not None
        arrays = compute(inputs, options)
    report = monitoring_run(inputs, arrays, prog, year, quarter, as_of, include_submitted)
    return with_worded_warnings(report)


def with_worded_warnings(report: MonitoringReport) -> MonitoringReport:
    """The report with its ``warnings`` table carrying the messages in both languages
    (:func:`sanitasi.messages.worded_table`; the core gives codes and values only)."""
    table = report.tables.get("warnings")
    if table is None:
        return report
    tables = {**report.tables, "warnings": worded_table(table, report.warnings)}
    return replace(report, tables=tables)


def agency_brief(
    source: CitySource,
    agency: str,
    year: int,
    as_of: dt.date,
    *,
    include_submitted: bool = False,
    returned: frozenset[tuple[str, int, int]] = frozenset(),
    lock_days: float | None = None,
) -> AgencyBrief:
    """What agency ``agency`` (code, any case) owes in ``year`` as of ``as_of``: its
    activities, quarterly targets, the state of its quarterly reports and its action items
    (:func:`sanitasi.core.roles.agency_owes`; the city's parameter overrides of the plan
    profiles and ``report_due_days`` count). ``sanitasi agency-brief`` and the web's "Tugas
    saya" page both call this; the web passes its returned drafts (``returned``: ``(code,
    year, quarter)``) and ``SANITASI_QUARTER_LOCK_DAYS`` (``lock_days``). Raises
    :class:`InputErrors` for bad input and :class:`~sanitasi.app.errors.AppError` for an
    unknown agency."""
    problems: list[Problem] = []
    params: ParameterSet | None = None
    prog: ProgrammeInputs | None = None
    try:
        params = source.plan_inputs(PlanRequest())[0].parameters
    except InputErrors as e:
        problems += errors_of(e.problems)
    try:
        prog = source.programme(required=True)
    except InputErrors as e:
        problems += errors_of(e.problems)
    if problems or params is None or prog is None:
        raise InputErrors(problems)
    known = {str(a).upper(): str(a) for a in prog.agencies["code"]}
    if agency.upper() not in known:
        raise AppError("app_unknown_agency", agency=agency, known=", ".join(sorted(known.values())))
    return agency_owes(
        prog,
        known[agency.upper()],
        year,
        as_of,
        params,
        include_submitted=include_submitted,
        returned=returned,
        lock_days=lock_days,
    )


__all__ = ["agency_brief", "monitoring_report"]
