"""Size limits of every file the io layer reads (CSV files, XLSX workbooks) and of the
evidence attachments of realisation rows (:mod:`sanitasi.io.evidence`).

The values are data: ``reference/io_limits.csv`` (name, value, unit, source, status, note),
documented in docs/city-data.md ("Limits"). A file beyond a limit is refused with a problem
naming the file, the line/column and the limit (never an exception, never a partial read).

Python's csv module refuses fields longer than 131,072 characters with ``_csv.Error``; on
import this module raises that limit to :attr:`Limits.csv_max_bytes` (a bounded maximum: a
field can never be longer than its file, which is checked first), so the readers report
over-long fields themselves (``csv_max_field_chars``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Limits:
    """The limits of ``reference/io_limits.csv`` (units in the names)."""

    csv_max_bytes: int
    csv_max_line_chars: int
    csv_max_field_chars: int
    csv_max_columns: int
    xlsx_max_bytes: int
    xlsx_max_uncompressed_bytes: int
    xlsx_max_member_ratio: int
    xlsx_max_rows: int
    xlsx_max_columns: int
    evidence_max_bytes: int
    evidence_max_files: int


@cache
def limits() -> Limits:
    """The limits, read once from ``reference/io_limits.csv`` (a bundled, trusted file)."""
    text = (files("sanitasi.data") / "reference" / "io_limits.csv").read_text(encoding="utf-8")
    values = {row["name"]: int(row["value"]) for row in csv.DictReader(io.StringIO(text))}
    return Limits(**{f.name: values[f.name] for f in fields(Limits)})


def _raise_csv_field_limit() -> None:
    wanted = limits().csv_max_bytes
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


_raise_csv_field_limit()

__all__ = ["Limits", "limits"]
