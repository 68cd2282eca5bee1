"""``sanitasi document``: the SSK document of a city as ``ssk.docx`` and ``ssk.pdf``.

Runs :func:`sanitasi.app.document.document_report` (the same pipeline as ``sanitasi plan``,
plus the document's own inputs), lays the chapters out
(:func:`sanitasi.reports.document.build_document`) and writes both files through a
temporary folder that is moved into ``--out`` only when complete. Bad input exits with code
2 and lists every problem; nothing is left in ``--out``.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from sanitasi.cli.common import console as _console
from sanitasi.cli.common import fail, fail_app, print_written, write_staged


@click.command()
@click.option(
    "--city-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="City folder (docs/city-data.md). Default: the Kota Solok demo.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out/document"),
    show_default=True,
    help="Folder for ssk.docx and ssk.pdf.",
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option(
    "--no-pdf", "no_pdf", is_flag=True, default=False, help="Write ssk.docx only (no WeasyPrint)."
)
def document(city_dir: Path | None, out: Path, lang: str, no_pdf: bool) -> None:
    """Write the SSK document (Bab I-VI, memorandum, lampiran): ssk.docx and ssk.pdf."""
    from sanitasi.app import AppError, FolderSource
    from sanitasi.app.document import document_report
    from sanitasi.io.errors import InputErrors, errors_of
    from sanitasi.reports.document import build_document, write_document_pdf, write_docx

    console = _console()
    try:
        report = document_report(FolderSource(city_dir))
    except InputErrors as e:
        fail(console, errors_of(e.problems), lang)
    except AppError as e:
        fail_app(console, e, lang)
    doc = build_document(report.result, report.inputs, lang)
    writers = [lambda d: write_docx(doc, d / "ssk.docx")]
    if not no_pdf:
        writers.append(lambda d: write_document_pdf(doc, d / "ssk.pdf"))
    written = write_staged(out, *writers)
    console.print(
        f"{escape(doc.title)}: {len(doc.chapters)} bab, {len(doc.tables())} tabel, "
        f"{len(doc.figures())} gambar"
    )
    for f in written:
        print_written(console, f)


COMMANDS = (document,)

__all__ = ["COMMANDS", "document"]
