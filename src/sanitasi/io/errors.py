"""Input problems with stable codes, and the exception that carries all of them.

Every check of the io layer reports a :class:`Problem` naming the file, the line (the header
is line 1), the column, the offending value and the rule, in English (``rule``) and
Indonesian (``message_id``). Checks never stop at the first problem: the loaders collect every
problem of every file and raise one :class:`InputErrors` at the end (nothing is half-read).

Codes are stable (``SAN-E0nn`` errors, ``SAN-W1nn`` warnings of the io layer; the engine
uses its own ``SAN-W0nn`` range). :data:`CATALOGUE` is the single list of codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: severity, short titles and message templates (en, id)."""

    severity: str
    title_en: str
    title_id: str
    rule_en: str
    rule_id: str


def _e(title_en: str, title_id: str, rule_en: str, rule_id: str, severity: str = ERROR) -> Entry:
    return Entry(severity, title_en, title_id, rule_en, rule_id)


#: Every problem code of the io layer. Templates use ``str.format`` fields given by the check.
CATALOGUE: dict[str, Entry] = {
    "SAN-E001": _e(
        "Required file missing",
        "Berkas wajib tidak ada",
        "required file {name} is missing from the city folder {folder}",
        "berkas wajib {name} tidak ada di folder kota {folder}",
    ),
    "SAN-E002": _e(
        "Required column missing",
        "Kolom wajib tidak ada",
        "required column {column} is missing (columns found: {found})",
        "kolom wajib {column} tidak ada (kolom yang ada: {found})",
    ),
    "SAN-E003": _e(
        "File cannot be read",
        "Berkas tidak dapat dibaca",
        "the file cannot be read as UTF-8 CSV: {reason}",
        "berkas tidak dapat dibaca sebagai CSV UTF-8: {reason}",
    ),
    "SAN-E004": _e(
        "Unknown region code",
        "Kode wilayah tidak dikenal",
        "{column} {value} is not a Kemendagri 2025 region code (wilayah_2025.csv)",
        "{column} {value} bukan kode wilayah Kemendagri 2025 (wilayah_2025.csv)",
    ),
    "SAN-E005": _e(
        "Region not in regions.csv",
        "Wilayah tidak ada di regions.csv",
        "kode {value} is not listed in regions.csv (nor is it an ancestor of a listed region)",
        "kode {value} tidak tercantum di regions.csv (dan bukan induk wilayah yang tercantum)",
    ),
    "SAN-E006": _e(
        "Region outside the city",
        "Wilayah di luar kota",
        "kode {value} is not inside the kab/kota {city} of this folder",
        "kode {value} tidak berada di dalam kab/kota {city} dari folder ini",
    ),
    "SAN-E007": _e(
        "parent_kode inconsistent with kode",
        "parent_kode tidak sesuai dengan kode",
        "parent_kode of {kode} must be {expected} (the kode without its last dotted part)",
        "parent_kode dari {kode} harus {expected} (kode tanpa bagian terakhirnya)",
    ),
    "SAN-E008": _e(
        "Ladder rungs do not sum to households",
        "Jumlah tangga sanitasi tidak sama dengan jumlah rumah tangga",
        "the six ladder rungs (hh_aman .. hh_babs_terbuka) of {kode} in {year} sum to {total}, "
        "but households is {households} (tolerance 0.5)",
        "jumlah enam anak tangga (hh_aman .. hh_babs_terbuka) untuk {kode} tahun {year} adalah "
        "{total}, tetapi households {households} (toleransi 0,5)",
    ),
    "SAN-E009": _e(
        "Negative value",
        "Nilai negatif",
        "{column} must not be negative",
        "{column} tidak boleh negatif",
    ),
    "SAN-E010": _e(
        "Empty number",
        "Angka kosong",
        "{column} must be a number; it is empty (or NaN)",
        "{column} harus berupa angka; nilainya kosong (atau NaN)",
    ),
    "SAN-E011": _e(
        "Share out of range",
        "Persentase/proporsi di luar rentang",
        "{name} is {kind} and must be between {low} and {high}",
        "{name} adalah {kind_id} dan harus antara {low} dan {high}",
    ),
    "SAN-E012": _e(
        "Duplicated row",
        "Baris ganda",
        "duplicated row: the same {key} is already on {other}",
        "baris ganda: {key} yang sama sudah ada di {other}",
    ),
    "SAN-E013": _e(
        "Horizon not after base year",
        "Horizon tidak setelah tahun dasar",
        "the horizon ({horizon}) must be after the base year ({base_year})",
        "horizon ({horizon}) harus setelah tahun dasar ({base_year})",
    ),
    "SAN-E014": _e(
        "Year out of range",
        "Tahun di luar rentang",
        "{what} must be a whole year between 1900 and 2100",
        "{what} harus tahun bulat antara 1900 dan 2100",
    ),
    "SAN-E015": _e(
        "Baseline dated after a target",
        "Baseline bertanggal setelah target",
        "the baseline point of {target_set}/{indicator} ({year}) is dated after its target "
        "point of {target_year} ({other}); a baseline must come first",
        "titik baseline {target_set}/{indicator} ({year}) bertanggal setelah titik target "
        "{target_year} ({other}); baseline harus lebih dahulu",
    ),
    "SAN-E016": _e(
        "Text in a number column",
        "Teks di kolom angka",
        "{column} must be a number written with '.' as decimal separator, not text",
        "{column} harus berupa angka dengan '.' sebagai pemisah desimal, bukan teks",
    ),
    "SAN-E017": _e(
        "Unknown target set",
        "Set target tidak dikenal",
        "unknown target set; choose from {choices}",
        "set target tidak dikenal; pilih dari {choices}",
    ),
    "SAN-E018": _e(
        "Unknown parameter",
        "Parameter tidak dikenal",
        "unknown parameter {value}; the names are those of reference/parameters.csv",
        "parameter {value} tidak dikenal; gunakan nama dari reference/parameters.csv",
    ),
    "SAN-E019": _e(
        "Invalid parameter value",
        "Nilai parameter tidak valid",
        "parameter {name} ({unit}) needs {expected}",
        "parameter {name} ({unit}) memerlukan {expected_id}",
    ),
    "SAN-E020": _e(
        "Base year without kelurahan data",
        "Tahun dasar tanpa data kelurahan",
        "no kelurahan/desa has households or population in base year {year}; "
        "years with kelurahan data: {years}",
        "tidak ada kelurahan/desa dengan households atau population pada tahun dasar {year}; "
        "tahun dengan data kelurahan: {years}",
    ),
    "SAN-E021": _e(
        "SPALD-T households above aman",
        "Rumah tangga SPALD-T melebihi aman",
        "hh_spald_t of {kode} in {year} ({spald_t}) must not exceed hh_aman ({aman})",
        "hh_spald_t {kode} tahun {year} ({spald_t}) tidak boleh melebihi hh_aman ({aman})",
    ),
    "SAN-E022": _e(
        "Invalid target kind",
        "Jenis target tidak valid",
        "kind must be target or baseline",
        "kind harus target atau baseline",
    ),
    "SAN-E023": _e(
        "Kelurahan without base-year data",
        "Kelurahan tanpa data tahun dasar",
        "{tingkat} {kode} ({nama}) has no observation in the base year {year}",
        "{tingkat} {kode} ({nama}) tidak memiliki observasi pada tahun dasar {year}",
    ),
    "SAN-E024": _e(
        "Value not allowed",
        "Nilai tidak diperbolehkan",
        "{column} must be one of {choices}",
        "{column} harus salah satu dari {choices}",
    ),
    "SAN-E025": _e(
        "tingkat differs from the official list",
        "tingkat berbeda dengan daftar resmi",
        "{kode} is a {official} in wilayah_2025.csv",
        "{kode} adalah {official} menurut wilayah_2025.csv",
    ),
    "SAN-E026": _e(
        "City not identified",
        "Kota tidak teridentifikasi",
        "regions.csv must describe exactly one kab/kota: {detail}",
        "regions.csv harus memuat tepat satu kab/kota: {detail_id}",
    ),
    "SAN-E027": _e(
        "Empty required text",
        "Teks wajib kosong",
        "{column} must not be empty",
        "{column} tidak boleh kosong",
    ),
    "SAN-E028": _e(
        "Funding shares do not sum to 1",
        "Porsi pendanaan tidak berjumlah 1",
        "the funding shares of item {item} must sum to 1 (tolerance 1e-6)",
        "porsi pendanaan item {item} harus berjumlah 1 (toleransi 1e-6)",
    ),
    "SAN-E029": _e(
        "Unknown reference item",
        "Item referensi tidak dikenal",
        "{column} {value} is not an item of {table}",
        "{column} {value} bukan item dari {table}",
    ),
    "SAN-E030": _e(
        "Table check failed",
        "Pemeriksaan tabel gagal",
        "check {check} failed on column {column}",
        "pemeriksaan {check} gagal pada kolom {column}",
    ),
    "SAN-W101": _e(
        "Sub-area sums disagree",
        "Jumlah sub-wilayah tidak sama",
        "{indicator} of {kode} in {year} is {value}, but its {level} sum to {total} "
        "(tolerance 0.5)",
        "{indicator} {kode} tahun {year} adalah {value}, tetapi jumlah {level_id}-nya {total} "
        "(toleransi 0,5)",
        WARNING,
    ),
    "SAN-W102": _e(
        "Unknown target indicator",
        "Indikator target tidak dikenal",
        "indicator {value} is not in the indicator catalogue ({choices}); "
        "the engine reports it as 'no data'",
        "indikator {value} tidak ada di katalog indikator ({choices}); "
        "mesin akan melaporkannya sebagai 'tidak ada data'",
        WARNING,
    ),
    "SAN-W103": _e(
        "City partly listed",
        "Kota hanya sebagian tercantum",
        "regions.csv lists {listed} of the {official} kelurahan/desa of {city}; city totals "
        "computed from them cover only those listed",
        "regions.csv memuat {listed} dari {official} kelurahan/desa di {city}; total kota yang "
        "dihitung darinya hanya mencakup yang tercantum",
        WARNING,
    ),
}


