"""Number, money, percentage and date formatting in Indonesian (default) and English.

Indonesian: thousands ``.``, decimal ``,`` (``1.234,5``; ``Rp 1.234.567``; ``81,3%``;
``Rp 1,2 miliar``). English: ``1,234.5``; ``IDR 1,234,567``; ``81.3%``; ``IDR 1.2 billion``.

Rounding is half away from zero on the decimal value a person reads (``81.25`` -> ``81,3``),
not Python's round-half-even on the binary float. Missing values (``None``, ``NaN``,
``pd.NA``) are shown as :data:`MISSING`. These functions only display: they never change the
numbers the engine computed (households stay fractional in the data and are rounded here).
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pandas as pd

#: What a missing value looks like in every report.
MISSING = "–"

LANGS: tuple[str, ...] = ("id", "en")

_SEP = {"id": (".", ","), "en": (",", ".")}  # (thousands, decimal)

_MONTHS = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

#: Compact money units: (power of ten, Indonesian word, English word).
_SCALES: tuple[tuple[int, str, str], ...] = (
    (12, "triliun", "trillion"),
    (9, "miliar", "billion"),
    (6, "juta", "million"),
    (3, "ribu", "thousand"),
)


def norm_lang(lang: str | None) -> str:
    """``'en'`` for English (also ``'en-GB'`` etc.), else ``'id'``."""
    return "en" if (lang or "").lower().startswith("en") else "id"


def is_missing(value: Any) -> bool:
    """True for ``None``, float NaN, ``pd.NA`` / ``NaT`` and empty strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return missing if isinstance(missing, bool) else bool(getattr(missing, "all", lambda: False)())


