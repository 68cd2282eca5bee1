"""The ``sql`` engine: the mapping's codebooks and the ladder rules as DuckDB ``CASE``
expressions (:func:`rung_case_sql`), column resolution (:func:`_plan`) and one ``GROUP BY``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core import survey as cs
from sanitasi.io.errors import Problem, errors_of, problem
from sanitasi.io.survey.mapping import MISSING_WORD, NEVER_WORD, FieldSpec, SurveyMapping
from sanitasi.io.survey.readers import _lit, _q

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


__all__ = ["rung_case_sql"]
