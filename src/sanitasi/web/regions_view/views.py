"""The province page (the fasilitator's landing page) and the national page (Bappenas/PUPR
viewer): every kab/kota with its headline indicators, gap to the national targets,
reporting completeness and band of the latest closed quarter, and the province (nation) row
as ratios of sums (docs/METHOD.md §17).

Read from the stored :class:`~sanitasi.web.regions_view.models.CitySummary` rows (no plan
run in a request, whatever the number of cities): a row built at an older version is shown
marked *being updated* and rebuilt in the background (:func:`summary.schedule_refresh`).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanitasi.core.province import SUM_COLUMNS, city_shares, ratio_of_sums
from sanitasi.reports import charts
from sanitasi.reports.fmt import fmt_number, fmt_pct
from sanitasi.reports.i18n import indicator_label, target_set_label
from sanitasi.reports.monitoring import band_label
from sanitasi.web import roles
from sanitasi.web.cities import page_lang
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import period
from sanitasi.web.regions_view import summary
from sanitasi.web.regions_view.models import CitySummary
from sanitasi.web.scope import scope_of

#: Indicators of the tables (in order; an indicator no city has is left out).
PAGE_INDICATORS: tuple[str, ...] = (
    "pct_layak",
    "pct_aman",
    "pct_waste_pengurangan",
    "pct_waste_penanganan",
)
NATIONAL_ROLES = frozenset({roles.NATIONAL, roles.ADMIN})


def _visible_cities(request: HttpRequest, prefix: str = "") -> dict[str, str]:
    qs = Region.objects.restrict(request.user).filter(tingkat="kabkota")
    if prefix:
        qs = qs.filter(kode__startswith=f"{prefix}.")
    return dict(qs.order_by("kode").values_list("kode", "nama"))


def _summaries(kodes: dict[str, str]) -> tuple[list[CitySummary], set[str], list[str]]:
    """(rows, stale kodes, kodes without a row) of the cities ``kodes``; schedules the
    rebuild of the stale and missing ones."""
    quarter = summary.latest_closed_quarter(period.reporting_date())
    want = summary.current_versions(kodes, quarter)
    rows = list(CitySummary.objects.filter(city_kode__in=list(want)).order_by("city_kode"))
    have = {r.city_kode for r in rows}
    stale = {r.city_kode for r in rows if r.version != want[r.city_kode]}
    missing = sorted(k for k in want if k not in have)
    if stale or missing:
        summary.schedule_refresh([*sorted(stale), *missing])
    return rows, stale, missing


def long_frame(rows: list[CitySummary]) -> pd.DataFrame:
    """One row per city x indicator with the :data:`SUM_COLUMNS` (the input of
    :func:`sanitasi.core.province.ratio_of_sums`)."""
    records = []
    for r in rows:
        for ind, fig in (r.figures or {}).items():
            rec = {"city_kode": r.city_kode, "province_kode": r.province_kode, "indicator": ind}
            rec.update({c: fig.get(c) for c in SUM_COLUMNS})
            rec["national_set"] = fig.get("national_set", "")
            records.append(rec)
    cols = ["city_kode", "province_kode", "indicator", *SUM_COLUMNS, "national_set"]
    df = pd.DataFrame.from_records(records, columns=cols)
    for c in SUM_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    return df


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _cell(row: Any, lang: str) -> dict[str, Any]:
    """Baseline and gap to the national target of one indicator (formatted + sort keys)."""
    if row is None:
        return {"base": "–", "gap": "–", "base_sort": "", "gap_sort": "", "target": ""}
    base, gap = _num(row.get("baseline_pct")), _num(row.get("gap_pts"))
    if gap is None:
        gap_text = "–"
    elif gap <= 0:
        gap_text = _("met")
    else:
        gap_text = fmt_number(gap, 1, lang)
    national = _num(row.get("national_pct"))
    return {
        "base": fmt_pct(base, 1, lang) if base is not None else "–",
        "base_sort": "" if base is None else f"{base:.6f}",
        "gap": gap_text,
        "gap_sort": "" if gap is None else f"{gap:.6f}",
        "target": "" if national is None else fmt_pct(national, 1, lang),
        "behind": gap is not None and gap > 0,
    }


def _by_key(df: pd.DataFrame, key: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(``key`` value, indicator) -> the row as a dict (one pass over the frame)."""
    if not len(df):
        return {}
    records: list[dict[str, Any]] = df.to_dict("records")  # type: ignore[assignment]
    return {(str(r[key]), str(r["indicator"])): r for r in records}


