"""Risk areas (*area berisiko*) of an SSK, per kelurahan/desa and subsector (docs/METHOD.md
§11.1; Buku Pedoman Pemutakhiran SSK 2017, Petunjuk Teknis pp. 138 and 161).

Method, vectorised over every kelurahan/desa of every city in the input (never a loop over
areas):

1. **Indicator score 1-4.** For each city, subsector and indicator, the range of the values
   across the city's kelurahan/desa, ``[min, max]``, is cut into four equal intervals of width
   ``w = (max - min) / 4``. ``direction`` (from the weights):

   * ``risk``: score ``s = 1 + floor((x - min) / w)``, clipped to 1..4. **Boundary
     convention:** a value equal to a boundary ``min + k w`` goes to the *higher* class
     (``k + 1``), and the maximum gets 4. A relative tolerance of ``1e-9`` of an interval
     absorbs floating-point noise at the boundaries.
   * ``protective`` (more is better, e.g. septic access): ``5 - s`` (reversed).
   * ``score``: the value is already a score in 1..4 (e.g. the Pokja/OPD perception) and is
     used as is (no intervals, also when all kelurahan have the same score).
   * ``risk`` or ``protective`` with ``max == min`` (zero range): every kelurahan scores 1.

2. **Components.** ``IMPACT`` (subsector ``all``) and ``EXPOSURE`` (subsector ``ald`` or
   ``persampahan``) are weighted sums ``sum_i (w_i / 100) * s_i``; the weights are entered 0-100
   and must sum to 100 per component and subsector, so both components lie in [1, 4].

3. **Risk score** ``= IMPACT x EXPOSURE`` (in [1, 16]) per kelurahan and subsector.

4. **Class.** By default the observed range of the risk scores of the city and subsector is cut
   into four equal intervals with the same convention as the indicators (boundary to the higher
   class, the maximum gets 4, zero range: all 1). With fixed ``cut_points`` ``(c1, c2, c3)`` on
   the score scale: class 1 below ``c1``, 2 from ``c1``, 3 from ``c2``, 4 from ``c3``. Labels:
   **4 = amat tinggi, 3 = tinggi, 2 = sedang, 1 = rendah** (the guide's p.138 says
   "rendah / sangat rendah" for 2 / 1; the numeric class is stored with both labels).

5. **Overrides.** The Pokja may replace a class after field verification with a written reason
   (``kode, subsector, class, reason``); the computed class is kept beside the final one.

6. **Priority areas** are the kelurahan with a final class 3 or 4, per subsector.

:func:`priority_share` then says how much of the programme's planned cost (and output) lies in
priority areas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sanitasi.core.model import Column, Table, Warning_, count_status
from sanitasi.core.tree import city_of

#: Subsector of the IMPACT component; EXPOSURE subsectors are :data:`SUBSECTORS`.
IMPACT_SUBSECTOR = "all"
SUBSECTORS: tuple[str, ...] = ("ald", "persampahan")
COMPONENTS: tuple[str, ...] = ("impact", "exposure")
DIRECTIONS: tuple[str, ...] = ("risk", "protective", "score")
CLASSES: tuple[int, ...] = (1, 2, 3, 4)
#: Class labels (Indonesian, English); docs/METHOD.md §11.1.
CLASS_LABELS: dict[int, tuple[str, str]] = {
    4: ("amat tinggi", "very high"),
    3: ("tinggi", "high"),
    2: ("sedang", "medium"),
    1: ("rendah", "low"),
}
#: Lowest final class of a priority area.
PRIORITY_CLASS = 3
#: Weights of a component must sum to 100 within this tolerance.
WEIGHT_TOLERANCE = 0.01
#: Relative tolerance (of one interval) at class boundaries.
BOUNDARY_EPS = 1e-9

#: Buckets of :func:`priority_share`.
BUCKETS: tuple[str, ...] = ("priority", "other", "spread", "not_located", "unscored")


def _c(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


COLUMNS: dict[str, Column] = {
    "city_kode": _c("Kode kab/kota", "City code", "", "text"),
    "kode": _c("Kode", "Code", "", "text"),
    "nama": _c("Kelurahan/desa", "Kelurahan/desa", "", "text"),
    "subsector": _c("Subsektor", "Subsector", "", "text"),
    "component": _c("Komponen", "Component", "", "text"),
    "indicator": _c("Indikator", "Indicator", "", "text"),
    "unit": _c("Satuan", "Unit", "", "text"),
    "value": _c("Nilai", "Value", "", "float"),
    "direction": _c("Arah", "Direction", "", "text"),
    "range_min": _c("Nilai terendah kota", "City minimum", "", "float"),
    "range_max": _c("Nilai tertinggi kota", "City maximum", "", "float"),
    "interval_width": _c("Lebar interval", "Interval width", "", "float"),
    "score": _c("Skor (1-4)", "Score (1-4)", "skor", "float"),
    "weight_pct": _c("Bobot", "Weight", "%", "pct"),
    "weighted_score": _c("Skor berbobot", "Weighted score", "skor", "float"),
    "status": _c("Status data", "Data status", "", "text"),
    "impact_score": _c("Skor IMPACT", "IMPACT score", "skor 1-4", "float"),
    "exposure_score": _c("Skor EXPOSURE", "EXPOSURE score", "skor 1-4", "float"),
    "risk_score": _c("Skor risiko", "Risk score", "skor 1-16", "float"),
    "computed_class": _c("Kelas terhitung", "Computed class", "1-4", "int"),
    "final_class": _c("Kelas risiko", "Risk class", "1-4", "int"),
    "class": _c("Kelas", "Class", "1-4", "int"),
    "class_label_id": _c("Kategori", "Category (id)", "", "text"),
    "class_label_en": _c("Kategori (en)", "Category", "", "text"),
    "label_id": _c("Kategori", "Category (id)", "", "text"),
    "label_en": _c("Kategori (en)", "Category", "", "text"),
    "overridden": _c("Diubah Pokja", "Overridden by the Pokja", "", "text"),
    "override_reason": _c("Alasan perubahan", "Override reason", "", "text"),
    "score_from": _c("Skor dari", "Score from", "skor", "float"),
    "score_to": _c("Skor sampai", "Score to", "skor", "float"),
    "method": _c("Metode", "Method", "", "text"),
    "n_computed": _c("Jumlah (terhitung)", "Count (computed)", "kelurahan", "int"),
    "n_final": _c("Jumlah (akhir)", "Count (final)", "kelurahan", "int"),
    "code": _c("Kode kegiatan", "Activity", "", "text"),
    "sector": _c("Sektor", "Sector", "", "text"),
    "location_kode": _c("Lokasi", "Location", "", "text"),
    "location_level": _c("Tingkat lokasi", "Location level", "", "text"),
    "bucket": _c("Area", "Area", "", "text"),
    "priority_fraction": _c("Porsi di area prioritas", "Share in priority areas", "0-1", "float"),
    "year": _c("Tahun", "Year", "", "year"),
    "planned_output": _c("Output rencana", "Planned output", "", "float"),
    "planned_cost_idr": _c("Biaya rencana", "Planned cost", "Rp", "idr"),
    "cost_priority_idr": _c("Biaya di area prioritas", "Cost in priority areas", "Rp", "idr"),
    "cost_other_idr": _c("Biaya di area lain", "Cost in other areas", "Rp", "idr"),
    "cost_not_located_idr": _c(
        "Biaya tingkat kecamatan/kota", "Cost at kecamatan/city level", "Rp", "idr"
    ),
    "cost_unscored_idr": _c("Biaya di area tanpa skor", "Cost in unscored areas", "Rp", "idr"),
    "cost_total_idr": _c("Biaya total", "Total cost", "Rp", "idr"),
    "pct_cost_priority": _c("% biaya di area prioritas", "% of cost in priority areas", "%", "pct"),
    "pct_located_cost_priority": _c(
        "% biaya berlokasi di area prioritas",
        "% of kelurahan-located cost in priority areas",
        "%",
        "pct",
    ),
    "n_activities": _c("Jumlah kegiatan", "Activities", "kegiatan", "int"),
    "n_activities_priority": _c(
        "Kegiatan di area prioritas", "Activities in priority areas", "kegiatan", "int"
    ),
}


@dataclass(frozen=True)
class RiskResult:
    """Tables of a risk-area run (insertion order = report order) and its warnings.

    ``risk_indicator_scores``, ``risk_scores``, ``risk_classes``, ``risk_priority``; see
    :func:`score_risk`. ``cut_points`` records the class bounds used per (city, subsector):
    ``(c1, c2, c3)``.
    """

    tables: Mapping[str, Table]
    warnings: tuple[Warning_, ...] = ()
    cut_points: Mapping[tuple[str, str], tuple[float, float, float]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name].df


# ----------------------------------------------------------------------------- scoring


def equal_interval_class(
    x: np.ndarray | pd.Series, lo: np.ndarray | pd.Series, hi: np.ndarray | pd.Series
) -> np.ndarray:
    """Class 1-4 of ``x`` by four equal intervals of ``[lo, hi]`` (element-wise).

    ``1 + floor((x - lo) / w)`` with ``w = (hi - lo) / 4``, clipped to 1..4: a value on a
    boundary goes to the higher class, ``hi`` gets 4; 1 where ``hi <= lo`` (zero range) and NaN
    where ``x`` is NaN.
    """
    xa = np.asarray(x, dtype=float)
    la = np.asarray(lo, dtype=float)
    ha = np.asarray(hi, dtype=float)
    xa, la, ha = np.broadcast_arrays(xa, la, ha)
    width = (ha - la) / 4.0
    pos = np.zeros(xa.shape)
    np.divide(xa - la, width, out=pos, where=width > 0)
    cls = np.clip(np.floor(pos + BOUNDARY_EPS) + 1.0, 1.0, 4.0)
    cls = np.where(width > 0, cls, 1.0)
    return np.where(np.isnan(xa), np.nan, cls)


def cut_point_class(x: np.ndarray | pd.Series, cut_points: Sequence[float]) -> np.ndarray:
    """Class 1-4 of ``x`` by fixed cut points ``(c1, c2, c3)``: 1 below ``c1``, 2 from ``c1``,
    3 from ``c2``, 4 from ``c3`` (a value on a cut point goes to the higher class)."""
    c = _check_cut_points(cut_points)
    xa = np.asarray(x, dtype=float)
    cls = 1.0 + (xa >= c[0]) + (xa >= c[1]) + (xa >= c[2])
    return np.where(np.isnan(xa), np.nan, cls)


def _check_cut_points(cut_points: Sequence[float]) -> tuple[float, float, float]:
    c = tuple(float(v) for v in cut_points)
    if len(c) != 3 or not (c[0] < c[1] < c[2]) or not all(np.isfinite(c)):
        raise ValueError(
            f"cut_points must be three increasing finite numbers (c1 < c2 < c3), got {cut_points!r}"
        )
    return c[0], c[1], c[2]


def indicator_scores(
    values: pd.Series, lo: pd.Series, hi: pd.Series, direction: pd.Series
) -> np.ndarray:
    """Score 1-4 of each value given its city range and direction (see the module docstring)."""
    cls = equal_interval_class(values, lo, hi)
    d = direction.to_numpy(dtype=object)
    zero = (hi.to_numpy(dtype=float) - lo.to_numpy(dtype=float)) <= 0
    protective = np.where(zero, 1.0, 5.0 - cls)
    out = np.where(d == "protective", protective, cls)
    return np.where(d == "score", values.to_numpy(dtype=float), out)


def check_risk_inputs(
    indicators: pd.DataFrame, weights: pd.DataFrame, overrides: pd.DataFrame | None = None
) -> list[str]:
    """Contract problems of the core inputs (the io layer reports them with file and line).

    Weights: known components, directions and subsectors (``impact`` with ``all``, ``exposure``
    with a subsector), non-negative, summing to 100 per component and subsector, one row per
    (subsector, indicator), at least one exposure subsector and impact weights. Indicators: a
    value for every weighted indicator of every kelurahan (a kelurahan is any ``kode`` of the
    table), ``score`` values within 1-4. Overrides: class 1-4 and a reason.
    """
    out: list[str] = []
    w = weights
    need = {"subsector", "component", "indicator", "weight", "direction"}
    if not need <= set(w.columns):
        return [f"weights need columns {sorted(need)}"]
    if not {"kode", "subsector", "indicator", "value"} <= set(indicators.columns):
        return ["indicators need columns ['indicator', 'kode', 'subsector', 'value']"]
    bad_comp = ~w["component"].isin(COMPONENTS)
    out += [f"unknown component {c!r}" for c in w.loc[bad_comp, "component"].unique()]
    bad_dir = ~w["direction"].isin(DIRECTIONS)
    out += [f"unknown direction {d!r}" for d in w.loc[bad_dir, "direction"].unique()]
    mismatch = (w["component"].eq("impact") & w["subsector"].ne(IMPACT_SUBSECTOR)) | (
        w["component"].eq("exposure") & w["subsector"].eq(IMPACT_SUBSECTOR)
    )
    if mismatch.any():
        out.append("impact weights need subsector 'all' and exposure weights a subsector")
    wt = pd.to_numeric(w["weight"], errors="coerce")
    if (wt < 0).any() or wt.isna().any():
        out.append("weights must be numbers >= 0")
    sums = wt.groupby([w["component"], w["subsector"]]).sum().reset_index()
    for comp, sub, total in sums.itertuples(index=False):
        if abs(total - 100.0) > WEIGHT_TOLERANCE:
            out.append(f"{comp} weights of subsector {sub} sum to {total:g}, not 100")
    if w.duplicated(["subsector", "indicator"]).any():
        out.append("an indicator is weighted twice in the same subsector")
    if not w["component"].eq("impact").any():
        out.append("no impact weights")
    if not w["component"].eq("exposure").any():
        out.append("no exposure weights")
    ind = indicators
    if ind.duplicated(["kode", "subsector", "indicator"]).any():
        out.append("an indicator value is given twice for the same kode and subsector")
    have = ind.loc[pd.to_numeric(ind["value"], errors="coerce").notna()]
    grid = (
        pd.DataFrame({"kode": ind["kode"].astype(str).unique()})
        .merge(w[["subsector", "indicator"]], how="cross")
        .merge(
            have[["kode", "subsector", "indicator"]].astype(str).assign(_have=True),
            on=["kode", "subsector", "indicator"],
            how="left",
        )
    )
    missing = grid[grid["_have"].isna()]
    if len(missing):
        shown = ", ".join(missing[["kode", "subsector", "indicator"]].head(5).agg("/".join, axis=1))
        out.append(f"{len(missing)} weighted indicator values are missing ({shown} ...)")
    scored = ind.merge(w[["subsector", "indicator", "direction"]], on=["subsector", "indicator"])
    v = pd.to_numeric(scored["value"], errors="coerce")
    if (scored["direction"].eq("score") & ((v < 1) | (v > 4))).any():
        out.append("values of a 'score' indicator must be within 1-4")
    if overrides is not None and len(overrides):
        cls = pd.to_numeric(overrides["class"], errors="coerce")
        if (~cls.isin(CLASSES)).any():
            out.append("override classes must be 1, 2, 3 or 4")
        if overrides["reason"].astype(str).str.strip().eq("").any():
            out.append("every override needs a reason")
    return out


def score_risk(
    indicators: pd.DataFrame,
    weights: pd.DataFrame,
    overrides: pd.DataFrame | None = None,
    cut_points: Sequence[float] | None = None,
    *,
    names: Mapping[str, str] | None = None,
) -> RiskResult:
    """Score the risk areas of one or more cities (docs/METHOD.md §11.1; see the module doc).

    Inputs (never mutated):

    ``indicators``
        ``kode`` (kelurahan/desa), ``subsector`` (``all`` for IMPACT indicators, else the
        exposure subsector), ``indicator``, ``value``; optional ``unit``, ``status``
        (provenance, default ``unverified``). Every kelurahan of a city (the codes present)
        needs a value for every weighted indicator; unweighted rows are ignored.
    ``weights``
        ``subsector, component (impact|exposure), indicator, weight`` (0-100, summing to 100
        per component and subsector), ``direction`` (``risk|protective|score``); optional
        ``status``.
    ``overrides``
        ``kode, subsector, class (1-4), reason``; optional ``status``. An override for a
        kelurahan/subsector that is not scored is ignored with warning ``SAN-W171``.
    ``cut_points``
        ``None`` for equal intervals of the observed score range (per city and subsector), or
        ``(c1, c2, c3)`` on the 1-16 score scale.
    ``names``
        Optional ``kode -> nama`` for the tables.

    Tables (``kode`` level = kelurahan/desa; ``city_kode`` its kab/kota):

    ``risk_indicator_scores``
        ``city_kode, kode, nama, component, subsector, indicator, unit, value, direction,
        range_min, range_max, interval_width, score, weight_pct, weighted_score, status``.
    ``risk_scores``
        ``city_kode, kode, nama, subsector, impact_score, exposure_score, risk_score,
        computed_class, final_class, class_label_id, class_label_en, overridden,
        override_reason``.
    ``risk_classes``
        ``city_kode, subsector, class, label_id, label_en, score_from, score_to, method,
        n_computed, n_final`` (the score interval of each class; ``score_to`` of class 4 is the
        maximum, every other interval is half-open ``[from, to)``).
    ``risk_priority``
        The ``risk_scores`` rows with final class 3-4, by subsector, class and score
        (highest first).

    Raises ``ValueError`` when the inputs break the contract (:func:`check_risk_inputs`).
    """
    problems = check_risk_inputs(indicators, weights, overrides)
    if problems:
        raise ValueError("risk inputs: " + "; ".join(problems))
    if cut_points is not None:
        fixed: tuple[float, float, float] | None = _check_cut_points(cut_points)
    else:
        fixed = None
    nm = dict(names or {})

    w = weights.assign(
        weight=pd.to_numeric(weights["weight"], errors="coerce").astype(float),
        status=_status(weights),
    )
    ind = indicators.assign(
        kode=indicators["kode"].astype(str),
        value=pd.to_numeric(indicators["value"], errors="coerce").astype(float),
        status=_status(indicators),
        unit=indicators["unit"].astype(str) if "unit" in indicators.columns else "",
    )
    ind["city_kode"] = city_of(ind["kode"])
    worder = w.reset_index(drop=True).reset_index().rename(columns={"index": "_order"})
    long = ind.merge(
        worder[["subsector", "component", "indicator", "weight", "direction", "status", "_order"]],
        on=["subsector", "indicator"],
        suffixes=("", "_w"),
    )
    grp = long.groupby(["city_kode", "subsector", "indicator"], sort=False)["value"]
    long["range_min"] = grp.transform("min")
    long["range_max"] = grp.transform("max")
    scored = long["direction"].ne("score")
    long["interval_width"] = ((long["range_max"] - long["range_min"]) / 4.0).where(scored)
    long["score"] = indicator_scores(
        long["value"], long["range_min"], long["range_max"], long["direction"]
    )
    long["range_min"] = long["range_min"].where(scored)
    long["range_max"] = long["range_max"].where(scored)
    long["weight_pct"] = long["weight"]
    long["weighted_score"] = long["score"] * long["weight"] / 100.0
    long["nama"] = _names(long["kode"], nm)
    long = long.sort_values(["kode", "_order"], kind="stable")
    ind_cols = [
        "city_kode",
        "kode",
        "nama",
        "component",
        "subsector",
        "indicator",
        "unit",
        "value",
        "direction",
        "range_min",
        "range_max",
        "interval_width",
        "score",
        "weight_pct",
        "weighted_score",
        "status",
    ]
    ind_table = long[ind_cols].reset_index(drop=True)

    # components: impact per kelurahan, exposure per kelurahan and subsector
    impact = (
        long[long["component"].eq("impact")]
        .groupby(["city_kode", "kode"], sort=True)["weighted_score"]
        .sum()
        .rename("impact_score")
    )
    exposure = (
        long[long["component"].eq("exposure")]
        .groupby(["city_kode", "kode", "subsector"], sort=True)["weighted_score"]
        .sum()
        .rename("exposure_score")
        .reset_index()
    )
    sc = exposure.merge(impact.reset_index(), on=["city_kode", "kode"], how="left")
    sc["risk_score"] = sc["impact_score"] * sc["exposure_score"]
    sc = _classify(sc, fixed)
    cuts = _cut_table(sc, fixed)

    # overrides
    warns: list[Warning_] = []
    sc["final_class"] = sc["computed_class"]
    sc["overridden"] = False
    sc["override_reason"] = ""
    ov_status: list[str] = []
    if overrides is not None and len(overrides):
        ov = overrides.assign(
            kode=overrides["kode"].astype(str),
            _cls=pd.to_numeric(overrides["class"], errors="coerce").astype("int64"),
            _reason=overrides["reason"].astype(str).str.strip(),
        )
        ov_status = list(_status(overrides))
        m = sc.merge(
            ov[["kode", "subsector", "_cls", "_reason"]], on=["kode", "subsector"], how="left"
        )
        hit = m["_cls"].notna().to_numpy()
        sc.loc[hit, "final_class"] = m.loc[hit, "_cls"].astype("int64").to_numpy()
        sc.loc[hit, "overridden"] = True
        sc.loc[hit, "override_reason"] = m.loc[hit, "_reason"].to_numpy()
        known = pd.MultiIndex.from_frame(sc[["kode", "subsector"]])
        stray = ~pd.MultiIndex.from_frame(ov[["kode", "subsector"]]).isin(known)
        for k, s in ov.loc[stray, ["kode", "subsector"]].itertuples(index=False):
            values = {"area": str(k), "area_name": nm.get(str(k), ""), "subsector": str(s)}
            warns.append(Warning_("SAN-W171", values, kode=str(k)))
    sc["final_class"] = sc["final_class"].astype("int64")
    sc["computed_class"] = sc["computed_class"].astype("int64")
    sc["class_label_id"] = sc["final_class"].map(lambda c: CLASS_LABELS[int(c)][0])
    sc["class_label_en"] = sc["final_class"].map(lambda c: CLASS_LABELS[int(c)][1])
    sc["nama"] = _names(sc["kode"], nm)
    sub_order = {s: i for i, s in enumerate(SUBSECTORS)}
    sc["_s"] = sc["subsector"].map(sub_order).fillna(len(SUBSECTORS))
    sc = sc.sort_values(["city_kode", "_s", "subsector", "kode"], kind="stable")
    score_cols = [
        "city_kode",
        "kode",
        "nama",
        "subsector",
        "impact_score",
        "exposure_score",
        "risk_score",
        "computed_class",
        "final_class",
        "class_label_id",
        "class_label_en",
        "overridden",
        "override_reason",
    ]
    scores = sc[score_cols].reset_index(drop=True)
    counts_c = scores.groupby(["city_kode", "subsector", "computed_class"]).size()
    counts_f = scores.groupby(["city_kode", "subsector", "final_class"]).size()
    key = pd.MultiIndex.from_frame(cuts[["city_kode", "subsector", "class"]])
    cuts["n_computed"] = counts_c.reindex(key).fillna(0).astype("int64").to_numpy()
    cuts["n_final"] = counts_f.reindex(key).fillna(0).astype("int64").to_numpy()
    prio = scores[scores["final_class"] >= PRIORITY_CLASS].copy()
    prio["_s"] = prio["subsector"].map(sub_order).fillna(len(SUBSECTORS))
    prio = prio.sort_values(
        ["city_kode", "_s", "subsector", "final_class", "risk_score", "kode"],
        ascending=[True, True, True, False, False, True],
        kind="stable",
    )
    prio_cols = [
        "city_kode",
        "subsector",
        "kode",
        "nama",
        "final_class",
        "class_label_id",
        "class_label_en",
        "risk_score",
        "computed_class",
        "overridden",
        "override_reason",
    ]
    prio = prio[prio_cols].reset_index(drop=True)

    used = long.drop_duplicates(["kode", "subsector", "indicator"])
    prov_ind = count_status(list(used["status"]) + list(w["status"]))
    prov_all = count_status(list(used["status"]) + list(w["status"]) + ov_status)
    tables = {
        "risk_indicator_scores": _table(
            "risk_indicator_scores",
            "Skor indikator area berisiko (1-4)",
            "Risk-area indicator scores (1-4)",
            ind_table,
            prov_ind,
            "Skor 1-4 dengan interval sama dari rentang nilai antar-kelurahan di kota (nilai di "
            "batas interval masuk kelas lebih tinggi); dibalik untuk indikator protektif; skor "
            "persepsi dipakai apa adanya; semua 1 bila rentang nol.",
            "Scores 1-4 by four equal intervals of the range across the city's kelurahan (a value "
            "on a boundary goes to the higher class); reversed for protective indicators; "
            "perception scores used as is; all 1 when the range is zero.",
        ),
        "risk_scores": _table(
            "risk_scores",
            "Area berisiko: IMPACT, EXPOSURE, skor dan kelas",
            "Risk areas: IMPACT, EXPOSURE, score and class",
            scores,
            prov_all,
            "Skor risiko = IMPACT x EXPOSURE; kelas 4 = amat tinggi, 3 = tinggi, 2 = sedang, "
            "1 = rendah. Kelas yang diubah Pokja tetap menampilkan kelas terhitung dan alasannya.",
            "Risk score = IMPACT x EXPOSURE; class 4 = very high (amat tinggi), 3 = high, "
            "2 = medium, 1 = low. Classes overridden by the Pokja keep the computed class and "
            "the reason.",
        ),
        "risk_classes": _table(
            "risk_classes",
            "Batas kelas skor risiko",
            "Risk score class bounds",
            cuts.reset_index(drop=True),
            prov_ind,
            "Interval [dari, sampai); kelas 4 termasuk nilai tertinggi.",
            "Intervals [from, to); class 4 includes the maximum.",
        ),
        "risk_priority": _table(
            "risk_priority",
            "Area prioritas (kelas 3-4) per subsektor",
            "Priority areas (classes 3-4) per subsector",
            prio,
            prov_all,
        ),
    }
    cut_map = {
        (str(c), str(s)): (
            float(g["score_from"].iloc[1]),
            float(g["score_from"].iloc[2]),
            float(g["score_from"].iloc[3]),
        )
        for (c, s), g in cuts.groupby(["city_kode", "subsector"], sort=False)
    }
    return RiskResult(tables, tuple(warns), cut_map)


def _names(kode: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """``nama`` of each code ("" when unknown)."""
    return kode.map(pd.Series(names, dtype=object)).astype(object).fillna("")


def _status(df: pd.DataFrame) -> pd.Series:
    if "status" not in df.columns:
        return pd.Series("unverified", index=df.index, dtype=object)
    s = df["status"].astype(str).str.strip()
    return s.mask(s.eq("") | s.eq("nan"), "unverified")


def _classify(sc: pd.DataFrame, fixed: tuple[float, float, float] | None) -> pd.DataFrame:
    """``computed_class`` per row: fixed cut points, or equal intervals of the score range of
    the row's city and subsector (``score_min``/``score_max`` kept for the class table)."""
    grp = sc.groupby(["city_kode", "subsector"], sort=False)["risk_score"]
    sc = sc.assign(score_min=grp.transform("min"), score_max=grp.transform("max"))
    if fixed is None:
        cls = equal_interval_class(sc["risk_score"], sc["score_min"], sc["score_max"])
    else:
        cls = cut_point_class(sc["risk_score"], fixed)
    return sc.assign(computed_class=cls.astype("int64"))


