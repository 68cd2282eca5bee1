"""Reports of a :class:`~sanitasi.core.model.PlanResult`: HTML, XLSX, terminal, charts.

The reports only render what the engine computed; they never recompute a formula. With a
programme (``sanitasi plan`` adds the tables of ``core.programme_run.programme_chapters``) the
plan report places them in the SSK chapters: programme coverage in Bab III, the KKL matrix,
roles, agency summary, capacity, TPA, programme cost vs needs-based funding, funding short
and funding by source x year x agency in Bab V.

- :func:`sanitasi.reports.html.write_html` -- one self-contained offline HTML file (Vega,
  Vega-Lite and Vega-Embed inlined from ``static/``, pinned in ``package.json``);
- :func:`sanitasi.reports.xlsx.write_xlsx` -- README sheet plus one sheet per table;
- :func:`sanitasi.reports.terminal.print_summary` -- compact rich summary;
- :mod:`sanitasi.reports.monitoring` -- the quarterly monitoring report (Bab VI) of a
  :class:`~sanitasi.core.programme_run.MonitoringReport`: ``write_monitoring_html``,
  ``write_monitoring_xlsx``, ``print_monitoring_summary``, and the agency one-pager
  ``agency_brief_text`` / ``agency_brief_html``;
- :mod:`sanitasi.reports.charts` -- Vega-Lite specs (one function per chart) and
  :func:`~sanitasi.reports.charts.embed_options` for vega-embed;
- :mod:`sanitasi.reports.fmt` and :mod:`sanitasi.reports.i18n` -- Indonesian/English
  number formatting and labels.

The entry points are also importable from this package; they are loaded lazily so that
``sanitasi.reports.fmt`` stays cheap to import.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "write_html": "sanitasi.reports.html",
    "render_html": "sanitasi.reports.html",
    "write_xlsx": "sanitasi.reports.xlsx",
    "print_summary": "sanitasi.reports.terminal",
    "fmt_value": "sanitasi.reports.fmt",
    "write_monitoring_html": "sanitasi.reports.monitoring",
    "render_monitoring_html": "sanitasi.reports.monitoring",
    "write_monitoring_xlsx": "sanitasi.reports.monitoring",
    "print_monitoring_summary": "sanitasi.reports.monitoring",
    "agency_brief_text": "sanitasi.reports.monitoring",
    "agency_brief_html": "sanitasi.reports.monitoring",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
