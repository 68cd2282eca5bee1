"""Tables of the SSK instruments as the reports show them (risk areas, SFD, survey).

The risk and SFD engines (:mod:`sanitasi.core.risk`, :mod:`sanitasi.core.sfd`) return
:class:`~sanitasi.core.model.Table` objects with their own column labels; the survey reader
(:mod:`sanitasi.io.survey`) returns plain frames, which :func:`survey_tables` wraps with
Indonesian/English labels. :func:`display_table` is the HTML/terminal view of a table: the
columns a reader needs (the XLSX file keeps them all) and, for the survey shares, one
``share (low-high)`` text cell per rung. Nothing is recomputed.

This module does not import :mod:`sanitasi.reports.html` (which uses it), so both the plan
report and the instrument reports can rely on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from sanitasi.core.model import RUNGS, Column, Table
from sanitasi.core.sfd import NODE_LABELS
from sanitasi.core.survey import WASTE
from sanitasi.reports.fmt import MISSING, as_float, fmt_number, norm_lang
from sanitasi.reports.i18n import RUNG_LABELS, WASTE_PRACTICE_LABELS

#: Tables of each instrument, in report order.
RISK_TABLES: tuple[str, ...] = (
    "risk_scores",
    "risk_priority",
    "risk_classes",
    "risk_indicator_scores",
    "priority_share_period",
    "priority_share",
    "priority_activities",
)
SFD_TABLES: tuple[str, ...] = (
    "sfd_compare",
    "sfd_flows",
    "sfd_stages",
    "sfd_matrix",
    "sfd_systems",
    "sfd_nodes",
)
SURVEY_TABLES: tuple[str, ...] = (
    "survey_shares",
    "survey_issue_columns",
    "survey_issues",
    "survey_waste",
    "survey_mapping",
)


def _c(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


def _share_columns(
    categories: Sequence[str], labels: Mapping[str, tuple[str, str]]
) -> dict[str, Column]:
    cols: dict[str, Column] = {
        "kode": _c("Kode", "Code", "", "text"),
        "nama": _c("Kelurahan/desa", "Kelurahan/desa", "", "text"),
        "urban": _c("Perkotaan", "Urban", "", "text"),
        "n": _c("Sampel tergolong", "Classified sample", "households", "int"),
        "n_unknown": _c("Tidak tergolong", "Not classified", "households", "int"),
        "weight_sum": _c("Jumlah bobot", "Sum of weights", "", "float"),
        "n_eff": _c("n efektif (Kish)", "Effective n (Kish)", "", "float"),
        "below_min": _c("Di bawah minimum EHRA", "Below the EHRA minimum", "", "text"),
        "year": _c("Tahun survei", "Survey year", "", "year"),
        "source": _c("Sumber", "Source", "", "text"),
        "mapping": _c("Pemetaan kolom", "Column mapping", "", "text"),
        "status": _c("Status data", "Data status", "", "text"),
    }
    for c in categories:
        lid, len_ = labels.get(c, (c, c))
        cols[f"n_{c}"] = _c(f"n {lid}", f"n {len_}", "households", "int")
    for c in categories:
        lid, len_ = labels.get(c, (c, c))
        cols[f"pct_{c}"] = _c(lid, len_, "%", "pct")
        cols[f"pct_{c}_low"] = _c(f"{lid}: batas bawah 95%", f"{len_}: 95% lower bound", "%", "pct")
        cols[f"pct_{c}_high"] = _c(f"{lid}: batas atas 95%", f"{len_}: 95% upper bound", "%", "pct")
    return cols


#: Column labels of the survey tables.
SURVEY_SHARE_COLUMNS: dict[str, Column] = _share_columns(RUNGS, RUNG_LABELS)
SURVEY_WASTE_COLUMNS: dict[str, Column] = _share_columns(WASTE, WASTE_PRACTICE_LABELS)
SURVEY_ISSUE_COLUMNS: dict[str, Column] = {
    "field": _c("Isian", "Field", "", "text"),
    "column": _c("Kolom berkas", "File column", "", "text"),
    "value": _c("Nilai", "Value", "", "text"),
    "count": _c("Jumlah rumah tangga", "Households", "households", "int"),
    "n_values": _c("Jumlah nilai berbeda", "Distinct values", "", "int"),
    "codes": _c("Kode masalah", "Problem codes", "", "text"),
    "code": _c("Kode masalah", "Problem code", "", "text"),
    "rule_id": _c("Aturan", "Rule (Indonesian)", "", "text"),
    "rule": _c("Aturan (Inggris)", "Rule", "", "text"),
}
SURVEY_MAPPING_COLUMNS: dict[str, Column] = {
    "field": _c("Isian", "Field", "", "text"),
    "column": _c("Kolom berkas", "File column", "", "text"),
    "answer": _c("Jawaban di berkas", "Answer in the file", "", "text"),
    "normalised": _c("Dibaca sebagai", "Read as", "", "text"),
    "question": _c("Pertanyaan", "Question", "", "text"),
}

_SURVEY_PROV = {"derived": 1}


def survey_shares_table(
    shares: pd.DataFrame,
    *,
    name: str = "survey_shares",
    categories: Sequence[str] = RUNGS,
    provenance: Mapping[str, int] | None = None,
    note: tuple[str, str] = ("", ""),
) -> Table:
    """The per-kelurahan shares of a survey (``io.survey.SurveyResult.shares`` or ``.waste``,
    or a ``survey_result.csv``) as a labelled table."""
    waste = tuple(categories) == tuple(WASTE)
    cols = SURVEY_WASTE_COLUMNS if waste else SURVEY_SHARE_COLUMNS
    titles = (
        ("Praktik sampah rumah tangga menurut survei", "Household waste practice from the survey")
        if waste
        else (
            "Tangga sanitasi menurut survei rumah tangga (tertimbang, selang kepercayaan 95%)",
            "Sanitation ladder from the household survey (weighted, 95% confidence interval)",
        )
    )
    df = shares.reset_index(drop=True)
    return Table(
        name,
        titles[0],
        titles[1],
        df,
        {c: cols.get(c, Column(c, c)) for c in df.columns},
        dict(provenance or _SURVEY_PROV),
        note[0],
        note[1],
    )


def issue_columns(issues: pd.DataFrame) -> pd.DataFrame:
    """Issues summed per file column: ``column, field, count, n_values, codes``."""
    if issues is None or not len(issues):
        return pd.DataFrame(
            {
                "column": pd.Series(dtype=str),
                "field": pd.Series(dtype=str),
                "count": pd.Series(dtype="int64"),
                "n_values": pd.Series(dtype="int64"),
                "codes": pd.Series(dtype=str),
            }
        )
    g = issues.groupby(["column", "field"], sort=False)
    out = pd.DataFrame(
        {
            "count": g["count"].sum().astype("int64"),
            "n_values": g["value"].nunique().astype("int64"),
            "codes": g["code"].agg(lambda s: ", ".join(dict.fromkeys(str(v) for v in s))),
        }
    ).reset_index()
    return out[["column", "field", "count", "n_values", "codes"]]


def survey_tables(result: Any, note: tuple[str, str] = ("", "")) -> dict[str, Table]:
    """Tables of an :class:`sanitasi.io.survey.SurveyResult`: ``survey_shares``,
    ``survey_issue_columns``, ``survey_issues``, ``survey_waste`` (when the file has a waste
    column) and ``survey_mapping`` (the codebook used)."""
    prov = {"derived": len(result.shares)} if len(result.shares) else dict(_SURVEY_PROV)
    tables = {
        "survey_shares": survey_shares_table(result.shares, provenance=prov, note=note),
    }
    issues = result.issues.reset_index(drop=True)
    tables["survey_issue_columns"] = Table(
        "survey_issue_columns",
        "Jawaban yang tidak dihitung, per kolom",
        "Answers not counted, per column",
        issue_columns(issues),
        SURVEY_ISSUE_COLUMNS,
        dict(prov),
    )
    tables["survey_issues"] = Table(
        "survey_issues",
        "Jawaban yang tidak dihitung, per kolom dan nilai",
        "Answers not counted, per column and value",
        issues,
        SURVEY_ISSUE_COLUMNS,
        dict(prov),
        "Setiap jawaban di luar kodebuku, jawaban kosong yang diperlukan tangga sanitasi, bobot "
        "tidak sah dan kelurahan tidak dikenal dihitung di sini; tidak ada yang dibuang diam-diam.",
        "Every answer outside the codebook, blank answer the ladder needs, invalid weight and "
        "unknown kelurahan is counted here; nothing is dropped silently.",
    )
    if getattr(result, "waste", None) is not None:
        tables["survey_waste"] = survey_shares_table(
            result.waste, name="survey_waste", categories=WASTE, provenance=prov
        )
    mapping = result.mapping
    tables["survey_mapping"] = Table(
        "survey_mapping",
        f"Kodebuku: {mapping.name}",
        f"Codebook: {mapping.name}",
        mapping.table(),
        SURVEY_MAPPING_COLUMNS,
        {mapping.status if mapping.status else "unverified": 1},
        mapping.source,
        mapping.source,
    )
    return tables


# ----------------------------------------------------------------------------- display


def _interval_text(p: Any, lo: Any, hi: Any, lang: str) -> str:
    if as_float(p) is None:
        return MISSING
    text = fmt_number(p, 1, lang)
    if as_float(lo) is None or as_float(hi) is None:
        return f"{text}%"
    return f"{text}% ({fmt_number(lo, 1, lang)}\u2013{fmt_number(hi, 1, lang)})"


def survey_interval_view(table: Table, lang: str) -> Table:
    """The shares table for reading: area, sample sizes, the EHRA-minimum flag and one
    ``share% (low-high)`` text cell per category (numbers stay numbers in the XLSX file)."""
    lang = norm_lang(lang)
    df = table.df
    waste = any(f"pct_{w}" in df.columns for w in WASTE) and "pct_aman" not in df.columns
    cats = WASTE if waste else RUNGS
    labels = WASTE_PRACTICE_LABELS if waste else RUNG_LABELS
    keep = [c for c in ("kode", "nama", "n", "n_eff", "below_min") if c in df.columns]
    out = df[keep].copy()
    cols = {c: column_of(table, c) for c in keep}
    for c in cats:
        if f"pct_{c}" not in df.columns:
            continue
        out[f"ci_{c}"] = [
            _interval_text(p, lo, hi, lang)
            for p, lo, hi in zip(
                df[f"pct_{c}"],
                df.get(f"pct_{c}_low", pd.Series(None, index=df.index)),
                df.get(f"pct_{c}_high", pd.Series(None, index=df.index)),
                strict=True,
            )
        ]
        lid, len_ = labels.get(c, (c, c))
        cols[f"ci_{c}"] = Column(f"{lid} (95%)", f"{len_} (95%)", "", "text")
    return Table(
        table.name,
        table.title_id,
        table.title_en,
        out.reset_index(drop=True),
        cols,
        table.provenance,
        table.note_id,
        table.note_en,
    )


def column_of(table: Table, col: str) -> Column:
    meta = table.columns.get(col) if isinstance(table.columns, Mapping) else None
    return meta if isinstance(meta, Column) else Column(col, col)


def _node_label(code: Any, lang: str) -> Any:
    if not isinstance(code, str) or code not in NODE_LABELS:
        return code
    return NODE_LABELS[code][1 if norm_lang(lang) == "en" else 0]


#: HTML columns of the instrument tables (the XLSX file has every column); ``{lang}`` is
#: replaced by ``id`` or ``en``.
HTML_COLUMNS: dict[str, tuple[str, ...]] = {
    "risk_scores": (
        "city_kode",
        "kode",
        "nama",
        "subsector",
        "impact_score",
        "exposure_score",
        "risk_score",
        "computed_class",
        "final_class",
        "class_label_{lang}",
        "overridden",
        "override_reason",
    ),
    "risk_priority": (
        "city_kode",
        "subsector",
        "kode",
        "nama",
        "final_class",
        "class_label_{lang}",
        "risk_score",
        "computed_class",
        "overridden",
        "override_reason",
    ),
    "risk_classes": (
        "city_kode",
        "subsector",
        "class",
        "label_{lang}",
        "score_from",
        "score_to",
        "method",
        "n_computed",
        "n_final",
    ),
    "sfd_nodes": ("node", "label_{lang}", "safety"),
    "sfd_systems": (
        "kode",
        "year",
        "base_year",
        "code",
        "name",
        "ladder_rung",
        "contained",
        "offsite",
        "improved",
        "shared",
        "population_share_pct",
        "emptied_pct",
        "delivered_pct",
        "treated_pct",
        "safe_pct",
        "unsafe_pct",
        "jmp_safe_pct",
        "status",
    ),
    "survey_issues": ("field", "column", "value", "count", "code", "rule_{lang}"),
}


#: Score columns of the risk tables, shown with two decimals (text in the HTML view only).
SCORE_COLUMNS: frozenset[str] = frozenset(
    {
        "impact_score",
        "exposure_score",
        "risk_score",
        "score_from",
        "score_to",
        "range_min",
        "range_max",
        "interval_width",
        "weighted_score",
        "value",
    }
)


def html_columns(table: Table, lang: str) -> list[str] | None:
    """The columns the HTML report shows of an instrument table (``None``: all); a
    ``city_kode``/``kode`` column holding one value only is left out."""
    df = table.df
    wanted = HTML_COLUMNS.get(table.name)
    if wanted is None and not (
        table.name in RISK_TABLES or table.name in SFD_TABLES or table.name in SURVEY_TABLES
    ):
        return None
    suffix = "en" if norm_lang(lang) == "en" else "id"
    cols = [c.replace("{lang}", suffix) for c in wanted] if wanted else [str(c) for c in df]
    if table.name == "survey_issues":
        cols = [c.replace("rule_en", "rule") for c in cols]
    cols = [c for c in cols if c in df.columns]
    # the city of a one-city table says nothing (the SFD tables name it ``kode``)
    singles = ["city_kode", "kode"] if table.name.startswith("sfd_") else ["city_kode"]
    return [c for c in cols if not (c in singles and df[c].nunique(dropna=False) <= 1)]


def display_table(table: Table, lang: str) -> Table:
    """The HTML/terminal view of an instrument table: survey shares as interval text, SFD
    node codes as labels, only the columns of :func:`html_columns`. Other tables pass."""
    if table.name in ("survey_shares", "survey_waste"):
        return survey_interval_view(table, lang)
    cols = html_columns(table, lang)
    if cols is None:
        return table
    df = table.df[cols].copy()
    for c in ("source", "target", "flow", "node"):
        if c in df.columns and table.name.startswith("sfd_"):
            df[c] = [_node_label(v, lang) for v in df[c]]
    if table.name.startswith("risk_"):
        for c in SCORE_COLUMNS & set(df.columns):
            # two decimals, as the scores are computed by hand (2,05 x 3,30 = 6,77)
            df[c] = [fmt_number(v, 2, lang) if as_float(v) is not None else v for v in df[c]]
    return Table(
        table.name,
        table.title_id,
        table.title_en,
        df.reset_index(drop=True),
        table.columns,
        table.provenance,
        table.note_id,
        table.note_en,
    )


__all__ = [
    "HTML_COLUMNS",
    "RISK_TABLES",
    "SFD_TABLES",
    "SURVEY_ISSUE_COLUMNS",
    "SURVEY_SHARE_COLUMNS",
    "SURVEY_TABLES",
    "display_table",
    "html_columns",
    "issue_columns",
    "survey_interval_view",
    "survey_shares_table",
    "survey_tables",
]
