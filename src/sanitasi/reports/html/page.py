"""The page around every report: the Jinja environment (``templates/``), the vendored Vega,
Vega-Lite and Vega-Embed builds inlined from ``static/``, the chart/script fields the
templates share (:func:`script_context`) and the PDF of a print-mode page (WeasyPrint)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import metadata, resources
from typing import Any

import jinja2

from sanitasi.reports import charts as _charts
from sanitasi.reports.html.views import _anchor
from sanitasi.reports.i18n import (
    t,
)

#: Vendored builds, in load order.
JS_FILES: tuple[str, ...] = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")


@cache
def _static_text(name: str) -> str:
    return (resources.files("sanitasi.reports") / "static" / name).read_text(encoding="utf-8")


@cache
def vendored_versions() -> dict[str, dict[str, Any]]:
    """``VERSIONS.json`` of the vendored builds (name -> version, file, bytes, sha256)."""
    data: dict[str, dict[str, Any]] = json.loads(_static_text("VERSIONS.json"))
    return data


def _inline_js(name: str) -> str:
    """A vendored build made safe to inline: no source-map comment (the map is not shipped)
    and no literal ``</script`` that would close the element early."""
    text = _static_text(name)
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">`` (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _load_template(name: str) -> str:
    return (resources.files("sanitasi.reports") / "templates" / name).read_text(encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of every report page (``templates/``: ``_base.html.j2`` with
    the CSS, header, contents and chart script; ``_macros.html.j2`` with the table, chart,
    chapter and warning blocks)."""
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template(name: str) -> jinja2.Template:
    return environment().get_template(name)


def _template() -> jinja2.Template:
    return template("report.html.j2")


def _package_version() -> str:
    try:
        return metadata.version("sanitasi")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return ""


def script_context(
    specs: Mapping[str, Any], lang: str, *, inline_js: bool, static_charts: bool = False
) -> dict[str, Any]:
    """The fields every report template shares for its charts and scripts: the package and
    vendored Vega versions, the inlined Vega code (``inline_js`` and something to draw; none
    in print mode), the chart specs as JSON for vega-embed and the print-mode flag."""
    versions = vendored_versions()
    payload = {
        "specs": {f"chart-{_anchor(k)}": v for k, v in specs.items()},
        "options": _charts.embed_options(lang),
        "error": t("js_required", lang),
    }
    draws = bool(specs) and not static_charts
    return dict(
        version=_package_version(),
        vendored=", ".join(f"{n} {v.get('version', '')}" for n, v in sorted(versions.items())),
        js=[(n, _inline_js(n)) for n in JS_FILES] if inline_js and draws else [],
        has_charts=draws,
        chart_json=_json_for_script(payload),
        print_mode=static_charts,
    )


def pdf_bytes(html: str) -> bytes:
    """An HTML page rendered to PDF by WeasyPrint (which runs no JavaScript: give it a
    print-mode page, ``render_html(..., static_charts=True)``)."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
