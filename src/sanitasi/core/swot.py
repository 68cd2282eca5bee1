"""SSK Bab IV strategy: SWOT factors -> IFAS/EFAS scores -> quadrant -> strategy direction.

The Pokja lists, per sector (``ald``, ``persampahan``), its internal factors (S strengths,
W weaknesses) and external factors (O opportunities, T threats), each with a **weight**
(0-1; the weights of a sector's internal factors sum to 1, and so do those of its
external factors) and a **rating** (1-4). Then, per sector (``docs/METHOD.md`` §13.4)::

    score_f          = weight_f x rating_f                        (weighted score, points)
    S, W, O, T       = sum of score_f over the factors of that kind
    IFAS             = S - W                                        (x of the SWOT diagram)
    EFAS             = O - T                                        (y of the SWOT diagram)
    quadrant         = I   if IFAS >= 0 and EFAS >= 0   aggressive (S-O strategies)
                       II  if IFAS >= 0 and EFAS <  0   diversification (S-T)
                       III if IFAS <  0 and EFAS >= 0   turn-around (W-O)
                       IV  if IFAS <  0 and EFAS <  0   defensive (W-T)

Source: the weighted-score SWOT diagram of Rangkuti (*Analisis SWOT: Teknik Membedah Kasus
Bisnis*) as used for the SSK position in the Pokja training module (2018); the direction of
each quadrant is reference data (``reference/swot_quadrants.csv``, with its source). A score
of exactly 0 counts as positive: the guidance is silent on the axes themselves, and this
project's choice is to read a tie as "not negative".

Inputs are never mutated; everything is vectorised over the factor rows (no loop over
factors or sectors).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SWOT_KINDS: tuple[str, ...] = ("S", "W", "O", "T")
INTERNAL: tuple[str, ...] = ("S", "W")
EXTERNAL: tuple[str, ...] = ("O", "T")
#: Tolerance of the weight sums (a Pokja writes 0.35, 0.25 ...).
WEIGHT_TOLERANCE = 1e-3
QUADRANTS: tuple[str, ...] = ("I", "II", "III", "IV")

FACTOR_COLUMNS: tuple[str, ...] = (
    "sector",
    "id",
    "kind",
    "factor",
    "weight",
    "rating",
    "score",
    "activities",
    "status",
)
SCORE_COLUMNS: tuple[str, ...] = (
    "sector",
    "s_score",
    "w_score",
    "o_score",
    "t_score",
    "ifas",
    "efas",
    "quadrant",
    "direction_id",
    "direction_en",
)


def factor_scores(swot: pd.DataFrame) -> pd.DataFrame:
    """Each factor with its weighted score ``score = weight x rating`` (points), in the
    order of the file. Columns :data:`FACTOR_COLUMNS` (``activities`` as given)."""
    out = swot.copy()
    out["score"] = out["weight"].to_numpy(dtype=float) * out["rating"].to_numpy(dtype=float)
    for col in FACTOR_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    return out[list(FACTOR_COLUMNS)].reset_index(drop=True)


def quadrant_of(ifas: np.ndarray, efas: np.ndarray) -> np.ndarray:
    """Quadrant I-IV of each (IFAS, EFAS) point (a 0 counts as positive)."""
    x = np.asarray(ifas, dtype=float) >= 0
    y = np.asarray(efas, dtype=float) >= 0
    return np.select([x & y, x & ~y, ~x & y], ["I", "II", "III"], default="IV")


def sector_scores(swot: pd.DataFrame, quadrants: pd.DataFrame) -> pd.DataFrame:
    """Per sector (in the order they first appear): S, W, O, T totals, IFAS = S - W,
    EFAS = O - T, the quadrant and its strategy direction (``quadrants``: the reference
    table with ``quadrant, direction_id, direction_en``). Columns :data:`SCORE_COLUMNS`."""
    scored = factor_scores(swot)
    sectors = pd.unique(scored["sector"].astype(str))
    sector_i = pd.Index(sectors).get_indexer(pd.Index(scored["sector"].astype(str)))
    kind_i = pd.Index(SWOT_KINDS).get_indexer(pd.Index(scored["kind"].astype(str)))
    totals = np.zeros((len(sectors), len(SWOT_KINDS)))
    ok = (sector_i >= 0) & (kind_i >= 0)
    np.add.at(totals, (sector_i[ok], kind_i[ok]), scored["score"].to_numpy(dtype=float)[ok])
    ifas = totals[:, 0] - totals[:, 1]
    efas = totals[:, 2] - totals[:, 3]
    quad = quadrant_of(ifas, efas)
    ref = quadrants.set_index(quadrants["quadrant"].astype(str))
    out = pd.DataFrame(
        {
            "sector": list(sectors),
            "s_score": totals[:, 0],
            "w_score": totals[:, 1],
            "o_score": totals[:, 2],
            "t_score": totals[:, 3],
            "ifas": ifas,
            "efas": efas,
            "quadrant": quad,
        }
    )
    for col in ("direction_id", "direction_en"):
        out[col] = [str(ref[col].get(q, "")) if col in ref.columns else "" for q in quad]
    return out[list(SCORE_COLUMNS)]


def strategy_links(swot: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """The KKL strategies linked to their SWOT factors: one row per (factor, activity) the
    factor names in ``activities`` (a tuple of activity codes), with the activity's KKL
    strategy and programme. Columns ``sector, id, kind, factor, code, strategy,
    programme, activity``; factors that name no activity are left out."""
    cols = ["sector", "id", "kind", "factor", "code", "strategy", "programme", "activity"]
    links = swot[["sector", "id", "kind", "factor", "activities"]].explode("activities")
    links = links[links["activities"].notna() & links["activities"].astype(str).ne("")]
    links = links.rename(columns={"activities": "code"})
    if activities is None or not len(links):
        return pd.DataFrame(columns=cols)
    acts = activities[["code", "strategy", "programme", "activity"]].drop_duplicates("code")
    out = links.merge(acts, on="code", how="left", sort=False)
    return out[cols].fillna("").reset_index(drop=True)


__all__ = [
    "EXTERNAL",
    "FACTOR_COLUMNS",
    "INTERNAL",
    "QUADRANTS",
    "SCORE_COLUMNS",
    "SWOT_KINDS",
    "WEIGHT_TOLERANCE",
    "factor_scores",
    "quadrant_of",
    "sector_scores",
    "strategy_links",
]
