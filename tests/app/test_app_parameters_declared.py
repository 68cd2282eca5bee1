"""Parameters are declared inputs (docs/METHOD.md §16), checked both ways.

(a) Every parameter a run reads is declared, in the ``read_by`` column of
    ``reference/parameters.csv`` or ``reference/ghg_parameters.csv``, by the computation that
    read it: the demo's full plan report (programme, Bab II instruments, GHG chapter) and a
    synthetic kabupaten (every leaf in a SPALD-T zone, modular plants, trend BAU).
(b) Every declared (parameter, computation) pair is read by that computation in some run:
    the two plans, the SSK document, the monitoring report, the survey rules and the
    ``sanitasi ghg fod`` command; a parameter no computation reads is ``reference_only``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sanitasi.app import FolderSource, PlanRequest, agency_brief, monitoring_report, plan_report
from sanitasi.app.document import document_report
from sanitasi.app.optimise import optimise_report
from sanitasi.cli import main
from sanitasi.core.model import Parameter, PlanResult
from sanitasi.core.reads import COMPUTATIONS, REFERENCE_ONLY, UNDECLARED, merge, tracking
from sanitasi.core.results import run_plan
from sanitasi.core.survey import SurveyRules
from sanitasi.io.ghg import load_ghg_parameters
from sanitasi.io.reference import demo_city_dir, load_parameters, parameter_table

Reads = Mapping[str, frozenset[str]]

#: Kota Solok's code and the kabupaten its copy becomes (13.01: a kabupaten code, so the
#: kabupaten generation rate applies; the data stay Kota Solok's).
SOLOK, KAB = "13.72", "13.01"


@cache
def declared() -> dict[str, Parameter]:
    return {**load_parameters().params, **load_ghg_parameters().params}


@cache
def demo_report() -> PlanResult:
    return plan_report(FolderSource(None))


def _rekey(s: pd.Series) -> pd.Series:
    return s.astype(str).str.replace(r"^13\.72", KAB, regex=True)


@cache
def synthetic_kabupaten() -> PlanResult:
    """The demo re-keyed as a kabupaten, every leaf in one SPALD-T zone, modular SPALD-T
    plants and the trend BAU: the computations the demo leaves out (modular sizing) run."""
    inputs, options = FolderSource(None).plan_inputs(PlanRequest())
    regions = inputs.regions.assign(kode=_rekey(inputs.regions["kode"]))
    regions["parent_kode"] = _rekey(regions["parent_kode"])
    leaves = regions["tingkat"].isin(["kelurahan", "desa"])
    regions.loc[leaves, "spald_t_zone"] = "Z1"
    targets = inputs.targets.assign(scope_kode=_rekey(inputs.targets["scope_kode"]))
    syn = replace(
        inputs,
        regions=regions,
        observations=inputs.observations.assign(kode=_rekey(inputs.observations["kode"])),
        facilities=inputs.facilities.assign(kode=_rekey(inputs.facilities["kode"])),
        targets=targets,
        parameters=inputs.parameters.with_overrides({"spald_t_plant_sizing": "modular"}),
    )
    result = run_plan(syn, replace(options, bau_mode="trend"))
    assert result.city_kodes == (KAB,)
    return result


def undeclared(reads: Reads) -> list[str]:
    """``computation: name`` of every read not declared by its computation."""
    params = declared()
    out = []
    for comp, names in reads.items():
        for n in sorted(names):
            if comp == UNDECLARED or n not in params or comp not in params[n].read_by:
                out.append(f"{comp or '(no computation)'}: {n}")
    return out


@pytest.mark.parametrize("run", [demo_report, synthetic_kabupaten], ids=["demo", "kabupaten"])
def test_every_parameter_read_is_declared_by_its_reader(run: object) -> None:
    result = run()  # type: ignore[operator]
    assert result.parameters_read, "the run recorded no read"
    assert undeclared(result.parameters_read) == []


def test_the_demo_report_records_each_chapter() -> None:
    reads = demo_report().parameters_read
    # the plan's stages, the programme chapters and the GHG chapter all recorded their reads
    assert reads["wastewater.desludging"] >= {"desludging_interval_years", "truck_availability"}
    assert reads["programme.coverage"] == {
        "landfill_compacted_density_kg_per_m3",
        "landfill_cover_soil_fraction",
    }
    assert "ghg_gwp_assessment" in reads["ghg.gwp"]
    # the demo's SPALD-T zones are sized by zone: the module size is read, the sizing rule too
    assert reads["wastewater.spald_t"] == {"spald_t_plant_sizing", "spald_t_connections_per_plant"}
    # nothing reads a reference-only value
    assert not {n for names in reads.values() for n in names} & {
        n for n, p in declared().items() if p.reference_only
    }


@pytest.fixture(scope="module")
def every_run(tmp_path_factory: pytest.TempPathFactory) -> Reads:
    """The union of the reads of every run that reads parameters."""
    source = FolderSource(None)
    demo = demo_report()
    with tracking() as extra:
        document_report(source)
        assert monitoring_report(source, 2025, 3, plan=demo) is not None
        SurveyRules.from_params(load_parameters())
        tmp = tmp_path_factory.mktemp("fod")
        d = tmp / "D.csv"
        d.write_text("year,stream,tonnes,mcf\n2020,food,100,0.8\n2021,food,100,0.8\n")
        s = tmp / "S.csv"
        s.write_text("stream,doc,docf,k\nfood,0.15,0.7,0.185\n")
        args = ["ghg", "fod", "--deposits", str(d), "--streams", str(s), "--out"]
        res = CliRunner().invoke(main, [*args, str(tmp / "out.csv")], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        # the optimiser with the default budget projected from fiscal_history.csv
        city = tmp_path_factory.mktemp("city") / "city"
        shutil.copytree(Path(str(demo_city_dir())), city)
        (city / "budget.csv").unlink()
        optimise_report(FolderSource(city))
        agency_brief(source, "DLH", 2026, dt.date(2026, 12, 1))
    assert undeclared(extra.frozen()) == []
    return merge(demo.parameters_read, synthetic_kabupaten().parameters_read, extra.frozen())


def _pairs() -> Iterator[tuple[str, str]]:
    for name, p in sorted(declared().items()):
        for comp in p.read_by:
            if comp != REFERENCE_ONLY:
                yield name, comp


def test_every_declared_pair_is_read_by_its_computation(every_run: Reads) -> None:
    missing = [f"{c}: {n}" for n, c in _pairs() if n not in every_run.get(c, frozenset())]
    assert missing == []


def test_every_computation_is_declared_and_reads_something(every_run: Reads) -> None:
    assert set(every_run) == set(COMPUTATIONS)
    used = {c for _, c in _pairs()}
    assert used == set(COMPUTATIONS)


def test_every_parameter_declares_something() -> None:
    for name, p in declared().items():
        assert p.read_by, name
        assert p.reference_only == (p.read_by == (REFERENCE_ONLY,)), name
    table = parameter_table()
    assert "read_by" in table.columns
    # 39 of the 114 rows of parameters.csv are kept for the record only (SNI tank volumes,
    # IPCC defaults the GHG chapter takes from ghg_*.csv, composition, SPALD thresholds...)
    assert int(table["read_by"].eq(REFERENCE_ONLY).sum()) == 39
    assert len(table) == 114  # + budgets, priorities and the optimiser (§18), report_due_days


def test_read_by_column_follows_applies_to() -> None:
    # the reference files are UTF-8 CSV with the read_by column after applies_to / ipcc_ref
    root = Path(__file__).resolve().parents[2] / "src" / "sanitasi" / "data" / "reference"
    head = (root / "parameters.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert head[head.index("applies_to") + 1] == "read_by"
    ghg = (root / "ghg_parameters.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert ghg[ghg.index("ipcc_ref") + 1] == "read_by"
