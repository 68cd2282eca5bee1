"""The Indonesian catalogue is complete and compiled; numbers and dates in Indonesian."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "sanitasi" / "web" / "locale"
PO = LOCALE / "id" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "id" / "LC_MESSAGES" / "django.mo"


def po_entries() -> dict[str, str]:
    """msgid -> msgstr of the .po file (header excluded)."""
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    out = {}
    for block in text.split("\n\n"):
        lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
        joined = "\n".join(lines)
        m = re.match(r'msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', joined + "\n")
        if not m:
            continue
        mid = "".join(re.findall(r'"(.*)"', m.group(1)))
        mstr = "".join(re.findall(r'"(.*)"', m.group(2)))
        if mid:
            out[mid.replace('\\"', '"')] = mstr.replace('\\"', '"')
    return out


def test_catalogue_complete_and_compiled() -> None:
    entries = po_entries()
    assert len(entries) > 150
    assert all(entries.values()), [k for k, v in entries.items() if not v]
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for mid, mstr in entries.items():
        assert mo.gettext(mid) == mstr, f"django.mo is out of date for {mid!r} (run msgfmt)"


def test_indonesian_number_and_date_formats() -> None:
    tpl = Template('{{ n|floatformat:"1g" }} {{ big }} {{ d|date }}')
    ctx = Context({"n": 12345.678, "big": 1234567, "d": dt.date(2025, 2, 12)})
    with translation.override("id"):
        assert tpl.render(ctx) == "12.345,7 1.234.567 12 Februari 2025"
    with translation.override("en"):
        assert tpl.render(ctx) == "12,345.7 1,234,567 Feb. 12, 2025"
