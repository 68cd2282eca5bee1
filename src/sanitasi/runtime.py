"""Process-level runtime settings for the command-line entry points (not used by ``core``).

:func:`tune_allocator` keeps freed large numpy buffers in the C heap instead of returning
them to the operating system after every array (glibc ``mallopt``): the engine allocates
and frees many arrays of areas x years, and on the national run page faults otherwise cost
about a quarter of the time. It changes no result. A no-op where glibc is absent.

:func:`freeze_imports` moves the objects alive at that point (the modules, classes and
functions of the imports, over 100,000) out of the cyclic garbage collector's generations,
so its full collections during a command (and the one at exit) no longer walk them again;
they live as long as the process anyway. Once per process and stage (the CLI group's
imports, then a command's): in a process that runs several commands (the tests' CLI
runner) only the first run of each stage freezes, so garbage of later work is never
frozen. It changes no result either.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
_DONE = False
_FROZEN: set[str] = set()


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


def freeze_imports(stage: str = "command") -> bool:
    """``gc.freeze()`` once per process and ``stage`` (call it after a stage's imports: the
    CLI group's, a command's): the objects alive now are never scanned by the cyclic
    collector again; what is created afterwards is collected as before. True when this
    call froze."""
    if stage in _FROZEN:
        return False
    gc.freeze()
    _FROZEN.add(stage)
    return True
