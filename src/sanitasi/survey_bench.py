"""Survey-ingest benchmark: ten million synthetic households across every desa/kelurahan.

:func:`synthetic_survey` writes a seeded synthetic EHRA-style household file (Parquet, row
groups of one million rows) over all 83,762 official desa/kelurahan codes
(Kepmendagri 300.2.2-2138/2025): kelurahan code, weight, and the answers of the default
EHRA mapping (``sanitasi/data/survey/ehra_mapping.toml``), with a few invalid answers and
unknown codes so the report path runs too. The answers are **illustrative** (seeded random),
only the codes are real. Desa sample sizes vary (gamma distributed), so some fall under
the EHRA minimum of 40.

:func:`survey_benchmark` times :func:`sanitasi.io.survey.read_survey` on it (mapping,
Parquet scan, normalisation, ladder rules, per-desa weighted shares with Wilson/Kish
intervals, the issues table) with each engine, ``repeat`` times (default 5: the median
counts); generation is not timed. Each engine runs in its own process, so the peak memory
is the ingest's own (generation runs in the parent). In the numpy engine's process it then
times :func:`raw_baseline` (median of as many runs): the same per-household arithmetic on
arrays already in memory, with no file, no codebook, no issues and no tables, and prints
the ratio engine / baseline. Last printed line: ``survey ingest: <rows/s> rows/s, <peak MB>
MB`` (the faster engine's median run and that process's peak RSS before the baseline).
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from sanitasi.io.reference import load_wilayah
from sanitasi.io.survey import frames_agree, read_survey

ROWS = 10_000_000
SEED = 20250101
CHUNK = 1 << 20

#: EHRA answer letters and their probabilities (urban, rural) in the synthetic file.
_ANSWERS: dict[str, tuple[list[str], list[float], list[float]]] = {
    "tempat_bab": (
        ["A", "B", "C", "D", "E", "F", "G", "H", "I", "K"],
        [0.80, 0.05, 0.03, 0.04, 0.01, 0.03, 0.01, 0.01, 0.01, 0.01],
        [0.66, 0.06, 0.02, 0.04, 0.03, 0.08, 0.05, 0.02, 0.03, 0.01],
    ),
    "jenis_kloset": (
        ["A", "B", "C", "D", "E"],
        [0.80, 0.10, 0.05, 0.04, 0.01],
        [0.70, 0.04, 0.12, 0.12, 0.02],
    ),
    "pembuangan_tinja": (
        ["A", "B", "C", "D", "E", "F", "G", "H"],
        [0.72, 0.04, 0.08, 0.04, 0.06, 0.02, 0.01, 0.03],
        [0.55, 0.00, 0.22, 0.03, 0.09, 0.06, 0.02, 0.03],
    ),
    "septik_dikuras": (
        ["A", "B", "C", "D", "E", "F", ""],
        [0.04, 0.08, 0.06, 0.04, 0.60, 0.15, 0.03],
        [0.02, 0.04, 0.04, 0.04, 0.70, 0.13, 0.03],
    ),
    "pembuangan_sampah": (
        ["A", "B", "C", "D", "E", "F", "G", "H", "I"],
        [0.05, 0.60, 0.20, 0.03, 0.03, 0.04, 0.01, 0.03, 0.01],
        [0.02, 0.15, 0.50, 0.08, 0.06, 0.08, 0.03, 0.07, 0.01],
    ),
}
INVALID_SHARE = 0.0005
UNKNOWN_KODE_SHARE = 0.0001


def _draw(
    rng: np.random.Generator, urban: np.ndarray, pu: list[float], pr: list[float]
) -> np.ndarray:
    """Category index per row from the urban or rural probabilities (vectorised)."""
    cu, cr = np.cumsum(pu), np.cumsum(pr)
    cu[-1] = cr[-1] = 1.0
    x = rng.random(len(urban))
    return np.where(
        urban, np.searchsorted(cu, x, side="right"), np.searchsorted(cr, x, side="right")
    )


def synthetic_survey(
    path: str | Path, rows: int = ROWS, seed: int = SEED, chunk: int = CHUNK
) -> dict[str, Any]:
    """Write the synthetic household Parquet file; returns ``rows``, ``desa``, ``seconds``.

    Columns: ``kode_kelurahan`` and the answer columns as dictionary-encoded strings,
    ``bobot`` (double, desa households / desa sample). Memory stays at one chunk."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    wil = load_wilayah()
    leaf = wil[wil["tingkat"].isin(["kelurahan", "desa"])].sort_values("kode")
    codes = np.array([*leaf["kode"].astype(str), "99.99.99.9999"], dtype=object)
    urban_of = np.append(leaf["tingkat"].eq("kelurahan").to_numpy(), False)
    n = len(leaf)
    size = rng.gamma(4.0, 1.0, n)
    p = size / size.sum()
    expected = p * rows
    weight_of = np.append(rng.uniform(300, 3000, n) / np.maximum(expected, 1.0), 1.0)
    dict_kode = pa.array(codes, type=pa.string())
    dicts = {c: pa.array(v[0], type=pa.string()) for c, v in _ANSWERS.items()}
    schema = pa.schema(
        [("kode_kelurahan", pa.dictionary(pa.int32(), pa.string())), ("bobot", pa.float64())]
        + [(c, pa.dictionary(pa.int8(), pa.string())) for c in _ANSWERS]
    )
    done = 0
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    with pq.ParquetWriter(str(path), schema, compression="snappy") as writer:
        while done < rows:
            m = min(chunk, rows - done)
            g = np.searchsorted(cdf, rng.random(m), side="right").astype(np.int32)
            g[rng.random(m) < UNKNOWN_KODE_SHARE] = n
            urban = urban_of[g]
            cols: dict[str, Any] = {
                "kode_kelurahan": pa.DictionaryArray.from_arrays(pa.array(g), dict_kode),
                "bobot": pa.array(weight_of[g]),
            }
            for c, (letters, pu, pr) in _ANSWERS.items():
                idx = _draw(rng, urban, pu, pr).astype(np.int8)
                d = dicts[c]
                if c == "jenis_kloset":
                    bad = rng.random(m) < INVALID_SHARE
                    d = pa.array([*letters, "Z"], type=pa.string())
                    idx[bad] = len(letters)
                cols[c] = pa.DictionaryArray.from_arrays(pa.array(idx), d)
            writer.write_table(pa.table(cols, schema=schema))
            done += m
    return {"rows": rows, "desa": n, "seconds": time.perf_counter() - t0}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def baseline_arrays(path: str | Path, rows: int) -> dict[str, np.ndarray]:
    """The synthetic file's columns as the raw baseline reads them (not timed): dictionary
    indices of the answers (``int32``) and of the desa, and the weights."""
    import pyarrow.parquet as pq

    cols = ["kode_kelurahan", "bobot", *_ANSWERS]
    table = pq.read_table(str(path), columns=cols, read_dictionary=[*_ANSWERS, "kode_kelurahan"])
    out: dict[str, np.ndarray] = {}
    for c in cols:
        chunks = table.column(c).chunks
        if c == "bobot":
            out[c] = np.concatenate([ch.to_numpy() for ch in chunks])
        else:
            out[c] = np.concatenate([ch.indices.to_numpy() for ch in chunks]).astype(np.int32)
    assert len(out["bobot"]) == rows
    return out


