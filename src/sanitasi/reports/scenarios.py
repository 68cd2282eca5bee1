"""Reports of ``sanitasi scenarios`` and ``sanitasi uncertainty``: labelled tables
(:class:`~sanitasi.core.model.Table`), the workbook (``scenarios.xlsx``,
``uncertainty.xlsx``: README then one sheet per table, through
:func:`sanitasi.reports.xlsx.report_workbook` / :func:`~sanitasi.reports.xlsx.write_sheets`),
one self-contained HTML file (``templates/tables.html.j2``) and the terminal summary (rich).

The reports take the app layer's results as plain values (duck-typed: this module never
imports :mod:`sanitasi.app` nor :mod:`sanitasi.io`). Codes never reach a screen: indicators,
sectors, needs, units and statuses go through the label helpers of
:mod:`sanitasi.reports.i18n`; scenario titles are the user's text (escaped for rich and by
Jinja's autoescape).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.markup import escape

from sanitasi.core.model import Column, Table, count_status
from sanitasi.formulas import write_text
from sanitasi.reports.common import provenance_line, write_atomically
from sanitasi.reports.fmt import fmt_date, fmt_idr_compact, fmt_number, fmt_pct, fmt_value
from sanitasi.reports.html import _package_version, template
from sanitasi.reports.i18n import (
    code_label,
    indicator_label,
    need_label,
    rung_label,
    sector_label,
    target_set_label,
    unit_label,
)
from sanitasi.reports.terminal import rich_table
from sanitasi.reports.xlsx import _Formats, report_workbook, sheet_name, write_sheets
from sanitasi.vocabulary import parameter_label, parameter_unit

#: Report texts (id, en).
TEXTS: dict[str, tuple[str, str]] = {
    "sc_title": ("Perbandingan skenario", "Scenario comparison"),
    "sc_subtitle": (
        "BAU, rencana berbasis kebutuhan, program dan skenario berdampingan",
        "BAU, needs-based plan, programme and scenarios side by side",
    ),
    "sc_defs": ("Skenario", "Scenarios"),
    "sc_ind": ("Indikator utama per tahun (tingkat kota)", "Headline indicators per year (city)"),
    "sc_costs": (
        "Biaya periode SSK {a}\u2013{b} per sektor dan selisih pendanaan",
        "Cost over the SSK period {a}\u2013{b} by sector and funding gap",
    ),
    "sc_short": (
        "Kekurangan terhadap trajektori dasar pada {b}",
        "Shortfall against the base trajectory in {b}",
    ),
    "sc_costs_note": (
        "Selisih pendanaan = biaya \u2212 biaya program (positif: dana belum tersedia).",
        "Funding gap = cost \u2212 programme cost (positive: money not yet programmed).",
    ),
    "sc_short_note": (
        "Poin di bawah trajektori rencana dasar (di atas untuk BABS); 0 = tercapai.",
        "Points below the base plan's trajectory (above it for open defecation); 0 = reached.",
    ),
    "un_title": ("Ketidakpastian kebutuhan dan biaya", "Uncertainty of needs and costs"),
    "un_subtitle": (
        "Monte Carlo: P10/P50/P90 dari {draws} undian (benih {seed}, {runs} jalankan mesin)",
        "Monte Carlo: P10/P50/P90 of {draws} draws (seed {seed}, {runs} engine runs)",
    ),
    "un_period": (
        "Biaya periode SSK {a}\u2013{b} per sektor",
        "Cost over the SSK period {a}\u2013{b} by sector",
    ),
    "un_costs": ("Biaya per tahun dan sektor", "Cost per year and sector"),
    "un_needs": ("Kebutuhan per tahun", "Needs per year"),
    "un_drawn": ("Masukan yang diundi", "Inputs drawn"),
    "un_reach": (
        "Peluang mencapai target (dengan anggaran)",
        "Probability of reaching the target (under the budget)",
    ),
    "un_note": (
        "Sebaran segitiga (rendah, modus = nilai yang dipakai, tinggi); lihat METHOD.md §15.",
        "Triangular distributions (low, mode = the value used, high); see METHOD.md §15.",
    ),
    "city": ("Kota/kabupaten", "City"),
    "generated": ("Dibuat", "Generated"),
    "total": ("Jumlah", "Total"),
    "none": ("\u2014", "\u2014"),
    "default_sets": ("set target bawaan kota", "the city's default target sets"),
    "parameter": ("parameter", "parameter"),
    "unit_cost": ("biaya satuan", "unit cost"),
    "engine": ("jumlah (mesin dijalankan)", "quantities (engine run)"),
    "alt_bau": ("Tanpa intervensi (BAU)", "Business as usual (BAU)"),
    "alt_needs": ("Rencana berbasis kebutuhan", "Needs-based plan"),
    "alt_programme": ("Program (KKL)", "Programme (KKL)"),
    "alt_optimised": ("Rencana teroptimasi", "Optimised plan"),
    "col_sector": ("Sektor", "Sector"),
    "col_indicator": ("Indikator", "Indicator"),
    "col_alt": ("Alternatif", "Alternative"),
    "col_cost": ("Biaya", "Cost"),
    "col_gap": ("Selisih pendanaan", "Funding gap"),
    "col_short": ("Kekurangan terbesar (poin)", "Largest shortfall (points)"),
    "cost": ("biaya (vektor)", "costs (vectorised)"),
    "sc_absent": ("{alt}: tidak ada angka \u2014 {why}", "{alt}: no figures \u2014 {why}"),
    "sc_optimised": (
        "{alt}: anggaran dari {origin}; tujuan progress; indikator yang dimodelkan = "
        "trajektori \u2212 kekurangan (BABS dan dasar RPJMN tidak dimodelkan: \u2014); biaya = "
        "biaya berbasis kebutuhan dengan bagian intervensi yang dioptimasi diganti "
        "(METHOD.md \u00a714.2).",
        "{alt}: budget from {origin}; objective progress; modelled indicators = trajectory "
        "\u2212 shortfall (open defecation and the RPJMN basis are not modelled: \u2014); cost = "
        "the needs-based cost with the optimised interventions' part replaced "
        "(METHOD.md \u00a714.2).",
    ),
    "un_reach_note": (
        "Pendekatan per undian: biaya kebutuhan kumulatif tiap sumber dibanding pagu kumulatif "
        "(METHOD.md \u00a715.4); anggaran dari {origin}.",
        "Per-draw approximation: each source's cumulative needs-based cost against its "
        "cumulative cap (METHOD.md \u00a715.4); budget from {origin}.",
    ),
    "un_reach_absent": (
        "Peluang mencapai target tidak dihitung: {why}",
        "Probability of reaching the target not computed: {why}",
    ),
    "col_prob": ("Peluang tercapai", "P(reach)"),
    "col_traj": ("Trajektori", "Trajectory"),
}


def tx(key: str, lang: str, **kw: object) -> str:
    pair = TEXTS[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**kw) if kw else text


def _col(label_id: str, label_en: str, unit: str = "", kind: str = "text") -> Column:
    return Column(label_id, label_en, unit, kind)


def _sector(code: str, lang: str) -> str:
    return tx("total", lang) if code == "total" else sector_label(code, lang)


# ----------------------------------------------------------------------------- scenarios


def _alt_labels(cmp: Any, lang: str) -> dict[str, str]:
    """Alternative key -> label: the report's for BAU, needs-based, programme and
    optimised, the scenario's own title for a scenario."""
    return {
        a.key: tx(f"alt_{a.key}", lang) if f"alt_{a.key}" in TEXTS else a.label(lang)
        for a in cmp.alternatives
    }


