"""Page orientation of the print edition's tables (the PDF of a report).

WeasyPrint lays a table out no narrower than its columns' narrowest content: a table with
many number columns is wider than an A4 portrait page and would run off its right edge.
:func:`fit_tables` therefore estimates, before the layout, the narrowest width of every table
of a print page and puts each table on the first of these that holds it:

1. an A4 portrait page (the text width: 210 mm - 2 x 14 mm margins = 182 mm);
2. an A4 landscape page (269 mm), CSS named page ``landscape``;
3. A4 landscape pages, the table split by columns into parts that each fit (every part
   repeats the table's key columns: code, name, year), one under the other
   (:func:`split_columns`).

The estimate adds, per column, the widest of its header's longest word (headers wrap; bold)
and its cells' narrowest widths (a number cell does not wrap, a text cell wraps at spaces
and hyphens), plus the cell padding. Text is measured with the print font's metrics: the
print CSS sets Liberation Sans (metric-compatible with Arial and Helvetica; installed with
Debian's ``fonts-liberation``), whose advance widths are those of Adobe's Helvetica font
metrics (AFM, Core 14 fonts), per 1000 units of the font size; bold text is taken 10 %
wider, a character outside the table 0.6 em. The estimate is kept :data:`SAFETY` wider
than measured; ``tests/reports/test_reports_print.py`` lays the demo PDFs out and checks that
no table is wider than its page.

Every table of a print page also gets its column widths (:func:`column_shares`, percentages
of the text width in ``<col>`` elements): the print CSS lays these tables out with
``table-layout: fixed; width: 100%``, so WeasyPrint sizes the columns from these widths
instead of measuring the minimum and maximum width of every cell (the SSK document's PDF
has ~16,000 cells; that measuring was half its layout time).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanitasi.reports.html import Block, Cell, TableView

PT_PER_MM = 72 / 25.4
#: Text width of an A4 page, portrait and landscape, with 14 mm side margins (pt).
PORTRAIT_PT = (210 - 2 * 14) * PT_PER_MM
LANDSCAPE_PT = (297 - 2 * 14) * PT_PER_MM
#: Type size and horizontal cell padding (left + right) of the print CSS.
FONT_PT = 7.5
PAD_PT = 2 * 4 * 0.75  # padding: 2px 4px (1 CSS px = 0.75 pt)
#: Narrowest number cell of a wide (area x year) table (``min-width: 4.8em``).
WIDE_NUM_EM = 4.8
#: Columns repeated in every part of a table split by columns (the first of them is always
#: repeated), at most :data:`MAX_KEYS` of them.
KEY_COLUMNS: frozenset[str] = frozenset(
    {"", "kode", "code", "activity_code", "nama", "name_id", "name_en", "year", "agency"}
)
MAX_KEYS = 3
#: A table of at most this many rows is not broken across pages.
KEEP_ROWS = 25
#: Margin of the estimate over the metrics (kerning, borders, rounding).
SAFETY = 1.06

#: Advance widths of Helvetica (= Arial = Liberation Sans), 1/1000 em, ASCII 32-126.
_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556,  # 0-9
    278, 278, 584, 584, 584, 556, 1015,  # : ; < = > ? @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,  # A-M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611,  # N-Z
    278, 278, 278, 469, 556, 333,  # [ \ ] ^ _ `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,  # a-m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,  # n-z
    334, 260, 334, 584,  # { | } ~
)  # fmt: skip
_OTHER = 600  # anything else (accented letters, dashes, symbols)
_BREAKS = re.compile(r"[\s\u00a0]+|(?<=-)")  # where a text cell may wrap


def text_em(text: str, *, bold: bool = False) -> float:
    """Width of ``text`` in em (font size units) in the print font."""
    units = sum(_WIDTHS[o - 32] if 32 <= (o := ord(ch)) <= 126 else _OTHER for ch in text)
    return units / 1000 * (1.1 if bold else 1.0)


def _narrowest_em(text: str, *, wraps: bool, bold: bool = False) -> float:
    if not text.strip():
        return 0.0
    if not wraps:
        return text_em(text, bold=bold)
    return max(text_em(w, bold=bold) for w in _BREAKS.split(text) if w)


def column_widths_pt(
    headers: Sequence[Cell], rows: Iterable[tuple[str, Sequence[Cell]]], *, num_min_em: float = 0
) -> list[float]:
    """Estimated narrowest width (pt) of each column of a table in the print CSS: headers
    wrap, number cells do not (``num_min_em``: their CSS ``min-width``), text cells wrap."""
    widths = [_narrowest_em(h.text, wraps=True, bold=True) for h in headers]
    for css, cells in rows:
        for i, c in enumerate(cells):
            em = _narrowest_em(c.text, wraps=not c.num, bold="total" in css)
            if c.num:
                em = max(em, num_min_em)
            if i < len(widths):
                widths[i] = max(widths[i], em)
            else:
                widths.append(em)
    return [(w * FONT_PT + PAD_PT) * SAFETY for w in widths]


def _widest_em(text: str, *, bold: bool = False) -> float:
    """Width (em) of ``text`` on one line (its max-content width)."""
    return text_em(text.strip(), bold=bold)


def _word_em(text: str, *, bold: bool = False) -> float:
    """Width (em) of the longest space-separated word of ``text``: the column widths of
    :func:`column_shares` keep a code such as ``ALD-01`` on one line."""
    return max((text_em(w, bold=bold) for w in text.split()), default=0.0)


def column_shares(
    headers: Sequence[Cell],
    rows: Iterable[tuple[str, Sequence[Cell]]],
    room_pt: float,
    *,
    font_pt: float = FONT_PT,
    pad_pt: float = PAD_PT,
    num_min_em: float = 0,
) -> list[float]:
    """Percentages of the table width for each column of a table laid out with
    ``table-layout: fixed`` and ``width: 100%`` (``room_pt`` wide), so that its columns come
    out about as CSS 2.1's automatic layout would size them without WeasyPrint measuring
    every cell: each column's narrowest width (its longest word or number) and widest (its
    longest cell on one line) from the font metrics; if every column fits on one line, each
    gets its widest plus a share of the spare width in proportion to it; else its narrowest
    plus a share in proportion to how much wider its widest is; if not even the narrowest
    widths fit, number columns (which do not wrap) keep their narrowest and the text
    columns share what is left in proportion to theirs (the print CSS lets a long word
    break: ``overflow-wrap: anywhere``); failing that, all in proportion to the narrowest."""
    lo = [_word_em(h.text, bold=True) for h in headers]
    hi = [_widest_em(h.text, bold=True) for h in headers]
    hard = [0.0] * len(lo)  # the widest number of each column (numbers do not wrap)
    for css, cells in rows:
        bold = "total" in css
        for i, c in enumerate(cells):
            a = _widest_em(c.text, bold=bold) if c.num else _word_em(c.text, bold=bold)
            b = _widest_em(c.text, bold=bold)
            if c.num:
                a = b = max(a, num_min_em)
            if i >= len(lo):
                lo.append(0.0)
                hi.append(0.0)
                hard.append(0.0)
            lo[i], hi[i] = max(lo[i], a), max(hi[i], b)
            if c.num:
                hard[i] = max(hard[i], a)
    if not lo:
        return []
    lo_pt = [(w * font_pt + pad_pt) * SAFETY for w in lo]
    hard_pt = [(w * font_pt + pad_pt) * SAFETY for w in hard]
    hi_pt = [max((w * font_pt + pad_pt) * SAFETY, n) for w, n in zip(hi, lo_pt, strict=True)]
    if sum(hi_pt) <= room_pt:
        widths = [w * room_pt / sum(hi_pt) for w in hi_pt]
    elif sum(lo_pt) <= room_pt:
        spare, give = room_pt - sum(lo_pt), [b - a for a, b in zip(lo_pt, hi_pt, strict=True)]
        widths = [a + spare * g / sum(give) for a, g in zip(lo_pt, give, strict=True)]
    elif sum(hard_pt) < room_pt:
        spare, give = room_pt - sum(hard_pt), [b - a for a, b in zip(hard_pt, lo_pt, strict=True)]
        widths = [a + spare * g / sum(give) for a, g in zip(hard_pt, give, strict=True)]
    else:
        widths = [w * room_pt / sum(lo_pt) for w in lo_pt]
    # rounded down to 0.01 %: together never over the table's width
    return [math.floor(10000 * w / room_pt) / 100 for w in widths]


def table_width_pt(view: TableView) -> float:
    """Estimated narrowest width (pt) of the widest grid of ``view`` (its table or the
    small tables of a wide view)."""
    grids = [(view.headers, view.rows, 0.0)] if view.rows else []
    grids += [(p.headers, p.rows, WIDE_NUM_EM if "wide" in p.css else 0.0) for p in view.parts]
    return max((sum(column_widths_pt(h, r, num_min_em=m)) for h, r, m in grids), default=0.0)


def _keys(view: TableView, widths: Sequence[float]) -> list[int]:
    """Indexes of the key columns repeated in every part: the first column, then the
    following columns named in :data:`KEY_COLUMNS` (at most :data:`MAX_KEYS`, together
    under half the landscape width)."""
    keys = [0]
    for i, name in enumerate(view.columns[1:MAX_KEYS], start=1):
        if name not in KEY_COLUMNS or sum(widths[j] for j in (*keys, i)) > LANDSCAPE_PT / 2:
            break
        keys.append(i)
    return keys


def split_columns(view: TableView, part_title: Callable[[int, int], str]) -> None:
    """Turn ``view`` (a plain table) into parts of the same rows (``view.parts``), each with
    the key columns and as many of the other columns, in order, as fit the landscape text
    width; ``part_title(i, n)`` titles part ``i`` of ``n``."""
    widths = column_widths_pt(view.headers, view.rows)
    keys = _keys(view, widths)
    room = LANDSCAPE_PT - sum(widths[i] for i in keys)
    chunks: list[list[int]] = [[]]
    used = 0.0
    for i in range(len(widths)):
        if i in keys:
            continue
        if chunks[-1] and used + widths[i] > room:
            chunks.append([])
            used = 0.0
        chunks[-1].append(i)
        used += widths[i]
    from sanitasi.reports.html import TablePart  # the view model (imports this module)

    view.parts = [
        TablePart(
            title=part_title(n + 1, len(chunks)),
            anchor=f"{view.anchor}-part-{n + 1}",
            headers=[view.headers[i] for i in (*keys, *chunk)],
            rows=[
                (css, [cells[i] for i in (*keys, *chunk) if i < len(cells)])
                for css, cells in view.rows
            ],
            css="",
        )
        for n, chunk in enumerate(chunks)
    ]
    view.headers, view.rows = [], []


def fit_tables(blocks: Iterable[Block], part_title: Callable[[int, int], str]) -> None:
    """Put every table block of a print page on a page it fits: portrait, landscape, or
    landscape split by columns (:func:`split_columns`); a table of at most
    :data:`KEEP_ROWS` rows is kept on one page (``keep``), a longer one breaks between rows
    (its header repeated on every page). Every grid also gets its column widths
    (:func:`column_shares`): the print CSS lays these tables out with ``table-layout:
    fixed`` rather than have WeasyPrint measure every cell."""
    for block in blocks:
        view = block.table
        if block.kind != "table" or view is None:
            continue
        classes: list[str] = []
        width = table_width_pt(view)
        if width > PORTRAIT_PT:
            classes.append("landscape")
            if width > LANDSCAPE_PT and view.rows and not view.parts:
                split_columns(view, part_title)
        if not view.parts and len(view.rows) <= KEEP_ROWS:
            classes.append("keep")
        view.page = " ".join(classes)
        room = LANDSCAPE_PT if classes and classes[0] == "landscape" else PORTRAIT_PT
        if view.rows:
            view.widths = column_shares(view.headers, view.rows, room)
        for p in view.parts:
            num_min = WIDE_NUM_EM if "wide" in p.css else 0.0
            p.widths = column_shares(p.headers, p.rows, room, num_min_em=num_min)


__all__ = [
    "LANDSCAPE_PT",
    "PORTRAIT_PT",
    "column_shares",
    "column_widths_pt",
    "fit_tables",
    "split_columns",
    "table_width_pt",
    "text_em",
]
