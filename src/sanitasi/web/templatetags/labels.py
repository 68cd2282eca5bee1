"""Template filters that show a registry code as its label in the page's language.

``{% load labels %}`` then ``{{ a.funding_source|code:"source" }}`` (any column of
:data:`sanitasi.reports.i18n.CODE_COLUMNS`, ``indicator``, ``target_set``, ``effect``),
``{{ p.indicator|indicator }}``, ``{{ act.effect|effect }}`` (the effect string in words)
and ``{{ text|plain }}`` (free text whose codes become words). Official category codes never
reach a screen raw (docs/ARCHITECTURE.md, the column registry).
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from sanitasi.reports.i18n import code_label, effect_words, indicator_label, plain_text

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


@register.filter(name="code")
def code(value: object, column: str) -> str:
    """The label of ``value`` as a code of ``column`` (``APBD_KOTA`` -> ``APBD Kab/Kota``)."""
    if value is None or value == "":
        return ""
    return code_label(column, value, _lang())


@register.filter(name="indicator")
def indicator(value: object) -> str:
    """``pct_aman`` -> ``Akses aman``."""
    return "" if value is None or value == "" else indicator_label(str(value), _lang())


@register.filter(name="effect")
def effect(value: object) -> str:
    """An activity's effect string in words."""
    return "" if value is None else effect_words(str(value), _lang())


@register.filter(name="plain")
def plain(value: object) -> str:
    """Free text with the registry codes it names in words."""
    return "" if value is None else plain_text(str(value), _lang())
