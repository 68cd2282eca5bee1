"""Activity performance, roll-ups and warnings of a reported quarter (``docs/METHOD.md`` §10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sanitasi.core.model import (
    FUNDING_SOURCES,
    STATUSES,
    ParameterSet,
    Table,
    Warning_,
    count_status,
)
from sanitasi.core.monitoring.meetings import (
    action_items_status,
)
from sanitasi.core.monitoring.quarters import (
    ABSORPTION_SOURCES,
    ACTIVITY_KEYS,
    BEHIND_BAND,
    INVESTMENT_COLUMNS,
    INVESTMENT_SOURCES,
    PHYSICAL_CAP_PCT,
    W_BEHIND,
    W_NO_REPORT,
    W_OVERDUE,
    W_OVERSPEND,
    W_UNPLANNED_OUTPUT,
    W_UNPLANNED_SPENDING,
    _activity_frame,
    _check_quarter,
    _ratio_pct,
    _states,
    activity_shares,
    band_of,
    band_thresholds,
    counted_realisation,
    kecamatan_of,
    location_level,
    quarter_end,
)
from sanitasi.core.programme import COMPLETION_PROFILE, ProgrammeInputs
from sanitasi.core.reads import tracking

# ----------------------------------------------------------------------------- monitoring


@dataclass(frozen=True)
class Monitoring:
    """The monitoring of one reported quarter (all cities of the inputs).

    ``activities``: one row per activity (see :data:`ACTIVITY_COLUMNS`); ``by_agency``,
    ``by_sector``, ``by_kecamatan``, ``by_city``: roll-ups (:data:`ROLLUP_COLUMNS` after the
    group keys); ``by_source``: the roll-up by city and funding source with its
    ``money_kind`` (absorption of APBD Kab/Kota and DAK, investment of the other sources);
    ``series``: per activity and quarter 1-4 of the year, planned vs realised
    cumulative output and money; ``action_items``: :func:`action_items_status` as of
    ``as_of``; ``warnings`` and ``warnings_table`` (same content, the table with the
    activity, agency and quarter as columns); ``thresholds``: the band lower bounds and the
    overspend tolerance used; ``provenance``: counts of the input rows by status.
    """

    year: int
    quarter: int
    as_of: dt.date
    include_submitted: bool
    activities: pd.DataFrame
    by_agency: pd.DataFrame
    by_sector: pd.DataFrame
    by_kecamatan: pd.DataFrame
    by_city: pd.DataFrame
    by_source: pd.DataFrame
    series: pd.DataFrame
    action_items: pd.DataFrame
    warnings: tuple[Warning_, ...]
    warnings_table: pd.DataFrame
    thresholds: Mapping[str, float] = field(default_factory=dict)
    provenance: Mapping[str, int] = field(default_factory=dict)

    def tables(self) -> dict[str, Table]:
        """The monitoring tables with Indonesian/English labels (report order)."""
        from sanitasi.core.monitoring.tables import monitoring_tables

        return monitoring_tables(self)


def _plan_of_year(prog: ProgrammeInputs, year: int) -> pd.DataFrame:
    p = prog.planned
    p = p[p["year"].astype(int) == year]
    g = (
        p.assign(city_kode=p["city_kode"].astype(str), code=p["code"].astype(str))
        .groupby(ACTIVITY_KEYS, sort=False)[["planned_output", "planned_cost_idr"]]
        .sum()
        .reset_index()
    )
    return g


def _missing_reports(
    prog: ProgrammeInputs, df: pd.DataFrame, year: int, quarter: int
) -> pd.DataFrame:
    """(city_kode, code, quarter) of planned activities with no submitted/verified row, for
    the quarters from the activity's adoption quarter (``judged_from_quarter``) to
    ``quarter``."""
    has_plan = (df["planned_output"] > 0) | (df["planned_cost_idr"] > 0)
    planned = df.loc[has_plan, [*ACTIVITY_KEYS, "judged_from_quarter"]]
    grid = planned.merge(pd.DataFrame({"quarter": range(1, quarter + 1)}), how="cross")
    grid = grid.loc[grid["quarter"] >= grid["judged_from_quarter"], [*ACTIVITY_KEYS, "quarter"]]
    r = prog.realisation
    is_report = _states(r).isin(("submitted", "verified")).to_numpy()
    rep = pd.DataFrame(
        {
            "city_kode": r["city_kode"].astype(str).to_numpy(),
            "code": r["activity_code"].astype(str).to_numpy(),
            "year": r["year"].astype(int).to_numpy(),
            "quarter": r["quarter"].astype(int).to_numpy(),
        }
    )[is_report]
    rep = rep.loc[rep["year"] == year, ["city_kode", "code", "quarter"]].drop_duplicates()
    m = grid.merge(rep, on=["city_kode", "code", "quarter"], how="left", indicator=True)
    return m.loc[m["_merge"] == "left_only", ["city_kode", "code", "quarter"]].reset_index(
        drop=True
    )


def latest_progress(counted: pd.DataFrame) -> pd.DataFrame:
    """``city_kode, code, progress_pct``: the progress of the latest quarter of ``counted``
    (rows of :func:`counted_realisation`, already limited to the year and quarters wanted)
    that reports one; activities without any are left out."""
    r = counted.loc[counted["progress_pct"].notna(), [*ACTIVITY_KEYS, "quarter", "progress_pct"]]
    r = r.sort_values([*ACTIVITY_KEYS, "quarter"], kind="stable")
    return r.drop_duplicates(ACTIVITY_KEYS, keep="last")[[*ACTIVITY_KEYS, "progress_pct"]]


def physical_realised(
    output: pd.Series | np.ndarray,
    progress_pct: pd.Series | np.ndarray,
    planned_output: pd.Series | np.ndarray,
) -> np.ndarray:
    """Physical realised to date in output units (``docs/METHOD.md`` §10):
    ``max(output, progress_pct / 100 x planned_output)`` where a progress is given (NaN =
    not reported: the output alone). ``output`` = realised output to date, ``progress_pct``
    = latest reported *progres fisik* (0-100 %, completion works only), ``planned_output`` =
    annual planned output."""
    o = np.asarray(output, dtype=float)
    p = np.asarray(progress_pct, dtype=float)
    by_progress = p / 100.0 * np.asarray(planned_output, dtype=float)
    return np.where(np.isnan(p), o, np.fmax(o, by_progress))


def activity_performance(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    include_submitted: bool = False,
) -> pd.DataFrame:
    """Per-activity monitoring table of ``year`` up to ``quarter`` (see module docstring).

    Columns: :data:`ACTIVITY_COLUMNS`.
    """
    _check_quarter(quarter)
    df = _activity_frame(prog).drop(columns="adopted_on")
    df = df.merge(_plan_of_year(prog, year), on=ACTIVITY_KEYS, how="left")
    df[["planned_output", "planned_cost_idr"]] = df[["planned_output", "planned_cost_idr"]].fillna(
        0.0
    )
    shares = activity_shares(prog, params, year)
    sq = shares.loc[shares["quarter"] == quarter, [*ACTIVITY_KEYS, "judged_from_quarter", "share"]]
    df = df.merge(sq.rename(columns={"share": "profile_share"}), on=ACTIVITY_KEYS, how="left")
    df["planned_output_to_date"] = df["planned_output"] * df["profile_share"]
    df["planned_cost_to_date_idr"] = df["planned_cost_idr"] * df["profile_share"]

    r = counted_realisation(prog, include_submitted)
    r = r[(r["year"] == year) & (r["quarter"] <= quarter)]
    cum = r.groupby(ACTIVITY_KEYS, sort=False)[["output_achieved", "cost_spent_idr"]].sum()
    cum.columns = pd.Index(["output_to_date", "spent_to_date_idr"])
    inq = (
        r[r["quarter"] == quarter]
        .groupby(ACTIVITY_KEYS, sort=False)[["output_achieved", "cost_spent_idr"]]
        .sum()
    )
    inq.columns = pd.Index(["output_quarter", "spent_quarter_idr"])
    df = df.merge(cum.reset_index(), on=ACTIVITY_KEYS, how="left")
    df = df.merge(inq.reset_index(), on=ACTIVITY_KEYS, how="left")
    for c in ("output_to_date", "spent_to_date_idr", "output_quarter", "spent_quarter_idr"):
        df[c] = df[c].fillna(0.0)
    df = df.merge(latest_progress(r), on=ACTIVITY_KEYS, how="left")

    po, pc = df["planned_output"].to_numpy(), df["planned_cost_idr"].to_numpy()
    pot, pct = df["planned_output_to_date"].to_numpy(), df["planned_cost_to_date_idr"].to_numpy()
    out, spent = df["output_to_date"].to_numpy(), df["spent_to_date_idr"].to_numpy()
    completion = (df["plan_profile"] == COMPLETION_PROFILE).to_numpy()
    progress = np.where(completion, df["progress_pct"].to_numpy(dtype=float), np.nan)
    df["progress_pct"] = progress
    df["physical_to_date"] = physical_realised(out, progress, po)
    df["physical_pct"] = _ratio_pct(df["physical_to_date"], pot)
    df["financial_pct"] = _ratio_pct(spent, pct)
    apbd = df["funding_source"].isin(ABSORPTION_SOURCES).to_numpy()
    df["money_kind"] = np.where(apbd, "absorption", "investment")
    df["absorption_pct"] = np.where(apbd, _ratio_pct(spent, pc), np.nan)
    df["investment_idr"] = np.where(apbd, 0.0, spent)
    with np.errstate(divide="ignore", invalid="ignore"):
        puc = np.where(po > 0, pc / np.where(po > 0, po, 1.0), np.nan)
        ruc = np.where(out > 0, spent / np.where(out > 0, out, 1.0), np.nan)
        ok = (ruc > 0) & (puc > 0)
        eff = np.where(ok, puc / np.where(ok, ruc, 1.0) * 100.0, np.nan)
        overrun = np.where(ok, (ruc / np.where(ok, puc, 1.0) - 1.0) * 100.0, np.nan)
    df["planned_unit_cost_idr"] = puc
    df["realised_unit_cost_idr"] = ruc
    df["efficiency_pct"] = eff
    df["unit_cost_overrun_pct"] = overrun
    thr = band_thresholds(params)
    tol = params.reader("monitoring.absorption").num("overspend_tolerance")
    df["band"] = band_of(df["physical_pct"], thr)
    df["behind"] = (df["physical_pct"] < thr[BEHIND_BAND]).to_numpy()
    # strictly above the tolerance; 1e-9 points absorbs float noise at exactly the tolerance
    df["overspend"] = np.nan_to_num(overrun, nan=-np.inf) > tol * 100.0 + 1e-9
    df["unplanned_output"] = (pot <= 0) & (out > 0)
    df["unplanned_spending"] = (pct <= 0) & (spent > 0)
    miss = _missing_reports(prog, df, year, quarter)
    mq = (
        miss.groupby(ACTIVITY_KEYS, sort=False)["quarter"]
        .agg(lambda s: tuple(int(q) for q in s))  # type: ignore[type-var]
        .rename("missing_quarters")
        .reset_index()
    )
    df = df.merge(mq, on=ACTIVITY_KEYS, how="left")
    df["missing_quarters"] = df["missing_quarters"].map(lambda t: t if isinstance(t, tuple) else ())
    df["kecamatan_kode"] = kecamatan_of(df["location_kode"])
    df["location_level"] = location_level(df["location_kode"])
    df.insert(2, "year", year)
    df.insert(3, "quarter", quarter)
    return df[ACTIVITY_COLUMNS].sort_values(ACTIVITY_KEYS, kind="stable").reset_index(drop=True)


#: Columns of :attr:`Monitoring.activities`, in order.
ACTIVITY_COLUMNS: list[str] = [
    "city_kode",
    "code",
    "year",
    "quarter",
    "sector",
    "activity",
    "lead_agency",
    "location_kode",
    "location_level",
    "kecamatan_kode",
    "funding_source",
    "money_kind",
    "plan_profile",
    "output_unit",
    "planned_output",
    "planned_cost_idr",
    "profile_share",
    "judged_from_quarter",
    "planned_output_to_date",
    "planned_cost_to_date_idr",
    "output_quarter",
    "spent_quarter_idr",
    "output_to_date",
    "progress_pct",
    "physical_to_date",
    "spent_to_date_idr",
    "physical_pct",
    "financial_pct",
    "absorption_pct",
    "investment_idr",
    "planned_unit_cost_idr",
    "realised_unit_cost_idr",
    "efficiency_pct",
    "unit_cost_overrun_pct",
    "band",
    "behind",
    "overspend",
    "unplanned_output",
    "unplanned_spending",
    "missing_quarters",
]

#: Columns of the roll-ups after their group keys.
ROLLUP_COLUMNS: list[str] = [
    "n_activities",
    "output_unit",
    "planned_output",
    "planned_output_to_date",
    "output_to_date",
    "planned_cost_idr",
    "planned_cost_to_date_idr",
    "spent_to_date_idr",
    "unplanned_spent_idr",
    "financial_pct",
    "apbd_pagu_idr",
    "apbd_spent_idr",
    "absorption_pct",
    "investment_idr",
    *INVESTMENT_COLUMNS,
    "physical_index_pct",
    "band",
    "n_with_plan_to_date",
    "n_behind",
    "n_overspend",
    "n_unplanned",
    "n_missing_reports",
]


def rollup(
    acts: pd.DataFrame, keys: Sequence[str], thresholds: Mapping[str, float]
) -> pd.DataFrame:
    """Roll the per-activity table up to ``keys`` (money summed, outputs summed only where the
    group has one output unit, ratio-of-sums percentages and the cost-weighted capped
    physical index; see the module docstring). Columns: ``keys`` + :data:`ROLLUP_COLUMNS`."""
    keys = list(keys)
    d = acts.copy()
    apbd = d["money_kind"] == "absorption"
    has_phys = d["physical_pct"].notna()
    w = d["planned_cost_idr"].where(has_phys, 0.0)
    d["_w"] = w
    d["_wx"] = d["physical_pct"].clip(upper=PHYSICAL_CAP_PCT).fillna(0.0) * w
    has_pagu = apbd & (d["planned_cost_idr"] > 0)
    d["apbd_pagu_idr"] = d["planned_cost_idr"].where(apbd, 0.0)
    d["apbd_spent_idr"] = d["spent_to_date_idr"].where(has_pagu, 0.0)
    planned_cost = d["planned_cost_to_date_idr"] > 0
    d["_spent_on_plan"] = d["spent_to_date_idr"].where(planned_cost, 0.0)
    d["unplanned_spent_idr"] = d["spent_to_date_idr"].where(~planned_cost, 0.0)
    d["_has"] = has_phys
    d["_unplanned"] = d["unplanned_output"] | d["unplanned_spending"]
    d["_missing"] = d["missing_quarters"].map(len)
    for src, col in zip(INVESTMENT_SOURCES, INVESTMENT_COLUMNS, strict=True):
        d[col] = d["investment_idr"].where(d["funding_source"] == src, 0.0)
    g = d.groupby(keys, sort=True, dropna=False)
    sums = g[
        [
            "planned_output",
            "planned_output_to_date",
            "output_to_date",
            "planned_cost_idr",
            "planned_cost_to_date_idr",
            "spent_to_date_idr",
            "_spent_on_plan",
            "unplanned_spent_idr",
            "apbd_pagu_idr",
            "apbd_spent_idr",
            "investment_idr",
            *INVESTMENT_COLUMNS,
            "_w",
            "_wx",
            "_has",
            "behind",
            "overspend",
            "_unplanned",
            "_missing",
        ]
    ].sum()
    units = g["output_unit"].agg(["nunique", "first"])
    one_unit = (units["nunique"] == 1).to_numpy()
    out = pd.DataFrame(index=sums.index)
    out["n_activities"] = g.size().astype(int)
    out["output_unit"] = np.where(one_unit, units["first"].astype(str), "")
    for c in ("planned_output", "planned_output_to_date", "output_to_date"):
        out[c] = np.where(one_unit, sums[c], np.nan)
    for c in ("planned_cost_idr", "planned_cost_to_date_idr", "spent_to_date_idr"):
        out[c] = sums[c]
    out["unplanned_spent_idr"] = sums["unplanned_spent_idr"]
    out["financial_pct"] = _ratio_pct(sums["_spent_on_plan"], sums["planned_cost_to_date_idr"])
    out["apbd_pagu_idr"] = sums["apbd_pagu_idr"]
    out["apbd_spent_idr"] = sums["apbd_spent_idr"]
    out["absorption_pct"] = _ratio_pct(sums["apbd_spent_idr"], sums["apbd_pagu_idr"])
    out["investment_idr"] = sums["investment_idr"]
    for col in INVESTMENT_COLUMNS:
        out[col] = sums[col]
    with np.errstate(divide="ignore", invalid="ignore"):
        wsum = sums["_w"].to_numpy(dtype=float)
        out["physical_index_pct"] = np.where(
            wsum > 0, sums["_wx"].to_numpy(dtype=float) / np.where(wsum > 0, wsum, 1.0), np.nan
        )
    out["band"] = band_of(out["physical_index_pct"], thresholds)
    out["n_with_plan_to_date"] = sums["_has"].astype(int)
    out["n_behind"] = sums["behind"].astype(int)
    out["n_overspend"] = sums["overspend"].astype(int)
    out["n_unplanned"] = sums["_unplanned"].astype(int)
    out["n_missing_reports"] = sums["_missing"].astype(int)
    return out.reset_index()[keys + ROLLUP_COLUMNS]


def money_by_source(acts: pd.DataFrame, thresholds: Mapping[str, float]) -> pd.DataFrame:
    """The roll-up by ``city_kode, funding_source`` (:func:`rollup`) with the ``money_kind``
    of the source (``absorption`` for :data:`ABSORPTION_SOURCES`, else ``investment``),
    sources in :data:`~sanitasi.core.model.FUNDING_SOURCES` order. Columns: ``city_kode,
    funding_source, money_kind`` + :data:`ROLLUP_COLUMNS`."""
    out = rollup(acts, ["city_kode", "funding_source"], thresholds)
    kind = np.where(out["funding_source"].isin(ABSORPTION_SOURCES), "absorption", "investment")
    out.insert(2, "money_kind", kind)
    order = {s: i for i, s in enumerate(FUNDING_SOURCES)}
    rank = out["funding_source"].map(order).fillna(len(order))
    return (
        out.assign(_rank=rank)
        .sort_values(["city_kode", "_rank", "funding_source"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def quarterly_series(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    include_submitted: bool = False,
) -> pd.DataFrame:
    """Per activity and quarter 1-4 of ``year``: cumulative plan (annual x rebased profile
    share ``s'(Q)``) and cumulative counted realisation (NaN after the reported ``quarter``).

    Columns: ``city_kode, code, year, quarter, output_unit, planned_output_cum,
    realised_output_cum, physical_output_cum`` (the physical realised to date of
    :func:`physical_realised`, = realised output except for completion works with a reported
    progress), ``planned_cost_cum_idr, spent_cum_idr``.
    """
    _check_quarter(quarter)
    a = _activity_frame(prog)[["city_kode", "code", "output_unit"]]
    a = a.merge(_plan_of_year(prog, year), on=ACTIVITY_KEYS, how="left")
    a[["planned_output", "planned_cost_idr"]] = a[["planned_output", "planned_cost_idr"]].fillna(
        0.0
    )
    shares = activity_shares(prog, params, year)
    grid = a.merge(shares[shares["quarter"] > 0], on=ACTIVITY_KEYS, how="left")
    r = counted_realisation(prog, include_submitted)
    r = r[r["year"] == year]
    per_q = r.groupby([*ACTIVITY_KEYS, "quarter"], sort=False)[
        ["output_achieved", "cost_spent_idr"]
    ].sum()
    prog_q = r[[*ACTIVITY_KEYS, "quarter", "progress_pct"]].drop_duplicates(
        [*ACTIVITY_KEYS, "quarter"]
    )
    grid = grid.merge(per_q.reset_index(), on=[*ACTIVITY_KEYS, "quarter"], how="left")
    grid = grid.merge(prog_q, on=[*ACTIVITY_KEYS, "quarter"], how="left")
    grid[["output_achieved", "cost_spent_idr"]] = grid[
        ["output_achieved", "cost_spent_idr"]
    ].fillna(0.0)
    grid = grid.sort_values([*ACTIVITY_KEYS, "quarter"], kind="stable").reset_index(drop=True)
    gg = grid.groupby(ACTIVITY_KEYS, sort=False)
    cum_out = gg["output_achieved"].cumsum()
    cum_cost = gg["cost_spent_idr"].cumsum()
    completion = grid["plan_profile"] == COMPLETION_PROFILE
    progress = grid["progress_pct"].astype(float).where(completion)
    latest = progress.groupby([grid[k] for k in ACTIVITY_KEYS], sort=False).ffill()
    physical = physical_realised(cum_out, latest, grid["planned_output"])
    later = grid["quarter"] > quarter
    return pd.DataFrame(
        {
            "city_kode": grid["city_kode"],
            "code": grid["code"],
            "year": year,
            "quarter": grid["quarter"].astype(int),
            "output_unit": grid["output_unit"],
            "planned_output_cum": grid["planned_output"] * grid["share"],
            "realised_output_cum": cum_out.mask(later),
            "physical_output_cum": pd.Series(physical, index=grid.index).mask(later),
            "planned_cost_cum_idr": grid["planned_cost_idr"] * grid["share"],
            "spent_cum_idr": cum_cost.mask(later),
        }
    )


def _activity_warnings(
    acts: pd.DataFrame,
    miss: pd.DataFrame,
    thr: Mapping[str, float],
    tol: float,
    names: Mapping[str, str],
) -> list[dict[str, object]]:
    """Rows of the warnings table (SAN-W301..W303, W305, W306), each with the values of its
    message under ``_values`` (worded by :mod:`sanitasi.messages`): the activity, its lead
    agency and location (code and name), and the figures."""
    rows: list[dict[str, object]] = []

    def add(
        code: str, r: pd.Series, value: float, q: int | None = None, /, **values: object
    ) -> None:
        kode = str(r["location_kode"])
        who = dict(
            activity=str(r["code"]),
            agency=str(r["lead_agency"]),
            area=kode,
            area_name=names.get(kode, ""),
        )
        rows.append(
            dict(
                code=code,
                city_kode=r["city_kode"],
                activity_code=r["code"],
                agency=r["lead_agency"],
                kode=r["location_kode"],
                year=int(r["year"]),
                quarter=int(r["quarter"]) if q is None else q,
                value=float(value),
                _values={**who, **values},
            )
        )

    sedang = thr[BEHIND_BAND]
    for _, r in acts[acts["behind"]].iterrows():
        y, q, p = int(r["year"]), int(r["quarter"]), float(r["physical_pct"])
        prog = float(r["progress_pct"])
        extra: dict[str, object] = (
            {"variant": "no_progress"} if np.isnan(prog) else {"progress_pct": prog}
        )
        add(
            W_BEHIND,
            r,
            p,
            physical_pct=p,
            quarter=q,
            year=y,
            threshold_pct=float(sedang),
            band=str(r["band"]),
            done=float(r["physical_to_date"]),
            due=float(r["planned_output_to_date"]),
            unit=str(r["output_unit"]),
            **extra,
        )
    for _, r in acts[acts["overspend"]].iterrows():
        o = float(r["unit_cost_overrun_pct"])
        add(
            W_OVERSPEND,
            r,
            o,
            realised_idr=float(r["realised_unit_cost_idr"]),
            unit=str(r["output_unit"]),
            planned_idr=float(r["planned_unit_cost_idr"]),
            overrun_pct=o,
            tolerance_pct=float(tol * 100),
        )
    if len(miss):
        m = miss.merge(acts, on=ACTIVITY_KEYS, how="left", suffixes=("", "_reported"))
        for _, r in m.iterrows():
            q, y = int(r["quarter"]), int(r["year"])
            add(W_NO_REPORT, r, float(q), q, quarter=q, year=y)
    for _, r in acts[acts["unplanned_output"]].iterrows():
        y, q, o = int(r["year"]), int(r["quarter"]), float(r["output_to_date"])
        add(W_UNPLANNED_OUTPUT, r, o, output=o, unit=str(r["output_unit"]), quarter=q, year=y)
    for _, r in acts[acts["unplanned_spending"]].iterrows():
        y, q, s = int(r["year"]), int(r["quarter"]), float(r["spent_to_date_idr"])
        add(W_UNPLANNED_SPENDING, r, s, spent_idr=s, quarter=q, year=y)
    return rows


def _overdue_warnings(
    ai: pd.DataFrame, year: int, quarter: int, names: Mapping[str, str]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for _, r in ai[ai["overdue"]].iterrows():
        d = int(r["days_overdue"])
        k = str(r["city_kode"])
        rows.append(
            dict(
                code=W_OVERDUE,
                city_kode=r["city_kode"],
                activity_code="",
                agency=r["owner_agency"],
                kode=r["city_kode"],
                year=year,
                quarter=quarter,
                value=float(d),
                _values=dict(
                    meeting=str(r["meeting_id"]),
                    agency=str(r["owner_agency"]),
                    area=k,
                    area_name=names.get(k, ""),
                    action=str(r["action"]),
                    due_date=pd.Timestamp(r["due_date"]).date().isoformat(),
                    days=d,
                ),
            )
        )
    return rows


WARNING_TABLE_COLUMNS = [
    "code",
    "city_kode",
    "activity_code",
    "agency",
    "kode",
    "year",
    "quarter",
    "value",
]


def monitor(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    as_of: dt.date | None = None,
    include_submitted: bool = False,
    names: Mapping[str, str] | None = None,
) -> Monitoring:
    """Monitor the programme in ``year`` up to ``quarter`` as of ``as_of`` (default: the last
    day of the quarter). Only ``verified`` realisation counts unless ``include_submitted``.
    ``names`` (region code -> name): the warnings name an activity's location by its name
    (``lokasi Kota Solok (13.72)``), never by its bare code.

    Returns a :class:`Monitoring`: per-activity performance, roll-ups by lead agency, sector,
    kecamatan and city, quarterly series, action items and SAN-W3xx warnings. Its
    ``provenance`` counts the activities, the realisation of the year and the parameters the
    monitoring read (plan profiles, bands, overspend tolerance; docs/METHOD.md §16).
    """
    with tracking() as read:
        m = _monitor(prog, params, year, quarter, as_of, include_submitted, names or {})
    p = params.params
    used = count_status(p[n].status for n in sorted(read.names()) if n in p)
    return replace(m, provenance={s: int(m.provenance.get(s, 0)) + used[s] for s in STATUSES})


def _monitor(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    as_of: dt.date | None,
    include_submitted: bool,
    names: Mapping[str, str],
) -> Monitoring:
    _check_quarter(quarter)
    as_of = as_of or quarter_end(year, quarter)
    acts = activity_performance(prog, params, year, quarter, include_submitted)
    thr = band_thresholds(params)
    tol = params.reader("monitoring.absorption").num("overspend_tolerance")
    by_agency = rollup(acts, ["city_kode", "lead_agency"], thr)
    by_sector = rollup(acts, ["city_kode", "sector"], thr)
    by_kecamatan = rollup(acts, ["city_kode", "kecamatan_kode"], thr)
    by_city = rollup(acts, ["city_kode"], thr)
    by_source = money_by_source(acts, thr)
    series = quarterly_series(prog, params, year, quarter, include_submitted)
    ai = action_items_status(prog, as_of)
    ex = acts.explode("missing_quarters")
    miss = (
        ex.loc[ex["missing_quarters"].notna(), [*ACTIVITY_KEYS, "missing_quarters"]]
        .rename(columns={"missing_quarters": "quarter"})
        .astype({"quarter": int})
        .reset_index(drop=True)
    )
    rows = _activity_warnings(acts, miss, thr, tol, names)
    rows += _overdue_warnings(ai, year, quarter, names)
    wt = pd.DataFrame(rows, columns=[*WARNING_TABLE_COLUMNS, "_values"])
    wt = wt.sort_values(["code", "city_kode", "activity_code", "quarter", "agency"], kind="stable")
    wt = wt.reset_index(drop=True)
    warns = tuple(
        Warning_(str(c), v, str(k), int(y))
        for c, v, k, y in zip(wt["code"], wt["_values"], wt["kode"], wt["year"], strict=True)
    )
    wt = wt.drop(columns="_values")
    r = prog.realisation
    in_year = (r["year"].astype(int) == year) & (r["quarter"].astype(int) <= quarter)
    statuses = list(prog.activities["status"].astype(str)) + list(
        r.loc[in_year, "status"].astype(str)
    )
    return Monitoring(
        year=year,
        quarter=quarter,
        as_of=as_of,
        include_submitted=include_submitted,
        activities=acts,
        by_agency=by_agency,
        by_sector=by_sector,
        by_kecamatan=by_kecamatan,
        by_city=by_city,
        by_source=by_source,
        series=series,
        action_items=ai,
        warnings=warns,
        warnings_table=wt,
        thresholds={**{f"{b}_min_pct": v for b, v in thr.items()}, "overspend_tolerance": tol},
        provenance=count_status(statuses),
    )
