"""Self-contained offline HTML report of a :class:`PlanResult` (one file, no network).

The page follows the SSK chapters (Bab II profil, Bab III kerangka & sasaran, Bab V program &
indikasi pendanaan), then warnings, parameters and sources. CSS, the chart specs and the
vendored Vega, Vega-Lite and Vega-Embed builds (``static/``, pinned in ``package.json``)
are inlined, so the file opens on an offline intranet or from a USB stick.

Large area x year tables show only the base year and the plan-period years (the XLSX file
has every year). Everything shown is read from the result; nothing is recomputed.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from sanitasi.core.model import PlanResult, Table
from sanitasi.reports import charts as _charts
from sanitasi.reports.common import (
    OVERRIDE_COLUMNS,
    YEAR_FILTERED_TABLES,
    bappenas_year,
    city_kode,
    city_name,
    column_meta,
    display_cell,
    has_unofficial,
    header_label,
    input_notice,
    overrides_frame,
    provenance_line,
    region_names,
    retrospective_rows,
    sources,
    warning_level,
    years,
)
from sanitasi.reports.fmt import (
    as_float,
    fmt_count,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_pts,
    norm_lang,
)
from sanitasi.reports.i18n import (
    CHAPTER_ORDER,
    TABLE_CHAPTERS,
    chapter_of,
    indicator_label,
    t,
    target_set_label,
    unit_label,
)

#: Most rows a single HTML table shows (the XLSX file has them all).
MAX_HTML_ROWS = 400

#: Vendored builds, in load order.
JS_FILES: tuple[str, ...] = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

#: Chart placed before the table of the same name (``headline`` gets every headline chart).
_CHART_BEFORE_TABLE = {"ladder": "ladder", "waste": "waste", "funding": "funding"}


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


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    source = (resources.files("sanitasi.reports") / "templates" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    return env.from_string(source)


def _package_version() -> str:
    try:
        return metadata.version("sanitasi")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return ""


# --- view model -------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    num: bool = False
    wrap: bool = False


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


@dataclass
class ChartView:
    anchor: str
    title: str


@dataclass
class Block:
    kind: str  # "table" | "charts"
    table: TableView | None = None
    charts: list[ChartView] = field(default_factory=list)


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def table_view(
    table: Table,
    lang: str,
    *,
    names: Mapping[str, str] | None = None,
    year_filter: list[int] | None = None,
    max_rows: int = MAX_HTML_ROWS,
) -> TableView:
    """Formatted headers and cells of ``table`` (codes translated, numbers formatted)."""
    df = table.df if isinstance(table.df, pd.DataFrame) else pd.DataFrame()
    footnotes: list[str] = []
    if year_filter is not None and "year" in df.columns:
        shown = df[df["year"].isin(year_filter)]
        if len(shown) < len(df):
            yrs = ", ".join(str(y) for y in sorted({int(y) for y in shown["year"]}))
            footnotes.append(t("years_shown", lang, years=yrs or "\u2013"))
        df = shown
    cols = [str(c) for c in df.columns]
    add_name = bool(names) and "kode" in cols and "nama" not in cols
    headers: list[Cell] = []
    metas = {c: column_meta(table, c) for c in cols}
    for c in cols:
        headers.append(Cell(header_label(table, c, lang), metas[c].kind != "text"))
        if c == "kode" and add_name:
            headers.append(Cell(t("col_place", lang)))
    rows: list[tuple[str, list[Cell]]] = []
    for rec in df.head(max_rows).itertuples(index=False, name=None):
        cells: list[Cell] = []
        css = ""
        for c, v in zip(cols, rec, strict=True):
            meta = metas[c]
            text = display_cell(c, v, meta, lang)
            cells.append(Cell(text, meta.kind != "text", wrap=len(text) > 40))
            if c == "kode" and add_name and names is not None:
                cells.append(Cell(names.get(str(v), "")))
            if c == "tingkat" and v in ("kabkota", "provinsi", "nasional"):
                css = "total"
        rows.append((css, cells))
    if len(df) > max_rows:
        footnotes.append(t("rows_hidden", lang, n=fmt_int(len(df) - max_rows, lang)))
    note = table.note_en if norm_lang(lang) == "en" else table.note_id
    return TableView(
        name=table.name,
        anchor=f"tbl-{_anchor(table.name)}",
        title=table.title(lang) or table.name,
        note=note,
        provenance=provenance_line(table.provenance, lang),
        unofficial=has_unofficial(table.provenance),
        headers=headers,
        rows=rows,
        footnotes=footnotes,
    )


def _generic_table(name: str, title: str, df: pd.DataFrame) -> Table:
    return Table(name=name, title_id=title, title_en=title, df=df, columns={}, provenance={})


@dataclass
class RetroLine:
    css: str
    text: str


def retrospective_summary(result: PlanResult, lang: str) -> tuple[str, list[RetroLine]]:
    """Heading and one sentence per (target set, indicator) of the latest retrospective
    year: "how far are we from the Bappenas 2024 targets?"."""
    lang = norm_lang(lang)
    y = years(result)
    d = retrospective_rows(result)
    if d is None:
        return t("retro_question", lang, year=y.base), []
    byear = bappenas_year(d)
    if byear is not None:
        heading = t("retro_question_bappenas", lang, year=byear)
    else:
        heading = t("retro_question", lang, year=y.base)
    lines: list[RetroLine] = []
    for _, r in d.iterrows():
        ind = indicator_label(str(r["indicator"]), lang)
        set_label = target_set_label(str(r["target_set"]), lang)
        target = fmt_pct(r.get("target_pct"), 1, lang)
        actual = r.get("actual_pct")
        gap = as_float(r.get("gap_pts"))
        nodata = str(r.get("data", "ok")) == "no_data" or as_float(actual) is None
        kw = dict(indicator=ind, target=target, set=set_label, year=int(r["year"]))
        if nodata:
            lines.append(RetroLine("nodata", t("retro_line_nodata", lang, **kw)))
            continue
        if gap is not None and gap > 0:
            units = ""
            gu = as_float(r.get("gap_units"))
            if gu is not None:
                unit = str(r.get("unit", "") or "")
                value = fmt_count(gu, lang) if unit == "households" else fmt_number(gu, 1, lang)
                units = t("approx_units", lang, value=value, unit=unit_label(unit, lang))
            text = t(
                "retro_line_short",
                lang,
                actual=fmt_pct(actual, 1, lang),
                gap=fmt_pts(gap, 1, lang),
                units=units,
                **kw,
            )
            lines.append(RetroLine("short", text))
        elif gap is None:  # attainment known but no gap given: no verdict
            text = t("retro_line_plain", lang, actual=fmt_pct(actual, 1, lang), **kw)
            lines.append(RetroLine("nodata", text))
        else:
            text = t("retro_line_met", lang, actual=fmt_pct(actual, 1, lang), **kw)
            lines.append(RetroLine("met", text))
    return heading, lines


def _place(kode: str, names: Mapping[str, str]) -> str:
    if not kode:
        return ""
    name = names.get(kode)
    return f"{name} ({kode})" if name else kode


def build_context(
    result: PlanResult,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
) -> dict[str, Any]:
    """Everything the template shows, as display strings."""
    lang = norm_lang(lang)
    y = years(result)
    kode = city_kode(result)
    city = city_name(result, kode)
    names = region_names(result)
    notice = input_notice(result)
    specs = _charts.all_charts(result, lang, kode=kode or None)

    chart_blocks: dict[str, list[ChartView]] = {}
    for key, spec in specs.items():
        title = spec.get("title", {}).get("text", key) if isinstance(spec, dict) else key
        target = "headline" if key.startswith("headline:") else _CHART_BEFORE_TABLE.get(key, key)
        chart_blocks.setdefault(target, []).append(ChartView(f"chart-{_anchor(key)}", str(title)))

    chapters: dict[str, list[Block]] = {c: [] for c in CHAPTER_ORDER}
    param_tables: list[TableView] = []
    for name, table in result.tables.items():
        if not isinstance(table.df, pd.DataFrame):
            continue
        filt = y.shown if name in YEAR_FILTERED_TABLES else None
        if filt is None and name not in TABLE_CHAPTERS:
            if "year" in table.df.columns and len(table.df) > MAX_HTML_ROWS:
                filt = y.shown
        view = table_view(table, lang, names=names, year_filter=filt)
        chapter = chapter_of(name)
        if chapter == "chapter_annex":
            param_tables.append(view)
            continue
        if name in chart_blocks:
            chapters[chapter].append(Block("charts", charts=chart_blocks.pop(name)))
        chapters[chapter].append(Block("table", table=view))
    for cv in chart_blocks.values():  # charts whose table was not found
        chapters["chapter_other"].append(Block("charts", charts=cv))

    if not param_tables:
        df = getattr(result.parameters, "table", None)
        if callable(df):
            ptab = df()
            if isinstance(ptab, pd.DataFrame) and len(ptab):
                param_tables.append(
                    table_view(_generic_table("parameters", t("parameters", lang), ptab), lang)
                )

    ov = overrides_frame(result)
    overrides = None
    if len(ov):
        ov_table = Table(
            name="overrides",
            title_id=t("overrides", "id"),
            title_en=t("overrides", "en"),
            df=ov,
            columns=OVERRIDE_COLUMNS,
            provenance={},
        )
        overrides = table_view(ov_table, lang)

    warnings = [
        dict(
            level=warning_level(w, result),
            code=w.code,
            message=w.message(lang),
            place=_place(w.kode, names),
            year=str(w.year) if w.year is not None else "",
        )
        for w in result.warnings
    ]
    files, cited = sources(result)
    heading, retro = retrospective_summary(result, lang)
    toc = [("summary", t("summary", lang))]
    chapter_list = []
    for c in CHAPTER_ORDER:
        if chapters[c]:
            chapter_list.append(dict(id=c.replace("_", "-"), title=t(c, lang), blocks=chapters[c]))
            toc.append((c.replace("_", "-"), t(c, lang)))
    toc += [
        ("warnings", t("warnings", lang)),
        ("parameters", t("parameters", lang)),
        ("sources", t("sources", lang)),
    ]
    versions = vendored_versions()
    chart_payload = {
        "specs": {f"chart-{_anchor(k)}": v for k, v in specs.items()},
        "options": _charts.embed_options(lang),
        "error": t("js_required", lang),
    }
    target_sets = [target_set_label(s, lang) for s in result.target_sets]
    notice_tables = [result.tables[n].title(lang) for n in notice.tables if n in result.tables]
    return dict(
        lang=lang,
        t=lambda key, **kw: t(key, lang, **kw),
        title=f"{t('report_title', lang)} \u2014 {city}",
        city=city,
        kode=kode,
        meta=[
            (t("city", lang), f"{city} ({kode})" if kode and kode != city else city),
            (t("base_year", lang), str(y.base)),
            (t("plan_period", lang), f"{y.start}\u2013{y.end}"),
            (t("horizon", lang), str(y.horizon)),
            (t("target_sets", lang), ", ".join(target_sets) or t("none", lang)),
            (t("generated", lang), fmt_date(generated or _dt.date.today(), lang)),
        ],
        notice=dict(
            show=notice.any,
            body=t(
                "notice_body",
                lang,
                illustrative=fmt_int(notice.illustrative, lang),
                unverified=fmt_int(notice.unverified, lang),
            ),
            tables=t("notice_tables", lang, tables=", ".join(notice_tables))
            if notice_tables
            else "",
        ),
        retro_heading=heading,
        retro=retro,
        toc=toc,
        chapters=chapter_list,
        warnings=warnings,
        overrides=overrides,
        param_tables=param_tables,
        files=files,
        cited=cited,
        version=_package_version(),
        vendored=", ".join(f"{n} {v.get('version', '')}" for n, v in sorted(versions.items())),
        js=[(n, _inline_js(n)) for n in JS_FILES] if inline_js else [],
        has_charts=bool(specs),
        chart_json=_json_for_script(chart_payload),
    )


def render_html(
    result: PlanResult,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
) -> str:
    """The report as one HTML string. ``inline_js=False`` leaves out the ~840 kB of Vega
    code (for tests and golden files; charts then do not draw)."""
    return _template().render(
        **build_context(result, lang, generated=generated, inline_js=inline_js)
    )


def write_html(
    result: PlanResult,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the self-contained offline HTML report of ``result`` to ``path`` (UTF-8).

    The file is written to a temporary name and renamed, so a failure never leaves half a
    report behind.
    """
    path = Path(path)
    text = render_html(result, lang, generated=generated)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


__all__ = [
    "build_context",
    "render_html",
    "retrospective_summary",
    "table_view",
    "vendored_versions",
    "warning_level",
    "write_html",
]
