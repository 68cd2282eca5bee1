"""Loading the programme side of a city: the Kota Solok demo, optional files and layouts."""

from __future__ import annotations

import pandas as pd
import pytest
from io_fixtures import CityFolder

from sanitasi.core.programme import ProgrammeInputs
from sanitasi.io.programme import load_programme, read_programme

PRG = "programme.csv"
REA = "realisation.csv"
MTG = "meetings.csv"
ACT = "action_items.csv"
AGE = "agencies.csv"


@pytest.fixture(scope="module")
def demo() -> ProgrammeInputs:
    return load_programme()


def test_demo_loads_cleanly() -> None:
    result = read_programme()
    assert result.problems == ()
    assert result.inputs is not None


def test_demo_activities(demo: ProgrammeInputs) -> None:
    a = demo.activities
    assert len(a) == 16  # ALD-01..08, PS-01..08
    assert a["code"].is_unique
    assert list(a.columns) == [
        "city_kode",
        "code",
        "sector",
        "urgent_problem",
        "strategic_issue",
        "objective",
        "sasaran",
        "strategy",
        "programme",
        "activity",
        "output_unit",
        "lead_agency",
        "support_agencies",
        "location_kode",
        "funding_source",
        "plan_profile",
        "effect",
        "status",
        "adopted_on",
        # the SSK document's columns (nomenclature code and readiness; blank when absent)
        "sub_kegiatan",
        "ready_land",
        "ready_ded",
        "ready_env_doc",
        "ready_operator",
        "readiness_note",
    ]
    # the demo's activities were all adopted before the plan period (no adopted_on column)
    assert a["adopted_on"].isna().all()
    assert pd.api.types.is_datetime64_any_dtype(a["adopted_on"])
    r = a.set_index("code")
    assert r.at["ALD-01", "support_agencies"] == ("DLH", "DINKES", "KEC_LS", "KEC_TH")
    assert r.at["ALD-02", "location_kode"] == "13.72.02.1006"
    assert r.at["ALD-02", "plan_profile"] == "apbd"
    assert {c for c in r.index if r.at[c, "plan_profile"] == "completion"} == {
        "ALD-03",
        "ALD-05",
        "PS-05",
    }
    assert r.at["PS-05", "funding_source"] == "APBD_PROV"
    # kkl_issue feeds both levels of the KKL chain when the file has no separate columns
    assert (a["urgent_problem"] == a["strategic_issue"]).all()
    assert r.at["ALD-04", "urgent_problem"].startswith("Few septic tanks")
    assert set(a["sector"]) == {"ald", "persampahan"}


def test_demo_planned_years(demo: ProgrammeInputs) -> None:
    p = demo.planned
    assert list(p.columns) == ["city_kode", "code", "year", "planned_output", "planned_cost_idr"]
    assert sorted(p["year"].unique()) == [2025, 2026, 2027, 2028, 2029]
    assert len(p) == 16 * 5
    row = p[(p["code"] == "ALD-01") & (p["year"] == 2026)].iloc[0]
    assert (row["planned_output"], row["planned_cost_idr"]) == (150.0, 900_000_000.0)
    assert p["year"].dtype == "int64" and p["planned_output"].dtype == "float64"
    ps07 = p[p["code"] == "PS-07"].set_index("year")["planned_cost_idr"]
    assert ps07[2025] == 250_000_000 and ps07[2029] == 60_000_000


def test_demo_realisation(demo: ProgrammeInputs) -> None:
    r = demo.realisation
    assert len(r) == 108  # 15 activities x 7 quarters + PS-08's three 2026 quarters
    assert r["quarter"].between(1, 4).all()
    q3 = r[(r["year"] == 2026) & (r["quarter"] == 3)]
    assert len(q3) == 16 and (q3["state"] == "submitted").all()
    assert (r.drop(q3.index)["state"] == "verified").all()
    ps04 = r[(r["activity_code"] == "PS-04") & (r["year"] == 2025)]
    assert ps04["cost_spent_idr"].sum() == 784_000_000
    assert r.iloc[0]["note"] == "No activity this quarter."
    # progres fisik only on the works counted at completion (ALD-03, ALD-05, PS-05)
    given = r[r["progress_pct"].notna()]
    assert set(given["activity_code"]) == {"ALD-03", "ALD-05", "PS-05"}
    ps05 = given[given["activity_code"] == "PS-05"].set_index("quarter")["progress_pct"]
    assert ps05.to_dict() == {2: 15.0, 3: 50.0, 4: 87.5}
    assert r["progress_pct"].dtype == "float64"


