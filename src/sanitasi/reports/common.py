"""Helpers shared by the HTML, XLSX, terminal and chart renderers.

They only read a :class:`~sanitasi.core.model.PlanResult`: which city, which years, the column
metadata of a table (inferred when the engine gave none), provenance lines and the
illustrative/unverified notice. Nothing here computes a planning figure.
"""

from __future__ import annotations

import datetime as _dt
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sanitasi import vocabulary
from sanitasi.atomicfiles import write_file_atomically
from sanitasi.core.model import LEAF_LEVELS, STATUSES, Column, PlanResult, Table, Warning_
from sanitasi.reports.fmt import (
    MISSING,
    as_float,
    fmt_count,
    fmt_date,
    fmt_idr_compact,
    fmt_int,
    fmt_number,
    fmt_value,
    is_missing,
    norm_lang,
)
from sanitasi.reports.i18n import (
    FUNDING_SOURCE_LABELS,
    code_label,
    plain_text,
    status_label,
    t,
    unit_label,
)

#: Headline indicators in report order.
HEADLINE_INDICATORS: tuple[str, ...] = (
    "pct_layak",
    "pct_aman",
    "pct_babs_terbuka",
    "pct_waste_pengurangan",
    "pct_waste_penanganan",
    "pct_waste_managed",
)

#: Tables whose rows are many areas x many years: HTML shows the base year and the plan
#: period only (the XLSX file keeps every year).
YEAR_FILTERED_TABLES: frozenset[str] = frozenset(
    {
        "population",
        "ladder",
        "waste",
        "needs_ald",
        "service_ald",
        "needs_waste",
        "costs",
        "funding",
        "coverage",
        "capacity",
        "tpa_programme",
        "sfd_compare",
        "sfd_matrix",
        "ghg_summary",
        "ghg_landfill",
        "ghg_wastewater",
    }
)


@dataclass(frozen=True)
class WideSpec:
    """How the HTML report shows an area x year table wide (the XLSX file keeps it long).

    One small table per measure (and per value of ``split``, e.g. per indicator), one row
    per area (kelurahan/desa, then kecamatan, then the city) and one column per year shown.
    A table with a ``scenario`` column shows the plan scenario, and the other scenarios
    (BAU) only for the areas where they differ. ``end_columns`` are shown for the last year
    of the plan period only, after the year columns.
    """

    measures: tuple[str, ...]
    split: str = ""
    end_columns: tuple[str, ...] = ()


#: The area x year tables of the plan that HTML shows wide, with the measures shown (in
#: order); the XLSX file has every column and year.
WIDE_TABLES: dict[str, WideSpec] = {
    "population": WideSpec(("population", "households")),
    "ladder": WideSpec(
        (
            "pct_layak",
            "pct_aman",
            "pct_babs_terbuka",
            "hh_belum_layak",
            "hh_babs_tertutup",
            "hh_babs_terbuka",
        )
    ),
    "waste": WideSpec(
        (
            "pct_waste_pengurangan",
            "pct_waste_penanganan",
            "pct_waste_managed",
            "generated_tpd",
            "unmanaged_tpd",
        )
    ),
    "needs_ald": WideSpec(
        (
            "into_layak_hh",
            "into_aman_hh",
            "new_septic_tank",
            "septic_tank_upgrade",
            "l2t2_enrolment",
            "spald_t_connection",
        )
    ),
    "coverage_areas": WideSpec(
        ("plan_pct",),
        split="indicator",
        end_columns=("bau_pct", "trajectory_pct", "gap_closed_share", "short_units"),
    ),
}

#: Area columns of an area x year table (the row labels of its wide view).
AREA_COLUMNS: tuple[str, ...] = ("kode", "nama", "tingkat")

#: Text columns an area x year table may have besides the area and the year to be shown
#: wide by :func:`wide_spec` when it is not in :data:`WIDE_TABLES`.
_WIDE_KEY_COLUMNS: frozenset[str] = frozenset({*AREA_COLUMNS, "scenario", "indicator", "unit"})


