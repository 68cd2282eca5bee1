"""CH4 and N2O of domestic wastewater by pathway, per rung of the sanitation ladder
(IPCC 2019 Refinement Vol. 5 Ch. 6, Tier 1; docs/METHOD.md §12.3). Vectorised over areas x
years: every input is an ``(A, Y)`` array (or a scalar), one numpy operation per source.

**Sources and their pathway** (households of a rung x persons per household = persons ``P``):

==================  ======================================  ==============================
source              households                              pathway (``ghg_ww_pathways``)
==================  ======================================  ==============================
``aman_onsite``     ``aman - spald_t``                      ``septic`` (emptied, below)
``spald_t``         SPALD-T connections (``hh_spald_t``)    ``spald_t_<treatment>``
``layak_sendiri``   own toilet, tank not emptied            ``septic``
``layak_bersama``   shared toilet                           ``septic``
``belum_layak``     unimproved toilet, pit (cubluk)         ``latrine``
``babs_tertutup``   outlet straight to a river/pond         ``direct_discharge``
``babs_terbuka``    open defecation                         ``open_defecation``
``iplt``            sludge removed by desludging            ``iplt_<treatment>``
==================  ======================================  ==============================

**Organics** (t BOD/year): ``TOW = P x BOD x 365 / 10^6 x I`` (Eq. 6.3, 6.3a; ``BOD`` in
g/person/day, ``I`` the industrial co-discharge factor of the pathway).

**Sludge removed from septic tanks** (Eq. 6.3C): ``S = TOW x F x s`` with ``s`` the share of
BOD removed with the sludge when a tank is emptied (0.5) and ``F`` the share of the source's
households whose tank is emptied: households on the L2T2 schedule (``emptied_hh``, default
the onsite *aman* households, emptied within the window by definition) are counted on
``aman_onsite`` first (``F = min(emptied, aman_onsite) / aman_onsite``) and any remainder on
``layak_sendiri`` and ``layak_bersama`` in proportion. ``S`` goes to the IPLT.

**CH4** (t/year): treatment ``(TOW - S) x Bo x MCF`` (Eq. 6.1, 6.2) plus, where the pathway's
effluent reaches water, ``TOW x (1 - TOW_rem) x Bo x MCF_discharge`` (Eq. 6.3d); the IPLT
treats ``sum S`` the same way.

**N2O** (t/year): nitrogen ``TN = P x protein x 365 / 10^6 x F_NPR x N_HH x F_NON-CON x
F_IND-COM`` (Eq. 6.10, protein in g/person/day); plant/system ``TN x EF x 44/28`` (Eq. 6.9) and,
where the effluent reaches water, ``TN x (1 - N_rem) x EF_discharge x 44/28`` (Eq. 6.7, 6.8).
The IPLT's N2O is not counted (no default found).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sanitasi.core.ghg import N2O_PER_N
from sanitasi.core.model import RUNGS

#: Emission sources in report order.
SOURCES: tuple[str, ...] = (
    "aman_onsite",
    "spald_t",
    "layak_sendiri",
    "layak_bersama",
    "belum_layak",
    "babs_tertutup",
    "babs_terbuka",
    "iplt",
)
#: Sources whose households have a septic tank (the ``septic`` pathway).
SEPTIC_SOURCES: tuple[str, ...] = ("aman_onsite", "layak_sendiri", "layak_bersama")
#: Pathway key of each household source (SPALD-T and IPLT take the chosen treatment).
SOURCE_PATHWAY: dict[str, str] = {
    "aman_onsite": "septic",
    "spald_t": "spald_t",
    "layak_sendiri": "septic",
    "layak_bersama": "septic",
    "belum_layak": "latrine",
    "babs_tertutup": "direct_discharge",
    "babs_terbuka": "open_defecation",
}
DAYS_PER_YEAR = 365.0
G_PER_T = 1e6


@dataclass(frozen=True)
class Pathway:
    """Factors of one treatment/discharge pathway (fractions unless stated): ``mcf``;
    ``tow_rem`` share of organics removed before the effluent leaves; ``n_rem`` share of
    nitrogen removed; ``ef_n2o`` kg N2O-N per kg N of the system/plant; ``effluent_to_water``
    whether the effluent reaches rivers/lakes/sea; ``i_factor`` (BOD) and ``f_ind_com``
    (nitrogen) co-discharge factors."""

    mcf: float
    tow_rem: float = 0.0
    n_rem: float = 0.0
    ef_n2o: float = 0.0
    effluent_to_water: bool = False
    i_factor: float = 1.0
    f_ind_com: float = 1.0


@dataclass(frozen=True)
class WastewaterFactors:
    """Everything the wastewater emissions need (built by ``sanitasi.io.ghg`` from
    ``parameters.csv``, ``ghg_parameters.csv`` and ``ghg_ww_pathways.csv``).

    ``pathways`` holds ``septic``, ``latrine``, ``direct_discharge``, ``open_defecation``,
    ``spald_t`` and ``iplt`` (the last two already the chosen treatment)."""

    bod_g_per_person_day: float
    bo_kg_ch4_per_kg_bod: float
    septic_sludge_bod_share: float
    protein_g_per_person_day: float
    f_npr: float
    n_hh: float
    f_non_con: float
    discharge_mcf: float
    discharge_ef_n2o: float
    pathways: Mapping[str, Pathway]


@dataclass(frozen=True)
class WastewaterResult:
    """t CH4 and t N2O per source (:data:`SOURCES`), each ``(A, Y)``; ``sludge_bod_t`` the
    BOD removed by desludging and sent to the IPLT."""

    ch4: dict[str, np.ndarray]
    n2o: dict[str, np.ndarray]
    sludge_bod_t: np.ndarray

    @property
    def ch4_total(self) -> np.ndarray:
        return np.sum([self.ch4[s] for s in SOURCES], axis=0)

    @property
    def n2o_total(self) -> np.ndarray:
        return np.sum([self.n2o[s] for s in SOURCES], axis=0)


def _nonneg(name: str, value: object) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0")
    return arr


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)


def emptied_shares(
    aman_onsite: np.ndarray,
    layak: np.ndarray,
    emptied_hh: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(F_aman_onsite, F_layak)``: share of each group's septic tanks that are emptied, the
    emptied households counted on the onsite *aman* households first, the rest spread over the
    layak (sendiri + bersama) households (capped at 1)."""
    on_aman = np.minimum(emptied_hh, aman_onsite)
    rest = np.maximum(emptied_hh - aman_onsite, 0.0)
    return _ratio(on_aman, aman_onsite), np.minimum(_ratio(rest, layak), 1.0)


