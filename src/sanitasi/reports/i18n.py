"""Indonesian / English message catalogue of the reports.

Everything a report writes that is not engine data comes from here: headings, SSK chapter
titles, indicator, target-set, funding-source, need, sector, level, rung, scenario, status
and unit labels. Unknown codes fall back to the code itself (never a crash), so a new
engine code shows up readable enough until it gets a label.

``t(key, lang, **kw)`` formats a message; the ``*_label`` helpers translate codes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from sanitasi.core.model import INDICATORS
from sanitasi.reports.fmt import norm_lang

#: (Indonesian, English) per message key. ``{name}`` placeholders are filled by :func:`t`.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- report frame -------------------------------------------------------------------
    "report_title": ("Strategi Sanitasi Kota/Kabupaten (SSK)", "City Sanitation Strategy (SSK)"),
    "report_subtitle": (
        "Kondisi dasar, sasaran, kesenjangan, kebutuhan dan indikasi pendanaan",
        "Baseline, targets, gaps, needs and indicative funding",
    ),
    "city": ("Kabupaten/Kota", "City/regency"),
    "base_year": ("Tahun dasar", "Base year"),
    "horizon": ("Horizon proyeksi", "Projection horizon"),
    "plan_period": ("Periode rencana", "Plan period"),
    "target_sets": ("Acuan target", "Target sets"),
    "generated": ("Dibuat", "Generated"),
    "generated_by": ("Dibuat dengan sanitasi {version}", "Generated with sanitasi {version}"),
    "contents": ("Daftar isi", "Contents"),
    "language": ("Bahasa", "Language"),
    "none": ("tidak ada", "none"),
    "notice_title": (
        "Perhatian: sebagian masukan belum resmi",
        "Note: some inputs are not official",
    ),
    "notice_body": (
        "Laporan ini memakai masukan yang bersifat ilustratif ({illustrative}) atau belum "
        "terverifikasi ({unverified}) di antara parameter dan data rujukannya. Angka yang "
        "bergantung padanya adalah perkiraan kerja, bukan angka resmi, sampai Pokja "
        "memverifikasinya. Baris \u201cMasukan\u201d di bawah setiap tabel menunjukkan "
        "asal masukannya.",
        "This report uses inputs that are illustrative ({illustrative}) or unverified "
        "({unverified}) among its parameters and reference data. Figures that depend on them "
        "are working estimates, not official figures, until the Pokja verifies them. The "
        "\u201cInputs\u201d line under each table shows where its inputs come from.",
    ),
    "notice_tables": (
        "Tabel dengan masukan ilustratif/belum terverifikasi: {tables}.",
        "Tables with illustrative/unverified inputs: {tables}.",
    ),
    "js_required": (
        "Grafik memerlukan JavaScript (sudah tersemat di berkas ini; tidak perlu internet).",
        "Charts need JavaScript (embedded in this file; no internet needed).",
    ),
    "years_shown": (
        "Ditampilkan tahun dasar dan tahun periode rencana ({years}); semua tahun ada di "
        "berkas XLSX.",
        "Showing the base year and the plan-period years ({years}); the XLSX file has every year.",
    ),
    "rows_hidden": ("{n} baris lain tidak ditampilkan.", "{n} more rows not shown."),
    "print_annex_area_year": (
        "Edisi cetak tidak memuat tabel ini ({rows} baris per wilayah \u00d7 tahun); "
        "tabel lengkapnya ada di lampiran XLSX, lembar \u201c{sheet}\u201d.",
        "The print edition leaves this table out ({rows} rows by area \u00d7 year); the "
        "whole table is in the XLSX annex, sheet \u201c{sheet}\u201d.",
    ),
    "print_years_charted": (
        "Edisi cetak: tahun dasar dan akhir periode rencana ({years}); grafik di atas "
        "menunjukkan setiap tahun, dan berkas XLSX memuat semua tahun.",
        "Print edition: the base year and the end of the plan period ({years}); the charts "
        "above show every year, and the XLSX file has all years.",
    ),
    "print_columns_part": (
        "Tabel ini terlalu lebar untuk satu halaman: bagian {i} dari {n} kolomnya",
        "This table is too wide for one page: part {i} of {n} of its columns",
    ),
    "print_annex_table": (
        "Edisi cetak tidak memuat tabel ini ({rows} baris); tabel lengkapnya ada di "
        "lampiran XLSX, lembar \u201c{sheet}\u201d.",
        "The print edition leaves this table out ({rows} rows); the whole table is in the "
        "XLSX annex, sheet \u201c{sheet}\u201d.",
    ),
    "wide_same": (
        "{scenario} sama dengan {main} di semua wilayah dan tahun yang ditampilkan.",
        "{scenario} equals {main} in every area and year shown.",
    ),
    "wide_other_areas": (
        "Wilayah lain: {scenario} sama dengan {main}.",
        "Other areas: {scenario} equals {main}.",
    ),
    "wide_zero": (
        "Tidak ditampilkan karena bernilai 0 di semua wilayah dan tahun: {measures}.",
        "Not shown as 0 in every area and year: {measures}.",
    ),
    "wide_other_columns": (
        "Kolom lain ada di berkas XLSX: {columns}.",
        "The XLSX file also has: {columns}.",
    ),
    "wide_title": ("{measure} \u2014 {what}", "{measure} \u2014 {what}"),
    "no_rows": ("Tidak ada baris.", "No rows."),
    "no_data": ("tidak ada data", "no data"),
    "unit": ("Satuan", "Unit"),
    "total": ("Jumlah", "Total"),
    # --- provenance ---------------------------------------------------------------------
    "provenance_prefix": ("Masukan", "Inputs"),
    "provenance_none": ("Masukan: tidak tercatat", "Inputs: not recorded"),
    "status_sourced": ("bersumber", "sourced"),
    "status_derived": ("turunan", "derived"),
    "status_illustrative": ("ilustratif", "illustrative"),
    "status_unverified": ("belum terverifikasi", "unverified"),
    "status_sourced_def": (
        "diambil dari dokumen atau data yang disebut sumbernya",
        "taken from a cited document or data set",
    ),
    "status_derived_def": (
        "dihitung dari masukan bersumber (cara hitungnya dicatat)",
        "computed from sourced inputs (the derivation is recorded)",
    ),
    "status_illustrative_def": (
        "nilai contoh yang wajar, bukan angka resmi daerah; ganti dengan data setempat",
        "a plausible example value, not an official local figure; replace with local data",
    ),
    "status_unverified_def": (
        "berasal dari ingatan, kutipan sekunder atau isian rencana; periksa sebelum dipakai",
        "from recollection, a secondary quote or a plan override; check before use",
    ),
    "provenance_legend": ("Keterangan asal masukan", "Provenance legend"),
    # --- SSK chapters -------------------------------------------------------------------
    "summary": ("Ringkasan", "Summary"),
    "chapter_2": ("Bab II Profil Sanitasi", "Chapter II Sanitation Profile"),
    "chapter_3": ("Bab III Kerangka Pengembangan & Sasaran", "Chapter III Framework & Targets"),
    "chapter_5": (
        "Bab V Program, Kegiatan & Indikasi Pendanaan",
        "Chapter V Programmes, Activities & Indicative Funding",
    ),
    "chapter_ghg": ("Emisi Gas Rumah Kaca (GRK)", "Greenhouse Gas Emissions"),
    "chapter_other": ("Tabel lainnya", "Other tables"),
    "chapter_annex": ("Lampiran", "Annex"),
    "warnings": ("Peringatan", "Warnings"),
    "no_warnings": ("Tidak ada peringatan.", "No warnings."),
    "parameters": ("Parameter", "Parameters"),
    "overrides": ("Parameter yang diubah dalam rencana ini", "Parameters overridden in this plan"),
    "no_overrides": (
        "Tidak ada; semua parameter memakai nilai rujukan.",
        "None; every parameter uses its reference value.",
    ),
    "sources": ("Sumber", "Sources"),
    "sources_files": ("Berkas masukan", "Input files"),
    "sources_cited": ("Sumber yang dikutip", "Cited sources"),
    "used_by": ("dipakai oleh", "used by"),
    "charts": ("Grafik", "Charts"),
    # --- summary box --------------------------------------------------------------------
    "retro_question_bappenas": (
        "Seberapa jauh dari target Bappenas {year}?",
        "How far are we from the Bappenas {year} targets?",
    ),
    "retro_question": (
        "Capaian terhadap target nasional sampai {year}",
        "Attainment of national targets up to {year}",
    ),
    "retro_none": (
        "Tidak ada titik target nasional pada atau sebelum tahun dasar.",
        "No national target point falls in or before the base year.",
    ),
    "retro_met": ("tercapai", "met"),
    "retro_short": ("belum tercapai", "not met"),
    "retro_line_short": (
        "{indicator}: capaian {actual} terhadap target {target} ({set}, {year}) \u2014 "
        "kurang {gap}{units}.",
        "{indicator}: {actual} against a target of {target} ({set}, {year}) \u2014 "
        "short by {gap}{units}.",
    ),
    "retro_line_met": (
        "{indicator}: capaian {actual} terhadap target {target} ({set}, {year}) \u2014 tercapai.",
        "{indicator}: {actual} against a target of {target} ({set}, {year}) \u2014 met.",
    ),
    "retro_line_plain": (
        "{indicator}: capaian {actual} terhadap target {target} ({set}, {year}).",
        "{indicator}: {actual} against a target of {target} ({set}, {year}).",
    ),
    "retro_line_nodata": (
        "{indicator}: target {target} ({set}, {year}) \u2014 tidak ada data capaian.",
        "{indicator}: target {target} ({set}, {year}) \u2014 no data on attainment.",
    ),
    "approx_units": (" (\u2248 {value} {unit})", " (\u2248 {value} {unit})"),
    # --- terminal / table headings ------------------------------------------------------
    "t_retro": ("Capaian vs target nasional (retrospektif)", "Attainment vs national targets"),
    "t_headline": ("Indikator utama kota", "City headline indicators"),
    "t_needs": ("Kebutuhan {start}\u2013{end}", "Needs {start}\u2013{end}"),
    "t_funding": (
        "Indikasi pendanaan {start}\u2013{end} menurut sumber",
        "Indicative funding {start}\u2013{end} by source",
    ),
    "col_target_set": ("Acuan", "Target set"),
    "col_indicator": ("Indikator", "Indicator"),
    "col_year": ("Tahun", "Year"),
    "col_target": ("Target", "Target"),
    "col_actual": ("Capaian", "Actual"),
    "col_gap": ("Selisih", "Gap"),
    "col_gap_units": ("Selisih (unit)", "Gap (units)"),
    "col_baseline": ("Dasar {year}", "Base {year}"),
    "col_traj": ("Lintasan {year}", "Trajectory {year}"),
    "col_bau": ("BAU {year}", "BAU {year}"),
    "col_gap_year": ("Selisih {year}", "Gap {year}"),
    "col_sector": ("Sektor", "Sector"),
    "col_need": ("Kebutuhan", "Need"),
    "col_quantity": ("Jumlah", "Quantity"),
    "col_cost": ("Biaya", "Cost"),
    "col_source": ("Sumber dana", "Funding source"),
    "col_code": ("Kode", "Code"),
    "col_label_id": ("Label (Indonesia)", "Label (Indonesian)"),
    "col_label_en": ("Label (Inggris)", "Label (English)"),
    "col_name": ("Nama", "Name"),
    "col_value": ("Nilai", "Value"),
    "col_default": ("Nilai rujukan", "Reference value"),
    "col_status": ("Status", "Status"),
    "col_message": ("Pesan", "Message"),
    "col_place": ("Wilayah", "Place"),
    "col_sheet": ("Lembar", "Sheet"),
    "col_title": ("Isi", "Contents"),
    "col_rows": ("Baris", "Rows"),
    "col_provenance": ("Asal masukan", "Provenance"),
    "more_warnings": ("\u2026 dan {n} peringatan lain", "\u2026 and {n} more warnings"),
    # --- charts -------------------------------------------------------------------------
    "chart_headline": ("{indicator}: BAU dan lintasan rencana", "{indicator}: BAU and trajectory"),
    "chart_ladder": (
        "Tangga sanitasi per kelurahan/desa (skenario rencana)",
        "Sanitation ladder by kelurahan/desa (plan scenario)",
    ),
    "chart_funding": (
        "Indikasi pendanaan menurut sumber dan tahun",
        "Indicative funding by source and year",
    ),
    "chart_waste": ("Neraca sampah kota ({scenario})", "City waste balance ({scenario})"),
    "series_bau": ("BAU (tanpa rencana)", "BAU (business as usual)"),
    "series_traj": ("Lintasan rencana", "Planning trajectory"),
    "series_baseline": ("Kondisi dasar", "Baseline"),
    "axis_year": ("Tahun", "Year"),
    "axis_pct": ("Persen (%)", "Percent (%)"),
    "axis_share_hh": ("Bagian rumah tangga", "Share of households"),
    "axis_households": ("Rumah tangga", "Households"),
    "axis_area": ("Kelurahan/desa", "Kelurahan/desa"),
    "axis_tpd": ("Ton per hari", "Tonnes per day"),
    "axis_rung": ("Tangga sanitasi", "Ladder rung"),
    "axis_series": ("Seri", "Series"),
    "axis_component": ("Komponen", "Component"),
    "axis_money": ("Biaya ({unit})", "Cost ({unit})"),
    "money_juta": ("juta Rp", "IDR million"),
    "money_miliar": ("miliar Rp", "IDR billion"),
    "waste_pengurangan": ("Pengurangan", "Reduction (pengurangan)"),
    "waste_penanganan": ("Penanganan", "Handling (penanganan)"),
    "waste_unmanaged": ("Tidak terkelola", "Unmanaged"),
    # --- programme (plan report) ------------------------------------------------------
    "chart_coverage": (
        "BAU, lintasan rencana dan dengan program",
        "BAU, planning trajectory and with the programme",
    ),
    "chart_coverage_closed": (
        "Program menutup {share} kesenjangan {year}",
        "The programme closes {share} of the {year} gap",
    ),
    "chart_programme_funding": (
        "Biaya program vs indikasi pendanaan kebutuhan",
        "Programme cost vs needs-based funding",
    ),
    "series_programme": ("Dengan program", "With the programme"),
    "series_programme_cost": ("Biaya program", "Programme cost"),
    "series_needs_cost": ("Kebutuhan", "Needs-based"),
    "t_programme": ("Program {start}\u2013{end}", "Programme {start}\u2013{end}"),
    "t_programme_cover": (
        "Program {start}\u2013{end}: kesenjangan {year} yang ditutup",
        "Programme {start}\u2013{end}: share of the {year} gap closed",
    ),
    "t_programme_funding": (
        "Biaya program vs kebutuhan {start}\u2013{end}",
        "Programme cost vs needs {start}\u2013{end}",
    ),
    "col_with_programme": ("Dengan program {year}", "With programme {year}"),
    "col_closed_share": ("Ditutup", "Closed"),
    "col_still_short": ("Masih kurang", "Still short"),
    "col_programme_cost": ("Biaya program", "Programme cost"),
    "col_needs_cost": ("Kebutuhan", "Needs-based"),
    "col_funding_short": ("Kekurangan dana", "Funding short"),
    "overplan_count": (
        "Rencana berlebih (SAN-W201): {n} peringatan \u2014 keluaran melebihi yang dapat dikenai "
        "efeknya (rincian di laporan HTML/XLSX).",
        "Over-plan (SAN-W201): {n} warnings \u2014 outputs larger than what their effect can act "
        "on (details in the HTML/XLSX report).",
    ),
    "overplan_none": (
        "Tidak ada peringatan rencana berlebih (SAN-W201).",
        "No over-plan warnings (SAN-W201).",
    ),
    "no_gap": ("tanpa kesenjangan", "no gap"),
    # --- monitoring report ------------------------------------------------------------
    "mon_title": ("Pemantauan Kinerja Program SSK", "SSK Programme Performance Monitoring"),
    "mon_subtitle": (
        "Bab VI Pemantauan dan Evaluasi: realisasi fisik dan keuangan, kategori kinerja, "
        "indikator, rapat dan tindak lanjut",
        "Chapter VI Monitoring and Evaluation: physical and financial realisation, "
        "performance bands, indicators, meetings and action items",
    ),
    "mon_period": ("Periode pemantauan", "Period monitored"),
    "mon_quarter": ("T{quarter} {year}", "{year} Q{quarter}"),
    "mon_as_of": ("Keadaan per", "As of"),
    "mon_counted": ("Realisasi yang dihitung", "Realisation counted"),
    "mon_counted_verified": ("hanya yang terverifikasi", "verified only"),
    "mon_counted_submitted": (
        "terverifikasi dan diajukan (belum diverifikasi)",
        "verified and submitted (not yet verified)",
    ),
    "mon_notice_body": (
        "Data program dan realisasi memuat {illustrative} baris ilustratif dan {unverified} "
        "baris belum terverifikasi. Angka yang bergantung padanya adalah perkiraan kerja, "
        "bukan angka resmi, sampai Pokja memverifikasinya.",
        "The programme and realisation data hold {illustrative} illustrative and "
        "{unverified} unverified rows. Figures that depend on them are working estimates, "
        "not official figures, until the Pokja verifies them.",
    ),
    "mon_summary": ("Ringkasan kinerja kota {period}", "City performance summary {period}"),
    "mon_band_line": ("Kategori kinerja kota: {band}", "City performance band: {band}"),
    "mon_physical_index": ("Indeks capaian fisik", "Physical index"),
    "mon_financial": ("Capaian keuangan", "Financial progress"),
    "mon_absorption": ("Penyerapan APBD (termasuk DAK)", "APBD absorption (incl. DAK)"),
    "mon_investment": ("Investasi menurut sumber", "Investment by source"),
    "mon_no_investment": ("tidak ada", "none"),
    "mon_spent": ("Belanja s.d. triwulan", "Spent to date"),
    "mon_counts": (
        "{n} kegiatan: {behind} terlambat, {overspend} melebihi biaya satuan, {unplanned} di "
        "luar rencana, {missing} laporan triwulan hilang.",
        "{n} activities: {behind} behind, {overspend} over unit cost, {unplanned} unplanned, "
        "{missing} missing quarterly reports.",
    ),
    "mon_overdue_count": ("Tindak lanjut lewat tenggat", "Overdue action items"),
    "mon_bands_rule": (
        "Kategori (Permendagri 86/2017) menurut capaian fisik: {rules}.",
        "Bands (Permendagri 86/2017) by physical progress: {rules}.",
    ),
    "mon_ch_agency": ("Kinerja per OPD", "Performance by agency"),
    "mon_ch_money": (
        "Penyerapan dan investasi per sumber dana",
        "Absorption and investment by funding source",
    ),
    "mon_ch_activity": ("Kinerja per kegiatan", "Performance by activity"),
    "mon_ch_quarter": ("Rencana vs realisasi per triwulan", "Plan vs realisation by quarter"),
    "mon_ch_indicators": (
        "Indikator: rencana, realisasi dan prakiraan",
        "Indicators: plan, realised and forecast",
    ),
    "mon_ch_groups": ("Kinerja per sektor dan kecamatan", "Performance by sector and kecamatan"),
    "mon_ch_meetings": (
        "Rapat, Coaching Clinic dan tindak lanjut",
        "Meetings, Coaching Clinics and action items",
    ),
    "mon_ch_other": ("Tabel lainnya", "Other tables"),
    "mon_agency_table": ("Kinerja per OPD pelaksana", "Performance by lead agency"),
    "mon_activities": ("kegiatan", "activities"),
    "mon_top_warnings": ("Peringatan utama", "Main warnings"),
    "mon_warning_counts": ("{n} peringatan: {codes}", "{n} warnings: {codes}"),
    "mon_overdue": ("Tindak lanjut lewat tenggat", "Overdue action items"),
    "mon_no_overdue": ("Tidak ada tindak lanjut yang lewat tenggat.", "No overdue action items."),
    "mon_overdue_line": (
        "tenggat {due}, terlambat {days} hari",
        "due {due}, {days} days overdue",
    ),
    "mon_indicators": (
        "Indikator kota: lintasan vs realisasi {year}, prakiraan {end}",
        "City indicators: trajectory vs realised {year}, forecast {end}",
    ),
    "col_agency": ("OPD", "Agency"),
    "col_activities": ("Keg.", "Act."),
    "col_physical": ("Fisik", "Physical"),
    "col_financial": ("Keuangan", "Financial"),
    "col_absorption": ("Penyerapan", "Absorption"),
    "col_investment": ("Investasi", "Investment"),
    "col_band": ("Kategori", "Band"),
    "col_behind": ("Terlambat", "Behind"),
    "col_traj_year": ("Lintasan {year}", "Trajectory {year}"),
    "col_realised_year": ("Realisasi {year}", "Realised {year}"),
    "col_forecast_year": ("Prakiraan {year}", "Forecast {year}"),
    "chart_mon_money": (
        "Rencana vs realisasi keuangan per triwulan (kumulatif)",
        "Planned vs spent money by quarter (cumulative)",
    ),
    "chart_mon_output": (
        "Rencana vs realisasi keluaran per kegiatan (kumulatif)",
        "Planned vs realised output by activity (cumulative)",
    ),
    "chart_mon_indicator": (
        "Rencana, realisasi dan prakiraan pada laju saat ini",
        "Plan, realised and forecast at the current pace",
    ),
    "series_plan_cum": ("Rencana", "Plan"),
    "series_realised_cum": ("Realisasi", "Realised"),
    "series_realised": ("Dari realisasi", "From realisation"),
    "series_forecast": ("Prakiraan laju saat ini", "Forecast at current pace"),
    "axis_quarter": ("Triwulan", "Quarter"),
    "axis_output": ("Keluaran (kumulatif)", "Output (cumulative)"),
    "axis_activity": ("Kegiatan", "Activity"),
    "quarter_short": ("T{quarter}", "Q{quarter}"),
    # --- agency one-pager -------------------------------------------------------------
    "brief_title": ("Kewajiban OPD tahun {year}", "What the agency owes in {year}"),
    "brief_as_of": ("per {date}", "as of {date}"),
    "brief_led": ("Kegiatan yang dipimpin (R)", "Activities led (R)"),
    "brief_supported": ("Kegiatan yang didukung (C)", "Activities supported (C)"),
    "brief_actions": ("Tindak lanjut terbuka", "Open action items"),
    "brief_meetings": ("Rapat tahun ini", "Meetings this year"),
    "brief_totals": (
        "Memimpin {n_led} kegiatan dengan anggaran {budget}; realisasi belanja {spent}. "
        "Mendukung {n_supported} kegiatan. Tindak lanjut terbuka: {n_open} ({n_overdue} lewat "
        "tenggat). Rapat tahun ini: {n_meetings} ({n_upcoming} akan datang).",
        "Leads {n_led} activities with a budget of {budget}; spent to date {spent}. Supports "
        "{n_supported} activities. Open action items: {n_open} ({n_overdue} overdue). "
        "Meetings this year: {n_meetings} ({n_upcoming} upcoming).",
    ),
    "brief_targets": ("Target kumulatif", "Cumulative targets"),
    "brief_done": ("Capaian s.d. T{quarter}", "Done to Q{quarter}"),
    "brief_progress": ("progres fisik {pct}", "physical progress {pct}"),
    "brief_judged_from": (
        "diadopsi tahun ini: dinilai mulai T{quarter}",
        "adopted this year: judged from Q{quarter}",
    ),
    "brief_led_by": ("dipimpin {agency}", "led by {agency}"),
    "brief_overdue": ("LEWAT TENGGAT {days} hari", "OVERDUE by {days} days"),
    "brief_due": ("tenggat {due}", "due {due}"),
    "brief_held": ("sudah", "held"),
    "brief_upcoming": ("akan datang", "upcoming"),
    "brief_none": ("tidak ada", "none"),
    "brief_reports": ("Laporan", "Reports"),
    "brief_reports_totals": (
        "Laporan triwulan jatuh tempo: {due} ({overdue} lewat tenggat, {returned} dikembalikan).",
        "Quarterly reports due: {due} ({overdue} overdue, {returned} returned).",
    ),
    "rstate_missing": ("belum ada", "missing"),
    "rstate_returned": ("dikembalikan", "returned"),
    "rstate_draft": ("draf", "draft"),
    "rstate_submitted": ("diajukan", "submitted"),
    "rstate_verified": ("terverifikasi", "verified"),
    "rstate_overdue": ("lewat tenggat", "overdue"),
    # --- SSK instruments: risk areas, excreta flow diagram, household survey -------------
    "ins_risk_title": ("Area Berisiko Sanitasi", "Sanitation Risk Areas"),
    "ins_risk_subtitle": (
        "Bab II SSK: skor IMPACT \u00d7 EXPOSURE per kelurahan/desa dan subsektor, kelas "
        "risiko, area prioritas dan porsi program di area prioritas",
        "SSK Chapter II: IMPACT \u00d7 EXPOSURE score per kelurahan/desa and subsector, risk "
        "classes, priority areas and the programme's share in them",
    ),
    "ins_sfd_title": ("Diagram Alir Tinja (SFD)", "Excreta Flow Diagram (SFD)"),
    "ins_sfd_subtitle": (
        "Bab II SSK: aliran tinja dari penampungan sampai pengolahan (% penduduk); aman "
        "menurut SFD, gaya JMP dan tangga sanitasi berdampingan",
        "SSK Chapter II: excreta flows from containment to treatment (% of population); "
        "SFD-safe, JMP-style and aman side by side",
    ),
    "ins_survey_title": ("Hasil Survei Rumah Tangga", "Household Survey Results"),
    "ins_survey_subtitle": (
        "Bab II SSK: tangga sanitasi per kelurahan/desa dari survei rumah tangga (EHRA/Susenas), "
        "persentase tertimbang dengan selang kepercayaan 95%",
        "SSK Chapter II: sanitation ladder per kelurahan/desa from the household survey "
        "(EHRA/Susenas), weighted shares with 95% confidence intervals",
    ),
    "ins_ch_risk_map": ("Peta dan kelas area berisiko", "Risk map and classes"),
    "ins_ch_risk_scores": ("Skor dan perhitungan", "Scores and workings"),
    "ins_ch_risk_programme": (
        "Program di area prioritas",
        "Programme in priority areas",
    ),
    "ins_ch_sfd_diagram": ("Diagram alir tinja", "Flow diagram"),
    "ins_ch_sfd_tables": ("Aliran dan sistem", "Flows and systems"),
    "ins_ch_survey_shares": ("Tangga sanitasi per kelurahan/desa", "Ladder by kelurahan/desa"),
    "ins_ch_survey_issues": (
        "Jawaban yang tidak dihitung",
        "Answers that were not counted",
    ),
    "ins_ch_survey_other": ("Praktik sampah dan kodebuku", "Waste practice and codebook"),
    "ins_n_kelurahan": ("Kelurahan/desa dinilai", "Kelurahan/desa scored"),
    "ins_n_priority": ("Area prioritas (kelas 3\u20134)", "Priority areas (classes 3\u20134)"),
    "ins_n_overridden": ("Kelas diubah Pokja", "Classes overridden"),
    "ins_cut_points": ("Batas kelas", "Class bounds"),
    "ins_cut_equal": ("interval sama dari rentang skor", "equal intervals of the score range"),
    "ins_cut_fixed": ("titik potong tetap {points}", "fixed cut points {points}"),
    "ins_prog_share": (
        "Biaya program di area prioritas ({sector})",
        "Programme cost in priority areas ({sector})",
    ),
    "ins_prog_line": (
        "{sector}: {priority} dari {total} ({pct}) di area prioritas; {located} dari biaya "
        "yang berlokasi di kelurahan; {not_located} di tingkat kecamatan/kota tidak dialokasikan.",
        "{sector}: {priority} of {total} ({pct}) in priority areas; {located} of the cost "
        "located at a kelurahan; {not_located} at kecamatan/city level not allocated.",
    ),
    "ins_prog_line_unlocated": (
        "{sector}: {priority} dari {total} ({pct}) di area prioritas; tidak ada biaya yang "
        "berlokasi di kelurahan ({not_located} di tingkat kecamatan/kota tidak dialokasikan).",
        "{sector}: {priority} of {total} ({pct}) in priority areas; no cost is located at a "
        "kelurahan ({not_located} at kecamatan/city level not allocated).",
    ),
    "ins_counts_note": (
        "Dalam kurung: jumlah menurut kelas terhitung, bila berbeda karena perubahan Pokja.",
        "In brackets: the count by computed class, where a Pokja override changed it.",
    ),
    "ins_prog_none": (
        "Tidak ada programme.csv: porsi program di area prioritas tidak dihitung.",
        "No programme.csv: the programme's share in priority areas is not computed.",
    ),
    "ins_prog_rule": (
        "Kegiatan di kelurahan dihitung menurut kelas kelurahan itu; kegiatan tingkat "
        "kecamatan/kota tidak dialokasikan (lihat core.risk.priority_share).",
        "Activities at a kelurahan count by that kelurahan's class; kecamatan/city-level "
        "activities are not allocated (see core.risk.priority_share).",
    ),
    "ins_t_classes": ("Kelas risiko per kelurahan/desa", "Risk classes by kelurahan/desa"),
    "ins_t_class_counts": ("Jumlah kelurahan/desa per kelas", "Kelurahan/desa per class"),
    "ins_t_priority": ("Area prioritas", "Priority areas"),
    "ins_t_flows": ("Aliran tinja {year} (% penduduk)", "Excreta flows {year} (% of population)"),
    "ins_t_compare": (
        "Aman menurut SFD, gaya JMP dan tangga sanitasi",
        "SFD-safe, JMP-style and aman side by side",
    ),
    "ins_t_survey": (
        "Tangga sanitasi per kelurahan/desa (tertimbang, selang 95%)",
        "Ladder by kelurahan/desa (weighted, 95% interval)",
    ),
    "ins_t_issues": ("Masalah per kolom", "Issues per column"),
    "ins_col_stage": ("Tahap", "Stage"),
    "ins_col_flow": ("Aliran", "Flow"),
    "ins_col_share": ("% penduduk", "% of population"),
    "ins_col_safety": ("Keamanan", "Safety"),
    "ins_col_area": ("Kelurahan/desa", "Kelurahan/desa"),
    "ins_col_n": ("n", "n"),
    "ins_col_column": ("Kolom", "Column"),
    "ins_col_field": ("Isian", "Field"),
    "ins_col_count": ("Jumlah RT", "Households"),
    "ins_col_values": ("Nilai", "Values"),
    "ins_col_codes": ("Kode", "Codes"),
    "ins_col_computed": ("Terhitung", "Computed"),
    "ins_col_final": ("Akhir", "Final"),
    "ins_col_class": ("Kelas", "Class"),
    "ins_col_score": ("Skor", "Score"),
    "ins_col_reason": ("Alasan perubahan", "Override reason"),
    "ins_sfd_safe": ("Aman menurut SFD", "SFD safely managed"),
    "ins_sfd_jmp": ("Gaya JMP (proksi)", "JMP-style (proxy)"),
    "ins_sfd_aman": ("Aman (tangga sanitasi)", "Aman (ladder)"),
    "ins_sfd_layak": ("Layak (tangga sanitasi)", "Layak (ladder)"),
    "ins_sfd_year": ("Tahun diagram", "Diagram year"),
    "ins_sfd_base": ("Tahun data SFD", "SFD data year"),
    "ins_sfd_diagram": ("Diagram alir tinja (SFD) {year}", "Excreta flow diagram (SFD) {year}"),
    "ins_sfd_plan_diagram": (
        "Diagram alir tinja (SFD) {year} \u2014 {what}",
        "Excreta flow diagram (SFD) {year} \u2014 {what}",
    ),
    "ins_sfd_base_label": ("kondisi dasar", "baseline"),
    "ins_sfd_end_label": ("akhir periode rencana (skenario rencana)", "end of plan period (plan)"),
    "ins_sfd_no_ladder": (
        "Tidak ada tangga sanitasi (hh_<anak tangga>) di observations.csv: BABS dianggap 0 "
        "dan aman tidak ditampilkan.",
        "No ladder (hh_<rung>) in observations.csv: open defecation taken as 0 and aman not shown.",
    ),
    "ins_sfd_no_year": (
        "Tidak ada tangga sanitasi untuk tahun {year}; tahun yang tersedia: {years}.",
        "No ladder for year {year}; years available: {years}.",
    ),
    "ins_sfd_needs_plan": (
        "Tahun {year} diproyeksikan dengan rencana kota; folder ini tidak dapat menghasilkan "
        "rencana untuk tahun itu.",
        "Year {year} is projected with the city's plan; this folder cannot give a plan for "
        "that year.",
    ),
    "ins_sfd_plan_note": (
        "Tahun proyeksi memakai tangga sanitasi skenario rencana.",
        "Projected years use the ladder of the plan scenario.",
    ),
    "ins_survey_file": ("Berkas survei", "Survey file"),
    "ins_survey_mapping": ("Pemetaan kolom", "Column mapping"),
    "ins_survey_engine": ("Mesin hitung", "Engine"),
    "ins_survey_rows": ("Baris (rumah tangga)", "Rows (households)"),
    "ins_survey_classified": ("Tergolong", "Classified"),
    "ins_survey_unknown": ("Tidak tergolong (unknown)", "Not classified (unknown)"),
    "ins_survey_unknown_kel": ("Kelurahan tidak dikenal", "Unknown kelurahan"),
    "ins_survey_areas": ("Kelurahan/desa", "Kelurahan/desa"),
    "ins_survey_below": (
        "Di bawah minimum EHRA ({min} RT)",
        "Below the EHRA minimum ({min} households)",
    ),
    "ins_survey_method": (
        "Persentase tertimbang per kelurahan/desa; selang kepercayaan 95% Wilson dengan n "
        "efektif Kish (n_eff = (\u03a3w)\u00b2/\u03a3w\u00b2; tanpa efek desain klaster). "
        "Aman: tangki septik dikuras dalam {window} tahun terakhir.",
        "Weighted shares per kelurahan/desa; 95% Wilson interval with Kish's effective n "
        "(n_eff = (\u03a3w)\u00b2/\u03a3w\u00b2; no cluster design effect). Aman: septic "
        "tank emptied within the last {window} years.",
    ),
    "ins_survey_no_issues": (
        "Semua jawaban terbaca; tidak ada yang dibuang.",
        "Every answer was read; nothing was dropped.",
    ),
    "ins_survey_more": ("\u2026 dan {n} kelurahan/desa lain", "\u2026 and {n} more kelurahan/desa"),
    "ins_survey_flag": ("< {min}", "< {min}"),
    "ins_applied": (
        "Ditulis ke {path}: {rows} baris hh_<anak tangga> tahun {year} untuk {n} kelurahan/desa "
        "({replaced} baris lama diganti).",
        "Written to {path}: {rows} hh_<rung> rows for {year} for {n} kelurahan/desa "
        "({replaced} earlier rows replaced).",
    ),
    "ins_applied_result": (
        "Ditulis ke {path}: hasil survei per kelurahan/desa (untuk Bab II laporan rencana).",
        "Written to {path}: the survey results per kelurahan/desa (for the plan's Chapter II).",
    ),
    "ins_apply_needs_city": (
        "--apply memerlukan --city-dir (data demo tidak diubah).",
        "--apply needs --city-dir (the demo data is never changed).",
    ),
    "app_unknown_agency": (
        "{agency!r}: kode OPD tidak dikenal; {known}",
        "{agency!r}: unknown agency code; {known}",
    ),
    "ins_bad_cut_points": (
        "--cut-points {value!r}: berikan tiga angka naik a,b,c (mis. 4,8,12).",
        "--cut-points {value!r}: give three increasing numbers a,b,c (e.g. 4,8,12).",
    ),
    "ins_input_warnings": ("Peringatan masukan", "Input warnings"),
    "ins_year_shown": (
        "Ditampilkan tahun {years}; semua tahun ada di berkas XLSX.",
        "Showing {years}; the XLSX file has every year.",
    ),
    "chart_risk_map": (
        "Peta area berisiko per subsektor (kelas akhir)",
        "Risk areas by subsector (final class)",
    ),
    "chart_risk_map_sub": (
        "Baris = kecamatan, petak = kelurahan/desa (skor \u00b7 kelas); bingkai gelap = kelas "
        "diubah Pokja",
        "Rows = kecamatan, tiles = kelurahan/desa (score \u00b7 class); dark frame = class "
        "overridden by the Pokja",
    ),
    "axis_kecamatan": ("Kecamatan", "Kecamatan"),
    "axis_risk_score": ("Skor risiko", "Risk score"),
    "axis_risk_class": ("Kelas risiko", "Risk class"),
    "axis_low": ("Batas bawah 95%", "95% lower bound"),
    "axis_high": ("Batas atas 95%", "95% upper bound"),
    "chart_survey": (
        "Tangga sanitasi menurut survei (persentase tertimbang, selang kepercayaan 95%)",
        "Sanitation ladder from the survey (weighted share, 95% confidence interval)",
    ),
    "chart_survey_sub": (
        "Selang Wilson dengan n efektif Kish; * = di bawah minimum EHRA {min} rumah tangga",
        "Wilson interval with Kish's effective n; * = below the EHRA minimum of {min} households",
    ),
    "chart_survey_more": (
        "{n} kelurahan/desa pertama dari {total}",
        "first {n} of {total} kelurahan/desa",
    ),
}

#: Short indicator labels (the engine's INDICATORS catalogue has the long names).
INDICATOR_LABELS: dict[str, tuple[str, str]] = {
    "pct_layak": ("Akses layak", "Basic sanitation (layak)"),
    "pct_aman": ("Akses aman", "Safely managed sanitation (aman)"),
    "pct_babs_terbuka": ("BABS terbuka", "Open defecation"),
    "pct_waste_pengurangan": ("Pengurangan sampah", "Waste reduction"),
    "pct_waste_penanganan": ("Penanganan sampah", "Waste handling"),
    "pct_waste_managed": ("Sampah terkelola", "Waste managed"),
    "pct_waste_dikelola": ("Sampah dikelola (RPJMN 2025\u20132029)", "Waste managed (RPJMN basis)"),
    "pct_hh_waste_served": ("RT terlayani sampah", "Households with waste service"),
}

FUNDING_SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "APBN": ("APBN", "APBN (national budget)"),
    "DAK": ("DAK", "DAK (special allocation fund)"),
    "APBD_PROV": ("APBD Provinsi", "Provincial budget (APBD Provinsi)"),
    "APBD_KOTA": ("APBD Kab/Kota", "City budget (APBD Kab/Kota)"),
    "SWASTA": ("Swasta/CSR", "Private/CSR"),
    "MASYARAKAT": ("Masyarakat", "Community"),
    "UNASSIGNED": ("Belum ditetapkan", "Not assigned"),
}

SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "ald": ("Air limbah domestik", "Domestic wastewater"),
    "persampahan": ("Persampahan", "Solid waste"),
}

NEED_LABELS: dict[str, tuple[str, str]] = {
    "into_layak_hh": ("RT naik ke layak", "Households into layak"),
    "into_aman_hh": ("RT naik ke aman", "Households into aman"),
    "new_septic_tank": ("Tangki septik baru (SNI)", "New septic tanks (SNI)"),
    "septic_tank_upgrade": ("Perbaikan tangki septik", "Septic tank upgrades"),
    "l2t2_enrolment": ("Pendaftaran L2T2", "L2T2 enrolments"),
    "l2t2_desludging": ("Penyedotan terjadwal (L2T2)", "Scheduled desludging (L2T2)"),
    "spald_t_connection": ("Sambungan rumah SPALD-T", "SPALD-T house connections"),
    "spald_t_plant": ("Kapasitas IPAL SPALD-T (per zona)", "SPALD-T plant capacity (per zone)"),
    "iplt_capacity": ("Tambahan kapasitas IPLT", "Added IPLT capacity"),
    "vacuum_truck": ("Truk tinja", "Vacuum trucks"),
    "tps3r": ("TPS3R", "TPS3R units"),
    "bank_sampah": ("Bank sampah", "Bank sampah units"),
    "collection_truck": ("Truk sampah", "Collection trucks"),
    "landfill_volume": ("Volume sel TPA", "Landfill cell volume"),
    "landfill_volume_regional": (
        "Sel TPA bersama (bagian kota, dibiayai pemilik)",
        "Shared TPA cell (city share, owner-funded)",
    ),
    "tpa_tipping_fee": ("Tipping fee TPA bersama", "Shared TPA tipping fee"),
    "om": ("Operasi & pemeliharaan", "Operation & maintenance"),
    "operation_maintenance": ("Operasi & pemeliharaan", "Operation & maintenance"),
    "om_general": (
        "Operasi & pemeliharaan aset milik kota",
        "Operation & maintenance of the city's own assets",
    ),
}

LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "nasional": ("Nasional", "National"),
    "provinsi": ("Provinsi", "Province"),
    "kabkota": ("Kab/Kota", "City/regency"),
    "kecamatan": ("Kecamatan", "District (kecamatan)"),
    "kelurahan": ("Kelurahan", "Kelurahan"),
    "desa": ("Desa", "Village (desa)"),
}

RUNG_LABELS: dict[str, tuple[str, str]] = {
    "aman": ("Aman", "Safely managed (aman)"),
    "layak_sendiri": ("Layak sendiri", "Basic, own (layak sendiri)"),
    "layak_bersama": ("Layak bersama", "Basic, shared (layak bersama)"),
    "belum_layak": ("Belum layak", "Limited (belum layak)"),
    "babs_tertutup": ("BABS tertutup", "Unimproved (BABS tertutup)"),
    "babs_terbuka": ("BABS terbuka", "Open defecation (BABS terbuka)"),
}

SCENARIO_LABELS: dict[str, tuple[str, str]] = {
    "bau": ("BAU", "BAU"),
    "plan": ("Rencana", "Plan"),
    "trajectory": ("Lintasan", "Trajectory"),
}

DATA_LABELS: dict[str, tuple[str, str]] = {
    "ok": ("ada", "ok"),
    "no_data": ("tidak ada data", "no data"),
}

COST_KIND_LABELS: dict[str, tuple[str, str]] = {
    "capex": ("Investasi", "Capital"),
    "opex": ("Operasional", "Operating"),
}

UNIT_LABELS: dict[str, tuple[str, str]] = {
    "households": ("rumah tangga", "households"),
    "household": ("rumah tangga", "household"),
    "hh": ("RT", "hh"),
    "t/day": ("ton/hari", "t/day"),
    "tpd": ("ton/hari", "t/day"),
    "t": ("ton", "t"),
    "m3": ("m\u00b3", "m\u00b3"),
    "m3/day": ("m\u00b3/hari", "m\u00b3/day"),
    "m3/year": ("m\u00b3/tahun", "m\u00b3/year"),
    "persons": ("jiwa", "persons"),
    "person": ("jiwa", "person"),
    "years": ("tahun", "years"),
    "days": ("hari", "days"),
    "year": ("tahun", "year"),
    "truck": ("truk", "truck"),
    "trucks": ("truk", "trucks"),
    "unit": ("unit", "unit"),
    "units": ("unit", "units"),
    "plant": ("instalasi", "plant"),
    "plants": ("instalasi", "plants"),
    "desludging": ("penyedotan", "desludging"),
    "desludgings": ("penyedotan", "desludgings"),
    "connection": ("sambungan", "connection"),
    "connection capacity": ("SR kapasitas", "connections of capacity"),
    "tonne": ("ton", "t"),
    "project": ("paket", "project"),
    "pts": ("poin", "pts"),
    "%": ("%", "%"),
    "IDR": ("Rp", "IDR"),
    "Rp": ("Rp", "IDR"),
    "idr": ("Rp", "IDR"),
    "fraction": ("pecahan 0\u20131", "fraction 0\u20131"),
    "poin %": ("poin", "pts"),
    "pp": ("poin", "pts"),
    "points": ("poin", "pts"),
    "ton": ("ton", "t"),
    "ton/hari": ("ton/hari", "t/day"),
    "m3/hari": ("m\u00b3/hari", "m\u00b3/day"),
    "m3/tahun": ("m\u00b3/tahun", "m\u00b3/year"),
    "kali/tahun": ("kali/tahun", "times/year"),
    "SR": ("SR", "house connections"),
    "jiwa": ("jiwa", "persons"),
    "IDR of capital": ("Rp nilai modal", "IDR of capital"),
    "share": ("pecahan 0\u20131", "fraction 0\u20131"),
    "t CO2e": ("t CO2e", "t CO2e"),
    "t CH4": ("t CH4", "t CH4"),
    "t N2O": ("t N2O", "t N2O"),
}

BAND_LABELS: dict[str, tuple[str, str]] = {
    "sangat_tinggi": ("Sangat tinggi", "Very high"),
    "tinggi": ("Tinggi", "High"),
    "sedang": ("Sedang", "Medium"),
    "rendah": ("Rendah", "Low"),
    "sangat_rendah": ("Sangat rendah", "Very low"),
    "n/a": ("t/a", "n/a"),
}

MONEY_KIND_LABELS: dict[str, tuple[str, str]] = {
    "absorption": ("Penyerapan (APBD Kab/Kota, DAK)", "Absorption (APBD Kab/Kota, DAK)"),
    "investment": (
        "Investasi (APBN, APBD Provinsi, swasta, masyarakat)",
        "Investment (APBN, provincial, private, community)",
    ),
}

PLAN_PROFILE_LABELS: dict[str, tuple[str, str]] = {
    "linear": ("Linear", "Linear"),
    "apbd": ("APBD (menumpuk di akhir)", "APBD (back-loaded)"),
    "completion": ("Saat selesai (kurva S)", "At completion (S-curve)"),
}

LOCATION_LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "kelurahan": ("Kelurahan/desa", "Kelurahan/desa"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    "city": ("Kota", "City"),
    "kabkota": ("Kab/kota", "City/regency"),
    "provinsi": ("Provinsi", "Province"),
}

#: Codes of the SSK instrument tables (risk areas, SFD, survey).
SUBSECTOR_LABELS: dict[str, tuple[str, str]] = {
    "all": ("Semua (IMPACT)", "All (IMPACT)"),
    "ald": ("Air limbah domestik", "Domestic wastewater"),
    "persampahan": ("Persampahan", "Solid waste"),
}
COMPONENT_LABELS: dict[str, tuple[str, str]] = {
    "impact": ("IMPACT (dampak)", "IMPACT"),
    "exposure": ("EXPOSURE (paparan)", "EXPOSURE"),
}
DIRECTION_LABELS: dict[str, tuple[str, str]] = {
    "risk": ("risiko (makin besar makin buruk)", "risk (more is worse)"),
    "protective": ("protektif (dibalik)", "protective (reversed)"),
    "score": ("skor 1\u20134 apa adanya", "score 1\u20134 as is"),
}
SAFETY_LABELS: dict[str, tuple[str, str]] = {
    "safe": ("aman", "safe"),
    "unsafe": ("tidak aman", "unsafe"),
}
BUCKET_LABELS: dict[str, tuple[str, str]] = {
    "priority": ("area prioritas", "priority area"),
    "other": ("area lain", "other area"),
    "spread": ("dibagi menurut RT", "spread by households"),
    "not_located": ("tingkat kecamatan/kota", "kecamatan/city level"),
    "unscored": ("tanpa skor risiko", "not scored"),
}
METHOD_LABELS: dict[str, tuple[str, str]] = {
    "equal_interval": ("interval sama", "equal intervals"),
    "zero_range": ("rentang nol (semua kelas 1)", "zero range (all class 1)"),
    "cut_points": ("titik potong tetap", "fixed cut points"),
}
STAGE_LABELS: dict[str, tuple[str, str]] = {
    "containment": ("Penampungan", "Containment"),
    "emptying": ("Pengurasan", "Emptying"),
    "transport": ("Pengangkutan", "Transport"),
    "treatment": ("Pengolahan", "Treatment"),
    "outcome": ("Hasil", "Outcome"),
}
WASTE_PRACTICE_LABELS: dict[str, tuple[str, str]] = {
    "collected": ("Dikumpulkan/diangkut", "Collected"),
    "recycled": ("Didaur ulang", "Recycled"),
    "burned": ("Dibakar", "Burned"),
    "buried": ("Ditimbun", "Buried"),
    "dumped_land": ("Dibuang ke lahan", "Dumped on land"),
    "dumped_water": ("Dibuang ke air", "Dumped in water"),
    "other": ("Lainnya", "Other"),
}
SURVEY_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "kelurahan": ("Kelurahan/desa", "Kelurahan/desa"),
    "weight": ("Bobot", "Weight"),
    "toilet": ("Jenis kloset", "Toilet type"),
    "use": ("Pemakaian jamban", "Toilet use"),
    "disposal": ("Pembuangan akhir tinja", "Final disposal"),
    "desludging": ("Pengurasan terakhir", "Last desludging"),
    "urban": ("Perkotaan/perdesaan", "Urban/rural"),
    "waste": ("Praktik sampah", "Waste practice"),
}

#: ``kind`` codes of the capacity, agency and meeting tables (no code is shared).
KIND_LABELS: dict[str, tuple[str, str]] = {
    "iplt_m3_per_day": ("Kapasitas IPLT", "IPLT capacity"),
    "truk_tinja": ("Truk tinja", "Vacuum trucks"),
    "truk_sampah": ("Truk sampah", "Collection trucks"),
    "tpa_m3": ("Volume sel TPA", "Landfill cell volume"),
    "government": ("Pemerintah", "Government"),
    "partner": ("Mitra", "Partner"),
    "private": ("Swasta", "Private"),
    "community": ("Masyarakat", "Community"),
    "coaching_clinic": ("Coaching Clinic", "Coaching Clinic"),
    "pokja_meeting": ("Rapat Pokja", "Pokja meeting"),
    "milestone_review": ("Tinjauan tonggak", "Milestone review"),
}

STATE_LABELS: dict[str, tuple[str, str]] = {
    "open": ("terbuka", "open"),
    "done": ("selesai", "done"),
    "draft": ("draf", "draft"),
    "submitted": ("diajukan", "submitted"),
    "verified": ("terverifikasi", "verified"),
}

KECAMATAN_GROUP_LABELS: dict[str, tuple[str, str]] = {
    "city": ("Tingkat kota", "City-wide"),
}

TARGET_SET_LABELS: dict[str, tuple[str, str]] = {
    "RPJMN_2020_2024": ("RPJMN 2020\u20132024", "RPJMN 2020\u20132024"),
    "RPJMN_2025_2029": ("RPJMN 2025\u20132029", "RPJMN 2025\u20132029"),
    "JAKSTRANAS_2025": ("Jakstranas 2025", "Jakstranas 2025"),
    "SDG_2030": ("TPB/SDG 2030", "SDG 2030"),
    "VISI_2045": ("Visi Indonesia 2045", "Indonesia Vision 2045"),
    "LOCAL": ("Sasaran daerah (RPJMD/SSK)", "Local targets (RPJMD/SSK)"),
}

#: Codes of the greenhouse-gas tables (``ghg_summary``, ``ghg_wastewater``, ``ghg_factors``).
GHG_SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "landfill": ("TPA (bagian kota)", "Landfill (city's part)"),
    "septic": ("Tangki septik dan cubluk", "Septic tanks and pits"),
    "discharge": ("Buangan langsung", "Direct discharge"),
    "treatment": ("Pengolahan (IPAL SPALD-T, IPLT)", "Treatment (SPALD-T plants, IPLT)"),
    "total": ("Jumlah", "Total"),
}
WW_SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "aman_onsite": ("Aman, setempat (tangki dikuras)", "Aman, onsite (tank emptied)"),
    "spald_t": ("Aman, SPALD-T", "Aman, SPALD-T"),
    "layak_sendiri": ("Layak sendiri", "Basic, own (layak sendiri)"),
    "layak_bersama": ("Layak bersama", "Basic, shared (layak bersama)"),
    "belum_layak": ("Belum layak (cubluk)", "Limited (pit)"),
    "babs_tertutup": ("BABS tertutup", "Unimproved (BABS tertutup)"),
    "babs_terbuka": ("BABS terbuka", "Open defecation (BABS terbuka)"),
    "iplt": ("IPLT (lumpur tinja)", "IPLT (septage)"),
}
PATHWAY_LABELS: dict[str, tuple[str, str]] = {
    "septic": ("Tangki septik + resapan", "Septic tank + soakaway"),
    "spald_t": ("IPAL SPALD-T", "SPALD-T plant"),
    "latrine": ("Cubluk", "Pit latrine"),
    "direct_discharge": ("Buangan langsung ke badan air", "Direct discharge to water"),
    "open_defecation": ("BAB sembarangan", "Open defecation"),
    "iplt": ("IPLT", "IPLT"),
}
GHG_GROUP_LABELS: dict[str, tuple[str, str]] = {
    "gwp": ("GWP (CO2e)", "GWP (CO2e)"),
    "landfill": ("TPA", "Landfill"),
    "wastewater": ("Air limbah", "Wastewater"),
}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "sourced": ("bersumber", "sourced"),
    "derived": ("turunan", "derived"),
    "illustrative": ("ilustratif", "illustrative"),
    "unverified": ("belum terverifikasi", "unverified"),
}


#: Report chapter of each known engine table (others go to "Tabel lainnya").
TABLE_CHAPTERS: dict[str, str] = {
    "population": "chapter_2",
    "ladder": "chapter_2",
    "waste": "chapter_2",
    "retrospective": "chapter_3",
    "headline": "chapter_3",
    "trajectory": "chapter_3",
    "gap": "chapter_3",
    "needs_ald": "chapter_5",
    "service_ald": "chapter_5",
    "needs_waste": "chapter_5",
    "costs": "chapter_5",
    "funding": "chapter_5",
    "medium_term": "chapter_5",
    "coverage": "chapter_3",
    "coverage_areas": "chapter_3",
    "kkl": "chapter_5",
    "roles": "chapter_5",
    "agencies": "chapter_5",
    "capacity": "chapter_5",
    "tpa_programme": "chapter_5",
    "programme_funding": "chapter_5",
    "funding_short": "chapter_5",
    "funding_by_agency": "chapter_5",
    "parameters": "chapter_annex",
    # SSK instruments (``app.instruments.instrument_chapters``)
    "survey_shares": "chapter_2",
    "risk_scores": "chapter_2",
    "risk_priority": "chapter_2",
    "sfd_compare": "chapter_2",
    "sfd_matrix": "chapter_2",
    "priority_share_period": "chapter_5",
    "priority_activities": "chapter_5",
    # greenhouse gases (``app.ghg.ghg_chapter``)
    "ghg_summary": "chapter_ghg",
    "ghg_landfill": "chapter_ghg",
    "ghg_wastewater": "chapter_ghg",
    "ghg_factors": "chapter_ghg",
}
CHAPTER_ORDER: tuple[str, ...] = (
    "chapter_2",
    "chapter_3",
    "chapter_5",
    "chapter_ghg",
    "chapter_other",
    "chapter_annex",
)

#: Text columns whose codes are translated in HTML and terminal output (XLSX keeps codes).
CODE_COLUMNS: dict[str, Mapping[str, tuple[str, str]]] = {
    "indicator": INDICATOR_LABELS,
    "source": FUNDING_SOURCE_LABELS,
    "sector": SECTOR_LABELS,
    "need": NEED_LABELS,
    "tingkat": LEVEL_LABELS,
    "scenario": SCENARIO_LABELS,
    "data": DATA_LABELS,
    "cost_kind": COST_KIND_LABELS,
    "unit": UNIT_LABELS,
    "target_set": TARGET_SET_LABELS,
    "binding_set": TARGET_SET_LABELS,
    "rung": RUNG_LABELS,
    "status": STATUS_LABELS,
    "band": BAND_LABELS,
    "money_kind": MONEY_KIND_LABELS,
    "plan_profile": PLAN_PROFILE_LABELS,
    "location_level": LOCATION_LEVEL_LABELS,
    "kind": KIND_LABELS,
    "state": STATE_LABELS,
    "funding_source": FUNDING_SOURCE_LABELS,
    "kecamatan_kode": KECAMATAN_GROUP_LABELS,
    "subsector": SUBSECTOR_LABELS,
    "component": COMPONENT_LABELS,
    "direction": DIRECTION_LABELS,
    "safety": SAFETY_LABELS,
    "bucket": BUCKET_LABELS,
    "method": METHOD_LABELS,
    "stage": STAGE_LABELS,
    "field": SURVEY_FIELD_LABELS,
    "ghg_source": GHG_SOURCE_LABELS,
    "ww_source": WW_SOURCE_LABELS,
    "pathway": PATHWAY_LABELS,
    "ghg_group": GHG_GROUP_LABELS,
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if norm_lang(lang) == "en" else pair[0]


def t(key: str, lang: str = "id", **kw: object) -> str:
    """The message ``key`` in ``lang`` with ``{placeholders}`` filled; unknown keys echo."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = _pick(pair, lang)
    return text.format(**kw) if kw else text


