"""``sanitasi reminders`` and ``sanitasi summaries`` are registered and pass their options
to the web's management commands (which tests/web/test_web_reminders.py and
test_web_province.py exercise on a database)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from sanitasi.cli import main


def test_commands_are_registered() -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["reminders", "--help"])
    assert out.exit_code == 0 and "--as-of" in out.output and "--no-email" in out.output
    out = runner.invoke(main, ["summaries", "--help"])
    assert out.exit_code == 0 and "--city" in out.output


def test_options_reach_the_management_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    import sanitasi.web.manage as manage

    calls: list[list[str]] = []

    def fake(argv: Any = None) -> None:
        calls.append(list(argv))

    monkeypatch.setattr(manage, "main", fake)
    runner = CliRunner()
    assert runner.invoke(main, ["reminders", "--as-of", "2030-04-05", "--no-email"]).exit_code == 0
    assert runner.invoke(main, ["summaries", "--city", "13.72", "--all"]).exit_code == 0
    assert calls == [
        ["send_reminders", "--as-of", "2030-04-05", "--no-email"],
        ["refresh_summaries", "--city", "13.72", "--all"],
    ]
