"""Atomic file writes: one copy of the rule for every layer (reports, io, the CLI).

* :func:`write_file_atomically` replaces one file: the new content goes to a hidden temporary
  file in the target's folder (``.<name>.<random>.tmp``), flushed to disk, then moved over the
  target with :func:`os.replace`. A reader sees the old file or the new one, never half of it.
* :func:`write_atomically` replaces several files so that either all of them change or none
  does: every new content is first written to a temporary file, a hard link (or copy) of
  every original is kept (``.<name>.<random>.bak``), then each temporary file is moved over
  its target; if a move fails, the files already replaced are restored from their backups.

A process killed between writing a temporary file and moving it (``kill -9``, power loss)
cannot remove it. Every later write into the same folder removes the leftovers of the same
target older than :data:`STALE_TEMP_SECONDS` (a write in progress is never that old), so a
kill leaves at most one hidden file per target until the next write.

Outside the layers (any layer may call it; it imports only the standard library and the
kill-test hook :mod:`sanitasi.checkpoints`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from sanitasi.checkpoints import checkpoint

#: Age (seconds) after which a hidden temporary or backup file of a target is a leftover of
#: a killed write, not a write in progress (an atomic write takes well under a second per
#: file; an hour is far beyond the slowest disk). Operational constant, not a plan parameter.
STALE_TEMP_SECONDS = 3600.0


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _mode_for(target: Path) -> int:
    return target.stat().st_mode & 0o777 if target.exists() else _default_mode()


def _temp_file(folder: Path, name: str, data: bytes, mode: int) -> Path:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _backup(target: Path) -> Path:
    """A second name for the original content of ``target`` (hard link, else a copy)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".bak")
    os.close(fd)
    os.unlink(tmp)
    try:
        os.link(target, tmp)
    except OSError:
        shutil.copy2(target, tmp)
    return Path(tmp)


def sweep_stale(target: Path, *, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove the hidden temporary and backup files of ``target`` (``.<name>.*.tmp``,
    ``.<name>.*.bak`` in its folder) last modified more than ``older_than`` seconds ago;
    return those removed. Files of other targets and recent ones are left alone."""
    removed: list[Path] = []
    folder = target.parent
    if not folder.is_dir():
        return removed
    now = time.time()
    prefix = f".{target.name}."
    for suffix in (".tmp", ".bak"):
        for path in folder.glob(f"{glob_escape(prefix)}*{suffix}"):
            try:
                if path.is_file() and now - path.stat().st_mtime > older_than:
                    path.unlink()
                    removed.append(path)
            except OSError:  # removed meanwhile by another writer
                continue
    return removed


def glob_escape(text: str) -> str:
    """``text`` with the glob metacharacters ``* ? [`` taken literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def write_file_atomically(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` (folders created) through a hidden
    temporary file in the same folder and a rename; return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = _temp_file(target.parent, target.name, raw, _mode_for(target))
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    sweep_stale(target)
    return target


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Replace every file of ``files`` with its new content: all of them, or none.

    All temporary files are written first; a failure while writing them leaves every target
    untouched. A failure while moving them into place restores the targets already replaced
    (and removes those that did not exist before), then re-raises.
    """
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    try:
        for target, data in files.items():
            temps[target] = _temp_file(target.parent, target.name, data, _mode_for(target))
        checkpoint("files:temps")  # kill tests only (sanitasi.checkpoints)
        for target in files:
            if target.exists():
                backups[target] = _backup(target)
        done: list[Path] = []
        try:
            for target in files:
                os.replace(temps[target], target)
                del temps[target]
                done.append(target)
            checkpoint("files:replaced")
        except BaseException:
            for target in reversed(done):
                if target in backups:
                    os.replace(backups.pop(target), target)
                else:
                    target.unlink()
            raise
    finally:
        for leftover in (*temps.values(), *backups.values()):
            with contextlib.suppress(OSError):
                leftover.unlink()
    for target in files:
        sweep_stale(target)


__all__ = [
    "STALE_TEMP_SECONDS",
    "sweep_stale",
    "write_atomically",
    "write_file_atomically",
]