def indicator_label(code: str, lang: str = "id") -> str:
    """Short label of an indicator (``pct_layak`` -> ``Akses layak``), else the engine name."""
    if code in INDICATOR_LABELS:
        return _pick(INDICATOR_LABELS[code], lang)
    meta = INDICATORS.get(code)
    if meta:
        return str(meta["name_en"] if norm_lang(lang) == "en" else meta["name_id"])
    return str(code)


def code_label(column: str, code: object, lang: str = "id") -> str:
    """Translate a code found in a known code column; anything else is returned as text."""
    text = "" if code is None else str(code)
    if column in ("indicator", "sasaran"):
        return indicator_label(text, lang)
    if column == "effect":
        return effect_words(text, lang)
    table = CODE_COLUMNS.get(column)
    if table is not None and text in table:
        return _pick(table[text], lang)
    if column in ("target_set", "binding_set") and text:
        return target_set_label(text, lang)
    return text


def target_set_label(code: str, lang: str = "id") -> str:
    """``RPJMN_2020_2024`` -> ``RPJMN 2020–2024``; unknown codes get their underscores
    replaced by spaces (and a ``YYYY_YYYY`` pair by an en dash)."""
    if code in TARGET_SET_LABELS:
        return _pick(TARGET_SET_LABELS[code], lang)
    parts = str(code).split("_")
    if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
        return " ".join(parts[:-2]) + f" {parts[-2]}\u2013{parts[-1]}"
    return " ".join(parts)


