"""The city commands of ``sanitasi``: ``plan``, ``monitor``, ``agency-brief``,
``export-template``, ``import``, ``load``, ``serve`` and ``bench national``.

``sanitasi plan`` is the main job: baseline -> targets -> gap -> needs -> costs -> programme
-> Bab II instruments -> greenhouse gases -> report, run by :func:`sanitasi.app.plan_report` on the city folder
(with no ``--city-dir``: the embedded Kota Solok demo). The commands only parse options, call
the use-case layer (:mod:`sanitasi.app`), print and write. Bad input exits with code 2 and
lists every problem (file, line, column, value, rule); nothing is left in ``--out``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sanitasi.cli.common import (
    EXIT_BAD_INPUT,
    fail,
    fail_app,
    parse_date,
    parse_params,
    print_written,
    report_problems,
    write_staged,
)
from sanitasi.cli.common import console as _console


@click.command()
@click.option(
    "--city-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="City folder (docs/city-data.md). Default: the Kota Solok demo.",
)
@click.option(
    "--target-set",
    "target_sets",
    multiple=True,
    help="Target set code (repeatable): RPJMN_2020_2024, JAKSTRANAS_2025, RPJMN_2025_2029, SDG_2030, VISI_2045 or LOCAL.",
)
@click.option(
    "--base-year",
    type=int,
    default=None,
    help="Baseline year (must have kelurahan data). Default: latest.",
)
@click.option("--horizon", type=int, default=None, help="Last projected year. Default: 2045.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for plan.html and plan.xlsx (and plan.pdf with --pdf).",
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option(
    "--pdf",
    "with_pdf",
    is_flag=True,
    help="With --out, also write plan.pdf (A4, with the charts; WeasyPrint).",
)
@click.option(
    "--param", "params", multiple=True, help="Override a parameter: NAME=VALUE (repeatable)."
)
@click.option(
    "--growth-method",
    type=click.Choice(["geometric", "arithmetic", "exponential"]),
    default="geometric",
    show_default=True,
)
@click.option(
    "--bau",
    "bau_mode",
    type=click.Choice(["constant", "trend"]),
    default="constant",
    show_default=True,
    help="Business as usual: keep base-year shares, or extrapolate the city's observed share trend.",
)
@click.option(
    "--gwp",
    type=click.Choice(["AR4", "AR5", "AR6"]),
    default="AR5",
    show_default=True,
    help="IPCC assessment report whose GWP100 converts CH4 and N2O to CO2e (GHG chapter).",
)
def plan(
    city_dir: Path | None,
    target_sets: tuple[str, ...],
    base_year: int | None,
    horizon: int | None,
    out: Path | None,
    lang: str,
    with_pdf: bool,
    params: tuple[str, ...],
    growth_method: str,
    bau_mode: str,
    gwp: str,
) -> None:
    """Plan a city: baseline, targets, gap, needs, costs, programme, greenhouse gases and the
    report."""
    from sanitasi.app import AppError, FolderSource, PlanRequest, plan_report
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.runtime import freeze_imports

    freeze_imports("plan")
    console = _console()
    try:
        overrides = parse_params(params)
    except click.BadParameter as e:
        console.print(f"[red]{escape(e.format_message())}[/]", markup=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    request = PlanRequest(
        base_year=base_year,
        horizon=horizon,
        target_sets=tuple(target_sets) or None,
        param_overrides=overrides,
        growth_method=growth_method,
        bau_mode=bau_mode,
        gwp=gwp,
    )
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("Menghitung rencana / computing the plan", total=None)
        try:
            result = plan_report(FolderSource(city_dir), request)
        except InputErrors as e:
            progress.stop()
            fail(console, errors_of(e.problems), lang)
        except AppError as e:
            progress.stop()
            fail_app(console, e, lang)
        written: list[Path] = []
        if out is not None:
            progress.update(task, description="Menulis laporan / writing reports")
            from sanitasi.reports.html import write_html, write_pdf
            from sanitasi.reports.xlsx import write_xlsx

            writers: list[Callable[[Path], object]] = [
                lambda d: write_html(result, d / "plan.html", lang=lang),
                lambda d: write_xlsx(result, d / "plan.xlsx", lang=lang),
            ]
            if with_pdf:
                writers.append(lambda d: write_pdf(result, d / "plan.pdf", lang=lang))
            written = write_staged(out, *writers)
    from sanitasi.reports.terminal import print_summary

    print_summary(result, console, lang=lang)
    for f in written:
        print_written(console, f)


@click.command()
@click.option("--year", type=int, required=True, help="Year monitored.")
@click.option(
    "--quarter", type=click.IntRange(1, 4), required=True, help="Quarter monitored (1-4)."
)
@click.option(
    "--city-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="City folder (docs/city-data.md). Default: the Kota Solok demo.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for monitoring.html and monitoring.xlsx.",
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Judge dates as of YYYY-MM-DD (default: end of the quarter). Realisation read for a "
    "quarter that has not started by then is an error (SAN-E049).",
)
@click.option(
    "--include-submitted", is_flag=True, help="Count submitted (not yet verified) realisation too."
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def monitor(
    year: int,
    quarter: int,
    city_dir: Path | None,
    out: Path | None,
    as_of: str | None,
    include_submitted: bool,
    lang: str,
) -> None:
    """Quarterly performance monitoring (Bab VI): realisation vs plan, bands, warnings."""
    from sanitasi.app import FolderSource, monitoring_report
    from sanitasi.io.errors import InputErrors, errors_of

    console = _console()
    try:
        day = parse_date(as_of)
    except click.BadParameter as e:
        console.print(f"[red]{escape(e.format_message())}[/]", markup=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    try:
        report = monitoring_report(
            FolderSource(city_dir),
            year,
            quarter,
            as_of=day,
            include_submitted=include_submitted,
        )
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    assert report is not None  # the programme is required: its absence is an input error
    written: list[Path] = []
    if out is not None:
        from sanitasi.reports.monitoring import write_monitoring_html, write_monitoring_xlsx

        written = write_staged(
            out,
            lambda d: write_monitoring_html(report, d / "monitoring.html", lang=lang),
            lambda d: write_monitoring_xlsx(report, d / "monitoring.xlsx", lang=lang),
        )
    from sanitasi.reports.monitoring import print_monitoring_summary

    print_monitoring_summary(report, console, lang=lang)
    for f in written:
        print_written(console, f)


@click.command("agency-brief")
@click.argument("agency")
@click.option("--year", type=int, required=True, help="Budget year.")
@click.option(
    "--as-of", "as_of", default=None, help="Judge dates as of YYYY-MM-DD (default: today)."
)
@click.option(
    "--city-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="City folder. Default: the Kota Solok demo.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="Write to a .html or .txt file."
)
@click.option(
    "--include-submitted", is_flag=True, help="Count submitted (not yet verified) realisation too."
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def agency_brief(
    agency: str,
    year: int,
    as_of: str | None,
    city_dir: Path | None,
    out: Path | None,
    include_submitted: bool,
    lang: str,
) -> None:
    """One page: what an agency (OPD) owes this year — activities, quarterly targets, actions."""
    from sanitasi.app import AppError, FolderSource
    from sanitasi.app import agency_brief as brief_of
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.monitoring import agency_brief_html, agency_brief_text

    console = _console()
    try:
        day = parse_date(as_of) or dt.date.today()
    except click.BadParameter as e:
        console.print(f"[red]{escape(e.format_message())}[/]", markup=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    try:
        brief = brief_of(
            FolderSource(city_dir), agency, year, day, include_submitted=include_submitted
        )
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    except AppError as e:
        fail_app(console, e, lang)
    if out is None:
        console.print(agency_brief_text(brief, lang), markup=False, highlight=False)
        return
    text = (
        agency_brief_html(brief, lang)
        if out.suffix.lower() in (".html", ".htm")
        else agency_brief_text(brief, lang)
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print_written(console, out)


@click.command("export-template")
@click.argument("kind", type=click.Choice(["programme", "realisation", "swot"]))
@click.option(
    "--city-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="City folder. Default: the Kota Solok demo.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="The .xlsx file to write."
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def export_template_cmd(kind: str, city_dir: Path | None, out: Path, lang: str) -> None:
    """Write an XLSX template (pre-filled, with drop-downs and instructions) for agency staff."""
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.io.templates import export_template

    console = _console()
    try:
        export_template(kind, city_dir, out, lang=lang)
    except InputErrors as e:
        report_problems(console, errors_of(e.problems), lang)
        raise SystemExit(EXIT_BAD_INPUT) from None
    print_written(console, out)


@click.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--city-dir", type=click.Path(path_type=Path), required=True, help="City folder to merge into."
)
@click.option("--check", "check_only", is_flag=True, help="Validate only; write nothing.")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Refuse realisation of a quarter that has not started by YYYY-MM-DD (default: today).",
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def import_cmd(
    workbook: Path, city_dir: Path, check_only: bool, as_of: str | None, lang: str
) -> None:
    """Validate a filled template and, only if it is clean, merge it into the city folder."""
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.io.templates import import_workbook

    console = _console()
    try:
        day = parse_date(as_of)
    except click.BadParameter as e:
        console.print(f"[red]{escape(e.format_message())}[/]", markup=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    try:
        rep = import_workbook(workbook, city_dir, check_only=check_only, as_of=day)
    except InputErrors as e:
        report_problems(console, errors_of(e.problems), lang)
        raise SystemExit(EXIT_BAD_INPUT) from None
    if lang == "id":
        head = "Diperiksa (tidak ditulis)" if check_only else "Diimpor"
        console.print(
            f"{head}: {rep.kind}, {rep.rows} baris — baru {len(rep.added)}, diubah {len(rep.updated)}, "
            f"dihapus {len(rep.removed)}, tetap {rep.unchanged}"
        )
    else:
        head = "Checked (nothing written)" if check_only else "Imported"
        console.print(
            f"{head}: {rep.kind}, {rep.rows} rows — added {len(rep.added)}, updated {len(rep.updated)}, "
            f"removed {len(rep.removed)}, unchanged {rep.unchanged}"
        )
    for f in rep.written:
        print_written(console, f)


@click.command()
@click.option(
    "--demo", is_flag=True, help="Load the Kota Solok demo and its demo logins (password demo)."
)
@click.option(
    "--city-dir", type=click.Path(path_type=Path), default=None, help="City folder to load."
)
@click.option("--replace", is_flag=True, help="Replace the city if it is already in the database.")
@click.option(
    "--skip-existing", is_flag=True, help="Do nothing if the city is already in the database."
)
@click.option(
    "--force",
    is_flag=True,
    help="With --replace: also delete realisation, meetings and action items entered on the "
    "web since the last load (refused without it).",
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def load(
    demo: bool, city_dir: Path | None, replace: bool, skip_existing: bool, force: bool, lang: str
) -> None:
    """Load a city folder into the database (DATABASE_URL): validated as `plan`, all-or-nothing."""
    from sanitasi.web.manage import main as manage

    if demo == (city_dir is not None):
        raise click.UsageError("give --demo or --city-dir")
    args = ["load_city", "--lang", lang, *(["--demo"] if demo else ["--city-dir", str(city_dir)])]
    manage(
        args + ["--replace"] * replace + ["--skip-existing"] * skip_existing + ["--force"] * force
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="gunicorn worker processes (default: SANITASI_WORKERS, else min(4, 2 x cores + 1)).",
)
@click.option(
    "--threads",
    type=int,
    default=None,
    help="threads per worker (gthread; default: SANITASI_THREADS, else 4).",
)
@click.option(
    "--task-workers",
    type=int,
    default=None,
    help="task worker processes started beside the server when tasks go to workers "
    "(PostgreSQL; default: SANITASI_TASK_WORKERS, else 1; 0: run `sanitasi worker` elsewhere).",
)
def serve(
    host: str, port: int, workers: int | None, threads: int | None, task_workers: int | None
) -> None:
    """Serve the web app with gunicorn and WhiteNoise (migrates first); on PostgreSQL also
    the task workers (PDF/DOCX downloads, plans after a save). Refuses (exit 2)
    SANITASI_DEBUG=1 on a database that is not the demo."""
    from sanitasi.web.serve import ServeRefused
    from sanitasi.web.serve import serve as run

    try:
        run(host, port, workers=workers, threads=threads, task_workers=task_workers)
    except ServeRefused as exc:
        click.echo(f"sanitasi serve: {exc}", err=True)
        raise SystemExit(2) from None


@click.command()
@click.option(
    "--interval",
    type=float,
    default=1.0,
    show_default=True,
    help="seconds between looks at an empty queue.",
)
@click.option("--batch", is_flag=True, help="run what is queued, then exit.")
def worker(interval: float, batch: bool) -> None:
    """Run queued tasks (PDF/DOCX downloads, plans after a save) from the database's task
    queue (DATABASE_URL); any number of workers on any host share it. `sanitasi serve`
    starts one on PostgreSQL."""
    from sanitasi.web.manage import main as manage
    from sanitasi.web.serve import worker_args

    manage(worker_args(interval) + ["--batch"] * batch)


@click.group()
def bench() -> None:
    """Benchmarks that print their figures."""


@bench.command("national")
@click.option("--horizon", type=int, default=2045, show_default=True)
@click.option("--seed", type=int, default=20250101, show_default=True)
def bench_national(horizon: int, seed: int) -> None:
    """Synthetic baseline for every desa of Indonesia, planned to the horizon."""
    from sanitasi.bench import national

    national(horizon=horizon, seed=seed, console=_console())


COMMANDS: tuple[click.Command, ...] = (
    plan,
    monitor,
    agency_brief,
    export_template_cmd,
    import_cmd,
    load,
    serve,
    worker,
    bench,
)

__all__ = ["COMMANDS", "bench"]
