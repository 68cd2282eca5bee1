"""Vega-Lite spec of the SSK document's own figure: the SWOT position of each sector."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sanitasi.reports.i18n import code_label, t


def swot_chart(scores: pd.DataFrame, lang: str = "id") -> dict[str, Any]:
    """IFAS (x) against EFAS (y) per sector, with the axes through 0 dividing the four
    quadrants (I top right, II bottom right, III top left, IV bottom left)."""
    values: list[dict[str, Any]] = [
        {
            "sector": code_label("sector", str(r["sector"]), lang),
            "ifas": float(r["ifas"]),
            "efas": float(r["efas"]),
            "quadrant": str(r["quadrant"]),
        }
        for r in scores.to_dict("records")
    ]
    top = max(
        [1.0, *(abs(float(v["ifas"])) for v in values), *(abs(float(v["efas"])) for v in values)]
    )
    dom = [-round(top * 1.2, 2), round(top * 1.2, 2)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": t("doc_4_chart", lang)},
        "width": 360,
        "height": 300,
        "layer": [
            {
                "data": {"values": [{"v": 0}]},
                "mark": {"type": "rule", "color": "#888"},
                "encoding": {"x": {"field": "v", "type": "quantitative"}},
            },
            {
                "data": {"values": [{"v": 0}]},
                "mark": {"type": "rule", "color": "#888"},
                "encoding": {"y": {"field": "v", "type": "quantitative"}},
            },
            {
                "data": {"values": values},
                "mark": {"type": "point", "filled": True, "size": 120},
                "encoding": {
                    "x": {
                        "field": "ifas",
                        "type": "quantitative",
                        "title": "IFAS (S \u2212 W)",
                        "scale": {"domain": dom},
                    },
                    "y": {
                        "field": "efas",
                        "type": "quantitative",
                        "title": "EFAS (O \u2212 T)",
                        "scale": {"domain": dom},
                    },
                    "color": {"field": "sector", "type": "nominal", "title": None},
                },
            },
            {
                "data": {"values": values},
                "mark": {"type": "text", "dy": -12},
                "encoding": {
                    "x": {"field": "ifas", "type": "quantitative"},
                    "y": {"field": "efas", "type": "quantitative"},
                    "text": {"field": "quadrant"},
                },
            },
        ],
    }


__all__ = ["swot_chart"]
