"""The SSK document of the Kota Solok demo (issue 14): golden structure of ssk.docx
(headings, tables and their captions, figures), the Word features a Pokja edits with
(TOC field, SEQ captions, page numbers, A4, landscape sections) and the PDF edition."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document as open_docx
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from golden import assert_golden
from sanitasi.app import FolderSource
from sanitasi.app.document import DocumentReport, document_report
from sanitasi.reports.document import build_document, document_html, docx_bytes


@pytest.fixture(scope="module")
def report() -> DocumentReport:
    return document_report(FolderSource(None))


@pytest.fixture(scope="module")
def docx_file(report: DocumentReport) -> bytes:
    return docx_bytes(build_document(report.result, report.inputs, "id"))


def _structure(data: bytes) -> dict[str, object]:
    doc = open_docx(io.BytesIO(data))
    headings = [
        f"{p.style.name}: {p.text}" for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    return {
        "headings": headings,
        "n_tables": len(doc.tables),
        "n_figures": len(doc.inline_shapes),
        "captions": captions,
    }


def test_golden_structure_of_the_demo_document(docx_file: bytes) -> None:
    s = _structure(docx_file)
    lines = [*s["headings"], f"tables: {s['n_tables']}", f"figures: {s['n_figures']}"]  # type: ignore[misc]
    lines += s["captions"]  # type: ignore[arg-type]
    assert_golden("reports/document_structure_id.txt", "\n".join(lines) + "\n")
    # one caption per table and per figure, numbered 1..n in order
    tables = [c for c in s["captions"] if c.startswith("Tabel ")]  # type: ignore[attr-defined]
    assert [int(re.match(r"Tabel (\d+)\.", c).group(1)) for c in tables] == list(  # type: ignore[union-attr]
        range(1, s["n_tables"] + 1)  # type: ignore[operator]
    )
    chapters = [h for h in s["headings"] if h.startswith("Heading 1")]  # type: ignore[attr-defined]
    assert chapters == [
        "Heading 1: BAB I PENDAHULUAN",
        "Heading 1: BAB II PROFIL SANITASI",
        "Heading 1: BAB III KERANGKA KERJA LOGIS DAN SASARAN",
        "Heading 1: BAB IV STRATEGI",
        "Heading 1: BAB V PROGRAM, KEGIATAN DAN INDIKASI PENDANAAN",
        "Heading 1: BAB VI MONITORING DAN EVALUASI",
        "Heading 1: LAMPIRAN",
    ]


def test_word_features(docx_file: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_file)) as z:
        body = z.read("word/document.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
        footers = "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")
        )
    assert 'TOC \\o "1-2" \\h \\z \\u' in body  # a real table of contents field
    assert "SEQ Tabel \\* ARABIC" in body and "SEQ Gambar \\* ARABIC" in body
    assert "<w:updateFields" in settings  # Word fills the TOC when the file is opened
    assert " PAGE " in footers  # page numbers
    doc = open_docx(io.BytesIO(docx_file))
    portrait = [s for s in doc.sections if s.orientation == WD_ORIENT.PORTRAIT]
    landscape = [s for s in doc.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert portrait and landscape  # wide tables sit in landscape sections
    assert all(abs(s.page_width - Mm(210)) < Mm(1) for s in portrait)  # A4
    assert all(abs(s.page_width - Mm(297)) < Mm(1) for s in landscape)


def test_tables_come_from_the_plan(report: DocumentReport) -> None:
    """Figures of the document are the plan's: the needs by agency add up to the funding
    table over the SSK period, and the action plan's pagu is programme.csv's planned cost."""
    tables = report.result.tables
    f = tables["funding"].df
    period = f[(f["year"] >= 2025) & (f["year"] <= 2029)]
    assert tables["agency_funding"].df["cost_idr"].sum() == pytest.approx(
        period["cost_idr"].sum(), rel=1e-12
    )
    ap = tables["action_plan"].df.set_index(["year", "code"])
    # programme.csv: ALD-01 planned_cost_2025 = 720000000, planned_output_2025 = 120
    assert ap.loc[(2025, "ALD-01"), "pagu_idr"] == 720_000_000
    assert ap.loc[(2025, "ALD-01"), "volume"] == 120
    # every table keeps its provenance line
    doc = build_document(report.result, report.inputs, "en")
    assert all(t.provenance.startswith("Inputs:") or not t.provenance for t in doc.tables())
    assert sum(1 for t in doc.tables() if t.provenance) >= len(doc.tables()) - 3


def test_nomenclature_codes_of_the_demo_activities(report: DocumentReport) -> None:
    ap = report.result.tables["action_plan"].df
    codes = dict(zip(ap["code"], ap["sub_kegiatan_code"], strict=False))
    assert codes["ALD-01"] == "1.03.05.2.01.0044"  # SPALD-S (septic tanks)
    assert codes["ALD-03"] == "1.03.05.2.01.0029"  # SPALD-T skala permukiman
    assert codes["ALD-05"] == "1.03.05.2.01.0032"  # IPLT
    assert codes["PS-01"] == "2.11.11.2.01.0005"  # TPS3R: sarana prasarana sampah
    kegiatan = dict(zip(ap["code"], ap["kegiatan_code"], strict=False))
    assert kegiatan["PS-05"] == "1.03.04.1.01" and codes["PS-05"] == ""  # provincial kegiatan
    prog = dict(zip(ap["code"], ap["program_code"], strict=False))
    assert prog["ALD-01"] == "1.03.05" and prog["PS-02"] == "2.11.11"


def test_swot_chapter_of_the_demo(report: DocumentReport) -> None:
    s = report.result.tables["swot_scores"].df.set_index("sector")
    # ald: S = 0.20x3 + 0.15x3 = 1.05, W = 0.30x4 + 0.25x4 + 0.10x3 = 2.5 -> IFAS -1.45;
    # O = 0.35x4 + 0.25x3 = 2.15, T = 0.25x3 + 0.15x2 = 1.05 -> EFAS 1.1: quadrant III
    assert s.loc["ald", "ifas"] == pytest.approx(-1.45)
    assert s.loc["ald", "efas"] == pytest.approx(1.1)
    assert s.loc["ald", "quadrant"] == "III"
    # persampahan: S = 0.25x3 + 0.25x4 = 1.75, W = 0.30x3 + 0.20x2 = 1.3 -> IFAS 0.45;
    # O = 0.30x3 + 0.20x3 = 1.5, T = 0.35x4 + 0.15x2 = 1.7 -> EFAS -0.2: quadrant II
    assert s.loc["persampahan", "ifas"] == pytest.approx(0.45)
    assert s.loc["persampahan", "efas"] == pytest.approx(-0.2)
    assert s.loc["persampahan", "quadrant"] == "II"


def test_html_edition_for_the_pdf(report: DocumentReport) -> None:
    doc = build_document(report.result, report.inputs, "en")
    html = document_html(doc)
    assert html.count("<table>") == len(doc.tables())
    assert "CHAPTER IV STRATEGY" in html and "page: wide" in html
    assert "<script" not in html
