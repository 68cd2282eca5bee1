"""The raw-code detector: internal codes of the registries shown as visible text.

Used by tests/web/test_web_no_raw_codes.py (every page as every role) and
tests/reports/test_reports_no_raw_codes.py (every report in both languages). A screen may
show a code only through a label: ``APBD_KOTA`` -> ``APBD Kab/Kota``, ``iplt_capacity`` ->
``Tambahan kapasitas IPLT``, ``babs_tertutup->layak_sendiri`` -> words.

What counts as visible text: the text of the HTML without ``script``, ``style``,
``template``, ``noscript`` and elements with the ``hidden`` attribute; attributes (hidden form
values, ``value=``, ``href=``, ``data-*``) are not text. Download file names
(``...xlsx``) are taken out of the text first. For XLSX files, every cell of every sheet.

The codes (:func:`internal_codes`) are those of the registries that a reader cannot take for
a word: every code with an underscore or in capitals that differs from its label (indicator
codes, need items, funding sources, bands, ladder rungs, survey/ladder reference codes),
effect strings ``x->y``, and region codes (``13.72.01.1001``) of a row (table row, list item,
paragraph, option) that does not name the region.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import BytesIO

import lxml.html

from sanitasi.core.model import INDICATORS
from sanitasi.reports import i18n

_DROP = ("script", "style", "template", "noscript")
#: Elements whose text is one "row": a region code there must come with the region's name.
_ROWS = ("tr", "li", "p", "option", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption")
_FILENAME = re.compile(r"[\w.\-]+\.(?:xlsx|csv|pdf|html|docx|json|zip|geojson|txt|toml)\b")
_EFFECT = re.compile(r"\b[a-z][a-z0-9_]*\s*->\s*[a-z][a-z0-9_]*\b")
_KODE = re.compile(r"(?<![\d.,])\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?(?![\d,]|\.\d)")


def _reference(name: str, column: str) -> set[str]:
    path = resources.files("sanitasi.data") / "reference" / name
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    return {str(r[column]).strip() for r in rows if r.get(column)}


@cache
def internal_codes() -> frozenset[str]:
    """Codes that never belong on a screen as they are."""
    codes: set[str] = set(INDICATORS)
    for table in (
        i18n.INDICATOR_LABELS,
        i18n.NEED_LABELS,
        i18n.FUNDING_SOURCE_LABELS,
        i18n.BAND_LABELS,
        i18n.RUNG_LABELS,
        i18n.MONEY_KIND_LABELS,
        i18n.PLAN_PROFILE_LABELS,
        i18n.STATE_LABELS,
        i18n.TARGET_SET_LABELS,
    ):
        for code, (lid, len_) in table.items():
            if code not in (lid, len_):
                codes.add(code)
    codes |= _reference("need_items.csv", "need")
    codes |= _reference("ladder.csv", "code") if _has("ladder.csv", "code") else set()
    # a code a reader cannot take for a word: snake_case or capitals with an underscore, or
    # a capitalised code whose label differs (SWASTA, MASYARAKAT, UNASSIGNED)
    # LOCAL, the city's own target set, is the name the city types in targets.csv and the
    # screens show it beside "City sasaran" on purpose; it reads as a word
    codes.discard("LOCAL")
    return frozenset(c for c in codes if "_" in c or (c.isupper() and len(c) > 4))


def _has(name: str, column: str) -> bool:
    path = resources.files("sanitasi.data") / "reference" / name
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    return column in header


@cache
def _code_pattern() -> re.Pattern[str]:
    words = sorted(internal_codes(), key=len, reverse=True)
    return re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, words)) + r")(?![\w/-])")


@dataclass(frozen=True)
class Hit:
    where: str
    code: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.code!r} in {self.text[:160]!r}"


def codes_in(text: str) -> list[str]:
    """The internal codes and effect strings in ``text`` (download file names removed)."""
    text = _FILENAME.sub(" ", text)
    found = [m.group(1) for m in _code_pattern().finditer(text)]
    found += [m.group(0) for m in _EFFECT.finditer(text)]
    return found


def _visible_root(html: str) -> lxml.html.HtmlElement:
    root = lxml.html.document_fromstring(html)
    for el in root.xpath("//script|//style|//template|//noscript|//*[@hidden]"):
        el.drop_tree()
    return root


def _texts(root: lxml.html.HtmlElement) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    """Every visible text piece with the element it is the text of."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and el.text.strip():
            yield el.text, el
        parent = el.getparent()
        if parent is not None and el.tail and el.tail.strip():
            yield el.tail, parent


def html_hits(html: str, where: str, names: Mapping[str, str] | None = None) -> list[Hit]:
    """Raw codes in the visible text of ``html``; with ``names`` (region code -> name), also
    the region codes of a row that does not carry the region's name."""
    root = _visible_root(html)
    hits: list[Hit] = []
    rows_seen: set[int] = set()
    for text, owner in _texts(root):
        row = owner
        while row is not None and row.tag not in _ROWS:
            row = row.getparent()
        row = row if row is not None else owner
        for c in codes_in(text):
            if not _labelled(c, row):
                hits.append(Hit(where, c, text.strip()))
        if not names:
            continue
        for m in _KODE.finditer(_FILENAME.sub(" ", text)):
            kode = m.group(0)
            if kode not in names:
                continue
            if id(row) in rows_seen:
                continue
            row_text = " ".join(row.text_content().split())
            if names[kode].lower() not in row_text.lower():
                rows_seen.add(id(row))
                hits.append(Hit(where, kode, row_text))
    return hits


def _labelled(code: str, row: lxml.html.HtmlElement) -> bool:
    """True when the row that shows ``code`` also shows its label (a code beside its label,
    like a region code beside its name, is not a raw code)."""
    pair = _labels().get(code)
    if pair is None:
        return False
    return _labelled_text(code, row.text_content())


def _labelled_text(code: str, text: str) -> bool:
    low = " ".join(text.split()).lower()
    if "->" in code:  # an effect move: its words (``... -> Aman``) are in the row
        target = code.split("->", 1)[1].strip()
        words = _labels().get(target, set())
        return "\u2192" in low and any(w.lower() in low for w in words)
    return any(w.lower() in low for w in _labels().get(code, set()) if w != code)


@cache
def _labels() -> dict[str, set[str]]:
    """Every label of every code in any of the report's code tables."""
    out: dict[str, set[str]] = {}
    tables = [*i18n.CODE_COLUMNS.values(), i18n.WASTE_TERM_LABELS, i18n._code_words()[1]]
    for table in tables:
        for code, pair in table.items():
            out.setdefault(code, set()).update(pair)
    return out


def xlsx_hits(data: bytes, where: str, *, skip_sheets: Iterable[str] = ()) -> list[Hit]:
    """Raw codes in the cells of every visible sheet of an XLSX file: a code is raw unless
    its row also shows its label (the XLSX keeps codes as keys beside their words).
    ``skip_sheets``: sheet names not checked."""
    import openpyxl

    book = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    hits: list[Hit] = []
    skip = set(skip_sheets)
    for ws in book.worksheets:
        hits += [Hit(f"{where}/{ws.title}", c, ws.title) for c in codes_in(ws.title)]
        if ws.title in skip or ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(values_only=True):
            texts = [v for v in row if isinstance(v, str)]
            line = " | ".join(texts)
            for v in texts:
                hits += [
                    Hit(f"{where}/{ws.title}", c, v)
                    for c in codes_in(v)
                    if not _labelled_text(c, line)  # a code beside its label: a key
                ]
    return hits