def source_label(code: str, lang: str = "id") -> str:
    return code_label("source", code, lang)


def sector_label(code: str, lang: str = "id") -> str:
    return code_label("sector", code, lang)


def need_label(code: str, lang: str = "id") -> str:
    if code in NEED_LABELS:
        return _pick(NEED_LABELS[code], lang)
    return str(code).replace("_", " ")


def level_label(code: str, lang: str = "id") -> str:
    return code_label("tingkat", code, lang)


def rung_label(code: str, lang: str = "id") -> str:
    return code_label("rung", code, lang)


def scenario_label(code: str, lang: str = "id") -> str:
    return code_label("scenario", code, lang)


def unit_label(unit: str, lang: str = "id") -> str:
    """``households`` -> ``rumah tangga``; a bilingual ``id / en`` unit (``rumah tangga /
    households``) gives the part of ``lang``; unknown units are returned unchanged."""
    if unit in UNIT_LABELS:
        return _pick(UNIT_LABELS[unit], lang)
    if " / " in unit:
        part_id, _, part_en = unit.partition(" / ")
        return part_en.strip() if norm_lang(lang) == "en" else part_id.strip()
    return unit


def status_label(status: str, lang: str = "id") -> str:
    return t(f"status_{status}", lang) if f"status_{status}" in MESSAGES else status


