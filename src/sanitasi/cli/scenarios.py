"""``sanitasi scenarios`` and ``sanitasi uncertainty``.

* ``scenarios``: BAU, the needs-based plan, the programme, the optimised plan (under the
  city's budget; empty with the reason when the city has none) and each ``scenarios/*.toml``
  of the city folder (with its own optimised plan when it names a budget) side by side
  (:func:`sanitasi.app.scenarios.compare_scenarios`): ``scenarios.xlsx``, ``scenarios.html``
  and a terminal table;
* ``uncertainty``: the Monte Carlo of the needs and costs
  (:func:`sanitasi.app.uncertainty.uncertainty_report`) and, under the city's budget (or
  ``--budget F``), the probability of reaching each year's trajectory: ``uncertainty.xlsx``,
  ``uncertainty.html`` and the SSK-period P10/P50/P90 and P(reach) in the terminal.

Files are written through a temporary folder moved into ``--out`` only when complete. Bad
input exits with code 2 and lists every problem; nothing is left in ``--out``.
"""

from __future__ import annotations

from pathlib import Path

import click

from sanitasi.cli.common import CITY_HELP, LANGS, fail, fail_app, print_written, write_staged
from sanitasi.cli.common import console as _console


@click.command()
@click.option("--city-dir", type=click.Path(path_type=Path), default=None, help=CITY_HELP)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out/scenarios"),
    show_default=True,
    help="Folder for scenarios.xlsx and scenarios.html.",
)
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True)
def scenarios(city_dir: Path | None, out: Path, lang: str) -> None:
    """Compare BAU, the needs-based plan, the programme, the optimised plan and each
    scenarios/*.toml."""
    from sanitasi.app import AppError, FolderSource
    from sanitasi.app.instruments import city_name
    from sanitasi.app.scenarios import compare_scenarios
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.scenarios import print_scenarios, write_scenarios

    console = _console()
    try:
        cmp = compare_scenarios(FolderSource(city_dir), optimise=True)
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    except AppError as e:
        fail_app(console, e, lang)
    city = ", ".join(city_name(k) for k in cmp.city_kodes)
    print_scenarios(cmp, console, lang)
    written = write_staged(out, lambda d: write_scenarios(cmp, d, city, lang))
    for f in written:
        print_written(console, f)


@click.command()
@click.option("--city-dir", type=click.Path(path_type=Path), default=None, help=CITY_HELP)
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Monte Carlo draws of the cost inputs.",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Engine runs (Latin hypercube) for the parameters that change quantities.",
)
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed.")
@click.option(
    "--budget",
    type=click.Path(path_type=Path),
    default=None,
    help="A budget file (year,source,cap_idr[,sector]) instead of the city's budget.csv, for "
    "the probability of reaching each target year.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out/uncertainty"),
    show_default=True,
    help="Folder for uncertainty.xlsx and uncertainty.html.",
)
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True)
def uncertainty(
    city_dir: Path | None,
    draws: int,
    runs: int,
    seed: int,
    budget: Path | None,
    out: Path,
    lang: str,
) -> None:
    """P10/P50/P90 of the needs and costs (Monte Carlo over uncertain inputs) and, under the
    city's budget, the probability of reaching each target year."""
    from sanitasi.app import AppError, FolderSource
    from sanitasi.app.instruments import city_name
    from sanitasi.app.uncertainty import uncertainty_report
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.scenarios import print_uncertainty, write_uncertainty

    console = _console()
    try:
        res = uncertainty_report(
            FolderSource(city_dir), budget=budget, draws=draws, runs=runs, seed=seed
        )
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    except AppError as e:
        fail_app(console, e, lang)
    city = ", ".join(city_name(k) for k in res.city_kodes)
    print_uncertainty(res, console, lang)
    written = write_staged(out, lambda d: write_uncertainty(res, d, city, lang))
    for f in written:
        print_written(console, f)


COMMANDS = (scenarios, uncertainty)

__all__ = ["COMMANDS", "scenarios", "uncertainty"]
