"""The reference data version (package version + content digest of the reference files)
and the read_by declarations of the reference parameters (docs/METHOD.md §16)."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from sanitasi.io import reference
from sanitasi.io.errors import InputErrors
from sanitasi.io.tables import LINE, Checker


def test_digest_is_the_sha256_of_the_reference_files() -> None:
    h = hashlib.sha256()
    for folder in reference.REFERENCE_FOLDERS:
        root = reference.data_root() / folder
        for f in sorted((f for f in root.iterdir() if f.is_file()), key=lambda f: f.name):
            body = f.read_bytes()
            h.update(f"{folder}/{f.name}:{len(body)}\n".encode())
            h.update(body)
    assert reference.reference_digest() == h.hexdigest()
    assert reference.reference_digest() is reference.reference_digest()  # once per process


def test_digest_changes_with_a_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    before = reference.reference_digest()

    class Edited:
        """The package data with one byte of parameters.csv changed."""

        def __init__(self, inner: object) -> None:
            self.inner = inner

        def __truediv__(self, name: str) -> object:
            return Edited(self.inner / name)  # type: ignore[operator]

        def iterdir(self) -> list[object]:
            return [Edited(f) for f in self.inner.iterdir()]  # type: ignore[attr-defined]

        def is_file(self) -> bool:
            return bool(self.inner.is_file())  # type: ignore[attr-defined]

        @property
        def name(self) -> str:
            return str(self.inner.name)  # type: ignore[attr-defined]

        def read_bytes(self) -> bytes:
            body = bytes(self.inner.read_bytes())  # type: ignore[attr-defined]
            if self.name == "parameters.csv":
                body = body.replace(
                    b"desludging_interval_years,3,", b"desludging_interval_years,4,"
                )
            return body

    root = reference.data_root()
    monkeypatch.setattr(reference, "data_root", lambda: Edited(root))
    reference.reference_digest.cache_clear()
    try:
        assert reference.reference_digest() != before
    finally:
        monkeypatch.undo()
        reference.reference_digest.cache_clear()
    assert reference.reference_digest() == before


def _check(cells: list[str]) -> tuple[pd.Series, list[str]]:
    df = pd.DataFrame({"read_by": cells, LINE: range(2, 2 + len(cells))})
    chk = Checker(df, "reference/parameters.csv")
    out = reference.read_by_column(chk)
    return out, [f"{p.code}:{p.row}:{p.value or ''}" for p in chk.problems]


def test_read_by_accepts_computations_and_reference_only() -> None:
    out, problems = _check(["costs", "waste.landfill; programme.coverage", "reference_only"])
    assert problems == []
    assert list(out) == ["costs", "waste.landfill; programme.coverage", "reference_only"]


def test_read_by_names_the_wrong_word() -> None:
    _, problems = _check(["costs;wastewater.nope", "reference_only;costs", "", "costs"])
    assert sorted(problems) == [
        "SAN-E027:4:",
        "SAN-E200:2:wastewater.nope",
        "SAN-E200:3:reference_only; costs",
    ]


def test_the_shipped_parameters_load_with_their_declarations() -> None:
    try:
        params = reference.load_parameters()
    except InputErrors as e:  # pragma: no cover - the shipped file is valid
        pytest.fail(str(e))
    assert params["desludging_interval_years"].read_by == ("wastewater.desludging", "optimise")
    assert params["truck_availability"].read_by == ("waste.collection", "wastewater.desludging")
    assert params["persons_per_kk_sni"].reference_only