def _indicator_cells(
    rows: dict[tuple[str, str], dict[str, Any]], value: str, inds: list[str], lang: str
) -> list[dict[str, Any]]:
    return [_cell(rows.get((value, i)), lang) for i in inds]


def _completeness(expected: int, reported: int, verified: int, lang: str) -> dict[str, Any]:
    if not expected:
        return {"text": "–", "sort": "", "detail": ""}
    pct = 100.0 * reported / expected
    detail = _("%(reported)s of %(expected)s reported, %(verified)s verified") % {
        "reported": reported,
        "expected": expected,
        "verified": verified,
    }
    return {"text": fmt_pct(pct, 0, lang), "sort": f"{pct:.6f}", "detail": detail}


def _indicators(df: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    present = set(df["indicator"]) if len(df) else set()
    return [(i, indicator_label(i, lang)) for i in PAGE_INDICATORS if i in present]


def _columns(inds: list[tuple[str, str]], first: int) -> dict[str, Any]:
    """Column positions of the sortable table: per indicator its baseline and gap columns
    (from ``first``), then completeness and band."""
    per = [(first + 2 * i, first + 2 * i + 1) for i in range(len(inds))]
    after = first + 2 * len(inds)
    return {"indicators": per, "completeness": after, "band": after + 1}


def tile_spec(cities: list[dict[str, Any]], indicator: str, label: str, lang: str) -> Any:
    """Vega-Lite tile grid: one square per city (in kode order, ``ceil(sqrt(n))`` columns),
    coloured by its baseline share of ``indicator``; a click opens the city."""
    n = len(cities)
    cols = max(1, math.ceil(math.sqrt(n)))
    values = []
    for i, c in enumerate(cities):
        values.append(
            {
                "col": i % cols,
                "row": i // cols,
                "nama": c["nama"],
                "short": c["nama"][:14],
                "value": c["values"].get(indicator),
                "url": c["url"],
            }
        )
    size = 64 if cols <= 8 else 40
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": label,
        "width": cols * size,
        "height": max(1, math.ceil(n / cols)) * size,
        "data": {"values": values},
        "encoding": {
            "x": {"field": "col", "type": "ordinal", "axis": None},
            "y": {"field": "row", "type": "ordinal", "axis": None},
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2, "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": "%",
                        "scale": {"scheme": "blues", "domain": [0, 100]},
                    },
                    "href": {"field": "url"},
                    "tooltip": [
                        {"field": "nama", "title": _("City")},
                        {"field": "value", "title": label, "format": ".1f"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 9, "baseline": "middle"},
                "encoding": {"text": {"field": "short"}},
            },
        ],
    }


