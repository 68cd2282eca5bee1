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

from collections.abc import Mapping, Sequence

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


def _cost_items(
    quantities: Mapping[str, np.ndarray], need_items: pd.DataFrame, unit_costs: pd.DataFrame
) -> pd.DataFrame:
    """One row per costed (need, item) in the order of ``quantities``: the need's items
    (``need_items.csv``, with ``funding_item`` and ``om_item`` filled) and their unit costs."""
    ni = need_items.copy()
    ni["funding_item"] = _col(ni, "funding_item", ni["item"])
    ni["om_item"] = _col(ni, "om_item", pd.Series(OM_ITEM, index=ni.index))
    ni = ni[["need", "item", "cost_kind", "sector", "om_rule", "om_item", "funding_item", "unit"]]
    uc = unit_costs[["item", "cost_idr", "price_year", "status"]].rename(
        columns={"cost_idr": "base_cost_idr"}
    )
    needs = pd.DataFrame({"need": pd.Series([str(k) for k in quantities], dtype=ni["need"].dtype)})
    return needs.merge(ni, on="need", how="left").merge(uc, on="item", how="left")


def _ranks(values: Sequence[object]) -> tuple[np.ndarray, list[object]]:
    """Codes of ``values`` in the sorted order of their distinct texts (missing last, -1)."""
    texts = sorted({v for v in values if isinstance(v, str)})
    pos = {v: i for i, v in enumerate(texts)}
    codes = np.array([pos.get(v, -1) if isinstance(v, str) else -1 for v in values])
    return codes, list(texts)


