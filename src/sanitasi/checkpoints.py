"""Named pause points for the kill tests (issue 12 item 7): a test hook, inert unless a test
sets ``SANITASI_TEST_CHECKPOINT``.

``SANITASI_TEST_CHECKPOINT=NAME=PATH``: when the process reaches :func:`checkpoint` ``NAME``,
it writes its process id to ``PATH`` and waits there until it is killed (the test then sends
it ``SIGKILL``, so the kill lands exactly at that point, not after a guessed delay). Unset (as
everywhere but in ``tests/web/test_web_kill.py``), :func:`checkpoint` returns at once.

The points (where a crash would hurt the most):

* ``load:written`` -- ``sanitasi load`` (:func:`sanitasi.web.loader.load_city_folder`): every
  row written, the transaction not yet committed;
* ``load:committed`` -- the same, just after the commit;
* ``upload:written`` -- the baseline workbook upload of the web
  (:func:`sanitasi.web.plans.baseline.baseline_upload`): observations and audit entry written,
  not committed;
* ``files:temps`` -- :func:`sanitasi.io.csvfiles.write_atomically` (``sanitasi import``):
  the new files written beside the old ones, none moved into place yet;
* ``files:replaced`` -- the same, every file moved into place.

Outside the layers (any layer may call it; it imports only the standard library).
"""

from __future__ import annotations

import os
import time

ENV = "SANITASI_TEST_CHECKPOINT"


def checkpoint(name: str) -> None:
    """Pause for good at ``name`` if the test hook asks for it (see the module docstring)."""
    spec = os.environ.get(ENV, "")
    if not spec:
        return
    want, _, path = spec.partition("=")
    if want != name or not path:
        return
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write(str(os.getpid()))
    os.replace(tmp, path)  # the test sees the whole pid or nothing
    while True:  # until SIGKILL
        time.sleep(0.05)
