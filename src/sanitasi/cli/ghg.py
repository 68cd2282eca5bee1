"""Greenhouse-gas commands: ``sanitasi ghg ...`` (docs/METHOD.md §12).

* ``sanitasi ghg fod --deposits D.csv --streams S.csv [--recovery R.csv] [--f 0.5] [--ox 0]
  [--delay-months 6] [--gwp AR5] --out OUT.csv [--lang id|en]`` -- the IPCC first-order-decay
  calculator (the IPCC Waste Model in Python), vectorised over streams x years: one output row
  per year and stream plus a ``total`` row per year (``year, stream, ddocm_decomposed_t,
  ch4_generated_t, ch4_recovered_t, ch4_emitted_t``). Defaults of ``--f``, ``--ox`` and
  ``--delay-months`` come from ``reference/ghg_parameters.csv``.

Bad input exits with code 2 and lists every problem (file, line, column, value, rule); the
output is written atomically after everything succeeded, so nothing is written on error.
:data:`COMMANDS` are added to the ``sanitasi`` group by :mod:`sanitasi.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sanitasi.cli.common import EXIT_BAD_INPUT, LANGS, print_written
from sanitasi.cli.common import console as _console
from sanitasi.cli.common import report_problems as _report_problems

if TYPE_CHECKING:
    import numpy as np
    from rich.console import Console

    from sanitasi.io.ghg import FodInputs


@click.group("ghg")
def ghg() -> None:
    """Greenhouse gases: landfill methane (first-order decay) and wastewater CH4/N2O."""


@ghg.command("fod")
@click.option(
    "--deposits",
    type=click.Path(path_type=Path),
    required=True,
    help="CSV year,stream,tonnes,mcf: wet tonnes deposited per year and stream, and the "
    "site's MCF (0-1) for that row.",
)
@click.option(
    "--streams",
    type=click.Path(path_type=Path),
    required=True,
    help="CSV stream,doc,docf,k: DOC and DOCf as fractions, k per year.",
)
@click.option(
    "--recovery",
    type=click.Path(path_type=Path),
    default=None,
    help="Optional CSV year,tonnes_ch4: methane recovered (flared or used) per year.",
)
@click.option(
    "--f",
    "f",
    type=click.FloatRange(0, 1),
    default=None,
    help="Fraction of CH4 in landfill gas [default: ghg_landfill_gas_ch4_fraction_f, 0.5].",
)
@click.option(
    "--ox",
    type=click.FloatRange(0, 1),
    default=None,
    help="Oxidation factor [default: ghg_ox_default, 0; IPCC: 0.1 for covered managed sites].",
)
@click.option(
    "--delay-months",
    type=click.FloatRange(0, 6),
    default=None,
    help="Months before decay starts, 0-6 [default: ghg_fod_delay_months, 6: decay starts "
    "the year after deposition].",
)
@click.option(
    "--gwp",
    type=click.Choice(["AR4", "AR5", "AR6"]),
    default=None,
    help="GWP100 for the CO2e in the summary [default: ghg_gwp_assessment, AR5].",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="The CSV file to write (written only when every input is valid).",
)
@click.option("--lang", type=click.Choice(LANGS), default="id", show_default=True)
def fod_cmd(
    deposits: Path,
    streams: Path,
    recovery: Path | None,
    f: float | None,
    ox: float | None,
    delay_months: float | None,
    gwp: str | None,
    out: Path,
    lang: str,
) -> None:
    """First-order decay of deposited waste (IPCC 2006 Vol. 5 Ch. 3, the IPCC Waste Model):
    CH4 generated, recovered and emitted per year and stream."""
    from sanitasi.core.ghg import ch4_emitted, co2e, fod, fod_table
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.io.ghg import (
        load_ghg_reference,
        read_fod_inputs,
        recovery_problems,
        write_fod_table,
    )

    console = _console()
    ref = load_ghg_reference()
    p = ref.parameters.reader("ghg.fod")
    f_v = p.num("ghg_landfill_gas_ch4_fraction_f") if f is None else f
    ox_v = p.num("ghg_ox_default") if ox is None else ox
    delay = p.num("ghg_fod_delay_months") if delay_months is None else delay_months
    try:
        inp = read_fod_inputs(deposits, streams, recovery)
    except InputErrors as e:
        _report_problems(console, errors_of(e.problems), lang)
        raise SystemExit(EXIT_BAD_INPUT) from None
    res = fod(inp.tonnes, inp.doc, inp.docf, inp.mcf, inp.k, f=f_v, delay_months=delay)
    total = res.ch4_generated.sum(axis=0)
    problems = recovery_problems(inp, total)
    if problems:
        _report_problems(console, problems, lang)
        raise SystemExit(EXIT_BAD_INPUT)
    table = fod_table(inp.years, inp.streams, res, inp.recovered, ox_v)
    written = write_fod_table(table, out)
    emitted = ch4_emitted(total, inp.recovered, ox_v)
    co2e_last = float(co2e(emitted[-1], gwp=ref.gwp(gwp)))
    assessment = gwp or p.choice("ghg_gwp_assessment")
    _print_summary(
        console, inp, res.ch4_generated, emitted, co2e_last, assessment, (f_v, ox_v, delay), lang
    )
    print_written(console, written)


def _print_summary(
    console: Console,
    inp: FodInputs,
    generated: np.ndarray,
    emitted: np.ndarray,
    co2e_last: float,
    assessment: str,
    settings: tuple[float, float, float],
    lang: str,
) -> None:
    from sanitasi.reports.fmt import fmt_number
    from sanitasi.reports.i18n import t
    from sanitasi.reports.terminal import rich_table

    first, last = inp.years[0], inp.years[-1]
    table = rich_table(t("ghg_fod_title", lang, first=first, last=last))
    table.add_column(t("ghg_fod_stream", lang))
    table.add_column(t("ghg_fod_generated_last", lang, year=last), justify="right")
    table.add_column(t("ghg_fod_generated_sum", lang, first=first, last=last), justify="right")
    for name, row in zip(inp.streams, generated, strict=True):  # the streams of the file
        table.add_row(name, fmt_number(row[-1], 1, lang), fmt_number(row.sum(), 1, lang))
    table.add_row(
        t("ghg_fod_total", lang),
        fmt_number(generated[:, -1].sum(), 1, lang),
        fmt_number(generated.sum(), 1, lang),
        style="bold",
    )
    console.print(table)
    f_v, ox_v, delay = settings
    lines = [
        t(
            "ghg_fod_params",
            lang,
            f=fmt_number(f_v, 2, lang),
            ox=fmt_number(ox_v, 2, lang),
            delay=fmt_number(delay, 0, lang),
        ),
        t(
            "ghg_fod_recovered",
            lang,
            first=first,
            last=last,
            value=fmt_number(float(inp.recovered.sum()), 1, lang),
        ),
        t(
            "ghg_fod_emitted",
            lang,
            year=last,
            value=fmt_number(float(emitted[-1]), 1, lang),
            co2e=fmt_number(co2e_last, 0, lang),
            assessment=assessment,
        ),
    ]
    for line in lines:
        console.print(line, soft_wrap=True, markup=False)


COMMANDS: tuple[click.Command, ...] = (ghg,)

__all__ = ["COMMANDS", "fod_cmd", "ghg"]
