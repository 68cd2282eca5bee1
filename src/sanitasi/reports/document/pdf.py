"""The SSK document's PDF edition: the same document tree as HTML for print (A4, named
landscape pages for wide tables, figures as SVG drawn offline by vl-convert), laid out by
WeasyPrint like the plan PDF (:func:`sanitasi.reports.html.pdf_bytes`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from sanitasi.reports.common import write_atomically
from sanitasi.reports.document.model import DocFigure, DocTable, Document, Para
from sanitasi.reports.html import Cell, pdf_bytes
from sanitasi.reports.i18n import t
from sanitasi.reports.print_layout import PT_PER_MM, column_shares
from sanitasi.reports.static_charts import render_chart

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ doc.lang }}"><head><meta charset="utf-8"><title>{{ doc.title }}</title>
<style>
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: "{{ page_word }} " counter(page); font-size: 8pt; } }
@page wide { size: A4 landscape; }
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; color: #111; }
h1 { font-size: 15pt; page-break-before: always; border-bottom: 1px solid #999; }
h1.first { page-break-before: auto; }
h2 { font-size: 12pt; margin-top: 14pt; }
.cover h1 { page-break-before: auto; border: 0; font-size: 20pt; }
.note { font-size: 7.5pt; color: #555; font-style: italic; margin: 2pt 0 8pt 0; }
.caption { font-weight: bold; font-size: 8.5pt; margin: 8pt 0 3pt 0; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 7.5pt; page-break-inside: auto;
  table-layout: fixed; }
th, td { border: 0.5pt solid #999; padding: 1.5pt 3pt; vertical-align: top;
  overflow-wrap: anywhere; }
.wide table { font-size: 6.5pt; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; }
thead { display: table-header-group; }
.wide { page: wide; }
figure { margin: 6pt 0; page-break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
ul.toc { font-size: 10pt; list-style: none; padding-left: 0; }
</style></head><body>
<div class="cover"><h1 class="first">{{ doc.title }}</h1><p>{{ doc.subtitle }}</p>
{% for k, v in doc.meta %}<p>{{ k }}: {{ v }}</p>{% endfor %}
{% if doc.notice %}<p class="note">{{ doc.notice }}</p>{% endif %}
<h2>{{ toc_word }}</h2><ul class="toc">{% for ch in chapters %}<li>{{ ch.heading }}</li>{% endfor %}</ul></div>
{% for ch in chapters %}
<h1>{{ ch.heading }}</h1>
{% for sec in ch.sections %}<h2>{{ sec.title }}</h2>
{% for b in sec.blocks %}
{% if b.kind == "para" %}<p class="{{ b.css }}">{{ b.text }}</p>
{% elif b.kind == "table" %}<div class="{{ 'wide' if b.wide else '' }}">
<p class="caption">{{ b.caption }}</p>
<table><colgroup>{% for w in b.widths %}<col style="width: {{ w }}%">{% endfor %}</colgroup><thead><tr>{% for h in b.table.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in b.rows %}<tr class="{{ row.css }}">{% for c in row.cells %}<td class="{{ c.css }}">{{ c.text }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>
{% for n in b.notes %}<p class="note">{{ n }}</p>{% endfor %}</div>
{% elif b.kind == "figure" %}<figure>{{ b.markup | safe }}<figcaption class="caption">{{ b.caption }}</figcaption></figure>
{% endif %}{% endfor %}{% endfor %}{% endfor %}
</body></html>
"""


#: Text width of the document's A4 page, portrait and landscape (16 mm side margins), its
#: table type size, portrait and landscape (``.wide``), and a cell's horizontal padding
#: (1.5pt 3pt) plus its collapsed 0.5 pt border, in pt.
_PORTRAIT_PT = (210 - 32) * PT_PER_MM
_LANDSCAPE_PT = (297 - 32) * PT_PER_MM
_FONT_PT, _WIDE_FONT_PT, _PAD_PT = 7.5, 6.5, 2 * 3 + 0.5


def _column_widths(table: DocTable, rows: list[dict[str, Any]]) -> list[float]:
    """Column widths (% of the table) of a document table: its tables are laid out with
    ``table-layout: fixed`` (WeasyPrint's automatic layout measured every cell of the
    document's ~16,000, most of the PDF's time), sized from the print font's metrics
    (:func:`sanitasi.reports.print_layout.column_shares`)."""
    headers = [Cell(str(h)) for h in table.headers]
    cells = [(r["css"], [Cell(c["text"], num=c["css"] == "num") for c in r["cells"]]) for r in rows]
    return column_shares(
        headers,
        cells,
        _LANDSCAPE_PT if table.landscape else _PORTRAIT_PT,
        font_pt=_WIDE_FONT_PT if table.landscape else _FONT_PT,
        pad_pt=_PAD_PT,
    )


def document_html(document: Document) -> str:
    """The document as one print-ready HTML page (no JavaScript)."""
    lang = document.lang
    n_table = n_figure = 0
    chapters = []
    for ch in document.chapters:
        heading = (
            f"{t('doc_chapter', lang, n=ch.number)} {ch.title.upper()}"
            if ch.number
            else ch.title.upper()
        )
        sections = []
        for sec in ch.sections:
            blocks: list[dict[str, Any]] = []
            for b in sec.blocks:
                if isinstance(b, Para):
                    blocks.append({"kind": "para", "text": b.text, "css": b.style})
                elif isinstance(b, DocTable):
                    n_table += 1
                    rows = [
                        {
                            "css": b.css[i] if i < len(b.css) else "",
                            "cells": [
                                {
                                    "text": x,
                                    "css": "num" if j < len(b.numeric) and b.numeric[j] else "",
                                }
                                for j, x in enumerate(r)
                            ],
                        }
                        for i, r in enumerate(b.rows)
                    ]
                    blocks.append(
                        {
                            "kind": "table",
                            "caption": f"{t('doc_table', lang)} {n_table}. {b.title}",
                            "table": b,
                            "rows": rows,
                            "wide": b.landscape,
                            "widths": _column_widths(b, rows),
                            "notes": [x for x in (b.provenance, *b.notes) if x],
                        }
                    )
                elif isinstance(b, DocFigure):
                    n_figure += 1
                    chart = render_chart(b.key, b.spec, lang, fmt="svg", title=b.title)
                    blocks.append(
                        {
                            "kind": "figure",
                            "caption": f"{t('doc_figure', lang)} {n_figure}. {b.title}",
                            "markup": chart.markup,
                        }
                    )
            sections.append({"title": sec.title, "blocks": blocks})
        chapters.append({"heading": heading, "sections": sections})
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE).render(
        doc=document,
        chapters=chapters,
        page_word=t("doc_page", lang),
        toc_word=t("doc_toc", lang),
    )


def document_pdf(document: Document) -> bytes:
    """The PDF edition (WeasyPrint; needs Pango and ``fonts-liberation``)."""
    return pdf_bytes(document_html(document))


def write_document_pdf(document: Document, path: str | Path) -> None:
    write_atomically(path, document_pdf(document))


__all__ = ["document_html", "document_pdf", "write_document_pdf"]
