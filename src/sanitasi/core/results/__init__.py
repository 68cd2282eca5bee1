"""Labelled result tables of a plan run (:func:`run_plan`).

Tables are long DataFrames (``kode``, ``year``, values) at every level of the region tree
that the run covers: leaves, kecamatan, kab/kota, and province and nation when the run
holds more than one city. Counts are summed up the tree; percentages are ratios of sums.

A package by concept: :mod:`.columns` (the columns' labels and units), :mod:`.frames`
(areas, roll-ups), :mod:`.tables` (retrospective, headline, gap, medium term),
:mod:`.plan_warnings` and :mod:`.assembly` (one stage per table, :func:`assemble`,
:func:`run_plan`). Every public name is importable from here.
"""

from __future__ import annotations

from sanitasi.core.results.assembly import (
    ALD_COMPUTATIONS,
    COST_COMPUTATIONS,
    LADDER_INDICATORS,
    TABLE_STAGES,
    WASTE_COMPUTATIONS,
    WASTE_INDICATORS,
    assemble,
    run_plan,
    with_reads,
)
from sanitasi.core.results.columns import (
    COLUMNS,
    HH,
    PCT,
)
from sanitasi.core.results.frames import (
    _rollup,
)
from sanitasi.core.results.plan_warnings import (
    warnings,
)
from sanitasi.core.results.tables import (
    GAP_COLUMNS,
    OM_NOTE_EN,
    OM_NOTE_ID,
    PRICE_NOTE_EN,
    PRICE_NOTE_ID,
    gap_tables,
    headline,
    medium_term,
    retrospective,
)

__all__ = [
    "ALD_COMPUTATIONS",
    "COLUMNS",
    "COST_COMPUTATIONS",
    "GAP_COLUMNS",
    "HH",
    "LADDER_INDICATORS",
    "OM_NOTE_EN",
    "OM_NOTE_ID",
    "PCT",
    "PRICE_NOTE_EN",
    "PRICE_NOTE_ID",
    "TABLE_STAGES",
    "WASTE_COMPUTATIONS",
    "WASTE_INDICATORS",
    "_rollup",
    "assemble",
    "gap_tables",
    "headline",
    "medium_term",
    "retrospective",
    "run_plan",
    "warnings",
    "with_reads",
]