def _cut_table(sc: pd.DataFrame, fixed: tuple[float, float, float] | None) -> pd.DataFrame:
    """Score interval of each class per (city, subsector)."""
    g = (
        sc.groupby(["city_kode", "subsector"], sort=False)[["score_min", "score_max"]]
        .first()
        .reset_index()
    )
    n = len(g)
    rep = g.loc[g.index.repeat(4)].reset_index(drop=True)
    k = np.tile(np.arange(4, dtype=float), n)
    lo = rep["score_min"].to_numpy(dtype=float)
    hi = rep["score_max"].to_numpy(dtype=float)
    if fixed is None:
        width = (hi - lo) / 4.0
        start = lo + k * width
        end = np.where(k == 3, hi, lo + (k + 1) * width)
        method = np.where(width > 0, "equal_interval", "zero_range")
        # zero range: every kelurahan is class 1 at that single score
        start = np.where(width > 0, start, np.where(k == 0, lo, np.nan))
        end = np.where(width > 0, end, np.where(k == 0, hi, np.nan))
    else:
        edges = np.array([-np.inf, *fixed, np.inf])
        start = edges[k.astype(int)]
        end = edges[k.astype(int) + 1]
        method = np.full(len(k), "cut_points")
    cls = (k + 1).astype("int64")
    return pd.DataFrame(
        {
            "city_kode": rep["city_kode"].to_numpy(),
            "subsector": rep["subsector"].to_numpy(),
            "class": cls,
            "label_id": [CLASS_LABELS[int(c)][0] for c in cls],
            "label_en": [CLASS_LABELS[int(c)][1] for c in cls],
            "score_from": start,
            "score_to": end,
            "method": method,
        }
    )


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


