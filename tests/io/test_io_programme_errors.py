"""Bad programme input: each case breaks ONE thing in a copy of the demo and checks the
problem's code, file, line, column and value; nothing is half-read (no inputs returned)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from io_fixtures import CityFolder

from sanitasi.io.errors import InputErrors, Problem
from sanitasi.io.programme import load_programme, read_programme

PRG = "programme.csv"
REA = "realisation.csv"
MTG = "meetings.csv"
ACT = "action_items.csv"
AGE = "agencies.csv"
REG = "regions.csv"


def _where(p: Problem) -> tuple[object, ...]:
    return (p.code, p.file, p.row, p.column, p.value)


def problems(city: CityFolder, code: str, **kwargs: object) -> list[Problem]:
    result = read_programme(city.path, **kwargs)  # type: ignore[arg-type]
    found = [p for p in result.problems if p.code == code]
    if found and found[0].is_error:
        assert result.inputs is None
    return found


def one(city: CityFolder, code: str, **kwargs: object) -> Problem:
    found = problems(city, code, **kwargs)
    assert len(found) == 1, [str(p) for p in read_programme(city.path).problems]
    return found[0]


# --------------------------------------------------------------------------- files, columns


@pytest.mark.parametrize("name", [AGE, PRG])
def test_missing_required_file(city: CityFolder, name: str) -> None:
    city.file(name).unlink()
    p = one(city, "SAN-E001")
    assert (p.file, p.row) == (name, None) and f"{name} is missing" in p.rule


def test_missing_regions_without_city_kode(city: CityFolder) -> None:
    city.file(REG).unlink()
    assert one(city, "SAN-E001").file == REG


@pytest.mark.parametrize(
    ("name", "column"),
    [
        (PRG, "effect"),
        (PRG, "lead_agency"),
        (PRG, "sasaran"),
        (REA, "quarter"),
        (MTG, "date"),
        (ACT, "owner_agency"),
        (AGE, "code"),
    ],
)
def test_missing_required_column(city: CityFolder, name: str, column: str) -> None:
    city.drop_column(name, column)
    p = one(city, "SAN-E002")
    assert _where(p) == ("SAN-E002", name, 1, column, None)


def test_action_items_without_state_column(city: CityFolder) -> None:
    city.drop_column(ACT, "status")
    p = one(city, "SAN-E002")
    assert _where(p) == ("SAN-E002", ACT, 1, "status", None)


def test_planned_cost_column_missing_for_a_year(city: CityFolder) -> None:
    city.drop_column(PRG, "planned_cost_2027")
    p = one(city, "SAN-E002")
    assert _where(p) == ("SAN-E002", PRG, 1, "planned_cost_2027", None)


def test_no_planned_columns(city: CityFolder) -> None:
    for y in range(2025, 2030):
        city.drop_column(PRG, f"planned_output_{y}")
        city.drop_column(PRG, f"planned_cost_{y}")
    p = one(city, "SAN-E002")
    assert _where(p) == ("SAN-E002", PRG, 1, "planned_output_YYYY", None)


def test_planned_year_out_of_range(city: CityFolder) -> None:
    rows = city.read(PRG)
    rows[0] = [*rows[0], "planned_output_1850", "planned_cost_1850"]
    rows[1:] = [[*r, "0", "0"] for r in rows[1:]]
    city.write(PRG, rows)
    found = {(p.column, p.value) for p in problems(city, "SAN-E014")}
    assert found == {("planned_output_1850", "1850")}


def test_file_not_utf8(city: CityFolder) -> None:
    data = city.file(MTG).read_bytes().replace(b"Akmal Room", "Akmál Room".encode("latin-1"))
    city.file(MTG).write_bytes(data)
    p = one(city, "SAN-E003")
    assert p.file == MTG and "not UTF-8" in p.rule


# --------------------------------------------------------------------------- agencies


def test_unknown_lead_agency(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-03")
    city.set(PRG, line, "lead_agency", "DINAS_X")
    p = one(city, "SAN-E040")
    assert _where(p) == ("SAN-E040", PRG, line, "lead_agency", "DINAS_X")
    assert "not an agency code of agencies.csv" in p.rule and "BAPPEDA" in p.rule


def test_unknown_supporting_agency(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-01")
    city.set(PRG, line, "support_agencies", "DLH;NOPE;DINKES")
    p = one(city, "SAN-E040")
    assert _where(p) == ("SAN-E040", PRG, line, "support_agencies", "NOPE")


def test_unknown_meeting_participant(city: CityFolder) -> None:
    line = city.line_of(MTG, id="MTG-01")
    value = city.get(MTG, line, "participants")
    city.set(MTG, line, "participants", value + ";WALIKOTA")
    p = one(city, "SAN-E040")
    assert _where(p) == ("SAN-E040", MTG, line, "participants", "WALIKOTA")


def test_unknown_action_owner(city: CityFolder) -> None:
    line = city.line_of(ACT, owner_agency="PUPR")
    city.set(ACT, line, "owner_agency", "PU")
    p = one(city, "SAN-E040")
    assert _where(p) == ("SAN-E040", ACT, line, "owner_agency", "PU")


def test_duplicate_agency_code(city: CityFolder) -> None:
    line = city.append(AGE, code="dlh", name_id="DLH lagi", kind="government")
    p = one(city, "SAN-E012")
    assert _where(p) == ("SAN-E012", AGE, line, "code", "dlh")
    assert "line 6" in p.rule


def test_agency_kode_outside_city(city: CityFolder) -> None:
    line = city.line_of(AGE, code="KEC_LS")
    city.set(AGE, line, "kode", "13.71.01")
    p = one(city, "SAN-E006")
    assert _where(p) == ("SAN-E006", AGE, line, "kode", "13.71.01")


def test_agency_kind_not_allowed(city: CityFolder) -> None:
    line = city.line_of(AGE, code="KSM")
    city.set(AGE, line, "kind", "ngo")
    assert _where(one(city, "SAN-E024")) == ("SAN-E024", AGE, line, "kind", "ngo")


def test_agency_kode_province_is_fine(city: CityFolder) -> None:
    line = city.line_of(AGE, code="BPPW_SUMBAR")
    city.set(AGE, line, "kode", "13")
    assert read_programme(city.path).problems == ()


# --------------------------------------------------------------------------- locations


def test_location_not_an_official_code(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-02")
    city.set(PRG, line, "location_kode", "13.72.02.1099")
    p = one(city, "SAN-E004")
    assert _where(p) == ("SAN-E004", PRG, line, "location_kode", "13.72.02.1099")


def test_location_outside_the_city(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-02")
    city.set(PRG, line, "location_kode", "13.71.01.1001")
    p = one(city, "SAN-E006")
    assert _where(p) == ("SAN-E006", PRG, line, "location_kode", "13.71.01.1001")
    assert "not inside the kab/kota 13.72" in p.rule


def test_location_province_is_not_the_city(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-01")
    city.set(PRG, line, "location_kode", "13")
    assert _where(one(city, "SAN-E006"))[2:] == (line, "location_kode", "13")


def test_location_not_in_regions_csv(city: CityFolder) -> None:
    assert city.drop_rows(REG, kode="13.72.02.1006") == 1
    line = city.line_of(PRG, code="ALD-02")
    p = one(city, "SAN-E005")
    assert _where(p) == ("SAN-E005", PRG, line, "location_kode", "13.72.02.1006")


def test_location_kecamatan_added_as_ancestor(city: CityFolder) -> None:
    # the kecamatan rows may be left out of regions.csv: they are ancestors of listed kelurahan
    city.drop_rows(REG, kode="13.72.02")
    assert read_programme(city.path).problems == ()


def test_city_kode_differs_from_regions(city: CityFolder) -> None:
    p = one(city, "SAN-E045", city_kode="13.71")
    assert _where(p) == ("SAN-E045", REG, None, None, "13.71")


def test_city_kode_not_a_city(city: CityFolder) -> None:
    city.file(REG).unlink()
    p = one(city, "SAN-E004", city_kode="13.99")
    assert (p.file, p.value) == ("city_kode", "13.99")


def test_city_kode_without_regions_checks_official_list(city: CityFolder) -> None:
    city.file(REG).unlink()
    line = city.line_of(PRG, code="ALD-02")
    city.set(PRG, line, "location_kode", "13.71.01.1001")
    p = one(city, "SAN-E006", city_kode="13.72")
    assert (p.row, p.column) == (line, "location_kode")


# --------------------------------------------------------------------------- programme values


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("sector", "drainase"),
        ("funding_source", "APBD"),
        ("plan_profile", "monthly"),
        ("sasaran", "pct_sewer"),
        ("status", "guess"),
    ],
)
def test_value_not_allowed(city: CityFolder, column: str, value: str) -> None:
    line = city.line_of(PRG, code="PS-02")
    city.set(PRG, line, column, value)
    p = one(city, "SAN-E024")
    assert _where(p) == ("SAN-E024", PRG, line, column, value)
    assert "must be one of" in p.rule


@pytest.mark.parametrize(
    ("effect", "reason"),
    [
        ("hh:belum_layak->aman:1", "must name its service"),
        ("hh:belum_layak->sewer@l2t2:1", "is not a ladder rung"),
        ("tpd:unmanaged->pengurangan", "not of the form"),
        ("cap:kolam:2", "capacity kind 'kolam'"),
        ("cap:tpa_m3:0", "must be > 0"),
        ("tpd:unmanaged->pengurangan:0.2;;cap:tpa_m3:1", "empty term"),
    ],
)
def test_malformed_effect(city: CityFolder, effect: str, reason: str) -> None:
    line = city.line_of(PRG, code="PS-01")
    city.set(PRG, line, "effect", effect)
    p = one(city, "SAN-E041")
    assert _where(p) == ("SAN-E041", PRG, line, "effect", effect)
    assert reason in p.rule and "hh:FROM->TO:N" in p.rule


def test_blank_effect(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-08")
    city.set(PRG, line, "effect", "")
    assert _where(one(city, "SAN-E027")) == ("SAN-E027", PRG, line, "effect", "")


def test_negative_planned_output(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-01")
    city.set(PRG, line, "planned_output_2026", "-150")
    p = one(city, "SAN-E009")
    assert _where(p) == ("SAN-E009", PRG, line, "planned_output_2026", "-150")


def test_text_in_planned_cost(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-01")
    city.set(PRG, line, "planned_cost_2025", "720.000.000")
    p = one(city, "SAN-E016")
    assert _where(p) == ("SAN-E016", PRG, line, "planned_cost_2025", "720.000.000")


def test_duplicate_activity_code(city: CityFolder) -> None:
    rows = city.read(PRG)
    rows.append(list(rows[3]))
    city.write(PRG, rows)
    p = one(city, "SAN-E012")
    assert _where(p) == ("SAN-E012", PRG, 18, "code", "ALD-03")
    assert "line 4" in p.rule


def test_blank_required_text(city: CityFolder) -> None:
    line = city.line_of(PRG, code="PS-06")
    city.set(PRG, line, "output_unit", "")
    assert _where(one(city, "SAN-E027")) == ("SAN-E027", PRG, line, "output_unit", "")


# --------------------------------------------------------------------------- realisation


def test_realisation_for_unknown_activity(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="PS-03", year="2025", quarter="2")
    city.set(REA, line, "activity_code", "PS-99")
    p = one(city, "SAN-E042")
    assert _where(p) == ("SAN-E042", REA, line, "activity_code", "PS-99")


@pytest.mark.parametrize("quarter", ["5", "0", "2.5"])
def test_quarter_out_of_range(city: CityFolder, quarter: str) -> None:
    line = city.line_of(REA, activity_code="ALD-01", year="2026", quarter="1")
    city.set(REA, line, "quarter", quarter)
    p = one(city, "SAN-E024")
    assert _where(p) == ("SAN-E024", REA, line, "quarter", quarter)
    assert "1, 2, 3, 4" in p.rule


def test_quarter_as_text(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="ALD-01", year="2026", quarter="1")
    city.set(REA, line, "quarter", "Q1")
    assert _where(one(city, "SAN-E016")) == ("SAN-E016", REA, line, "quarter", "Q1")


def test_duplicate_realisation_quarter(city: CityFolder) -> None:
    first = city.line_of(REA, activity_code="PS-04", year="2025", quarter="3")
    line = city.line_of(REA, activity_code="PS-04", year="2025", quarter="4")
    city.set(REA, line, "quarter", "3")
    p = one(city, "SAN-E012")
    assert _where(p) == ("SAN-E012", REA, line, "quarter", "3")
    assert f"line {first}" in p.rule and "activity_code/year/quarter" in p.rule


def test_state_not_allowed(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="PS-06", year="2026", quarter="3")
    city.set(REA, line, "state", "approved")
    p = one(city, "SAN-E024")
    assert _where(p) == ("SAN-E024", REA, line, "state", "approved")
    assert "draft, submitted, verified" in p.rule


def test_negative_realised_output(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="ALD-04", year="2025", quarter="1")
    city.set(REA, line, "output_achieved", "-40")
    assert _where(one(city, "SAN-E009")) == ("SAN-E009", REA, line, "output_achieved", "-40")


def test_text_in_realised_cost(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="ALD-04", year="2025", quarter="1")
    city.set(REA, line, "cost_spent_idr", "10 juta")
    assert _where(one(city, "SAN-E016")) == ("SAN-E016", REA, line, "cost_spent_idr", "10 juta")


def test_blank_realised_output(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="ALD-04", year="2025", quarter="1")
    city.set(REA, line, "output_achieved", "")
    assert _where(one(city, "SAN-E010")) == ("SAN-E010", REA, line, "output_achieved", "")


def test_realisation_year_outside_programme_is_a_warning(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="ALD-04", year="2025", quarter="1")
    city.set(REA, line, "year", "2024")
    p = one(city, "SAN-W143")
    assert _where(p) == ("SAN-W143", REA, line, "year", "2024") and not p.is_error
    assert read_programme(city.path).inputs is not None


# --------------------------------------------------------------------------- meetings, actions


def test_meeting_kind_not_allowed(city: CityFolder) -> None:
    line = city.line_of(MTG, id="MTG-02")
    city.set(MTG, line, "kind", "workshop")
    assert _where(one(city, "SAN-E024")) == ("SAN-E024", MTG, line, "kind", "workshop")


def test_milestone_not_allowed(city: CityFolder) -> None:
    line = city.line_of(MTG, id="MTG-03")
    city.set(MTG, line, "milestone", "M5")
    p = one(city, "SAN-E024")
    assert _where(p) == ("SAN-E024", MTG, line, "milestone", "M5")
    assert "M1, M2, M3, M4 or blank" in p.rule


@pytest.mark.parametrize("date", ["20/07/2023", "2023-7-20", "2025-02-30", "kemarin"])
def test_meeting_date_not_iso(city: CityFolder, date: str) -> None:
    line = city.line_of(MTG, id="MTG-01")
    city.set(MTG, line, "date", date)
    p = one(city, "SAN-E043")
    assert _where(p) == ("SAN-E043", MTG, line, "date", date)
    assert "YYYY-MM-DD" in p.rule


def test_duplicate_meeting_id(city: CityFolder) -> None:
    line = city.line_of(MTG, id="MTG-03")
    city.set(MTG, line, "id", "MTG-02")
    assert _where(one(city, "SAN-E012"))[:4] == ("SAN-E012", MTG, line, "id")


def test_action_for_unknown_meeting(city: CityFolder) -> None:
    line = city.line_of(ACT, owner_agency="PUPR")
    city.set(ACT, line, "meeting_id", "MTG-44")
    p = one(city, "SAN-E044")
    assert _where(p) == ("SAN-E044", ACT, line, "meeting_id", "MTG-44")


def test_action_status_not_allowed(city: CityFolder) -> None:
    line = city.line_of(ACT, owner_agency="PUPR")
    city.set(ACT, line, "status", "late")
    p = one(city, "SAN-E024")
    assert _where(p) == ("SAN-E024", ACT, line, "status", "late")
    assert "open, done" in p.rule


def test_action_due_date_not_iso(city: CityFolder) -> None:
    line = city.line_of(ACT, owner_agency="PUPR")
    city.set(ACT, line, "due_date", "15 Desember 2025")
    assert _where(one(city, "SAN-E043"))[:4] == ("SAN-E043", ACT, line, "due_date")


def test_action_meeting_date_differs_is_a_warning(city: CityFolder) -> None:
    line = city.line_of(ACT, owner_agency="PUPR")
    city.set(ACT, line, "meeting_date", "2025-07-11")
    p = one(city, "SAN-W144")
    assert _where(p) == ("SAN-W144", ACT, line, "meeting_date", "2025-07-11")
    assert "(2025-07-10)" in p.rule


# --------------------------------------------------------------------------- warnings


def test_lead_agency_also_supporting(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-06")
    city.set(PRG, line, "support_agencies", "BAPPEDA;DLH")
    p = one(city, "SAN-W140")
    assert _where(p) == ("SAN-W140", PRG, line, "support_agencies", "DLH")


def test_effect_of_other_sector(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-06")
    city.set(PRG, line, "effect", "cap:truk_sampah:1")
    p = one(city, "SAN-W141")
    assert _where(p)[:4] == ("SAN-W141", PRG, line, "effect")
    assert "belongs to sector persampahan" in p.rule


def test_sasaran_of_other_sector(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-07")
    city.set(PRG, line, "sasaran", "pct_waste_managed")
    p = one(city, "SAN-W142")
    assert _where(p) == ("SAN-W142", PRG, line, "sasaran", "pct_waste_managed")


def test_warnings_do_not_stop_the_load(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-06")
    city.set(PRG, line, "support_agencies", "BAPPEDA;DLH")
    with pytest.warns(UserWarning, match="SAN-W140"):
        inputs = load_programme(city.path)
    assert len(inputs.activities) == 16
    with pytest.raises(InputErrors):
        load_programme(city.path, strict=True)


# --------------------------------------------------------------------------- all at once


def test_every_problem_of_every_file_is_reported(city: CityFolder) -> None:
    city.set(PRG, city.line_of(PRG, code="ALD-03"), "lead_agency", "DINAS_X")
    city.set(PRG, city.line_of(PRG, code="PS-01"), "effect", "tpd:unmanaged")
    city.set(
        REA, city.line_of(REA, activity_code="ALD-01", year="2026", quarter="1"), "quarter", "5"
    )
    city.set(MTG, city.line_of(MTG, id="MTG-01"), "date", "20-07-2023")
    city.set(ACT, city.line_of(ACT, owner_agency="PUPR"), "meeting_id", "MTG-44")
    with pytest.raises(InputErrors) as info:
        load_programme(city.path)
    codes = sorted((p.code, p.file) for p in info.value.errors)
    assert codes == [
        ("SAN-E024", REA),
        ("SAN-E040", PRG),
        ("SAN-E041", PRG),
        ("SAN-E043", MTG),
        ("SAN-E044", ACT),
    ]


def test_bad_programme_row_does_not_cascade_to_realisation(city: CityFolder) -> None:
    # a programme row with an error still defines its code: its realisation is not "unknown"
    city.set(PRG, city.line_of(PRG, code="ALD-03"), "sector", "drainase")
    codes = {p.code for p in read_programme(city.path).problems}
    assert codes == {"SAN-E024"}


# --------------------------------------------------------------------------- budgets work


@pytest.mark.parametrize(("value", "code"), [("120", "SAN-E011"), ("-5", "SAN-E009")])
def test_progress_out_of_range(city: CityFolder, value: str, code: str) -> None:
    line = city.line_of(REA, activity_code="ALD-03", year="2026", quarter="2")
    city.set(REA, line, "progress_pct", value)
    p = one(city, code)
    assert _where(p) == (code, REA, line, "progress_pct", value)
    if code == "SAN-E011":
        assert "between 0 and 100" in p.rule


def test_progress_as_text(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="ALD-03", year="2026", quarter="2")
    city.set(REA, line, "progress_pct", "25%")
    assert _where(one(city, "SAN-E016")) == ("SAN-E016", REA, line, "progress_pct", "25%")


def test_progress_only_for_completion_works(city: CityFolder) -> None:
    # ALD-01 (septic tanks, linear profile) is counted per tank: a progress is refused
    line = city.line_of(REA, activity_code="ALD-01", year="2026", quarter="2")
    city.set(REA, line, "progress_pct", "40")
    p = one(city, "SAN-E050")
    assert _where(p) == ("SAN-E050", REA, line, "progress_pct", "40")
    assert "ALD-01" in p.rule and "linear" in p.rule and "completion" in p.rule
    assert "ALD-01" in p.message_id


def test_progress_column_is_optional(city: CityFolder) -> None:
    city.drop_column(REA, "progress_pct")
    inputs = load_programme(city.path)
    assert inputs.realisation["progress_pct"].isna().all()


def test_adopted_on_is_read_and_must_be_iso(city: CityFolder) -> None:
    rows = city.read(PRG)
    rows[0].append("adopted_on")
    for r in rows[1:]:
        r.append("")
    city.write(PRG, rows)
    line = city.line_of(PRG, code="PS-02")
    city.set(PRG, line, "adopted_on", "2026-08-15")
    a = load_programme(city.path).activities.set_index("code")["adopted_on"]
    assert a["PS-02"] == pd.Timestamp("2026-08-15") and a.drop("PS-02").isna().all()
    city.set(PRG, line, "adopted_on", "15/08/2026")
    assert _where(one(city, "SAN-E043")) == ("SAN-E043", PRG, line, "adopted_on", "15/08/2026")


def test_realisation_of_a_quarter_not_started(city: CityFolder) -> None:
    # as of 30 Sep 2026 the 2026 Q4 row cannot exist yet: SAN-E049 naming row, activity,
    # year, quarter and the start of the quarter
    line = city.append(
        REA,
        activity_code="ALD-04",
        year="2026",
        quarter="4",
        output_achieved="50",
        cost_spent_idr="12500000",
        state="draft",
    )
    p = one(city, "SAN-E049", as_of=dt.date(2026, 9, 30))
    assert _where(p) == ("SAN-E049", REA, line, "quarter", "4")
    assert "ALD-04" in p.rule and "2026 Q4" in p.rule and "2026-10-01" in p.rule
    assert "2026-09-30" in p.rule and "T4 2026" in p.message_id
    # a quarter that has started (1 Oct) is allowed, even before it ends
    assert problems(city, "SAN-E049", as_of=dt.date(2026, 10, 1)) == []
    # without an as-of date the rule is not applied; a report through Q3 does not read Q4
    assert problems(city, "SAN-E049") == []
    through = {"as_of": dt.date(2026, 9, 30), "through": (2026, 3)}
    assert problems(city, "SAN-E049", **through) == []
    with pytest.raises(InputErrors):
        load_programme(city.path, as_of=dt.date(2026, 9, 30), through=(2026, 4))
