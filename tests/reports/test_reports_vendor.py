"""The vendored Vega builds match the pins in package.json and their recorded checksums."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest

from sanitasi.reports.html import JS_FILES, vendored_versions

STATIC = resources.files("sanitasi.reports") / "static"
PACKAGE_JSON = Path(__file__).resolve().parents[2] / "package.json"


def test_versions_match_package_json() -> None:
    if not PACKAGE_JSON.exists():  # pragma: no cover - installed package without the repo
        pytest.skip("package.json not found")
    pins = json.loads(PACKAGE_JSON.read_text())["dependencies"]
    versions = vendored_versions()
    # package.json also pins htmx.org (vendored by the web app, checked in tests/web)
    assert set(versions) == {"vega", "vega-lite", "vega-embed"} <= set(pins)
    for name, meta in versions.items():
        assert meta["version"] == pins[name], name  # exact pins, no ranges


def test_files_checksums_and_licences() -> None:
    versions = vendored_versions()
    assert sorted(v["file"] for v in versions.values()) == sorted(JS_FILES)
    for name, meta in versions.items():
        data = (STATIC / meta["file"]).read_bytes()
        assert len(data) == meta["bytes"], name
        assert hashlib.sha256(data).hexdigest() == meta["sha256"], name
        licence = (STATIC / f"{name}.LICENSE").read_text(encoding="utf-8")
        assert "Redistribution and use" in licence  # BSD-3-Clause
    third = (STATIC / "THIRD_PARTY_LICENSES.txt").read_text(encoding="utf-8")
    for pkg in ("vega@", "vega-lite@", "vega-embed@", "d3-format@", "vega-tooltip@"):
        assert pkg in third