def as_float(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` when missing or not numeric."""
    if is_missing(value) or isinstance(value, bool | str):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _round(value: float, decimals: int) -> Decimal:
    try:
        d = Decimal(repr(float(value)))
    except InvalidOperation:  # pragma: no cover - repr of a finite float always parses
        d = Decimal(value)
    q = Decimal(1).scaleb(-decimals)
    r = d.quantize(q, rounding=ROUND_HALF_UP)
    return r if r != 0 else abs(r)  # no "-0,0"


def fmt_number(
    value: Any,
    decimals: int = 1,
    lang: str = "id",
    *,
    grouping: bool = True,
    strip_zeros: bool = False,
) -> str:
    """Format a number with the language's separators.

    >>> fmt_number(1234.5), fmt_number(1234.5, lang="en"), fmt_number(1234567, 0)
    ('1.234,5', '1,234.5', '1.234.567')

    ``strip_zeros`` drops trailing decimal zeros (``2,0`` -> ``2``).
    """
    f = as_float(value)
    if f is None:
        return MISSING if is_missing(value) or not isinstance(value, str) else value
    lang = norm_lang(lang)
    thousands, decimal = _SEP[lang]
    r = _round(f, max(decimals, 0))
    sign = "-" if r < 0 else ""
    text = f"{abs(r):f}"
    int_part, _, frac = text.partition(".")
    if grouping:
        int_part = f"{int(int_part):,}".replace(",", thousands)
    if strip_zeros:
        frac = frac.rstrip("0")
    return sign + int_part + (decimal + frac if frac else "")


def fmt_int(value: Any, lang: str = "id") -> str:
    """A whole number with thousands separators (households, facilities, trucks)."""
    return fmt_number(value, 0, lang)


def fmt_count(value: Any, lang: str = "id") -> str:
    """Households or facilities: rounded to a whole number for display only."""
    return fmt_number(value, 0, lang)


def fmt_pct(value: Any, decimals: int = 1, lang: str = "id") -> str:
    """A percentage given on the 0-100 scale: ``81.25`` -> ``'81,3%'`` (en ``'81.3%'``)."""
    text = fmt_number(value, decimals, lang)
    return text if as_float(value) is None else text + "%"


def fmt_pts(value: Any, decimals: int = 1, lang: str = "id", *, sign: bool = False) -> str:
    """Percentage points: ``'8,7 poin'`` / ``'8.7 pts'``; ``sign`` adds ``+`` to positives."""
    f = as_float(value)
    if f is None:
        return MISSING
    text = fmt_number(f, decimals, lang)
    if sign and not text.startswith("-") and _round(f, decimals) != 0:
        text = "+" + text
    return f"{text} {'pts' if norm_lang(lang) == 'en' else 'poin'}"


def fmt_gap(
    gap: Any, achieved: Any = None, decimals: int = 1, lang: str = "id", *, unit: bool = True
) -> str:
    """A gap in points that is never negative: ``'8,7 poin'``; a met target shows as
    achieved, ``'tercapai (+0,5 poin)'`` / ``'achieved (+0.5 pts)'`` (``unit`` False drops the
    unit word: ``'8,7'``, ``'tercapai +0,5'``)."""
    g = as_float(gap)
    a = as_float(achieved)
    if g is None:
        return MISSING
    if g <= 0 and a is not None and _round(a, decimals) > 0:
        word = "achieved" if norm_lang(lang) == "en" else "tercapai"
        pts = fmt_pts(a, decimals, lang, sign=True) if unit else "+" + fmt_number(a, decimals, lang)
        return f"{word} ({pts})" if unit else f"{word} {pts}"
    return fmt_pts(max(g, 0.0), decimals, lang) if unit else fmt_number(max(g, 0.0), decimals, lang)


def fmt_idr(value: Any, lang: str = "id") -> str:
    """Rupiah, whole: ``'Rp 1.234.567'`` (en ``'IDR 1,234,567'``)."""
    f = as_float(value)
    if f is None:
        return MISSING
    prefix = "IDR" if norm_lang(lang) == "en" else "Rp"
    text = fmt_number(abs(f), 0, lang)
    return f"{'-' if _round(f, 0) < 0 else ''}{prefix} {text}"


def fmt_idr_compact(value: Any, lang: str = "id") -> str:
    """Rupiah in words: ``'Rp 1,2 miliar'``, ``'Rp 350 juta'`` (en ``'IDR 1.2 billion'``).

    One decimal below 100 of the unit (trailing ``,0`` dropped), none from 100 up; a value
    that rounds up to 1000 of a unit moves to the next unit (``Rp 1 miliar``, not
    ``Rp 1.000 juta``). Below a thousand rupiah the full amount is shown.
    """
    f = as_float(value)
    if f is None:
        return MISSING
    lang = norm_lang(lang)
    prefix = "IDR" if lang == "en" else "Rp"
    neg = "-" if f < 0 else ""
    a = abs(f)
    for i, (power, word_id, word_en) in enumerate(_SCALES):
        if a < 10**power:
            continue
        v = a / 10**power
        decimals = 1 if v < 100 else 0
        r = _round(v, decimals)
        if r >= 1000 and i > 0:
            power, word_id, word_en = _SCALES[i - 1]
            v = a / 10**power
            decimals = 1
        num = fmt_number(v, decimals, lang, strip_zeros=True)
        word = word_en if lang == "en" else word_id
        return f"{neg}{prefix} {num} {word}"
    return f"{neg}{prefix} {fmt_number(a, 0, lang)}"


def fmt_year(value: Any) -> str:
    """A year without thousands separator (``2024``)."""
    f = as_float(value)
    if f is None:
        return MISSING if is_missing(value) else str(value)
    return str(int(_round(f, 0)))


def fmt_date(value: _dt.date | _dt.datetime | str | None, lang: str = "id") -> str:
    """``'27 November 2025'``; Indonesian month names (``'17 Agustus 2025'``) by default.

    Accepts a date, a datetime (time dropped) or an ISO date string.
    """
    if value is None:
        return MISSING
    if isinstance(value, str):
        try:
            day: _dt.date = _dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    lang = norm_lang(lang)
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def fmt_bool(value: Any, lang: str = "id") -> str:
    if is_missing(value):
        return MISSING
    yes = bool(value) if not isinstance(value, str) else value.lower() in ("true", "1", "yes")
    if norm_lang(lang) == "en":
        return "yes" if yes else "no"
    return "ya" if yes else "tidak"


def fmt_value(value: Any, kind: str = "float", lang: str = "id", *, decimals: int = 1) -> str:
    """Format one cell according to a :class:`~sanitasi.core.model.Column` ``kind``.

    ``text`` as is; ``int`` and ``count`` rounded to whole numbers; ``float`` with
    ``decimals`` (small non-zero values keep three significant digits, e.g. ``0,003``);
    ``pct`` 0-100 with ``%``; ``idr`` full rupiah; ``year`` without separator. Booleans show
    as ya/tidak (yes/no); strings in numeric columns are shown unchanged.
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, bool) and kind != "text":
        return fmt_bool(value, lang)
    if kind == "text":
        if isinstance(value, bool):
            return fmt_bool(value, lang)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, str) or as_float(value) is None:
        return str(value)
    if kind in ("int", "count"):
        return fmt_count(value, lang)
    if kind == "pct":
        return fmt_pct(value, decimals, lang)
    if kind == "idr":
        return fmt_idr(value, lang)
    if kind == "year":
        return fmt_year(value)
    f = float(value)
    if f != 0 and abs(f) < 0.1:
        digits = max(decimals, 2 - math.floor(math.log10(abs(f))))
        return fmt_number(f, min(digits, 8), lang, strip_zeros=True)
    return fmt_number(f, decimals, lang)
