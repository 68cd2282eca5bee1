"""Fixtures of tests/io (defined in io_fixtures.py so test modules can import helpers by a
unique module name)."""

from io_fixtures import *  # noqa: F403