def wastewater_emissions(
    households: Mapping[str, object],
    spald_t_hh: object,
    persons_per_hh: object,
    factors: WastewaterFactors,
    emptied_hh: object | None = None,
) -> WastewaterResult:
    """CH4 and N2O of domestic wastewater by source (formulas in the module docstring;
    docs/METHOD.md §12.3). ``households`` maps each rung of :data:`RUNGS` to households
    ``(A, Y)`` (a missing rung counts 0); ``spald_t_hh`` the SPALD-T households (part of
    ``aman``); ``persons_per_hh`` scalar or ``(A, Y)``; ``emptied_hh`` households whose tank is
    emptied on schedule (L2T2 ``enrolled_hh``; default ``aman - spald_t``). Tonnes per year.
    """
    unknown = sorted(set(households) - set(RUNGS))
    if unknown:
        raise ValueError(f"unknown ladder rungs: {', '.join(unknown)}")
    arrays = {r: _nonneg(r, households[r]) for r in households}
    spald_in = _nonneg("spald_t_hh", spald_t_hh)
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()), spald_in.shape)
    hh = {r: np.broadcast_to(arrays.get(r, np.zeros(())), shape) for r in RUNGS}
    spald = np.broadcast_to(spald_in, shape)
    if np.any(spald > hh["aman"] + 1e-9):
        raise ValueError("spald_t_hh must not exceed aman households")
    pph = _nonneg("persons_per_hh", persons_per_hh)
    groups = {
        "aman_onsite": np.maximum(hh["aman"] - spald, 0.0),
        "spald_t": spald,
        **{r: hh[r] for r in RUNGS if r != "aman"},
    }
    emptied = groups["aman_onsite"] if emptied_hh is None else _nonneg("emptied_hh", emptied_hh)
    layak = groups["layak_sendiri"] + groups["layak_bersama"]
    f_aman, f_layak = emptied_shares(groups["aman_onsite"], layak, emptied)
    f_emptied = {"aman_onsite": f_aman, "layak_sendiri": f_layak, "layak_bersama": f_layak}

    bo = factors.bo_kg_ch4_per_kg_bod
    bod_t = factors.bod_g_per_person_day * DAYS_PER_YEAR / G_PER_T
    n_t = (
        factors.protein_g_per_person_day
        * DAYS_PER_YEAR
        / G_PER_T
        * factors.f_npr
        * factors.n_hh
        * factors.f_non_con
    )
    ch4: dict[str, np.ndarray] = {}
    n2o: dict[str, np.ndarray] = {}
    sludge = np.zeros(shape)
    for source, pathway_key in SOURCE_PATHWAY.items():  # eight fixed sources, not areas
        pw = factors.pathways[pathway_key]
        persons = groups[source] * pph
        tow = persons * bod_t * pw.i_factor
        removed = tow * f_emptied.get(source, 0.0) * factors.septic_sludge_bod_share
        sludge = sludge + removed
        ch4[source] = _pathway_ch4(tow, removed, pw, bo, factors.discharge_mcf)
        tn = persons * n_t * pw.f_ind_com
        n2o[source] = _pathway_n2o(tn, pw, factors.discharge_ef_n2o)
    iplt = factors.pathways["iplt"]
    ch4["iplt"] = _pathway_ch4(sludge, np.zeros(shape), iplt, bo, factors.discharge_mcf)
    n2o["iplt"] = np.zeros(shape)
    return WastewaterResult(ch4=ch4, n2o=n2o, sludge_bod_t=sludge)


