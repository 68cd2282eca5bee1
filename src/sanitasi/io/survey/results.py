"""Survey results: :class:`SurveyResult`, the issues table (one row per field, value and
rule), per-kelurahan share tables and the comparisons used by the tests and the benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sanitasi.core import survey as cs
from sanitasi.io.errors import Problem, problem
from sanitasi.io.survey.mapping import LADDER_FIELDS, SurveyMapping
from sanitasi.io.survey.scope import SurveyScope
from sanitasi.io.survey.sql import _Plan


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


__all__ = ["SurveyResult", "frames_agree", "results_agree"]
