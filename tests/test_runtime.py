"""Process-level runtime settings (``sanitasi.runtime``)."""

from __future__ import annotations

import gc
import subprocess
import sys


def test_freeze_imports_once_per_process() -> None:
    """The first call of a stage freezes the objects alive (``gc.freeze``), later calls of
    it do nothing; run in a child process so the test process is not frozen."""
    code = (
        "import gc\n"
        "from sanitasi.runtime import freeze_imports\n"
        "assert gc.get_freeze_count() == 0\n"
        "assert freeze_imports('cli') is True\n"
        "n = gc.get_freeze_count()\n"
        "assert n > 0\n"
        "junk = [[] for _ in range(1000)]\n"
        "assert freeze_imports('cli') is False\n"
        "assert gc.get_freeze_count() == n\n"
        "assert freeze_imports('plan') is True\n"
        "assert gc.get_freeze_count() >= n + 1000\n"
        "assert freeze_imports('plan') is False\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert gc.isenabled()
