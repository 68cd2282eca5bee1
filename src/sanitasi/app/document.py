"""The SSK document of a city (``sanitasi document``; the web's ``ssk.docx`` / ``ssk.pdf``).

:func:`document_report` runs the plan exactly as ``sanitasi plan`` does
(:func:`sanitasi.app.plan.plan_report`: one pipeline, no second computation), reads the
document's own inputs (``swot.csv``, ``pokja.csv``, ``need_agency.csv`` and the reference
tables; :mod:`sanitasi.io.document`) and adds the document tables
(:func:`sanitasi.core.document.document_tables`). Every problem of every input is raised
together in one :class:`~sanitasi.io.errors.InputErrors`.

**Fiscal history (Bab II).** ``fiscal_history.csv`` is read by the optimiser's reader
(:func:`sanitasi.io.budget.read_fiscal_history`) in :func:`fiscal_table`; without the file
the Bab II section says it is not given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.resources.abc import Traversable
from typing import Protocol

import pandas as pd

from sanitasi.app.ghg import ghg_chapter
from sanitasi.app.instruments import instrument_chapters
from sanitasi.app.plan import read_all, with_programme
from sanitasi.app.source import CitySource, PlanRequest
from sanitasi.core.document import document_tables
from sanitasi.core.memorandum import DocumentInputs
from sanitasi.core.model import PlanResult
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.results import run_plan
from sanitasi.io.budget import read_fiscal_history
from sanitasi.io.document import read_document
from sanitasi.io.errors import InputErrors, Problem, errors_of


class DocumentSource(Protocol):
    """A source that can hand over the folder of its document files (a city folder, the
    demo, or the web's stored files as a :class:`~sanitasi.io.folders.MemoryFolder`)."""

    def document_folder(self) -> Traversable: ...


@dataclass(frozen=True)
class DocumentReport:
    """The plan result with the document tables added, and the document inputs (legal
    basis, Pokja, outline ...) the chapters' text needs."""

    result: PlanResult
    inputs: DocumentInputs


def fiscal_table(source: CitySource) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The fiscal history ``year, source, sector, spent_idr, status`` of the city
    (``fiscal_history.csv`` of the source's document folder; ``None`` without it) and the
    file's problems, raised with the others by the callers."""
    return read_fiscal_history(_document_folder(source))


def _document_folder(source: CitySource) -> Traversable | None:
    folder = getattr(source, "document_folder", None)
    return folder() if callable(folder) else None


def with_document(result: PlanResult, source: CitySource) -> DocumentReport:
    """The document of an already computed plan report (``result`` of
    :func:`~sanitasi.app.plan.plan_report` on the same ``source``; the web passes its cached
    plan): reads the document inputs and adds the document tables. Raises
    :class:`InputErrors` with every problem of the document files."""
    doc, found = read_document(_document_folder(source), result.programme)
    fiscal, fiscal_found = fiscal_table(source)
    if doc is None or errors_of(fiscal_found):
        raise InputErrors(errors_of(found) + errors_of(fiscal_found))
    return _assemble(result, replace(doc, fiscal=fiscal))


def _assemble(result: PlanResult, doc: DocumentInputs) -> DocumentReport:
    period = (int(result.options.period[0]), int(result.options.period[1]))
    tables = document_tables(result, doc, period)
    return DocumentReport(replace(result, tables={**result.tables, **tables}), doc)


def document_report(source: CitySource, request: PlanRequest | None = None) -> DocumentReport:
    """The SSK document's result: plan (+ programme and Bab II instruments, as ``sanitasi
    plan``) and the document tables. Raises :class:`InputErrors` with every problem of the
    plan files, the programme, the instruments and the document files together."""
    request = request or PlanRequest()
    problems: list[Problem] = []
    read = None
    try:
        read = read_all(source, request)
    except InputErrors as e:
        problems += errors_of(e.problems)
    prog: ProgrammeInputs | None = read[2] if read is not None else None
    if read is None:
        try:
            prog = source.programme()
        except InputErrors:
            prog = None  # already reported by read_all
    doc, found = read_document(_document_folder(source), prog)
    problems += errors_of(found)
    fiscal, fiscal_found = fiscal_table(source)
    problems += errors_of(fiscal_found)
    if problems or read is None or doc is None:
        raise InputErrors(problems)
    inputs, options, prog, ins, ghg = read
    result = instrument_chapters(with_programme(run_plan(inputs, options), prog), ins)
    result = ghg_chapter(result, ghg, request.gwp)
    return _assemble(result, replace(doc, fiscal=fiscal))


__all__ = [
    "DocumentReport",
    "DocumentSource",
    "document_report",
    "fiscal_table",
    "with_document",
]
