"""Survey-ingest benchmark (see ``sanitasi.survey_bench``): ``python benchmarks/survey.py``.

Generates 10 million synthetic EHRA-style households over all 83,762 desa/kelurahan into a
Parquet file in a temp dir (not timed), then times classification and weighted shares per
desa (median of 5 runs; ``--engine both`` adds the DuckDB SQL engine) and a raw-numpy
baseline of the same per-household arithmetic in the same process, with the ratio. Last
line: ``survey ingest: <rows/s> rows/s, <peak MB> MB``.
"""

from __future__ import annotations

import argparse

from sanitasi.survey_bench import ROWS, SEED, survey_benchmark

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=ROWS)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--engine", choices=["sql", "numpy", "both"], default="numpy")
    args = ap.parse_args()
    engines = ("sql", "numpy") if args.engine == "both" else (args.engine,)
    survey_benchmark(rows=args.rows, seed=args.seed, engines=engines, repeat=args.repeat)
