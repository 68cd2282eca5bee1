"""Forecast of the programme's outputs from the pace to date (``docs/METHOD.md`` §10)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sanitasi.core.monitoring.performance import (
    Monitoring,
)
from sanitasi.core.monitoring.quarters import (
    ACTIVITY_KEYS,
    PACE_CAP,
    counted_realisation,
)
from sanitasi.core.programme import ProgrammeInputs

# ----------------------------------------------------------------------------- forecast


def forecast_outputs(
    prog: ProgrammeInputs,
    monitoring: Monitoring,
    period_end_year: int,
    pace_cap: float = PACE_CAP,
) -> pd.DataFrame:
    """Outputs per activity and year if the current pace persists to ``period_end_year``.

    * years before the monitored year (from the first planned year): the counted realised
      output of the whole year (0 where nothing was reported);
    * the monitored year: physical realised to date (:func:`physical_realised`; the
      realised output except for completion works with a reported progress) + (annual plan
      - planned to date) x pace;
    * later years up to ``period_end_year``: planned output x pace;

    with pace = min(physical % to date / 100, ``pace_cap``), 1.0 where physical % is
    n/a. Columns: ``city_kode, code, year, output, basis`` (``realised``, ``realised+pace``,
    ``pace``), ``pace``. Feeds the coverage engine to forecast the indicators.
    """
    Y = monitoring.year
    acts = monitoring.activities
    pace = (acts["physical_pct"] / 100.0).clip(upper=pace_cap).fillna(1.0)
    base = pd.DataFrame(
        {
            "city_kode": acts["city_kode"],
            "code": acts["code"],
            "pace": pace.to_numpy(),
            "current": (
                acts["physical_to_date"]
                + (acts["planned_output"] - acts["planned_output_to_date"]).clip(lower=0.0) * pace
            ).to_numpy(),
        }
    )
    p = prog.planned.assign(
        city_kode=prog.planned["city_kode"].astype(str),
        code=prog.planned["code"].astype(str),
        year=prog.planned["year"].astype(int),
    )
    first = int(p["year"].min()) if len(p) else Y
    years = pd.DataFrame({"year": range(min(first, Y), period_end_year + 1)})
    grid = base.merge(years, how="cross")
    plan = p.groupby([*ACTIVITY_KEYS, "year"], sort=False)["planned_output"].sum().reset_index()
    grid = grid.merge(plan, on=[*ACTIVITY_KEYS, "year"], how="left")
    r = counted_realisation(prog, monitoring.include_submitted)
    real = r[r["year"] < Y].groupby([*ACTIVITY_KEYS, "year"], sort=False)["output_achieved"].sum()
    grid = grid.merge(real.reset_index(), on=[*ACTIVITY_KEYS, "year"], how="left")
    y = grid["year"].to_numpy()
    out = np.select(
        [y < Y, y == Y],
        [grid["output_achieved"].fillna(0.0).to_numpy(), grid["current"].to_numpy()],
        default=(grid["planned_output"].fillna(0.0) * grid["pace"]).to_numpy(),
    )
    basis = np.select([y < Y, y == Y], ["realised", "realised+pace"], default="pace")
    res = pd.DataFrame(
        {
            "city_kode": grid["city_kode"],
            "code": grid["code"],
            "year": grid["year"].astype(int),
            "output": out.astype(float),
            "basis": basis,
            "pace": grid["pace"],
        }
    )
    return res.sort_values([*ACTIVITY_KEYS, "year"], kind="stable").reset_index(drop=True)
