"""Process-level runtime settings for the command-line entry points (not used by ``core``).

:func:`tune_allocator` keeps freed large numpy buffers in the C heap instead of returning
them to the operating system after every array (glibc ``mallopt``): the engine allocates
and frees many arrays of areas x years, and on the national run page faults otherwise cost
about a quarter of the time. It changes no result. A no-op where glibc is absent.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
_DONE = False


def tune_allocator() -> bool:
    """Raise glibc's mmap and trim thresholds (32 MiB / 1 GiB); True when applied."""
    global _DONE
    if _DONE:
        return True
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = bool(mallopt(M_MMAP_THRESHOLD, 32 << 20)) and bool(mallopt(M_TRIM_THRESHOLD, 1 << 30))
    mallopt(M_TOP_PAD, 64 << 20)
    _DONE = ok
    return ok
