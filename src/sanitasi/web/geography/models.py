"""Region (Kemendagri 2025 codes)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.core.model import LEVELS
from sanitasi.web.basemodels import KODE_LENGTH, CityOwned
from sanitasi.web.scope import GEO, RowScope

TINGKAT_CHOICES = [(level, level) for level in LEVELS if level != "nasional"]


class Region(CityOwned):
    """A region of a city's tree as the plan uses it (``PlanInputs.regions``): the city, its
    kecamatan and kelurahan/desa, and the province above it. Each city keeps its own copy of
    the province row, so the tree of a city is self-contained (shardable by ``city_kode``).
    """

    kode = models.CharField(_("kode"), max_length=KODE_LENGTH)
    nama = models.CharField(_("name"), max_length=200)
    tingkat = models.CharField(_("level"), max_length=16, choices=TINGKAT_CHOICES)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    urban = models.BooleanField(_("urban"), default=True)
    spald_t_zone = models.CharField(_("SPALD-T zone"), max_length=64, blank=True)

    row_scope: ClassVar[RowScope] = RowScope(GEO, kode="kode")
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "kode"], name="region_city_kode_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"
