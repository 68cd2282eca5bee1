"""What ``sanitasi plan`` loads at start-up (issue 10): none of the heavy libraries it does
not use. (hypothesis, a development dependency, is not checked: pandera imports it for its
data-synthesis strategies wherever it is installed.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanitasi.io import reference

#: Libraries ``sanitasi plan`` (HTML + XLSX) must not import.
NOT_ON_THE_PLAN_PATH = (
    "altair",
    "django",
    "docx",
    "duckdb",
    "highspy",
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
