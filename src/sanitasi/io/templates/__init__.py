"""XLSX templates that agency staff fill, and their validated, all-or-nothing import.

:func:`export_template` writes a workbook pre-filled with a city's programme (sheet
``program``) or quarterly realisation (sheet ``realisasi``), with a sheet of instructions
(Indonesian, English below), drop-down validation fed by lookup sheets (agencies, region
codes with names, sectors, funding sources, output units, sasaran, plan profiles, states,
quarters), a frozen header, column widths and numbers stored as numbers.

:func:`import_workbook` reads a filled workbook (openpyxl), finds its kind by its sheet,
merges its rows with the city folder's CSV file in memory and checks the result with exactly
the rules of :func:`sanitasi.io.programme.read_programme`: a problem on a row that came from
the workbook names the workbook, the sheet, the Excel row and the column. Any error raises
:class:`~sanitasi.io.errors.InputErrors` and nothing is written. A clean workbook is merged
into the folder (``programme.csv`` replaced by the workbook's activities; ``realisation.csv``
rows upserted by ``activity_code, year, quarter``), keeping, for existing rows, the values of
the columns the workbook does not carry, and written atomically
(:func:`sanitasi.io.csvfiles.write_atomically`). A file whose records do not change is not
rewritten, so exporting and importing an unchanged workbook leaves the folder byte-identical.

Modules
    :mod:`~sanitasi.io.templates.sheets` (the sheet-writing rules shared with the baseline
    workbook: formats, instructions sheet, lookup tables, numbers as numbers, cell text),
    :mod:`~sanitasi.io.templates.columns` (kinds, sheets, columns, their docs and widths, what
    a value means), :mod:`~sanitasi.io.templates.folder` (the city folder read leniently),
    :mod:`~sanitasi.io.templates.lookups` (lookup sheets, drop-downs and prompts),
    :mod:`~sanitasi.io.templates.instructions` (the ``petunjuk`` sheet),
    :mod:`~sanitasi.io.templates.fingerprint` (the hidden ``sanitasi_versi`` sheet),
    :mod:`~sanitasi.io.templates.reading` (:func:`read_workbook`),
    :mod:`~sanitasi.io.templates.merge` (the merge rules every kind shares), one module per
    kind (:mod:`~sanitasi.io.templates.programme`, :mod:`~sanitasi.io.templates.realisation`,
    :mod:`~sanitasi.io.templates.swot`: its sheet and its merge),
    :mod:`~sanitasi.io.templates.export` (:func:`export_template`) and
    :mod:`~sanitasi.io.templates.importing` (:func:`import_workbook`, :func:`stale_rows`).
    Every public name is re-exported here.
"""

from __future__ import annotations

from sanitasi.io.templates.columns import (
    AGENCY_LISTS,
    BLANK_MEANS,
    CASE_FREE,
    COLUMN_DOCS,
    KINDS,
    PROGRAMME_OPTIONAL,
    PROGRAMME_TEXT,
    REALISATION_NUMBERS,
    REALISATION_REQUIRED,
    REALISATION_SHEET_COLUMNS,
    SHEETS,
    SWOT_COLUMNS,
    SWOT_NUMBERS,
    TARGET_FILES,
)
from sanitasi.io.templates.export import export_template
from sanitasi.io.templates.fingerprint import (
    FINGERPRINT_FORMAT,
    FINGERPRINT_SHEET,
    row_digests,
)
from sanitasi.io.templates.importing import ImportReport, import_workbook, stale_rows
from sanitasi.io.templates.lookups import EFFECT_EXAMPLES
from sanitasi.io.templates.merge import _Merged
from sanitasi.io.templates.reading import _Sheet, read_workbook
from sanitasi.io.templates.sheets import EXTRA_ROWS, INFO_PREFIX, INSTRUCTIONS, LANGS, cell_text
from sanitasi.io.templates.swot import SWOT_INSTRUCTIONS

__all__ = [
    "AGENCY_LISTS",
    "BLANK_MEANS",
    "CASE_FREE",
    "COLUMN_DOCS",
    "EFFECT_EXAMPLES",
    "EXTRA_ROWS",
    "FINGERPRINT_FORMAT",
    "FINGERPRINT_SHEET",
    "INFO_PREFIX",
    "INSTRUCTIONS",
    "KINDS",
    "LANGS",
    "PROGRAMME_OPTIONAL",
    "PROGRAMME_TEXT",
    "REALISATION_NUMBERS",
    "REALISATION_REQUIRED",
    "REALISATION_SHEET_COLUMNS",
    "SHEETS",
    "SWOT_COLUMNS",
    "SWOT_INSTRUCTIONS",
    "SWOT_NUMBERS",
    "TARGET_FILES",
    "ImportReport",
    "_Merged",
    "_Sheet",
    "cell_text",
    "export_template",
    "import_workbook",
    "read_workbook",
    "row_digests",
    "stale_rows",
]