def raw_baseline(arrays: dict[str, np.ndarray], n_groups: int, chunk: int = CHUNK) -> float:
    """Seconds for the engine's per-household arithmetic on in-memory arrays, one pass in
    chunks of ``chunk`` rows and no thread: the five answer indices combined into one index
    (four multiply-adds), the desa's class added (one gather), rung and waste category (one
    gather each, from tables of the right size filled with valid codes), the desa group
    (one gather), the group keys ``desa x 7 + rung`` and ``desa x 8 + waste``, households,
    weights and squared weights by ``np.bincount`` for each. The tables' contents do not
    matter for the time; the shapes and the number of passes are the engine's."""
    names = list(_ANSWERS)
    sizes = [len(_ANSWERS[c][0]) + 2 for c in names]
    total = int(np.prod(sizes))
    rng = np.random.default_rng(0)
    rung_t = rng.integers(0, 7, 8 * total).astype(np.int8)
    wcat_t = rng.integers(0, 8, 8 * total).astype(np.int8)
    kel = arrays["kode_kelurahan"]
    n_kel = int(kel.max()) + 1
    klass_t = (rng.integers(0, 8, n_kel) * total).astype(np.int32)
    group_t = np.minimum(np.arange(n_kel), n_groups).astype(np.int32)
    k, kw = 7, 8
    acc = [np.zeros((n_groups + 1) * k), np.zeros((n_groups + 1) * kw)]
    t0 = time.perf_counter()
    for a in range(0, len(kel), chunk):
        sl = slice(a, a + chunk)
        ik = kel[sl]
        key = np.take(klass_t, ik, mode="clip")
        mult = 1
        for c, size in zip(reversed(names), reversed(sizes), strict=True):
            key += arrays[c][sl] * np.int32(mult) if mult > 1 else arrays[c][sl]
            mult *= size
        rung = np.take(rung_t, key, mode="clip")
        wcat = np.take(wcat_t, key, mode="clip")
        group = np.take(group_t, ik, mode="clip")
        w = arrays["bobot"][sl]
        w2 = w * w
        for i, (cat, n_cat) in enumerate(((rung, k), (wcat, kw))):
            gk = np.multiply(group, n_cat, dtype=np.int64)
            gk += cat
            size = acc[i].size
            np.bincount(gk, minlength=size)
            acc[i] += np.bincount(gk, weights=w, minlength=size)
            acc[i] += np.bincount(gk, weights=w2, minlength=size)
    return time.perf_counter() - t0


