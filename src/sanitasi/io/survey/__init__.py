"""Household survey ingest: read a survey file through a column mapping, classify every
household on the ladder, weighted shares per kelurahan, and apply them to a city folder.

Files
    CSV (UTF-8, header row; read by DuckDB with every column as text), Parquet (DuckDB,
    native column types) and XLSX (first sheet, header row; openpyxl). Household microdata
    never enters the application database (docs/ARCHITECTURE.md; docs/METHOD.md §11.2): it is scanned here with
    DuckDB and only per-kelurahan aggregates come out.

Mapping
    A TOML file (``tomllib``, the same structure is accepted as ``.json``, and as ``.yaml``
    when PyYAML is installed) naming, for each normalised field, the column of the file and
    the codebook from the answers written in it to Sanitasi's vocabulary
    (:mod:`sanitasi.core.survey`). Format and fields: ``sanitasi/data/survey/README.md``.
    Default: the packaged EHRA mapping (``ehra_mapping.toml``, illustrative);
    ``susenas_mapping.toml`` is shipped for Susenas-style files.

Pipeline
    answers -> normalised codes (the codebook) -> kelurahan lookup
    (official codes with or without dots, names from the mapping) -> ladder rung -> per
    kelurahan ``count``, ``sum w``, ``sum w^2`` per rung -> shares and Wilson/Kish intervals
    (:func:`sanitasi.core.survey.shares_from_sums`). Two engines compute the rung and the
    sums and give identical results (tested):

    * ``numpy`` (default, the faster): Arrow record batches (Parquet through Arrow's reader
      with string columns kept dictionary-encoded; CSV and XLSX through DuckDB) whose
      *distinct* values are mapped through the codebook; the dictionary indices of a
      household's answers make one combination index, and its rung, waste category and
      issue flag are one gather each from tables that
      :func:`sanitasi.core.survey.classify_codes` computed over every combination; the sums
      per kelurahan by ``np.bincount`` in worker threads; the issues are counted per
      dictionary entry, from the flagged households only (:mod:`.classify`);
    * ``sql``: everything in DuckDB, the codebook and the ladder rules as SQL ``CASE``
      expressions (:func:`rung_case_sql`) and one ``GROUP BY``; a second scan collects the
      issues when there are any.

Nothing is dropped silently
    An answer outside the codebook, a blank answer the ladder needs, an invalid weight, a
    kelurahan that is not a desa/kelurahan of the scope: each is counted per column and value
    in :attr:`SurveyResult.issues` (``field, column, value, count, code, rule``); such a
    household is classified ``unknown`` and excluded from the shares (an invalid ``waste``
    answer only excludes it from the waste-practice shares). ``strict=True`` turns them
    into errors.

Modules
    :mod:`~sanitasi.io.survey.mapping` (mapping files and codebooks),
    :mod:`~sanitasi.io.survey.scope` (the desa/kelurahan a survey may name),
    :mod:`~sanitasi.io.survey.readers` (CSV/XLSX/Parquet through DuckDB and Arrow),
    :mod:`~sanitasi.io.survey.sql` (the ``sql`` engine), :mod:`~sanitasi.io.survey.classify`
    (the ``numpy`` engine), :mod:`~sanitasi.io.survey.results` (:class:`SurveyResult`, the
    issues table), :mod:`~sanitasi.io.survey.ingest` (:func:`read_survey`,
    :func:`classify_file`) and :mod:`~sanitasi.io.survey.apply` (:func:`apply_survey`).
    Every public name is re-exported here.
"""

from __future__ import annotations

from sanitasi.io.survey.apply import ApplyReport, _fmt, _fmt_id, apply_survey
from sanitasi.io.survey.ingest import ENGINES, classify_file, read_survey
from sanitasi.io.survey.mapping import (
    DEFAULT_MAPPING,
    FIELD_KINDS,
    MISSING_WORD,
    NEVER_WORD,
    REQUIRED_FIELDS,
    FieldSpec,
    SurveyMapping,
    load_mapping,
    mapping_path,
)
from sanitasi.io.survey.readers import FORMATS, connect, open_source
from sanitasi.io.survey.results import SurveyResult, frames_agree, results_agree
from sanitasi.io.survey.scope import SurveyScope, survey_scope
from sanitasi.io.survey.sql import rung_case_sql

__all__ = [
    "DEFAULT_MAPPING",
    "ENGINES",
    "FIELD_KINDS",
    "FORMATS",
    "MISSING_WORD",
    "NEVER_WORD",
    "REQUIRED_FIELDS",
    "ApplyReport",
    "FieldSpec",
    "SurveyMapping",
    "SurveyResult",
    "SurveyScope",
    "_fmt",
    "_fmt_id",
    "apply_survey",
    "classify_file",
    "connect",
    "frames_agree",
    "load_mapping",
    "mapping_path",
    "open_source",
    "read_survey",
    "results_agree",
    "rung_case_sql",
    "survey_scope",
]
