"""The ``sanitasi`` command.

``sanitasi plan`` is the main job: baseline -> targets -> gap -> needs -> costs -> report.
With no ``--city-dir`` it runs the embedded Kota Solok demo. Bad input exits with code 2
and lists every problem (file, line, column, value, rule); nothing is left in ``--out``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sanitasi.core.model import PlanInputs, PlanResult

EXIT_BAD_INPUT = 2


def _console() -> Console:
    return Console(width=120 if not sys.stdout.isatty() else None, highlight=False)


def _parse_params(values: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r}: use NAME=VALUE", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val.strip()
    return out


def _report_problems(console: Console, problems: Sequence[object], lang: str) -> None:
    seen: set[tuple[object, ...]] = set()
    unique = []
    for p in problems:
        key = tuple(getattr(p, k, None) for k in ("code", "file", "row", "column", "value")) or (
            id(p),
        )
        if key not in seen:
            seen.add(key)
            unique.append(p)
    problems = unique
    title = "Masukan tidak valid" if lang == "id" else "Invalid input"
    console.print(f"[bold red]{title}: {len(problems)} masalah/problems[/]")
    for p in problems:
        code = getattr(p, "code", "")
        msg = p.message(lang) if hasattr(p, "message") else str(p)
        console.print("  [red]•[/] ", end="")
        console.print(f"{code} {msg}", soft_wrap=True, markup=False)


def _move_into(tmp: Path, out: Path) -> list[Path]:
    """Move every file of ``tmp`` into ``out`` (created if needed); return the new paths."""
    out.mkdir(parents=True, exist_ok=True)
    moved = []
    for f in sorted(tmp.iterdir()):
        dest = out / f.name
        if dest.is_dir():
            shutil.rmtree(dest)
        shutil.move(str(f), str(dest))
        moved.append(dest)
    return moved


def _write_staged(out: Path, *writers: Callable[[Path], object]) -> list[Path]:
    """Run each writer into a temporary folder beside ``out``, then move the files into
    ``out``; on any failure nothing is left in (or beside) ``out``."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sanitasi-", dir=out.parent))
    try:
        for write in writers:
            write(tmp)
        return _move_into(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sanitasi")
def main() -> None:
    """Sanitasi: SSK planning and monitoring (air limbah domestik dan persampahan)."""
    from sanitasi.runtime import tune_allocator

    tune_allocator()


@main.command()
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
) -> None:
    """Plan a city: baseline, targets, gap, needs, costs and the report."""
    from dataclasses import replace

    from sanitasi.core.results import run_plan
    from sanitasi.io.city import load_city
    from sanitasi.io.errors import InputErrors, errors_of

    console = _console()
    try:
        overrides = _parse_params(params)
    except click.BadParameter as e:
        console.print(f"[red]{e.format_message()}[/]")
        raise SystemExit(EXIT_BAD_INPUT) from None
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("Membaca data kota / reading city data", total=None)
        try:
            inputs, options = load_city(
                city_dir,
                base_year=base_year,
                horizon=horizon,
                target_sets=list(target_sets) or None,
                param_overrides=overrides or None,
            )
        except InputErrors as e:
            progress.stop()
            _report_problems(console, errors_of(e.problems), lang)
            raise SystemExit(EXIT_BAD_INPUT) from None
        options = replace(options, growth_method=growth_method, bau_mode=bau_mode)
        progress.update(task, description="Menghitung rencana / computing the plan")
        result = run_plan(inputs, options)
        try:
            result = _with_programme(result, inputs, city_dir)
            from sanitasi.reports.instruments import instrument_chapters

            result = instrument_chapters(result, city_dir)  # Bab II: survey, risk areas, SFD
        except InputErrors as e:
            progress.stop()
            _report_problems(console, errors_of(e.problems), lang)
            raise SystemExit(EXIT_BAD_INPUT) from None
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
            written = _write_staged(out, *writers)
    from sanitasi.reports.terminal import print_summary

    print_summary(result, console, lang=lang)
    for f in written:
        console.print(f"[green]→[/] {f}")


def _has_programme(city_dir: Path | None) -> bool:
    if city_dir is None:
        return True
    return (city_dir / "programme.csv").exists()


def _with_programme(result: PlanResult, inputs: PlanInputs, city_dir: Path | None) -> PlanResult:
    """Add the programme chapters (KKL, roles, coverage, funding by agency) to a plan result
    when the city folder has a programme matrix."""
    from dataclasses import replace

    from sanitasi.core.programme_run import programme_chapters
    from sanitasi.io.programme import load_programme

    if not _has_programme(city_dir):
        return result
    prog = load_programme(city_dir)
    tables, warns, _cover = programme_chapters(inputs, result.extras["arrays"], prog)
    return replace(
        result,
        tables={**result.tables, **tables},
        warnings=(*result.warnings, *warns),
        extras={**result.extras, "programme": prog},
    )


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: use YYYY-MM-DD", param_hint="--as-of") from None


