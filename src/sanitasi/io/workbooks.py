"""Reading XLSX workbooks within bounds (issue 12; limits of ``reference/io_limits.csv``,
docs/city-data.md, Limits).

A workbook is a zip package. Before openpyxl opens it, :func:`package_problems` checks the
file's size (``xlsx_max_bytes``), that it is a zip, and the uncompressed sizes its members
declare: their sum (``xlsx_max_uncompressed_bytes``) and, for a member above 1 MiB, its
compression ratio (``xlsx_max_member_ratio``). Python's zipfile never inflates a member beyond
its declared size (a member that does fails its CRC), so the declared sizes bound the work.

:func:`sheet_rows` reads a read-only worksheet from the rows really present in its XML,
never from the ``<dimension>`` element (which may claim ``A1:XFD1048576`` and make openpyxl
pad every row to 16,384 cells, or claim fewer rows than there are and make openpyxl drop
the rest silently). More than ``xlsx_max_rows`` rows, or a value beyond column
``xlsx_max_columns``, is one ``SAN-E158`` problem and no row is returned: every row of a
workbook is either read or reported.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet._reader import WorkSheetParser

from sanitasi.io.errors import Problem, problem
from sanitasi.io.limits import limits

#: Members smaller than this (uncompressed) are not checked for their compression ratio.
RATIO_FLOOR_BYTES = 1 << 20


def package_problems(path: Path, label: str) -> list[Problem]:
    """Problems of the zip package at ``path`` (size on disk, not a zip, unpacked size)."""
    lim = limits()
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return [problem("SAN-E046", label, reason="file not found")]
    except OSError as exc:
        return [problem("SAN-E046", label, reason=exc.strerror or type(exc).__name__)]
    if not path.is_file():
        return [problem("SAN-E156", label, path=str(path))]
    if size > lim.xlsx_max_bytes:
        return [
            problem("SAN-E150", label, size=size, limit=lim.xlsx_max_bytes, name="xlsx_max_bytes")
        ]
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        reason = f"not a zip package ({str(exc).strip() or type(exc).__name__})"
        return [problem("SAN-E046", label, reason=reason)]
    total = sum(m.file_size for m in members)
    if total > lim.xlsx_max_uncompressed_bytes:
        return [
            problem(
                "SAN-E157",
                label,
                size=total,
                detail=f"{len(members)} members",
                limit=lim.xlsx_max_uncompressed_bytes,
                name="xlsx_max_uncompressed_bytes",
            )
        ]
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > RATIO_FLOOR_BYTES and ratio > lim.xlsx_max_member_ratio:
            return [
                problem(
                    "SAN-E157",
                    label,
                    size=m.file_size,
                    detail=f"{m.filename} compressed {ratio:.0f} times",
                    limit=f"a ratio of {lim.xlsx_max_member_ratio}",
                    name="xlsx_max_member_ratio",
                )
            ]
    return []


def open_workbook(path: Path, label: str) -> tuple[Any | None, list[Problem]]:
    """The workbook at ``path`` opened read-only with cached values (``data_only``), after
    :func:`package_problems`; ``(None, problems)`` when it cannot be opened."""
    found = package_problems(path, label)
    if found:
        return None, found
    try:
        return openpyxl.load_workbook(path, data_only=True, read_only=True), []
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        reason = str(exc).strip() or type(exc).__name__
        return None, [problem("SAN-E046", label, reason=reason)]


def _parsed_rows(ws: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """``(row number, cells)`` of a read-only worksheet, from its XML as written."""
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=ws.parent.data_only,
            epoch=ws.parent.epoch,
            date_formats=ws.parent._date_formats,
            timedelta_formats=ws.parent._timedelta_formats,
        )
        yield from parser.parse()


def sheet_rows(
    ws: Any, label: str, sheet: str
) -> tuple[list[tuple[Any, ...]] | None, list[Problem]]:
    """Every row of worksheet ``ws`` (row 1 first; a missing row is ``()``; each row as long
    as its last cell with a value), or ``(None, [SAN-E158])`` beyond the limits."""
    lim = limits()
    out: list[tuple[Any, ...]] = []
    if not hasattr(ws, "_get_source"):  # not read-only: cells already in memory
        rows: Any = ((i, c) for i, c in enumerate(ws.iter_rows(values_only=True), start=1))
        plain = True
    else:
        rows = _parsed_rows(ws)
        plain = False
    for idx, cells in rows:
        if idx > lim.xlsx_max_rows:
            return None, [
                _beyond(label, sheet, lim.xlsx_max_rows, "rows", "baris", "xlsx_max_rows")
            ]
        if plain:
            values = list(cells)
        else:
            values = []
            for cell in cells:
                col = int(cell["column"])
                if cell["value"] is None:
                    continue
                if col > lim.xlsx_max_columns:
                    return None, [
                        _beyond(
                            label,
                            sheet,
                            lim.xlsx_max_columns,
                            "columns",
                            "kolom",
                            "xlsx_max_columns",
                        )
                    ]
                if col > len(values):
                    values.extend([None] * (col - len(values)))
                values[col - 1] = cell["value"]
        while values and values[-1] is None:
            values.pop()
        if len(values) > lim.xlsx_max_columns:
            return None, [
                _beyond(label, sheet, lim.xlsx_max_columns, "columns", "kolom", "xlsx_max_columns")
            ]
        if idx <= len(out):  # rows are written in order, each once
            reason = f"sheet {sheet}: row {idx} comes after row {len(out)}"
            return None, [problem("SAN-E046", label, idx, reason=reason)]
        out.extend([()] * (idx - 1 - len(out)))
        out.append(tuple(values))
    return out, []


def _beyond(label: str, sheet: str, limit: int, what: str, what_id: str, name: str) -> Problem:
    return problem(
        "SAN-E158", label, sheet=sheet, limit=limit, what=what, what_id=what_id, name=name
    )


__all__ = ["RATIO_FLOOR_BYTES", "open_workbook", "package_problems", "sheet_rows"]
