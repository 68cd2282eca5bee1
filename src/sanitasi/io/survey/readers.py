"""Survey file readers: CSV/Parquet/XLSX registered in DuckDB (:func:`open_source`) and
Arrow record batches for the numpy engine (Parquet through Arrow with dictionary-encoded
string columns; CSV and XLSX through DuckDB).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.io.errors import InputErrors, problem

FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputErrors(
            [
                problem(
                    "SAN-E100",
                    "survey",
                    reason="DuckDB is needed (pip install 'sanitasi[scale]')",
                    reason_id="DuckDB diperlukan (pip install 'sanitasi[scale]')",
                )
            ]
        ) from None
    return duckdb


def connect(memory_limit: str = "1GB", threads: int | None = None) -> Any:
    """An in-memory DuckDB connection tuned for one scan (insertion order not kept)."""
    con = _duckdb().connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _xlsx_frame(path: Path) -> pd.DataFrame:
    """First sheet of an XLSX as text cells (integral numbers without ``.0``)."""
    df = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    df.columns = [str(c).strip() for c in df.columns]

    def text(v: Any) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "isoformat"):
            return str(v.isoformat())
        return str(v)

    out = pd.DataFrame({c: df[c].map(text).astype(object) for c in df.columns})
    return out.dropna(how="all")


def open_source(
    con: Any, path: str | os.PathLike[str], name: str = "src"
) -> dict[str, tuple[str, str]]:
    """Register the survey file as view ``name``; return ``lower(column) -> (column, type)``.

    CSV: every column as text (``all_varchar``); Parquet: native types; XLSX: text cells.
    Raises :class:`InputErrors` (``SAN-E100``) when the file cannot be read.
    """
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    label = p.name
    if fmt is None:
        raise InputErrors(
            [
                problem(
                    "SAN-E100",
                    label,
                    reason=f"unsupported file type {p.suffix!r}; use .csv, .parquet or .xlsx",
                    reason_id=f"jenis berkas {p.suffix!r} tidak didukung; gunakan .csv, .parquet atau .xlsx",
                )
            ]
        )
    if not p.is_file():
        raise InputErrors(
            [
                problem(
                    "SAN-E100", label, reason="file not found", reason_id="berkas tidak ditemukan"
                )
            ]
        )
    try:
        if fmt == "csv":
            con.execute(
                f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_csv({_lit(str(p))}, "
                "all_varchar = true, header = true, encoding = 'utf-8')"
            )
        elif fmt == "parquet":
            con.execute(
                f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({_lit(str(p))})"
            )
        else:
            frame = _xlsx_frame(p)
            con.register(f"{name}_xlsx", frame)
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {name}_xlsx")
        desc = con.execute(f"DESCRIBE {name}").fetchall()
    except InputErrors:
        raise
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputErrors([problem("SAN-E100", label, reason=reason, reason_id=reason)]) from None
    return {str(r[0]).strip().lower(): (str(r[0]), str(r[1]).upper()) for r in desc}


def _dictionary(arr: Any) -> tuple[np.ndarray, list[Any], bool]:
    """``(indices with nulls -> len(dictionary), distinct values, numeric)`` of an array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(arr.type):
        if pa.types.is_string_view(arr.type) or pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.string())
        arr = pc.dictionary_encode(arr)
    values = arr.dictionary
    vt = values.type
    numeric = pa.types.is_integer(vt) or pa.types.is_floating(vt) or pa.types.is_decimal(vt)
    idx = pc.fill_null(arr.indices, len(values)).to_numpy(zero_copy_only=False)
    pyvals = values.to_pylist()
    if pa.types.is_decimal(vt):
        pyvals = [None if v is None else float(v) for v in pyvals]
    return idx.astype(np.int64, copy=False), pyvals, numeric


def _arrow_reader(path: Path, con: Any, columns: Sequence[str], batch_rows: int) -> Iterator[Any]:
    """Record batches of the mapped columns: Parquet through Arrow's reader with string
    columns kept as dictionaries; CSV and XLSX through DuckDB's reader."""
    cols = list(dict.fromkeys(columns))
    if FORMATS.get(path.suffix.lower()) == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(str(path))
        strings = [c for c in cols if pa.types.is_string(schema.field(c).type)]
        pf = pq.ParquetFile(str(path), read_dictionary=strings)
        yield from pf.iter_batches(batch_size=batch_rows, columns=cols, use_threads=True)
        return
    select = ", ".join(_q(c) for c in cols)
    rel = con.sql(f"SELECT {select} FROM src")
    # DuckDB 2 names it to_arrow_reader; 1.x record_batch.
    fetch = getattr(rel, "to_arrow_reader", None) or rel.record_batch
    yield from fetch(batch_rows)


def _prefetch(it: Iterator[Any]) -> Iterator[Any]:
    """Read the next batch in a thread while the current one is computed (Arrow's reader
    releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        fut = pool.submit(next, it, None)
        while True:
            batch = fut.result()
            if batch is None:
                return
            fut = pool.submit(next, it, None)
            yield batch


__all__ = ["FORMATS", "connect", "open_source"]
