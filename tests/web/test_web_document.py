"""The SSK document downloads of the web (issue 14): ssk.docx and ssk.pdf for the city,
through the app layer (the cached plan plus the document files stored at load) and the
download cache; the row scope of every other download."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document as open_docx
from webhelpers import make_city, user

from sanitasi.web.plans import results, views

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def test_docx_download_has_every_chapter(demo: str) -> None:
    results.clear()
    results.clear_downloads()
    response = client_for("viewer").get(f"/cities/{demo}/downloads/ssk.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert 'filename="ssk-kota-solok.docx"' in response["Content-Disposition"]
    doc = open_docx(io.BytesIO(response.content))
    chapters = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert chapters[0] == "BAB I PENDAHULUAN" and chapters[3] == "BAB IV STRATEGI"
    # the stored swot.csv and pokja.csv reached the document
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "kuadran III" in text and "ILUSTRATIF/188.45/2024" in text
    # the second download of unchanged data is read from the cache
    calls: list[int] = []
    original = views._document

    def counting(kode: str, lang: str) -> object:
        calls.append(1)
        return original(kode, lang)

    views._document = counting  # type: ignore[assignment]
    try:
        again = client_for("viewer").get(f"/cities/{demo}/downloads/ssk.docx")
    finally:
        views._document = original  # type: ignore[assignment]
    assert again.content == response.content and calls == []


def test_pdf_download(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """ssk.pdf is the document's print page laid out by the one PDF renderer of the web
    (``views.html_to_pdf``, stubbed here: the layout is tested by the CLI's document test)."""
    seen: list[str] = []

    def fake(html: str) -> bytes:
        seen.append(html)
        return b"%PDF-1.7 fake document"

    monkeypatch.setattr(views, "html_to_pdf", fake)
    results.clear_downloads()
    response = client_for("koordinator").get(f"/cities/{demo}/downloads/ssk.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 fake document" and len(seen) == 1
    assert seen[0].lstrip().lower().startswith("<!doctype html")
    assert "Kota Solok" in seen[0]


def test_scope_and_formats(demo: str) -> None:
    make_city("12.71", "Kota Medan")
    assert client_for("opd-dlh").get("/cities/12.71/downloads/ssk.docx").status_code == 404
    assert client_for("viewer").get(f"/cities/{demo}/downloads/ssk.odt").status_code == 404
    anonymous = Client().get(f"/cities/{demo}/downloads/ssk.docx")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
