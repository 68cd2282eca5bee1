"""The SSK instrument commands (Bab II): ``sanitasi risk``, ``sanitasi sfd``,
``sanitasi survey`` and ``sanitasi bench survey``.

:func:`register` attaches them to the ``sanitasi`` group (``sanitasi.cli`` calls it when this
module exists). They follow ``sanitasi plan``: with no ``--city-dir`` they run on the embedded
Kota Solok demo; bad input exits with code 2 and lists every problem (file, line, column,
value, rule); reports are written to a temporary folder beside ``--out`` and moved into it
only when everything succeeded, so nothing is left in ``--out`` after an error.

* ``sanitasi risk [--city-dir D] [--out O] [--lang id|en] [--cut-points a,b,c]`` -- risk
  areas: classes per kelurahan and subsector, the priority list and the share of the
  programme's planned cost in priority areas (``core.risk.priority_share``, when the folder
  has ``programme.csv``); ``risk.html`` and ``risk.xlsx``.
* ``sanitasi sfd [--city-dir D] [--year Y] [--out O] [--lang]`` -- the excreta flow diagram:
  flows, SFD-safe vs JMP-style vs aman; ``sfd.html`` (Sankey diagram, inline SVG) and
  ``sfd.xlsx`` (the flow matrix and every flow table). The years of the observed ladder are
  computed from ``observations.csv`` alone (every system keeps its assessed F3-F5); a
  ``--year`` after the last observed year runs the city's plan (``sanitasi plan``'s defaults,
  the horizon extended to the year when needed) and projects with the plan's ladder and its
  L2T2 service (``docs/METHOD.md §11.3``).
* ``sanitasi survey FILE [--mapping M] [--city-dir D] [--year Y] [--out O] [--apply]
  [--engine numpy|sql] [--strict] [--lang]`` -- household survey ingest: weighted shares per
  kelurahan with 95 % intervals and n, kelurahan under the EHRA minimum flagged, issues
  counted per column; ``survey.html`` and ``survey.xlsx``; ``--apply`` writes the city's
  baseline ladder observations and ``survey_result.csv`` (for the plan's Bab II).
* ``sanitasi bench survey`` -- the survey-ingest benchmark (``sanitasi.survey_bench``).

Imports of ``sanitasi.cli`` happen inside the commands (``sanitasi.cli`` imports this module
at its end).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from rich.console import Console

    from sanitasi.reports.instruments import InstrumentReport

EXIT_BAD_INPUT = 2
LANGS = ("id", "en")

_CITY_HELP = "City folder (docs/city-data.md). Default: the Kota Solok demo."


def _console() -> Console:
    from sanitasi.cli import _console as console

    return console()


def _fail(console: Console, problems: Sequence[object], lang: str) -> NoReturn:
    """Report every problem (``sanitasi.cli._report_problems``) and exit with code 2."""
    from sanitasi.cli import _report_problems

    _report_problems(console, problems, lang)
    raise SystemExit(EXIT_BAD_INPUT)


def _fail_message(console: Console, text: str) -> NoReturn:
    console.print(f"[red]{text}[/]", soft_wrap=True)
    raise SystemExit(EXIT_BAD_INPUT)


def _stage(out: Path | None) -> tuple[Path | None, Path | None]:
    """``(out resolved, temp folder beside it)`` (both ``None`` without ``--out``)."""
    if out is None:
        return None, None
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    return out, Path(tempfile.mkdtemp(prefix=".sanitasi-", dir=out.parent))


def _write_reports(report: InstrumentReport, tmp: Path | None, stem: str, lang: str) -> None:
    if tmp is None:
        return
    from sanitasi.reports.instruments import write_instrument_html, write_instrument_xlsx

    write_instrument_html(report, tmp / f"{stem}.html", lang=lang)
    write_instrument_xlsx(report, tmp / f"{stem}.xlsx", lang=lang)


def _publish(tmp: Path | None, out: Path | None) -> list[Path]:
    if tmp is None or out is None:
        return []
    from sanitasi.cli import _move_into

    return _move_into(tmp, out)


def _run_staged(out: Path | None, work: Callable[[Path | None], None]) -> list[Path]:
    """Run ``work(tmp)`` (write reports, then anything that may still fail) and move the
    files into ``out`` only when it returns; the temp folder is always removed."""
    out, tmp = _stage(out)
    try:
        work(tmp)
        return _publish(tmp, out)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _city_name(kode: str, names: dict[str, str] | None = None) -> str:
    if names and kode in names:
        return str(names[kode])
    from sanitasi.io.reference import wilayah_index

    wil = wilayah_index()
    return str(wil.at[kode, "nama"]) if kode in wil.index else kode


def _finish(console: Console, report: InstrumentReport, lang: str, written: list[Path]) -> None:
    from sanitasi.reports.instruments import print_instrument_summary

    print_instrument_summary(report, console, lang=lang)
    for f in written:
        console.print(f"[green]\u2192[/] {f}")


def parse_cut_points(value: str) -> tuple[float, float, float]:
    """``"4,8,12"`` -> ``(4.0, 8.0, 12.0)``; three finite increasing numbers, else
    ``ValueError``."""
    parts = [p.strip() for p in value.replace(";", ",").split(",")]
    nums = tuple(float(p) for p in parts if p)
    if len(nums) != 3 or not (nums[0] < nums[1] < nums[2]):
        raise ValueError(value)
    if any(n != n or n in (float("inf"), float("-inf")) for n in nums):
        raise ValueError(value)
    return nums[0], nums[1], nums[2]


# ----------------------------------------------------------------------------- risk


@click.command("risk")
@click.option("--city-dir", type=click.Path(path_type=Path), default=None, help=_CITY_HELP)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for risk.html and risk.xlsx.",
)
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True)
@click.option(
    "--cut-points",
    default=None,
    metavar="C1,C2,C3",
    help="Fixed class cut points on the 1-16 score scale (class 2 from C1, 3 from C2, 4 from "
    "C3). Default: four equal intervals of the observed score range per subsector.",
)
def risk_cmd(city_dir: Path | None, out: Path | None, lang: str, cut_points: str | None) -> None:
    """Risk areas (area berisiko): classes per kelurahan and subsector, priority areas, the
    programme's share in them."""
    from sanitasi.core.risk import priority_share, score_risk
    from sanitasi.io.instruments import read_risk
    from sanitasi.io.programme import read_programme
    from sanitasi.reports.i18n import t
    from sanitasi.reports.instruments import risk_report

    console = _console()
    cuts = None
    if cut_points is not None:
        try:
            cuts = parse_cut_points(cut_points)
        except ValueError:
            _fail_message(console, t("ins_bad_cut_points", lang, value=cut_points))
    load = read_risk(city_dir)
    problems: list[object] = list(load.errors)
    prog = None
    if city_dir is None or (city_dir / "programme.csv").exists():
        pload = read_programme(city_dir)
        problems += pload.errors
        prog = pload.inputs
    if problems or load.inputs is None:
        _fail(console, problems, lang)
    ri = load.inputs
    try:
        risk = score_risk(ri.indicators, ri.weights, ri.overrides, cut_points=cuts, names=ri.names)
    except ValueError as e:  # the io checks catch these first; kept as a safety net
        _fail_message(console, str(e))
    share = priority_share(risk, prog.activities, prog.planned) if prog is not None else None
    report = risk_report(
        risk,
        city_kode=ri.city_kode,
        city_name=_city_name(ri.city_kode, dict(ri.names)),
        share=share,
        problems=load.warnings,
        cut_points=cuts,
        names=ri.names,
    )
    written = _run_staged(out, lambda tmp: _write_reports(report, tmp, "risk", lang))
    _finish(console, report, lang, written)


