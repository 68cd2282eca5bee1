"""Kelurahan/desa boundaries: the GeoJSON rules (pure, hand-made features), the boundaries
page, upload and clearing for every role (403 / 404, nothing saved), all-or-nothing uploads
(422 naming the feature), audit entries, and the dashboard's geoshape map (values of the
tile grid; a valid Vega-Lite v6 spec that vl-convert draws inside its panels)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from webhelpers import make_city, user

from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.geography import geojson
from sanitasi.web.geography.geojson import (
    MAX_BYTES,
    boundary_digest,
    normalize_kode,
    parse_boundaries,
    size_problem,
)
from sanitasi.web.geography.models import Region
from sanitasi.web.plans import results
from sanitasi.web.plans.tiles import _signed_area, d3_geometry, map_chart, tile_rows

ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
CHANGERS = {"admin", "koordinator"}
SCHEMATIC = Path(__file__).parent / "data" / "solok_boundaries_schematic.geojson"
KEL = {"13.72.01.1001": "Tanah Garam", "13.72.01.1002": "VI Suku"}
#: Kota Solok: 7 kelurahan in Lubuk Sikarah (13.72.01), 6 in Tanjung Harapan (13.72.02).
ALL_KEL = 13
LS_KEL = 7


# --------------------------------------------------------------------------- helpers


def square(lon: float = 100.62, lat: float = -0.78, size: float = 0.01) -> list[list[float]]:
    """An anticlockwise (RFC 7946) closed square ring."""
    return [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]


def feature(kode: Any = "13.72.01.1001", geometry: Any = "square", **props: Any) -> dict[str, Any]:
    if geometry == "square":
        geometry = {"type": "Polygon", "coordinates": [square()]}
    properties = {} if kode is None else {"kode": kode}
    properties.update(props)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def fc(*features: Any) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def rules(parsed: geojson.Parsed) -> list[str]:
    return [p.rule for p in parsed.errors]


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def schematic() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMATIC.read_text(encoding="utf-8"))
    return data


def upload_file(data: str | bytes, name: str = "batas.geojson") -> SimpleUploadedFile:
    body = data.encode("utf-8") if isinstance(data, str) else data
    return SimpleUploadedFile(name, body, content_type="application/geo+json")


def post_upload(c: Client, kode: str, data: str | bytes, **fields: str) -> Any:
    payload: dict[str, Any] = {"file": upload_file(data), "status": "unverified", **fields}
    return c.post(f"/cities/{kode}/boundaries/upload/", payload)


def stored(kode: str = "13.72") -> int:
    return Region.objects.filter(city_kode=kode, boundary__isnull=False).count()


def region_entries() -> Any:
    return AuditEntry.objects.filter(city_kode="13.72", model="geography.region").order_by("id")


def payload_of(response: Any) -> dict[str, Any]:
    """The page's chart payload (``{"specs", "options"}``, the JSON the browser reads)."""
    html = response.content.decode()
    found = re.search(
        r'<script id="chart-specs" type="application/json">(.*?)</script>', html, re.S
    )
    assert found is not None
    payload: dict[str, Any] = json.loads(found[1])
    return payload


def specs_of(response: Any) -> dict[str, Any]:
    specs: dict[str, Any] = payload_of(response)["specs"]
    return specs


