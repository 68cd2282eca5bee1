"""Fuzzing of the readers (issue 12): mutations of the demo folder's CSV files and of
exported workbooks, and the property every reader must keep.

The property: a reader given any bytes either reads them or reports problems
(:class:`~sanitasi.io.errors.InputErrors`, or a ``(None, problems)`` answer); it never raises
anything else (a *crash*), and an import that is refused leaves the city folder byte for byte
as it was (no *partial output*: no changed file, no temporary file left behind).

Used by ``tests/io/test_io_fuzz.py`` (hypothesis draws the seeds, a few thousand cases) and
``benchmarks/fuzz.py`` (100,000 cases and more, in parallel). Every case is reproducible from
``(kind, target, mutations, seed)``.

Like :mod:`sanitasi.bench`, this module sits outside the layers (it drives the io layer and
the CLI); nothing in the layers imports it.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import tempfile
import traceback
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sanitasi.io.errors import InputErrors

# --------------------------------------------------------------------------- CSV mutations

_TEXTS = (
    "=1+1",
    "+SUM(A1:A9)",
    "@cmd",
    "-2+3",
    "[/]",
    "[bold red]x[/bold red]",
    "\t",
    "\r",
    '"',
    '""',
    "NaN",
    "inf",
    "-1e309",
    "1e308",
    "9" * 40,
    "-0",
    "",
    " ",
    "é",
    "\u202e",
    "\ufeff",
    "13.72.01.1001",
    "2025",
    "true",
    "none",
    "x" * 300,
)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _byte_flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _nul(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + b"\x00" + data[i:]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _drop_rows(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        i = rng.randrange(len(lines))
        del lines[i : i + rng.randint(1, 5)]
    return b"\n".join(lines)


def _dup_row(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return b"\n".join(lines)


def _header_cells(data: bytes) -> tuple[list[bytes], list[bytes]]:
    lines = _lines(data)
    return lines, lines[0].split(b",") if lines else []


def _header_rename(data: bytes, rng: random.Random) -> bytes:
    lines, cells = _header_cells(data)
    if cells:
        i = rng.randrange(len(cells))
        cells[i] = rng.choice([b"", b"x_" + cells[i], cells[i][::-1], rng.choice(_TEXTS).encode()])
        lines[0] = b",".join(cells)
    return b"\n".join(lines)


def _header_dup(data: bytes, rng: random.Random) -> bytes:
    """A header name repeated, in another case (the issue's ``Code``/``code``)."""
    lines, cells = _header_cells(data)
    if cells:
        name = rng.choice(cells)
        cells.insert(rng.randrange(len(cells) + 1), rng.choice([name.upper(), name.title(), name]))
        lines[0] = b",".join(cells)
    return b"\n".join(lines)


def _header_drop(data: bytes, rng: random.Random) -> bytes:
    lines, cells = _header_cells(data)
    if cells:
        del cells[rng.randrange(len(cells))]
        lines[0] = b",".join(cells)
    return b"\n".join(lines)


def _ragged(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = lines[i] + b"," * rng.randint(1, 4) + rng.choice([b"", b"x", b"1"])
    return b"\n".join(lines)


def _cell(data: bytes, rng: random.Random) -> bytes:
    """One cell replaced with a hostile text (formula, markup, number edge, quote...)."""
    lines = _lines(data)
    i = rng.randrange(len(lines))
    cells = lines[i].split(b",")
    j = rng.randrange(len(cells))
    cells[j] = rng.choice(_TEXTS).encode("utf-8")
    lines[i] = b",".join(cells)
    return b"\n".join(lines)


def _huge_field(data: bytes, rng: random.Random) -> bytes:
    """A field over the csv module's default 131,072 characters (quoted or not)."""
    lines = _lines(data)
    i = rng.randrange(len(lines))
    big = b"y" * rng.choice([131_073, 200_000, 1_100_000])
    field = b'"' + big + b'"' if rng.random() < 0.5 else big
    cells = lines[i].split(b",")
    cells[rng.randrange(len(cells))] = field
    lines[i] = b",".join(cells)
    return b"\n".join(lines)


def _long_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), b"," * rng.choice([2_000, 50_000]))
    return b"\n".join(lines)


def _encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace") + rng.choice(["é", "Garám", "ß", ""])
    enc = rng.choice(["latin-1", "utf-16", "cp1252", "utf-8-sig", "utf-32"])
    return text.encode(enc, "replace")


