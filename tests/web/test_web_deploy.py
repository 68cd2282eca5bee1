"""Issue 12 item 6: the documented production settings make ``check --deploy`` clean, and
every response carries the Content-Security-Policy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from sanitasi.web.csp import DEFAULT_POLICY

#: The production settings of the README and settings.py docstring.
PRODUCTION = {
    "SANITASI_SECRET_KEY": "k" * 20 + "-Q7v@9xZ!m2#pL4$rT6^yU8&wE0*aS3(dF5)gH1_jK",
    "SANITASI_ALLOWED_HOSTS": "sanitasi.example.go.id",
    "SANITASI_SECURE": "1",
    "SANITASI_SSL_REDIRECT": "1",
    "SANITASI_HSTS_SECONDS": "31536000",
    "SANITASI_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SANITASI_HSTS_PRELOAD": "1",
    "SANITASI_CSRF_TRUSTED_ORIGINS": "https://sanitasi.example.go.id",
}


def _check_deploy(tmp_path: Path, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANITASI_")}
    env.update({"SANITASI_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "", **extra})
    env.pop("DJANGO_SETTINGS_MODULE")
    return subprocess.run(
        [sys.executable, "-m", "sanitasi.web.manage", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    done = _check_deploy(tmp_path, PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr
    # without the HTTPS settings it warns (so the check above can fail)
    bare = {k: v for k, v in PRODUCTION.items() if "HSTS" not in k and "SSL" not in k}
    warned = _check_deploy(tmp_path, bare)
    assert "security.W004" in warned.stdout + warned.stderr
    assert "security.W008" in warned.stdout + warned.stderr


def test_every_response_has_the_csp(demo: str) -> None:
    for url in ("/accounts/login/", "/healthz/", f"/cities/{demo}/"):
        got = Client().get(url)
        assert got["Content-Security-Policy"] == DEFAULT_POLICY, url
    assert "script-src 'self';" in DEFAULT_POLICY and "unsafe-eval" not in DEFAULT_POLICY
    assert DEFAULT_POLICY.startswith("default-src 'self'")