# --------------------------------------------------------------------------- geojson rules


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages built outside a request in English (a request picks its own language)."""
    with translation.override("en"):
        yield


def test_clean_collection_is_accepted_and_cleaned() -> None:
    three_d = [[*p, 450.0] for p in square(100.63)]
    parsed = parse_boundaries(
        fc(
            feature(bbox=[0, 0, 1, 1]),
            feature("13.72.01.1002", {"type": "Polygon", "coordinates": [three_d], "bbox": [1]}),
        ),
        KEL,
        source="BIG 2024",
    )
    assert parsed.ok and parsed.errors == [] and parsed.warnings == []
    assert [b.kode for b in parsed.boundaries] == ["13.72.01.1001", "13.72.01.1002"]
    first, second = parsed.boundaries
    assert first.geometry == {"type": "Polygon", "coordinates": [square()]}
    assert first.positions == 5 and first.index == 0
    assert (first.source, first.status) == ("BIG 2024", "unverified")
    # extra members dropped, the elevation dropped
    assert second.geometry == {"type": "Polygon", "coordinates": [square(100.63)]}


BAD_CASES: list[tuple[str, Any, str]] = [
    ("no-geometry", feature(geometry=None), "no geometry"),
    (
        "geometry-type",
        feature(geometry={"type": "Point", "coordinates": [100.6, -0.78]}),
        "Point",
    ),
    (
        "geometry-type",
        feature(geometry={"type": "GeometryCollection", "geometries": []}),
        "GeometryCollection",
    ),
    ("coordinates", feature(geometry={"type": "Polygon", "coordinates": "abc"}), "coordinates"),
    (
        "coordinates",
        feature(geometry={"type": "MultiPolygon", "coordinates": []}),
        "list of polygons",
    ),
    (
        "not-number",
        feature(
            geometry={
                "type": "Polygon",
                "coordinates": [[[100.62, -0.78], ["100.63", -0.78], *square()[2:]]],
            }
        ),
        'coordinates[0][1]: "100.63" is not a finite number',
    ),
    (
        "not-number",
        feature(
            geometry={
                "type": "Polygon",
                "coordinates": [[[100.62, -0.78], [True, -0.78], *square()[2:]]],
            }
        ),
        "true is not a finite number",
    ),
    (
        "position",
        feature(geometry={"type": "Polygon", "coordinates": [[[100.62], *square()[1:]]]}),
        "coordinates[0][0] has 1 numbers",
    ),
    (
        "range",
        feature(geometry={"type": "Polygon", "coordinates": [square(400000.0, 9000000.0)]}),
        "coordinates[0][0]: longitude 400000.0, latitude 9000000.0",
    ),
    (
        "range",
        feature(geometry={"type": "Polygon", "coordinates": [square(100.6, -95.0)]}),
        "latitude -95.0",
    ),
    (
        "ring-short",
        feature(geometry={"type": "Polygon", "coordinates": [square()[:2] + square()[:1]]}),
        "coordinates[0] has 3 positions",
    ),
    (
        "ring-open",
        feature(geometry={"type": "Polygon", "coordinates": [square()[:4]]}),
        "coordinates[0] is not closed",
    ),
    (
        "ring-open",
        feature(geometry={"type": "MultiPolygon", "coordinates": [[square()], [square(101)[:4]]]}),
        "coordinates[1][0] is not closed",
    ),
    ("no-kode", feature(None), "no kode (property kode, kode_desa, KDEPUM, kd_desa)"),
    ("no-kode", feature(""), "no kode"),
    ("unknown-kode", feature("13.72.02.1001"), "13.72.02.1001 is not a kelurahan/desa"),
    ("unknown-kode", feature("13.72.01"), "13.72.01 is not a kelurahan/desa"),
    (
        "status",
        feature(status="official"),
        'status "official" is not one of sourced, derived, illustrative, unverified',
    ),
    ("source", feature(source="x" * 501), "source has 501 characters"),
]


@pytest.mark.parametrize(("rule", "bad", "text"), BAD_CASES)
def test_each_rule_names_the_feature_kode_and_rule(rule: str, bad: Any, text: str) -> None:
    good = feature("13.72.01.1002")
    parsed = parse_boundaries(fc(good, bad), KEL)
    assert not parsed.ok
    assert rules(parsed) == [rule]
    problem = parsed.errors[0]
    assert problem.feature == 1
    assert problem.message.startswith("features[1]")
    assert text in problem.message, problem.message
    kode = normalize_kode((bad.get("properties") or {}).get("kode"))
    if kode:
        assert f"(kode {kode})" in problem.message
    # the good feature is valid but nothing is to be saved while there are errors
    assert [b.kode for b in parsed.boundaries] == ["13.72.01.1002"]


def test_duplicate_kode_names_both_features() -> None:
    parsed = parse_boundaries(fc(feature(), feature("13.72.01.1002"), feature()), KEL)
    assert rules(parsed) == ["duplicate-kode"]
    p = parsed.errors[0]
    assert (p.feature, p.kode) == (2, "13.72.01.1001")
    assert "already appears in features[0]" in p.message


def test_not_a_feature_collection() -> None:
    for doc in ({"type": "Feature"}, [1, 2], {"type": "FeatureCollection", "features": []}):
        parsed = parse_boundaries(json.dumps(doc), KEL)
        assert rules(parsed) == ["collection"], doc
        assert parsed.errors[0].feature is None
    parsed = parse_boundaries(json.dumps({"type": "FeatureCollection", "features": [5]}), KEL)
    assert rules(parsed) == ["feature"]
    assert parsed.errors[0].message.startswith("features[0]: not a GeoJSON Feature")


def test_json_error_has_line_and_column() -> None:
    parsed = parse_boundaries('{"type": "FeatureCollection",\n  "features": [\n    }', KEL)
    assert rules(parsed) == ["json"]
    assert "line 3, column 5" in parsed.errors[0].message


def test_not_utf8_and_too_big() -> None:
    parsed = parse_boundaries(b'{"type": "\xff"}', KEL)
    assert rules(parsed) == ["encoding"]
    assert "byte 11" in parsed.errors[0].message
    assert size_problem(MAX_BYTES) is None
    big = size_problem(MAX_BYTES + 1)
    assert big is not None and big.rule == "size"
    assert big.message == "The file has 20.0 MB; the limit is 20.0 MB."
    assert rules(parse_boundaries(b" " * (MAX_BYTES + 1), KEL)) == ["size"]


def test_nan_is_not_a_number() -> None:
    text = fc(feature()).replace("100.62, -0.78], [100.63", "NaN, -0.78], [100.63", 1)
    parsed = parse_boundaries(text, KEL)
    assert rules(parsed) == ["not-number"]
    assert "NaN is not a finite number" in parsed.errors[0].message


def test_many_bad_positions_make_one_problem_with_a_count() -> None:
    ring = [["a", -0.78], ["b", -0.78], ["c", -0.77], [100.62, -0.77], ["a", -0.78]]
    parsed = parse_boundaries(fc(feature(geometry={"type": "Polygon", "coordinates": [ring]})), KEL)
    assert rules(parsed) == ["not-number"]
    assert parsed.errors[0].message.endswith("(and 3 more)")


def test_outside_indonesia_is_a_warning_only() -> None:
    swapped = [[lat, lon] for lon, lat in square()]  # lon/lat swapped: (-0.78, 100.62)
    parsed = parse_boundaries(
        fc(feature(geometry={"type": "Polygon", "coordinates": [swapped]})), KEL
    )
    assert rules(parsed) == ["range"]  # latitude 100.62 is impossible
    europe = feature(geometry={"type": "Polygon", "coordinates": [square(10.0, 50.0)]})
    parsed = parse_boundaries(fc(europe), KEL)
    assert parsed.ok and len(parsed.boundaries) == 1
    assert [(w.rule, w.level, w.feature) for w in parsed.warnings] == [("outside", "warning", 0)]
    assert "5 of 5 positions lie outside Indonesia" in parsed.warnings[0].message


def test_kode_properties_and_normalisation() -> None:
    assert normalize_kode("1372011001") == "13.72.01.1001"
    assert normalize_kode(1372011001) == "13.72.01.1001"
    assert normalize_kode(1372011001.0) == "13.72.01.1001"
    assert normalize_kode(" 13.72.01.1002 ") == "13.72.01.1002"
    assert normalize_kode(None) == "" and normalize_kode(True) == ""
    feats = [
        feature(None, KDEPUM="13.72.01.1001"),
        feature(
            None, geometry={"type": "Polygon", "coordinates": [square(101)]}, kd_desa=1372011002
        ),
    ]
    parsed = parse_boundaries(fc(*feats), KEL)
    assert parsed.ok
    assert [b.kode for b in parsed.boundaries] == ["13.72.01.1001", "13.72.01.1002"]
    # the first of kode, kode_desa, KDEPUM, kd_desa wins
    parsed = parse_boundaries(fc(feature("13.72.01.1002", KDEPUM="13.72.01.1001")), KEL)
    assert [b.kode for b in parsed.boundaries] == ["13.72.01.1002"]
    # a named property: only that one
    parsed = parse_boundaries(fc(feature(None, ID_DESA="1372011001")), KEL, kode_property="ID_DESA")
    assert [b.kode for b in parsed.boundaries] == ["13.72.01.1001"]
    parsed = parse_boundaries(fc(feature("13.72.01.1001")), KEL, kode_property="ID_DESA")
    assert rules(parsed) == ["no-kode"]
    assert "property ID_DESA" in parsed.errors[0].message


def test_feature_source_and_status_win_over_the_form() -> None:
    feats = [
        feature(status="illustrative", source="sketch"),
        feature("13.72.01.1002", geometry={"type": "Polygon", "coordinates": [square(101)]}),
    ]
    parsed = parse_boundaries(fc(*feats), KEL, source="BIG", status="sourced")
    assert [(b.source, b.status) for b in parsed.boundaries] == [
        ("sketch", "illustrative"),
        ("BIG", "sourced"),
    ]


def test_multipolygon_with_hole() -> None:
    outer = square(100.6, -0.8, 0.1)
    hole = square(100.62, -0.78, 0.01)[::-1]
    geom = {"type": "MultiPolygon", "coordinates": [[outer, hole], [square(101.0)]]}
    parsed = parse_boundaries(fc(feature(geometry=geom)), KEL)
    assert parsed.ok and parsed.boundaries[0].positions == 15


def test_digest_keeps_the_audit_small() -> None:
    geom = {"type": "Polygon", "coordinates": [square()]}
    d = boundary_digest(geom)
    assert d is not None
    assert (d["type"], d["positions"], len(d["sha256"])) == ("Polygon", 5, 16)
    assert boundary_digest(json.loads(json.dumps(geom))) == d  # stable
    other = boundary_digest({"type": "Polygon", "coordinates": [square(101)]})
    assert other is not None and other["sha256"] != d["sha256"]
    assert boundary_digest(None) is None


def test_d3_orientation() -> None:
    ccw = square()  # RFC 7946 exterior: anticlockwise, signed area > 0
    assert _signed_area(ccw) > 0
    hole_cw = square(100.621, -0.779, 0.002)[::-1]
    out = d3_geometry({"type": "Polygon", "coordinates": [ccw, hole_cw]})
    assert out["type"] == "MultiPolygon"
    exterior, hole = out["coordinates"][0]
    assert _signed_area(exterior) < 0 < _signed_area(hole)  # d3: exterior clockwise
    again = d3_geometry(out)  # already oriented: unchanged
    assert again == out


# --------------------------------------------------------------------------- the page


@pytest.mark.parametrize("role", ROLES)
def test_page_every_role(demo: str, role: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/boundaries/")
    assert response.status_code == 200
    ctx = response.context
    assert ctx["total"] == (LS_KEL if role == "kecamatan-ls" else ALL_KEL)
    assert ctx["with_boundary"] == 0
    assert ctx["may_change"] == (role in CHANGERS)
    html = response.content.decode()
    assert ('id="upload"' in html) == (role in CHANGERS)
    assert 'id="no-boundaries"' in html
    assert "Batas kelurahan/desa" in html  # Indonesian by default
    assert "Bila ada, dasbor juga menggambar peta" in html


def test_page_anonymous_and_out_of_scope(demo: str) -> None:
    anonymous = Client()
    for response in (
        anonymous.get(f"/cities/{demo}/boundaries/"),
        anonymous.post(f"/cities/{demo}/boundaries/upload/"),
        anonymous.post(f"/cities/{demo}/boundaries/clear/"),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    make_city("13.71", "Kota Padang")
    body = json.dumps(schematic())
    for role in ("koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "viewer"):
        c = client_for(role)
        assert c.get("/cities/13.71/boundaries/").status_code == 404, role
        assert post_upload(c, "13.71", body).status_code == 404, role
        assert c.post("/cities/13.71/boundaries/clear/").status_code == 404, role
    for role in ("admin", "fasilitator"):  # 13.71 is in their scope (fasilitator: province 13)
        assert client_for(role).get("/cities/13.71/boundaries/").status_code == 200
    assert client_for("admin").get("/cities/99.99/boundaries/").status_code == 404
    assert client_for("koordinator").get(f"/cities/{demo}/boundaries/upload/").status_code == 405
    assert stored() == 0


@pytest.mark.parametrize("role", ROLES)
def test_upload_every_role(demo: str, role: str) -> None:
    before = region_entries().count()
    response = post_upload(client_for(role), demo, SCHEMATIC.read_bytes())
    if role in CHANGERS:
        assert response.status_code == 302
        assert response["Location"] == f"/cities/{demo}/boundaries/"
        assert stored() == ALL_KEL
        assert region_entries().count() == before + ALL_KEL
    else:
        assert response.status_code == 403
        assert stored() == 0
        assert region_entries().count() == before


def test_anonymous_upload_saves_nothing(demo: str) -> None:
    response = post_upload(Client(), demo, SCHEMATIC.read_bytes())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stored() == 0


def test_good_upload_summary_and_stored_rows(demo: str) -> None:
    c = client_for("koordinator")
    response = post_upload(c, demo, SCHEMATIC.read_bytes(), status="sourced", source="ignored")
    page = c.get(response["Location"])
    html = page.content.decode()
    assert (
        "Menyimpan batas 13 kelurahan/desa dari batas.geojson (13 baru, 0 diganti, 0 tidak "
        "berubah); 0 dari 13 kelurahan/desa tanpa batas." in html
    )
    assert page.context["with_boundary"] == ALL_KEL
    r = Region.objects.get(city_kode=demo, kode="13.72.01.1001")
    # the file's own status/source win over the form's
    assert (r.boundary_status, r.boundary_source) == (
        "illustrative",
        "schematic rectangles, not real boundaries",
    )
    assert r.boundary == {
        "type": "Polygon",
        "coordinates": [
            [[100.62, -0.78], [100.632, -0.78], [100.632, -0.77], [100.62, -0.77], [100.62, -0.78]]
        ],
    }
    # the preview map: one feature per kelurahan, coloured by kecamatan
    preview = specs_of(page)["preview"]
    assert len(preview["data"]["values"]) == ALL_KEL
    assert preview["layer"][0]["mark"]["type"] == "geoshape"
    # the same file again: nothing changes, nothing is audited
    entries = region_entries().count()
    response = post_upload(c, demo, SCHEMATIC.read_bytes())
    assert response.status_code == 302
    assert "(0 baru, 0 diganti, 13 tidak berubah)" in c.get(response["Location"]).content.decode()
    assert region_entries().count() == entries


def test_bad_feature_among_good_ones_saves_nothing(demo: str) -> None:
    c = client_for("koordinator")
    assert post_upload(c, demo, SCHEMATIC.read_bytes()).status_code == 302
    before = dict(Region.objects.filter(city_kode=demo).values_list("kode", "boundary"))
    entries = region_entries().count()
    doc = schematic()
    for f in doc["features"]:  # a new version of every boundary ...
        f["geometry"]["coordinates"][0] = [
            [x + 0.001, y] for x, y in f["geometry"]["coordinates"][0]
        ]
    doc["features"][5]["geometry"]["coordinates"][0].pop()  # ... one ring left open
    response = post_upload(c, demo, json.dumps(doc))
    assert response.status_code == 422
    problems = response.context["problems"]
    assert [(p.rule, p.feature, p.kode) for p in problems] == [("ring-open", 5, "13.72.01.1006")]
    html = response.content.decode()
    assert "features[5] (kode 13.72.01.1006)" in html and "ring-open" in html
    assert "tidak ada yang disimpan" in html
    after = dict(Region.objects.filter(city_kode=demo).values_list("kode", "boundary"))
    assert after == before  # not even the 12 good features
    assert region_entries().count() == entries


def test_bad_uploads_answer_422(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    c = client_for("koordinator")
    response = post_upload(c, demo, '{"type": "FeatureCollection", "features": [}')
    assert response.status_code == 422
    assert [p.rule for p in response.context["problems"]] == ["json"]
    assert "baris 1, kolom 44" in response.content.decode()
    # unknown kode (another city's kelurahan) and a kecamatan kode
    doc = schematic()
    doc["features"][0]["properties"]["kode"] = "13.71.01.1001"
    doc["features"][1]["properties"]["kode"] = "13.72.02"
    response = post_upload(c, demo, json.dumps(doc))
    assert response.status_code == 422
    assert [(p.rule, p.feature) for p in response.context["problems"]] == [
        ("unknown-kode", 0),
        ("unknown-kode", 1),
    ]
    # no file: the form's own error
    response = c.post(f"/cities/{demo}/boundaries/upload/", {"status": "unverified"})
    assert response.status_code == 422
    assert response.context["form"].errors["file"]
    # too big (the limit lowered for the test)
    monkeypatch.setattr(settings, "SANITASI_GEOJSON_MAX_MB", 100 / geojson.MB)
    response = post_upload(c, demo, SCHEMATIC.read_bytes())
    assert response.status_code == 422
    size = SCHEMATIC.stat().st_size / 1024 / 1024
    expected = f"{size:.1f}".replace(".", ",")
    assert f"Berkas berukuran {expected} MB; batasnya 0,0 MB." in str(
        response.context["form"].errors["file"]
    )
    assert stored() == 0


def test_custom_kode_property_and_warning(demo: str) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            feature(None, ID="1372011001"),
            feature(
                None,
                geometry={"type": "Polygon", "coordinates": [square(10.0, 50.0)]},
                ID="1372021006",
            ),
        ],
    }
    c = client_for("admin")
    response = post_upload(c, demo, json.dumps(doc), kode_property="ID", source="Survei 2025")
    assert response.status_code == 302
    html = c.get(response["Location"]).content.decode()
    assert "features[1] (kode 13.72.02.1006)" in html  # the warning is shown
    assert stored() == 2
    laing = Region.objects.get(city_kode=demo, kode="13.72.02.1006")
    assert (laing.boundary_source, laing.boundary_status) == ("Survei 2025", "unverified")


def test_audit_entries_hold_a_digest_not_the_geometry(demo: str) -> None:
    before = region_entries().count()
    post_upload(client_for("koordinator"), demo, SCHEMATIC.read_bytes())
    entries = list(region_entries()[before:])
    assert len(entries) == ALL_KEL
    tanah_garam = next(e for e in entries if e.object_repr.startswith("13.72.01.1001"))
    assert (tanah_garam.action, tanah_garam.username) == ("update", "koordinator")
    assert tanah_garam.before is not None and tanah_garam.after is not None
    assert tanah_garam.before["boundary"] is None
    assert tanah_garam.after["boundary"] == boundary_digest(
        Region.objects.get(city_kode=demo, kode="13.72.01.1001").boundary
    )
    assert tanah_garam.after["boundary"]["positions"] == 5
    assert tanah_garam.after["boundary_status"] == "illustrative"
    assert set(tanah_garam.changed_fields()) == {"boundary", "boundary_source", "boundary_status"}
    for e in entries:
        assert "coordinates" not in json.dumps([e.before, e.after])


@pytest.mark.parametrize("role", ROLES)
def test_clear_every_role(demo: str, role: str) -> None:
    post_upload(client_for("koordinator"), demo, SCHEMATIC.read_bytes())
    entries = region_entries().count()
    response = client_for(role).post(f"/cities/{demo}/boundaries/clear/")
    if role in CHANGERS:
        assert response.status_code == 302
        assert stored() == 0
        cleared = list(region_entries()[entries:])
        assert len(cleared) == ALL_KEL
        assert all(e.after is not None and e.after["boundary"] is None for e in cleared)
        assert all(e.before is not None and e.before["boundary"]["positions"] == 5 for e in cleared)
        r = Region.objects.get(city_kode=demo, kode="13.72.02.1001")
        assert (r.boundary, r.boundary_source, r.boundary_status) == (None, "", "")
    else:
        assert response.status_code == 403
        assert stored() == ALL_KEL
        assert region_entries().count() == entries


# --------------------------------------------------------------------------- dashboard map


def test_dashboard_has_no_map_without_boundaries(demo: str) -> None:
    specs = specs_of(client_for("viewer").get(f"/cities/{demo}/"))
    assert "map" not in specs
    assert specs["tiles"]["spec"]["layer"][0]["mark"]["type"] == "rect"


def test_dashboard_map_after_upload(demo: str) -> None:
    post_upload(client_for("koordinator"), demo, SCHEMATIC.read_bytes())
    response = client_for("viewer").get(f"/cities/{demo}/")
    assert response.status_code == 200
    specs = specs_of(response)
    assert specs["tiles"]["spec"]["layer"][0]["mark"]["type"] == "rect"  # the grid stays
    assert "map" in response.context["other_keys"]
    assert 'data-chart="map"' in response.content.decode()
    spec = specs["map"]
    features = spec["data"]["values"]
    assert len(features) == ALL_KEL
    assert len({f["properties"]["kode"] for f in features}) == ALL_KEL
    # the values are the tile grid's
    rows = tile_rows(results.plan_result(demo), "id")
    by_kode: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = "pct_layak" if "layak" in r["indicator"].lower() else "pct_aman"
        by_kode.setdefault(r["kode"], {})[key] = (r["value"], r["end"])
    for f in features:
        p = f["properties"]
        assert (p["pct_layak"], p["pct_layak_end"]) == by_kode[p["kode"]]["pct_layak"]
        assert (p["pct_aman"], p["pct_aman_end"]) == by_kode[p["kode"]]["pct_aman"]
        assert p["status"] == "illustrative"
    tanah_garam = next(f for f in features if f["properties"]["kode"] == "13.72.01.1001")
    p = tanah_garam["properties"]
    # 2024: (210 aman + 2169 layak sendiri + 245 layak bersama) / 3498 households
    assert p["pct_layak"] == pytest.approx(75.014, abs=1e-3)
    assert p["pct_aman"] == pytest.approx(6.003, abs=1e-3)  # 210 / 3498
    assert p["pct_layak_label"] == "75"
    assert p["nama"] == "Tanah Garam" and p["kecamatan"] == "Lubuk Sikarah (13.72.01)"
    assert (p["lon"], p["lat"]) == (100.626, -0.775)
    assert [panel["title"] for panel in spec["hconcat"]] == ["Akses layak", "Akses aman"]
    assert "batas ilustratif, bukan batas resmi" in spec["title"]["subtitle"]
    layer = spec["hconcat"][0]["layer"][0]
    assert layer["mark"]["type"] == "geoshape"
    assert layer["encoding"]["tooltip"][3]["format"] == ",.1f"
    assert payload_of(response)["options"]["formatLocale"]["decimal"] == ","


def test_dashboard_map_of_a_kecamatan_user(demo: str) -> None:
    post_upload(client_for("koordinator"), demo, SCHEMATIC.read_bytes())
    specs = specs_of(client_for("kecamatan-ls").get(f"/cities/{demo}/"))
    kodes = {f["properties"]["kode"] for f in specs["map"]["data"]["values"]}
    assert len(kodes) == LS_KEL and all(k.startswith("13.72.01.") for k in kodes)


def test_map_spec_is_valid_vega_lite_and_draws_inside_the_panels(demo: str) -> None:
    vl_convert = pytest.importorskip("vl_convert")
    post_upload(client_for("koordinator"), demo, SCHEMATIC.read_bytes())
    from sanitasi.web.geography.boundaries import visible_boundaries

    spec = map_chart(results.plan_result(demo), visible_boundaries(user("viewer"), demo), "en")
    assert spec is not None and spec["$schema"].endswith("/v6.json")
    svg = vl_convert.vegalite_to_svg(spec)
    paths = re.findall(r'aria-roledescription="geoshape"[^>]*d="([^"]+)"', svg)
    assert len(paths) == 2 * ALL_KEL  # one shape per kelurahan in each panel
    xs = [float(v) for d in paths for v in re.findall(r"[ML](-?[\d.]+),", d)]
    ys = [float(v) for d in paths for v in re.findall(r"[ML]-?[\d.]+,(-?[\d.]+)", d)]
    # fitted to the panel (a ring the wrong way round would cover the globe and shrink
    # the kelurahan to a dot)
    assert min(xs) >= -0.5 and max(xs) <= 340.5 and max(xs) - min(xs) > 300
    assert min(ys) >= -0.5 and max(ys) <= 300.5
    assert ">75<" in svg  # the value label of Tanah Garam (75.0 % layak)


def test_map_chart_without_boundaries_or_values(demo: str) -> None:
    result = results.plan_result(demo)
    assert map_chart(result, {}, "id") is None
    assert map_chart(result, {"13.72.01.1001": {"geometry": None}}, "id") is None


def test_vanished_region_saves_nothing(demo: str) -> None:
    from sanitasi.web.geography.boundaries import RegionsChanged, save_boundaries
    from sanitasi.web.geography.geojson import Boundary

    geom = {"type": "Polygon", "coordinates": [square()]}
    good = Boundary(0, "13.72.01.1001", geom, 5, "", "unverified")
    gone = Boundary(1, "13.72.01.1099", geom, 5, "", "unverified")
    with pytest.raises(RegionsChanged, match=r"13\.72\.01\.1099"):
        save_boundaries(user("koordinator"), demo, [good, gone])
    assert stored() == 0
    with pytest.raises(RegionsChanged):  # a viewer may change no region at all
        save_boundaries(user("viewer"), demo, [good])
    assert stored() == 0


def test_admin_shows_a_digest_not_the_geometry(demo: str) -> None:
    post_upload(client_for("koordinator"), demo, SCHEMATIC.read_bytes())
    r = Region.objects.get(city_kode=demo, kode="13.72.01.1001")
    response = client_for("admin").get(f"/admin/geography/region/{r.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&#x27;positions&#x27;: 5" in html and "100.632" not in html


def test_deep_nesting_is_a_field_error_not_a_500(demo: str) -> None:
    """Issue 12 item 4: a 2 KB file nested 1,000 deep was a 500 (RecursionError)."""
    deep = "[" * 1000 + "]" * 1000
    assert geojson.nesting_depth(deep) == 1000
    assert geojson.nesting_depth('{"a": "[[[[", "b": [[1]]}') == 3  # strings do not count
    assert geojson.nesting_depth(json.dumps(schematic())) <= 8
    doc = '{"type": "FeatureCollection", "features": ' + deep + "}"
    parsed = geojson.parse_boundaries(doc, {})
    assert [p.rule for p in parsed.errors] == ["depth"]
    response = post_upload(client_for("koordinator"), demo, doc)
    assert response.status_code == 422
    assert [p.rule for p in response.context["problems"]] == ["depth"]
    assert "1001" in response.content.decode()  # the outer object counts too
    assert stored() == 0


def test_the_dashboard_map_is_thinned_to_its_position_cap(demo: str) -> None:
    """Issue 12 item 4: a boundary of 40,000 positions is drawn with about the cap (1,000),
    every ring closed and at least a triangle; without a cap it is drawn whole."""
    import math

    n = 40_000
    ring = [
        [
            100.65 + 0.01 * math.cos(2 * math.pi * i / n),
            -0.78 + 0.01 * math.sin(2 * math.pi * i / n),
        ]
        for i in range(n)
    ]
    ring.append(ring[0])
    small = [[100.6, -0.8], [100.61, -0.8], [100.61, -0.79], [100.6, -0.8]]
    boundaries = {
        "13.72.01.1001": {"geometry": {"type": "Polygon", "coordinates": [ring]}},
        "13.72.01.1002": {"geometry": {"type": "Polygon", "coordinates": [small]}},
    }
    result = results.plan_result(demo)
    spec = map_chart(result, boundaries, "id", max_positions=1_000)
    assert spec is not None
    rings = [
        r for f in spec["data"]["values"] for poly in f["geometry"]["coordinates"] for r in poly
    ]
    assert sum(len(r) for r in rings) <= 1_000 + 4
    assert all(r[0] == r[-1] and len(r) >= 4 for r in rings)
    assert len(rings[1]) == 4  # a small ring is kept whole
    whole = map_chart(result, boundaries, "id")
    assert whole is not None
    assert (
        sum(
            len(r) for f in whole["data"]["values"] for p in f["geometry"]["coordinates"] for r in p
        )
        == n + 1 + 4
    )
