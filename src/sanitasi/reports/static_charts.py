"""Charts drawn offline for print: the Vega-Lite specs of :mod:`sanitasi.reports.charts`
rendered to SVG by vl-convert (no browser, no JavaScript, no network).

WeasyPrint runs no JavaScript, so the PDF reports cannot use vega-embed; instead
:func:`chart_svgs` turns each spec into an SVG string that the HTML report embeds inline in
its print mode (``render_html(..., static_charts=True)``). The numbers follow the report
language: vl-convert takes the same d3 format locale as vega-embed's ``formatLocale``
(:data:`~sanitasi.reports.charts.FORMAT_LOCALE`), so an Indonesian axis reads ``1.234,5``.

Rules and choices:

- **No network.** Specs carry their data inline (``data.values``); a spec that names a
  ``url`` anywhere is refused before rendering, and vl-convert is called with
  ``allowed_base_urls=[]`` so it cannot fetch anything either.
- **A chart that cannot be drawn never kills the report.** Each chart is rendered on its
  own; a failure (bad spec, refused URL, vl-convert missing) becomes a short placeholder
  note in the report language, is logged, and is listed in :attr:`StaticChart.error`
  (:func:`render_charts`) so a caller can tell which failed.
- **SVG, not PNG.** Measured on the Kota Solok demo (``benchmarks/pdf_charts.py --png``):
  every chart kind renders to SVG in 40-170 ms (the 17 plan charts, tile/risk map included,
  about 1.1 s; the 8 monitoring charts 0.5 s) and WeasyPrint draws one in 55-230 ms; the
  heaviest, the monitoring output chart (110 kB of SVG), takes 0.37 s in WeasyPrint. PNG at
  scale 2 takes 1.4x longer in vl-convert and WeasyPrint draws it faster, so the total is
  about the same, but the PDF grows (150-330 kB of PNG per chart against 15-110 kB of SVG)
  and the chart text is no longer text (not searchable, blurry when zoomed). So every chart
  is SVG; ``png=`` lists chart keys to render as PNG (scale 2, a ``data:`` URI) should a
  future chart with thousands of marks make WeasyPrint slow.
- **Rendered once.** vl-convert keeps one JavaScript worker (threads do not speed it up, so
  charts are rendered one after the other); results are kept in a small in-process LRU cache
  keyed by the spec, language and format, so a second PDF of the same data does not redraw.
  A caller may add a second level shared between processes (:func:`set_shared_store`: the
  web's gunicorn workers share one), so a chart whose spec did not change with a save is
  not redrawn by any worker.
- **Same font as measured.** vl-convert lays text out with Liberation Sans (its
  ``sans-serif``; Arial-metric), while WeasyPrint's ``sans-serif`` is usually the wider
  DejaVu Sans, which made long labels overlap the axis titles. The SVG therefore names
  :data:`PRINT_FONT` (Liberation Sans, then the metric-compatible Arimo/Arial); on a server
  install Debian's ``fonts-liberation`` so the PDF uses it.
- **Self-contained SVG.** Element ids inside an SVG (clip paths, gradients) are prefixed
  with the chart's anchor, so several charts inlined in one page never share an id; the
  empty background/foreground paths Vega writes for every group are dropped (smaller file,
  faster WeasyPrint).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sanitasi.reports.charts import FORMAT_LOCALE, TIME_FORMAT_LOCALE
from sanitasi.reports.fmt import norm_lang

log = logging.getLogger(__name__)

#: PNG scale factor (2 = sharp at print resolution).
PNG_SCALE = 2

#: Charts kept in the in-process cache (about 20-120 kB each).
CACHE_SIZE = 256

#: Font family written into the SVGs for vl-convert's ``sans-serif`` (same metrics).
PRINT_FONT = "Liberation Sans, Arimo, Arial, Helvetica, sans-serif"

#: Placeholder shown instead of a chart that could not be drawn ({title}, {error}).
PLACEHOLDER: dict[str, str] = {
    "id": "Grafik \u201c{title}\u201d tidak dapat digambar ({error}). "
    "Angkanya ada di tabel dan di berkas XLSX.",
    "en": "Chart \u201c{title}\u201d could not be drawn ({error}). "
    "Its figures are in the table and in the XLSX file.",
}

#: Longest error text shown in a placeholder (the log has the whole message).
MAX_ERROR_CHARS = 160


@dataclass(frozen=True)
class StaticChart:
    """One rendered chart: ``markup`` is an ``<svg>`` element, an ``<img>`` (PNG) or the
    placeholder ``<p class="chart-failed">``; ``kind`` says which (``svg``/``png``/
    ``failed``); ``ms`` is the rendering time (0 when served from the cache)."""

    key: str
    markup: str
    kind: str
    ms: float
    error: str = ""


class ChartURLError(ValueError):
    """A spec that would load data from a URL (reports inline every value)."""


_cache: OrderedDict[tuple[str, str, str], tuple[str, str]] = OrderedDict()
_lock = threading.Lock()


class SharedStore(Protocol):
    """A second-level chart store shared between processes (keys: ``hash:lang:fmt``)."""

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def clear(self) -> None: ...


_shared: list[SharedStore] = []


def set_shared_store(store: SharedStore | None) -> None:
    """Use ``store`` (or no store) behind the in-process cache."""
    _shared[:] = [store] if store is not None else []


def clear_cache() -> None:
    """Forget every rendered chart, here and in the shared store (benchmarks time the
    uncached rendering)."""
    with _lock:
        _cache.clear()
    for store in _shared:
        store.clear()


def spec_urls(spec: Any) -> list[str]:
    """Every ``url`` value in ``spec`` (data sources, images, nested views)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for k, v in node.items():
                if k == "url" and isinstance(v, str):
                    found.append(v)
                else:
                    walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(spec)
    return found


