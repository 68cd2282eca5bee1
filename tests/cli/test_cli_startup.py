"""What ``sanitasi plan`` loads at start-up (issue 10): none of the heavy libraries it does
not use, and pandera without hypothesis (``sanitasi.io.tables.pandera_without_hypothesis``),
with the same validation problems as when hypothesis is loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sanitasi.io import reference
from sanitasi.io.tables import LINE

#: Libraries ``sanitasi plan`` (HTML + XLSX) must not import.
NOT_ON_THE_PLAN_PATH = (
    "altair",
    "django",
    "docx",
    "duckdb",
    "highspy",
    "hypothesis",
    "openpyxl",
    "scipy",
    "vl_convert",
    "weasyprint",
)

_PLAN = """
import json, runpy, sys
heavy = json.loads(sys.argv[2])
sys.argv = ["sanitasi", "plan", "--out", sys.argv[1]]
try:
    runpy.run_module("sanitasi.cli", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps([m for m in heavy if m in sys.modules]))
"""

_VALIDATE = """
import json, sys
import pandas as pd
from sanitasi.io import reference
from sanitasi.io.tables import LINE
df = pd.DataFrame(json.loads(sys.argv[1])).set_index(LINE)
df["rung_order"] = df["rung_order"].astype("Int64")
problems = reference.validate(reference.LadderModel, df, "reference/ladder.csv")
import pandera.strategies.base_strategies as bs
print(json.dumps({"problems": [[p.code, p.row, p.column] for p in problems],
                  "hypothesis": "hypothesis" in sys.modules, "strategies": bs.HAS_HYPOTHESIS}))
"""

_BAD_LADDER = {
    LINE: [2, 3, 4],
    "code": ["S", "S", "X"],
    "rung_order": [1, 9, 2],
    "counts_as_layak": [True, False, True],
    "status": ["official", "guess", "official"],
}


def _env(tmp_path: Path) -> dict[str, str]:
    src = str(Path(reference.__file__).resolve().parents[2])
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "SANITASI_HOME": str(tmp_path / "home"),
    }


@pytest.mark.slow
def test_plan_imports_no_unused_heavy_library(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for _ in range(2):  # the reference cache cold, then warm
        out = subprocess.run(
            [sys.executable, "-c", _PLAN, str(tmp_path / "out"), json.dumps(NOT_ON_THE_PLAN_PATH)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_pandera_without_hypothesis_reports_the_same_problems(tmp_path: Path) -> None:
    df = pd.DataFrame(_BAD_LADDER).set_index(LINE)
    df["rung_order"] = df["rung_order"].astype("Int64")
    here = reference.validate(reference.LadderModel, df, "reference/ladder.csv")
    assert here  # duplicates, unknown code, order out of range, unknown status
    out = subprocess.run(
        [sys.executable, "-c", _VALIDATE, json.dumps(_BAD_LADDER)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
    assert child["hypothesis"] is False and child["strategies"] is False
    assert child["problems"] == [[p.code, p.row, p.column] for p in here]