def chapter_of(table_name: str) -> str:
    """Message key of the SSK chapter a table belongs to."""
    return TABLE_CHAPTERS.get(table_name, "chapter_other")


# --------------------------------------------------------------------------- greenhouse gases
# Messages of ``sanitasi ghg`` (cli/ghg.py).
MESSAGES.update(
    {
        "ghg_fod_title": (
            "Metana TPA (peluruhan orde pertama IPCC), {first}-{last}",
            "Landfill methane (IPCC first-order decay), {first}-{last}",
        ),
        "ghg_fod_stream": ("Aliran", "Stream"),
        "ghg_fod_generated_last": ("CH4 terbentuk {year} (t)", "CH4 generated {year} (t)"),
        "ghg_fod_generated_sum": (
            "CH4 terbentuk {first}-{last} (t)",
            "CH4 generated {first}-{last} (t)",
        ),
        "ghg_fod_total": ("Jumlah", "Total"),
        "ghg_fod_recovered": (
            "CH4 dipulihkan {first}-{last}: {value} t",
            "CH4 recovered {first}-{last}: {value} t",
        ),
        "ghg_fod_emitted": (
            "CH4 teremisi {year}: {value} t ({co2e} t CO2e, GWP {assessment})",
            "CH4 emitted {year}: {value} t ({co2e} t CO2e, GWP {assessment})",
        ),
        "ghg_fod_params": (
            "F {f}, OX {ox}, tunda {delay} bulan",
            "F {f}, OX {ox}, delay {delay} months",
        ),
    }
)

