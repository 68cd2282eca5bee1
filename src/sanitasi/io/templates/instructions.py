"""The instructions sheet (``petunjuk``) of a programme or realisation template: what the
sheet holds, how to fill it in, every column, the checks and the import command, in
Indonesian and English (the SWOT template's short text is in :mod:`.swot`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from xlsxwriter.worksheet import Worksheet

from sanitasi.io.templates.columns import SHEETS, TARGET_FILES, _doc
from sanitasi.io.templates.folder import _Folder
from sanitasi.io.templates.sheets import Formats, write_instructions


def _instructions(folder: _Folder, kind: str, columns: Sequence[str]) -> dict[str, list[str]]:
    city = f"{folder.city_name} ({folder.city})" if folder.city else "-"
    sheet = SHEETS[kind]
    file = TARGET_FILES[kind]
    today = dt.date.today().isoformat()
    if kind == "programme":
        what_id = (
            f"Template matriks program SSK (KKL) - {city}",
            f"Sheet '{sheet}' memuat satu baris per kegiatan, sama dengan {file}. "
            "Saat impor, isi sheet ini MENGGANTIKAN seluruh programme.csv (kegiatan yang "
            "dihapus dari sheet akan hilang, kecuali masih punya realisasi: impor ditolak).",
        )
        what_en = (
            f"SSK programme matrix (KKL) template - {city}",
            f"Sheet '{sheet}' holds one row per activity, like {file}. On import the sheet "
            "REPLACES programme.csv (activities deleted from the sheet are removed, unless they "
            "have realisation: then the import is refused).",
        )
    else:
        what_id = (
            f"Template realisasi triwulanan - {city}",
            f"Sheet '{sheet}' memuat satu baris per kegiatan, tahun dan triwulan. Saat impor, "
            f"baris dimasukkan ke {file} menurut (activity_code, year, quarter): baris yang "
            "sudah ada diperbarui, baris baru ditambahkan; tidak ada baris yang dihapus. "
            "Baris triwulan berikutnya sudah disiapkan: baris yang output, biaya dan catatannya "
            "kosong dilewati.",
        )
        what_en = (
            f"Quarterly realisation template - {city}",
            f"Sheet '{sheet}' holds one row per activity, year and quarter. On import the rows "
            f"are upserted into {file} by (activity_code, year, quarter): existing rows are "
            "updated, new rows added; no row is deleted. Rows for the next quarter are "
            "prepared: a row whose output, cost and note are blank is skipped.",
        )
    cols_id = [f"- {c}: {_doc(c, 'id')[1]}" for c in columns]
    cols_en = [f"- {c}: {_doc(c, 'en')[1]}" for c in columns]
    cmd = "sanitasi import BERKAS.xlsx --city-dir FOLDER_KOTA"
    id_lines = [
        what_id[0],
        f"Dibuat {today} dari folder kota ini oleh sanitasi export-template.",
        "",
        "Isi",
        what_id[1],
        "",
        "Cara mengisi",
        "1. Isi hanya sheet '" + sheet + "'. Jangan mengubah nama sheet atau judul kolom "
        "(baris 1). Urutan kolom boleh berubah.",
        "2. Pilih kode dari daftar drop-down; daftar lengkap ada di sheet daftar_instansi, "
        "daftar_wilayah, daftar_kode" + (" dan daftar_kegiatan." if kind != "programme" else "."),
        "3. Angka ditulis sebagai angka (bukan teks), tanpa pemisah ribuan; desimal dengan titik "
        "atau sesuai pengaturan Excel. Biaya dalam rupiah penuh.",
        "4. Kolom abu-abu (info_...) diisi otomatis dan diabaikan saat impor.",
        "5. Kolom yang dihapus dari sheet tetap memakai nilai lama di folder untuk baris yang "
        "sudah ada (mis. source, status).",
        *(
            [
                "6. Baris yang diisi wajib memiliki state: OPD mengisi draft atau submitted; "
                "Bappeda mengubahnya menjadi verified setelah pemeriksaan. Hanya realisasi "
                "verified yang dihitung dalam monitoring."
            ]
            if kind == "realisation"
            else []
        ),
        "",
        "Kolom",
        *cols_id,
        "",
        "Pemeriksaan",
        "Setiap baris diperiksa dengan aturan yang sama dengan berkas CSV (docs/city-data.md): "
        "kolom wajib, kode instansi dan wilayah, angka (bukan teks, tidak negatif), triwulan "
        "1-4, kode kegiatan unik, realisasi hanya untuk kegiatan yang ada, format efek, "
        "progres fisik 0-100 hanya untuk pekerjaan completion, tidak ada realisasi untuk "
        "triwulan yang belum dimulai. "
        "Jika ada satu kesalahan saja, SELURUH workbook ditolak, daftar kesalahan menyebut "
        "sheet, baris Excel, kolom dan aturannya, dan folder kota tidak berubah.",
        "",
        "Impor",
        f"{cmd}    (tambahkan --check untuk memeriksa saja tanpa menyimpan)",
    ]
    en_lines = [
        what_en[0],
        f"Made {today} from this city folder by sanitasi export-template.",
        "",
        "Content",
        what_en[1],
        "",
        "How to fill it in",
        "1. Fill in sheet '" + sheet + "' only. Do not rename the sheet or the column headers "
        "(row 1). Columns may be reordered.",
        "2. Pick codes from the drop-downs; the full lists are on sheets daftar_instansi, "
        "daftar_wilayah, daftar_kode" + (" and daftar_kegiatan." if kind != "programme" else "."),
        "3. Numbers are numbers (not text), without thousands separators. Costs in full rupiah.",
        "4. Grey columns (info_...) are filled automatically and ignored on import.",
        "5. A column deleted from the sheet keeps the folder's values for existing rows "
        "(e.g. source, status).",
        *(
            [
                "6. A filled-in row needs its state: the agency enters draft or submitted; "
                "Bappeda changes it to verified after checking. Only verified realisation counts "
                "in monitoring."
            ]
            if kind == "realisation"
            else []
        ),
        "",
        "Columns",
        *cols_en,
        "",
        "Checks",
        "Every row is checked with the rules of the CSV files (docs/city-data.md): required "
        "columns, agency and region codes, numbers (not text, not negative), quarter 1-4, "
        "unique activity codes, realisation only for existing activities, the effect grammar, "
        "physical progress 0-100 only for completion works, no realisation for a quarter that "
        "has not started. "
        "One error rejects the WHOLE workbook: the error list names the sheet, Excel row, column "
        "and rule, and the city folder is left untouched.",
        "",
        "Import",
        cmd.replace("BERKAS", "FILE").replace("FOLDER_KOTA", "CITY_DIR")
        + "    (add --check to validate without saving)",
    ]
    return {"id": id_lines, "en": en_lines}


_HEADINGS = {
    "Isi",
    "Cara mengisi",
    "Kolom",
    "Pemeriksaan",
    "Impor",
    "Content",
    "How to fill it in",
    "Columns",
    "Checks",
    "Import",
}


def _write_instructions(
    ws: Worksheet,
    fmt: Formats,
    folder: _Folder,
    kind: str,
    columns: Sequence[str],
    lang: str,
) -> None:
    write_instructions(ws, fmt, _instructions(folder, kind, columns), lang, _HEADINGS)