def _run_engine(path: str, engine: str, repeat: int, rows: int, baseline: bool) -> dict[str, Any]:
    """In a fresh process: time ``read_survey`` ``repeat`` times; peak RSS of that process;
    then, if asked, the raw baseline as many times."""
    from sanitasi.runtime import tune_allocator

    tune_allocator()
    times = []
    cpu = []
    res = None
    for _ in range(max(1, repeat)):
        t0, c0 = time.perf_counter(), time.process_time()
        res = read_survey(path, engine=engine)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert res is not None
    peak = _peak_mb()
    base: list[float] = []
    if baseline:
        arrays = baseline_arrays(path, rows)
        n_groups = int(arrays["kode_kelurahan"].max())  # the last code is the unknown one
        base = [raw_baseline(arrays, n_groups) for _ in range(max(1, repeat))]
    return {
        "times": times,
        "cpu": cpu,
        "peak_mb": peak,
        "baseline": base,
        "shares": res.shares,
        "issues": res.issues,
        "totals": dict(res.totals),
    }


def survey_benchmark(
    rows: int = ROWS,
    seed: int = SEED,
    engines: tuple[str, ...] = ("numpy",),
    repeat: int = 5,
    console: Console | None = None,
    workdir: str | Path | None = None,
) -> dict[str, Any]:
    """Generate the file in a temp dir (not timed), then time each engine ``repeat`` times
    in its own process (the median counts; peak RSS is that process's maximum resident set,
    interpreter and imports included), time the raw baseline in the numpy engine's process,
    check that the engines agree and print the figures. Returns ``rows_per_s``, ``peak_mb``,
    ``engine``, ``seconds`` (median), ``baseline_s`` (median), ``ratio`` and every timing."""
    import multiprocessing as mp
    import statistics

    con = console or Console()
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        path = Path(tmp) / "survey.parquet"
        gen = synthetic_survey(path, rows, seed)
        mb = path.stat().st_size / 1e6
        con.print(
            f"data generation: {gen['seconds']:.1f} s ({rows:,} households, {gen['desa']:,} "
            f"desa, {mb:.0f} MB Parquet; not timed)"
        )
        runs: dict[str, dict[str, Any]] = {}
        with ctx.Pool(1, maxtasksperchild=1) as pool:
            for engine in engines:
                runs[engine] = pool.apply(
                    _run_engine, (str(path), engine, repeat, rows, engine == "numpy")
                )
                r = runs[engine]
                con.print(
                    f"engine {engine}: "
                    + ", ".join(f"{t:.2f} s" for t in r["times"])
                    + f" (median {statistics.median(r['times']):.2f} s, CPU median "
                    f"{statistics.median(r['cpu']):.2f} s), peak {r['peak_mb']:.0f} MB"
                )
    first = runs[engines[0]]
    same = all(
        frames_agree(r["shares"], first["shares"])
        and r["issues"].equals(first["issues"])
        and r["totals"] == first["totals"]
        for r in runs.values()
    )
    best = min(engines, key=lambda e: statistics.median(runs[e]["times"]))
    secs = statistics.median(runs[best]["times"])
    t = first["totals"]
    shares = first["shares"]
    con.print(
        f"households: {t['rows']:,} read, {t['classified']:,} classified, {t['unknown']:,} "
        f"unknown, {t['unknown_kelurahan']:,} in unknown kelurahan; {len(shares):,} desa, "
        f"{int(shares['below_min'].sum()):,} under the EHRA minimum; "
        f"{len(first['issues'])} issue rows"
    )
    wsum = shares["weight_sum"]
    share = {
        r: float((shares[f"pct_{r}"] * wsum).sum() / wsum.sum())
        for r in ("aman", "layak_sendiri", "babs_terbuka")
    }
    con.print(
        "weighted national shares (illustrative): "
        + ", ".join(f"{k} {v:.1f}%" for k, v in share.items())
    )
    base = runs["numpy"]["baseline"] if "numpy" in runs else []
    base_s = statistics.median(base) if base else float("nan")
    ratio = statistics.median(runs["numpy"]["times"]) / base_s if base else float("nan")
    if base:
        con.print(
            "raw numpy baseline (same per-household arithmetic on in-memory arrays, no "
            "file, no codebook, no issues): "
            + ", ".join(f"{b:.2f} s" for b in base)
            + f" (median {base_s:.2f} s, {rows / base_s:,.0f} rows/s); "
            f"numpy engine / baseline: {ratio:.2f}"
        )
    con.print(f"engines agree: {'yes' if same else 'NO'}; faster: {best}")
    rate = rows / secs
    peak = float(runs[best]["peak_mb"])
    con.print(f"survey ingest: {rate:,.0f} rows/s, {peak:.0f} MB")
    return {
        "rows_per_s": rate,
        "peak_mb": peak,
        "engine": best,
        "seconds": secs,
        "baseline_s": base_s,
        "ratio": ratio,
        "runs": {
            e: {k: v for k, v in r.items() if k in ("times", "cpu", "peak_mb", "baseline")}
            for e, r in runs.items()
        },
        "agree": same,
    }


__all__ = ["baseline_arrays", "raw_baseline", "survey_benchmark", "synthetic_survey"]
