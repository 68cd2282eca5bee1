# ruff: noqa: F811
"""Browser journeys of issue 11 with evidence (item 6), at desktop width and at 390 px
(Playwright + Debian's chromium, the ``browser`` fixture of ``test_web_e2e.py``; no
wall-clock limit on any wait):

* opd: ``opd-dlh`` lands on Tugas saya -> "Report ALD-04 2026 Q4" -> fills the quarter and
  attaches a photo and a PDF (a file that is not a photo is refused at the field first,
  nothing saved) -> saves the draft -> submits it;
* koordinator: sees the submitted row in the verify queue with its location, planned to
  date and the photo's thumbnail (loaded through the scoped view), opens the PDF, verifies the
  row, then reopens it with a reason.

No element may be wider than the viewport (wide tables scroll inside their box)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from screenhelpers import assert_fits
from test_web_e2e import DEMO, NO_TIME_LIMIT, Browser, Session, browser, demo_live  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WIDTHS = (1280, 390)
#: A real 1 x 1 PNG (the browser draws it, so the thumbnail's naturalWidth is 1).
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a2c3a4d50000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def own_media(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The live server's evidence files in this test's own folder."""
    from sanitasi.web.evidence import storage

    monkeypatch.setattr(storage, "root", lambda: tmp_path / "media" / "evidence")
    yield


def session(browser: Browser, base: str, width: int) -> Session:
    s = Session(browser, base)
    s.page.set_viewport_size({"width": width, "height": 900})
    s.context.set_default_navigation_timeout(NO_TIME_LIMIT)
    return s


def login_home(s: Session, username: str) -> None:
    s.goto("/accounts/login/")
    form = s.page.locator("section.login form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill("demo")
    with s.page.expect_navigation():
        form.locator("button[type=submit]").click()


#: Every image of the page loaded (the thumbnails are fetched after an HTMX swap; the test
#: reads the database only once the live server has answered them: SQLite's shared in-memory
#: test database refuses a read while another connection works on the table).
#: Every image of the page loaded. A lazy image out of view never starts loading (its
#: ``complete`` stays false: the wait would never end), so the images are made eager first.
IMAGES_DONE = (
    "() => { for (const i of document.images) { if (i.loading === 'lazy') i.loading = 'eager'; }"
    " return [...document.images].every(i => i.complete); }"
)


def settled(s: Session) -> None:
    s.page.wait_for_function(IMAGES_DONE)


def no_overflow(s: Session) -> None:
    assert_fits(s.page, s.page.url)


@pytest.mark.parametrize("width", WIDTHS)
def test_opd_reports_a_quarter_with_evidence(
    demo_live: str, browser: Browser, own_media: None, tmp_path: Path, width: int
) -> None:
    from sanitasi.web.evidence.models import Evidence
    from sanitasi.web.monitoring.models import Realisation

    photo = tmp_path / "foto truk.png"
    photo.write_bytes(PNG_1PX)
    bast = tmp_path / "BAST TW4.pdf"
    bast.write_bytes(PDF)
    fake = tmp_path / "bukan-foto.jpg"
    fake.write_bytes(b"<html>not a photo</html>")

    # the journey of test_web_e2e.py reports ALD-04 2026 Q4 in the same live database:
    # start from the demo's state of that quarter (unreported)
    Realisation.objects.filter(
        city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=4
    ).delete()
    opd = session(browser, demo_live, width)
    login_home(opd, "opd-dlh")
    page = opd.page
    page.wait_for_url(f"**/cities/{DEMO}/agency/DLH/**")
    no_overflow(opd)
    task = page.locator("#task-ALD-04")
    with page.expect_navigation():
        task.locator("a.report-next").click()
    form = page.locator("#editor form.realisation-form")
    assert form.locator("#id_year").input_value() == "2026"
    assert form.locator("#id_quarter").input_value() == "4"
    no_overflow(opd)
    form.locator("#id_output_achieved").fill("120")
    form.locator("#id_cost_spent_idr").fill("400000000")
    form.locator("#id_note").fill("E2E: Q4 with evidence")

    # a file that is not a photo: refused at the field, in Indonesian, nothing saved
    form.locator("#id_evidence_files").set_input_files([str(fake)])
    form.locator("button[type=submit]").click()
    errors = page.locator("#field-evidence_files .errorlist")
    errors.wait_for()
    settled(opd)
    assert "bukan-foto.jpg" in errors.inner_text() and "SAN-E202" in errors.inner_text()
    assert not Realisation.objects.filter(
        city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=4
    ).exists()

    # the photo and the PDF: saved with the draft
    form = page.locator("#editor form.realisation-form")
    form.locator("#id_evidence_files").set_input_files([str(photo), str(bast)])
    form.locator("button[type=submit]").click()
    page.locator("#notice").wait_for()
    row = page.locator("#activity-ALD-04 tr", has=page.locator("td.state-draft")).filter(
        has_text="E2E: Q4 with evidence"
    )
    thumb = row.locator("img.evidence-thumb")
    thumb.wait_for()
    page.wait_for_function("el => el.complete && el.naturalWidth === 1", arg=thumb.element_handle())
    assert "BAST TW4.pdf" in row.inner_text()
    no_overflow(opd)
    settled(opd)

    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=4)
    assert sorted(Evidence.objects.filter(realisation=r).values_list("kind", flat=True)) == [
        "pdf",
        "png",
    ]

    # submit
    # the submit request must reach the server and succeed (a failure names the step here,
    # not as a wait for a state that never comes)
    with page.expect_response(
        lambda resp: resp.request.method == "POST" and f"/realisation/{r.pk}/submit/" in resp.url
    ) as answer:
        row.locator("form button[type=submit]").filter(has_text="Ajukan").click()
    assert answer.value.status == 200, (answer.value.status, answer.value.text()[:500])
    body = answer.value.text()
    r.refresh_from_db()
    assert r.state == "submitted", (r.state, r.version)
    assert f'id="real-{r.pk}"' in body, body[:3000]
    page.locator(f"#real-{r.pk} td.state-submitted").wait_for()
    # once submitted, the files stay and cannot be deleted from the list
    assert page.locator(f"#real-{r.pk} form.evidence-delete").count() == 0
    page.screenshot(path=str(tmp_path / f"opd-evidence-{width}.png"), full_page=True)
    opd.close()


