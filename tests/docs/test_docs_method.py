"""docs/METHOD.md stays true to the code and the reference data.

* every ``docs/METHOD.md §N`` cited in the sources, tests and docs names a section that exists;
* every parameter row of a METHOD.md parameter table (``| name | value | unit | status |``)
  names a reference parameter, with the reference's status and value;
* Appendix A lists exactly the reference parameters that no source file reads.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
METHOD = ROOT / "docs" / "METHOD.md"
REFERENCE = ROOT / "src" / "sanitasi" / "data" / "reference"
SRC = ROOT / "src" / "sanitasi"

#: Parameter families read through a name built in code (f-strings), so their full names do
#: not appear in the sources: ``plan_profile_{profile}_q{q}`` (core/monitoring.py),
#: ``performance_band_{band}_min_pct`` (core/monitoring.py) and
#: ``pengurangan_route_share_{route}`` (core/plan.py).
BUILT_NAMES = ("plan_profile_", "performance_band_", "pengurangan_route_share_")


def _text() -> str:
    return METHOD.read_text(encoding="utf-8")


def _reference() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name in ("parameters.csv", "ghg_parameters.csv"):
        with open(REFERENCE / name, encoding="utf-8", newline="") as f:
            out.update({r["name"]: r for r in csv.DictReader(f)})
    return out


def _sections(text: str) -> set[str]:
    """Section numbers of the headings: ``## 4. Targets`` -> 4, ``### 4.5 Area`` -> 4.5."""
    return {m.group(1) for m in re.finditer(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", text, re.M)}


def test_sections_parse() -> None:
    # The numbering the code cites (issue 9): §1-§12, §13 the SSK document, §14 scenarios,
    # §15 uncertainty, §16 parameters as declared inputs (issue 10), §17 the province roll-up
    # (issue 11), §18 budgets and the optimiser (issue 13) and, e.g., §4.1-§4.6.
    s = _sections(_text())
    assert {str(i) for i in range(1, 19)} <= s
    assert {f"4.{i}" for i in range(1, 7)} | {f"6.{i}" for i in range(1, 6)} <= s
    assert {f"7.{i}" for i in range(1, 6)} | {"11.1", "11.2", "11.3", "12.5"} <= s
    assert {f"13.{i}" for i in range(1, 8)} | {"18.1", "18.2", "18.3"} <= s
    assert "4.7" not in s and "20" not in s


def test_every_cited_section_exists() -> None:
    sections = _sections(_text())
    files = [*SRC.rglob("*.py"), *(ROOT / "tests").rglob("*.py"), *(ROOT / "docs").glob("*.md")]
    files.append(ROOT / "README.md")
    cited: dict[str, list[str]] = {}
    for f in files:
        for m in re.finditer(r"METHOD(?:\.md)?`? ?§ ?(\d+(?:\.\d+)?)", f.read_text("utf-8")):
            cited.setdefault(m.group(1), []).append(str(f.relative_to(ROOT)))
    assert cited, "no citation found: the pattern is wrong"
    missing = {k: v for k, v in cited.items() if k not in sections}
    assert missing == {}


def _parameter_rows(text: str) -> list[tuple[str, str, str]]:
    """(name, value cell, status cell) of every row of a parameter table."""
    rows: list[tuple[str, str, str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if header is None:
            header = cells
            continue
        if set(line.replace("|", "").strip()) <= {"-", " "}:
            continue
        if header[:2] == ["name", "value"] and "status" in header:
            rows.append((cells[0], cells[1], cells[header.index("status")]))
    return rows


def test_parameter_tables_match_the_reference() -> None:
    ref = _reference()
    rows = _parameter_rows(_text())
    assert len(rows) > 60  # every section has its table
    for name_cell, value_cell, status_cell in rows:
        names = re.findall(r"`([a-z0-9_]+)`", name_cell)
        values = [v.strip() for v in value_cell.split(",")] if len(names) > 1 else [value_cell]
        assert names, name_cell
        for name, value in zip(names, values, strict=True):
            assert name in ref, f"{name} is not a reference parameter"
            r = ref[name]
            assert status_cell.split()[0] == r["status"], (name, status_cell, r["status"])
            shown = value.strip("`").split(" (")[0].replace(",", "")
            if r["value"] == "":
                assert shown == "blank", name
            elif r["unit"].startswith("choice"):
                assert shown == r["value"], name
            else:
                assert float(shown) == pytest.approx(float(r["value"])), name


def test_appendix_a_lists_exactly_the_unread_parameters() -> None:
    text = _text()
    appendix = text.split("## Appendix A.", 1)[1].split("## Appendix B.", 1)[0]
    # the bullet list (a bullet runs on over its indented lines), before the unit-cost note
    bullets = re.findall(r"^- .*(?:\n  .*)*", appendix.split("Likewise", 1)[0], re.M)
    ref = _reference()
    patterns = re.findall(r"`([a-z0-9_*]+)`", "\n".join(bullets))
    listed = {n for p in patterns for n in ref if fnmatch.fnmatchcase(n, p)}
    # the two IPCC factors named as "read" in the appendix are not part of the list
    listed -= {"ipcc_bo_kg_ch4_per_kg_bod", "ipcc_bod_g_per_person_day_indonesia"}
    source = "\n".join(p.read_text("utf-8") for p in SRC.rglob("*.py"))
    unread = {n for n in ref if n not in source and not n.startswith(BUILT_NAMES)}
    assert listed == unread
    # ... and exactly the rows whose read_by is reference_only (docs/METHOD.md §16)
    assert listed == {n for n, r in ref.items() if r["read_by"] == "reference_only"}
    # by hand: 10 septic/septage + 10 flows/scales + 6 IPCC + 13 waste (tps3r_min_land_m2 is
    # read by the SSK document's land needs)
    assert len(unread) == 39
