"""apply_survey: the survey becomes the city's baseline ladder, atomically, nothing else moves."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sanitasi.core.model import RUNGS
from sanitasi.io.city import read_city
from sanitasi.io.errors import InputErrors
from sanitasi.io.reference import demo_city_dir
from sanitasi.io.survey import apply_survey, read_survey

K1, K2 = "13.72.01.1001", "13.72.01.1002"
HH = {K1: 3498.0, K2: 1249.0}  # households 2024 in the demo observations.csv
COLUMNS = [
    "kode_kelurahan",
    "bobot",
    "tempat_bab",
    "jenis_kloset",
    "pembuangan_tinja",
    "septik_dikuras",
]


@pytest.fixture
def city(tmp_path: Path) -> Path:
    dst = tmp_path / "city"
    shutil.copytree(str(demo_city_dir()), dst)
    return dst


def survey(tmp_path: Path, rows: list[tuple[str, ...]], name: str = "ehra_2024.csv") -> Path:
    path = tmp_path / name
    pd.DataFrame(rows, columns=COLUMNS).to_csv(path, index=False)
    return path


ROWS = [
    (K1, "1", "A", "A", "A", "B"),  # aman
    (K1, "1", "A", "A", "A", "E"),  # layak_sendiri
    (K1, "2", "A", "A", "A", "E"),  # layak_sendiri
    (K1, "1", "D", "", "", ""),  # belum_layak
    (K2, "1", "A", "A", "E", ""),  # babs_tertutup
    (K2, "1", "B", "A", "A", ""),  # layak_bersama
]


def records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_apply_writes_scaled_rungs_and_keeps_the_rest(city: Path, tmp_path: Path) -> None:
    obs = city / "observations.csv"
    before = records(obs)
    header = before[0]
    res = read_survey(survey(tmp_path, ROWS), year=2024)
    report = apply_survey(res, city)
    assert report.year == 2024 and set(report.kelurahan) == {K1, K2}
    # 2 kelurahan x 6 rungs, and their kecamatan (13.72.01) and city (13.72) rows, which are
    # recomputed as sums of their kelurahan so sub-area sums stay equal (no SAN-W101)
    assert report.rows_written == 24 and report.rows_replaced == 24
    after = records(obs)
    idx = {
        c: header.index(c)
        for c in ("kode", "year", "indicator", "value", "source", "status", "unit")
    }

    def key(r: list[str]) -> tuple[str, str, str]:
        return (r[idx["kode"]], r[idx["year"]], r[idx["indicator"]])

    replaced = {(k, "2024", f"hh_{r}") for k in (K1, K2, "13.72.01", "13.72") for r in RUNGS}
    kept_before = [r for r in before[1:] if key(r) not in replaced]
    kept_after = [r for r in after[1:] if key(r) not in replaced]
    assert kept_before == kept_after  # every other observation untouched, same order
    new = {key(r): r for r in after[1:] if key(r) in replaced}
    assert set(new) == replaced
    expected = {
        K1: dict(aman=1 / 5, layak_sendiri=3 / 5, belum_layak=1 / 5),
        K2: dict(babs_tertutup=1 / 2, layak_bersama=1 / 2),
    }
    leaf_before = {key(r): float(r[idx["value"]]) for r in before[1:]}
    for parent in ("13.72.01", "13.72"):
        for r in RUNGS:
            kids = [
                float(new[(k, "2024", f"hh_{r}")][idx["value"]])
                if k in (K1, K2)
                else leaf_before[(k, "2024", f"hh_{r}")]
                for k in {
                    kk for kk, y, i in leaf_before if kk.startswith(parent + ".") and len(kk) > 8
                }
            ]
            got = float(new[(parent, "2024", f"hh_{r}")][idx["value"]])
            assert got == pytest.approx(sum(kids), abs=0.01)
    for k, shares in expected.items():
        for r in RUNGS:
            row = new[(k, "2024", f"hh_{r}")]
            assert float(row[idx["value"]]) == pytest.approx(shares.get(r, 0.0) * HH[k], abs=1e-3)
            assert row[idx["source"]] == "ehra_2024.csv"
            assert row[idx["status"]] == "derived"
            assert row[idx["unit"]] == "households"
    # replaced in place: the kelurahan's first hh_ row keeps its position
    first_before = next(i for i, r in enumerate(before) if key(r) == (K1, "2024", "hh_aman"))
    assert key(after[first_before]) == (K1, "2024", "hh_aman")
    # the city still loads, ladders sum to households
    load = read_city(city)
    assert not load.errors, load.errors
    assert not [p for p in load.problems if p.code == "SAN-W101"]
    assert not list(city.glob(".observations.*"))  # no temp file left


def test_apply_appends_when_no_earlier_rungs(city: Path, tmp_path: Path) -> None:
    obs = city / "observations.csv"
    rows = records(obs)
    header = rows[0]
    ind = header.index("indicator")
    kode = header.index("kode")
    kept = [r for r in rows[1:] if not (r[kode] == K2 and r[ind].startswith("hh_"))]
    with obs.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *kept])
    res = read_survey(survey(tmp_path, ROWS), year=2024)
    report = apply_survey(res, city)
    # K1 and its kecamatan and city rows replaced (3 x 6); K2 appended
    assert report.rows_replaced == 18
    after = records(obs)
    assert [r[ind] for r in after[-6:]] == [f"hh_{r}" for r in RUNGS]
    assert {r[kode] for r in after[-6:]} == {K2}


def test_year_defaults_to_the_latest_with_households(city: Path, tmp_path: Path) -> None:
    res = read_survey(survey(tmp_path, ROWS))
    assert apply_survey(res, city).year == 2024


def test_kelurahan_without_households_is_an_error_and_nothing_is_written(
    city: Path, tmp_path: Path
) -> None:
    obs = city / "observations.csv"
    before = obs.read_bytes()
    res = read_survey(survey(tmp_path, ROWS), year=2019)
    with pytest.raises(InputErrors) as exc:
        apply_survey(res, city)
    assert {p.code for p in exc.value.problems} == {"SAN-E106"}
    assert obs.read_bytes() == before


def test_spald_t_above_the_new_aman_is_refused(city: Path, tmp_path: Path) -> None:
    k = "13.72.02.1001"  # hh_spald_t 120 in 2024
    res = read_survey(survey(tmp_path, [(k, "1", "A", "A", "A", "E")] * 3), year=2024)
    obs = city / "observations.csv"
    before = obs.read_bytes()
    with pytest.raises(InputErrors) as exc:
        apply_survey(res, city)
    assert [p.code for p in exc.value.problems] == ["SAN-E107"]
    assert obs.read_bytes() == before
    # the surveyed aman in each language's number format (never an English point in Indonesian)
    (found,) = exc.value.problems
    aman_en = found.message("en").rsplit("(", 1)[1].split(")")[0]
    aman_id = found.message("id").rsplit("(", 1)[1].split(")")[0]
    assert aman_id == aman_en.replace(".", ","), (aman_en, aman_id)


def test_indonesian_number_format_of_survey_messages() -> None:
    from sanitasi.io.survey import _fmt_id

    assert [_fmt_id(v) for v in (59.067, 1234.5, 0.0, -12.25, 1234567.0)] == [
        "59,067",
        "1.234,5",
        "0",
        "-12,25",
        "1.234.567",
    ]


def test_kelurahan_outside_the_city_is_skipped_and_reported(city: Path, tmp_path: Path) -> None:
    res = read_survey(
        survey(tmp_path, [*ROWS, ("13.71.01.1001", "1", "A", "A", "A", "E")]), year=2024
    )
    report = apply_survey(res, city)
    assert set(report.kelurahan) == {K1, K2}
    [p] = report.problems
    assert p.code == "SAN-W187" and p.value == "13.71.01.1001"


def test_crlf_and_bom_are_kept(city: Path, tmp_path: Path) -> None:
    obs = city / "observations.csv"
    text = obs.read_text(encoding="utf-8")
    obs.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    apply_survey(read_survey(survey(tmp_path, ROWS), year=2024), city)
    data = obs.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:].decode("utf-8")
    assert "\r\n" in body and body.count("\n") == body.count("\r\n")
    assert not read_city(city).errors
