"""The plan of a city, every step once: load -> plan -> programme chapters -> Bab II ->
greenhouse gases.

:func:`plan_report` is what ``sanitasi plan`` and the web's plan pages and downloads run, on a
:class:`~sanitasi.app.source.CitySource` (a folder or the database), so both give the same
tables for the same data. Every input is read and validated before anything is computed:
the problems of the plan files, the programme matrix, the instrument files and the GHG inputs
are raised together in one :class:`~sanitasi.io.errors.InputErrors`.
"""

from __future__ import annotations

from dataclasses import replace

from sanitasi.app.errors import AppError
from sanitasi.app.ghg import GWP_CHOICES, ghg_chapter
from sanitasi.app.instruments import instrument_chapters
from sanitasi.app.priority import priority_chapter
from sanitasi.app.source import CitySource, InstrumentInputs, PlanRequest
from sanitasi.core.model import PlanInputs, PlanOptions, PlanResult
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.programme_run import programme_chapters
from sanitasi.core.reads import tracking
from sanitasi.core.results import run_plan, with_reads
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.io.ghg import GhgInputs


def with_programme(result: PlanResult, prog: ProgrammeInputs | None) -> PlanResult:
    """The result with the programme chapters (KKL matrix, roles, coverage, funding by
    agency; :func:`sanitasi.core.programme_run.programme_chapters`) and the programme kept
    in ``result.programme``; unchanged without a programme."""
    if prog is None:
        return result
    if result.inputs is None or result.arrays is None:
        raise ValueError("the programme chapters need a result of run_plan (inputs and arrays)")
    with tracking() as read:
        tables, warns, _cover = programme_chapters(result.inputs, result.arrays, prog)
    out = replace(
        result,
        tables={**result.tables, **tables},
        warnings=(*result.warnings, *warns),
        programme=prog,
    )
    return with_reads(out, read)


def read_all(
    source: CitySource, request: PlanRequest
) -> tuple[PlanInputs, PlanOptions, ProgrammeInputs | None, InstrumentInputs, GhgInputs]:
    """Every input of a plan report, validated: raises one :class:`InputErrors` with the
    errors of the plan files, the programme matrix, the instrument files and the GHG inputs
    (``facilities.csv`` TPA rows, ``waste_composition.csv``) together."""
    problems: list[Problem] = []
    plan = prog = ins = ghg = None
    try:
        plan = source.plan_inputs(request)
    except InputErrors as e:
        problems += errors_of(e.problems)
    try:
        prog = source.programme()
    except InputErrors as e:
        problems += errors_of(e.problems)
    try:
        ins = source.instruments()
    except InputErrors as e:
        problems += errors_of(e.problems)
    try:
        ghg = source.ghg()
    except InputErrors as e:
        problems += errors_of(e.problems)
    if problems or plan is None or ins is None or ghg is None:
        # facilities.csv is read by the plan and the GHG readers: a problem of the file
        # itself (unreadable, a column missing) is listed once
        raise InputErrors(list(dict.fromkeys(problems)))
    return plan[0], plan[1], prog, ins, ghg


def plan_report(source: CitySource, request: PlanRequest | None = None) -> PlanResult:
    """The city's plan with every chapter: :func:`sanitasi.core.results.run_plan` (baseline,
    targets, gap, needs, costs), the programme chapters when the city has a programme
    matrix, the Bab II instrument chapters (survey, risk areas, SFD) of the instruments it
    has and the greenhouse-gas chapter (:func:`sanitasi.app.ghg.ghg_chapter`, CO2e with the
    request's ``gwp``). Raises :class:`InputErrors` with every problem of every input and
    :class:`~sanitasi.app.errors.AppError` (``gwp_unknown``) for an unknown GWP report."""
    request = request or PlanRequest()
    if request.gwp is not None and request.gwp not in GWP_CHOICES:
        raise AppError("gwp_unknown", value=request.gwp, choices=", ".join(GWP_CHOICES))
    inputs, options, prog, ins, ghg = read_all(source, request)
    result = run_plan(inputs, options)
    result = with_programme(result, prog)
    result = instrument_chapters(result, ins)
    with tracking() as read:  # the priority weights (docs/METHOD.md §18.2)
        result = priority_chapter(result)
    return ghg_chapter(with_reads(result, read), ghg, request.gwp)


__all__ = ["plan_report", "read_all", "with_programme"]
