"""Vega-Lite chart specs (plain dicts) built from a :class:`PlanResult`.

One function per chart, so the HTML report, the web app and a PDF/PNG export all draw the
same spec. Each returns ``None`` when the result lacks the data for it (never raises on a
missing table or column). Data are inlined (``data.values``): no URL is ever loaded.

Render with vega-embed and :func:`embed_options` (``formatLocale`` gives the Indonesian
``1.234,5`` in axes and tooltips; vl-convert takes the same dict as ``format_locale``). Axes
that show years use the d3 format ``d`` (no thousands separator, so ``2024`` not
``2.024``).

Plan charts take a :class:`PlanResult` (:func:`all_charts`: headline indicators, ladder,
waste, funding and, with the programme chapters, programme coverage per headline indicator
and programme cost vs needs-based cost, and the greenhouse gases BAU vs plan by source);
monitoring charts take a
:class:`~sanitasi.core.programme_run.MonitoringReport` (:func:`monitoring_charts`: money and
output plan vs realisation per quarter, indicators plan vs realised vs forecast).

The specs only draw what the engine computed; the only arithmetic is unit scaling for
display (rupiah to *miliar/juta*, done in a Vega ``calculate`` transform).

A package by concept: :mod:`.embed` (vega-embed options and the d3 locales), :mod:`.base`
(schema, colours, sizes and the helpers every spec shares), :mod:`.plan` (headline
indicators, ladder, funding, waste and :func:`all_charts`), :mod:`.programme` (programme
coverage, programme cost vs needs), :mod:`.instruments` (risk tile map, survey intervals),
:mod:`.ghg` (greenhouse gases) and :mod:`.monitoring` (:func:`monitoring_charts`). Every
name, private helpers included, is importable from here.
"""

from __future__ import annotations

from sanitasi.reports.charts.base import (
    HEIGHT,
    RUNG_COLORS,
    SCHEMA,
    SERIES_COLORS,
    SOURCE_COLORS,
    TARGET_COLORS,
    WIDTH,
    _base,
    _indicator_lines,
    _money_unit,
    _pick_scenario,
    _records,
    _series_for,
    _year_x,
)
from sanitasi.reports.charts.embed import (
    EMBED_I18N,
    FORMAT_LOCALE,
    TIME_FORMAT_LOCALE,
    embed_options,
)
from sanitasi.reports.charts.ghg import (
    GHG_COLORS,
    ghg_chart,
)
from sanitasi.reports.charts.instruments import (
    RISK_CLASS_COLORS,
    SURVEY_CHART_MAX_AREAS,
    _class_label,
    risk_map_chart,
    survey_interval_chart,
)
from sanitasi.reports.charts.monitoring import (
    _mon_frame,
    _one_city,
    _quarter_label,
    monitoring_charts,
    monitoring_indicator_chart,
    monitoring_indicator_charts,
    monitoring_money_chart,
    monitoring_output_chart,
)
from sanitasi.reports.charts.plan import (
    all_charts,
    funding_chart,
    headline_chart,
    headline_charts,
    ladder_chart,
    waste_chart,
)
from sanitasi.reports.charts.programme import (
    coverage_chart,
    coverage_charts,
    programme_funding_chart,
)

__all__ = [
    "EMBED_I18N",
    "FORMAT_LOCALE",
    "GHG_COLORS",
    "HEIGHT",
    "RISK_CLASS_COLORS",
    "RUNG_COLORS",
    "SCHEMA",
    "SERIES_COLORS",
    "SOURCE_COLORS",
    "SURVEY_CHART_MAX_AREAS",
    "TARGET_COLORS",
    "TIME_FORMAT_LOCALE",
    "WIDTH",
    "_base",
    "_class_label",
    "_indicator_lines",
    "_mon_frame",
    "_money_unit",
    "_one_city",
    "_pick_scenario",
    "_quarter_label",
    "_records",
    "_series_for",
    "_year_x",
    "all_charts",
    "coverage_chart",
    "coverage_charts",
    "embed_options",
    "funding_chart",
    "ghg_chart",
    "headline_chart",
    "headline_charts",
    "ladder_chart",
    "monitoring_charts",
    "monitoring_indicator_chart",
    "monitoring_indicator_charts",
    "monitoring_money_chart",
    "monitoring_output_chart",
    "programme_funding_chart",
    "risk_map_chart",
    "survey_interval_chart",
    "waste_chart",
]
