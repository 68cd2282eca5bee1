"""Reading a survey file end to end: :func:`read_survey` (either engine) and
:func:`classify_file` (household-level table of a small file).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from sanitasi.core import survey as cs
from sanitasi.core.model import RUNGS, ParameterSet
from sanitasi.io.errors import ERROR, InputErrors, errors_of
from sanitasi.io.reference import load_parameters
from sanitasi.io.survey.classify import _sums_numpy
from sanitasi.io.survey.mapping import SurveyMapping, load_mapping
from sanitasi.io.survey.readers import _duckdb, connect, open_source
from sanitasi.io.survey.results import SurveyResult, _expand_issues, _issue_rows, _shares_table
from sanitasi.io.survey.scope import SurveyScope, _gidx_of, _lookup_table, survey_scope
from sanitasi.io.survey.sql import _issue_sql, _joined_sql, _plan, _register_lookup, _sums_sql

ENGINES: tuple[str, ...] = ("sql", "numpy")


def read_survey(
    path: str | os.PathLike[str],
    mapping: SurveyMapping | str | os.PathLike[str] | None = None,
    *,
    params: ParameterSet | None = None,
    rules: cs.SurveyRules | None = None,
    city_dir: str | os.PathLike[str] | None = None,
    scope: SurveyScope | None = None,
    year: int | None = None,
    engine: str = "numpy",
    strict: bool = False,
    memory_limit: str = "1GB",
    threads: int | None = None,
    batch_rows: int = 1 << 20,
) -> SurveyResult:
    """Read, classify and aggregate a household survey file (see the module docstring).

    ``mapping``: a :class:`SurveyMapping`, a mapping path or name (default EHRA);
    ``params``: parameters (default: the reference ``parameters.csv``) giving
    ``aman_desludging_window_years`` and ``ehra_sample_households_per_kelurahan`` (or give
    ``rules``); ``city_dir``: restrict kelurahan to the city's ``regions.csv`` (and take its
    urban flags), else every official desa/kelurahan; ``year``: the survey year (used by
    :func:`apply_survey`); ``engine``: ``numpy`` (default, faster: Arrow batches into the
    core rules) or ``sql`` (DuckDB ``CASE`` and ``GROUP BY``); both give the same result. Raises :class:`InputErrors` for
    an unreadable file or mapping, a missing column, or (``strict``) any issue.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    m = mapping if isinstance(mapping, SurveyMapping) else load_mapping(mapping)
    r = rules or cs.SurveyRules.from_params(params if params is not None else load_parameters())
    sc = scope or survey_scope(city_dir)
    label = Path(path).name
    con = connect(memory_limit, threads)
    try:
        cols = open_source(con, path)
        plan = _plan(cols, m, label)
        if errors_of(plan.problems):
            raise InputErrors(plan.problems)
        lookup = _lookup_table(sc, m)
        n_groups = len(sc.regions)
        if engine == "numpy":
            sums, wsums, extra, raw_issues = _sums_numpy(
                Path(path), con, plan, m, sc, lookup, r, batch_rows
            )
        else:
            _register_lookup(con, lookup)
            con.execute(f"CREATE OR REPLACE VIEW c AS {_joined_sql(plan, r)}")
            sums, wsums, extra = _sums_sql(con, plan, n_groups)
            raw_issues = pd.DataFrame()
            if extra["issues"]:
                # the issues table needs the raw answers: a second scan, only when needed
                con.execute(f"CREATE OR REPLACE VIEW c_raw AS {_joined_sql(plan, r, raw=True)}")
                cond, struct = _issue_sql(plan)
                groups = con.execute(
                    f"SELECT issue, count(*) AS n FROM (SELECT {struct} AS issue FROM c_raw "
                    f"WHERE {cond}) GROUP BY issue"
                ).fetchdf()
                raw_issues = _expand_issues(groups)
    finally:
        con.close()
    issues = _issue_rows(raw_issues, plan, sc, m.name)
    shares = _shares_table(sums, sc, r, RUNGS)
    waste = _shares_table(wsums, sc, r, cs.WASTE) if plan.has_waste and wsums is not None else None
    totals = {
        "rows": int(extra["rows"]),
        "classified": int(shares["n"].sum()) if len(shares) else 0,
        "unknown": int(extra["unknown"]),
        "unknown_kelurahan": int(extra["unknown_kelurahan"]),
    }
    result = SurveyResult(
        file=label,
        mapping=m,
        rules=r,
        shares=shares,
        waste=waste,
        issues=issues,
        totals=totals,
        engine=engine,
        year=year,
        notes=plan.problems,
    )
    if strict and (len(issues) or plan.problems):
        raise InputErrors(
            [replace(p, severity=ERROR) for p in result.problems if p.code != "SAN-W185"]
        )
    return result


