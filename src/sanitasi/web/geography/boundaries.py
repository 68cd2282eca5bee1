"""Reading and writing kelurahan/desa boundaries (the database side of the upload).

Rows come from ``Region.objects.restrict(user, action)`` only. Writing is all-or-nothing:
the regions are read again (locked) inside one transaction and every boundary is saved
there; if a region vanished meanwhile (a reload of the city) nothing is saved. Each changed
region is one audit entry (the model signals; :meth:`Region.audit_extra` puts a digest of
the geometry, not the geometry, in before/after), so the history of a kelurahan shows its
boundary changes and the plan cache (keyed by the latest entry) moves on.

An upload *merges*: the kelurahan/desa in the file get the new boundary, the others keep
theirs. :func:`clear_boundaries` removes them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from sanitasi.core.model import LEAF_LEVELS
from sanitasi.web import roles
from sanitasi.web.geography.geojson import Boundary
from sanitasi.web.geography.models import Region

BOUNDARY_FIELDS = ["boundary", "boundary_source", "boundary_status"]


class RegionsChanged(Exception):
    """A region of the upload is gone (the city was reloaded meanwhile)."""


@dataclass(frozen=True)
class SaveSummary:
    saved: int
    new: int
    replaced: int
    unchanged: int
    without: int
    total: int


def kelurahan(user: Any, city_kode: str, action: str = roles.VIEW) -> Any:
    """The city's kelurahan/desa ``user`` may ``action``, in kode order."""
    return (
        Region.objects.restrict(user, action)
        .filter(city_kode=city_kode, tingkat__in=LEAF_LEVELS)
        .order_by("kode")
    )


def visible_boundaries(user: Any, city_kode: str) -> dict[str, dict[str, Any]]:
    """kode -> {geometry, status, source, nama} of the kelurahan/desa with a boundary that
    ``user`` may see."""
    rows = kelurahan(user, city_kode).filter(boundary__isnull=False)
    return {
        r.kode: {
            "geometry": r.boundary,
            "status": r.boundary_status,
            "source": r.boundary_source,
            "nama": r.nama,
        }
        for r in rows
    }


def save_boundaries(user: Any, city_kode: str, boundaries: Sequence[Boundary]) -> SaveSummary:
    """Save every boundary in one transaction (``boundaries`` are validated and their kodes
    among the kelurahan ``user`` may change). Raises :class:`RegionsChanged` (nothing
    saved) if one of them no longer exists."""
    wanted = {b.kode for b in boundaries}
    new = replaced = unchanged = 0
    with transaction.atomic():
        rows = {
            r.kode: r
            for r in kelurahan(user, city_kode, roles.CHANGE)
            .filter(kode__in=wanted)
            .select_for_update(of=("self",))
        }
        missing = wanted - set(rows)
        if missing:
            raise RegionsChanged(", ".join(sorted(missing)))
        for b in boundaries:
            region = rows[b.kode]
            before = (region.boundary, region.boundary_source, region.boundary_status)
            if before == (b.geometry, b.source, b.status):
                unchanged += 1
                continue
            if region.boundary is None:
                new += 1
            else:
                replaced += 1
            region.boundary = b.geometry
            region.boundary_source = b.source
            region.boundary_status = b.status
            region.save(update_fields=BOUNDARY_FIELDS)
        total = kelurahan(user, city_kode, roles.CHANGE).count()
        without = kelurahan(user, city_kode, roles.CHANGE).filter(boundary__isnull=True).count()
    return SaveSummary(len(boundaries), new, replaced, unchanged, without, total)


def clear_boundaries(user: Any, city_kode: str) -> int:
    """Remove the boundaries of every kelurahan/desa ``user`` may change; how many."""
    cleared = 0
    with transaction.atomic():
        rows = (
            kelurahan(user, city_kode, roles.CHANGE)
            .filter(boundary__isnull=False)
            .select_for_update(of=("self",))
        )
        for region in rows:
            region.boundary = None
            region.boundary_source = ""
            region.boundary_status = ""
            region.save(update_fields=BOUNDARY_FIELDS)
            cleared += 1
    return cleared


__all__ = [
    "RegionsChanged",
    "SaveSummary",
    "clear_boundaries",
    "kelurahan",
    "save_boundaries",
    "visible_boundaries",
]