def alternative_notes(cmp: Any, lang: str = "id") -> list[str]:
    """One line per optimised or absent alternative: where its budget comes from and how
    its figures are made, or why it has none."""
    labels = _alt_labels(cmp, lang)
    out = []
    for alt in cmp.alternatives:
        why = alt.absent(lang) if hasattr(alt, "absent") else ""
        if why:
            out.append(tx("sc_absent", lang, alt=labels[alt.key], why=why))
        elif getattr(alt, "budget_from", ""):
            out.append(tx("sc_optimised", lang, alt=labels[alt.key], origin=alt.budget_from))
    return out


def _param_override(cmp: Any, name: str, value: str, lang: str) -> str:
    """A scenario's parameter override as a reader sees it: the parameter's label, the
    value (a number the language's way) and its unit (reference/parameter_labels.csv)."""
    inputs = getattr(cmp.base, "inputs", None)
    param = inputs.parameters.params.get(name) if inputs is not None else None
    unit = parameter_unit(param.unit, lang) if param is not None else ""
    try:
        shown = fmt_number(float(value), 6, lang, strip_zeros=True)
    except ValueError:
        shown = rung_label(value, lang)
    return f"{parameter_label(name, lang)} = {shown}" + (f" {unit}" if unit else "")


def _with_notes(note: str, notes: list[str]) -> str:
    return " ".join([note, *notes]).strip()


