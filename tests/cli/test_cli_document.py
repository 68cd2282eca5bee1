"""`sanitasi document` end to end (issue 14): ssk.docx and ssk.pdf of the demo; bad
swot.csv, pokja.csv or need_agency.csv exit 2 with every problem and nothing in --out."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from sanitasi.cli import main


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


def test_demo_writes_docx_and_pdf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("document", "--out", str(out), "--lang", "en")
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["ssk.docx", "ssk.pdf"]
    assert (out / "ssk.docx").read_bytes()[:2] == b"PK"  # a zip (OOXML) package
    pdf = PdfReader(out / "ssk.pdf")
    assert len(pdf.pages) > 20
    first = pdf.pages[0].extract_text()
    assert "City Sanitation Strategy (SSK) Kota Solok" in first
    assert "74 tables" not in text and "Kota Solok" in text


def test_bad_swot_exits_2_with_every_problem(city: Path, tmp_path: Path) -> None:
    (city / "swot.csv").write_text(
        "sector,kind,factor,weight,rating,activities\n"
        "ald,S,strength,0.5,3,\n"
        "ald,Q,what,0.5,2,\n"  # line 3: kind
        "ald,W,weakness,0.6,9,ALD-99\n"  # line 4: rating, unknown activity
        "ald,O,opportunity,1,2,\n"
        "ald,T,threat,0.5,2,\n",  # external weights 1 + 0.5 = 1.5
        encoding="utf-8",
    )
    (city / "pokja.csv").write_text(
        "position,name,agency\nketua,Kepala Bappeda,NOPE\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    code, text = run("document", "--city-dir", str(city), "--out", str(out), "--no-pdf")
    assert code == 2, text
    flat = " ".join(text.split())
    for expected in (
        "SAN-E024",  # kind Q
        "SAN-E191",  # rating 9
        "SAN-E194",  # ALD-99
        "SAN-E192",  # weights
        "SAN-E040",  # pokja agency
    ):
        assert expected in flat, expected
    assert "swot.csv" in flat and "pokja.csv" in flat
    assert not out.exists() or not any(out.iterdir())
