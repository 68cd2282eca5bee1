"""Scenario files scenarios/*.toml (io.scenarios; docs/city-data.md §13): the demo file and
every rule, each problem naming file, key and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanitasi.io.errors import InputErrors
from sanitasi.io.reference import demo_city_dir, load_parameters, load_unit_costs
from sanitasi.io.scenarios import read_scenarios

SETS = ["LOCAL", "RPJMN_2025_2029", "SDG_2030", "VISI_2045"]


def _read(folder: Path) -> list:
    return read_scenarios(
        folder,
        target_sets=SETS,
        parameters=load_parameters(),
        unit_cost_items=list(load_unit_costs()["item"]),
    )


def _folder(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "scenarios").mkdir()
    for name, text in files.items():
        (tmp_path / "scenarios" / f"{name}.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_demo_scenario_reads() -> None:
    (sc,) = read_scenarios(
        demo_city_dir(),
        target_sets=[
            "LOCAL",
            "JAKSTRANAS_2025",
            "RPJMN_2020_2024",
            "RPJMN_2025_2029",
            "SDG_2030",
            "VISI_2045",
        ],
        parameters=load_parameters(),
        unit_cost_items=list(load_unit_costs()["item"]),
    )
    assert sc.name == "nasional_sedot_mahal"
    assert "LOCAL" not in (sc.target_sets or ())
    assert sc.unit_cost_factors == {"desludging_true_cost_payakumbuh": 1.5}
    assert "ilustratif" in sc.title and "illustrative" in sc.title_en


def test_no_folder_no_scenarios(tmp_path: Path) -> None:
    assert _read(tmp_path) == []


def test_valid_file(tmp_path: Path) -> None:
    (tmp_path / "budget.csv").write_text("year,source,cap_idr\n", encoding="utf-8")
    folder = _folder(
        tmp_path,
        a="""title = "A"
target_sets = ["SDG_2030"]
budget = "budget.csv"
[parameters]
persons_per_household = 4
new_households_ladder = "layak_sendiri"
[unit_cost_factors]
septic_tank_individual = 2
""",
    )
    (sc,) = _read(folder)
    assert sc.title == sc.title_en == "A"
    assert sc.target_sets == ("SDG_2030",)
    assert sc.parameters == {
        "persons_per_household": "4.0",
        "new_households_ladder": "layak_sendiri",
    }
    assert sc.unit_cost_factors == {"septic_tank_individual": 2.0}
    assert sc.budget == "budget.csv"


def test_every_problem_of_every_file(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        a="title = ",  # not TOML
        b="""colour = "red"
target_sets = ["NOPE", "SDG_2030"]
budget = "missing.csv"
[parameters]
no_such_parameter = 1
persons_per_household = "four"
truck_availability = 1.5
new_households_ladder = "gold"
[unit_cost_factors]
no_such_item = 2
septic_tank_individual = 0
""",
        c='target_sets = "SDG_2030"\nparameters = 3\n',
    )
    with pytest.raises(InputErrors) as exc:
        _read(folder)
    found = {(p.code, p.file, p.column, p.value) for p in exc.value.problems}
    assert ("SAN-E197", "scenarios/a.toml", None, None) in found
    assert ("SAN-E198", "scenarios/b.toml", None, "colour") in found
    assert ("SAN-E017", "scenarios/b.toml", "target_sets", "NOPE") in found
    assert ("SAN-E001", "scenarios/b.toml", "budget", "missing.csv") in found
    assert (
        "SAN-E018",
        "scenarios/b.toml",
        "parameters.no_such_parameter",
        "no_such_parameter",
    ) in found
    assert ("SAN-E019", "scenarios/b.toml", "parameters.persons_per_household", "four") in found
    assert ("SAN-E011", "scenarios/b.toml", "parameters.truck_availability", "1.5") in found
    assert ("SAN-E019", "scenarios/b.toml", "parameters.new_households_ladder", "gold") in found
    assert (
        "SAN-E029",
        "scenarios/b.toml",
        "unit_cost_factors.no_such_item",
        "no_such_item",
    ) in found
    assert (
        "SAN-E199",
        "scenarios/b.toml",
        "unit_cost_factors.septic_tank_individual",
        "0",
    ) in found
    assert ("SAN-E199", "scenarios/c.toml", "target_sets", "SDG_2030") in found
    assert ("SAN-E199", "scenarios/c.toml", "parameters", "3") in found
    assert len(exc.value.problems) == 12
    # messages in both languages name the rule
    p = next(p for p in exc.value.problems if p.code == "SAN-E198")
    assert "colour" in p.message("en") and "kunci" in p.message("id")