# ----------------------------------------------------------------------------- sfd


@click.command("sfd")
@click.option("--city-dir", type=click.Path(path_type=Path), default=None, help=_CITY_HELP)
@click.option(
    "--year",
    type=int,
    default=None,
    help="Year of the diagram: a year of the ladder in observations.csv, or a later year "
    "(projected with the city's plan). Default: the latest assessment year of sfd.csv.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="Folder for sfd.html and sfd.xlsx."
)
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True)
def sfd_cmd(city_dir: Path | None, year: int | None, out: Path | None, lang: str) -> None:
    """Excreta flow diagram (SFD): flows, SFD-safe vs JMP-style vs aman, the Sankey diagram."""
    from sanitasi.core.sfd import compute_sfd
    from sanitasi.io.instruments import read_sfd
    from sanitasi.reports.i18n import t
    from sanitasi.reports.instruments import sfd_report

    console = _console()
    load = read_sfd(city_dir)
    if load.errors or load.inputs is None:
        _fail(console, load.errors, lang)
    si = load.inputs
    assessed = sorted(int(y) for y in si.systems["year"].unique())
    ladder = si.ladder if len(si.ladder) else None
    service = None
    if ladder is not None:
        have = sorted(int(y) for y in ladder["year"])
        default = assessed[-1] if assessed[-1] in have else have[-1]
        yr = default if year is None else int(year)
        if yr > have[-1]:
            ladder, service = _sfd_plan(console, city_dir, ladder, si.city_kode, yr, lang)
        elif yr not in have:
            text = t("ins_sfd_no_year", lang, year=yr, years=", ".join(map(str, have)))
            _fail_message(console, text)
    else:
        yr = assessed[-1] if year is None else int(year)
    try:
        if ladder is not None:
            sfd = compute_sfd(si.systems, ladder, kode=si.city_kode, service=service)
        else:
            years = sorted({*assessed, yr})
            sfd = compute_sfd(si.systems, None, kode=si.city_kode, years=years)
    except ValueError as e:  # the io checks catch these first; kept as a safety net
        _fail_message(console, str(e))
    report = sfd_report(
        sfd,
        year=yr,
        city_kode=si.city_kode,
        city_name=_city_name(si.city_kode),
        problems=load.warnings,
        no_ladder=ladder is None,
    )
    written = _run_staged(out, lambda tmp: _write_reports(report, tmp, "sfd", lang))
    _finish(console, report, lang, written)


