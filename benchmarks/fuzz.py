"""Fuzzing the readers at scale (issue 12): ``python benchmarks/fuzz.py`` prints

    fuzz: <cases> cases, <crashes> crashes, <partial> partial outputs

Cases (each reproducible from its kind, target, mutations and seed; see ``sanitasi.fuzz``):

* ``csv``: one CSV file of the Kota Solok demo folder after 1-3 random mutations (byte
  flips, NUL bytes, header renames and repeats in another case, dropped header cells, ragged
  rows, truncation, huge fields and lines, other encodings, hostile cell texts...), parsed as
  every loader parses it (every 10th case also from disk as an import reads the file it
  rewrites);
* ``folder`` (every ``--folder-every``-th case, default 2,000): the same mutation in a copy of the whole
  folder, read by the city and programme loaders;
* ``import`` (every ``--import-every``-th case, default 1,000): an exported realisation/programme/SWOT
  template whose sheet XML or zip bytes were mutated (hostile cells, lying ``<dimension>``,
  rows far below the data, renamed headers, truncated rows, broken XML), imported into a copy
  of the folder: a refused import must leave the folder byte for byte as it was.

A crash is any exception other than ``InputErrors`` (or a reader answering neither a table
nor a problem); a partial output is a refused import that changed the folder (or an accepted
one that left a temporary or unreadable file). The first crashes are printed with their
reproduction key; a progress line after every ``--chunk`` cases. Runs in ``--jobs``
processes (default: the CPUs).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sanitasi import fuzz
from sanitasi.io.reference import demo_city_dir

KINDS = ("programme", "realisation", "swot")


def _worker(args: tuple[int, int, int, int, int]) -> tuple[Counter[str], list[str]]:
    start, count, seed, folder_every, import_every = args
    from sanitasi.io.templates import export_template

    demo = Path(str(demo_city_dir()))
    files = {p.name: p.read_bytes() for p in sorted(demo.glob("*.csv"))}
    names = sorted(files)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sanitasi-fuzz-") as tmp:
        pristine, folder = Path(tmp) / "pristine", Path(tmp) / "city"
        shutil.copytree(demo, pristine)
        shutil.copytree(demo, folder)
        books = {}
        for kind in KINDS:
            path = Path(tmp) / f"{kind}.xlsx"
            export_template(kind, pristine, path)
            data = path.read_bytes()
            sheet = {"programme": "program", "realisation": "realisasi", "swot": "swot"}[kind]
            books[kind] = (data, fuzz.sheet_member(data, sheet))
        book_path = Path(tmp) / "case.xlsx"
        for i in range(start, start + count):
            rng = random.Random(seed * 1_000_003 + i)
            case_seed = rng.randrange(2**32)
            if import_every and i % import_every == 0:
                kind = rng.choice(KINDS)
                pool = [*fuzz.XML_MUTATIONS, *fuzz.ZIP_MUTATIONS]
                muts = rng.sample(pool, rng.randint(1, 2))
                data, member = books[kind]
                book_path.write_bytes(fuzz.mutate_workbook(data, member, muts, case_seed))
                out = fuzz.import_case(folder, pristine, book_path)
                key = f"import {kind} {muts} seed={case_seed}"
            else:
                name = rng.choice(names)
                muts = rng.sample(list(fuzz.CSV_MUTATIONS), rng.randint(1, 3))
                data = fuzz.mutate(files[name], muts, case_seed)
                if folder_every and i % folder_every == 1:
                    out = fuzz.folder_case(folder, name, data)
                    key = f"folder {name} {muts} seed={case_seed}"
                else:
                    out = fuzz.csv_case(name, data, rewrite=i % 10 == 0)
                    key = f"csv {name} {muts} seed={case_seed}"
            counts[out.status] += 1
            counts[key.split()[0]] += 1
            if out.status in ("crash", "partial") and len(failures) < 5:
                failures.append(f"{out.status}: {key}\n{out.detail}")
    return counts, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--chunk", type=int, default=1_000, help="cases per task")
    ap.add_argument("--folder-every", type=int, default=2000)
    ap.add_argument("--import-every", type=int, default=1000)
    args = ap.parse_args(argv)
    tasks = [
        (s, min(args.chunk, args.cases - s), args.seed, args.folder_every, args.import_every)
        for s in range(0, args.cases, args.chunk)
    ]
    total: Counter[str] = Counter()
    failures: list[str] = []
    began = time.perf_counter()
    with mp.get_context("spawn").Pool(args.jobs) as pool:
        for counts, found in pool.imap_unordered(_worker, tasks):
            total.update(counts)
            failures += found
            done = sum(total[k] for k in ("ok", "rejected", "crash", "partial"))
            print(
                f"... {done} cases, {total['crash']} crashes, {total['partial']} partial outputs",
                f"({time.perf_counter() - began:.0f} s)",
                flush=True,
            )
    seconds = time.perf_counter() - began
    cases = total["ok"] + total["rejected"] + total["crash"] + total["partial"]
    for f in failures[:10]:
        print(f, file=sys.stderr)
    print(
        f"kinds: {total['csv']} csv, {total['folder']} folder, {total['import']} import; "
        f"outcomes: {total['ok']} read, {total['rejected']} refused with problems; "
        f"{seconds:.0f} s on {args.jobs} processes"
    )
    print(f"fuzz: {cases} cases, {total['crash']} crashes, {total['partial']} partial outputs")
    return 1 if total["crash"] or total["partial"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