def wide_spec(table: Table) -> WideSpec | None:
    """The :class:`WideSpec` of ``table``: its entry in :data:`WIDE_TABLES`, or every number
    column (one small table per indicator when it has one) for another table of several
    areas by year; ``None`` for a table that is not area x year (shown long)."""
    df = table.df
    if not isinstance(df, pd.DataFrame) or not {"kode", "tingkat", "year"} <= set(df.columns):
        return None
    if df["kode"].nunique() < 2:
        return None
    if (spec := WIDE_TABLES.get(table.name)) is not None:
        return spec
    measures: list[str] = []
    for c in (str(c) for c in df.columns):
        kind = column_meta(table, c).kind
        if kind == "year":
            continue
        if kind == "text":
            if c not in _WIDE_KEY_COLUMNS:
                return None  # another key (e.g. a sector or an item): stays long
            continue
        measures.append(c)
    if not measures:
        return None
    return WideSpec(tuple(measures), split="indicator" if "indicator" in df.columns else "")


def level_rank(tingkat: Any) -> int:
    """Order of an area level in a wide table: kelurahan/desa, kecamatan, the city, then
    province and nation (anything else last)."""
    order = {**dict.fromkeys(LEAF_LEVELS, 0), "kecamatan": 1, "kabkota": 2, "provinsi": 3}
    return order.get(str(tingkat), 4 if str(tingkat) == "nasional" else 5)


#: Column metadata of the "parameters overridden" table (HTML, XLSX README).
OVERRIDE_COLUMNS: dict[str, Column] = {
    "name": Column("Nama parameter", "Parameter", kind="text"),
    "value": Column("Nilai dalam rencana", "Value in this plan", kind="float"),
    "default": Column("Nilai rujukan", "Reference value", kind="float"),
    "unit": Column("Satuan", "Unit", kind="text"),
    "source": Column("Sumber", "Source", kind="text"),
    "status": Column("Status", "Status", kind="text"),
}


def frame(result: PlanResult, name: str) -> pd.DataFrame | None:
    """The DataFrame of table ``name``, or ``None`` when the result does not have it."""
    table = result.tables.get(name)
    if table is None or not isinstance(table.df, pd.DataFrame):
        return None
    return table.df


def has_cols(df: pd.DataFrame | None, *cols: str) -> bool:
    return df is not None and all(c in df.columns for c in cols)


def city_kode(result: PlanResult) -> str:
    """The (first) city of the result; ``""`` when unknown."""
    if result.city_kodes:
        return str(result.city_kodes[0])
    for name in ("population", "ladder", "waste"):
        df = frame(result, name)
        if has_cols(df, "kode", "tingkat") and df is not None:
            rows = df[df["tingkat"] == "kabkota"]
            if len(rows):
                return str(rows["kode"].iloc[0])
    return ""


#: The last result :func:`region_names` read (a weak reference, the id of its tables) and
#: its names: a report asks for them several times (HTML, workbook, charts, terminal).
_last_names: tuple[weakref.ref[PlanResult], int, dict[str, str]] | None = None


def region_names(result: PlanResult) -> dict[str, str]:
    """``kode -> nama`` from every table that carries both (a new dict at every call; the
    names of the last result asked for are kept: a result's tables do not change)."""
    global _last_names
    last = _last_names
    if last is not None and last[0]() is result and last[1] == id(result.tables):
        return dict(last[2])
    names = _region_names(result)
    _last_names = (weakref.ref(result), id(result.tables), names)
    return dict(names)


def _region_names(result: PlanResult) -> dict[str, str]:
    names: dict[str, str] = {}
    for table in result.tables.values():
        df = table.df
        if isinstance(df, pd.DataFrame) and "kode" in df.columns and "nama" in df.columns:
            sub = df[["kode", "nama"]].drop_duplicates("kode")
            for k, v in zip(sub["kode"], sub["nama"], strict=True):
                if not is_missing(v):
                    names.setdefault(str(k), str(v))
    return names


def city_name(result: PlanResult, kode: str | None = None) -> str:
    """Name of the city (``Kota Solok``) from the tables, else the kode."""
    kode = kode or city_kode(result)
    return region_names(result).get(kode, kode)


def city_rows(df: pd.DataFrame, kode: str) -> pd.DataFrame:
    """Rows of the city itself (by ``kode``; all rows when the table has no ``kode``)."""
    if "kode" not in df.columns or not kode:
        return df
    return df[df["kode"].astype(str) == kode]


def leaf_rows(df: pd.DataFrame, kode: str = "") -> pd.DataFrame:
    """Kelurahan/desa rows (of city ``kode`` when given)."""
    out = df
    if "tingkat" in out.columns:
        out = out[out["tingkat"].isin(LEAF_LEVELS)]
    if kode and "kode" in out.columns:
        out = out[out["kode"].astype(str).str.startswith(kode + ".")]
    return out