# Messages of the plan's greenhouse-gas chapter (``app.ghg``): chart, terminal, dashboard.
MESSAGES.update(
    {
        "gwp_unknown": (
            "Laporan penilaian GWP tidak dikenal: {value} (pilih {choices}).",
            "Unknown GWP assessment report: {value} (choose {choices}).",
        ),
        "chart_ghg": (
            "Emisi GRK per sumber: BAU dan rencana",
            "Greenhouse gas emissions by source: BAU and plan",
        ),
        "axis_co2e": ("t CO2e per tahun (GWP {gwp})", "t CO2e per year (GWP {gwp})"),
        "axis_ghg_source": ("Sumber emisi", "Emission source"),
        "axis_scenario": ("Skenario", "Scenario"),
        "t_ghg": (
            "Emisi GRK {year} (t CO2e, GWP {gwp})",
            "Greenhouse gases {year} (t CO2e, GWP {gwp})",
        ),
        "col_ghg_source": ("Sumber", "Source"),
        "col_plan_year": ("Rencana {year}", "Plan {year}"),
        "col_avoided": ("Dihindari", "Avoided"),
        "ghg_avoided_note": (
            "Dihindari = BAU \u2212 rencana; negatif berarti rencana menambah emisi.",
            "Avoided = BAU \u2212 plan; negative means the plan adds emissions.",
        ),
        "ghg_panel": (
            "Emisi gas rumah kaca {year} (t CO2e, GWP {gwp})",
            "Greenhouse gas emissions {year} (t CO2e, GWP {gwp})",
        ),
    }
)

