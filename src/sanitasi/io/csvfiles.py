"""CSV files as written text, and atomic writes of several files at once.

:func:`read_csv_text` keeps what a merge needs to rewrite a city file without disturbing it:
the header as written, every record's cells as written (not stripped), the physical line of
each record, the BOM and the line ending. :func:`csv_bytes` writes records back the way the
demo files are written (minimal quoting) with the original BOM and line ending, so a file
whose records did not change is byte-identical.

:func:`write_atomically` (re-exported from :mod:`sanitasi.atomicfiles`, the one copy of the
rule) replaces several files so that either all of them change or none does.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sanitasi.atomicfiles import write_atomically
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


__all__ = ["CsvText", "csv_bytes", "read_csv_text", "write_atomically"]