def _submitted_with_evidence() -> Any:
    """ALD-04 2026 Q3 of the demo (submitted) as a draft with a photo and a PDF attached by
    opd-dlh, then submitted again (what the agency's journey leaves behind)."""
    from django.contrib.auth import get_user_model

    from sanitasi.io.evidence import Upload
    from sanitasi.web.evidence import service
    from sanitasi.web.monitoring import workflow
    from sanitasi.web.monitoring.models import Realisation

    dlh = get_user_model().objects.get(username="opd-dlh")
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    files = [
        Upload("truk.png", len(PNG_1PX), io.BytesIO(PNG_1PX)),
        Upload("BAST TW3.pdf", len(PDF), io.BytesIO(PDF)),
    ]
    service.attach(dlh, r, files)
    r.refresh_from_db()
    return workflow.submit(dlh, r, r.version)


@pytest.mark.parametrize("width", WIDTHS)
def test_koordinator_verifies_with_evidence_and_reopens(
    demo_live: str, browser: Browser, own_media: None, tmp_path: Path, width: int
) -> None:
    from sanitasi.web.monitoring.models import Realisation

    r = _submitted_with_evidence()
    koor = session(browser, demo_live, width)
    login_home(koor, "koordinator")
    koor.goto(f"/cities/{DEMO}/realisation/")
    page = koor.page
    row = page.locator(f"#verify-{r.pk}")
    text = row.inner_text()
    assert "Enrol and desludge households under L2T2" in text
    assert "seluruh kota (Kota Solok)" in text
    assert "280" in text and "Rp 70.000.000" in text  # planned to date (apbd, Q3: 0.7)
    assert "295" in text  # realised to date
    thumb = row.locator("img.evidence-thumb")
    page.wait_for_function("el => el.complete && el.naturalWidth === 1", arg=thumb.element_handle())
    with page.expect_download() as info:
        row.locator("a", has_text="BAST TW3.pdf").click()
    assert Path(info.value.path()).read_bytes() == PDF
    assert info.value.suggested_filename == "BAST TW3.pdf"
    no_overflow(koor)

    # verify
    row.locator("button", has_text="Verifikasi").click()
    page.locator("#notice").wait_for()
    assert page.locator(f"#verify-{r.pk}").count() == 0
    settled(koor)
    r.refresh_from_db()
    assert r.state == "verified"

    # reopen with a reason
    reopen = page.locator(f"#reopen-{r.pk}")
    page.locator("#verified-rows summary").click()
    assert reopen.locator("img.evidence-thumb").count() == 1
    reopen.locator("input[name=reason]").fill("Foto BAST tidak terbaca")
    reopen.locator("button[type=submit]").click()
    page.locator("#notice").wait_for()
    page.locator(f"#reopen-{r.pk}").wait_for(state="detached")
    settled(koor)
    r = Realisation.objects.get(pk=r.pk)
    assert r.state == "draft" and r.return_comment == "Foto BAST tidak terbaca"
    assert r.attachments.count() == 2  # the evidence stays with the row
    no_overflow(koor)
    page.screenshot(path=str(tmp_path / f"koordinator-evidence-{width}.png"), full_page=True)
    koor.close()
