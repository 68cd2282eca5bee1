"""The effect builder of the activity form (issue 11 item 7): drop-downs instead of the
effect mini-language.

Every valid combination of kind, from, to (with aman's service) and amount round-trips
form -> stored string -> form; every invalid one gets its message at the field, in the
page's language; the preview says what one unit does in words; the activity form saves the
built string (what ``programme.csv`` holds) and a bad row saves nothing.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from test_web_programme import client_for, new_data

from sanitasi.core.model import RUNGS
from sanitasi.core.programme import CAP_KINDS, SERVICES, WASTE_TERMS, parse_effects
from sanitasi.web.programme.effects import EffectBuilder, initial_of, term_choices, terms_of
from sanitasi.web.programme.models import Activity

pytestmark = pytest.mark.django_db


def _targets(rung: str) -> list[str]:
    return [f"aman@{s}" for s in SERVICES] if rung == "aman" else [rung]


HH = [("hh", s, t2) for s, t in itertools.product(RUNGS, RUNGS) if s != t for t2 in _targets(t)]
TPD = [("tpd", s, t) for s, t in itertools.product(WASTE_TERMS, WASTE_TERMS) if s != t]
CAP = [("cap", "", c) for c in CAP_KINDS]
VALID = HH + TPD + CAP


def post_of(rows: list[dict[str, Any]], lang: str = "id") -> dict[str, str]:
    """The builder rows as the browser posts them (numbers in the page's language)."""
    data: dict[str, str] = {}
    for i, row in enumerate(rows):
        amount = row.get("amount", "")
        text = amount if isinstance(amount, str) else repr(float(amount))
        if lang == "id" and not isinstance(amount, str):
            text = text.replace(".", ",")
        data.update(
            {
                f"effect-{i}-kind": row.get("kind", ""),
                f"effect-{i}-source": row.get("source", ""),
                f"effect-{i}-target": row.get("target", ""),
                f"effect-{i}-amount": text,
            }
        )
    return data


def test_every_valid_combination_round_trips() -> None:
    with translation.override("id"):
        for kind, source, target in VALID:
            b = EffectBuilder(
                post_of([{"kind": kind, "source": source, "target": target, "amount": 0.25}])
            )
            assert b.is_valid(), (kind, source, target, [r.errors for r in b.rows])
            text = b.text()
            (effect,) = parse_effects(text)  # the CLI's parser reads it
            assert initial_of(effect) == {
                "kind": kind,
                "source": source,
                "target": target,
                "amount": 0.25,
            }
            again = EffectBuilder(post_of(terms_of(text)))
            assert again.is_valid() and again.text() == text


def test_count_of_valid_combinations() -> None:
    # 6 rungs: 30 ordered pairs, the 5 moves into aman twice (L2T2, SPALD-T) -> 35;
    # 3 waste streams: 6 pairs; 4 capacity kinds.
    assert (len(HH), len(TPD), len(CAP)) == (35, 6, 4)


def test_demo_effects_round_trip() -> None:
    """Every stored effect of the demo reads into rows that build the same string."""
    with translation.override("id"):
        for act in Activity.objects.filter(city_kode="13.72"):
            rows = terms_of(act.effect)
            text = EffectBuilder(post_of(rows)).text()
            assert text == (act.effect if act.effect != "none" else "none"), act.code


@given(
    terms=st.lists(
        st.tuples(
            st.sampled_from(VALID),
            st.floats(min_value=1e-4, max_value=1e4, allow_nan=False).map(
                lambda x: float(f"{x:g}")
            ),
        ),
        max_size=4,
    )
)
@settings(max_examples=60, deadline=None)
def test_several_terms_round_trip(terms: list[tuple[tuple[str, str, str], float]]) -> None:
    rows = [{"kind": k, "source": s, "target": t, "amount": a} for (k, s, t), a in terms]
    with translation.override("en"):
        b = EffectBuilder(post_of(rows, lang="en"))
        assert b.is_valid()
        text = b.text()
        parsed = parse_effects(text)
        assert [initial_of(e) for e in parsed] == [
            {**r, "amount": float(f"{r['amount']:g}")} for r in rows
        ]
        assert text == (";".join(str(e) for e in parsed) or "none")


INVALID = [
    (
        {"kind": "hh", "source": "babs_tertutup", "target": "babs_tertutup", "amount": "1"},
        "target",
        "“Ke” harus berbeda dari “Dari”.",
    ),
    (
        {"kind": "hh", "source": "babs_tertutup", "target": "aman", "amount": "1"},
        "target",
        "Pilih salah satu nilai",
    ),
    (
        {"kind": "hh", "source": "babs_tertutup", "target": "layak_sendiri", "amount": "0"},
        "amount",
        "di atas 0",
    ),
    (
        {"kind": "hh", "source": "babs_tertutup", "target": "layak_sendiri", "amount": "-2"},
        "amount",
        "di atas 0",
    ),
    (
        {"kind": "hh", "source": "babs_tertutup", "target": "layak_sendiri", "amount": ""},
        "amount",
        "Isi jumlah",
    ),
    (
        {"kind": "hh", "source": "babs_tertutup", "target": "layak_sendiri", "amount": "satu"},
        "amount",
        "bilangan",
    ),
    (
        {"kind": "hh", "source": "unmanaged", "target": "layak_sendiri", "amount": "1"},
        "source",
        "Pilih",
    ),
    (
        {"kind": "hh", "source": "", "target": "layak_sendiri", "amount": "1"},
        "source",
        "Pilih asal",
    ),
    (
        {"kind": "tpd", "source": "unmanaged", "target": "unmanaged", "amount": "1"},
        "target",
        "“Ke” harus berbeda",
    ),
    (
        {"kind": "tpd", "source": "unmanaged", "target": "aman@l2t2", "amount": "1"},
        "target",
        "Pilih",
    ),
    (
        {"kind": "cap", "source": "", "target": "layak_sendiri", "amount": "1"},
        "target",
        "Pilih salah satu nilai",
    ),
    ({"kind": "cap", "source": "", "target": "", "amount": "1"}, "target", "Pilih tujuan"),
    ({"kind": "", "source": "", "target": "", "amount": "1"}, "kind", "Pilih jenis"),
    (
        {"kind": "bogus", "source": "", "target": "", "amount": "1"},
        "kind",
        "Pilih salah satu nilai",
    ),
]


@pytest.mark.parametrize(("row", "field", "words"), INVALID)
def test_invalid_rows_get_the_field_error_in_indonesian(
    row: dict[str, str], field: str, words: str
) -> None:
    with translation.override("id"):
        b = EffectBuilder(post_of([row]))
        assert not b.is_valid()
        errors = b.rows[0].errors
        assert field in errors, errors
        assert words in " ".join(errors[field]), errors[field]
        # only Indonesian: none of the English messages
        assert "must" not in " ".join(errors[field]) and "Choose" not in " ".join(errors[field])


def test_invalid_row_in_english() -> None:
    with translation.override("en"):
        b = EffectBuilder(
            post_of([{"kind": "hh", "source": "aman", "target": "aman@l2t2", "amount": "1"}])
        )
        assert not b.is_valid()
        assert b.rows[0].errors["target"] == ["“To” must differ from “From”."]


def test_choices_are_labels_never_codes() -> None:
    with translation.override("id"):
        sources, targets = term_choices("hh", "id")
        assert ("babs_tertutup", "BABS tertutup") in sources
        assert ("aman@spald_t", "Aman dengan sambungan perpipaan (SPALD-T)") in targets
        assert all("_" not in label and "@" not in label for _c, label in sources + targets)
        _s, caps = term_choices("cap", "id")
        assert caps == [
            ("iplt_m3_per_day", "Kapasitas IPLT"),
            ("truk_tinja", "Truk tinja"),
            ("truk_sampah", "Truk sampah"),
            ("tpa_m3", "Volume sel TPA"),
        ]


def test_preview_in_words() -> None:
    with translation.override("id"):
        b = EffectBuilder(
            post_of(
                [
                    {
                        "kind": "hh",
                        "source": "babs_tertutup",
                        "target": "layak_sendiri",
                        "amount": 1.0,
                    },
                    {"kind": "tpd", "source": "unmanaged", "target": "pengurangan", "amount": 0.2},
                    {"kind": "cap", "source": "", "target": "iplt_m3_per_day", "amount": 1.5},
                ]
            )
        )
        p = b.preview()
        assert p.complete and not p.none
        assert p.lines == [
            "1 rumah tangga dari BABS tertutup ke Layak sendiri",
            "0,2 ton/hari sampah dari Tidak terkelola ke Pengurangan",
            "Kapasitas IPLT +1,5 m³/hari",
        ]
        assert b.text() == (
            "hh:babs_tertutup->layak_sendiri:1;tpd:unmanaged->pengurangan:0.2;cap:iplt_m3_per_day:1.5"
        )
        # three filled rows + one blank one
        assert len(b.rows) == 4
    with translation.override("en"):
        b = EffectBuilder(
            post_of(
                [{"kind": "hh", "source": "belum_layak", "target": "aman@l2t2", "amount": 50.0}],
                lang="en",
            ),
            lang="en",
        )
        assert b.preview().lines == [
            "50 households from Limited (belum layak) to Safely managed (aman) with scheduled desludging (L2T2)"
        ]


def test_no_row_is_none() -> None:
    b = EffectBuilder(post_of([{}]))
    assert b.is_valid() and b.text() == "none" and b.preview().none


# --------------------------------------------------------------------------- the web


def test_preview_endpoint_renders_the_sentence(demo: str) -> None:
    c = client_for("koordinator")
    data = post_of(
        [{"kind": "hh", "source": "babs_tertutup", "target": "layak_sendiri", "amount": 1.0}]
    )
    r = c.post(f"/cities/{demo}/programme/effect-preview/", data, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200
    assert "1 unit: 1 rumah tangga dari BABS tertutup ke Layak sendiri" in html
    assert 'name="effect-1-kind"' in html  # a new blank row
    bad = post_of(
        [{"kind": "hh", "source": "babs_tertutup", "target": "babs_tertutup", "amount": "1"}]
    )
    r = c.post(f"/cities/{demo}/programme/effect-preview/", bad, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "“Ke” harus berbeda dari “Dari”." in html and "1 unit:" not in html


def test_preview_needs_login(demo: str) -> None:
    r = Client().post(f"/cities/{demo}/programme/effect-preview/", {})
    assert r.status_code == 302


def test_activity_form_shows_the_builder_with_the_stored_effect(demo: str) -> None:
    r = client_for("koordinator").get(f"/cities/{demo}/programme/ALD-01/edit/")
    html = r.content.decode()
    assert 'name="effect-0-kind"' in html and 'name="effect"' not in html
    assert '<option value="aman@l2t2" selected>' in html
    assert (
        "1 unit: 1 rumah tangga dari Belum layak ke Aman dengan penyedotan terjadwal (L2T2)" in html
    )


def test_activity_saved_from_the_builder(demo: str) -> None:
    data = new_data()
    data.pop("effect")
    data.update(
        post_of(
            [
                {"kind": "hh", "source": "belum_layak", "target": "aman@spald_t", "amount": 2.5},
                {"kind": "", "source": "", "target": "", "amount": ""},
            ]
        )
    )
    r = client_for("koordinator").post(f"/cities/{demo}/programme/new/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    act = Activity.objects.get(city_kode=demo, code="ALD-09")
    assert act.effect == "hh:belum_layak->aman@spald_t:2.5"


def test_bad_builder_row_saves_nothing(demo: str) -> None:
    data = new_data()
    data.pop("effect")
    data.update(
        post_of([{"kind": "tpd", "source": "unmanaged", "target": "unmanaged", "amount": "1"}])
    )
    r = client_for("koordinator").post(f"/cities/{demo}/programme/new/", data)
    assert r.status_code == 422
    html = r.content.decode()
    assert "“Ke” harus berbeda dari “Dari”." in html
    assert "Perbaiki efek" in html
    assert not Activity.objects.filter(city_kode=demo, code="ALD-09").exists()
