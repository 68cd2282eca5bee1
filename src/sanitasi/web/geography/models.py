"""Region (Kemendagri 2025 codes), with the optional boundary of a kelurahan/desa."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.core.model import LEVELS, STATUSES
from sanitasi.web.basemodels import KODE_LENGTH, CityOwned
from sanitasi.web.geography.geojson import boundary_digest
from sanitasi.web.scope import GEO, RowScope

TINGKAT_CHOICES = [(level, level) for level in LEVELS if level != "nasional"]
BOUNDARY_STATUS_CHOICES = [(s, s) for s in STATUSES]
#: Longest boundary source text kept.
SOURCE_LENGTH = 500


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
    #: One GeoJSON geometry (``Polygon`` or ``MultiPolygon``, WGS 84 lon/lat, 2-D positions)
    #: of a kelurahan/desa, as validated by :mod:`sanitasi.web.geography.geojson`; kecamatan
    #: and the city are drawn as their kelurahan (no union is stored).
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    boundary_source = models.CharField(_("boundary source"), max_length=SOURCE_LENGTH, blank=True)
    boundary_status = models.CharField(
        _("boundary status"), max_length=16, choices=BOUNDARY_STATUS_CHOICES, blank=True
    )

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

    def audit_extra(self) -> dict[str, Any]:
        """Audit snapshots replace the geometry by its digest (type, number of positions,
        hash): entries stay readable and small, and a changed boundary still shows."""
        return {"boundary": boundary_digest(self.boundary)}
