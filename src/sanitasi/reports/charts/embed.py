"""vega-embed options: the d3 number and time locales (Indonesian ``1.234,5``, month
names) and the action-menu labels, for the browser (:func:`embed_options`) and vl-convert
(:mod:`sanitasi.reports.static_charts` takes the same locales)."""

from __future__ import annotations

from typing import Any

from sanitasi.reports.fmt import norm_lang

#: d3-format locales for vega-embed's ``formatLocale`` option.
FORMAT_LOCALE: dict[str, dict[str, Any]] = {
    "id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp\u00a0", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["IDR\u00a0", ""]},
}

#: d3-time-format locale (Indonesian month and day names) for ``timeFormatLocale``.
TIME_FORMAT_LOCALE: dict[str, dict[str, Any]] = {
    "id": {
        "dateTime": "%A, %e %B %Y pukul %H.%M.%S",
        "date": "%d/%m/%Y",
        "time": "%H.%M.%S",
        "periods": ["AM", "PM"],
        "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        "months": [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ],
        "shortMonths": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "Mei",
            "Jun",
            "Jul",
            "Agu",
            "Sep",
            "Okt",
            "Nov",
            "Des",
        ],
    },  # fmt: skip
    "en": {
        "dateTime": "%x, %X",
        "date": "%-m/%-d/%Y",
        "time": "%-I:%M:%S %p",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "shortMonths": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ],
    },  # fmt: skip
}

#: vega-embed action-menu labels.
EMBED_I18N: dict[str, dict[str, str]] = {
    "id": {
        "CLICK_TO_VIEW_ACTIONS": "Klik untuk melihat pilihan",
        "COMPILED_ACTION": "Lihat Vega hasil kompilasi",
        "EDITOR_ACTION": "Buka di Vega Editor",
        "PNG_ACTION": "Simpan sebagai PNG",
        "SOURCE_ACTION": "Lihat sumber",
        "SVG_ACTION": "Simpan sebagai SVG",
    },
    "en": {
        "CLICK_TO_VIEW_ACTIONS": "Click to view actions",
        "COMPILED_ACTION": "View Compiled Vega",
        "EDITOR_ACTION": "Open in Vega Editor",
        "PNG_ACTION": "Save as PNG",
        "SOURCE_ACTION": "View Source",
        "SVG_ACTION": "Save as SVG",
    },
}


def embed_options(lang: str = "id") -> dict[str, Any]:
    """Options for ``vegaEmbed(el, spec, options)``: number/time locale, SVG renderer, and an
    action menu without the links that need the internet (editor, source)."""
    lang = norm_lang(lang)
    return {
        "renderer": "svg",
        "formatLocale": FORMAT_LOCALE[lang],
        "timeFormatLocale": TIME_FORMAT_LOCALE[lang],
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
        "i18n": EMBED_I18N[lang],
    }