# ----------------------------------------------------------------------------- programme


def _level(kode: pd.Series) -> pd.Series:
    parts = kode.astype(str).str.count(r"\.") + 1
    return parts.map({1: "provinsi", 2: "kabkota", 3: "kecamatan", 4: "kelurahan"}).fillna("?")


def priority_share(
    risk: RiskResult,
    activities: pd.DataFrame,
    planned: pd.DataFrame,
    households: Mapping[str, float] | pd.Series | None = None,
) -> dict[str, Table]:
    """How much of the programme's planned cost (and output) goes to priority areas.

    ``activities``: ``city_kode, code, sector`` (``ald`` -> subsector ``ald``, ``persampahan``
    -> ``persampahan``), ``location_kode``; optional ``status``. ``planned``: long
    ``city_kode, code, year, planned_output, planned_cost_idr``. ``households``: optional
    ``kode -> households`` of the kelurahan/desa (e.g. the base year).

    Rule (documented choice). Each activity gets a ``priority_fraction``:

    * located at a kelurahan/desa: **1** when that kelurahan's final class for the activity's
      sector is 3-4 (bucket ``priority``), **0** when it is 1-2 (``other``); ``unscored``
      (fraction NaN) when the kelurahan has no risk score for the sector;
    * located at a kecamatan or the whole city: by default **not located** (bucket
      ``not_located``, fraction NaN): where its outputs land is not known at planning time, so
      it is not counted in either area and its cost is shown beside them. When ``households``
      is given, it is instead **spread** (bucket ``spread``) by the share of households of
      the scored kelurahan under that location that live in priority kelurahan.

    Cost in priority areas = sum of ``planned_cost_idr x priority_fraction``; in other areas
    ``x (1 - priority_fraction)``. The share is reported of all cost (``pct_cost_priority``)
    and of the cost that is located or spread (``pct_located_cost_priority``). Outputs have
    different units per activity, so they are summed per activity only.

    Returns ``priority_activities`` (per activity: ``city_kode, code, sector, location_kode,
    location_level, final_class, bucket, priority_fraction, planned_output, planned_cost_idr``
    over all planned years), ``priority_share`` (per city, sector and year) and
    ``priority_share_period`` (per city and sector, all years): ``cost_priority_idr,
    cost_other_idr, cost_not_located_idr, cost_unscored_idr, cost_total_idr,
    pct_cost_priority, pct_located_cost_priority, n_activities, n_activities_priority``
    (activities with planned output or cost; priority = a fraction > 0).
    """
    scores = risk["risk_scores"]
    act = activities.assign(
        city_kode=activities["city_kode"].astype(str),
        code=activities["code"].astype(str),
        location_kode=activities["location_kode"].astype(str),
        sector=activities["sector"].astype(str),
    )
    act["location_level"] = _level(act["location_kode"])
    sc = scores[["kode", "subsector", "final_class"]].rename(
        columns={"kode": "location_kode", "subsector": "sector"}
    )
    act = act.merge(sc, on=["location_kode", "sector"], how="left")
    is_leaf = act["location_level"].eq("kelurahan")
    fc = act["final_class"]
    frac = np.where(fc >= PRIORITY_CLASS, 1.0, 0.0)
    act["priority_fraction"] = np.where(is_leaf & fc.notna(), frac, np.nan)
    spread = pd.Series(np.nan, index=act.index)
    if households is not None:
        spread = _spread_fraction(scores, act, households)
        act["priority_fraction"] = act["priority_fraction"].where(is_leaf, spread)
    act["bucket"] = np.select(
        [
            ~is_leaf & (households is None),
            ~is_leaf & spread.notna(),
            act["priority_fraction"].isna(),
            fc >= PRIORITY_CLASS,
        ],
        ["not_located", "spread", "unscored", "priority"],
        default="other",
    )
    act["final_class"] = fc.astype("Int64")
    pl = planned.assign(
        city_kode=planned["city_kode"].astype(str),
        code=planned["code"].astype(str),
        year=pd.to_numeric(planned["year"]).astype("int64"),
        planned_output=pd.to_numeric(planned["planned_output"], errors="coerce").fillna(0.0),
        planned_cost_idr=pd.to_numeric(planned["planned_cost_idr"], errors="coerce").fillna(0.0),
    )
    tot = pl.groupby(["city_kode", "code"])[["planned_output", "planned_cost_idr"]].sum()
    act = act.merge(tot.reset_index(), on=["city_kode", "code"], how="left")
    act[["planned_output", "planned_cost_idr"]] = act[
        ["planned_output", "planned_cost_idr"]
    ].fillna(0.0)
    act_cols = [
        "city_kode",
        "code",
        "sector",
        "location_kode",
        "location_level",
        "final_class",
        "bucket",
        "priority_fraction",
        "planned_output",
        "planned_cost_idr",
    ]
    act_table = act[act_cols].sort_values(["city_kode", "code"], kind="stable")

    keep = ["city_kode", "code", "sector", "bucket", "priority_fraction"]
    by_year = pl.merge(act[keep], on=["city_kode", "code"])
    prov = count_status(_status(activities)) if "status" in activities.columns else count_status([])
    prov = {k: prov.get(k, 0) + risk.tables["risk_scores"].provenance.get(k, 0) for k in prov}
    rule_id = (
        "kegiatan tingkat kecamatan/kota dibagi menurut porsi rumah tangga di kelurahan prioritas"
        if households is not None
        else "kegiatan tingkat kecamatan/kota tidak dialokasikan (tidak berlokasi)"
    )
    rule_en = (
        "kecamatan/city-level activities are spread by the share of households in priority "
        "kelurahan"
        if households is not None
        else "kecamatan/city-level activities are not allocated (not located)"
    )
    return {
        "priority_activities": _table(
            "priority_activities",
            "Kegiatan program menurut area berisiko",
            "Programme activities by risk area",
            act_table,
            prov,
            "Kegiatan berlokasi di kelurahan dihitung penuh menurut kelas risiko kelurahan itu "
            f"untuk sektornya; {rule_id}.",
            "Activities located at a kelurahan count fully by that kelurahan's risk class for "
            f"their sector; {rule_en}.",
        ),
        "priority_share": _table(
            "priority_share",
            "Porsi biaya program di area prioritas per tahun",
            "Share of programme cost in priority areas, per year",
            _shares(by_year, ["city_kode", "sector", "year"]),
            prov,
        ),
        "priority_share_period": _table(
            "priority_share_period",
            "Porsi biaya program di area prioritas, seluruh periode",
            "Share of programme cost in priority areas, whole period",
            _shares(by_year, ["city_kode", "sector"]),
            prov,
        ),
    }


