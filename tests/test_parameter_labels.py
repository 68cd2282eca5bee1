"""Labels of the reference parameters and their units (reference/parameter_labels.csv,
sanitasi.vocabulary.parameter_label/parameter_unit): every parameter and unit has one in
Indonesian and English."""

from __future__ import annotations

from sanitasi.io.reference import load_parameters
from sanitasi.vocabulary import parameter_label, parameter_unit


def test_every_parameter_and_unit_has_labels_in_both_languages() -> None:
    params = load_parameters().params
    assert len(params) > 100
    for name, p in params.items():
        assert parameter_label(name, "id") != name, name
        assert parameter_label(name, "en") != name, name
        if not p.unit.startswith("choice"):
            assert parameter_unit(p.unit, "id"), name
            assert parameter_unit(p.unit, "en"), name


def test_labels_and_units_as_written() -> None:
    assert parameter_label("truck_availability", "id") == "Ketersediaan armada truk"
    assert parameter_label("truck_availability", "en") == "Truck availability"
    assert parameter_unit("fraction", "id") == "pecahan 0–1"
    assert parameter_unit("m3", "en") == "m³"
    assert parameter_unit("L/person/day", "id") == "L/orang/hari"
    assert parameter_unit("choice: zone|modular", "id") == ""
    assert parameter_label("no_such_parameter", "en") == "no_such_parameter"
