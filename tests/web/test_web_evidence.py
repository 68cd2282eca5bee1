"""Evidence attachments of realisation rows (issue 11 item 6): upload with the quarter's
form (type by content, size and count limits; a refused upload saves nothing and says why at
the field, in Indonesian), storage under SANITASI_HOME/media/evidence with random token
folders, serving only to users who may see the row (404 otherwise), deletion by the uploader
while the row is a draft (audited), and the verify queue's columns."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from webhelpers import DEMO, local_activity, user

from sanitasi.io import evidence as io_evidence
from sanitasi.io.evidence import Upload
from sanitasi.io.limits import limits
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.evidence import service, storage
from sanitasi.web.evidence.models import Evidence
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _own_media(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own evidence folder: the counts of stored files below are exact (the
    xdist workers of this session may share one SANITASI_HOME)."""
    monkeypatch.setattr(storage, "root", lambda: tmp_path / "media" / "evidence")


def test_the_evidence_folder_is_under_sanitasi_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    assert storage.root() == Path(settings.HOME) / "media" / "evidence"


def client(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def media_files() -> list[Path]:
    root = storage.root()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def files(*items: tuple[str, bytes]) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, data, content_type="application/octet-stream")
        for name, data in items
    ]


def new_quarter(c: Client, code: str, year: int, quarter: int, uploads: list[Any]) -> Any:
    url = reverse("realisation-new", args=[DEMO, code])
    data = {
        "year": year,
        "quarter": quarter,
        "output_achieved": "120",
        "cost_spent_idr": "400000000",
        "note": "Q4 desludging",
        "evidence_files": uploads,
    }
    return c.post(url, data)


def attach(username: str, r: Realisation, *items: tuple[str, bytes]) -> list[Evidence]:
    uploads = [Upload(n, len(d), io.BytesIO(d)) for n, d in items]
    return service.attach(user(username), r, uploads)


# ----------------------------------------------------------------------------- upload


def test_files_attached_with_a_new_quarter(demo: str) -> None:
    before = len(media_files())
    response = new_quarter(
        client("opd-dlh"),
        "ALD-04",
        2026,
        4,
        files(("foto depan.jpg", JPEG), ("BAST 12-2026.pdf", PDF), ("progres.xlsx", _xlsx())),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=4)
    got = list(r.attachments.order_by("id"))
    assert [(e.kind, e.original_name) for e in got] == [
        ("jpeg", "foto depan.jpg"),
        ("pdf", "BAST 12-2026.pdf"),
        ("xlsx", "progres.xlsx"),
    ]
    assert [e.size_bytes for e in got] == [len(JPEG), len(PDF), len(_xlsx())]
    assert got[0].sha256 == hashlib.sha256(JPEG).hexdigest()
    assert all(e.uploaded_by == user("opd-dlh") for e in got)
    assert len(media_files()) == before + 3
    assert storage.path_of(got[1].stored).read_bytes() == PDF
    # audited: one create entry per file, attributed to the uploader
    entries = AuditEntry.objects.filter(model="evidence.evidence", action="create")
    assert entries.filter(user=user("opd-dlh")).count() == 3


def test_a_refused_file_saves_nothing_and_says_why_at_the_field(demo: str) -> None:
    before = len(media_files())
    rows = Realisation.objects.count()
    response = new_quarter(
        client("opd-dlh"), "ALD-04", 2026, 4, files(("ok.pdf", PDF), ("foto.jpg", HTML))
    )
    assert response.status_code == 422
    assert Realisation.objects.count() == rows  # not even the row
    assert Evidence.objects.count() == 0
    assert len(media_files()) == before
    html = response.content.decode()
    field = html[html.index('id="field-evidence_files"') :]
    field = field[: field.index("</div>")]
    # Indonesian by default: the file, the rule, the code
    assert "foto.jpg" in field and "SAN-E202" in field
    assert "bukan salah satu dari JPEG, PNG, WebP, PDF, XLSX" in field
    assert "ok.pdf" not in field


