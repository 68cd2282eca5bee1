"""The on-disk cache of the validated reference tables (:mod:`sanitasi.io.refcache`): a cached
table equals the freshly validated one (values and dtypes), a corrupt or foreign cache file
falls back to reading and validating, a changed reference file is never served from the
cache, ``SANITASI_NO_CACHE`` turns it off and an unwritable cache folder changes nothing."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import sanitasi.io.city_checks
import sanitasi.io.ghg  # noqa: F401  (registers the GHG reference tables)
from sanitasi.io import refcache, reference


def _clear_process_caches() -> None:
    for entry in refcache.REGISTRY.values():
        entry.cached.cache_clear()
    reference.wilayah_index.cache_clear()
    reference.reference_digest.cache_clear()
    refcache.cache_key.cache_clear()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache under ``SANITASI_HOME=tmp_path``; the process caches emptied before
    and after (no table read under the test's settings is kept)."""
    monkeypatch.setenv("SANITASI_HOME", str(tmp_path))
    monkeypatch.delenv(refcache.NO_CACHE_ENV, raising=False)
    _clear_process_caches()
    yield tmp_path / "cache" / "reference"
    monkeypatch.undo()
    _clear_process_caches()


def _same(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    if isinstance(a, pd.DataFrame):
        assert list(a.columns) == list(b.columns)
        assert a.dtypes.to_dict() == b.dtypes.to_dict()
        pd.testing.assert_frame_equal(a, b, check_dtype=True, check_exact=True)
    elif isinstance(a, pd.Series):
        assert a.dtype == b.dtype and a.index.dtype == b.index.dtype
        pd.testing.assert_series_equal(a, b, check_dtype=True, check_exact=True)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _same(a[key], b[key])
    else:
        assert a == b


def _never() -> Any:
    raise AssertionError("read and validated although the cache holds the table")


def test_every_cached_table_equals_the_validated_one(home: Path) -> None:
    assert {
        "reference.parameters",
        "wilayah.wilayah_2025",
        "wilayah.official_children",
        "ghg.ghg_parameters",
    } <= set(refcache.REGISTRY)
    for name, entry in refcache.REGISTRY.items():
        fresh = entry.build()
        first = refcache.load_or_build(name, entry.kind, entry.build)  # miss: stored
        path = refcache.entry_path(name)
        assert path is not None and path.is_file(), name
        assert path.parent.parent == home
        again = refcache.load_or_build(name, entry.kind, _never)  # hit: from the file
        _same(first, fresh)
        _same(again, fresh)


def test_the_public_readers_give_the_same_tables_from_the_cache(home: Path) -> None:
    readers = (
        reference.load_reference_targets,
        reference.load_unit_costs,
        reference.load_need_items,
        reference.load_funding_shares,
        reference.load_ladder,
        reference.load_wilayah,
        reference.load_penduduk,
        reference.parameter_table,
        reference.wilayah_index,
    )
    fresh = [r() for r in readers]
    params = reference.load_parameters()
    assert any(home.glob("*/wilayah.wilayah_2025.pickle"))
    _clear_process_caches()  # a new process: every table from the disk cache
    for name, entry in refcache.REGISTRY.items():
        path = refcache.entry_path(name)
        if path is not None and path.is_file():
            refcache.load_or_build(name, entry.kind, _never)
    for reader, before in zip(readers, fresh, strict=True):
        _same(reader(), before)
    assert reference.load_parameters() == params


@pytest.mark.parametrize(
    "damage",
    ["empty", "truncated", "flipped", "garbage", "other_name", "other_type", "untrusted"],
)
def test_a_bad_cache_file_falls_back_to_validation(home: Path, damage: str) -> None:
    name = "reference.ladder"
    entry = refcache.REGISTRY[name]
    fresh = entry.build()
    refcache.load_or_build(name, entry.kind, entry.build)
    path = refcache.entry_path(name)
    assert path is not None
    body = path.read_bytes()
    head = len(refcache.MAGIC) + 32

    def signed(obj: Any) -> bytes:
        raw = pickle.dumps(obj)
        return refcache.MAGIC + refcache._checksum(raw) + raw

    key = refcache.cache_key()
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(body[: len(body) // 2])
    elif damage == "flipped":  # one byte of the pickle changed: the checksum no longer fits
        i = head + (len(body) - head) // 2
        path.write_bytes(body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :])
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(body)))
    elif damage == "other_name":  # a valid file of another table under this name
        other = refcache.REGISTRY["reference.targets"].build()
        path.write_bytes(signed({"key": key, "name": "reference.targets", "value": other}))
    elif damage == "other_type":
        path.write_bytes(signed({"key": key, "name": name, "value": ["not", "a", "table"]}))
    elif damage == "untrusted":  # writable by others: a pickle there may not be ours
        path.chmod(0o666)
    calls: list[int] = []

    def build() -> Any:
        calls.append(1)
        return entry.build()

    got = refcache.load_or_build(name, entry.kind, build)
    assert calls == [1]
    _same(got, fresh)
    if damage != "untrusted":  # the entry was written again, valid
        _same(refcache.load_or_build(name, entry.kind, _never), fresh)


