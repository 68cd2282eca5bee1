"""Kelurahan tile grid of the dashboard (the risk tile map idea of the reports, for the
sanitation ladder): one row per kecamatan, one tile per kelurahan/desa in code order,
coloured by its % layak or % aman; one panel per indicator. No geometry needed.

Source: the plan's ``ladder`` leaf rows (scenario ``plan``) in the base year; the tooltip
also gives the value at the end of the SSK period. The spec is plain Vega-Lite, drawn with
the same vega-embed options as the report charts.

When kelurahan/desa have a boundary (uploaded GeoJSON, :mod:`sanitasi.web.geography`),
:func:`map_chart` draws the same values (:func:`tile_rows`) on the real shapes: a
``geoshape`` panel per indicator, Mercator projection fitted to the data, the features
inline (the app is offline). d3-geo, which draws them, reads rings on the sphere: an
exterior ring must run clockwise and a hole anticlockwise, the opposite of RFC 7946, and a
ring the wrong way round covers the rest of the globe. :func:`d3_geometry` therefore orients
every ring by its signed (planar lon/lat) area, whatever the file did, and rounds positions
to 6 decimals (~0.1 m). :func:`boundary_preview_chart` is the plain outline map of the
boundaries page (coloured by kecamatan).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sanitasi.core.model import PlanResult
from sanitasi.reports.charts import SCHEMA
from sanitasi.reports.common import city_kode, frame, leaf_rows, region_names, years
from sanitasi.reports.fmt import as_float, fmt_number, norm_lang
from sanitasi.reports.i18n import indicator_label

TILE_INDICATORS: tuple[str, ...] = ("pct_layak", "pct_aman")
TEXT = {
    "id": {
        "title": "Peta petak kelurahan: % layak dan % aman",
        "sub": "Satu baris per kecamatan, satu petak per kelurahan/desa; tahun dasar {base}, "
        "rencana {end} di tooltip",
        "kec": "Kecamatan",
        "area": "Kelurahan/desa",
        "base": "Tahun dasar {base} (%)",
        "end": "Rencana {end} (%)",
    },
    "en": {
        "title": "Kelurahan tile map: % layak and % aman",
        "sub": "One row per kecamatan, one tile per kelurahan/desa; base year {base}, "
        "plan {end} in the tooltip",
        "kec": "Kecamatan",
        "area": "Kelurahan/desa",
        "base": "Base year {base} (%)",
        "end": "Plan {end} (%)",
    },
}


def tile_rows(result: PlanResult, lang: str = "id") -> list[dict[str, Any]]:
    """One record per (indicator, kelurahan/desa): position in its kecamatan row, base-year
    and end-of-period values."""
    lang = norm_lang(lang)
    df = frame(result, "ladder")
    if df is None or "kode" not in df.columns or "year" not in df.columns:
        return []
    kode = city_kode(result)
    df = leaf_rows(df, kode)
    if "scenario" in df.columns and (df["scenario"] == "plan").any():
        df = df[df["scenario"] == "plan"]
    y = years(result)
    names = region_names(result)
    base = df[df["year"] == y.base].sort_values("kode", kind="stable")
    end = df[df["year"] == y.end].set_index("kode")
    out: list[dict[str, Any]] = []
    pos: dict[str, int] = {}
    for _, r in base.iterrows():
        k = str(r["kode"])
        kec = k.rsplit(".", 1)[0]
        pos[kec] = pos.get(kec, 0) + 1
        kec_label = f"{names[kec]} ({kec})" if kec in names else kec
        for ind in TILE_INDICATORS:
            if ind not in df.columns:
                continue
            v = as_float(r.get(ind))
            e = as_float(end[ind].get(k)) if k in end.index else None
            out.append(
                {
                    "indicator": indicator_label(ind, lang),
                    "kecamatan": kec_label,
                    "pos": pos[kec],
                    "kode": k,
                    "nama": str(r.get("nama") or names.get(k, k)),
                    "value": None if v is None else round(v, 3),
                    "end": None if e is None else round(e, 3),
                    "label": "" if v is None else fmt_number(v, 0, lang),
                }
            )
    return out


def tile_chart(result: PlanResult, lang: str = "id") -> dict[str, Any] | None:
    """The Vega-Lite spec of the tile grid, or ``None`` without kelurahan ladder rows."""
    lang = norm_lang(lang)
    rows = tile_rows(result, lang)
    if not rows:
        return None
    y = years(result)
    tx = TEXT[lang]
    kec_order = list(dict.fromkeys(sorted(r["kecamatan"] for r in rows)))
    return {
        "$schema": SCHEMA,
        "title": {
            "text": tx["title"],
            "subtitle": tx["sub"].format(base=y.base, end=y.end),
            "anchor": "start",
        },
        "usermeta": {"lang": lang, "generator": "sanitasi.web.plans.tiles"},
        "data": {"values": rows},
        "facet": {
            "row": {
                "field": "indicator",
                "type": "nominal",
                "title": None,
                "sort": [indicator_label(i, lang) for i in TILE_INDICATORS],
                "header": {"labelFontWeight": "bold", "labelAngle": 0, "labelOrient": "top"},
            }
        },
        "resolve": {"scale": {"color": "shared"}},
        "spec": {
            "width": {"step": 96},
            "height": {"step": 40},
            "encoding": {
                "x": {"field": "pos", "type": "ordinal", "axis": None},
                "y": {
                    "field": "kecamatan",
                    "type": "nominal",
                    "title": tx["kec"],
                    "sort": kec_order,
                    "axis": {"labelLimit": 160, "labelFontWeight": "bold"},
                },
                "tooltip": [
                    {"field": "nama", "type": "nominal", "title": tx["area"]},
                    {"field": "kode", "type": "nominal"},
                    {
                        "field": "value",
                        "type": "quantitative",
                        "format": ",.1f",
                        "title": tx["base"].format(base=y.base),
                    },
                    {
                        "field": "end",
                        "type": "quantitative",
                        "format": ",.1f",
                        "title": tx["end"].format(end=y.end),
                    },
                ],
            },
            "layer": [
                {
                    "mark": {"type": "rect", "cornerRadius": 3, "stroke": "#ffffff"},
                    "encoding": {
                        "color": {
                            "field": "value",
                            "type": "quantitative",
                            "title": "%",
                            "scale": {"domain": [0, 100], "scheme": "redyellowgreen"},
                            "legend": {"orient": "bottom"},
                        }
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 9.5, "limit": 90, "dy": -6},
                    "encoding": {"text": {"field": "nama"}},
                },
                {
                    "mark": {"type": "text", "fontSize": 9, "dy": 8, "fontWeight": "bold"},
                    "encoding": {"text": {"field": "label"}},
                },
            ],
        },
    }


# --------------------------------------------------------------------------- geoshape map

MAP_TEXT = {
    "id": {
        "title": "Peta kelurahan: % layak dan % aman",
        "sub": "Batas {n} dari {total} kelurahan/desa; tahun dasar {base}, rencana {end} "
        "di tooltip",
        "illustrative": "batas ilustratif, bukan batas resmi",
        "kec": "Kecamatan",
        "area": "Kelurahan/desa",
        "status": "Status batas",
        "source": "Sumber batas",
        "preview": "Batas kelurahan/desa yang tersimpan",
        "preview_sub": "{n} dari {total} kelurahan/desa; warna per kecamatan",
    },
    "en": {
        "title": "Kelurahan map: % layak and % aman",
        "sub": "Boundaries of {n} of {total} kelurahan/desa; base year {base}, plan {end} "
        "in the tooltip",
        "illustrative": "illustrative boundaries, not official ones",
        "kec": "Kecamatan",
        "area": "Kelurahan/desa",
        "status": "Boundary status",
        "source": "Boundary source",
        "preview": "Stored kelurahan/desa boundaries",
        "preview_sub": "{n} of {total} kelurahan/desa; coloured by kecamatan",
    },
}
MAP_WIDTH = 340
MAP_HEIGHT = 300
DECIMALS = 6

Ring = list[list[float]]


def _signed_area(ring: Ring) -> float:
    """Shoelace area in lon/lat units: positive anticlockwise, negative clockwise."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        total += x0 * y1 - x1 * y0
    return total / 2


