"""End-to-end in a real browser: Playwright (the pip package) driving Debian's
``/usr/bin/chromium`` headless against pytest-django's ``live_server`` (which serves the
static files, so the vendored HTMX and Vega are loaded as in production; no CDN).

The scenario: ``opd-dlh`` enters a 2026 Q4 realisation for ALD-04, saves the draft and submits
it; ``koordinator`` verifies it and the dashboard's 2026 Q4 monitoring figures change; the plan
PDF downloads and names Kota Solok; the language switch turns the dashboard into English; the
Vega charts are drawn. Skipped when chromium or the playwright package is missing (no browser
is ever downloaded: ``scripts/system_deps.sh`` installs Debian's chromium).

Runs with ``transactional_db`` so the live server thread sees the data; the demo (loaded once
per session by ``conftest.py``) is loaded again when an earlier transactional test flushed it.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
    pytest.skip(
        "e2e: /usr/bin/chromium is missing (install Debian's chromium: scripts/system_deps.sh)",
        allow_module_level=True,
    )
try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:
    pytest.skip(
        "e2e: the playwright package is missing (pip install playwright; no browser download)",
        allow_module_level=True,
    )

from pypdf import PdfReader  # noqa: E402

DEMO = "13.72"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The plan PDF takes seconds on an idle machine and much longer on a loaded CI machine: the
#: waits allow 15 minutes, far beyond any slow machine, so the tests never depend on
#: wall-clock speed; the bound only turns a wait for a condition that can never come true
#: (a clean-clone run hung on one) into a failure naming the wait, instead of a hang.
NO_TIME_LIMIT = int(os.environ.get("SANITASI_E2E_WAIT_MS", 15 * 60 * 1000))
Q4 = "?year=2026&quarter=4"
# a 2026 Q4 row ("2026 TW4" in Indonesian, "2026 Q4" in English; never "2.026")
Q4_ROW = re.compile(r"2026 (?:Q|TW)4")

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def demo_live(transactional_db: None, live_server: Any) -> Iterator[str]:
    """The live server's URL with the Kota Solok demo (and its accounts) in the database."""
    from sanitasi.web.geography.models import Region
    from sanitasi.web.loader import load_city_folder
    from sanitasi.web.plans import results

    # The engine cache is keyed by the latest audit id; SQLite reuses the ids of rolled-back
    # tests, so a report cached by an earlier test could be served for different data.
    results.clear()
    if not Region.objects.filter(city_kode=DEMO).exists():
        load_city_folder(None, demo=True)
    yield str(live_server.url)


@pytest.fixture
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread: Django's async-safety check
    # would refuse the ORM calls of the fixtures' teardown (the flush) while it runs.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            try:
                yield b
            finally:
                b.close()
    finally:
        if old is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


class Session:
    """One user's browser context, recording page errors and any request off the server."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.base = base
        self.host = urlsplit(base).netloc
        self.context = browser.new_context(accept_downloads=True, locale="id-ID")
        # a page may wait for a cold plan run or a PDF (seconds idle, minutes on a loaded
        # machine): no time limit, so the test never depends on wall-clock speed
        self.context.set_default_timeout(NO_TIME_LIMIT)
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.csp: list[str] = []
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", self._console)
        self.page.on("request", self._request)

    def _console(self, message: Any) -> None:
        """Chromium reports every Content-Security-Policy violation on the console."""
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def _request(self, request: Any) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and url.netloc != self.host:
            self.foreign.append(request.url)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response)

    def login(self, username: str) -> None:
        self.goto(f"/accounts/login/?next=/cities/{DEMO}/")
        form = self.page.locator("section.login form")
        form.locator("#id_username").fill(username)
        form.locator("#id_password").fill("demo")
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert self.page.url.rstrip("/").endswith(f"/cities/{DEMO}"), self.page.url
        assert self.page.locator(".who").inner_text().startswith(username)

    def figures(self) -> dict[str, str]:
        """The dashboard's monitoring figures for 2026 Q4: label → shown value."""
        self.goto(f"/cities/{DEMO}/{Q4}")
        # years are not grouped like amounts ("2026", not "2.026" in Indonesian)
        heading = self.page.locator("#monitoring h2").inner_text()
        assert " 2026 " in heading and "2.026" not in heading, heading
        assert self.page.locator("#monitoring input[name=year]").input_value() == "2026"
        out = {}
        for li in self.page.locator("#monitoring-figures li").all():
            value = li.locator("strong").inner_text().strip()
            out[li.inner_text().strip().removesuffix(value).strip()] = value
        assert out, "no monitoring figures on the dashboard"
        return out

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors
        assert not self.foreign, f"requests off the server (CDN?): {self.foreign}"
        assert not self.csp, f"Content-Security-Policy violations: {self.csp}"


