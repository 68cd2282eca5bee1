"""National reference tables shipped with the package (``sanitasi.data``), read and validated.

Each table is read as text (line numbers kept), converted column by column, and validated
with a pandera model (dtypes, allowed statuses, uniqueness, ranges, funding shares summing to
1). Any problem raises :class:`~sanitasi.io.errors.InputErrors` naming
``reference/<file>.csv``, the line and the column. Tables are cached in the process and,
once validated, on disk for the next processes (:mod:`sanitasi.io.refcache`, keyed by the
package version, the reference files' digest and the reading code; ``SANITASI_NO_CACHE=1``
turns it off); the public functions return copies so callers may modify what they get.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
from pandera.typing import Series

from sanitasi.core.model import FUNDING_SOURCES, RUNGS, STATUSES, Parameter, ParameterSet
from sanitasi.core.reads import COMPUTATIONS, REFERENCE_ONLY, parse_read_by
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.io.refcache import reference_cached
from sanitasi.io.tables import LINE, Checker, read_table, rows_problems, schema_problems

DATA_PACKAGE = "sanitasi.data"
#: Region levels of ``wilayah_2025.csv`` (``nasional`` is not a row there).
TINGKAT: tuple[str, ...] = ("provinsi", "kabkota", "kecamatan", "kelurahan", "desa")
TARGET_KINDS: tuple[str, ...] = ("target", "baseline")
COST_KINDS: tuple[str, ...] = ("capex", "opex")
SHARE_TOLERANCE = 1e-6


def data_root() -> Traversable:
    """The package data folder (``sanitasi/data``)."""
    return resources.files(DATA_PACKAGE)


def demo_city_dir() -> Traversable:
    """The embedded Kota Solok demo city folder."""
    return data_root() / "kota_solok"


# --------------------------------------------------------------------------- schemas


class _Base(pa.DataFrameModel):
    class Config:
        strict = False
        coerce = False


class ParametersModel(_Base):
    name: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    unit: Series[str]
    source: Series[str]
    status: Series[str] = pa.Field(isin=STATUSES)
    low: Series[float] = pa.Field(nullable=True)
    high: Series[float] = pa.Field(nullable=True)


class TargetsModel(_Base):
    target_set: Series[str] = pa.Field(str_length={"min_value": 1})
    indicator: Series[str] = pa.Field(str_length={"min_value": 1})
    year: Series[pd.Int64Dtype] = pa.Field(in_range={"min_value": 1900, "max_value": 2100})
    kind: Series[str] = pa.Field(isin=TARGET_KINDS)
    value: Series[float] = pa.Field(in_range={"min_value": 0, "max_value": 100})
    status: Series[str] = pa.Field(isin=STATUSES)
    scope_kode: Series[str]

    class Config:
        unique = ["target_set", "indicator", "year", "scope_kode"]


class UnitCostsModel(_Base):
    item: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    unit: Series[str]
    cost_idr: Series[float] = pa.Field(ge=0)
    low_idr: Series[float] = pa.Field(ge=0, nullable=True)
    high_idr: Series[float] = pa.Field(ge=0, nullable=True)
    price_year: Series[pd.Int64Dtype] = pa.Field(in_range={"min_value": 1900, "max_value": 2100})
    status: Series[str] = pa.Field(isin=STATUSES)
    source: Series[str]


class NeedItemsModel(_Base):
    need: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    unit: Series[str]
    item: Series[str] = pa.Field(str_length={"min_value": 1})
    cost_kind: Series[str] = pa.Field(isin=COST_KINDS)


class FundingSharesModel(_Base):
    item: Series[str] = pa.Field(str_length={"min_value": 1})
    source: Series[str] = pa.Field(isin=FUNDING_SOURCES)
    share: Series[float] = pa.Field(in_range={"min_value": 0, "max_value": 1})
    status: Series[str] = pa.Field(isin=STATUSES)

    class Config:
        unique = ["item", "source"]

    @pa.dataframe_check(name="SAN-E028")
    def shares_sum_to_one(cls, df: pd.DataFrame) -> pd.Series:
        total = df.groupby("item")["share"].transform("sum")
        return (total - 1.0).abs() <= SHARE_TOLERANCE


class LadderModel(_Base):
    code: Series[str] = pa.Field(isin=RUNGS, unique=True)
    rung_order: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": len(RUNGS)}, unique=True
    )
    counts_as_layak: Series[bool]
    status: Series[str] = pa.Field(isin=STATUSES)


class WilayahModel(_Base):
    kode: Series[str] = pa.Field(unique=True, str_matches=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
    nama: Series[str] = pa.Field(str_length={"min_value": 1})
    tingkat: Series[str] = pa.Field(isin=TINGKAT)


class PendudukModel(_Base):
    kode: Series[str] = pa.Field(unique=True)
    pria: Series[float] = pa.Field(ge=0)
    wanita: Series[float] = pa.Field(ge=0)
    total: Series[float] = pa.Field(ge=0)

    @pa.dataframe_check(name="SAN-E030")
    def total_is_sum(cls, df: pd.DataFrame) -> pd.Series:
        return (df["pria"] + df["wanita"] - df["total"]).abs() < 0.5


_HINTS: dict[str, dict[str, Any]] = {
    "status": {"choices": ", ".join(STATUSES)},
    "kind": {"choices": ", ".join(TARGET_KINDS)},
    "cost_kind": {"choices": ", ".join(COST_KINDS)},
    "tingkat": {"choices": ", ".join(TINGKAT)},
    "code": {"choices": ", ".join(RUNGS)},
    "share": {"low": 0, "high": 1, "kind": "a fraction", "kind_id": "proporsi"},
    "value": {"low": 0, "high": 100, "kind": "a percentage", "kind_id": "persentase"},
}


def validate(
    model: type[pa.DataFrameModel] | pa.DataFrameSchema, df: pd.DataFrame, file: str
) -> list[Problem]:
    """Validate ``df`` (index = line numbers) with a pandera model; failures as problems."""
    try:
        model.validate(df, lazy=True)
    except pa_errors.SchemaErrors as exc:
        return schema_problems(exc, df, file, _HINTS)
    return []


# --------------------------------------------------------------------------- generic load


def _load(
    name: str,
    required: Sequence[str],
    convert: Callable[[Checker], pd.DataFrame],
    model: type[pa.DataFrameModel],
    folder: str = "reference",
) -> pd.DataFrame:
    """Read ``<folder>/<name>``, convert it and validate it; raise on any error.

    The result keeps the line of each row in the column ``LINE``.
    """
    file = f"{folder}/{name}"
    df, problems = read_table(data_root() / folder / name, file, required, folder=folder)
    if df is None:
        raise InputErrors(problems)
    chk = Checker(df, file)
    typed = convert(chk).set_index(df[LINE].rename(LINE))
    problems = list(chk.problems)
    if not errors_of(problems):
        problems += validate(model, typed, file)
    if errors_of(problems):
        raise InputErrors(problems)
    return typed.reset_index()


def _public(df: pd.DataFrame) -> pd.DataFrame:
    """Drop the line column; whole-number ``Int64`` columns without NA become ``int64``."""
    out = df.drop(columns=[LINE]).reset_index(drop=True)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.Int64Dtype) and not out[col].isna().any():
            out[col] = out[col].astype("int64")
    return out


# --------------------------------------------------------------------------- parameters


def choices_of(unit: str) -> list[str] | None:
    """Allowed words of a ``choice: a|b`` unit, else ``None`` (numeric parameter)."""
    if not unit.startswith("choice:"):
        return None
    return [w.strip() for w in unit.removeprefix("choice:").split("|") if w.strip()]


def is_fraction_unit(unit: str) -> bool:
    """``fraction`` and ``fraction of ...`` must lie in [0, 1] (not ``fraction/year``)."""
    return unit == "fraction" or unit.startswith("fraction of")


def parameter_value_problems(
    df: pd.DataFrame,
    units: pd.Series,
    file: str | pd.Series,
    value_col: str = "value",
    column: str | None = "value",
) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """Convert parameter values by their unit: numbers, or words of a ``choice:`` unit.

    Returns the values (float, str, or None when blank), a mask of invalid rows and the
    problems: ``SAN-E019`` for text in a numeric parameter or a word outside the choices,
    ``SAN-E011`` for a ``fraction`` outside [0, 1]. ``df`` needs ``LINE`` and ``name``;
    ``column`` is the column named in the problems.
    """
    raw = df[value_col]
    choice_lists = units.map(choices_of)
    is_choice = choice_lists.notna()
    num = pd.to_numeric(raw.where(~is_choice & raw.ne(""), "0"), errors="coerce").astype(float)
    bad_num = (~is_choice & raw.ne("") & ~(num.abs() < float("inf"))).astype(bool)
    in_choices = [w in c if c is not None else True for w, c in zip(raw, choice_lists, strict=True)]
    bad_choice = is_choice & raw.ne("") & ~pd.Series(in_choices, index=df.index, dtype=bool)
    frac = (
        units.map(is_fraction_unit).astype(bool) & ~bad_num & raw.ne("") & ((num < 0) | (num > 1))
    )
    expected = choice_lists.map(lambda c: "a number" if c is None else "one of " + ", ".join(c))
    expected_id = choice_lists.map(
        lambda c: "angka" if c is None else "salah satu dari " + ", ".join(c)
    )
    problems = rows_problems(
        df,
        bad_num | bad_choice,
        "SAN-E019",
        file,
        column,
        raw,
        name=df["name"],
        unit=units,
        expected=expected,
        expected_id=expected_id,
    )
    problems += rows_problems(
        df,
        frac,
        "SAN-E011",
        file,
        column,
        raw,
        name=df["name"],
        kind="a fraction",
        kind_id="proporsi",
        low=0,
        high=1,
    )
    values = pd.Series(
        [
            None if r == "" else (r if c is not None else float(n))
            for r, c, n in zip(raw, choice_lists, num, strict=True)
        ],
        index=df.index,
        dtype=object,
    )
    return values, bad_num | bad_choice | frac, problems


def read_by_column(chk: Checker) -> pd.Series:
    """The ``read_by`` column: computations of :data:`sanitasi.core.reads.COMPUTATIONS`
    separated by ``;``, or ``reference_only`` alone (docs/METHOD.md §16). Anything else is
    ``SAN-E200`` naming the first word that is not a computation; a blank is ``SAN-E027``."""
    raw = chk.text("read_by")
    words = raw.map(parse_read_by)
    known = set(COMPUTATIONS)

    def wrong(ws: tuple[str, ...]) -> str:
        if REFERENCE_ONLY in ws and len(ws) > 1:
            return "; ".join(ws)
        return next((w for w in ws if w not in known and w != REFERENCE_ONLY), "")

    bad = words.map(wrong)
    chk.flag(
        bad.ne(""),
        "SAN-E200",
        "read_by",
        bad,
        choices=", ".join(COMPUTATIONS),
    )
    return raw


def _convert_parameters(chk: Checker) -> pd.DataFrame:
    df = chk.df
    units = chk.text("unit", required=False)
    values, _, problems = parameter_value_problems(df, units, chk.file)
    chk.problems += problems
    return pd.DataFrame(
        {
            "name": chk.text("name"),
            "value": values,
            "low": chk.number("low", required=False, nonneg=False),
            "high": chk.number("high", required=False, nonneg=False),
            "unit": units,
            "applies_to": chk.text("applies_to", required=False),
            "read_by": read_by_column(chk),
            "source": chk.text("source", required=False),
            "status": chk.raw("status"),
            "note": chk.text("note", required=False),
        }
    )


@reference_cached("reference.parameters", pd.DataFrame)
def _parameters_table() -> pd.DataFrame:
    return _load(
        "parameters.csv",
        ("name", "value", "unit", "status", "read_by"),
        _convert_parameters,
        ParametersModel,
    )


def parameter_table() -> pd.DataFrame:
    """The reference parameters as a table (``value`` is float, str or None)."""
    return _public(_parameters_table())


def load_parameters() -> ParameterSet:
    """Reference ``parameters.csv`` as a :class:`ParameterSet`.

    Numeric values are floats, ``choice:`` values stay strings, blank values are ``None``.
    """
    df = _parameters_table()
    params = {
        rec["name"]: Parameter(
            name=rec["name"],
            value=rec["value"],
            unit=rec["unit"],
            source=rec["source"],
            status=rec["status"],
            low=None if pd.isna(rec["low"]) else float(rec["low"]),
            high=None if pd.isna(rec["high"]) else float(rec["high"]),
            applies_to=rec["applies_to"],
            note=rec["note"],
            read_by=parse_read_by(rec["read_by"]),
        )
        for rec in df.to_dict("records")
    }
    return ParameterSet(params)


# --------------------------------------------------------------------------- targets


def convert_targets(chk: Checker) -> pd.DataFrame:
    """Targets table from text: ``target_set, indicator, year, kind, value, status, ...``.

    Used for the reference file and for a city's own ``targets.csv``. ``pct_*`` values must
    lie in 0-100 (``SAN-E011``); other values must not be negative.
    """
    indicator = chk.text("indicator")
    value = chk.number("value", nonneg=False)
    is_pct = indicator.str.startswith("pct_")
    chk.flag(
        is_pct & ((value < 0) | (value > 100)),
        "SAN-E011",
        "value",
        name=indicator,
        kind="a percentage",
        kind_id="persentase",
        low=0,
        high=100,
    )
    chk.flag(~is_pct & (value < 0), "SAN-E009", "value")
    return pd.DataFrame(
        {
            "target_set": chk.text("target_set"),
            "indicator": indicator,
            "year": chk.year("year"),
            "kind": chk.choice("kind", TARGET_KINDS, code="SAN-E022"),
            "value": value,
            "status": chk.choice("status", STATUSES, default="unverified"),
            "scope_kode": "",
            "unit": chk.text("unit", required=False, default="%"),
            "source": chk.text("source", required=False),
            "note": chk.text("note", required=False),
        }
    )


TARGET_COLUMNS: tuple[str, ...] = ("target_set", "indicator", "year", "kind", "value")


@reference_cached("reference.targets", pd.DataFrame)
def _targets_table() -> pd.DataFrame:
    return _load("targets.csv", TARGET_COLUMNS, convert_targets, TargetsModel)


def targets_with_lines() -> pd.DataFrame:
    """Reference targets keeping the line of each row in ``LINE`` (for messages)."""
    return _targets_table().copy()


def load_reference_targets() -> pd.DataFrame:
    """Reference ``targets.csv`` with ``scope_kode = ""`` (national sets)."""
    return _public(_targets_table())


# --------------------------------------------------------------------------- costs, ladder


def _convert_unit_costs(chk: Checker) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item": chk.text("item"),
            "unit": chk.text("unit", required=False),
            "cost_idr": chk.number("cost_idr"),
            "low_idr": chk.number("low_idr", required=False),
            "high_idr": chk.number("high_idr", required=False),
            "price_year": chk.year("price_year"),
            "status": chk.raw("status"),
            "source": chk.text("source", required=False),
            "note": chk.text("note", required=False),
        }
    )


@reference_cached("reference.unit_costs", pd.DataFrame)
def _unit_costs_table() -> pd.DataFrame:
    return _load(
        "unit_costs.csv",
        ("item", "unit", "cost_idr", "price_year", "status"),
        _convert_unit_costs,
        UnitCostsModel,
    )


def load_unit_costs() -> pd.DataFrame:
    """``item, unit, cost_idr, low_idr, high_idr, price_year, status, source, note``."""
    return _public(_unit_costs_table())


def _unknown_items(df: pd.DataFrame, file: str) -> list[Problem]:
    known = set(_unit_costs_table()["item"])
    return rows_problems(
        df, ~df["item"].isin(known), "SAN-E029", file, "item", table="reference/unit_costs.csv"
    )


def _checked_items(df: pd.DataFrame, file: str) -> pd.DataFrame:
    problems = _unknown_items(df, file)
    if problems:
        raise InputErrors(problems)
    return df


def _convert_need_items(chk: Checker) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "need": chk.text("need"),
            "unit": chk.text("unit", required=False),
            "item": chk.text("item"),
            "cost_kind": chk.raw("cost_kind"),
            "sector": chk.text("sector", required=False),
            "om_rule": chk.text("om_rule", required=False),
            "om_item": chk.text("om_item", required=False),
            "funding_item": chk.text("funding_item", required=False),
            "note": chk.text("note", required=False),
        }
    )


@reference_cached("reference.need_items", pd.DataFrame)
def _need_items_table() -> pd.DataFrame:
    df = _load(
        "need_items.csv", ("need", "unit", "item", "cost_kind"), _convert_need_items, NeedItemsModel
    )
    return _checked_items(df, "reference/need_items.csv")


def load_need_items() -> pd.DataFrame:
    """``need, unit, item, cost_kind (capex|opex), sector, om_rule, om_item, funding_item,
    note`` (``om_item``: who pays the O&M of an ``om_share`` asset, default ``om_general``;
    ``funding_item``: the funding-shares item when it is not the unit-cost item)."""
    return _public(_need_items_table())


def _convert_funding_shares(chk: Checker) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item": chk.text("item"),
            "source": chk.raw("source"),
            "share": chk.number("share"),
            "status": chk.raw("status"),
            "note": chk.text("note", required=False),
        }
    )


@reference_cached("reference.funding_shares", pd.DataFrame)
def _funding_shares_table() -> pd.DataFrame:
    # Items need not be unit-cost items: ``om_general`` pays the om_share operation.
    return _load(
        "funding_shares.csv",
        ("item", "source", "share", "status"),
        _convert_funding_shares,
        FundingSharesModel,
    )


def load_funding_shares() -> pd.DataFrame:
    """``item, source, share (0-1), status, note``; the shares of each item sum to 1."""
    return _public(_funding_shares_table())


def _convert_ladder(chk: Checker) -> pd.DataFrame:
    out = chk.df.drop(columns=[LINE]).copy()
    out["rung_order"] = chk.number("rung_order").astype("Int64")
    out["counts_as_layak"] = chk.boolean("counts_as_layak").fillna(False).astype(bool)
    return out


@reference_cached("reference.ladder", pd.DataFrame)
def _ladder_table() -> pd.DataFrame:
    return _load(
        "ladder.csv",
        ("code", "rung_order", "name_id", "name_en", "counts_as_layak", "status"),
        _convert_ladder,
        LadderModel,
    )


def load_ladder() -> pd.DataFrame:
    """The six ladder rungs (``code, rung_order, name_id, name_en, counts_as_layak, ...``)."""
    return _public(_ladder_table())


# --------------------------------------------------------------------------- wilayah


def _convert_wilayah(chk: Checker) -> pd.DataFrame:
    return chk.df[["kode", "nama", "tingkat"]].copy()


@reference_cached("wilayah.wilayah_2025", pd.DataFrame)
def _wilayah_table() -> pd.DataFrame:
    return _load(
        "wilayah_2025.csv", ("kode", "nama", "tingkat"), _convert_wilayah, WilayahModel, "wilayah"
    )


@lru_cache(maxsize=1)
def wilayah_index() -> pd.DataFrame:
    """Official regions indexed by ``kode`` (columns ``nama, tingkat``); cached, read-only."""
    return _wilayah_table().set_index("kode")[["nama", "tingkat"]]


def load_wilayah() -> pd.DataFrame:
    """Kemendagri 2025 region codes: ``kode, nama, tingkat`` (91,599 rows)."""
    return _public(_wilayah_table())


def _convert_penduduk(chk: Checker) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": chk.text("kode"),
            "nama": chk.text("nama"),
            "pria": chk.number("pria"),
            "wanita": chk.number("wanita"),
            "total": chk.number("total"),
        }
    )


@reference_cached("wilayah.penduduk_2025", pd.DataFrame)
def _penduduk_table() -> pd.DataFrame:
    return _load(
        "penduduk_2025.csv",
        ("kode", "nama", "pria", "wanita", "total"),
        _convert_penduduk,
        PendudukModel,
        "wilayah",
    )


def load_penduduk() -> pd.DataFrame:
    """2025 Dukcapil population: ``kode, nama, pria, wanita, total`` (kode ``0`` = Indonesia)."""
    df = _public(_penduduk_table())
    for col in ("pria", "wanita", "total"):
        df[col] = df[col].astype("int64")
    return df


# --------------------------------------------------------------------------- bundle


@dataclass(frozen=True)
class Reference:
    """All national reference tables (fresh copies)."""

    parameters: ParameterSet
    targets: pd.DataFrame
    unit_costs: pd.DataFrame
    need_items: pd.DataFrame
    funding_shares: pd.DataFrame
    ladder: pd.DataFrame


def load_reference() -> Reference:
    """Every reference table, validated; raises :class:`InputErrors` listing all problems."""
    loaders: Mapping[str, Callable[[], Any]] = {
        "parameters": load_parameters,
        "targets": load_reference_targets,
        "unit_costs": load_unit_costs,
        "need_items": load_need_items,
        "funding_shares": load_funding_shares,
        "ladder": load_ladder,
    }
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, loader in loaders.items():
        try:
            out[key] = loader()
        except InputErrors as exc:
            problems += exc.problems
    if problems:
        raise InputErrors(problems)
    return Reference(**out)


#: Folders of the package data whose files are the reference data (:func:`reference_digest`).
REFERENCE_FOLDERS: tuple[str, ...] = ("reference", "wilayah")


@lru_cache(maxsize=1)
def reference_digest() -> str:
    """SHA-256 (hex) of the reference data: every file of :data:`REFERENCE_FOLDERS` (name
    and bytes, names sorted). Computed once per process (about 3 MB read)."""
    h = hashlib.sha256()
    for folder in REFERENCE_FOLDERS:
        files = sorted(
            (f for f in (data_root() / folder).iterdir() if f.is_file()), key=lambda f: f.name
        )
        for f in files:
            body = f.read_bytes()
            h.update(f"{folder}/{f.name}:{len(body)}\n".encode())
            h.update(body)
    return h.hexdigest()


@lru_cache(maxsize=1)
def package_version() -> str:
    """The installed ``sanitasi`` version (``0+unknown`` when not installed)."""
    try:
        return metadata.version("sanitasi")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "0+unknown"


def reference_version() -> str:
    """``<package version>+ref.<first 16 hex of reference_digest()>``: what a cached result
    computed from the reference data depends on besides the city's data."""
    return f"{package_version()}+ref.{reference_digest()[:16]}"


def reference_sources() -> dict[str, str]:
    """Table name -> display path of the packaged reference files."""
    names = ("parameters", "targets", "unit_costs", "need_items", "funding_shares", "ladder")
    return {n: f"{DATA_PACKAGE}/reference/{n}.csv" for n in names}


__all__ = [
    "Reference",
    "data_root",
    "demo_city_dir",
    "load_funding_shares",
    "load_ladder",
    "load_need_items",
    "load_parameters",
    "load_penduduk",
    "load_reference",
    "load_reference_targets",
    "load_unit_costs",
    "load_wilayah",
    "package_version",
    "parameter_table",
    "reference_digest",
    "reference_version",
    "wilayah_index",
]
