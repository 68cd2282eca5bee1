"""Fixtures of the CLI tests: a writable copy of the Kota Solok demo city."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanitasi.io.reference import demo_city_dir


@pytest.fixture
def city(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), dest)
    return dest
