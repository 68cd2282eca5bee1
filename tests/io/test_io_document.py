"""The SSK document's city files: swot.csv, pokja.csv, need_agency.csv and the document
columns of programme.csv (docs/city-data.md §12): every problem with file, line, column,
value and rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanitasi.io.document import (
    nomenclature,
    read_document,
    swot_weight_sums,
)
from sanitasi.io.errors import Problem
from sanitasi.io.programme import load_programme, read_programme
from sanitasi.io.reference import demo_city_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), dest)
    return dest


def _read(folder: Path) -> list[Problem]:
    prog = load_programme(folder)
    doc, problems = read_document(folder, prog)
    assert doc is None or not [p for p in problems if p.is_error]
    return problems


def test_demo_document_inputs() -> None:
    prog = load_programme(None)
    doc, problems = read_document(None, prog)
    assert problems == [] and doc is not None
    assert doc.swot is not None and len(doc.swot) == 17
    sums = swot_weight_sums(doc.swot)
    assert ((sums["weight"] - 1).abs() < 1e-9).all()  # internal and external sum to 1
    assert doc.decree_number == "ILUSTRATIF/188.45/2024" and doc.decree_date == "2024-03-01"
    assert doc.pokja is not None and list(doc.pokja["position"][:2]) == ["pengarah", "ketua"]
    assert list(doc.need_agency_city["need"]) == ["vacuum_truck"]
    # every reference row carries a status; the sub-kegiatan numbers are unverified
    nom = nomenclature()
    assert set(nom.loc[nom["level"] == "sub_kegiatan", "status"]) == {"unverified"}
    assert nom.set_index("code").loc["1.03.05", "status"] == "sourced"


def test_demo_programme_nomenclature_and_readiness() -> None:
    acts = load_programme(None).activities.set_index("code")
    assert acts.loc["ALD-01", "sub_kegiatan"] == "1.03.05.2.01.0044"
    assert acts.loc["ALD-03", "sub_kegiatan"] == "1.03.05.2.01.0029"
    assert acts.loc["PS-01", "sub_kegiatan"] == "2.11.11.2.01.0005"
    assert acts.loc["PS-05", "sub_kegiatan"] == "1.03.04.1.01"
    assert acts.loc["PS-01", "ready_land"] == "no"
    assert acts.loc["ALD-03", "ready_land"] == "in_progress"


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_bad_swot_lists_every_problem(folder: Path) -> None:
    _write(
        folder / "swot.csv",
        "sector,id,kind,factor,weight,rating,activities\n"
        "ald,A1,S,strength,0.5,3,ALD-01\n"  # line 2
        "ald,A1,X,odd kind,0.5,2,\n"  # line 3: kind X; id A1 repeated
        "ald,A3,W,weakness,0.7,5,NOPE-9\n"  # line 4: rating 5; unknown activity
        "air,A4,O,opportunity,1.2,2,\n"  # line 5: sector; weight > 1
        "persampahan,P1,S,,0.4,2,\n"  # line 6: factor empty; persampahan has no O/T
        "persampahan,P2,W,weakness,lima,2,\n",  # line 7: weight text
    )
    problems = _read(folder)
    got = {(p.code, p.row, p.column) for p in problems}
    assert ("SAN-E024", 3, "kind") in got
    assert ("SAN-E012", 3, "id") in got
    assert ("SAN-E191", 4, "rating") in got
    assert ("SAN-E194", 4, "activities") in got
    assert ("SAN-E024", 5, "sector") in got
    assert ("SAN-E011", 5, "weight") in got
    assert ("SAN-E027", 6, "factor") in got
    assert ("SAN-E016", 7, "weight") in got
    # ald internal: S 0.5 + W 0.7 = 1.2 (line 3's kind X is not internal) -> not 1
    e192 = [p for p in problems if p.code == "SAN-E192"]
    assert any("1.2" in p.rule and "ald" in p.rule for p in e192)
    # ald has no external factor; persampahan has no external factor either
    e193 = [p for p in problems if p.code == "SAN-E193"]
    assert {("ald" in p.rule, "persampahan" in p.rule) for p in e193} >= {(True, False)}
    assert len(e193) == 2
    unknown = next(p for p in problems if p.code == "SAN-E194")
    assert unknown.value == "NOPE-9" and unknown.file == "swot.csv"


def test_bad_pokja_and_need_agency(folder: Path) -> None:
    _write(
        folder / "pokja.csv",
        "position,name,agency,decree_number,decree_date\n"
        "ketua,Kepala Bappeda,BAPPEDA,SK-1/2024,2024-03-01\n"
        "anggota,Kepala X,NOPE,SK-2/2024,01/03/2024\n",
    )
    _write(
        folder / "need_agency.csv",
        "need,sector,agency\n"
        "tps3r,persampahan,DLH\n"
        "tps3r,persampahan,PUPR\n"  # repeated
        "nuclear_plant,ald,PUPR\n"  # unknown need
        "tps3r,ald,DLH\n"  # tps3r is not an ald need
        "vacuum_truck,ald,XX\n",  # unknown agency
    )
    got = {(p.file, p.code, p.row, p.column) for p in _read(folder)}
    assert ("pokja.csv", "SAN-E040", 3, "agency") in got
    assert ("pokja.csv", "SAN-E190", 3, "decree_number") in got
    assert ("pokja.csv", "SAN-E190", 3, "decree_date") in got
    assert ("pokja.csv", "SAN-E043", 3, "decree_date") in got
    assert ("need_agency.csv", "SAN-E012", 3, "need") in got
    assert ("need_agency.csv", "SAN-E195", 4, "need") in got
    assert ("need_agency.csv", "SAN-E195", 5, "need") in got
    assert ("need_agency.csv", "SAN-E040", 6, "agency") in got


def test_programme_document_columns_checked(folder: Path) -> None:
    path = folder / "programme.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("1.03.05.2.01.0022", "9.99.99", 1).replace(
        ",yes,yes,yes,yes,,", ",yes,maybe,yes,yes,,", 1
    )
    path.write_text(text, encoding="utf-8")
    load = read_programme(folder)
    e024 = [p for p in load.problems if p.code == "SAN-E024" and p.column == "ready_ded"]
    assert len(e024) == 1 and e024[0].value == "maybe"
    # the nomenclature is checked against the reference with the document's inputs
    path.write_text(text.replace(",yes,maybe,", ",yes,yes,", 1), encoding="utf-8")
    problems = _read(folder)
    e196 = [p for p in problems if p.code == "SAN-E196"]
    assert [(p.value, p.file) for p in e196] == [("9.99.99", "programme.csv (activity ALD-06)")]


def test_swot_template_round_trip_and_bad_rows(folder: Path, tmp_path: Path) -> None:
    import openpyxl

    from sanitasi.io.errors import InputErrors
    from sanitasi.io.templates import export_template, import_workbook

    xlsx = tmp_path / "swot.xlsx"
    export_template("swot", folder, xlsx)
    before = (folder / "swot.csv").read_bytes()
    report = import_workbook(xlsx, folder)
    assert report.written == () and report.unchanged == 17
    assert (folder / "swot.csv").read_bytes() == before  # byte-identical round trip
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["swot"]
    header = {str(c.value): i + 1 for i, c in enumerate(ws[1])}
    ws.cell(row=2, column=header["rating"], value=7)  # Excel row 2: rating out of 1-4
    ws.cell(row=3, column=header["kind"], value="X")  # Excel row 3: unknown kind
    wb.save(xlsx)
    with pytest.raises(InputErrors) as err:
        import_workbook(xlsx, folder)
    got = {(p.file, p.code, p.row, p.column) for p in err.value.problems}
    assert ("swot.xlsx [swot]", "SAN-E191", 2, "rating") in got
    assert ("swot.xlsx [swot]", "SAN-E024", 3, "kind") in got
    assert (folder / "swot.csv").read_bytes() == before  # nothing written
