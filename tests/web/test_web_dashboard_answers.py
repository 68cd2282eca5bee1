"""The answers on the dashboard (issue 11 item 8): the yearly needs table (quantity with unit
and cost per year, rounded, labels not codes), the funding by source x year and the roles
(RACI) of the programme. Figures of the Kota Solok demo (README "Demo needs 2025-2029")."""

from __future__ import annotations

import re

from django.test import Client
from webhelpers import user

from sanitasi.web.plans.dashboard import funding_by_year, needs_by_year, raci_view
from sanitasi.web.plans.results import plan_result

DEMO = "13.72"


def test_needs_by_year(demo: str) -> None:
    t = needs_by_year(plan_result(DEMO), DEMO, "id")
    assert t is not None
    assert t["years"] == [2025, 2026, 2027, 2028, 2029]
    rows = {r["need"]: r for r in t["rows"]}
    tanks = rows["Tangki septik baru (SNI)"]
    assert tanks["unit"] == "rumah tangga" and tanks["sector"] == "Air limbah domestik"
    assert tanks["total"] == "Rp 7,1 miliar"  # README: 1,091 households, Rp 7.1 billion
    assert t["total"] == "Rp 56,8 miliar"  # README: total Rp 56.8 billion
    assert rows["Truk tinja"]["total"] == "Rp 1,4 miliar"  # 2 vacuum trucks
    # quantities are whole numbers for counted things: the five yearly cells add to 1,091
    counts = [int(c["qty"].replace(".", "")) for c in tanks["cells"]]
    assert abs(sum(counts) - 1091) <= 2  # each year rounded on its own
    # a need with nothing in any year is left out (IPLT capacity on the demo)
    assert not any("IPLT" in n for n in rows)
    en = needs_by_year(plan_result(DEMO), DEMO, "en")
    assert en is not None and en["total"] == "IDR 56.8 billion"


def test_funding_by_year(demo: str) -> None:
    t = funding_by_year(plan_result(DEMO), DEMO, "id")
    assert t is not None
    assert t["years"] == [2025, 2026, 2027, 2028, 2029]
    assert t["total"] == "Rp 56,8 miliar"  # the same needs, split by source
    sources = [r["source"] for r in t["rows"]]
    assert "APBD_KOTA" not in sources and all(s and "_" not in s for s in sources)


def test_raci_view(demo: str) -> None:
    t = raci_view(plan_result(DEMO), DEMO, "id")
    assert t is not None
    assert t["activities"][:2] == ["ALD-01", "ALD-02"]
    rows = {r["agency"]: r for r in t["rows"]}
    i = t["activities"].index("ALD-01")
    assert rows["BAPPEDA"]["cells"][i] == "A"
    assert rows["PERKIM"]["cells"][i] == "R"
    assert rows["DINKES"]["cells"][i] == "C"
    assert rows["PERKIM"]["name"].startswith("Dinas Perumahan")
    assert rows["BAPPEDA"]["cells"][t["activities"].index("PS-07")] == "R/A"


def test_dashboard_shows_them_with_labels(demo: str) -> None:
    c = Client()
    c.force_login(user("koordinator"))
    html = c.get(f"/cities/{DEMO}/").content.decode()
    for anchor in ('id="needs-years-table"', 'id="funding-years-table"', 'id="raci-table"'):
        assert anchor in html
    section = html[html.index('id="needs-years"') : html.index('id="raci"')]
    for code in ("new_septic_tank", "l2t2_desludging", "APBD_KOTA", ">ald<", "persampahan<"):
        assert code not in section
    assert "Rp 56,8 miliar" in section
    costs = html[html.index('id="costs"') : html.index('id="needs-years"')]
    assert not re.search(r"<td>(ald|persampahan|new_septic_tank)</td>", costs)
