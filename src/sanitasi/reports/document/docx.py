"""The SSK document as an editable Word file (python-docx).

Real heading styles (Heading 1 for each BAB, Heading 2 for sections) so Word's navigation
and table of contents work; a TOC field (``TOC \\o "1-3" \\h \\z \\u``) that Word and
LibreOffice fill when the file is opened (``w:updateFields``); tables and figures captioned
with ``SEQ`` fields (``Tabel 1``, ``Gambar 1`` ...: Word renumbers them after edits);
a page number (``PAGE`` field) in every footer; A4 pages, a landscape section around each
table wider than :data:`~sanitasi.reports.document.model.LANDSCAPE_COLUMNS` columns; figures
as PNG drawn offline by vl-convert from the same Vega-Lite specs as the reports.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from sanitasi.reports.common import write_atomically
from sanitasi.reports.document.model import DocFigure, DocTable, Document, Para
from sanitasi.reports.i18n import t
from sanitasi.reports.static_charts import chart_png

A4 = (Mm(210), Mm(297))
MARGIN = Mm(20)
FIGURE_WIDTH = Mm(150)


def _field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (begin / instruction / separate / cached result / end) in
    ``paragraph``; ``shown`` is the text displayed until the field is updated."""

    def char(kind: str) -> Any:
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run.append(fld)
        return run

    p = paragraph._p
    p.append(char("begin"))
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run.append(instr)
    p.append(run)
    p.append(char("separate"))
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = shown
    run.append(text)
    p.append(run)
    p.append(char("end"))


def _update_fields_on_open(doc: object) -> None:
    settings = doc.settings.element  # type: ignore[attr-defined]
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings.append(el)


def _page_setup(section: object, landscape: bool = False) -> None:
    w, h = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    section.page_width, section.page_height = (h, w) if landscape else (w, h)  # type: ignore[attr-defined]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _footer(section: object, lang: str) -> None:
    footer = section.footer  # type: ignore[attr-defined]
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(f"{t('doc_page', lang)} ")
    _field(p, "PAGE", "1")


def _caption(doc: object, label: str, number: int, title: str) -> None:
    p = doc.add_paragraph(style="Caption")  # type: ignore[attr-defined]
    p.add_run(f"{label} ")
    _field(p, f"SEQ {label} \\* ARABIC", str(number))
    p.add_run(f". {title}")
    p.paragraph_format.keep_with_next = True


def _note(doc: object, text: str) -> None:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    run = p.add_run(text)
    run.italic = True
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _table(doc: object, table: DocTable) -> None:
    n_cols = max(1, len(table.headers))
    tbl = doc.add_table(rows=1, cols=n_cols)  # type: ignore[attr-defined]
    tbl.style = "Table Grid"
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(8 if n_cols <= 10 else 7)
    for j, text in enumerate(table.headers):
        cell = tbl.rows[0].cells[j]
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
    # header row repeats on every page
    tr_pr = tbl.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    hdr.set(qn("w:val"), "true")
    tr_pr.append(hdr)
    for i, row in enumerate(table.rows):
        cells = tbl.add_row().cells
        bold = i < len(table.css) and "total" in table.css[i]
        for j, text in enumerate(row[:n_cols]):
            para = cells[j].paragraphs[0]
            run = para.add_run(text)
            run.font.size = size
            run.bold = bold
            if j < len(table.numeric) and table.numeric[j]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in [table.provenance, *table.notes]:
        if line:
            _note(doc, line)


def _figure(doc: object, fig: DocFigure, lang: str, number: int) -> None:
    png = chart_png(fig.spec, lang)
    if png is None:
        _note(doc, fig.title)
    else:
        doc.add_picture(io.BytesIO(png), width=FIGURE_WIDTH)  # type: ignore[attr-defined]
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    _caption(doc, t("doc_figure", lang), number, fig.title)


def docx_bytes(document: Document) -> bytes:
    """The document as a .docx file (bytes)."""
    lang = document.lang
    doc = new_document()
    styles = doc.styles
    styles["Normal"].font.name = "Liberation Sans"
    styles["Normal"].font.size = Pt(10)
    _page_setup(doc.sections[0])
    _footer(doc.sections[0], lang)
    _update_fields_on_open(doc)

    doc.add_paragraph(document.title, style="Title")
    doc.add_paragraph(document.subtitle, style="Subtitle")
    for label, value in document.meta:
        doc.add_paragraph(f"{label}: {value}")
    if document.notice:
        _note(doc, document.notice)
    doc.add_paragraph(t("doc_toc", lang), style="TOC Heading")
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', t("doc_toc_hint", lang))
    doc.add_page_break()

    n_table = n_figure = 0
    landscape = False
    for ch_i, chapter in enumerate(document.chapters):
        if ch_i:
            if landscape:
                new = doc.add_section(WD_SECTION.NEW_PAGE)
                _page_setup(new)
                landscape = False
            else:
                doc.add_page_break()
        heading = (
            f"{t('doc_chapter', lang, n=chapter.number)} {chapter.title.upper()}"
            if chapter.number
            else chapter.title.upper()
        )
        doc.add_heading(heading, level=1)
        for para in chapter.intro:
            doc.add_paragraph(para.text)
        for s_i, section in enumerate(chapter.sections, start=1):
            number = f"{_arabic(chapter.number)}.{s_i} " if chapter.number else ""
            doc.add_heading(f"{number}{section.title}", level=2)
            for block in section.blocks:
                if isinstance(block, Para):
                    if block.style == "note":
                        _note(doc, block.text)
                    else:
                        doc.add_paragraph(block.text)
                elif isinstance(block, DocTable):
                    if block.landscape != landscape:
                        new = doc.add_section(WD_SECTION.NEW_PAGE)
                        _page_setup(new, landscape=block.landscape)
                        landscape = block.landscape
                    n_table += 1
                    _caption(doc, t("doc_table", lang), n_table, block.title)
                    _table(doc, block)
                elif isinstance(block, DocFigure):
                    if landscape:
                        new = doc.add_section(WD_SECTION.NEW_PAGE)
                        _page_setup(new)
                        landscape = False
                    n_figure += 1
                    _figure(doc, block, lang, n_figure)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _arabic(roman: str) -> str:
    return str({"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}.get(roman, roman))


def write_docx(document: Document, path: str | Path) -> None:
    """Write the .docx through a temporary name (never half a file)."""
    write_atomically(path, docx_bytes(document))


__all__ = ["docx_bytes", "write_docx"]
