"""Compact terminal summary of a :class:`PlanResult` with rich (fits ~60 lines x 120 cols, ~75 with a programme).

Shows: the retrospective gap to the national (Bappenas) targets, the city headline
indicators (baseline, trajectory, BAU and gap at the end of the plan period and at the
horizon), the needs over the plan period (``medium_term``), the indicative funding by
source summed over the plan period, with a programme the "Program" block (share of the
end-of-period gap the programme closes per headline indicator and what it leaves short,
funding short by sector over the plan period, number of over-plan warnings ``SAN-W201``),
the greenhouse gases at the end of the plan period (t CO2e by source, BAU vs plan, avoided),
and the warnings (red when dated within the plan period, e.g. the TPA is full, else
yellow; over-plan warnings are counted in the Program block, not listed). Figures are formatted the Indonesian way by
default (``81,3%``, ``Rp 1,2 miliar``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from sanitasi.core.model import FUNDING_SOURCES, UNASSIGNED, PlanResult
from sanitasi.messages import render as render_warning
from sanitasi.reports.common import (
    HEADLINE_INDICATORS,
    bappenas_year,
    city_kode,
    city_name,
    city_rows,
    fmt_quantity,
    frame,
    has_cols,
    input_notice,
    region_names,
    retrospective_rows,
    warning_level,
    years,
)
from sanitasi.reports.fmt import (
    MISSING,
    as_float,
    fmt_count,
    fmt_gap,
    fmt_idr_compact,
    fmt_int,
    fmt_number,
    fmt_pct,
    norm_lang,
)
from sanitasi.reports.i18n import (
    code_label,
    indicator_label,
    need_label,
    plain_text,
    sector_label,
    source_label,
    t,
    target_set_label,
    unit_label,
)

#: Most warnings listed before "... and N more".
MAX_WARNINGS = 6


class PlainTable(RichTable):
    """A rich table whose text cells are shown as written: a ``[`` in a city's own name or
    code (an agency, a waste stream, a local target set) is never read as rich markup."""

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        cells = [Text(r) if isinstance(r, str) else r for r in renderables]
        super().add_row(*cells, **kwargs)


def rich_table(title: str) -> RichTable:
    """A terminal table in the style of every Sanitasi summary (text cells without markup)."""
    return PlainTable(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        header_style="bold",
    )


def _pts(value: Any, lang: str) -> str:
    f = as_float(value)
    return MISSING if f is None else fmt_number(f, 1, lang)


def _units(value: Any, unit: str, lang: str) -> str:
    f = as_float(value)
    if f is None:
        return MISSING
    text = fmt_count(f, lang) if unit == "households" else fmt_number(f, 1, lang)
    return f"{text} {unit_label(unit, lang)}".strip()


def _retrospective(result: PlanResult, lang: str) -> RichTable | None:
    d = retrospective_rows(result)
    if d is None:
        return None
    byear = bappenas_year(d)
    title = (
        t("retro_question_bappenas", lang, year=byear)
        if byear is not None
        else t("retro_question", lang, year=years(result).base)
    )
    tb = rich_table(title)
    tb.add_column(t("col_target_set", lang))
    tb.add_column(t("col_indicator", lang))
    tb.add_column(t("col_year", lang), justify="right")
    tb.add_column(t("col_target", lang), justify="right")
    tb.add_column(t("col_actual", lang), justify="right")
    tb.add_column(f"{t('col_gap', lang)} ({unit_label('pts', lang)})", justify="right")
    tb.add_column(t("col_gap_units", lang), justify="right")
    for _, r in d.iterrows():
        nodata = str(r.get("data", "ok")) == "no_data" or as_float(r.get("actual_pct")) is None
        gap = as_float(r.get("gap_pts"))
        gap_text = fmt_gap(gap, r.get("achieved_pts"), 1, lang, unit=False)
        style = "dim" if nodata else ("red" if gap is not None and gap > 0 else "green")
        tb.add_row(
            target_set_label(str(r.get("target_set", "")), lang),
            indicator_label(str(r["indicator"]), lang),
            str(int(r["year"])),
            fmt_pct(r.get("target_pct"), 1, lang),
            t("no_data", lang) if nodata else fmt_pct(r.get("actual_pct"), 1, lang),
            Text(gap_text, style=style),
            _units(r.get("gap_units"), str(r.get("unit", "") or ""), lang),
        )
    return tb


def _headline(result: PlanResult, lang: str, kode: str) -> RichTable | None:
    df = frame(result, "headline")
    if df is None or not has_cols(df, "indicator", "year"):
        return None
    df = city_rows(df, kode)
    y = years(result)
    at = [y.end] if y.end == y.horizon else [y.end, y.horizon]
    tb = rich_table(t("t_headline", lang))
    tb.add_column(t("col_indicator", lang), no_wrap=True, overflow="ellipsis", max_width=34)
    tb.add_column(t("col_baseline", lang, year=y.base), justify="right")
    for yr in at:
        tb.add_column(t("col_traj", lang, year=yr), justify="right")
        tb.add_column(t("col_bau", lang, year=yr), justify="right")
        tb.add_column(f"{t('col_gap_year', lang, year=yr)}", justify="right")
    found = [i for i in HEADLINE_INDICATORS if i in set(df["indicator"])]
    found += [str(i) for i in df["indicator"].drop_duplicates() if i not in found]
    for ind in found:
        rows = df[df["indicator"] == ind]
        base = rows[rows["year"] == y.base]
        base_val = (
            base["baseline_pct"].iloc[0]
            if "baseline_pct" in rows and len(base)
            else (rows["baseline_pct"].iloc[0] if "baseline_pct" in rows and len(rows) else None)
        )
        cells: list[Any] = [indicator_label(ind, lang), fmt_pct(base_val, 1, lang)]
        for yr in at:
            r = rows[rows["year"] == yr]
            get = lambda c, r=r: r[c].iloc[0] if c in r and len(r) else None  # noqa: E731
            gap = as_float(get("gap_pts"))
            gap_text = fmt_gap(gap, get("achieved_pts"), 1, lang)
            cells += [
                fmt_pct(get("trajectory_pct"), 1, lang),
                fmt_pct(get("bau_pct"), 1, lang),
                Text(gap_text, style="red" if gap is not None and gap > 0 else ""),
            ]
        tb.add_row(*cells)
    return tb


def _needs(result: PlanResult, lang: str, kode: str) -> RichTable | None:
    df = frame(result, "medium_term")
    if df is None or "need" not in df.columns:
        return None
    df = city_rows(df, kode)
    y = years(result)
    tb = rich_table(t("t_needs", lang, start=y.start, end=y.end))
    tb.add_column(t("col_sector", lang))
    tb.add_column(t("col_need", lang))
    tb.add_column(t("col_quantity", lang), justify="right")
    tb.add_column(t("unit", lang))
    tb.add_column(t("col_cost", lang), justify="right")
    for _, r in df.iterrows():
        unit = str(r.get("unit", "") or "")
        if not as_float(r.get("quantity")) and not as_float(r.get("cost_idr")):
            continue  # nothing needed (e.g. no IPLT capacity to add): keep the summary short
        tb.add_row(
            sector_label(str(r.get("sector", "")), lang),
            need_label(str(r["need"]), lang),
            fmt_quantity(r.get("quantity"), unit, lang),
            unit_label(unit, lang),
            fmt_idr_compact(r.get("cost_idr"), lang),
        )
    return tb


def _funding(result: PlanResult, lang: str, kode: str) -> RichTable | None:
    df = frame(result, "funding")
    if df is None or not has_cols(df, "year", "cost_idr"):
        return None
    y = years(result)
    df = city_rows(df, kode)
    df = df[df["year"].isin(y.period)]
    src = df["source"].astype(str) if "source" in df else pd.Series(UNASSIGNED, index=df.index)
    sec = df["sector"].astype(str) if "sector" in df else pd.Series("", index=df.index)
    cost = pd.to_numeric(df["cost_idr"], errors="coerce")
    sums = cost.groupby([src, sec]).sum()
    sectors = [s for s in dict.fromkeys(sec) if s]
    codes = [*FUNDING_SOURCES, UNASSIGNED]
    present = list(dict.fromkeys(src))
    order = [c for c in codes if c in present] + [c for c in present if c not in codes]
    tb = rich_table(t("t_funding", lang, start=y.start, end=y.end))
    tb.add_column(t("col_source", lang))
    for s in sectors:
        tb.add_column(sector_label(s, lang), justify="right")
    tb.add_column(t("total", lang), justify="right", style="bold")
    col_tot = dict.fromkeys(sectors, 0.0)
    for code in order:
        vals = [float(sums.get((code, s), 0.0)) for s in sectors]
        for s, v in zip(sectors, vals, strict=True):
            col_tot[s] += v
        total = float(sums[code].sum()) if code in sums.index.get_level_values(0) else 0.0
        tb.add_row(
            source_label(code, lang),
            *[fmt_idr_compact(v, lang) if v else MISSING for v in vals],
            fmt_idr_compact(total, lang),
        )
    if order:
        tb.add_section()
        tb.add_row(
            t("total", lang),
            *[fmt_idr_compact(col_tot[s], lang) for s in sectors],
            fmt_idr_compact(float(cost.sum()), lang),
            style="bold",
        )
    return tb


def _ghg(result: PlanResult, lang: str, kode: str) -> RichTable | None:
    """t CO2e at the end of the plan period by source: BAU, plan and avoided (``ghg_summary``;
    a negative avoided value is an increase)."""
    df = frame(result, "ghg_summary")
    if df is None or not has_cols(df, "year", "ghg_source", "bau_co2e_t", "plan_co2e_t"):
        return None
    y = years(result)
    df = city_rows(df, kode)
    df = df[df["year"] == y.end]
    if not len(df):
        return None
    gwp = str(df["gwp"].iloc[0]) if "gwp" in df.columns else ""
    tb = rich_table(t("t_ghg", lang, year=y.end, gwp=gwp))
    tb.caption = t("ghg_avoided_note", lang)
    tb.caption_justify = "left"
    tb.add_column(t("col_ghg_source", lang))
    tb.add_column(t("col_bau", lang, year=y.end), justify="right")
    tb.add_column(t("col_plan_year", lang, year=y.end), justify="right")
    tb.add_column(t("col_avoided", lang), justify="right")
    for _, r in df.iterrows():
        avoided = as_float(r.get("avoided_co2e_t"))
        total = str(r["ghg_source"]) == "total"
        tb.add_row(
            code_label("ghg_source", r["ghg_source"], lang),
            fmt_number(r.get("bau_co2e_t"), 0, lang),
            fmt_number(r.get("plan_co2e_t"), 0, lang),
            Text(
                fmt_number(avoided, 0, lang),
                style="red" if avoided is not None and avoided < -0.5 else "green",
            ),
            style="bold" if total else None,
        )
    return tb


#: Warning code of a planned output larger than what its effect can act on (counted in the
#: Program block instead of being listed one by one).
OVERPLAN_CODE = "SAN-W201"


def _short_units(value: Any, unit: str, lang: str) -> str:
    f = as_float(value)
    if f is None:
        return MISSING
    if unit in ("households", "household", "hh"):
        return f"{fmt_count(f, lang)} {unit_label('households', lang)}"
    return f"{fmt_number(f, 1, lang)} {unit_label(unit, lang)}".strip()


def _programme_cover(result: PlanResult, lang: str, kode: str) -> RichTable | None:
    """Share of the end-of-period gap the programme closes, per headline indicator."""
    df = frame(result, "coverage")
    if df is None or not has_cols(df, "indicator", "year"):
        return None
    y = years(result)
    df = city_rows(df, kode)
    df = df[df["year"] == y.end]
    if not len(df):
        return None
    tb = rich_table(t("t_programme_cover", lang, start=y.start, end=y.end, year=y.end))
    tb.add_column(t("col_indicator", lang), no_wrap=True, overflow="ellipsis", max_width=34)
    tb.add_column(t("col_bau", lang, year=y.end), justify="right")
    tb.add_column(t("col_with_programme", lang, year=y.end), justify="right")
    tb.add_column(t("col_traj", lang, year=y.end), justify="right")
    tb.add_column(t("col_closed_share", lang), justify="right")
    tb.add_column(t("col_still_short", lang), justify="right")
    found = [i for i in HEADLINE_INDICATORS if i in set(df["indicator"])]
    found += [str(i) for i in df["indicator"].drop_duplicates() if i not in found]
    for ind in found:
        r = df[df["indicator"] == ind].iloc[0]
        gap = as_float(r.get("gap_pts"))
        share = as_float(r.get("gap_closed_share"))
        if share is None:
            closed = Text(t("no_gap", lang) if gap is not None and gap <= 0 else MISSING, "dim")
        else:
            closed = Text(fmt_pct(share, 0, lang), style="green" if share >= 100 else "yellow")
        short = as_float(r.get("short_units"))
        short_text = _short_units(short, str(r.get("unit", "") or ""), lang)
        tb.add_row(
            indicator_label(ind, lang),
            fmt_pct(r.get("bau_pct"), 1, lang),
            fmt_pct(r.get("plan_pct"), 1, lang),
            fmt_pct(r.get("trajectory_pct"), 1, lang),
            closed,
            Text(short_text, style="red" if short else ""),
        )
    return tb


def _programme_funding_line(result: PlanResult, lang: str, kode: str) -> Text | None:
    """Funding short by sector summed over the plan period (``funding_short``)."""
    df = frame(result, "funding_short")
    if df is None or not has_cols(df, "year", "short_idr"):
        return None
    y = years(result)
    if "kode" in df.columns:
        df = city_rows(df, kode)
    df = df[df["year"].isin(y.period)]
    sec = df["sector"].astype(str) if "sector" in df else pd.Series("", index=df.index)
    sums = pd.to_numeric(df["short_idr"], errors="coerce").groupby(sec, sort=False).sum()
    line = Text(f"{t('col_funding_short', lang)} {y.start}\u2013{y.end}: ", style="bold")
    parts = [
        f"{sector_label(str(s), lang) if s else t('total', lang)} {fmt_idr_compact(v, lang)}"
        for s, v in sums.items()
    ]
    line.append(" \u00b7 ".join(parts) if parts else t("none", lang), style="")
    if len(sums) > 1:
        line.append(f" ({t('total', lang).lower()} {fmt_idr_compact(float(sums.sum()), lang)})")
    return line


def _has_programme(result: PlanResult) -> bool:
    return frame(result, "coverage") is not None or frame(result, "funding_short") is not None


def _print_programme(result: PlanResult, console: Console, lang: str, kode: str) -> None:
    cover = _programme_cover(result, lang, kode)
    funding = _programme_funding_line(result, lang, kode)
    if cover is None and funding is None:
        return
    console.print()
    if cover is not None and cover.row_count:
        console.print(cover)
    if funding is not None:
        console.print(funding)
    n = sum(1 for w in result.warnings if w.code == OVERPLAN_CODE)
    if n:
        console.print(t("overplan_count", lang, n=n), style="yellow")
    else:
        console.print(t("overplan_none", lang), style="green")


def print_summary(result: PlanResult, console: Console, lang: str = "id") -> None:
    """Print the compact plan summary on ``console`` (rich), in ``lang`` (``id``/``en``)."""
    lang = norm_lang(lang)
    kode = city_kode(result)
    y = years(result)
    names = region_names(result)
    city = city_name(result, kode)
    head = Text()
    head.append(f"{city}", style="bold")
    if kode and kode != city:
        head.append(f" ({kode})")
    head.append(
        f" \u00b7 {t('base_year', lang).lower()} {y.base}"
        f" \u00b7 {t('plan_period', lang).lower()} {y.start}\u2013{y.end}"
        f" \u00b7 {t('horizon', lang).lower()} {y.horizon}"
    )
    console.print(head)
    if result.target_sets:
        sets = ", ".join(target_set_label(s, lang) for s in result.target_sets)
        console.print(f"{t('target_sets', lang)}: {sets}", style="dim", markup=False)
    notice = input_notice(result)
    if notice.any:
        console.print(
            f"\u26a0 {t('notice_title', lang)} ("
            f"{fmt_int(notice.illustrative, lang)} {t('status_illustrative', lang)}, "
            f"{fmt_int(notice.unverified, lang)} {t('status_unverified', lang)})",
            style="yellow",
        )
    for part in (
        _retrospective(result, lang),
        _headline(result, lang, kode),
        _needs(result, lang, kode),
        _funding(result, lang, kode),
        _ghg(result, lang, kode),
    ):
        if part is not None and part.row_count:
            console.print()
            console.print(part)
    listed = result.warnings
    if _has_programme(result):
        _print_programme(result, console, lang, kode)
        listed = tuple(w for w in result.warnings if w.code != OVERPLAN_CODE)
    console.print()
    console.print(Text(t("warnings", lang), style="bold"))
    if not listed:
        console.print(t("no_warnings", lang), style="green")
    for w in listed[:MAX_WARNINGS]:
        style = "bold red" if warning_level(w, result) == "danger" else "yellow"
        where = ", ".join(
            p for p in (names.get(w.kode, w.kode) if w.kode else "", str(w.year or "")) if p
        )
        line = Text(f"{w.code} ", style=style)
        line.append(plain_text(render_warning(w, lang), lang))
        if where:
            line.append(f" ({where})", style="dim")
        console.print(line)
    if len(listed) > MAX_WARNINGS:
        console.print(t("more_warnings", lang, n=len(listed) - MAX_WARNINGS), style="dim")


__all__ = ["print_summary"]
