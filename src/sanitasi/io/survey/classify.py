"""The ``numpy`` engine: Arrow batches -> codebook targets per *distinct* value (dictionary
level, the Python twin of the SQL ``CASE``) -> integer gathers -> the core ladder rules ->
``np.bincount`` per kelurahan; issues counted per dictionary entry in the same pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core import survey as cs
from sanitasi.io.survey.mapping import MISSING_WORD, NEVER_WORD, FieldSpec, SurveyMapping
from sanitasi.io.survey.readers import _arrow_reader, _prefetch
from sanitasi.io.survey.results import _sum_issues
from sanitasi.io.survey.scope import SurveyScope, _lookup_dicts
from sanitasi.io.survey.sql import _number_key, _Plan

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


# --------------------------------------------------------------------------- combination codes
# Every household's answers that matter for the ladder, the waste shares and the issue
# check fit in one small integer, its *combination code*; the rung, the waste category and
# "needs a look for the issues table" are then one gather each from tables computed once by
# the core rules over every combination (docs/METHOD.md §11.2).

#: Desludging classes: what :func:`sanitasi.core.survey.classify_codes` and the issues see of
#: the years (invalid ``-2``, blank ``NaN``, within the window, beyond it or never).
_Y_INVALID, _Y_BLANK, _Y_WITHIN, _Y_BEYOND = 0, 1, 2, 3
_N_Y = 4
#: Codes run from ``INVALID`` (-2) to the vocabulary size - 1: ``code + 2`` is the digit.
_N_T = len(cs.TOILET) + 2
_N_U = len(cs.USE) + 2
_N_D = len(cs.DISPOSAL) + 2
_N_URB = len(cs.URBAN) + 2
_N_WS = len(cs.WASTE) + 2
#: Place value of each digit of the combination code (years fastest, waste slowest; the
#: ``unknown kelurahan`` flag between urban and waste).
_S_Y = 1
_S_D = _S_Y * _N_Y
_S_U = _S_D * _N_D
_S_T = _S_U * _N_U
_S_URB = _S_T * _N_T
_S_UNK = _S_URB * _N_URB
_S_WS = _S_UNK * 2
_N_COMBO = _S_WS * _N_WS


@dataclass(frozen=True)
class _ComboTables:
    """Per combination code: ``rung`` (ladder code, ``int8``), ``wcat`` (waste category,
    ``unknown`` = ``len(WASTE)``) and ``flag`` (the household goes into the issue check:
    unknown rung, unknown kelurahan, invalid waste answer or a blank desludging answer on a
    septic tank)."""

    rung: np.ndarray
    wcat: np.ndarray
    flag: np.ndarray


@lru_cache(maxsize=8)
def _combo_tables(rules: cs.SurveyRules) -> _ComboTables:
    """The core rules (:func:`sanitasi.core.survey.classify_codes`) over every combination
    code: the same function as the old per-household call, evaluated 84,672 times instead
    of once per household. Cached per rules (the tables are read-only)."""
    c = np.arange(_N_COMBO, dtype=np.int64)
    yc = c // _S_Y % _N_Y
    d = (c // _S_D % _N_D - 2).astype(np.int8)
    u = (c // _S_U % _N_U - 2).astype(np.int8)
    t = (c // _S_T % _N_T - 2).astype(np.int8)
    urb = (c // _S_URB % _N_URB - 2).astype(np.int8)
    unk = c // _S_UNK % 2 == 1
    ws = (c // _S_WS % _N_WS - 2).astype(np.int8)
    years = np.array([float(cs.INVALID), np.nan, rules.window_years, np.inf])[yc]
    rung = cs.classify_codes(t, u, d, years, urb, rules)
    wcat = np.where(ws < 0, len(cs.WASTE), ws).astype(np.int64)
    blank_septic = (yc == _Y_BLANK) & (d == 0) & (rung == cs.RUNG_CODE["layak_sendiri"])
    flag = unk | (rung == cs.UNKNOWN_CODE) | (ws == cs.INVALID) | blank_septic
    out = _ComboTables(rung.astype(np.int64), wcat, flag)
    for a in (out.rung, out.wcat, out.flag):
        a.flags.writeable = False
    return out


def _years_class(y: np.ndarray, window: float) -> np.ndarray:
    """Desludging class of each years value (see :data:`_Y_INVALID`)."""
    return np.where(
        y == cs.INVALID,
        _Y_INVALID,
        np.where(y <= window, _Y_WITHIN, np.where(np.isnan(y), _Y_BLANK, _Y_BEYOND)),
    ).astype(np.int64)


def _indices(arr: Any) -> tuple[np.ndarray, Any, bool]:
    """``(indices, dictionary, numeric)`` of an Arrow array: dictionary indices as they come
    (``int32``, no copy when there is no null; a null -> ``len(dictionary)``); other arrays
    are dictionary-encoded first (CSV and XLSX batches from DuckDB)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(arr.type):
        if pa.types.is_string_view(arr.type) or pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.string())
        arr = pc.dictionary_encode(arr)
    values = arr.dictionary
    vt = values.type
    numeric = pa.types.is_integer(vt) or pa.types.is_floating(vt) or pa.types.is_decimal(vt)
    ind = arr.indices
    if ind.null_count:
        ind = pc.fill_null(ind, len(values))
    idx = ind.to_numpy(zero_copy_only=False)
    return idx, values, numeric


