"""The city's shared reports narrowed to what one user may see (issue 12 item 3).

The plan and the monitoring report of a city are computed once per data version for every
user (:mod:`sanitasi.web.plans.results`). A user whose scope hides part of the city (a
kecamatan user: the kelurahan/desa, the kecamatan agency and the activities of the *other*
kecamatan, :func:`sanitasi.web.scope.restrict`) gets the same run with every row about a
hidden place, activity or agency removed before anything is rendered: dashboard, plan.html,
plan.pdf, plan.xlsx, monitoring.*, ssk.docx/pdf.

What is hidden comes from ``restrict()`` itself (:func:`report_scope`): the kodes and names of
the city's regions, the codes of its activities and agencies that the user may not view. The
filter (:func:`scope_plan`, :func:`scope_monitoring`) is generic over the report's tables,
vectorised per column:

* a row is dropped when any of its text cells *is* a hidden token (a kode, a code, a name);
* a column named by a hidden token is dropped (the RACI matrix has one column per activity);
* a tuple cell (an agency's led and supported activities) loses the hidden items;
* a text cell listing items separated by ``;`` or ``,`` loses the items that name a hidden
  token (an agency's "planned outputs": ``ALD-04 300 household; PS-05 40000 m3``, its
  supported activities ``ALD-05, PS-05``, a free text naming a hidden kelurahan);
* warnings located in a hidden region or naming a hidden token are dropped.

Rows of the whole city (totals, roll-ups by agency or sector, the city's headline) stay, as
``restrict()`` lets a kecamatan user read the rows of the whole city. A user who sees the
whole city gets the shared objects unchanged (:data:`WHOLE_CITY`), and the cache key of a
scoped download carries :attr:`ReportScope.key`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from hashlib import sha256
from typing import Any, TypeVar

import pandas as pd

from sanitasi.core.model import PlanResult, Table, Warning_
from sanitasi.core.programme_run import MonitoringReport


@dataclass(frozen=True)
class ReportScope:
    """The tokens (region kodes and names, activity and agency codes) a user may not see in
    a city's reports; empty = the whole city."""

    hidden: frozenset[str] = frozenset()

    @property
    def whole(self) -> bool:
        return not self.hidden

    @property
    def key(self) -> str:
        """Part of a cache key: ``""`` for the whole city, else a digest of the hidden set."""
        if self.whole:
            return ""
        return sha256("\n".join(sorted(self.hidden)).encode()).hexdigest()[:16]


WHOLE_CITY = ReportScope()


def report_scope(user: Any, city_kode: str) -> ReportScope:
    """What ``user`` may not see of ``city_kode``: the regions (kode and name), activities
    and agencies of the city that ``restrict(user, "view")`` leaves out (a hidden region's
    name that a visible region shares is not hidden)."""
    from sanitasi.web.geography.models import Region
    from sanitasi.web.programme.models import Activity, Agency

    def split(model: Any, *fields: str) -> tuple[set[str], set[str]]:
        """(values of the rows ``user`` may not see, values of the rows it may see)."""
        visible_pks = model.objects.restrict(user).filter(city_kode=city_kode).values("pk")
        rows = model.objects.filter(city_kode=city_kode)
        hidden = rows.exclude(pk__in=visible_pks).values_list(*fields)
        shown = rows.filter(pk__in=visible_pks).values_list(*fields)
        return (
            {str(v) for row in hidden for v in row if v},
            {str(v) for row in shown for v in row if v},
        )

    regions, seen = split(Region, "kode", "nama")
    activities, _ = split(Activity, "code")
    agencies, _ = split(Agency, "code")
    # a name shared by a visible region (desa names repeat across kecamatan) stays visible
    tokens = (regions - seen) | activities | agencies
    tokens.discard(city_kode)
    return ReportScope(frozenset(tokens)) if tokens else WHOLE_CITY


def _pattern(hidden: Iterable[str]) -> re.Pattern[str]:
    words = sorted(hidden, key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w.-])")


_SEPARATOR = re.compile(r"(\s*[;,]\s*)")


