"""The plan's greenhouse-gas chapter as a use case (docs/METHOD.md §12.6).

:func:`ghg_chapter` is pure: from a plan result (``run_plan``) and the city's
:class:`~sanitasi.io.ghg.GhgInputs` (reference tables, TPA rows, optional composition) it
resolves every factor (DOC, DOCf, k of the climate zone, the composition, MCF and OX of the
TPA's site class, the wastewater factors with the plan's BOD and Bo, GWP of the chosen
assessment report) and adds the tables of :func:`sanitasi.core.ghg_plan.ghg_chapter`
(``ghg_summary``, ``ghg_landfill``, ``ghg_wastewater``, ``ghg_factors``) and its warnings.
Nothing here computes an emission: the engine is :mod:`sanitasi.core.ghg_plan`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core.ghg_plan import GhgChapterInputs
from sanitasi.core.ghg_plan import ghg_chapter as _core_chapter
from sanitasi.core.model import ParameterSet, PlanResult
from sanitasi.core.reads import tracking
from sanitasi.core.results import with_reads
from sanitasi.io.ghg import GhgInputs, parameter_refs

#: GWP assessment reports a plan may choose (``--gwp``).
GWP_CHOICES: tuple[str, ...] = ("AR4", "AR5", "AR6")
#: Parameters of ``parameters.csv`` the wastewater part reads (their source names the IPCC
#: table, so it is their IPCC reference too).
PLAN_PARAMETERS: tuple[str, ...] = (
    "ipcc_bod_g_per_person_day_indonesia",
    "ipcc_bo_kg_ch4_per_kg_bod",
)
#: GHG parameters listed in the factors table, by group.
LANDFILL_PARAMETERS = (
    "ghg_landfill_gas_ch4_fraction_f",
    "ghg_fod_delay_months",
    "ghg_climate_zone",
    "ghg_docf_basis",
)
WASTEWATER_PARAMETERS = (
    "ghg_ww_septic_sludge_bod_share",
    "ghg_ww_protein_g_per_person_day",
    "ghg_ww_f_npr",
    "ghg_ww_n_hh",
    "ghg_ww_f_non_con",
    "ghg_ww_discharge_mcf",
    "ghg_ww_discharge_ef_n2o",
    "ghg_ww_spald_t_treatment",
    "ghg_ww_iplt_treatment",
)
FACTOR_COLUMNS: tuple[str, ...] = (
    "ghg_group",
    "kode",
    "factor",
    "name_id",
    "name_en",
    "value",
    "unit",
    "ipcc_ref",
    "source",
    "status",
)


def _f(value: Any) -> float:
    """A table cell as a float (NaN when missing)."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def _row(group: str, factor: str, name_id: str, name_en: str, value: object, unit: str,
         ipcc_ref: str, source: str, status: str, kode: str = "") -> dict[str, object]:  # fmt: skip
    v = value if isinstance(value, int | float) and not isinstance(value, bool) else np.nan
    if isinstance(value, str):  # a choice: the value is in the name
        name_id, name_en = f"{name_id}: {value}", f"{name_en}: {value}"
    return dict(
        ghg_group=group,
        kode=kode,
        factor=factor,
        name_id=name_id,
        name_en=name_en,
        value=float(v),
        unit=unit,
        ipcc_ref=ipcc_ref,
        source=source,
        status=status,
    )


def _param_rows(
    group: str, names: tuple[str, ...], params: ParameterSet
) -> list[dict[str, object]]:
    refs = parameter_refs()
    out = []
    for n in names:  # a few named parameters
        p = params.reader("ghg.factors")[n]
        out.append(_row(group, n, n, n, p.value, p.unit, refs.get(n, ""), p.source, p.status))
    return out