def scenario_tables(cmp: Any, lang: str = "id") -> dict[str, Table]:
    """The labelled tables of a :class:`sanitasi.app.scenarios.ScenarioComparison`. An
    alternative without figures keeps its column (empty) and the tables' notes say why."""
    labels = _alt_labels(cmp, lang)
    notes_id, notes_en = alternative_notes(cmp, "id"), alternative_notes(cmp, "en")
    a, b = cmp.period
    prov = dict(cmp.base.tables["costs"].provenance) if "costs" in cmp.base.tables else {}
    tables: dict[str, Table] = {}
    defs = []
    for alt in cmp.alternatives:
        sc = alt.scenario
        if sc is None:
            continue
        defs.append(
            {
                "scenario": labels[alt.key],
                "file": sc.file,
                "target_sets": ", ".join(target_set_label(s, lang) for s in sc.target_sets)
                if sc.target_sets
                else tx("default_sets", lang),
                "parameters": "; ".join(
                    _param_override(cmp, k, v, lang) for k, v in sc.parameters.items()
                )
                or tx("none", lang),
                "unit_cost_factors": "; ".join(
                    f"{k} \u00d7 {fmt_number(v, 2, lang)}" for k, v in sc.unit_cost_factors.items()
                )
                or tx("none", lang),
                "budget": sc.budget or tx("none", lang),
                "description": sc.description,
            }
        )
    tables["scenario_definitions"] = Table(
        "scenario_definitions",
        TEXTS["sc_defs"][0],
        TEXTS["sc_defs"][1],
        pd.DataFrame(
            defs,
            columns=[
                "scenario",
                "file",
                "target_sets",
                "parameters",
                "unit_cost_factors",
                "budget",
                "description",
            ],
        ),
        {
            "scenario": _col("Skenario", "Scenario"),
            "file": _col("Berkas", "File"),
            "target_sets": _col("Set target", "Target sets"),
            "parameters": _col("Parameter diubah", "Parameter overrides"),
            "unit_cost_factors": _col("Faktor biaya satuan", "Unit-cost factors"),
            "budget": _col("Berkas anggaran (untuk optimasi)", "Budget file (for the optimiser)"),
            "description": _col("Keterangan", "Description"),
        },
        {},
    )
    ind = cmp.indicators
    wide = ind.pivot_table(
        index=["kode", "indicator", "year"], columns="alternative", values="value_pct", sort=False
    )
    keys = list(labels)
    wide = wide.reindex(columns=keys).reset_index()
    out = pd.DataFrame(
        {
            "indicator": [indicator_label(c, lang) for c in wide["indicator"]],
            "year": wide["year"].astype("int64"),
        }
    )
    cols: dict[str, Column] = {
        "indicator": _col("Indikator", "Indicator"),
        "year": _col("Tahun", "Year", kind="year"),
    }
    for k in keys:
        out[k] = wide[k].to_numpy(float)
        cols[k] = Column(labels[k], labels[k], "%", "pct")
    tables["scenario_indicators"] = Table(
        "scenario_indicators",
        TEXTS["sc_ind"][0],
        TEXTS["sc_ind"][1],
        out,
        cols,
        prov,
        note_id=_with_notes("", notes_id),
        note_en=_with_notes("", notes_en),
    )
    c = cmp.costs
    tables["scenario_costs"] = Table(
        "scenario_costs",
        tx("sc_costs", "id", a=a, b=b),
        tx("sc_costs", "en", a=a, b=b),
        pd.DataFrame(
            {
                "alternative": [labels.get(k, k) for k in c["alternative"]],
                "sector": [_sector(s, lang) for s in c["sector"]],
                "cost_idr": c["cost_idr"].to_numpy(float),
                "programme_cost_idr": c["programme_cost_idr"].to_numpy(float),
                "funding_gap_idr": c["funding_gap_idr"].to_numpy(float),
            }
        ),
        {
            "alternative": _col("Alternatif", "Alternative"),
            "sector": _col("Sektor", "Sector"),
            "cost_idr": _col("Biaya", "Cost", "Rp", "idr"),
            "programme_cost_idr": _col("Biaya program", "Programme cost", "Rp", "idr"),
            "funding_gap_idr": _col("Selisih pendanaan", "Funding gap", "Rp", "idr"),
        },
        prov,
        note_id=_with_notes(TEXTS["sc_costs_note"][0], notes_id),
        note_en=_with_notes(TEXTS["sc_costs_note"][1], notes_en),
    )
    s = cmp.shortfall
    tables["scenario_shortfall"] = Table(
        "scenario_shortfall",
        tx("sc_short", "id", b=b),
        tx("sc_short", "en", b=b),
        pd.DataFrame(
            {
                "alternative": [labels.get(k, k) for k in s["alternative"]],
                "indicator": [indicator_label(i, lang) for i in s["indicator"]],
                "year": s["year"].astype("int64"),
                "trajectory_pct": s["trajectory_pct"].to_numpy(float),
                "value_pct": s["value_pct"].to_numpy(float),
                "shortfall_pts": s["shortfall_pts"].to_numpy(float),
            }
        ),
        {
            "alternative": _col("Alternatif", "Alternative"),
            "indicator": _col("Indikator", "Indicator"),
            "year": _col("Tahun", "Year", kind="year"),
            "trajectory_pct": _col("Trajektori dasar", "Base trajectory", "%", "pct"),
            "value_pct": _col("Capaian", "Reached", "%", "pct"),
            "shortfall_pts": _col("Kekurangan (poin)", "Shortfall (points)", "poin", "float"),
        },
        prov,
        note_id=_with_notes(TEXTS["sc_short_note"][0], notes_id),
        note_en=_with_notes(TEXTS["sc_short_note"][1], notes_en),
    )
    return tables


