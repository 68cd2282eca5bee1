"""Report downloads are cached per city, language and data version (a PDF takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from webhelpers import user

from sanitasi.web import shared
from sanitasi.web.monitoring import workflow
from sanitasi.web.plans import results, views
from sanitasi.web.programme.models import Activity


@pytest.fixture
def pdf_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def fake(html: str) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 fake " + str(len(calls)).encode()

    monkeypatch.setattr(views, "html_to_pdf", fake)
    results.clear()
    return calls


def test_second_download_of_unchanged_data_is_not_rendered_again(
    demo: str, pdf_calls: list[str]
) -> None:
    c = Client()
    c.force_login(user("viewer"))
    first = c.get(f"/cities/{demo}/downloads/plan.pdf")
    second = c.get(f"/cities/{demo}/downloads/plan.pdf")
    assert first.status_code == second.status_code == 200
    assert len(pdf_calls) == 1
    assert first.content == second.content == b"%PDF-1.7 fake 1"
    # another language is another document
    c.cookies["django_language"] = "en"
    assert c.get(f"/cities/{demo}/downloads/plan.pdf").content == b"%PDF-1.7 fake 2"
    # the same monitoring period once; another period again
    url = f"/cities/{demo}/downloads/monitoring.pdf"
    c.get(url, {"year": 2026, "quarter": 3})
    c.get(url, {"year": 2026, "quarter": 3})
    c.get(url, {"year": 2026, "quarter": 2})
    assert len(pdf_calls) == 4


def test_changed_data_renders_a_new_document(demo: str, pdf_calls: list[str]) -> None:
    c = Client()
    c.force_login(user("koordinator"))
    c.get(f"/cities/{demo}/downloads/plan.pdf")
    act = Activity.objects.get(city_kode=demo, code="PS-02")
    row = workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=1)
    workflow.submit(user("opd-dlh"), row, row.version)
    assert c.get(f"/cities/{demo}/downloads/plan.pdf").content == b"%PDF-1.7 fake 2"
    assert len(pdf_calls) == 2


def test_downloads_are_shared_through_the_file_cache(demo: str, pdf_calls: list[str]) -> None:
    """Another gunicorn worker (another process: here, an empty in-process state) reads the
    PDF rendered by the first from the ``downloads`` file cache, not by rendering again."""
    from django.conf import settings
    from django.core.cache import caches

    if not settings.CACHES["downloads"]["BACKEND"].endswith("FileBasedCache"):
        pytest.skip(
            "file caches only (SQLite); on PostgreSQL the caches are tables shared by "
            "every instance: tests/web/test_web_scale_out.py"
        )
    c = Client()
    c.force_login(user("viewer"))
    before = results.data_version(demo)
    first = c.get(f"/cities/{demo}/downloads/plan.pdf").content
    after = results.data_version(demo)
    shared.clear_local()  # the runs of this process are gone; the file caches are not
    files = sorted(p.name for p in Path(settings.CACHES["downloads"]["LOCATION"]).glob("*"))
    again = c.get(f"/cities/{demo}/downloads/plan.pdf").content
    assert again == first, (before, after, results.data_version(demo), files, dict(shared.stats))
    assert len(pdf_calls) == 1
    caches["downloads"].clear()
    c.get(f"/cities/{demo}/downloads/plan.pdf")
    assert len(pdf_calls) == 2