def test_the_size_limit_is_the_data(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    small = dataclasses.replace(limits(), evidence_max_bytes=len(PDF) - 1)
    monkeypatch.setattr(io_evidence, "limits", lambda: small)
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    url = reverse("realisation-edit", args=[DEMO, r.pk])
    response = client("opd-dlh").post(
        url,
        {
            "output_achieved": "115",
            "cost_spent_idr": "28750000",
            "note": "changed",
            "version": r.version,
            "evidence_files": files(("BAST.pdf", PDF)),
        },
    )
    assert response.status_code == 422
    assert "SAN-E203" in response.content.decode()
    r.refresh_from_db()
    assert r.note != "changed"  # the figures were not saved either
    assert r.attachments.count() == 0


def test_at_most_five_files_per_row(demo: str) -> None:
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    attach("opd-dlh", r, *[(f"f{i}.pdf", PDF) for i in range(4)])
    before = len(media_files())
    with pytest.raises(Exception) as info:
        attach("opd-dlh", r, ("f5.pdf", PDF), ("f6.pdf", PDF))
    assert "SAN-E204" in str(info.value)
    assert r.attachments.count() == 4 and len(media_files()) == before
    attach("opd-dlh", r, ("f5.pdf", PDF))
    assert r.attachments.count() == 5


def test_only_a_draft_of_ones_own_agency_takes_files(demo: str) -> None:
    submitted = Realisation.objects.get(
        city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3
    )
    with pytest.raises(workflow.WorkflowError):
        attach("opd-dlh", submitted, ("a.pdf", PDF))
    submitted.state = "draft"
    submitted.save()
    from django.core.exceptions import PermissionDenied

    for other in ("opd-perkim", "koordinator", "viewer"):
        with pytest.raises(PermissionDenied):
            attach(other, submitted, ("a.pdf", PDF))
    assert Evidence.objects.count() == 0


# ----------------------------------------------------------------------------- storage


def test_the_path_is_random_tokens_never_the_name(demo: str) -> None:
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    a, b = attach("opd-dlh", r, ("BAST.pdf", PDF), ("BAST.pdf", PDF))
    token = re.compile(r"^[A-Za-z0-9_-]{16}/[A-Za-z0-9_-]{43}$")
    assert token.match(a.stored) and token.match(b.stored), (a.stored, b.stored)
    assert a.stored != b.stored
    assert a.stored.split("/")[0] != b.stored.split("/")[0]  # a folder per file
    for e in (a, b):
        assert "BAST" not in e.stored and str(e.pk) not in e.stored.split("/")
        path = storage.path_of(e.stored)
        assert path.is_relative_to(storage.root())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert not list(path.parent.glob("*.part"))
    # the storage refuses a name that leaves the evidence folder
    for bad in ("../secret_key", "/etc/passwd", "a/../../x"):
        with pytest.raises(ValueError):
            storage.path_of(bad)


def test_a_deleted_row_removes_its_files(
    demo: str, django_capture_on_commit_callbacks: Any
) -> None:
    act = local_activity("EV-01", "13.72.02.1001", "DLH")
    r = Realisation.objects.get(activity=act)
    (e,) = attach("opd-dlh", r, ("a.jpg", JPEG))
    path = storage.path_of(e.stored)
    with django_capture_on_commit_callbacks(execute=True):
        r.delete()
    assert not path.exists() and not path.parent.exists()


# ----------------------------------------------------------------------------- serving


def test_served_with_safe_headers(demo: str) -> None:
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    photo, pdf, sheet = attach(
        "opd-dlh", r, ("foto.png.jpg", JPEG), ("BAST.pdf", PDF), ("data.xlsx", _xlsx())
    )
    c = client("koordinator")
    got = c.get(reverse("evidence-file", args=[DEMO, photo.pk]))
    assert got.status_code == 200
    assert got["Content-Type"] == "image/jpeg"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"].startswith("inline")
    assert b"".join(got.streaming_content) == JPEG
    got = c.get(reverse("evidence-file", args=[DEMO, pdf.pk]))
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"] == 'attachment; filename="BAST.pdf"'
    assert got["X-Content-Type-Options"] == "nosniff"
    got = c.get(reverse("evidence-file", args=[DEMO, sheet.pk]))
    assert got["Content-Type"].startswith("application/vnd.openxmlformats")
    assert got["Content-Disposition"].startswith("attachment")


#: The file of an activity in Tanjung Harapan (13.72.02) led by DLH: who gets it.
SEES_TANJUNG_HARAPAN = {
    "opd-dlh": 200,  # its agency leads the activity
    "opd-perkim": 404,  # another agency of the city
    "kecamatan-ls": 404,  # the camat of another kecamatan (Lubuk Sikarah)
    "koordinator": 200,
    "viewer": 200,
    "fasilitator": 200,
    "nasional": 200,
    "admin": 200,
}


@pytest.mark.parametrize(("role", "status"), sorted(SEES_TANJUNG_HARAPAN.items()))
def test_file_scope(demo: str, role: str, status: int) -> None:
    act = local_activity("EV-02", "13.72.02.1001", "DLH")
    (e,) = attach("opd-dlh", Realisation.objects.get(activity=act), ("a.jpg", JPEG))
    got = client(role).get(reverse("evidence-file", args=[DEMO, e.pk]))
    assert got.status_code == status, (role, got.status_code)


def test_file_scope_follows_lead_and_support_and_location(demo: str) -> None:
    # PS-08: Lubuk Sikarah, lead KEC_LS, support DLH and KSM
    r = Realisation.objects.get(city_kode=DEMO, activity__code="PS-08", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    (e,) = attach("kecamatan-ls", r, ("titik.jpg", JPEG))
    url = reverse("evidence-file", args=[DEMO, e.pk])
    assert client("kecamatan-ls").get(url).status_code == 200
    assert client("opd-dlh").get(url).status_code == 200  # a supporting agency
    assert client("opd-perkim").get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # the wrong city in the URL is a 404 too
    assert (
        client("koordinator").get(reverse("evidence-file", args=["12.71", e.pk])).status_code == 404
    )


# ----------------------------------------------------------------------------- deleting


def test_the_uploader_deletes_while_draft(
    demo: str, django_capture_on_commit_callbacks: Any
) -> None:
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    keep, drop = attach("opd-dlh", r, ("keep.pdf", PDF), ("drop.jpg", JPEG))
    url = reverse("evidence-delete", args=[DEMO, drop.pk])
    # another agency does not even see it; the koordinator sees it but may not delete it
    assert client("opd-perkim").post(url).status_code == 404
    assert client("koordinator").post(url).status_code == 403
    path = storage.path_of(drop.stored)
    with django_capture_on_commit_callbacks(execute=True):
        got = client("opd-dlh").post(url, HTTP_HX_REQUEST="true")
    assert got.status_code == 200
    assert "keep.pdf" in got.content.decode() and "drop.jpg" not in got.content.decode()
    assert list(r.attachments.all()) == [keep]
    assert not path.exists()
    entry = AuditEntry.objects.filter(model="evidence.evidence", action="delete").get()
    assert entry.user == user("opd-dlh") and entry.before["original_name"] == "drop.jpg"
    # once submitted, nothing can be deleted
    workflow.submit(user("opd-dlh"), r, r.version)
    got = client("opd-dlh").post(reverse("evidence-delete", args=[DEMO, keep.pk]))
    assert got.status_code == 409
    assert r.attachments.count() == 1 and storage.path_of(keep.stored).exists()


# ----------------------------------------------------------------------------- verify queue


def test_the_verify_queue_shows_what_bappeda_needs(demo: str) -> None:
    r = Realisation.objects.get(city_kode=DEMO, activity__code="ALD-04", year=2026, quarter=3)
    r.state = "draft"
    r.save()
    photo, bast = attach("opd-dlh", r, ("truk.jpg", JPEG), ("BAST.pdf", PDF))
    workflow.submit(user("opd-dlh"), r, r.version)
    html = client("koordinator").get(reverse("realisation-list", args=[DEMO])).content.decode()
    row = html[html.index(f'id="verify-{r.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Enrol and desludge households under L2T2" in row  # the activity's name
    assert "seluruh kota (Kota Solok)" in row
    # planned to date: 400 households x s(3) of the apbd profile (0.7) = 280, Rp 100 m x 0.7
    assert "280 household newly enrolled" in row and "Rp 70.000.000" in row
    # realised: 115 this quarter; 80 + 100 + 115 = 295 to date; Rp 28.750.000 spent
    assert "115" in row and "295" in row and "Rp 28.750.000" in row
    assert f'src="/cities/{DEMO}/evidence/{photo.pk}/"' in row  # a thumbnail
    assert f'href="/cities/{DEMO}/evidence/{bast.pk}/"' in row and "BAST.pdf" in row
    assert "295 of 400 by Q3" in row  # the note
    ps08 = Realisation.objects.get(city_kode=DEMO, activity__code="PS-08", year=2026, quarter=3)
    row = html[html.index(f'id="verify-{ps08.pk}"') :]
    row = row[: row.index("</tr>")]
    # Lubuk Sikarah; 2 points x s(3) linear 0.75 = 1,50; Rp 50 m x 0.75; realised 0 + 1 + 0 = 1
    assert "Kec. Lubuk Sikarah" in row
    assert "1,50 collection point" in row and "Rp 37.500.000" in row
    assert "1 sampai saat ini" in row or "1 to date" in row


def test_kelurahan_location_names_its_kecamatan(demo: str) -> None:
    from sanitasi.web.evidence.queue import location_name
    from sanitasi.web.geography.models import Region

    kel = Region.objects.get(city_kode=DEMO, kode="13.72.02.1006")
    assert location_name(kel) == "Kel. Laing, Kec. Tanjung Harapan"


#: POST evidence-delete on a draft's file uploaded by opd-dlh (Tanjung Harapan, lead DLH).
DELETES = {
    "opd-dlh": 302,  # the uploader: deleted, back to the row's form
    "opd-perkim": 404,  # does not see it
    "kecamatan-ls": 404,  # does not see it
    "koordinator": 403,  # sees it, may not change realisation
    "viewer": 403,
    "fasilitator": 403,
    "nasional": 403,
    "admin": 403,  # may change the row, but is not the uploader
}


@pytest.mark.parametrize(("role", "status"), sorted(DELETES.items()))
def test_delete_role_by_route(demo: str, role: str, status: int) -> None:
    act = local_activity("EV-03", "13.72.02.1001", "DLH")
    (e,) = attach("opd-dlh", Realisation.objects.get(activity=act), ("a.jpg", JPEG))
    before = AuditEntry.objects.count()
    c = client(role)
    url = reverse("evidence-delete", args=[DEMO, e.pk])
    assert c.get(url).status_code == 405  # POST only
    got = c.post(url)
    assert got.status_code == status, (role, got.status_code)
    assert Evidence.objects.filter(pk=e.pk).exists() == (status != 302)
    assert AuditEntry.objects.count() == before + (1 if status == 302 else 0)
