"""National benchmark (see ``sanitasi.bench``): run ``python benchmarks/national.py``.

Prints data generation and validation times, then
``national plan: <seconds> s, <peak MB> MB, <desa> desa x <years> years``.
"""

from __future__ import annotations

import argparse

from sanitasi.bench import national

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--horizon", type=int, default=2045)
    ap.add_argument("--seed", type=int, default=20250101)
    args = ap.parse_args()
    national(horizon=args.horizon, seed=args.seed)