@dataclass(frozen=True)
class Years:
    base: int
    horizon: int
    start: int
    end: int

    @property
    def shown(self) -> list[int]:
        """Base year and plan-period years: what HTML shows of large tables."""
        return [self.base, *range(self.start, self.end + 1)]

    @property
    def period(self) -> list[int]:
        return list(range(self.start, self.end + 1))


def years(result: PlanResult) -> Years:
    o = result.options
    start, end = o.period
    return Years(int(o.base_year), int(o.horizon), int(start), int(end))


def infer_column(name: str, series: pd.Series | None = None) -> Column:
    """Column metadata for a column the engine did not describe (generic rendering)."""
    label = name.replace("_", " ")
    low = name.lower()
    if low in ("kode", "nama", "name", "tingkat", "indicator", "unit", "source", "status"):
        kind = "text"
    elif low == "year" or (low.endswith("_year") and not low.endswith("per_year")):
        kind = "year"
    elif low.startswith("pct_") or low.endswith("_pct") or low.endswith("_pts"):
        kind = "pct" if not low.endswith("_pts") else "float"
    elif low.endswith("_idr"):
        kind = "idr"
    elif low.startswith("hh_") or low.endswith("_hh") or low in ("households", "population"):
        kind = "count"
    elif series is not None and pd.api.types.is_bool_dtype(series):
        kind = "text"
    elif series is not None and pd.api.types.is_integer_dtype(series):
        kind = "int"
    elif series is not None and pd.api.types.is_float_dtype(series):
        kind = "float"
    else:
        kind = "text"
    unit = "%" if kind == "pct" else ("Rp" if kind == "idr" else "")
    return Column(label_id=label, label_en=label, unit=unit, kind=kind)


def is_bare(meta: Column, col: str) -> bool:
    """True for metadata that only repeats the column name (``Column(c, c)``, the default
    kind and no unit): the engine did not really describe the column."""
    return meta.label_id == col and meta.label_en == col and not meta.unit and meta.kind == "float"


def column_meta(table: Table, col: str) -> Column:
    """Metadata of ``col``: the column registry's row of the table or its ``*`` row
    (:mod:`sanitasi.vocabulary`, reference/columns.csv), else the engine's description,
    else inferred from the name and dtype."""
    registered = vocabulary.column(table.name, col)
    if registered is not None:
        return registered
    meta = table.columns.get(col) if isinstance(table.columns, Mapping) else None
    if isinstance(meta, Column) and not is_bare(meta, col):
        return meta
    series = table.df[col] if isinstance(table.df, pd.DataFrame) and col in table.df else None
    return infer_column(col, series)


def provenance_counts(prov: Mapping[str, Any] | None) -> dict[str, int]:
    out = dict.fromkeys(STATUSES, 0)
    for k, v in (prov or {}).items():
        f = as_float(v)
        key = k if k in out else "unverified"
        out[key] += int(f) if f is not None else 0
    return out


def provenance_line(prov: Mapping[str, Any] | None, lang: str = "id") -> str:
    """``Masukan: 12 bersumber, 3 turunan, 40 ilustratif, 2 belum terverifikasi``."""
    if not prov:
        return t("provenance_none", lang)
    counts = provenance_counts(prov)
    parts = [f"{fmt_int(counts[s], lang)} {status_label(s, lang)}" for s in STATUSES]
    return f"{t('provenance_prefix', lang)}: {', '.join(parts)}"


def has_unofficial(prov: Mapping[str, Any] | None) -> bool:
    c = provenance_counts(prov)
    return c["illustrative"] > 0 or c["unverified"] > 0


@dataclass(frozen=True)
class Notice:
    """How many illustrative / unverified inputs a result rests on (for the header notice)."""

    illustrative: int
    unverified: int
    tables: tuple[str, ...]

    @property
    def any(self) -> bool:
        return self.illustrative > 0 or self.unverified > 0 or bool(self.tables)


def input_notice(result: PlanResult) -> Notice:
    """Statuses of the parameters the run read (``result.parameters_read``, each counted
    once; every parameter when the result records no read) plus the tables whose
    provenance has illustrative or unverified inputs."""
    statuses: list[str] = []
    params = getattr(result.parameters, "params", None)
    read = getattr(result, "parameters_read", None) or {}
    if isinstance(params, Mapping):
        names = sorted(set().union(*read.values())) if read else list(params)
        statuses = [str(getattr(params[n], "status", "")) for n in names if n in params]
    elif (df := frame(result, "parameters")) is not None and "status" in df.columns:
        statuses = [str(s) for s in df["status"]]
    tables = tuple(name for name, tb in result.tables.items() if has_unofficial(tb.provenance))
    total = {"illustrative": 0, "unverified": 0}
    for s in statuses:
        if s in total:
            total[s] += 1
    return Notice(total["illustrative"], total["unverified"], tables)