# --------------------------------------------------------------------------- SSK document
# Messages of ``sanitasi document`` (reports/document): the chapters follow the SSK outline
# of reference/ssk_outline.csv (their titles come from there); these are the rest.
MESSAGES.update(
    {
        "doc_title": ("Strategi Sanitasi Kota/Kabupaten (SSK)", "City Sanitation Strategy (SSK)"),
        "doc_period": ("Periode {start}\u2013{end}", "Period {start}\u2013{end}"),
        "doc_toc": ("Daftar isi", "Contents"),
        "doc_toc_hint": (
            "Daftar isi diperbarui saat berkas dibuka (atau klik kanan \u2192 Perbarui bidang).",
            "The table of contents is updated when the file is opened (or right-click "
            "\u2192 Update field).",
        ),
        "doc_chapter": ("BAB {n}", "CHAPTER {n}"),
        "doc_table": ("Tabel", "Table"),
        "doc_figure": ("Gambar", "Figure"),
        "doc_page": ("Halaman", "Page"),
        "doc_notice": (
            "Perhatian: dokumen ini memakai masukan ilustratif ({illustrative}) atau belum "
            "terverifikasi ({unverified}). Angka yang bergantung padanya adalah perkiraan "
            "kerja, bukan angka resmi, sampai Pokja memverifikasinya; baris \u201cMasukan\u201d "
            "di bawah setiap tabel menunjukkan asalnya.",
            "Note: this document uses illustrative ({illustrative}) or unverified "
            "({unverified}) inputs. Figures that depend on them are working estimates, not "
            "official figures, until the Pokja verifies them; the \u201cInputs\u201d line "
            "under each table shows where they come from.",
        ),
        # Bab I
        "doc_1_background": ("Latar belakang", "Background"),
        "doc_1_background_text": (
            "Dokumen ini adalah Strategi Sanitasi {city} untuk periode {start}\u2013{end}, "
            "dengan tahun dasar {base}. SSK memuat kondisi sanitasi (air limbah domestik dan "
            "persampahan), sasaran, strategi, program dan indikasi pendanaannya, untuk "
            "ditandatangani kepala daerah dan dimasukkan oleh Bappeda ke RPJMD dan RKPD.",
            "This document is the Sanitation Strategy of {city} for {start}\u2013{end}, with "
            "base year {base}. The SSK sets out the sanitation situation (domestic wastewater "
            "and solid waste), targets, strategy, programmes and their indicative funding, for "
            "the head of the region to sign and Bappeda to bring into the RPJMD and RKPD.",
        ),
        "doc_1_legal": ("Landasan hukum", "Legal basis"),
        "doc_1_method": ("Metodologi", "Method"),
        "doc_1_method_text": (
            "Semua angka dihitung oleh mesin sanitasi dari data kota dan tabel rujukan "
            "nasional: proyeksi penduduk dan rumah tangga, tangga sanitasi, lintasan sasaran "
            "({sets}), kebutuhan, biaya dan indikasi pendanaan. Rumus, satuan, parameter dan "
            "sumbernya ada di docs/METHOD.md; setiap tabel menyebut status masukannya "
            "(bersumber, turunan, ilustratif, belum terverifikasi).",
            "Every figure is computed by the sanitasi engine from the city's data and the "
            "national reference tables: population and household projection, the sanitation "
            "ladder, target trajectories ({sets}), needs, costs and indicative funding. "
            "Formulas, units, parameters and sources are in docs/METHOD.md; every table "
            "states the status of its inputs (sourced, derived, illustrative, unverified).",
        ),
        "doc_1_pokja": ("Kelompok Kerja (Pokja)", "The working group (Pokja)"),
        "doc_1_decree": (
            "Pokja ditetapkan dengan keputusan nomor {number}{date}.",
            "The Pokja was set up by decree number {number}{date}.",
        ),
        "doc_1_decree_date": (" tanggal {date}", " of {date}"),
        "doc_1_no_decree": (
            "Nomor SK Pokja belum diisi (pokja.csv, kolom decree_number).",
            "The Pokja decree number is not given (pokja.csv, column decree_number).",
        ),
        "doc_1_no_pokja": (
            "Susunan Pokja belum diisi (pokja.csv); daftar OPD di bawah diambil dari agencies.csv.",
            "The Pokja membership is not given (pokja.csv); the agencies below come from "
            "agencies.csv.",
        ),
        "doc_1_period": ("Periode SSK", "The SSK period"),
        "doc_1_period_text": (
            "Periode SSK adalah {start}\u2013{end} (jangka menengah); proyeksi sampai {horizon}.",
            "The SSK period is {start}\u2013{end} (medium term); projections run to {horizon}.",
        ),
        "doc_legal_title": ("Peraturan perundang-undangan", "Laws and regulations"),
        "doc_pokja_title": ("Susunan Pokja", "Pokja membership"),
        "doc_agencies_title": ("Perangkat daerah dan mitra", "Agencies and partners"),
        # Bab II
        "doc_2_area": ("Wilayah dan penduduk", "Area and population"),
        "doc_2_access": ("Akses sanitasi", "Sanitation access"),
        "doc_2_waste": ("Persampahan", "Solid waste"),
        "doc_2_instruments": (
            "Area berisiko dan diagram alir tinja",
            "Risk areas and excreta flow",
        ),
        "doc_2_institutions": ("Kelembagaan dan operator", "Institutions and operators"),
        "doc_2_facilities_title": (
            "Fasilitas dan pemilik/operatornya",
            "Facilities and their owners/operators",
        ),
        "doc_2_fiscal": ("Kapasitas fiskal daerah", "Regional fiscal capacity"),
        "doc_2_no_fiscal": (
            "Riwayat belanja sanitasi (fiscal_history.csv) belum tersedia untuk kota ini.",
            "The sanitation spending history (fiscal_history.csv) is not available for this city.",
        ),
        "doc_2_previous": (
            "Capaian periode SSK sebelumnya",
            "Progress of the previous SSK period",
        ),
        # Bab III
        "doc_3_targets": ("Sasaran dan kesenjangan", "Targets and gaps"),
        "doc_3_kkl": ("Kerangka kerja logis", "Logical framework"),
        "doc_3_coverage": ("Cakupan program", "Programme coverage"),
        # Bab IV
        "doc_4_swot": ("Analisis SWOT", "SWOT analysis"),
        "doc_4_swot_text": (
            "Setiap faktor diberi bobot (0\u20131; faktor internal dan faktor eksternal "
            "masing-masing berjumlah 1) dan rating (1\u20134). Skor = bobot \u00d7 rating; "
            "IFAS = S \u2212 W dan EFAS = O \u2212 T menentukan kuadran dan arah strategi "
            "(docs/METHOD.md \u00a711).",
            "Each factor has a weight (0\u20131; the internal factors and the external "
            "factors each sum to 1) and a rating (1\u20134). Score = weight \u00d7 rating; "
            "IFAS = S \u2212 W and EFAS = O \u2212 T give the quadrant and the strategy "
            "direction (docs/METHOD.md \u00a711).",
        ),
        "doc_4_position": (
            "Sektor {sector}: IFAS {ifas}, EFAS {efas}, kuadran {quadrant} \u2014 {direction}.",
            "Sector {sector}: IFAS {ifas}, EFAS {efas}, quadrant {quadrant} \u2014 {direction}.",
        ),
        "doc_4_no_swot": (
            "Analisis SWOT belum diisi (swot.csv).",
            "The SWOT analysis is not given (swot.csv).",
        ),
        "doc_4_links": ("Strategi dan faktor", "Strategies and factors"),
        "doc_4_chart": (
            "Posisi pengelolaan sanitasi (IFAS, EFAS)",
            "Position of sanitation management (IFAS, EFAS)",
        ),
        # Bab V
        "doc_5_needs": ("Kebutuhan dan biaya", "Needs and costs"),
        "doc_5_programme": ("Program dan kegiatan", "Programmes and activities"),
        "doc_5_funding": ("Indikasi pendanaan", "Indicative funding"),
        "doc_5_agency": (
            "Kebutuhan per OPD",
            "Needs by agency",
        ),
        "doc_5_memorandum": (
            "Memorandum program dan rencana aksi",
            "Programme memorandum and action plan",
        ),
        "doc_5_action_year": ("Rencana aksi tahun {year}", "Action plan {year}"),
        "doc_5_land": ("Kebutuhan lahan", "Land needs"),
        "doc_5_recovery": ("Pemulihan biaya operasi", "Recovery of operating costs"),
        "doc_5_no_programme": (
            "Kota ini belum punya matriks program (programme.csv).",
            "The city has no programme matrix (programme.csv).",
        ),
        # Bab VI
        "doc_6_framework": ("Kerangka pemantauan", "Monitoring framework"),
        "doc_6_text": (
            "Realisasi dilaporkan per triwulan oleh OPD pelaksana dan diverifikasi Bappeda "
            "(sanitasi monitor); capaian fisik, keuangan dan serapan dinilai dengan kategori "
            "Permendagri 86/2017, dan indikator sasaran dibandingkan dengan lintasannya "
            "(docs/METHOD.md \u00a710).",
            "Agencies report their realisation every quarter and Bappeda verifies it "
            "(sanitasi monitor); physical, financial and absorption progress are banded as "
            "Permendagri 86/2017 sets, and the sasaran indicators are compared with their "
            "trajectory (docs/METHOD.md \u00a710).",
        ),
        "doc_6_targets_title": (
            "Indikator sasaran dan target tahunan",
            "Sasaran indicators and yearly targets",
        ),
        "doc_6_meetings": ("Jadwal pertemuan Pokja", "Pokja meetings"),
        # annex
        "doc_annex_parameters": ("Parameter", "Parameters"),
        "doc_annex_warnings": ("Peringatan", "Warnings"),
        "doc_annex_sources": ("Berkas masukan", "Input files"),
        "doc_col_indicator": ("Indikator", "Indicator"),
        "doc_col_baseline": ("Dasar {year}", "Baseline {year}"),
        "doc_col_agencies": ("OPD pelaksana", "Agencies"),
        "doc_col_code": ("Kode", "Code"),
        "doc_col_message": ("Pesan", "Message"),
        "doc_col_file": ("Berkas", "File"),
        "doc_col_path": ("Lokasi", "Location"),
        "doc_ready_yes": ("ya", "yes"),
        "doc_ready_no": ("belum", "no"),
        "doc_ready_in_progress": ("dalam proses", "in progress"),
    }
)


