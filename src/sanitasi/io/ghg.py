"""Greenhouse-gas inputs: the CSV files of ``sanitasi ghg fod``, the GHG reference tables
(``reference/ghg_*.csv``) and the TPA site class of ``facilities.csv``.

**FOD files** (docs/METHOD.md §12.1; README "Greenhouse gases"):

* deposits ``D.csv``: ``year, stream, tonnes, mcf`` -- wet tonnes deposited in that year and
  the site's methane correction factor for that row (0-1; a weighted mix of sites allowed).
  Rows in increasing year order; a year x stream at most once; a stream missing in a year
  deposited nothing.
* streams ``S.csv``: ``stream, doc, docf, k`` -- DOC and DOCf as fractions (0-1), k >= 0 in
  1/year. Any stream names except ``total``.
* recovery ``R.csv`` (optional): ``year, tonnes_ch4`` recovered, in increasing year order,
  within the deposits' years.

Every problem of every file is collected (file, line, column, value, rule) and raised as one
:class:`~sanitasi.io.errors.InputErrors`; the output is written with
:func:`~sanitasi.io.csvfiles.write_atomically`, so nothing is written after an error.

**Reference tables** (all with ``source`` and ``status``): ``ghg_parameters.csv`` (scalars
and choices), ``ghg_waste_streams.csv`` (DOC, DOCf 2019, k by climate), ``ghg_composition.csv``
(IPCC 2006 Table 2.3, South-Eastern Asia), ``ghg_swds.csv`` (TPA site classes: MCF, OX),
``ghg_gwp.csv`` (AR4/AR5/AR6 GWP100) and ``ghg_ww_pathways.csv`` (wastewater pathways).

**City files of the plan's GHG chapter** (:func:`read_ghg_inputs`, docs/METHOD.md §12.6): the
TPA rows of ``facilities.csv`` (``year_built`` = opening year, ``tpa_site_class``) and the
optional ``waste_composition.csv`` (``stream, share_pct, source, status``: the city's own
composition of landfilled waste by stream, percent of wet weight, summing to 100 +- 1; without
it the IPCC 2006 default for South-Eastern Asia is used).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import pandas as pd

from sanitasi.core.ghg import FOD_COLUMNS, TOTAL
from sanitasi.core.ghg_wastewater import Pathway, WastewaterFactors
from sanitasi.core.model import STATUSES, Parameter, ParameterSet
from sanitasi.core.reads import computation, parse_read_by
from sanitasi.formulas import csv_cell
from sanitasi.io.csvfiles import write_atomically
from sanitasi.io.errors import InputErrors, Problem, errors_of, problem
from sanitasi.io.refcache import reference_cached
from sanitasi.io.reference import (
    ParametersModel,
    _convert_parameters,
    _load,
    data_root,
    demo_city_dir,
    load_parameters,
)
from sanitasi.io.tables import (
    LINE,
    Checker,
    duplicate_problems,
    is_absent,
    read_table,
    rows_problems,
)

DEPOSITS_COLUMNS: tuple[str, ...] = ("year", "stream", "tonnes", "mcf")
STREAMS_COLUMNS: tuple[str, ...] = ("stream", "doc", "docf", "k")
RECOVERY_COLUMNS: tuple[str, ...] = ("year", "tonnes_ch4")
FACILITIES = "facilities.csv"
#: Column of ``facilities.csv`` holding a TPA's site class (docs/city-data.md §3.4).
SITE_CLASS_COLUMN = "tpa_site_class"
DEFAULT_SITE_CLASS = "uncategorised"
#: The city's optional composition of landfilled waste (docs/city-data.md §3.9).
COMPOSITION = "waste_composition.csv"
COMPOSITION_COLUMNS: tuple[str, ...] = ("stream", "share_pct", "source", "status")
#: A composition must sum to 100 % within this many points (rounding of a study's table).
COMPOSITION_TOLERANCE_PCT = 1.0
#: Region of the IPCC 2006 Table 2.3 default composition (``ghg_composition.csv``).
DEFAULT_COMPOSITION_REGION = "south_eastern_asia"


# --------------------------------------------------------------------------- FOD inputs


@dataclass(frozen=True)
class FodInputs:
    """Validated FOD inputs on consecutive ``years`` (first to last deposit year):
    ``tonnes`` and ``mcf`` ``(S, Y)`` (0 where a stream deposited nothing), ``doc``, ``docf``,
    ``k`` ``(S,)`` in the order of the streams file, ``recovered`` ``(Y,)`` t CH4 and the line
    of each recovery year (for problems found after the computation)."""

    years: list[int]
    streams: list[str]
    tonnes: np.ndarray
    mcf: np.ndarray
    doc: np.ndarray
    docf: np.ndarray
    k: np.ndarray
    recovered: np.ndarray
    recovery_file: str | None = None
    recovery_lines: Mapping[int, int] | None = None


def _read(path: Path, required: Sequence[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    name = path.name
    return read_table(path, name, required, folder=str(path.parent))


def _order_problems(df: pd.DataFrame, years: pd.Series, file: str) -> list[Problem]:
    """``SAN-E141`` on every row whose year is smaller than a year on a line above it (the
    message names the largest earlier year and its line)."""
    valid = years.notna()
    if not valid.any():
        return []
    arr = years[valid].astype(int).to_numpy()
    lines = df.loc[valid, LINE].astype(int).to_numpy()
    running = np.maximum.accumulate(arr)
    at_max = np.maximum.accumulate(np.where(arr == running, np.arange(arr.size), 0))
    back = np.zeros(arr.size, dtype=bool)
    back[1:] = arr[1:] < running[:-1]
    if not back.any():
        return []
    prev_pos = np.concatenate([[0], at_max[:-1]])
    sub = df.loc[valid]
    return rows_problems(
        sub,
        pd.Series(back, index=sub.index),
        "SAN-E141",
        file,
        "year",
        previous=pd.Series(np.concatenate([[0], running[:-1]]), index=sub.index).astype(str),
        previous_line=pd.Series(lines[prev_pos], index=sub.index).astype(str),
    )


def _streams(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    df, problems = _read(path, STREAMS_COLUMNS)
    if df is None:
        return None, problems
    file = path.name
    chk = Checker(df, file)
    name = chk.text("stream")
    chk.flag(name.str.lower().eq(TOTAL), "SAN-E142", "stream")
    out = pd.DataFrame(
        {
            "stream": name,
            "doc": _fraction(chk, "doc"),
            "docf": _fraction(chk, "docf"),
            "k": chk.number("k"),
            LINE: df[LINE],
        }
    )
    problems += chk.problems
    problems += duplicate_problems(df.assign(stream=name), ["stream"], "stream", file)
    return out, problems


def _fraction(chk: Checker, column: str) -> pd.Series:
    num = chk.number(column)
    chk.flag(
        num > 1,
        "SAN-E011",
        column,
        name=column,
        kind="a fraction",
        kind_id="proporsi",
        low=0,
        high=1,
    )
    return num


def read_fod_inputs(
    deposits: Path | str, streams: Path | str, recovery: Path | str | None = None
) -> FodInputs:
    """Read and validate the FOD files (module docstring); raise
    :class:`~sanitasi.io.errors.InputErrors` with every problem of every file."""
    d_path, s_path = Path(deposits), Path(streams)
    r_path = None if recovery is None else Path(recovery)
    problems: list[Problem] = []
    s_df, found = _streams(s_path)
    problems += found
    d_df, found = _read(d_path, DEPOSITS_COLUMNS)
    problems += found
    dep = None
    if d_df is not None:
        chk = Checker(d_df, d_path.name)
        dep = pd.DataFrame(
            {
                "year": chk.year("year"),
                "stream": chk.text("stream"),
                "tonnes": chk.number("tonnes"),
                "mcf": _fraction(chk, "mcf"),
            }
        )
        problems += chk.problems
        if s_df is not None:
            known = list(s_df["stream"])
            unknown = dep["stream"].ne("") & ~dep["stream"].isin(known)
            problems += rows_problems(
                d_df,
                unknown,
                "SAN-E140",
                d_path.name,
                "stream",
                streams_file=s_path.name,
                choices=", ".join(known),
            )
        problems += _order_problems(d_df, dep["year"], d_path.name)
        problems += duplicate_problems(
            d_df.assign(year=dep["year"].astype(str), stream=dep["stream"]),
            ["year", "stream"],
            "stream",
            d_path.name,
        )
        if dep["year"].notna().sum() == 0 and not errors_of(problems):
            problems.append(problem("SAN-E010", d_path.name, None, "year", None))
    rec = None
    if r_path is not None:
        r_df, found = _read(r_path, RECOVERY_COLUMNS)
        problems += found
        if r_df is not None:
            chk = Checker(r_df, r_path.name)
            rec = pd.DataFrame(
                {
                    "year": chk.year("year"),
                    "tonnes_ch4": chk.number("tonnes_ch4"),
                    LINE: r_df[LINE],
                }
            )
            problems += chk.problems
            problems += _order_problems(r_df, rec["year"], r_path.name)
            problems += duplicate_problems(
                r_df.assign(year=rec["year"].astype(str)), ["year"], "year", r_path.name
            )
            if dep is not None and dep["year"].notna().any():
                first, last = int(dep["year"].min()), int(dep["year"].max())
                outside = rec["year"].notna() & ((rec["year"] < first) | (rec["year"] > last))
                problems += rows_problems(
                    r_df, outside, "SAN-E143", r_path.name, "year", first=first, last=last
                )
    if errors_of(problems) or dep is None or s_df is None:
        raise InputErrors(problems)
    return _fod_arrays(dep, s_df, rec, None if r_path is None else r_path.name)


def _fod_arrays(
    dep: pd.DataFrame, streams: pd.DataFrame, rec: pd.DataFrame | None, rec_file: str | None
) -> FodInputs:
    first, last = int(dep["year"].min()), int(dep["year"].max())
    years = list(range(first, last + 1))
    names = [str(s) for s in streams["stream"]]
    row = dep["stream"].map({n: i for i, n in enumerate(names)}).to_numpy(dtype=int)
    col = (dep["year"].astype(int) - first).to_numpy()
    tonnes = np.zeros((len(names), len(years)))
    mcf = np.zeros_like(tonnes)
    tonnes[row, col] = dep["tonnes"].to_numpy(dtype=float)
    mcf[row, col] = dep["mcf"].to_numpy(dtype=float)
    recovered = np.zeros(len(years))
    lines: dict[int, int] = {}
    if rec is not None and len(rec):
        ry = rec["year"].astype(int).to_numpy()
        recovered[ry - first] = rec["tonnes_ch4"].to_numpy(dtype=float)
        lines = {int(y): int(ln) for y, ln in zip(ry, rec[LINE], strict=True)}
    return FodInputs(
        years=years,
        streams=names,
        tonnes=tonnes,
        mcf=mcf,
        doc=streams["doc"].to_numpy(dtype=float),
        docf=streams["docf"].to_numpy(dtype=float),
        k=streams["k"].to_numpy(dtype=float),
        recovered=recovered,
        recovery_file=rec_file,
        recovery_lines=lines,
    )


def recovery_problems(inputs: FodInputs, generated_total: np.ndarray) -> list[Problem]:
    """``SAN-E144`` for every year whose recovered CH4 exceeds the CH4 generated by all
    streams (found only after the FOD is computed; nothing has been written yet)."""
    over = inputs.recovered > np.asarray(generated_total) + 1e-9
    out = []
    for i in np.flatnonzero(over):  # the years in breach, usually none
        year = inputs.years[int(i)]
        out.append(
            problem(
                "SAN-E144",
                inputs.recovery_file or "recovery",
                (inputs.recovery_lines or {}).get(year),
                "tonnes_ch4",
                f"{inputs.recovered[i]:g}",
                year=year,
                generated=f"{float(generated_total[i]):.4f}",
            )
        )
    return out


def fod_csv_bytes(table: pd.DataFrame) -> bytes:
    """The FOD table as UTF-8 CSV: columns :data:`~sanitasi.core.ghg.FOD_COLUMNS`, ``.`` as
    decimal separator, six decimals, an empty cell where there is no value (stream rows'
    recovery). Formula-like text (a stream named ``=...``) gets a leading ``'``
    (:func:`~sanitasi.formulas.csv_cell`)."""
    buf = io.StringIO(newline="")
    out = table[list(FOD_COLUMNS)].copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(csv_cell)
    out.to_csv(
        buf, index=False, float_format="%.6f", lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )
    return buf.getvalue().encode("utf-8")


def write_fod_table(table: pd.DataFrame, out: Path | str) -> Path:
    """Write the FOD table to ``out`` atomically (temporary file, then rename); the folder is
    created if needed. Returns the path written."""
    path = Path(out).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically({path: fod_csv_bytes(table)})
    return path


# --------------------------------------------------------------------------- reference tables


def _convert_long(chk: Checker, key: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            key: chk.text(key),
            "parameter": chk.text("parameter"),
            "value": chk.number("value"),
            "unit": chk.text("unit", required=False),
            "ipcc_ref": chk.text("ipcc_ref", required=False),
            "source": chk.text("source"),
            "status": chk.choice("status", STATUSES),
            "note": chk.text("note", required=False),
        }
    )


def _ref(
    name: str,
    required: Sequence[str],
    convert: object,
    key: Sequence[str],
) -> pd.DataFrame:
    file = f"reference/{name}"
    df, problems = read_table(data_root() / "reference" / name, file, required, folder="reference")
    if df is None:
        raise InputErrors(problems)
    chk = Checker(df, file)
    out = convert(chk)  # type: ignore[operator]
    out[LINE] = df[LINE]
    problems = [*chk.problems, *duplicate_problems(out, list(key), key[-1], file)]
    if errors_of(problems):
        raise InputErrors(problems)
    return out.drop(columns=[LINE]).reset_index(drop=True)


@reference_cached("ghg.streams_ref", pd.DataFrame)
def _streams_ref() -> pd.DataFrame:
    return _ref(
        "ghg_waste_streams.csv",
        ("stream", "parameter", "value", "source", "status"),
        lambda chk: _convert_long(chk, "stream"),
        ("stream", "parameter"),
    )


@reference_cached("ghg.pathways_ref", pd.DataFrame)
def _pathways_ref() -> pd.DataFrame:
    return _ref(
        "ghg_ww_pathways.csv",
        ("pathway", "parameter", "value", "source", "status"),
        lambda chk: _convert_long(chk, "pathway"),
        ("pathway", "parameter"),
    )


def _convert_composition(chk: Checker) -> pd.DataFrame:
    pct = chk.number("share_pct")
    chk.flag(
        pct > 100,
        "SAN-E011",
        "share_pct",
        name="share_pct",
        kind="a percentage",
        kind_id="persentase",
        low=0,
        high=100,
    )
    return pd.DataFrame(
        {
            "region": chk.text("region"),
            "category": chk.text("category"),
            "stream": chk.text("stream"),
            "share_pct": pct,
            "source": chk.text("source"),
            "status": chk.choice("status", STATUSES),
        }
    )


@reference_cached("ghg.composition_ref", pd.DataFrame)
def _composition_ref() -> pd.DataFrame:
    return _ref(
        "ghg_composition.csv",
        ("region", "category", "stream", "share_pct", "source", "status"),
        _convert_composition,
        ("region", "category"),
    )


def _convert_swds(chk: Checker) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "site_class": chk.text("site_class"),
            "ipcc_category": chk.text("ipcc_category", required=False),
            "mcf": _fraction(chk, "mcf"),
            "ox": _fraction(chk, "ox"),
            "name_id": chk.text("name_id", required=False),
            "name_en": chk.text("name_en", required=False),
            "ipcc_ref": chk.text("ipcc_ref", required=False),
            "source": chk.text("source"),
            "status": chk.choice("status", STATUSES),
        }
    )


@reference_cached("ghg.swds_ref", pd.DataFrame)
def _swds_ref() -> pd.DataFrame:
    return _ref(
        "ghg_swds.csv",
        ("site_class", "mcf", "ox", "source", "status"),
        _convert_swds,
        ("site_class",),
    )


def _convert_gwp(chk: Checker) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "assessment": chk.text("assessment"),
            "gas": chk.text("gas"),
            "gwp100": chk.number("gwp100"),
            "ipcc_ref": chk.text("ipcc_ref", required=False),
            "source": chk.text("source"),
            "status": chk.choice("status", STATUSES),
        }
    )


@reference_cached("ghg.gwp_ref", pd.DataFrame)
def _gwp_ref() -> pd.DataFrame:
    return _ref(
        "ghg_gwp.csv",
        ("assessment", "gas", "gwp100", "source", "status"),
        _convert_gwp,
        ("assessment", "gas"),
    )


@reference_cached("ghg.ghg_parameters", pd.DataFrame)
def _ghg_parameters() -> pd.DataFrame:
    return _load(
        "ghg_parameters.csv",
        ("name", "value", "unit", "status", "read_by"),
        _convert_parameters,
        ParametersModel,
    )


def load_ghg_parameters() -> ParameterSet:
    """``reference/ghg_parameters.csv`` as a :class:`~sanitasi.core.model.ParameterSet`."""
    df = _ghg_parameters()
    return ParameterSet(
        {
            rec["name"]: Parameter(
                name=rec["name"],
                value=rec["value"],
                unit=rec["unit"],
                source=rec["source"],
                status=rec["status"],
                low=None if pd.isna(rec["low"]) else float(rec["low"]),
                high=None if pd.isna(rec["high"]) else float(rec["high"]),
                note=rec["note"],
                read_by=parse_read_by(rec["read_by"]),
            )
            for rec in df.to_dict("records")
        }
    )


@dataclass(frozen=True)
class GhgReference:
    """The GHG reference tables (copies; see the module docstring)."""

    parameters: ParameterSet
    streams: pd.DataFrame
    composition: pd.DataFrame
    swds: pd.DataFrame
    gwp_table: pd.DataFrame
    pathways: pd.DataFrame

    @computation("ghg.landfill")
    def stream_factors(
        self, docf_basis: str | None = None, climate_zone: str | None = None
    ) -> pd.DataFrame:
        """One row per stream: ``stream, doc, docf, k`` for the DOCf basis (``2006``: one
        ``ghg_docf_default`` for every stream with DOC; ``2019``: by waste type) and climate
        zone (default: the ``ghg_docf_basis`` and ``ghg_climate_zone`` parameters); the
        ``sanitasi ghg fod`` streams file for these defaults."""
        basis = docf_basis or self.parameters.choice("ghg_docf_basis")
        zone = climate_zone or self.parameters.choice("ghg_climate_zone")
        if basis not in ("2006", "2019"):
            raise ValueError(f"unknown DOCf basis {basis!r}; choose 2006 or 2019")
        wide = self.streams.pivot(index="stream", columns="parameter", values="value")
        if f"k_{zone}" not in wide.columns:
            raise ValueError(f"unknown climate zone {zone!r}")
        order = list(dict.fromkeys(self.streams["stream"]))
        wide = wide.reindex(order)
        docf = (
            wide["docf_2019"]
            if basis == "2019"
            else pd.Series(
                np.where(wide["doc"] > 0, self.parameters.num("ghg_docf_default"), 0.0),
                index=wide.index,
            )
        )
        return pd.DataFrame(
            {
                "stream": order,
                "doc": wide["doc"].to_numpy(),
                "docf": docf.to_numpy(),
                "k": wide[f"k_{zone}"].to_numpy(),
            }
        )

    def default_shares(self, region: str = "south_eastern_asia") -> pd.Series:
        """Wet-weight fraction of landfilled waste per stream (Table 2.3 row of ``region``
        summed by stream, / 100), indexed by every stream of ``ghg_waste_streams.csv``."""
        rows = self.composition[self.composition["region"] == region]
        if rows.empty:
            raise ValueError(f"no composition for region {region!r}")
        order = list(dict.fromkeys(self.streams["stream"]))
        return (rows.groupby("stream")["share_pct"].sum() / 100.0).reindex(order, fill_value=0.0)

    def site_classes(self) -> dict[str, tuple[float, float]]:
        """``site_class -> (MCF, OX)`` (IPCC 2006 Vol. 5 Ch. 3 Tables 3.1, 3.2)."""
        return {
            str(c): (float(m), float(o))
            for c, m, o in zip(
                self.swds["site_class"], self.swds["mcf"], self.swds["ox"], strict=True
            )
        }

    @computation("ghg.gwp")
    def gwp(self, assessment: str | None = None) -> dict[str, float]:
        """GWP100 by gas of ``assessment`` (default the ``ghg_gwp_assessment`` parameter)."""
        from sanitasi.core.ghg import gwp_of

        return gwp_of(self.gwp_table, assessment or self.parameters.choice("ghg_gwp_assessment"))

    def pathway(self, key: str) -> Pathway:
        """One wastewater pathway of ``ghg_ww_pathways.csv`` (missing parameters default to
        0, ``i_factor``/``f_ind_com`` to 1)."""
        rows = self.pathways[self.pathways["pathway"] == key]
        if rows.empty:
            raise ValueError(f"unknown wastewater pathway {key!r}")
        v = dict(zip(rows["parameter"], rows["value"], strict=True))
        return Pathway(
            mcf=float(v.get("mcf", 0.0)),
            tow_rem=float(v.get("tow_rem", 0.0)),
            n_rem=float(v.get("n_rem", 0.0)),
            ef_n2o=float(v.get("ef_n2o", 0.0)),
            effluent_to_water=bool(v.get("effluent_to_water", 0.0)),
            i_factor=float(v.get("i_factor", 1.0)),
            f_ind_com=float(v.get("f_ind_com", 1.0)),
        )

    @computation("ghg.wastewater")
    def wastewater_factors(
        self,
        plan_parameters: ParameterSet | None = None,
        spald_t_treatment: str | None = None,
        iplt_treatment: str | None = None,
    ) -> WastewaterFactors:
        """:class:`~sanitasi.core.ghg_wastewater.WastewaterFactors` from the GHG parameters,
        the pathways and (for BOD and Bo) the plan's ``parameters.csv`` set (default: the
        reference set)."""
        plan = plan_parameters or load_parameters()
        p = self.parameters
        spald = spald_t_treatment or p.choice("ghg_ww_spald_t_treatment")
        iplt = iplt_treatment or p.choice("ghg_ww_iplt_treatment")
        return WastewaterFactors(
            bod_g_per_person_day=plan.num("ipcc_bod_g_per_person_day_indonesia"),
            bo_kg_ch4_per_kg_bod=plan.num("ipcc_bo_kg_ch4_per_kg_bod"),
            septic_sludge_bod_share=p.num("ghg_ww_septic_sludge_bod_share"),
            protein_g_per_person_day=p.num("ghg_ww_protein_g_per_person_day"),
            f_npr=p.num("ghg_ww_f_npr"),
            n_hh=p.num("ghg_ww_n_hh"),
            f_non_con=p.num("ghg_ww_f_non_con"),
            discharge_mcf=p.num("ghg_ww_discharge_mcf"),
            discharge_ef_n2o=p.num("ghg_ww_discharge_ef_n2o"),
            pathways={
                "septic": self.pathway("septic"),
                "latrine": self.pathway("latrine"),
                "direct_discharge": self.pathway("direct_discharge"),
                "open_defecation": self.pathway("open_defecation"),
                "spald_t": self.pathway(f"spald_t_{spald}"),
                "iplt": self.pathway(f"iplt_{iplt}"),
            },
        )


def load_ghg_reference() -> GhgReference:
    """Every GHG reference table, validated (``InputErrors`` naming ``reference/<file>``,
    line and column on any problem); cached, returned as copies."""
    return GhgReference(
        parameters=load_ghg_parameters(),
        streams=_streams_ref().copy(),
        composition=_composition_ref().copy(),
        swds=_swds_ref().copy(),
        gwp_table=_gwp_ref().copy(),
        pathways=_pathways_ref().copy(),
    )


# --------------------------------------------------------------------------- TPA site class


TPA_COLUMNS: tuple[str, ...] = (
    "id",
    "kode",
    "opening_year",
    "site_class",
    "class_given",
    "mcf",
    "ox",
    "status",
)


def _folder(city_dir: Traversable | Path | str | None) -> Traversable:
    if city_dir is None:
        return demo_city_dir()
    if isinstance(city_dir, str | Path):
        return Path(city_dir)
    return city_dir


def read_tpa_sites(city_dir: Traversable | Path | str | None = None) -> pd.DataFrame:
    """The TPA rows of the city's ``facilities.csv``: ``id, kode, opening_year`` (from
    ``year_built``; NA when blank), ``site_class`` (column ``tpa_site_class``; blank =
    ``uncategorised``), ``class_given`` (the column had a value), ``mcf`` and ``ox`` of the
    class and the row's ``status``. An unknown class is ``SAN-E024``, a bad year
    ``SAN-E014``/``SAN-E016``; a folder without ``facilities.csv`` gives an empty table.
    ``city_dir``: a path, any folder the io readers read (e.g. a
    :class:`~sanitasi.io.folders.MemoryFolder`) or ``None`` (the demo)."""
    folder = _folder(city_dir)
    empty = pd.DataFrame(columns=list(TPA_COLUMNS))
    if is_absent(folder / FACILITIES):
        return empty
    df, problems = read_table(folder / FACILITIES, FACILITIES, ("id", "type"), folder=str(folder))
    if df is None:
        raise InputErrors(problems)
    tpa = df[df["type"].str.upper().eq("TPA")]
    if tpa.empty:
        return empty
    classes = load_ghg_reference().site_classes()
    chk = Checker(tpa, FACILITIES)
    site = chk.choice(SITE_CLASS_COLUMN, sorted(classes), default=DEFAULT_SITE_CLASS)
    opening = chk.year("year_built", required=False)
    status = chk.choice("status", STATUSES, default="unverified")
    if errors_of(chk.problems):
        raise InputErrors(chk.problems)
    return pd.DataFrame(
        {
            "id": tpa["id"].to_numpy(),
            "kode": chk.raw("kode").to_numpy(),
            "opening_year": opening.to_numpy(),
            "site_class": site.to_numpy(),
            "class_given": chk.raw(SITE_CLASS_COLUMN).ne("").to_numpy(),
            "mcf": [classes[s][0] for s in site],
            "ox": [classes[s][1] for s in site],
            "status": status.to_numpy(),
        }
    )


# --------------------------------------------------------------------------- composition


def read_composition(
    city_dir: Traversable | Path | str | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The city's ``waste_composition.csv`` (``None`` when the folder has none) and every
    problem found: a stream not in ``reference/ghg_waste_streams.csv`` (``SAN-E140``), a
    share that is not a number in 0-100 (``SAN-E016``, ``SAN-E010``, ``SAN-E009``,
    ``SAN-E011``), a stream listed twice (``SAN-E012``), a status outside the four
    (``SAN-E024``) and shares that do not sum to 100 % within
    :data:`COMPOSITION_TOLERANCE_PCT` points (``SAN-E145``). Streams not listed count 0.
    Returns ``stream, share_pct, source, status`` (rows in file order)."""
    folder = _folder(city_dir)
    if is_absent(folder / COMPOSITION):
        return None, []
    df, problems = read_table(
        folder / COMPOSITION, COMPOSITION, ("stream", "share_pct", "status"), folder=str(folder)
    )
    if df is None:
        return None, problems
    streams = list(dict.fromkeys(_streams_ref()["stream"]))
    chk = Checker(df, COMPOSITION)
    stream = chk.text("stream").str.lower()
    chk.flag(
        stream.ne("") & ~stream.isin(streams),
        "SAN-E140",
        "stream",
        streams_file="reference/ghg_waste_streams.csv",
        choices=", ".join(streams),
    )
    pct = chk.number("share_pct")
    chk.flag(
        pct > 100,
        "SAN-E011",
        "share_pct",
        name="share_pct",
        kind="a percentage",
        kind_id="persentase",
        low=0,
        high=100,
    )
    out = pd.DataFrame(
        {
            "stream": stream,
            "share_pct": pct,
            "source": chk.text("source", required=False),
            "status": chk.choice("status", STATUSES),
            LINE: df[LINE],
        }
    )
    problems += chk.problems
    problems += duplicate_problems(out[out["stream"].ne("")], ["stream"], "stream", COMPOSITION)
    if not errors_of(problems):
        total = float(out["share_pct"].sum())
        if abs(total - 100.0) > COMPOSITION_TOLERANCE_PCT:
            problems.append(
                problem(
                    "SAN-E145",
                    COMPOSITION,
                    None,
                    "share_pct",
                    f"{total:g}",
                    tolerance=f"{COMPOSITION_TOLERANCE_PCT:g}",
                )
            )
    if errors_of(problems):
        return None, problems
    return out.drop(columns=[LINE]).reset_index(drop=True), problems