def _spread_fraction(
    scores: pd.DataFrame, act: pd.DataFrame, households: Mapping[str, float] | pd.Series
) -> pd.Series:
    """Share of households in priority kelurahan among the scored kelurahan under each
    activity's location, for its sector (NaN where there are none)."""
    hh = pd.Series(households, dtype=float) if not isinstance(households, pd.Series) else households
    leaf = scores[["kode", "subsector", "final_class"]].assign(
        hh=scores["kode"].map(hh).fillna(0.0).to_numpy(dtype=float)
    )
    leaf["pri_hh"] = leaf["hh"].where(leaf["final_class"] >= PRIORITY_CLASS, 0.0)
    # every ancestor (kecamatan, kab/kota, province) of every scored kelurahan
    kode = leaf["kode"].astype(str)
    anc = pd.concat(
        [leaf.assign(anc=kode.str.split(".").str[:k].str.join(".")) for k in (1, 2, 3)],
        ignore_index=True,
    )
    sums = anc.groupby(["anc", "subsector"])[["hh", "pri_hh"]].sum()
    where = pd.MultiIndex.from_arrays([act["location_kode"], act["sector"]])
    got = sums.reindex(where)
    den = got["hh"].to_numpy(dtype=float)
    out = np.full(len(act), np.nan)
    np.divide(got["pri_hh"].to_numpy(dtype=float), den, out=out, where=den > 0)
    return pd.Series(out, index=act.index)


