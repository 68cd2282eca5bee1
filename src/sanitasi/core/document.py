"""The SSK document's own tables (Bab II fiscal capacity, Bab IV strategy, Bab V needs by
agency, action plan, land and cost recovery), as labelled :class:`Table` objects computed
from a plan result and the document inputs.

:func:`document_tables` reads the tables the plan already holds (``costs``,
``service_ald``, ``needs_waste``, ``population``, ``waste``) and the programme matrix:
nothing of the plan is computed twice (``docs/METHOD.md`` §8, §9, §11, §13). Each table counts
its inputs by provenance status like every plan table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import pandas as pd

from sanitasi.core.memorandum import (
    DocumentInputs,
    action_plan,
    agency_funding,
    cost_recovery,
    fiscal_capacity,
    land_needs,
    resolve_need_agency,
)
from sanitasi.core.model import STATUSES, Column, ParameterSet, PlanResult, Table
from sanitasi.core.reads import tracking
from sanitasi.core.swot import factor_scores, sector_scores, strategy_links

#: Document tables, in document order.
DOCUMENT_TABLES: tuple[str, ...] = (
    "fiscal_capacity",
    "swot_factors",
    "swot_scores",
    "swot_links",
    "need_agency",
    "agency_funding",
    "action_plan",
    "land_needs",
    "cost_recovery",
)


def _c(label_id: str, label_en: str, unit: str = "", kind: str = "text") -> Column:
    return Column(label_id, label_en, unit, kind)


def provenance(*groups: Iterable[object]) -> dict[str, int]:
    """Counts of the statuses given (blank or unknown = ``unverified``)."""
    counts: Counter[str] = Counter()
    for group in groups:
        for s in group:
            text = str(s) if s is not None else ""
            counts[text if text in STATUSES else "unverified"] += 1
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def _plus(*provs: Mapping[str, int]) -> dict[str, int]:
    return {s: int(sum(int(p.get(s, 0)) for p in provs)) for s in STATUSES}


def _city_series(result: PlanResult, name: str, col: str, scenario: str = "plan") -> pd.Series:
    """A city-level series by year of table ``name`` (the kab/kota row; ``scenario`` when
    the table has one)."""
    t = result.tables.get(name)
    if t is None or col not in t.df.columns:
        return pd.Series(dtype=float)
    df = t.df
    if "tingkat" in df.columns:
        df = df[df["tingkat"].astype(str) == "kabkota"]
    if "scenario" in df.columns:
        df = df[df["scenario"].astype(str) == scenario]
    return df.groupby("year")[col].sum().astype(float)


def document_tables(
    result: PlanResult, doc: DocumentInputs, period: tuple[int, int]
) -> dict[str, Table]:
    """The document's tables (:data:`DOCUMENT_TABLES`) for the SSK ``period`` (first, last
    year); a table whose input the city lacks (no ``swot.csv``, no programme, no fiscal
    history) is left out."""
    out: dict[str, Table] = {}
    inputs = result.inputs
    prog = result.programme
    costs_t = result.tables.get("costs")
    cost_prov = dict(costs_t.provenance) if costs_t is not None else {}

    if doc.fiscal is not None and len(doc.fiscal):
        pop = _city_series(result, "population", "population")
        if inputs is not None:
            obs = inputs.observations
            city = inputs.regions.loc[inputs.regions["tingkat"] == "kabkota", "kode"]
            m = obs["kode"].isin(list(city)) & obs["indicator"].eq("population")
            observed = obs[m].groupby("year")["value"].sum().astype(float)
            pop = observed.combine_first(pop)
            a = obs["kode"].isin(list(city)) & obs["indicator"].eq("apbd_total_idr")
            apbd = obs[a].groupby("year")["value"].sum().astype(float) if a.any() else None
        else:
            apbd = None
        df = fiscal_capacity(doc.fiscal, pop, apbd)
        out["fiscal_capacity"] = Table(
            "fiscal_capacity",
            "Kapasitas fiskal daerah untuk sanitasi",
            "Regional fiscal capacity for sanitation",
            df,
            {
                "year": _c("Tahun", "Year", kind="year"),
                "source": _c("Sumber dana", "Funding source"),
                "sector": _c("Sektor", "Sector"),
                "spent_idr": _c("Belanja", "Spending", "Rp", "idr"),
                "per_person_idr": _c("Per orang", "Per person", "Rp/orang", "idr"),
                "apbd_share_pct": _c("Bagian dari APBD", "Share of the APBD", "%", "pct"),
            },
            provenance(doc.fiscal.get("status", pd.Series(dtype=str))),
            "Belanja sanitasi per tahun, sumber dan sektor (fiscal_history.csv); per orang "
            "dengan penduduk tahun itu; bagian APBD bila indikator apbd_total_idr tersedia.",
            "Sanitation spending per year, source and sector (fiscal_history.csv); per person "
            "with the population of the year; share of the APBD when the indicator "
            "apbd_total_idr is given.",
        )

    if doc.swot is not None and len(doc.swot):
        sw_prov = provenance(doc.swot["status"])
        factors = factor_scores(doc.swot)
        factors["activities"] = ["; ".join(a) for a in factors["activities"]]
        out["swot_factors"] = Table(
            "swot_factors",
            "Faktor SWOT, bobot, rating dan skor",
            "SWOT factors, weights, ratings and scores",
            factors,
            {
                "sector": _c("Sektor", "Sector"),
                "id": _c("Kode", "Code"),
                "kind": _c("Jenis (S/W/O/T)", "Kind (S/W/O/T)"),
                "factor": _c("Faktor", "Factor"),
                "weight": _c("Bobot", "Weight", "", "float"),
                "rating": _c("Rating (1-4)", "Rating (1-4)", "", "float"),
                "score": _c("Skor (bobot x rating)", "Score (weight x rating)", "", "float"),
                "activities": _c("Kegiatan terkait", "Linked activities"),
                "status": _c("Status data", "Data status"),
            },
            sw_prov,
        )
        scores = sector_scores(doc.swot, doc.quadrants)
        out["swot_scores"] = Table(
            "swot_scores",
            "Skor IFAS/EFAS, kuadran dan arah strategi per sektor",
            "IFAS/EFAS scores, quadrant and strategy direction by sector",
            scores,
            {
                "sector": _c("Sektor", "Sector"),
                "s_score": _c("Kekuatan (S)", "Strengths (S)", "", "float"),
                "w_score": _c("Kelemahan (W)", "Weaknesses (W)", "", "float"),
                "o_score": _c("Peluang (O)", "Opportunities (O)", "", "float"),
                "t_score": _c("Ancaman (T)", "Threats (T)", "", "float"),
                "ifas": _c("IFAS (S - W)", "IFAS (S - W)", "", "float"),
                "efas": _c("EFAS (O - T)", "EFAS (O - T)", "", "float"),
                "quadrant": _c("Kuadran", "Quadrant"),
                "direction_id": _c("Arah strategi", "Strategy direction (Indonesian)"),
                "direction_en": _c("Arah strategi (Inggris)", "Strategy direction"),
            },
            _plus(sw_prov, provenance(doc.quadrants["status"])),
            "IFAS = S - W, EFAS = O - T; skor = bobot x rating (docs/METHOD.md §13.4).",
            "IFAS = S - W, EFAS = O - T; score = weight x rating (docs/METHOD.md §13.4).",
        )
        if prog is not None:
            links = strategy_links(doc.swot, prog.activities)
            if len(links):
                out["swot_links"] = Table(
                    "swot_links",
                    "Strategi KKL dan faktor SWOT yang dijawabnya",
                    "KKL strategies and the SWOT factors they address",
                    links,
                    {
                        "sector": _c("Sektor", "Sector"),
                        "id": _c("Faktor", "Factor code"),
                        "kind": _c("Jenis", "Kind"),
                        "factor": _c("Uraian faktor", "Factor"),
                        "code": _c("Kegiatan", "Activity"),
                        "strategy": _c("Strategi", "Strategy"),
                        "programme": _c("Program", "Programme"),
                        "activity": _c("Uraian kegiatan", "Activity name"),
                    },
                    _plus(sw_prov, provenance(prog.activities["status"])),
                )

    if costs_t is not None and inputs is not None:
        codes = list(prog.agencies["code"]) if prog is not None else []
        mapping = resolve_need_agency(doc.need_agency, doc.need_agency_city, codes)
        map_prov = _plus(
            provenance(doc.need_agency["status"]), provenance(doc.need_agency_city["status"])
        )
        out["need_agency"] = Table(
            "need_agency",
            "Kebutuhan dan OPD yang menganggarkannya",
            "Needs and the agency that budgets them",
            mapping,
            {
                "need": _c("Kebutuhan", "Need"),
                "sector": _c("Sektor", "Sector"),
                "agency": _c("OPD", "Agency"),
                "nomenclature": _c("Kode nomenklatur", "Nomenclature code"),
                "origin": _c("Penetapan", "Assigned by"),
            },
            map_prov,
            "OPD kosong: tidak ada OPD kota dalam daftar rujukan (mis. aset milik provinsi).",
            "Blank agency: no city agency of the reference list (e.g. a province-owned asset).",
        )
        af = agency_funding(costs_t.df, inputs.need_items, inputs.funding_shares, mapping, period)
        out["agency_funding"] = Table(
            "agency_funding",
            "Indikasi pendanaan kebutuhan per OPD, tahun dan sumber dana",
            "Indicative funding of the needs by agency, year and funding source",
            af,
            {
                "agency": _c("OPD", "Agency"),
                "year": _c("Tahun", "Year", kind="year"),
                "sector": _c("Sektor", "Sector"),
                "source": _c("Sumber dana", "Funding source"),
                "cost_idr": _c("Biaya", "Cost", "Rp", "idr"),
            },
            _plus(cost_prov, map_prov),
            "Rupiah nominal tahun belanja; pembagian sumber dana sama dengan tabel indikasi "
            "pendanaan (docs/METHOD.md §13.5).",
            "Nominal rupiah of the year spent; the same split over funding sources as the "
            "indicative funding table (docs/METHOD.md §13.5).",
        )
        with tracking() as land_read:
            land = land_needs(costs_t.df, inputs.parameters, period)
        out["land_needs"] = Table(
            "land_needs",
            "Kebutuhan lahan (TPS3R, IPLT, sel TPA)",
            "Land needs (TPS3R, IPLT, landfill cells)",
            land,
            {
                "need": _c("Kebutuhan", "Need"),
                "sector": _c("Sektor", "Sector"),
                "year": _c("Tahun", "Year", kind="year"),
                "quantity": _c("Jumlah", "Quantity", "", "float"),
                "unit": _c("Satuan", "Unit"),
                "m2_per_unit": _c("Lahan per satuan", "Land per unit", "m2", "float"),
                "land_m2": _c("Lahan", "Land", "m2", "float"),
            },
            _plus(cost_prov, _param_prov(inputs.parameters, land_read.names())),
        )
        households = _city_series(result, "population", "households")
        penanganan = _city_series(result, "waste", "pct_waste_penanganan")
        svc = result.tables.get("service_ald")
        nw = result.tables.get("needs_waste")
        with tracking() as rec_read:
            rec = cost_recovery(
                costs=costs_t.df,
                service=svc.df if svc is not None else pd.DataFrame(),
                needs_waste=nw.df if nw is not None else pd.DataFrame(),
                households=households,
                penanganan_pct=penanganan,
                unit_costs=inputs.unit_costs,
                params=inputs.parameters,
                years=period,
            )
        uc = inputs.unit_costs
        items = (
            "desludging_tariff_payakumbuh",
            "waste_retribution_household_month",
            "tps3r_product_sales_per_tonne",
        )
        uc_status: list[object] = (
            list(uc.loc[uc["item"].isin(items), "status"]) if "status" in uc else []
        )
        out["cost_recovery"] = Table(
            "cost_recovery",
            "Pemulihan biaya: tarif, retribusi dan penjualan TPS3R terhadap O&M",
            "Cost recovery: tariffs, retribution and TPS3R sales against O&M",
            rec,
            {
                "sector": _c("Sektor", "Sector"),
                "stream": _c("Pendapatan", "Revenue stream"),
                "year": _c("Tahun", "Year", kind="year"),
                "quantity": _c("Jumlah", "Quantity", "", "float"),
                "unit": _c("Satuan", "Unit"),
                "price_idr": _c("Tarif/harga", "Tariff/price", "Rp", "idr"),
                "revenue_idr": _c("Pendapatan", "Revenue", "Rp", "idr"),
                "om_idr": _c("Biaya operasi", "Operating cost", "Rp", "idr"),
                "recovery_pct": _c("Pemulihan biaya", "Cost recovery", "%", "pct"),
            },
            _plus(
                cost_prov,
                provenance(uc_status),
                _param_prov(inputs.parameters, rec_read.names()),
            ),
            "Rupiah nominal; harga dieskalasi seperti biaya satuan (docs/METHOD.md §8.2).",
            "Nominal rupiah; prices escalated like unit costs (docs/METHOD.md §8.2).",
        )

    if prog is not None:
        ap = action_plan(prog.activities, prog.planned, doc.nomenclature, period)
        nom_status = doc.nomenclature.set_index("code")["status"]
        used = [c for c in ap["sub_kegiatan_code"].tolist() + ap["kegiatan_code"].tolist() if c]
        out["action_plan"] = Table(
            "action_plan",
            "Rencana aksi tahunan dengan kode nomenklatur dan kesiapan",
            "Annual action plan with nomenclature codes and readiness",
            ap,
            {
                "year": _c("Tahun", "Year", kind="year"),
                "code": _c("Kode", "Code"),
                "sector": _c("Sektor", "Sector"),
                "activity": _c("Kegiatan", "Activity"),
                "location_kode": _c("Lokasi", "Location"),
                "volume": _c("Volume", "Volume", "", "float"),
                "unit": _c("Satuan", "Unit"),
                "pagu_idr": _c("Pagu", "Budget", "Rp", "idr"),
                "funding_source": _c("Sumber dana", "Funding source"),
                "agency": _c("OPD", "Agency"),
                "program_code": _c("Kode program", "Programme code"),
                "kegiatan_code": _c("Kode kegiatan", "Kegiatan code"),
                "sub_kegiatan_code": _c("Kode sub-kegiatan", "Sub-kegiatan code"),
                "sub_kegiatan_name": _c("Sub-kegiatan", "Sub-kegiatan"),
                "ready_land": _c("Lahan", "Land"),
                "ready_ded": _c("DED", "Detailed design"),
                "ready_env_doc": _c("Dok. lingkungan", "Environmental document"),
                "ready_operator": _c("Operator", "Operator"),
                "ready": _c("Siap", "Ready"),
                "readiness_note": _c("Catatan kesiapan", "Readiness note"),
            },
            _plus(
                provenance(prog.activities["status"]),
                provenance(nom_status.reindex(used).fillna("unverified")),
            ),
            "Kode nomenklatur Kepmendagri 050-5889/2021 (reference/nomenclature.csv; "
            "status per kode). Pagu = biaya rencana programme.csv (rupiah nominal).",
            "Nomenclature codes of Kepmendagri 050-5889/2021 (reference/nomenclature.csv; "
            "status per code). Budget = planned cost of programme.csv (nominal rupiah).",
        )
    return {k: out[k] for k in DOCUMENT_TABLES if k in out}


def _param_prov(params: ParameterSet, names: Iterable[str]) -> dict[str, int]:
    """Statuses of the parameters ``names`` (those a computation read: docs/METHOD.md §16);
    reading a status is not a read of the value."""
    p = params.params
    return provenance(p[n].status if n in p else "unverified" for n in sorted(names))


__all__ = ["DOCUMENT_TABLES", "document_tables", "provenance"]
