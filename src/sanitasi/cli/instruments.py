"""The SSK instrument commands (Bab II): ``sanitasi risk``, ``sanitasi sfd``,
``sanitasi survey`` and ``sanitasi bench survey``.

:data:`COMMANDS` are added to the ``sanitasi`` group (and ``bench survey`` to its ``bench``
group) by :mod:`sanitasi.cli`. They follow ``sanitasi plan``: with no ``--city-dir`` they run on the embedded
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

The commands parse options, call the use-case layer (:func:`sanitasi.app.risk_analysis`,
:func:`~sanitasi.app.sfd_analysis`, :func:`~sanitasi.app.survey_analysis`,
:func:`~sanitasi.app.apply_survey_to_folder`), print and write.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from sanitasi.cli.common import CITY_HELP as _CITY_HELP
from sanitasi.cli.common import LANGS, fail, fail_app, fail_message, print_written, run_staged
from sanitasi.cli.common import console as _console

if TYPE_CHECKING:
    from rich.console import Console

    from sanitasi.reports.instruments import InstrumentReport


def _write_reports(report: InstrumentReport, tmp: Path | None, stem: str, lang: str) -> None:
    if tmp is None:
        return
    from sanitasi.reports.instruments import write_instrument_html, write_instrument_xlsx

    write_instrument_html(report, tmp / f"{stem}.html", lang=lang)
    write_instrument_xlsx(report, tmp / f"{stem}.xlsx", lang=lang)


def _finish(console: Console, report: InstrumentReport, lang: str, written: list[Path]) -> None:
    from sanitasi.reports.instruments import print_instrument_summary

    print_instrument_summary(report, console, lang=lang)
    for f in written:
        print_written(console, f)


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
    from sanitasi.app import FolderSource, risk_analysis
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.i18n import t

    console = _console()
    cuts = None
    if cut_points is not None:
        try:
            cuts = parse_cut_points(cut_points)
        except ValueError:
            fail_message(console, t("ins_bad_cut_points", lang, value=cut_points))
    try:
        report = risk_analysis(FolderSource(city_dir), cut_points=cuts)
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    except ValueError as e:  # the io checks catch these first; kept as a safety net
        fail_message(console, str(e))
    written = run_staged(out, lambda tmp: _write_reports(report, tmp, "risk", lang))
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
    from sanitasi.app import AppError, FolderSource, sfd_analysis
    from sanitasi.io.errors import InputErrors, errors_of

    console = _console()
    try:
        report = sfd_analysis(FolderSource(city_dir), year)
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    except AppError as e:
        fail_app(console, e, lang)
    except ValueError as e:  # the io checks catch these first; kept as a safety net
        fail_message(console, str(e))
    written = run_staged(out, lambda tmp: _write_reports(report, tmp, "sfd", lang))
    _finish(console, report, lang, written)


# ----------------------------------------------------------------------------- survey


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
    from sanitasi.app import apply_survey_to_folder, survey_analysis
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.i18n import t

    console = _console()
    if apply_ and city_dir is None:
        fail_message(console, t("ins_apply_needs_city", lang))
    try:
        result, report = survey_analysis(
            file, mapping=mapping, city_dir=city_dir, year=year, engine=engine, strict=strict
        )
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    applied: list[str] = []
    notes: list[object] = []

    def work(tmp: Path | None) -> None:
        _write_reports(report, tmp, "survey", lang)
        if not apply_ or city_dir is None:
            return
        try:
            done = apply_survey_to_folder(result, city_dir, year=year)
        except InputErrors as e:
            fail(console, errors_of(e.problems), lang)
        rep = done.report
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
        applied.append(t("ins_applied_result", lang, path=done.result_path))
        notes.extend(done.problems)

    written = run_staged(out, work)
    _finish(console, report, lang, [])
    for p in notes:
        message = getattr(p, "message", None)
        text = message(lang) if callable(message) else str(p)
        console.print(f"{getattr(p, 'code', '')} {text}", style="yellow", markup=False)
    for line in applied:
        console.print(f"[green]\u2713[/] {escape(line)}", soft_wrap=True, markup=True)
    for f in written:
        print_written(console, f)


# ----------------------------------------------------------------------------- bench


@click.command("survey")
@click.option(
    "--rows", type=int, default=10_000_000, show_default=True, help="Synthetic households."
)
@click.option("--seed", type=int, default=20250101, show_default=True)
@click.option(
    "--repeat", type=int, default=5, show_default=True, help="Timed runs per engine (median)."
)
@click.option(
    "--engine", type=click.Choice(["sql", "numpy", "both"]), default="both", show_default=True
)
def bench_survey(rows: int, seed: int, repeat: int, engine: str) -> None:
    """Survey ingest: synthetic households across every desa, classified and aggregated."""
    from sanitasi.survey_bench import survey_benchmark

    engines = ("sql", "numpy") if engine == "both" else (engine,)
    survey_benchmark(rows=rows, seed=seed, engines=engines, repeat=repeat, console=_console())


COMMANDS: tuple[click.Command, ...] = (risk_cmd, sfd_cmd, survey_cmd)

__all__ = ["COMMANDS", "bench_survey", "parse_cut_points", "risk_cmd", "sfd_cmd", "survey_cmd"]
