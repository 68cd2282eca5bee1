"""Importing a filled template: :func:`import_workbook` reads it, merges it with the
folder's file of its kind, refuses a stale workbook (:func:`stale_rows`, ``SAN-E159``), checks
the result with the folder's rules and writes it atomically when everything is clean."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sanitasi.io.csvfiles import CsvText, csv_bytes, read_csv_text, write_atomically
from sanitasi.io.errors import InputErrors, Problem, errors_of, problem
from sanitasi.io.programme import read_folder
from sanitasi.io.templates.columns import TARGET_FILES
from sanitasi.io.templates.fingerprint import CHANGE_ID, row_digests
from sanitasi.io.templates.folder import _records
from sanitasi.io.templates.merge import _Merged
from sanitasi.io.templates.programme import _merge_programme
from sanitasi.io.templates.reading import _Sheet, read_workbook
from sanitasi.io.templates.realisation import _merge_realisation
from sanitasi.io.templates.swot import _merge_swot, _swot_problems


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_workbook` found and did.

    ``added``/``updated``/``removed`` are activity codes (programme) or
    ``"CODE YEAR Qn"`` keys (realisation); ``written`` the files replaced (empty when
    ``check_only`` or when nothing changed); ``problems`` the warnings (an import with errors
    raises instead).
    """

    kind: str
    workbook: Path
    sheet: str
    city_dir: Path
    rows: int
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    written: tuple[Path, ...]
    check_only: bool
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def import_workbook(
    path: Path | str,
    city_dir: Path | str,
    *,
    check_only: bool = False,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Validate a filled template and, if clean and not ``check_only``, merge it into the city
    folder's CSV files atomically.

    Raises :class:`InputErrors` with every problem (workbook rows named by workbook, sheet,
    Excel row and column) when any is an error; the folder is then untouched. Realisation of
    a quarter that starts after ``as_of`` (default: today) is an error (``SAN-E049``).
    """
    as_of = as_of or dt.date.today()
    path, folder = Path(path), Path(city_dir)
    sheet = read_workbook(path)
    name = TARGET_FILES[sheet.kind]
    old, problems = read_csv_text(folder / name, name)
    if problems:
        raise InputErrors(problems)
    if sheet.kind == "programme":
        merged = _merge_programme(sheet, old)
    elif sheet.kind == "swot":
        merged = _merge_swot(sheet, old)
    else:
        merged = _merge_realisation(sheet, old)
    merged.problems += stale_rows(sheet, old, merged, name)
    if sheet.kind == "swot":
        found = _swot_problems(folder, merged)
    else:
        found = list(read_folder(folder, overlay={name: merged.frame()}, as_of=as_of).problems)
    # row by row: the workbook's problems first, in sheet order, then the folder's files
    problems = sorted(
        [*merged.problems, *found],
        key=lambda p: (p.file != sheet.label, p.file, p.row or 0),
    )
    if errors_of(problems):
        raise InputErrors(problems)
    written: tuple[Path, ...] = ()
    if merged.changed_from(old) and not check_only:
        target = folder / name
        data = csv_bytes(
            merged.header,
            merged.rows,
            bom=old.bom if old else False,
            newline=old.newline if old else "\n",
        )
        write_atomically({target: data})
        written = (target,)
    return ImportReport(
        kind=sheet.kind,
        workbook=path,
        sheet=sheet.name,
        city_dir=folder,
        rows=len(sheet.rows),
        added=tuple(merged.added),
        updated=tuple(merged.updated),
        removed=tuple(merged.removed),
        unchanged=merged.unchanged,
        written=written,
        check_only=check_only,
        problems=tuple(problems),
    )


def stale_rows(sheet: _Sheet, old: CsvText | None, merged: _Merged, file: str) -> list[Problem]:
    """``SAN-E159`` for each row of the folder's file that changed since the workbook was
    exported (per its fingerprint) and that the import would overwrite, revive or drop:
    a stale workbook never silently reverts newer edits. A workbook without a fingerprint
    (made by hand, or by an older Sanitasi) is not checked."""
    if sheet.fingerprint is None:
        return []
    exported = sheet.fingerprint
    current = row_digests(sheet.kind, _records(old))
    columns = [h.strip().lower() for h in merged.header]
    after = row_digests(sheet.kind, (dict(zip(columns, r, strict=False)) for r in merged.rows))
    out = []
    for key in dict.fromkeys([*current, *exported]):
        if exported.get(key) == current.get(key) or after.get(key) == current.get(key):
            continue
        change = "added" if key not in exported else "removed" if key not in current else "changed"
        out.append(
            problem(
                "SAN-E159",
                sheet.label,
                None,
                None,
                key,
                key=key,
                target=file,
                change=change,
                change_id=CHANGE_ID[change],
            )
        )
    return out
