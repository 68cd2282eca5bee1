"""The column registry: one table of every report column's labels, unit and kind.

``reference/columns.csv`` (docs/METHOD.md §19) has one row per ``table, column``: the unit,
the display kind (``text``, ``int``, ``float``, ``pct``, ``idr``, ``count``, ``year``), the
Indonesian and English label, a description and whether the HTML views show the column
(``show_html``; the XLSX files keep every column). Three kinds of row:

- ``table`` = a result table's name: that table's column;
- ``table`` = ``*``: the column in any table that has no row of its own;
- ``table`` = ``@measure``: the words of a measure column in the title of a wide table
  (``Rumah tangga belum layak``), unit and kind left empty.

A column name may hold ``{year}`` (``output_{year}``): it stands for a four-digit year, and
``{year}`` in the labels is replaced by it.

Like :mod:`sanitasi.formulas`, this module is outside the layers: the reports, the web, the
API and the CLI read the labels from here, and the reports still import no ``sanitasi.io``.
The file is package data read once (:func:`registry`); a malformed row is an internal
failure (``ValueError`` naming the row), which tests/test_vocabulary.py guards.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sanitasi.core.model import Column

#: The header of columns.csv, in order.
FIELDS = ("table", "column", "unit", "kind", "label_id", "label_en", "description", "show_html")
#: Display kinds (:class:`sanitasi.core.model.Column`).
KINDS = frozenset({"text", "int", "float", "pct", "idr", "count", "year"})
ANY_TABLE = "*"
MEASURE = "@measure"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class Entry:
    """One row of the registry."""

    table: str
    column: str
    unit: str
    kind: str
    label_id: str
    label_en: str
    description: str
    show_html: bool

    def label(self, lang: str) -> str:
        return self.label_en if str(lang).lower().startswith("en") else self.label_id

    def meta(self, year: str | None = None) -> Column:
        """The entry as the engine's :class:`Column`, ``{year}`` filled with ``year``."""
        lid, len_ = self.label_id, self.label_en
        if year is not None:
            lid, len_ = lid.replace("{year}", year), len_.replace("{year}", year)
        return Column(lid, len_, self.unit, self.kind or "float")


@dataclass(frozen=True)
class Registry:
    entries: dict[tuple[str, str], Entry]

    def entry(self, table: str, column: str) -> tuple[Entry, str | None] | None:
        """The row of ``column`` of ``table`` (its own, else the ``*`` row) and the year its
        ``{year}`` pattern matched (``None`` for an exact name)."""
        pattern, year = column, None
        if (m := _YEAR.search(column)) is not None:
            year = m.group(1)
            pattern = column[: m.start()] + "{year}" + column[m.end() :]
        for tb in (table, ANY_TABLE):
            if (e := self.entries.get((tb, column))) is not None:
                return e, None
            if year is not None and (e := self.entries.get((tb, pattern))) is not None:
                return e, year
        return None


def parse(text: str, origin: str = "columns.csv") -> Registry:
    """The registry of the CSV ``text``. Raises ``ValueError`` naming ``origin``, the line,
    the column and the value of the first bad row (wrong header, empty label, unknown kind,
    ``show_html`` not 0/1, a ``(table, column)`` given twice)."""
    reader = csv.reader(text.splitlines())
    header = tuple(next(reader, ()))
    if header != FIELDS:
        raise ValueError(f"{origin}: header {header!r}, expected {FIELDS!r}")
    entries: dict[tuple[str, str], Entry] = {}
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(FIELDS):
            raise ValueError(f"{origin} line {line}: {len(row)} cells, expected {len(FIELDS)}")
        rec = dict(zip(FIELDS, (c.strip() for c in row), strict=True))
        measure = rec["table"] == MEASURE
        for col in ("table", "column", "label_id", "label_en"):
            if not rec[col]:
                raise ValueError(f"{origin} line {line}, column {col}: empty")
        if not measure and rec["kind"] not in KINDS:
            raise ValueError(
                f"{origin} line {line}, column kind: {rec['kind']!r} is not one of "
                f"{', '.join(sorted(KINDS))}"
            )
        if rec["show_html"] not in ("0", "1"):
            raise ValueError(
                f"{origin} line {line}, column show_html: {rec['show_html']!r} not 0/1"
            )
        key = (rec["table"], rec["column"])
        if key in entries:
            raise ValueError(f"{origin} line {line}: {key[0]}.{key[1]} is given twice")
        entries[key] = Entry(
            rec["table"],
            rec["column"],
            rec["unit"],
            rec["kind"],
            rec["label_id"],
            rec["label_en"],
            rec["description"],
            rec["show_html"] == "1",
        )
    return Registry(entries)


