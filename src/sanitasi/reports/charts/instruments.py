"""Charts of the SSK instruments: the risk areas as a tile map (:func:`risk_map_chart`) and
the survey shares with their intervals (:func:`survey_interval_chart`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sanitasi.core.model import RUNGS
from sanitasi.core.risk import CLASS_LABELS
from sanitasi.reports.charts.base import (
    RUNG_COLORS,
    _base,
    _records,
)
from sanitasi.reports.common import (
    has_cols,
)
from sanitasi.reports.fmt import as_float, fmt_number, is_missing, norm_lang
from sanitasi.reports.i18n import (
    rung_label,
    sector_label,
    t,
)

#: Risk class colours, class 1 (rendah) to 4 (amat tinggi); the HTML table uses the same.
RISK_CLASS_COLORS: tuple[str, ...] = ("#a6d96a", "#fee08b", "#fdae61", "#d73027")


def _class_label(cls: int, lang: str) -> str:
    pair = CLASS_LABELS.get(int(cls), (str(cls), str(cls)))
    return f"{int(cls)} {pair[1] if norm_lang(lang) == 'en' else pair[0]}"


def risk_map_chart(
    scores: pd.DataFrame | None,
    lang: str = "id",
    *,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """Map-like tile grid of the risk areas (no geometry needed): one panel per subsector
    (stacked), one row per kecamatan, one tile per kelurahan/desa (in code order) coloured by its final
    risk class (1 rendah green ... 4 amat tinggi red); a dark frame marks a class the Pokja
    overrode. Tiles show the name and ``score \u00b7 class``; the tooltip has IMPACT,
    EXPOSURE, the computed class and the override reason.

    Source: ``risk_scores`` (``kode, nama, subsector, impact_score, exposure_score,
    risk_score, computed_class, final_class, overridden, override_reason``); ``names`` gives
    the kecamatan names (``kode -> nama``)."""
    need = ("kode", "subsector", "risk_score", "final_class")
    if scores is None or not has_cols(scores, *need) or not len(scores):
        return None
    lang = norm_lang(lang)
    names = dict(names or {})
    df = scores.sort_values(["subsector", "kode"], kind="stable")
    kode = df["kode"].astype(str)
    kec = kode.str.rsplit(".", n=1).str[0]
    subs = [s for s in ("ald", "persampahan") if s in set(df["subsector"])]
    subs += [str(s) for s in dict.fromkeys(df["subsector"]) if s not in subs]
    kec_order = list(dict.fromkeys(sorted(kec)))
    kec_label = {k: f"{names[k]} ({k})" if k in names else k for k in kec_order}
    pos = df.assign(_kec=kec).groupby(["subsector", "_kec"], sort=False).cumcount() + 1
    rows: list[dict[str, Any]] = []
    for (_, r), k, p in zip(df.iterrows(), kec, pos, strict=True):
        cls = int(r["final_class"])
        computed = as_float(r.get("computed_class"))
        over = bool(r.get("overridden", False)) if not is_missing(r.get("overridden")) else False
        nama = str(r.get("nama") or "") or str(r["kode"])
        rows.append(
            dict(
                subsector=sector_label(str(r["subsector"]), lang),
                kecamatan=kec_label[k],
                pos=int(p),
                kode=str(r["kode"]),
                nama=nama,
                cls=cls,
                class_label=_class_label(cls, lang),
                computed=_class_label(int(computed), lang) if computed is not None else "",
                score=as_float(r["risk_score"]),
                score_text=f"{fmt_number(r['risk_score'], 1, lang)} \u00b7 {cls}",
                impact=as_float(r.get("impact_score")),
                exposure=as_float(r.get("exposure_score")),
                overridden=over,
                reason=str(r.get("override_reason") or "") if over else "",
            )
        )
    domain = [_class_label(c, lang) for c in (1, 2, 3, 4)]
    tooltip = [
        {"field": "nama", "type": "nominal", "title": t("axis_area", lang)},
        {"field": "kode", "type": "nominal", "title": t("col_code", lang)},
        {"field": "kecamatan", "type": "nominal", "title": t("axis_kecamatan", lang)},
        {"field": "impact", "type": "quantitative", "format": ".2f", "title": "IMPACT"},
        {"field": "exposure", "type": "quantitative", "format": ".2f", "title": "EXPOSURE"},
        {
            "field": "score",
            "type": "quantitative",
            "format": ".2f",
            "title": t("axis_risk_score", lang),
        },
        {"field": "class_label", "type": "nominal", "title": t("axis_risk_class", lang)},
        {"field": "computed", "type": "nominal", "title": t("ins_col_computed", lang)},
        {"field": "reason", "type": "nominal", "title": t("ins_col_reason", lang)},
    ]
    spec = _base(t("chart_risk_map", lang), lang, t("chart_risk_map_sub", lang))
    spec.update(
        {
            "data": {"values": _records(rows)},
            "facet": {
                "row": {
                    "field": "subsector",
                    "type": "nominal",
                    "title": None,
                    "sort": [sector_label(s, lang) for s in subs],
                    "header": {
                        "labelFontWeight": "bold",
                        "labelFontSize": 13,
                        "labelAngle": 0,
                        "labelOrient": "top",
                        "labelAnchor": "start",
                    },
                }
            },
            "spec": {
                "width": {"step": 96},
                "height": {"step": 46},
                "encoding": {
                    "x": {"field": "pos", "type": "ordinal", "axis": None},
                    "y": {
                        "field": "kecamatan",
                        "type": "nominal",
                        "title": t("axis_kecamatan", lang),
                        "sort": [kec_label[k] for k in kec_order],
                        "axis": {"labelLimit": 160, "labelFontWeight": "bold"},
                    },
                    "tooltip": tooltip,
                },
                "layer": [
                    {
                        "mark": {"type": "rect", "cornerRadius": 3, "strokeWidth": 2.5},
                        "encoding": {
                            "color": {
                                "field": "class_label",
                                "type": "ordinal",
                                "title": t("axis_risk_class", lang),
                                "scale": {"domain": domain, "range": list(RISK_CLASS_COLORS)},
                                "legend": {"orient": "bottom"},
                            },
                            "stroke": {
                                "condition": {"test": "datum.overridden", "value": "#1d2329"},
                                "value": "#ffffff",
                            },
                        },
                    },
                    {
                        "mark": {"type": "text", "fontSize": 9.5, "limit": 90, "dy": -7},
                        "encoding": {
                            "text": {"field": "nama"},
                            "color": {
                                "condition": {"test": "datum.cls >= 4", "value": "#ffffff"},
                                "value": "#1d2329",
                            },
                        },
                    },
                    {
                        "mark": {"type": "text", "fontSize": 9, "dy": 8, "fontWeight": "bold"},
                        "encoding": {
                            "text": {"field": "score_text"},
                            "color": {
                                "condition": {"test": "datum.cls >= 4", "value": "#ffffff"},
                                "value": "#1d2329",
                            },
                        },
                    },
                ],
            },
        }
    )
    return spec


#: Most kelurahan/desa drawn in the survey chart (the tables have them all).
SURVEY_CHART_MAX_AREAS = 40


def survey_interval_chart(
    shares: pd.DataFrame | None,
    lang: str = "id",
    *,
    min_households: int | None = None,
    max_areas: int = SURVEY_CHART_MAX_AREAS,
) -> dict[str, Any] | None:
    """Weighted share of each ladder rung per kelurahan/desa with its 95 % interval (a point
    and an error bar; one panel per rung). Areas below the EHRA minimum are marked ``*``
    and drawn paler. At most ``max_areas`` areas (in code order; the subtitle says so).

    Source: a survey shares table (``kode, nama, n, below_min, pct_<rung>, pct_<rung>_low,
    pct_<rung>_high``)."""
    if shares is None or not has_cols(shares, "kode", "n") or not len(shares):
        return None
    lang = norm_lang(lang)
    rungs = [r for r in RUNGS if f"pct_{r}" in shares.columns]
    if not rungs:
        return None
    df = shares.sort_values("kode", kind="stable")
    total = len(df)
    df = df.head(max_areas)
    rows: list[dict[str, Any]] = []
    order: list[str] = []
    for _, r in df.iterrows():
        below = bool(r.get("below_min", False)) if not is_missing(r.get("below_min")) else False
        nama = str(r.get("nama") or "") or str(r["kode"])
        area = f"{nama} (n={fmt_number(r['n'], 0, lang)}){' *' if below else ''}"
        order.append(area)
        for i, rung in enumerate(rungs):
            p = as_float(r.get(f"pct_{rung}"))
            if p is None:
                continue
            rows.append(
                dict(
                    area=area,
                    rung=rung_label(rung, lang),
                    order=i,
                    pct=p,
                    low=as_float(r.get(f"pct_{rung}_low")),
                    high=as_float(r.get(f"pct_{rung}_high")),
                    below=below,
                )
            )
    if not rows:
        return None
    labels = [rung_label(r, lang) for r in rungs]
    colors = [RUNG_COLORS[RUNGS.index(r)] for r in rungs]
    sub = t("chart_survey_sub", lang, min=min_households or 40)
    if total > max_areas:
        sub += " \u00b7 " + t("chart_survey_more", lang, n=max_areas, total=total)
    color = {
        "field": "rung",
        "type": "nominal",
        "title": t("axis_rung", lang),
        "scale": {"domain": labels, "range": colors},
        "legend": None,
    }
    opacity = {"condition": {"test": "datum.below", "value": 0.45}, "value": 1}
    x = {
        "field": "pct",
        "type": "quantitative",
        "title": "%",
        "scale": {"domain": [0, 100]},
        "axis": {"tickCount": 3},
    }
    spec = _base(t("chart_survey", lang), lang, sub)
    spec.update(
        {
            "data": {"values": _records(rows)},
            "facet": {
                "column": {
                    "field": "rung",
                    "type": "nominal",
                    "title": None,
                    "sort": labels,
                    "header": {"labelFontWeight": "bold", "labelLimit": 120},
                }
            },
            "spec": {
                "width": 110,
                "height": {"step": 16},
                "encoding": {
                    "y": {"field": "area", "type": "nominal", "title": None, "sort": order},
                    "tooltip": [
                        {"field": "area", "type": "nominal", "title": t("axis_area", lang)},
                        {"field": "rung", "type": "nominal", "title": t("axis_rung", lang)},
                        {"field": "pct", "type": "quantitative", "format": ".1f", "title": "%"},
                        {
                            "field": "low",
                            "type": "quantitative",
                            "format": ".1f",
                            "title": t("axis_low", lang),
                        },
                        {
                            "field": "high",
                            "type": "quantitative",
                            "format": ".1f",
                            "title": t("axis_high", lang),
                        },
                    ],
                },
                "layer": [
                    {
                        "mark": {"type": "rule", "strokeWidth": 2},
                        "encoding": {
                            "x": {**x, "field": "low"},
                            "x2": {"field": "high"},
                            "color": color,
                            "opacity": opacity,
                        },
                    },
                    {
                        "mark": {"type": "point", "filled": True, "size": 36},
                        "encoding": {"x": x, "color": color, "opacity": opacity},
                    },
                ],
            },
        }
    )
    return spec
