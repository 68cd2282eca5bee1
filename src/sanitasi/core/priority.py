"""Priorities: a score per kelurahan x sector and per programme activity (docs/METHOD.md
§18.2). Pure and vectorised over the rows (no loop over kelurahan).

Score in [0, 1] (higher = first)::

    score = w_risk x risk + w_gap x gap + w_cost x cost + w_ready x ready

* ``risk`` = (final risk class - 1) / 3 from the risk-area instrument (class 1..4,
  :mod:`sanitasi.core.risk`); 0 where the kelurahan has no class for the sector;
* ``gap`` = the area's gap / the largest gap of its city and sector (households into layak
  plus into aman for ``ald``; t/day of added pengurangan plus penanganan for
  ``persampahan``, by the end of the SSK period);
* ``cost`` = 1 - (cost per unit closed / the dearest of its city and sector): the cheaper a
  household (t/day) closed, the higher; 0 without a gap;
* ``ready`` = the mean of the readiness flags given (``yes`` 1, ``in_progress`` 0.5,
  ``no`` 0; ``ready_land``, ``ready_ded``, ``ready_env_doc``, ``ready_operator``) of the
  activities located in the area (for an activity: its own flags); 0 when none is given.

Weights: ``priority_weight_risk``, ``priority_weight_gap``, ``priority_weight_cost``,
``priority_weight_readiness`` (reference parameters). Rank 1 = the highest score of the city
and sector; ties go to the lower kode (activity code).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

READINESS_COLUMNS: tuple[str, ...] = ("ready_land", "ready_ded", "ready_env_doc", "ready_operator")
READINESS_VALUE: Mapping[str, float] = {"yes": 1.0, "in_progress": 0.5, "no": 0.0}
WEIGHTS: tuple[str, ...] = ("risk", "gap", "cost", "readiness")
AREA_COLUMNS: tuple[str, ...] = (
    "city_kode",
    "kode",
    "sector",
    "risk_class",
    "gap",
    "gap_unit",
    "cost_idr",
    "cost_per_unit_idr",
    "readiness",
    "score",
    "rank",
)
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "city_kode",
    "code",
    "sector",
    "location_kode",
    "risk_class",
    "planned_output",
    "planned_cost_idr",
    "cost_per_unit_idr",
    "readiness",
    "score",
    "rank",
)


def readiness(flags: pd.DataFrame) -> pd.Series:
    """Mean readiness of each row over the flags given (:data:`READINESS_VALUE`); 0 when no
    flag is given (blank or an absent column)."""
    vals = np.stack(
        [
            flags[c].astype(str).str.lower().map(READINESS_VALUE).to_numpy(dtype=float)
            if c in flags.columns
            else np.full(len(flags), np.nan)
            for c in READINESS_COLUMNS
        ],
        axis=1,
    )
    given = ~np.isnan(vals)
    n = given.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(vals, axis=1) / np.maximum(n, 1), 0.0)
    return pd.Series(mean, index=flags.index)


def _scaled_by_group(values: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """values / max(values) within each group (0 where the max is 0 or NaN)."""
    top = values.groupby(groups).transform("max")
    return (values / top.where(top > 0)).fillna(0.0)


def _score(
    risk_class: pd.Series,
    gap_n: pd.Series,
    cost_per_unit: pd.Series,
    groups: list[pd.Series],
    ready: pd.Series,
    weights: Mapping[str, float],
) -> pd.Series:
    risk_n = ((risk_class.astype(float) - 1.0) / 3.0).clip(0.0, 1.0).fillna(0.0)
    cost_n = 1.0 - _scaled_by_group(cost_per_unit.fillna(0.0), groups)
    cost_n = cost_n.where(cost_per_unit.notna() & (cost_per_unit > 0), 0.0)
    return (
        weights["risk"] * risk_n
        + weights["gap"] * gap_n
        + weights["cost"] * cost_n
        + weights["readiness"] * ready
    )


def _rank(df: pd.DataFrame, key: str) -> pd.Series:
    order = df.sort_values(
        ["city_kode", "sector", "score", key], ascending=[True, True, False, True], kind="stable"
    )
    rank = order.groupby(["city_kode", "sector"]).cumcount() + 1
    return rank.reindex(df.index)


def area_priorities(
    areas: pd.DataFrame,
    weights: Mapping[str, float],
    activities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Ranked priority of each kelurahan and sector (see the module docstring).

    ``areas``: ``city_kode, kode, sector, risk_class`` (1..4 or NaN), ``gap`` (households or
    t/day), ``gap_unit``, ``cost_idr`` (the needs-based cost of closing the gap in the SSK
    period). ``activities`` (optional): ``sector, location_kode`` and the readiness columns;
    an area's readiness is the mean readiness of the activities located in it (kelurahan
    level only). Columns :data:`AREA_COLUMNS`, sorted by city, sector and rank."""
    df = areas.copy()
    df["gap"] = df["gap"].astype(float).clip(lower=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        df["cost_per_unit_idr"] = np.where(
            df["gap"] > 0, df["cost_idr"].astype(float) / df["gap"], np.nan
        )
    groups = [df["city_kode"], df["sector"]]
    gap_n = _scaled_by_group(df["gap"], groups)
    ready = pd.Series(0.0, index=df.index)
    if activities is not None and len(activities):
        act = activities.assign(_ready=readiness(activities))
        mean = act.groupby(["location_kode", "sector"])["_ready"].mean()
        key = pd.MultiIndex.from_arrays([df["kode"], df["sector"]])
        ready = pd.Series(mean.reindex(key).to_numpy(dtype=float), index=df.index).fillna(0.0)
    df["readiness"] = ready
    df["score"] = _score(df["risk_class"], gap_n, df["cost_per_unit_idr"], groups, ready, weights)
    df["rank"] = _rank(df, "kode")
    return df.sort_values(["city_kode", "sector", "rank"], kind="stable")[
        list(AREA_COLUMNS)
    ].reset_index(drop=True)


def activity_priorities(
    activities: pd.DataFrame,
    planned: pd.DataFrame,
    areas: pd.DataFrame,
    weights: Mapping[str, float],
) -> pd.DataFrame:
    """The programme's activities ranked like the areas: ``risk`` and ``gap`` of the
    activity's location (a kecamatan or the city: the mean over its kelurahan of the sector),
    ``cost`` from the activity's planned cost per planned output (against the dearest
    activity of its city and sector), ``ready`` from its own flags.

    ``activities``: ``city_kode, code, sector, location_kode`` + readiness columns;
    ``planned``: long ``city_kode, code, year, planned_output, planned_cost_idr``; ``areas``:
    the output of :func:`area_priorities`. Columns :data:`ACTIVITY_COLUMNS`."""
    act = activities.reset_index(drop=True)
    tot = planned.groupby(["city_kode", "code"], sort=False)[
        ["planned_output", "planned_cost_idr"]
    ].sum()
    key = pd.MultiIndex.from_arrays([act["city_kode"].astype(str), act["code"].astype(str)])
    tot = tot.reindex(key)
    out = act[["city_kode", "code", "sector", "location_kode"]].astype(str).copy()
    out["planned_output"] = tot["planned_output"].to_numpy(dtype=float)
    out["planned_cost_idr"] = tot["planned_cost_idr"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cost_per_unit_idr"] = np.where(
            out["planned_output"] > 0, out["planned_cost_idr"] / out["planned_output"], np.nan
        )
    # the areas under each location (kelurahan: itself), by prefix, as a matrix
    loc = out["location_kode"].to_numpy(dtype=str)
    kode = areas["kode"].astype(str).to_numpy(dtype=str)
    under = (kode[None, :] == loc[:, None]) | np.char.startswith(
        np.broadcast_to(kode, (len(loc), len(kode))), np.char.add(loc, ".")[:, None]
    )
    under &= areas["sector"].astype(str).to_numpy()[None, :] == out["sector"].to_numpy()[:, None]
    n = under.sum(axis=1)
    groups_a = [areas["city_kode"], areas["sector"]]
    gap_a = _scaled_by_group(areas["gap"].astype(float), groups_a).to_numpy()
    risk_a = areas["risk_class"].astype(float).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        gap_n = np.where(n > 0, (under * gap_a).sum(axis=1) / np.maximum(n, 1), 0.0)
        rs = np.where(under & ~np.isnan(risk_a), risk_a, 0.0).sum(axis=1)
        rn = (under & ~np.isnan(risk_a)).sum(axis=1)
        risk = np.where(rn > 0, rs / np.maximum(rn, 1), np.nan)
    out["risk_class"] = risk
    out["readiness"] = readiness(act)
    groups = [out["city_kode"], out["sector"]]
    out["score"] = _score(
        out["risk_class"],
        pd.Series(gap_n, index=out.index),
        out["cost_per_unit_idr"],
        groups,
        out["readiness"],
        weights,
    )
    out["rank"] = _rank(out, "code")
    return out.sort_values(["city_kode", "sector", "rank"], kind="stable")[
        list(ACTIVITY_COLUMNS)
    ].reset_index(drop=True)


__all__ = [
    "ACTIVITY_COLUMNS",
    "AREA_COLUMNS",
    "READINESS_COLUMNS",
    "WEIGHTS",
    "activity_priorities",
    "area_priorities",
    "readiness",
]