# --------------------------------------------------------------------------- budgets, priorities
# ``sanitasi optimise`` and the plan's priority tables (docs/METHOD.md §18).
MESSAGES.update(
    {
        "optimise_no_budget": (
            "Tidak ada anggaran: beri budget.csv di folder kota (atau --budget F), atau "
            "fiscal_history.csv untuk anggaran bawaan (docs/city-data.md §14).",
            "No budget: give budget.csv in the city folder (or --budget F), or "
            "fiscal_history.csv for the default budget (docs/city-data.md §14).",
        ),
        "optimise_objective": (
            "Tujuan {value} tidak dikenal (pilihan: {choices}).",
            "Unknown objective {value} (choices: {choices}).",
        ),
        "optimise_one_city": (
            "Optimasi berjalan untuk satu kab/kota per folder.",
            "The optimisation runs for one kab/kota per folder.",
        ),
        "optimise_cost_weight": (
            "Parameter optimise_cost_weight harus angka >= 0, bukan {value} "
            "(docs/METHOD.md §18.3).",
            "Parameter optimise_cost_weight must be a number >= 0, not {value} "
            "(docs/METHOD.md §18.3).",
        ),
        "optimise_failed": (
            "Pemecah HiGHS gagal: {reason}",
            "The HiGHS solver failed: {reason}",
        ),
        "optimise_title": (
            "Rencana dengan batas anggaran ({objective}; anggaran dari {origin})",
            "Funding-constrained plan ({objective}; budget from {origin})",
        ),
        "optimise_costs": (
            "Biaya rencana teroptimasi {first}-{last}: {cost}; biaya berbasis kebutuhan "
            "(model yang sama): {needs}",
            "Cost of the optimised plan {first}-{last}: {cost}; needs-based cost (same "
            "model): {needs}",
        ),
    }
)
SECTOR_LABELS.setdefault("all", ("Kedua sektor", "Both sectors"))
NEED_LABELS.setdefault(
    "added_pengurangan", ("Tambahan pengurangan sampah", "Added waste reduction")
)
NEED_LABELS.setdefault("added_penanganan", ("Tambahan penanganan sampah", "Added waste handling"))
TABLE_CHAPTERS.update(
    {
        "priority_areas": "chapter_5",
        "priority_programme": "chapter_5",
        "optimise_spend": "chapter_5",
        "optimise_shortfall": "chapter_5",
        "optimise_shadow": "chapter_5",
        "optimise_spend_sector": "chapter_5",
        "optimise_plan": "chapter_5",
    }
)


