"""Fixtures of tests/reports (defined in reports_fixtures.py so test modules can import helpers by a
unique module name)."""

from reports_fixtures import *  # noqa: F403
