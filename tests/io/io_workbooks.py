"""Helpers of the template tests: edit exported workbooks with openpyxl, snapshot folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` (recursively) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


class Workbook:
    """An exported template opened with openpyxl; Excel rows and header names as in the sheet."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = openpyxl.load_workbook(path)
        self.ws = self.wb.worksheets[1]

    @property
    def sheet(self) -> str:
        return str(self.ws.title)

    def header(self) -> list[str]:
        return [str(c.value) for c in self.ws[1] if c.value is not None]

    def col(self, name: str) -> int:
        """1-based column of ``name``."""
        return self.header().index(name) + 1

    def row_of(self, **match: Any) -> int:
        """Excel row of the first data row whose cells equal ``match``."""
        cols = {k: self.col(k) for k in match}
        for r in range(2, self.ws.max_row + 1):
            if all(self.ws.cell(r, c).value == match[k] for k, c in cols.items()):
                return r
        raise LookupError(match)

    def get(self, row: int, column: str) -> Any:
        return self.ws.cell(row, self.col(column)).value

    def set(self, row: int, column: str, value: Any) -> None:
        self.ws.cell(row, self.col(column)).value = value

    def delete_column(self, name: str) -> None:
        self.ws.delete_cols(self.col(name))

    def rename_column(self, name: str, new: str) -> None:
        self.ws.cell(1, self.col(name)).value = new

    def copy_row(self, source: int, target: int) -> None:
        for c in range(1, self.ws.max_column + 1):
            self.ws.cell(target, c).value = self.ws.cell(source, c).value

    def last_row(self) -> int:
        """Last row with a value in column A."""
        last = 1
        for r in range(2, self.ws.max_row + 1):
            if self.ws.cell(r, 1).value not in (None, ""):
                last = r
        return last

    def save(self, path: Path | None = None) -> Path:
        out = path or self.path
        self.wb.save(out)
        return out
