"""The pure-Python SVG Sankey generator (``sanitasi.reports.sankey``) on hand-made flows."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from sanitasi.reports.sankey import (
    SAFETY_COLORS,
    SankeyLink,
    sankey_layout,
    sankey_svg,
    sfd_columns,
    sfd_sankey_svg,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def links_of(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {
        (p.get("data-source", ""), p.get("data-target", "")): p
        for p in root.iterfind(".//svg:path", NS)
        if "link" in (p.get("class") or "")
    }


def nodes_of(root: ET.Element) -> dict[str, ET.Element]:
    return {
        r.get("data-node", ""): r for r in root.iterfind(".//svg:rect", NS) if r.get("data-node")
    }


#: A hand-made 2-link flow matrix (the shape of ``core.sfd``'s ``sfd_matrix``).
MATRIX = pd.DataFrame(
    {
        "year": [2024, 2024],
        "source": ["population", "population"],
        "target": ["safely_managed", "unsafely_managed"],
        "value_pct": [30.0, 70.0],
        "safety": ["safe", "unsafe"],
    }
)


def test_link_widths_are_proportional_to_values() -> None:
    svg = sankey_svg(
        [SankeyLink("A", "B", 30.0, "safe"), SankeyLink("A", "C", 70.0, "unsafe")],
        width=600,
        height=300,
    )
    root = parse(svg)
    links = links_of(root)
    assert set(links) == {("A", "B"), ("A", "C")}
    w_b = float(links[("A", "B")].get("stroke-width", "nan"))
    w_c = float(links[("A", "C")].get("stroke-width", "nan"))
    assert w_c / w_b == pytest.approx(70 / 30, rel=1e-3)
    # colours: green for safe, red for unsafe
    assert links[("A", "B")].get("stroke") == SAFETY_COLORS["safe"]
    assert links[("A", "C")].get("stroke") == SAFETY_COLORS["unsafe"]
    # the source node is as tall as both links together, each target as its link
    nodes = nodes_of(root)
    h = {n: float(r.get("height", "nan")) for n, r in nodes.items()}
    assert h["A"] == pytest.approx(w_b + w_c, abs=2e-3)
    assert h["B"] == pytest.approx(w_b, abs=2e-3) and h["C"] == pytest.approx(w_c, abs=2e-3)
    # the diagram fills the height: one scale for every width (300 - margins - one gap)
    assert h["B"] + h["C"] + 12 == pytest.approx(300 - 16, abs=2e-3)


def test_links_leave_and_enter_nodes_stacked() -> None:
    lay = sankey_layout(
        [SankeyLink("A", "B", 30.0), SankeyLink("A", "C", 70.0)], width=600, height=300
    )
    ab, ac = lay.links
    a = lay.nodes["A"]
    # leaving A: A->B on top, A->C below it, without overlap or gap
    assert ab.y0 - ab.width / 2 == pytest.approx(a.y)
    assert ac.y0 - ac.width / 2 == pytest.approx(ab.y0 + ab.width / 2)
    # entering: each link arrives at its target's top
    assert ab.y1 - ab.width / 2 == pytest.approx(lay.nodes["B"].y)
    assert ac.y1 - ac.width / 2 == pytest.approx(lay.nodes["C"].y)
    assert lay.nodes["B"].column == lay.nodes["C"].column == 1


def test_sfd_matrix_two_links() -> None:
    svg = sfd_sankey_svg(MATRIX, 2024, "id", title="SFD 2024")
    root = parse(svg)
    links = links_of(root)
    w_safe = float(links[("population", "safely_managed")].get("stroke-width", "nan"))
    w_unsafe = float(links[("population", "unsafely_managed")].get("stroke-width", "nan"))
    assert w_unsafe / w_safe == pytest.approx(70 / 30, rel=1e-3)
    assert links[("population", "safely_managed")].get("data-value") == "30.0"
    text = "".join(root.itertext())
    # Indonesian labels and number format
    assert "Dikelola aman (SFD) 30,0%" in text and "Tidak dikelola aman (SFD) 70,0%" in text
    assert "Penduduk 100,0%" in text
    en = "".join(parse(sfd_sankey_svg(MATRIX, 2024, "en")).itertext())
    assert "Safely managed (SFD) 30.0%" in en


def test_zero_links_are_not_drawn_and_negative_is_an_error() -> None:
    root = parse(sankey_svg([SankeyLink("A", "B", 5.0), SankeyLink("A", "C", 0.0)]))
    assert set(links_of(root)) == {("A", "B")} and "C" not in nodes_of(root)
    with pytest.raises(ValueError):
        sankey_svg([SankeyLink("A", "B", -1.0)])
    empty = parse(sankey_svg([], empty_text="tidak ada aliran"))
    assert "tidak ada aliran" in "".join(empty.itertext())


def test_labels_are_escaped() -> None:
    svg = sankey_svg([SankeyLink("a<b", "c&d", 1.0)], labels={"a<b": "<script>"})
    assert "<script>" not in svg
    parse(svg)


def test_sfd_columns_follow_the_stages() -> None:
    col = sfd_columns()
    assert col["population"] == 0
    assert col["onsite_contained"] == col["sewer"] == col["open_defecation"] == 1
    assert col["contained_not_emptied"] == col["emptied"] == 2
    assert col["delivered"] == col["sewer_delivered"] == 3
    assert col["treated"] == col["sewer_treated"] == 4
    assert col["safely_managed"] == col["unsafely_managed"] == 5


def test_cycles_are_refused() -> None:
    with pytest.raises(ValueError, match="cycle"):
        sankey_layout([SankeyLink("A", "B", 1.0), SankeyLink("B", "A", 1.0)])