def _drop_items(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` without the ``;``/``,``-separated items that name a hidden token (each kept
    item keeps the separator before it)."""
    parts = _SEPARATOR.split(text)
    items, seps = parts[0::2], ["", *parts[1::2]]
    kept = [(sep, item) for sep, item in zip(seps, items, strict=True) if not pattern.search(item)]
    return "".join((sep if i else "") + item for i, (sep, item) in enumerate(kept))


def _texty(col: pd.Series) -> bool:
    """A column that may hold text (object, string or categorical; not numbers or dates)."""
    dtype = col.dtype
    return not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


def scope_frame(df: pd.DataFrame, scope: ReportScope) -> pd.DataFrame:
    """``df`` without the rows, columns and list items that name a hidden token."""
    if scope.whole or df is None or not len(df.columns):
        return df
    hidden = scope.hidden
    cols = [c for c in df.columns if str(c) not in hidden]
    out = df[cols] if len(cols) < len(df.columns) else df
    text_cols = [c for c in out.columns if _texty(out[c])]
    if not text_cols or not len(out):
        return out
    drop = pd.Series(False, index=out.index)
    for c in text_cols:
        drop |= out[c].map(lambda v: isinstance(v, str) and v in hidden).astype(bool)
    out = out[~drop]
    pattern = _pattern(hidden)
    changed: dict[Any, pd.Series] = {}
    for c in text_cols:
        values = out[c]
        is_text = values.map(lambda v: isinstance(v, str)).astype(bool)
        named = values[is_text].astype(str).str.contains(pattern)
        is_seq = values.map(lambda v: isinstance(v, tuple | list | frozenset)).astype(bool)
        if not named.any() and not is_seq.any():
            continue
        col = values.astype(object).copy()
        idx = named[named].index
        col.loc[idx] = [_drop_items(v, pattern) for v in values.loc[idx]]
        seqs = values[is_seq]
        col.loc[seqs.index] = pd.Series(
            [type(v)(x for x in v if str(x) not in hidden) for v in seqs],
            index=seqs.index,
            dtype=object,
        )
        changed[c] = col
    if changed:
        out = out.assign(**{str(k): v for k, v in changed.items()})
    return out


def _table(table: Table, scope: ReportScope) -> Table:
    df = scope_frame(table.df, scope)
    if df is table.df:
        return table
    columns = {k: v for k, v in table.columns.items() if k not in scope.hidden}
    return dataclasses.replace(table, df=df, columns=columns)


def _tables(tables: Mapping[str, Table], scope: ReportScope) -> dict[str, Table]:
    return {name: _table(t, scope) for name, t in tables.items()}


def _warnings(warnings: Iterable[Warning_], scope: ReportScope) -> tuple[Warning_, ...]:
    pattern = _pattern(scope.hidden)
    return tuple(
        w
        for w in warnings
        if w.kode not in scope.hidden and not pattern.search(" ".join(map(str, w.values.values())))
    )


_D = TypeVar("_D")


def _frames(obj: _D, scope: ReportScope) -> _D:
    """A dataclass with every DataFrame field scoped (``None`` stays ``None``)."""
    if obj is None or not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes = {
        f.name: scope_frame(getattr(obj, f.name), scope)
        for f in dataclasses.fields(obj)
        if isinstance(getattr(obj, f.name, None), pd.DataFrame)
    }
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]


def _monitoring(m: Any, scope: ReportScope) -> Any:
    m = _frames(m, scope)
    warnings = getattr(m, "warnings", None)
    if isinstance(warnings, tuple) and all(isinstance(w, Warning_) for w in warnings):
        m = dataclasses.replace(m, warnings=_warnings(warnings, scope))
    return m


def scope_plan(result: PlanResult, scope: ReportScope) -> PlanResult:
    """The plan report ``result`` narrowed to ``scope`` (the shared ``result`` unchanged)."""
    if scope.whole:
        return result
    return dataclasses.replace(
        result,
        tables=_tables(result.tables, scope),
        warnings=_warnings(result.warnings, scope),
        inputs=_frames(result.inputs, scope),
        programme=_frames(result.programme, scope),
    )


def scope_inputs(inputs: _D, scope: ReportScope) -> _D:
    """Other report inputs (a dataclass of DataFrames, e.g. the SSK document's) narrowed to
    ``scope``."""
    return inputs if scope.whole else _frames(inputs, scope)


def scope_monitoring(
    report: MonitoringReport | None, scope: ReportScope
) -> MonitoringReport | None:
    """The monitoring report narrowed to ``scope``."""
    if report is None or scope.whole:
        return report
    return dataclasses.replace(
        report,
        tables=_tables(report.tables, scope),
        warnings=_warnings(report.warnings, scope),
        monitoring=_monitoring(report.monitoring, scope),
        region_names={k: v for k, v in report.region_names.items() if k not in scope.hidden},
    )


__all__ = [
    "ReportScope",
    "WHOLE_CITY",
    "report_scope",
    "scope_frame",
    "scope_inputs",
    "scope_monitoring",
    "scope_plan",
]