def _line_endings(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n", b"\r\r\n"]))


def _quote(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + b'"' + data[i:]


def _empty(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"", b"\xef\xbb\xbf", b"\n\n", b",,,\n", _lines(data)[0]])


#: Name -> mutation of a CSV file's bytes.
CSV_MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "byte_flip": _byte_flip,
    "nul": _nul,
    "truncate": _truncate,
    "drop_rows": _drop_rows,
    "dup_row": _dup_row,
    "header_rename": _header_rename,
    "header_dup": _header_dup,
    "header_drop": _header_drop,
    "ragged": _ragged,
    "cell": _cell,
    "huge_field": _huge_field,
    "long_line": _long_line,
    "encoding": _encoding,
    "line_endings": _line_endings,
    "quote": _quote,
    "empty": _empty,
}


def mutate(data: bytes, names: list[str], seed: int) -> bytes:
    """``data`` after the mutations ``names`` in order, drawn from ``seed``."""
    rng = random.Random(seed)
    for name in names:
        data = CSV_MUTATIONS[name](data, rng)
    return data


# --------------------------------------------------------------------------- workbook mutations


def _xml_cell_values(xml: str, rng: random.Random) -> str:
    """Inline strings (hostile texts) in a few cells of a sheet's XML."""
    cells = list(re.finditer(r'<c r="([A-Z]+)(\d+)"[^>]*?(/>|>.*?</c>)', xml))
    for m in rng.sample(cells, min(len(cells), rng.randint(1, 6))):
        text = rng.choice(_TEXTS).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        new = f'<c r="{m.group(1)}{m.group(2)}" t="inlineStr"><is><t>{text}</t></is></c>'
        xml = xml.replace(m.group(0), new, 1)
    return xml


def _xml_dimension(xml: str, rng: random.Random) -> str:
    ref = rng.choice(["A1:B2", "A1:XFD20000", "A1:XFD1048576", "A1", "Z9:A1"])
    return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)


def _xml_far_row(xml: str, rng: random.Random) -> str:
    """A row far below the data (beyond the row limit, or just beyond the dimension)."""
    r = rng.choice([60_000, 1_048_576, 999, 2_000])
    col = rng.choice(["A", "B", "XFD", "IW"])
    row = f'<row r="{r}"><c r="{col}{r}" t="inlineStr"><is><t>far</t></is></c></row>'
    return xml.replace("</sheetData>", row + "</sheetData>", 1)


def _xml_header(xml: str, rng: random.Random) -> str:
    """The first header cell renamed, or given the name of another in another case."""
    m = re.search(r'<row r="1"[^>]*>(.*?)</row>', xml, re.S)
    if not m:
        return xml
    cells = re.findall(r'<c r="([A-Z]+)1"', m.group(1))
    if not cells:
        return xml
    col = rng.choice(cells)
    text = rng.choice(["CODE", "Activity_Code", "year", "x", "", "Year"])
    new = f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
    return re.sub(rf'<c r="{col}1"[^>]*?(/>|>.*?</c>)', new, xml, count=1)


def _xml_truncate_rows(xml: str, rng: random.Random) -> str:
    rows = list(re.finditer(r"<row [^>]*>.*?</row>", xml, re.S))
    if len(rows) > 2:
        cut = rows[rng.randrange(1, len(rows))]
        xml = xml[: cut.start()] + xml[rows[-1].end() :]
    return xml


def _xml_break(xml: str, rng: random.Random) -> str:
    i = rng.randrange(len(xml) + 1)
    return xml[:i] + rng.choice(["<", "&", "\x00", "]]>", "</row>", ""]) + xml[i:]


#: Name -> mutation of the data sheet's XML (text) of an exported workbook.
XML_MUTATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "cells": _xml_cell_values,
    "dimension": _xml_dimension,
    "far_row": _xml_far_row,
    "header": _xml_header,
    "truncate_rows": _xml_truncate_rows,
    "break": _xml_break,
}
#: Mutations of the workbook's zip bytes as a whole.
ZIP_MUTATIONS = ("byte_flip", "truncate")