def _py_values(values: Any) -> list[Any]:
    """Python values of an Arrow dictionary (decimals as floats), as the reference reads them."""
    import pyarrow as pa

    out = values.to_pylist()
    if pa.types.is_decimal(values.type):
        out = [None if v is None else float(v) for v in out]
    return list(out)


@dataclass
class _Column:
    """One mapped column of the current batch: dictionary indices, the Python values of its
    dictionary (for the issues) and the tables of the field, cached across batches while
    the dictionary stays the same."""

    idx: np.ndarray
    values: list[Any]
    tables: dict[str, np.ndarray]


class _Fields:
    """Per-field table cache: a batch whose dictionary equals the previous one's (every
    row group of a Parquet file written with one dictionary, the usual case) reuses the
    tables; otherwise they are rebuilt from the distinct values (never per row)."""

    def __init__(self, build: Any) -> None:
        self.build = build
        self.cache: dict[str, tuple[Any, bool, list[Any], dict[str, np.ndarray]]] = {}

    def column(self, name: str, arr: Any) -> _Column:
        idx, values, numeric = _indices(arr)
        hit = self.cache.get(name)
        if hit is not None and hit[1] == numeric and (hit[0] is values or hit[0].equals(values)):
            return _Column(idx, hit[2], hit[3])
        py = _py_values(values)
        tables = self.build(name, py, numeric, values)
        self.cache[name] = (values, numeric, py, tables)
        return _Column(idx, py, tables)


#: Largest product of the small columns' dictionary sizes for which the combination is
#: looked up directly from the dictionary indices (tables of 8 x that many entries, rebuilt
#: only when a dictionary changes); beyond it each column is gathered on its own.
_MAX_PRODUCT = 1 << 17
_SMALL_FIELDS: tuple[str, ...] = ("toilet", "use", "disposal", "desludging", "waste")