# ----------------------------------------------------------------------------- uncertainty

_Q_COLS = {
    "deterministic_idr": _col("Deterministik", "Deterministic", "Rp", "idr"),
    "mean_idr": _col("Rata-rata", "Mean", "Rp", "idr"),
    "p10_idr": _col("P10", "P10", "Rp", "idr"),
    "p50_idr": _col("P50", "P50", "Rp", "idr"),
    "p90_idr": _col("P90", "P90", "Rp", "idr"),
}


def uncertainty_tables(res: Any, lang: str = "id") -> dict[str, Table]:
    """The labelled tables of a :class:`sanitasi.app.uncertainty.UncertaintyResult`."""
    a, b = res.period
    prov = count_status(res.drawn["status"]) if len(res.drawn) else {}
    tables: dict[str, Table] = {}
    p = res.period_costs
    tables["uncertainty_period"] = Table(
        "uncertainty_period",
        tx("un_period", "id", a=a, b=b),
        tx("un_period", "en", a=a, b=b),
        pd.DataFrame(
            {"sector": [_sector(s, lang) for s in p["sector"]]}
            | {c: p[c].to_numpy(float) for c in _Q_COLS}
        ),
        {"sector": _col("Sektor", "Sector"), **_Q_COLS},
        prov,
        note_id=TEXTS["un_note"][0],
        note_en=TEXTS["un_note"][1],
    )
    c = res.costs
    tables["uncertainty_costs"] = Table(
        "uncertainty_costs",
        TEXTS["un_costs"][0],
        TEXTS["un_costs"][1],
        pd.DataFrame(
            {
                "sector": [_sector(s, lang) for s in c["sector"]],
                "year": c["year"].astype("int64"),
            }
            | {k: c[k].to_numpy(float) for k in _Q_COLS}
        ),
        {"sector": _col("Sektor", "Sector"), "year": _col("Tahun", "Year", kind="year"), **_Q_COLS},
        prov,
    )
    n = res.needs
    tables["uncertainty_needs"] = Table(
        "uncertainty_needs",
        TEXTS["un_needs"][0],
        TEXTS["un_needs"][1],
        pd.DataFrame(
            {
                "sector": [_sector(s, lang) for s in n["sector"]],
                "need": [need_label(x, lang) for x in n["need"]],
                "unit": [unit_label(u, lang) for u in n["unit"]],
                "year": n["year"].astype("int64"),
            }
            | {k: n[k].to_numpy(float) for k in ("deterministic", "p10", "p50", "p90")}
        ),
        {
            "sector": _col("Sektor", "Sector"),
            "need": _col("Kebutuhan", "Need"),
            "unit": _col("Satuan", "Unit"),
            "year": _col("Tahun", "Year", kind="year"),
            "deterministic": _col("Deterministik", "Deterministic", kind="float"),
            "p10": _col("P10", "P10", kind="float"),
            "p50": _col("P50", "P50", kind="float"),
            "p90": _col("P90", "P90", kind="float"),
        },
        prov,
    )
    d = res.drawn
    tables["uncertainty_drawn"] = Table(
        "uncertainty_drawn",
        TEXTS["un_drawn"][0],
        TEXTS["un_drawn"][1],
        pd.DataFrame(
            {
                "name": d["name"].astype(str),
                "kind": [tx(k, lang) for k in d["kind"]],
                "role": [tx(r, lang) for r in d["role"]],
                "unit": [unit_label(u, lang) for u in d["unit"]],
                "low": d["low"].to_numpy(float),
                "mode": d["mode"].to_numpy(float),
                "high": d["high"].to_numpy(float),
                "status": [code_label("status", s, lang) for s in d["status"]],
            }
        ),
        {
            "name": _col("Nama", "Name"),
            "kind": _col("Jenis", "Kind"),
            "role": _col("Pengaruh", "Acts on"),
            "unit": _col("Satuan", "Unit"),
            "low": _col("Rendah", "Low", kind="float"),
            "mode": _col("Modus (nilai dipakai)", "Mode (value used)", kind="float"),
            "high": _col("Tinggi", "High", kind="float"),
            "status": _col("Status data", "Data status"),
        },
        prov,
    )
    if getattr(res, "reach", None) is not None:
        r = res.reach
        tables["uncertainty_reach"] = Table(
            "uncertainty_reach",
            TEXTS["un_reach"][0],
            TEXTS["un_reach"][1],
            pd.DataFrame(
                {
                    "indicator": [indicator_label(i, lang) for i in r["indicator"]],
                    "year": r["year"].astype("int64"),
                    "trajectory_pct": r["trajectory_pct"].to_numpy(float),
                    "p10_pct": r["p10_pct"].to_numpy(float),
                    "p50_pct": r["p50_pct"].to_numpy(float),
                    "p90_pct": r["p90_pct"].to_numpy(float),
                    "probability": r["probability"].to_numpy(float) * 100.0,
                }
            ),
            {
                "indicator": _col("Indikator", "Indicator"),
                "year": _col("Tahun", "Year", kind="year"),
                "trajectory_pct": _col("Trajektori", "Trajectory", "%", "pct"),
                "p10_pct": _col("P10 dengan anggaran", "P10 under the budget", "%", "pct"),
                "p50_pct": _col("P50 dengan anggaran", "P50 under the budget", "%", "pct"),
                "p90_pct": _col("P90 dengan anggaran", "P90 under the budget", "%", "pct"),
                "probability": _col("Peluang tercapai", "P(reach)", "%", "pct"),
            },
            prov,
            note_id=tx("un_reach_note", "id", origin=res.budget_from),
            note_en=tx("un_reach_note", "en", origin=res.budget_from),
        )
    return tables


