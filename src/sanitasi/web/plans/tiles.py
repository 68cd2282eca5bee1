"""Kelurahan tile grid of the dashboard (the risk tile map idea of the reports, for the
sanitation ladder): one row per kecamatan, one tile per kelurahan/desa in code order,
coloured by its % layak or % aman; one panel per indicator. No geometry needed.

Source: the plan's ``ladder`` leaf rows (scenario ``plan``) in the base year; the tooltip
also gives the value at the end of the SSK period. The spec is plain Vega-Lite, drawn with
the same vega-embed options as the report charts.
"""

from __future__ import annotations

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


__all__ = ["TILE_INDICATORS", "tile_chart", "tile_rows"]