@dataclass(frozen=True)
class Problem:
    """One input problem: where it is (file, line, column, value) and which rule it breaks.

    ``row`` is the 1-based line number in the file, counting the header as line 1 (``None``
    for command-line options and whole-file problems). ``rule`` is English, ``message_id`` the
    Indonesian version. Only ``severity == 'error'`` problems make a load fail.
    """

    code: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message_id: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def where(self) -> str:
        parts = [self.file + (f" line {self.row}" if self.row is not None else "")]
        if self.column:
            parts.append(f"column {self.column}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ", ".join(parts)

    def message(self, lang: str = "en") -> str:
        """Place and rule in English (``en``) or Indonesian (``id``)."""
        rule = self.message_id if lang == "id" and self.message_id else self.rule
        return f"{self.where()}: {rule}"

    def __str__(self) -> str:
        return self.message("en")


def problem(
    code: str,
    file: str,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    **fields: Any,
) -> Problem:
    """Build a :class:`Problem` from the catalogue entry of ``code``.

    ``fields`` fill the rule templates; ``column`` and ``value`` are available to them too
    (``what`` defaults to ``column``).
    A template whose fields are not all given falls back to the entry's title.
    """
    entry = CATALOGUE[code]
    text_value = None if value is None else str(value)
    ctx = {"column": column, "what": column, "value": text_value, **fields}
    return Problem(
        code=code,
        file=file,
        row=None if row is None else int(row),
        column=column,
        value=text_value,
        rule=_fill(entry.rule_en, ctx, entry.title_en),
        message_id=_fill(entry.rule_id, ctx, entry.title_id),
        severity=entry.severity,
    )


def _fill(template: str, ctx: Mapping[str, Any], fallback: str) -> str:
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return fallback


class InputErrors(Exception):
    """Bad input: carries every problem found (errors and warnings), never only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._summary())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def _summary(self) -> str:
        head = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s) in the input"
        lines = [f"  {p.code} {p}" for p in self.problems]
        return "\n".join([head, *lines])

    def __str__(self) -> str:
        return self._summary()


class InputWarning(UserWarning):
    """A warning-level :class:`Problem`, emitted with :func:`warnings.warn` by the loaders."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(f"{problem.code} {problem}")


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
