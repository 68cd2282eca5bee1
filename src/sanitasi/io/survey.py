"""Household survey ingest: read a survey file through a column mapping, classify every
household on the ladder, weighted shares per kelurahan, and apply them to a city folder.

Files
    CSV (UTF-8, header row; read by DuckDB with every column as text), Parquet (DuckDB,
    native column types) and XLSX (first sheet, header row; openpyxl). Household microdata
    never enters the application database (docs/ARCHITECTURE.md; docs/METHOD.md §11.2): it is scanned here with
    DuckDB and only per-kelurahan aggregates come out.

Mapping
    A TOML file (``tomllib``, the same structure is accepted as ``.json``, and as ``.yaml``
    when PyYAML is installed) naming, for each normalised field, the column of the file and
    the codebook from the answers written in it to Sanitasi's vocabulary
    (:mod:`sanitasi.core.survey`). Format and fields: ``sanitasi/data/survey/README.md``.
    Default: the packaged EHRA mapping (``ehra_mapping.toml``, illustrative);
    ``susenas_mapping.toml`` is shipped for Susenas-style files.

Pipeline
    answers -> normalised codes (the codebook) -> kelurahan lookup
    (official codes with or without dots, names from the mapping) -> ladder rung -> per
    kelurahan ``count``, ``sum w``, ``sum w^2`` per rung -> shares and Wilson/Kish intervals
    (:func:`sanitasi.core.survey.shares_from_sums`). Two engines compute the rung and the
    sums and give identical results (tested):

    * ``numpy`` (default, the faster): Arrow record batches (Parquet through Arrow's reader
      with string columns kept dictionary-encoded; CSV and XLSX through DuckDB) whose
      *distinct* values are mapped through the codebook, gathered into ``int8`` codes and
      streamed into :func:`sanitasi.core.survey.classify_codes` and ``np.bincount``; the
      issues are counted per dictionary entry in the same pass;
    * ``sql``: everything in DuckDB, the codebook and the ladder rules as SQL ``CASE``
      expressions (:func:`rung_case_sql`) and one ``GROUP BY``; a second scan collects the
      issues when there are any.

Nothing is dropped silently
    An answer outside the codebook, a blank answer the ladder needs, an invalid weight, a
    kelurahan that is not a desa/kelurahan of the scope: each is counted per column and value
    in :attr:`SurveyResult.issues` (``field, column, value, count, code, rule``); such a
    household is classified ``unknown`` and excluded from the shares (an invalid ``waste``
    answer only excludes it from the waste-practice shares). ``strict=True`` turns them
    into errors.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core import survey as cs
from sanitasi.core.model import LEAF_LEVELS, RUNGS, ParameterSet
from sanitasi.io.errors import ERROR, InputErrors, Problem, errors_of, problem
from sanitasi.io.reference import data_root, load_parameters, load_wilayah
from sanitasi.io.tables import LINE, not_a_file, parse_csv, read_bytes, read_table

SURVEY_DATA = "survey"
DEFAULT_MAPPING = "ehra"
ENGINES: tuple[str, ...] = ("sql", "numpy")
FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}

#: Fields of a mapping: kind, whether the mapping must define it, whether the file may lack
#: its column (``optional`` in the mapping is allowed only for these).
FIELD_KINDS: dict[str, str] = {
    "kelurahan": "kode",
    "weight": "number",
    "toilet": "code",
    "use": "code",
    "disposal": "code",
    "desludging": "years",
    "urban": "code",
    "waste": "code",
}
REQUIRED_FIELDS: tuple[str, ...] = ("kelurahan", "toilet", "use", "disposal")
OPTIONAL_COLUMN_FIELDS: tuple[str, ...] = ("weight", "desludging", "urban", "waste")
LADDER_FIELDS: tuple[str, ...] = ("toilet", "use", "disposal", "desludging", "urban")
DESLUDGING_KINDS: tuple[str, ...] = ("coded", "years", "months")
MISSING_WORD = "missing"
NEVER_WORD = "never"

_NUMERIC_TYPES = frozenset(
    {
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
        "FLOAT",
        "DOUBLE",
    }
)
_FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE"})


# =========================================================================== mapping


@dataclass(frozen=True)
class FieldSpec:
    """One normalised field of a mapping: its column, codebook and documentation.

    ``codes`` maps an answer (trimmed, lower-cased text) to a vocabulary word, ``missing``,
    a number of years (``desludging``) or ``never``; for ``kelurahan``, to a region code.
    """

    name: str
    column: str
    optional: bool = False
    kind: str = ""
    codes: Mapping[str, Any] = field(default_factory=dict)
    question: str = ""
    status: str = ""
    #: The codebook with the answers as written in the mapping (for an exact-match fast path).
    exact: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyMapping:
    """A validated mapping (see ``sanitasi/data/survey/README.md``)."""

    name: str
    file: str
    fields: Mapping[str, FieldSpec]
    status: str = "unverified"
    source: str = ""
    note: str = ""

    def table(self) -> pd.DataFrame:
        """The codebook as a table: ``field, column, answer, normalised, question``."""
        rows = []
        for f in self.fields.values():
            if not f.codes:
                rows.append(dict(field=f.name, column=f.column, answer="", normalised=f.kind))
            for k, v in f.codes.items():
                rows.append(dict(field=f.name, column=f.column, answer=k, normalised=str(v)))
        out = pd.DataFrame(rows, columns=["field", "column", "answer", "normalised"])
        out["question"] = out["field"].map({f.name: f.question for f in self.fields.values()})
        return out


def mapping_path(name: str) -> Any:
    """The packaged mapping ``<name>_mapping.toml`` (``ehra`` or ``susenas``)."""
    return data_root() / SURVEY_DATA / f"{name}_mapping.toml"


def load_mapping(spec: str | os.PathLike[str] | None = None) -> SurveyMapping:
    """Read and validate a mapping: ``None``/``"ehra"``/``"susenas"`` (packaged) or a path to
    a ``.toml``, ``.json`` (or ``.yaml`` with PyYAML). Raises :class:`InputErrors` naming
    every problem (``SAN-E101`` unreadable, ``SAN-E102`` structure, ``SAN-E103`` vocabulary).
    """
    if spec is None or (isinstance(spec, str) and spec in ("ehra", "susenas")):
        name = DEFAULT_MAPPING if spec is None else str(spec)
        loc = mapping_path(name)
        return _mapping_from_text(loc.read_text(encoding="utf-8"), f"{name}_mapping.toml")
    path = Path(spec)
    label = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputErrors([problem("SAN-E101", label, reason=str(exc))]) from None
    return _mapping_from_text(text, label)


def _mapping_from_text(text: str, label: str) -> SurveyMapping:
    suffix = Path(label).suffix.lower()
    try:
        if suffix == ".json":
            raw = json.loads(text)
        elif suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError:
                raise InputErrors(
                    [
                        problem(
                            "SAN-E101",
                            label,
                            reason="YAML mappings need PyYAML (pip install pyyaml); "
                            "TOML and JSON need nothing",
                        )
                    ]
                ) from None
            raw = yaml.safe_load(text)
        else:
            raw = tomllib.loads(text)
    except InputErrors:
        raise
    except Exception as exc:  # tomllib/json/yaml syntax errors
        raise InputErrors([problem("SAN-E101", label, reason=str(exc))]) from None
    problems: list[Problem] = []
    mapping = _parse_mapping(raw, label, problems)
    if errors_of(problems) or mapping is None:
        raise InputErrors(problems)
    return mapping


def _bad(label: str, where: str, detail: str, detail_id: str | None = None) -> Problem:
    return problem(
        "SAN-E102", label, None, where, None, detail=detail, detail_id=detail_id or detail
    )


def _parse_mapping(raw: Any, label: str, problems: list[Problem]) -> SurveyMapping | None:
    if not isinstance(raw, dict):
        problems.append(_bad(label, "", "the mapping must be a table with [survey] and [fields.*]"))
        return None
    meta = raw.get("survey", {})
    fields_raw = raw.get("fields")
    if not isinstance(meta, dict):
        problems.append(_bad(label, "survey", "[survey] must be a table"))
        meta = {}
    if not isinstance(fields_raw, dict):
        problems.append(_bad(label, "fields", "[fields.<name>] tables are required"))
        return None
    for key in fields_raw:
        if key not in FIELD_KINDS:
            problems.append(
                _bad(
                    label,
                    f"fields.{key}",
                    f"unknown field {key}; fields are {', '.join(FIELD_KINDS)}",
                    f"isian {key} tidak dikenal; isian yang ada: {', '.join(FIELD_KINDS)}",
                )
            )
    for key in REQUIRED_FIELDS:
        if key not in fields_raw:
            problems.append(
                _bad(
                    label,
                    f"fields.{key}",
                    f"field {key} is required (with its column)",
                    f"isian {key} wajib ada (dengan kolomnya)",
                )
            )
    specs: dict[str, FieldSpec] = {}
    for name, spec in fields_raw.items():
        if name not in FIELD_KINDS:
            continue
        parsed = _parse_field(name, spec, label, problems)
        if parsed is not None:
            specs[name] = parsed
    return SurveyMapping(
        name=str(meta.get("name", label)),
        file=label,
        fields=specs,
        status=str(meta.get("status", "unverified")),
        source=str(meta.get("source", "")),
        note=str(meta.get("note", "")),
    )


def _parse_field(name: str, spec: Any, label: str, problems: list[Problem]) -> FieldSpec | None:
    where = f"fields.{name}"
    if (
        not isinstance(spec, dict)
        or not isinstance(spec.get("column"), str)
        or not spec["column"].strip()
    ):
        problems.append(_bad(label, where, f'{where} needs a column name (column = "...")'))
        return None
    optional = bool(spec.get("optional", False))
    if optional and name not in OPTIONAL_COLUMN_FIELDS:
        problems.append(
            _bad(
                label,
                f"{where}.optional",
                f"{name} cannot be optional; only {', '.join(OPTIONAL_COLUMN_FIELDS)}",
            )
        )
    kind = str(spec.get("kind", "coded" if name == "desludging" else FIELD_KINDS[name]))
    if name == "desludging" and kind not in DESLUDGING_KINDS:
        problems.append(
            _bad(label, f"{where}.kind", f"kind must be one of {', '.join(DESLUDGING_KINDS)}")
        )
    codes_raw = spec.get("codes", {})
    if not isinstance(codes_raw, dict):
        problems.append(_bad(label, f"{where}.codes", "codes must be a table answer = value"))
        codes_raw = {}
    if FIELD_KINDS[name] == "code" and not codes_raw:
        problems.append(_bad(label, f"{where}.codes", f"{name} needs a codebook [{where}.codes]"))
    codes: dict[str, Any] = {}
    exact: dict[str, Any] = {}
    for key, value in codes_raw.items():
        answer = str(key).strip().lower()
        if not answer:
            problems.append(
                _bad(
                    label,
                    f"{where}.codes",
                    "an empty answer cannot be mapped: a blank answer is always missing",
                    "jawaban kosong tidak dapat dipetakan: jawaban kosong selalu dianggap hilang",
                )
            )
            continue
        target = _code_target(name, value)
        if target is None:
            problems.append(
                problem(
                    "SAN-E103",
                    label,
                    None,
                    f"{where}.codes.{key}",
                    value,
                    choices=_choices(name),
                )
            )
            continue
        if answer in codes and codes[answer] != target:
            problems.append(
                _bad(
                    label,
                    f"{where}.codes.{key}",
                    f"answer {key!r} is mapped twice (answers compare trimmed and lower-cased)",
                    f"jawaban {key!r} dipetakan dua kali (dibandingkan tanpa spasi dan huruf kecil)",
                )
            )
        codes[answer] = target
        exact[str(key).strip()] = target
    return FieldSpec(
        name=name,
        column=spec["column"].strip(),
        optional=optional,
        kind=kind,
        codes=codes,
        question=str(spec.get("question", "")),
        status=str(spec.get("status", "")),
        exact=exact,
    )


def _choices(name: str) -> str:
    if name == "desludging":
        return f"a number of years >= 0 (inf allowed), {NEVER_WORD}, {MISSING_WORD}"
    if name == "kelurahan":
        return "a Kemendagri desa/kelurahan code"
    return ", ".join([*cs.VOCABULARIES[name], MISSING_WORD])


def _code_target(name: str, value: Any) -> Any:
    """Validated target of a codebook entry, or None when it is not allowed."""
    if name == "desludging":
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return float(value) if value >= 0 and not math.isnan(value) else None
        word = str(value).strip().lower()
        return word if word in (NEVER_WORD, MISSING_WORD) else None
    if name == "kelurahan":
        return str(value).strip() if isinstance(value, str | int) and str(value).strip() else None
    if name == "weight":
        return None
    word = str(value).strip().lower()
    return word if word in (*cs.VOCABULARIES[name], MISSING_WORD) else None


# =========================================================================== regions


@dataclass(frozen=True)
class SurveyScope:
    """The desa/kelurahan a survey may name: ``regions`` (``kode, nama, urban``; the row
    position is the group index) and a description used in messages."""

    regions: pd.DataFrame
    scope: str
    scope_id: str


@lru_cache(maxsize=1)
def _national_regions() -> pd.DataFrame:
    wil = load_wilayah()
    leaf = wil[wil["tingkat"].isin(LEAF_LEVELS)].sort_values("kode").reset_index(drop=True)
    return pd.DataFrame(
        {"kode": leaf["kode"], "nama": leaf["nama"], "urban": leaf["tingkat"].eq("kelurahan")}
    )


def survey_scope(city_dir: str | os.PathLike[str] | None = None) -> SurveyScope:
    """Every official desa/kelurahan (urban = kelurahan), or those of a city folder's
    ``regions.csv`` with its ``urban`` flags (raises :class:`InputErrors` if that file is
    bad)."""
    if city_dir is None:
        return SurveyScope(
            _national_regions(),
            "a Kemendagri 2025 desa/kelurahan code",
            "kode desa/kelurahan Kemendagri 2025",
        )
    from sanitasi.io import city_tables as ct
    from sanitasi.io.reference import wilayah_index

    folder = Path(city_dir)
    df, problems = read_table(
        folder / ct.REGIONS, ct.REGIONS, ("kode", "nama", "tingkat"), folder=str(folder)
    )
    if df is None:
        raise InputErrors(problems)
    wil = wilayah_index()
    parsed = ct.parse_regions(df, wil)
    if errors_of(parsed.problems):
        raise InputErrors(parsed.problems)
    full = ct.complete_regions(parsed.df, wil)
    leaf = full[full["tingkat"].isin(LEAF_LEVELS)].sort_values("kode").reset_index(drop=True)
    regions = pd.DataFrame(
        {"kode": leaf["kode"], "nama": leaf["nama"], "urban": leaf["urban"].astype(bool)}
    )
    city = parsed.city or "?"
    return SurveyScope(
        regions,
        f"a kelurahan/desa of {city} in regions.csv",
        f"kelurahan/desa {city} di regions.csv",
    )


def _lookup_table(scope: SurveyScope, mapping: SurveyMapping) -> pd.DataFrame:
    """``key`` -> ``gidx``, ``urban``, ``exact``: dotted and undotted codes and the
    kelurahan codebook of the mapping, as written (``exact``) and trimmed lower-case."""
    reg = scope.regions
    gidx = np.arange(len(reg), dtype=np.int32)
    urban = reg["urban"].to_numpy(dtype=np.int8)
    kode = reg["kode"].astype(str)
    frames = [
        pd.DataFrame({"key": kode, "gidx": gidx, "urban": urban}),
        pd.DataFrame({"key": kode.str.replace(".", "", regex=False), "gidx": gidx, "urban": urban}),
    ]
    spec = mapping.fields.get("kelurahan")
    if spec is not None and spec.exact:
        pos = pd.Series(gidx, index=kode)
        alias = pd.Series(dict(spec.exact), dtype=str)
        target = alias.map(pos)
        ok = target.notna()
        frames.append(
            pd.DataFrame(
                {
                    "key": alias.index[ok.to_numpy()].astype(str),
                    "gidx": target[ok].astype(np.int32).to_numpy(),
                    "urban": urban[target[ok].astype(int).to_numpy()],
                }
            )
        )
    exact = pd.concat(frames, ignore_index=True).drop_duplicates("key", keep="last")
    norm = exact.assign(key=exact["key"].str.strip().str.lower()).drop_duplicates(
        "key", keep="last"
    )
    return pd.concat(
        [exact.assign(exact=True), norm.assign(exact=False)], ignore_index=True
    ).reset_index(drop=True)


def _gidx_of(keys: pd.Series, lookup: pd.DataFrame) -> pd.Series:
    """Group index of raw kelurahan values (exact first, then trimmed lower-case); NaN if
    unknown. The pandas twin of the SQL join in :func:`_joined_sql`."""
    exact = lookup[lookup["exact"]].set_index("key")["gidx"]
    norm = lookup[~lookup["exact"]].set_index("key")["gidx"]
    first = keys.map(exact)
    return first.fillna(keys.str.strip().str.lower().map(norm))


# =========================================================================== reading


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputErrors(
            [
                problem(
                    "SAN-E100",
                    "survey",
                    reason="DuckDB is needed (pip install 'sanitasi[scale]')",
                    reason_id="DuckDB diperlukan (pip install 'sanitasi[scale]')",
                )
            ]
        ) from None
    return duckdb


def connect(memory_limit: str = "1GB", threads: int | None = None) -> Any:
    """An in-memory DuckDB connection tuned for one scan (insertion order not kept)."""
    con = _duckdb().connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _xlsx_frame(path: Path) -> pd.DataFrame:
    """First sheet of an XLSX as text cells (integral numbers without ``.0``)."""
    df = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    df.columns = [str(c).strip() for c in df.columns]

    def text(v: Any) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "isoformat"):
            return str(v.isoformat())
        return str(v)

    out = pd.DataFrame({c: df[c].map(text).astype(object) for c in df.columns})
    return out.dropna(how="all")


def open_source(
    con: Any, path: str | os.PathLike[str], name: str = "src"
) -> dict[str, tuple[str, str]]:
    """Register the survey file as view ``name``; return ``lower(column) -> (column, type)``.

    CSV: every column as text (``all_varchar``); Parquet: native types; XLSX: text cells.
    Raises :class:`InputErrors` (``SAN-E100``) when the file cannot be read.
    """
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    label = p.name
    if fmt is None:
        raise InputErrors(
            [
                problem(
                    "SAN-E100",
                    label,
                    reason=f"unsupported file type {p.suffix!r}; use .csv, .parquet or .xlsx",
                    reason_id=f"jenis berkas {p.suffix!r} tidak didukung; gunakan .csv, .parquet atau .xlsx",
                )
            ]
        )
    if not p.is_file():
        raise InputErrors(
            [
                problem(
                    "SAN-E100", label, reason="file not found", reason_id="berkas tidak ditemukan"
                )
            ]
        )
    try:
        if fmt == "csv":
            con.execute(
                f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_csv({_lit(str(p))}, "
                "all_varchar = true, header = true, encoding = 'utf-8')"
            )
        elif fmt == "parquet":
            con.execute(
                f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({_lit(str(p))})"
            )
        else:
            frame = _xlsx_frame(p)
            con.register(f"{name}_xlsx", frame)
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {name}_xlsx")
        desc = con.execute(f"DESCRIBE {name}").fetchall()
    except InputErrors:
        raise
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputErrors([problem("SAN-E100", label, reason=reason, reason_id=reason)]) from None
    return {str(r[0]).strip().lower(): (str(r[0]), str(r[1]).upper()) for r in desc}


def _base_type(t: str) -> str:
    if t.startswith("DECIMAL"):
        return "DOUBLE"
    return t


def _is_numeric(t: str) -> bool:
    return _base_type(t) in _NUMERIC_TYPES


def _blank(col: str, ctype: str) -> str:
    if _is_numeric(ctype):
        if _base_type(ctype) in _FLOAT_TYPES:
            return f"({col} IS NULL OR isnan({col}))"
        return f"({col} IS NULL)"
    return f"({col} IS NULL OR trim(CAST({col} AS VARCHAR)) = '')"


def _text(col: str) -> str:
    return f"lower(trim(CAST({col} AS VARCHAR)))"


def _number_key(key: str) -> str | None:
    try:
        v = float(key)
    except ValueError:
        return None
    if not math.isfinite(v):
        return None
    return str(int(v)) if v.is_integer() else repr(v)


def _in(col: str, ctype: str, keys: Sequence[str], *, exact: bool = False) -> str | None:
    """SQL test that ``col`` equals one of ``keys``: numbers compare as numbers; text
    trimmed and lower-cased (``exact``: as written, the fast path)."""
    if _is_numeric(ctype):
        nums = sorted({k for k in (_number_key(k) for k in keys) if k is not None})
        return f"{col} IN ({', '.join(nums)})" if nums else None
    target = f"CAST({col} AS VARCHAR)" if exact else _text(col)
    return f"{target} IN ({', '.join(_lit(k) for k in sorted(set(keys)))})"


def _case(
    col: str,
    ctype: str,
    spec: FieldSpec,
    value_of: Any,
    missing: str,
    invalid: str,
    tail: Sequence[str] = (),
) -> str:
    """``CASE`` from a codebook. Blank -> ``missing``; each answer -> ``value_of(target)``;
    ``tail`` WHENs; else ``invalid``. Text columns first try the answers exactly as written
    in the mapping (no per-row string work for clean files), then trimmed and lower-cased."""

    def grouped(codes: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
        groups: dict[str, list[str]] = {}
        for answer, target in codes.items():
            groups.setdefault(value_of(target), []).append(answer)
        return list(groups.items())

    whens = [f"WHEN {_blank(col, ctype)} THEN {missing}"]
    for val, keys in grouped(spec.codes):
        test = _in(col, ctype, keys)
        if test is not None:
            whens.append(f"WHEN {test} THEN {val}")
    slow = f"CASE {' '.join([*whens, *tail])} ELSE {invalid} END"
    if _is_numeric(ctype) or not spec.exact:
        return slow
    fast = [
        f"WHEN {_in(col, ctype, keys, exact=True)} THEN {val}" for val, keys in grouped(spec.exact)
    ]
    return f"CASE {' '.join(fast)} ELSE ({slow}) END"


def _code_sql(col: str, ctype: str, spec: FieldSpec, vocabulary: Sequence[str]) -> str:
    """``TINYINT`` code of a coded answer: vocabulary position, -1 missing, -2 invalid."""

    def value_of(target: Any) -> str:
        return str(cs.MISSING if target == MISSING_WORD else vocabulary.index(target))

    body = _case(col, ctype, spec, value_of, str(cs.MISSING), str(cs.INVALID))
    return f"CAST({body} AS TINYINT)"


def _years_sql(col: str, ctype: str, spec: FieldSpec) -> str:
    """``DOUBLE`` years since the last emptying: NULL blank/missing, inf never, -2 invalid."""

    def value_of(target: Any) -> str:
        if target == MISSING_WORD:
            return "NULL"
        if target == NEVER_WORD or target == math.inf:
            return "CAST('inf' AS DOUBLE)"
        return repr(float(target))

    tail: list[str] = []
    if spec.kind in ("years", "months"):
        num = (
            f"CAST({col} AS DOUBLE)"
            if _is_numeric(ctype)
            else f"TRY_CAST(trim(CAST({col} AS VARCHAR)) AS DOUBLE)"
        )
        scale = " / 12.0" if spec.kind == "months" else ""
        tail.append(f"WHEN {num} >= 0 THEN {num}{scale}")
    body = _case(col, ctype, spec, value_of, "NULL", str(float(cs.INVALID)), tail)
    return f"CAST({body} AS DOUBLE)"


def _weight_sql(col: str, ctype: str) -> str:
    """``DOUBLE`` weight, NULL when blank, not a number, not finite or not > 0."""
    num = (
        f"CAST({col} AS DOUBLE)"
        if _is_numeric(ctype)
        else f"TRY_CAST(trim(CAST({col} AS VARCHAR)) AS DOUBLE)"
    )
    return f"(CASE WHEN {num} > 0 AND isfinite({num}) THEN {num} END)"


def rung_case_sql(rules: cs.SurveyRules, urban: str = "urb") -> str:
    """The ladder rules of :func:`sanitasi.core.survey.classify_codes` as a SQL ``CASE`` over
    columns ``t, u, d, y, urb`` (codes as in the core; ``y`` NULL when blank, ``urb`` NULL
    when unknown) giving the ladder code (6 = unknown). Tested equal to the numpy rules on
    every combination of codes."""
    T = {v: i for i, v in enumerate(cs.TOILET)}
    U = {v: i for i, v in enumerate(cs.USE)}
    D = {v: i for i, v in enumerate(cs.DISPOSAL)}
    R = cs.RUNG_CODE
    inv = cs.INVALID
    public = f"(u = {U['public']} OR t = {T['public']})"
    known = f"({public} OR (u >= 0 AND t >= 0))"
    goose = f"(t = {T['gooseneck']} AND u >= 0 AND u <= {U['communal']})"
    improved = f"(d = {D['septic']} OR d = {D['sewer']} OR (d = {D['pit']} AND {urban} = 0))"
    window = repr(float(rules.window_years))
    return (
        "CAST(CASE "
        f"WHEN t = {inv} OR u = {inv} OR d = {inv} OR {urban} = {inv} OR y = {inv} THEN {cs.UNKNOWN_CODE} "
        f"WHEN u = {U['none']} OR (t = {T['none']} AND u <> {U['public']}) THEN {R['babs_terbuka']} "
        f"WHEN {known} AND d = {D['open']} THEN {R['babs_tertutup']} "
        f"WHEN {public} OR ({known} AND t = {T['non_gooseneck']}) "
        f"OR ({goose} AND d = {D['pit']} AND {urban} = 1) THEN {R['belum_layak']} "
        f"WHEN {goose} AND d = {D['unknown']} THEN {R[rules.unknown_disposal]} "
        f"WHEN {goose} AND u <> {U['own']} AND {improved} THEN {R['layak_bersama']} "
        f"WHEN {goose} AND u = {U['own']} AND (d = {D['sewer']} OR (d = {D['septic']} AND y <= {window})) "
        f"THEN {R['aman']} "
        f"WHEN {goose} AND u = {U['own']} AND {improved} THEN {R['layak_sendiri']} "
        f"ELSE {cs.UNKNOWN_CODE} END AS TINYINT)"
    )


@dataclass(frozen=True)
class _Plan:
    """The resolved columns of one survey file and the SQL of its normalised relation."""

    normalised: str  # SELECT producing t,u,d,y,uc,w,ws,kraw from src
    with_raw: str  # the same plus raw_<field> (text) for the issues table
    columns: Mapping[str, str]  # field -> actual column name in the file
    absent: tuple[str, ...]  # optional fields whose column is absent
    has_waste: bool
    problems: tuple[Problem, ...]


def _plan(cols: Mapping[str, tuple[str, str]], mapping: SurveyMapping, label: str) -> _Plan:
    problems: list[Problem] = []
    found = ", ".join(c for c, _ in cols.values())
    resolved: dict[str, tuple[str, str]] = {}
    absent: list[str] = []
    for name, spec in mapping.fields.items():
        hit = cols.get(spec.column.strip().lower())
        if hit is not None:
            resolved[name] = hit
            continue
        if spec.optional:
            absent.append(name)
            problems.append(
                problem(
                    "SAN-W186",
                    label,
                    1,
                    spec.column,
                    field=name,
                    effect=_ABSENT_EFFECT[name][0],
                    effect_id=_ABSENT_EFFECT[name][1],
                )
            )
        else:
            problems.append(
                problem("SAN-E104", label, 1, spec.column, field=name, found=found or "none")
            )
    if errors_of(problems):
        return _Plan("", "", {}, tuple(absent), False, tuple(problems))
    sel: list[str] = []
    for name, vocab in (("toilet", cs.TOILET), ("use", cs.USE), ("disposal", cs.DISPOSAL)):
        col, ctype = resolved[name]
        sel.append(f"{_code_sql(_q(col), ctype, mapping.fields[name], vocab)} AS {name[0]}")
    if "desludging" in resolved:
        col, ctype = resolved["desludging"]
        sel.append(f"{_years_sql(_q(col), ctype, mapping.fields['desludging'])} AS y")
    else:
        sel.append("CAST(NULL AS DOUBLE) AS y")
    if "urban" in resolved:
        col, ctype = resolved["urban"]
        sel.append(f"{_code_sql(_q(col), ctype, mapping.fields['urban'], cs.URBAN)} AS uc")
    else:
        sel.append(f"CAST({cs.MISSING} AS TINYINT) AS uc")
    if "weight" in resolved:
        col, ctype = resolved["weight"]
        sel.append(f"{_weight_sql(_q(col), ctype)} AS w")
    else:
        sel.append("CAST(1.0 AS DOUBLE) AS w")
    has_waste = "waste" in resolved
    if has_waste:
        col, ctype = resolved["waste"]
        sel.append(f"{_code_sql(_q(col), ctype, mapping.fields['waste'], cs.WASTE)} AS ws")
    else:
        sel.append(f"CAST({cs.MISSING} AS TINYINT) AS ws")
    kcol, _ = resolved["kelurahan"]
    sel.append(f"CAST({_q(kcol)} AS VARCHAR) AS kraw")
    raw = [f"CAST({_q(col)} AS VARCHAR) AS raw_{name}" for name, (col, _) in resolved.items()]
    return _Plan(
        "SELECT " + ", ".join(sel) + " FROM src",
        "SELECT " + ", ".join(sel + raw) + " FROM src",
        {k: v[0] for k, v in resolved.items()},
        tuple(absent),
        has_waste,
        tuple(problems),
    )


_ABSENT_EFFECT: dict[str, tuple[str, str]] = {
    "weight": ("every household weighs 1", "setiap rumah tangga berbobot 1"),
    "desludging": (
        "no septic tank counts as emptied: aman comes only from sewers",
        "tidak ada tangki septik yang dihitung sudah dikuras: aman hanya dari SPALD-T",
    ),
    "urban": (
        "urban/rural comes from the regions (kelurahan = urban, desa = rural unless regions.csv says)",
        "perkotaan/perdesaan diambil dari wilayah (kelurahan = kota, desa = desa kecuali regions.csv)",
    ),
    "waste": ("no waste-practice shares", "tidak ada persentase praktik sampah"),
}


def _joined_sql(plan: _Plan, rules: cs.SurveyRules, *, raw: bool = False) -> str:
    """Normalised rows joined to the kelurahan lookup (exact value first; the trimmed
    lower-case value only for rows that missed), with the SQL rung and waste category."""
    nw = len(cs.WASTE)
    return (
        f"WITH n AS ({plan.with_raw if raw else plan.normalised}), "
        "j AS (SELECT n.*, coalesce(l1.gidx, l2.gidx) AS gidx, "
        "CASE WHEN n.uc = -1 THEN coalesce(l1.urban, l2.urban) ELSE n.uc END AS urb "
        "FROM n LEFT JOIN lookup_exact l1 ON n.kraw = l1.key "
        "LEFT JOIN lookup_norm l2 "
        "ON (CASE WHEN l1.gidx IS NULL THEN lower(trim(n.kraw)) END) = l2.key) "
        "SELECT j.*, "
        f"CASE WHEN w IS NULL THEN {cs.UNKNOWN_CODE} ELSE {rung_case_sql(rules)} END AS rung, "
        f"CASE WHEN w IS NULL OR ws < 0 THEN {nw} ELSE ws END AS wcat "
        "FROM j"
    )


def _register_lookup(con: Any, lookup: pd.DataFrame) -> None:
    for name, flag in (("lookup_exact", True), ("lookup_norm", False)):
        con.register(name, lookup.loc[lookup["exact"].eq(flag), ["key", "gidx", "urban"]])


# =========================================================================== result


@dataclass(frozen=True)
class SurveyResult:
    """Per-kelurahan survey results and everything that was not counted.

    ``shares``: one row per surveyed kelurahan (``kode, nama, urban, n, n_unknown,
    weight_sum, n_eff, below_min, n_<rung>, pct_<rung>, pct_<rung>_low, pct_<rung>_high``;
    see :func:`sanitasi.core.survey.shares_from_sums`); ``waste``: the same for the waste
    practice (``None`` when the file has no waste column); ``issues``: ``field, column,
    value, count, code, rule, rule_id`` (invalid answers, blanks, unknown kelurahan,
    weights, blank desludging); ``totals``: ``rows, classified, unknown,
    unknown_kelurahan``.
    """

    file: str
    mapping: SurveyMapping
    rules: cs.SurveyRules
    shares: pd.DataFrame
    waste: pd.DataFrame | None
    issues: pd.DataFrame
    totals: Mapping[str, int]
    engine: str
    year: int | None = None
    notes: tuple[Problem, ...] = ()

    @property
    def problems(self) -> list[Problem]:
        """Issues, column notes and the kelurahan below the EHRA minimum as problems."""
        out = list(self.notes)
        for rec in self.issues.to_dict("records"):
            out.append(
                Problem(
                    code=rec["code"],
                    file=self.file,
                    row=None,
                    column=rec["column"],
                    value=rec["value"],
                    rule=rec["rule"],
                    message_id=rec["rule_id"],
                    severity=rec.get("severity", "warning"),
                )
            )
        small = self.shares[self.shares["below_min"]]
        for kode, n in zip(small["kode"], small["n"], strict=True):
            out.append(
                problem(
                    "SAN-W185",
                    self.file,
                    None,
                    "kelurahan",
                    kode,
                    n=int(n),
                    min=self.rules.min_households,
                )
            )
        return out


def _empty_issues() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "field": pd.Series(dtype=str),
            "column": pd.Series(dtype=str),
            "value": pd.Series(dtype=str),
            "count": pd.Series(dtype="int64"),
            "code": pd.Series(dtype=str),
            "rule": pd.Series(dtype=str),
            "rule_id": pd.Series(dtype=str),
        }
    )


_FIELD_ORDER = {name: i for i, name in enumerate(["kelurahan", "weight", *LADDER_FIELDS, "waste"])}


def _issue_sql(plan: _Plan) -> tuple[str, str]:
    """``(condition, struct)``: which households go into the issues table, and per field
    its state (``invalid``, ``missing``, ``blank_septic``, ``weight``, ``kelurahan``) and
    value. Grouped by the struct, so only distinct problem combinations come out."""
    entries = []
    inv_ladder = " OR ".join(f"{c} = {cs.INVALID}" for c in ("t", "u", "d", "uc"))
    inv_ladder += f" OR coalesce(y = {cs.INVALID}, false)"  # y is NULL when blank
    clean = f"NOT ({inv_ladder}) AND w IS NOT NULL AND gidx IS NOT NULL"
    states: dict[str, str] = {}
    for name, short in (("toilet", "t"), ("use", "u"), ("disposal", "d"), ("urban", "uc")):
        if name in plan.columns:
            states[name] = (
                f"CASE WHEN {short} = {cs.INVALID} THEN 'invalid' "
                f"WHEN {short} = {cs.MISSING} AND rung = {cs.UNKNOWN_CODE} AND {clean} "
                f"{'AND urb IS NULL ' if name == 'urban' else ''}THEN 'missing' END"
            )
    if "desludging" in plan.columns:
        states["desludging"] = (
            f"CASE WHEN y = {cs.INVALID} THEN 'invalid' "
            f"WHEN y IS NULL AND rung = {cs.RUNG_CODE['layak_sendiri']} AND d = 0 "
            "THEN 'blank_septic' END"
        )
    if "weight" in plan.columns:
        states["weight"] = "CASE WHEN w IS NULL THEN 'weight' END"
    states["kelurahan"] = "CASE WHEN gidx IS NULL THEN 'kelurahan' END"
    if plan.has_waste:
        states["waste"] = f"CASE WHEN ws = {cs.INVALID} THEN 'invalid' END"
    for name, state in states.items():
        entries.append(f"'{name}': {state}")
        entries.append(f"'{name}__v': CASE WHEN ({state}) IS NOT NULL THEN raw_{name} END")
    cond = (
        f"rung = {cs.UNKNOWN_CODE} OR gidx IS NULL OR ws = {cs.INVALID} OR "
        f"(y IS NULL AND rung = {cs.RUNG_CODE['layak_sendiri']} AND d = 0)"
    )
    return cond, "{" + ", ".join(entries) + "}"


def _expand_issues(groups: pd.DataFrame) -> pd.DataFrame:
    """``issue`` structs (dicts) with counts ``n`` -> ``field, value, state, count``."""
    rows = []
    for issue, n in zip(groups["issue"], groups["n"], strict=True):
        for key, state in issue.items():
            if key.endswith("__v") or state is None:
                continue
            value = issue.get(f"{key}__v")
            rows.append((key, "" if value is None else str(value), state, int(n)))
    df = pd.DataFrame(rows, columns=["field", "value", "state", "count"])
    return _sum_issues(df)


def _sum_issues(df: pd.DataFrame) -> pd.DataFrame:
    out = df.groupby(["field", "value", "state"], as_index=False, sort=False)[["count"]].sum()
    return pd.DataFrame(out)


def _issue_rows(
    raw: pd.DataFrame, plan: _Plan, scope: SurveyScope, mapping_name: str
) -> pd.DataFrame:
    if raw.empty:
        return _empty_issues()
    rows = []
    for rec in raw.to_dict("records"):
        name, state, value, count = rec["field"], rec["state"], str(rec["value"]), int(rec["count"])
        column = plan.columns.get(name, name)
        if state == "invalid":
            if name == "waste":
                eff = (
                    "they are left out of the waste-practice shares only",
                    "tidak dihitung hanya dalam persentase praktik sampah",
                )
            else:
                eff = (
                    "they are classified unknown and left out of the shares",
                    "digolongkan unknown dan tidak dihitung dalam persentase",
                )
            p = problem(
                "SAN-W180",
                "",
                None,
                column,
                value,
                count=count,
                field=name,
                effect=eff[0],
                effect_id=eff[1],
            )
        elif state == "missing":
            p = problem("SAN-W181", "", None, column, value, count=count, field=name)
        elif state == "blank_septic":
            p = problem("SAN-W184", "", None, column, value, count=count, field=name)
        elif state == "weight":
            p = problem("SAN-W183", "", None, column, value, count=count)
        else:
            p = problem(
                "SAN-W182",
                "",
                None,
                column,
                value,
                count=count,
                scope=scope.scope,
                scope_id=scope.scope_id,
            )
        rows.append(
            dict(
                field=name,
                column=column,
                value=value,
                count=count,
                code=p.code,
                rule=p.rule,
                rule_id=p.message_id,
            )
        )
    out = pd.DataFrame(rows)
    out["_o"] = out["field"].map(_FIELD_ORDER)
    out = out.sort_values(["_o", "count", "value"], ascending=[True, False, True], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


def read_survey(
    path: str | os.PathLike[str],
    mapping: SurveyMapping | str | os.PathLike[str] | None = None,
    *,
    params: ParameterSet | None = None,
    rules: cs.SurveyRules | None = None,
    city_dir: str | os.PathLike[str] | None = None,
    scope: SurveyScope | None = None,
    year: int | None = None,
    engine: str = "numpy",
    strict: bool = False,
    memory_limit: str = "1GB",
    threads: int | None = None,
    batch_rows: int = 1 << 20,
) -> SurveyResult:
    """Read, classify and aggregate a household survey file (see the module docstring).

    ``mapping``: a :class:`SurveyMapping`, a mapping path or name (default EHRA);
    ``params``: parameters (default: the reference ``parameters.csv``) giving
    ``aman_desludging_window_years`` and ``ehra_sample_households_per_kelurahan`` (or give
    ``rules``); ``city_dir``: restrict kelurahan to the city's ``regions.csv`` (and take its
    urban flags), else every official desa/kelurahan; ``year``: the survey year (used by
    :func:`apply_survey`); ``engine``: ``numpy`` (default, faster: Arrow batches into the
    core rules) or ``sql`` (DuckDB ``CASE`` and ``GROUP BY``); both give the same result. Raises :class:`InputErrors` for
    an unreadable file or mapping, a missing column, or (``strict``) any issue.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    m = mapping if isinstance(mapping, SurveyMapping) else load_mapping(mapping)
    r = rules or cs.SurveyRules.from_params(params if params is not None else load_parameters())
    sc = scope or survey_scope(city_dir)
    label = Path(path).name
    con = connect(memory_limit, threads)
    try:
        cols = open_source(con, path)
        plan = _plan(cols, m, label)
        if errors_of(plan.problems):
            raise InputErrors(plan.problems)
        lookup = _lookup_table(sc, m)
        n_groups = len(sc.regions)
        if engine == "numpy":
            sums, wsums, extra, raw_issues = _sums_numpy(
                Path(path), con, plan, m, sc, lookup, r, batch_rows
            )
        else:
            _register_lookup(con, lookup)
            con.execute(f"CREATE OR REPLACE VIEW c AS {_joined_sql(plan, r)}")
            sums, wsums, extra = _sums_sql(con, plan, n_groups)
            raw_issues = pd.DataFrame()
            if extra["issues"]:
                # the issues table needs the raw answers: a second scan, only when needed
                con.execute(f"CREATE OR REPLACE VIEW c_raw AS {_joined_sql(plan, r, raw=True)}")
                cond, struct = _issue_sql(plan)
                groups = con.execute(
                    f"SELECT issue, count(*) AS n FROM (SELECT {struct} AS issue FROM c_raw "
                    f"WHERE {cond}) GROUP BY issue"
                ).fetchdf()
                raw_issues = _expand_issues(groups)
    finally:
        con.close()
    issues = _issue_rows(raw_issues, plan, sc, m.name)
    shares = _shares_table(sums, sc, r, RUNGS)
    waste = _shares_table(wsums, sc, r, cs.WASTE) if plan.has_waste and wsums is not None else None
    totals = {
        "rows": int(extra["rows"]),
        "classified": int(shares["n"].sum()) if len(shares) else 0,
        "unknown": int(extra["unknown"]),
        "unknown_kelurahan": int(extra["unknown_kelurahan"]),
    }
    result = SurveyResult(
        file=label,
        mapping=m,
        rules=r,
        shares=shares,
        waste=waste,
        issues=issues,
        totals=totals,
        engine=engine,
        year=year,
        notes=plan.problems,
    )
    if strict and (len(issues) or plan.problems):
        raise InputErrors(
            [replace(p, severity=ERROR) for p in result.problems if p.code != "SAN-W185"]
        )
    return result


