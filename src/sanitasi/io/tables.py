"""Reading CSV files as text tables and checking their columns, with line numbers.

Every CSV is read with ``encoding='utf-8-sig'`` (a BOM is fine), ``dtype=str`` and
``keep_default_na=False``; Windows line endings are fine. Column names are stripped and
lower-cased, cell values stripped. Each record keeps its physical line in the file (header =
line 1) in the column :data:`LINE`, so every problem can name it even when a quoted cell
spans several lines. Values are converted to numbers only after reading, so text in a number
column is reported with its line instead of failing the whole read.

:class:`Checker` runs vectorised column checks on one table and collects every problem; the
rows with an error are marked ``bad`` so that later cross-table checks skip them.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors as pa_errors

from sanitasi.io.errors import Problem, problem
from sanitasi.io.limits import limits

#: Column holding the physical line of each record (header = line 1).
LINE = "_line"
#: Column holding the file of each record, in tables combined from several files.
FILE = "_file"
#: Cell texts read as "no value" in number columns.
NA_TOKENS = frozenset({"nan", "na", "n/a", "null", "none"})
TRUE_WORDS = frozenset({"true", "1", "yes", "ya", "y", "t", "benar"})
FALSE_WORDS = frozenset({"false", "0", "no", "tidak", "n", "f", "salah"})
YEAR_MIN, YEAR_MAX = 1900, 2100


def member_of(values: pd.Series, index: pd.Index) -> pd.Series:
    """``values.isin(index)`` for a large unique ``index`` (e.g. the 91,599 official codes).

    pandas 3's ``str`` columns are Arrow-backed and their ``isin`` turns every element of the
    *allowed* values into a pyarrow scalar in Python (about 0.6 s for the official codes);
    a lookup through the index's own hash table (built once and cached on the index) costs
    microseconds per value. Same result as ``isin``: True where the value is in ``index``."""
    found = index.get_indexer(pd.Index(values)) >= 0
    return pd.Series(found.astype(bool), index=values.index, dtype=bool)


def record_lines(text: str) -> list[int]:
    """Physical start line (1-based) of each non-empty CSV record, header included.

    Without a quote character (and without a lone carriage return) every record is one
    physical line, so the lines are found without the csv module (the 91,599 official
    codes: 0.2 s -> 0.02 s); with quotes a record may span lines and the csv module
    counts them."""
    if '"' not in text and "\r" not in text.replace("\r\n", ""):
        rows = text.replace("\r\n", "\n").split("\n")
        return [i for i, row in enumerate(rows, start=1) if row.replace(",", "").strip()]
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[int] = []
    previous_end = 0
    for record in reader:
        if record and any(cell.strip() for cell in record):
            lines.append(previous_end + 1)
        previous_end = reader.line_num
    return lines


def parse_csv(data: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse CSV bytes into an all-text DataFrame with a :data:`LINE` column.

    Returns ``(None, problems)`` when the file cannot be read at all, listing every problem
    found (never raising): over ``csv_max_bytes`` (``SAN-E150``), a NUL byte (``SAN-E151``),
    not UTF-8 (``SAN-E003``), lines over ``csv_max_line_chars`` (``SAN-E152``), more than
    ``csv_max_columns`` columns (``SAN-E155``), a column name given twice in any case
    (``SAN-E048``), rows with more cells than the header (``SAN-E154``; a shorter row is
    padded with blank cells) and cells over ``csv_max_field_chars`` (``SAN-E153``). The limits
    are those of ``reference/io_limits.csv`` (docs/city-data.md, Limits).
    """
    lim = limits()
    if len(data) > lim.csv_max_bytes:
        return None, [
            problem("SAN-E150", file, size=len(data), limit=lim.csv_max_bytes, name="csv_max_bytes")
        ]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, [problem("SAN-E151", file, line, offset=nul)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            problem("SAN-E003", file, line, reason=f"not UTF-8 ({exc.reason} at byte {exc.start})")
        ]
    problems = _line_problems(text, file, lim.csv_max_line_chars)
    if problems:
        return None, problems
    header, widths, lines, blank = _record_shape(text)
    problems = _header_problems(header, file, lim.csv_max_columns)
    wide = widths > len(header)
    for line, width in zip(lines[wide], widths[wide], strict=True):
        problems.append(problem("SAN-E154", file, int(line), width=int(width), header=len(header)))
    if problems:
        return None, problems
    if not header:
        return None, [problem("SAN-E003", file, reason="no header row (the file is empty)")]
    if lines[0] > 1:  # lines of commas before the header: pandas would take them as header
        kept = io.StringIO(text, newline="").readlines()[int(lines[0]) - 1 :]
        data = "".join(kept).encode("utf-8")
    try:
        df = pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
            index_col=False,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        reason = str(exc).strip() or type(exc).__name__
        found = re.search(r"line (\d+)", reason)
        row = int(found.group(1)) if found else None
        return None, [problem("SAN-E003", file, row, reason=reason)]
    df.columns = [str(c).strip().lower() for c in df.columns]
    df = df.fillna("")
    for col in df.columns:
        df[col] = df[col].astype(str).str.strip()
    df = df.loc[(df != "").any(axis=1)].reset_index(drop=True)
    data_lines = lines[1:][~blank[1:]]
    df[LINE] = data_lines if len(data_lines) == len(df) else list(range(2, len(df) + 2))
    # No cell is longer than the whole text: a file within the limit needs no check.
    problems = (
        long_cell_problems(df, file, lim.csv_max_field_chars, "csv_max_field_chars")
        if len(text) > lim.csv_max_field_chars
        else []
    )
    return (None, problems) if problems else (df, [])