# ----------------------------------------------------------------------------- writers


def write_tables_xlsx(
    tables: dict[str, Table],
    path: str | Path,
    title: str,
    lang: str,
    lines: Sequence[str] = (),
) -> None:
    """README (title, ``lines``, the list of sheets) then one sheet per table; written to a
    temporary name and renamed."""
    with report_workbook(path, title, "SSK") as wb:
        fm = _Formats(wb)
        used = {"readme"}
        readme = wb.add_worksheet("README")
        sheets = [(sheet_name(n, used), tb) for n, tb in tables.items()]
        write_text(readme, 0, 0, title, fm.title)
        row = 2
        for text in lines:
            write_text(readme, row, 0, text, fm.text)
            row += 1
        row += 1
        for name, tb in sheets:
            write_text(readme, row, 0, name, fm.bold)
            write_text(readme, row, 1, tb.title(lang), fm.text)
            row += 1
        readme.set_column(0, 0, 28)
        readme.set_column(1, 1, 80)
        write_sheets(wb, sheets, fm, lang)


def _cell(value: Any, kind: str, lang: str) -> str:
    if kind == "idr":
        return fmt_idr_compact(value, lang)
    return fmt_value(value, kind, lang)


@dataclass(frozen=True)
class _HtmlTable:
    title: str
    note: str
    provenance: str
    head: list[tuple[str, bool]]
    rows: list[list[tuple[str, bool]]]


