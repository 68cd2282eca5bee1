"""The warnings' message catalogue (sanitasi.messages): every warning the engine can emit
(the registry core.model.WARNINGS) has an English msgid in the catalogue and its Indonesian
translation in the web's django.po, renders in both languages with the values the emitting
code gives, numbers the language's way and codes as labels."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rawcodes import codes_in
from sanitasi.core.model import WARNINGS, Warning_
from sanitasi.messages import (
    CATALOGUE,
    COMPANIONS,
    LOCALE_DIR,
    placeholders,
    render,
    translator,
    unregistered,
    untranslated,
)

PO = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"

_WHO: dict[str, Any] = {
    "activity": "ALD-04",
    "agency": "DLH",
    "area": "13.72.02",
    "area_name": "Tanjung Harapan",
}

#: Sample values of every registered warning, of the kinds the emitting code gives.
SAMPLES: dict[str, dict[str, Any]] = {
    "SAN-W001": {"year": 2031},
    "SAN-W001.shared": dict(
        variant="shared",
        year=2031,
        p0=2025,
        p1=2029,
        total_m3=123456.7,
        city_m3=23456.4,
        share_pct=19.0,
    ),
    "SAN-W002": {"year": 2027},
    "SAN-W003": {},
    "SAN-W004": {"n": 3},
    "SAN-W005": {},
    "SAN-W006": {},
    "SAN-W007": {"indicator": "pct_waste_penanganan"},
    "SAN-W008": dict(
        indicator="pct_layak",
        year=2030,
        increase_pts=10.04,
        factor=3.0,
        mean_pts=1.7375,
        binding="SDG_2030",
    ),
    "SAN-W009": dict(
        indicator="pct_aman",
        year=2029,
        local_pct=22.0,
        target_set="RPJMN_2025_2029",
        national_pct=30.0,
    ),
    "SAN-W010": dict(parameter="IPLT", default=0.5, value=0.75, source="SK Walikota"),
    "SAN-W020": {},
    "SAN-W021": {},
    "SAN-W022": {},
    "SAN-W023": {"n": 2},
    "SAN-W024": {"year": 2029, "more_t": 1234.6},
    "SAN-W025": dict(
        shortfall_pts=4.25,
        indicator="pct_aman",
        year=2028,
        caps=((2027, "APBD_KOTA", ""), (2028, "DAK", "ald")),
    ),
    "SAN-W170": {"rung": "layak_sendiri", "years": (2026, 2029)},
    "SAN-W171": {"area": "13.72.01.1001", "area_name": "Aro IV Korong", "subsector": "ald"},
    "SAN-W172": {"years": (2024, 2024)},
    "SAN-W201": dict(
        activity="ALD-04",
        area="13.72.02",
        area_name="Tanjung Harapan",
        year=2026,
        requested=280.0,
        unit="households",
        from_rung="babs_tertutup",
        to_rung="layak_sendiri",
        eligible=208.0,
        excess=72.0,
    ),
    "SAN-W202": {k: _WHO[k] for k in ("activity", "area", "area_name")},
    "SAN-W203": {"activity": "ALD-99"},
    "SAN-W204": {
        "activity": "ALD-04",
        "years": (2023, 2024),
        "first_year": 2025,
        "last_year": 2045,
    },
    "SAN-W301": dict(
        _WHO,
        physical_pct=12.5,
        quarter=3,
        year=2026,
        threshold_pct=66.0,
        band="sangat_rendah",
        done=1.0,
        due=8.0,
        unit="unit",
        progress_pct=12.5,
    ),
    "SAN-W301.no_progress": dict(
        _WHO,
        variant="no_progress",
        physical_pct=0.0,
        quarter=3,
        year=2026,
        threshold_pct=66.0,
        band="sangat_rendah",
        done=0.0,
        due=0.8,
        unit="unit",
    ),
    "SAN-W302": dict(
        _WHO,
        realised_idr=1_111_111.0,
        unit="unit",
        planned_idr=1_000_000.0,
        overrun_pct=11.1,
        tolerance_pct=10.0,
    ),
    "SAN-W303": dict(_WHO, quarter=2, year=2026),
    "SAN-W304": dict(
        meeting="R-2026-01",
        agency="PERKIM",
        area="13.72",
        area_name="Kota Solok",
        action="Kirim laporan",
        due_date="2026-06-15",
        days=15,
    ),
    "SAN-W305": dict(_WHO, output=5000.0, unit="unit", quarter=3, year=2026),
    "SAN-W306": dict(_WHO, spent_idr=300_000_000.0, quarter=3, year=2026),
    "SAN-W310": dict(indicator="pct_layak", year=2026, pct=82.8, trajectory_pct=85.0),
    "SAN-W311": dict(indicator="pct_layak", year=2029, pct=84.6, trajectory_pct=90.0),
}


def _warning(key: str) -> Warning_:
    return Warning_(key.split(".")[0], SAMPLES[key], "13.72", 2026)


def test_every_registered_warning_has_a_sample_and_a_catalogue_entry() -> None:
    assert set(SAMPLES) == set(WARNINGS)
    assert unregistered() == [] and set(CATALOGUE) == set(WARNINGS)


@pytest.mark.parametrize("key", sorted(WARNINGS))
def test_a_warning_renders_in_both_languages(key: str) -> None:
    w = _warning(key)
    msgid = CATALOGUE[key].msgid
    # the placeholders are exactly the values the emitting code gives (a name shown with its
    # code counts as given), and the translation has the same ones
    given = set(WARNINGS[key]) - set(COMPANIONS)
    for form in CATALOGUE[key].msgids():  # the singular form too, where there is one
        assert placeholders(form) == given, form
        assert placeholders(translator("id")(form)) == given, form
    assert set(COMPANIONS).isdisjoint(placeholders(msgid))
    text_id, text_en = render(w, "id"), render(w, "en")
    assert text_id != text_en
    for text in (text_id, text_en):
        assert "%(" not in text and "%%" not in text
        assert codes_in(text) == [], (key, text)


def test_numbers_and_codes_are_shown_the_language_way() -> None:
    w9 = _warning("SAN-W009")
    assert render(w9, "id") == (
        "Sasaran daerah Akses sanitasi aman 2029 (22,0 %) di bawah target nasional "
        "RPJMN 2025\u20132029 (30,0 %)."
    )
    assert render(w9, "en") == (
        "The local sasaran for Safely managed (aman) sanitation in 2029 (22.0 %) is below the "
        "national target RPJMN 2025\u20132029 (30.0 %)."
    )
    shared = render(_warning("SAN-W001.shared"), "id")
    # 123 456,7 m³ -> 123.457; 23 456,4 -> 23.456; 19 % with one decimal
    assert (
        "Sel baru 2025-2029 untuk seluruh pengguna 123.457 m³, bagian kota 23.456 m³ (19,0 %)"
        in shared
    )
    w201 = _warning("SAN-W201")
    assert "di Tanjung Harapan (13.72.02) pada 2026" in render(w201, "id")
    assert "280 households requested" in render(w201, "en")
    assert "→" in render(w201, "en") and "babs" not in render(w201, "en")
    w25 = render(_warning("SAN-W025"), "en")
    # 4.25 points -> 4.3 (one decimal, half up); the caps by funding source and sector label
    assert "largest shortfall 4.3 points (Safely managed (aman) sanitation, 2028)" in w25
    assert w25.endswith(
        "binding caps: City budget (APBD Kab/Kota) 2027, "
        "DAK (special allocation fund) (Domestic wastewater) 2028"
    )
    assert render(_warning("SAN-W170"), "id").startswith("SFD: rumah tangga pada anak tangga")
    assert "(2026-2029)" in render(_warning("SAN-W170"), "id")
    assert "(2024)" in render(_warning("SAN-W172"), "en")
    w302 = render(_warning("SAN-W302"), "id")
    assert "Rp 1.111.111" in w302 and "sebesar 11,1%" in w302
    w304 = render(_warning("SAN-W304"), "id")
    assert "lewat tenggat 15 Juni 2026: terlambat 15 hari" in w304 and "Kota Solok (13.72)" in w304


def test_a_count_of_one_is_worded_in_the_singular() -> None:
    one = Warning_("SAN-W004", {"n": 1}, "13.72", 2026)
    many = Warning_("SAN-W004", {"n": 1234}, "13.72", 2026)
    assert render(one, "en") == "1 area has no sanitation ladder data (no needs computed)."
    assert render(many, "en") == ("1,234 areas have no sanitation ladder data (no needs computed).")
    assert render(one, "id").startswith("1 wilayah tanpa data")
    assert render(many, "id").startswith("1.234 wilayah tanpa data")
    late = dict(SAMPLES["SAN-W304"], days=1)
    w = Warning_("SAN-W304", late, "13.72", 2026)
    assert " is 1 day past its due date " in render(w, "en")
    assert "terlambat 1 hari" in render(w, "id")
    assert " days past " in render(_warning("SAN-W304"), "en")


def test_values_must_match_the_registry() -> None:
    with pytest.raises(ValueError, match="differ from the registry"):
        Warning_("SAN-W002", {"year": 2027, "extra": 1})
    with pytest.raises(ValueError, match="differ from the registry"):
        Warning_("SAN-W009", {"year": 2029})
    with pytest.raises(ValueError, match="not in the registry"):
        Warning_("SAN-W999", {})
    with pytest.raises(ValueError, match="not in the registry"):
        Warning_("SAN-W001", {"variant": "nope", "year": 2031})


def test_an_input_problem_keeps_its_own_rule_text() -> None:
    w = Warning_(
        "SAN-W140", {"where": "survey.csv line 3", "rule_id": "kosong", "rule_en": "blank"}
    )
    assert render(w, "id") == "survey.csv line 3: kosong"
    assert render(w, "en") == "survey.csv line 3: blank"


def test_the_compiled_catalogue_translates_every_msgid() -> None:
    assert untranslated("id") == []


def _compile(po_text: str, tmp_path: Path) -> gettext.GNUTranslations:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:  # gettext tools: Django's compilemessages needs them too
        pytest.skip("msgfmt (GNU gettext) is not installed")
    po, mo = tmp_path / "django.po", tmp_path / "django.mo"
    po.write_text(po_text, encoding="utf-8")
    subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


def test_a_msgid_missing_from_the_po_is_found(tmp_path: Path) -> None:
    text = PO.read_text(encoding="utf-8")
    assert untranslated("id", _compile(text, tmp_path).gettext) == []
    victim = CATALOGUE["SAN-W002"].msgid
    block = re.compile(r'\n#\. SAN-W002\n(?:#,[^\n]*\n)?msgid "[^\n]*"\nmsgstr "[^\n]*"\n')
    assert len(block.findall(text)) == 1
    broken = _compile(block.sub("\n", text), tmp_path)
    assert untranslated("id", broken.gettext) == [victim]
    # and the warning then shows in English on an Indonesian page: the test above fails
    assert render(_warning("SAN-W002"), "id", gettext=broken.gettext) == render(
        _warning("SAN-W002"), "en"
    )
