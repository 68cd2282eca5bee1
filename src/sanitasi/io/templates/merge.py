"""Merging a read sheet with the folder's file, the rules every kind shares: which columns
the workbook carries (unknown ones ignored with ``SAN-W145``; a column the file lacks is added
only for a value that is not what a blank means), a merged row keeping the file's text where
the value did not change, and the merged rows as the loaders' text table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from sanitasi.io import programme_tables as pt
from sanitasi.io.csvfiles import CsvText
from sanitasi.io.errors import Problem, problem
from sanitasi.io.tables import FILE, LINE
from sanitasi.io.templates.columns import BLANK_MEANS, _norm, _same
from sanitasi.io.templates.reading import _Sheet
from sanitasi.io.templates.sheets import INFO_PREFIX


@dataclass
class _Merged:
    """The merged file: header as written, rows, and where each row came from."""

    header: list[str]
    rows: list[list[str]]
    origins: list[tuple[str, int]]
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The merged rows as the loaders' text table (``LINE`` and ``FILE`` per row)."""
        columns = [h.strip().lower() for h in self.header]
        data = [[v.strip() for v in row] for row in self.rows]
        df = pd.DataFrame(data, columns=columns, dtype=object)
        df = df.loc[:, ~df.columns.duplicated()]
        df = df.astype(str) if len(df) else df
        df[LINE] = [line for _, line in self.origins]
        df[FILE] = [file for file, _ in self.origins]
        return df.reset_index(drop=True)

    def changed_from(self, old: CsvText | None) -> bool:
        if old is None:
            return True
        return tuple(self.header) != old.header or [tuple(r) for r in self.rows] != list(old.rows)


def _columns_plan(
    sheet: _Sheet, old: CsvText | None, known: Iterable[str], rename: dict[str, str]
) -> tuple[list[str], dict[str, str], list[Problem]]:
    """Output header (as written) and, for each output column (lower-case), the workbook
    column it takes its value from; W145 for workbook columns that are ignored."""
    known = set(known)
    old_cols = list(old.columns) if old else []
    header = list(old.header) if old else []
    carried: dict[str, str] = {}
    problems: list[Problem] = []
    for col in sheet.columns:
        if col.startswith(INFO_PREFIX):
            continue
        target = rename.get(col, col)
        if target in old_cols or col in known or pt.PLANNED_COLUMN.match(col):
            if target not in old_cols:
                header.append(target)
                old_cols.append(target)
            carried[target] = col
        else:
            problems.append(problem("SAN-W145", sheet.label, 1, col, kind=sheet.kind))
    if old is not None:
        # a column the file lacks is added only when the workbook gives it a value that is
        # not what a blank cell already means
        for col in [c for c in carried if c not in old.columns]:
            default = BLANK_MEANS.get(col, "")
            given = (_norm(col, rec.get(carried[col], "")) for _, rec in sheet.rows)
            if all(v in ("", default) for v in given):
                del carried[col]
                header = [h for h in header if h.strip().lower() != col]
    return header, carried, problems


def _merge_row(
    header: list[str],
    carried: dict[str, str],
    rec: dict[str, str],
    base: dict[str, str] | None,
) -> list[str]:
    out = []
    for h in header:
        col = h.strip().lower()
        if col in carried:
            new = rec.get(carried[col], "")
            old = None if base is None else base.get(col)
            out.append(old if old is not None and _same(col, old, new) else new)
        else:
            out.append("" if base is None else base.get(col, ""))
    return out
