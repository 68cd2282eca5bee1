"""The one atomic writer (sanitasi.atomicfiles): a killed write's hidden leftovers are
removed by the next write of the same target once they are stale, never a write in progress
nor another target's file."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sanitasi import atomicfiles
from sanitasi.atomicfiles import STALE_TEMP_SECONDS, sweep_stale, write_file_atomically


def _aged(path: Path, seconds: float) -> Path:
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


def test_single_file_write_is_hidden_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    target.write_text("old")
    target.chmod(0o640)
    write_file_atomically(target, "baru ✓")
    assert target.read_text(encoding="utf-8") == "baru ✓"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.html"]
    nested = write_file_atomically(tmp_path / "a" / "b.xlsx", b"\x00\x01")
    assert nested.read_bytes() == b"\x00\x01"


def test_a_killed_writes_stale_leftovers_go_with_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "observations.csv"
    target.write_text("kode\n")
    stale_tmp = tmp_path / ".observations.csv.k1ll3d.tmp"
    stale_tmp.write_text("half")
    _aged(stale_tmp, STALE_TEMP_SECONDS + 60)
    stale_bak = tmp_path / ".observations.csv.0ld.bak"
    stale_bak.write_text("old")
    _aged(stale_bak, STALE_TEMP_SECONDS + 60)
    recent = tmp_path / ".observations.csv.inpr0g.tmp"  # a write in progress
    recent.write_text("writing")
    other = tmp_path / ".targets.csv.k1ll3d.tmp"  # another target's leftover
    other.write_text("half")
    _aged(other, STALE_TEMP_SECONDS + 60)

    atomicfiles.write_atomically({target: b"kode,n\n"})
    assert target.read_bytes() == b"kode,n\n"
    assert not stale_tmp.exists() and not stale_bak.exists()
    assert recent.exists() and other.exists()


def test_sweep_takes_the_name_literally(tmp_path: Path) -> None:
    """A target whose name holds glob characters sweeps only its own leftovers."""
    target = tmp_path / "a[1]*.csv"
    mine = tmp_path / ".a[1]*.csv.x.tmp"
    mine.write_text("")
    _aged(mine, STALE_TEMP_SECONDS * 2)
    lookalike = tmp_path / ".a1zz.csv.x.tmp"
    lookalike.write_text("")
    _aged(lookalike, STALE_TEMP_SECONDS * 2)
    assert sweep_stale(target) == [mine]
    assert lookalike.exists()
    assert sweep_stale(tmp_path / "missing" / "x.csv") == []
