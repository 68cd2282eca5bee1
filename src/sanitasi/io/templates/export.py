"""Exporting a template: :func:`export_template` writes the workbook of a kind (the
instructions, the data sheet, the lookup sheets and the hidden fingerprint)."""

from __future__ import annotations

from pathlib import Path

from sanitasi.io.templates.columns import KINDS, SHEETS
from sanitasi.io.templates.fingerprint import _write_fingerprint
from sanitasi.io.templates.folder import _folder_of, _read_export_folder
from sanitasi.io.templates.instructions import _write_instructions
from sanitasi.io.templates.lookups import _write_lookups
from sanitasi.io.templates.programme import _write_programme
from sanitasi.io.templates.realisation import _write_realisation
from sanitasi.io.templates.sheets import INSTRUCTIONS, LANGS, Formats, new_workbook
from sanitasi.io.templates.swot import _export_swot


def export_template(
    kind: str, city_dir: Path | str | None, out: Path | str, lang: str = "id"
) -> None:
    """Write the ``programme`` or ``realisation`` template of a city folder (``None``: the
    Kota Solok demo) to ``out`` (.xlsx), pre-filled with the folder's rows.

    ``lang`` (``id`` or ``en``) picks the language of the drop-down prompts and which half of
    the instructions comes first. Raises :class:`ValueError` for an unknown kind or language
    and :class:`FileNotFoundError` when ``city_dir`` is not a folder.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown template kind {kind!r}; choose from {', '.join(KINDS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    if city_dir is not None and not Path(city_dir).is_dir():
        raise FileNotFoundError(f"city folder {city_dir} does not exist")
    if kind == "swot":
        _export_swot(_folder_of(city_dir), out, lang)
        return
    folder = _read_export_folder(_folder_of(city_dir))
    wb = new_workbook(out)
    try:
        fmt = Formats(wb)
        info = wb.add_worksheet(INSTRUCTIONS)
        data = wb.add_worksheet(SHEETS[kind])
        lists = _write_lookups(wb, fmt, folder, kind)
        if kind == "programme":
            columns = _write_programme(data, fmt, folder, lists, lang)
        else:
            columns = _write_realisation(data, fmt, folder, lists, lang)
        _write_instructions(info, fmt, folder, kind, columns, lang)
        current = folder.programme if kind == "programme" else folder.realisation
        _write_fingerprint(wb, kind, current)
        data.activate()
    finally:
        wb.close()
