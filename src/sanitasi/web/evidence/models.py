"""An evidence file of a realisation row (photo, PDF, XLSX)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.io.evidence import TYPES
from sanitasi.web.basemodels import CityOwned
from sanitasi.web.scope import EVIDENCE, RowScope

KIND_CHOICES = [
    ("jpeg", _("JPEG photo")),
    ("png", _("PNG image")),
    ("webp", _("WebP image")),
    ("pdf", _("PDF document")),
    ("xlsx", _("XLSX workbook")),
]
#: Length of the storage path: two URL-safe tokens (16 + 43 characters) and a slash.
STORED_LENGTH = 80


class Evidence(CityOwned):
    """One attachment of a realisation row. The file lives under
    ``SANITASI_HOME/media/evidence/<stored>`` (:mod:`sanitasi.web.evidence.storage`), where
    ``stored`` is two random tokens (``secrets.token_urlsafe``), never the uploaded name;
    ``original_name`` is the uploaded name made safe (:func:`sanitasi.io.evidence.display_name`),
    shown and offered as the download name only. ``kind`` was read from the content."""

    realisation = models.ForeignKey(
        "monitoring.Realisation",
        verbose_name=_("realisation"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("type"), max_length=8, choices=KIND_CHOICES)
    original_name = models.CharField(_("file name"), max_length=200)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored = models.CharField(max_length=STORED_LENGTH, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    row_scope: ClassVar[RowScope] = RowScope(
        EVIDENCE, kode="realisation__activity__location__kode", activity="realisation__activity"
    )
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "stored"], name="evidence_stored_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.realisation} · {self.original_name}"

    @property
    def content_type(self) -> str:
        return TYPES[self.kind].content_type

    @property
    def image(self) -> bool:
        return TYPES[self.kind].image
