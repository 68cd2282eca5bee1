"""Sankey diagrams as offline inline SVG, in pure Python (no JavaScript, no network).

Used for the excreta flow diagram (SFD) of the SSK instruments: :func:`sfd_sankey_svg`
draws one year of :func:`sanitasi.core.sfd.compute_sfd`'s ``sfd_matrix`` (population ->
containment -> emptying -> transport -> treatment -> outcome), links coloured green (safe),
red (unsafe) or grey (an intermediate flow whose fate is decided further on).

Layout (:func:`sankey_layout`), deliberately simple and deterministic:

* **Columns.** Given per node (the SFD stage of each node, from ``core.sfd.STAGES``), else
  the longest path from a source node; sink nodes go to the last column.
* **One scale for the whole diagram**, so that every width is comparable: ``scale`` (px per
  unit of value) is the largest that fits the fullest column, ``min_c (inner_height -
  gaps_c) / total_c``. A node is ``max(in, out) x scale`` tall; a link is stroked with width
  ``value x scale``: **link widths are exactly proportional to the values**.
* **Order.** Nodes keep their order of first appearance in the links; each node is placed at
  the top of its first incoming link (never above the node before it in its column), and a
  column that would overflow is pushed up. Links leave a node in the order of their targets
  and enter a node in the order of their sources, so they do not cross at the nodes.
* Zero, negative-zero and missing values are not drawn (a node without flow disappears);
  a negative value is an error.

Every ``<path class="link">`` carries ``data-source``, ``data-target``, ``data-value`` and
``stroke-width``; every ``<rect class="node">`` carries ``data-node`` and ``data-value``
(handy for tests and for styling); ``<title>`` elements give native tooltips.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from sanitasi.core.sfd import FLOWS, NODE_LABELS, STAGES
from sanitasi.reports.fmt import as_float, fmt_pct, norm_lang

#: Link and node colours by safety (``core.sfd``: ``safe``, ``unsafe``, ``""`` = transit).
SAFETY_COLORS: dict[str, str] = {"safe": "#1a9850", "unsafe": "#d73027", "": "#9aa5b1"}
NODE_COLORS: dict[str, str] = {"safe": "#137a3e", "unsafe": "#b2241b", "": "#4a5560"}

#: Column titles of the SFD diagram (node ``population`` is column 0, then the stages).
SFD_COLUMN_TITLES: dict[str, tuple[str, str]] = {
    "population": ("Penduduk", "Population"),
    "containment": ("Penampungan", "Containment"),
    "emptying": ("Pengurasan", "Emptying"),
    "transport": ("Pengangkutan", "Transport"),
    "treatment": ("Pengolahan", "Treatment"),
    "outcome": ("Hasil", "Outcome"),
}

_LEGEND: dict[str, tuple[str, str]] = {
    "safe": ("Dikelola aman", "Safely managed"),
    "unsafe": ("Tidak dikelola aman", "Unsafely managed"),
    "": ("Aliran antara (nasibnya ditentukan di tahap berikut)", "Intermediate flow"),
}


@dataclass(frozen=True)
class SankeyLink:
    """One flow: ``source`` -> ``target`` of size ``value`` (``safety`` picks the colour)."""

    source: str
    target: str
    value: float
    safety: str = ""


@dataclass
class NodeBox:
    name: str
    column: int
    x: float
    y: float
    height: float
    value: float
    safety: str = ""


@dataclass
class LinkPath:
    source: str
    target: str
    value: float
    width: float
    y0: float
    y1: float
    x0: float
    x1: float
    safety: str = ""

    @property
    def d(self) -> str:
        """Cubic Bezier centre line from the source's right edge to the target's left edge."""
        xm = (self.x0 + self.x1) / 2.0
        return (
            f"M{_n(self.x0)},{_n(self.y0)} C{_n(xm)},{_n(self.y0)} "
            f"{_n(xm)},{_n(self.y1)} {_n(self.x1)},{_n(self.y1)}"
        )


@dataclass
class SankeyLayout:
    """Placed nodes and links; ``scale`` is px per unit of value."""

    nodes: dict[str, NodeBox]
    links: list[LinkPath]
    width: float
    height: float
    scale: float
    columns: int
    column_x: list[float] = field(default_factory=list)


def _n(v: float) -> str:
    """A coordinate: three decimals at most, no trailing zeros."""
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _clean(links: Sequence[SankeyLink]) -> list[SankeyLink]:
    out = []
    for lk in links:
        v = as_float(lk.value)
        if v is None:
            continue
        if v < 0:
            raise ValueError(f"negative Sankey value {v} for {lk.source} -> {lk.target}")
        if v > 0:
            out.append(SankeyLink(str(lk.source), str(lk.target), v, lk.safety or ""))
    return out


def _longest_path_columns(names: list[str], links: list[SankeyLink]) -> dict[str, int]:
    """Column of each node: longest path from a source node; sinks in the last column."""
    incoming: dict[str, list[str]] = {n: [] for n in names}
    outgoing: dict[str, list[str]] = {n: [] for n in names}
    for lk in links:
        incoming[lk.target].append(lk.source)
        outgoing[lk.source].append(lk.target)
    col: dict[str, int] = {}
    pending = {n: len(set(incoming[n])) for n in names}
    ready = [n for n in names if pending[n] == 0]
    for n in ready:
        col[n] = 0
    seen = 0
    while ready:
        n = ready.pop(0)
        seen += 1
        for m in dict.fromkeys(outgoing[n]):
            col[m] = max(col.get(m, 0), col[n] + 1)
            pending[m] -= 1
            if pending[m] == 0:
                ready.append(m)
    if seen < len(names):
        raise ValueError("the Sankey links contain a cycle")
    last = max(col.values(), default=0)
    for n in names:
        if not outgoing[n] and incoming[n]:
            col[n] = last
    return col


def sankey_layout(
    links: Sequence[SankeyLink],
    *,
    columns: Mapping[str, int] | None = None,
    width: float = 960.0,
    height: float = 420.0,
    node_width: float = 14.0,
    node_gap: float = 12.0,
    margin: tuple[float, float, float, float] = (26.0, 8.0, 8.0, 8.0),
    safety: Mapping[str, str] | None = None,
) -> SankeyLayout:
    """Place nodes and links (see the module docstring). ``columns`` (node -> column index)
    fixes the columns of the nodes it names; ``margin`` is (top, right, bottom, left);
    ``safety`` gives each node's safety (colour)."""
    good = _clean(links)
    names = list(dict.fromkeys(n for lk in good for n in (lk.source, lk.target)))
    if not names:
        return SankeyLayout({}, [], width, height, 0.0, 0)
    auto = _longest_path_columns(names, good)
    col = {n: int(columns[n]) if columns and n in columns else auto[n] for n in names}
    used = sorted(set(col.values()))
    dense = {c: i for i, c in enumerate(used)}  # drop empty columns
    col = {n: dense[c] for n, c in col.items()}
    ncol = len(used)
    inflow = dict.fromkeys(names, 0.0)
    outflow = dict.fromkeys(names, 0.0)
    for lk in good:
        outflow[lk.source] += lk.value
        inflow[lk.target] += lk.value
    value = {n: max(inflow[n], outflow[n]) for n in names}
    top, right, bottom, left = margin
    inner = height - top - bottom
    by_col: list[list[str]] = [[n for n in names if col[n] == c] for c in range(ncol)]
    scale = min(
        (inner - node_gap * (len(ns) - 1)) / sum(value[n] for n in ns)
        for ns in by_col
        if sum(value[n] for n in ns) > 0
    )
    scale = max(scale, 0.0)
    span = width - left - right - node_width
    xs = [left + (span * c / (ncol - 1) if ncol > 1 else span / 2.0) for c in range(ncol)]
    nodes: dict[str, NodeBox] = {}
    safety = safety or {}
    for c, ns in enumerate(by_col):
        y = top
        for n in ns:
            want = top
            if c > 0:
                srcs = [nodes[lk.source].y for lk in good if lk.target == n and lk.source in nodes]
                want = min(srcs) if srcs else top
            y_n = max(want, y)
            nodes[n] = NodeBox(n, c, xs[c], y_n, value[n] * scale, value[n], safety.get(n, ""))
            y = y_n + value[n] * scale + node_gap
        overflow = (y - node_gap) - (height - bottom)
        if overflow > 1e-9:
            y = top
            placed = [nodes[n] for n in ns]
            shifted = [b.y - overflow for b in placed]
            for b, s in zip(placed, shifted, strict=True):
                b.y = max(s, y)
                y = b.y + b.height + node_gap
    # link slots: out in the order of the targets, in in the order of the sources
    order = {n: (nodes[n].column, nodes[n].y) for n in names}
    out_off = dict.fromkeys(names, 0.0)
    in_off = dict.fromkeys(names, 0.0)
    placed_links: list[LinkPath] = []
    slot0: dict[int, float] = {}
    for i, lk in sorted(enumerate(good), key=lambda p: (order[p[1].source], order[p[1].target])):
        w = lk.value * scale
        slot0[i] = nodes[lk.source].y + out_off[lk.source] + w / 2.0
        out_off[lk.source] += w
    slot1: dict[int, float] = {}
    for i, lk in sorted(enumerate(good), key=lambda p: (order[p[1].target], order[p[1].source])):
        w = lk.value * scale
        slot1[i] = nodes[lk.target].y + in_off[lk.target] + w / 2.0
        in_off[lk.target] += w
    for i, lk in enumerate(good):
        src, dst = nodes[lk.source], nodes[lk.target]
        placed_links.append(
            LinkPath(
                lk.source,
                lk.target,
                lk.value,
                lk.value * scale,
                slot0[i],
                slot1[i],
                src.x + node_width,
                dst.x,
                lk.safety,
            )
        )
    return SankeyLayout(nodes, placed_links, width, height, scale, ncol, xs)