def _sfd_plan(
    console: Console,
    city_dir: Path | None,
    observed: Any,
    city: str,
    year: int,
    lang: str,
) -> tuple[Any, Any]:
    """The ladder (observed years before the plan's base year, then the plan scenario's
    ladder of the city) and the plan's L2T2 service for a projected ``year``: runs the city's
    plan with ``sanitasi plan``'s defaults, the horizon extended to ``year`` when it is later.
    Exits with code 2 listing every problem when the folder cannot give a plan."""
    from dataclasses import replace

    import pandas as pd

    from sanitasi.core.results import run_plan
    from sanitasi.io.city import load_city
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.i18n import t
    from sanitasi.reports.instruments import plan_ladder, plan_service

    try:
        inputs, options = load_city(city_dir)
    except InputErrors as e:
        console.print(t("ins_sfd_needs_plan", lang, year=year), soft_wrap=True)
        _fail(console, errors_of(e.problems), lang)
    if options.horizon is not None and year > options.horizon:
        options = replace(options, horizon=year)
    result = run_plan(inputs, options)
    ladder = plan_ladder(result, city)
    if ladder is None or year not in set(ladder["year"]):
        _fail_message(console, t("ins_sfd_needs_plan", lang, year=year))
    start = int(ladder["year"].min())
    before = observed[observed["year"].astype(int) < start]
    both = pd.concat([before, ladder], ignore_index=True)
    return both, plan_service(result, city)


# ----------------------------------------------------------------------------- survey


def _survey_city(shares: Any) -> tuple[str, str]:
    """The kab/kota of the surveyed kelurahan when there is one (else a count)."""
    kodes = {".".join(str(k).split(".")[:2]) for k in shares["kode"]} if len(shares) else set()
    if len(kodes) == 1:
        kode = next(iter(kodes))
        return kode, _city_name(kode)
    return "", f"{len(kodes)} kab/kota"