def _shares_table(
    sums: cs.GroupSums, sc: SurveyScope, rules: cs.SurveyRules, cats: Sequence[str]
) -> pd.DataFrame:
    present = np.flatnonzero(sums.count.sum(axis=1) > 0)
    sub = cs.GroupSums(sums.count[present], sums.w[present], sums.w2[present])
    reg = sc.regions.iloc[present]
    table = cs.shares_from_sums(sub, reg["kode"].to_numpy(), cats, rules=rules)
    table.index.name = "kode"
    table = table.reset_index()
    table.insert(1, "nama", reg["nama"].to_numpy())
    table.insert(2, "urban", reg["urban"].to_numpy(dtype=bool))
    return table


def _sums_sql(
    con: Any, plan: _Plan, n_groups: int
) -> tuple[cs.GroupSums, cs.GroupSums | None, dict[str, int]]:
    """One DuckDB scan and ``GROUP BY`` on the integer key ``gidx * 7 + rung`` (``-1``: an
    unknown kelurahan): households, sum of weights and of squared weights per rung, and per
    waste category as filtered aggregates (added up over the rungs afterwards)."""
    k = len(cs.LADDER)
    kw = len(cs.WASTE) + 1
    waste = ""
    if plan.has_waste:
        waste = "".join(
            f", count(*) FILTER (wcat = {c}) AS n_w{c}, sum(w) FILTER (wcat = {c}) AS w_w{c}, "
            f"sum(w * w) FILTER (wcat = {c}) AS w2_w{c}"
            for c in range(kw)
        )
    issue = (
        f"count(*) FILTER (ws = {cs.INVALID} OR (y IS NULL AND d = 0 "
        f"AND rung = {cs.RUNG_CODE['layak_sendiri']})) AS issues"
    )
    df = con.execute(
        f"SELECT CASE WHEN gidx IS NULL THEN -1 ELSE gidx * {k} + rung END AS lk, "
        f"count(*) AS n, sum(w) AS w, sum(w * w) AS w2, {issue}{waste} FROM c GROUP BY lk"
    ).fetchdf()
    known = df[df["lk"] >= 0]
    unknown = int(known.loc[known["lk"] % k == cs.UNKNOWN_CODE, "n"].sum())
    unknown_kel = int(df.loc[df["lk"] < 0, "n"].sum())
    extra = {
        "rows": int(df["n"].sum()),
        "unknown_kelurahan": unknown_kel,
        "unknown": unknown,
        "issues": int(df["issues"].sum()) + unknown + unknown_kel,
    }
    sums = _to_sums(known, "lk", n_groups, k)
    wsums = None
    if plan.has_waste:
        g = (known["lk"] // k).to_numpy(dtype=np.int64)
        parts = []
        for c in range(kw):
            part = pd.DataFrame(
                {
                    "key": g * kw + c,
                    "n": known[f"n_w{c}"].to_numpy(),
                    "w": known[f"w_w{c}"].to_numpy(),
                    "w2": known[f"w2_w{c}"].to_numpy(),
                }
            )
            parts.append(part)
        was = pd.concat(parts).groupby("key", as_index=False).sum()
        wsums = _to_sums(was, "key", n_groups, kw)
    return sums, wsums, extra


def _to_sums(df: pd.DataFrame, key: str, n_groups: int, n_cat: int) -> cs.GroupSums:
    """Dense :class:`GroupSums` from aggregated rows keyed ``group * n_cat + category``."""
    size = n_groups * n_cat
    keys = df[key].to_numpy(dtype=np.int64)
    count = np.zeros(size, dtype=np.int64)
    w = np.zeros(size)
    w2 = np.zeros(size)
    count[keys] = df["n"].to_numpy(dtype=np.int64)
    w[keys] = df["w"].fillna(0.0).to_numpy(dtype=float)
    w2[keys] = df["w2"].fillna(0.0).to_numpy(dtype=float)
    shape = (n_groups, n_cat)
    return cs.GroupSums(count.reshape(shape), w.reshape(shape), w2.reshape(shape))


# --------------------------------------------------------------------------- numpy engine
# Arrow record batches -> normalised codes per *distinct* value (dictionary level, the
# Python twin of the SQL CASE of :func:`_case`) -> numpy gather -> core rules -> bincount.
# The issues table comes from counts per dictionary entry: no second scan.


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$", re.I)


def _value_text(v: Any) -> str:
    """A value as DuckDB's ``CAST(x AS VARCHAR)`` writes it (None -> "")."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return str(v)


def _to_float(text: str) -> float | None:
    """``TRY_CAST(trim(text) AS DOUBLE)``: a number or None."""
    t = text.strip(" ")
    return float(t) if _NUMBER.match(t) else None


def _blank_value(v: Any, numeric: bool) -> bool:
    if v is None:
        return True
    if numeric:
        return isinstance(v, float) and math.isnan(v)
    return _value_text(v).strip(" ") == ""


def _targets(spec: FieldSpec, values: Sequence[Any], numeric: bool) -> list[Any]:
    """Codebook target of each distinct value: a target, ``missing`` (blank) or None
    (invalid); the years kinds parse numbers after the codebook, as the SQL does."""
    num_keys: dict[float, Any] = {}
    if numeric:
        for k, t in spec.codes.items():
            nk = _number_key(k)
            if nk is not None:
                num_keys[float(nk)] = t
    out: list[Any] = []
    for v in values:
        if _blank_value(v, numeric):
            out.append(MISSING_WORD)
            continue
        if numeric:
            hit = num_keys.get(float(v))
        else:
            text = _value_text(v)
            hit = spec.exact.get(text)
            if hit is None:
                hit = spec.codes.get(text.strip(" ").lower())
        if hit is None and spec.kind in ("years", "months"):
            x = float(v) if numeric else _to_float(_value_text(v))
            if x is not None and x >= 0:
                hit = x / 12.0 if spec.kind == "months" else x
        out.append(hit)
    return out


def _field_values(name: str, spec: FieldSpec, values: Sequence[Any], numeric: bool) -> np.ndarray:
    """Normalised value per distinct value, plus a last entry for null (blank)."""
    targets = [*_targets(spec, values, numeric), MISSING_WORD]
    if name == "desludging":
        return np.array(
            [
                np.nan
                if t == MISSING_WORD
                else math.inf
                if t == NEVER_WORD
                else float(cs.INVALID)
                if t is None
                else float(t)
                for t in targets
            ],
            dtype=float,
        )
    vocab = cs.VOCABULARIES[name]
    return np.array(
        [
            cs.MISSING if t == MISSING_WORD else cs.INVALID if t is None else vocab.index(t)
            for t in targets
        ],
        dtype=np.int8,
    )


def _weight_values(values: Sequence[Any], numeric: bool) -> np.ndarray:
    out = []
    for v in [*values, None]:
        x = None if v is None else (float(v) if numeric else _to_float(_value_text(v)))
        out.append(x if x is not None and math.isfinite(x) and x > 0 else np.nan)
    return np.array(out, dtype=float)


def _dictionary(arr: Any) -> tuple[np.ndarray, list[Any], bool]:
    """``(indices with nulls -> len(dictionary), distinct values, numeric)`` of an array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(arr.type):
        if pa.types.is_string_view(arr.type) or pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.string())
        arr = pc.dictionary_encode(arr)
    values = arr.dictionary
    vt = values.type
    numeric = pa.types.is_integer(vt) or pa.types.is_floating(vt) or pa.types.is_decimal(vt)
    idx = pc.fill_null(arr.indices, len(values)).to_numpy(zero_copy_only=False)
    pyvals = values.to_pylist()
    if pa.types.is_decimal(vt):
        pyvals = [None if v is None else float(v) for v in pyvals]
    return idx.astype(np.int64, copy=False), pyvals, numeric


