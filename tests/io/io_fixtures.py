"""Fixtures of the io tests: a writable copy of the Kota Solok demo city to break."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanitasi.io.city import CityLoad, read_city
from sanitasi.io.errors import Problem
from sanitasi.io.reference import demo_city_dir

DEMO_DIR = Path(str(demo_city_dir()))


class CityFolder:
    """A city folder in tmp_path with small CSV editing helpers (lines count the header as 1)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def file(self, name: str) -> Path:
        return self.path / name

    def read(self, name: str) -> list[list[str]]:
        with self.file(name).open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))

    def write(self, name: str, rows: list[list[str]]) -> None:
        with self.file(name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)

    def line_of(self, name: str, **match: str) -> int:
        """Line of the first row whose columns equal ``match``."""
        rows = self.read(name)
        header = rows[0]
        for i, row in enumerate(rows[1:], start=2):
            if all(row[header.index(k)] == v for k, v in match.items()):
                return i
        raise LookupError(f"{match} not in {name}")

    def get(self, name: str, line: int, column: str) -> str:
        rows = self.read(name)
        return rows[line - 1][rows[0].index(column)]

    def set(self, name: str, line: int, column: str, value: str) -> None:
        rows = self.read(name)
        rows[line - 1][rows[0].index(column)] = value
        self.write(name, rows)

    def append(self, name: str, **values: str) -> int:
        """Add a row (missing columns blank); returns its line."""
        rows = self.read(name)
        header = rows[0]
        rows.append([values.get(c, "") for c in header])
        self.write(name, rows)
        return len(rows)

    def drop_rows(self, name: str, **match: str) -> int:
        """Remove every row matching ``match``; returns how many."""
        rows = self.read(name)
        header = rows[0]
        keep = [r for r in rows[1:] if not all(r[header.index(k)] == v for k, v in match.items())]
        self.write(name, [header, *keep])
        return len(rows) - 1 - len(keep)

    def drop_column(self, name: str, column: str) -> None:
        rows = self.read(name)
        i = rows[0].index(column)
        self.write(name, [r[:i] + r[i + 1 :] for r in rows])

    def load(self, **kwargs: Any) -> CityLoad:
        return read_city(self.path, **kwargs)

    def problems(self, code: str, **kwargs: Any) -> list[Problem]:
        return [p for p in self.load(**kwargs).problems if p.code == code]

    def one(self, code: str, **kwargs: Any) -> Problem:
        """The single problem with ``code``; the load must have failed when it is an error."""
        result = self.load(**kwargs)
        found = [p for p in result.problems if p.code == code]
        assert len(found) == 1, [str(p) for p in result.problems]
        if found[0].is_error:
            assert result.inputs is None and result.options is None
        return found[0]


@pytest.fixture
def city(tmp_path: Path) -> Iterator[CityFolder]:
    """A fresh copy of the demo city (only the files of the planning contract matter)."""
    target = tmp_path / "city"
    shutil.copytree(DEMO_DIR, target)
    yield CityFolder(target)
