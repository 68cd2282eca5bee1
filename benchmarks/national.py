"""National benchmark (see ``sanitasi.bench``): run ``python benchmarks/national.py``.

Times the plan (5 runs on the same validated inputs: the first is the cold one, the median
is reported) and, in the same process, the raw-numpy baseline of the same arithmetic
(``benchmarks/raw_baseline.py``, 5 runs); prints data generation and validation times, then
``national plan: <median> s (cold <x> s), <peak> MB, raw baseline <y> s, ratio <r>, ...``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from raw_baseline import raw_inputs, raw_plan
from sanitasi.bench import national

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--horizon", type=int, default=2045)
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--runs", type=int, default=5, help="plan runs (and baseline runs)")
    ap.add_argument("--no-raw", action="store_true", help="skip the raw-numpy baseline")
    args = ap.parse_args()
    national(
        horizon=args.horizon,
        seed=args.seed,
        repeat=args.runs - 1,
        raw=None if args.no_raw else (raw_inputs, raw_plan),
    )
