"""Browser journeys of issue 11 (items 1, 3, 4): the agency lands on Tugas saya, opens the
next due report pre-filled, saves and submits it; Bappeda reopens a verified quarter with a
reason; the camat lands on the kecamatan page. Same set-up as ``test_web_e2e.py`` (Debian's
chromium through pip Playwright, "today" pinned to 2027-03-31)."""

from __future__ import annotations

import pytest
from test_web_e2e import DEMO, Browser, Session, browser, demo_live  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def session(browser: Browser, base: str) -> Session:  # noqa: F811
    """A :class:`Session` without time limits: its pages compute the plan (seconds on an
    idle machine, much longer on a loaded one), and a test never depends on speed."""
    s = Session(browser, base)
    s.context.set_default_timeout(0)
    s.context.set_default_navigation_timeout(0)
    return s


def login_home(s: Session, username: str) -> None:
    """Log in without a ``next``: the user lands where the home page sends its role."""
    s.goto("/accounts/login/")
    form = s.page.locator("section.login form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill("demo")
    with s.page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_opd_tugas_saya_report_submit(demo_live: str, browser: Browser) -> None:  # noqa: F811
    opd = session(browser, demo_live)
    login_home(opd, "opd-dlh")
    page = opd.page
    page.wait_for_url(f"**/cities/{DEMO}/agency/DLH/")
    assert page.locator("#nav-tasks").get_attribute("aria-current") == "page"
    due = page.locator("#reports-due").inner_text()
    assert "7 (7 lewat tenggat" in due, due
    with page.expect_navigation():
        page.locator("#next-report").click()  # ALD-04 2026 Q4, pre-filled
    form = page.locator("#editor form.realisation-form")
    assert form.locator("#id_year").input_value() == "2026"
    assert form.locator("#id_quarter").input_value() == "4"
    form.locator("#id_output_achieved").fill("100")
    form.locator("#id_cost_spent_idr").fill("25000000")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    row = page.locator("#activity-ALD-04 tr", has_text="2026 TW4")
    row.locator("td.state-draft").wait_for()
    row.locator("form button[type=submit]").first.click()  # Submit (HTMX)
    page.locator("#activity-ALD-04 tr", has_text="2026 TW4").locator(
        "td.state-submitted"
    ).wait_for()
    opd.goto(f"/cities/{DEMO}/agency/DLH/")
    assert "6 (6 lewat tenggat" in page.locator("#reports-due").inner_text()
    assert not opd.errors and not opd.foreign
    opd.close()


def test_koordinator_reopens_with_a_reason(demo_live: str, browser: Browser) -> None:  # noqa: F811
    koor = session(browser, demo_live)
    login_home(koor, "koordinator")
    koor.goto(f"/cities/{DEMO}/realisation/")
    page = koor.page
    page.locator("#verified-rows summary").click()
    row = page.locator("#verified-rows tr", has_text="ALD-04").filter(has_text="2026 TW2")
    row.locator("input[name=reason]").fill("Angka ganda dengan TW1.")
    row.locator("button[type=submit]").click()
    page.locator("#notice").wait_for()
    assert "Dibuka kembali" in page.locator("#notice").inner_text()
    koor.goto(f"/cities/{DEMO}/reporting/?year=2026")
    cell = page.locator('#grid-DLH td[data-quarter="2"]')
    assert cell.get_attribute("data-state") == "returned"
    assert not koor.errors and not koor.foreign
    koor.close()


def test_camat_lands_on_the_kecamatan(demo_live: str, browser: Browser) -> None:  # noqa: F811
    camat = session(browser, demo_live)
    login_home(camat, "kecamatan-ls")
    page = camat.page
    page.wait_for_url(f"**/cities/{DEMO}/kecamatan/13.72.01/")
    assert page.locator("#kec-report-PS-08").count() == 1
    assert "Tanah Garam" in page.locator("#kelurahan-indicators").inner_text()
    assert not camat.errors and not camat.foreign
    camat.close()
