"""The numpy engine as it was before the speed work (sanitasi 0c5c65f, ``io/survey.py``
``_sums_numpy``), kept verbatim as the reference of the byte-identity tests
(``test_io_survey_speed.py``): the optimised engine must give exactly these sums, issues and
totals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core import survey as cs
from sanitasi.io.survey.classify import _field_values, _Issues, _value_text, _weight_values
from sanitasi.io.survey.mapping import SurveyMapping
from sanitasi.io.survey.readers import _arrow_reader, _dictionary, _prefetch
from sanitasi.io.survey.results import _sum_issues
from sanitasi.io.survey.scope import SurveyScope, _gidx_of
from sanitasi.io.survey.sql import _Plan


def sums_numpy_v1(
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

    reader = _arrow_reader(path, con, list(plan.columns.values()), batch_rows)
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
