"""Readers and validators of input files (the io layer).

- :mod:`sanitasi.io.city`: ``load_city`` / ``read_city`` -- a city folder to ``PlanInputs``;
- :mod:`sanitasi.io.reference`: the packaged national reference tables and region codes;
- :mod:`sanitasi.io.errors`: ``Problem``, ``InputErrors`` and the code catalogue.

The contract of a city folder is ``docs/city-data.md``.
"""