def sankey_svg(
    links: Sequence[SankeyLink],
    *,
    labels: Mapping[str, str] | None = None,
    columns: Mapping[str, int] | None = None,
    column_titles: Sequence[str] = (),
    safety: Mapping[str, str] | None = None,
    value_text: Callable[[float], str] = lambda v: f"{v:g}",
    title: str = "",
    legend: Sequence[tuple[str, str]] = (),
    width: float = 960.0,
    height: float = 420.0,
    node_width: float = 14.0,
    empty_text: str = "",
) -> str:
    """The diagram as one ``<svg>`` element (UTF-8 text, well-formed XML, no script).

    ``labels``: node -> text (default the node name); ``value_text`` formats a value for
    labels and tooltips; ``column_titles`` are written above the columns; ``legend``:
    ``(colour, text)`` swatches under the diagram."""
    labels = labels or {}
    legend_h = 22.0 if legend else 0.0
    lay = sankey_layout(
        links,
        columns=columns,
        width=width,
        height=height,
        node_width=node_width,
        safety=safety,
        margin=(26.0 if column_titles else 8.0, 8.0, 8.0 + legend_h, 8.0),
    )
    esc = escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sankey" viewBox="0 0 {_n(width)} '
        f'{_n(height)}" width="{_n(width)}" height="{_n(height)}" role="img" '
        f'aria-label="{esc(title)}" font-family="system-ui, -apple-system, Segoe UI, Roboto, '
        f'Arial, sans-serif" font-size="11">'
    ]
    if title:
        parts.append(f"<title>{esc(title)}</title>")
    if not lay.nodes:
        parts.append(f'<text x="{_n(width / 2)}" y="{_n(height / 2)}" text-anchor="middle">')
        parts.append(f"{esc(empty_text)}</text></svg>")
        return "".join(parts)
    for c, text in enumerate(column_titles[: lay.columns]):
        if c == 0:
            anchor, x = "start", lay.column_x[c]
        elif c == lay.columns - 1:
            anchor, x = "end", lay.column_x[c] + node_width
        else:
            anchor, x = "middle", lay.column_x[c] + node_width / 2.0
        parts.append(
            f'<text class="column-title" x="{_n(x)}" y="14" text-anchor="{anchor}" '
            f'font-weight="600" fill="#5b6670">{esc(text)}</text>'
        )
    parts.append('<g class="links" fill="none" stroke-opacity="0.5">')
    for lk in lay.links:
        color = SAFETY_COLORS.get(lk.safety, SAFETY_COLORS[""])
        tip = (
            f"{labels.get(lk.source, lk.source)} \u2192 {labels.get(lk.target, lk.target)}: "
            f"{value_text(lk.value)}"
        )
        parts.append(
            f'<path class="link link-{esc(lk.safety or "transit")}" d="{lk.d}" '
            f'stroke="{color}" stroke-width="{_n(lk.width)}" data-source="{esc(lk.source)}" '
            f'data-target="{esc(lk.target)}" data-value="{lk.value!r}" '
            f'data-safety="{esc(lk.safety)}"><title>{esc(tip)}</title></path>'
        )
    parts.append("</g>")
    parts.append('<g class="nodes">')
    for b in lay.nodes.values():
        color = NODE_COLORS.get(b.safety, NODE_COLORS[""])
        label = labels.get(b.name, b.name)
        text = f"{label} {value_text(b.value)}"
        parts.append(
            f'<rect class="node" x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(node_width)}" '
            f'height="{_n(max(b.height, 0.0))}" fill="{color}" data-node="{esc(b.name)}" '
            f'data-value="{b.value!r}"><title>{esc(text)}</title></rect>'
        )
        last = b.column == lay.columns - 1
        tx = b.x - 5 if last else b.x + node_width + 5
        ty = b.y + b.height / 2.0 + 4
        parts.append(
            f'<text class="node-label" x="{_n(tx)}" y="{_n(ty)}" '
            f'text-anchor="{"end" if last else "start"}" fill="#1d2329" stroke="#fff" '
            f'stroke-width="3" paint-order="stroke">{esc(text)}</text>'
        )
    parts.append("</g>")
    if legend:
        x = 8.0
        y = height - 12.0
        parts.append('<g class="legend">')
        for color, text in legend:
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="12" height="10" fill="{color}" '
                'fill-opacity="0.6"/>'
            )
            parts.append(f'<text x="{_n(x + 16)}" y="{_n(y)}">{esc(text)}</text>')
            x += 16 + 6.2 * len(text) + 18
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------- SFD


