"""The city baseline (observations): a table per year, in-place row editing (HTMX), the XLSX
template and the all-or-nothing upload.

* ``baseline``: regions x indicators for one year (``?year=``), for everyone who sees the city;
  rows are ``Observation.objects.restrict(user)`` (a kecamatan user sees the city row, its
  kecamatan and its kelurahan only). Who may add observations to the city (``can_add``:
  koordinator, admin) edits a row in place.
* ``baseline-row``: one region and year. GET gives the row's form (``?mode=view``: the row);
  POST saves it. Values are checked with the rules of ``observations.csv``
  (:func:`sanitasi.io.city_tables.parse_observations`) and then, merged with the stored
  observations, with the whole-city checks of ``sanitasi plan``
  (:func:`sanitasi.io.baseline_xlsx.baseline_problems`: ladder sums, SPALD-T within aman, base
  year ...); a problem is answered 422 with the message at its cell. A blank cell deletes the
  stored value. The form carries a fingerprint of the row as read: when someone saved the row
  meanwhile the answer is 409 and nothing is overwritten. Each saved observation is audited by
  the signals (one entry per created, changed or deleted row). ``status`` and ``source`` of
  the form apply to the values created or changed; the others keep theirs. When the row is
  a kelurahan/desa, the stored kecamatan and city rows of the changed additive indicators are
  recomputed as the sums of their kelurahan/desa before the checks
  (:func:`sanitasi.io.baseline_xlsx.recompute_parents`: status ``derived``, left alone when a
  kelurahan lacks the value), saved (audited too) and swapped into the page out of band.
* ``baseline-template``: the workbook of :func:`~sanitasi.io.baseline_xlsx.export_baseline_template`
  with the rows the user sees (``?year=`` adds empty rows for that year).
* ``baseline-upload``: POST of a filled workbook (at most :data:`MAX_UPLOAD_BYTES`, else 413).
  A workbook exported by ``baseline-template`` carries a hidden fingerprint of the stored
  observations it showed; an upload that would add or change an observation edited, added or
  deleted since that export answers 409 listing each (SAN-E159) and saves nothing.
  Every cell is checked, then the merged city; any error answers 422 with every problem
  (sheet, Excel row, column, value, rule) and nothing is saved. A clean workbook is upserted
  in one transaction (a blank cell never deletes) and recorded as ONE audit entry (action
  ``load``, model ``plans.observation``) whose before/after list every added or changed
  observation and whose ``upload`` field gives the file and the counts added / changed /
  unchanged; the dashboard recomputes because its cache is keyed by the latest audit entry.
  Before the whole-city checks, the kecamatan and city rows of every changed kelurahan
  indicator are recomputed as above (an uploaded parent value that differs from the stored one
  wins); the recomputed values are saved, listed in the audit entry (status ``derived``) and
  counted in ``upload.derived`` and in the summary. While tasks are queued
  (``SANITASI_TASKS`` ``thread``/``worker``) a workbook larger than
  ``SANITASI_QUEUE_IMPORT_BYTES`` is stored and checked by a task instead
  (:func:`sanitasi.web.jobs.queue_import`, :func:`queued_import`: the same checks and
  writes, :func:`import_workbook`, the user's rights checked again); the answer is the
  task's progress page, and ``baseline?upload=<task id>`` (:func:`upload_result`) the
  result page.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import sanitize_separators
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanitasi.checkpoints import checkpoint
from sanitasi.core.model import STATUSES
from sanitasi.io import baseline_xlsx as bx
from sanitasi.io import city_tables as ct
from sanitasi.io.errors import Problem, errors_of, problem
from sanitasi.io.reference import wilayah_index
from sanitasi.io.tables import FILE, LINE
from sanitasi.reports.fmt import fmt_number
from sanitasi.web.audit.log import acting_as, current_user, suspended
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.geography.models import Region
from sanitasi.web.plans.inputs import active_plan, observations_frame, regions_frame
from sanitasi.web.plans.models import Observation, Plan
from sanitasi.web.scope import can_add, can_read_history

PAGE = "web/baseline.html"
ROW = "web/partials/baseline_row.html"
ROW_FORM = "web/partials/baseline_row_form.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Largest workbook accepted by the upload.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FORM_FILE = "form"
YEAR_MIN, YEAR_MAX = 1900, 2100


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def edits(user: Any, kode: str) -> bool:
    """Whether ``user`` may add and change the city's observations (koordinator, admin)."""
    return can_add(user, Observation, kode)


