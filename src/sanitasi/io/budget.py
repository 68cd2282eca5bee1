"""Budgets of a city: ``budget.csv`` (the caps the optimiser spends within) and
``fiscal_history.csv`` (the last years' sanitation spending, Bab II of the SSK document,
and the default budget when no ``budget.csv`` is given). Contract: ``docs/city-data.md``
§14; the projection rule: ``docs/METHOD.md`` §18.1.

Both files are optional. :func:`read_budget` and :func:`read_fiscal_history` never stop at
the first problem: they return the typed table (or ``None`` when the file is absent or
unusable) and every problem (file, line, column, value, rule).
"""

from __future__ import annotations

from importlib.resources.abc import Traversable

import pandas as pd

from sanitasi.core.model import STATUSES
from sanitasi.core.programme import SECTORS
from sanitasi.io.errors import Problem, errors_of, problem
from sanitasi.io.reference import load_funding_shares
from sanitasi.io.tables import LINE, Checker, duplicate_problems, read_table

BUDGET = "budget.csv"
FISCAL_HISTORY = "fiscal_history.csv"
#: The city's budget files, in the order the loader stores them.
BUDGET_FILES: tuple[str, ...] = (BUDGET, FISCAL_HISTORY)

BUDGET_REQUIRED: tuple[str, ...] = ("year", "source", "cap_idr")
FISCAL_REQUIRED: tuple[str, ...] = ("year", "source", "sector", "spent_idr")
#: ``sector`` of a budget row without a sector: the cap binds both sectors together.
ALL_SECTORS = "all"
BUDGET_COLUMNS: tuple[str, ...] = ("year", "source", "sector", "cap_idr", "status")
FISCAL_COLUMNS: tuple[str, ...] = ("year", "source", "sector", "spent_idr", "status")


def funding_sources() -> tuple[str, ...]:
    """The funding sources of ``reference/funding_shares.csv`` (APBN, DAK, ...), in order."""
    return tuple(dict.fromkeys(load_funding_shares()["source"].astype(str)))


def _source(chk: Checker, sources: tuple[str, ...]) -> pd.Series:
    """Upper-cased ``source``; ``SAN-E024`` for one not in ``funding_shares.csv``."""
    val = chk.raw("source").str.upper()
    chk.flag(~val.isin(list(sources)), "SAN-E024", "source", choices=", ".join(sources))
    return val


def parse_budget(
    df: pd.DataFrame, sources: tuple[str, ...], file: str = BUDGET
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``budget.csv``: ``year`` a whole year, ``source`` one of ``funding_shares.csv``,
    ``cap_idr`` a number >= 0, optional ``sector`` (``ald``, ``persampahan``; blank = both:
    :data:`ALL_SECTORS`), optional ``status``; ``year, source, sector`` unique."""
    chk = Checker(df, file)
    year = chk.year("year")
    source = _source(chk, sources)
    sector = chk.choice("sector", (*SECTORS, ALL_SECTORS), default=ALL_SECTORS)
    cap = chk.number("cap_idr")
    status = chk.choice("status", STATUSES, default="unverified")
    typed = pd.DataFrame(
        {
            "year": year,
            "source": source,
            "sector": sector,
            "cap_idr": cap,
            "status": status,
            LINE: df[LINE],
        }
    )
    problems = list(chk.problems)
    problems += duplicate_problems(typed, ["year", "source", "sector"], "sector", file)
    return typed[list(BUDGET_COLUMNS)].reset_index(drop=True), problems


def parse_fiscal_history(
    df: pd.DataFrame, sources: tuple[str, ...], file: str = FISCAL_HISTORY
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``fiscal_history.csv``: ``year``, ``source`` (as ``budget.csv``), ``sector``
    (``ald`` or ``persampahan``, required), ``spent_idr`` >= 0, optional ``status``;
    ``year, source, sector`` unique."""
    chk = Checker(df, file)
    year = chk.year("year")
    source = _source(chk, sources)
    sector = chk.choice("sector", SECTORS)
    spent = chk.number("spent_idr")
    status = chk.choice("status", STATUSES, default="unverified")
    typed = pd.DataFrame(
        {
            "year": year,
            "source": source,
            "sector": sector,
            "spent_idr": spent,
            "status": status,
            LINE: df[LINE],
        }
    )
    problems = list(chk.problems)
    problems += duplicate_problems(typed, ["year", "source", "sector"], "sector", file)
    return typed[list(FISCAL_COLUMNS)].reset_index(drop=True), problems


def _read(
    folder: Traversable | None,
    name: str,
    required: tuple[str, ...],
    parse: object,
    file: str | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    if folder is None:
        return None, []
    location = folder / name
    if not location.is_file():
        return None, []
    df, problems = read_table(location, file or name, required)
    if df is None:
        return None, problems
    typed, found = parse(df, funding_sources(), file or name)  # type: ignore[operator]
    problems = problems + found
    return (None if errors_of(problems) else typed), problems


def read_budget(
    folder: Traversable | None, path: Traversable | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """``budget.csv`` of ``folder`` (or the file ``path``, the CLI's ``--budget``): the
    typed table (:data:`BUDGET_COLUMNS`) or ``None`` (absent, or with errors), and every
    problem. A given ``path`` that does not exist is ``SAN-E001``."""
    if path is not None:
        if not path.is_file():
            return None, [problem("SAN-E001", str(path), name=str(path), folder="--budget")]
        df, problems = read_table(path, str(path.name), BUDGET_REQUIRED)
        if df is None:
            return None, problems
        typed, found = parse_budget(df, funding_sources(), str(path.name))
        return (None if errors_of(found) else typed), problems + found
    return _read(folder, BUDGET, BUDGET_REQUIRED, parse_budget)


def read_fiscal_history(folder: Traversable | None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """``fiscal_history.csv`` of ``folder``: the typed table (:data:`FISCAL_COLUMNS`) or
    ``None`` (absent, or with errors), and every problem."""
    return _read(folder, FISCAL_HISTORY, FISCAL_REQUIRED, parse_fiscal_history)


__all__ = [
    "ALL_SECTORS",
    "BUDGET",
    "BUDGET_COLUMNS",
    "BUDGET_FILES",
    "BUDGET_REQUIRED",
    "FISCAL_COLUMNS",
    "FISCAL_HISTORY",
    "FISCAL_REQUIRED",
    "funding_sources",
    "parse_budget",
    "parse_fiscal_history",
    "read_budget",
    "read_fiscal_history",
]
