"""Readers and validators of input files (the io layer).

- :mod:`sanitasi.io.city`: ``load_city`` / ``read_city`` -- a city folder to ``PlanInputs``;
- :mod:`sanitasi.io.reference`: the packaged national reference tables and region codes;
- :mod:`sanitasi.io.instruments`: ``read_risk``/``load_risk`` (risk-area files) and
  ``read_sfd``/``load_sfd`` (``sfd.csv`` and the city's ladder);
- :mod:`sanitasi.io.programme`: ``load_programme`` / ``read_programme`` -- agencies,
  programme matrix, realisation, meetings and action items to ``ProgrammeInputs``;
- :mod:`sanitasi.io.templates`: ``export_template`` / ``import_workbook`` -- the XLSX
  templates of the programme and the quarterly realisation;
- :mod:`sanitasi.io.errors`: ``Problem``, ``InputErrors`` and the code catalogue;
- :mod:`sanitasi.io.survey`: household survey files (CSV, XLSX, Parquet) through a column
  mapping to ladder shares per kelurahan, and ``apply_survey`` into a city folder.

The contract of a city folder is ``docs/city-data.md``.
"""
