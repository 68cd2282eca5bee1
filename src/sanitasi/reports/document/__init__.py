"""The SSK document (Bab I-VI, memorandum, action plan, lampiran) as an editable Word file
and its PDF edition: :func:`build_document` lays the chapters out from a plan result with
the document tables; :func:`docx_bytes` / :func:`write_docx` and :func:`document_pdf` /
:func:`write_document_pdf` render it."""

from __future__ import annotations

from sanitasi.reports.document.docx import docx_bytes, write_docx
from sanitasi.reports.document.model import (
    Chapter,
    DocFigure,
    DocTable,
    Document,
    Para,
    Section,
    build_document,
)
from sanitasi.reports.document.pdf import document_html, document_pdf, write_document_pdf

__all__ = [
    "Chapter",
    "DocFigure",
    "DocTable",
    "Document",
    "Para",
    "Section",
    "build_document",
    "document_html",
    "document_pdf",
    "docx_bytes",
    "write_docx",
    "write_document_pdf",
]