@login_required
@require_safe
def province_page(request: HttpRequest, kode: str) -> HttpResponse:
    """Every visible kab/kota of province ``kode`` and the province row (ratios of sums)."""
    if not kode.isdigit():
        raise Http404("no such province")
    visible = _visible_cities(request, kode)
    if not visible:
        raise Http404("no city of this province is visible")
    lang = page_lang()
    rows, stale, missing = _summaries(visible)
    df = long_frame(rows)
    city_rows = _by_key(city_shares(df) if len(df) else df, "city_kode")
    prov_rows = _by_key(ratio_of_sums(df, "province_kode"), "province_kode")
    inds = _indicators(df, lang)
    codes = [i for i, _label in inds]
    prov_name = next((r.province_nama for r in rows if r.province_nama), "") or kode
    table = []
    tiles = []
    for r in rows:
        cells = _indicator_cells(city_rows, r.city_kode, codes, lang)
        url = reverse("city-dashboard", args=[r.city_kode])
        table.append(
            {
                "kode": r.city_kode,
                "nama": visible.get(r.city_kode, r.nama),
                "url": url,
                "cells": cells,
                "completeness": _completeness(r.expected, r.reported, r.verified, lang),
                "band": band_label(r.band, lang) if r.band else "–",
                "band_code": r.band,
                "stale": r.city_kode in stale,
                "error": bool(r.error),
            }
        )
        values = {
            i: (None if c["base_sort"] == "" else round(float(c["base_sort"]), 1))
            for i, c in zip(codes, cells, strict=True)
        }
        tiles.append({"nama": table[-1]["nama"], "url": url, "values": values})
    expected = sum(r.expected for r in rows)
    prov_row = {
        "cells": _indicator_cells(prov_rows, kode, codes, lang),
        "completeness": _completeness(
            expected, sum(r.reported for r in rows), sum(r.verified for r in rows), lang
        ),
        "cities": len(rows),
    }
    specs = {f"tiles:{i}": tile_spec(tiles, i, label, lang) for i, label in inds if tiles}
    quarter = summary.latest_closed_quarter(period.reporting_date())
    national_sets = sorted({s for s in df.get("national_set", []) if s}) if len(df) else []
    context = {
        "province": {"kode": kode, "nama": prov_name},
        "indicators": inds,
        "columns": _columns(inds, 1),
        "rows": table,
        "total": prov_row,
        "missing": [(k, visible[k]) for k in missing],
        "quarter": quarter,
        "national_sets": [target_set_label(s, lang) for s in national_sets],
        "chart_keys": list(specs),
        "charts": {"specs": specs, "options": charts.embed_options(lang)},
        "national_link": _is_national(request),
    }
    return render(request, "web/regions/province.html", context)


def _is_national(request: HttpRequest) -> bool:
    s = scope_of(request.user)
    return s is not None and s.role in NATIONAL_ROLES


@login_required
@require_safe
def national_page(request: HttpRequest) -> HttpResponse:
    """Every province with a loaded city (ratios of sums of its cities) and the nation."""
    if not _is_national(request):
        raise PermissionDenied
    lang = page_lang()
    visible = _visible_cities(request)
    rows, stale, missing = _summaries(visible)
    df = long_frame(rows)
    prov_rows = _by_key(ratio_of_sums(df, "province_kode"), "province_kode")
    inds = _indicators(df, lang)
    codes = [i for i, _label in inds]
    names: dict[str, str] = {}
    by_prov: dict[str, list[CitySummary]] = {}
    for r in rows:
        names.setdefault(r.province_kode, r.province_nama or r.province_kode)
        by_prov.setdefault(r.province_kode, []).append(r)
    table = []
    for prov, members in sorted(by_prov.items()):
        table.append(
            {
                "kode": prov,
                "nama": names[prov],
                "url": reverse("province-page", args=[prov]),
                "cities": len(members),
                "cells": _indicator_cells(prov_rows, prov, codes, lang),
                "completeness": _completeness(
                    sum(r.expected for r in members),
                    sum(r.reported for r in members),
                    sum(r.verified for r in members),
                    lang,
                ),
                "stale": any(r.city_kode in stale for r in members),
            }
        )
    nation = df.assign(nation="0")
    nation_rows = _by_key(ratio_of_sums(nation, "nation"), "nation")
    total = {
        "cells": _indicator_cells(nation_rows, "0", codes, lang),
        "completeness": _completeness(
            sum(r.expected for r in rows),
            sum(r.reported for r in rows),
            sum(r.verified for r in rows),
            lang,
        ),
        "cities": len(rows),
    }
    context = {
        "indicators": inds,
        "columns": _columns(inds, 2),
        "rows": table,
        "total": total,
        "missing": len(missing),
        "quarter": summary.latest_closed_quarter(period.reporting_date()),
    }
    return render(request, "web/regions/national.html", context)


__all__ = ["long_frame", "national_page", "province_page", "tile_spec"]
