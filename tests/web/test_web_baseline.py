"""Baseline screens: the table per year, in-place row editing, the XLSX template and the
all-or-nothing upload -- every view x every role (and anonymous), out-of-scope city 404,
forbidden 403 with nothing saved, bad input 422 naming the cell with nothing saved, a good
upload changing the dashboard's figure, audit entries."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from webhelpers import make_city, user

from sanitasi.reports.common import city_rows, frame
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.plans import results
from sanitasi.web.plans.models import Observation

ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
EDITORS = {"admin", "koordinator"}
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
TANAH_GARAM = "13.72.01.1001"  # kecamatan Lubuk Sikarah (13.72.01)
LUBUK_SIKARAH = "13.72.01"
KOTO_PANJANG = "13.72.02.1001"  # kecamatan Tanjung Harapan (13.72.02)


def client_for(username: str | None) -> Client:
    c = Client()
    if username is not None:
        c.force_login(user(username))
    return c


def value(kode: str, indicator: str, year: int = 2024) -> float:
    return Observation.objects.get(
        city_kode="13.72", region__kode=kode, year=year, indicator=indicator
    ).value


def snapshot() -> list[tuple[Any, ...]]:
    rows = Observation.objects.filter(city_kode="13.72").order_by("id")
    return list(rows.values_list("id", "region__kode", "year", "indicator", "value", "status"))


def city_pct_aman(kode: str = "13.72", year: int = 2024) -> float:
    df = city_rows(frame(results.plan_result(kode), "headline"), kode)
    return float(df[(df["indicator"] == "pct_aman") & (df["year"] == year)]["baseline_pct"].iloc[0])


def template_book(c: Client, kode: str = "13.72") -> openpyxl.Workbook:
    response = c.get(f"/cities/{kode}/baseline/template.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def header(ws: Any) -> list[str]:
    return [str(c.value) for c in ws[1]]


def find_row(ws: Any, kode: str, year: int, has: str) -> int:
    """Excel row of ``kode``/``year`` whose cell ``has`` is filled."""
    h = header(ws)
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == kode and ws.cell(r, h.index("year") + 1).value == year:
            if ws.cell(r, h.index(has) + 1).value is not None:
                return r
    raise LookupError((kode, year, has))


def set_cell(ws: Any, row: int, column: str, v: Any) -> None:
    ws.cell(row, header(ws).index(column) + 1).value = v


def upload(c: Client, wb: openpyxl.Workbook | bytes, name: str = "baseline.xlsx") -> Any:
    if isinstance(wb, bytes):
        data = wb
    else:
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    f = io.BytesIO(data)
    f.name = name
    return c.post("/cities/13.72/baseline/upload/", {"workbook": f})


def uploads() -> int:
    return AuditEntry.objects.filter(city_kode="13.72", model="plans.observation").count()


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("role", ROLES)
def test_table_every_role(demo: str, role: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/baseline/")
    assert response.status_code == 200
    ctx = response.context
    assert ctx["year"] == 2024  # the plan's base year
    kodes = [r.region.kode for r in ctx["rows"]]
    assert TANAH_GARAM in kodes and "13.72" in kodes
    # a kecamatan user sees only its kecamatan's rows (and the city's)
    assert (KOTO_PANJANG in kodes) == (role != "kecamatan-ls")
    assert ctx["editor"] == (role in EDITORS)
    html = response.content.decode()
    assert ('id="baseline-upload"' in html) == (role in EDITORS)
    assert "/baseline/template.xlsx" in html
    row = next(r for r in ctx["rows"] if r.region.kode == TANAH_GARAM)
    cells = {c.indicator: c for c in row.cells}
    assert cells["households"].value == 3498 and cells["households"].text == "3.498"
    assert cells["hh_aman"].status == "illustrative"
    assert ctx["columns"][:3] == ["population", "households", "hh_aman"]


def test_table_other_year_and_english(demo: str) -> None:
    c = client_for("viewer")
    c.post("/i18n/setlang/", {"language": "en"})
    response = c.get(f"/cities/{demo}/baseline/?year=2010")
    rows = response.context["rows"]
    assert [r.region.kode for r in rows] == ["13.72"]  # only the census population
    assert response.context["columns"] == ["population"]
    assert rows[0].cells[0].text == "59,396"


def test_table_anonymous_and_out_of_scope(demo: str) -> None:
    response = client_for(None).get(f"/cities/{demo}/baseline/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    make_city("13.71", "Kota Padang")
    for role in ("koordinator", "opd-dlh", "kecamatan-ls", "viewer"):
        c = client_for(role)
        assert c.get("/cities/13.71/baseline/").status_code == 404, role
        assert c.get("/cities/13.71/baseline/template.xlsx").status_code == 404, role
        assert c.post("/cities/13.71/baseline/upload/").status_code == 404, role
        assert c.get("/cities/13.71/baseline/13.71/2024/").status_code == 404, role
    assert client_for("admin").get("/cities/13.71/baseline/").status_code == 200


# --------------------------------------------------------------------------- template


@pytest.mark.parametrize("role", ROLES)
def test_template_every_role(demo: str, role: str) -> None:
    wb = template_book(client_for(role))
    ws = wb["baseline"]
    kodes = {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)} - {None}
    assert TANAH_GARAM in kodes
    assert (KOTO_PANJANG in kodes) == (role != "kecamatan-ls")
    r = find_row(ws, TANAH_GARAM, 2024, "households")
    assert ws.cell(r, header(ws).index("households") + 1).value == 3498


def test_template_anonymous(demo: str) -> None:
    assert client_for(None).get(f"/cities/{demo}/baseline/template.xlsx").status_code == 302


# --------------------------------------------------------------------------- upload


@pytest.mark.parametrize("role", ROLES)
def test_upload_every_role(demo: str, role: str) -> None:
    c = client_for(role)
    wb = template_book(client_for("admin"))
    ws = wb["baseline"]
    r = find_row(ws, TANAH_GARAM, 2024, "hh_aman")
    set_cell(ws, r, "hh_aman", 560)
    set_cell(ws, r, "hh_belum_layak", 0)
    before, entries = snapshot(), uploads()
    response = upload(c, wb)
    if role in EDITORS:
        assert response.status_code == 200, response.content.decode()[:2000]
        assert value(TANAH_GARAM, "hh_aman") == 560
        assert uploads() == entries + 1
    else:
        assert response.status_code == 403
        assert snapshot() == before and uploads() == entries


def test_upload_anonymous_and_get(demo: str) -> None:
    before = snapshot()
    response = client_for(None).post(f"/cities/{demo}/baseline/upload/")
    assert response.status_code == 302 and snapshot() == before
    assert client_for("koordinator").get(f"/cities/{demo}/baseline/upload/").status_code == 405


def test_good_upload_changes_dashboard_and_is_audited(demo: str) -> None:
    c = client_for("koordinator")
    # base year 2024: 1637 aman of 20087 households in the 17 kelurahan
    assert city_pct_aman() == pytest.approx(1637 / 20087 * 100)
    wb = template_book(c)
    ws = wb["baseline"]
    r = find_row(ws, TANAH_GARAM, 2024, "hh_aman")
    set_cell(ws, r, "hh_aman", 560)  # 210 + 350: every belum_layak household becomes aman
    set_cell(ws, r, "hh_belum_layak", 0)
    response = upload(c, wb, "kelurahan.xlsx")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.added, summary.changed, summary.unchanged) == (0, 2, 233)
    # Lubuk Sikarah and the city follow their kelurahan (observations.csv 2024): aman
    # 872 + 350 and 1637 + 350, belum layak 827 - 350 and 1671 - 350; no SAN-W101 left
    assert summary.derived == 4
    assert response.context["problems"] == []
    assert value(TANAH_GARAM, "hh_aman") == 560 and value(TANAH_GARAM, "hh_belum_layak") == 0
    assert value(LUBUK_SIKARAH, "hh_aman") == 1222 and value("13.72", "hh_aman") == 1987
    assert value(LUBUK_SIKARAH, "hh_belum_layak") == 477
    assert value("13.72", "hh_belum_layak") == 1321
    assert value("13.72.02", "hh_aman") == 765  # Tanjung Harapan: not touched
    o = Observation.objects.get(region__kode=LUBUK_SIKARAH, year=2024, indicator="hh_aman")
    source = "sum of its kelurahan/desa (baseline upload kelurahan.xlsx)"
    assert (o.status, o.source, o.unit) == ("derived", source, "households")
    html = response.content.decode()
    assert 'id="upload-derived"' in html and "4 nilai kecamatan/kota dihitung ulang" in html
    table = {r.region.kode: r for r in response.context["rows"]}
    cells = {c.indicator: c for c in table[LUBUK_SIKARAH].cells}
    assert cells["hh_aman"].text == "1.222" and cells["hh_aman"].status == "derived"
    assert city_pct_aman() == pytest.approx(1987 / 20087 * 100)  # 9.89 %
    entry = AuditEntry.objects.filter(city_kode=demo, model="plans.observation").first()
    assert entry is not None and entry.action == "load"
    assert entry.username == "koordinator"
    assert entry.object_repr == "baseline upload kelurahan.xlsx"
    assert entry.after["upload"] == {
        "file": "kelurahan.xlsx",
        "added": 0,
        "changed": 2,
        "unchanged": 233,
        "derived": 4,
    }
    assert entry.before[f"{TANAH_GARAM} 2024 hh_aman"].startswith("210 households")
    assert entry.after[f"{TANAH_GARAM} 2024 hh_aman"].startswith("560 households")
    # the recomputed parents are in the same entry, marked derived
    assert entry.before[f"{LUBUK_SIKARAH} 2024 hh_aman"].startswith("872 households · illustrative")
    assert entry.after[f"{LUBUK_SIKARAH} 2024 hh_aman"] == f"1222 households · derived · {source}"
    assert entry.after["13.72 2024 hh_aman"] == f"1987 households · derived · {source}"
    assert entry.after[f"{LUBUK_SIKARAH} 2024 hh_belum_layak"].startswith("477 households")
    assert entry.after["13.72 2024 hh_belum_layak"].startswith("1321 households · derived")
    # the change history shows the entry with every changed value
    history = c.get(f"/cities/{demo}/audit/")
    assert history.status_code == 200
    html = history.content.decode()
    assert "baseline upload kelurahan.xlsx" in html and "560 households" in html


def test_stale_workbook_is_a_conflict_and_saves_nothing(demo: str) -> None:
    """A row edited on the web after the template was exported: an upload that would change
    it again answers 409 naming it (SAN-E159) and saves nothing; rows nobody touched since
    the export still upload; a workbook without the fingerprint sheet is not checked."""
    c = client_for("koordinator")
    wb = template_book(c)
    assert wb["sanitasi_versi"].sheet_state == "hidden"
    edited = Observation.objects.get(
        city_kode="13.72", region__kode=TANAH_GARAM, year=2024, indicator="hh_belum_layak"
    )
    edited.source = "survei ulang kelurahan 2025"
    edited.save()  # someone else, after the export
    before, entries = snapshot(), uploads()
    ws = wb["baseline"]
    r = find_row(ws, TANAH_GARAM, 2024, "hh_belum_layak")
    set_cell(ws, r, "status", "sourced")  # every value of the row, hh_belum_layak among them
    response = upload(c, wb)
    assert response.status_code == 409
    problems = response.context["problems"]
    assert [p["code"] for p in problems] == ["SAN-E159"]
    assert "13.72.01.1001 2024 hh_belum_layak" in problems[0]["rule"]
    assert snapshot() == before and uploads() == entries
    # the same workbook without the row edited since (its cells cleared: a blank cell never
    # deletes) changes only rows nobody touched since the export: it uploads
    r = find_row(ws, TANAH_GARAM, 2024, "hh_belum_layak")
    for col in range(1, ws.max_column + 1):
        ws.cell(r, col).value = None
    set_cell(ws, find_row(ws, KOTO_PANJANG, 2024, "hh_aman"), "status", "sourced")
    response = upload(c, wb)
    assert response.status_code == 200 and response.context["summary"].changed > 0
    assert value(TANAH_GARAM, "hh_belum_layak") == edited.value
    # without the fingerprint sheet (a hand-made workbook) the upload is not checked
    wb = template_book(c)
    edited.source = "survei ulang kelurahan 2027"
    edited.save()
    del wb["sanitasi_versi"]
    ws = wb["baseline"]
    set_cell(ws, find_row(ws, TANAH_GARAM, 2024, "hh_belum_layak"), "status", "sourced")
    assert upload(c, wb).status_code == 200


def test_unchanged_upload_writes_nothing(demo: str) -> None:
    c = client_for("koordinator")
    before, entries = snapshot(), uploads()
    response = upload(c, template_book(c))
    assert response.status_code == 200
    s = response.context["summary"]
    assert (s.added, s.changed, s.unchanged) == (0, 0, 235)
    assert snapshot() == before and uploads() == entries


def test_upload_adds_a_new_year(demo: str) -> None:
    c = client_for("koordinator")
    wb = template_book(c)
    ws = wb["baseline"]
    ws.append([TANAH_GARAM, None, None, 2025])
    r = ws.max_row
    set_cell(ws, r, "population", 13700)
    set_cell(ws, r, "status", "sourced")
    set_cell(ws, r, "source", "Dukcapil 2025")
    response = upload(c, wb)
    assert response.status_code == 200
    assert response.context["summary"].added == 1
    o = Observation.objects.get(region__kode=TANAH_GARAM, year=2025, indicator="population")
    assert (o.value, o.unit, o.status, o.source) == (13700, "persons", "sourced", "Dukcapil 2025")


def test_bad_upload_lists_every_problem_and_saves_nothing(demo: str) -> None:
    c = client_for("koordinator")
    wb = template_book(c)
    ws = wb["baseline"]
    h = header(ws)
    r = find_row(ws, TANAH_GARAM, 2024, "hh_aman")
    set_cell(ws, r, "hh_aman", "banyak")  # text in a number
    set_cell(ws, r, "hh_belum_layak", 0)  # a good change in the same workbook
    r2 = find_row(ws, KOTO_PANJANG, 2024, "households")
    set_cell(ws, r2, "households", -5)
    before, entries = snapshot(), uploads()
    response = upload(c, wb, "rusak.xlsx")
    assert response.status_code == 422
    problems = {(p["code"], p["row"]): p for p in response.context["problems"]}
    letter = openpyxl.utils.get_column_letter(h.index("hh_aman") + 1)
    text = problems[("SAN-E016", r)]
    assert text["file"] == "rusak.xlsx [baseline]"
    assert text["column"] == f"hh_aman ({letter})" and text["value"] == "banyak"
    assert text["rule"].startswith("hh_aman harus berupa angka")  # Indonesian by default
    assert problems[("SAN-E009", r2)]["column"].startswith("households (")
    html = response.content.decode()
    assert "rusak.xlsx [baseline]" in html and f"hh_aman ({letter})" in html and "banyak" in html
    assert snapshot() == before and uploads() == entries
    assert value(TANAH_GARAM, "hh_belum_layak") == 350


def test_upload_refused_by_the_city_checks(demo: str) -> None:
    """Cells are fine, but the rungs of Tanah Garam no longer sum to its households: the web
    refuses what ``sanitasi plan`` refuses."""
    c = client_for("koordinator")
    wb = template_book(c)
    ws = wb["baseline"]
    r = find_row(ws, TANAH_GARAM, 2024, "hh_aman")
    set_cell(ws, r, "hh_aman", 300)
    before, entries = snapshot(), uploads()
    response = upload(c, wb)
    assert response.status_code == 422
    found = {p["row"]: p for p in response.context["problems"] if p["code"] == "SAN-E008"}
    p = found[r]
    assert p["column"].startswith("households (")
    assert "3588" in p["rule"] and "3498" in p["rule"]  # 3498 - 210 + 300
    # the recomputed Lubuk Sikarah (hh_aman 872 + 90) breaks its ladder as well
    kec = find_row(ws, LUBUK_SIKARAH, 2024, "households")
    assert "10736" in found[kec]["rule"] and "10646" in found[kec]["rule"]
    assert snapshot() == before and uploads() == entries


@pytest.mark.parametrize(
    "content",
    [b"", b"not a workbook", b"kode,year,households\n13.72.01.1001,2024,1\n"],
)
def test_garbage_upload_is_422(demo: str, content: bytes) -> None:
    before = snapshot()
    response = upload(client_for("koordinator"), content, "data.xlsx")
    assert response.status_code == 422
    assert [p["code"] for p in response.context["problems"]] == ["SAN-E046"]
    assert snapshot() == before


def test_wrong_sheet_and_no_file(demo: str) -> None:
    c = client_for("admin")
    wb = template_book(c)
    wb["baseline"].title = "data"
    response = upload(c, wb)
    assert response.status_code == 422
    assert [p["code"] for p in response.context["problems"]] == ["SAN-E047"]
    response = c.post(f"/cities/{demo}/baseline/upload/", {})
    assert response.status_code == 422


def test_too_large_upload(demo: str) -> None:
    before, entries = snapshot(), uploads()
    response = upload(client_for("koordinator"), b"0" * (10 * 1024 * 1024 + 200_000))
    assert response.status_code == 413
    p = response.context["problems"][0]
    assert p["code"] == "SAN-E123"
    assert p["rule"] == "ukuran berkas 10,2 MB; unggahan paling besar 10 MB"
    assert snapshot() == before and uploads() == entries


# --------------------------------------------------------------------------- row editing


def row_url(kode: str = TANAH_GARAM, year: int = 2024) -> str:
    return f"/cities/13.72/baseline/{kode}/{year}/"


def row_post(c: Client, values: dict[str, str], url: str | None = None) -> Any:
    url = url or row_url()
    form = c.get(url, **HX)
    assert form.status_code == 200
    data = {f"v-{k}": v for k, v in form.context["form_values"].items()}
    data.update({f"v-{k}": v for k, v in values.items()})
    data["status"] = "sourced"
    data["source"] = "Survei kelurahan 2024"
    data["seen"] = form.context["form"].initial["seen"]
    return c.post(url, data, **HX)


@pytest.mark.parametrize("role", ROLES)
def test_row_every_role(demo: str, role: str) -> None:
    c = client_for(role)
    view = c.get(row_url() + "?mode=view", **HX)
    assert view.status_code == 200
    assert f'id="row-{TANAH_GARAM.replace(".", "-")}-2024"' in view.content.decode()
    other = c.get(row_url(KOTO_PANJANG) + "?mode=view", **HX)
    assert other.status_code == (404 if role == "kecamatan-ls" else 200)
    form = c.get(row_url(), **HX)
    assert form.status_code == (200 if role in EDITORS else 403)
    before = snapshot()
    post = c.post(row_url(), {"v-hh_aman": "560", "status": "sourced", "seen": "x"}, **HX)
    assert post.status_code == (409 if role in EDITORS else 403)  # stale fingerprint
    assert snapshot() == before


def test_row_edit_saves_and_audits(demo: str) -> None:
    c = client_for("koordinator")
    entries = AuditEntry.objects.filter(city_kode=demo).count()
    response = row_post(c, {"hh_aman": "560", "hh_belum_layak": "0"})
    assert response.status_code == 200
    assert "Tersimpan." in response.content.decode()
    o = Observation.objects.get(region__kode=TANAH_GARAM, year=2024, indicator="hh_aman")
    assert (o.value, o.status, o.source) == (560, "sourced", "Survei kelurahan 2024")
    # the unchanged values keep their provenance
    assert (
        Observation.objects.get(region__kode=TANAH_GARAM, year=2024, indicator="households").status
        == "illustrative"
    )
    new = AuditEntry.objects.filter(city_kode=demo).order_by("id")[entries:]
    assert [(e.action, e.model) for e in new] == [("update", "plans.observation")] * 6
    # the row's two values, then Lubuk Sikarah and the city recomputed (observations.csv 2024)
    assert [(e.before["value"], e.after["value"]) for e in new] == [
        (210.0, 560.0),
        (350.0, 0.0),
        (1637.0, 1987.0),
        (872.0, 1222.0),
        (1671.0, 1321.0),
        (827.0, 477.0),
    ]
    assert {e.after.get("status") for e in new[2:]} == {"derived"}
    source = f"sum of its kelurahan/desa (baseline edit of {TANAH_GARAM})"
    assert {e.after.get("source") for e in new[2:]} == {source}
    assert value(LUBUK_SIKARAH, "hh_aman") == 1222 and value("13.72", "hh_aman") == 1987
    assert value(LUBUK_SIKARAH, "hh_belum_layak") == 477
    assert value("13.72", "hh_belum_layak") == 1321
    assert city_pct_aman() == pytest.approx(1987 / 20087 * 100)
    # the parents' rows come along out of band, with the new sums
    html = response.content.decode()
    assert "4 nilai kecamatan/kota dihitung ulang" in html
    assert html.count('hx-swap-oob="true"') == 2
    assert 'id="row-13-72-01-2024"' in html and 'id="row-13-72-2024"' in html
    assert ">1.222<" in html and ">1.987<" in html and ">477<" in html and ">1.321<" in html


def test_upload_explicit_parent_value_wins(demo: str) -> None:
    """Kecamatan values changed in the same workbook are kept (Lubuk Sikarah aman 1200 instead
    of the sum 1222, layak sendiri 7035 + 22 so its ladder still sums to 10646); its belum
    layak and the city still follow the kelurahan, and the whole-city check warns about the
    inconsistent kecamatan."""
    c = client_for("koordinator")
    wb = template_book(c)
    ws = wb["baseline"]
    r = find_row(ws, TANAH_GARAM, 2024, "hh_aman")
    set_cell(ws, r, "hh_aman", 560)
    set_cell(ws, r, "hh_belum_layak", 0)
    k = find_row(ws, LUBUK_SIKARAH, 2024, "hh_aman")
    set_cell(ws, k, "hh_aman", 1200)
    set_cell(ws, k, "hh_layak_sendiri", 7057)
    response = upload(c, wb)
    assert response.status_code == 200, response.context["problems"]
    s = response.context["summary"]
    assert (s.changed, s.derived) == (4, 3)  # hh_aman of the kecamatan is the user's
    assert value(LUBUK_SIKARAH, "hh_aman") == 1200
    assert value(LUBUK_SIKARAH, "hh_belum_layak") == 477  # 827 - 350
    assert value("13.72", "hh_aman") == 1987 and value("13.72", "hh_belum_layak") == 1321
    o = Observation.objects.get(region__kode=LUBUK_SIKARAH, year=2024, indicator="hh_aman")
    assert o.status == "illustrative"  # the status of its workbook row, not derived
    warned = {
        (p["code"], p["row"], p["column"].split(" (")[0]) for p in response.context["problems"]
    }
    assert ("SAN-W101", k, "hh_aman") in warned and ("SAN-W101", k, "hh_layak_sendiri") in warned
    assert all(p["code"] == "SAN-W101" for p in response.context["problems"])


def test_row_edit_accepts_indonesian_decimals(demo: str) -> None:
    c = client_for("admin")
    response = row_post(c, {"population": "13.642,5"})
    assert response.status_code == 200
    assert value(TANAH_GARAM, "population") == 13642.5


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"hh_aman": "lima"}, "hh_aman", "hh_aman harus berupa angka"),
        ({"population": "-1"}, "population", "population tidak boleh negatif"),
        ({"hh_aman": "300"}, "households", "jumlah enam anak tangga"),
        ({"hh_spald_t": "300"}, "hh_spald_t", "tidak boleh melebihi hh_aman"),
    ],
)
def test_row_edit_errors_at_the_cell(
    demo: str, values: dict[str, str], field: str, message: str
) -> None:
    c = client_for("koordinator")
    before, entries = snapshot(), AuditEntry.objects.count()
    response = row_post(c, values)
    assert response.status_code == 422
    errors = response.context["form_errors"]
    assert any(message in m for m in errors.get(field, [])) or any(
        message in m for m in response.context["general"]
    ), (errors, response.context["general"])
    html = response.content.decode()
    assert f'id="cell-{field}"' in html and 'aria-invalid="true"' in html or message in html
    assert snapshot() == before and AuditEntry.objects.count() == entries


def test_row_edit_blank_deletes_and_new_year_creates(demo: str) -> None:
    c = client_for("koordinator")
    response = row_post(c, {"hh_desludged_3y": ""})
    assert response.status_code == 200
    assert not Observation.objects.filter(
        region__kode=TANAH_GARAM, year=2024, indicator="hh_desludged_3y"
    ).exists()
    assert AuditEntry.objects.filter(city_kode=demo, action="delete").exists()
    response = row_post(c, {"population": "13700"}, row_url(year=2026))
    assert response.status_code == 200
    assert value(TANAH_GARAM, "population", 2026) == 13700
