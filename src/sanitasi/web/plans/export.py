"""The whole city as a city folder (ZIP): everything the web holds of a city, in the layout of
``docs/city-data.md``, so that ``sanitasi load --city-dir`` and ``sanitasi plan --city-dir``
read it unchanged (issue 11 item 10; docs/city-data.md §16).

Files, each written from the rows the web computes with (the same frames as
:mod:`sanitasi.web.plans.inputs` and :mod:`sanitasi.web.programme.inputs`):

* ``regions.csv`` (the city and its areas), ``observations.csv`` (the baseline, every row),
  ``targets.csv`` (the city's own sasaran; the national sets come from the package),
  ``facilities.csv`` (with the TPA's ``year_built`` and ``tpa_site_class``),
  ``parameters.csv`` (the plan's overrides only);
* with a programme: ``agencies.csv``, ``programme.csv`` (the *adopted* activities, wide
  planned columns, the document columns), ``realisation.csv`` (every state of the adopted
  activities' rows), ``meetings.csv``, ``action_items.csv``;
* the files stored at load as they were (risk tables, ``sfd.csv``, ``waste_composition.csv``,
  ``swot.csv``, ``pokja.csv``, ``need_agency.csv``, ``budget.csv``, ``fiscal_history.csv``...);
* ``scenarios/<name>.toml``: each stored scenario (:mod:`sanitasi.web.scenarios`), its keys
  as a scenario file holds them (:func:`sanitasi.io.scenarios.scenario_toml`; the comments
  of a loaded file are not kept);
* ``README.md``: what the folder is and the ``sanitasi plan`` options that give the web's
  plan (base year, horizon, target sets, growth method).

Left out, because the folder layout has no place for them: proposals and rejected
activities (``programme.csv`` has no state: a proposal would come back adopted), evidence
attachments, accounts, the audit trail, boundaries (GeoJSON) and the stored plan settings
other than those the README lists.

CSV text is written as stored: a city folder is Sanitasi's data, read back by Sanitasi, and
:mod:`sanitasi.formulas` keeps city-folder CSV text as written (a ``'`` prefix would change
the data at every round trip); the ZIP holds no workbook. Built in memory: the response is
the complete archive or an error, never a partial file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

import pandas as pd

from sanitasi.io import city_tables as ct
from sanitasi.io import programme_tables as pt
from sanitasi.io.scenarios import SCENARIO_DIR, scenario_toml
from sanitasi.web.geography.models import Region
from sanitasi.web.plans.inputs import active_plan, observations_frame, regions_frame
from sanitasi.web.plans.models import CityFile, Facility, Plan, TargetPoint
from sanitasi.web.plans.source import request_from_plan
from sanitasi.web.programme.inputs import programme_inputs_for
from sanitasi.web.scenarios.models import Scenario


def _file_columns(columns: Iterable[str]) -> list[str]:
    """The columns of a programme file as the city folder holds it: the reader's columns
    (``sanitasi.io.programme_tables``) without ``city_kode`` (the folder is one city)."""
    return [c for c in columns if c != "city_kode"]


def _csv(df: pd.DataFrame) -> bytes:
    """A frame as a city file: UTF-8, ``\\n`` lines, floats that read back to the same value,
    blanks for missing values."""
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _date_text(values: pd.Series) -> pd.Series:
    out = pd.to_datetime(values, errors="coerce")
    return out.dt.strftime("%Y-%m-%d").fillna("")


def _joined(values: pd.Series) -> pd.Series:
    return values.map(lambda v: ";".join(str(x) for x in (v or ())))


def _regions(kode: str) -> bytes:
    df = regions_frame(kode)
    own = df["kode"].astype(str)
    df = df[own.eq(kode) | own.str.startswith(kode + ".")].copy()
    df["urban"] = df["urban"].map(lambda b: "" if pd.isna(b) else ("true" if b else "false"))
    return _csv(df)


def _targets(kode: str) -> bytes | None:
    rows = list(
        TargetPoint.objects.filter(city_kode=kode)
        .order_by("id")
        .values_list(
            "target_set__code",
            "indicator",
            "year",
            "kind",
            "value",
            "unit",
            "source",
            "status",
            "note",
        )
    )
    if not rows:
        return None
    cols = ["target_set", "indicator", "year", "kind", "value", "unit", "source", "status", "note"]
    return _csv(pd.DataFrame(rows, columns=cols))


def _facilities(kode: str) -> bytes | None:
    cols = [
        "id",
        "type",
        "name",
        "kode",
        "capacity",
        "capacity_unit",
        "year_built",
        "source",
        "status",
        "owner",
        "tpa_site_class",
    ]
    rows = list(
        Facility.objects.filter(city_kode=kode)
        .order_by("id")
        .values_list(
            "code",
            "type",
            "name",
            "region__kode",
            "capacity",
            "capacity_unit",
            "year_built",
            "source",
            "status",
            "owner",
            "tpa_site_class",
        )
    )
    if not rows:
        return None
    df = pd.DataFrame(rows, columns=cols)
    df["year_built"] = df["year_built"].astype("Int64")
    return _csv(df)


def _parameters(plan: Plan) -> bytes | None:
    rows = [
        (o.name, "" if o.value is None else str(o.value), o.source, o.status)
        for o in plan.overrides.order_by("id")
    ]
    if not rows:
        return None
    return _csv(pd.DataFrame(rows, columns=["name", "value", "source", "status"]))


def _programme_files(kode: str) -> dict[str, bytes]:
    prog = programme_inputs_for(kode)
    if prog is None:
        return {}
    out: dict[str, bytes] = {}
    ag = prog.agencies
    out["agencies.csv"] = _csv(
        ag[["code", "name_id", "name_en", "kind", "role_summary", "status", "kode"]]
    )
    acts = prog.activities.copy()
    acts["support_agencies"] = _joined(acts["support_agencies"])
    acts["adopted_on"] = _date_text(acts["adopted_on"])
    columns = [c for c in (*pt.ACTIVITY_COLUMNS, *pt.DOCUMENT_COLUMNS) if c != "city_kode"]
    wide = acts[columns].reset_index(drop=True)
    planned = prog.planned
    years = sorted(int(y) for y in planned["year"].unique())
    for kind, column in (("output", "planned_output"), ("cost", "planned_cost_idr")):
        table = planned.pivot_table(
            index="code", columns="year", values=column, aggfunc="sum", sort=False
        )
        for y in years:
            values = wide["code"].map(table[y]) if y in table.columns else None
            wide[f"planned_{kind}_{y}"] = values
    out[pt.PROGRAMME] = _csv(wide)
    real = prog.realisation
    out[pt.REALISATION] = _csv(real[_file_columns(pt.REALISATION_COLUMNS)])
    meetings = prog.meetings.copy()
    if len(meetings):
        meetings["date"] = _date_text(meetings["date"])
        meetings["participants"] = _joined(meetings["participants"])
        out[pt.MEETINGS] = _csv(meetings[_file_columns(pt.MEETING_COLUMNS)])
    actions = prog.action_items.copy()
    if len(actions):
        actions["due_date"] = _date_text(actions["due_date"])
        out[pt.ACTION_ITEMS] = _csv(actions[_file_columns(pt.ACTION_COLUMNS)])
    return out


def _scenario_files(kode: str) -> dict[str, bytes]:
    """``scenarios/<name>.toml`` of each stored scenario of the city, by name."""
    return {
        f"{SCENARIO_DIR}/{row.name}.toml": scenario_toml(row.data()).encode("utf-8")
        for row in Scenario.objects.filter(city_kode=kode).order_by("name")
    }


def _readme(kode: str, plan: Plan, names: Iterable[str]) -> bytes:
    """What the folder is and the ``sanitasi plan`` options of the web's plan."""
    city = Region.objects.filter(city_kode=kode, kode=kode).values_list("nama", flat=True).first()
    request = request_from_plan(plan)
    options = [f"--base-year {request.base_year}", f"--horizon {request.horizon}"]
    options += [f"--target-set {s}" for s in request.target_sets or ()]
    if request.growth_method:
        options.append(f"--growth-method {request.growth_method}")
    lines = [
        f"# {city or kode} ({kode})",
        "",
        "City folder exported by Sanitasi (docs/city-data.md). Folder kota yang diekspor dari",
        "aplikasi web Sanitasi.",
        "",
        "The web's plan / rencana di web:",
        "",
        "```",
        "sanitasi plan --city-dir . " + " ".join(options),
        "sanitasi load --city-dir .",
        "```",
        "",
        "Files / berkas: " + ", ".join(names),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def city_folder_files(kode: str) -> dict[str, bytes]:
    """Every file of the city's folder (name -> bytes), the files written from the database in
    the layout's order, then the files stored at load, the scenario files
    (``scenarios/<name>.toml``), then ``README.md``."""
    plan = active_plan(kode)
    files: dict[str, bytes | None] = {
        ct.REGIONS: _regions(kode),
        ct.OBSERVATIONS: _csv(observations_frame(kode)),
        "targets.csv": _targets(kode),
        "facilities.csv": _facilities(kode),
        "parameters.csv": _parameters(plan),
    }
    out = {k: v for k, v in files.items() if v is not None}
    out.update(_programme_files(kode))
    for name, content in (
        CityFile.objects.filter(city_kode=kode).order_by("name").values_list("name", "content")
    ):
        out.setdefault(str(name), str(content).encode("utf-8"))
    out.update(_scenario_files(kode))
    out["README.md"] = _readme(kode, plan, list(out))
    return out


def folder_name(kode: str) -> str:
    """The folder inside the ZIP (and the ZIP's name without ``.zip``)."""
    return f"sanitasi-{kode}"


def city_zip(kode: str) -> bytes:
    """The city folder as a ZIP (one folder :func:`folder_name` with every file), built in
    memory."""
    files = city_folder_files(kode)
    buffer = io.BytesIO()
    root = folder_name(kode)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, content)
    return buffer.getvalue()


__all__ = ["city_folder_files", "city_zip", "folder_name"]
