"""``sanitasi optimise``: the funding-constrained plan (docs/METHOD.md §18.3).

``sanitasi optimise [--city-dir D] [--budget F] [--objective progress|cost] [--out O]
[--lang id|en] [--param NAME=VALUE]`` runs :func:`sanitasi.app.optimise.optimise_report`,
prints the spend, shortfall and shadow-price tables (rich) and, with ``--out``, writes
``optimise.xlsx`` and ``optimise.html`` (the optimisation and priority tables, the warnings)
through a temporary folder moved into ``--out`` only when complete. Bad input exits 2 with
every problem; a solver failure exits 1 with its reason; an unreachable trajectory is a
result (the shortfall table and warning SAN-W025 naming the binding caps).
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from sanitasi.cli.common import (
    CITY_HELP,
    LANGS,
    fail,
    fail_app,
    parse_params,
    print_written,
    run_staged,
)
from sanitasi.cli.common import console as _console
from sanitasi.messages import render as render_warning

#: Tables printed in the terminal, in order.
TERMINAL_TABLES = ("optimise_spend", "optimise_shortfall", "optimise_shadow")
#: Tables written to optimise.xlsx and optimise.html, in order.
FILE_TABLES = (
    "optimise_spend",
    "optimise_shortfall",
    "optimise_shadow",
    "optimise_spend_sector",
    "optimise_plan",
    "priority_areas",
    "priority_programme",
)
EXIT_FAILURE = 1


@click.command()
@click.option("--city-dir", type=click.Path(path_type=Path), default=None, help=CITY_HELP)
@click.option(
    "--budget",
    type=click.Path(path_type=Path),
    default=None,
    help="A budget file (year,source,cap_idr[,sector]) instead of the city's budget.csv.",
)
@click.option(
    "--objective",
    type=click.Choice(["progress", "cost"]),
    default="progress",
    show_default=True,
    help="progress: the most priority-weighted progress toward the trajectory; cost: the "
    "least cost to reach it within the caps.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for optimise.xlsx and optimise.html (nothing written without it).",
)
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True)
@click.option("--param", "params", multiple=True, help="Override a parameter: NAME=VALUE.")
def optimise(
    city_dir: Path | None,
    budget: Path | None,
    objective: str,
    out: Path | None,
    lang: str,
    params: tuple[str, ...],
) -> None:
    """Spend the budgets where they bring the most progress (HiGHS), year by year."""
    from dataclasses import replace

    from sanitasi.app import AppError, FolderSource
    from sanitasi.app.optimise import optimise_report
    from sanitasi.app.source import PlanRequest
    from sanitasi.core.optimise import OptimiseFailed
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.fmt import fmt_idr
    from sanitasi.reports.html import write_html
    from sanitasi.reports.i18n import plain_text, t
    from sanitasi.reports.optimise import terminal_table
    from sanitasi.reports.xlsx import write_xlsx

    console = _console()
    request = PlanRequest(param_overrides=parse_params(params))
    try:
        report = optimise_report(
            FolderSource(city_dir), request, budget=budget, objective=objective
        )
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    except AppError as e:
        fail_app(console, e, lang)
    except OptimiseFailed as e:
        console.print(
            f"[red]{escape(t('optimise_failed', lang, reason=str(e)))}[/]",
            markup=True,
            soft_wrap=True,
        )
        raise SystemExit(EXIT_FAILURE) from None
    result = report.result
    first, last = result.options.period
    console.print(
        t("optimise_title", lang, objective=objective, origin=report.budget_from), style="bold"
    )
    for name in TERMINAL_TABLES:
        console.print(terminal_table(result.tables[name], lang))
    console.print(
        t(
            "optimise_costs",
            lang,
            first=first,
            last=last,
            cost=fmt_idr(float(report.solution.cost.sum()), lang),
            needs=fmt_idr(report.needs_based_cost_idr, lang),
        )
    )
    for w in result.warnings:
        if w.code == "SAN-W025":
            console.print(
                f"[yellow]{w.code}[/] {escape(plain_text(render_warning(w, lang), lang))}",
                markup=True,
                soft_wrap=True,
            )
    files = replace(result, tables={n: result.tables[n] for n in FILE_TABLES if n in result.tables})

    def work(tmp: Path | None) -> None:
        if tmp is None:
            return
        write_xlsx(files, tmp / "optimise.xlsx", lang)
        write_html(files, tmp / "optimise.html", lang)

    for f in run_staged(out, work):
        print_written(console, f)


COMMANDS = (optimise,)

__all__ = ["COMMANDS", "optimise"]
