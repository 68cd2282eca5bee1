"""The Kota Solok demo with its programme, computed once per test session.

``demo_plan()`` is the plan result with the programme chapters as ``sanitasi plan`` builds it
(``sanitasi.app.plan.with_programme``); ``demo_monitoring(year, quarter)`` is the
``sanitasi monitor`` report; ``demo_brief(agency, year, as_of)`` the agency one-pager.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from typing import Any

from sanitasi.app.monitoring import with_worded_warnings
from sanitasi.core.model import PlanInputs, PlanResult
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.programme_run import MonitoringReport, monitoring_run, programme_chapters
from sanitasi.core.results import run_plan
from sanitasi.core.roles import AgencyBrief, agency_owes
from sanitasi.io.city import load_city
from sanitasi.io.programme import load_programme

#: Date the demo reports say they were generated (golden files stay stable).
GENERATED = dt.date(2026, 10, 5)


@cache
def _inputs() -> tuple[PlanInputs, Any]:
    return load_city(None)


@cache
def _programme() -> ProgrammeInputs:
    return load_programme(None)


@cache
def _plan() -> PlanResult:
    inputs, options = _inputs()
    return run_plan(inputs, options)


@cache
def demo_plan() -> PlanResult:
    """The demo plan with the programme chapters (tables, warnings, ``programme``)."""
    inputs, _ = _inputs()
    result = _plan()
    prog = _programme()
    assert result.arrays is not None
    tables, warns, _cover = programme_chapters(inputs, result.arrays, prog)
    return replace(
        result,
        tables={**result.tables, **tables},
        warnings=(*result.warnings, *warns),
        programme=prog,
    )


@cache
def demo_monitoring(year: int, quarter: int, include_submitted: bool = False) -> MonitoringReport:
    inputs, _ = _inputs()
    arrays = _plan().arrays
    assert arrays is not None
    return with_worded_warnings(
        monitoring_run(
            inputs, arrays, _programme(), year, quarter, include_submitted=include_submitted
        )
    )


@cache
def demo_brief(agency: str, year: int, as_of: dt.date) -> AgencyBrief:
    inputs, _ = _inputs()
    return agency_owes(_programme(), agency, year, as_of, inputs.parameters)
