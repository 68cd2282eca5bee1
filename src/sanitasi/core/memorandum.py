"""SSK Bab V and the memorandum: needs by agency, the annual action plan, land needs, cost
recovery and the regional fiscal capacity (Bab II).

Everything here reshapes tables the plan already computed (``sanitasi plan``: the costs,
the needs, the L2T2 service, the waste balance, the programme matrix): no second
computation of a need or a cost (``docs/METHOD.md`` §8, §9, §13.5).

* :func:`resolve_need_agency` -- which agency budgets each need: the city's override
  (``need_agency.csv``), else the first agency of the reference list
  (``reference/need_agency.csv``) that the city's ``agencies.csv`` has, else unassigned;
* :func:`agency_funding` -- the *indikasi pendanaan* per agency x year x source: each cost
  row of the plan is split over the funding sources exactly as the funding table is
  (:func:`sanitasi.core.costs.funding_table`, ``docs/METHOD.md`` §8.6), grouped by the
  agency that budgets its need instead of by area; its sum over agencies is the funding
  table;
* :func:`action_plan` -- the annual action plan (*rencana aksi tahunan*) from the programme
  matrix: activity, location, volume, unit, pagu, source, agency, nomenclature codes and
  readiness;
* :func:`land_needs` -- land for the facilities the needs add (TPS3R, IPLT, landfill cells);
* :func:`cost_recovery` -- desludging tariff, waste retribution and TPS3R sales against the
  operation the city pays;
* :func:`fiscal_capacity` -- spending on sanitation by source and sector per year, per
  person and as a share of the APBD (Bab II), from a fiscal table
  ``year, source, sector, spent_idr``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sanitasi.core.costs import funding_table
from sanitasi.core.model import ParameterSet

#: Agency code of a need no agency of the city budgets.
UNASSIGNED_AGENCY = ""
#: The O&M rows of the cost table carry their payer (``om_general``, ``om_community``,
#: ``om_regional``) as item; the agency mapping keys them by that payer.
OM_NEED = "operation_maintenance"
#: Unit-cost items of the cost-recovery revenues (``reference/unit_costs.csv``).
DESLUDGING_TARIFF_ITEM = "desludging_tariff_payakumbuh"
RETRIBUTION_ITEM = "waste_retribution_household_month"
TPS3R_SALES_ITEM = "tps3r_product_sales_per_tonne"
MONTHS_PER_YEAR = 12
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class DocumentInputs:
    """Validated inputs of the SSK document beyond the plan and the programme.

    ``swot``: ``sector, id, kind (S/W/O/T), factor, weight, rating, activities`` (tuple of
    activity codes), ``status`` (``None``: the city has no ``swot.csv``). ``pokja``:
    ``position, name, agency, role, status`` (``None``: no ``pokja.csv``) with the decree
    number and date. ``need_agency``: the reference mapping ``need, sector, agencies``
    (tuple), ``nomenclature, source, status``; ``need_agency_city``: the city's overrides
    ``need, sector, agency, source, status``. ``legal_basis``, ``nomenclature``,
    ``outline``, ``quadrants``: the reference tables. ``fiscal``: the fiscal history
    ``year, source, sector, spent_idr, status`` (``None`` until ``fiscal_history.csv`` is
    read: see :mod:`sanitasi.app.document`).
    """

    legal_basis: pd.DataFrame
    nomenclature: pd.DataFrame
    outline: pd.DataFrame
    quadrants: pd.DataFrame
    need_agency: pd.DataFrame
    need_agency_city: pd.DataFrame
    swot: pd.DataFrame | None = None
    pokja: pd.DataFrame | None = None
    decree_number: str = ""
    decree_date: str = ""
    fiscal: pd.DataFrame | None = None
    sources: Mapping[str, str] = field(default_factory=dict)


def need_key(need: pd.Series, item: pd.Series) -> pd.Series:
    """The mapping key of each cost row: the need, or for an O&M row its payer (item)."""
    return need.astype(str).where(need.astype(str).ne(OM_NEED), item.astype(str))


def resolve_need_agency(
    reference: pd.DataFrame, city: pd.DataFrame, agency_codes: Sequence[str]
) -> pd.DataFrame:
    """Who budgets each need: ``need, sector, agency, nomenclature, origin`` (``city``: the
    city's ``need_agency.csv``; ``reference``: the first code of the reference list the
    city has, matched without regard to case and returned as the city writes it;
    ``unassigned``: none of them, agency ``""``)."""
    known = {str(c).upper(): str(c) for c in agency_codes}
    rows = []
    override = {
        (str(n), str(s)): str(a)
        for n, s, a in zip(city["need"], city["sector"], city["agency"], strict=True)
    }
    for rec in reference.to_dict("records"):
        key = (str(rec["need"]), str(rec["sector"]))
        if key in override:
            agency, origin = known.get(override[key].upper(), override[key]), "city"
        else:
            found = [known[c.upper()] for c in rec["agencies"] if c.upper() in known]
            agency = found[0] if found else UNASSIGNED_AGENCY
            origin = "reference" if found else "unassigned"
        rows.append((*key, agency, str(rec.get("nomenclature", "") or ""), origin))
    return pd.DataFrame(rows, columns=["need", "sector", "agency", "nomenclature", "origin"])


def funding_items(costs: pd.DataFrame, need_items: pd.DataFrame) -> pd.Series:
    """The funding item of each cost row: the need's ``funding_item`` when it names one,
    else the row's item (``docs/METHOD.md`` §8.6)."""
    fi = need_items.set_index("need")["funding_item"] if "funding_item" in need_items else None
    item = costs["item"].astype(str)
    if fi is None:
        return item
    fi = fi[fi.notna() & fi.astype(str).str.strip().ne("")].astype(str)
    mapped = costs["need"].astype(str).map(fi)
    return mapped.where(mapped.notna(), item)