def classify_file(
    path: str | os.PathLike[str],
    mapping: SurveyMapping | str | os.PathLike[str] | None = None,
    *,
    params: ParameterSet | None = None,
    rules: cs.SurveyRules | None = None,
    city_dir: str | os.PathLike[str] | None = None,
    scope: SurveyScope | None = None,
) -> pd.DataFrame:
    """Household-level table of a (small) survey file in file order: ``kode`` (``""`` when
    unknown), the raw answers (``raw_<field>``), the normalised codes as labels
    (``toilet, use, disposal, urban, waste``; ``missing``/``invalid``), ``years``,
    ``weight`` (NaN when invalid) and ``rung`` (numpy rules; invalid weight = unknown)."""
    m = mapping if isinstance(mapping, SurveyMapping) else load_mapping(mapping)
    r = rules or cs.SurveyRules.from_params(params if params is not None else load_parameters())
    sc = scope or survey_scope(city_dir)
    con = _duckdb().connect(":memory:")
    try:
        cols = open_source(con, path)
        plan = _plan(cols, m, Path(path).name)
        if errors_of(plan.problems):
            raise InputErrors(plan.problems)
        df = con.execute(plan.with_raw).fetchdf()
    finally:
        con.close()
    g = _gidx_of(df["kraw"].astype("string").fillna(""), _lookup_table(sc, m))
    region_urban = g.map(pd.Series(sc.regions["urban"].to_numpy(dtype=np.int8)))
    uc = df["uc"].to_numpy(dtype=np.int8)
    urb = np.where(uc == cs.MISSING, region_urban.fillna(cs.MISSING).to_numpy(), uc).astype(np.int8)
    w = df["w"].to_numpy(dtype=float)
    rung = cs.classify_codes(
        df["t"].to_numpy(np.int8),
        df["u"].to_numpy(np.int8),
        df["d"].to_numpy(np.int8),
        df["y"].to_numpy(dtype=float),
        urb,
        r,
    )
    rung[np.isnan(w)] = cs.UNKNOWN_CODE
    out = pd.DataFrame({"kode": g.map(pd.Series(sc.regions["kode"].to_numpy())).fillna("")})
    for name in plan.columns:
        out[f"raw_{name}"] = df[f"raw_{name}"]
    for name, short, vocab in (
        ("toilet", "t", cs.TOILET),
        ("use", "u", cs.USE),
        ("disposal", "d", cs.DISPOSAL),
        ("waste", "ws", cs.WASTE),
    ):
        out[name] = _labels(df[short].to_numpy(), vocab)
    out["urban"] = _labels(urb, cs.URBAN)
    out["years"] = df["y"].to_numpy(dtype=float)
    out["weight"] = w
    out["rung"] = cs.ladder_categorical(rung).to_numpy()
    return out


def _labels(codes: np.ndarray, vocab: Sequence[str]) -> np.ndarray:
    words = np.array([*vocab, "invalid", "missing"], dtype=object)
    idx = np.where(codes >= 0, codes, np.where(codes == cs.INVALID, len(vocab), len(vocab) + 1))
    return words[idx.astype(int)]


__all__ = ["ENGINES", "classify_file", "read_survey"]
