"""The vendored HTMX build matches its exact pin in package.json and its checksum; the Vega
builds of the reports are served as static files too."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

VENDOR = Path(__file__).resolve().parents[2] / "src" / "sanitasi" / "web" / "static" / "vendor"
PACKAGE_JSON = Path(__file__).resolve().parents[2] / "package.json"


def test_htmx_pinned_and_checksummed() -> None:
    versions = json.loads((VENDOR / "VERSIONS.json").read_text(encoding="utf-8"))
    meta = versions["htmx.org"]
    data = (VENDOR / meta["file"]).read_bytes()
    assert len(data) == meta["bytes"]
    assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    assert (VENDOR / "htmx.org.LICENSE").is_file()
    if not PACKAGE_JSON.exists():  # pragma: no cover - installed package without the repo
        pytest.skip("package.json not found")
    pins = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))["dependencies"]
    assert pins["htmx.org"] == meta["version"]  # exact pin, no range


def test_static_files_found() -> None:
    for path in (
        "vendor/htmx.min.js",
        "vendor/vega/vega.min.js",
        "vendor/vega/vega-lite.min.js",
        "vendor/vega/vega-embed.min.js",
        "sanitasi/site.css",
    ):
        assert finders.find(path), path