def agency_funding(
    costs: pd.DataFrame,
    need_items: pd.DataFrame,
    funding_shares: pd.DataFrame,
    mapping: pd.DataFrame,
    years: tuple[int, int],
) -> pd.DataFrame:
    """*Indikasi pendanaan* per agency x year x sector x source over ``years`` (first,
    last), nominal rupiah: ``agency, year, sector, source, cost_idr``.

    Each cost row gets the agency of its need (:func:`need_key`; ``mapping`` from
    :func:`resolve_need_agency`) and is split over the sources by its funding item's
    shares with :func:`sanitasi.core.costs.funding_table`, grouped by agency in place of
    the area: the same split as the table ``funding``, so the sum over agencies of a year,
    sector and source is that table's value."""
    cols = ["agency", "year", "sector", "source", "cost_idr"]
    sub = costs[(costs["year"] >= years[0]) & (costs["year"] <= years[1])]
    if not len(sub):
        return pd.DataFrame(columns=cols)
    key = need_key(sub["need"], sub["item"])
    agency_of = {
        (str(n), str(s)): str(a)
        for n, s, a in zip(mapping["need"], mapping["sector"], mapping["agency"], strict=True)
    }
    agency = [
        agency_of.get((k, str(s)), UNASSIGNED_AGENCY)
        for k, s in zip(key, sub["sector"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            # funding_table groups by "kode": the agency stands in for the area here
            "kode": [a or "-" for a in agency],
            "year": sub["year"].to_numpy(),
            "sector": sub["sector"].to_numpy(),
            "item": sub["item"].to_numpy(),
            "funding_item": funding_items(sub, need_items).to_numpy(),
            "cost_idr": sub["cost_idr"].to_numpy(dtype=float),
        }
    )
    out = funding_table(frame, funding_shares).rename(columns={"kode": "agency"})
    out["agency"] = out["agency"].astype(str).replace("-", UNASSIGNED_AGENCY)
    return out[cols].reset_index(drop=True)


def nomenclature_parts(code: str) -> tuple[str, str, str]:
    """(programme, kegiatan, sub-kegiatan) codes of a nomenclature code: the programme is
    the first three parts (``1.03.05``), the kegiatan the first five (``1.03.05.2.01``),
    the sub-kegiatan the whole six-part code (``""`` when the code stops above it)."""
    parts = [p for p in str(code).split(".") if p]
    prog = ".".join(parts[:3]) if len(parts) >= 3 else ""
    keg = ".".join(parts[:5]) if len(parts) >= 5 else ""
    sub = ".".join(parts) if len(parts) >= 6 else ""
    return prog, keg, sub


ACTION_PLAN_COLUMNS: tuple[str, ...] = (
    "year",
    "code",
    "sector",
    "activity",
    "location_kode",
    "volume",
    "unit",
    "pagu_idr",
    "funding_source",
    "agency",
    "program_code",
    "kegiatan_code",
    "sub_kegiatan_code",
    "sub_kegiatan_name",
    "ready_land",
    "ready_ded",
    "ready_env_doc",
    "ready_operator",
    "ready",
    "readiness_note",
)
READINESS: tuple[str, ...] = ("ready_land", "ready_ded", "ready_env_doc", "ready_operator")


def action_plan(
    activities: pd.DataFrame,
    planned: pd.DataFrame,
    nomenclature: pd.DataFrame,
    years: tuple[int, int],
) -> pd.DataFrame:
    """The annual action plan over ``years``: one row per activity and year with planned
    output or cost (in year, then matrix order). ``volume`` is the planned output (output
    units), ``pagu_idr`` the planned cost (nominal rupiah, as budgeted); ``ready`` is
    ``yes`` when land, detailed design, environmental document and operator are all
    ``yes``, ``no`` when one is ``no``, ``in_progress`` otherwise and ``""`` when none is
    given. Columns :data:`ACTION_PLAN_COLUMNS`."""
    p = planned[(planned["year"] >= years[0]) & (planned["year"] <= years[1])]
    p = p[(p["planned_output"] > 0) | (p["planned_cost_idr"] > 0)]
    acts = activities.reset_index(drop=True).assign(_order=lambda d: np.arange(len(d)))
    for col in ("sub_kegiatan", *READINESS, "readiness_note"):
        if col not in acts.columns:
            acts[col] = ""
    df = p.merge(acts, on="code", how="inner", suffixes=("", "_a"))
    df = df.sort_values(["year", "_order"], kind="stable")
    names = dict(
        zip(nomenclature["code"].astype(str), nomenclature["name"].astype(str), strict=True)
    )
    parts = [nomenclature_parts(c) for c in df["sub_kegiatan"].astype(str)]
    ready = df[list(READINESS)].astype(str).to_numpy()
    given = ready != ""
    state = np.select(
        [
            ~given.any(axis=1),
            (ready == "yes").all(axis=1),
            (ready == "no").any(axis=1),
        ],
        ["", "yes", "no"],
        default="in_progress",
    )
    out = pd.DataFrame(
        {
            "year": df["year"].astype(int).to_numpy(),
            "code": df["code"].to_numpy(),
            "sector": df["sector"].to_numpy(),
            "activity": df["activity"].to_numpy(),
            "location_kode": df["location_kode"].to_numpy(),
            "volume": df["planned_output"].to_numpy(dtype=float),
            "unit": df["output_unit"].to_numpy(),
            "pagu_idr": df["planned_cost_idr"].to_numpy(dtype=float),
            "funding_source": df["funding_source"].to_numpy(),
            "agency": df["lead_agency"].to_numpy(),
            "program_code": [x[0] for x in parts],
            "kegiatan_code": [x[1] for x in parts],
            "sub_kegiatan_code": [x[2] for x in parts],
            "sub_kegiatan_name": [
                names.get(c, "") for c in df["sub_kegiatan"].astype(str).to_numpy()
            ],
            **{c: df[c].astype(str).to_numpy() for c in READINESS},
            "ready": state,
            "readiness_note": df["readiness_note"].astype(str).to_numpy(),
        }
    )
    return out[list(ACTION_PLAN_COLUMNS)].reset_index(drop=True)


#: Land per unit of each need that adds a facility on its own land: need -> (parameter,
#: how the parameter turns a quantity into m2).
LAND_NEEDS: dict[str, tuple[str, str]] = {
    "tps3r": ("tps3r_min_land_m2", "times"),
    "iplt_capacity": ("iplt_land_m2_per_m3_day", "times"),
    "landfill_volume": ("landfill_cell_depth_m", "divide"),
    "landfill_volume_regional": ("landfill_cell_depth_m", "divide"),
}


def land_needs(costs: pd.DataFrame, params: ParameterSet, years: tuple[int, int]) -> pd.DataFrame:
    """Land for the facilities the needs add, per need and year of ``years``:
    ``need, sector, year, quantity, unit, m2_per_unit, land_m2``::

        TPS3R       land = units added x tps3r_min_land_m2                     m2
        IPLT        land = m3/day added x iplt_land_m2_per_m3_day              m2
        TPA cells   land = m3 of cell / landfill_cell_depth_m                  m2

    The quantities are those of the cost table (the plan's needs, ``docs/METHOD.md`` §8.1)."""
    cols = ["need", "sector", "year", "quantity", "unit", "m2_per_unit", "land_m2"]
    sub = costs[
        costs["need"].isin(list(LAND_NEEDS))
        & (costs["year"] >= years[0])
        & (costs["year"] <= years[1])
    ]
    if not len(sub):
        return pd.DataFrame(columns=cols)
    per = {}
    for need, (name, how) in LAND_NEEDS.items():
        v = params.reader("document.land").num(name)
        per[need] = v if how == "times" else (1.0 / v if v else np.nan)
    g = sub.groupby(["need", "sector", "year", "unit"], as_index=False, sort=False)["quantity"]
    df = g.sum()
    df["m2_per_unit"] = df["need"].map(per).astype(float)
    df["land_m2"] = df["quantity"].astype(float) * df["m2_per_unit"]
    order = {n: i for i, n in enumerate(LAND_NEEDS)}
    df = df.assign(_o=df["need"].map(order)).sort_values(["_o", "year"], kind="stable")
    return df[cols].reset_index(drop=True)


def _unit_cost(unit_costs: pd.DataFrame, item: str, years: np.ndarray, esc: float) -> np.ndarray:
    """``cost_idr x (1 + esc)^(t - price_year)`` of ``item`` in each year (``docs/METHOD.md``
    §8.2); NaN when the item is not in the table."""
    row = unit_costs[unit_costs["item"].astype(str) == item]
    if not len(row):
        return np.full(len(years), np.nan)
    base = float(row["cost_idr"].iloc[0])
    price_year = float(row["price_year"].iloc[0])
    return base * (1.0 + esc) ** (years.astype(float) - price_year)


RECOVERY_COLUMNS: tuple[str, ...] = (
    "sector",
    "stream",
    "year",
    "quantity",
    "unit",
    "price_idr",
    "revenue_idr",
    "om_idr",
    "recovery_pct",
)


def _cost_of(
    costs: pd.DataFrame, years: np.ndarray, need: str, item: str | None = None
) -> np.ndarray:
    m = costs["need"].astype(str).eq(need)
    if item is not None:
        m &= costs["item"].astype(str).eq(item)
    by_year = costs[m].groupby("year")["cost_idr"].sum()
    return by_year.reindex(years).fillna(0.0).to_numpy(dtype=float)


def cost_recovery(
    *,
    costs: pd.DataFrame,
    service: pd.DataFrame,
    needs_waste: pd.DataFrame,
    households: pd.Series,
    penanganan_pct: pd.Series,
    unit_costs: pd.DataFrame,
    params: ParameterSet,
    years: tuple[int, int],
) -> pd.DataFrame:
    """Revenue against the operation it should pay, per year of ``years`` (nominal rupiah;
    prices escalated like every unit cost, ``docs/METHOD.md`` §8.2)::

        desludging   revenue = desludgings(t) x tariff(t)
                     against the L2T2 desludging cost + the city's wastewater O&M (om_general)
        retribution  revenue = households(t) x penanganan(t)/100 x 12 x retribution(t)
                     against the city's solid-waste O&M (om_general) + the tipping fee
        TPS3R sales  revenue = TPS3R input t/day(t) x tps3r_recovery_fraction x 365 x price(t)
                     against the O&M of the community-run waste assets (om_community)

    ``recovery_pct`` = 100 x revenue / O&M (NaN without O&M). ``households`` and
    ``penanganan_pct`` are the city's series by year (plan scenario); ``service`` the L2T2
    service table, ``needs_waste`` the solid-waste needs. Columns :data:`RECOVERY_COLUMNS`."""
    yrs = np.arange(years[0], years[1] + 1)
    esc = params.reader("document.cost_recovery").num("cost_escalation_rate_per_year")

    def series(df: pd.DataFrame, col: str) -> np.ndarray:
        if df is None or col not in df.columns:
            return np.zeros(len(yrs))
        s = df.groupby("year")[col].sum()
        return s.reindex(yrs).fillna(0.0).to_numpy(dtype=float)

    desl = series(service, "desludgings")
    tps3r_t = series(needs_waste, "route_tps3r_tpd") * params.reader("document.cost_recovery").num(
        "tps3r_recovery_fraction"
    )
    tps3r_t = tps3r_t * DAYS_PER_YEAR
    hh_served = households.reindex(yrs).fillna(0.0).to_numpy(dtype=float) * (
        penanganan_pct.reindex(yrs).fillna(0.0).to_numpy(dtype=float) / 100.0
    )
    streams = [
        (
            "ald",
            "desludging_tariff",
            desl,
            "desludging",
            _unit_cost(unit_costs, DESLUDGING_TARIFF_ITEM, yrs, esc),
            _cost_of(costs, yrs, "l2t2_desludging")
            + _cost_of(costs[costs["sector"] == "ald"], yrs, OM_NEED, "om_general"),
        ),
        (
            "persampahan",
            "waste_retribution",
            hh_served * MONTHS_PER_YEAR,
            "household-month",
            _unit_cost(unit_costs, RETRIBUTION_ITEM, yrs, esc),
            _cost_of(costs[costs["sector"] == "persampahan"], yrs, OM_NEED, "om_general")
            + _cost_of(costs, yrs, "tpa_tipping_fee"),
        ),
        (
            "persampahan",
            "tps3r_sales",
            tps3r_t,
            "tonne",
            _unit_cost(unit_costs, TPS3R_SALES_ITEM, yrs, esc),
            _cost_of(costs[costs["sector"] == "persampahan"], yrs, OM_NEED, "om_community"),
        ),
    ]
    frames = []
    for sector, stream, qty, unit, price, om in streams:
        revenue = qty * price
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(om > 0, 100.0 * revenue / np.where(om > 0, om, 1.0), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "sector": sector,
                    "stream": stream,
                    "year": yrs,
                    "quantity": qty,
                    "unit": unit,
                    "price_idr": price,
                    "revenue_idr": revenue,
                    "om_idr": om,
                    "recovery_pct": pct,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[list(RECOVERY_COLUMNS)]


FISCAL_COLUMNS: tuple[str, ...] = (
    "year",
    "source",
    "sector",
    "spent_idr",
    "per_person_idr",
    "apbd_share_pct",
)


def fiscal_capacity(
    fiscal: pd.DataFrame, population: pd.Series, apbd_total: pd.Series | None = None
) -> pd.DataFrame:
    """Bab II regional fiscal capacity for sanitation, from a fiscal table ``year, source,
    sector, spent_idr`` (``fiscal_history.csv``): spending per year, source and sector,
    then a ``total`` row per year (source and sector ``total``)::

        per_person_idr = spent_idr / population(year)                       Rp/person
        apbd_share_pct = 100 x spent_idr / APBD total(year)                 %

    ``population`` and ``apbd_total`` are series by year; a year without them gives NaN.
    Columns :data:`FISCAL_COLUMNS`."""
    df = fiscal.groupby(["year", "source", "sector"], as_index=False, sort=True)["spent_idr"].sum()
    total = (
        df.groupby("year", as_index=False)["spent_idr"].sum().assign(source="total", sector="total")
    )
    out = pd.concat([df, total], ignore_index=True).sort_values(
        ["year", "source"], key=lambda s: s.eq("total") if s.name == "source" else s, kind="stable"
    )
    yrs = out["year"].astype(int)
    pop = yrs.map(population).astype(float)
    out["per_person_idr"] = out["spent_idr"].astype(float) / pop.where(pop > 0)
    if apbd_total is not None:
        apbd = yrs.map(apbd_total).astype(float)
        out["apbd_share_pct"] = 100.0 * out["spent_idr"].astype(float) / apbd.where(apbd > 0)
    else:
        out["apbd_share_pct"] = np.nan
    return out[list(FISCAL_COLUMNS)].reset_index(drop=True)


__all__ = [
    "ACTION_PLAN_COLUMNS",
    "FISCAL_COLUMNS",
    "LAND_NEEDS",
    "RECOVERY_COLUMNS",
    "UNASSIGNED_AGENCY",
    "DocumentInputs",
    "action_plan",
    "agency_funding",
    "cost_recovery",
    "fiscal_capacity",
    "funding_items",
    "land_needs",
    "need_key",
    "nomenclature_parts",
    "resolve_need_agency",
]