@main.command()
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
    from sanitasi.core.monitoring import quarter_end
    from sanitasi.core.plan import compute
    from sanitasi.core.programme_run import monitoring_run
    from sanitasi.io.city import load_city
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.io.programme import load_programme

    console = _console()
    try:
        day = _parse_date(as_of)
    except click.BadParameter as e:
        console.print(f"[red]{e.format_message()}[/]")
        raise SystemExit(EXIT_BAD_INPUT) from None
    problems: list[object] = []
    inputs = options = prog = None
    try:
        inputs, options = load_city(city_dir)
    except InputErrors as e:
        problems += errors_of(e.problems)
    try:
        # the rows this report reads (to the quarter monitored) must be of quarters that have
        # started as of the as-of date
        judged = day or quarter_end(year, quarter)
        prog = load_programme(city_dir, as_of=judged, through=(year, quarter))
    except InputErrors as e:
        problems += errors_of(e.problems)
    if problems or inputs is None or options is None or prog is None:
        _report_problems(console, problems, lang)
        raise SystemExit(EXIT_BAD_INPUT)
    arrays = compute(inputs, options)
    report = monitoring_run(inputs, arrays, prog, year, quarter, day, include_submitted)
    written: list[Path] = []
    if out is not None:
        from sanitasi.reports.monitoring import write_monitoring_html, write_monitoring_xlsx

        written = _write_staged(
            out,
            lambda d: write_monitoring_html(report, d / "monitoring.html", lang=lang),
            lambda d: write_monitoring_xlsx(report, d / "monitoring.xlsx", lang=lang),
        )
    from sanitasi.reports.monitoring import print_monitoring_summary

    print_monitoring_summary(report, console, lang=lang)
    for f in written:
        console.print(f"[green]→[/] {f}")


@main.command("agency-brief")
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
    from sanitasi.core.roles import agency_owes
    from sanitasi.io.city import load_city
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.io.programme import load_programme
    from sanitasi.reports.monitoring import agency_brief_html, agency_brief_text

    console = _console()
    try:
        day = _parse_date(as_of) or dt.date.today()
    except click.BadParameter as e:
        console.print(f"[red]{e.format_message()}[/]")
        raise SystemExit(EXIT_BAD_INPUT) from None
    problems: list[object] = []
    params = None
    try:
        params = load_city(city_dir)[0].parameters  # the city's overrides of plan profiles count
    except InputErrors as e:
        problems += errors_of(e.problems)
    try:
        prog = load_programme(city_dir)
    except InputErrors as e:
        problems += errors_of(e.problems)
    if problems or params is None:
        _report_problems(console, problems, lang)
        raise SystemExit(EXIT_BAD_INPUT)
    known = {str(a).upper(): str(a) for a in prog.agencies["code"]}
    if agency.upper() not in known:
        msg = "kode OPD tidak dikenal" if lang == "id" else "unknown agency code"
        console.print(
            f"[red]{agency!r}: {msg}; {', '.join(sorted(known.values()))}[/]", markup=True
        )
        raise SystemExit(EXIT_BAD_INPUT)
    brief = agency_owes(
        prog,
        known[agency.upper()],
        year,
        day,
        params,
        include_submitted=include_submitted,
    )
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
    console.print(f"[green]→[/] {out}")


@main.command("export-template")
@click.argument("kind", type=click.Choice(["programme", "realisation"]))
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
        _report_problems(console, errors_of(e.problems), lang)
        raise SystemExit(EXIT_BAD_INPUT) from None
    console.print(f"[green]→[/] {out}")


@main.command("import")
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
        day = _parse_date(as_of)
    except click.BadParameter as e:
        console.print(f"[red]{e.format_message()}[/]")
        raise SystemExit(EXIT_BAD_INPUT) from None
    try:
        rep = import_workbook(workbook, city_dir, check_only=check_only, as_of=day)
    except InputErrors as e:
        _report_problems(console, errors_of(e.problems), lang)
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
        console.print(f"[green]→[/] {f}")


@main.command()
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
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def load(demo: bool, city_dir: Path | None, replace: bool, skip_existing: bool, lang: str) -> None:
    """Load a city folder into the database (DATABASE_URL): validated as `plan`, all-or-nothing."""
    from sanitasi.web.manage import main as manage

    if demo == (city_dir is not None):
        raise click.UsageError("give --demo or --city-dir")
    args = ["load_city", "--lang", lang, *(["--demo"] if demo else ["--city-dir", str(city_dir)])]
    manage(args + ["--replace"] * replace + ["--skip-existing"] * skip_existing)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--workers", type=int, default=None, help="gunicorn workers (default: 2 x cores + 1)."
)
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve the web app with gunicorn and WhiteNoise (migrates first)."""
    from sanitasi.web.serve import serve as run

    run(host, port, workers=workers)


@main.group()
def bench() -> None:
    """Benchmarks that print their figures."""


@bench.command("national")
@click.option("--horizon", type=int, default=2045, show_default=True)
@click.option("--seed", type=int, default=20250101, show_default=True)
def bench_national(horizon: int, seed: int) -> None:
    """Synthetic baseline for every desa of Indonesia, planned to the horizon."""
    from sanitasi.bench import national

    national(horizon=horizon, seed=seed, console=_console())


def _register_instruments() -> None:
    """Attach the SSK instrument commands (risk, sfd, survey, bench survey)."""
    from sanitasi.cli_instruments import register

    register(main)


_register_instruments()


def _register_ghg() -> None:
    """Attach the greenhouse-gas commands (``sanitasi ghg ...``)."""
    from sanitasi.cli_ghg import register

    register(main)


_register_ghg()


if __name__ == "__main__":  # pragma: no cover
    main()
