"""The long result tables hold the engine's leaf arrays as the leaf rows of their columns
(issue 10: one copy of each, not two), and the roll-up rows of every level."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sanitasi.core.model import RUNGS, PlanInputs, PlanOptions, PlanResult
from sanitasi.core.plan import compute
from sanitasi.core.results import TABLE_STAGES, assemble
from sanitasi.core.tree import build_tree, chain


def test_chain_fill_by_hand() -> None:
    # Three desa in two kecamatan of one kota: 1 + 2 = 3 and 4 in the kecamatan, 7 in the
    # kota; two years (the second column doubled).
    tree = build_tree(np.array(["13.72.01.1001", "13.72.01.1002", "13.72.02.1001"]))
    ch = chain(tree, national=False)
    assert ch.names == ("leaf", "kecamatan", "kabkota") and ch.rows == 3 + 2 + 1
    block = np.full((ch.rows, 2), np.nan)
    block[:3] = [[1.0, 2.0], [2.0, 4.0], [4.0, 8.0]]
    ch.fill(block)
    np.testing.assert_array_equal(block[3:], [[3.0, 6.0], [4.0, 8.0], [7.0, 14.0]])
    # with province and nation: two more rows, each the sum of the level below
    nat = chain(tree, national=True)
    assert nat.names[-2:] == ("provinsi", "nasional") and nat.rows == 8
    full = np.zeros((nat.rows, 1))
    full[:3, 0] = [1.0, 2.0, 4.0]
    nat.fill(full)
    assert full[-1, 0] == 7.0 and full[-2, 0] == 7.0


def test_tables_share_the_engine_leaf_arrays(demo_result: PlanResult) -> None:
    a = demo_result.arrays
    lad = demo_result["ladder"]
    for rung in RUNGS:
        col = lad[f"hh_{rung}"].to_numpy()
        assert np.shares_memory(col, a.ladder.bau[rung])
        assert np.shares_memory(col, a.ladder.plan[rung])
        assert not a.ladder.bau[rung].flags.writeable  # a write would change the table
    n, T = a.tree.n, len(a.years)
    bau = lad[lad["scenario"].astype(str) == "bau"]
    np.testing.assert_array_equal(
        bau["hh_aman"].to_numpy()[: n * T], a.ladder.bau["aman"].reshape(-1)
    )
    assert np.shares_memory(demo_result["population"]["population"].to_numpy(), a.pop.population)
    for need, v in a.ladder.annual.items():
        assert np.shares_memory(demo_result["needs_ald"][need].to_numpy(), v)


def test_assemble_equals_with_plain_arrays(
    demo: tuple[PlanInputs, PlanOptions], demo_result: PlanResult
) -> None:
    # Arrays that are not laid out as table columns (e.g. built by another caller) are
    # copied instead: the same tables.
    inputs, options = demo
    a = compute(inputs, options)
    plain = replace(
        a,
        pop=replace(a.pop, population=a.pop.population.copy(), households=a.pop.households.copy()),
        ladder=replace(
            a.ladder,
            bau={k: v.copy() for k, v in a.ladder.bau.items()},
            plan={k: v.copy() for k, v in a.ladder.plan.items()},
            annual={k: v.copy() for k, v in a.ladder.annual.items()},
        ),
        notes=dict(a.notes),
    )
    got = assemble(inputs, plain)
    assert len(TABLE_STAGES) == 13 and list(got.tables) == list(demo_result.tables)
    for name in ("population", "ladder", "waste", "needs_ald", "headline", "costs"):
        pd.testing.assert_frame_equal(got[name], demo_result[name], check_exact=True)
    assert not np.shares_memory(got["ladder"]["hh_aman"].to_numpy(), plain.ladder.bau["aman"])
