"""Formula neutralisation of every XLSX and CSV Sanitasi writes (issue 12, OWASP "CSV
injection"; docs/city-data.md, Limits).

One helper for the io layer (templates, baseline workbook, FOD CSV) and the reports (plan,
monitoring and instrument workbooks): it sits outside the layers (like ``sanitasi.bench``),
imports nothing of Sanitasi and works on xlsxwriter/openpyxl objects by duck typing.

A spreadsheet reads a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (or re-reads it as one when the cell is edited). Text that
starts so and is not a plain number (``-5``, ``+1.5`` stay numbers) is *formula-like*:

- XLSX (xlsxwriter): :func:`write_text` writes it with ``write_string`` (a text cell, never a
  formula) and the cell's format with ``quote_prefix`` (Excel and LibreOffice keep it text
  when the cell is edited); the cell's value is unchanged, so an export read back by
  :mod:`sanitasi.io.templates` returns the text as written;
- XLSX (openpyxl): :func:`openpyxl_text` sets ``data_type='s'`` and ``quotePrefix``;
- CSV exports meant for a spreadsheet (e.g. the FOD table): :func:`csv_cell` prefixes a
  ``'`` (OWASP). City-folder CSV files are Sanitasi's data, read back by Sanitasi: they keep
  text as written (a ``'`` would change the data at every round trip).
"""

from __future__ import annotations

import re
from typing import Any

#: First characters that make a spreadsheet read text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_QUOTED = "_sanitasi_quoted_formats"
_STATE_KEYS = frozenset(
    {"xf_format_indices", "dxf_format_indices", "xf_index", "dxf_index", "_format_key"}
)


def is_formula_like(text: object) -> bool:
    """True for text starting with one of :data:`FORMULA_STARTS` that is not a plain number."""
    return (
        isinstance(text, str)
        and text.startswith(FORMULA_STARTS)
        and _NUMBER.fullmatch(text.strip()) is None
    )


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV export opened in a spreadsheet: formula-like text gets a leading
    ``'``; anything else is returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def _quoted_format(ws: Any, fmt: Any) -> Any:
    """A copy of ``fmt`` (an xlsxwriter Format or ``None``) with ``quote_prefix``, made once
    per worksheet and format."""
    cache: dict[int, Any] = ws.__dict__.setdefault(_QUOTED, {})
    key = id(fmt)
    if key not in cache:
        new = ws.workbook_add_format()
        if fmt is not None:
            for name, value in vars(fmt).items():
                if name not in _STATE_KEYS:
                    setattr(new, name, value)
        new.set_quote_prefix(True)
        cache[key] = (fmt, new)  # keep fmt alive: its id stays unique
    return cache[key][1]


def write_text(ws: Any, row: int, col: int, text: str, fmt: Any = None) -> Any:
    """``ws.write_string`` (xlsxwriter), with a ``quote_prefix`` format when ``text`` is
    formula-like: always a text cell, whose value is ``text`` as given."""
    if is_formula_like(text):
        fmt = _quoted_format(ws, fmt)
    if fmt is None:
        return ws.write_string(row, col, text)
    return ws.write_string(row, col, text, fmt)


def openpyxl_text(cell: Any, text: str) -> None:
    """Set an openpyxl ``cell`` to ``text`` as a text cell (``quotePrefix`` when
    formula-like)."""
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True


__all__ = ["FORMULA_STARTS", "csv_cell", "is_formula_like", "openpyxl_text", "write_text"]
