"""Evidence attachments of realisation rows: which files are accepted, read from their
content (never from their name), their size limits, and a safe display name.

Accepted (README, "Evidence attachments"): photos (JPEG, PNG, WebP), PDF and XLSX workbooks.
The type is recognised by the file's first bytes (its *magic number*):

==========  ==========================================  ===================================
kind        first bytes                                 served as
==========  ==========================================  ===================================
``jpeg``    ``FF D8 FF``                                ``image/jpeg`` (shown inline)
``png``     ``89 50 4E 47 0D 0A 1A 0A``                 ``image/png`` (shown inline)
``webp``    ``RIFF`` ... ``WEBP`` at bytes 8-11         ``image/webp`` (shown inline)
``pdf``     ``%PDF-``                                   ``application/pdf`` (download)
``xlsx``    a ZIP (``PK 03 04``) holding                ``application/vnd.openxmlformats-
            ``[Content_Types].xml`` and                 officedocument.spreadsheetml.sheet``
            ``xl/workbook.xml``                         (download)
==========  ==========================================  ===================================

Only the ZIP's central directory is read for an XLSX (its member names), never a member's
content, so a zip bomb costs nothing here. Limits are data: ``evidence_max_bytes`` and
``evidence_max_files`` of ``reference/io_limits.csv`` (:mod:`sanitasi.io.limits`). Problems
are ``SAN-E202`` (type), ``SAN-E203`` (size), ``SAN-E204`` (too many files for the row) and
``SAN-E205`` (empty file), each naming the file.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from sanitasi.io.errors import Problem, problem
from sanitasi.io.limits import Limits, limits

#: The column named by the problems (the upload field of the realisation form).
FIELD = "evidence"
#: Bytes read to recognise a type.
HEAD_BYTES = 16
#: Longest display name kept (characters, extension included).
MAX_NAME_CHARS = 120
FALLBACK_NAME = "lampiran"


@dataclass(frozen=True)
class FileType:
    """An accepted type: ``kind``, the ``content_type`` it is served with, the usual
    ``extension`` and whether it is an image (shown inline, as a thumbnail)."""

    kind: str
    content_type: str
    extension: str
    image: bool


JPEG = FileType("jpeg", "image/jpeg", ".jpg", True)
PNG = FileType("png", "image/png", ".png", True)
WEBP = FileType("webp", "image/webp", ".webp", True)
PDF = FileType("pdf", "application/pdf", ".pdf", False)
XLSX = FileType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", False
)
#: Every accepted type by kind.
TYPES: dict[str, FileType] = {t.kind: t for t in (JPEG, PNG, WEBP, PDF, XLSX)}
#: How the accepted types are named in messages.
CHOICES = "JPEG, PNG, WebP, PDF, XLSX"
#: The ``accept`` attribute of the upload field (a hint for the browser's file picker only:
#: the content decides).
ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,.xlsx,image/jpeg,image/png,image/webp,application/pdf"

_XLSX_MEMBERS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})


def _rewind(stream: BinaryIO) -> None:
    stream.seek(0)


def sniff(stream: BinaryIO) -> FileType | None:
    """The accepted type of the file in ``stream`` (a seekable binary file, read from its
    start and rewound afterwards) from its content, or ``None``."""
    _rewind(stream)
    head = stream.read(HEAD_BYTES)
    _rewind(stream)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as z:  # the central directory only
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return None
        finally:
            _rewind(stream)
        return XLSX if _XLSX_MEMBERS <= names else None
    return None


def describe(stream: BinaryIO) -> tuple[str, str]:
    """What a refused file is (English, Indonesian), for the problem's message."""
    _rewind(stream)
    head = stream.read(HEAD_BYTES)
    _rewind(stream)
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive that is not an XLSX workbook", "arsip ZIP yang bukan workbook XLSX"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "an old Office 97-2003 file (.xls/.doc): save it as .xlsx or PDF",
            "berkas Office 97-2003 lama (.xls/.doc): simpan sebagai .xlsx atau PDF",
        )
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF image", "gambar GIF"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return (
            "a HEIC photo: export it as JPEG",
            "foto HEIC: ekspor sebagai JPEG",
        )
    return "not a recognised type", "jenis yang tidak dikenal"


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")


def display_name(name: str) -> str:
    """The uploaded file's name made safe to show and to offer as a download name: the last
    path part only (``/`` or ``\\``), Unicode NFC, control and reserved characters
    (``<>:"/\\|?*``) replaced by ``_``, spaces collapsed, leading/trailing dots and spaces
    removed, at most :data:`MAX_NAME_CHARS` characters (the extension kept); empty ->
    ``lampiran``. Never used as a storage path."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base)
    base = _SPACES.sub(" ", base).strip(" .")
    if not base.strip("_"):
        return FALLBACK_NAME
    if len(base) > MAX_NAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 8:
            base = stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            base = base[:MAX_NAME_CHARS].rstrip(" .")
    return base


@dataclass(frozen=True)
class Upload:
    """One uploaded file to check: its name as given, its size in bytes and its content."""

    name: str
    size: int
    stream: BinaryIO


def check_uploads(
    uploads: Sequence[Upload], existing: int = 0, bounds: Limits | None = None
) -> tuple[list[FileType | None], list[Problem]]:
    """Check every upload (all problems, never only the first): empty (``SAN-E205``), larger
    than ``evidence_max_bytes`` (``SAN-E203``, checked before any byte is read), content not an
    accepted type (``SAN-E202``), and ``existing + len(uploads)`` above
    ``evidence_max_files`` (``SAN-E204``). Returns the type of each upload (``None`` where
    refused) and the problems; the caller stores nothing when there is a problem."""
    b = bounds or limits()
    types: list[FileType | None] = []
    problems: list[Problem] = []
    for u in uploads:
        name = display_name(u.name)
        if u.size <= 0:
            problems.append(problem("SAN-E205", name, column=FIELD))
            types.append(None)
            continue
        if u.size > b.evidence_max_bytes:
            problems.append(
                problem("SAN-E203", name, column=FIELD, size=u.size, limit=b.evidence_max_bytes)
            )
            types.append(None)
            continue
        kind = sniff(u.stream)
        if kind is None:
            en, id_ = describe(u.stream)
            problems.append(
                problem(
                    "SAN-E202", name, column=FIELD, detected=en, detected_id=id_, choices=CHOICES
                )
            )
        types.append(kind)
    total = existing + len(uploads)
    if uploads and total > b.evidence_max_files:
        problems.append(
            problem(
                "SAN-E204",
                ", ".join(display_name(u.name) for u in uploads),
                column=FIELD,
                count=total,
                limit=b.evidence_max_files,
            )
        )
    return types, problems


__all__ = [
    "ACCEPT",
    "CHOICES",
    "FIELD",
    "TYPES",
    "FileType",
    "Upload",
    "check_uploads",
    "describe",
    "display_name",
    "sniff",
]