def _oriented(ring: Ring, clockwise: bool) -> Ring:
    rounded = [[round(float(p[0]), DECIMALS), round(float(p[1]), DECIMALS)] for p in ring]
    is_clockwise = _signed_area(rounded) < 0
    return rounded if is_clockwise == clockwise else rounded[::-1]


def _polygons(geometry: Mapping[str, Any]) -> list[list[Ring]]:
    coords = geometry.get("coordinates") or []
    return list(coords) if geometry.get("type") == "MultiPolygon" else [coords]


def _positions(geometry: Mapping[str, Any]) -> int:
    return sum(len(ring) for poly in _polygons(geometry) for ring in poly)


def thin_ring(ring: Ring, step: int) -> Ring:
    """Every ``step``-th position of a closed ring, closed again, at least 4 positions (a
    triangle) -- a coarse simplification for drawing, not for area or analysis."""
    if step <= 1 or len(ring) <= 4:
        return ring
    body = ring[:-1]
    kept = body[::step]
    if len(kept) < 3:
        kept = [body[i * len(body) // 3] for i in range(3)]
    return [*kept, kept[0]]


def thinned(geometry: Mapping[str, Any], step: int) -> dict[str, Any]:
    """``geometry`` with every ring thinned by :func:`thin_ring`."""
    if step <= 1:
        return dict(geometry)
    polys = [[thin_ring(ring, step) for ring in poly] for poly in _polygons(geometry)]
    return {"type": "MultiPolygon", "coordinates": polys}


def d3_geometry(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """The geometry with exterior rings clockwise and holes anticlockwise (d3-geo's
    convention), positions rounded to :data:`DECIMALS`; always a MultiPolygon."""
    polys = [
        [_oriented(ring, clockwise=(i == 0)) for i, ring in enumerate(poly)]
        for poly in _polygons(geometry)
        if poly
    ]
    return {"type": "MultiPolygon", "coordinates": polys}


def label_point(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """(lon, lat) for a label: the centre of the bounding box of the largest polygon."""
    best: Ring = []
    best_area = -1.0
    for poly in _polygons(geometry):
        if poly and abs(_signed_area(poly[0])) > best_area:
            best, best_area = poly[0], abs(_signed_area(poly[0]))
    if not best:
        return 0.0, 0.0
    lons = [float(p[0]) for p in best]
    lats = [float(p[1]) for p in best]
    return (
        round((min(lons) + max(lons)) / 2, DECIMALS),
        round((min(lats) + max(lats)) / 2, DECIMALS),
    )


def _kecamatan_label(kode: str, names: Mapping[str, str]) -> str:
    kec = kode.rsplit(".", 1)[0]
    return f"{names[kec]} ({kec})" if kec in names else kec


def map_values(result: PlanResult, lang: str = "id") -> dict[str, dict[str, Any]]:
    """kode -> the :func:`tile_rows` values of one kelurahan/desa: ``nama``,
    ``kecamatan``, and per indicator ``<ind>`` (base year), ``<ind>_end`` and
    ``<ind>_label``."""
    lang = norm_lang(lang)
    codes = {indicator_label(i, lang): i for i in TILE_INDICATORS}
    out: dict[str, dict[str, Any]] = {}
    for r in tile_rows(result, lang):
        ind = codes.get(r["indicator"])
        if ind is None:
            continue
        v = out.setdefault(
            r["kode"], {"kode": r["kode"], "nama": r["nama"], "kecamatan": r["kecamatan"]}
        )
        v[ind] = r["value"]
        v[f"{ind}_end"] = r["end"]
        v[f"{ind}_label"] = r["label"]
    return out


def _feature(kode: str, geometry: Mapping[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    lon, lat = label_point(geometry)
    return {
        "type": "Feature",
        "properties": {**props, "kode": kode, "lon": lon, "lat": lat},
        "geometry": d3_geometry(geometry),
    }


def _label_layer(field: str, size: float = 9) -> dict[str, Any]:
    return {
        "mark": {"type": "text", "fontSize": size, "fontWeight": "bold", "limit": 110},
        "encoding": {
            "longitude": {"field": "properties.lon", "type": "quantitative"},
            "latitude": {"field": "properties.lat", "type": "quantitative"},
            "text": {"field": field},
        },
    }


def map_chart(
    result: PlanResult,
    boundaries: Mapping[str, Mapping[str, Any]],
    lang: str = "id",
    max_positions: int | None = None,
) -> dict[str, Any] | None:
    """The Vega-Lite geoshape map of % layak and % aman (one panel each), or ``None`` when
    no kelurahan/desa has a boundary or the plan has no kelurahan ladder rows.

    ``boundaries``: kode -> ``{"geometry": GeoJSON geometry, "status": str, ...}`` (as
    :func:`sanitasi.web.geography.boundaries.visible_boundaries` gives them). One feature per
    kelurahan/desa with a boundary; its properties carry the tile grid's values.

    ``max_positions``: the page inlines the chart, so boundaries with more positions in all
    are thinned (every n-th position of each ring, :func:`thin_ring`) to about that many: a
    16 MB upload must not make 17 MB dashboards (issue 12 item 4). The stored boundaries
    stay as uploaded.
    """
    lang = norm_lang(lang)
    values = map_values(result, lang)
    total = sum(_positions(b.get("geometry") or {}) for b in boundaries.values())
    step = -(-total // max_positions) if max_positions and total > max_positions else 1
    indicators = [i for i in TILE_INDICATORS if any(i in v for v in values.values())]
    if not indicators:
        return None
    names = region_names(result)
    features = []
    for kode in sorted(boundaries):
        geometry = boundaries[kode].get("geometry")
        if not geometry:
            continue
        props = dict(
            values.get(kode)
            or {
                "nama": names.get(kode) or str(boundaries[kode].get("nama") or kode),
                "kecamatan": _kecamatan_label(kode, names),
            }
        )
        props["status"] = str(boundaries[kode].get("status") or "")
        features.append(_feature(kode, thinned(geometry, step), props))
    if not features:
        return None
    y = years(result)
    tx = {**TEXT[lang], **MAP_TEXT[lang]}
    subtitle = [tx["sub"].format(n=len(features), total=len(values), base=y.base, end=y.end)]
    if any(f["properties"]["status"] == "illustrative" for f in features):
        subtitle.append(tx["illustrative"])
    panels = []
    for ind in indicators:
        tooltip = [
            {"field": "properties.nama", "type": "nominal", "title": tx["area"]},
            {"field": "properties.kode", "type": "nominal", "title": "kode"},
            {"field": "properties.kecamatan", "type": "nominal", "title": tx["kec"]},
            {
                "field": f"properties.{ind}",
                "type": "quantitative",
                "format": ",.1f",
                "title": tx["base"].format(base=y.base),
            },
            {
                "field": f"properties.{ind}_end",
                "type": "quantitative",
                "format": ",.1f",
                "title": tx["end"].format(end=y.end),
            },
            {"field": "properties.status", "type": "nominal", "title": tx["status"]},
        ]
        panels.append(
            {
                "title": indicator_label(ind, lang),
                "width": MAP_WIDTH,
                "height": MAP_HEIGHT,
                "projection": {"type": "mercator"},
                "layer": [
                    {
                        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 1},
                        "encoding": {
                            "color": {
                                "field": f"properties.{ind}",
                                "type": "quantitative",
                                "title": "%",
                                "scale": {"domain": [0, 100], "scheme": "redyellowgreen"},
                                "legend": {"orient": "bottom"},
                            },
                            "tooltip": tooltip,
                        },
                    },
                    _label_layer(f"properties.{ind}_label"),
                ],
            }
        )
    return {
        "$schema": SCHEMA,
        "title": {"text": tx["title"], "subtitle": subtitle, "anchor": "start"},
        "usermeta": {"lang": lang, "generator": "sanitasi.web.plans.tiles.map_chart"},
        "data": {"values": features},
        "hconcat": panels,
        "resolve": {"scale": {"color": "shared"}},
    }


def boundary_preview_chart(
    items: Mapping[str, Mapping[str, Any]], total: int, lang: str = "id"
) -> dict[str, Any] | None:
    """Outline map of the stored boundaries (boundaries page): ``items`` kode ->
    ``{"geometry", "nama", "kecamatan", "status", "source"}``; coloured by kecamatan,
    labelled with the kelurahan name. ``None`` when there is nothing to draw."""
    lang = norm_lang(lang)
    tx = {**TEXT[lang], **MAP_TEXT[lang]}
    features = [
        _feature(
            kode,
            item["geometry"],
            {k: str(item.get(k) or "") for k in ("nama", "kecamatan", "status", "source")},
        )
        for kode, item in sorted(items.items())
        if item.get("geometry")
    ]
    if not features:
        return None
    return {
        "$schema": SCHEMA,
        "title": {
            "text": tx["preview"],
            "subtitle": tx["preview_sub"].format(n=len(features), total=total),
            "anchor": "start",
        },
        "usermeta": {"lang": lang, "generator": "sanitasi.web.plans.tiles.boundary_preview"},
        "data": {"values": features},
        "width": 2 * MAP_WIDTH,
        "height": MAP_HEIGHT + 120,
        "projection": {"type": "mercator"},
        "layer": [
            {
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "properties.kecamatan",
                        "type": "nominal",
                        "title": tx["kec"],
                        "legend": {"orient": "bottom"},
                    },
                    "tooltip": [
                        {"field": "properties.nama", "type": "nominal", "title": tx["area"]},
                        {"field": "properties.kode", "type": "nominal", "title": "kode"},
                        {"field": "properties.kecamatan", "type": "nominal", "title": tx["kec"]},
                        {"field": "properties.status", "type": "nominal", "title": tx["status"]},
                        {"field": "properties.source", "type": "nominal", "title": tx["source"]},
                    ],
                },
            },
            _label_layer("properties.nama", 9.5),
        ],
    }


__all__ = [
    "TILE_INDICATORS",
    "boundary_preview_chart",
    "d3_geometry",
    "label_point",
    "map_chart",
    "map_values",
    "tile_chart",
    "tile_rows",
]
