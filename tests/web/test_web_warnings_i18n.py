"""Web pages word engine warnings with Django's gettext over the same django.po as the CLI and
the reports (Python's gettext on the compiled .mo): the same text in both languages."""

from __future__ import annotations

import pytest

from sanitasi.core.model import WARNINGS, Warning_
from sanitasi.messages import render
from sanitasi.web.i18n_warnings import render_warning
from test_messages import SAMPLES


@pytest.mark.parametrize("lang", ["id", "en"])
def test_django_and_python_gettext_word_every_warning_alike(lang: str) -> None:
    for key in sorted(WARNINGS):
        w = Warning_(key.split(".")[0], SAMPLES[key], "13.72", 2026)
        assert render_warning(w, lang) == render(w, lang), key
    w2 = Warning_("SAN-W002", {"year": 2031})
    expected = {
        "id": "Beban IPLT melebihi kapasitas mulai 2031.",
        "en": "IPLT load exceeds capacity from 2031.",
    }
    assert render_warning(w2, lang) == expected[lang]