def _line_problems(text: str, file: str, limit: int) -> list[Problem]:
    """``SAN-E152`` for each physical line longer than ``limit`` characters."""
    if len(text) <= limit:
        return []
    lengths = pd.Series(re.split(r"\r\n|\n|\r", text)).str.len()
    over = lengths.index[lengths.to_numpy() > limit]
    return [
        problem("SAN-E152", file, int(i) + 1, length=int(lengths.iloc[i]), limit=limit)
        for i in over
    ]


def _record_shape(text: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The header (as written: the first record with a non-blank cell) and, for every
    non-empty record, its width, its physical start line and whether all its cells are
    blank (a line of commas: pandas reads it as a record, the loaders drop it). Without
    quotes (nor lone carriage returns) every record is one line and the widths are counted
    without the csv module (fast for the 91,599 official codes); otherwise the csv module
    reads the records."""
    if '"' not in text and "\r" not in text.replace("\r\n", ""):
        rows = pd.Series(text.replace("\r\n", "\n").split("\n"))
        present = rows.ne("").to_numpy()
        rows = rows[present]
        lines = np.flatnonzero(present) + 1
        widths = rows.str.count(",").to_numpy() + 1
        blank = rows.str.replace(",", "", regex=False).str.strip().eq("").to_numpy()
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        width_list: list[int] = []
        line_list: list[int] = []
        blank_list: list[bool] = []
        previous_end = 0
        add_width, add_line, add_blank = width_list.append, line_list.append, blank_list.append
        join = "".join
        for record in reader:
            if record:
                add_width(len(record))
                add_line(previous_end + 1)
                add_blank(not join(record).strip())  # every cell blank <=> all of them joined
            previous_end = reader.line_num
        widths, lines = np.array(width_list, dtype=int), np.array(line_list, dtype=int)
        blank = np.array(blank_list, dtype=bool)
        rows = None
    filled = np.flatnonzero(~blank)
    if not len(filled):
        empty = np.zeros(0, dtype=int)
        return [], empty, empty, empty.astype(bool)
    first = int(filled[0])
    if rows is not None:
        header = str(rows.iloc[first]).split(",")
    else:
        header = next(
            r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)
        )
    return header, widths[first:], lines[first:], blank[first:]


def _header_problems(header: Sequence[str], file: str, max_columns: int) -> list[Problem]:
    """``SAN-E155`` for too many columns, ``SAN-E048`` for a name given twice (stripped,
    in any case)."""
    if len(header) > max_columns:
        return [
            problem(
                "SAN-E155", file, 1, count=len(header), limit=max_columns, name="csv_max_columns"
            )
        ]
    seen: set[str] = set()
    out = []
    for name in header:
        key = name.strip().lower()
        if key and key in seen:
            out.append(problem("SAN-E048", file, 1, name.strip(), name))
        seen.add(key)
    return out


def long_cell_problems(df: pd.DataFrame, file: str, limit: int, name: str) -> list[Problem]:
    """``SAN-E153`` for every cell of the text table ``df`` longer than ``limit`` characters
    (vectorised per column; the value shown is the cell's first 40 characters)."""
    out: list[Problem] = []
    for col in df.columns:
        if col == LINE:
            continue
        lengths = df[col].astype(str).str.len()
        over = lengths > limit
        if over.any():
            out += rows_problems(
                df,
                over,
                "SAN-E153",
                file,
                str(col),
                df[col].astype(str).str.slice(0, 40) + "…",
                length=lengths,
                limit=limit,
                name=name,
            )
    return out


def missing_columns(df: pd.DataFrame, required: Iterable[str], file: str) -> list[Problem]:
    """One ``SAN-E002`` problem (on the header line) per required column not in ``df``."""
    found = ", ".join(c for c in df.columns if c != LINE)
    return [
        problem("SAN-E002", file, 1, col, None, found=found or "none")
        for col in required
        if col not in df.columns
    ]


def rows_problems(
    df: pd.DataFrame,
    mask: pd.Series,
    code: str,
    file: str | pd.Series,
    column: str | None,
    value: pd.Series | None = None,
    **fields: Any,
) -> list[Problem]:
    """One problem per row of ``df`` where ``mask`` is true (a line <= 0 is reported as None).

    ``value`` defaults to the cell of ``column``; ``file`` and each of ``fields`` may be a
    scalar or a Series aligned with ``df`` (one value per row).
    """
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    if value is None and column is not None and column in df.columns:
        value = df[column]
    out = []
    for idx in df.index[mask.to_numpy()]:
        kw = {k: _at(v, idx) for k, v in fields.items()}
        cell = None if value is None else _at(value, idx)
        line = int(float(str(df.at[idx, LINE])))
        out.append(
            problem(code, str(_at(file, idx)), line if line > 0 else None, column, cell, **kw)
        )
    return out


def _at(v: Any, idx: Any) -> Any:
    return v.loc[idx] if isinstance(v, pd.Series) else v


class Checker:
    """Vectorised checks on one all-text table; collects problems and marks bad rows."""

    def __init__(self, df: pd.DataFrame, file: str | pd.Series) -> None:
        """``file`` names the file in problems: one name, or one per row (a Series aligned with
        ``df``) for tables merged from several sources (e.g. a workbook and a CSV file)."""
        self.df = df
        self.file = file
        self.problems: list[Problem] = []
        self.bad = pd.Series(False, index=df.index)

    def has(self, column: str) -> bool:
        return column in self.df.columns

    def raw(self, column: str) -> pd.Series:
        """The text of ``column`` ("" everywhere when the column is absent)."""
        if column in self.df.columns:
            return self.df[column]
        return pd.Series("", index=self.df.index, dtype=str)

    def flag(
        self,
        mask: pd.Series,
        code: str,
        column: str | None,
        value: pd.Series | None = None,
        *,
        mark_bad: bool = True,
        **fields: Any,
    ) -> None:
        mask = mask.fillna(False).astype(bool)
        if mark_bad:
            self.bad |= mask
        self.problems += rows_problems(self.df, mask, code, self.file, column, value, **fields)

    def text(self, column: str, *, required: bool = True, default: str = "") -> pd.Series:
        """Text of ``column``; ``SAN-E027`` for blanks when required, else ``default``."""
        raw = self.raw(column)
        blank = raw.eq("")
        if required:
            self.flag(blank, "SAN-E027", column)
            return raw
        return raw.mask(blank, default)

    def number(self, column: str, *, required: bool = True, nonneg: bool = True) -> pd.Series:
        """Float values of ``column`` (NaN where blank or invalid).

        ``SAN-E016`` for text, ``SAN-E010`` for a blank/NaN cell when required, ``SAN-E009``
        for a negative value when ``nonneg``.
        """
        raw = self.raw(column)
        blank = raw.eq("") | raw.str.lower().isin(NA_TOKENS)
        num = pd.to_numeric(raw.mask(blank, "0"), errors="coerce").astype(float)
        text = ~blank & ~np.isfinite(num)
        self.flag(text, "SAN-E016", column)
        if required:
            self.flag(blank, "SAN-E010", column)
        num = num.mask(blank | text)
        if nonneg:
            self.flag(num < 0, "SAN-E009", column)
        return num

    def year(self, column: str, *, required: bool = True) -> pd.Series:
        """Whole years in 1900-2100 as ``Int64`` (``SAN-E014`` otherwise)."""
        num = self.number(column, required=required, nonneg=False)
        out_of_range = num.notna() & ((num % 1 != 0) | (num < YEAR_MIN) | (num > YEAR_MAX))
        self.flag(out_of_range, "SAN-E014", column)
        return num.mask(out_of_range).round().astype("Int64")

    def choice(
        self,
        column: str,
        choices: Sequence[str],
        *,
        default: str | None = None,
        code: str = "SAN-E024",
    ) -> pd.Series:
        """Lower-cased value of ``column``, which must be one of ``choices``.

        A blank cell (or an absent column) takes ``default``; without a default it is a
        problem like any other value outside ``choices``.
        """
        raw = self.raw(column)
        val = raw.str.lower()
        if default is not None:
            val = val.mask(raw.eq(""), default)
        self.flag(~val.isin(list(choices)), code, column, choices=", ".join(choices))
        return val

    def boolean(self, column: str) -> pd.Series:
        """``boolean`` Series: true/false words (also ya/tidak, 1/0); NA where blank."""
        raw = self.raw(column).str.lower()
        truthy, falsy = raw.isin(TRUE_WORDS), raw.isin(FALSE_WORDS)
        self.flag(~(truthy | falsy | raw.eq("")), "SAN-E024", column, choices="true, false")
        out = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        out[truthy] = True
        out[falsy] = False
        return out


def duplicate_problems(
    df: pd.DataFrame, key: Sequence[str], column: str, default_file: str = ""
) -> list[Problem]:
    """``SAN-E012`` on every repeat of ``key`` in ``df``, naming the first line (and file).

    ``df`` needs :data:`LINE` and may carry :data:`FILE`; rows are taken in their order.
    """
    repeat = df.duplicated(list(key), keep="first")
    if not repeat.any():
        return []
    files = df[FILE] if FILE in df.columns else pd.Series(default_file, index=df.index)
    groups = df.assign(_f=files).groupby(list(key), sort=False, dropna=False)
    first_line = groups[LINE].transform("first").astype(str)
    first_file = groups["_f"].transform("first")
    other = ("line " + first_line).where(first_file.eq(files), first_file + " line " + first_line)
    return rows_problems(df, repeat, "SAN-E012", files, column, key="/".join(key), other=other)


#: pandera built-in check names -> problem codes.
_PANDERA_CODES: dict[str, str] = {
    "field_uniqueness": "SAN-E012",
    "multiple_fields_uniqueness": "SAN-E012",
    "not_nullable": "SAN-E010",
    "column_in_dataframe": "SAN-E002",
    "isin": "SAN-E024",
    "greater_than_or_equal_to": "SAN-E009",
    "in_range": "SAN-E011",
}


def schema_problems(
    exc: pa_errors.SchemaErrors,
    df: pd.DataFrame,
    file: str,
    hints: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    with_rows: bool = True,
) -> list[Problem]:
    """Translate pandera failure cases into problems.

    The index of the validated ``df`` must be the line number. Checks named ``SAN-...`` keep
    their name as code; built-in checks map through ``_PANDERA_CODES`` (else ``SAN-E030``).
    Row-wise dataframe checks are reported once per row. ``hints`` adds template fields per
    column (e.g. ``choices``). ``with_rows=False`` when the index is not the line number.
    """
    fc = exc.failure_cases.copy()
    fc["code"] = fc["check"].astype(str).map(_code_of_check)
    fc = fc.drop_duplicates(subset=["code", "index"] if "index" in fc else ["code"])
    out = []
    for rec in fc.to_dict("records"):
        idx = rec.get("index")
        row = None if idx is None or pd.isna(idx) or not with_rows else int(idx)
        col = None if rec.get("column") is None else str(rec["column"])
        value = rec.get("failure_case")
        fields: dict[str, Any] = {}
        if row is not None and row in df.index:
            fields.update({str(k): v for k, v in df.loc[row].items() if k not in _RESERVED})
        fields.update((hints or {}).get(col or "", {}))
        fields.setdefault("check", rec.get("check"))
        fields.setdefault("found", ", ".join(map(str, df.columns)))
        fields.setdefault("key", col)
        fields.setdefault("other", "another line")
        fields.setdefault("name", col)
        cell = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        out.append(problem(rec["code"], file, row, col, cell, **fields))
    return out


_RESERVED = frozenset({"code", "file", "row", "column", "value"})


def _code_of_check(check: str) -> str:
    if check.startswith("SAN-"):
        return check
    return _PANDERA_CODES.get(check.split("(")[0], "SAN-E030")


def is_absent(location: Traversable) -> bool:
    """True when nothing is at ``location``: an optional file is "absent" only then; a folder
    (or anything else that is not a regular file) where a file should be is ``SAN-E156``."""
    if location.is_file() or location.is_dir():
        return False
    if isinstance(location, os.PathLike):
        path = Path(os.fspath(location))
        return not (path.exists() or path.is_symlink())
    return True


def not_a_file(location: Traversable, file: str) -> list[Problem]:
    """``[SAN-E156]`` when something that is not a regular file is at ``location``."""
    if location.is_file() or is_absent(location):
        return []
    return [problem("SAN-E156", file, path=str(location))]


def read_bytes(location: Traversable, file: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``location`` (``SAN-E150`` beyond ``csv_max_bytes``, checked before
    reading when the size is known; ``SAN-E003`` when the system refuses to read it)."""
    lim = limits().csv_max_bytes
    try:
        if isinstance(location, os.PathLike):
            size = os.stat(location).st_size
            if size > lim:
                return None, [problem("SAN-E150", file, size=size, limit=lim, name="csv_max_bytes")]
        return location.read_bytes(), []
    except OSError as exc:
        return None, [problem("SAN-E003", file, reason=exc.strerror or type(exc).__name__)]


def read_table(
    location: Traversable, file: str, required: Sequence[str], *, folder: str = ""
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV as text (see :func:`parse_csv`) and check its required columns.

    A missing file is ``SAN-E001``; ``None`` is returned when the table cannot be used.
    """
    if not location.is_file():
        if is_absent(location):
            return None, [problem("SAN-E001", file, name=file, folder=folder or "?")]
        return None, [problem("SAN-E156", file, path=str(location))]
    data, problems = read_bytes(location, file)
    if data is None:
        return None, problems
    df, problems = parse_csv(data, file)
    if df is None:
        return None, problems
    problems = missing_columns(df, required, file)
    return (None if problems else df), problems
