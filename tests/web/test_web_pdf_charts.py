"""The PDF downloads of the plan and monitoring reports carry their charts (drawn offline
as SVG by vl-convert, ``reports.static_charts``): chart titles and Indonesian/English axis
numbers are text in the PDF, the pages draw far more than the chart-less PDF did, a chart
that cannot be drawn leaves a note instead of breaking the download, and the downloads keep
their scoping (every role of the city may download; another city is 404)."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from webhelpers import make_city, user

from sanitasi.reports import static_charts
from sanitasi.reports.html import render_html
from sanitasi.reports.monitoring import render_monitoring_html
from sanitasi.web.plans import results
from sanitasi.web.plans.views import html_to_pdf

pytest.importorskip("weasyprint")
pytest.importorskip("vl_convert")
pypdf = pytest.importorskip("pypdf")

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
PERIOD = "year=2025&quarter=3"

#: Chart titles of the demo plan (Indonesian) and where their charts stand.
PLAN_TITLES = (
    "Tangga sanitasi per kelurahan/desa (skenario rencana)",
    "Neraca sampah kota (Rencana)",
    "Indikasi pendanaan menurut sumber dan tahun",
    "Biaya program vs indikasi pendanaan kebutuhan",
    "Akses layak",
)
MON_TITLES = (
    "Rencana vs realisasi keuangan per triwulan (kumulatif)",
    "Rencana vs realisasi keluaran per kegiatan (kumulatif)",
)


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


_OPS = re.compile(rb"(?<![A-Za-z0-9_/])(m|l|c|re|BT)(?![A-Za-z0-9_*'\"])")


def drawing_ops(pdf: bytes) -> Counter[str]:
    """Path (``m``, ``l``, ``c``, ``re``) and text (``BT``) operators of every page,
    counting the form XObjects (SVG groups) the pages draw, each once."""
    counts: Counter[str] = Counter()
    seen: set[int] = set()

    def streams(resources: Any) -> list[Any]:
        xobjects = (resources or {}).get("/XObject") or {}
        out = []
        for ref in xobjects.values():
            key = getattr(ref, "idnum", None) or id(ref)
            obj = ref.get_object()
            if key in seen or obj.get("/Subtype") != "/Form":
                continue
            seen.add(key)
            out.append(obj)
            out.extend(streams(obj.get("/Resources")))
        return out

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        contents = page.get_contents()
        data = [contents.get_data()] if contents is not None else []
        data += [form.get_data() for form in streams(page.get("/Resources"))]
        for chunk in data:
            counts.update(op.decode() for op in _OPS.findall(chunk))
    return counts


def paths(counts: Counter[str]) -> int:
    return counts["m"] + counts["l"] + counts["c"] + counts["re"]


@pytest.fixture(autouse=True)
def _fresh_charts() -> None:
    static_charts.clear_cache()


def test_plan_pdf_has_the_charts(demo: str) -> None:
    response = client_for("viewer").get(f"/cities/{demo}/downloads/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="ssk-kota-solok.pdf"' in response["Content-Disposition"]
    pages = page_texts(response.content)
    text = "\n".join(pages)
    # the city is named on the first pages (this is the suite's real plan.pdf layout;
    # test_web_screens.py::test_plan_pdf stubs the renderer)
    assert "Solok" in "".join(pages[:3])
    for title in PLAN_TITLES:
        assert title in text, title
    assert "Bagian rumah tangga \u2014 Rencana" in text  # a subtitle, printed as caption
    assert "Biaya (miliar Rp)" in text and "Persen (%)" in text  # axis titles (SVG text)
    assert "Kampung Jawa" in text  # a kelurahan on the ladder chart's axis
    assert "tidak dapat digambar" not in text  # every chart drawn
    # the same print edition without its charts
    printed = render_html(results.plan_result(demo), "id", inline_js=False, static_charts=True)
    before = html_to_pdf(
        re.sub(r'<figure class="chart static".*?</figure>', "", printed, flags=re.S)
    )
    assert "Grafik memerlukan JavaScript" not in text  # the chart-less PDF's <noscript> note
    new, old = drawing_ops(response.content), drawing_ops(before)
    assert paths(new) > paths(old) + 2000, (new, old)
    # curves: line symbols, circles; the chart-less PDF has only those of the two SFD Sankey
    # diagrams of Bab II (inline SVG, drawn without charts; 44 on the demo)
    assert old["c"] < 100 and new["c"] > old["c"] + 1000, (new, old)
    assert new["BT"] > old["BT"] + 300, (new, old)  # chart labels are text objects


def test_monitoring_pdf_has_the_charts(demo: str) -> None:
    c = client_for("opd-perkim")
    response = c.get(f"/cities/{demo}/downloads/monitoring.pdf?{PERIOD}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "monitoring-kota-solok-2025-q3.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for title in MON_TITLES:
        assert title in text, title
    assert "Akses layak" in text and "Biaya (miliar Rp)" in text
    assert "Prakiraan laju saat ini" in text  # a legend entry, drawn in the SVG
    assert re.search(r"^0,5$", text, re.M) and not re.search(r"^0\.5$", text, re.M)  # 0,5
    assert "tidak dapat digambar" not in text
    report = results.monitoring_report(demo, 2025, 3)
    assert report is not None
    before = html_to_pdf(render_monitoring_html(report, "id", inline_js=False))
    # the chart-less PDF only had the <noscript> note of each chart
    assert "Grafik memerlukan JavaScript" in pdf_text(before)
    assert "Grafik memerlukan JavaScript" not in text
    new, old = drawing_ops(response.content), drawing_ops(before)
    assert paths(new) > paths(old) + 1000, (new, old)
    assert old["c"] < 10 < 500 < new["c"], (new, old)
    assert new["BT"] > old["BT"] + 150, (new, old)


def test_monitoring_pdf_in_english_uses_english_numbers(demo: str) -> None:
    c = client_for("koordinator")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = c.get(f"/cities/{demo}/downloads/monitoring.pdf?{PERIOD}")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Planned vs spent money by quarter (cumulative)" in text  # caption
    assert "Forecast at current pace" in text  # a legend entry, drawn in the SVG
    assert "Rencana vs realisasi keuangan" not in text
    # the output chart's axes go 0, 0.5, 1 for small outputs: English decimal point
    assert re.search(r"^0\.5$", text, re.M) and not re.search(r"^0,5$", text, re.M)


def test_a_chart_that_fails_leaves_a_note(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(spec: Any, lang: str, fmt: str) -> str:
        raise RuntimeError("renderer unavailable")

    monkeypatch.setattr(static_charts, "_convert", broken)
    response = client_for("viewer").get(f"/cities/{demo}/downloads/monitoring.pdf?{PERIOD}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = re.sub(r"\s+", " ", pdf_text(response.content))
    for title in MON_TITLES:
        assert title in text, title  # the caption stays
    assert "tidak dapat digambar (RuntimeError: renderer unavailable)" in text


@pytest.mark.parametrize("role", ROLES)
def test_pdf_downloads_every_role(
    demo: str, role: str, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Every role of the city may download both PDFs (rendering stubbed: the access check
    is what this test is about; the tests above draw the real PDFs)."""
    from sanitasi.web.plans import views

    seen: list[str] = []

    def fake_pdf(html: str) -> bytes:
        seen.append(html)
        return b"%PDF-1.7 stub"

    monkeypatch.setattr(views, "html_to_pdf", fake_pdf)
    monkeypatch.setattr(static_charts, "_convert", lambda spec, lang, fmt: "<svg></svg>")
    c = client_for(role)
    plan = c.get(f"/cities/{demo}/downloads/plan.pdf")
    mon = c.get(f"/cities/{demo}/downloads/monitoring.pdf?{PERIOD}")
    assert plan.status_code == 200 and mon.status_code == 200, role
    assert plan.content == mon.content == b"%PDF-1.7 stub"
    # both pages are the print mode: charts inline, no script
    assert len(seen) == 2
    for html in seen:
        assert '<figure class="chart static"' in html and "<script" not in html


def test_pdf_downloads_out_of_scope_and_login(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    for role in ("koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "viewer"):
        c = client_for(role)
        assert c.get("/cities/13.71/downloads/plan.pdf").status_code == 404, role
        assert c.get(f"/cities/13.71/downloads/monitoring.pdf?{PERIOD}").status_code == 404
    assert client_for("viewer").get("/cities/99.99/downloads/plan.pdf").status_code == 404
    anonymous = Client().get(f"/cities/{demo}/downloads/plan.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
