"""``/healthz/`` latency while the server is being starved (issue 12 item 4): a real
``sanitasi serve`` (gunicorn gthread, the task queue in ``thread`` mode on SQLite or
``worker`` mode on PostgreSQL) on the Kota Solok demo; 5 slow sockets, 8 monitoring PDF
requests and the largest allowed upload (the 20 MB boundary GeoJSON) in flight; prints the
healthz latency figures (and the idle ones first).

    PYTHONPATH=src python benchmarks/healthz.py [--workers 2] [--threads 8] [--samples 20]
    DATABASE_URL=postgres://... python benchmarks/healthz.py   (PostgreSQL: loads the demo)
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from sanitasi.loadcheck import (
    free_port,
    healthz_once,
    load_demo,
    percentile,
    server_env,
    start_server,
    starve,
    stop_server,
    wait_healthy,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--upload-mb", type=float, default=20.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sanitasi-healthz-") as tmp:
        home = Path(tmp)
        env = server_env(home, os.environ.get("DATABASE_URL", ""))
        load_demo(env)
        port = free_port()
        proc = start_server(
            env, port, workers=args.workers, threads=args.threads, log=home / "serve.log"
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, proc)
            idle = [healthz_once(base)[1] for _ in range(args.samples)]
            res = starve(base, port, "13.72", samples=args.samples, upload_mb=args.upload_mb)
        finally:
            stop_server(proc)
    engine = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    print(f"healthz ({engine}, {args.workers} workers x {args.threads} threads)")
    for name, xs in (("idle", idle), ("starved", res.healthz_s)):
        print(
            f"  {name:8s} n={len(xs)} p50={percentile(xs, 50) * 1000:.1f} ms "
            f"p95={percentile(xs, 95) * 1000:.1f} ms max={max(xs) * 1000:.1f} ms"
        )
    print(
        f"  healthz statuses {sorted(set(res.healthz_status))}; "
        f"PDF answers {sorted(res.pdf_status)} (302 = queued, progress page)"
    )


if __name__ == "__main__":
    main()
