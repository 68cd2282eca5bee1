"""Reading a filled template back: its kind (by its data sheet), the sheet's rows as text
with their Excel row numbers, the header checks and the fingerprint of the rows it was
exported from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sanitasi.io import document as doc_io
from sanitasi.io import programme_tables as pt
from sanitasi.io.errors import InputErrors, errors_of, problem
from sanitasi.io.programme import REQUIRED_COLUMNS
from sanitasi.io.templates.columns import KINDS, REALISATION_REQUIRED, SHEETS
from sanitasi.io.templates.fingerprint import FINGERPRINT_SHEET, _read_fingerprint
from sanitasi.io.templates.sheets import INFO_PREFIX, cell_text
from sanitasi.io.workbooks import open_workbook, sheet_rows


@dataclass
class _Sheet:
    kind: str
    name: str
    label: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    fingerprint: dict[str, str] | None = None


def read_workbook(path: Path) -> _Sheet:
    """The template sheet of a workbook as text rows (Excel row number, column -> text).

    Raises :class:`InputErrors` when the workbook cannot be read, has no template sheet, lacks
    a required column or names a column twice.
    """
    wb, problems = open_workbook(path, path.name)
    if wb is None:
        raise InputErrors(problems)
    try:
        by_name = {s.strip().lower(): s for s in wb.sheetnames}
        kinds = [k for k in KINDS if SHEETS[k] in by_name]
        if len(kinds) != 1:
            expected = " or ".join(SHEETS.values())
            if len(kinds) > 1:
                expected = "of only one kind: " + expected
            found = ", ".join(wb.sheetnames)
            raise InputErrors(
                [problem("SAN-E047", path.name, None, None, None, expected=expected, found=found)]
            )
        kind = kinds[0]
        name = by_name[SHEETS[kind]]
        read, problems = sheet_rows(wb[name], path.name, name)
        fingerprint = None
        if FINGERPRINT_SHEET in by_name and read is not None:
            marks, problems = sheet_rows(
                wb[by_name[FINGERPRINT_SHEET]], path.name, FINGERPRINT_SHEET
            )
            fingerprint = _read_fingerprint(marks or [])
    except InputErrors:
        raise
    except Exception as exc:  # a damaged part of the package shows only when read
        reason = str(exc).strip() or type(exc).__name__
        raise InputErrors([problem("SAN-E046", path.name, reason=reason)]) from None
    finally:
        wb.close()
    if read is None:
        raise InputErrors(problems)
    values = read
    label = f"{path.name} [{name}]"
    header = [cell_text(v).lower() for v in values[0]] if values else []
    problems = []
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            problems.append(problem("SAN-E048", label, 1, h))
        seen.add(h)
    required = {
        "realisation": REALISATION_REQUIRED,
        "swot": doc_io.SWOT_REQUIRED,
    }.get(kind, REQUIRED_COLUMNS[pt.PROGRAMME])
    found = ", ".join(h for h in header if h) or "none"
    problems += [problem("SAN-E002", label, 1, c, found=found) for c in required if c not in seen]
    if kind == "programme":
        _, year_problems = pt.planned_years([h for h in header if h], label)
        problems += year_problems
    if errors_of(problems):
        raise InputErrors(problems)
    rows: list[tuple[int, dict[str, str]]] = []
    for r, cells in enumerate(values[1:], start=2):
        rec = {h: cell_text(v) for h, v in zip(header, cells, strict=False) if h}
        if any(v for h, v in rec.items() if not h.startswith(INFO_PREFIX)):
            rows.append((r, rec))
    return _Sheet(kind, name, label, [h for h in header if h], rows, fingerprint)
