"""The SSK instruments of Bab II as use cases: the plan's instrument chapters and the
reports of ``sanitasi risk``, ``sanitasi sfd`` and ``sanitasi survey``.

* :func:`instrument_chapters` -- a pure function of a plan result and the city's
  :class:`~sanitasi.app.source.InstrumentInputs`: adds ``survey_shares``, ``risk_scores``,
  ``risk_priority`` (with the programme: ``priority_share_period``,
  ``priority_activities``), ``sfd_compare`` and ``sfd_matrix`` (projected with the plan
  scenario's ladder and L2T2 service, ``docs/METHOD.md §11.3``);
* :func:`risk_analysis`, :func:`sfd_analysis` -- the standalone reports of a
  :class:`~sanitasi.app.source.CitySource`;
* :func:`survey_analysis`, :func:`apply_survey_to_folder` -- the household survey read from a
  file and, on request, written into a city folder (a folder-only operation: it writes files).

Nothing here computes a figure: the engines are :mod:`sanitasi.core.risk`,
:mod:`sanitasi.core.sfd` and :mod:`sanitasi.core.survey`; the reports are
:mod:`sanitasi.reports.instruments`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sanitasi.app.errors import AppError
from sanitasi.app.source import CitySource, InstrumentInputs, PlanRequest
from sanitasi.core.model import PlanResult, Table, Warning_
from sanitasi.core.reads import tracking
from sanitasi.core.results import run_plan, with_reads
from sanitasi.core.risk import priority_share, score_risk
from sanitasi.core.sfd import compute_sfd
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.io.reference import wilayah_index
from sanitasi.reports.fmt import fmt_number
from sanitasi.reports.i18n import t
from sanitasi.reports.instrument_tables import survey_shares_table
from sanitasi.reports.instruments import (
    InstrumentReport,
    plan_ladder,
    plan_service,
    problem_warnings,
    risk_report,
    sfd_report,
    survey_report,
)

#: The parameter giving the survey's aman window (shown in the survey table's note).
WINDOW_PARAMETER = "aman_desludging_window_years"


def _with_note(table: Table, note_id: str, note_en: str) -> Table:
    return replace(
        table,
        note_id=" ".join(x for x in (table.note_id, note_id) if x),
        note_en=" ".join(x for x in (table.note_en, note_en) if x),
    )


def instrument_chapters(result: PlanResult, ins: InstrumentInputs) -> PlanResult:
    """The plan result with the Bab II instrument tables of ``ins`` added (see
    :func:`_instrument_chapters`) and the parameters they read in ``parameters_read``."""
    with tracking() as read:
        out = _instrument_chapters(result, ins)
    return with_reads(out, read)


def _instrument_chapters(result: PlanResult, ins: InstrumentInputs) -> PlanResult:
    """The plan result with the Bab II instrument tables of ``ins`` added.

    Each instrument the city has adds its tables: the survey -> ``survey_shares``; the risk
    files -> ``risk_scores``, ``risk_priority`` and, when the result carries the programme
    (``result.programme``), ``priority_share_period`` and ``priority_activities``
    (:func:`sanitasi.core.risk.priority_share`); the SFD -> ``sfd_compare`` and
    ``sfd_matrix`` for the assessed years and every year of the plan, projected with the
    plan scenario's ladder of the city and, for its aman rung, the plan's L2T2 service
    (``service_ald``: enrolled households, IPLT capacity and load; ``docs/METHOD.md §11.3``;
    the SFD's own ladder from ``observations.csv`` when the plan has none). Input and
    engine warnings are appended to the result's warnings and ``result.instruments`` names
    the tables added. The result is returned unchanged when the city has no instrument.
    """
    tables: dict[str, Table] = {}
    warns: list[Warning_] = [*problem_warnings(ins.warnings_of("survey"))]
    if ins.survey_shares is not None:
        window = result.parameters.reader("survey.rules").num(WINDOW_PARAMETER)
        note_id, note_en = (
            t("ins_survey_method", g, window=fmt_number(window, 1, g, strip_zeros=True))
            for g in ("id", "en")
        )
        shares = ins.survey_shares
        tables["survey_shares"] = survey_shares_table(
            shares, provenance={"derived": len(shares)}, note=(note_id, note_en)
        )
    if ins.risk is not None:
        ri = ins.risk
        risk = score_risk(ri.indicators, ri.weights, ri.overrides, names=ri.names)
        tables["risk_scores"] = risk.tables["risk_scores"]
        tables["risk_priority"] = risk.tables["risk_priority"]
        warns += [*problem_warnings(ins.warnings_of("risk")), *risk.warnings]
        prog = result.programme
        if prog is not None:
            share = priority_share(risk, prog.activities, prog.planned)
            tables["priority_share_period"] = share["priority_share_period"]
            tables["priority_activities"] = share["priority_activities"]
    if ins.sfd is not None:
        si = ins.sfd
        city = si.city_kode
        ladder = plan_ladder(result, city)
        service = plan_service(result, city) if ladder is not None else None
        if ladder is None and len(si.ladder):
            ladder = si.ladder
        sfd = compute_sfd(si.systems, ladder, kode=city, service=service)
        note = (t("ins_sfd_plan_note", "id"), t("ins_sfd_plan_note", "en"))
        tables["sfd_compare"] = _with_note(sfd.tables["sfd_compare"], *note)
        tables["sfd_matrix"] = _with_note(sfd.tables["sfd_matrix"], *note)
        warns += [*problem_warnings(ins.warnings_of("sfd")), *sfd.warnings]
    if not tables:
        return result
    return replace(
        result,
        tables={**result.tables, **tables},
        warnings=(*result.warnings, *warns),
        instruments=tuple(tables),
    )


def city_name(kode: str, names: Mapping[str, str] | None = None) -> str:
    """The name of region ``kode``: from ``names`` (the city's regions), else the official
    region list, else the kode itself."""
    if names and kode in names:
        return str(names[kode])
    wil = wilayah_index()
    return str(wil.at[kode, "nama"]) if kode in wil.index else kode


# ----------------------------------------------------------------------------- risk


def risk_analysis(
    source: CitySource, cut_points: Sequence[float] | None = None
) -> InstrumentReport:
    """The risk-area report (``sanitasi risk``): the risk files are required; the share of
    the programme's planned cost in priority areas is added when the city has a programme.
    Raises :class:`InputErrors` with every problem of the risk and programme files;
    ``ValueError`` from the engine on inputs the readers let through (a safety net)."""
    problems: list[Problem] = []
    ins = prog = None
    try:
        ins = source.instruments(("risk",), required=True)
    except InputErrors as e:
        problems += errors_of(e.problems)
    try:
        prog = source.programme()
    except InputErrors as e:
        problems += errors_of(e.problems)
    if problems or ins is None or ins.risk is None:
        raise InputErrors(problems)
    ri = ins.risk
    cuts = tuple(float(c) for c in cut_points) if cut_points is not None else None
    risk = score_risk(ri.indicators, ri.weights, ri.overrides, cut_points=cuts, names=ri.names)
    share = priority_share(risk, prog.activities, prog.planned) if prog is not None else None
    return risk_report(
        risk,
        city_kode=ri.city_kode,
        city_name=city_name(ri.city_kode, dict(ri.names)),
        share=share,
        problems=ins.warnings_of("risk"),
        cut_points=cuts,
        names=ri.names,
    )


# ----------------------------------------------------------------------------- sfd


def sfd_analysis(source: CitySource, year: int | None = None) -> InstrumentReport:
    """The excreta-flow-diagram report (``sanitasi sfd``) for ``year`` (default: the latest
    assessment year of ``sfd.csv`` when the ladder has it, else the ladder's latest year).

    The years of the observed ladder are computed from the observations alone; a year after
    the last observed one runs the city's plan (the source's defaults, the horizon extended
    to the year when needed) and projects with the plan's ladder and L2T2 service
    (``docs/METHOD.md §11.3``). Raises :class:`InputErrors` for bad files and
    :class:`~sanitasi.app.errors.AppError` for a year the inputs cannot give."""
    ins = source.instruments(("sfd",), required=True)
    si = ins.sfd
    if si is None:  # required=True: the readers raised already
        raise InputErrors([])
    assessed = sorted(int(y) for y in si.systems["year"].unique())
    ladder: pd.DataFrame | None = si.ladder if len(si.ladder) else None
    service = None
    if ladder is not None:
        have = sorted(int(y) for y in ladder["year"])
        default = assessed[-1] if assessed[-1] in have else have[-1]
        yr = default if year is None else int(year)
        if yr > have[-1]:
            ladder, service = _sfd_plan(source, ladder, si.city_kode, yr)
        elif yr not in have:
            raise AppError("ins_sfd_no_year", year=yr, years=", ".join(map(str, have)))
    else:
        yr = assessed[-1] if year is None else int(year)
    if ladder is not None:
        sfd = compute_sfd(si.systems, ladder, kode=si.city_kode, service=service)
    else:
        years = sorted({*assessed, yr})
        sfd = compute_sfd(si.systems, None, kode=si.city_kode, years=years)
    return sfd_report(
        sfd,
        year=yr,
        city_kode=si.city_kode,
        city_name=city_name(si.city_kode),
        problems=ins.warnings_of("sfd"),
        no_ladder=ladder is None,
    )


def _sfd_plan(
    source: CitySource, observed: pd.DataFrame, city: str, year: int
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The ladder (observed years before the plan's base year, then the plan scenario's
    ladder of the city) and the plan's L2T2 service for a projected ``year``."""
    try:
        inputs, options = source.plan_inputs(PlanRequest())
    except InputErrors as e:
        raise AppError("ins_sfd_needs_plan", errors_of(e.problems), year=year) from None
    if year > options.horizon:
        options = replace(options, horizon=year)
    result = run_plan(inputs, options)
    ladder = plan_ladder(result, city)
    if ladder is None or year not in set(ladder["year"]):
        raise AppError("ins_sfd_needs_plan", year=year)
    start = int(ladder["year"].min())
    before = observed[observed["year"].astype(int) < start]
    both = pd.concat([before, ladder], ignore_index=True)
    return both, plan_service(result, city)


# ----------------------------------------------------------------------------- survey


@dataclass(frozen=True)
class SurveyApplied:
    """What :func:`apply_survey_to_folder` wrote: the observations (``report``: an
    :class:`sanitasi.io.survey.ApplyReport`) and the path of ``survey_result.csv``."""

    report: Any
    result_path: Path

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(self.report.problems)


def _survey_city(shares: pd.DataFrame) -> tuple[str, str]:
    """The kab/kota of the surveyed kelurahan when there is one (else a count)."""
    kodes = {".".join(str(k).split(".")[:2]) for k in shares["kode"]} if len(shares) else set()
    if len(kodes) == 1:
        kode = next(iter(kodes))
        return kode, city_name(kode)
    return "", f"{len(kodes)} kab/kota"


def survey_analysis(
    file: Path,
    *,
    mapping: str | None = None,
    city_dir: Path | None = None,
    year: int | None = None,
    engine: str = "numpy",
    strict: bool = False,
) -> tuple[Any, InstrumentReport]:
    """Read, classify and aggregate a household survey file (``sanitasi survey``): the
    :class:`sanitasi.io.survey.SurveyResult` and its report. ``city_dir`` restricts the
    kelurahan to the city's and gives its parameters (``parameters.csv``); ``None``: every
    official desa/kelurahan and the reference parameters. Raises :class:`InputErrors`."""
    from sanitasi.io.survey import read_survey
    from sanitasi.io.survey_result import city_parameters

    params = city_parameters(city_dir)
    result = read_survey(
        file,
        mapping,
        params=params,
        city_dir=city_dir,
        year=year,
        engine=engine,
        strict=strict,
    )
    kode, name = _survey_city(result.shares)
    return result, survey_report(result, city_kode=kode, city_name=name)


def apply_survey_to_folder(result: Any, city_dir: Path, year: int | None = None) -> SurveyApplied:
    """Write a survey as the city's baseline ladder (``observations.csv``) and its shares as
    ``survey_result.csv`` (for the plan's Bab II). Raises :class:`InputErrors` (nothing
    written) when the observations cannot take it."""
    from sanitasi.io.survey import apply_survey
    from sanitasi.io.survey_result import write_survey_result

    rep = apply_survey(result, city_dir, year=year)
    path = write_survey_result(result, city_dir, year=rep.year)
    return SurveyApplied(rep, path)


__all__ = [
    "SurveyApplied",
    "apply_survey_to_folder",
    "city_name",
    "instrument_chapters",
    "risk_analysis",
    "sfd_analysis",
    "survey_analysis",
]