class _Accumulator:
    """Running per-group sums (households, weights, squared weights) over a flat key
    ``group x n_cat + category``, fed batch after batch by ``np.bincount`` in a worker
    thread of its own (``np.bincount`` releases the GIL), in batch order, so the sums are
    the same to the last bit as a sequential loop."""

    def __init__(self, size: int, weighted: bool) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.count = np.zeros(size, np.int64)
        self.w = np.zeros(size)
        self.w2 = np.zeros(size)
        self.weighted = weighted
        self.pool = ThreadPoolExecutor(1)
        self.pending: list[Any] = []

    def _add(self, key: np.ndarray, w: np.ndarray | None, w2: np.ndarray | None) -> None:
        size = self.count.size
        self.count += np.bincount(key, minlength=size)
        if w is not None and w2 is not None:
            self.w += np.bincount(key, weights=w, minlength=size)
            self.w2 += np.bincount(key, weights=w2, minlength=size)

    def add(self, key: np.ndarray, w: np.ndarray | None, w2: np.ndarray | None) -> None:
        while len(self.pending) >= 2:  # at most two batches in flight (memory)
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(self._add, key, w, w2))

    def close(self) -> None:
        try:
            for f in self.pending:
                f.result()
        finally:
            self.pool.shutdown()
        if not self.weighted:
            # every household weighs 1: the sums of ones are the counts, exactly
            self.w = self.count.astype(float)
            self.w2 = self.w.copy()

    def sums(self, n_groups: int, n_cat: int) -> cs.GroupSums:
        shape = (n_groups + 1, n_cat)
        return cs.GroupSums(
            self.count.reshape(shape)[:n_groups],
            self.w.reshape(shape)[:n_groups],
            self.w2.reshape(shape)[:n_groups],
        )


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
    """Sums, waste sums, counts and issue counts from Arrow batches (numpy engine).

    Per batch, for every household: the dictionary indices of the small answer columns
    (toilet, use, disposal, desludging, waste) are combined arithmetically into one index
    (``int32``), offset by the kelurahan's class (urban flag, unknown) gathered from the
    kelurahan dictionary, and the rung, the waste category and the issue flag are one
    gather each from tables built per *distinct* combination by the core rules
    (:func:`_combo_tables`; a file with an urban column, or with very many distinct
    answers, gathers each column's place value instead). Then the group keys ``kelurahan x
    7 + rung`` and ``kelurahan x 8 + waste`` (an unknown kelurahan goes to an extra group
    that is dropped) and ``np.bincount`` for households, weights and squared weights, in
    two worker threads while the next batch is prepared. Only the flagged households (and
    those with an invalid weight) are looked at again, for the issues table. The sums are
    the old engine's to the last bit: the same batches, each summed in row order by
    ``np.bincount`` and added to the running total in batch order (tested).
    """
    import pyarrow as pa

    n_groups = len(scope.regions)
    k = len(cs.LADDER)
    kw = len(cs.WASTE) + 1
    region_urban = np.append(scope.regions["urban"].to_numpy(dtype=np.int8), cs.MISSING)
    combo = _combo_tables(rules)
    window = float(rules.window_years)
    has = plan.columns
    weighted = "weight" in has
    rung_acc = _Accumulator((n_groups + 1) * k, weighted)
    waste_acc = _Accumulator((n_groups + 1) * kw, weighted) if plan.has_waste else None
    rows_total = 0
    issues = _Issues()
    rung8 = combo.rung.astype(np.int8)
    wcat8 = combo.wcat.astype(np.int8)

    def build(name: str, values: list[Any], numeric: bool, arrow: Any) -> dict[str, np.ndarray]:
        if name == "kelurahan":
            gidx = np.append(_kelurahan_gidx(values, arrow, exact_keys, norm_keys), -1)
            unk = gidx < 0
            ru = region_urban[gidx]
            klass = unk * _N_URB + (ru.astype(np.int64) + 2)  # unknown flag, urban digit
            return {
                "gidx": gidx,
                "group": np.where(unk, n_groups, gidx).astype(np.int32),
                "region_urban": ru,
                "klass": klass,
                "place": (klass * _S_URB).astype(np.int32),  # (urb+2) x _S_URB + unk x _S_UNK
                "unk_place": (unk * _S_UNK).astype(np.int32),
            }
        if name == "weight":
            return {"w": _weight_values(values, numeric)}
        codes = _field_values(name, mapping.fields[name], values, numeric)
        if name == "desludging":
            return {"y": codes, "place": (_years_class(codes, window) * _S_Y).astype(np.int32)}
        stride = {"toilet": _S_T, "use": _S_U, "disposal": _S_D, "urban": 1, "waste": _S_WS}
        return {
            "code": codes,
            "place": ((codes.astype(np.int64) + 2) * stride[name]).astype(np.int32),
        }

    exact_keys, norm_keys = _lookup_dicts(scope, mapping)
    fields = _Fields(build)
    small = [f for f in _SMALL_FIELDS if f in has]
    absent_place = (0 if "desludging" in has else _Y_BLANK * _S_Y) + (
        0 if "waste" in has else (cs.MISSING + 2) * _S_WS
    )
    product: dict[str, Any] = {"sig": None}

    def product_tables(cols: dict[str, _Column]) -> tuple[Any, ...] | None:
        """Rung, waste category and flag per ``klass x P + combined index`` of this batch's
        dictionaries (cached while they stay the same), or None when too many."""
        sizes = [len(cols[f].values) + 1 for f in small]
        total = int(np.prod(sizes))
        if "urban" in cols or total > _MAX_PRODUCT:
            return None
        sig = [cols[f].tables for f in small]  # kept alive: compared by identity
        old = product["sig"]
        if old is not None and all(a is b for a, b in zip(old, sig, strict=True)):
            return product["tables"]  # type: ignore[no-any-return]
        place = np.full(total, absent_place, np.int64)
        grid = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), int)
        for f, ix in zip(small, grid, strict=True):
            place += cols[f].tables["place"][ix]
        # klass 0..7 = unknown x 4 + (urb + 2): place value klass x _S_URB
        code = (np.arange(2 * _N_URB)[:, None] * _S_URB + place[None, :]).reshape(-1)
        tables = (rung8[code], wcat8[code], combo.flag[code], np.int32(total))
        product["sig"], product["tables"] = sig, tables
        return tables

    reader = _arrow_reader(path, con, list(plan.columns.values()), batch_rows)
    try:
        for batch in _prefetch(iter(reader)):
            n = batch.num_rows
            if n == 0:
                continue
            rows_total += n
            arrs = {name: batch.column(col) for name, col in plan.columns.items()}
            cols: dict[str, _Column] = {}
            w: np.ndarray | None = None
            for name, arr in arrs.items():
                if name == "weight" and (
                    pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type)
                ):
                    w = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=float)
                    continue
                cols[name] = fields.column(name, arr)
            if w is None and "weight" in cols:
                w = cols["weight"].tables["w"][cols["weight"].idx]
            kel = cols["kelurahan"]
            tabs = product_tables(cols)
            if tabs is not None:
                rung_t, wcat_t, flag_t, total = tabs
                offset = kel.tables.get(f"klass_x{total}")
                if offset is None:  # kept with the kelurahan tables while they live
                    offset = (kel.tables["klass"] * total).astype(np.int32)
                    kel.tables[f"klass_x{total}"] = offset
                key = np.take(offset, kel.idx, mode="clip")
                mult = 1
                for f in reversed(small):
                    ix = cols[f].idx
                    if mult == 1:
                        key += ix
                    else:
                        key += ix * np.int32(mult)
                    mult *= len(cols[f].values) + 1
            else:
                rung_t, wcat_t, flag_t = rung8, wcat8, combo.flag
                key = _place_key(cols, kel, absent_place)
            rung = np.take(rung_t, key, mode="clip")
            group = np.take(kel.tables["group"], kel.idx, mode="clip")
            bad_w = None
            if w is not None and not (w.min() > 0 and w.max() < np.inf):
                bad_w = ~(np.isfinite(w) & (w > 0))
                rung[bad_w] = cs.UNKNOWN_CODE
                w = np.where(bad_w, 0.0, w)
            w2 = w * w if w is not None else None
            rkey = np.multiply(group, k, dtype=np.int64)
            rkey += rung
            rung_acc.add(rkey, w, w2)
            if waste_acc is not None:
                wcat = np.take(wcat_t, key, mode="clip")
                if bad_w is not None:
                    wcat[bad_w] = kw - 1
                wkey = np.multiply(group, kw, dtype=np.int64)
                wkey += wcat
                waste_acc.add(wkey, w, w2)
            flagged = np.take(flag_t, key, mode="clip")
            if bad_w is not None:
                flagged |= bad_w
            rows = np.flatnonzero(flagged)
            if len(rows):
                _batch_issues(issues, rows, cols, arrs, rung, bad_w, has, plan.has_waste)
    finally:
        rung_acc.close()
        if waste_acc is not None:
            waste_acc.close()
    sums = rung_acc.sums(n_groups, k)
    c2 = rung_acc.count.reshape(n_groups + 1, k)
    extra = {
        "rows": rows_total,
        "unknown": int(c2[:n_groups, cs.UNKNOWN_CODE].sum()),
        "unknown_kelurahan": int(c2[n_groups].sum()),
        "issues": int(sum(issues.counts.values())),
    }
    wsums = waste_acc.sums(n_groups, kw) if waste_acc is not None else None
    return sums, wsums, extra, _sum_issues(issues.frame())


