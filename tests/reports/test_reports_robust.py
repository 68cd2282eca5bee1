"""Renderers never crash on an incomplete result: missing columns, tables or metadata."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from sanitasi.core.model import ParameterSet, PlanOptions, PlanResult, Table
from sanitasi.reports import charts
from sanitasi.reports.html import render_html, retrospective_summary
from sanitasi.reports.terminal import print_summary
from sanitasi.reports.xlsx import write_xlsx


def _render_all(res: PlanResult, tmp_path: Path | None = None) -> None:
    render_html(res, "id", inline_js=False)
    charts.all_charts(res, "en")
    print_summary(res, Console(file=io.StringIO(), width=120), "id")
    if tmp_path is not None:
        write_xlsx(res, tmp_path / "out.xlsx")


def _without(res: PlanResult, table: str, column: str) -> PlanResult:
    tb = res.tables[table]
    return replace(res, tables={**res.tables, table: replace(tb, df=tb.df.drop(columns=[column]))})


def test_each_column_missing(result: PlanResult) -> None:
    """Every single column of every table dropped in turn: the parts that read specific
    columns (charts, terminal, summary box) still work."""
    for name, table in result.tables.items():
        for col in table.df.columns:
            res = _without(result, name, str(col))
            try:
                charts.all_charts(res, "id")
                print_summary(res, Console(file=io.StringIO(), width=120), "id")
                retrospective_summary(res, "en")
            except Exception as exc:  # pragma: no cover - the message names the culprit
                pytest.fail(f"dropping {name}.{col}: {type(exc).__name__}: {exc}")


def test_random_columns_missing(result: PlanResult, tmp_path: Path) -> None:
    """A third of all columns dropped at random (seeded), twelve times, through every
    renderer including the HTML page and the workbook."""
    rng = random.Random(20240)
    for _ in range(12):
        tables = {}
        for name, tb in result.tables.items():
            drop = [c for c in tb.df.columns if rng.random() < 0.33]
            tables[name] = replace(tb, df=tb.df.drop(columns=drop))
        _render_all(replace(result, tables=tables), tmp_path)


def test_each_table_missing(result: PlanResult) -> None:
    for name in result.tables:
        res = replace(result, tables={k: v for k, v in result.tables.items() if k != name})
        _render_all(res)


def test_empty_tables_and_minimal_result(result: PlanResult, tmp_path: Path) -> None:
    empty = {k: replace(v, df=v.df.iloc[0:0], provenance={}) for k, v in result.tables.items()}
    _render_all(replace(result, tables=empty), tmp_path)
    minimal = PlanResult(
        options=PlanOptions(base_year=2024, horizon=2030),
        tables={},
        warnings=(),
        parameters=ParameterSet({}),
        city_kodes=(),
        target_sets=(),
    )
    _render_all(minimal, tmp_path)
    page = render_html(minimal, inline_js=False)
    assert "2025\u20132029" in page  # default plan period


def test_only_columns_the_engine_described_are_labelled(result: PlanResult) -> None:
    bare = {
        k: Table(k, k, k, v.df, columns={}, provenance=v.provenance)
        for k, v in result.tables.items()
    }
    page = render_html(replace(result, tables=bare), inline_js=False)
    assert "81,3%" in page  # pct_* column recognised by name
    assert "Rp 1.200.000.000" in page  # *_idr column recognised by name


def test_strange_dtypes(result: PlanResult, tmp_path: Path) -> None:
    tb = result.tables["headline"]
    df = tb.df.copy()
    df["year"] = df["year"].astype("Int64")
    df["bau_pct"] = df["bau_pct"].astype("Float64")
    df.loc[0, "bau_pct"] = pd.NA
    df["indicator"] = df["indicator"].astype("category")
    res = replace(result, tables={**result.tables, "headline": replace(tb, df=df)})
    _render_all(res, tmp_path)
    assert charts.headline_chart(res, "pct_layak") is not None