def test_realisation_verify_dashboard_pdf_language(demo_live: str, browser: Browser) -> None:
    # --- the agency enters, saves and submits 2026 Q4 of ALD-04
    opd = Session(browser, demo_live)
    opd.login("opd-dlh")
    before = opd.figures()
    opd.goto(f"/cities/{DEMO}/realisation/")
    page = opd.page
    activity = page.locator("#activity-ALD-04")
    activity.locator("a[hx-get]").first.click()  # "Report a quarter" (HTMX)
    form = page.locator("#editor form.realisation-form")
    form.wait_for()
    form.locator("#id_year").fill("2026")
    form.locator("#id_quarter").fill("4")
    form.locator("#id_output_achieved").fill("120")
    form.locator("#id_cost_spent_idr").fill("400000000")
    form.locator("#id_note").fill("E2E: Q4 desludging")
    form.locator("button[type=submit]").click()
    page.locator("#notice").wait_for()
    assert page.locator("#editor").count() == 0  # the form is gone after saving
    row = activity.locator("tr", has_text=Q4_ROW)
    assert row.locator("td.state-draft").count() == 1
    row.locator("form button[type=submit]", has_text=re.compile("Ajukan|Submit")).click()  # HTMX
    activity.locator("tr", has_text=Q4_ROW).locator("td.state-submitted").wait_for()
    assert "E2E: Q4 desludging" in activity.locator("tr", has_text=Q4_ROW).inner_text()
    assert "2.026" not in page.locator("#realisation-app").inner_text()
    assert opd.figures() == before  # submitted is not counted yet
    opd.close()

    # --- Bappeda verifies it and the dashboard counts it
    koor = Session(browser, demo_live)
    koor.login("koordinator")
    assert koor.figures() == before
    koor.goto(f"/cities/{DEMO}/realisation/")
    page = koor.page
    pending = page.locator("#to-verify tr", has_text="ALD-04").filter(has_text=Q4_ROW)
    assert pending.count() == 1
    entered = pending.inner_text()
    assert "opd-dlh" in entered
    pending.locator("form", has=page.locator("button")).first.locator("button").click()
    page.locator("#notice").wait_for()
    assert pending.count() == 0
    after = koor.figures()
    assert after.keys() == before.keys()
    changed = {k for k in before if before[k] != after[k]}
    assert len(changed) >= 2, (before, after, entered)  # spent to date, physical, financial
    spent = next(k for k in before if before[k].startswith("Rp"))
    assert spent in changed, (before, after, entered)

    # --- the Vega charts are drawn from the vendored scripts
    page.wait_for_function(
        "() => [...document.querySelectorAll('#monitoring [data-chart]')]"
        ".every(el => el.querySelector('svg, canvas'))"
    )
    charts = page.locator("[data-chart]")
    assert charts.count() >= 3
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')]"
        ".filter(el => el.querySelector('svg, canvas')).length >= 3"
    )
    assert page.locator("#headline-section [data-chart] :is(svg, canvas)").count() >= 1

    # --- the plan PDF downloads and names the city
    with page.expect_download(timeout=NO_TIME_LIMIT) as info:
        page.locator('#downloads a[href$="/downloads/plan.pdf"]').click(
            timeout=NO_TIME_LIMIT, no_wait_after=True
        )
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert "Kota Solok" in text

    # --- the language switch turns the page into English (and stays on the page)
    assert page.locator("html").get_attribute("lang") == "id"
    caption = page.locator("#headline caption")
    assert caption.inner_text() == "Indikator utama"
    with page.expect_navigation():
        page.locator(".lang-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert re.search(rf"/cities/{DEMO}/\?year=2026&quarter=4$", page.url), page.url
    assert caption.inner_text() == "Headline indicators"
    assert page.get_by_role("heading", name="Warnings").count() == 1
    assert page.locator(".lang-switch button[value=en]").get_attribute("aria-pressed") == "true"
    koor.close()


def _indicator_value(session: Session, indicator: str, year: int, field: str) -> float:
    """A figure of ``GET /api/cities/{kode}/indicators`` fetched with the browser's session."""
    response = session.context.request.get(f"{session.base}/api/cities/{DEMO}/indicators")
    assert response.ok, response.status
    for item in response.json()["indicators"]:
        if item["indicator"] != indicator:
            continue
        for point in item["years"]:
            if point["year"] == year:
                return float(point[field])
    raise AssertionError(f"{indicator} {year} not in the API answer")


def test_bappeda_edits_sasaran_and_uploads_the_baseline(
    demo_live: str, browser: Browser, tmp_path: Path
) -> None:
    """Bappeda changes a LOCAL sasaran in the table (a bad value is refused at its field and
    nothing is saved), the trajectory follows; it downloads the baseline template, uploads it
    with a text in a number cell (every problem listed with its Excel row; nothing saved),
    then with a valid change, and the city's % aman changes."""
    import openpyxl

    koor = Session(browser, demo_live)
    koor.login("koordinator")
    page = koor.page
    assert _indicator_value(koor, "pct_layak", 2027, "trajectory_pct") == pytest.approx(87.0)

    # --- the sasaran table: a bad value is refused at its field, then a good one is saved
    koor.goto(f"/cities/{DEMO}/plan/sasaran/")
    row = (
        page.locator("#sasaran-table tbody tr")
        .filter(has=page.locator("select[name$=indicator] option[selected][value=pct_layak]"))
        .filter(has=page.locator("input[name$=year][value='2027']"))
    )
    assert row.count() == 1
    value = row.locator("input[name$=value]")
    value.fill("150")
    page.locator("#sasaran-form button[type=submit]").click()
    page.locator("#sasaran-table tr.has-errors").first.wait_for()
    assert _indicator_value(koor, "pct_layak", 2027, "trajectory_pct") == pytest.approx(87.0)
    row = page.locator("#sasaran-table tr.has-errors").first
    row.locator("input[name$=value]").fill("88")
    page.locator("#sasaran-form button[type=submit]").click()
    page.locator("#notice").wait_for()
    assert _indicator_value(koor, "pct_layak", 2027, "trajectory_pct") == pytest.approx(88.0)

    # --- the baseline workbook: download, break one cell, upload, read the problem
    koor.goto(f"/cities/{DEMO}/baseline/?year=2024")
    with page.expect_download(timeout=NO_TIME_LIMIT) as info:
        page.locator("#baseline-downloads a").first.click(timeout=NO_TIME_LIMIT, no_wait_after=True)
    workbook = tmp_path / "baseline.xlsx"
    info.value.save_as(workbook)
    wb = openpyxl.load_workbook(workbook)
    ws = wb["baseline"]
    header = [c.value for c in ws[1]]
    kode_col, year_col = header.index("kode") + 1, header.index("year") + 1
    aman_col = header.index("hh_aman") + 1
    target = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, kode_col).value == "13.72.01.1001"
        and ws.cell(r, year_col).value == 2024
        and ws.cell(r, aman_col).value is not None
    )
    old_aman = float(ws.cell(target, aman_col).value)
    ws.cell(target, aman_col).value = "banyak"
    wb.save(workbook)
    before = _indicator_value(koor, "pct_aman", 2024, "baseline_pct")
    page.locator("#workbook").set_input_files(str(workbook))
    page.locator("#baseline-upload button[type=submit]").click()
    problems = page.locator("#upload-problems")
    problems.wait_for()
    text = problems.inner_text()
    assert str(target) in text and "hh_aman" in text and "banyak" in text, text
    assert _indicator_value(koor, "pct_aman", 2024, "baseline_pct") == pytest.approx(before)

    # --- a valid change: saved, summarised, and the city's % aman moves
    wb = openpyxl.load_workbook(workbook)
    ws = wb["baseline"]
    ws.cell(target, aman_col).value = old_aman + 10
    # keep the ladder summing to households: take the 10 from the next rung that has them
    for name in ("hh_layak_sendiri", "hh_layak_bersama", "hh_belum_layak"):
        col = header.index(name) + 1
        if (ws.cell(target, col).value or 0) >= 10:
            ws.cell(target, col).value = float(ws.cell(target, col).value) - 10
            break
    wb.save(workbook)
    page.locator("#workbook").set_input_files(str(workbook))
    page.locator("#baseline-upload button[type=submit]").click()
    page.locator("#upload-summary").wait_for()
    after = _indicator_value(koor, "pct_aman", 2024, "baseline_pct")
    assert after > before
    koor.close()
