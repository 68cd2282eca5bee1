"""Hypothesis profiles of the suite, chosen by ``HYPOTHESIS_PROFILE`` (loaded by
``tests/conftest.py``; the pytest header names the one in force, never silently):

- ``default``: the examples each property test asks for;
- ``ci``: a quarter of them (at least 5 per test), for a quick run; examples stay random (a
  failure prints its seed and the blob to reproduce it);
- ``thorough``: four times as many, for a longer search before a release.

No profile has a per-example deadline: a property test must not fail because a loaded machine
ran one example slowly (hypothesis's own default of 200 ms failed ``make test`` on a busy
2-core machine with ``DeadlineExceeded``/``FlakyFailure``).

A property test asks for its examples through :func:`examples` (``@settings(max_examples=
examples(50))``), so the profile scales it.
"""

from __future__ import annotations

import os

from hypothesis import settings

#: Scale of the examples each property test asks for, by profile.
PROFILE_SCALE: dict[str, float] = {"default": 1.0, "ci": 0.25, "thorough": 4.0}

_DEFAULT = settings.get_profile("default").max_examples
for _name in PROFILE_SCALE:  # also a test without its own @settings scales
    settings.register_profile(
        _name,
        max_examples=max(5, round(_DEFAULT * PROFILE_SCALE[_name])),
        deadline=None,
        print_blob=True,
    )
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "").strip() or "default"
if PROFILE not in PROFILE_SCALE:
    raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE!r}: choose one of {', '.join(PROFILE_SCALE)}")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The examples a property test asking for ``n`` runs under the profile in force
    (``default``: ``n``; ``ci``: a quarter, at least 5; ``thorough``: four times)."""
    if PROFILE == "default":
        return n
    return max(5, round(n * PROFILE_SCALE[PROFILE]))
