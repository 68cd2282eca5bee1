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
    "SAN-E040": _e(
        "Unknown agency",
        "Instansi tidak dikenal",
        "{column} {value} is not an agency code of agencies.csv ({choices})",
        "{column} {value} bukan kode instansi di agencies.csv ({choices})",
    ),
    "SAN-E041": _e(
        "Malformed effect",
        "Efek tidak valid",
        "effect {value} is malformed: {reason}. Write hh:FROM->TO:N, tpd:FROM->TO:X or "
        "cap:KIND:X (several joined by ';'), or none",
        "efek {value} tidak valid: {reason}. Tulis hh:FROM->TO:N, tpd:FROM->TO:X atau "
        "cap:KIND:X (beberapa digabung dengan ';'), atau none",
    ),
    "SAN-E042": _e(
        "Realisation for an unknown activity",
        "Realisasi untuk kegiatan yang tidak dikenal",
        "{column} {value} is not an activity code of programme.csv",
        "{column} {value} bukan kode kegiatan di programme.csv",
    ),
    "SAN-E043": _e(
        "Date not ISO",
        "Tanggal tidak berformat ISO",
        "{column} must be a date written YYYY-MM-DD (e.g. 2025-07-20)",
        "{column} harus berupa tanggal dengan format YYYY-MM-DD (mis. 2025-07-20)",
    ),
    "SAN-E044": _e(
        "Unknown meeting",
        "Pertemuan tidak dikenal",
        "{column} {value} is not a meeting id of meetings.csv",
        "{column} {value} bukan id pertemuan di meetings.csv",
    ),
    "SAN-E045": _e(
        "City code differs from regions.csv",
        "Kode kota berbeda dengan regions.csv",
        "the city code {value} given does not match the city {city} of regions.csv",
        "kode kota {value} yang diberikan tidak sama dengan kota {city} di regions.csv",
    ),
    "SAN-E046": _e(
        "Workbook cannot be read",
        "Workbook tidak dapat dibaca",
        "the file cannot be read as an Excel workbook (.xlsx): {reason}",
        "berkas tidak dapat dibaca sebagai workbook Excel (.xlsx): {reason}",
    ),
    "SAN-E047": _e(
        "Template sheet missing",
        "Sheet template tidak ada",
        "the workbook has no sheet {expected} (sheets found: {found}); "
        "start from a workbook made by sanitasi export-template",
        "workbook tidak memiliki sheet {expected} (sheet yang ada: {found}); "
        "gunakan workbook dari sanitasi export-template",
    ),
    "SAN-E048": _e(
        "Column given twice",
        "Kolom ganda",
        "column {column} appears more than once in the header row",
        "kolom {column} muncul lebih dari sekali di baris judul",
    ),
    "SAN-E049": _e(
        "Realisation for a quarter not yet started",
        "Realisasi untuk triwulan yang belum dimulai",
        "realisation of activity {activity} for {year} Q{quarter}: the quarter starts on "
        "{start}, after the as-of date {as_of}; a quarter that has not started cannot be "
        "reported",
        "realisasi kegiatan {activity} untuk T{quarter} {year}: triwulan itu baru dimulai "
        "{start}, setelah tanggal acuan {as_of}; triwulan yang belum dimulai tidak dapat "
        "dilaporkan",
    ),
    "SAN-E050": _e(
        "Physical progress of an activity not counted at completion",
        "Progres fisik untuk kegiatan yang tidak dihitung saat selesai",
        "progress_pct {value} is given for activity {activity}, whose plan_profile is "
        "{profile}: physical progress (progres fisik) is reported only for works counted at "
        "completion (plan_profile completion); leave it blank",
        "progress_pct {value} diisi untuk kegiatan {activity} yang plan_profile-nya "
        "{profile}: progres fisik hanya dilaporkan untuk pekerjaan yang dihitung saat selesai "
        "(plan_profile completion); kosongkan",
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
    "SAN-W140": _e(
        "Lead agency also supporting",
        "Instansi pelaksana juga pendukung",
        "the lead agency {value} is also listed in support_agencies",
        "instansi pelaksana {value} juga tercantum di support_agencies",
        WARNING,
    ),
    "SAN-W141": _e(
        "Effect of the other sector",
        "Efek dari sektor lain",
        "effect term {term} belongs to sector {expected}, but the activity's sector is {sector}",
        "bagian efek {term} termasuk sektor {expected}, tetapi sektor kegiatan adalah {sector}",
        WARNING,
    ),
    "SAN-W142": _e(
        "Sasaran of the other sector",
        "Sasaran dari sektor lain",
        "sasaran {value} is a {expected} indicator, but the activity's sector is {sector}",
        "sasaran {value} adalah indikator {expected}, tetapi sektor kegiatan adalah {sector}",
        WARNING,
    ),
    "SAN-W143": _e(
        "Realisation outside the programme years",
        "Realisasi di luar tahun program",
        "year {value} is not a planned year of programme.csv ({years})",
        "tahun {value} bukan tahun rencana di programme.csv ({years})",
        WARNING,
    ),
    "SAN-W144": _e(
        "Meeting date differs",
        "Tanggal pertemuan berbeda",
        "meeting_date {value} differs from the date of meeting {meeting} in meetings.csv "
        "({date}); the meeting's date is used",
        "meeting_date {value} berbeda dengan tanggal pertemuan {meeting} di meetings.csv "
        "({date}); tanggal pertemuan yang dipakai",
        WARNING,
    ),
    "SAN-W145": _e(
        "Workbook column ignored",
        "Kolom workbook diabaikan",
        "column {column} is not part of the {kind} template and is ignored",
        "kolom {column} bukan bagian dari template {kind} dan diabaikan",
        WARNING,
    ),
    "SAN-W146": _e(
        "Blank row kept as it was",
        "Baris kosong, data lama tetap",
        "the row of {key} is blank; realisation.csv keeps its existing values "
        "(rows are never deleted by an import)",
        "baris {key} kosong; nilai lama di realisation.csv tetap dipakai "
        "(impor tidak pernah menghapus baris)",
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


# --------------------------------------------------------------------------- survey ingest
# Codes of ``sanitasi.io.survey`` (SAN-E100..E119, SAN-W180..W199), kept in one block.
CATALOGUE.update(
    {
        "SAN-E100": _e(
            "Survey file cannot be read",
            "Berkas survei tidak dapat dibaca",
            "the survey file cannot be read: {reason}",
            "berkas survei tidak dapat dibaca: {reason_id}",
        ),
        "SAN-E101": _e(
            "Survey mapping cannot be read",
            "Pemetaan survei tidak dapat dibaca",
            "the survey mapping cannot be read: {reason}",
            "pemetaan survei tidak dapat dibaca: {reason}",
        ),
        "SAN-E102": _e(
            "Invalid survey mapping",
            "Pemetaan survei tidak valid",
            "{detail}",
            "{detail_id}",
        ),
        "SAN-E103": _e(
            "Mapping answer outside the vocabulary",
            "Jawaban pemetaan di luar kosakata",
            "{column} maps to {value}; allowed: {choices}",
            "{column} dipetakan ke {value}; yang diperbolehkan: {choices}",
        ),
        "SAN-E104": _e(
            "Survey column missing",
            "Kolom survei tidak ada",
            "column {column} (field {field} of the mapping) is not in the survey file "
            "(columns found: {found})",
            "kolom {column} (isian {field} dari pemetaan) tidak ada di berkas survei "
            "(kolom yang ada: {found})",
        ),
        "SAN-E105": _e(
            "No year for the survey households",
            "Tidak ada tahun untuk rumah tangga survei",
            "no year has households for every surveyed kelurahan ({detail}); give the year",
            "tidak ada tahun dengan households untuk semua kelurahan survei ({detail}); "
            "sebutkan tahunnya",
        ),
        "SAN-E106": _e(
            "Kelurahan without households",
            "Kelurahan tanpa jumlah rumah tangga",
            "kelurahan {value} has no households observation in {year}: the survey shares "
            "cannot be scaled to households",
            "kelurahan {value} tidak memiliki observasi households tahun {year}: persentase "
            "survei tidak dapat dikalikan dengan jumlah rumah tangga",
        ),
        "SAN-E107": _e(
            "SPALD-T households above the surveyed aman",
            "Rumah tangga SPALD-T melebihi aman hasil survei",
            "hh_spald_t of {value} in {year} ({spald_t}) would exceed the surveyed hh_aman "
            "({aman}); update hh_spald_t first",
            "hh_spald_t {value} tahun {year} ({spald_t}) akan melebihi hh_aman hasil survei "
            "({aman_id}); perbarui hh_spald_t terlebih dahulu",
        ),
        "SAN-W180": _e(
            "Invalid survey answer",
            "Jawaban survei tidak valid",
            "{count} household(s) answer {value!r}, which is not in the codebook of {field}; "
            "{effect}",
            "{count} rumah tangga menjawab {value!r}, yang tidak ada di kode isian {field}; "
            "{effect_id}",
            WARNING,
        ),
        "SAN-W181": _e(
            "Survey answer blank where the ladder needs it",
            "Jawaban survei kosong padahal diperlukan",
            "{count} household(s) have no usable answer for {field} although their other "
            "answers need it; they are classified unknown and left out of the shares",
            "{count} rumah tangga tidak memiliki jawaban {field} padahal jawaban lainnya "
            "memerlukannya; digolongkan unknown dan tidak dihitung dalam persentase",
            WARNING,
        ),
        "SAN-W182": _e(
            "Unknown kelurahan in the survey",
            "Kelurahan tidak dikenal dalam survei",
            "{count} household(s) have kelurahan {value!r}, which is not {scope}; they are "
            "left out of every kelurahan",
            "{count} rumah tangga memiliki kelurahan {value!r}, yang bukan {scope_id}; "
            "tidak dihitung di kelurahan mana pun",
            WARNING,
        ),
        "SAN-W183": _e(
            "Invalid survey weight",
            "Bobot survei tidak valid",
            "{count} household(s) have weight {value!r}; a weight must be a number > 0; "
            "they are left out of the shares",
            "{count} rumah tangga memiliki bobot {value!r}; bobot harus angka > 0; "
            "tidak dihitung dalam persentase",
            WARNING,
        ),
        "SAN-W184": _e(
            "Desludging answer blank for an own septic tank",
            "Jawaban pengurasan kosong untuk tangki septik sendiri",
            "{count} household(s) with their own septic tank have no answer for {field}; "
            "counted as not emptied within the window (layak_sendiri)",
            "{count} rumah tangga dengan tangki septik sendiri tidak menjawab {field}; "
            "dihitung belum dikuras dalam periode (layak_sendiri)",
            WARNING,
        ),
        "SAN-W185": _e(
            "Kelurahan sample below the EHRA minimum",
            "Sampel kelurahan di bawah minimum EHRA",
            "kelurahan {value} has {n} classified household(s), fewer than the EHRA minimum "
            "of {min} (ehra_sample_households_per_kelurahan)",
            "kelurahan {value} memiliki {n} rumah tangga tergolong, kurang dari minimum EHRA "
            "{min} (ehra_sample_households_per_kelurahan)",
            WARNING,
        ),
        "SAN-W186": _e(
            "Optional survey column absent",
            "Kolom survei opsional tidak ada",
            "column {column} (field {field}) is not in the survey file; {effect}",
            "kolom {column} (isian {field}) tidak ada di berkas survei; {effect_id}",
            WARNING,
        ),
        "SAN-W187": _e(
            "Surveyed kelurahan not applied",
            "Kelurahan survei tidak diterapkan",
            "kelurahan {value} is not applied to the city's observations: {reason}",
            "kelurahan {value} tidak diterapkan ke observasi kota: {reason_id}",
            WARNING,
        ),
    }
)


# --------------------------------------------------------------------------- risk areas, SFD
# Codes of ``sanitasi.io.instruments`` (SAN-E080..E099, SAN-W160..W169), kept in one block.
# The engine's risk/SFD warnings (``sanitasi.core.risk``/``sanitasi.core.sfd``) use
# SAN-W170..W179.
CATALOGUE.update(
    {
        "SAN-E080": _e(
            "Not a kelurahan/desa of the city",
            "Bukan kelurahan/desa kota ini",
            "kode {value} is not a kelurahan/desa listed in regions.csv; {what_rows} are "
            "given per kelurahan/desa of the city",
            "kode {value} bukan kelurahan/desa yang tercantum di regions.csv; {what_rows_id} "
            "diisi per kelurahan/desa kota ini",
        ),
        "SAN-E081": _e(
            "Score outside 1-4",
            "Skor di luar 1-4",
            "indicator {indicator} has direction 'score' ({weights_line}), so its value must be "
            "a score within 1 and 4",
            "indikator {indicator} berarah 'score' ({weights_line}), jadi nilainya harus skor "
            "antara 1 dan 4",
        ),
        "SAN-E082": _e(
            "Component and subsector do not match",
            "Komponen dan subsektor tidak cocok",
            "component {component} needs subsector {expected}",
            "komponen {component} memerlukan subsektor {expected_id}",
        ),
        "SAN-E083": _e(
            "Weights do not sum to 100",
            "Bobot tidak berjumlah 100",
            "the {component} weights of subsector {subsector} sum to {total} (lines {lines}); "
            "they must sum to 100",
            "bobot {component} subsektor {subsector} berjumlah {total} (baris {lines}); "
            "jumlahnya harus 100",
        ),
        "SAN-E084": _e(
            "Component without weights",
            "Komponen tanpa bobot",
            "risk_weights.csv has no {what_missing}",
            "risk_weights.csv tidak memuat {what_missing_id}",
        ),
        "SAN-E085": _e(
            "Weighted indicator without values",
            "Indikator berbobot tanpa nilai",
            "indicator {indicator} (subsector {subsector}) has no value in risk_indicators.csv "
            "for {n} kelurahan/desa of regions.csv: {codes}",
            "indikator {indicator} (subsektor {subsector}) tidak punya nilai di "
            "risk_indicators.csv untuk {n} kelurahan/desa di regions.csv: {codes}",
        ),
        "SAN-E086": _e(
            "Invalid risk class",
            "Kelas risiko tidak valid",
            "class must be a whole number 1-4 (4 = amat tinggi, 3 = tinggi, 2 = sedang, "
            "1 = rendah)",
            "kelas harus bilangan bulat 1-4 (4 = amat tinggi, 3 = tinggi, 2 = sedang, 1 = rendah)",
        ),
        "SAN-E087": _e(
            "System shares do not sum to 100 %",
            "Porsi sistem tidak berjumlah 100 %",
            "the population_share_pct of the {year} systems sum to {total} % (lines {lines}); "
            "they must sum to 100 % of the population using a toilet (tolerance 0.1)",
            "population_share_pct sistem tahun {year} berjumlah {total} % (baris {lines}); "
            "jumlahnya harus 100 % penduduk pengguna jamban (toleransi 0,1)",
        ),
        "SAN-E088": _e(
            "Containment not stated",
            "Penampungan tidak dinyatakan",
            "contained must be true or false for an onsite system (offsite = false)",
            "contained harus true atau false untuk sistem setempat (offsite = false)",
        ),
        "SAN-E089": _e(
            "No containment systems",
            "Tidak ada sistem penampungan",
            "sfd.csv has no system rows",
            "sfd.csv tidak memuat baris sistem",
        ),
        "SAN-W160": _e(
            "Indicator without weight",
            "Indikator tanpa bobot",
            "indicator {value} (subsector {subsector}) has no weight in risk_weights.csv and is "
            "ignored",
            "indikator {value} (subsektor {subsector}) tidak punya bobot di risk_weights.csv dan "
            "diabaikan",
            WARNING,
        ),
        "SAN-W161": _e(
            "SFD systems differ from the ladder",
            "Sistem SFD berbeda dengan tangga sanitasi",
            "the {rung} systems of {year} hold {sfd} % of the population using a toilet, but "
            "the ladder in observations.csv has {ladder} % of such households on that rung "
            "(difference over 1 point); projections follow the ladder",
            "sistem {rung} tahun {year} mencakup {sfd} % penduduk pengguna jamban, tetapi "
            "tangga sanitasi di observations.csv {ladder} % rumah tangga tersebut pada anak "
            "tangga itu (selisih lebih dari 1 poin); proyeksi mengikuti tangga sanitasi",
            WARNING,
        ),
    }
)


# --------------------------------------------------------------------------- baseline workbook
# Codes of ``sanitasi.io.baseline_xlsx`` and the web baseline upload (SAN-E120..E123).
CATALOGUE.update(
    {
        "SAN-E120": _e(
            "Invalid indicator column",
            "Kolom indikator tidak valid",
            "column {value} is not an indicator name: use lower-case letters, digits and _ "
            "(at most 64 characters), e.g. hh_aman",
            "kolom {value} bukan nama indikator: gunakan huruf kecil, angka dan _ "
            "(paling banyak 64 karakter), mis. hh_aman",
        ),
        "SAN-E121": _e(
            "No indicator column",
            "Tidak ada kolom indikator",
            "the sheet has no indicator column such as households or hh_aman "
            "(columns found: {found})",
            "sheet tidak memiliki kolom indikator seperti households atau hh_aman "
            "(kolom yang ada: {found})",
        ),
        "SAN-E122": _e(
            "Text too long",
            "Teks terlalu panjang",
            "{column} must be at most {max} characters long",
            "{column} paling banyak {max} karakter",
        ),
        "SAN-E123": _e(
            "File too large",
            "Berkas terlalu besar",
            "the file is {size} MB; an upload may be at most {limit} MB",
            "ukuran berkas {size} MB; unggahan paling besar {limit} MB",
        ),
    }
)


# --------------------------------------------------------------------------- greenhouse gases
# Codes of ``sanitasi.io.ghg`` (``sanitasi ghg ...`` and the plan's GHG inputs; SAN-E140..E149),
# kept in one block.
CATALOGUE.update(
    {
        "SAN-E140": _e(
            "Unknown stream",
            "Aliran sampah tidak dikenal",
            "stream {value} is not a stream of {streams_file} ({choices})",
            "aliran {value} bukan aliran di {streams_file} ({choices})",
        ),
        "SAN-E141": _e(
            "Years out of order",
            "Tahun tidak berurutan",
            "rows must be in increasing year order: year {value} comes after year {previous} "
            "(line {previous_line})",
            "baris harus berurutan menurut tahun: tahun {value} muncul setelah tahun {previous} "
            "(baris {previous_line})",
        ),
        "SAN-E142": _e(
            "Reserved stream name",
            "Nama aliran dicadangkan",
            "stream {value} is reserved for the all-streams rows of the output",
            "aliran {value} dicadangkan untuk baris jumlah semua aliran pada keluaran",
        ),
        "SAN-E143": _e(
            "Year outside the deposits",
            "Tahun di luar rentang timbunan",
            "year {value} is outside the years of the deposits ({first}-{last})",
            "tahun {value} di luar rentang tahun timbunan ({first}-{last})",
        ),
        "SAN-E144": _e(
            "Recovery above generation",
            "Pemulihan melebihi pembentukan",
            "{value} t CH4 recovered in {year} exceeds the {generated} t CH4 generated that year",
            "{value} t CH4 yang dipulihkan pada {year} melebihi {generated} t CH4 yang terbentuk "
            "pada tahun itu",
        ),
        "SAN-E145": _e(
            "Composition does not sum to 100 %",
            "Komposisi tidak berjumlah 100 %",
            "the shares of waste_composition.csv sum to {value} %; they must sum to 100 % "
            "(within {tolerance} points; list the rest as inert)",
            "persentase di waste_composition.csv berjumlah {value} %; harus berjumlah 100 % "
            "(selisih paling banyak {tolerance} poin; sisanya dicatat sebagai inert)",
        ),
    }
)

# The SSK document's city files (swot.csv, pokja.csv, need_agency.csv) and the document
# columns of programme.csv (sanitasi.io.document, docs/city-data.md §12).
CATALOGUE.update(
    {
        "SAN-E190": _e(
            "Pokja decree given twice",
            "SK Pokja ganda",
            "{column} {value} differs from {other} on line {line}: the Pokja has one decree",
            "{column} {value} berbeda dengan {other} di baris {line}: Pokja punya satu SK",
        ),
        "SAN-E191": _e(
            "SWOT rating out of range",
            "Rating SWOT di luar rentang",
            "rating {value} must be a number from 1 to 4",
            "rating {value} harus angka 1 sampai 4",
        ),
        "SAN-E192": _e(
            "SWOT weights do not sum to 1",
            "Bobot SWOT tidak berjumlah 1",
            "the weights of the {group} factors of sector {sector} sum to {total}, not 1 "
            "(lines {lines})",
            "bobot faktor {group_id} sektor {sector} berjumlah {total}, bukan 1 (baris {lines})",
        ),
        "SAN-E193": _e(
            "SWOT factors missing",
            "Faktor SWOT tidak ada",
            "sector {sector} has no {group} factors (S and W are internal, O and T external)",
            "sektor {sector} tidak punya faktor {group_id} (S dan W internal, O dan T eksternal)",
        ),
        "SAN-E194": _e(
            "Unknown activity",
            "Kegiatan tidak dikenal",
            "{column} {value} is not an activity code of programme.csv",
            "{column} {value} bukan kode kegiatan di programme.csv",
        ),
        "SAN-E195": _e(
            "Unknown need",
            "Kebutuhan tidak dikenal",
            "{column} {value} is not a need of the reference mapping ({choices})",
            "{column} {value} bukan kebutuhan dalam pemetaan rujukan ({choices})",
        ),
        "SAN-E196": _e(
            "Unknown nomenclature code",
            "Kode nomenklatur tidak dikenal",
            "{column} {value} is not a kegiatan or sub-kegiatan code of reference/nomenclature.csv",
            "{column} {value} bukan kode kegiatan atau sub-kegiatan di reference/nomenclature.csv",
        ),
    }
)

# Scenario files scenarios/*.toml (sanitasi.io.scenarios, docs/city-data.md §13).
CATALOGUE.update(
    {
        "SAN-E197": _e(
            "Scenario file is not TOML",
            "Berkas skenario bukan TOML",
            "the scenario file cannot be read as UTF-8 TOML: {reason}",
            "berkas skenario tidak dapat dibaca sebagai TOML UTF-8: {reason}",
        ),
        "SAN-E198": _e(
            "Unknown scenario key",
            "Kunci skenario tidak dikenal",
            "unknown key {value}; the keys are {choices}",
            "kunci {value} tidak dikenal; kunci yang berlaku: {choices}",
        ),
        "SAN-E199": _e(
            "Invalid scenario value",
            "Nilai skenario tidak valid",
            "{column} needs {expected}",
            "{column} memerlukan {expected_id}",
        ),
    }
)

# Parameters as declared inputs (docs/METHOD.md §16).
CATALOGUE.update(
    {
        "SAN-E200": _e(
            "Unknown computation in read_by",
            "Komputasi tidak dikenal di read_by",
            "{column} names {value}, which is not a computation ({choices}) nor reference_only",
            "{column} menyebut {value}, bukan komputasi ({choices}) dan bukan reference_only",
        ),
        "SAN-E201": _e(
            "Reference-only parameter cannot be overridden",
            "Parameter rujukan saja tidak dapat diganti",
            "parameter {value} is reference_only: no computation reads it, so an override "
            "would change nothing; remove it",
            "parameter {value} hanya rujukan (reference_only): tidak ada komputasi yang "
            "membacanya, jadi penggantian nilai tidak mengubah apa pun; hapus baris ini",
        ),
    }
)

# Hardened readers (issue 12; SAN-E150..E159): limits of reference/io_limits.csv, files that are not files,
# ragged CSV rows, workbooks beyond their bounds and stale workbooks (docs/city-data.md, Limits).
CATALOGUE.update(
    {
        "SAN-E150": _e(
            "File too large",
            "Berkas terlalu besar",
            "the file has {size} bytes; the limit is {limit} bytes ({name} in "
            "reference/io_limits.csv)",
            "berkas berukuran {size} byte; batasnya {limit} byte ({name} di "
            "reference/io_limits.csv)",
        ),
        "SAN-E151": _e(
            "NUL byte in the file",
            "Byte NUL di dalam berkas",
            "the file contains a NUL byte (first at byte {offset}): it is not a text CSV file",
            "berkas memuat byte NUL (pertama di byte {offset}): bukan berkas teks CSV",
        ),
        "SAN-E152": _e(
            "Line too long",
            "Baris terlalu panjang",
            "the line has {length} characters; the limit is {limit} (csv_max_line_chars in "
            "reference/io_limits.csv)",
            "baris memuat {length} karakter; batasnya {limit} (csv_max_line_chars di "
            "reference/io_limits.csv)",
        ),
        "SAN-E153": _e(
            "Cell too long",
            "Sel terlalu panjang",
            "the cell has {length} characters; the limit is {limit} ({name} in "
            "reference/io_limits.csv)",
            "sel memuat {length} karakter; batasnya {limit} ({name} di reference/io_limits.csv)",
        ),
        "SAN-E154": _e(
            "Row wider than the header",
            "Baris lebih lebar dari judul",
            "the row has {width} cells but the header has {header} columns: a cell holds an "
            "unquoted comma, or a column name is missing",
            "baris memuat {width} sel padahal judul memiliki {header} kolom: ada sel dengan "
            "koma tanpa tanda kutip, atau nama kolom tidak ada",
        ),
        "SAN-E155": _e(
            "Too many columns",
            "Terlalu banyak kolom",
            "the table has {count} columns; the limit is {limit} ({name} in "
            "reference/io_limits.csv)",
            "tabel memiliki {count} kolom; batasnya {limit} ({name} di reference/io_limits.csv)",
        ),
        "SAN-E156": _e(
            "Not a file",
            "Bukan berkas",
            "{path} exists but is not a regular file (a folder?); remove it or put the file there",
            "{path} ada tetapi bukan berkas biasa (folder?); hapus atau ganti dengan berkasnya",
        ),
        "SAN-E157": _e(
            "Workbook too large when unpacked",
            "Workbook terlalu besar setelah diekstrak",
            "the workbook unpacks to {size} bytes ({detail}); the limit is {limit} ({name} in "
            "reference/io_limits.csv)",
            "workbook berukuran {size} byte setelah diekstrak ({detail}); batasnya {limit} "
            "({name} di reference/io_limits.csv)",
        ),
        "SAN-E158": _e(
            "Sheet beyond its limits",
            "Sheet melampaui batas",
            "sheet {sheet} has more than {limit} {what} ({name} in reference/io_limits.csv); "
            "nothing was imported",
            "sheet {sheet} memiliki lebih dari {limit} {what_id} ({name} di "
            "reference/io_limits.csv); tidak ada yang diimpor",
        ),
        "SAN-E159": _e(
            "Stale workbook",
            "Workbook kedaluwarsa",
            "row {key} of {target} was {change} after this workbook was exported; importing it "
            "would undo that: export a new template and enter the changes again",
            "baris {key} di {target} {change_id} setelah workbook ini diekspor; mengimpornya "
            "akan membatalkan perubahan itu: ekspor template baru lalu masukkan lagi perubahannya",
        ),
    }
)

# Evidence attachments of realisation rows (sanitasi.io.evidence; README "Evidence attachments").
CATALOGUE.update(
    {
        "SAN-E202": _e(
            "File type not accepted as evidence",
            "Jenis berkas tidak diterima sebagai bukti",
            "the content of the file is {detected}, not one of {choices} (the type is read "
            "from the file's first bytes, not from its name)",
            "isi berkas adalah {detected_id}, bukan salah satu dari {choices} (jenis dibaca "
            "dari byte awal berkas, bukan dari namanya)",
        ),
        "SAN-E203": _e(
            "Evidence file too large",
            "Berkas bukti terlalu besar",
            "the file has {size} bytes; the limit is {limit} bytes (evidence_max_bytes in "
            "reference/io_limits.csv)",
            "berkas berukuran {size} byte; batasnya {limit} byte (evidence_max_bytes di "
            "reference/io_limits.csv)",
        ),
        "SAN-E204": _e(
            "Too many evidence files",
            "Terlalu banyak berkas bukti",
            "the row would have {count} attachments; the limit is {limit} per row "
            "(evidence_max_files in reference/io_limits.csv): delete one first",
            "baris ini akan memiliki {count} lampiran; batasnya {limit} per baris "
            "(evidence_max_files di reference/io_limits.csv): hapus salah satu lebih dahulu",
        ),
        "SAN-E205": _e(
            "Empty evidence file",
            "Berkas bukti kosong",
            "the file is empty (0 bytes)",
            "berkas kosong (0 byte)",
        ),
    }
)

# Scenario files loaded into the web (sanitasi.web.loader, docs/city-data.md §13).
CATALOGUE.update(
    {
        "SAN-E206": _e(
            "Scenario file name cannot be a stored scenario's name",
            "Nama berkas skenario tidak dapat menjadi nama skenario tersimpan",
            "the file name {value} (without .toml) is the scenario's name in the web app: "
            "use letters, digits, '-' and '_' only, at most {limit} characters",
            "nama berkas {value} (tanpa .toml) menjadi nama skenario di aplikasi web: pakai "
            "huruf, angka, '-' dan '_' saja, paling banyak {limit} karakter",
        ),
    }
)
