"""The suite's hypothesis profiles (tests/hypothesis_profiles.py) never time an example: a
property test that fails because a loaded machine ran one example slowly is a defect."""

from __future__ import annotations

import pytest
from hypothesis import settings

from hypothesis_profiles import PROFILE, PROFILE_SCALE, examples


@pytest.mark.parametrize("name", sorted(PROFILE_SCALE))
def test_no_profile_has_a_deadline(name: str) -> None:
    assert settings.get_profile(name).deadline is None


def test_the_loaded_profile_has_no_deadline_and_scales_examples() -> None:
    assert settings().deadline is None
    assert examples(40) == (
        40 if PROFILE == "default" else max(5, round(40 * PROFILE_SCALE[PROFILE]))
    )