@click.command("survey")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    default=None,
    metavar="M",
    help="Column mapping and codebook: ehra (default), susenas, or a .toml/.json/.yaml file "
    "(sanitasi/data/survey/README.md).",
)
@click.option(
    "--city-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="City folder: kelurahan must be in its regions.csv (urban flags and parameters.csv "
    "from it). Default: every official desa/kelurahan.",
)
@click.option(
    "--year",
    type=int,
    default=None,
    help="Survey year; with --apply the year of the observations written (default: the latest "
    "year with households for every surveyed kelurahan).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for survey.html and survey.xlsx.",
)
@click.option(
    "--apply",
    "apply_",
    is_flag=True,
    help="Write the result as the city's baseline ladder (observations.csv, hh_<rung>) and "
    "survey_result.csv in --city-dir.",
)
@click.option("--engine", type=click.Choice(["numpy", "sql"]), default="numpy", show_default=True)
@click.option(
    "--strict",
    is_flag=True,
    help="Every issue (invalid answer, unknown kelurahan ...) is an error.",
)
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True)
def survey_cmd(
    file: Path,
    mapping: str | None,
    city_dir: Path | None,
    year: int | None,
    out: Path | None,
    apply_: bool,
    engine: str,
    strict: bool,
    lang: str,
) -> None:
    """Household survey ingest (EHRA/Susenas): ladder shares per kelurahan with 95% intervals."""
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.io.survey import apply_survey, read_survey
    from sanitasi.io.survey_result import city_parameters, write_survey_result
    from sanitasi.reports.i18n import t
    from sanitasi.reports.instruments import survey_report

    console = _console()
    if apply_ and city_dir is None:
        _fail_message(console, t("ins_apply_needs_city", lang))
    try:
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
    except InputErrors as e:
        _fail(console, errors_of(e.problems), lang)
    kode, name = _survey_city(result.shares)
    report = survey_report(result, city_kode=kode, city_name=name)
    applied: list[str] = []
    notes: list[object] = []

    def work(tmp: Path | None) -> None:
        _write_reports(report, tmp, "survey", lang)
        if not apply_ or city_dir is None:
            return
        try:
            rep = apply_survey(result, city_dir, year=year)
        except InputErrors as e:
            _fail(console, errors_of(e.problems), lang)
        path = write_survey_result(result, city_dir, year=rep.year)
        applied.append(
            t(
                "ins_applied",
                lang,
                path=rep.path,
                rows=rep.rows_written,
                year=rep.year,
                n=len(rep.kelurahan),
                replaced=rep.rows_replaced,
            )
        )
        applied.append(t("ins_applied_result", lang, path=path))
        notes.extend(rep.problems)

    written = _run_staged(out, work)
    _finish(console, report, lang, [])
    for p in notes:
        message = getattr(p, "message", None)
        text = message(lang) if callable(message) else str(p)
        console.print(f"{getattr(p, 'code', '')} {text}", style="yellow", markup=False)
    for line in applied:
        console.print(f"[green]\u2713[/] {line}", soft_wrap=True)
    for f in written:
        console.print(f"[green]\u2192[/] {f}")


# ----------------------------------------------------------------------------- bench


@click.command("survey")
@click.option(
    "--rows", type=int, default=10_000_000, show_default=True, help="Synthetic households."
)
@click.option("--seed", type=int, default=20250101, show_default=True)
@click.option("--repeat", type=int, default=3, show_default=True, help="Timed runs per engine.")
@click.option(
    "--engine", type=click.Choice(["sql", "numpy", "both"]), default="both", show_default=True
)
def bench_survey(rows: int, seed: int, repeat: int, engine: str) -> None:
    """Survey ingest: synthetic households across every desa, classified and aggregated."""
    from sanitasi.survey_bench import survey_benchmark

    engines = ("sql", "numpy") if engine == "both" else (engine,)
    survey_benchmark(rows=rows, seed=seed, engines=engines, repeat=repeat, console=_console())


# ----------------------------------------------------------------------------- register


def register(main: click.Group) -> None:
    """Add ``risk``, ``sfd`` and ``survey`` to ``main`` and ``survey`` to its ``bench``
    group."""
    main.add_command(risk_cmd)
    main.add_command(sfd_cmd)
    main.add_command(survey_cmd)
    bench = main.commands.get("bench")
    if isinstance(bench, click.Group):
        bench.add_command(bench_survey)


__all__ = ["bench_survey", "parse_cut_points", "register", "risk_cmd", "sfd_cmd", "survey_cmd"]
