"""Evidence attachments (issue 11 item 6): the type is read from the content (magic bytes),
never from the name; size and count limits come from reference/io_limits.csv; every refused
file is named with its rule (SAN-E202..E205); the display name is safe."""

from __future__ import annotations

import dataclasses
import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from sanitasi.io.evidence import (
    TYPES,
    Upload,
    check_uploads,
    display_name,
    sniff,
)
from sanitasi.io.limits import limits

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})


def _up(name: str, data: bytes, size: int | None = None) -> Upload:
    return Upload(name, len(data) if size is None else size, io.BytesIO(data))


def test_sniff_reads_the_content_not_the_name() -> None:
    assert sniff(io.BytesIO(JPEG)) is TYPES["jpeg"]
    assert sniff(io.BytesIO(PNG)) is TYPES["png"]
    assert sniff(io.BytesIO(WEBP)) is TYPES["webp"]
    assert sniff(io.BytesIO(PDF)) is TYPES["pdf"]
    assert sniff(io.BytesIO(XLSX)) is TYPES["xlsx"]
    # a Word document is a ZIP too, but not a workbook; a RIFF that is not WebP (a WAV)
    assert sniff(io.BytesIO(DOCX)) is None
    assert sniff(io.BytesIO(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 16)) is None
    assert sniff(io.BytesIO(b"PK\x03\x04 broken zip")) is None
    assert sniff(io.BytesIO(b"<html><script>alert(1)</script>")) is None
    stream = io.BytesIO(PDF)
    sniff(stream)
    assert stream.tell() == 0  # rewound for the copy


def test_a_renamed_file_is_refused_and_a_misnamed_one_accepted() -> None:
    # an HTML page called photo.jpg is refused; a real PDF called scan.jpg is a PDF
    types, problems = check_uploads(
        [_up("photo.jpg", b"<html>hi</html>"), _up("scan.jpg", PDF)], existing=0
    )
    assert types == [None, TYPES["pdf"]]
    assert [p.code for p in problems] == ["SAN-E202"]
    p = problems[0]
    assert p.file == "photo.jpg" and p.column == "evidence"
    assert "JPEG, PNG, WebP, PDF, XLSX" in p.rule
    assert "bukan salah satu dari" in p.message_id  # Indonesian text exists


def test_old_office_and_heic_are_named() -> None:
    _, problems = check_uploads(
        [
            _up("laporan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16),
            _up("foto.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 16),
        ]
    )
    assert "Office 97-2003" in problems[0].rule and "HEIC" in problems[1].rule


def test_size_limit_is_data_and_checked_before_reading() -> None:
    bounds = limits()
    assert bounds.evidence_max_bytes == 10 * 1024 * 1024  # reference/io_limits.csv
    assert bounds.evidence_max_files == 5

    class Unreadable(io.BytesIO):
        def read(self, *args: object) -> bytes:
            raise AssertionError("a file over the limit must not be read")

    big = Upload("besar.jpg", bounds.evidence_max_bytes + 1, Unreadable(JPEG))
    at_limit = _up("pas.jpg", JPEG, size=bounds.evidence_max_bytes)
    types, problems = check_uploads([big, at_limit])
    assert types == [None, TYPES["jpeg"]]
    assert [p.code for p in problems] == ["SAN-E203"]
    assert str(bounds.evidence_max_bytes + 1) in problems[0].rule
    # a smaller limit (the data) changes the answer
    small = dataclasses.replace(bounds, evidence_max_bytes=10)
    _, problems = check_uploads([_up("a.pdf", PDF)], bounds=small)
    assert [p.code for p in problems] == ["SAN-E203"]


def test_count_limit_counts_the_files_already_attached() -> None:
    two = [_up("a.pdf", PDF), _up("b.png", PNG)]
    _, problems = check_uploads(two, existing=3)  # 5: at the limit
    assert problems == []
    _, problems = check_uploads(two, existing=4)  # 6
    assert [p.code for p in problems] == ["SAN-E204"]
    assert "6" in problems[0].rule and "5" in problems[0].rule
    assert problems[0].file == "a.pdf, b.png"


def test_empty_file() -> None:
    _, problems = check_uploads([_up("kosong.pdf", b"")])
    assert [p.code for p in problems] == ["SAN-E205"]


def test_every_problem_is_reported_not_only_the_first() -> None:
    bounds = dataclasses.replace(limits(), evidence_max_files=2)
    _, problems = check_uploads(
        [_up("a.txt", b"text"), _up("b.pdf", b""), _up("c.pdf", PDF)], bounds=bounds
    )
    assert [p.code for p in problems] == ["SAN-E202", "SAN-E205", "SAN-E204"]


def test_display_name() -> None:
    assert display_name("BAST TW4.pdf") == "BAST TW4.pdf"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\dlh\\foto depan.jpg") == "foto depan.jpg"
    assert display_name('a<b>:"c"|?*.png') == "a_b_c_.png"  # a run of unsafe characters is one _
    assert display_name("\x00\x1f.pdf") == "_.pdf"
    assert display_name("...") == "lampiran"
    assert display_name("") == "lampiran"
    long = "x" * 300 + ".jpeg"
    assert display_name(long) == "x" * 115 + ".jpeg"  # 120 characters
    assert display_name("Cafe\u0301.pdf") == "Caf\u00e9.pdf"  # NFC


@given(st.text(max_size=400))
def test_display_name_is_always_safe(name: str) -> None:
    out = display_name(name)
    assert 0 < len(out) <= 120
    assert not any(c in out for c in '/\\<>:"|?*')
    assert not any(ord(c) < 32 or ord(c) == 127 for c in out)
    assert out not in (".", "..")
    assert out == out.strip(" ") or out == "lampiran"


@given(st.binary(max_size=64))
def test_random_bytes_never_crash(data: bytes) -> None:
    types, problems = check_uploads([_up("x", data)])
    assert len(types) == 1
    if types[0] is None:
        assert len(problems) == 1
    else:
        assert problems == []