def overrides_frame(result: PlanResult) -> pd.DataFrame:
    """Overridden parameters: name, value, default, unit, source, status."""
    cols = ["name", "value", "default", "unit", "source", "status"]
    rows: list[dict[str, Any]] = []
    params = getattr(result.parameters, "params", None)
    if isinstance(params, Mapping):
        for p in params.values():
            if getattr(p, "overridden", False):
                rows.append({c: getattr(p, c, None) for c in cols})
    elif (df := frame(result, "parameters")) is not None and "overridden" in df.columns:
        sub = df[df["overridden"].fillna(False).astype(bool)]
        return sub[[c for c in cols if c in sub.columns]].reset_index(drop=True)
    return pd.DataFrame(rows, columns=cols)


#: Columns shown with all their significant decimals (parameter values such as 0.85 must
#: not be rounded to 0,9).
PRECISE_COLUMNS: frozenset[str] = frozenset({"value", "default", "low", "high"})


_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def precise_number(col: str, value: Any) -> float | None:
    """The number in a :data:`PRECISE_COLUMNS` cell, also when the engine stored it as text
    (``"3.0"``: parameter values mix numbers and choices); ``None`` for anything else."""
    if col not in PRECISE_COLUMNS or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        return float(text) if _PLAIN_NUMBER.match(text) else None
    return as_float(value)


#: Output quantities (in each activity's own unit): shown with up to two decimals and no
#: trailing zeros (``120``, ``0,75``), as a plan states them.
OUTPUT_COLUMNS: frozenset[str] = frozenset(
    {
        "planned_output",
        "planned_output_to_date",
        "output_quarter",
        "output_to_date",
        "planned_output_cum",
        "realised_output_cum",
        "target_q1",
        "target_q2",
        "target_q3",
        "target_q4",
    }
)


def is_output_column(col: str) -> bool:
    """True for an output quantity column (:data:`OUTPUT_COLUMNS`, KKL ``output_YYYY``)."""
    return col in OUTPUT_COLUMNS or (col.startswith("output_") and col[7:].isdigit())


def display_cell(col: str, value: Any, meta: Column, lang: str) -> str:
    """One cell as text for HTML/terminal: codes translated, numbers formatted by kind,
    dates in words (``20 Juli 2023``), lists joined with commas."""
    if isinstance(value, tuple | list):
        return ", ".join(display_cell(col, v, meta, lang) for v in value) or MISSING
    if isinstance(value, np.bool_):
        value = bool(value)
    if isinstance(value, str) and not value.strip() and meta.kind == "text":
        return ""  # an empty text cell (a RACI cell without a role) stays empty
    if meta.kind == "float" and is_output_column(col) and (f := as_float(value)) is not None:
        return fmt_number(f, 2, lang, strip_zeros=True)
    if isinstance(value, _dt.date) and not is_missing(value):  # also pd.Timestamp
        return fmt_date(value, lang)
    if meta.kind in ("float", "text") and (num := precise_number(col, value)) is not None:
        return fmt_number(num, 6, lang, strip_zeros=True)
    if isinstance(value, str) and not is_missing(value):
        label = code_label(col, value, lang) if meta.kind == "text" else value
        return label if label != value else plain_text(value, lang)
    return fmt_value(value, meta.kind, lang)


def header_label(table: Table, col: str, lang: str, *, with_unit: bool = True) -> str:
    """Column heading in ``lang`` with its unit, e.g. ``Rumah tangga (rumah tangga)`` is
    avoided: the unit is added only when it is not already in the label and the cells do not
    carry it themselves (``%``, ``Rp``)."""
    return column_label(column_meta(table, col), lang, with_unit=with_unit)


def column_label(meta: Column, lang: str, *, with_unit: bool = True) -> str:
    """The label of ``meta`` in ``lang`` with its unit (see :func:`header_label`)."""
    label = meta.label_en if norm_lang(lang) == "en" else meta.label_id
    if not with_unit or not meta.unit or meta.kind in ("pct", "idr"):
        return label
    unit = unit_label(meta.unit, lang)
    return label if unit_in_label(meta.unit, label) else f"{label} ({unit})"


