"""Fuzz harness (issue 12): mutations of a copy of the Kota Solok demo folder and of exported
workbooks. Whatever the bytes, a reader reads them or reports problems (never another
exception), and a refused import leaves the city folder byte for byte as it was.

Hypothesis draws the file, the mutations and the seed (``sanitasi.fuzz`` applies them, so a
failure prints a reproducible case); the examples scale with ``HYPOTHESIS_PROFILE``
(tests/hypothesis_profiles.py). ``benchmarks/fuzz.py`` runs the same cases by the 100,000.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi import fuzz
from sanitasi.io.reference import demo_city_dir
from sanitasi.io.templates import export_template

DEMO = Path(str(demo_city_dir()))
FILES = {p.name: p.read_bytes() for p in sorted(DEMO.glob("*.csv"))}
SHEETS = {"programme": "program", "realisation": "realisasi", "swot": "swot"}
SEEDS = st.integers(0, 2**32 - 1)


def mutations(pool: list[str], most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(pool), min_size=1, max_size=most, unique=True)


@settings(max_examples=examples(400), deadline=None)
@given(
    name=st.sampled_from(sorted(FILES)),
    muts=mutations(list(fuzz.CSV_MUTATIONS), 3),
    seed=SEEDS,
)
def test_mutated_csv_is_read_or_reported(name: str, muts: list[str], seed: int) -> None:
    out = fuzz.csv_case(name, fuzz.mutate(FILES[name], muts, seed))
    assert out.status in ("ok", "rejected"), out.detail


def test_a_few_thousand_seeded_csv_mutations() -> None:
    """The same property over a fixed, broad sweep (no shrinking; the case key is printed)."""
    rng = random.Random(12)
    cases = examples(2000)
    bad = []
    for i in range(cases):
        name = rng.choice(sorted(FILES))
        muts = rng.sample(list(fuzz.CSV_MUTATIONS), rng.randint(1, 3))
        seed = rng.randrange(2**32)
        out = fuzz.csv_case(name, fuzz.mutate(FILES[name], muts, seed), rewrite=i % 3 == 0)
        if out.status not in ("ok", "rejected"):
            bad.append(f"{name} {muts} seed={seed}: {out.detail}")
    assert bad == []


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """A pristine copy of the demo, a working copy, and the exported templates' bytes."""
    root = tmp_path_factory.mktemp("fuzz")
    pristine, work = root / "pristine", root / "city"
    shutil.copytree(DEMO, pristine)
    shutil.copytree(DEMO, work)
    books = {}
    for kind in SHEETS:
        export_template(kind, pristine, root / f"{kind}.xlsx")
        books[kind] = (root / f"{kind}.xlsx").read_bytes()
    return pristine, work, books


@settings(
    max_examples=examples(5),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(sorted(FILES)),
    muts=mutations(list(fuzz.CSV_MUTATIONS), 2),
    seed=SEEDS,
)
def test_mutated_folder_is_loaded_or_reported(
    folders: tuple[Path, Path, dict[str, bytes]], name: str, muts: list[str], seed: int
) -> None:
    pristine, work, _ = folders
    out = fuzz.folder_case(work, name, fuzz.mutate(FILES[name], muts, seed))
    assert out.status in ("ok", "rejected"), out.detail
    assert fuzz.snapshot(work) == fuzz.snapshot(pristine)  # the case restored its file


@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(sorted(SHEETS)),
    muts=mutations([*fuzz.XML_MUTATIONS, *fuzz.ZIP_MUTATIONS], 2),
    seed=SEEDS,
)
def test_mutated_workbook_import_is_all_or_nothing(
    folders: tuple[Path, Path, dict[str, bytes]], kind: str, muts: list[str], seed: int
) -> None:
    pristine, work, books = folders
    data = books[kind]
    book = work.parent / "case.xlsx"
    book.write_bytes(fuzz.mutate_workbook(data, fuzz.sheet_member(data, SHEETS[kind]), muts, seed))
    out = fuzz.import_case(work, pristine, book)
    assert out.status in ("ok", "rejected"), out.detail
