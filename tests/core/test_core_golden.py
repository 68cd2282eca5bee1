"""Golden files of the demo's summary tables (``tests/golden/core/*.csv``).

Numbers are written with 6 significant digits, rows in a stable order. After an intended
change of the engine or the demo data, regenerate and review::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/core/test_core_golden.py
    git diff tests/golden/core

A missing golden file fails (it is never created silently).
"""

from __future__ import annotations

import difflib
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sanitasi.core.model import PlanResult

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden" / "core"
MAX_DIFF_LINES = 60


def _updating() -> bool:
    return os.environ.get("UPDATE_GOLDEN", "").strip().lower() in ("1", "true", "yes", "on")


def _num(x: object) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NaN"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    v = float(x)  # type: ignore[arg-type]
    s = f"{v:.6g}"
    return "0" if s in ("0", "-0") else s


def to_csv(df: pd.DataFrame, keys: list[str]) -> str:
    """CSV text: string columns as is, numbers with 6 significant digits, sorted by ``keys``."""
    df = df.copy()
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(
            df[col]
        ):
            df[col] = df[col].astype(str)
    df = df.sort_values(keys, kind="stable").reset_index(drop=True)
    lines = [",".join(df.columns)]
    for row in df.itertuples(index=False):
        cells = []
        for col, v in zip(df.columns, row, strict=True):
            if col == "year":
                cells.append(str(int(v)))
            elif isinstance(v, str):
                cells.append(f'"{v}"' if "," in v else v)
            else:
                cells.append(_num(v))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN_DIR / name
    if _updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        raise AssertionError(
            f"golden file {path} is missing; review the output and create it with "
            "UPDATE_GOLDEN=1 .venv/bin/pytest tests/core/test_core_golden.py"
        )
    expected = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    if expected == text:
        return
    diff = list(
        difflib.unified_diff(
            expected.splitlines(),
            text.splitlines(),
            fromfile=f"golden/core/{name}",
            tofile="actual",
            lineterm="",
        )
    )
    raise AssertionError(
        f"output differs from {path} (UPDATE_GOLDEN=1 to accept after review):\n"
        + "\n".join(diff[:MAX_DIFF_LINES])
    )


YEARS_HEADLINE = [2024, 2029, 2045]
YEARS_NEEDS = list(range(2024, 2031))

TABLES: dict[str, tuple[str, Callable[[pd.DataFrame], pd.DataFrame], list[str]]] = {
    "retrospective": ("retrospective", lambda d: d, ["kode", "target_set", "indicator", "year"]),
    "headline": (
        "headline",
        lambda d: d[d["year"].isin(YEARS_HEADLINE)],
        ["kode", "indicator", "year"],
    ),
    "medium_term": ("medium_term", lambda d: d, ["kode", "sector", "need"]),
    "service_ald": ("service_ald", lambda d: d[d["year"].isin(YEARS_NEEDS)], ["kode", "year"]),
    "needs_waste": ("needs_waste", lambda d: d[d["year"].isin(YEARS_NEEDS)], ["kode", "year"]),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_golden_demo_table(demo_result: PlanResult, name: str) -> None:
    table, select, keys = TABLES[name]
    assert_golden(f"{name}.csv", to_csv(select(demo_result[table]), keys))


def test_golden_missing_file_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN_DIR", tmp_path)
    with pytest.raises(AssertionError, match="missing"):
        assert_golden("nothing.csv", "a\n")
    assert not (tmp_path / "nothing.csv").exists()


def test_number_format() -> None:
    # 6 significant digits, no negative zero, NaN spelled out
    assert _num(8.585388e9) == "8.58539e+09"
    assert _num(81.30133917) == "81.3013"
    assert _num(-0.0) == "0" and _num(-1e-12) == "-1e-12"
    assert _num(float("nan")) == "NaN"
