"""Golden-file helper: compare text with a stored file under ``tests/golden/``.

Usage in a test::

    from golden import assert_golden

    def test_summary(result):
        assert_golden("reports/summary_id.txt", render(result))

Regenerate the stored files after an intended change with::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/reports

then review the diff with ``git diff tests/golden``. A missing golden file fails the test
(with the command to create it), so CI never passes on a file it wrote itself.

Text is compared after normalising line endings to ``\\n``, stripping trailing whitespace
on each line and ending with exactly one newline, so editors and terminals that trim
spaces do not cause spurious failures. Use :func:`golden_json` for dicts (stable key
order, two-space indent).

To use it outside ``tests/reports``, import it by path (``tests/reports`` is put on
``sys.path`` by pytest for the tests in it) or move it to ``tests/`` and add
``pytest_plugins``/``conftest`` wiring; it has no dependency on the reports package.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

#: ``tests/golden`` (this file lives in ``tests/reports``).
GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden"

#: Lines of diff shown in a failure message.
MAX_DIFF_LINES = 80


def updating() -> bool:
    """True when ``UPDATE_GOLDEN`` is set to a true value (``1``, ``true``, ``yes``)."""
    return os.environ.get("UPDATE_GOLDEN", "").strip().lower() in ("1", "true", "yes", "on")


def normalise(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def golden_path(name: str) -> Path:
    path = (GOLDEN_DIR / name).resolve()
    if GOLDEN_DIR.resolve() not in path.parents:
        raise ValueError(f"golden file {name!r} must stay under {GOLDEN_DIR}")
    return path


def assert_golden(name: str, text: str) -> None:
    """Assert that ``text`` equals the stored ``tests/golden/<name>``.

    With ``UPDATE_GOLDEN=1`` the file is (re)written instead and the check passes.
    """
    path = golden_path(name)
    actual = normalise(text)
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != actual:
            path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].split("::")[0]
        raise AssertionError(
            f"golden file {path} is missing; review the output and create it with "
            f"UPDATE_GOLDEN=1 .venv/bin/pytest {test}".rstrip()
        )
    expected = normalise(path.read_text(encoding="utf-8"))
    if actual == expected:
        return
    diff = list(
        difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            fromfile=f"golden/{name}",
            tofile="actual",
            lineterm="",
        )
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES])
    more = (
        f"\n... {len(diff) - MAX_DIFF_LINES} more diff lines" if len(diff) > MAX_DIFF_LINES else ""
    )
    raise AssertionError(
        f"output differs from golden file {path} (UPDATE_GOLDEN=1 to accept):\n{shown}{more}"
    )


def golden_json(name: str, data: Any) -> None:
    """:func:`assert_golden` on ``data`` dumped as sorted, indented JSON."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    assert_golden(name, text)