def measure_label(table: Table, col: str, lang: str, *, with_unit: bool = True) -> str:
    """Title of the small table of measure ``col`` in a wide view: the column heading with
    its unit, in words for the ladder rungs (``Rumah tangga belum layak``)."""
    meta = column_meta(table, col)
    words = vocabulary.measure_words(col)
    if words is not None:
        meta = Column(words[0], words[1], meta.unit, meta.kind)
    return column_label(meta, lang, with_unit=with_unit)


def unit_in_label(unit: str, label: str) -> bool:
    """True when ``label`` already names ``unit`` (in either language), e.g. ``Selisih
    (poin)`` for ``pts``: the unit is then not appended again."""
    low = label.lower()
    names = {unit, unit_label(unit, "id"), unit_label(unit, "en")}
    if unit_label(unit, "en") == "pts":
        names |= {"poin", "point"}
    return any(n and n.lower() in low for n in names)


def sources(result: PlanResult) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """Input files (``result.input_files``: name -> path) and cited sources, each with the
    names that cite it (from every table with a ``source`` text column and ``name``/``item``/
    ``indicator``)."""
    files = [(str(k), str(v)) for k, v in result.input_files.items()]
    cited: dict[str, list[str]] = {}
    for name, table in result.tables.items():
        df = table.df
        if not isinstance(df, pd.DataFrame) or "source" not in df.columns or name == "funding":
            continue
        key_col = next((c for c in ("name", "item", "indicator", "target_set") if c in df), None)
        for _, row in df.iterrows():
            src = row["source"]
            if is_missing(src) or not isinstance(src, str) or src in FUNDING_SOURCE_LABELS:
                continue
            who = str(row[key_col]) if key_col else name
            lst = cited.setdefault(src.strip(), [])
            if who not in lst:
                lst.append(who)
    return files, sorted(cited.items(), key=lambda kv: kv[0].lower())


#: Units whose quantities are whole things (shown rounded, as counts).
COUNT_UNITS: frozenset[str] = frozenset(
    {
        "household", "households", "hh", "unit", "units", "truck", "trucks", "plant", "plants",
        "desludging", "desludgings", "connection", "connections", "persons", "person",
        "connection capacity", "tonne",
    }
)  # fmt: skip


def fmt_quantity(value: Any, unit: str, lang: str) -> str:
    """A need quantity: whole number for counted things, rupiah in words for a money base
    (the ``IDR of capital`` that operating costs are a share of), one decimal otherwise."""
    if "IDR" in unit or unit in ("Rp", "idr"):
        return fmt_idr_compact(value, lang)
    return fmt_count(value, lang) if unit in COUNT_UNITS else fmt_number(value, 1, lang)


def retrospective_rows(result: PlanResult) -> pd.DataFrame | None:
    """The retrospective rows to summarise: the latest year of each (target set, indicator),
    RPJMN sets first, headline indicators in report order. ``None`` without the table."""
    df = frame(result, "retrospective")
    if df is None or not len(df) or not {"indicator", "year"} <= set(df.columns):
        return None
    d = df.copy()
    if "target_set" not in d.columns:
        d["target_set"] = ""
    d["_set_rank"] = [0 if str(s).startswith("RPJMN") else 1 for s in d["target_set"]]
    order = {k: i for i, k in enumerate(HEADLINE_INDICATORS)}
    d["_ind_rank"] = [order.get(str(i), 99) for i in d["indicator"]]
    d = d.sort_values(["_set_rank", "target_set", "_ind_rank", "indicator", "year"], kind="stable")
    d = d.drop_duplicates(["target_set", "indicator"], keep="last")
    d = d.sort_values(["_set_rank", "target_set", "_ind_rank", "indicator"], kind="stable")
    return d.reset_index(drop=True)


def bappenas_year(rows: pd.DataFrame | None) -> int | None:
    """Latest year of the RPJMN (Bappenas) rows of :func:`retrospective_rows`."""
    if rows is None or "_set_rank" not in rows.columns:
        return None
    rp = rows[rows["_set_rank"] == 0]
    return int(rp["year"].max()) if len(rp) else None


def warning_level(w: Warning_, result: PlanResult) -> str:
    """``danger`` for a warning dated within the plan period or earlier (e.g. the TPA is
    full before the period ends), else ``warn``."""
    if w.year is not None and as_float(w.year) is not None and int(w.year) <= years(result).end:
        return "danger"
    return "warn"


def write_atomically(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` through a hidden temporary name
    in the same folder and a rename, so a failure never leaves half a report behind
    (:func:`sanitasi.atomicfiles.write_file_atomically`, the one copy of the rule)."""
    write_file_atomically(path, data)
