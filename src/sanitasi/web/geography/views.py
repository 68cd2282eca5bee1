"""Kelurahan/desa boundaries of a city: which have one, a map preview, the GeoJSON upload
and clearing.

Everyone who sees the city sees the page (the kelurahan/desa of ``Region.objects.restrict``:
a kecamatan user sees those of its kecamatan). Uploading and clearing need the right to
change the city's regions (domain ``geo``: koordinator of the city, admin; ``can_add``),
else 403. The upload is checked completely by :mod:`.geojson` before anything is written:
any error answers 422 with every problem (feature, kode, rule) and saves nothing; a clean
file is saved in one transaction (:mod:`.boundaries`) and the page says what changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sanitasi.reports.charts import embed_options
from sanitasi.web import roles
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.geography.boundaries import (
    RegionsChanged,
    clear_boundaries,
    kelurahan,
    save_boundaries,
)
from sanitasi.web.geography.forms import BoundaryUploadForm
from sanitasi.web.geography.geojson import KODE_PROPERTIES, count_positions, parse_boundaries
from sanitasi.web.geography.models import Region
from sanitasi.web.plans.tiles import boundary_preview_chart
from sanitasi.web.scope import can_add, can_read_history

PAGE = "web/boundaries.html"
#: Most problems listed on the page (the count says how many more there are).
MAX_SHOWN = 200
#: Most warnings turned into messages after a successful upload.
MAX_WARNINGS = 20


def _rows(request: HttpRequest, kode: str) -> list[dict[str, Any]]:
    kec = dict(
        Region.objects.restrict(request.user)
        .filter(city_kode=kode, tingkat="kecamatan")
        .values_list("kode", "nama")
    )
    rows = []
    for r in kelurahan(request.user, kode):
        parent = r.kode.rsplit(".", 1)[0]
        geometry = r.boundary
        rows.append(
            {
                "kode": r.kode,
                "nama": r.nama,
                "tingkat": r.tingkat,
                "kecamatan": f"{kec[parent]} ({parent})" if parent in kec else parent,
                "geometry": geometry,
                "type": (geometry or {}).get("type", ""),
                "positions": count_positions(geometry),
                "status": r.boundary_status,
                "source": r.boundary_source,
            }
        )
    return rows


def _render(request: HttpRequest, city: Region, *, status: int = 200, **extra: Any) -> HttpResponse:
    kode = city.kode
    rows = _rows(request, kode)
    with_boundary = {r["kode"]: r for r in rows if r["geometry"]}
    preview = boundary_preview_chart(with_boundary, len(rows), page_lang())
    problems = list(extra.pop("problems", []))
    context = {
        "city": city,
        "rows": rows,
        "with_boundary": len(with_boundary),
        "total": len(rows),
        "may_change": can_add(request.user, Region, kode),
        "form": extra.pop("form", None) or BoundaryUploadForm(),
        "kode_properties": KODE_PROPERTIES,
        "problems": problems[:MAX_SHOWN],
        "problems_more": max(0, len(problems) - MAX_SHOWN),
        "charts": {
            "specs": {} if preview is None else {"preview": preview},
            "options": embed_options(page_lang()),
        },
        "reads_history": can_read_history(request.user, kode),
        **extra,
    }
    return render(request, PAGE, context, status=status)


def _may_change(request: HttpRequest, kode: str) -> None:
    if not can_add(request.user, Region, kode):
        raise PermissionDenied(_("You may not change the boundaries of this city."))


@login_required
@require_safe
def boundaries(request: HttpRequest, kode: str) -> HttpResponse:
    return _render(request, visible_city(request, kode))


@login_required
@require_POST
def boundaries_upload(request: HttpRequest, kode: str) -> HttpResponse:
    city = visible_city(request, kode)
    _may_change(request, kode)
    form = BoundaryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, city, status=422, form=form)
    d = form.cleaned_data
    upload = d["file"]
    known = dict(kelurahan(request.user, kode, roles.CHANGE).values_list("kode", "nama"))
    parsed = parse_boundaries(
        upload.read(),
        known,
        kode_property=d["kode_property"],
        source=d["source"],
        status=d["status"],
    )
    if not parsed.ok:
        return _render(
            request,
            city,
            status=422,
            form=form,
            problems=parsed.errors + parsed.warnings,
            file_name=upload.name,
        )
    try:
        summary = save_boundaries(request.user, kode, parsed.boundaries)
    except RegionsChanged as e:
        notice = _(
            "These kelurahan/desa no longer exist (the city was reloaded meanwhile): "
            "%(kodes)s. Nothing was saved."
        ) % {"kodes": str(e)}
        return _render(request, city, status=409, form=form, notice=notice)
    messages.success(
        request,
        _(
            "Saved the boundaries of %(saved)s kelurahan/desa from %(file)s "
            "(%(new)s new, %(replaced)s replaced, %(unchanged)s unchanged); "
            "%(without)s of %(total)s kelurahan/desa have no boundary."
        )
        % {
            "saved": summary.saved,
            "file": upload.name,
            "new": summary.new,
            "replaced": summary.replaced,
            "unchanged": summary.unchanged,
            "without": summary.without,
            "total": summary.total,
        },
    )
    for w in parsed.warnings[:MAX_WARNINGS]:
        messages.warning(request, w.message)
    return redirect("boundaries", kode=kode)


@login_required
@require_POST
def boundaries_clear(request: HttpRequest, kode: str) -> HttpResponse:
    visible_city(request, kode)
    _may_change(request, kode)
    cleared = clear_boundaries(request.user, kode)
    messages.success(
        request,
        _("Removed the boundaries of %(n)s kelurahan/desa.") % {"n": cleared},
    )
    return redirect("boundaries", kode=kode)