def sfd_columns() -> dict[str, int]:
    """Column of each SFD node: ``population`` 0, then 1 + the first stage of
    ``core.sfd.STAGES`` (containment, emptying, transport, treatment, outcome) naming it."""
    out = {"population": 0}
    for i, flows in enumerate(STAGES.values(), start=1):
        for f in flows:
            out.setdefault(f, i)
    return out


def sfd_links(matrix: pd.DataFrame, year: int | None = None) -> list[SankeyLink]:
    """The links of one year of an ``sfd_matrix`` table (``source, target, value_pct,
    safety``; all rows when ``year`` is ``None`` or the table has no ``year``)."""
    df = matrix
    if year is not None and "year" in df.columns:
        df = df[pd.to_numeric(df["year"], errors="coerce") == int(year)]
    return [
        SankeyLink(str(s), str(t), float(v), "" if not isinstance(k, str) else k)
        for s, t, v, k in zip(
            df["source"], df["target"], df["value_pct"], df["safety"], strict=True
        )
        if as_float(v) is not None
    ]


def sfd_node_safety() -> dict[str, str]:
    """Safety of each SFD node (``core.sfd.FLOWS``; ``population`` is transit)."""
    return {n: FLOWS.get(n, "") for n in NODE_LABELS}


def sfd_sankey_svg(
    matrix: pd.DataFrame,
    year: int | None = None,
    lang: str = "id",
    *,
    title: str = "",
    width: float = 980.0,
    height: float = 440.0,
) -> str:
    """The excreta flow diagram of ``year`` from an ``sfd_matrix`` table, as inline SVG:
    values in % of the population (Indonesian ``72,7%`` by default), nodes in their SFD
    stage, links green (safe), red (unsafe) or grey (intermediate)."""
    lang = norm_lang(lang)
    i = 1 if lang == "en" else 0
    labels = {n: lab[i] for n, lab in NODE_LABELS.items()}
    titles = [v[i] for v in SFD_COLUMN_TITLES.values()]
    legend = [(SAFETY_COLORS[k], v[i]) for k, v in _LEGEND.items()]
    return sankey_svg(
        sfd_links(matrix, year),
        labels=labels,
        columns=sfd_columns(),
        column_titles=titles,
        safety=sfd_node_safety(),
        value_text=lambda v: fmt_pct(v, 1, lang),
        title=title,
        legend=legend,
        width=width,
        height=height,
        empty_text="tidak ada aliran" if lang == "id" else "no flows",
    )


__all__ = [
    "SAFETY_COLORS",
    "LinkPath",
    "NodeBox",
    "SankeyLayout",
    "SankeyLink",
    "sankey_layout",
    "sankey_svg",
    "sfd_columns",
    "sfd_links",
    "sfd_node_safety",
    "sfd_sankey_svg",
]