def chapter_inputs(result: PlanResult, ghg: GhgInputs, gwp: str | None = None) -> GhgChapterInputs:
    """Every factor of the chapter resolved from the reference tables, the city's files and
    the plan's parameters (BOD and Bo of ``parameters.csv``, overrides included); ``gwp`` the
    assessment report (``None``: ``ghg_gwp_assessment``, AR5). Raises ``ValueError`` for an
    unknown report."""
    ref = ghg.reference
    gp = ref.parameters
    assessment = gwp or gp.reader("ghg.gwp").choice("ghg_gwp_assessment")
    gwp_values = ref.gwp(assessment)
    sf = ref.stream_factors()
    shares = ghg.shares().reindex(sf["stream"]).fillna(0.0)
    zone = gp.reader("ghg.landfill").choice("ghg_climate_zone")
    basis = gp.reader("ghg.landfill").choice("ghg_docf_basis")
    classes = ref.site_classes()
    unc = classes["uncategorised"]
    rows: list[dict[str, object]] = []

    gw = ref.gwp_table[ref.gwp_table["assessment"] == assessment]
    for gas in ("ch4", "n2o"):
        r = gw[gw["gas"] == gas].iloc[0]
        rows.append(
            _row(
                "gwp",
                f"gwp_{gas}",
                f"GWP100 {gas.upper()} ({assessment})",
                f"GWP100 {gas.upper()} ({assessment})",
                _f(r["gwp100"]),
                f"t CO2e/t {gas.upper()}",
                _ref_of(ref.gwp_table, r),
                str(r["source"]),
                str(r["status"]),
            )  # fmt: skip
        )
    # landfill: composition, stream factors, FOD parameters, the TPA's class
    comp = ghg.composition_rows()
    for c in comp.itertuples(index=False):
        rows.append(
            _row(
                "landfill",
                f"composition_{c.category}",
                f"Komposisi: {c.category} (aliran {c.stream})",
                f"Composition: {c.category} (stream {c.stream})",
                _f(c.share_pct),
                "% of wet waste",
                str(c.ipcc_ref),
                str(c.source),
                str(c.status),
            )  # fmt: skip
        )
    st = ref.streams
    for s in sf.itertuples(index=False):
        if _f(s.doc) <= 0:
            continue  # inert: nothing to decay
        for par, label, unit in (
            ("doc", "DOC", "fraction of wet waste"),
            (f"k_{zone}", "k", "1/year"),
        ):
            r = st[(st["stream"] == s.stream) & (st["parameter"] == par)].iloc[0]
            rows.append(
                _row(
                    "landfill",
                    f"{par}_{s.stream}",
                    f"{label} {s.stream}",
                    f"{label} {s.stream}",
                    _f(r["value"]),
                    unit,
                    str(r["ipcc_ref"]),
                    str(r["source"]),
                    str(r["status"]),
                )  # fmt: skip
            )
        if basis == "2019":
            r = st[(st["stream"] == s.stream) & (st["parameter"] == "docf_2019")].iloc[0]
            rows.append(
                _row(
                    "landfill",
                    f"docf_{s.stream}",
                    f"DOCf {s.stream}",
                    f"DOCf {s.stream}",
                    _f(r["value"]),
                    "fraction",
                    str(r["ipcc_ref"]),
                    str(r["source"]),
                    str(r["status"]),
                )  # fmt: skip
            )
    if basis != "2019":
        rows += _param_rows("landfill", ("ghg_docf_default",), gp)
    rows += _param_rows("landfill", LANDFILL_PARAMETERS, gp)
    swds = ref.swds.set_index("site_class")
    tpa = ghg.tpa
    for t in tpa.itertuples(index=False):
        cls = swds.loc[str(t.site_class)]
        city = str(t.kode)[:5]
        for par, label in (("mcf", "MCF"), ("ox", "OX")):
            rows.append(
                _row(
                    "landfill",
                    f"{par}_{t.id}",
                    f"{label} {t.id} ({t.site_class})",
                    f"{label} {t.id} ({t.site_class})",
                    _f(cls[par]),
                    "fraction",
                    str(cls["ipcc_ref"]),
                    str(cls["source"]),
                    _least(str(cls["status"]), str(t.status)),
                    city,
                )  # fmt: skip
            )
        opening = t.opening_year
        rows.append(
            _row(
                "landfill",
                f"opening_year_{t.id}",
                f"Tahun mulai {t.id}",
                f"Opening year {t.id}",
                _f(opening),
                "year",
                "",
                "facilities.csv year_built",
                str(t.status),
                city,
            )  # fmt: skip
        )
    # wastewater: the plan's BOD and Bo, the GHG parameters, the pathways used
    plan_params = result.parameters
    for name in PLAN_PARAMETERS:
        p = plan_params.reader("ghg.factors")[name]
        rows.append(
            _row("wastewater", name, name, name, p.value, p.unit, p.source, p.source, p.status)
        )
    rows += _param_rows("wastewater", WASTEWATER_PARAMETERS, gp)
    spald = gp.reader("ghg.wastewater").choice("ghg_ww_spald_t_treatment")
    iplt = gp.reader("ghg.wastewater").choice("ghg_ww_iplt_treatment")
    used = ("septic", "latrine", "direct_discharge", "open_defecation", f"spald_t_{spald}",
            f"iplt_{iplt}")  # fmt: skip
    pw = ref.pathways
    for key in used:
        for pr in pw[pw["pathway"] == key].itertuples(index=False):
            rows.append(
                _row(
                    "wastewater",
                    f"{key}.{pr.parameter}",
                    f"{key}: {pr.parameter}",
                    f"{key}: {pr.parameter}",
                    _f(pr.value),
                    str(pr.unit),
                    str(pr.ipcc_ref),
                    str(pr.source),
                    str(pr.status),
                )  # fmt: skip
            )
    factors = pd.DataFrame(rows, columns=list(FACTOR_COLUMNS))
    return GhgChapterInputs(
        streams=tuple(str(s) for s in sf["stream"]),
        doc=sf["doc"].to_numpy(dtype=float),
        docf=sf["docf"].to_numpy(dtype=float),
        k=sf["k"].to_numpy(dtype=float),
        shares=shares.to_numpy(dtype=float),
        f=gp.reader("ghg.landfill").num("ghg_landfill_gas_ch4_fraction_f"),
        delay_months=gp.reader("ghg.landfill").num("ghg_fod_delay_months"),
        tpa=tpa,
        uncategorised=unc,
        wastewater=ref.wastewater_factors(plan_params),
        assessment=assessment,
        gwp=gwp_values,
        factors=factors,
        composition="city" if ghg.composition is not None else "default",
    )


def _ref_of(table: pd.DataFrame, row: pd.Series) -> str:
    return str(row["ipcc_ref"]) if "ipcc_ref" in table.columns else ""


_ORDER = {"illustrative": 0, "unverified": 1, "derived": 2, "sourced": 3}


def _least(*statuses: str) -> str:
    """The least sourced of ``statuses`` (an illustrative input makes the factor so)."""
    return min(statuses, key=lambda s: _ORDER.get(s, 1))


def ghg_chapter(result: PlanResult, ghg: GhgInputs, gwp: str | None = None) -> PlanResult:
    """The plan result with the GHG chapter's tables and warnings added (module docstring);
    ``gwp``: ``AR4``, ``AR5`` or ``AR6`` (``None``: the ``ghg_gwp_assessment`` parameter)."""
    with tracking() as read:
        tables, warns = _core_chapter(result, chapter_inputs(result, ghg, gwp))
    out = replace(
        result,
        tables={**result.tables, **tables},
        warnings=(*result.warnings, *warns),
    )
    return with_reads(out, read)


__all__ = ["GWP_CHOICES", "chapter_inputs", "ghg_chapter"]