def test_a_changed_reference_file_is_not_served_from_the_cache(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = reference.load_parameters()["desludging_interval_years"].value
    assert any(home.glob("*/reference.parameters.pickle"))
    # the package data with one value of parameters.csv changed
    data = tmp_path / "data"
    root = resources.files(reference.DATA_PACKAGE)
    for folder in reference.REFERENCE_FOLDERS:
        shutil.copytree(str(root / folder), data / folder)
    csv = data / "reference" / "parameters.csv"
    text = csv.read_text(encoding="utf-8")
    assert "desludging_interval_years,3," in text
    csv.write_text(
        text.replace("desludging_interval_years,3,", "desludging_interval_years,4,"),
        encoding="utf-8",
    )
    monkeypatch.setattr(reference, "data_root", lambda: data)
    _clear_process_caches()  # a new process on the edited package
    assert before == 3.0
    assert reference.load_parameters()["desludging_interval_years"].value == 4.0
    assert len(list(home.glob("*/reference.parameters.pickle"))) == 2  # one per digest


def test_no_cache_env_reads_and_writes_nothing(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(refcache.NO_CACHE_ENV, "1")
    assert refcache.cache_root() is None
    entry = refcache.REGISTRY["reference.ladder"]
    _same(refcache.load_or_build(entry.name, entry.kind, entry.build), entry.build())
    assert not home.exists()
    monkeypatch.setenv(refcache.NO_CACHE_ENV, "0")
    assert refcache.cache_root() == home


def test_cache_folder_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(refcache.NO_CACHE_ENV, raising=False)
    monkeypatch.setenv("SANITASI_HOME", str(tmp_path / "home"))
    assert refcache.cache_root() == tmp_path / "home" / "cache" / "reference"
    monkeypatch.delenv("SANITASI_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert refcache.cache_root() == tmp_path / "xdg" / "sanitasi" / "reference"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert refcache.cache_root() == tmp_path / "user" / ".cache" / "sanitasi" / "reference"


def test_an_unwritable_cache_folder_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    monkeypatch.setenv("SANITASI_HOME", str(blocker))  # cache/ cannot be created under a file
    monkeypatch.delenv(refcache.NO_CACHE_ENV, raising=False)
    entry = refcache.REGISTRY["reference.unit_costs"]
    _same(refcache.load_or_build(entry.name, entry.kind, entry.build), entry.build())
    assert blocker.read_text() == "x"


def test_old_key_folders_are_pruned(home: Path) -> None:
    home.mkdir(parents=True)
    for i in range(refcache.KEEP + 2):
        old = home / f"{i:032x}"
        old.mkdir()
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    entry = refcache.REGISTRY["reference.ladder"]
    refcache.load_or_build(entry.name, entry.kind, entry.build)
    path = refcache.entry_path(entry.name)
    assert path is not None and path.is_file()
    kept = sorted(d.name for d in home.iterdir())
    newest = [f"{i:032x}" for i in range(refcache.KEEP + 2)][-(refcache.KEEP - 1) :]
    assert kept == sorted([path.parent.name, *newest])
