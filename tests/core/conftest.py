"""Fixtures of tests/core (defined in core_fixtures.py so test modules can import helpers by a
unique module name)."""

from core_fixtures import *  # noqa: F403