def test_demo_meetings(demo: ProgrammeInputs) -> None:
    m = demo.meetings
    assert len(m) == 10
    cc2 = m[m["date"] == pd.Timestamp("2023-07-20")]
    assert len(cc2) == 1
    cc2_row = cc2.iloc[0]
    assert cc2_row["kind"] == "coaching_clinic" and cc2_row["milestone"] == ""
    assert len(cc2_row["participants"]) == 12
    assert {"BAPPEDA", "BPPW_SUMBAR", "KOTAKU", "FKS", "PFI"} <= set(cc2_row["participants"])
    assert cc2_row["status"] == "sourced"
    assert set(m["milestone"]) == {"", "M1", "M2", "M3", "M4"}
    assert pd.api.types.is_datetime64_any_dtype(m["date"])


def test_demo_action_items(demo: ProgrammeInputs) -> None:
    ai = demo.action_items
    assert len(ai) == 15
    assert list(ai.columns) == [
        "city_kode",
        "meeting_id",
        "action",
        "owner_agency",
        "due_date",
        "state",
        "status",
    ]
    assert set(ai["state"]) == {"open", "done"}
    assert (ai["status"] == "illustrative").all()
    assert "MTG-01" not in set(ai["meeting_id"])  # nothing invented for the real meeting
    assert pd.api.types.is_datetime64_any_dtype(ai["due_date"])


def test_demo_agencies_and_city(demo: ProgrammeInputs) -> None:
    ag = demo.agencies.set_index("code")
    assert len(ag) == 14
    assert ag.at["KEC_TH", "kode"] == "13.72.02"
    assert ag.at["BPPW_SUMBAR", "kind"] == "partner"
    for name in ("agencies", "activities", "planned", "realisation", "meetings", "action_items"):
        table = getattr(demo, name)
        assert (table["city_kode"] == "13.72").all(), name


def test_demo_effects_parse(demo: ProgrammeInputs) -> None:
    effects = demo.effects()
    assert len(effects) == 16
    ps01 = effects[("13.72", "PS-01")]
    assert [str(e) for e in ps01] == [
        "tpd:unmanaged->pengurangan:0.2",
        "tpd:unmanaged->penanganan:0.3",
    ]
    assert effects[("13.72", "ALD-07")] == ()


def test_demo_sources(demo: ProgrammeInputs) -> None:
    assert demo.sources["activities"].endswith("programme.csv")
    assert demo.sources["realisation"].endswith("realisation.csv")


def test_copy_of_demo_loads(city: CityFolder) -> None:
    inputs = load_programme(city.path)
    assert len(inputs.activities) == 16
    assert inputs.sources["city_dir"] == str(city.path)


# --------------------------------------------------------------------------- layouts


def test_optional_files_absent(city: CityFolder) -> None:
    for name in (REA, MTG, ACT):
        city.file(name).unlink()
    inputs = load_programme(city.path)
    assert inputs.realisation.empty and list(inputs.realisation.columns)[:3] == [
        "city_kode",
        "activity_code",
        "year",
    ]
    assert inputs.meetings.empty and inputs.action_items.empty
    assert "realisation" not in inputs.sources


def test_missing_state_column_means_verified(city: CityFolder) -> None:
    city.drop_column(REA, "state")
    inputs = load_programme(city.path)
    assert (inputs.realisation["state"] == "verified").all()


def test_blank_state_means_verified(city: CityFolder) -> None:
    line = city.line_of(REA, activity_code="PS-06", year="2026", quarter="3")
    city.set(REA, line, "state", "")
    r = load_programme(city.path).realisation
    row = r[(r["activity_code"] == "PS-06") & (r["year"] == 2026) & (r["quarter"] == 3)]
    assert row.iloc[0]["state"] == "verified"


