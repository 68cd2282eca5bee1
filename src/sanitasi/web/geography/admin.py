from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sanitasi.web.geography.geojson import boundary_digest
from sanitasi.web.geography.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "tingkat", "city_kode", "urban", "area_km2", "boundary_status")
    list_filter = ("city_kode", "tingkat", "boundary_status")
    search_fields = ("kode", "nama")
    #: The geometry is uploaded on the city's boundaries page (validated there); the admin
    #: shows its digest only.
    exclude = ("boundary",)
    readonly_fields = ("boundary_digest",)

    @admin.display(description=_("boundary"))
    def boundary_digest(self, obj: Region) -> Any:
        return boundary_digest(obj.boundary) or "–"
