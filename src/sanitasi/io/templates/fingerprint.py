"""The hidden fingerprint sheet (``sanitasi_versi``) of an exported workbook: the digest of
every row of the file it was made from, so that importing a stale workbook never silently
reverts newer edits (``SAN-E159``; docs/city-data.md, Limits: stale workbooks).

The sheet's layout is shared with the baseline workbook (:mod:`sanitasi.io.baseline_xlsx`):
:func:`write_fingerprint_sheet` and :func:`read_fingerprint_sheet` (a first row ``format``
and the format's id, other head rows, then one row per key and digest) and the words of the
change (:data:`CHANGE_ID`). The rows of a template and their keys: :func:`row_digests`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import xlsxwriter

from sanitasi.formulas import write_text
from sanitasi.io.csvfiles import CsvText
from sanitasi.io.templates.columns import _key, _key_text
from sanitasi.io.templates.folder import _records
from sanitasi.io.templates.sheets import cell_text

#: Hidden sheet of an exported template: the fingerprint of the rows it was made from.
FINGERPRINT_SHEET = "sanitasi_versi"
FINGERPRINT_FORMAT = "sanitasi-template-fingerprint/1"
#: ``SAN-E159``'s change in Indonesian (``change_id``) by its English word (``change``).
CHANGE_ID = {"added": "ditambahkan", "removed": "dihapus", "changed": "diubah"}


def write_fingerprint_sheet(
    wb: xlsxwriter.Workbook, head: Sequence[tuple[str, str]], digests: Mapping[str, str]
) -> None:
    """The hidden sheet :data:`FINGERPRINT_SHEET`: the ``head`` rows (the first
    ``("format", <format id>)``), then one row per key and digest, all text cells."""
    ws = wb.add_worksheet(FINGERPRINT_SHEET)
    for i, (key, value) in enumerate([*head, *digests.items()]):
        write_text(ws, i, 0, key)
        write_text(ws, i, 1, value)
    ws.hide()


def read_fingerprint_sheet(
    rows: Sequence[Sequence[Any]], format_id: str, head: int
) -> dict[str, str] | None:
    """Key -> digest of a fingerprint sheet's ``rows`` after its ``head`` rows; ``None`` when
    the first row does not name ``format_id`` (no fingerprint, or another format)."""
    if not rows or len(rows[0]) < 2 or cell_text(rows[0][1]) != format_id:
        return None
    out: dict[str, str] = {}
    for row in rows[head:]:
        cells = [cell_text(v) for v in row] + ["", ""]
        out[cells[0]] = cells[1]
    return out


def _row_key(kind: str, rec: dict[str, str], position: int) -> str:
    """The identity of a row of the template's file: the activity code (programme), activity,
    year and quarter (realisation), the id (else the position) of a SWOT factor."""
    if kind == "programme":
        return rec.get("code", "").strip()
    if kind == "realisation":
        return _key_text(_key(rec))
    return rec.get("id", "").strip() or f"#{position}"


def _row_digest(rec: dict[str, str]) -> str:
    """A digest of a row's non-blank cells (column order and blank columns do not count)."""
    items = sorted((k, v.strip()) for k, v in rec.items() if k and v.strip())
    text = "\x1e".join(f"{k}\x1f{v}" for k, v in items)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def row_digests(kind: str, records: Iterable[dict[str, str]]) -> dict[str, str]:
    """Row key -> digest of the rows ``records`` (a repeated key: the digest of all of them)."""
    out: dict[str, str] = {}
    for i, rec in enumerate(records, start=1):
        key = _row_key(kind, rec, i)
        digest = _row_digest(rec)
        out[key] = digest if key not in out else _row_digest({"a": out[key], "b": digest})
    return out


def _write_fingerprint(wb: xlsxwriter.Workbook, kind: str, current: CsvText | None) -> None:
    """A hidden sheet with the digest of every row of the file the template was made from
    (docs/city-data.md, Limits: stale workbooks)."""
    head = [("format", FINGERPRINT_FORMAT), ("kind", kind)]
    write_fingerprint_sheet(wb, head, row_digests(kind, _records(current)))


def _read_fingerprint(rows: list[tuple[Any, ...]]) -> dict[str, str] | None:
    """Row key -> digest of an exported template's fingerprint sheet (``None``: none)."""
    return read_fingerprint_sheet(rows, FINGERPRINT_FORMAT, 2)
