"""The plan's warnings (targets missed or absent, cliffs, TPA full; ``docs/METHOD.md``
Appendix B): codes and values only, worded by :mod:`sanitasi.messages`."""

from __future__ import annotations

import numpy as np

from sanitasi.core import targets as tg
from sanitasi.core.model import PlanInputs, Warning_
from sanitasi.core.plan import HEADLINE, NEEDS_INDICATORS, PlanArrays


def _tpa_full_warning(a: PlanArrays, ci: int, ck: str, fy: int) -> Warning_:
    """SAN-W001: the TPA is full; for a TPA the city does not own (variant ``shared``), a
    decision for its owner with the facility's whole cell need over the SSK period (m³) and
    the city's share (m³, %)."""
    if not a.notes["tpa_regional"][ci]:
        return Warning_("SAN-W001", {"year": fy}, ck, fy)
    p0, p1 = a.options.period
    yrs = np.asarray(a.years)
    per = (yrs >= p0) & (yrs <= p1)
    total = float(a.tpa.facility_volume_m3[ci, per].sum())
    city = float(a.tpa.landfill_volume_m3[ci, per].sum())
    share = 100.0 * city / total if total > 0 else float("nan")
    values = dict(
        variant="shared", year=fy, p0=p0, p1=p1, total_m3=total, city_m3=city, share_pct=share
    )
    return Warning_("SAN-W001", values, ck, fy)


def _target_warnings(inputs: PlanInputs, a: PlanArrays) -> list[Warning_]:
    """SAN-W007 no target at all for an indicator with needs behind it, SAN-W008 a cliff year,
    SAN-W009 a LOCAL sasaran below a selected national target (docs/METHOD.md §4.6)."""
    P = inputs.parameters
    out: list[Warning_] = []
    for ind in NEEDS_INDICATORS:
        for ci, pts in enumerate(a.traj_points[ind]):
            if len(pts.years) == 0:
                out.append(Warning_("SAN-W007", {"indicator": ind}, str(a.city_kode[ci])))
    for ind in HEADLINE:
        factor = P.reader("trajectories.cliff").num("trajectory_cliff_factor")
        for cl in tg.cliffs(
            a.city_paths[ind],
            a.years,
            a.options.period,
            a.options.base_year,
            tg.lower_is_better(ind),
            factor,
            P.reader("trajectories.cliff").num("trajectory_cliff_min_pts"),
        ):
            j = int(np.searchsorted(a.years, cl.year))
            bind = a.binding[ind][cl.city][j]
            values = dict(
                indicator=ind,
                year=int(cl.year),
                increase_pts=float(cl.increase_pts),
                factor=float(factor),
                mean_pts=float(cl.mean_pts),
                binding=str(bind),
            )
            out.append(Warning_("SAN-W008", values, str(a.city_kode[cl.city]), cl.year))
    low = tg.local_below_national(inputs.targets, a.target_sets, [str(k) for k in a.city_kode])
    for r in low.to_dict("records"):
        year = int(r["year"])
        values = dict(
            indicator=str(r["indicator"]),
            year=year,
            local_pct=float(r["local_pct"]),
            target_set=str(r["target_set"]),
            national_pct=float(r["national_pct"]),
        )
        out.append(Warning_("SAN-W009", values, str(r["kode"]), year))
    return out


def warnings(inputs: PlanInputs, a: PlanArrays) -> list[Warning_]:
    """Engine warnings with stable codes."""
    out: list[Warning_] = _target_warnings(inputs, a)
    for ci, ck in enumerate(a.city_kode):
        fy = a.tpa.full_year[ci]
        if not np.isnan(fy):
            out.append(_tpa_full_warning(a, ci, str(ck), int(fy)))
        util = a.service.iplt_utilisation_pct[ci]
        over = np.nonzero(util > 100)[0]
        if len(over):
            y = int(a.years[over[0]])
            out.append(Warning_("SAN-W002", {"year": y}, str(ck), y))
        if a.service.iplt_capacity_m3_per_day[ci, 0] == 0:
            out.append(Warning_("SAN-W003", {}, str(ck)))
    no_ladder = ~a.notes["has_ladder"]
    if no_ladder.any():
        n = int(no_ladder.sum())
        out.append(Warning_("SAN-W004", {"n": n}))
    unmeasured = ~a.notes["rate_measured"]
    if unmeasured.any():
        out.append(Warning_("SAN-W005"))
    nodata = [
        i
        for i in ("pct_waste_pengurangan", "pct_waste_penanganan")
        if np.isnan(a.base_share["waste_" + i[10:]]).all()
    ]
    if nodata:
        out.append(Warning_("SAN-W006"))
    for p in inputs.parameters.overrides:
        values = dict(parameter=p.name, default=p.default, value=p.value, source=p.source)
        out.append(Warning_("SAN-W010", values))
    return out