def _pathway_ch4(
    tow: np.ndarray, removed: np.ndarray, pw: Pathway, bo: float, discharge_mcf: float
) -> np.ndarray:
    treatment = (tow - removed) * bo * pw.mcf
    if not pw.effluent_to_water:
        return treatment
    return treatment + tow * (1.0 - pw.tow_rem) * bo * discharge_mcf


def _pathway_n2o(tn: np.ndarray, pw: Pathway, discharge_ef: float) -> np.ndarray:
    plant = tn * pw.ef_n2o * N2O_PER_N
    if not pw.effluent_to_water:
        return plant
    return plant + tn * (1.0 - pw.n_rem) * discharge_ef * N2O_PER_N


def emissions_table(
    result: WastewaterResult,
    areas: list[str],
    years: list[int],
    scenario: str,
    gwp: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Long table ``scenario, kode, year, source, ch4_t, n2o_t[, co2e_t]`` of a result whose
    arrays are ``(len(areas), len(years))``."""
    n_a, n_y = len(areas), len(years)
    frames = []
    for source in SOURCES:
        ch4 = np.broadcast_to(result.ch4[source], (n_a, n_y))
        n2o = np.broadcast_to(result.n2o[source], (n_a, n_y))
        frames.append(
            pd.DataFrame(
                {
                    "scenario": scenario,
                    "kode": np.repeat(areas, n_y),
                    "year": np.tile(years, n_a),
                    "source": source,
                    "ch4_t": ch4.ravel(),
                    "n2o_t": n2o.ravel(),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    if gwp is not None:
        out["co2e_t"] = out["ch4_t"] * float(gwp["ch4"]) + out["n2o_t"] * float(gwp["n2o"])
    return out.sort_values(["kode", "year"], kind="stable").reset_index(drop=True)


__all__ = [
    "SEPTIC_SOURCES",
    "SOURCES",
    "SOURCE_PATHWAY",
    "Pathway",
    "WastewaterFactors",
    "WastewaterResult",
    "emissions_table",
    "emptied_shares",
    "wastewater_emissions",
]
