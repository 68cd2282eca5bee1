"""The view model the report templates render (cells, tables, wide-table parts, chart
slots, blocks) and the chart slots of a page (:func:`chart_views`, drawn now in print mode)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sanitasi.reports import static_charts as _static


@dataclass
class Cell:
    text: str
    num: bool = False
    wrap: bool = False
    css: str = ""

    @property
    def cls(self) -> str:
        """The ``class`` attribute: ``num`` or ``wrap``, plus any extra classes."""
        base = "num" if self.num else ("wrap" if self.wrap else "")
        css = self.css
        if not css:
            return base
        return f"{base} {css}" if base else css


@dataclass
class TablePart:
    """One small table of a wide view: a measure (of one scenario or indicator), a row per
    area and a column per year."""

    title: str
    anchor: str
    headers: list[Cell]
    rows: list[tuple[str, list[Cell]]]  # (row css class, cells)
    footnotes: list[str] = field(default_factory=list)
    groups: list[tuple[str, int]] = field(default_factory=list)  # heading row: (label, colspan)
    css: str = "wide"  # class of its <table>
    widths: list[float] = field(default_factory=list)  # print edition: column widths (%)


@dataclass
class TableView:
    name: str
    anchor: str
    title: str
    note: str
    provenance: str
    unofficial: bool
    headers: list[Cell]
    rows: list[tuple[str, list[Cell]]]  # (row css class, cells)
    footnotes: list[str] = field(default_factory=list)
    parts: list[TablePart] = field(default_factory=list)  # a wide view's small tables
    wide: bool = False
    annex: str = ""  # print edition: the table is left out; this note says where it is
    page: str = ""  # print edition: CSS class of its page ("landscape")
    columns: list[str] = field(default_factory=list)  # column name of each header ("" added)
    widths: list[float] = field(default_factory=list)  # print edition: column widths (%)


@dataclass
class ChartView:
    """A chart slot: drawn in the browser (``markup`` empty: a ``<div>`` vega-embed fills)
    or, in print mode, the chart already drawn (``markup``: inline SVG, PNG ``<img>`` or a
    placeholder note) in a ``<figure>`` captioned with ``title`` and ``subtitle``."""

    anchor: str
    title: str
    subtitle: str = ""
    markup: str = ""


@dataclass
class Block:
    kind: str  # "table" | "charts" | "svg"
    table: TableView | None = None
    charts: list[ChartView] = field(default_factory=list)
    svg: str = ""  # an inline SVG diagram (kind "svg"), already escaped
    title: str = ""
    anchor: str = ""


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


#: Chart keys rendered to PNG rather than SVG in print mode (none: as SVG every chart kind,
#: the tile map included, is about as fast end to end, gives a smaller PDF and keeps its
#: text searchable; see ``static_charts`` and ``benchmarks/pdf_charts.py``).
PRINT_PNG_CHARTS: frozenset[str] = frozenset()


def chart_views(
    specs: Mapping[str, Any], lang: str, *, static_charts: bool = False
) -> dict[str, ChartView]:
    """A :class:`ChartView` per chart key (anchor ``chart-<key>``). With ``static_charts``
    every chart is drawn now (:func:`sanitasi.reports.static_charts.render_charts`, once per
    chart) for a page without JavaScript (the PDF): the chart's title becomes the figure
    caption and is not drawn again inside the chart."""
    views: dict[str, ChartView] = {}
    for key, spec in specs.items():
        title = spec.get("title", {}).get("text", key) if isinstance(spec, dict) else key
        views[key] = ChartView(f"chart-{_anchor(key)}", str(title))
    if not static_charts:
        return views
    untitled: dict[str, dict[str, Any]] = {}
    for key, spec in specs.items():
        if isinstance(spec, Mapping):
            caption, subtitle, untitled[key] = _static.split_title(spec, key)
            views[key].title, views[key].subtitle = caption, subtitle
        else:
            untitled[key] = {"invalid": repr(spec)[:80]}  # drawn as a placeholder
    drawn = _static.render_charts(
        untitled,
        lang,
        png=PRINT_PNG_CHARTS,
        prefixes={k: v.anchor for k, v in views.items()},
        titles={k: v.title for k, v in views.items()},
    )
    for key, chart in drawn.items():
        views[key].markup = chart.markup
    return views
