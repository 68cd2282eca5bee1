"""Survey ingest (io.survey): mappings, formats, engines, issues reported per column."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sanitasi.core import survey as cs
from sanitasi.io.errors import InputErrors
from sanitasi.io.reference import load_parameters, load_wilayah
from sanitasi.io.survey import (
    classify_file,
    connect,
    load_mapping,
    read_survey,
    results_agree,
    rung_case_sql,
)

K1, K2 = "13.72.01.1001", "13.72.01.1002"  # kelurahan of Kota Solok: urban
COLUMNS = [
    "kode_kelurahan",
    "bobot",
    "tempat_bab",
    "jenis_kloset",
    "pembuangan_tinja",
    "septik_dikuras",
    "pembuangan_sampah",
]


def rural_desa() -> str:
    wil = load_wilayah()
    return str(wil.loc[wil["tingkat"].eq("desa"), "kode"].iloc[0])


def households() -> tuple[pd.DataFrame, list[str]]:
    """EHRA-coded households (default mapping) and their hand classification."""
    desa = rural_desa()
    rows = [
        # kode, bobot, tempat_bab (use), jenis_kloset, pembuangan_tinja, septik_dikuras, sampah
        ((K1, "1", "A", "A", "A", "B", "B"), "aman"),  # own gooseneck, septic 1-5 years
        ((K1, "2", "A", "B", "B", "", "B"), "aman"),  # sewer
        ((K1, "1", "A", "A", "A", "C", "C"), "layak_sendiri"),  # emptied 5-10 years ago
        ((K1, "1", "A", "A", "A", "E", "C"), "layak_sendiri"),  # never
        ((K1, "1.5", "B", "A", "A", "A", "A"), "layak_bersama"),  # shared
        ((K1, "1", "C", "A", "B", "", "B"), "layak_bersama"),  # communal MCK to IPAL
        ((K1, "1", "A", "A", "C", "", "D"), "belum_layak"),  # urban pit
        ((K1, "1", "D", "", "", "", "B"), "belum_layak"),  # public MCK
        ((K1, "1", "A", "C", "A", "", "B"), "belum_layak"),  # plengsengan
        ((K1, "1", "A", "A", "H", "", "B"), "belum_layak"),  # disposal unknown
        ((K2, "1", "A", "A", "E", "", "F"), "babs_tertutup"),  # to the river
        ((K2, "1", "E", "D", "F", "", "F"), "babs_tertutup"),  # WC helikopter over a pond
        ((K2, "1", "F", "E", "", "", "G"), "babs_terbuka"),  # no toilet, river
        ((K2, "1", "G", "A", "A", "", "H"), "babs_terbuka"),  # has a toilet, uses the garden
        ((desa, "1", "A", "A", "C", "", "C"), "layak_sendiri"),  # rural pit
        ((desa, "1", "B", "A", "C", "", "C"), "layak_bersama"),  # shared rural pit
        ((desa, "1", "A", "A", "A", "", "C"), "layak_sendiri"),  # septic, blank (W184)
        # issues
        ((K2, "1", "A", "Z", "A", "A", "B"), "unknown"),  # invalid toilet answer
        ((K2, "1", "A", "Z", "A", "A", "B"), "unknown"),  # the same again (counted twice)
        ((K2, "1", "K", "A", "A", "A", "B"), "unknown"),  # use "tidak tahu" -> missing
        ((K2, "1", "A", "A", "", "A", "B"), "unknown"),  # disposal blank
        ((K2, "-1", "A", "A", "A", "A", "B"), "unknown"),  # negative weight
        ((K2, "1", "A", "A", "A", "Q", "B"), "unknown"),  # invalid desludging answer
        ((K2, "1", "A", "A", "A", "A", "X"), "aman"),  # invalid waste: ladder unaffected
        (("99.99.99.9999", "1", "A", "A", "A", "A", "B"), "aman"),  # unknown kelurahan
    ]
    df = pd.DataFrame([r[0] for r in rows], columns=COLUMNS)
    return df, [r[1] for r in rows]


def write(df: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix == ".xlsx":
        df.to_excel(path, index=False, engine="openpyxl")
    else:
        df.to_parquet(path, index=False)
    return path


@pytest.fixture
def survey_csv(tmp_path: Path) -> Path:
    return write(households()[0], tmp_path / "ehra.csv")


# --------------------------------------------------------------------------- mappings


def test_packaged_mappings_load() -> None:
    ehra = load_mapping()
    assert ehra.status == "illustrative"
    assert set(ehra.fields) >= {"kelurahan", "toilet", "use", "disposal", "desludging", "waste"}
    assert ehra.fields["toilet"].codes["a"] == "gooseneck"
    assert ehra.fields["desludging"].codes["b"] == 5.0
    assert ehra.fields["desludging"].codes["d"] == float("inf")
    sus = load_mapping("susenas")
    assert sus.fields["use"].codes["5"] == "none"
    table = ehra.table()
    assert {"field", "column", "answer", "normalised", "question"} <= set(table.columns)


def _mapping_text(**replace: str) -> str:
    text = (
        '[survey]\nname = "t"\n'
        '[fields.kelurahan]\ncolumn = "k"\n'
        '[fields.toilet]\ncolumn = "t"\n[fields.toilet.codes]\n1 = "gooseneck"\n'
        '[fields.use]\ncolumn = "u"\n[fields.use.codes]\n1 = "own"\n'
        '[fields.disposal]\ncolumn = "d"\n[fields.disposal.codes]\n1 = "septic"\n'
    )
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        ({'1 = "septic"': '1 = "tank"'}, "SAN-E103"),
        ({'[fields.use]\ncolumn = "u"\n[fields.use.codes]\n1 = "own"\n': ""}, "SAN-E102"),
        ({"[survey]": '[fields.colour]\ncolumn = "c"\n[survey]'}, "SAN-E102"),
        ({'column = "k"': 'column = "k"\noptional = true'}, "SAN-E102"),
        ({"[survey]": "[survey"}, "SAN-E101"),
    ],
)
def test_bad_mappings_are_rejected(tmp_path: Path, edit: dict[str, str], code: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text(_mapping_text(**edit), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_mapping(path)
    assert code in {p.code for p in exc.value.problems}


def test_json_mapping(tmp_path: Path) -> None:
    import tomllib

    path = tmp_path / "m.json"
    path.write_text(json.dumps(tomllib.loads(_mapping_text())), encoding="utf-8")
    assert load_mapping(path).fields["disposal"].codes == {"1": "septic"}


# --------------------------------------------------------------------------- classification


def test_hand_classified_file(survey_csv: Path) -> None:
    _, expected = households()
    got = classify_file(survey_csv)
    assert list(got["rung"]) == expected
    assert got.loc[24, "kode"] == ""  # unknown kelurahan


def test_shares_from_the_file(survey_csv: Path) -> None:
    res = read_survey(survey_csv)
    k1 = res.shares.set_index("kode").loc[K1]
    # weights: aman 1 + 2, sendiri 1 + 1, bersama 1.5 + 1, belum 4 x 1 -> total 11.5
    assert k1["n"] == 10 and k1["n_unknown"] == 0 and bool(k1["urban"])
    assert k1["pct_aman"] == pytest.approx(100 * 3 / 11.5)
    assert k1["pct_layak_bersama"] == pytest.approx(100 * 2.5 / 11.5)
    assert k1["pct_belum_layak"] == pytest.approx(100 * 4 / 11.5)
    assert k1["below_min"]
    k2 = res.shares.set_index("kode").loc[K2]
    assert k2["n"] == 5 and k2["n_unknown"] == 6  # 4 babs + 1 aman; 6 unknown
    desa = res.shares.set_index("kode").loc[rural_desa()]
    assert not bool(desa["urban"]) and desa["pct_layak_sendiri"] == pytest.approx(200 / 3)
    assert res.totals == {"rows": 25, "classified": 18, "unknown": 6, "unknown_kelurahan": 1}
    waste = res.waste.set_index("kode").loc[K2]
    assert waste["n_unknown"] == 2  # the invalid waste answer and the negative weight


def test_issues_are_counted_per_column(survey_csv: Path) -> None:
    res = read_survey(survey_csv)
    issues = res.issues.set_index(["field", "value"])
    assert issues.loc[("toilet", "Z"), "count"] == 2
    assert issues.loc[("toilet", "Z"), "code"] == "SAN-W180"
    assert issues.loc[("toilet", "Z"), "column"] == "jenis_kloset"
    assert issues.loc[("use", "K"), "code"] == "SAN-W181"
    assert issues.loc[("disposal", ""), "code"] == "SAN-W181"
    assert issues.loc[("weight", "-1"), "code"] == "SAN-W183"
    assert issues.loc[("desludging", "Q"), "code"] == "SAN-W180"
    assert issues.loc[("desludging", ""), "code"] == "SAN-W184"
    assert issues.loc[("waste", "X"), "code"] == "SAN-W180"
    assert "waste-practice shares only" in issues.loc[("waste", "X"), "rule"]
    unknown = issues.loc[("kelurahan", "99.99.99.9999")]
    assert unknown["code"] == "SAN-W182" and unknown["count"] == 1
    assert "not a Kemendagri 2025" in unknown["rule"]
    assert list(res.issues.columns[:4]) == ["field", "column", "value", "count"]
    # every unknown household is accounted for by at least one issue row
    ladder = res.issues[
        res.issues["field"].isin(["toilet", "use", "disposal", "desludging", "weight"])
    ]
    assert ladder.loc[ladder["code"] != "SAN-W184", "count"].sum() == res.totals["unknown"]
    codes = {p.code for p in res.problems}
    assert {"SAN-W180", "SAN-W181", "SAN-W182", "SAN-W183", "SAN-W184", "SAN-W185"} <= codes


def test_strict_mode_rejects(survey_csv: Path) -> None:
    with pytest.raises(InputErrors) as exc:
        read_survey(survey_csv, strict=True)
    assert exc.value.errors and "SAN-W180" in {p.code for p in exc.value.errors}


def test_missing_and_optional_columns(tmp_path: Path) -> None:
    df, _ = households()
    with pytest.raises(InputErrors) as exc:
        read_survey(write(df.drop(columns="pembuangan_tinja"), tmp_path / "a.csv"))
    [p] = exc.value.problems
    assert p.code == "SAN-E104" and p.column == "pembuangan_tinja"
    res = read_survey(write(df.drop(columns=["bobot", "pembuangan_sampah"]), tmp_path / "b.csv"))
    assert {p.code for p in res.notes} == {"SAN-W186"}
    assert res.waste is None
    k1 = res.shares.set_index("kode").loc[K1]
    assert k1["weight_sum"] == k1["n"]  # every household weighs 1


def test_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "survey.sav"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        read_survey(bad)
    assert exc.value.problems[0].code == "SAN-E100"
    with pytest.raises(InputErrors):
        read_survey(tmp_path / "absent.csv")


def test_kelurahan_names_and_undotted_codes(tmp_path: Path) -> None:
    text = load_mapping().file  # packaged name
    assert text == "ehra_mapping.toml"
    from sanitasi.io.survey import mapping_path

    body = mapping_path("ehra").read_text(encoding="utf-8")
    body = body.replace(
        '# [fields.kelurahan.codes]\n# "Tanah Garam" = "13.72.01.1001"',
        '[fields.kelurahan.codes]\n"Tanah Garam" = "13.72.01.1001"',
    )
    (tmp_path / "m.toml").write_text(body, encoding="utf-8")
    df = pd.DataFrame(
        [
            ("Tanah Garam", "A", "A", "A", "B"),
            (" tanah garam ", "A", "A", "A", "B"),
            ("1372011001", "A", "A", "A", "B"),
        ],
        columns=[
            "kode_kelurahan",
            "tempat_bab",
            "jenis_kloset",
            "pembuangan_tinja",
            "septik_dikuras",
        ],
    )
    res = read_survey(write(df, tmp_path / "s.csv"), tmp_path / "m.toml")
    assert res.shares.set_index("kode").loc[K1, "n"] == 3 and res.totals["unknown_kelurahan"] == 0


def test_city_scope(survey_csv: Path) -> None:
    from sanitasi.io.reference import demo_city_dir

    res = read_survey(survey_csv, city_dir=str(demo_city_dir()))
    unknown = res.issues[res.issues["field"].eq("kelurahan")]
    assert set(unknown["value"]) == {"99.99.99.9999", rural_desa()}
    assert "regions.csv" in unknown["rule"].iloc[0]


# --------------------------------------------------------------------------- formats, engines


@pytest.mark.parametrize("engine", ["numpy", "sql"])
def test_csv_xlsx_parquet_give_identical_results(tmp_path: Path, engine: str) -> None:
    df, _ = households()
    results = [
        read_survey(write(df, tmp_path / f"s.{ext}"), engine=engine)
        for ext in ("csv", "xlsx", "parquet")
    ]
    assert results_agree(results[0], results[1])
    assert results_agree(results[0], results[2])
    pd.testing.assert_frame_equal(results[0].shares, results[2].shares)


def test_numeric_parquet_columns(tmp_path: Path) -> None:
    """Susenas-style integer codes and an integer desa code: Parquet (numbers) and CSV (text)
    agree, in both engines."""
    df = pd.DataFrame(
        {
            "kode_desa": [1372011001, 1372011001, 1372011002, 1372011002, 1372011002],
            "fwt": [120.5, 80.0, 100.0, 100.0, 100.0],
            "fasilitas_bab": [1, 2, 4, 5, 9],
            "jenis_kloset": [1, 1, 1, 1, 1],
            "pembuangan_akhir_tinja": [1, 4, 1, 1, 1],
            "septik_dikosongkan": [1, None, 2, 3, 1],
        }
    )
    df["septik_dikosongkan"] = df["septik_dikosongkan"].astype("Int64")
    pq = read_survey(write(df, tmp_path / "s.parquet"), "susenas")
    csv = read_survey(write(df, tmp_path / "s.csv"), "susenas")
    sql = read_survey(tmp_path / "s.parquet", "susenas", engine="sql")
    assert results_agree(pq, csv) and results_agree(pq, sql)
    k1 = pq.shares.set_index("kode").loc[K1]
    assert k1["pct_aman"] == pytest.approx(100 * 120.5 / 200.5)
    assert k1["pct_belum_layak"] == pytest.approx(100 * 80 / 200.5)  # shared urban pit
    assert pq.issues.set_index(["field", "value"]).loc[("use", "9"), "count"] == 1


def test_engines_agree(survey_csv: Path) -> None:
    assert results_agree(
        read_survey(survey_csv, engine="sql"), read_survey(survey_csv, engine="numpy")
    )


def test_sql_case_equals_numpy_rules_on_every_combination() -> None:
    """The SQL CASE of the sql engine and core.classify_codes agree on every combination of
    codes (invalid and missing included), for two windows and both unknown-disposal rungs."""
    years = [np.nan, -2.0, 0.0, 3.0, 5.0, 5.5, np.inf]
    combos = np.array(
        list(
            itertools.product(
                range(-2, len(cs.TOILET)),
                range(-2, len(cs.USE)),
                range(-2, len(cs.DISPOSAL)),
                range(len(years)),
                range(-2, 2),
            )
        )
    )
    t, u, d, yi, urb = (combos[:, i] for i in range(5))
    y = np.array(years)[yi]
    frame = pd.DataFrame({"t": t, "u": u, "d": d, "y": y, "urb": urb})
    frame["y"] = frame["y"].astype("float64")
    con = connect()
    con.register("combos", frame)
    for rules in (
        cs.SurveyRules.from_params(load_parameters()),
        cs.SurveyRules(window_years=3.0, unknown_disposal="layak_sendiri"),
    ):
        # NULL, not NaN, is the SQL "blank": the numpy rules read NaN the same way
        sql = con.execute(
            f"SELECT {rung_case_sql(rules)} AS r FROM (SELECT t, u, d, "
            "CASE WHEN isnan(y) THEN NULL ELSE y END AS y, "
            "CASE WHEN urb = -1 THEN NULL ELSE urb END AS urb FROM combos)"
        ).fetchnumpy()["r"]
        ref = cs.classify_codes(
            t.astype(np.int8), u.astype(np.int8), d.astype(np.int8), y, urb.astype(np.int8), rules
        )
        assert (np.asarray(sql) == ref).all()
    con.close()


def test_synthetic_benchmark_file_engines_agree(tmp_path: Path) -> None:
    from sanitasi.survey_bench import synthetic_survey

    path = tmp_path / "bench.parquet"
    info = synthetic_survey(path, rows=30_000, seed=1, chunk=10_000)
    assert info["rows"] == 30_000 and info["desa"] == 83_762
    a = read_survey(path, engine="numpy", batch_rows=7_000)
    b = read_survey(path, engine="sql")
    assert results_agree(a, b)
    assert a.totals["rows"] == 30_000
    assert (a.issues["field"] == "toilet").any() and (a.issues["field"] == "kelurahan").any()