def _text(values: Sequence[object], take: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A text column: ``values[take]`` (missing stays missing)."""
    arr = pd.array([v if isinstance(v, str) else None for v in values], dtype="str")
    return arr.take(take)


def _om_stock(
    meta: pd.DataFrame, Q: np.ndarray, U: np.ndarray, kept: np.ndarray
) -> tuple[list[tuple[object, object]], np.ndarray] | None:
    """O&M capital stock of the ``om_share`` capital items: per (sector, om_item) group, per
    city and costed year, the quantity built up to the year before x unit cost(t), summed
    over the group's needs; ``None`` when there is none. The same pandas group sums as on
    the long table (rows ordered by city, need, year), on integer keys."""
    capex = np.flatnonzero(
        ((meta["cost_kind"] == "capex") & (meta["om_rule"] == "om_share")).to_numpy(dtype=bool)
    )
    C, Tk = Q.shape[1], int(kept.sum())
    if len(capex) == 0 or C == 0 or Tk == 0:
        return None
    need_rank, _needs = _ranks(list(meta["need"]))
    # rows: city, need (sorted), year, then the need's items in their order
    order = sorted(capex, key=lambda r: need_rank[r])  # stable: items keep their order
    n_rank = np.array([need_rank[r] for r in order])
    q = Q[order][:, :, kept]  # (K, C, Tk)
    u = U[order][:, kept]  # (K, Tk)
    K = len(order)
    # (C, need, Tk, item) order: items of one need are interleaved year by year
    first = np.r_[True, n_rank[1:] != n_rank[:-1]]
    group = np.cumsum(first) - 1  # need group of each capex row
    slot = np.arange(K) - np.flatnonzero(first)[group]  # position within its need
    city_i = np.repeat(np.arange(C), K * Tk)
    k_i = np.tile(np.repeat(np.arange(K), Tk), C)
    t_i = np.tile(np.tile(np.arange(Tk), K), C)
    sort = np.lexsort((slot[k_i], t_i, group[k_i], city_i))
    city_i, k_i, t_i = city_i[sort], k_i[sort], t_i[sort]
    quantity = q[k_i, city_i, t_i]
    built = pd.Series(quantity).groupby([city_i, group[k_i]]).cumsum().to_numpy() - quantity
    stock = built * u[k_i, t_i]
    sector_rank, sectors = _ranks(list(meta["sector"]))
    om_rank, om_items = _ranks(list(meta["om_item"]))
    rows = np.array(order)[k_i]
    keys = pd.DataFrame(
        {"c": city_i, "s": sector_rank[rows], "o": om_rank[rows], "t": t_i, "v": stock}
    )
    keys = keys[(keys["s"] >= 0) & (keys["o"] >= 0)]  # as groupby: missing keys dropped
    g = keys.groupby(["c", "s", "o", "t"], as_index=False)["v"].sum()
    pairs = sorted(set(zip(g["s"], g["o"], strict=True)))
    out = np.zeros((len(pairs), C, Tk))
    where = {p: i for i, p in enumerate(pairs)}
    gi = np.array([where[p] for p in zip(g["s"], g["o"], strict=True)], dtype=np.intp)
    out[gi, g["c"].to_numpy(), g["t"].to_numpy()] = g["v"].to_numpy()
    return [(sectors[s], om_items[o]) for s, o in pairs], out


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
    base year is the baseline). Rows sorted by kode, year, sector, need, item.

    Computed on (item, city, year) arrays: the item table (a few rows) carries the labels,
    and the long table is laid out once, already in its sorted order."""
    yrs = np.asarray(years)
    C = len(city_kode)
    cols = [*COST_COLUMNS, "funding_item"]
    if not quantities:
        return pd.DataFrame(columns=cols)
    meta = _cost_items(quantities, need_items, unit_costs)
    Q = np.stack([np.asarray(quantities[str(nd)], dtype=float) for nd in meta["need"]])
    base = meta["base_cost_idr"].to_numpy(dtype=float)
    price_year = meta["price_year"].astype(float).to_numpy(dtype=float)
    U = base[:, None] * (1.0 + escalation) ** (yrs.astype(float)[None, :] - price_year[:, None])
    kept = yrs >= first_cost_year
    Tk = int(kept.sum())
    # Row types: every (need, item) row, then every O&M (sector, om_item) group.
    types: list[dict[str, object]] = [
        {c: meta[c].iloc[r] for c in ("sector", "need", "item", "cost_kind", "unit", "status")}
        | {"funding_item": meta["funding_item"].iloc[r]}
        for r in range(len(meta))
    ]
    qty = [Q[r][:, kept] for r in range(len(meta))]
    ucost = [np.broadcast_to(U[r, kept], (C, Tk)) for r in range(len(meta))]
    om = _om_stock(meta, Q, U, kept)
    if om is not None:
        for (sector, om_item), stock in zip(om[0], om[1], strict=True):
            types.append(
                {
                    "sector": sector,
                    "need": OM_NEED,
                    "item": om_item,
                    "cost_kind": "opex",
                    "unit": OM_UNIT,
                    "status": "derived",
                    "funding_item": om_item,
                }
            )
            qty.append(stock)
            ucost.append(np.full((C, Tk), float(om_share)))

    def sort_key(i: int) -> tuple[object, ...]:
        # pandas order: each key ascending, missing last; ties keep their order
        return tuple(
            (0, v) if isinstance(v, str) else (1, "")
            for v in (types[i]["sector"], types[i]["need"], types[i]["item"])
        )

    ty = sorted(range(len(types)), key=sort_key)
    TY = len(ty)
    q = np.stack([qty[i] for i in ty], axis=-1)  # (C, Tk, TY)
    u = np.stack([ucost[i] for i in ty], axis=-1)
    cost = q * u  # O&M rows: stock x om_share
    cost = np.where(np.isnan(cost), 0.0, cost)
    corder = np.argsort(np.asarray(city_kode, dtype=str), kind="stable")
    q, u, cost = q[corder], u[corder], cost[corder]
    city_take = np.repeat(corder, Tk * TY)
    type_take = np.tile(np.arange(TY), C * Tk)
    data: dict[str, object] = {
        "kode": _text(list(np.asarray(city_kode, dtype=object)), city_take),
        "year": np.tile(np.repeat(yrs[kept].astype(np.int64), TY), C),
    }
    for c in ("sector", "need", "item", "cost_kind"):
        data[c] = _text([types[i][c] for i in ty], type_take)
    data["quantity"] = q.reshape(-1)
    data["unit"] = _text([types[i]["unit"] for i in ty], type_take)
    data["unit_cost_idr"] = u.reshape(-1)
    data["cost_idr"] = cost.reshape(-1)
    data["status"] = _text([types[i]["status"] for i in ty], type_take)
    data["funding_item"] = _text([types[i]["funding_item"] for i in ty], type_take)
    return pd.DataFrame(data)[cols]


def funding_table(costs: pd.DataFrame, funding_shares: pd.DataFrame) -> pd.DataFrame:
    """Indikasi pendanaan: kode, year, sector, source, cost_idr (sum over items); each cost
    is split by the shares of its ``funding_item`` (else its ``item``).

    The long cost rows are expanded by their item's shares in place of a merge, and grouped
    on integer codes that keep the texts' sorted order (same groups, order and sums)."""
    cols = ["kode", "year", "sector", "source", "cost_idr"]
    fi_col = costs["funding_item"] if "funding_item" in costs else costs["item"]
    kode_i, kodes = pd.factorize(costs["kode"], sort=True)
    sector_i, sectors = pd.factorize(costs["sector"], sort=True)
    fi_i, items = pd.factorize(fi_col)
    fs = funding_shares[["item", "source", "share"]]
    sources: list[list[object]] = []
    shares: list[list[float]] = []
    for it in items:
        m = fs[fs["item"] == it]
        src: list[object] = [s if isinstance(s, str) else UNASSIGNED for s in m["source"]]
        src = src or [UNASSIGNED]
        sh = [1.0 if pd.isna(x) else float(x) for x in m["share"]] or [1.0]
        sources.append(src)
        shares.append(sh)
    counts = np.array([len(x) for x in sources] + [1], dtype=np.intp)  # a missing item: 1 row
    start = np.r_[0, np.cumsum(counts)[:-1]]
    flat_src = [s for x in sources for s in x] + [UNASSIGNED]
    flat_share = np.array([v for x in shares for v in x] + [1.0])
    fi = np.where(fi_i < 0, len(items), fi_i)
    rep = counts[fi]
    row = np.repeat(np.arange(len(costs)), rep)
    within = np.arange(int(rep.sum())) - np.repeat(np.cumsum(rep) - rep, rep)
    flat = start[fi[row]] + within
    src_rank, src_texts = _ranks(flat_src)
    value = costs["cost_idr"].to_numpy(dtype=float)[row] * flat_share[flat]
    keys = pd.DataFrame(
        {
            "k": kode_i[row],
            "y": costs["year"].to_numpy()[row],
            "s": sector_i[row],
            "o": src_rank[flat],
            "v": value,
        }
    )
    keys = keys[(keys["k"] >= 0) & (keys["s"] >= 0)]  # as groupby: missing keys dropped
    g = keys.groupby(["k", "y", "s", "o"], as_index=False)["v"].sum()
    out = pd.DataFrame(
        {
            "kode": _text(list(kodes), g["k"].to_numpy()),
            "year": g["y"].to_numpy(),
            "sector": _text(list(sectors), g["s"].to_numpy()),
            "source": _text(src_texts, g["o"].to_numpy()),
            "cost_idr": g["v"].to_numpy(),
        }
    )
    return out[cols]