# --------------------------------------------------------------------------- plan inputs


@dataclass(frozen=True)
class GhgInputs:
    """Everything the plan's GHG chapter reads (docs/METHOD.md §12.6): the reference tables,
    the city's TPA rows (:func:`read_tpa_sites`) and its composition of landfilled waste
    (``None``: the IPCC default of :data:`DEFAULT_COMPOSITION_REGION`)."""

    reference: GhgReference
    tpa: pd.DataFrame
    composition: pd.DataFrame | None = None

    def shares(self) -> pd.Series:
        """Wet-weight fraction of landfilled waste per stream (every stream of
        ``ghg_waste_streams.csv``): the city's composition / 100, else the default."""
        if self.composition is None:
            return self.reference.default_shares(DEFAULT_COMPOSITION_REGION)
        order = list(dict.fromkeys(self.reference.streams["stream"]))
        by_stream = self.composition.groupby("stream")["share_pct"].sum() / 100.0
        return by_stream.reindex(order, fill_value=0.0)

    def composition_rows(self) -> pd.DataFrame:
        """The composition as listed: ``category, stream, share_pct, ipcc_ref, source,
        status`` (the city's rows, or the Table 2.3 row of the default region)."""
        if self.composition is not None:
            c = self.composition
            return pd.DataFrame(
                {
                    "category": c["stream"],
                    "stream": c["stream"],
                    "share_pct": c["share_pct"],
                    "ipcc_ref": "",
                    "source": c["source"],
                    "status": c["status"],
                }
            )
        ref = self.reference.composition
        rows = ref[ref["region"] == DEFAULT_COMPOSITION_REGION]
        refs = _composition_refs()
        return pd.DataFrame(
            {
                "category": rows["category"].to_numpy(),
                "stream": rows["stream"].to_numpy(),
                "share_pct": rows["share_pct"].to_numpy(),
                "ipcc_ref": [refs.get(str(c), "") for c in rows["category"]],
                "source": rows["source"].to_numpy(),
                "status": rows["status"].to_numpy(),
            }
        )


