"""Sheet-writing rules every exported XLSX template follows, and the one reading of a cell.

Shared by the programme, realisation and SWOT templates of this package and the baseline
workbook (:mod:`sanitasi.io.baseline_xlsx`): the instructions sheet's name
(:data:`INSTRUCTIONS`) and its writer (:func:`write_instructions`: the first language's text,
then the other's, a title, headings and ``sanitasi`` command lines styled), the cell formats
(:class:`Formats`: a blue header row, grey ``info_`` columns filled by formula and ignored on
import, text columns stored as text), the lookup tables (:func:`write_table`), numbers stored
as numbers (:func:`excel_number`, :func:`write_value`), the empty rows kept for the drop-downs
(:data:`EXTRA_ROWS`), a workbook that never turns text into a number or a formula
(:func:`new_workbook`) and, on import, a cell as the text a CSV file would hold
(:func:`cell_text`). Every text cell goes through :func:`sanitasi.formulas.write_text`
(formula neutralisation).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from sanitasi.formulas import write_text

LANGS: tuple[str, ...] = ("id", "en")
INSTRUCTIONS = "petunjuk"
#: Columns whose name starts with this are filled by the template and ignored on import.
INFO_PREFIX = "info_"
#: Empty rows below the data that keep the drop-downs.
EXTRA_ROWS = 500


def new_workbook(path: Path | str) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook at ``path`` that never turns a string into a number or a
    formula (text cells are written by :func:`sanitasi.formulas.write_text` anyway)."""
    return xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )


class Formats:
    """The cell formats of a template workbook (added to ``wb`` once; a format never used
    is not written)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        header = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"}
        self.header = wb.add_format(header)
        self.info_header = wb.add_format({**header, "bg_color": "#E7E6E6", "italic": True})
        self.text = wb.add_format({"num_format": "@"})
        self.info = wb.add_format({"num_format": "@", "bg_color": "#F2F2F2", "italic": True})
        self.number = wb.add_format({"num_format": "General"})
        self.money = wb.add_format({"num_format": "#,##0"})
        self.whole = wb.add_format({"num_format": "0"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.heading = wb.add_format({"bold": True, "font_size": 12})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.code = wb.add_format({"font_name": "Consolas", "text_wrap": True, "valign": "top"})


def excel_number(value: Any) -> int | float | None:
    """A CSV number (or a number) as an Excel number: whole numbers below 1e15 as int;
    ``None`` if blank, not a number or not finite."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(f):
        return None
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV file would hold (numbers without a trailing ``.0``,
    dates ``YYYY-MM-DD``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def write_table(
    ws: Worksheet, fmt: Formats, col: int, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """A lookup table from column ``col``: the header row, then ``rows`` (numbers as numbers,
    anything else as text)."""
    for j, h in enumerate(header):
        write_text(ws, 0, col + j, h, fmt.header)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if isinstance(v, int | float) and not isinstance(v, bool):
                ws.write_number(i, col + j, v)
            else:
                write_text(ws, i, col + j, str(v), fmt.text)


def write_value(ws: Worksheet, i: int, j: int, text: str, number: bool, col_fmt: Any) -> None:
    """A CSV text in cell ``(i, j)``: nothing when blank, a number when ``number`` and it
    reads as one, else text."""
    if text == "":
        return
    num = excel_number(text) if number else None
    if num is not None:
        ws.write_number(i, j, num, col_fmt)
    else:
        write_text(ws, i, j, text, col_fmt)


def write_instructions(
    ws: Worksheet,
    fmt: Formats,
    text: Mapping[str, Sequence[str]],
    lang: str,
    headings: Collection[str],
) -> None:
    """The instructions sheet: the lines of ``text[lang]``, two empty rows, then those of the
    other language; per language the first line is the title, a line of ``headings`` a
    heading and a line starting ``sanitasi `` a command (code style); empty lines stay
    empty."""
    first, second = ("id", "en") if lang == "id" else ("en", "id")
    ws.set_column(0, 0, 120, fmt.wrap)
    row = 0
    for part in (first, second):
        lines = text[part]
        for i, line in enumerate(lines):
            style = fmt.wrap
            if i == 0:
                style = fmt.title
            elif line in headings:
                style = fmt.heading
            elif line.startswith("sanitasi "):
                style = fmt.code
            if line:
                write_text(ws, row, 0, line, style)
            row += 1
        row += 2


__all__ = [
    "EXTRA_ROWS",
    "INFO_PREFIX",
    "INSTRUCTIONS",
    "LANGS",
    "Formats",
    "cell_text",
    "excel_number",
    "new_workbook",
    "write_instructions",
    "write_table",
    "write_value",
]
