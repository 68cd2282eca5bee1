"""No lost work: ``clients`` x ``edits`` concurrent edits of the same realisation rows through
the API and the HTMX forms, against ``sanitasi serve`` on loopback (issue 12 item 7).

Run ``python benchmarks/edits.py [--clients 50] [--edits 200] [--rows 6] [--mode mixed]
[--workers 2] [--threads 4]``. The database is a throwaway SQLite file (WAL); with
``DATABASE_URL=postgres://user@host:port/db`` a new database is created on that PostgreSQL
server for the run and dropped after it. What runs and how lost updates are counted:
:mod:`sanitasi.stress`. Prints
``edits (<database>, <mode>): C clients x E edits on R rows: accepted A, conflicts K, lost L,
errors X; S s, T edits/s`` (goal: lost 0, errors 0) and exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from sanitasi import stress


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--rows", type=int, default=6)
    parser.add_argument("--mode", choices=stress.MODES, default="mixed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sanitasi-edits-") as tmp:
        result = stress.run(
            Path(tmp),
            clients=args.clients,
            edits=args.edits,
            rows=args.rows,
            mode=args.mode,
            server_url=os.environ.get("DATABASE_URL"),
            workers=args.workers,
            threads=args.threads,
            progress=lambda msg: print(msg, flush=True),
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} on {os.cpu_count()} cores")
    for failure in result.probe_failures:
        print(f"conflict probe: {failure}")
    for sample in result.error_samples:
        print(f"error: {sample}")
    print(result.line())
    if result.lost or result.errors or result.probe_failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
