"""XLSX workbook of a :class:`PlanResult`: a README sheet, then one sheet per result table.

Every table sheet has its title, its provenance line, then TWO header rows (Indonesian
labels, then English labels, each with the unit), then the data: real numbers (never text),
percentages as 0-100 numbers with format ``0.0``, money with ``#,##0``, households and
facilities stored unrounded and shown with ``#,##0``. Header rows are frozen and the English
header row carries the autofilter. Codes (indicator, funding source, need ...) are kept as
codes; the README sheet has their Indonesian and English labels. Every year is written
(the HTML report shows only the base year and the plan period of large tables).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from sanitasi.core.model import STATUSES, Column, PlanResult, Table
from sanitasi.formulas import write_text
from sanitasi.messages import render as render_warning
from sanitasi.reports.common import (
    OVERRIDE_COLUMNS,
    city_kode,
    city_name,
    column_meta,
    input_notice,
    overrides_frame,
    precise_number,
    provenance_line,
    unit_in_label,
    years,
)
from sanitasi.reports.fmt import as_float, fmt_date, is_missing, norm_lang
from sanitasi.reports.i18n import (
    CODE_COLUMNS,
    FUNDING_SOURCE_LABELS,
    INDICATOR_LABELS,
    NEED_LABELS,
    SECTOR_LABELS,
    code_label,
    plain_text,
    t,
    target_set_label,
    unit_label,
)

#: First row of the data (0-based): title, provenance, header id, header en.
TITLE_ROW, PROV_ROW, HEAD_ID_ROW, HEAD_EN_ROW, DATA_ROW = 0, 1, 2, 3, 4

#: Excel number formats per column kind.
NUM_FORMATS: dict[str, str] = {
    "pct": "0.0",
    "idr": "#,##0",
    "count": "#,##0",
    "int": "#,##0",
    "float": "#,##0.0##",
    "year": "0",
}

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique (case-insensitive) sheet name of at most 31 characters."""
    base = _INVALID_SHEET_CHARS.sub("_", str(name)).strip("'") or "sheet"
    base = base[:31]
    cand, i = base, 2
    while cand.lower() in used:
        suffix = f"~{i}"
        cand = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(cand.lower())
    return cand


def _label_with_unit(meta: Column, lang: str) -> str:
    label = meta.label_en if lang == "en" else meta.label_id
    if meta.unit and not unit_in_label(meta.unit, label):
        return f"{label} ({unit_label(meta.unit, lang)})"
    return label