def _kelurahan_gidx(
    values: list[Any], arrow: Any, exact: Mapping[str, int], norm: Mapping[str, int]
) -> np.ndarray:
    """Group index (``-1`` unknown) of each distinct kelurahan value, as :func:`_gidx_of`
    does it: the value as written, else trimmed and lower-cased (pandas string methods, on
    the misses only)."""
    import pyarrow as pa

    if pa.types.is_string(arrow.type):  # str or None already: their text is themselves
        texts = ["" if v is None else v for v in values]
    else:
        texts = [_value_text(v) for v in values]
    out = np.array([exact.get(t, -1) for t in texts], dtype=np.int64)
    miss = np.flatnonzero(out < 0)
    if len(miss):
        keys = pd.Series([texts[i] for i in miss], dtype=object).astype("string").fillna("")
        normed = keys.str.strip().str.lower().tolist()
        out[miss] = [norm.get(k, -1) for k in normed]
    return out


def _place_key(cols: dict[str, _Column], kel: _Column, absent_place: int) -> np.ndarray:
    """Combination code of each household by one gather per column from its place values
    (the general path: an urban column, or very many distinct answers)."""
    n = len(kel.idx)
    tmp = np.empty(n, np.int32)
    key = np.take(cols["toilet"].tables["place"], cols["toilet"].idx, mode="clip")
    key += np.int32(absent_place)
    for name in ("use", "disposal", "desludging", "waste"):
        if name in cols:
            np.take(cols[name].tables["place"], cols[name].idx, out=tmp, mode="clip")
            key += tmp
    if "urban" in cols:
        uc = np.take(cols["urban"].tables["code"], cols["urban"].idx, mode="clip")
        ru = np.take(kel.tables["region_urban"], kel.idx, mode="clip")
        urb = np.where(uc == cs.MISSING, ru, uc).astype(np.int32)
        key += (urb + 2) * np.int32(_S_URB)
        np.take(kel.tables["unk_place"], kel.idx, out=tmp, mode="clip")
    else:
        np.take(kel.tables["place"], kel.idx, out=tmp, mode="clip")
    key += tmp
    return key