def split_title(spec: Mapping[str, Any], key: str = "") -> tuple[str, str, dict[str, Any]]:
    """``(title, subtitle, spec without its title)``: the report prints the title as the
    figure caption (real text in the PDF) and draws the chart below it, so the title is not
    drawn twice. A title given as a list of lines is joined with spaces."""

    def text(value: Any) -> str:
        if isinstance(value, list | tuple):
            return " ".join(str(v) for v in value)
        return "" if value is None else str(value)

    raw = spec.get("title")
    rest = {k: v for k, v in spec.items() if k != "title"}
    if isinstance(raw, Mapping):
        return text(raw.get("text")) or key, text(raw.get("subtitle")), rest
    return text(raw) or key, "", rest


_ID = re.compile(r'\bid="([^"]+)"')
_EMPTY_PATHS = re.compile(
    r'<path class="(?:background|foreground)" aria-hidden="true" d="(?:M0,0h0v0h0Z)?"'
    r'(?: pointer-events="none")?(?: display="none")?/>'
)


def _tidy_svg(svg: str, prefix: str) -> str:
    """Drop Vega's empty group paths, name the font the text was measured with and make the
    SVG's ids unique in a page."""
    svg = _EMPTY_PATHS.sub("", svg).replace(
        'font-family="sans-serif"', f'font-family="{PRINT_FONT}"'
    )
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    svg = re.sub(rf'\bid="({pattern})"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(rf"url\(#({pattern})\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(rf'href="#({pattern})"', rf'href="#{prefix}-\1"', svg)


def _anchor(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "chart"


def _convert(spec: Mapping[str, Any], lang: str, fmt: str) -> str:
    """One spec to SVG text or to a PNG ``data:`` URI (raises on any failure)."""
    urls = spec_urls(spec)
    if urls:
        raise ChartURLError(f"spec loads data from a URL ({urls[0]}); inline the values")
    import vl_convert as vlc  # a core dependency; imported here so a broken install only
    # turns the charts into placeholders

    kw: dict[str, Any] = dict(
        format_locale=FORMAT_LOCALE[lang],
        time_format_locale=TIME_FORMAT_LOCALE[lang],
        allowed_base_urls=[],
    )
    if fmt == "png":
        png: bytes = vlc.vegalite_to_png(dict(spec), scale=PNG_SCALE, **kw)
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    svg: str = vlc.vegalite_to_svg(dict(spec), **kw)
    if "<svg" not in svg:
        raise ValueError("vl-convert returned no <svg> element")
    return svg


def _cache_key(spec: Mapping[str, Any], lang: str, fmt: str) -> tuple[str, str, str]:
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), lang, fmt


def _error_text(err: BaseException) -> str:
    """``Type: message`` without the JavaScript stack vl-convert appends (``at ...``)."""
    lines = [ln.strip() for ln in str(err).strip().splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("at ")][:2]
    first = " ".join(lines)
    text = f"{type(err).__name__}: {first}" if first else type(err).__name__
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "\u2026"


def placeholder(title: str, error: str, lang: str) -> str:
    """The note shown where a chart could not be drawn (escaped HTML)."""
    msg = PLACEHOLDER[norm_lang(lang)].format(title=title, error=error)
    return f'<p class="chart-failed" role="note">{html.escape(msg)}</p>'


def render_chart(
    key: str,
    spec: Mapping[str, Any],
    lang: str = "id",
    *,
    fmt: str = "svg",
    prefix: str = "",
    title: str = "",
) -> StaticChart:
    """Render one spec (``fmt`` ``svg`` or ``png``); never raises. ``title`` names the
    chart in a placeholder or image ``alt`` (default: the spec's title, else ``key``)."""
    lang = norm_lang(lang)
    prefix = prefix or f"chart-{_anchor(key)}"
    t0 = time.perf_counter()
    try:
        if fmt not in ("svg", "png"):
            raise ValueError(f"unknown chart format {fmt!r} (svg or png)")
        ckey = _cache_key(spec, lang, fmt)
        with _lock:
            hit = _cache.get(ckey)
            if hit is not None:
                _cache.move_to_end(ckey)
        skey = ":".join(ckey)
        if hit is None:
            found = _shared[0].get(skey) if _shared else None
            if found is None:
                found = _convert(spec, lang, fmt)
                for store in _shared:
                    store.set(skey, found)
                ms = (time.perf_counter() - t0) * 1000.0
            else:
                ms = 0.0
            out = found
            with _lock:
                _cache[ckey] = (out, fmt)
                while len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
        else:
            out, ms = hit[0], 0.0
    except Exception as err:  # any failure: a placeholder, never a broken report
        error = _error_text(err)
        log.warning("chart %s could not be drawn: %s", key, err)
        title = title or (split_title(spec, key)[0] if isinstance(spec, Mapping) else key)
        ms = (time.perf_counter() - t0) * 1000.0
        return StaticChart(key, placeholder(title, error, lang), "failed", ms, error)
    if fmt == "png":
        alt = html.escape(title or split_title(spec, key)[0])
        markup = f'<img class="chart-png" src="{out}" alt="{alt}">'
    else:
        markup = _tidy_svg(out, prefix)
    return StaticChart(key, markup, fmt, ms)


def chart_png(spec: Mapping[str, Any], lang: str = "id") -> bytes | None:
    """One spec as PNG bytes (scale :data:`PNG_SCALE`) for the Word document; ``None`` when
    it cannot be drawn (the caller writes a note instead)."""
    try:
        uri = _convert(spec, norm_lang(lang), "png")
    except Exception as err:  # any failure: no figure, never a broken document
        log.warning("chart could not be drawn as PNG: %s", err)
        return None
    return base64.b64decode(uri.split(",", 1)[1])


def render_charts(
    specs: Mapping[str, Mapping[str, Any]],
    lang: str = "id",
    *,
    png: Iterable[str] = (),
    prefixes: Mapping[str, str] | None = None,
    titles: Mapping[str, str] | None = None,
) -> dict[str, StaticChart]:
    """Every spec rendered once, in order (keys in ``png`` as PNG, the others as SVG).
    ``prefixes`` gives each chart's id prefix (default ``chart-<key>``), ``titles`` its name
    in a placeholder when the spec was stripped of its title (:func:`split_title`)."""
    as_png = set(png)
    prefixes = prefixes or {}
    titles = titles or {}
    return {
        key: render_chart(
            key,
            spec,
            lang,
            fmt="png" if key in as_png else "svg",
            prefix=prefixes.get(key, ""),
            title=titles.get(key, ""),
        )
        for key, spec in specs.items()
    }


def chart_svgs(
    specs: Mapping[str, Mapping[str, Any]], lang: str = "id", *, png: Iterable[str] = ()
) -> dict[str, str]:
    """Each spec as inline markup: an ``<svg>`` string in the report language's number
    format, or a placeholder note for a chart that could not be drawn (logged; see
    :func:`render_charts` for which failed and why)."""
    return {k: c.markup for k, c in render_charts(specs, lang, png=png).items()}


def failed(charts: Mapping[str, StaticChart]) -> dict[str, str]:
    """Key -> error of the charts that could not be drawn."""
    return {k: c.error for k, c in charts.items() if c.kind == "failed"}


__all__ = [
    "PLACEHOLDER",
    "ChartURLError",
    "SharedStore",
    "StaticChart",
    "chart_png",
    "chart_svgs",
    "clear_cache",
    "failed",
    "placeholder",
    "render_chart",
    "render_charts",
    "set_shared_store",
    "spec_urls",
    "split_title",
]
