"""The household survey's per-kelurahan results kept in a city folder (``survey_result.csv``),
and the city's parameters for reading a survey.

``sanitasi survey FILE --city-dir D --apply`` writes the survey's ladder into
``observations.csv`` (:func:`sanitasi.io.survey.apply_survey`: households per rung, the
interval only in the note) and, with :func:`write_survey_result`, the shares themselves with
their 95 % intervals and sample sizes into ``survey_result.csv``, so that ``sanitasi plan``
can show them in Bab II (:func:`read_survey_result`). The file is optional; it is never
needed to plan. Household microdata is never written here: only per-kelurahan aggregates.

Columns (``docs/city-data.md`` section 3.11): ``kode, nama, urban, n, n_unknown,
weight_sum, n_eff, below_min``, for each rung ``n_<rung>``, ``pct_<rung>``,
``pct_<rung>_low``, ``pct_<rung>_high`` (0-100), then ``year, source, mapping, status``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from sanitasi.atomicfiles import write_file_atomically
from sanitasi.core.model import RUNGS, ParameterSet
from sanitasi.io import city_tables as ct
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.io.folders import CityDir, city_folder
from sanitasi.io.reference import load_parameters
from sanitasi.io.tables import Checker, is_absent, read_table

SURVEY_RESULT = "survey_result.csv"

#: Columns a ``survey_result.csv`` must have.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "kode",
    "n",
    *(f"pct_{r}" for r in RUNGS),
)
_PCT = tuple(f"pct_{r}{s}" for r in RUNGS for s in ("", "_low", "_high"))
_COUNTS = ("n", "n_unknown", *(f"n_{r}" for r in RUNGS))
_FLOATS = ("weight_sum", "n_eff")


def survey_result_frame(
    result: Any, *, year: int, source: str | None = None, status: str = "derived"
) -> pd.DataFrame:
    """The rows of ``survey_result.csv`` for a :class:`~sanitasi.io.survey.SurveyResult`:
    its ``shares`` plus ``year``, ``source`` (default the survey file name), ``mapping``
    (the mapping's name) and ``status``."""
    df = result.shares.reset_index(drop=True).copy()
    df["year"] = int(year)
    df["source"] = source or result.file
    df["mapping"] = result.mapping.name
    df["status"] = status
    return df


def write_survey_result(
    result: Any,
    city_dir: str | os.PathLike[str],
    *,
    year: int,
    source: str | None = None,
) -> Path:
    """Write ``survey_result.csv`` into ``city_dir`` (UTF-8, replaced atomically:
    :func:`sanitasi.atomicfiles.write_file_atomically`); return its path."""
    folder = Path(city_dir)
    path = folder / SURVEY_RESULT
    df = survey_result_frame(result, year=year, source=source)
    text = df.to_csv(index=False, float_format="%.10g", lineterminator="\n")
    write_file_atomically(path, text)
    return path


def read_survey_result(
    city_dir: CityDir = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """``survey_result.csv`` of a city folder (``None``: the demo) with typed columns, and
    its problems; ``(None, [])`` when the folder has no such file. Never raises for bad
    input: missing columns (``SAN-E002``), text in number columns (``SAN-E016``), shares
    outside 0-100 (``SAN-E011``) are returned as problems."""
    folder = city_folder(city_dir)
    loc = folder / SURVEY_RESULT
    if is_absent(loc):
        return None, []
    df, problems = read_table(loc, SURVEY_RESULT, REQUIRED_COLUMNS, folder=str(folder))
    if df is None:
        return None, problems
    chk = Checker(df, SURVEY_RESULT)
    out = pd.DataFrame({"kode": chk.text("kode")})
    out["nama"] = chk.text("nama", required=False)
    urban = chk.boolean("urban") if chk.has("urban") else pd.Series(pd.NA, index=df.index)
    out["urban"] = urban
    for col in _COUNTS + _FLOATS:
        if chk.has(col) or col in REQUIRED_COLUMNS:
            out[col] = chk.number(col, required=col in REQUIRED_COLUMNS)
    below = chk.boolean("below_min") if chk.has("below_min") else None
    out["below_min"] = below.fillna(False).astype(bool) if below is not None else False
    for col in _PCT:
        if not (chk.has(col) or col in REQUIRED_COLUMNS):
            continue
        v = chk.number(col, required=col in REQUIRED_COLUMNS)
        chk.flag(
            (v < 0) | (v > 100),
            "SAN-E011",
            col,
            name=col,
            kind="a percentage",
            kind_id="persentase",
            low=0,
            high=100,
        )
        out[col] = v
    if chk.has("year"):
        out["year"] = chk.year("year", required=False)
    for col in ("source", "mapping", "status"):
        if chk.has(col):
            out[col] = chk.text(col, required=False)
    problems += chk.problems
    for col in _COUNTS:
        if col in out.columns and not errors_of(problems):
            out[col] = out[col].fillna(0).astype("int64")
    return out.reset_index(drop=True), problems


def load_survey_result(city_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame | None:
    """Like :func:`read_survey_result` but raises :class:`InputErrors` with every problem
    when any is an error; ``None`` when the folder has no ``survey_result.csv``."""
    df, problems = read_survey_result(city_dir)
    if errors_of(problems):
        raise InputErrors(problems)
    return df


def city_parameters(city_dir: str | os.PathLike[str] | None = None) -> ParameterSet:
    """The reference parameters with the overrides of the folder's ``parameters.csv`` (if
    any), as ``sanitasi plan`` uses them (e.g. ``aman_desludging_window_years`` for the
    survey's aman rule). Raises :class:`InputErrors` for a bad ``parameters.csv``."""
    params = load_parameters()
    if city_dir is None:
        return params
    folder = Path(city_dir)
    if is_absent(folder / ct.PARAMETERS):
        return params
    df, problems = read_table(folder / ct.PARAMETERS, ct.PARAMETERS, ("name", "value"))
    if df is None:
        raise InputErrors(problems)
    overrides, problems = ct.parse_city_parameters(df, params)
    if errors_of(problems):
        raise InputErrors(problems)
    return ct.apply_overrides(params, overrides)


__all__ = [
    "REQUIRED_COLUMNS",
    "SURVEY_RESULT",
    "city_parameters",
    "load_survey_result",
    "read_survey_result",
    "survey_result_frame",
    "write_survey_result",
]
