"""Self-contained offline HTML report of a :class:`PlanResult` (one file, no network).

The page follows the SSK chapters (Bab II profil, Bab III kerangka & sasaran, Bab V program &
indikasi pendanaan), then warnings, parameters and sources. CSS, the chart specs and the
vendored Vega, Vega-Lite and Vega-Embed builds (``static/``, pinned in ``package.json``)
are inlined, so the file opens on an offline intranet or from a USB stick.

With a programme, Bab III also has the programme coverage (share of each gap the plan
closes, what it leaves short; a chart per headline indicator) and Bab V the KKL matrix (its
hierarchy merged like a printed matrix), roles (RACI), agency summary, capacity and TPA with
the programme, programme cost vs needs-based funding (chart), funding short and the funding
matrix source x agency x year. After Bab V, the greenhouse-gas chapter (``ghg_summary`` with its
BAU-vs-plan chart, ``ghg_landfill``, ``ghg_wastewater``, ``ghg_factors``).

Large tables by year show only the base year and the plan-period years (the XLSX file has
every year). Area x year tables (population, ladder, waste, needs, programme coverage by
area) are shown wide, one small table per measure with a row per area and a column per year
(:func:`wide_table_view`); the XLSX file keeps them long. Everything shown is read
from the result; nothing is recomputed (the funding matrix only reshapes and totals rows).

A package by concept: :mod:`.views` (the view model: cells, tables, chart slots, blocks;
:func:`chart_views`), :mod:`.page` (Jinja environment, vendored scripts, the templates'
script fields, PDF through WeasyPrint), :mod:`.tables` (:func:`table_view`), :mod:`.wide`
(:func:`wide_table_view`), :mod:`.plan_tables` (the plan report's per-table choices:
:func:`plan_table_view`, funding matrix, print-edition annex notes) and :mod:`.plan` (the
plan report: :func:`build_context`, :func:`render_html`, :func:`write_html`,
:func:`write_pdf`). Every name, private helpers included, is importable from here; a test
that replaces a function patches it in the module that calls it (e.g.
``sanitasi.reports.html.plan.pdf_bytes`` for :func:`write_pdf`).
"""

from __future__ import annotations

from sanitasi.reports.common import warning_level
from sanitasi.reports.html.page import (
    JS_FILES,
    _inline_js,
    _json_for_script,
    _load_template,
    _package_version,
    _static_text,
    _template,
    environment,
    pdf_bytes,
    script_context,
    template,
    vendored_versions,
)
from sanitasi.reports.html.plan import (
    _CHART_BEFORE_TABLE,
    _CHART_GROUPS,
    RetroLine,
    _chart_target,
    _generic_table,
    _place,
    build_context,
    render_html,
    retrospective_summary,
    sfd_diagram_blocks,
    write_html,
    write_pdf,
)
from sanitasi.reports.html.plan_tables import (
    KKL_HIERARCHY,
    PLAN_AGENCY_COLUMNS,
    PRINT_ANNEX_TABLES,
    PRINT_END_YEAR_TABLES,
    _single_city_column,
    annex_view,
    funding_matrix,
    plan_table_view,
    print_part_title,
)
from sanitasi.reports.html.tables import (
    MAX_HTML_ROWS,
    REGION_CODE_COLUMNS,
    RISK_CLASS_COLUMNS,
    _hidden_name_column,
    band_css,
    risk_class_css,
    table_view,
)
from sanitasi.reports.html.views import (
    PRINT_PNG_CHARTS,
    Block,
    Cell,
    ChartView,
    TablePart,
    TableView,
    _anchor,
    chart_views,
)
from sanitasi.reports.html.wide import (
    _Area,
    _area_rows,
    _areas,
    _end_columns,
    _grid,
    _is_zero_or_missing,
    _scenarios,
    _wide_cell,
    wide_table_view,
)

__all__ = [
    "Block",
    "Cell",
    "ChartView",
    "JS_FILES",
    "KKL_HIERARCHY",
    "MAX_HTML_ROWS",
    "PLAN_AGENCY_COLUMNS",
    "PRINT_ANNEX_TABLES",
    "PRINT_END_YEAR_TABLES",
    "PRINT_PNG_CHARTS",
    "REGION_CODE_COLUMNS",
    "RISK_CLASS_COLUMNS",
    "RetroLine",
    "TablePart",
    "TableView",
    "_Area",
    "_CHART_BEFORE_TABLE",
    "_CHART_GROUPS",
    "_anchor",
    "_area_rows",
    "_areas",
    "_chart_target",
    "_end_columns",
    "_generic_table",
    "_grid",
    "_hidden_name_column",
    "_inline_js",
    "_is_zero_or_missing",
    "_json_for_script",
    "_load_template",
    "_package_version",
    "_place",
    "_scenarios",
    "_single_city_column",
    "_static_text",
    "_template",
    "_wide_cell",
    "annex_view",
    "band_css",
    "build_context",
    "chart_views",
    "environment",
    "funding_matrix",
    "pdf_bytes",
    "plan_table_view",
    "print_part_title",
    "render_html",
    "retrospective_summary",
    "risk_class_css",
    "script_context",
    "sfd_diagram_blocks",
    "table_view",
    "template",
    "vendored_versions",
    "warning_level",
    "wide_table_view",
    "write_html",
    "write_pdf",
]