def _batch_issues(
    issues: _Issues,
    rows: np.ndarray,
    cols: dict[str, _Column],
    arrs: dict[str, Any],
    rung: np.ndarray,
    bad_w: np.ndarray | None,
    has: Any,
    has_waste: bool,
) -> None:
    """Issue counts of one batch from its flagged households ``rows`` only (every issue
    mask of the reference engine is false outside them): the same masks, in the same
    order, on the subset."""
    m = len(rows)
    sub = {name: c.idx[rows] for name, c in cols.items()}

    def codes(name: str, fill: int) -> np.ndarray:
        if name not in cols:
            return np.full(m, fill, np.int8)
        return cols[name].tables["code"][sub[name]]

    t, u, d, uc = codes("toilet", 0), codes("use", 0), codes("disposal", 0), codes("urban", -1)
    ws = codes("waste", cs.MISSING)
    y = (
        cols["desludging"].tables["y"][sub["desludging"]]
        if "desludging" in cols
        else np.full(m, np.nan)
    )
    g = cols["kelurahan"].tables["gidx"][sub["kelurahan"]]
    r = rung[rows]
    bw = bad_w[rows] if bad_w is not None else np.zeros(m, bool)
    unknown_g = g < 0
    unknown_rung = r == cs.UNKNOWN_CODE
    blank_septic = np.isnan(y) & (d == 0) & (r == cs.RUNG_CODE["layak_sendiri"])
    invalid_any = (t == cs.INVALID) | (u == cs.INVALID) | (d == cs.INVALID)
    invalid_any |= (uc == cs.INVALID) | (y == cs.INVALID)
    clean = ~invalid_any & ~bw & ~unknown_g
    for name, c in (("toilet", t), ("use", u), ("disposal", d), ("urban", uc)):
        if name not in cols:
            continue
        values = cols[name].values
        issues.add(name, sub[name], values, c == cs.INVALID, "invalid")
        if name != "urban":
            issues.add(name, sub[name], values, (c == cs.MISSING) & unknown_rung & clean, "missing")
    if "desludging" in cols:
        values = cols["desludging"].values
        issues.add("desludging", sub["desludging"], values, y == cs.INVALID, "invalid")
        issues.add("desludging", sub["desludging"], values, blank_septic, "blank_septic")
    if "weight" in has:
        if "weight" in cols:
            issues.add("weight", sub["weight"], cols["weight"].values, bw, "weight")
        elif bw.any():
            arr = arrs["weight"]
            raw = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=float)[rows]
            nulls = np.asarray(arr.is_null().to_numpy(zero_copy_only=False))[rows]
            vals = [None if nl else float(x) for x, nl in zip(raw[bw], nulls[bw], strict=True)]
            texts = pd.Series([_value_text(v) for v in vals]).value_counts()
            for text, cnt in texts.items():
                key = ("weight", str(text), "weight")
                issues.counts[key] = issues.counts.get(key, 0) + int(cnt)
    issues.add("kelurahan", sub["kelurahan"], cols["kelurahan"].values, unknown_g, "kelurahan")
    if has_waste:
        issues.add("waste", sub["waste"], cols["waste"].values, ws == cs.INVALID, "invalid")