# --------------------------------------------------------------------------- the table


@dataclass
class Cell:
    indicator: str
    value: float | None = None
    text: str = "–"
    status: str = ""
    source: str = ""


@dataclass
class Row:
    region: Region
    year: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"row-{self.region.kode.replace('.', '-')}-{self.year}"


def _visible(user: Any, kode: str) -> Any:
    return Observation.objects.restrict(user).filter(city_kode=kode)


def _years(user: Any, kode: str) -> list[int]:
    return sorted(set(_visible(user, kode).values_list("year", flat=True).distinct()))


def _year(request: HttpRequest, kode: str, years: Sequence[int]) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    base = int(active_plan(kode).base_year)
    return base if base in years or not years else years[-1]


def _columns(present: Iterable[str]) -> list[str]:
    """The year's indicators in the template's order; the ladder when the year is empty."""
    have = set(present)
    if not have:
        return ["population", "households", *bx.RUNG_INDICATORS]
    return [i for i in bx.indicator_columns(have) if i in have]


def _text(value: float | None, lang: str) -> str:
    return "–" if value is None else fmt_number(value, 2, lang, strip_zeros=True)


def _rows(user: Any, kode: str, year: int, editor: bool, lang: str) -> tuple[list[str], list[Row]]:
    obs = list(_visible(user, kode).filter(year=year).select_related("region"))
    columns = _columns(o.indicator for o in obs)
    by_region: dict[int, dict[str, Observation]] = {}
    for o in obs:
        by_region.setdefault(o.region_id, {})[o.indicator] = o
    regions = Region.objects.restrict(user).filter(city_kode=kode).exclude(tingkat="provinsi")
    rows = []
    for region in regions.order_by("kode"):
        have = by_region.get(region.pk)
        if have is None and not editor:
            continue
        rows.append(_row(region, year, have or {}, columns, lang))
    return columns, rows


def _row(
    region: Region, year: int, have: dict[str, Observation], columns: Sequence[str], lang: str
) -> Row:
    row = Row(region, year)
    for ind in columns:
        o = have.get(ind)
        if o is None:
            row.cells.append(Cell(ind))
        else:
            row.cells.append(Cell(ind, o.value, _text(o.value, lang), o.status, o.source))
    return row