def _cell_value(value: Any) -> tuple[str, Any]:
    """(``blank``|``number``|``bool``|``date``|``text``, value) for xlsxwriter; a list or
    tuple (agencies, quarters) becomes text joined by ``, `` with its codes kept."""
    if isinstance(value, tuple | list):
        parts = [str(v) for v in value if not is_missing(v)]
        return ("text", ", ".join(parts)) if parts else ("blank", None)
    if is_missing(value):
        return "blank", None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "bool", bool(value)
    if isinstance(value, pd.Timestamp | _dt.datetime | _dt.date):
        return "date", pd.Timestamp(value).to_pydatetime()
    if isinstance(value, str):
        return "text", value
    f = as_float(value)
    if f is not None:
        return "number", f
    return "text", str(value)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.prov = wb.add_format({"italic": True, "font_color": "#5B6670"})
        self.prov_warn = wb.add_format({"italic": True, "font_color": "#8A6100"})
        head = {
            "bold": True,
            "bg_color": "#E8EEF3",
            "border": 1,
            "text_wrap": True,
            "valign": "top",
        }
        self.head_id = wb.add_format(head)
        self.head_en = wb.add_format({**head, "italic": True, "bg_color": "#F4F6F8"})
        self.text = wb.add_format({"valign": "top"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.bold = wb.add_format({"bold": True})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.notice = wb.add_format({"bold": True, "font_color": "#8A6100", "text_wrap": True})
        self._num: dict[str, Format] = {}

    def num(self, kind: str) -> Format:
        fmt = NUM_FORMATS.get(kind, NUM_FORMATS["float"])
        if fmt not in self._num:
            self._num[fmt] = self.wb.add_format({"num_format": fmt})
        return self._num[fmt]


def _display_len(value: Any, kind: str) -> int:
    if is_missing(value):
        return 0
    f = as_float(value)
    if f is None or isinstance(value, str):
        return min(len(str(value)), 60)
    return _number_len(f, kind)


def _number_len(f: float, kind: str) -> int:
    """Display length of a finite number in a column of ``kind``."""
    if kind == "pct":
        return len(f"{f:.1f}")
    if kind == "year":
        return 4
    if kind in ("idr", "count", "int"):
        return len(f"{f:,.0f}")
    return len(f"{f:,.1f}")


def _numeric(col: pd.Series) -> bool:
    """A plain numpy float or integer column (not bool, not an extension type)."""
    return isinstance(col.dtype, np.dtype) and col.dtype.kind in "fi"


def _write_numbers(
    ws: Worksheet, j: int, values: list[Any], kind: str, numf: Format
) -> tuple[list[tuple[int, Any]], int]:
    """Write the finite numbers of a numeric column (missing cells stay blank); return the
    cells left for the general path (infinities, written as text there) and the longest
    display length of the first 2,000 cells. Same cells and formats as the general path;
    the cells are classified with numpy, then only the finite ones visited."""
    fmt = numf if kind != "text" else None
    arr = np.asarray(values, dtype=float)
    finite = np.isfinite(arr)
    rest = [(i, values[i]) for i in np.flatnonzero(~finite & ~np.isnan(arr)).tolist()]
    at = np.flatnonzero(finite)
    numbers = arr[at].tolist()
    write = ws.write_number
    for row, f in zip((at + DATA_ROW).tolist(), numbers, strict=True):
        write(row, j, f, fmt)
    head = numbers[: int(np.searchsorted(at, 2000))]  # the cells before row 2,000
    longest = max((_number_len(f, kind) for f in head), default=0)
    return rest, longest


_WHOLE_CODE = re.compile(r"^[A-Za-z0-9_:;.@>\-]+$")


def _is_raw(value: str) -> bool:
    """A code no reader takes for a word: snake_case, an ``x->y`` move or capitals
    (``APBD_KOTA``, ``pct_aman``, ``SWASTA``)."""
    return "_" in value or "->" in value or (value.isupper() and len(value) > 4)


def with_words(
    df: pd.DataFrame, metas: Mapping[str, Column], lang: str
) -> tuple[pd.DataFrame, dict[str, Column]]:
    """``df`` with no raw code left alone in a cell: a column of codes (indicator, funding
    source, need, band, rung, target set, effect ...) keeps its codes as keys and gains a
    column right after it with their words in ``lang`` (``Sumber dana (uraian)``); free text
    that names codes (a warning's message) gets the words in place
    (:func:`~sanitasi.reports.i18n.plain_text`)."""
    out: dict[str, Any] = {}
    new_metas: dict[str, Column] = {}
    changed = False
    for c in df.columns:
        name = str(c)
        meta = metas[name]
        values = df[c].tolist()
        out[name], new_metas[name] = values, meta
        if meta.kind != "text" or not any(isinstance(v, str) for v in values):
            continue
        seen: dict[str, str] = {}
        for v in values:
            if isinstance(v, str) and v not in seen:
                label = code_label(name, v, lang)
                seen[v] = label if label != v else plain_text(v, lang)
        words = [seen[v] if isinstance(v, str) else v for v in values]
        moved = [(v, w) for v, w in zip(values, words, strict=True) if w != v]
        if not moved:
            continue
        changed = True
        if not any(_is_raw(str(v)) for v, _ in moved):
            continue  # plain words (``kelurahan`` -> ``Kelurahan``): no column of words
        if all(_WHOLE_CODE.match(str(v)) for v, _ in moved):
            key = f"{name}\u2009(words)"
            out[key] = words
            new_metas[key] = Column(
                t("col_in_words", "id", label=meta.label_id),
                t("col_in_words", "en", label=meta.label_en),
                "",
                "text",
            )
        else:
            out[name] = words
    if not changed:
        return df, dict(metas)
    return pd.DataFrame(out, index=df.index), new_metas


def write_table(
    ws: Worksheet,
    table: Table,
    fm: _Formats,
    lang: str,
    *,
    columns: Mapping[str, Column] | None = None,
) -> int:
    """Write ``table`` on ``ws`` (title, provenance, two header rows, data); return rows."""
    df = table.df if isinstance(table.df, pd.DataFrame) else pd.DataFrame()
    cols = [str(c) for c in df.columns]
    metas = {c: (columns[c] if columns and c in columns else column_meta(table, c)) for c in cols}
    df, metas = with_words(df, metas, lang)
    cols = [str(c) for c in df.columns]
    write_text(ws, TITLE_ROW, 0, f"{table.title('id')} / {table.title('en')}", fm.title)
    prov = (
        f"{provenance_line(table.provenance, 'id')}  |  {provenance_line(table.provenance, 'en')}"
    )
    unofficial = any(table.provenance.get(s, 0) for s in ("illustrative", "unverified"))
    write_text(ws, PROV_ROW, 0, prov, fm.prov_warn if unofficial else fm.prov)
    widths = []
    for j, c in enumerate(cols):
        meta = metas[c]
        lid, len_ = _label_with_unit(meta, "id"), _label_with_unit(meta, "en")
        write_text(ws, HEAD_ID_ROW, j, lid, fm.head_id)
        write_text(ws, HEAD_EN_ROW, j, len_, fm.head_en)
        widths.append(max(len(lid), len(len_)) * 0.8 + 2)
    n = len(df)
    for j, c in enumerate(cols):
        kind = metas[c].kind
        numf = fm.num(kind)
        longest = 0
        values = df[c].tolist()
        pending = list(enumerate(values))
        if _numeric(df[c]):  # plain floats/ints: no per-cell type sniffing
            pending, longest = _write_numbers(ws, j, values, kind, numf)
        for i, v in pending:
            row = DATA_ROW + i
            if type(v) is str:  # the common cell: text (or a blank, left empty)
                if v.strip():
                    num = precise_number(c, v)
                    if num is None:
                        write_text(ws, row, j, v)
                    elif kind != "text":
                        ws.write_number(row, j, num, numf)
                    else:
                        ws.write_number(row, j, num)
                    if i < 2000:
                        longest = max(longest, min(len(v), 60))
                continue
            typ, val = _cell_value(v)
            if typ == "text" and (num := precise_number(c, v)) is not None:
                typ, val = "number", num  # parameter values the engine kept as text
            if typ == "number" and kind != "text":
                ws.write_number(row, j, val, numf)
            elif typ == "number":
                ws.write_number(row, j, val)
            elif typ == "bool":
                ws.write_boolean(row, j, val)
            elif typ == "date":
                ws.write_datetime(row, j, val, fm.date)
            elif typ == "text":
                write_text(ws, row, j, val)
            if i < 2000:
                longest = max(longest, _display_len(v, kind))
        widths[j] = min(max(widths[j], longest + 2, 8), 60)
        ws.set_column(j, j, widths[j])
    ws.freeze_panes(DATA_ROW, 0)
    if cols:
        ws.autofilter(HEAD_EN_ROW, 0, HEAD_EN_ROW + max(n, 1), len(cols) - 1)
    return n


def _readme(
    ws: Worksheet,
    result: PlanResult,
    fm: _Formats,
    lang: str,
    sheets: list[tuple[str, Table]],
    generated: _dt.date | _dt.datetime | None,
) -> None:
    y = years(result)
    kode = city_kode(result)
    city = city_name(result, kode)
    row = 0

    def line(*cells: Any, fmt: Format | None = None) -> None:
        nonlocal row
        for j, v in enumerate(cells):
            typ, val = _cell_value(v)
            if typ == "number":
                ws.write_number(row, j, val, fm.num("year") if 1900 < val < 2200 else None)
            elif typ != "blank":
                write_text(ws, row, j, str(val), fmt if j == 0 and fmt is not None else fm.text)
        row += 1

    write_text(ws, row, 0, f"{t('report_title', lang)} \u2014 {city}", fm.title)
    row += 1
    line(t("report_subtitle", lang))
    row += 1
    line(t("city", lang), f"{city} ({kode})" if kode and kode != city else city, fmt=fm.bold)
    line(t("base_year", lang), y.base, fmt=fm.bold)
    line(t("plan_period", lang), f"{y.start}\u2013{y.end}", fmt=fm.bold)
    line(t("horizon", lang), y.horizon, fmt=fm.bold)
    sets = ", ".join(target_set_label(s, lang) for s in result.target_sets) or t("none", lang)
    line(t("target_sets", lang), sets, fmt=fm.bold)
    line(t("generated", lang), fmt_date(generated or _dt.date.today(), lang), fmt=fm.bold)
    notice = input_notice(result)
    if notice.any:
        row += 1
        write_text(ws, row, 0, t("notice_title", lang), fm.notice)
        row += 1
        body = t(
            "notice_body",
            lang,
            illustrative=notice.illustrative,
            unverified=notice.unverified,
        )
        ws.merge_range(row, 0, row, 4, body, fm.notice)
        ws.set_row(row, 60)
        row += 1
    row += 1
    row = write_contents(ws, row, sheets, fm, lang)
    row += 1
    write_text(ws, row, 0, t("provenance_legend", lang), fm.title)
    row += 1
    for s in STATUSES:
        write_text(ws, row, 0, f"{t('status_' + s, 'id')} / {t('status_' + s, 'en')}", fm.bold)
        write_text(ws, row, 1, t(f"status_{s}_def", lang))
        row += 1
    row += 1
    write_text(ws, row, 0, t("overrides", lang), fm.title)
    row += 1
    ov = overrides_frame(result)
    if len(ov):
        for j, c in enumerate(ov.columns):
            meta = OVERRIDE_COLUMNS.get(str(c), Column(str(c), str(c), kind="text"))
            write_text(ws, row, j, meta.label_en if lang == "en" else meta.label_id, fm.head_id)
        row += 1
        for rec in ov.itertuples(index=False, name=None):
            for j, v in enumerate(rec):
                typ, val = _cell_value(v)
                if typ == "number":
                    ws.write_number(row, j, val)
                elif typ != "blank":
                    write_text(ws, row, j, str(val))
            row += 1
    else:
        line(t("no_overrides", lang))
    if result.warnings:
        row += 1
        write_text(ws, row, 0, t("warnings", lang), fm.title)
        row += 1
        for j, key in enumerate(("col_code", "col_message", "col_place", "col_year")):
            write_text(ws, row, j, t(key, lang), fm.head_id)
        row += 1
        for w in result.warnings:
            line(w.code, plain_text(render_warning(w, lang), lang), w.kode, w.year)
    row += 1
    write_text(ws, row, 0, t("col_code", lang) + " \u2014 " + t("col_label_id", lang), fm.title)
    row += 1
    for j, key in enumerate(("col_code", "col_label_id", "col_label_en")):
        write_text(ws, row, j, t(key, lang), fm.head_id)
    row += 1
    legends = (INDICATOR_LABELS, FUNDING_SOURCE_LABELS, SECTOR_LABELS, NEED_LABELS)
    for cat in legends:
        for code, (lid, len_) in cat.items():
            line(code, lid, len_)
    for col in ("tingkat", "scenario", "data", "cost_kind", "target_set"):
        for code, (lid, len_) in CODE_COLUMNS[col].items():
            line(code, lid, len_)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 30)
    ws.set_column(3, 5, 40)


class ReadmeSheet:
    """The README sheet of a workbook written row by row (the instrument and monitoring
    workbooks): a title, labelled lines, the table of contents and the code legend. One
    writer, so every README lays its parts out the same way."""

    def __init__(self, ws: Worksheet, fm: _Formats, lang: str) -> None:
        self.ws, self.fm, self.lang, self.row = ws, fm, lang, 0

    def title(self, text: str, fmt: Any = None) -> None:
        write_text(self.ws, self.row, 0, text, fmt or self.fm.title)
        self.row += 1

    def line(self, *cells: Any, bold: bool = False) -> None:
        """One row of cells (numbers as numbers; the first cell bold when ``bold``)."""
        for j, v in enumerate(cells):
            typ, val = _cell_value(v)
            if typ == "number":
                self.ws.write_number(self.row, j, val)
            elif typ != "blank":
                fmt = self.fm.bold if bold and j == 0 else self.fm.text
                write_text(self.ws, self.row, j, str(val), fmt)
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def contents(self, sheets: Sequence[tuple[str, Table]]) -> None:
        self.row = write_contents(self.ws, self.row, sheets, self.fm, self.lang)

    def legend(self, legends: Iterable[Mapping[Any, tuple[str, str]]]) -> None:
        """The code legend: per code its Indonesian and English label."""
        lang = self.lang
        self.title(t("col_code", lang) + " \u2014 " + t("col_label_id", lang))
        for j, key in enumerate(("col_code", "col_label_id", "col_label_en")):
            write_text(self.ws, self.row, j, t(key, lang), self.fm.head_id)
        self.row += 1
        for cat in legends:
            for code, (lid, len_) in cat.items():
                self.line(str(code), lid, len_)


def write_contents(
    ws: Worksheet, row: int, sheets: Sequence[tuple[str, Table]], fm: _Formats, lang: str
) -> int:
    """The README's table of contents from ``row``: per sheet a link, the Indonesian and
    English titles, the row count and the provenance line. Returns the next free row."""
    write_text(ws, row, 0, t("contents", lang), fm.title)
    row += 1
    for j, key in enumerate(("col_sheet", "col_title", "col_rows", "col_provenance")):
        write_text(ws, row, j, t(key, lang), fm.head_id)
    row += 1
    for name, table in sheets:
        ws.write_url(row, 0, f"internal:'{name}'!A1", string=name)
        write_text(ws, row, 1, f"{table.title('id')} / {table.title('en')}")
        ws.write_number(row, 2, len(table.df) if isinstance(table.df, pd.DataFrame) else 0)
        write_text(ws, row, 3, provenance_line(table.provenance, lang))
        row += 1
    return row


def write_sheets(
    wb: Workbook,
    sheets: Sequence[tuple[str, Table]],
    fm: _Formats,
    lang: str,
    colour: Callable[[Worksheet, pd.DataFrame], None] | None = None,
) -> None:
    """One worksheet per (sheet name, table), written by :func:`write_table`; ``colour``
    then marks cells of a table's frame (risk classes, performance bands)."""
    for name, table in sheets:
        ws = wb.add_worksheet(name)
        write_table(ws, table, fm, lang)
        if colour is not None and isinstance(table.df, pd.DataFrame):
            colour(ws, table.df)


@contextmanager
def report_workbook(path: str | Path, title: str, subject: str) -> Iterator[Workbook]:
    """An xlsxwriter workbook for a report at ``path``, with its document properties; written
    to a temporary name and renamed when the block ends, so a failure never leaves half a
    workbook (the temporary file is left beside it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True, "in_memory": True})
    try:
        wb.set_properties({"title": title, "subject": subject, "comments": "sanitasi"})
        yield wb
    finally:
        wb.close()
    tmp.replace(path)


def plan_sheet_names(tables: Mapping[str, Table]) -> dict[str, str]:
    """Table name -> its sheet in the plan workbook (:func:`write_xlsx`; after ``README``, in
    table order): the print edition names the sheets of the tables it leaves out."""
    used = {"readme"}
    return {name: sheet_name(name, used) for name in tables}


def write_xlsx(
    result: PlanResult,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the workbook of ``result`` to ``path``: README, then one sheet per table (all
    years), plus a ``warnings`` sheet when there are warnings.

    Written to a temporary name and renamed, so a failure never leaves half a workbook.
    """
    lang = norm_lang(lang)
    title = f"{t('report_title', lang)} \u2014 {city_name(result)}"
    with report_workbook(path, title, "SSK") as wb:
        fm = _Formats(wb)
        names = plan_sheet_names(result.tables)
        used = {"readme", *(n.lower() for n in names.values())}
        readme = wb.add_worksheet("README")
        sheets: list[tuple[str, Table]] = [(names[n], table) for n, table in result.tables.items()]
        if result.warnings:
            rows = [
                dict(
                    code=w.code,
                    kode=w.kode,
                    year=w.year,
                    message_id=render_warning(w, "id"),
                    message_en=render_warning(w, "en"),
                )
                for w in result.warnings
            ]
            wtable = Table(
                name="warnings",
                title_id=t("warnings", "id"),
                title_en=t("warnings", "en"),
                df=pd.DataFrame(rows),
                columns={
                    "code": Column("Kode", "Code", kind="text"),
                    "kode": Column("Kode wilayah", "Area code", kind="text"),
                    "year": Column("Tahun", "Year", kind="year"),
                    "message_id": Column("Pesan (Indonesia)", "Message (Indonesian)", kind="text"),
                    "message_en": Column("Pesan (Inggris)", "Message (English)", kind="text"),
                },
                provenance={},
            )
            sheets.append((sheet_name("warnings", used), wtable))
        _readme(readme, result, fm, lang, sheets, generated)
        write_sheets(wb, sheets, fm, lang)
