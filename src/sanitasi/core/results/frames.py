"""Helpers that build the long result frames: areas, roll-ups up the region tree, tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sanitasi.core.model import (
    Column,
    PlanInputs,
    Table,
    count_status,
)
from sanitasi.core.plan import PlanArrays
from sanitasi.core.reads import names_of
from sanitasi.core.results.columns import (
    COLUMNS,
)
from sanitasi.core.tree import NATIONAL_KODE, Chain, chain

# ----------------------------------------------------------------------------- helpers


def _clean(x: np.ndarray) -> np.ndarray:
    """Round float noise (|x| < 1e-6) and negative zero to 0."""
    return np.where(np.abs(x) < 1e-6, 0.0, x) + 0.0


def _gap_achieved(gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A signed gap (positive = behind) as a gap that is never negative and the points by
    which a met target is exceeded (docs/METHOD.md §5: a met target shows as achieved,
    ``+x`` points, never as a negative gap). NaN stays NaN in both."""
    g = _clean(np.asarray(gap, dtype=float))
    return np.maximum(g, 0.0), _clean(np.maximum(-g, 0.0))


def _long(codes: np.ndarray, years: np.ndarray, cols: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """(g, T) arrays -> long frame with kode, year and one column per array."""
    g, T = len(codes), len(years)
    data: dict[str, object] = {
        # the g codes as text, repeated by an Arrow take (not converted row by row)
        "kode": pd.array(np.asarray(codes, dtype=object), dtype="str").take(
            np.repeat(np.arange(g), T)
        ),
        "year": np.tile(np.asarray(years, dtype=np.int64), g),
    }
    for k, v in cols.items():
        data[k] = np.asarray(v, dtype=float).reshape(-1)
    return pd.DataFrame(data)


def _levels(a: PlanArrays) -> Chain:
    """The roll-up rows of the run: leaves up to kab/kota, or to province and nation when the
    run holds more than one city (each level summed from the one below)."""
    cached = a.notes.get("chain")
    if isinstance(cached, Chain):
        return cached
    ch = chain(a.tree, len(a.city_kode) > 1)
    a.notes["chain"] = ch
    return ch


def _column_buffer(vs: list[np.ndarray], g: int, T: int) -> np.ndarray | None:
    """The (S*g, T) buffer whose leaf rows the arrays ``vs`` (one per scenario) already are
    (see ``sanitasi.core.plan._in_buffers``), else None."""
    base = vs[0].base
    if not isinstance(base, np.ndarray) or base.shape != (len(vs) * g, T):
        return None
    start = base.__array_interface__["data"][0]
    for i, v in enumerate(vs):
        at = start + i * g * T * base.itemsize
        if v.base is not base or v.__array_interface__["data"][0] != at or v.dtype != base.dtype:
            return None
    return base


def _cat(values: tuple[np.ndarray, pd.Index], pos: np.ndarray) -> pd.Categorical:
    """Categorical of ``values[pos]`` from factorized (codes, categories), without
    materialising the repeated strings."""
    codes, cats = values
    return pd.Categorical.from_codes(codes[pos], categories=cats, validate=False)


def _areas(
    inputs: PlanInputs, a: PlanArrays
) -> tuple[np.ndarray, tuple[np.ndarray, pd.Index], tuple[np.ndarray, pd.Index]]:
    """Codes, and factorized names and levels, of every area of the run, leaves first then
    each level up (a region listed twice: its first row; not listed: blank). Looked up and
    encoded with Arrow kernels (about 90,000 codes on the national run)."""
    codes = np.concatenate(_levels(a).codes).astype(str)
    reg = inputs.regions

    def arrow(values: object) -> pa.Array:
        arr = pa.array(values)
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    pos = pc.index_in(arrow(codes.astype(object)), value_set=arrow(reg["kode"]))
    nat = pa.array(codes == NATIONAL_KODE)

    def fact(name: str, national: str) -> tuple[np.ndarray, pd.Index]:
        taken = pc.fill_null(pc.take(arrow(reg[name]), pos), "")
        values = arrow(pc.if_else(nat, national, taken)).dictionary_encode()
        c = values.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        return c, pd.Index(values.dictionary.to_numpy(zero_copy_only=False))

    return codes, fact("nama", "INDONESIA"), fact("tingkat", "nasional")


def _rollup(
    inputs: PlanInputs,
    a: PlanArrays,
    arrays: Mapping[str, np.ndarray] | Mapping[str, Mapping[str, np.ndarray]],
    scenarios: bool = False,
    rolled: dict[int, np.ndarray] | None = None,
    derive: Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """Sum leaf arrays up every level into one long frame: kode, nama, tingkat, [scenario,]
    year, ... With ``scenarios``, ``arrays`` maps scenario -> {column: leaf array}.

    ``kode``, ``nama``, ``tingkat`` and ``scenario`` are categoricals (one entry per area,
    repeated per year, shared by the tables of the run), so the national frame stays small.
    ``rolled`` (leaf array id -> its rows at every level) lets an array already summed, in
    this table or an earlier one (households, generated waste), be copied, not summed
    again. ``derive`` (flat columns -> more columns, e.g. percentages) adds columns before
    the frame is built (adding them to the frame would copy each)."""
    scen: Mapping[str, Mapping[str, np.ndarray]] = arrays if scenarios else {"": arrays}  # type: ignore[assignment,dict-item]
    ch = _levels(a)
    codes, nama, ting = a.notes.get("areas") or _areas(inputs, a)
    T, g = len(a.years), len(codes)
    rolled = {} if rolled is None else rolled
    S = len(scen)
    names = list(dict.fromkeys(k for arrs in scen.values() for k in arrs))
    cols: dict[str, np.ndarray] = {}
    for k in names:
        vs = [arrs[k] for arrs in scen.values()]
        shared = _column_buffer(vs, g, T) if len(vs) == S else None
        if shared is not None:  # the engine's arrays are this column's leaf rows
            for si in range(S):
                block = shared[si * g : (si + 1) * g]
                if id(vs[si]) not in rolled:
                    ch.fill(block)
                    rolled[id(vs[si])] = block
            cols[k] = shared
            continue
        # One preallocated column; each level is summed from the level below, straight
        # into its slice (or copied when that array was summed before).
        col = cols[k] = np.empty((S * g, T))
        for si, v in enumerate(vs):
            block = col[si * g : (si + 1) * g]
            if id(v) in rolled:
                block[...] = rolled[id(v)]
                continue
            block[: len(v)] = v
            ch.fill(block)
            rolled[id(v)] = block
    labels = a.notes.get(f"labels{S}")
    if labels is None:  # built once per run for each number of scenarios
        pos = np.tile(np.repeat(np.arange(g, dtype=np.int32), T), S)
        if "kode_index" not in a.notes:  # one Index: its uniqueness is checked once
            a.notes["kode_index"] = pd.Index(codes)
        labels = {
            "kode": pd.Categorical.from_codes(
                pos, categories=a.notes["kode_index"], validate=False
            ),
            "nama": _cat(nama, pos),
            "tingkat": _cat(ting, pos),
        }
        a.notes[f"labels{S}"] = labels
    data: dict[str, object] = dict(labels)
    if scenarios:
        names = list(scen)
        data["scenario"] = pd.Categorical.from_codes(
            np.repeat(np.arange(len(names), dtype=np.int8), g * T), categories=pd.Index(names)
        )
    data["year"] = np.tile(np.asarray(a.years, dtype=np.int64), g * len(scen))
    flat = {k: col.reshape(-1) for k, col in cols.items()}
    data.update(flat)
    if derive is not None:
        data.update(derive(flat))
    return pd.DataFrame(data, copy=False)


def _table(
    name: str,
    tid: str,
    ten: str,
    df: pd.DataFrame,
    prov: Mapping[str, int],
    note_id: str = "",
    note_en: str = "",
    labels: Mapping[str, Column] | None = None,
) -> Table:
    """A labelled table; ``labels`` overrides the shared column catalogue for this table."""
    own = labels or {}
    cols = {c: own.get(c) or COLUMNS.get(c, Column(c, c)) for c in df.columns}
    return Table(name, tid, ten, df.reset_index(drop=True), cols, dict(prov), note_id, note_en)


def _prov(*groups: Mapping[str, int] | Iterable[str]) -> dict[str, int]:
    """Sum provenance counts of several input groups (counters or lists of statuses)."""
    out = count_status([])
    for g in groups:
        counts = g if isinstance(g, Mapping) else count_status(g)
        for k, v in counts.items():
            key = k if k in out else "unverified"
            out[key] += int(v)
    return out


def _param_status(inputs: PlanInputs, names: Iterable[str]) -> list[str]:
    """Statuses of the parameters ``names`` (reading a status is not a read of a value)."""
    P = inputs.parameters.params
    return [P[n].status for n in sorted(names) if n in P]


def _read_status(inputs: PlanInputs, a: PlanArrays, *computations: str) -> list[str]:
    """Statuses of the parameters the computations ``computations`` (a name ``c`` also
    covers ``c.*``) read in this run (``a.parameters_read``, docs/METHOD.md §16)."""
    return _param_status(inputs, names_of(a.parameters_read, computations))