class _Issues:
    """Counts of ``(field, value, state)`` accumulated per dictionary entry."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str], int] = {}

    def add(
        self, name: str, idx: np.ndarray, values: Sequence[Any], mask: np.ndarray, state: str
    ) -> None:
        if not mask.any():
            return
        counts = np.bincount(idx[mask], minlength=len(values) + 1)
        for i in np.flatnonzero(counts):
            text = _value_text(values[int(i)]) if i < len(values) else ""
            key = (name, text, state)
            self.counts[key] = self.counts.get(key, 0) + int(counts[i])

    def frame(self) -> pd.DataFrame:
        rows = [(f, v, s, n) for (f, v, s), n in self.counts.items()]
        return pd.DataFrame(rows, columns=["field", "value", "state", "count"])


def _arrow_reader(path: Path, con: Any, plan: _Plan, batch_rows: int) -> Iterator[Any]:
    """Record batches of the mapped columns: Parquet through Arrow's reader with string
    columns kept as dictionaries; CSV and XLSX through DuckDB's reader."""
    cols = list(dict.fromkeys(plan.columns.values()))
    if FORMATS.get(path.suffix.lower()) == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(str(path))
        strings = [c for c in cols if pa.types.is_string(schema.field(c).type)]
        pf = pq.ParquetFile(str(path), read_dictionary=strings)
        yield from pf.iter_batches(batch_size=batch_rows, columns=cols, use_threads=True)
        return
    select = ", ".join(_q(c) for c in cols)
    rel = con.sql(f"SELECT {select} FROM src")
    # DuckDB 2 names it to_arrow_reader; 1.x record_batch.
    fetch = getattr(rel, "to_arrow_reader", None) or rel.record_batch
    yield from fetch(batch_rows)


