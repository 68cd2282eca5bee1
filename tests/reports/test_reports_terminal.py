"""Rich terminal summary: compact, Indonesian number format, golden file."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from golden import assert_golden
from sanitasi.core.model import PlanResult, Warning_
from sanitasi.reports.terminal import MAX_WARNINGS, print_summary


def _console(color: bool = False) -> Console:
    return Console(
        record=True,
        width=120,
        file=io.StringIO(),
        force_terminal=color,
        color_system="truecolor" if color else None,
    )


def _render(result: PlanResult, lang: str = "id") -> tuple[str, Console]:
    console = _console()
    print_summary(result, console, lang)
    return console.export_text(styles=False), console


def test_indonesian_figures(result: PlanResult) -> None:
    text, _ = _render(result)
    assert "Seberapa jauh dari target Bappenas 2024?" in text
    line = next(ln for ln in text.splitlines() if "Akses layak" in ln and "2024" in ln)
    for figure in ("90,0%", "81,3%", "8,8", "875 rumah tangga"):
        assert figure in line
    assert "tidak ada data" in text
    head = next(ln for ln in text.splitlines() if ln.startswith("Akses layak "))
    # base, trajectory/BAU/gap at the end of the plan period (2025) and at the horizon (2026)
    for figure in ("81,3%", "85,0%", "3,8 poin", "90,0%", "8,8 poin"):
        assert figure in head
    assert "Tangki septik baru (SNI)" in text and "422" in text and "Rp 1,7 miliar" in text
    funding = next(ln for ln in text.splitlines() if ln.startswith("APBN"))
    assert "Rp 1,2 miliar" in funding
    total = [ln for ln in text.splitlines() if ln.startswith("Jumlah ")][-1]
    # Sum over the plan period (2025 only): the 2026 UNASSIGNED money is not in it.
    assert "Rp 2,7 miliar" in total
    assert "Belum ditetapkan" not in text
    assert "SAN-W001 TPA penuh pada tahun 2025: perlu sel/TPA baru. (Kota Solok, 2025)" in text
    assert "Perhatian: sebagian masukan belum resmi" in text


def test_english(result: PlanResult) -> None:
    text, _ = _render(result, "en")
    assert "How far are we from the Bappenas 2024 targets?" in text
    assert "81.3%" in text and "IDR 1.2 billion" in text and "875 households" in text
    assert "8.8 pts" in text


def test_fits_the_terminal(result: PlanResult) -> None:
    many = replace(
        result,
        warnings=tuple(
            Warning_("SAN-W002", {"year": 2030 + i}, "13.72", 2030 + i) for i in range(30)
        ),
    )
    for res in (result, many):
        for lang in ("id", "en"):
            text, _ = _render(res, lang)
            lines = text.rstrip("\n").splitlines()
            assert len(lines) <= 60, (lang, len(lines))
            assert max(len(ln) for ln in lines) <= 120
    text, _ = _render(many)
    assert f"dan {30 - MAX_WARNINGS} peringatan lain" in text


def test_warning_colours(result: PlanResult) -> None:
    console = _console(color=True)
    print_summary(result, console)
    html = console.export_html(inline_styles=True)
    # TPA full within the plan period: red; an undated warning: yellow.
    w031 = html.split("SAN-W001", 1)[0].rsplit("<span", 1)[1]
    w010 = html.split("SAN-W004", 1)[0].rsplit("<span", 1)[1]
    assert "#800000" in w031 or "#ff0000" in w031 or "color: #800000" in w031
    assert "#808000" in w010 or "#ffff00" in w010


def test_empty_result_does_not_crash(result: PlanResult) -> None:
    text, _ = _render(replace(result, tables={}, warnings=()))
    assert "13.72" in text and "Tidak ada peringatan." in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_golden(result: PlanResult, lang: str) -> None:
    text, _ = _render(result, lang)
    assert_golden(f"reports/summary_{lang}.txt", text)
