"""Capital and operating costs and the funding indication (*indikasi pendanaan*).

Formulas (docs/METHOD.md §8):

* unit cost in year t = ``cost_idr x (1 + cost_escalation_rate_per_year)^(t - price_year)``
  (nominal rupiah of the year spent);
* capital cost = quantity added in year t x unit cost(t);
* operating cost: explicit operating items (``cost_kind = opex``, e.g. each scheduled
  desludging, the tipping fee per tonne) = quantity x unit cost(t); items whose ``om_rule`` is
  ``om_share`` add ``om_share_of_capex_per_year`` x their capital stock valued in rupiah of
  year t (the quantity built up to the year before x unit cost(t): an asset built in year t
  operates from t+1, and its O&M is escalated like capital). The O&M is paid by the
  ``om_item`` of the need (``om_general``: the city; ``om_community``: the community or KSM
  operator of community-run assets; ``om_regional``: the owner of a regional facility);
* funding: each cost x the shares of its ``funding_item`` (the unit-cost item unless the need
  names another) in ``funding_shares.csv``; an item without shares goes to ``UNASSIGNED``.

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
#: Default payer of the O&M of an ``om_share`` asset.
OM_ITEM = "om_general"
#: Unit of the O&M rows' quantity: the capital stock in rupiah of the year.
OM_UNIT = "IDR of capital"


def _col(need_items: pd.DataFrame, name: str, default: pd.Series) -> pd.Series:
    """Optional column of ``need_items`` with blanks filled from ``default``."""
    if name not in need_items.columns:
        return default
    v = need_items[name].fillna("").astype(str).str.strip()
    return v.where(v != "", default)


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
    unit_cost_idr, cost_idr, status (+ ``funding_item``). ``quantities`` maps need -> (C, T)
    annual quantity. Only years >= ``first_cost_year`` are costed and build O&M stock (the
    base year is the baseline)."""
    yrs = np.asarray(years)
    C, T = len(city_kode), len(yrs)
    frames = [
        pd.DataFrame(
            {
                "kode": np.repeat(city_kode, T),
                "year": np.tile(yrs, C),
                "need": need,
                "quantity": q.reshape(-1),
            }
        )
        for need, q in quantities.items()
    ]
    cols = [*COST_COLUMNS, "funding_item"]
    if not frames:
        return pd.DataFrame(columns=cols)
    df = pd.concat(frames, ignore_index=True)
    ni = need_items.copy()
    ni["funding_item"] = _col(ni, "funding_item", ni["item"])
    ni["om_item"] = _col(ni, "om_item", pd.Series(OM_ITEM, index=ni.index))
    ni = ni[["need", "item", "cost_kind", "sector", "om_rule", "om_item", "funding_item", "unit"]]
    df = df.merge(ni, on="need", how="left")
    uc = unit_costs[["item", "cost_idr", "price_year", "status"]].rename(
        columns={"cost_idr": "base_cost_idr"}
    )
    df = df.merge(uc, on="item", how="left")
    df["unit_cost_idr"] = df["base_cost_idr"] * (1.0 + escalation) ** (
        df["year"].astype(float) - df["price_year"].astype(float)
    )
    df["cost_idr"] = df["quantity"] * df["unit_cost_idr"]

    om = None
    capex = df[
        (df["cost_kind"] == "capex")
        & (df["om_rule"] == "om_share")
        & (df["year"] >= first_cost_year)
    ]
    if not capex.empty:
        c = capex.sort_values(["kode", "need", "year"])
        built_before = c.groupby(["kode", "need"])["quantity"].cumsum() - c["quantity"]
        stock = c.assign(stock_idr=built_before * c["unit_cost_idr"])
        g = stock.groupby(["kode", "sector", "om_item", "year"], as_index=False)["stock_idr"].sum()
        om = pd.DataFrame(
            {
                "kode": g["kode"],
                "year": g["year"],
                "sector": g["sector"],
                "need": OM_NEED,
                "item": g["om_item"],
                "cost_kind": "opex",
                "quantity": g["stock_idr"],
                "unit": OM_UNIT,
                "unit_cost_idr": om_share,
                "cost_idr": g["stock_idr"] * om_share,
                "status": "derived",
                "funding_item": g["om_item"],
            }
        )
    out = df[cols]
    if om is not None:
        out = pd.concat([out, om[cols]], ignore_index=True)
    out = out[out["year"] >= first_cost_year]
    out = out.assign(cost_idr=out["cost_idr"].fillna(0.0))
    return out.sort_values(["kode", "year", "sector", "need", "item"], kind="stable").reset_index(
        drop=True
    )


def funding_table(costs: pd.DataFrame, funding_shares: pd.DataFrame) -> pd.DataFrame:
    """Indikasi pendanaan: kode, year, sector, source, cost_idr (sum over items); each cost
    is split by the shares of its ``funding_item`` (else its ``item``)."""
    fs = funding_shares[["item", "source", "share"]].rename(columns={"item": "funding_item"})
    c = costs[["kode", "year", "sector", "item", "cost_idr"]].copy()
    c["funding_item"] = costs["funding_item"] if "funding_item" in costs else costs["item"]
    m = c.merge(fs, on="funding_item", how="left")
    m["source"] = m["source"].fillna(UNASSIGNED)
    m["share"] = m["share"].fillna(1.0)
    m["cost_idr"] = m["cost_idr"] * m["share"]
    out = m.groupby(["kode", "year", "sector", "source"], as_index=False, observed=True)[
        "cost_idr"
    ].sum()
    return pd.DataFrame(out)
