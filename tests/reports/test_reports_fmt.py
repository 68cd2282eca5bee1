"""Indonesian / English number formatting, hand-checked values."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from sanitasi.reports.fmt import (
    MISSING,
    fmt_count,
    fmt_date,
    fmt_idr,
    fmt_idr_compact,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_pts,
    fmt_value,
    fmt_year,
    is_missing,
)


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234.5, 1, "id", "1.234,5"),
        (1234.5, 1, "en", "1,234.5"),
        (1234567, 0, "id", "1.234.567"),
        (1234567, 0, "en", "1,234,567"),
        (0.05, 1, "id", "0,1"),  # half away from zero
        (81.25, 1, "id", "81,3"),  # not banker's rounding (81,2)
        (2.675, 2, "id", "2,68"),  # the decimal a person reads, not the binary float
        (-1234.56, 1, "id", "-1.234,6"),
        (-0.04, 1, "id", "0,0"),  # no "-0,0"
        (999.95, 1, "en", "1,000.0"),
        (12, 0, "id", "12"),
    ],
)
def test_fmt_number(value: float, decimals: int, lang: str, expected: str) -> None:
    assert fmt_number(value, decimals, lang) == expected


def test_money_full() -> None:
    assert fmt_idr(1234567) == "Rp 1.234.567"
    assert fmt_idr(1234567, "en") == "IDR 1,234,567"
    assert fmt_idr(1234567.5) == "Rp 1.234.568"
    assert fmt_idr(-2500) == "-Rp 2.500"


@pytest.mark.parametrize(
    ("value", "id_text", "en_text"),
    [
        (1_200_000_000, "Rp 1,2 miliar", "IDR 1.2 billion"),
        (350_000_000, "Rp 350 juta", "IDR 350 million"),
        (12_345_678, "Rp 12,3 juta", "IDR 12.3 million"),
        (2_000_000_000, "Rp 2 miliar", "IDR 2 billion"),
        (999_960_000, "Rp 1 miliar", "IDR 1 billion"),  # not "Rp 1.000 juta"
        (1_500_000_000_000, "Rp 1,5 triliun", "IDR 1.5 trillion"),
        (12_500, "Rp 12,5 ribu", "IDR 12.5 thousand"),
        (500, "Rp 500", "IDR 500"),
        (0, "Rp 0", "IDR 0"),
    ],
)
def test_money_compact(value: float, id_text: str, en_text: str) -> None:
    assert fmt_idr_compact(value) == id_text
    assert fmt_idr_compact(value, "en") == en_text


def test_percentages_and_points() -> None:
    assert fmt_pct(81.25) == "81,3%"
    assert fmt_pct(81.25, lang="en") == "81.3%"
    assert fmt_pct(100) == "100,0%"
    assert fmt_pts(8.75) == "8,8 poin"
    assert fmt_pts(8.75, lang="en", sign=True) == "+8.8 pts"
    assert fmt_pts(-2.1, sign=True) == "-2,1 poin"


def test_counts_rounded_for_display_only() -> None:
    assert fmt_count(875.4) == "875"
    assert fmt_count(1234.5) == "1.235"
    assert fmt_int(np.int64(12345), "en") == "12,345"
    assert fmt_year(2024) == "2024"
    assert fmt_year(2024.0) == "2024"


def test_dates() -> None:
    assert fmt_date(dt.date(2025, 8, 17)) == "17 Agustus 2025"
    assert fmt_date(dt.date(2025, 8, 17), "en") == "17 August 2025"
    assert fmt_date(dt.datetime(2025, 12, 1, 10, 30)) == "1 Desember 2025"
    assert fmt_date("2025-05-02") == "2 Mei 2025"


@pytest.mark.parametrize(
    ("value", "kind", "lang", "expected"),
    [
        (81.25, "pct", "id", "81,3%"),
        (1234567.0, "idr", "id", "Rp 1.234.567"),
        (1234567.0, "idr", "en", "IDR 1,234,567"),
        (421.6, "count", "id", "422"),
        (3.0, "int", "id", "3"),
        (2024, "year", "id", "2024"),
        (40.44, "float", "id", "40,4"),
        (0.0035, "float", "id", "0,0035"),  # small values keep their digits
        ("geometric", "float", "id", "geometric"),  # text in a numeric column
        ("pct_layak", "text", "id", "pct_layak"),
        (True, "text", "id", "ya"),
        (False, "text", "en", "no"),
        (None, "pct", "id", MISSING),
        (math.nan, "idr", "id", MISSING),
        (pd.NA, "count", "id", MISSING),
        (np.float64("nan"), "float", "en", MISSING),
    ],
)
def test_fmt_value(value: object, kind: str, lang: str, expected: str) -> None:
    assert fmt_value(value, kind, lang) == expected


def test_is_missing() -> None:
    assert is_missing(None) and is_missing(math.nan) and is_missing(pd.NA) and is_missing(pd.NaT)
    assert is_missing("") and is_missing("  ")
    assert not is_missing(0) and not is_missing("x") and not is_missing(False)