def _html_table(table: Table, lang: str) -> _HtmlTable:
    cols = list(table.df.columns)
    kinds = [table.columns[c].kind if c in table.columns else "text" for c in cols]
    head = []
    for c, k in zip(cols, kinds, strict=True):
        meta = table.columns.get(c)
        label = table.label(c, lang)
        if meta is not None and meta.unit and k not in ("idr", "pct", "year"):
            label = f"{label} ({meta.unit})"
        head.append((label, k not in ("text", "year")))
    rows = [
        [(_cell(v, k, lang), k not in ("text", "year")) for v, k in zip(rec, kinds, strict=True)]
        for rec in table.df.itertuples(index=False)
    ]
    note = table.note_en if lang == "en" else table.note_id
    return _HtmlTable(table.title(lang), note, provenance_line(table.provenance, lang), head, rows)


def html_table(table: Table, lang: str) -> _HtmlTable:
    """One table as the HTML pages show it (title, note, provenance, header and cells
    formatted the Indonesian way in ``id``): for the web's scenarios page."""
    return _html_table(table, lang)


def render_tables_html(
    tables: dict[str, Table],
    title: str,
    subtitle: str,
    lang: str,
    meta: Sequence[tuple[str, str]] = (),
) -> str:
    """One self-contained HTML page of ``tables`` (numbers the Indonesian way in ``id``)."""
    return template("tables.html.j2").render(
        lang=lang,
        title=title,
        subtitle=subtitle,
        meta=list(meta),
        tables=[_html_table(tb, lang) for tb in tables.values()],
        version=_package_version(),
    )


def write_tables_html(path: str | Path, html: str) -> None:
    write_atomically(path, html)


def _meta(city: str, lang: str, generated: _dt.date | None) -> list[tuple[str, str]]:
    return [
        (tx("city", lang), city),
        (tx("generated", lang), fmt_date(generated or _dt.date.today(), lang)),
    ]


def write_scenarios(
    cmp: Any, out: Path, city: str, lang: str, generated: _dt.date | None = None
) -> list[Path]:
    """``scenarios.xlsx`` and ``scenarios.html`` of the comparison into ``out``."""
    tables = scenario_tables(cmp, lang)
    title = f"{tx('sc_title', lang)} \u2014 {city}"
    write_tables_xlsx(tables, out / "scenarios.xlsx", title, lang, [tx("sc_subtitle", lang)])
    html = render_tables_html(
        tables, title, tx("sc_subtitle", lang), lang, _meta(city, lang, generated)
    )
    write_tables_html(out / "scenarios.html", html)
    return [out / "scenarios.xlsx", out / "scenarios.html"]


def write_uncertainty(
    res: Any, out: Path, city: str, lang: str, generated: _dt.date | None = None
) -> list[Path]:
    """``uncertainty.xlsx`` and ``uncertainty.html`` of the Monte Carlo into ``out``."""
    tables = uncertainty_tables(res, lang)
    title = f"{tx('un_title', lang)} \u2014 {city}"
    sub = tx("un_subtitle", lang, draws=res.draws, seed=res.seed, runs=res.runs)
    lines = [sub, tx("un_note", lang)]
    if getattr(res, "reach_absent_en", ""):
        why = res.reach_absent_en if lang == "en" else res.reach_absent_id
        lines.append(tx("un_reach_absent", lang, why=why))
    write_tables_xlsx(tables, out / "uncertainty.xlsx", title, lang, lines)
    html = render_tables_html(
        tables, title, " ".join(lines[:1] + lines[2:]), lang, _meta(city, lang, generated)
    )
    write_tables_html(out / "uncertainty.html", html)
    return [out / "uncertainty.xlsx", out / "uncertainty.html"]


