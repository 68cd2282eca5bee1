"""No raw code in any report of the demo, in either language.

The plan HTML and XLSX, the monitoring HTML and XLSX and the SSK document's text (its HTML
edition, the same tree as the DOCX/PDF) are checked by tests/rawcodes.py: no indicator code,
need item, funding source, band, ladder rung or effect string as visible text unless its row
also shows its label (the XLSX keeps codes as keys beside a words column), and no region
code in a row without the region's name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rawcodes import Hit, html_hits, xlsx_hits
from sanitasi.app.document import DocumentReport, document_report
from sanitasi.app.monitoring import monitoring_report
from sanitasi.app.source import FolderSource, PlanRequest
from sanitasi.core.programme_run import MonitoringReport
from sanitasi.reports.document import build_document
from sanitasi.reports.document.pdf import document_html
from sanitasi.reports.html import render_html
from sanitasi.reports.monitoring import write_monitoring_html, write_monitoring_xlsx
from sanitasi.reports.xlsx import write_xlsx

LANGS = ("id", "en")


@pytest.fixture(scope="module")
def demo() -> tuple[DocumentReport, MonitoringReport]:
    source = FolderSource(None)
    doc = document_report(source, PlanRequest())
    mon = monitoring_report(source, 2025, 3, plan=doc.result)
    assert mon is not None
    return doc, mon


def _names(doc: DocumentReport) -> dict[str, str]:
    inputs = doc.result.inputs
    assert inputs is not None
    regions = inputs.regions.drop_duplicates("kode")
    return {str(k): str(v) for k, v in zip(regions["kode"], regions["nama"], strict=True)}


def _fail(hits: list[Hit]) -> str:
    return "\n".join(sorted({str(h) for h in hits})[:60])


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_plan_html_and_document(demo: tuple[DocumentReport, MonitoringReport], lang: str) -> None:
    doc, _ = demo
    names = _names(doc)
    hits = html_hits(render_html(doc.result, lang), f"plan.html[{lang}]", names)
    text = document_html(build_document(doc.result, doc.inputs, lang))
    hits += html_hits(text, f"document[{lang}]", names)
    assert not hits, _fail(hits)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_monitoring_html(
    demo: tuple[DocumentReport, MonitoringReport], lang: str, tmp_path: Path
) -> None:
    doc, mon = demo
    write_monitoring_html(mon, tmp_path / "m.html", lang)
    hits = html_hits((tmp_path / "m.html").read_text(encoding="utf-8"), "mon", _names(doc))
    assert not hits, _fail(hits)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_files(
    demo: tuple[DocumentReport, MonitoringReport], lang: str, tmp_path: Path
) -> None:
    doc, mon = demo
    write_xlsx(doc.result, tmp_path / "plan.xlsx", lang)
    write_monitoring_xlsx(mon, tmp_path / "mon.xlsx", lang)
    hits = xlsx_hits((tmp_path / "plan.xlsx").read_bytes(), f"plan.xlsx[{lang}]")
    hits += xlsx_hits((tmp_path / "mon.xlsx").read_bytes(), f"mon.xlsx[{lang}]")
    assert not hits, _fail(hits)


def test_a_code_column_gains_its_words_in_the_xlsx(tmp_path: Path) -> None:
    """A column of codes keeps its codes and gains a words column; free text naming a code
    gets the words in place (hand-made table, both languages)."""
    import openpyxl
    import pandas as pd

    from sanitasi.core.model import Column, Table
    from sanitasi.reports.xlsx import with_words

    df = pd.DataFrame(
        {
            "source": ["APBD_KOTA", "APBN"],
            "message": ["below JAKSTRANAS_2025", "ok"],
            "value": [1.0, 2.0],
        }
    )
    metas = {
        "source": Column("Sumber dana", "Funding source", "", "text"),
        "message": Column("Pesan", "Message", "", "text"),
        "value": Column("Nilai", "Value", "", "float"),
    }
    out, m = with_words(df, metas, "id")
    assert list(out.columns) == ["source", "source\u2009(words)", "message", "value"]
    assert out["source"].tolist() == ["APBD_KOTA", "APBN"]
    assert out["source\u2009(words)"].tolist() == ["APBD Kab/Kota", "APBN"]
    assert out["message"].tolist() == ["below Jakstranas 2025", "ok"]
    assert m["source\u2009(words)"].label_id == "Sumber dana (uraian)"
    assert m["source\u2009(words)"].label_en == "Funding source (in words)"
    en, _ = with_words(df, metas, "en")
    assert en["source\u2009(words)"].tolist() == [
        "City budget (APBD Kab/Kota)",
        "APBN (national budget)",
    ]
    # and through the writer: the words sit right of the codes
    from sanitasi.reports.xlsx import _Formats, report_workbook, write_table

    with report_workbook(tmp_path / "t.xlsx", "t", "t") as wb:
        write_table(
            wb.add_worksheet("t"), Table("funding", "T", "T", df, metas, {}), _Formats(wb), "id"
        )
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    assert [ws.cell(5, j).value for j in (1, 2)] == ["APBD_KOTA", "APBD Kab/Kota"]
    assert xlsx_hits((tmp_path / "t.xlsx").read_bytes(), "t") == []