def _prefetch(it: Iterator[Any]) -> Iterator[Any]:
    """Read the next batch in a thread while the current one is computed (Arrow's reader
    releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        fut = pool.submit(next, it, None)
        while True:
            batch = fut.result()
            if batch is None:
                return
            fut = pool.submit(next, it, None)
            yield batch


def _sums_numpy(
    path: Path,
    con: Any,
    plan: _Plan,
    mapping: SurveyMapping,
    scope: SurveyScope,
    lookup: pd.DataFrame,
    rules: cs.SurveyRules,
    batch_rows: int,
) -> tuple[cs.GroupSums, cs.GroupSums | None, dict[str, int], pd.DataFrame]:
    """Sums, waste sums, counts and issue counts from Arrow batches (numpy engine)."""
    n_groups = len(scope.regions)
    k = len(cs.LADDER)
    kw = len(cs.WASTE) + 1
    region_urban = np.append(scope.regions["urban"].to_numpy(dtype=np.int8), cs.MISSING)
    sums = cs.GroupSums(
        np.zeros((n_groups, k), np.int64), np.zeros((n_groups, k)), np.zeros((n_groups, k))
    )
    wsums = cs.GroupSums(
        np.zeros((n_groups, kw), np.int64), np.zeros((n_groups, kw)), np.zeros((n_groups, kw))
    )
    extra = dict(rows=0, unknown=0, unknown_kelurahan=0, issues=0)
    issues = _Issues()
    cache: dict[str, tuple[Any, np.ndarray]] = {}

    def mapped(name: str, arr: Any) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        idx, values, numeric = _dictionary(arr)
        hit = cache.get(name)
        if hit is not None and hit[0] == (values, numeric):
            table = hit[1]
        else:
            if name == "kelurahan":
                keys = pd.Series([_value_text(v) for v in values], dtype=object)
                g = _gidx_of(keys.astype("string").fillna(""), lookup)
                table = np.append(g.fillna(-1).to_numpy(dtype=np.int64), -1)
                # a null kelurahan: blank, unknown
            elif name == "weight":
                table = _weight_values(values, numeric)
            else:
                table = _field_values(name, mapping.fields[name], values, numeric)
            cache[name] = ((values, numeric), table)
        return table[idx], idx, values

    reader = _arrow_reader(path, con, plan, batch_rows)
    for batch in _prefetch(iter(reader)):
        n = batch.num_rows
        cols = {name: batch.column(col) for name, col in plan.columns.items()}
        got: dict[str, tuple[np.ndarray, np.ndarray, list[Any]]] = {}
        for name, arr in cols.items():
            if name == "weight":
                import pyarrow as pa

                if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
                    w = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=float)
                    w = np.where(np.isfinite(w) & (w > 0), w, np.nan)
                    got[name] = (w, np.zeros(0, np.int64), [])
                    continue
            got[name] = mapped(name, arr)
        t = got["toilet"][0]
        u = got["use"][0]
        d = got["disposal"][0]
        y = got["desludging"][0] if "desludging" in got else np.full(n, np.nan)
        uc = got["urban"][0] if "urban" in got else np.full(n, cs.MISSING, np.int8)
        w = got["weight"][0] if "weight" in got else np.ones(n)
        ws = got["waste"][0] if "waste" in got else np.full(n, cs.MISSING, np.int8)
        g = got["kelurahan"][0]
        urb = np.where(uc == cs.MISSING, region_urban[g], uc).astype(np.int8)
        rung = cs.classify_codes(t, u, d, y, urb, rules)
        bad_w = np.isnan(w)
        rung[bad_w] = cs.UNKNOWN_CODE
        w0 = np.where(bad_w, 0.0, w)
        sums = sums + cs.group_sums(rung, w0, g, n_groups, k)
        if plan.has_waste:
            wcat = np.where(bad_w | (ws < 0), kw - 1, ws)
            wsums = wsums + cs.group_sums(wcat, w0, g, n_groups, kw)
        unknown_g = g < 0
        unknown_rung = rung == cs.UNKNOWN_CODE
        blank_septic = np.isnan(y) & (d == 0) & (rung == cs.RUNG_CODE["layak_sendiri"])
        extra["rows"] += n
        extra["unknown_kelurahan"] += int(unknown_g.sum())
        extra["unknown"] += int((~unknown_g & unknown_rung).sum())
        flagged = unknown_g | unknown_rung | (ws == cs.INVALID) | blank_septic
        if not flagged.any():
            continue
        extra["issues"] += int(flagged.sum())
        invalid_any = (t == cs.INVALID) | (u == cs.INVALID) | (d == cs.INVALID)
        invalid_any |= (uc == cs.INVALID) | (y == cs.INVALID)
        clean = ~invalid_any & ~bad_w & ~unknown_g
        for name, codes in (("toilet", t), ("use", u), ("disposal", d), ("urban", uc)):
            if name not in got:
                continue
            _, idx, values = got[name]
            issues.add(name, idx, values, codes == cs.INVALID, "invalid")
            if name != "urban":
                missing = (codes == cs.MISSING) & unknown_rung & clean
                issues.add(name, idx, values, missing, "missing")
        if "desludging" in got:
            _, idx, values = got["desludging"]
            issues.add("desludging", idx, values, y == cs.INVALID, "invalid")
            issues.add("desludging", idx, values, blank_septic, "blank_septic")
        if "weight" in got:
            wv, idx, values = got["weight"]
            if len(idx):
                issues.add("weight", idx, values, bad_w, "weight")
            elif bad_w.any():
                raw = np.asarray(cols["weight"].to_numpy(zero_copy_only=False), dtype=float)
                nulls = np.asarray(cols["weight"].is_null().to_numpy(zero_copy_only=False))
                vals = [
                    None if nl else float(x) for x, nl in zip(raw[bad_w], nulls[bad_w], strict=True)
                ]
                texts = pd.Series([_value_text(v) for v in vals]).value_counts()
                for text, cnt in texts.items():
                    key = ("weight", str(text), "weight")
                    issues.counts[key] = issues.counts.get(key, 0) + int(cnt)
        _, idx, values = got["kelurahan"]
        issues.add("kelurahan", idx, values, unknown_g, "kelurahan")
        if plan.has_waste:
            _, idx, values = got["waste"]
            issues.add("waste", idx, values, ws == cs.INVALID, "invalid")
    return sums, (wsums if plan.has_waste else None), extra, _sum_issues(issues.frame())


def classify_file(
    path: str | os.PathLike[str],
    mapping: SurveyMapping | str | os.PathLike[str] | None = None,
    *,
    params: ParameterSet | None = None,
    rules: cs.SurveyRules | None = None,
    city_dir: str | os.PathLike[str] | None = None,
    scope: SurveyScope | None = None,
) -> pd.DataFrame:
    """Household-level table of a (small) survey file in file order: ``kode`` (``""`` when
    unknown), the raw answers (``raw_<field>``), the normalised codes as labels
    (``toilet, use, disposal, urban, waste``; ``missing``/``invalid``), ``years``,
    ``weight`` (NaN when invalid) and ``rung`` (numpy rules; invalid weight = unknown)."""
    m = mapping if isinstance(mapping, SurveyMapping) else load_mapping(mapping)
    r = rules or cs.SurveyRules.from_params(params if params is not None else load_parameters())
    sc = scope or survey_scope(city_dir)
    con = _duckdb().connect(":memory:")
    try:
        cols = open_source(con, path)
        plan = _plan(cols, m, Path(path).name)
        if errors_of(plan.problems):
            raise InputErrors(plan.problems)
        df = con.execute(plan.with_raw).fetchdf()
    finally:
        con.close()
    g = _gidx_of(df["kraw"].astype("string").fillna(""), _lookup_table(sc, m))
    region_urban = g.map(pd.Series(sc.regions["urban"].to_numpy(dtype=np.int8)))
    uc = df["uc"].to_numpy(dtype=np.int8)
    urb = np.where(uc == cs.MISSING, region_urban.fillna(cs.MISSING).to_numpy(), uc).astype(np.int8)
    w = df["w"].to_numpy(dtype=float)
    rung = cs.classify_codes(
        df["t"].to_numpy(np.int8),
        df["u"].to_numpy(np.int8),
        df["d"].to_numpy(np.int8),
        df["y"].to_numpy(dtype=float),
        urb,
        r,
    )
    rung[np.isnan(w)] = cs.UNKNOWN_CODE
    out = pd.DataFrame({"kode": g.map(pd.Series(sc.regions["kode"].to_numpy())).fillna("")})
    for name in plan.columns:
        out[f"raw_{name}"] = df[f"raw_{name}"]
    for name, short, vocab in (
        ("toilet", "t", cs.TOILET),
        ("use", "u", cs.USE),
        ("disposal", "d", cs.DISPOSAL),
        ("waste", "ws", cs.WASTE),
    ):
        out[name] = _labels(df[short].to_numpy(), vocab)
    out["urban"] = _labels(urb, cs.URBAN)
    out["years"] = df["y"].to_numpy(dtype=float)
    out["weight"] = w
    out["rung"] = cs.ladder_categorical(rung).to_numpy()
    return out


def _labels(codes: np.ndarray, vocab: Sequence[str]) -> np.ndarray:
    words = np.array([*vocab, "invalid", "missing"], dtype=object)
    idx = np.where(codes >= 0, codes, np.where(codes == cs.INVALID, len(vocab), len(vocab) + 1))
    return words[idx.astype(int)]


def frames_agree(a: pd.DataFrame | None, b: pd.DataFrame | None, rtol: float = 1e-9) -> bool:
    """Same columns, same counts and flags exactly, floats within ``rtol`` (the engines sum
    weights in different orders, so shares may differ in the last bits)."""
    if a is None or b is None:
        return a is None and b is None
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if x.dtype.kind == "f" or y.dtype.kind == "f":
            if not np.allclose(
                x.astype(float), y.astype(float), rtol=rtol, atol=1e-9, equal_nan=True
            ):
                return False
        elif not (x == y).all():
            return False
    return True


def results_agree(a: SurveyResult, b: SurveyResult) -> bool:
    """Two results of the same file agree: shares, waste shares, issues and totals."""
    return (
        frames_agree(a.shares, b.shares)
        and frames_agree(a.waste, b.waste)
        and a.issues.equals(b.issues)
        and dict(a.totals) == dict(b.totals)
    )


# =========================================================================== apply


@dataclass(frozen=True)
class ApplyReport:
    """What :func:`apply_survey` wrote: the file, the year, the kelurahan, how many
    ``hh_<rung>`` rows were written and replaced, and the warnings (kelurahan skipped)."""

    path: str
    year: int
    kelurahan: tuple[str, ...]
    rows_written: int
    rows_replaced: int
    problems: tuple[Problem, ...] = ()


_OBS_NAME = "observations.csv"
_RUNG_INDICATORS = tuple(f"hh_{r}" for r in RUNGS)


def _fmt(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def _fmt_id(v: float) -> str:
    """:func:`_fmt` with Indonesian separators (``1.234,5``) for Indonesian messages."""
    whole, _, decimals = _fmt(v).partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return sign + grouped + ("," + decimals if decimals else "")


def apply_survey(
    result: SurveyResult,
    city_dir: str | os.PathLike[str],
    *,
    year: int | None = None,
    source: str | None = None,
) -> ApplyReport:
    """Write the survey as the city's baseline ladder observations, atomically.

    For every surveyed kelurahan of the city with classified households: ``hh_<rung> =
    pct_<rung> / 100 x households`` of that kelurahan in ``year`` (default: the result's
    year, else the latest year in which every such kelurahan has ``households``), with
    ``unit = households``, ``source`` = the survey file name, ``status = derived`` and a
    note with n and the 95 % interval. Earlier ``hh_<rung>`` rows of those kelurahan and
    that year are replaced in place; every other row is kept byte for byte. Kelurahan
    outside ``regions.csv`` or without classified households are skipped with
    ``SAN-W187``. Errors (nothing written): no year (``SAN-E105``), a kelurahan without
    households (``SAN-E106``), ``hh_spald_t`` above the new ``hh_aman`` (``SAN-E107``), an
    unreadable observations file.
    """
    folder = Path(city_dir)
    obs_path = folder / _OBS_NAME
    if not obs_path.is_file():
        raise InputErrors(
            not_a_file(obs_path, _OBS_NAME)
            or [problem("SAN-E001", _OBS_NAME, name=_OBS_NAME, folder=str(folder))]
        )
    data, problems = read_bytes(obs_path, _OBS_NAME)
    if data is None:
        raise InputErrors(problems)
    df, problems = parse_csv(data, _OBS_NAME)
    if df is None:
        raise InputErrors(problems)
    missing = [c for c in ("kode", "year", "indicator", "value") if c not in df.columns]
    if missing:
        raise InputErrors(
            [problem("SAN-E002", _OBS_NAME, 1, c, found=", ".join(df.columns)) for c in missing]
        )
    regions, rproblems = read_table(
        folder / "regions.csv", "regions.csv", ("kode",), folder=str(folder)
    )
    if regions is None:
        raise InputErrors(rproblems)
    listed = set(regions["kode"])

    recs: dict[str, dict[str, Any]] = {
        str(r["kode"]): {str(c): v for c, v in r.items()} for r in result.shares.to_dict("records")
    }
    warnings: list[Problem] = []
    for k, rec in recs.items():
        reason = None
        if k not in listed:
            reason = ("not in regions.csv", "tidak ada di regions.csv")
        elif int(rec["n"]) == 0:
            reason = ("no classified household", "tidak ada rumah tangga yang tergolong")
        if reason is not None:
            warnings.append(
                problem(
                    "SAN-W187",
                    result.file,
                    None,
                    "kelurahan",
                    k,
                    reason=reason[0],
                    reason_id=reason[1],
                )
            )
    kodes = [k for k, rec in recs.items() if k in listed and int(rec["n"]) > 0]

    ind = df["indicator"]
    year_num = pd.to_numeric(df["year"], errors="coerce")
    value_num = pd.to_numeric(df["value"], errors="coerce")
    sel = ind.eq("households") & df["kode"].isin(kodes) & value_num.notna() & year_num.notna()
    households: dict[tuple[str, int], float] = {
        (str(k), int(y)): float(v)
        for k, y, v in zip(df.loc[sel, "kode"], year_num[sel], value_num[sel], strict=True)
    }
    chosen = year if year is not None else result.year
    if chosen is None and kodes:
        per_year: dict[int, int] = {}
        for _, y in households:
            per_year[y] = per_year.get(y, 0) + 1
        full = [y for y, n in per_year.items() if n >= len(kodes)]
        if not full:
            years = ", ".join(str(y) for y in sorted(per_year)) or "none"
            raise InputErrors(
                [
                    problem(
                        "SAN-E105",
                        result.file,
                        detail=f"years with households for some of them: {years}",
                    )
                ]
            )
        chosen = max(full)
    chosen = int(chosen) if chosen is not None else 0
    errors = [
        problem("SAN-E106", _OBS_NAME, None, "kode", k, year=chosen)
        for k in kodes
        if (k, chosen) not in households
    ]
    if errors:
        raise InputErrors(errors)

    new_values = {
        k: {r: float(recs[k][f"pct_{r}"]) / 100.0 * households[(k, chosen)] for r in RUNGS}
        for k in kodes
    }
    spald = ind.eq("hh_spald_t") & df["kode"].isin(kodes) & year_num.eq(chosen)
    for k, raw, v, line in zip(
        df.loc[spald, "kode"],
        df.loc[spald, "value"],
        value_num[spald],
        df.loc[spald, LINE],
        strict=True,
    ):
        aman = new_values[str(k)]["aman"]
        if pd.notna(v) and float(v) > aman + 0.5:
            errors.append(
                problem(
                    "SAN-E107",
                    _OBS_NAME,
                    int(line),
                    "value",
                    k,
                    year=chosen,
                    spald_t=raw,
                    aman=_fmt(aman),
                    aman_id=_fmt_id(aman),
                )
            )
    if errors:
        raise InputErrors(errors)

    src = source or result.file
    rows_new: dict[str, list[dict[str, str]]] = {}
    for k in kodes:
        rec = recs[k]
        n = int(rec["n"])
        small = (
            f", below the EHRA minimum of {result.rules.min_households}"
            if n < result.rules.min_households
            else ""
        )
        rows_new[k] = [
            {
                "kode": k,
                "year": str(chosen),
                "indicator": f"hh_{r}",
                "value": _fmt(new_values[k][r]),
                "unit": "households",
                "source": src,
                "status": "derived",
                "note": (
                    f"Survey {result.file} ({result.mapping.name}): weighted share "
                    f"{rec[f'pct_{r}']:.1f}% (95% CI {rec[f'pct_{r}_low']:.1f}-"
                    f"{rec[f'pct_{r}_high']:.1f}%, Wilson with Kish n_eff) x households "
                    f"{chosen}; n = {n} households{small}."
                ),
            }
            for r in RUNGS
        ]
    rows_new.update(
        _parent_rows(df, ind, year_num, value_num, new_values, chosen, src, result.file)
    )
    written, replaced = _rewrite_observations(obs_path, data, rows_new, chosen)
    return ApplyReport(str(obs_path), chosen, tuple(kodes), written, replaced, tuple(warnings))


def _parent_rows(
    df: pd.DataFrame,
    ind: pd.Series,
    year_num: pd.Series,
    value_num: pd.Series,
    new_values: Mapping[str, Mapping[str, float]],
    year: int,
    source: str,
    file: str,
) -> dict[str, list[dict[str, str]]]:
    """Kecamatan and city ``hh_<rung>`` rows of ``year`` that the file already has, recomputed
    as the sums of their kelurahan/desa rows after the survey (so sub-area sums stay equal,
    SAN-W101). A parent is left as it is when one of its kelurahan has no value for a rung."""
    rung_ind = [f"hh_{r}" for r in RUNGS]
    sel = ind.isin(rung_ind) & year_num.eq(year) & value_num.notna()
    cur = pd.DataFrame(
        {"kode": df.loc[sel, "kode"].astype(str), "indicator": ind[sel], "value": value_num[sel]}
    )
    leaf = cur[cur["kode"].str.len() > 8].pivot_table(
        index="kode", columns="indicator", values="value", aggfunc="first"
    )
    for k, vals in new_values.items():
        for r in RUNGS:
            leaf.loc[k, f"hh_{r}"] = vals[r]
    parents = cur[cur["kode"].str.len() <= 8]
    out: dict[str, list[dict[str, str]]] = {}
    surveyed = set(new_values)
    for parent in sorted(set(parents["kode"])):
        kids = leaf[leaf.index.str.startswith(parent + ".")]
        if kids.empty or not (set(kids.index) & surveyed):
            continue
        if any(c not in kids.columns for c in rung_ind) or kids[rung_ind].isna().any().any():
            continue
        have = set(parents.loc[parents["kode"] == parent, "indicator"])
        out[parent] = [
            {
                "kode": parent,
                "year": str(year),
                "indicator": c,
                "value": _fmt(float(kids[c].sum())),
                "unit": "households",
                "source": source,
                "status": "derived",
                "note": f"Sum of its kelurahan/desa after applying the survey {file}.",
            }
            for c in rung_ind
            if c in have
        ]
    return out


def _rewrite_observations(
    path: Path, data: bytes, rows_new: Mapping[str, list[dict[str, str]]], year: int
) -> tuple[int, int]:
    """Replace the ``hh_<rung>`` records of the given kelurahan and year, keep every other
    record's text as it was, and write atomically (temp file in the folder + os.replace)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[list[str], str]] = []
    prev = 0
    for rec in reader:
        records.append((rec, "".join(lines[prev : reader.line_num])))
        prev = reader.line_num
    tail = "".join(lines[prev:])
    header = [c.strip().lower() for c in records[0][0]]
    eol = "\r\n" if records[0][1].endswith("\r\n") else "\n"
    add = [c for c in ("unit", "source", "status", "note") if c not in header]
    out_header = header + add
    pos = {c: i for i, c in enumerate(header)}

    def pad(chunk: str) -> str:
        if not add:
            return chunk
        body = chunk.rstrip("\r\n")
        return body + "," * len(add) + chunk[len(body) :]

    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=eol)

    def render(rows: list[dict[str, str]]) -> str:
        buf.seek(0)
        buf.truncate()
        for row in rows:
            writer.writerow([row.get(c, "") for c in out_header])
        return buf.getvalue()

    targets = set(_RUNG_INDICATORS)
    parts: list[str] = []
    if add:
        first = records[0][1]
        body = first.rstrip("\r\n")
        parts.append(body + "," + ",".join(add) + (first[len(body) :] or eol))
    else:
        parts.append(records[0][1])
    placed: set[str] = set()
    replaced = 0
    for rec, chunk in records[1:]:
        kode = rec[pos["kode"]].strip() if len(rec) > pos["kode"] else ""
        is_target = (
            len(rec) > max(pos["year"], pos["indicator"])
            and kode in rows_new
            and rec[pos["indicator"]].strip() in targets
            and _same_year(rec[pos["year"]], year)
        )
        if not is_target:
            parts.append(pad(chunk) if rec else chunk)
            continue
        replaced += 1
        if kode not in placed:
            placed.add(kode)
            parts.append(render(rows_new[kode]))
    rest = [k for k in rows_new if k not in placed]
    if rest:
        if parts and not parts[-1].endswith(("\n", "\r")):
            parts[-1] += eol
        parts.append(render([row for k in rest for row in rows_new[k]]))
    parts.append(tail)
    content = "".join(parts)
    fd, tmp = tempfile.mkstemp(prefix=".observations.", suffix=".csv.tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return sum(len(v) for v in rows_new.values()), replaced


def _same_year(raw: str, year: int) -> bool:
    try:
        return float(raw.strip()) == year
    except ValueError:
        return False


__all__ = [
    "ENGINES",
    "ApplyReport",
    "FieldSpec",
    "SurveyMapping",
    "SurveyResult",
    "SurveyScope",
    "apply_survey",
    "classify_file",
    "connect",
    "load_mapping",
    "mapping_path",
    "open_source",
    "read_survey",
    "results_agree",
    "rung_case_sql",
    "survey_scope",
]