# ----------------------------------------------------------------------------- terminal


def print_scenarios(cmp: Any, console: Console, lang: str = "id") -> None:
    """Headline indicators at the end of the SSK period (one column per alternative), then
    cost, funding gap and the largest shortfall per alternative."""
    labels = _alt_labels(cmp, lang)
    a, b = cmp.period
    end = cmp.indicators[cmp.indicators["year"] == b]
    tab = rich_table(f"{tx('sc_title', lang)} \u2014 {b}")
    tab.add_column(tx("col_indicator", lang))
    for alt in cmp.alternatives:
        tab.add_column(escape(labels[alt.key]), justify="right")
    for ind, g in end.groupby("indicator", sort=False):
        vals = dict(zip(g["alternative"], g["value_pct"], strict=True))
        tab.add_row(
            indicator_label(str(ind), lang),
            *(fmt_pct(vals.get(alt.key), 1, lang) for alt in cmp.alternatives),
        )
    console.print(tab)
    ct = rich_table(tx("sc_costs", lang, a=a, b=b))
    ct.add_column(tx("col_alt", lang))
    for key in ("col_cost", "col_gap", "col_short"):
        ct.add_column(tx(key, lang), justify="right")
    tot = cmp.costs.groupby("alternative", sort=False)[["cost_idr", "funding_gap_idr"]].sum(
        min_count=1
    )
    short = cmp.shortfall.groupby("alternative", sort=False)["shortfall_pts"].max()
    for alt in cmp.alternatives:
        cost = tot["cost_idr"].get(alt.key, np.nan) if alt.key in tot.index else np.nan
        gap = tot["funding_gap_idr"].get(alt.key, np.nan) if alt.key in tot.index else np.nan
        ct.add_row(
            escape(labels[alt.key]),
            fmt_idr_compact(cost, lang),
            fmt_idr_compact(gap, lang),
            fmt_number(short.get(alt.key, np.nan), 1, lang),
        )
    console.print(ct)
    for line in alternative_notes(cmp, lang):
        console.print(escape(line), soft_wrap=True)


def print_uncertainty(res: Any, console: Console, lang: str = "id") -> None:
    """The SSK-period cost by sector: deterministic, P10, P50, P90."""
    a, b = res.period
    tab = rich_table(tx("un_period", lang, a=a, b=b))
    tab.add_column(tx("col_sector", lang))
    for key in ("deterministic_idr", "p10_idr", "p50_idr", "p90_idr"):
        tab.add_column(
            _Q_COLS[key].label_en if lang == "en" else _Q_COLS[key].label_id, justify="right"
        )
    for rec in res.period_costs.itertuples(index=False):
        tab.add_row(
            _sector(str(rec.sector), lang),
            *(
                fmt_idr_compact(getattr(rec, k), lang)
                for k in ("deterministic_idr", "p10_idr", "p50_idr", "p90_idr")
            ),
        )
    console.print(tab)
    reach = getattr(res, "reach", None)
    if reach is not None and len(reach):
        years = sorted(int(y) for y in reach["year"].unique())
        rt = rich_table(tx("un_reach", lang))
        rt.add_column(tx("col_indicator", lang))
        for y in years:
            rt.add_column(str(y), justify="right")
        for ind, g in reach.groupby("indicator", sort=False):
            p = dict(zip(g["year"].astype(int), g["probability"], strict=True))
            rt.add_row(
                indicator_label(str(ind), lang),
                *(fmt_pct(100.0 * p[y], 0, lang) if y in p else "" for y in years),
            )
        console.print(rt)
        console.print(tx("un_reach_note", lang, origin=res.budget_from), soft_wrap=True)
    elif getattr(res, "reach_absent_en", ""):
        why = res.reach_absent_en if lang == "en" else res.reach_absent_id
        console.print(tx("un_reach_absent", lang, why=why), soft_wrap=True)
    console.print(tx("un_subtitle", lang, draws=res.draws, seed=res.seed, runs=res.runs))


Writer = Callable[[Path], object]

__all__ = [
    "TEXTS",
    "alternative_notes",
    "html_table",
    "print_scenarios",
    "print_uncertainty",
    "render_tables_html",
    "scenario_tables",
    "uncertainty_tables",
    "write_scenarios",
    "write_tables_xlsx",
    "write_uncertainty",
]
