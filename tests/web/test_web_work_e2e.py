"""Browser journey of issue 11 (item 3): the camat lands on the kecamatan page. (The opd
and koordinator journeys, with evidence files, are in ``test_web_evidence_e2e.py``.) Same set-up as ``test_web_e2e.py`` (Debian's
chromium through pip Playwright, "today" pinned to 2027-03-31)."""

from __future__ import annotations

import pytest
from test_web_e2e import DEMO, Browser, Session, browser, demo_live  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def session(browser: Browser, base: str) -> Session:  # noqa: F811
    """A :class:`Session` whose navigations have no time limit: its pages compute the plan
    (seconds on an idle machine, much longer on a loaded one)."""
    s = Session(browser, base)
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


def test_camat_lands_on_the_kecamatan(demo_live: str, browser: Browser) -> None:  # noqa: F811
    camat = session(browser, demo_live)
    login_home(camat, "kecamatan-ls")
    page = camat.page
    page.wait_for_url(f"**/cities/{DEMO}/kecamatan/13.72.01/")
    assert page.locator("#kec-report-PS-08").count() == 1
    assert "Tanah Garam" in page.locator("#kelurahan-indicators").inner_text()
    assert not camat.errors and not camat.foreign
    camat.close()
