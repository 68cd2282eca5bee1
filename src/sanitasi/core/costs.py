"""Capital and operating costs and the funding indication (*indikasi pendanaan*).

Formulas (DESIGN.md section 4 "Costs and funding"):

* unit cost in year t = ``cost_idr x (1 + cost_escalation_rate_per_year)^(t - price_year)``
  (nominal rupiah of the year spent);
* capital cost = quantity added in year t x unit cost(t);
* operating cost: explicit operating items (``cost_kind = opex``, e.g. each scheduled
  desludging) = quantity x unit cost(t); items whose ``om_rule`` is ``om_share`` add
  ``om_share_of_capex_per_year`` x the capital they accumulated up to the year before
  (an asset built in year t operates from t+1), funded as item ``om_general``;
* funding: each cost x the item's shares in ``funding_shares.csv``; an item without shares
  goes to ``UNASSIGNED``.

Units: rupiah (IDR), nominal.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sanitasi.core.model import UNASSIGNED

OM_NEED = "operation_maintenance"
COST_COLUMNS = [
    "kode",
    "year",
    "sector",
    "need",
    "item",
    "cost_kind",
    "quantity",
    "unit",
    "unit_cost_idr",
    "cost_idr",
    "status",
]
OM_ITEM = "om_general"


def costs_table(
    city_kode: np.ndarray,
    years: np.ndarray,
    quantities: Mapping[str, np.ndarray],
    need_items: pd.DataFrame,
    unit_costs: pd.DataFrame,
    escalation: float,
    om_share: float,
    first_cost_year: int,
) -> pd.DataFrame:
    """Long cost table: kode, year, sector, need, item, cost_kind, quantity, unit,
    unit_cost_idr, cost_idr, status. ``quantities`` maps need -> (C, T) annual quantity.
    Only years >= ``first_cost_year`` are costed (the base year is the baseline)."""
    yrs = np.asarray(years)
    keep = yrs >= first_cost_year
    C, T = len(city_kode), int(keep.sum())
    frames = []
    for need, q in quantities.items():
        frames.append(
            pd.DataFrame(
                {
                    "kode": np.repeat(city_kode, T),
                    "year": np.tile(yrs[keep], C),
                    "need": need,
                    "quantity": q[:, keep].reshape(-1),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=COST_COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    ni = need_items[["need", "item", "cost_kind", "sector", "om_rule", "unit"]]
    df = df.merge(ni, on="need", how="left")
    uc = unit_costs[["item", "cost_idr", "price_year", "status"]].rename(
        columns={"cost_idr": "base_cost_idr"}
    )
    df = df.merge(uc, on="item", how="left")
    df["unit_cost_idr"] = df["base_cost_idr"] * (1.0 + escalation) ** (
        df["year"].astype(float) - df["price_year"].astype(float)
    )
    df["cost_idr"] = df["quantity"] * df["unit_cost_idr"]

    capex = df[(df["cost_kind"] == "capex") & (df["om_rule"] == "om_share")]
    om = None
    if not capex.empty:
        cap = pd.DataFrame(
            capex.groupby(["kode", "sector", "year"], as_index=False)["cost_idr"].sum()
        )
        cap = cap.sort_values(["kode", "sector", "year"])
        cap["cum_prev"] = cap.groupby(["kode", "sector"])["cost_idr"].cumsum() - cap["cost_idr"]
        om = pd.DataFrame(
            {
                "kode": cap["kode"],
                "year": cap["year"],
                "sector": cap["sector"],
                "need": OM_NEED,
                "item": OM_ITEM,
                "cost_kind": "opex",
                "quantity": cap["cum_prev"],
                "unit": "IDR of capital",
                "unit_cost_idr": om_share,
                "cost_idr": cap["cum_prev"] * om_share,
                "status": "derived",
            }
        )
    cols = COST_COLUMNS
    out = df[cols]
    if om is not None:
        out = pd.concat([out, om[cols]], ignore_index=True)
    out = out.assign(cost_idr=out["cost_idr"].fillna(0.0))
    return out.sort_values(["kode", "year", "sector", "need"], kind="stable").reset_index(drop=True)


def funding_table(costs: pd.DataFrame, funding_shares: pd.DataFrame) -> pd.DataFrame:
    """Indikasi pendanaan: kode, year, sector, source, cost_idr (sum over items)."""
    fs = funding_shares[["item", "source", "share"]]
    m = costs[["kode", "year", "sector", "item", "cost_idr"]].merge(fs, on="item", how="left")
    m["source"] = m["source"].fillna(UNASSIGNED)
    m["share"] = m["share"].fillna(1.0)
    m["cost_idr"] = m["cost_idr"] * m["share"]
    out = m.groupby(["kode", "year", "sector", "source"], as_index=False, observed=True)[
        "cost_idr"
    ].sum()
    return pd.DataFrame(out)