def mutate_workbook(data: bytes, sheet_member: str, names: list[str], seed: int) -> bytes:
    """An exported workbook (zip bytes) after the mutations ``names``: XML mutations of
    ``sheet_member``, then zip-level byte mutations."""
    rng = random.Random(seed)
    xml_names = [n for n in names if n in XML_MUTATIONS]
    if xml_names:
        src = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                raw = src.read(info.filename)
                if info.filename == sheet_member:
                    xml = raw.decode("utf-8")
                    for n in xml_names:
                        xml = XML_MUTATIONS[n](xml, rng)
                    raw = xml.encode("utf-8")
                out.writestr(info.filename, raw)
        data = buf.getvalue()
    for n in names:
        if n in ZIP_MUTATIONS:
            data = CSV_MUTATIONS[n](data, rng)
    return data


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Outcome:
    """One case: ``ok`` (read), ``rejected`` (problems reported), ``crash`` (another
    exception) or ``partial`` (a refused import changed the folder)."""

    status: str
    detail: str = ""


def _crash(exc: BaseException) -> Outcome:
    return Outcome("crash", "".join(traceback.format_exception(exc))[-2000:])


def csv_case(name: str, data: bytes, *, rewrite: bool = True) -> Outcome:
    """Parse one (mutated) CSV file as every loader does, and (``rewrite``) as an import
    reads the file it rewrites (:func:`~sanitasi.io.csvfiles.read_csv_text`, from disk)."""
    from sanitasi.io.csvfiles import read_csv_text
    from sanitasi.io.tables import parse_csv

    try:
        df, problems = parse_csv(data, name)
        if df is None and not problems:
            return Outcome("crash", "parse_csv returned neither a table nor problems")
        if not rewrite:
            return Outcome("ok" if df is not None else "rejected")
        with tempfile.TemporaryDirectory(prefix="sanitasi-fuzz-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            text, found = read_csv_text(path, name)
            if text is None and not found:
                return Outcome("crash", "read_csv_text returned neither a text nor problems")
    except Exception as exc:
        return _crash(exc)
    return Outcome("ok" if df is not None else "rejected")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` (recursively) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def folder_case(folder: Path, name: str, data: bytes) -> Outcome:
    """``folder`` (a copy of a city folder) with file ``name`` replaced by ``data``, read by
    the city and programme loaders; the file is restored afterwards."""
    from sanitasi.io.city import read_city
    from sanitasi.io.programme import read_folder

    path = folder / name
    original = path.read_bytes() if path.is_file() else None
    path.write_bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            city, programme = read_city(folder), read_folder(folder)
        found = [
            (city.inputs is not None, city.errors),
            (programme.inputs is not None, programme.errors),
        ]
        if any(not read and not errors for read, errors in found):
            return Outcome("crash", "a loader returned no inputs and no error")
        return Outcome("ok" if all(read for read, _ in found) else "rejected")
    except InputErrors:
        return Outcome("rejected")
    except Exception as exc:
        return _crash(exc)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def import_case(folder: Path, pristine: Path, workbook: Path) -> Outcome:
    """Import ``workbook`` into ``folder`` (a copy of ``pristine``): refused -> the folder is
    unchanged; accepted -> every written file reads cleanly and nothing temporary is left.
    ``folder`` is reset to ``pristine`` afterwards when it changed."""
    from sanitasi.io.tables import parse_csv
    from sanitasi.io.templates import import_workbook

    before = snapshot(folder)
    outcome: Outcome
    try:
        import_workbook(workbook, folder)
        after = snapshot(folder)
        leftovers = [n for n in after if n.startswith(".")]
        bad = [n for n in after if n.endswith(".csv") and parse_csv(after[n], n)[0] is None]
        outcome = (
            Outcome("partial", f"left {leftovers}, unreadable {bad}")
            if leftovers or bad
            else Outcome("ok")
        )
    except InputErrors:
        outcome = Outcome("rejected")
        if snapshot(folder) != before:
            outcome = Outcome("partial", "a refused import changed the folder")
    except Exception as exc:
        outcome = _crash(exc)
        if snapshot(folder) != before:
            outcome = Outcome("partial", outcome.detail)
    if snapshot(folder) != snapshot(pristine):
        shutil.rmtree(folder)
        shutil.copytree(pristine, folder)
    return outcome


def sheet_member(workbook: bytes, sheet: str) -> str:
    """The zip member of worksheet ``sheet`` (sheets are written in order by xlsxwriter)."""
    names = re.findall(
        r'<sheet [^>]*name="([^"]+)"',
        zipfile.ZipFile(io.BytesIO(workbook)).read("xl/workbook.xml").decode("utf-8"),
    )
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


__all__ = [
    "CSV_MUTATIONS",
    "XML_MUTATIONS",
    "ZIP_MUTATIONS",
    "Outcome",
    "csv_case",
    "folder_case",
    "import_case",
    "mutate",
    "mutate_workbook",
    "sheet_member",
    "snapshot",
]