# --------------------------------------------------------------------------- codes in words
#: Waste terms of the effects grammar (core.programme.WASTE_TERMS).
WASTE_TERM_LABELS: dict[str, tuple[str, str]] = {
    "unmanaged": ("tidak terkelola", "unmanaged"),
    "penanganan": ("penanganan", "handling (penanganan)"),
    "pengurangan": ("pengurangan", "reduction (pengurangan)"),
}
#: Capacity kinds of the effects grammar (core.programme.CAP_KINDS).
CAP_KIND_LABELS: dict[str, tuple[str, str]] = {
    "iplt_m3_per_day": ("m\u00b3/hari kapasitas IPLT", "m\u00b3/day of IPLT capacity"),
    "truk_tinja": ("truk tinja", "vacuum trucks"),
    "truk_sampah": ("truk sampah", "collection trucks"),
    "tpa_m3": ("m\u00b3 sel TPA", "m\u00b3 of landfill cell"),
}
SERVICE_LABELS: dict[str, tuple[str, str]] = {
    "l2t2": ("L2T2", "L2T2"),
    "spald_t": ("SPALD-T", "SPALD-T"),
}
MESSAGES.update(
    {
        "effect_hh": (
            "{n} RT per unit keluaran: {source} \u2192 {target}",
            "{n} households per unit of output: {source} \u2192 {target}",
        ),
        "effect_tpd": (
            "{n} ton/hari per unit keluaran: {source} \u2192 {target}",
            "{n} t/day per unit of output: {source} \u2192 {target}",
        ),
        "effect_cap": ("{n} {target} per unit keluaran", "{n} {target} per unit of output"),
        "effect_none": ("tanpa efek pada indikator", "no effect on the indicators"),
        "col_in_words": ("{label} (uraian)", "{label} (in words)"),
    }
)


def effect_words(text: str, lang: str = "id") -> str:
    """An activity's effect string in words (docs/METHOD.md §9 grammar):
    ``hh:babs_tertutup->layak_sendiri:1`` -> ``1 RT per unit keluaran: BABS tertutup ->
    Layak sendiri``; terms joined by ``; ``. Text that does not parse is returned as is
    (the programme reader has already reported it)."""
    from sanitasi.core.programme import EffectError, parse_effects
    from sanitasi.reports.fmt import fmt_number

    try:
        effects = parse_effects(text)
    except EffectError:
        return text
    if not effects:
        return t("effect_none", lang) if text.strip() else text
    parts: list[str] = []
    for e in effects:
        n = fmt_number(e.per_unit, 3, lang, strip_zeros=True)
        if e.kind == "cap":
            target = _pick(CAP_KIND_LABELS.get(e.target, (e.target, e.target)), lang)
            parts.append(t("effect_cap", lang, n=n, target=target))
            continue
        labels = RUNG_LABELS if e.kind == "hh" else WASTE_TERM_LABELS
        source = _pick(labels.get(e.source, (e.source, e.source)), lang)
        target = _pick(labels.get(e.target, (e.target, e.target)), lang)
        if e.service:
            target += f" ({_pick(SERVICE_LABELS.get(e.service, (e.service, e.service)), lang)})"
        parts.append(t(f"effect_{e.kind}", lang, n=n, source=source, target=target))
    return "; ".join(parts)


_EFFECT_IN_TEXT = re.compile(
    r"\b(?:(?:hh|tpd):[a-z_]+->[a-z_]+(?:@[a-z0-9_]+)?:[0-9.eE+-]+|cap:[a-z_0-9]+:[0-9.eE+-]+)"
    r"(?:;\s*(?:(?:hh|tpd):[a-z_]+->[a-z_]+(?:@[a-z0-9_]+)?:[0-9.eE+-]+|cap:[a-z_0-9]+:[0-9.eE+-]+))*"
)
_BARE_EFFECT = re.compile(r"\b([a-z][a-z_]*)->([a-z][a-z_]*)\b")


@cache
def _code_words() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    words: dict[str, tuple[str, str]] = {}
    for table in (
        BAND_LABELS,
        RUNG_LABELS,
        FUNDING_SOURCE_LABELS,
        TARGET_SET_LABELS,
        NEED_LABELS,
        INDICATOR_LABELS,
        PLAN_PROFILE_LABELS,
        MONEY_KIND_LABELS,
    ):
        for code, pair in table.items():
            if "_" in code or (code.isupper() and len(code) > 4 and code not in pair):
                words.setdefault(code, pair)
    for code, meta in INDICATORS.items():
        words.setdefault(code, (str(meta["name_id"]), str(meta["name_en"])))
    keys = sorted(words, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, keys)) + r")(?![\w/-])")
    return pattern, words


def plain_text(text: str, lang: str = "id") -> str:
    """Free text (an engine warning, a city's note) with the registry codes it names put in
    words: effect strings (:func:`effect_words`), ``x->y`` moves, indicator, target-set,
    funding-source, need, band and rung codes (``JAKSTRANAS_2025`` -> ``Jakstranas 2025``,
    ``sangat_rendah`` -> ``Sangat rendah``). The one place where a message's code values
    become labels (the message catalogue's values stay codes)."""
    if not text:
        return text
    text = _EFFECT_IN_TEXT.sub(lambda m: effect_words(m.group(0), lang), text)
    pattern, words = _code_words()
    rung = {**WASTE_TERM_LABELS, **RUNG_LABELS}

    def move(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if a in rung and b in rung:
            return f"{_pick(rung[a], lang)} \u2192 {_pick(rung[b], lang)}"
        return m.group(0)

    text = _BARE_EFFECT.sub(move, text)
    return pattern.sub(lambda m: _pick(words[m.group(1)], lang), text)
