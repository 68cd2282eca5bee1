"""kill -9 (issue 12 item 7): ``sanitasi load``, the web's baseline upload and ``sanitasi
import`` run in a child process that is killed with SIGKILL at a checkpoint
(:mod:`sanitasi.checkpoints`: the process writes its pid and waits there, so the kill lands
inside the open transaction or between the file writes, not after a guessed delay). Afterwards
the database (a throwaway SQLite file, or under ``scripts/pg_test.sh`` a new PostgreSQL
database) holds the old state or the new one entirely, and the plan computes from it; the city
folder has the old file or the new one, and validates."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sanitasi import checkpoints, stress

pytestmark = [pytest.mark.slow, pytest.mark.pg]

DEMO_DIR = Path(stress.__file__).parent / "data" / "kota_solok"
#: The demo's rows (src/sanitasi/data/kota_solok): 17 regions, 235 observations, 16
#: activities, 108 realisation rows.
DEMO_ROWS = {
    "geography.region": 17,
    "plans.observation": 235,
    "programme.activity": 16,
    "monitoring.realisation": 108,
}


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def run(env: dict[str, str], argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=False)


def killed_at(env: dict[str, str], point: str, argv: list[str], tmp: Path) -> None:
    """Run ``argv`` until it reaches checkpoint ``point``, then SIGKILL it."""
    marker = tmp / f"reached-{point.replace(':', '-')}"
    marker.unlink(missing_ok=True)
    log = (tmp / "killed.log").open("wb")
    proc = subprocess.Popen(
        argv, env={**env, checkpoints.ENV: f"{point}={marker}"}, stdout=log, stderr=log
    )
    try:
        while not marker.exists():
            if proc.poll() is not None:
                log.close()
                text = (tmp / "killed.log").read_text(errors="replace")
                pytest.fail(f"{argv} ended ({proc.returncode}) before {point}:\n{text}")
            time.sleep(0.05)
        assert int(marker.read_text()) == proc.pid
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def counts(state: dict[str, Any]) -> dict[str, int]:
    return {name: n for name, (n, _digest) in state["tables"].items()}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with stress.database(tmp_path / "home", os.environ.get("DATABASE_URL")) as e:
        yield e


def test_kill_during_load_and_upload(env: dict[str, str], tmp_path: Path) -> None:
    manage = python("-m", "sanitasi.web.manage")
    assert run(env, [*manage, "migrate"]).returncode == 0
    empty = stress.child(env, "state")
    assert set(counts(empty).values()) == {0} and empty["users"] == 0

    load = python("-m", "sanitasi.cli", "load", "--demo")
    # killed with every row written, before the commit: nothing of the city, no demo account
    killed_at(env, "load:written", load, tmp_path)
    assert stress.child(env, "state") == empty

    # killed just after the commit: the whole city
    killed_at(env, "load:committed", load, tmp_path)
    loaded = stress.child(env, "state")
    assert loaded["integrity"] == "ok"
    assert {k: counts(loaded)[k] for k in DEMO_ROWS} == DEMO_ROWS
    again = run(env, [*load, "--skip-existing"])
    assert again.returncode == 0 and "already loaded" in again.stdout
    assert stress.child(env, "state") == loaded

    # a replace killed before its commit: the old rows (same ids), not a mix
    replace = [*load, "--replace", "--force"]
    killed_at(env, "load:written", replace, tmp_path)
    assert stress.child(env, "state") == loaded

    # the web's baseline upload killed inside its transaction: the old observations
    upload = python("-m", "sanitasi.stress", "upload")
    killed_at(env, "upload:written", upload, tmp_path)
    assert stress.child(env, "state") == loaded

    # the same upload to its end: the new state (two observations changed, nothing else)
    assert stress.child(env, "upload") == {"status": 200}
    uploaded = stress.child(env, "state")
    assert uploaded["observations"] != loaded["observations"]
    assert uploaded["tables"] == loaded["tables"]

    # the plan computes from the database after all this: Tanah Garam's 350 households
    # moved to aman count in the city's 2024 baseline (1637 + 350 of 20087 households)
    figures = stress.child(env, "figures")
    assert figures["pct_aman 2024 baseline_pct"] == pytest.approx((1637 + 350) / 20087 * 100)


def folder_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_kill_during_import(tmp_path: Path) -> None:
    city = tmp_path / "city"
    shutil.copytree(DEMO_DIR, city)
    env = {k: v for k, v in os.environ.items() if k != checkpoints.ENV}
    cli = python("-m", "sanitasi.cli")
    book = tmp_path / "realisasi.xlsx"
    done = run(
        env, [*cli, "export-template", "realisation", "--city-dir", str(city), "--out", str(book)]
    )
    assert done.returncode == 0, done.stdout + done.stderr
    wb = openpyxl.load_workbook(book)
    ws = wb["realisasi"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("status_note") + 1).value = "changed by the kill test"
    wb.save(book)
    before = folder_files(city)
    argv = [*cli, "import", str(book), "--city-dir", str(city)]

    # the new realisation.csv written beside the old one, not moved in: the old folder
    killed_at(env, "files:temps", argv, tmp_path)
    visible = {k: v for k, v in folder_files(city).items() if not k.startswith(".")}
    assert visible == before
    check = run(env, [*argv, "--check"])
    assert check.returncode == 0, check.stdout + check.stderr

    # killed once the file is in place: the whole new file
    killed_at(env, "files:replaced", argv, tmp_path)
    after = {k: v for k, v in folder_files(city).items() if not k.startswith(".")}
    assert set(after) == set(before)
    assert [k for k in after if after[k] != before[k]] == ["realisation.csv"]
    assert "changed by the kill test" in after["realisation.csv"].decode("utf-8-sig")
    # importing the same workbook again changes nothing: the kill left a complete file
    again = run(env, argv)
    assert again.returncode == 0, again.stdout + again.stderr
    assert {k: v for k, v in folder_files(city).items() if not k.startswith(".")} == after
    plan = run(env, [*cli, "monitor", "--year", "2026", "--quarter", "3", "--city-dir", str(city)])
    assert plan.returncode == 0, plan.stdout + plan.stderr
