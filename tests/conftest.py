"""Suite-wide set-up: hypothesis profiles, per-worker folders under pytest-xdist, markers.

``make test`` runs the suite with pytest-xdist (``-n auto``: one worker per core). Each worker
is a separate process with its own ``SANITASI_HOME`` (``tests/web/conftest.py``), ``tmp_path``
and test database (pytest-django suffixes the database name with the worker id: one SQLite
in-memory database or one PostgreSQL database per worker).

Hypothesis profiles: :mod:`hypothesis_profiles` (``HYPOTHESIS_PROFILE`` = ``default``, ``ci``
or ``thorough``; the pytest header says which is in force). Markers (registered in
``pyproject.toml``): ``slow`` (seconds each), ``pdf`` (lays a PDF out with WeasyPrint),
``e2e`` (a real browser), ``pg`` (run again on PostgreSQL: ``tests/web/conftest.py``); ``-m "not slow"`` gives a
quick run, ``make test`` runs everything.
"""

from __future__ import annotations

import os

import pytest

from hypothesis_profiles import PROFILE, PROFILE_SCALE


def pytest_report_header(config: pytest.Config) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return (
        f"hypothesis profile: {PROFILE} (examples x {PROFILE_SCALE[PROFILE]:g}; "
        "HYPOTHESIS_PROFILE=default|ci|thorough)" + (f"; xdist worker {worker}" if worker else "")
    )
