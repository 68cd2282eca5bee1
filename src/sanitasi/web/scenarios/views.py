"""The scenarios page of a city: the stored scenarios with their forms (koordinator and
admin edit; every city role reads) and the comparison of BAU, the needs-based plan, the
programme, the optimised plan and each scenario (docs/METHOD.md §14)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_slug
from django.db import transaction
from django.forms import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanitasi.app import AppError
from sanitasi.app.scenarios import SCENARIO_PREFIX
from sanitasi.io.budget import BUDGET
from sanitasi.io.errors import InputErrors
from sanitasi.reports.fmt import fmt_number
from sanitasi.reports.i18n import need_label, rung_label, target_set_label, unit_label
from sanitasi.reports.scenarios import html_table, scenario_tables
from sanitasi.vocabulary import parameter_label, parameter_unit
from sanitasi.web.cities import page_lang, visible_city
from sanitasi.web.plans.models import LOCAL, CityFile
from sanitasi.web.plans.results import PlanUnavailable
from sanitasi.web.scenarios.compare import base_inputs, comparison_of, validate
from sanitasi.web.scenarios.models import Scenario, typed
from sanitasi.web.scope import can, can_add

#: Form fields a problem's column (``parameters.<name>`` ...) is shown at.
FIELDS = ("name", "title", "title_en", "description", "target_sets", "budget")


def _budget_files(kode: str) -> list[str]:
    """Stored files the optimiser can read as a budget (``budget*.csv``, and any file a
    stored scenario names: a loaded scenario file may name another)."""
    names = CityFile.objects.filter(city_kode=kode).values_list("name", flat=True)
    named = set(Scenario.objects.filter(city_kode=kode).values_list("budget", flat=True))
    return sorted(
        n
        for n in names
        if (n.startswith(BUDGET.removesuffix(".csv")) and n.endswith(".csv")) or n in named
    )


def _rows(post: Any, names: str, values: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for n, v in zip(post.getlist(names), post.getlist(values), strict=False):
        if n.strip() and v.strip():
            out[n.strip()] = v.strip()
    return out


def _from_post(row: Scenario, post: Any) -> None:
    row.name = post.get("name", "").strip()
    row.title = post.get("title", "").strip()
    row.title_en = post.get("title_en", "").strip()
    row.description = post.get("description", "").strip()
    row.target_sets = [s for s in post.getlist("target_sets") if s.strip()]
    row.parameters = _rows(post, "param_name", "param_value")
    row.unit_cost_factors = _rows(post, "factor_item", "factor_value")
    row.budget = post.get("budget", "").strip()


def _errors(row: Scenario, lang: str) -> dict[str, list[str]]:
    """Problems of ``row`` by form field (``parameters``/``unit_cost_factors`` for their
    rows, ``form`` for the rest); empty when it may be saved, and then ``row`` holds the
    validated values (parameter values as the plan reads them, factors as numbers)."""
    errors: dict[str, list[str]] = {}
    try:
        validate_slug(row.name)
    except ValidationError:
        errors.setdefault("name", []).append(
            _("Use lowercase letters, digits, '-' and '_' only (e.g. hemat-biaya).")
        )
    dup = Scenario.objects.filter(city_kode=row.city_kode, name=row.name).exclude(pk=row.pk)
    if row.name and dup.exists():
        errors.setdefault("name", []).append(_("This city already has a scenario of this name."))
    if errors:
        return errors
    spec, problems = validate(row)
    for p in problems:
        col = (p.column or "").split(".")[0]
        field = col if col in (*FIELDS, "parameters", "unit_cost_factors") else "form"
        errors.setdefault(field, []).append(f"{p.code}: {p.message(lang)}")
    if spec is not None:
        row.parameters = dict(spec.parameters)
        row.unit_cost_factors = dict(spec.unit_cost_factors)
    return errors


def param_text(name: str, inputs: Any, lang: str) -> str:
    """A parameter as the page names it: its label and unit (``Ketersediaan armada truk
    (pecahan 0–1)``; reference/parameter_labels.csv), the code when it has no label."""
    param = inputs.parameters.params.get(name)
    unit = parameter_unit(param.unit, lang) if param is not None else ""
    label = parameter_label(name, lang)
    return f"{label} ({unit})" if unit else label


def value_text(value: Any, lang: str) -> str:
    """A stored parameter value as the page shows it: a number the language's way (all its
    decimals), a choice by its label."""
    v = typed(value)
    if isinstance(v, float):
        return fmt_number(v, 6, lang, strip_zeros=True)
    return rung_label(str(v), lang)


def _param_rows(row: Scenario | None, inputs: Any) -> dict[str, Any]:
    params = dict(row.parameters) if row else {}
    factors = dict(row.unit_cost_factors) if row else {}
    lang = page_lang()
    p_rows = [
        {"name": k, "value": v, "label": param_text(k, inputs, lang)} for k, v in params.items()
    ] + [{"name": "", "value": "", "label": ""}]
    f_rows = [{"name": k, "value": v} for k, v in factors.items()] + [{"name": "", "value": ""}]
    return {"param_rows": p_rows, "factor_rows": f_rows}


def _set_label(code: str, lang: str) -> str:
    return target_set_label(code, lang) if code != LOCAL else _("City sasaran (LOCAL)")


def _shown(row: Scenario, lang: str, inputs: Any, absent: dict[str, str]) -> dict[str, Any]:
    """A stored scenario as the list shows it: labels, not codes; ``not_computed``: why the
    comparison has no figures for it (the current data make it invalid), else empty."""
    return {
        "row": row,
        "title": (row.title_en if lang == "en" else row.title) or row.title or row.name,
        "sets": [_set_label(str(c), lang) for c in row.target_sets or []],
        "parameters": [
            (param_text(k, inputs, lang), value_text(v, lang))
            for k, v in dict(row.parameters).items()
        ],
        "not_computed": absent.get(SCENARIO_PREFIX + row.name, ""),
        "factors": [(need_label(k, lang), v) for k, v in dict(row.unit_cost_factors).items()],
    }


def _choices(kode: str, inputs: Any) -> dict[str, Any]:
    lang = page_lang()
    params = [
        # a choice unit lists the codes of its choices: not shown (the value field takes them)
        {"name": name, "label": param_text(name, inputs, lang)}
        for name, p in sorted(inputs.parameters.params.items())
        if not p.reference_only
    ]
    uc = inputs.unit_costs
    items = [
        {"name": str(i), "label": need_label(str(i), lang), "unit": unit_label(str(u), lang)}
        for i, u in zip(uc["item"], uc["unit"], strict=True)
    ]
    sets = sorted({str(s) for s in inputs.targets["target_set"].unique()})
    return {
        "set_choices": [(code, _set_label(code, lang)) for code in sets],
        "param_choices": params,
        "item_choices": items,
        "budget_choices": _budget_files(kode),
    }


def _comparison(kode: str, lang: str) -> tuple[list[Any], list[str], dict[str, str]]:
    """The comparison's tables, the problems that stopped it, and why each alternative
    without figures has none (alternative key -> reason in ``lang``)."""
    try:
        cmp = comparison_of(kode)
    except (InputErrors, AppError) as e:
        return [], [p.message(lang) for p in getattr(e, "problems", ())] or [str(e)], {}
    absent = {a.key: a.absent(lang) for a in cmp.alternatives if a.absent(lang)}
    return [html_table(t, lang) for t in scenario_tables(cmp, lang).values()], [], absent


def _page(
    request: HttpRequest,
    kode: str,
    *,
    editing: Scenario | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    city = visible_city(request, kode)
    lang = page_lang()
    try:
        inputs = base_inputs(kode)
    except PlanUnavailable:
        raise
    rows = list(Scenario.objects.restrict(request.user).filter(city_kode=kode).order_by("name"))
    may_edit = can_add(request.user, Scenario, kode)
    tables, problems, absent = _comparison(kode, lang)
    context = {
        "city": city,
        "scenarios": [_shown(r, lang, inputs, absent) for r in rows],
        "may_edit": may_edit,
        "editing": editing,
        "errors": errors or {},
        "tables": tables,
        "problems": problems,
        **_choices(kode, inputs),
        **_param_rows(editing, inputs),
    }
    return render(request, "web/scenarios.html", context, status=status)


def _may_change(request: HttpRequest, row: Scenario) -> None:
    if not can(request.user, "change", row):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scenario_list(request: HttpRequest, kode: str) -> HttpResponse:
    """GET: the page; POST: create a scenario (koordinator, admin)."""
    visible_city(request, kode)
    if request.method != "POST":
        return _page(request, kode)
    if not can_add(request.user, Scenario, kode):
        raise PermissionDenied
    row = Scenario(city_kode=kode)
    return _save(request, kode, row)


def _save(request: HttpRequest, kode: str, row: Scenario) -> HttpResponse:
    _from_post(row, request.POST)
    errors = _errors(row, page_lang())
    if errors:
        return _page(request, kode, editing=row, errors=errors, status=400)
    with transaction.atomic():
        row.save()
    return redirect("scenario-list", kode=kode)


def _row(request: HttpRequest, kode: str, scenario: str) -> Scenario:
    """The scenario to edit or delete: 403 for a role that edits no scenario of the city
    (before looking it up), 404 when there is none of that name."""
    visible_city(request, kode)
    if not can_add(request.user, Scenario, kode):
        raise PermissionDenied
    row = Scenario.objects.restrict(request.user).filter(city_kode=kode, name=scenario).first()
    if row is None:
        raise Http404("no such scenario")
    return row


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scenario_edit(request: HttpRequest, kode: str, scenario: str) -> HttpResponse:
    """GET: the page with the scenario's form; POST: save it."""
    row = _row(request, kode, scenario)
    _may_change(request, row)
    if request.method != "POST":
        return _page(request, kode, editing=row)
    return _save(request, kode, row)


@login_required
@require_POST
def scenario_delete(request: HttpRequest, kode: str, scenario: str) -> HttpResponse:
    row = _row(request, kode, scenario)
    _may_change(request, row)
    row.delete()
    return redirect("scenario-list", kode=kode)