@reference_cached("ghg.composition_refs", dict)
def _composition_refs() -> dict[str, str]:
    """``category -> ipcc_ref`` of the default region's rows of ``ghg_composition.csv``."""
    df, _ = read_table(
        data_root() / "reference" / "ghg_composition.csv",
        "reference/ghg_composition.csv",
        ("region", "category"),
        folder="reference",
    )
    if df is None or "ipcc_ref" not in df.columns:
        return {}
    rows = df[df["region"] == DEFAULT_COMPOSITION_REGION]
    return dict(zip(rows["category"], rows["ipcc_ref"], strict=True))


@reference_cached("ghg.parameter_refs", dict)
def parameter_refs() -> dict[str, str]:
    """``name -> ipcc_ref`` of ``reference/ghg_parameters.csv`` (its optional ``ipcc_ref``
    column: the IPCC volume, chapter and table of each value; blank for design choices)."""
    df, _ = read_table(
        data_root() / "reference" / "ghg_parameters.csv",
        "reference/ghg_parameters.csv",
        ("name",),
        folder="reference",
    )
    if df is None or "ipcc_ref" not in df.columns:
        return {}
    return dict(zip(df["name"], df["ipcc_ref"], strict=True))


def read_ghg_inputs(city_dir: Traversable | Path | str | None = None) -> GhgInputs:
    """The GHG inputs of a city folder (a path, any folder the io readers read, or ``None``
    for the demo): the reference tables, the TPA rows of ``facilities.csv`` and the optional
    ``waste_composition.csv``. Raises :class:`InputErrors` with every problem of both
    files."""
    folder = _folder(city_dir)
    problems: list[Problem] = []
    tpa = pd.DataFrame(columns=list(TPA_COLUMNS))
    try:
        tpa = read_tpa_sites(folder)
    except InputErrors as e:
        problems += errors_of(e.problems)
    composition, found = read_composition(folder)
    problems += errors_of(found)
    if problems:
        raise InputErrors(problems)
    return GhgInputs(load_ghg_reference(), tpa, composition)


__all__ = [
    "COMPOSITION",
    "COMPOSITION_COLUMNS",
    "DEFAULT_COMPOSITION_REGION",
    "DEPOSITS_COLUMNS",
    "GhgInputs",
    "RECOVERY_COLUMNS",
    "SITE_CLASS_COLUMN",
    "STREAMS_COLUMNS",
    "TPA_COLUMNS",
    "FodInputs",
    "GhgReference",
    "fod_csv_bytes",
    "load_ghg_parameters",
    "load_ghg_reference",
    "parameter_refs",
    "read_composition",
    "read_fod_inputs",
    "read_ghg_inputs",
    "read_tpa_sites",
    "recovery_problems",
    "write_fod_table",
]
