"""Engine warnings on web pages: the message catalogue (:mod:`sanitasi.messages`) with
Django's gettext, so a page words a warning through the same django.po as its own text."""

from __future__ import annotations

from django.utils import translation

from sanitasi.core.model import Warning_
from sanitasi.messages import render


def render_warning(w: Warning_, lang: str = "id") -> str:
    """``w`` in the page language ``lang``, translated by Django's gettext."""
    with translation.override(lang):
        return render(w, lang, gettext=translation.gettext)
