"""The main pages render fully in Indonesian by default and in English after the switch."""

from __future__ import annotations

import pytest
from django.test import Client
from webhelpers import local_activity, user

from sanitasi.web.monitoring import workflow

PAGES = {
    "dashboard": "/cities/{kode}/",
    "realisation": "/cities/{kode}/realisation/",
    "meetings": "/cities/{kode}/meetings/",
    "audit": "/cities/{kode}/audit/",
}
#: page -> (Indonesian strings, English strings)
EXPECTED = {
    "dashboard": (
        ["Realisasi triwulanan", "Rapat dan tindak lanjut", "Riwayat perubahan", "Keluar"],
        ["Quarterly realisation", "Meetings and action items", "Change history", "Log out"],
    ),
    "realisation": (
        ["Realisasi triwulanan", "Kembali ke dasbor", "Diajukan, menunggu verifikasi"],
        ["Quarterly realisation", "Back to the dashboard", "Submitted, waiting for verification"],
    ),
    "meetings": (
        ["Rapat dan tindak lanjut", "Catat rapat", "Penanggung jawab", "20 Juli 2023"],
        ["Meetings and action items", "Record a meeting", "Owner", "July 20, 2023"],
    ),
    "audit": (
        ["Riwayat perubahan", "Yang berubah", "Waktu", "Realisasi"],
        ["Change history", "What changed", "When", "Realisation"],
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_in_both_languages(demo: str, page: str) -> None:
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))
    workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=3)
    c = Client()
    c.force_login(user("koordinator"))
    url = PAGES[page].format(kode=demo)
    indonesian, english = EXPECTED[page]
    html = c.get(url).content.decode()  # Indonesian by default
    assert '<html lang="id">' in html
    for text in indonesian:
        assert text in html, (page, text)
    for text in english[:3]:
        assert text not in html, (page, "English left", text)
    c.post("/i18n/setlang/", {"language": "en", "next": url})
    html = c.get(url).content.decode()
    assert '<html lang="en">' in html
    for text in english:
        assert text in html, (page, text)
    for text in indonesian:
        assert text not in html, (page, "Indonesian left", text)


def test_role_label_translated(demo: str) -> None:
    c = Client()
    c.force_login(user("fasilitator"))
    assert "Fasilitator provinsi" in c.get(f"/cities/{demo}/").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Provincial facilitator" in c.get(f"/cities/{demo}/").content.decode()