def _shares(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Cost per bucket, total, the priority percentages and activity counts per ``keys``."""
    f = df["priority_fraction"]
    cost = df["planned_cost_idr"]
    parts = pd.DataFrame(
        {
            "cost_priority_idr": (cost * f).fillna(0.0),
            "cost_other_idr": (cost * (1.0 - f)).fillna(0.0),
            "cost_not_located_idr": cost.where(df["bucket"].eq("not_located"), 0.0),
            "cost_unscored_idr": cost.where(df["bucket"].eq("unscored"), 0.0),
        }
    )
    parts[keys] = df[keys]
    out = parts.groupby(keys).sum()
    out["cost_total_idr"] = out.sum(axis=1)
    located = out["cost_priority_idr"] + out["cost_other_idr"]
    out["pct_cost_priority"] = _pct(out["cost_priority_idr"], out["cost_total_idr"])
    out["pct_located_cost_priority"] = _pct(out["cost_priority_idr"], located)
    active = df[df["planned_cost_idr"].gt(0) | df["planned_output"].gt(0)]
    n_all = active.groupby(keys)["code"].nunique()
    n_pri = active[active["priority_fraction"].gt(0)].groupby(keys)["code"].nunique()
    out["n_activities"] = n_all.reindex(out.index).fillna(0).astype("int64")
    out["n_activities_priority"] = n_pri.reindex(out.index).fillna(0).astype("int64")
    return out.reset_index()


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    n = num.to_numpy(dtype=float)
    d = den.to_numpy(dtype=float)
    out = np.full(n.shape, np.nan)
    np.divide(n * 100.0, d, out=out, where=d > 0)
    return pd.Series(out, index=num.index)


__all__ = [
    "CLASS_LABELS",
    "DIRECTIONS",
    "SUBSECTORS",
    "RiskResult",
    "check_risk_inputs",
    "cut_point_class",
    "equal_interval_class",
    "indicator_scores",
    "priority_share",
    "score_risk",
]