@cache
def registry() -> Registry:
    """The package's registry (``sanitasi/data/reference/columns.csv``), read once."""
    path = resources.files("sanitasi.data") / "reference" / "columns.csv"
    return parse(path.read_text(encoding="utf-8"))


def column(table: str, name: str) -> Column | None:
    """Labels, unit and kind of column ``name`` of ``table`` (``None``: not registered)."""
    found = registry().entry(table, name)
    return None if found is None else found[0].meta(found[1])


def label(table: str, name: str, lang: str = "id") -> str:
    """The label of column ``name`` of ``table`` in ``lang`` (``name`` when unregistered)."""
    meta = column(table, name)
    if meta is None:
        return name
    return meta.label_en if str(lang).lower().startswith("en") else meta.label_id


def unit(table: str, name: str) -> str:
    """The unit of column ``name`` of ``table`` (``""``: none or unregistered)."""
    meta = column(table, name)
    return "" if meta is None else meta.unit


def description(table: str, name: str) -> str:
    """The registry's description of column ``name`` of ``table`` (``""`` when none)."""
    found = registry().entry(table, name)
    return "" if found is None else found[0].description


def shown_in_html(table: str, name: str) -> bool:
    """False for a column the HTML views leave to the XLSX file (``show_html`` 0)."""
    found = registry().entry(table, name)
    return True if found is None else found[0].show_html


def measure_words(name: str) -> tuple[str, str] | None:
    """(Indonesian, English) words of measure column ``name`` in a wide table's title."""
    e = registry().entries.get((MEASURE, name))
    return None if e is None else (e.label_id, e.label_en)


# --------------------------------------------------------------------------- parameters


@cache
def _parameter_texts() -> dict[tuple[str, str], tuple[str, str]]:
    """``reference/parameter_labels.csv``: (kind, code) -> (Indonesian, English), read once.
    A malformed row is an internal failure (``ValueError`` naming the line)."""
    path = resources.files("sanitasi.data") / "reference" / "parameter_labels.csv"
    reader = csv.reader(path.read_text(encoding="utf-8").splitlines())
    header = tuple(next(reader, ()))
    expected = ("kind", "code", "label_id", "label_en")
    if header != expected:
        raise ValueError(f"parameter_labels.csv: header {header!r}, expected {expected!r}")
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        cells = [c.strip() for c in row]
        if len(cells) != 4 or cells[0] not in ("parameter", "unit") or not all(cells):
            raise ValueError(f"parameter_labels.csv line {line}: {row!r}")
        out[(cells[0], cells[1])] = (cells[2], cells[3])
    return out


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if str(lang).lower().startswith("en") else pair[0]


def parameter_label(name: str, lang: str = "id") -> str:
    """The label of reference parameter ``name`` in ``lang`` (``reference/parameter_labels
    .csv``; ``name`` itself when it has none)."""
    pair = _parameter_texts().get(("parameter", name))
    return name if pair is None else _pick(pair, lang)


def parameter_unit(unit: str, lang: str = "id") -> str:
    """A parameter's ``unit`` (as ``parameters.csv`` writes it) in ``lang``; ``""`` for a
    ``choice:`` unit (its words are the values themselves); ``unit`` when it has no row."""
    if unit.startswith("choice"):
        return ""
    pair = _parameter_texts().get(("unit", unit))
    return unit if pair is None else _pick(pair, lang)
