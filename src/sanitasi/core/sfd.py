"""Excreta flow diagram (SFD-style) of a city: containment -> emptying -> transport ->
treatment, as % of the population (``docs/METHOD.md §11.3``; the SFD Graphic Generator method
of the SFD Promotion Initiative).

**Input: containment systems** (one row per system and assessment year; ``sfd.csv`` in the
city folder, see ``docs/city-data.md``):

``year, code, name, ladder_rung, population_share_pct, contained, offsite, emptied_pct,
delivered_pct, treated_pct, improved, shared, status``

* ``population_share_pct`` (*p*): % of the population **using a toilet** (open defecation is
  not a system; its share comes from the ladder's ``babs_terbuka`` rung). The systems of a year
  sum to 100.
* ``contained``: onsite containment is *contained* (e.g. a watertight septic tank, a pit with
  low groundwater risk) or *not contained* (significant groundwater risk, or an outlet to a
  drain, river or fishpond). A septic tank whose effluent goes to an open drain is entered as
  not contained (the SFD's separate supernatant arrows are not modelled).
* ``emptied_pct`` (F3): % of the system's faecal sludge (FS) that is emptied;
  ``delivered_pct`` (F4): % of the emptied FS delivered to treatment; ``treated_pct`` (F5): %
  of the delivered FS that is treated.
* ``offsite`` (sewer, SPALD-T, IPAL komunal): ``delivered_pct`` is the % of the wastewater
  conveyed to the plant, ``treated_pct`` the % of that treated; ``emptied_pct`` and
  ``contained`` are ignored.
* ``ladder_rung``: the Indonesian ladder rung of the system's users (``aman``,
  ``layak_sendiri``, ``layak_bersama``, ``belum_layak``, ``babs_tertutup``), for projections.
* ``improved``, ``shared``: JMP facility type, for the JMP-style proxy only.

**Flows** (shares of the whole population; *p* already scaled by ``(100 - OD) / 100``):

=============================  ============================  =======
flow                           formula                       safety
=============================  ============================  =======
``contained_not_emptied``      p (1 - F3), contained         safe
``not_contained_not_emptied``  p (1 - F3), not contained     unsafe
``emptied``                    p F3                          --
``emptied_not_delivered``      p F3 (1 - F4)                 unsafe
``delivered``                  p F3 F4                       --
``delivered_not_treated``      p F3 F4 (1 - F5)              unsafe
``treated``                    p F3 F4 F5                    safe
``sewer``                      p (offsite)                   --
``sewer_not_delivered``        p (1 - F4)                    unsafe
``sewer_delivered``            p F4                          --
``sewer_not_treated``          p F4 (1 - F5)                 unsafe
``sewer_treated``              p F4 F5                       safe
``open_defecation``            OD                            unsafe
=============================  ============================  =======

SFD safely managed = contained_not_emptied + treated + sewer_treated (SFD method: onsite
``p (1 - F3)`` if contained plus ``p F3 F4 F5``; sewer ``p F4 F5``). **Mass balance:** the
flows of every stage (:data:`STAGES`) sum to 100 % of the population.

**Three different measures, never substituted** (``docs/METHOD.md §11.3``):

* *SFD safely managed*: above; contained FS that is never emptied counts as safe.
* *JMP-style safely managed* (proxy): the SFD-safe flows of systems that are an **improved**
  facility **not shared** with other households (JMP: excreta treated and disposed in situ,
  i.e. contained and not emptied; emptied and treated off-site; or sewered and treated).
* *aman* (Indonesian ladder): households on the ``aman`` rung / all households (from the
  ladder observations or the plan), regardless of the SFD chain.

**Projection** (``docs/METHOD.md §11.3``). The base of year *t* is the latest assessment year
<= *t* (else the first one); an assessment year keeps its assessed values (they describe the
service of that year, e.g. private operators dumping, an overloaded plant).

*Rung totals.* The baseline split of each ladder rung among its systems is held and the rung
totals follow the ladder of each year (observations or the plan's ladder). System share in
year *t* = ``p_s / P_r(base) x L_r(t)`` where ``P_r(base)`` is the sum of the assessed shares
of the systems of rung *r* and ``L_r(t) = 100 hh_r(t) / H(t)`` the rung's share of households
(households and persons are taken to have the same split: the same household size on every
rung); open defecation is ``L_babs_terbuka(t)``. A rung with households but no system in the
base year is spread over the other systems in proportion (warning ``SAN-W170``), so the mass
balance holds; when none of the systems' rungs has households in a year, the assessed split is
used for that year. Every system's F3/F4/F5 is held as assessed -- except on the ``aman`` rung
when the plan's service is given:

*The aman rung follows the plan* (``service``: the city's L2T2 service from the plan,
``year, enrolled_hh, iplt_load_m3_per_day, iplt_capacity_m3_per_day,
iplt_capacity_to_add_m3_per_day``; its first year is the plan's base year *b*). For every
year *t* with a service row, *t* > its SFD base year and *t* > *b* ("plan years"), with
``A(t) = hh_aman(t)`` of the ladder (the plan's) and ``H(t)`` its households:

* onsite aman = the L2T2-enrolled stock ``E(t) = min(enrolled_hh(t), A(t))``: their sludge is
  emptied on schedule and delivered to the IPLT, ``F3 = F4 = 100 %`` and
  ``F5 = 100 % x min(1, C(t) / Q(t))`` with the IPLT capacity
  ``C(t) = iplt_capacity_m3_per_day + iplt_capacity_to_add_m3_per_day`` (existing + added by
  the plan, m3/day) and the load ``Q(t) = iplt_load_m3_per_day`` (m3/day); ``F5 = 100 %`` when
  ``Q = 0`` (:func:`iplt_treated_share`). The share ``100 E / H`` is split among the onsite
  aman systems of the base year by their assessed shares (equally when those are all 0); with
  none, a plan system ``L2T2_RENCANA`` (contained, improved, not shared) carries it.
* SPALD-T households connected in the reference year ``r = max(base year of t, b)``,
  ``S0 = max(0, A(r) - E(r))`` (the plan's SPALD-T households then), keep the assessed F4/F5 of
  the offsite aman systems: share ``100 min(S0, A(t) - E(t)) / H``, split among the offsite
  aman systems as assessed. With no offsite aman system in the base year those households are
  spread over the other systems in proportion (warning ``SAN-W172``).
* The connections the plan adds, ``A(t) - E(t) - min(S0, A(t) - E(t))``, are a new cohort at
  design performance (the plan sizes each zone plant to its connections): plan system
  ``SPALD_T_BARU``, offsite, ``F4 = F5 = 100 %``.

So moving a household from a contained, never-emptied tank (``layak_sendiri``, SFD-safe) to
aman never lowers SFD-safe while the IPLT keeps up (``C >= Q``): its excreta stay safe
(emptied x 1 x 1). Other rungs are projected as above. Without ``service`` (e.g. ``sanitasi
sfd`` on observed years, or a folder without a plan) the aman systems keep their assessed
F3/F4/F5 like every other system, and the tables' notes say so. The plan systems have status
``derived``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sanitasi.core.model import RUNGS, Column, Table, Warning_, count_status

#: Ladder rungs a containment system can belong to (``babs_terbuka`` is open defecation).
SYSTEM_RUNGS: tuple[str, ...] = tuple(r for r in RUNGS if r != "babs_terbuka")
OD_RUNG = "babs_terbuka"

SAFE = "safe"
UNSAFE = "unsafe"
TRANSIT = ""

#: Every flow of the diagram with its safety (``""``: an intermediate flow).
FLOWS: dict[str, str] = {
    "onsite_contained": TRANSIT,
    "onsite_not_contained": TRANSIT,
    "contained_not_emptied": SAFE,
    "not_contained_not_emptied": UNSAFE,
    "emptied": TRANSIT,
    "emptied_not_delivered": UNSAFE,
    "delivered": TRANSIT,
    "delivered_not_treated": UNSAFE,
    "treated": SAFE,
    "sewer": TRANSIT,
    "sewer_not_delivered": UNSAFE,
    "sewer_delivered": TRANSIT,
    "sewer_not_treated": UNSAFE,
    "sewer_treated": SAFE,
    "open_defecation": UNSAFE,
    "safely_managed": SAFE,
    "unsafely_managed": UNSAFE,
}
SAFE_FLOWS: tuple[str, ...] = ("contained_not_emptied", "treated", "sewer_treated")
UNSAFE_FLOWS: tuple[str, ...] = (
    "not_contained_not_emptied",
    "emptied_not_delivered",
    "delivered_not_treated",
    "sewer_not_delivered",
    "sewer_not_treated",
    "open_defecation",
)

#: The flows of each stage of the chain; each stage sums to 100 % of the population.
STAGES: dict[str, tuple[str, ...]] = {
    "containment": ("onsite_contained", "onsite_not_contained", "sewer", "open_defecation"),
    "emptying": (
        "contained_not_emptied",
        "not_contained_not_emptied",
        "emptied",
        "sewer",
        "open_defecation",
    ),
    "transport": (
        "contained_not_emptied",
        "not_contained_not_emptied",
        "emptied_not_delivered",
        "delivered",
        "sewer_not_delivered",
        "sewer_delivered",
        "open_defecation",
    ),
    "treatment": (
        "contained_not_emptied",
        "not_contained_not_emptied",
        "emptied_not_delivered",
        "delivered_not_treated",
        "treated",
        "sewer_not_delivered",
        "sewer_not_treated",
        "sewer_treated",
        "open_defecation",
    ),
    "outcome": ("safely_managed", "unsafely_managed"),
}

#: Emptied FS split by where it comes from (the Sankey links of ``emptied``).
EMPTIED_SPLIT: tuple[str, ...] = ("emptied_from_contained", "emptied_from_not_contained")

#: Sankey links ``(source node, target node, flow)``; node ``population`` is the root and
#: ``safely_managed``/``unsafely_managed`` collect the end of every chain.
LINKS: tuple[tuple[str, str, str], ...] = (
    ("population", "onsite_contained", "onsite_contained"),
    ("population", "onsite_not_contained", "onsite_not_contained"),
    ("population", "sewer", "sewer"),
    ("population", "open_defecation", "open_defecation"),
    ("onsite_contained", "contained_not_emptied", "contained_not_emptied"),
    ("onsite_contained", "emptied", "emptied_from_contained"),
    ("onsite_not_contained", "not_contained_not_emptied", "not_contained_not_emptied"),
    ("onsite_not_contained", "emptied", "emptied_from_not_contained"),
    ("emptied", "emptied_not_delivered", "emptied_not_delivered"),
    ("emptied", "delivered", "delivered"),
    ("delivered", "delivered_not_treated", "delivered_not_treated"),
    ("delivered", "treated", "treated"),
    ("sewer", "sewer_not_delivered", "sewer_not_delivered"),
    ("sewer", "sewer_delivered", "sewer_delivered"),
    ("sewer_delivered", "sewer_not_treated", "sewer_not_treated"),
    ("sewer_delivered", "sewer_treated", "sewer_treated"),
    ("contained_not_emptied", "safely_managed", "contained_not_emptied"),
    ("treated", "safely_managed", "treated"),
    ("sewer_treated", "safely_managed", "sewer_treated"),
    ("not_contained_not_emptied", "unsafely_managed", "not_contained_not_emptied"),
    ("emptied_not_delivered", "unsafely_managed", "emptied_not_delivered"),
    ("delivered_not_treated", "unsafely_managed", "delivered_not_treated"),
    ("sewer_not_delivered", "unsafely_managed", "sewer_not_delivered"),
    ("sewer_not_treated", "unsafely_managed", "sewer_not_treated"),
    ("open_defecation", "unsafely_managed", "open_defecation"),
)

#: Node labels (Indonesian, English) for diagrams.
NODE_LABELS: dict[str, tuple[str, str]] = {
    "population": ("Penduduk", "Population"),
    "onsite_contained": ("Setempat, tertampung", "Onsite, contained"),
    "onsite_not_contained": ("Setempat, tidak tertampung", "Onsite, not contained"),
    "contained_not_emptied": ("Tertampung, tidak dikuras", "Contained, not emptied"),
    "not_contained_not_emptied": (
        "Tidak tertampung, tidak dikuras",
        "Not contained, not emptied",
    ),
    "emptied": ("Dikuras", "Emptied"),
    "emptied_not_delivered": ("Dikuras, tidak sampai ke IPLT", "Emptied, not delivered"),
    "delivered": ("Sampai ke IPLT", "Delivered to treatment"),
    "delivered_not_treated": ("Sampai, tidak diolah", "Delivered, not treated"),
    "treated": ("Lumpur tinja diolah", "FS treated"),
    "sewer": ("Terpusat (SPALD-T)", "Sewer (offsite)"),
    "sewer_not_delivered": ("Jaringan, tidak sampai ke IPAL", "Sewer, not delivered"),
    "sewer_delivered": ("Sampai ke IPAL", "Sewage delivered to treatment"),
    "sewer_not_treated": ("Sampai ke IPAL, tidak diolah", "Sewage delivered, not treated"),
    "sewer_treated": ("Air limbah diolah", "Sewage treated"),
    "open_defecation": ("BABS di tempat terbuka", "Open defecation"),
    "safely_managed": ("Dikelola aman (SFD)", "Safely managed (SFD)"),
    "unsafely_managed": ("Tidak dikelola aman (SFD)", "Unsafely managed (SFD)"),
}

#: Shares of a year's systems must sum to 100 within this tolerance (percentage points).
SHARE_TOLERANCE = 0.1
#: Float noise allowed outside 0-100 for a single percentage.
RANGE_EPS = 1e-9

SYSTEM_COLUMNS: tuple[str, ...] = (
    "year",
    "code",
    "name",
    "ladder_rung",
    "population_share_pct",
    "contained",
    "offsite",
    "emptied_pct",
    "delivered_pct",
    "treated_pct",
    "improved",
    "shared",
)


#: Columns of the plan's L2T2 service (the city's rows of the plan's ``service_ald``) that the
#: projection of the aman rung uses.
SERVICE_COLUMNS: tuple[str, ...] = (
    "year",
    "enrolled_hh",
    "iplt_load_m3_per_day",
    "iplt_capacity_m3_per_day",
    "iplt_capacity_to_add_m3_per_day",
)
PLAN_L2T2 = "L2T2_RENCANA"
PLAN_SPALD_T = "SPALD_T_BARU"
#: Systems the plan adds in plan years: code -> (name, offsite).
PLAN_SYSTEMS: dict[str, tuple[str, bool]] = {
    PLAN_L2T2: ("Tangki septik, L2T2 terjadwal (rencana)", False),
    PLAN_SPALD_T: ("SPALD-T, sambungan baru rencana (kinerja desain)", True),
}


def _c(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


_PCT_POP = "% penduduk / % of population"

COLUMNS: dict[str, Column] = {
    "kode": _c("Kode", "Code", "", "text"),
    "year": _c("Tahun", "Year", "", "year"),
    "base_year": _c("Tahun data SFD", "SFD data year", "", "year"),
    "code": _c("Kode sistem", "System", "", "text"),
    "name": _c("Sistem", "System name", "", "text"),
    "ladder_rung": _c("Tangga sanitasi", "Ladder rung", "", "text"),
    "contained": _c("Tertampung", "Contained", "", "text"),
    "offsite": _c("Terpusat", "Offsite (sewer)", "", "text"),
    "improved": _c("Fasilitas layak (JMP)", "Improved (JMP)", "", "text"),
    "shared": _c("Bersama", "Shared", "", "text"),
    "population_share_pct": _c("Porsi penduduk", "Population share", "%", "pct"),
    "emptied_pct": _c("Dikuras (F3)", "Emptied (F3)", "%", "pct"),
    "delivered_pct": _c("Diangkut ke pengolahan (F4)", "Delivered (F4)", "%", "pct"),
    "treated_pct": _c("Diolah (F5)", "Treated (F5)", "%", "pct"),
    "status": _c("Status data", "Data status", "", "text"),
    "stage": _c("Tahap", "Stage", "", "text"),
    "flow": _c("Aliran", "Flow", "", "text"),
    "safety": _c("Keamanan", "Safety", "", "text"),
    "source": _c("Dari", "From", "", "text"),
    "target": _c("Ke", "To", "", "text"),
    "value_pct": _c("Nilai", "Value", _PCT_POP, "pct"),
    "label_id": _c("Label", "Label (id)", "", "text"),
    "label_en": _c("Label (en)", "Label", "", "text"),
    "sfd_safe_pct": _c("Aman menurut SFD", "SFD safely managed", _PCT_POP, "pct"),
    "sfd_unsafe_pct": _c("Tidak aman menurut SFD", "SFD unsafely managed", _PCT_POP, "pct"),
    "jmp_safely_managed_pct": _c(
        "Dikelola aman gaya JMP (proksi)", "JMP-style safely managed (proxy)", _PCT_POP, "pct"
    ),
    "pct_aman": _c("% aman (tangga sanitasi)", "% aman (Indonesian ladder)", "% RT / % hh", "pct"),
    "pct_layak": _c(
        "% layak (tangga sanitasi)", "% layak (Indonesian ladder)", "% RT / % hh", "pct"
    ),
    **{f: _c(lab[0], lab[1], _PCT_POP, "pct") for f, lab in NODE_LABELS.items()},
    "emptied_from_contained": _c(
        "Dikuras dari penampungan tertampung", "Emptied from contained", _PCT_POP, "pct"
    ),
    "emptied_from_not_contained": _c(
        "Dikuras dari penampungan tidak tertampung",
        "Emptied from not contained",
        _PCT_POP,
        "pct",
    ),
    "safe_pct": _c("Aman (SFD)", "Safe (SFD)", _PCT_POP, "pct"),
    "unsafe_pct": _c("Tidak aman (SFD)", "Unsafe (SFD)", _PCT_POP, "pct"),
    "jmp_safe_pct": _c("Aman gaya JMP", "JMP-style safe", _PCT_POP, "pct"),
}

#: Flow columns of the per-system table (shares of the whole population).
SYSTEM_FLOWS: tuple[str, ...] = (
    "contained_not_emptied",
    "not_contained_not_emptied",
    "emptied",
    "emptied_not_delivered",
    "delivered",
    "delivered_not_treated",
    "treated",
    "sewer",
    "sewer_not_delivered",
    "sewer_delivered",
    "sewer_not_treated",
    "sewer_treated",
)


@dataclass(frozen=True)
class SfdResult:
    """Tables of an SFD run (``sfd_systems``, ``sfd_flows``, ``sfd_stages``, ``sfd_matrix``,
    ``sfd_compare``, ``sfd_nodes``) and its warnings; see :func:`compute_sfd`."""

    tables: Mapping[str, Table]
    warnings: tuple[Warning_, ...] = ()
    #: Years whose aman rung follows the plan's service (module docstring); empty without it.
    plan_years: tuple[int, ...] = ()

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name].df


# ----------------------------------------------------------------------------- inputs


def default_improved(rung: pd.Series) -> pd.Series:
    """JMP improved facility by default: every rung except ``babs_tertutup`` (a toilet that
    discharges to a drain, river or fishpond is an unimproved "flush to elsewhere")."""
    return rung.ne("babs_tertutup")


def default_shared(rung: pd.Series) -> pd.Series:
    """Shared facility by default: the ``layak_bersama`` rung."""
    return rung.eq("layak_bersama")


def normalise_systems(systems: pd.DataFrame) -> pd.DataFrame:
    """The systems table with typed columns and defaults (a new frame).

    Numbers as float (F3 of offsite systems -> 0, blank F3/F4/F5 of a system whose upstream
    flow is 0 -> 0), booleans as bool (``contained`` of offsite systems -> False; ``improved``
    and ``shared`` default by rung), ``status`` default ``unverified``.
    """
    s = systems.copy()
    missing = [c for c in SYSTEM_COLUMNS if c not in s.columns and c not in ("improved", "shared")]
    if missing:
        raise ValueError(f"sfd systems need columns {missing}")
    s["year"] = pd.to_numeric(s["year"]).astype("int64")
    s["code"] = s["code"].astype(str)
    s["name"] = s["name"].astype(str)
    s["ladder_rung"] = s["ladder_rung"].astype(str)
    s["offsite"] = _bool(s["offsite"], False)
    s["contained"] = _bool(s["contained"], False) & ~s["offsite"]
    for col in ("population_share_pct", "emptied_pct", "delivered_pct", "treated_pct"):
        s[col] = pd.to_numeric(s[col], errors="coerce").astype(float)
    s["emptied_pct"] = s["emptied_pct"].mask(s["offsite"], 0.0)
    for col, default in (
        ("improved", default_improved(s["ladder_rung"])),
        ("shared", default_shared(s["ladder_rung"])),
    ):
        given = _bool(s[col], None) if col in s.columns else None
        s[col] = _fill_bool(given, default)
    if "status" not in s.columns:
        s["status"] = "unverified"
    s["status"] = s["status"].astype(str).replace({"": "unverified", "nan": "unverified"})
    return s


def _bool(v: pd.Series, default: bool | None) -> pd.Series:
    """True/False from bools or words; ``default`` (or NA) where blank."""
    if v.dtype == bool:
        return v.copy()
    words = v.astype(str).str.strip().str.lower()
    out = pd.Series(pd.NA, index=v.index, dtype="boolean")
    out[words.isin(["true", "1", "yes", "ya", "y", "t", "benar", "1.0"])] = True
    out[words.isin(["false", "0", "no", "tidak", "n", "f", "salah", "0.0"])] = False
    if default is not None:
        return out.fillna(default).astype(bool)
    return out


def _fill_bool(v: pd.Series | None, default: pd.Series) -> pd.Series:
    if v is None:
        return default.astype(bool)
    return v.astype("boolean").fillna(default).astype(bool)


def check_systems(systems: pd.DataFrame) -> list[str]:
    """Contract problems of a (normalised) systems table: shares 0-100, F3/F4/F5 0-100 where
    they matter, known rungs, unique (year, code), shares summing to 100 per year."""
    s = systems
    out: list[str] = []
    if s.empty:
        return ["no containment systems"]
    if (~s["ladder_rung"].isin(SYSTEM_RUNGS)).any():
        out.append(f"ladder_rung must be one of {', '.join(SYSTEM_RUNGS)}")
    need = {
        "population_share_pct": pd.Series(True, index=s.index),
        "emptied_pct": ~s["offsite"],
        "delivered_pct": pd.Series(True, index=s.index),
        "treated_pct": pd.Series(True, index=s.index),
    }
    for col, where in need.items():
        v = s.loc[where, col]
        if v.isna().any() or (v < -RANGE_EPS).any() or (v > 100 + RANGE_EPS).any():
            out.append(f"{col} must be a number within 0-100")
    if s.duplicated(["year", "code"]).any():
        out.append("a system code appears twice in the same year")
    sums = s.groupby("year")["population_share_pct"].sum()
    for y, total in sums.items():
        if abs(total - 100.0) > SHARE_TOLERANCE:
            out.append(f"system shares of {y} sum to {total:g} %, not 100 %")
    return out


def ladder_households(ladder: pd.DataFrame) -> pd.DataFrame:
    """Households per rung per year from ``year`` and ``hh_<rung>`` columns (missing or
    non-numeric -> 0). Index ``year`` (the last row of a repeated year wins), columns the
    rungs. Units: households."""
    cols = [f"hh_{r}" for r in RUNGS]
    lad = ladder.copy()
    for c in cols:
        if c not in lad.columns:
            lad[c] = 0.0
    hh = lad[cols].apply(pd.to_numeric, errors="coerce").fillna(0.0).to_numpy(dtype=float)
    out = pd.DataFrame(hh, columns=list(RUNGS))
    out.index = pd.Index(pd.to_numeric(lad["year"]).astype("int64").to_numpy(), name="year")
    return out[~out.index.duplicated(keep="last")].sort_index()


def ladder_shares(ladder: pd.DataFrame) -> pd.DataFrame:
    """Rung shares of households (0-100) per year from ``year`` and ``hh_<rung>`` columns
    (``households`` = the rung sum when absent or zero). Index ``year``, columns the rungs.
    A year with no households gets NaN."""
    hh = ladder_households(ladder)
    values = hh.to_numpy(dtype=float)
    total = values.sum(axis=1)
    pct = np.full(values.shape, np.nan)
    np.divide(values * 100.0, total[:, None], out=pct, where=total[:, None] > 0)
    np.clip(pct, 0.0, 100.0, out=pct)  # x * 100 / x may round to 100.00000000000001
    return pd.DataFrame(pct, columns=list(RUNGS), index=hh.index)


def iplt_treated_share(capacity_m3_per_day: np.ndarray, load_m3_per_day: np.ndarray) -> np.ndarray:
    """Share of the delivered L2T2 sludge that the IPLT treats (F5 of the plan years, 0-1).

    ``F5 = min(1, C / Q)`` with ``C`` the IPLT capacity (existing + added by the plan, m3/day)
    and ``Q`` the IPLT load (m3/day); ``F5 = 1`` where ``Q <= 0``; a missing capacity counts
    as 0. Source: ``docs/METHOD.md §11.3`` (a plant loaded beyond its capacity treats only
    its capacity; the rest leaves untreated)."""
    cap = np.nan_to_num(np.asarray(capacity_m3_per_day, dtype=float), nan=0.0)
    load = np.nan_to_num(np.asarray(load_m3_per_day, dtype=float), nan=0.0)
    out = np.ones(np.broadcast(cap, load).shape)
    np.divide(np.maximum(cap, 0.0), load, out=out, where=load > 0)
    return np.minimum(out, 1.0)


# ----------------------------------------------------------------------------- shares


def system_shares(
    systems: pd.DataFrame,
    ladder: pd.DataFrame | None = None,
    years: Sequence[int] | None = None,
    open_defecation_pct: float = 0.0,
    service: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.Series, list[Warning_]]:
    """Share of the whole population of each system in each year, and open defecation.

    Without ``ladder``: the assessed years of ``systems``, ``p x (100 - OD) / 100`` with the
    given ``open_defecation_pct``. With ``ladder`` (``year`` + ``hh_<rung>``): every ladder
    year (or ``years``), projected as in the module docstring; with ``service`` (the plan's
    L2T2 service of the city, :data:`SERVICE_COLUMNS`) the aman rung of the plan years follows
    the plan (module docstring: onsite aman emptied and delivered, F5 from the IPLT capacity,
    new SPALD-T connections at design performance). Returns ``(shares, od, warnings)``:
    ``shares`` is the systems table repeated per year with ``base_year``,
    ``population_share_pct`` (and, in plan years, F3/F4/F5 of the aman systems) replaced plus
    the plan systems (:data:`PLAN_SYSTEMS`) and a bool column ``plan`` (the row's year follows
    the plan's service); ``od`` is indexed by year.
    """
    s = normalise_systems(systems)
    problems = check_systems(s)
    if problems:
        raise ValueError("sfd systems: " + "; ".join(problems))
    warns: list[Warning_] = []
    assessed = np.array(sorted(s["year"].unique()), dtype=np.int64)
    if ladder is None:
        ys = assessed if years is None else np.asarray(sorted(set(years)), dtype=np.int64)
        base = _base_years(ys, assessed)
        out = _repeat(s, ys, base)
        od = pd.Series(float(open_defecation_pct), index=pd.Index(ys, name="year"))
        out["population_share_pct"] = (
            out["population_share_pct"] * (100.0 - out["year"].map(od)) / 100.0
        )
        out["plan"] = False
        return out, od, warns
    lad = ladder_shares(ladder)
    if years is not None:
        lad = lad.reindex(pd.Index(sorted(set(years)), name="year"))
    missing_years = lad.index[lad.isna().all(axis=1)]
    if len(missing_years):
        raise ValueError(f"no ladder for year(s) {', '.join(map(str, missing_years))}")
    ys = lad.index.to_numpy(dtype=np.int64)
    base = _base_years(ys, assessed)
    out = _repeat(s, ys, base)
    out["_assessed"] = out["population_share_pct"].to_numpy(dtype=float)
    out["plan"] = False
    # within-rung weight of each system in its base year
    rung_total = out.groupby(["year", "ladder_rung"])["population_share_pct"].transform("sum")
    weight = np.zeros(len(out))
    np.divide(
        out["population_share_pct"].to_numpy(dtype=float),
        rung_total.to_numpy(dtype=float),
        out=weight,
        where=rung_total.to_numpy(dtype=float) > 0,
    )
    # a rung whose systems all have share 0 splits its rung total equally among them
    n_in_rung = out.groupby(["year", "ladder_rung"])["code"].transform("size").to_numpy()
    weight = np.where(rung_total.to_numpy(dtype=float) > 0, weight, 1.0 / n_in_rung)
    lad_long = lad.stack()
    where = pd.MultiIndex.from_arrays([out["year"], out["ladder_rung"]])
    rung_pct = lad_long.reindex(where).fillna(0.0).to_numpy(dtype=float)
    share = weight * rung_pct
    out["population_share_pct"] = share
    if service is not None:
        out, found = _plan_aman(out, ladder_households(ladder), service)
        warns += found
    od = lad[OD_RUNG].astype(float)
    # rungs with households but no system in the base year: spread over the others
    mapped = out.groupby("year")["population_share_pct"].sum()
    target = 100.0 - od
    gap = (target - mapped.reindex(target.index).fillna(0.0)).round(9)
    if (gap > 1e-9).any():
        have = set(zip(out["year"], out["ladder_rung"], strict=True))
        for rung in SYSTEM_RUNGS:
            pos = lad[rung].to_numpy(dtype=float) > 0
            years_ = [int(y) for y in lad.index.to_numpy()]
            yrs = [y for y, p in zip(years_, pos, strict=True) if p and (y, rung) not in have]
            if yrs:
                values = {"rung": rung, "years": (yrs[0], yrs[-1])}
                warns.append(Warning_("SAN-W170", values, year=yrs[0]))
        tot = out["year"].map(mapped).to_numpy(dtype=float)
        scale = np.ones(len(out))
        tgt = out["year"].map(target).to_numpy(dtype=float)
        np.divide(tgt, tot, out=scale, where=tot > 0)
        # no system's rung has households that year: the assessed split is used
        fallback = out["_assessed"].to_numpy(dtype=float) * tgt / 100.0
        share = out["population_share_pct"].to_numpy(dtype=float) * scale
        out["population_share_pct"] = np.where(tot > 0, share, fallback)
    return out.drop(columns="_assessed"), od, warns


def _service_frame(service: pd.DataFrame) -> pd.DataFrame:
    """The plan's service indexed by year (numbers as float, the last row of a year wins)."""
    missing = [c for c in SERVICE_COLUMNS if c not in service.columns]
    if missing:
        raise ValueError(f"sfd service needs columns {missing}")
    svc = service[list(SERVICE_COLUMNS)].copy()
    svc["year"] = pd.to_numeric(svc["year"]).astype("int64")
    for c in SERVICE_COLUMNS[1:]:
        svc[c] = pd.to_numeric(svc[c], errors="coerce").astype(float)
    svc = svc.dropna(subset=["enrolled_hh"]).set_index("year")
    return svc[~svc.index.duplicated(keep="last")].sort_index()


def _asof(values: pd.Series, years: np.ndarray) -> np.ndarray:
    """``values`` at the latest index year <= each of ``years`` (0 where there is none)."""
    if not len(values):
        return np.zeros(len(years))
    idx = values.index.to_numpy(dtype=np.int64)
    pos = np.searchsorted(idx, years, side="right") - 1
    got = values.to_numpy(dtype=float)[np.clip(pos, 0, None)]
    return np.where(pos >= 0, got, 0.0)


def _group_weight(out: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    """Within (year, mask) weight of each row by its assessed share (equal when all are 0)."""
    key = out["year"].where(mask, -1)
    total = out["_assessed"].groupby(key).transform("sum").to_numpy(dtype=float)
    n = out["_assessed"].groupby(key).transform("size").to_numpy(dtype=float)
    w = np.zeros(len(out))
    np.divide(out["_assessed"].to_numpy(dtype=float), total, out=w, where=total > 0)
    return np.where(total > 0, w, 1.0 / n)


def _plan_aman(
    out: pd.DataFrame, hh: pd.DataFrame, service: pd.DataFrame
) -> tuple[pd.DataFrame, list[Warning_]]:
    """The aman rung of the plan years from the plan's service (module docstring).

    ``out``: the projected system rows (``_assessed`` = the base-year share); ``hh``: the
    ladder's households per rung (:func:`ladder_households`, every year of the ladder);
    ``service``: :data:`SERVICE_COLUMNS`. Returns the rows with the aman systems of the plan
    years replaced and the plan systems added, and ``SAN-W172`` warnings. Vectorised over
    rows and years."""
    svc = _service_frame(service)
    if svc.empty:
        return out, []
    b = int(svc.index.min())
    yr = out["year"].to_numpy(dtype=np.int64)
    base_yr = out["base_year"].to_numpy(dtype=np.int64)
    row_plan = np.isin(yr, svc.index.to_numpy()) & (yr > base_yr) & (yr > b) & np.isin(yr, hh.index)
    if not row_plan.any():
        return out, []
    first = out[row_plan].groupby("year")["base_year"].first()
    t = first.index.to_numpy(dtype=np.int64)  # the plan years
    ref = np.maximum(first.to_numpy(dtype=np.int64), b)
    H = hh.sum(axis=1)
    A_all = hh["aman"]
    E_all = pd.Series(
        np.minimum(
            svc["enrolled_hh"].clip(lower=0.0).to_numpy(dtype=float),
            A_all.reindex(svc.index).fillna(0.0).to_numpy(dtype=float),
        ),
        index=svc.index,
    )
    A = A_all.reindex(t).to_numpy(dtype=float)
    E = E_all.reindex(t).to_numpy(dtype=float)
    s0 = np.maximum(_asof(A_all, ref) - _asof(E_all, ref), 0.0)
    old = np.minimum(s0, A - E)
    new = A - E - old
    pct = 100.0 / H.reindex(t).to_numpy(dtype=float)
    on_pct = pd.Series(E * pct, index=t)
    old_pct = pd.Series(old * pct, index=t)
    new_pct = pd.Series(new * pct, index=t)
    cap = svc["iplt_capacity_m3_per_day"].fillna(0.0) + svc[
        "iplt_capacity_to_add_m3_per_day"
    ].fillna(0.0)
    f5 = pd.Series(
        100.0
        * iplt_treated_share(
            cap.reindex(t).to_numpy(), svc["iplt_load_m3_per_day"].reindex(t).to_numpy()
        ),
        index=t,
    )

    out = out.copy()
    aman = out["ladder_rung"].eq("aman").to_numpy()
    off = out["offsite"].to_numpy(dtype=bool)
    on_rows = row_plan & aman & ~off
    off_rows = row_plan & aman & off
    years_s = out["year"]
    share = out["population_share_pct"].to_numpy(dtype=float).copy()
    share = np.where(on_rows, _group_weight(out, on_rows) * years_s.map(on_pct).fillna(0.0), share)
    share = np.where(
        off_rows, _group_weight(out, off_rows) * years_s.map(old_pct).fillna(0.0), share
    )
    out["population_share_pct"] = share
    for col, value in (
        ("emptied_pct", 100.0),
        ("delivered_pct", 100.0),
        ("treated_pct", years_s.map(f5).to_numpy(dtype=float)),
    ):
        out[col] = np.where(on_rows, value, out[col].to_numpy(dtype=float))
    out["plan"] = row_plan

    has_on = set(out.loc[on_rows, "year"])
    has_off = set(out.loc[off_rows, "year"])
    extra = []
    for code, pcts, need in (
        (PLAN_L2T2, on_pct, [y for y in t if y not in has_on]),
        (PLAN_SPALD_T, new_pct, list(t)),
    ):
        ys = np.array([y for y in need if pcts[y] > 0], dtype=np.int64)
        if len(ys):
            extra.append(_plan_rows(out, code, ys, first.reindex(ys).to_numpy(), pcts[ys], f5[ys]))
    # (a year without any aman system gets SAN-W170 for the whole rung instead)
    has_aman = set(out.loc[row_plan & aman, "year"]) | {y for r in extra for y in r["year"]}
    lost = [int(y) for y in t if y not in has_off and y in has_aman and old_pct[y] > 1e-9]
    warns = []
    if lost:
        warns.append(Warning_("SAN-W172", {"years": (lost[0], lost[-1])}, year=lost[0]))
    if extra:
        out = pd.concat([out, *extra], ignore_index=True)
        out = out.sort_values(["year", "code"], kind="stable").reset_index(drop=True)
    return out, warns


def _plan_rows(
    like: pd.DataFrame,
    code: str,
    years: np.ndarray,
    base: np.ndarray,
    share: pd.Series,
    treated: pd.Series,
) -> pd.DataFrame:
    """Rows of a plan system (:data:`PLAN_SYSTEMS`) for ``years`` in the columns of ``like``."""
    name, offsite = PLAN_SYSTEMS[code]
    n = len(years)
    values: dict[str, object] = {
        "year": years.astype(np.int64),
        "base_year": base.astype(np.int64),
        "code": [code] * n,
        "name": [name] * n,
        "ladder_rung": ["aman"] * n,
        "population_share_pct": share.to_numpy(dtype=float),
        "contained": np.full(n, not offsite),
        "offsite": np.full(n, offsite),
        "emptied_pct": np.full(n, 0.0 if offsite else 100.0),
        "delivered_pct": np.full(n, 100.0),
        "treated_pct": np.full(n, 100.0) if offsite else treated.to_numpy(dtype=float),
        "improved": np.full(n, True),
        "shared": np.full(n, False),
        "status": ["derived"] * n,
        "plan": np.full(n, True),
        "_assessed": np.zeros(n),
    }
    rows = pd.DataFrame(values)
    return rows.reindex(columns=like.columns)


def _base_years(years: np.ndarray, assessed: np.ndarray) -> np.ndarray:
    """The assessment year used for each year: the latest <= it, else the first."""
    idx = np.searchsorted(assessed, years, side="right") - 1
    return assessed[np.clip(idx, 0, len(assessed) - 1)]


def _repeat(s: pd.DataFrame, years: np.ndarray, base: np.ndarray) -> pd.DataFrame:
    m = pd.DataFrame({"year": years, "base_year": base})
    out = m.merge(s.rename(columns={"year": "base_year"}), on="base_year", how="left")
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- flows


def system_flows(shares: pd.DataFrame) -> pd.DataFrame:
    """Flows of each system row (shares of the whole population, formulas in the module doc).

    ``shares`` has ``population_share_pct`` (% of the whole population), ``contained``,
    ``offsite``, ``emptied_pct``, ``delivered_pct``, ``treated_pct``, ``improved``,
    ``shared``. Adds the :data:`SYSTEM_FLOWS` columns plus ``safe_pct``, ``unsafe_pct`` and
    ``jmp_safe_pct``; vectorised over rows.
    """
    p = shares["population_share_pct"].to_numpy(dtype=float)
    off = shares["offsite"].to_numpy(dtype=bool)
    con = shares["contained"].to_numpy(dtype=bool) & ~off
    f3 = np.where(off, 0.0, shares["emptied_pct"].fillna(0.0).to_numpy(dtype=float) / 100.0)
    f3 = np.clip(f3, 0.0, 1.0)
    f4 = np.clip(shares["delivered_pct"].fillna(0.0).to_numpy(dtype=float) / 100.0, 0.0, 1.0)
    f5 = np.clip(shares["treated_pct"].fillna(0.0).to_numpy(dtype=float) / 100.0, 0.0, 1.0)
    onsite = np.where(off, 0.0, p)
    sewer = np.where(off, p, 0.0)
    not_emptied = onsite * (1.0 - f3)
    emptied = onsite * f3
    delivered = emptied * f4
    sewer_delivered = sewer * f4
    flows = {
        "contained_not_emptied": np.where(con, not_emptied, 0.0),
        "not_contained_not_emptied": np.where(con, 0.0, not_emptied),
        "emptied": emptied,
        "emptied_not_delivered": emptied * (1.0 - f4),
        "delivered": delivered,
        "delivered_not_treated": delivered * (1.0 - f5),
        "treated": delivered * f5,
        "sewer": sewer,
        "sewer_not_delivered": sewer * (1.0 - f4),
        "sewer_delivered": sewer_delivered,
        "sewer_not_treated": sewer_delivered * (1.0 - f5),
        "sewer_treated": sewer_delivered * f5,
    }
    out = shares.copy()
    for k, v in flows.items():
        out[k] = v
    safe = flows["contained_not_emptied"] + flows["treated"] + flows["sewer_treated"]
    out["safe_pct"] = safe
    out["unsafe_pct"] = p - safe
    jmp = shares["improved"].to_numpy(dtype=bool) & ~shares["shared"].to_numpy(dtype=bool)
    out["jmp_safe_pct"] = np.where(jmp, safe, 0.0)
    return out


def city_flows(flows: pd.DataFrame, od: pd.Series) -> pd.DataFrame:
    """Every flow of :data:`FLOWS` per year (sums over systems plus open defecation), the
    emptied FS split by containment (:data:`EMPTIED_SPLIT`) and ``jmp_safely_managed_pct``."""
    sums = flows.groupby("year")[list(SYSTEM_FLOWS) + ["jmp_safe_pct"]].sum()
    sums = sums.reindex(od.index, fill_value=0.0)
    con = flows["contained"].to_numpy(dtype=bool) & ~flows["offsite"].to_numpy(dtype=bool)
    onsite = np.where(
        flows["offsite"].to_numpy(dtype=bool),
        0.0,
        flows["population_share_pct"].to_numpy(dtype=float),
    )
    part = (
        pd.DataFrame(
            {
                "year": flows["year"].to_numpy(),
                "onsite_contained": np.where(con, onsite, 0.0),
                "onsite_not_contained": np.where(con, 0.0, onsite),
            }
        )
        .groupby("year")[["onsite_contained", "onsite_not_contained"]]
        .sum()
    )
    part = part.reindex(od.index, fill_value=0.0)
    out = pd.DataFrame(index=od.index)
    out["onsite_contained"] = part["onsite_contained"]
    out["onsite_not_contained"] = part["onsite_not_contained"]
    for f in SYSTEM_FLOWS:
        out[f] = sums[f]
    out["open_defecation"] = od.astype(float)
    out["safely_managed"] = out[list(SAFE_FLOWS)].sum(axis=1)
    out["unsafely_managed"] = out[list(UNSAFE_FLOWS)].sum(axis=1)
    emptied_c = pd.Series(np.where(con, flows["emptied"].to_numpy(dtype=float), 0.0))
    emptied_c = emptied_c.groupby(flows["year"].to_numpy()).sum().reindex(od.index, fill_value=0.0)
    out["emptied_from_contained"] = emptied_c.to_numpy(dtype=float)
    out["emptied_from_not_contained"] = out["emptied"] - out["emptied_from_contained"]
    out["jmp_safely_managed_pct"] = sums["jmp_safe_pct"]
    return out[[*FLOWS, *EMPTIED_SPLIT, "jmp_safely_managed_pct"]]


def stage_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """Sum of the flows of each stage per year (100 when the mass balance holds)."""
    return pd.DataFrame({st: flows[list(fl)].sum(axis=1) for st, fl in STAGES.items()})


def jmp_safely_managed(flows: pd.DataFrame) -> pd.Series:
    """JMP-style safely managed % of population per year (proxy, module docstring): SFD-safe
    flows of improved, not shared systems. ``flows`` from :func:`system_flows`."""
    return flows.groupby("year")["jmp_safe_pct"].sum().rename("jmp_safely_managed_pct")


def aman_share(ladder: pd.DataFrame) -> pd.DataFrame:
    """Indonesian ``pct_aman`` and ``pct_layak`` (% of households) per year from the ladder."""
    sh = ladder_shares(ladder)
    return pd.DataFrame(
        {
            "pct_aman": sh["aman"],
            "pct_layak": sh[["aman", "layak_sendiri", "layak_bersama"]].sum(axis=1),
        }
    )


def flow_matrix(flows: pd.DataFrame) -> pd.DataFrame:
    """Sankey links per year: ``year, source, target, value_pct, safety`` (:data:`LINKS`;
    zero links are kept so the shape is the same every year)."""
    f = flows
    years = f.index.to_numpy()
    n = len(LINKS)
    return pd.DataFrame(
        {
            "year": np.repeat(years, n),
            "source": np.tile([lk[0] for lk in LINKS], len(years)),
            "target": np.tile([lk[1] for lk in LINKS], len(years)),
            "value_pct": f[[lk[2] for lk in LINKS]].to_numpy(dtype=float).reshape(-1),
            "safety": np.tile([FLOWS.get(lk[1], TRANSIT) for lk in LINKS], len(years)),
        }
    )


# ----------------------------------------------------------------------------- entry point


def compute_sfd(
    systems: pd.DataFrame,
    ladder: pd.DataFrame | None = None,
    *,
    kode: str = "",
    years: Sequence[int] | None = None,
    open_defecation_pct: float = 0.0,
    service: pd.DataFrame | None = None,
) -> SfdResult:
    """The excreta flow diagram of one city for the assessed or projected years.

    ``systems``: the containment systems (module docstring; ``sfd.csv``). ``ladder``: the
    city's households per rung per year (``year`` and ``hh_<rung>`` columns, e.g. the
    observations or the plan's ``ladder`` table of the city for one scenario); it gives open
    defecation, the *aman* share and the projection. Without it, only the assessed years are
    computed with ``open_defecation_pct`` and no *aman*. ``years`` restricts the years.
    ``service``: the city's L2T2 service of the plan (:data:`SERVICE_COLUMNS`, e.g. the city's
    rows of the plan's ``service_ald``), used with the plan's ``ladder``: in the plan years the
    aman rung follows the plan (module docstring) and ``plan_years`` lists them. Without it
    every system keeps its assessed F3/F4/F5 and the notes say so.

    Tables (``kode`` = the city):

    ``sfd_systems``
        ``kode, year, base_year, code, name, ladder_rung, contained, offsite, improved, shared,
        population_share_pct`` (% of the whole population), ``emptied_pct, delivered_pct,
        treated_pct`` and the flows of each system (``contained_not_emptied`` ...
        ``sewer_treated``), ``safe_pct, unsafe_pct, jmp_safe_pct, status``.
    ``sfd_flows``
        ``kode, year`` and every flow of :data:`FLOWS` (% of population).
    ``sfd_stages``
        ``kode, year, stage, flow, safety, value_pct``: the flows of each stage (each stage
        sums to 100).
    ``sfd_matrix``
        ``kode, year, source, target, value_pct, safety``: the Sankey links.
    ``sfd_compare``
        ``kode, year, sfd_safe_pct, jmp_safely_managed_pct, pct_aman, pct_layak``: the three
        measures side by side (never substituted).
    ``sfd_nodes``
        ``node, label_id, label_en, safety``.
    """
    shares, od, warns = system_shares(
        systems, ladder, years, open_defecation_pct, service if ladder is not None else None
    )
    plan_years = tuple(sorted({int(y) for y in shares.loc[shares["plan"], "year"]}))
    projected = bool((shares["year"] != shares["base_year"]).any())
    sf = system_flows(shares)
    flows = city_flows(sf, od)
    matrix = flow_matrix(flows)
    status = list(normalise_systems(systems)["status"])
    prov = count_status(status)
    if ladder is not None:
        prov_l = count_status(
            ladder["status"].astype(str)
            if "status" in ladder.columns
            else ["derived"] * len(ladder)
        )
        prov = {k: prov[k] + prov_l[k] for k in prov}
    if plan_years:
        prov = {**prov, "derived": prov.get("derived", 0) + len(plan_years)}

    sys_cols = [
        "year",
        "base_year",
        "code",
        "name",
        "ladder_rung",
        "contained",
        "offsite",
        "improved",
        "shared",
        "population_share_pct",
        "emptied_pct",
        "delivered_pct",
        "treated_pct",
        *SYSTEM_FLOWS,
        "safe_pct",
        "unsafe_pct",
        "jmp_safe_pct",
        "status",
    ]
    sys_table = sf[sys_cols].sort_values(["year", "code"], kind="stable")
    sys_table.insert(0, "kode", kode)

    flow_table = flows.drop(columns="jmp_safely_managed_pct").reset_index()
    flow_table.insert(0, "kode", kode)

    stage_rows = [(st, f) for st, fl in STAGES.items() for f in fl]
    ys = flows.index.to_numpy()
    n = len(stage_rows)
    stages = pd.DataFrame(
        {
            "kode": kode,
            "year": np.repeat(ys, n),
            "stage": np.tile([r[0] for r in stage_rows], len(ys)),
            "flow": np.tile([r[1] for r in stage_rows], len(ys)),
            "safety": np.tile([FLOWS[r[1]] for r in stage_rows], len(ys)),
            "value_pct": flows[[r[1] for r in stage_rows]].to_numpy(dtype=float).reshape(-1),
        }
    )
    matrix.insert(0, "kode", kode)

    compare = pd.DataFrame(
        {
            "kode": kode,
            "year": ys,
            "sfd_safe_pct": flows["safely_managed"].to_numpy(dtype=float),
            "jmp_safely_managed_pct": flows["jmp_safely_managed_pct"].to_numpy(dtype=float),
        }
    )
    if ladder is not None:
        am = aman_share(ladder).reindex(ys)
        compare["pct_aman"] = am["pct_aman"].to_numpy(dtype=float)
        compare["pct_layak"] = am["pct_layak"].to_numpy(dtype=float)
    else:
        compare["pct_aman"] = np.nan
        compare["pct_layak"] = np.nan
    nodes = pd.DataFrame(
        {
            "node": list(NODE_LABELS),
            "label_id": [v[0] for v in NODE_LABELS.values()],
            "label_en": [v[1] for v in NODE_LABELS.values()],
            "safety": [FLOWS.get(k, TRANSIT) for k in NODE_LABELS],
        }
    )
    tables = {
        "sfd_systems": _table(
            "sfd_systems",
            "SFD: sistem penampungan dan alirannya",
            "SFD: containment systems and their flows",
            sys_table,
            prov,
            *_systems_note(projected, plan_years),
        ),
        "sfd_flows": _table(
            "sfd_flows",
            "SFD: aliran tinja (% penduduk)",
            "SFD: excreta flows (% of population)",
            flow_table,
            prov,
        ),
        "sfd_stages": _table(
            "sfd_stages",
            "SFD: neraca per tahap (tiap tahap = 100 %)",
            "SFD: balance per stage (each stage = 100 %)",
            stages,
            prov,
        ),
        "sfd_matrix": _table(
            "sfd_matrix",
            "SFD: matriks aliran (Sankey)",
            "SFD: flow matrix (Sankey)",
            matrix,
            prov,
        ),
        "sfd_compare": _table(
            "sfd_compare",
            "Aman menurut SFD, gaya JMP dan tangga sanitasi (tidak saling menggantikan)",
            "SFD-safe, JMP-style safely managed and aman side by side (never substituted)",
            compare,
            prov,
            *_compare_note(projected, plan_years),
        ),
        "sfd_nodes": _table(
            "sfd_nodes", "SFD: simpul diagram", "SFD: diagram nodes", nodes, count_status([])
        ),
    }
    return SfdResult(tables, tuple(warns), plan_years)


def _span(years: Sequence[int]) -> str:
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _projection_note(projected: bool, plan_years: Sequence[int]) -> tuple[str, str]:
    """How the projected years were computed (with or without the plan's service)."""
    if not projected:
        return "", ""
    if plan_years:
        span = _span(plan_years)
        return (
            f"Tahun {span} mengikuti layanan rencana: RT aman setempat = RT terdaftar L2T2, "
            "dikuras dan diangkut 100 %, diolah = min(1, kapasitas IPLT (ada + tambahan) / "
            "beban IPLT); sambungan SPALD-T tahun dasar mempertahankan F4/F5 hasil penilaian, "
            "sambungan baru rencana F4 = F5 = 100 % (kinerja desain). Anak tangga lain: "
            "pembagian ke sistemnya dan F3-F5 tetap, total mengikuti tangga sanitasi. Tahun "
            "penilaian SFD tetap memakai nilai hasil penilaian.",
            f"Years {span} follow the plan's service: onsite aman households = the L2T2-enrolled "
            "households, emptied and delivered 100 %, treated = min(1, IPLT capacity (existing "
            "+ added) / IPLT load); SPALD-T connections of the base year keep the assessed "
            "F4/F5, the plan's new connections F4 = F5 = 100 % (design performance). Other "
            "rungs: the split among their systems and F3-F5 held, totals follow the ladder. "
            "SFD assessment years keep their assessed values.",
        )
    return (
        "Proyeksi tanpa layanan L2T2 rencana: pembagian tiap anak tangga ke sistemnya dan "
        "F3-F5 tiap sistem (termasuk aman) tetap seperti hasil penilaian, total anak tangga "
        "mengikuti tangga sanitasi tahun itu.",
        "Projected without the plan's L2T2 service: the split of each ladder rung among its "
        "systems and every system's F3-F5 (aman included) are held as assessed; rung totals "
        "follow that year's ladder.",
    )


def _systems_note(projected: bool, plan_years: Sequence[int]) -> tuple[str, str]:
    pid, pen = _projection_note(projected, plan_years)
    return (
        " ".join(
            x
            for x in (
                "Persen dari seluruh penduduk. F3 = dikuras, F4 = diangkut ke pengolahan, "
                "F5 = diolah.",
                pid,
            )
            if x
        ),
        " ".join(
            x
            for x in (
                "Percent of the whole population. F3 = emptied, F4 = delivered to treatment, "
                "F5 = treated.",
                pen,
            )
            if x
        ),
    )


def _compare_note(projected: bool, plan_years: Sequence[int]) -> tuple[str, str]:
    pid, pen = _projection_note(projected, plan_years)
    base_id = (
        "SFD: tinja tertampung yang tidak dikuras dihitung aman. Gaya JMP (proksi): aliran "
        "aman SFD dari fasilitas layak yang tidak dipakai bersama. Aman: rumah tangga pada "
        "anak tangga aman (% rumah tangga)."
    )
    base_en = (
        "SFD: contained FS that is not emptied counts as safe. JMP-style (proxy): SFD-safe "
        "flows of improved facilities not shared with other households. Aman: households "
        "on the aman rung (% of households)."
    )
    return " ".join(x for x in (base_id, pid) if x), " ".join(x for x in (base_en, pen) if x)


def _table(
    name: str,
    tid: str,
    ten: str,
    df: pd.DataFrame,
    prov: Mapping[str, int],
    note_id: str = "",
    note_en: str = "",
) -> Table:
    cols = {c: COLUMNS.get(c, Column(c, c)) for c in df.columns}
    return Table(name, tid, ten, df.reset_index(drop=True), cols, dict(prov), note_id, note_en)


__all__ = [
    "FLOWS",
    "LINKS",
    "NODE_LABELS",
    "SAFE_FLOWS",
    "STAGES",
    "PLAN_L2T2",
    "PLAN_SPALD_T",
    "PLAN_SYSTEMS",
    "SERVICE_COLUMNS",
    "SYSTEM_RUNGS",
    "UNSAFE_FLOWS",
    "SfdResult",
    "aman_share",
    "check_systems",
    "city_flows",
    "compute_sfd",
    "flow_matrix",
    "iplt_treated_share",
    "jmp_safely_managed",
    "ladder_households",
    "ladder_shares",
    "normalise_systems",
    "stage_totals",
    "system_flows",
    "system_shares",
]