def _page(request: HttpRequest, kode: str, *, status: int = 200, **extra: Any) -> HttpResponse:
    city = visible_city(request, kode)
    user = request.user
    years = _years(user, kode)
    year = _year(request, kode, years)
    editor = edits(user, kode)
    lang = page_lang()
    columns, rows = _rows(user, kode, year, editor, lang)
    choices = sorted(set(years) | {year} | ({max(years) + 1} if editor and years else set()))
    context = {
        "city": city,
        "year": year,
        "years": choices,
        "columns": columns,
        "rows": rows,
        "editor": editor,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "reads_history": can_read_history(user, kode),
        **extra,
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def baseline(request: HttpRequest, kode: str) -> HttpResponse:
    """The table; with ``?upload=<task id>`` the result of the user's queued upload
    (:func:`upload_result`)."""
    task_id = request.GET.get("upload", "")
    if task_id:
        visible_city(request, kode)
        return upload_result(request, kode, task_id)
    return _page(request, kode)


# --------------------------------------------------------------------------- template


@login_required
@require_GET
def baseline_template(request: HttpRequest, kode: str) -> HttpResponse:
    visible_city(request, kode)
    user = request.user
    regions = Region.objects.restrict(user).filter(city_kode=kode).order_by("kode")
    regs = pd.DataFrame(
        list(regions.values_list("kode", "nama", "tingkat")), columns=["kode", "nama", "tingkat"]
    )
    rows = _visible(user, kode).order_by("id")
    fields = ("region__kode", "year", "indicator", "value", "unit", "source", "status")
    names = ["kode", "year", "indicator", "value", "unit", "source", "status"]
    obs = pd.DataFrame(list(rows.values_list(*fields)), columns=names)
    raw = request.GET.get("year", "")
    extra = [int(raw)] if raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX else []
    with tempfile.TemporaryDirectory(prefix="sanitasi-") as tmp:
        path = Path(tmp) / "baseline.xlsx"
        bx.export_baseline_template(regs, obs, path, page_lang(), years=extra)
        body = path.read_bytes()
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="baseline-{kode}.xlsx"'
    return response


# --------------------------------------------------------------------------- row editing


def _region(request: HttpRequest, kode: str, region_kode: str) -> Region:
    region = (
        Region.objects.restrict(request.user)
        .filter(city_kode=kode, kode=region_kode)
        .exclude(tingkat="provinsi")
        .first()
    )
    if region is None:
        raise Http404("no such region")
    return region


def _stored_row(kode: str, region: Region, year: int) -> dict[str, Observation]:
    rows = Observation.objects.filter(city_kode=kode, region=region, year=year)
    return {o.indicator: o for o in rows}


def _fingerprint(have: dict[str, Observation]) -> str:
    text = "|".join(
        f"{k}={o.value!r};{o.status};{o.source};{o.unit}" for k, o in sorted(have.items())
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class RowForm(forms.Form):
    """Status and source of the values created or changed, and the row's fingerprint."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=[(s, s) for s in STATUSES])
    source = forms.CharField(label=gettext_lazy("Source"), required=False)
    seen = forms.CharField(widget=forms.HiddenInput)


def _most_common(values: Iterable[str], default: str) -> str:
    found = Counter(v for v in values if v)
    return found.most_common(1)[0][0] if found else default


def _row_columns(kode: str, year: int, have: dict[str, Observation]) -> list[str]:
    present = set(
        Observation.objects.filter(city_kode=kode, year=year).values_list("indicator", flat=True)
    )
    return _columns(present | set(have))


def _form_context(
    region: Region,
    year: int,
    columns: Sequence[str],
    values: dict[str, str],
    form: RowForm,
    errors: dict[str, list[str]] | None = None,
    general: Sequence[str] = (),
) -> dict[str, Any]:
    errs = errors or {}
    fields = [(ind, values.get(ind, ""), errs.get(ind, [])) for ind in columns]
    row = Row(region, year)
    return {
        "row": row,
        "fields": fields,
        "form": form,
        "form_values": values,
        "form_errors": errs,
        "general": list(general),
    }


def _initial_values(have: dict[str, Observation], lang: str) -> dict[str, str]:
    return {
        k: fmt_number(o.value, 10, lang, grouping=False, strip_zeros=True) for k, o in have.items()
    }


@login_required
@require_http_methods(["GET", "POST"])
def baseline_row(request: HttpRequest, kode: str, region_kode: str, year: int) -> HttpResponse:
    city = visible_city(request, kode)
    region = _region(request, kode, region_kode)
    lang = page_lang()
    if request.method == "GET" and request.GET.get("mode") == "view":
        return _view_row(request, city.kode, region, year, lang)
    if not edits(request.user, kode):
        raise PermissionDenied(_("You may not change the baseline of this city."))
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404("no such year")
    have = _stored_row(kode, region, year)
    columns = _row_columns(kode, year, have)
    context = {"city": city}
    if request.method == "GET":
        form = RowForm(
            initial={
                "status": _most_common((o.status for o in have.values()), "unverified"),
                "source": _most_common((o.source for o in have.values()), ""),
                "seen": _fingerprint(have),
            }
        )
        values = _initial_values(have, lang)
        return render(
            request, ROW_FORM, {**context, **_form_context(region, year, columns, values, form)}
        )
    form = RowForm(request.POST)
    values = {ind: request.POST.get(f"v-{ind}", "").strip() for ind in columns}
    if not form.is_valid():
        ctx = _form_context(region, year, columns, values, form)
        return render(request, ROW_FORM, {**context, **ctx}, status=422)
    d = form.cleaned_data
    with transaction.atomic():
        have = _stored_row(kode, region, year)
        if d["seen"] != _fingerprint(have):
            general = [
                _(
                    "Someone else changed this row meanwhile; nothing was saved. Cancel to see "
                    "the stored values, then edit again."
                )
            ]
            ctx = _form_context(region, year, columns, values, form, general=general)
            return render(request, ROW_FORM, {**context, **ctx}, status=409)
        errors, general, plan = _check_row(kode, region, year, have, values, d, lang)
        if errors or general:
            ctx = _form_context(region, year, columns, values, form, errors, general)
            return render(request, ROW_FORM, {**context, **ctx}, status=422)
        _save_row(kode, region, year, have, plan, d)
    n = 0 if plan.derived is None else len(plan.derived)
    notice = _("Saved.")
    if n:
        notice += " " + ngettext(
            "%(n)s kecamatan/city value recomputed as the sum of its kelurahan/desa.",
            "%(n)s kecamatan/city values recomputed as the sums of their kelurahan/desa.",
            n,
        ) % {"n": n}
    parents = [] if plan.derived is None else sorted(set(plan.derived["kode"].astype(str)))
    return _view_row(request, kode, region, year, lang, notice=notice, parents=parents)


def _view_row(
    request: HttpRequest,
    kode: str,
    region: Region,
    year: int,
    lang: str,
    notice: str = "",
    parents: Sequence[str] = (),
) -> HttpResponse:
    """The row; ``parents``: codes of recomputed kecamatan/city rows the user sees, sent along
    as out-of-band swaps so the table shows their new sums."""
    visible = _visible(request.user, kode).filter(year=year)
    have = {o.indicator: o for o in visible.filter(region=region)}
    columns = _row_columns(kode, year, have) if have else _columns(())
    others = []
    regions = Region.objects.restrict(request.user).filter(city_kode=kode, kode__in=parents)
    for other in regions.order_by("kode"):
        mine = {o.indicator: o for o in visible.filter(region=other)}
        others.append(_row(other, year, mine, columns, lang))
    context = {
        "city": visible_city(request, kode),
        "row": _row(region, year, have, columns, lang),
        "editor": edits(request.user, kode),
        "notice": notice,
        "oob_rows": others,
    }
    return render(request, ROW, context)


@dataclass
class _Plan:
    """What a row save does: indicator -> new value (create or change), deletions, and the
    kecamatan and city values recomputed as sums of their kelurahan/desa."""

    values: dict[str, float] = field(default_factory=dict)
    delete: list[str] = field(default_factory=list)
    derived: pd.DataFrame | None = None


def _check_row(
    kode: str,
    region: Region,
    year: int,
    have: dict[str, Observation],
    values: dict[str, str],
    d: dict[str, Any],
    lang: str,
) -> tuple[dict[str, list[str]], list[str], _Plan]:
    """Cell checks (rules of observations.csv) then the whole-city checks on the merged
    observations; messages per indicator field and general ones."""
    plan = _Plan()
    filled = {k: sanitize_separators(v) for k, v in values.items() if v != ""}
    plan.delete = [k for k, v in values.items() if v == "" and k in have]
    errors: dict[str, list[str]] = {}
    if filled:
        text = pd.DataFrame(
            {
                "kode": region.kode,
                "year": str(year),
                "indicator": list(filled),
                "value": [str(v) for v in filled.values()],
                "status": d["status"],
                "source": d["source"],
                "unit": "",
            }
        )
        text[LINE] = range(1, len(text) + 1)
        parsed = ct.parse_observations(text, wilayah_index(), None)
        names = list(filled)
        for p in parsed.problems:
            ind = names[(p.row or 1) - 1]
            cell = bx.relabel_problem(p, FORM_FILE, None, ind)
            errors.setdefault(ind, []).append(_rule(cell, lang))
        if errors:
            return errors, [], plan
        plan.values = {
            k: float(v) for k, v in zip(parsed.df["indicator"], parsed.df["value"], strict=True)
        }
    if not plan.values and not plan.delete:
        return {}, [], plan
    stored = observations_frame(kode)
    key = stored["kode"].eq(region.kode) & stored["year"].eq(year)
    gone = key & stored["indicator"].isin(plan.delete)
    upload = pd.DataFrame(
        {
            "kode": region.kode,
            "year": year,
            "indicator": list(plan.values),
            "value": list(plan.values.values()),
            "status": d["status"],
            "unit": [
                have[k].unit if k in have else bx.DEFAULT_UNITS.get(k, "") for k in plan.values
            ],
            "source": d["source"],
            LINE: 0,
            FILE: FORM_FILE,
            bx.CELL: list(plan.values),
        }
    )
    upload["year"] = upload["year"].astype("int64")
    merged = bx.merge_observations(stored[~gone], upload, stored_label=_("stored"))
    regions = regions_frame(kode)
    moved = [k for k, v in plan.values.items() if k not in have or have[k].value != v]
    changed = upload[upload["indicator"].isin(moved)]
    source = bx.derived_source(f"baseline edit of {region.kode}")
    observations, plan.derived = bx.recompute_parents(
        regions, merged.observations, changed, source=source
    )
    general: list[str] = []
    for p in errors_of(bx.baseline_problems(regions, observations, _base(kode))):
        if p.file == FORM_FILE and p.column in values:
            errors.setdefault(p.column, []).append(_rule(p, lang))
        else:
            general.append(p.message(lang))
    return errors, general, plan


def _base(kode: str) -> int:
    return int(active_plan(kode).base_year)


def _rule(p: Problem, lang: str) -> str:
    return p.message_id if lang == "id" and p.message_id else p.rule


def _save_row(
    kode: str,
    region: Region,
    year: int,
    have: dict[str, Observation],
    plan: _Plan,
    d: dict[str, Any],
) -> None:
    """Create, change or delete the row's observations (each audited by the signals)."""
    for ind, value in plan.values.items():
        o = have.get(ind)
        if o is None:
            Observation.objects.create(
                city_kode=kode,
                region=region,
                year=year,
                indicator=ind,
                value=value,
                unit=bx.DEFAULT_UNITS.get(ind, ""),
                status=d["status"],
                source=d["source"],
            )
        elif o.value != value:
            o.value, o.status, o.source = value, d["status"], d["source"]
            o.save()
    for ind in plan.delete:
        have[ind].delete()
    _save_derived(kode, plan.derived)


def _save_derived(kode: str, derived: pd.DataFrame | None) -> None:
    """Save the recomputed kecamatan and city values (each audited by the signals)."""
    if derived is None or derived.empty:
        return
    stored = {
        (o.region.kode, o.year, o.indicator): o
        for o in Observation.objects.filter(
            city_kode=kode,
            region__kode__in=set(derived["kode"]),
            year__in={int(y) for y in derived["year"]},
            indicator__in=set(derived["indicator"]),
        ).select_related("region")
    }
    for rec in derived.to_dict("records"):
        o = stored[(str(rec["kode"]), int(rec["year"]), str(rec["indicator"]))]
        o.value, o.status, o.source = float(rec["value"]), str(rec["status"]), str(rec["source"])
        o.save()


# --------------------------------------------------------------------------- upload


@dataclass(frozen=True)
class Summary:
    """Counts of an upload: uploaded values added, changed, unchanged, and the kecamatan and
    city values recomputed as sums of their kelurahan/desa (``derived``)."""

    file: str
    added: int
    changed: int
    unchanged: int
    derived: int = 0


def _problem_rows(problems: Sequence[Problem], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "error": p.is_error,
            "file": p.file,
            "row": p.row,
            "column": p.column or "",
            "value": p.value,
            "rule": _rule(p, lang),
        }
        for p in problems
    ]


def _upload_name(name: str) -> str:
    base = Path(name or "upload.xlsx").name.strip()
    return base[:100] or "upload.xlsx"


@dataclass(frozen=True)
class Outcome:
    """What checking an uploaded workbook gave: ``status`` 200 (saved, or nothing to change:
    ``summary`` set, ``problems`` the warnings), 409 (stale workbook, SAN-E159) or 422 (a
    rule broken); on 409 and 422 nothing was saved and ``problems`` lists every problem."""

    status: int
    problems: tuple[Problem, ...]
    summary: Summary | None = None


def may_upload(user: Any, kode: str) -> bool:
    """Whether ``user`` (active) sees city ``kode`` and may change its baseline: the checks of
    :func:`baseline_upload`, again in the queued task (the user's rights may have changed
    since the upload was queued)."""
    if user is None or not getattr(user, "is_active", False):
        return False
    city = Region.objects.restrict(user).filter(city_kode=kode, kode=kode, tingkat="kabkota")
    if not city.exists() or not Plan.objects.restrict(user).filter(city_kode=kode).exists():
        return False
    return edits(user, kode)


def import_workbook(kode: str, path: Path, name: str) -> Outcome:
    """Check the workbook at ``path`` (named ``name`` in the messages) cell by cell, against
    the export's fingerprint and as a whole city; save it all or nothing (one audit entry by
    :func:`~sanitasi.web.audit.log.current_user`). The request and the queued task
    (:func:`queued_import`) both answer with this."""
    known = frozenset(Region.objects.filter(city_kode=kode).values_list("kode", flat=True))
    read = bx.read_baseline_upload(path, known, label=name)
    observations, problems = read.observations, list(read.problems)
    if errors_of(problems):
        return Outcome(422, tuple(problems))
    with transaction.atomic():
        stored = observations_frame(kode)
        merged = bx.merge_observations(stored, observations, stored_label=_("stored"))
        stale = bx.stale_observations(stored, merged, read.fingerprint, _("the stored baseline"))
        if stale:  # edited on the web since the workbook was exported: nothing is saved
            return Outcome(409, tuple(stale))
        regions = regions_frame(kode)
        changed = pd.concat([merged.added[bx.KEY], merged.changed[bx.KEY]], ignore_index=True)
        source = bx.derived_source(f"baseline upload {name}")
        recomputed, derived = bx.recompute_parents(
            regions, merged.observations, changed, source=source
        )
        merged = replace(merged, observations=recomputed)
        problems += bx.baseline_problems(regions, merged.observations, _base(kode))
        if errors_of(problems):
            return Outcome(422, tuple(problems))
        summary = Summary(
            name, len(merged.added), len(merged.changed), merged.unchanged, len(derived)
        )
        if summary.added or summary.changed:
            _write_upload(kode, merged, derived, summary)
            checkpoint("upload:written")  # kill tests only (sanitasi.checkpoints)
    return Outcome(200, tuple(problems), summary)


@login_required
@require_POST
def baseline_upload(request: HttpRequest, kode: str) -> HttpResponse:
    """Check and save an uploaded workbook in the request; or, one larger than
    ``SANITASI_QUEUE_IMPORT_BYTES`` while tasks are queued, store it and queue its check
    (:func:`sanitasi.web.jobs.queue_import`): the answer is then the task's progress page,
    which ends on :func:`upload_result`."""
    from sanitasi.web import jobs

    visible_city(request, kode)
    if not edits(request.user, kode):
        raise PermissionDenied(_("You may not change the baseline of this city."))
    lang = page_lang()
    upload = request.FILES.get("workbook")
    if upload is None:
        p = problem("SAN-E046", "-", reason="no file was sent")
        return _page(request, kode, status=422, problems=_problem_rows([p], lang))
    name = _upload_name(upload.name or "")
    size = int(upload.size or 0)
    if size > MAX_UPLOAD_BYTES:
        p = problem(
            "SAN-E123",
            name,
            size=fmt_number(size / 1024 / 1024, 1, lang),
            limit=fmt_number(MAX_UPLOAD_BYTES / 1024 / 1024, 1, lang, strip_zeros=True),
        )
        return _page(request, kode, status=413, problems=_problem_rows([p], lang))
    if jobs.queued() and size > jobs.import_threshold():
        data = b"".join(upload.chunks())
        back = reverse("baseline", args=[kode])
        return jobs.queue_import(request, kode, IMPORT_KIND, name, data, lang, back)
    with tempfile.TemporaryDirectory(prefix="sanitasi-") as tmp:
        path = Path(tmp) / "upload.xlsx"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        outcome = import_workbook(kode, path, name)
    return _outcome_page(request, kode, outcome.status, _outcome_json(outcome)["outcome"], lang)


#: The ``kind`` of a queued baseline upload (:class:`~sanitasi.web.models.QueuedUpload`).
IMPORT_KIND = "baseline"


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    """The task's return value for ``outcome`` (JSON): ``ok`` when saved; the status, the
    summary and the problem rows in both languages of the page."""
    summary = None if outcome.summary is None else asdict(outcome.summary)
    rows = {code: _problem_rows(outcome.problems, code) for code in ("id", "en")}
    return {
        "ok": outcome.status == 200,
        "outcome": {"status": outcome.status, "summary": summary, "problems": rows},
    }


def _outcome_page(
    request: HttpRequest, kode: str, status: int, outcome: dict[str, Any], lang: str
) -> HttpResponse:
    given = outcome.get("summary")
    summary = None if given is None else Summary(**given)
    rows = outcome.get("problems") or {}
    problems = rows.get(lang) or rows.get("id") or []
    extra: dict[str, Any] = {"problems": problems}
    if summary is not None:
        extra["summary"] = summary
    return _page(request, kode, status=status, **extra)


def queued_import(user: Any, kode: str, data: bytes, name: str) -> dict[str, Any]:
    """The queued task's work (:func:`sanitasi.web.jobs.tasks.import_upload`): the rights of
    ``user`` checked again (:func:`may_upload`; refused: ``ok`` false with the reason in both
    languages, nothing written), then :func:`import_workbook` as that user (the audit entry
    names them). Returns the task's JSON value (:func:`_outcome_json`)."""
    if not may_upload(user, kode):
        messages: dict[str, list[str]] = {}
        for code in ("id", "en"):
            with translation.override(code):
                messages[code] = [
                    _("You may not change the baseline of this city."),
                    _("Nothing was saved."),
                ]
        return {"ok": False, "messages": messages}
    with tempfile.TemporaryDirectory(prefix="sanitasi-") as tmp, acting_as(user):
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(data)
        return _outcome_json(import_workbook(kode, path, name))


def upload_result(request: HttpRequest, kode: str, task_id: str) -> HttpResponse:
    """The baseline page with the result of the user's queued upload ``task_id`` (the same
    page, and status, as the request's check: summary and warnings, or every problem with
    nothing saved); 404 for another user's task or another city's; the progress page while
    it has not ended; the reason when it failed (:mod:`sanitasi.web.jobs.views`)."""
    from sanitasi.web.jobs.tasks import import_upload
    from sanitasi.web.jobs.views import own_task

    row = own_task(request, task_id)
    kwargs = row.args_kwargs.get("kwargs", {})
    if row.task_path != import_upload.module_path or kwargs.get("kode") != kode:
        raise Http404("no such upload")
    outcome = (row.return_value or {}).get("outcome") if str(row.status) == "SUCCESSFUL" else None
    if outcome is None:
        return redirect("task-page", task_id=str(row.id))
    return _outcome_page(request, kode, int(outcome["status"]), outcome, page_lang())


def _describe(rec: Any, prefix: str = "") -> str:
    value = float(rec[prefix + "value"])
    text = f"{value:g} {rec[prefix + 'unit']}".strip()
    parts = [text, str(rec[prefix + "status"]), str(rec[prefix + "source"])]
    return " · ".join(p for p in parts if p)


def _write_upload(kode: str, merged: bx.Merge, derived: pd.DataFrame, summary: Summary) -> None:
    """Upsert the added and changed observations and the recomputed (``derived``) parent
    values without per-row entries, then one summary audit entry listing all of them (the
    caller holds the transaction)."""
    regions = dict(Region.objects.filter(city_kode=kode).values_list("kode", "pk"))
    before: dict[str, Any] = {}
    after: dict[str, Any] = {
        "upload": {
            "file": summary.file,
            "added": summary.added,
            "changed": summary.changed,
            "unchanged": summary.unchanged,
            "derived": summary.derived,
        }
    }
    with suspended():
        new = []
        for rec in merged.added.to_dict("records"):
            key = f"{rec['kode']} {rec['year']} {rec['indicator']}"
            after[key] = _describe(rec)
            new.append(
                Observation(
                    city_kode=kode,
                    region_id=regions[str(rec["kode"])],
                    year=int(rec["year"]),
                    indicator=str(rec["indicator"]),
                    value=float(rec["value"]),
                    unit=str(rec["unit"]),
                    status=str(rec["status"]),
                    source=str(rec["source"]),
                )
            )
        Observation.objects.bulk_create(new, batch_size=500)
        parts = [df for df in (merged.changed, derived) if len(df)]
        updates = pd.concat(parts, ignore_index=True) if parts else merged.changed
        if len(updates):
            stored = {
                (o.region.kode, o.year, o.indicator): o
                for o in Observation.objects.filter(city_kode=kode).select_related("region")
            }
            changed = []
            for rec in updates.to_dict("records"):
                o = stored[(str(rec["kode"]), int(rec["year"]), str(rec["indicator"]))]
                key = f"{rec['kode']} {rec['year']} {rec['indicator']}"
                before[key] = _describe(rec, "old_")
                after[key] = _describe(rec)
                o.value = float(rec["value"])
                o.unit, o.status, o.source = (
                    str(rec["unit"]),
                    str(rec["status"]),
                    str(rec["source"]),
                )
                changed.append(o)
            Observation.objects.bulk_update(
                changed, ["value", "unit", "status", "source"], batch_size=500
            )
    user = current_user()
    who = user if getattr(user, "is_authenticated", False) else None
    AuditEntry.objects.create(
        city_kode=kode,
        user=who,
        username=who.get_username() if who is not None else "",
        model=Observation._meta.label_lower,
        object_pk=kode,
        object_repr=f"baseline upload {summary.file}"[:200],
        action="load",
        before=before or None,
        after=after,
    )


__all__ = [
    "IMPORT_KIND",
    "Outcome",
    "Summary",
    "baseline",
    "baseline_row",
    "baseline_template",
    "baseline_upload",
    "import_workbook",
    "may_upload",
    "queued_import",
    "upload_result",
]