def test_any_set_of_years(city: CityFolder) -> None:
    rows = city.read(PRG)
    header = rows[0]
    for col in ("planned_output_2025", "planned_cost_2025"):
        i = header.index(col)
        rows = [r[:i] + r[i + 1 :] for r in rows]
        header = rows[0]
    rows[0] = [*header, "planned_output_2030", "planned_cost_2030"]
    rows[1:] = [[*r, "5", "1000"] for r in rows[1:]]
    city.write(PRG, rows)
    result = read_programme(city.path)
    assert result.inputs is not None
    # the 2025 realisation is now outside the planned years: a warning per row
    assert {p.code for p in result.problems} == {"SAN-W143"}
    assert len(result.problems) == 60
    p = result.inputs.planned
    assert sorted(p["year"].unique()) == [2026, 2027, 2028, 2029, 2030]
    assert (p[p["year"] == 2030]["planned_cost_idr"] == 1000).all()


def test_blank_planned_cell_is_zero(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-03")
    city.set(PRG, line, "planned_output_2026", "")
    city.set(PRG, line, "planned_cost_2026", "")
    p = load_programme(city.path).planned
    row = p[(p["code"] == "ALD-03") & (p["year"] == 2026)].iloc[0]
    assert (row["planned_output"], row["planned_cost_idr"]) == (0.0, 0.0)


def test_separate_kkl_columns(city: CityFolder) -> None:
    rows = city.read(PRG)
    rows[0] = [*rows[0], "urgent_problem", "strategic_issue"]
    rows[1:] = [[*r, f"problem {r[0]}", f"issue {r[0]}"] for r in rows[1:]]
    city.write(PRG, rows)
    a = load_programme(city.path).activities.set_index("code")
    assert a.at["ALD-01", "urgent_problem"] == "problem ALD-01"
    assert a.at["ALD-01", "strategic_issue"] == "issue ALD-01"


def test_plan_profile_column_optional(city: CityFolder) -> None:
    city.drop_column(PRG, "plan_profile")
    # without profiles every activity is linear: the demo's progres fisik (completion works
    # only) must go too (SAN-E050 otherwise)
    city.drop_column(REA, "progress_pct")
    assert (load_programme(city.path).activities["plan_profile"] == "linear").all()


def test_codes_case_insensitive(city: CityFolder) -> None:
    line = city.line_of(PRG, code="ALD-01")
    city.set(PRG, line, "lead_agency", "perkim")
    city.set(PRG, line, "support_agencies", "dlh; Dinkes")
    city.set(PRG, line, "funding_source", "dak")
    city.set(PRG, line, "sector", "ALD")
    a = load_programme(city.path).activities.set_index("code")
    assert a.at["ALD-01", "lead_agency"] == "PERKIM"
    assert a.at["ALD-01", "support_agencies"] == ("DLH", "DINKES")
    assert a.at["ALD-01", "funding_source"] == "DAK"
    assert a.at["ALD-01", "sector"] == "ald"


def test_action_items_with_state_column(city: CityFolder) -> None:
    rows = city.read(ACT)
    header = rows[0]
    header[header.index("status")] = "state"
    header[header.index("data_status")] = "status"
    city.write(ACT, rows)
    ai = load_programme(city.path).action_items
    assert set(ai["state"]) == {"open", "done"} and (ai["status"] == "illustrative").all()


def test_crlf_and_bom(city: CityFolder) -> None:
    for name in (PRG, REA, AGE):
        data = city.file(name).read_bytes().replace(b"\n", b"\r\n")
        city.file(name).write_bytes(b"\xef\xbb\xbf" + data)
    inputs = load_programme(city.path)
    assert len(inputs.activities) == 16 and len(inputs.realisation) == 108


def test_city_kode_without_regions(city: CityFolder) -> None:
    city.file("regions.csv").unlink()
    inputs = load_programme(city.path, city_kode="13.72")
    assert len(inputs.activities) == 16
    assert (inputs.activities["city_kode"] == "13.72").all()


def test_city_kode_agreeing_with_regions(city: CityFolder) -> None:
    assert read_programme(city.path, city_kode="13.72").problems == ()
