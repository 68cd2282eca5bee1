"""CSV files as written text, and atomic writes of several files at once.

:func:`read_csv_text` keeps what a merge needs to rewrite a city file without disturbing it:
the header as written, every record's cells as written (not stripped), the physical line of
each record, the BOM and the line ending. :func:`csv_bytes` writes records back the way the
demo files are written (minimal quoting) with the original BOM and line ending, so a file
whose records did not change is byte-identical.

:func:`write_atomically` replaces several files so that either all of them change or none
does: every new content is first written to a temporary file in the target's folder (and
flushed to disk), a hard link (or copy) of every original is kept, then each temporary file
is moved over its target with :func:`os.replace`; if a move fails, the files already
replaced are restored from their backups.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sanitasi.checkpoints import checkpoint
from sanitasi.io.errors import Problem
from sanitasi.io.tables import not_a_file, parse_csv, read_bytes, record_lines

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class CsvText:
    """A CSV file as written: ``header`` and ``rows`` (padded to the header's width), the
    physical start line of each row, whether it had a BOM and its line ending."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    bom: bool = False
    newline: str = "\n"

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names as the loaders see them: stripped and lower-cased."""
        return tuple(h.strip().lower() for h in self.header)


def read_csv_text(path: Path, file: str) -> tuple[CsvText | None, list[Problem]]:
    """Read ``path`` as written; ``(None, [])`` when it does not exist, ``(None, problems)``
    when it cannot be read (a folder in its place: ``SAN-E156``; the problems of
    :func:`~sanitasi.io.tables.parse_csv`)."""
    if not path.is_file():
        return None, not_a_file(path, file)
    data, problems = read_bytes(path, file)
    if data is None:
        return None, problems
    df, problems = parse_csv(data, file)
    if df is None:
        return None, problems
    text = data.decode("utf-8-sig")
    records = [
        r for r in csv.reader(io.StringIO(text, newline="")) if r and any(c.strip() for c in r)
    ]
    if not records:
        return CsvText((), (), ()), []
    header = tuple(records[0])
    width = len(header)
    rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in records[1:])
    lines = tuple(record_lines(text)[1:])
    if len(lines) != len(rows):
        lines = tuple(range(2, len(rows) + 2))
    newline = "\r\n" if b"\r\n" in data else "\n"
    return CsvText(header, rows, lines, data.startswith(BOM), newline), []


def csv_bytes(
    header: tuple[str, ...] | list[str],
    rows: list[list[str]] | tuple[tuple[str, ...], ...],
    *,
    bom: bool = False,
    newline: str = "\n",
) -> bytes:
    """Records as UTF-8 CSV (minimal quoting), optionally with a BOM."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    return BOM + data if bom else data


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


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
            mode = target.stat().st_mode & 0o777 if target.exists() else _default_mode()
            temps[target] = _temp_file(target.parent, target.name, data, mode)
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


__all__ = ["CsvText", "csv_bytes", "read_csv_text", "write_atomically"]
