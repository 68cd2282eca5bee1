"""The SSK document as a tree of chapters, sections, paragraphs, tables and figures.

:func:`build_document` lays out a plan result that carries the document tables
(:func:`sanitasi.app.document.document_report`) along the SSK outline
(``reference/ssk_outline.csv``: Bab I Pendahuluan, II Profil Sanitasi, III Kerangka Kerja
Logis dan Sasaran, IV Strategi, V Program, Kegiatan dan Indikasi Pendanaan, VI Monitoring dan
Evaluasi, Lampiran). Tables are the plan report's own views
(:func:`sanitasi.reports.html.plan_table_view`: the same formatting, wide area x year
layout and provenance line), so every figure reads from the same result as ``sanitasi
plan``; nothing is recomputed. The writers (:mod:`.docx`, :mod:`.pdf`) only render the tree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sanitasi.core.memorandum import DocumentInputs
from sanitasi.core.model import Column, PlanResult, Table
from sanitasi.messages import render as render_warning
from sanitasi.reports import charts as _charts
from sanitasi.reports.common import (
    city_kode,
    city_name,
    input_notice,
    provenance_line,
    region_names,
    years,
)
from sanitasi.reports.document.figures import swot_chart
from sanitasi.reports.fmt import fmt_int, fmt_number, norm_lang
from sanitasi.reports.html import TableView, _chart_target, plan_table_view
from sanitasi.reports.i18n import code_label, indicator_label, plain_text, t

#: Columns beyond which a table goes on a landscape page.
LANDSCAPE_COLUMNS = 8


@dataclass
class Para:
    text: str
    style: str = ""  # "" | "note"


@dataclass
class DocTable:
    """One numbered table: caption, header cells, rows of cell texts, which columns are
    numeric, the provenance line and notes under it."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    provenance: str = ""
    notes: list[str] = field(default_factory=list)
    css: list[str] = field(default_factory=list)  # row classes ("total")

    @property
    def landscape(self) -> bool:
        return len(self.headers) > LANDSCAPE_COLUMNS


@dataclass
class DocFigure:
    """One numbered figure drawn from a Vega-Lite spec (PNG in Word, SVG in the PDF)."""

    key: str
    title: str
    spec: Mapping[str, Any]


Block = Para | DocTable | DocFigure


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Chapter:
    number: str  # "I" ... "VI", "" for the annex
    title: str
    intro: list[Para] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str
    city: str
    meta: list[tuple[str, str]]
    notice: str
    chapters: list[Chapter]

    def tables(self) -> list[DocTable]:
        return [
            b
            for c in self.chapters
            for s in c.sections
            for b in s.blocks
            if isinstance(b, DocTable)
        ]

    def figures(self) -> list[DocFigure]:
        return [
            b
            for c in self.chapters
            for s in c.sections
            for b in s.blocks
            if isinstance(b, DocFigure)
        ]


def doc_tables(view: TableView) -> list[DocTable]:
    """A table view as document tables: one per part of a wide view (captioned "table:
    part"), else one."""
    out: list[DocTable] = []
    if view.parts:
        for i, part in enumerate(view.parts):
            last = i == len(view.parts) - 1
            out.append(
                DocTable(
                    title=f"{view.title}: {part.title}",
                    headers=[c.text for c in part.headers],
                    rows=[[c.text for c in cells] for _, cells in part.rows],
                    numeric=[c.num for c in part.headers],
                    provenance=view.provenance,
                    notes=[*part.footnotes, *(view.footnotes if last else [])],
                    css=[css for css, _ in part.rows],
                )
            )
        return out
    return [
        DocTable(
            title=view.title,
            headers=[c.text for c in view.headers],
            rows=[[c.text for c in cells] for _, cells in view.rows],
            numeric=[c.num for c in view.headers],
            provenance=view.provenance,
            notes=[*([view.note] if view.note else []), *view.footnotes],
            css=[css for css, _ in view.rows],
        )
    ]


def _frame_table(
    name: str,
    title: tuple[str, str],
    df: pd.DataFrame,
    columns: Mapping[str, Column],
    prov: Mapping[str, int],
) -> Table:
    return Table(name, title[0], title[1], df, dict(columns), dict(prov))


def _status_counts(values: Sequence[object]) -> dict[str, int]:
    out = {"sourced": 0, "derived": 0, "illustrative": 0, "unverified": 0}
    for v in values:
        out[str(v) if str(v) in out else "unverified"] += 1
    return out


#: Plan and document tables by chapter and section (message key of the section title).
LAYOUT: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "II": [
        ("doc_2_area", ("population",)),
        ("doc_2_access", ("ladder", "survey_shares")),
        ("doc_2_waste", ("waste",)),
        ("doc_2_instruments", ("risk_scores", "risk_priority", "sfd_compare")),
        ("doc_2_institutions", ()),
        ("doc_2_fiscal", ("fiscal_capacity",)),
        ("doc_2_previous", ("retrospective",)),
    ],
    "III": [
        ("doc_3_targets", ("headline", "trajectory", "gap")),
        ("doc_3_kkl", ("kkl",)),
        ("doc_3_coverage", ("coverage", "coverage_areas")),
    ],
    "IV": [
        ("doc_4_swot", ("swot_factors", "swot_scores")),
        ("doc_4_links", ("swot_links",)),
    ],
    "V": [
        ("doc_5_needs", ("needs_ald", "service_ald", "needs_waste", "costs", "medium_term")),
        (
            "doc_5_programme",
            (
                "roles",
                "agencies",
                "capacity",
                "tpa_programme",
                "priority_share_period",
                "priority_activities",
            ),
        ),
        ("doc_5_funding", ("funding", "programme_funding", "funding_short", "funding_by_agency")),
        ("doc_5_agency", ("need_agency", "agency_funding")),
        ("doc_5_memorandum", ("action_plan",)),
        ("doc_5_land", ("land_needs",)),
        ("doc_5_recovery", ("cost_recovery",)),
    ],
}


class _Builder:
    def __init__(self, result: PlanResult, inputs: DocumentInputs, lang: str) -> None:
        self.result = result
        self.inputs = inputs
        self.lang = norm_lang(lang)
        self.y = years(result)
        self.kode = city_kode(result)
        self.names = region_names(result)
        specs = _charts.all_charts(result, self.lang, kode=self.kode or None)
        self.figures: dict[str, list[DocFigure]] = {}
        for key, spec in specs.items():
            if key in ("risk_scores",):  # a tile map: the table says the same in print
                continue
            title = spec.get("title", {}).get("text", key) if isinstance(spec, dict) else key
            self.figures.setdefault(_chart_target(key), []).append(DocFigure(key, str(title), spec))

    def t(self, key: str, **kw: object) -> str:
        return t(key, self.lang, **kw)

    def table_blocks(self, table: Table) -> list[Block]:
        blocks: list[Block] = list(self.figures.pop(table.name, []))
        if table.name == "action_plan":
            return blocks + self.action_plan_blocks(table)
        view = plan_table_view(table, self.lang, self.y, self.names)
        return blocks + list(doc_tables(view))

    def action_plan_blocks(self, table: Table) -> list[Block]:
        """One table per year: the annual action plan of that year. The four readiness
        columns are shown as one (land / DED / environmental document / operator) so that
        the table fits a landscape page; the sector is in the activity code."""
        out: list[Block] = []
        df = table.df
        states = {s: self.t(f"doc_ready_{s}") for s in ("yes", "no", "in_progress")}

        def word(v: object) -> str:
            return states.get(str(v), "\u2013")

        ready_cols = ["ready_land", "ready_ded", "ready_env_doc", "ready_operator"]
        shown = [
            "code",
            "activity",
            "location_kode",
            "volume",
            "unit",
            "pagu_idr",
            "funding_source",
            "agency",
            "program_code",
            "kegiatan_code",
            "sub_kegiatan_code",
            "sub_kegiatan_name",
            "readiness",
            "ready",
            "readiness_note",
        ]
        columns = dict(table.columns)
        columns["readiness"] = Column(
            "Lahan / DED / dok. lingkungan / operator",
            "Land / design / environmental document / operator",
            kind="text",
        )
        for yr in sorted({int(v) for v in df["year"]}):
            sub = df[df["year"] == yr].reset_index(drop=True)
            sub = sub.assign(
                readiness=[" / ".join(word(v) for v in row) for row in sub[ready_cols].to_numpy()],
                ready=[word(v) if v else "" for v in sub["ready"]],
            )[shown]
            view = plan_table_view(
                Table(
                    table.name,
                    f"{table.title_id} \u2014 {yr}",
                    f"{table.title_en} \u2014 {yr}",
                    sub,
                    columns,
                    table.provenance,
                    table.note_id,
                    table.note_en,
                ),
                self.lang,
                self.y,
                self.names,
            )
            out += doc_tables(view)
        return out

    # ------------------------------------------------------------------ chapters

    def outline_title(self, chapter: str) -> str:
        df = self.inputs.outline
        row = df[df["chapter"].astype(str) == chapter]
        if not len(row):
            return chapter
        return str(row["title_en" if self.lang == "en" else "title_id"].iloc[0])

    def chapter_1(self) -> Chapter:
        y, r = self.y, self.result
        city = city_name(r, self.kode)
        ch = Chapter("I", self.outline_title("I"))
        ch.sections.append(
            Section(
                self.t("doc_1_background"),
                [
                    Para(
                        self.t(
                            "doc_1_background_text",
                            city=city,
                            start=y.start,
                            end=y.end,
                            base=y.base,
                        )
                    )
                ],
            )
        )
        legal = self.inputs.legal_basis
        lt = _frame_table(
            "legal_basis",
            (t("doc_legal_title", "id"), t("doc_legal_title", "en")),
            legal[["kind", "number", "year", "title", "status"]],
            {
                "kind": Column("Jenis", "Kind", kind="text"),
                "number": Column("Nomor", "Number", kind="text"),
                "year": Column("Tahun", "Year", kind="text"),
                "title": Column("Tentang", "Title", kind="text"),
                "status": Column("Status data", "Data status", kind="text"),
            },
            _status_counts(list(legal["status"])),
        )
        ch.sections.append(Section(self.t("doc_1_legal"), self.table_blocks(lt)))
        sets = ", ".join(code_label("target_set", s, self.lang) for s in r.target_sets)
        ch.sections.append(
            Section(self.t("doc_1_method"), [Para(self.t("doc_1_method_text", sets=sets))])
        )
        pokja_blocks: list[Block] = []
        inp = self.inputs
        if inp.pokja is not None and len(inp.pokja):
            if inp.decree_number:
                date = self.t("doc_1_decree_date", date=inp.decree_date) if inp.decree_date else ""
                pokja_blocks.append(
                    Para(self.t("doc_1_decree", number=inp.decree_number, date=date))
                )
            else:
                pokja_blocks.append(Para(self.t("doc_1_no_decree"), "note"))
            pt = _frame_table(
                "pokja",
                (t("doc_pokja_title", "id"), t("doc_pokja_title", "en")),
                inp.pokja[["position", "name", "agency", "role"]],
                {
                    "position": Column("Kedudukan", "Position", kind="text"),
                    "name": Column("Jabatan/nama", "Office/name", kind="text"),
                    "agency": Column("OPD", "Agency", kind="text"),
                    "role": Column("Tugas", "Role", kind="text"),
                },
                _status_counts(list(inp.pokja["status"])),
            )
            pokja_blocks += self.table_blocks(pt)
        else:
            pokja_blocks.append(Para(self.t("doc_1_no_pokja"), "note"))
        if r.programme is not None:
            ag = r.programme.agencies
            at = _frame_table(
                "agency_list",
                (t("doc_agencies_title", "id"), t("doc_agencies_title", "en")),
                ag[["code", "name_id", "name_en", "kind"]],
                {
                    "code": Column("Kode", "Code", kind="text"),
                    "name_id": Column("Nama", "Name (Indonesian)", kind="text"),
                    "name_en": Column("Nama (Inggris)", "Name", kind="text"),
                    "kind": Column("Jenis lembaga", "Kind of body", kind="text"),
                },
                _status_counts(list(ag["status"])),
            )
            pokja_blocks += self.table_blocks(at)
        ch.sections.append(Section(self.t("doc_1_pokja"), pokja_blocks))
        ch.sections.append(
            Section(
                self.t("doc_1_period"),
                [Para(self.t("doc_1_period_text", start=y.start, end=y.end, horizon=y.horizon))],
            )
        )
        return ch

    def layout_chapter(self, number: str) -> Chapter:
        ch = Chapter(number, self.outline_title(number))
        tables = self.result.tables
        for key, names in LAYOUT[number]:
            sec = Section(self.t(key))
            for name in names:
                if name in tables and isinstance(tables[name].df, pd.DataFrame):
                    sec.blocks += self.table_blocks(tables[name])
            if key == "doc_2_institutions":
                sec.blocks += self.institutions()
            if key == "doc_2_fiscal" and "fiscal_capacity" not in tables:
                sec.blocks.append(Para(self.t("doc_2_no_fiscal"), "note"))
            if key == "doc_4_swot":
                sec.blocks = self.swot_intro() + sec.blocks
            if key == "doc_5_memorandum" and "action_plan" not in tables:
                sec.blocks.append(Para(self.t("doc_5_no_programme"), "note"))
            if sec.blocks:
                ch.sections.append(sec)
        return ch

    def swot_intro(self) -> list[Block]:
        scores = self.result.tables.get("swot_scores")
        if scores is None:
            return [Para(self.t("doc_4_no_swot"), "note")]
        out: list[Block] = [Para(self.t("doc_4_swot_text"))]
        df = scores.df
        for rec in df.to_dict("records"):
            out.append(
                Para(
                    self.t(
                        "doc_4_position",
                        sector=code_label("sector", rec["sector"], self.lang),
                        ifas=fmt_number(rec["ifas"], 2, self.lang),
                        efas=fmt_number(rec["efas"], 2, self.lang),
                        quadrant=rec["quadrant"],
                        direction=rec["direction_en" if self.lang == "en" else "direction_id"],
                    )
                )
            )
        spec = swot_chart(df, self.lang)
        out.append(DocFigure("swot", str(spec["title"]["text"]), spec))
        return out

    def institutions(self) -> list[Block]:
        out: list[Block] = []
        inputs = self.result.inputs
        if inputs is not None and len(inputs.facilities):
            fac = inputs.facilities
            cols = [
                c
                for c in (
                    "id",
                    "type",
                    "name",
                    "kode",
                    "capacity",
                    "capacity_unit",
                    "owner",
                    "status",
                )
                if c in fac.columns
            ]
            ft = _frame_table(
                "facilities",
                (t("doc_2_facilities_title", "id"), t("doc_2_facilities_title", "en")),
                fac[cols],
                {
                    "id": Column("Kode", "Code", kind="text"),
                    "type": Column("Jenis", "Type", kind="text"),
                    "name": Column("Nama", "Name", kind="text"),
                    "kode": Column("Kode wilayah", "Area code", kind="text"),
                    "capacity": Column("Kapasitas", "Capacity", kind="float"),
                    "capacity_unit": Column("Satuan", "Unit", kind="text"),
                    "owner": Column("Pemilik/operator", "Owner/operator", kind="text"),
                    "status": Column("Status data", "Data status", kind="text"),
                },
                _status_counts(list(fac["status"])),
            )
            out += self.table_blocks(ft)
        return out

    def chapter_6(self) -> Chapter:
        ch = Chapter("VI", self.outline_title("VI"))
        sec = Section(self.t("doc_6_framework"), [Para(self.t("doc_6_text"))])
        head = self.result.tables.get("headline")
        if head is not None:
            df = head.df
            df = df[
                (df["kode"].astype(str) == self.kode)
                & (df["year"] >= self.y.base)
                & (df["year"] <= self.y.end)
            ]
            prog = self.result.programme
            leads: dict[str, str] = {}
            if prog is not None:
                for ind, g in prog.activities.groupby("sasaran"):
                    leads[str(ind)] = ", ".join(dict.fromkeys(g["lead_agency"].astype(str)))
            rows = []
            for ind, g in df.groupby("indicator", sort=False):
                g = g.set_index("year")
                row: dict[str, Any] = {"indicator": indicator_label(str(ind), self.lang)}
                row["baseline"] = g["baseline_pct"].get(self.y.base)
                for yr in range(self.y.start, self.y.end + 1):
                    row[f"y{yr}"] = g["trajectory_pct"].get(yr)
                row["agencies"] = leads.get(str(ind), "")
                rows.append(row)
            cols: dict[str, Column] = {
                "indicator": Column(
                    t("doc_col_indicator", "id"), t("doc_col_indicator", "en"), kind="text"
                ),
                "baseline": Column(
                    t("doc_col_baseline", "id", year=self.y.base),
                    t("doc_col_baseline", "en", year=self.y.base),
                    "%",
                    "pct",
                ),
            }
            for yr in range(self.y.start, self.y.end + 1):
                cols[f"y{yr}"] = Column(str(yr), str(yr), "%", "pct")
            cols["agencies"] = Column(
                t("doc_col_agencies", "id"), t("doc_col_agencies", "en"), kind="text"
            )
            tt = _frame_table(
                "monitoring_targets",
                (t("doc_6_targets_title", "id"), t("doc_6_targets_title", "en")),
                pd.DataFrame(rows, columns=list(cols)),
                cols,
                head.provenance,
            )
            sec.blocks += self.table_blocks(tt)
        ch.sections.append(sec)
        prog = self.result.programme
        if prog is not None and len(prog.meetings):
            m = prog.meetings.copy()
            m["date"] = pd.to_datetime(m["date"]).dt.strftime("%Y-%m-%d")
            m["participants"] = ["; ".join(p) for p in m["participants"]]
            mt = _frame_table(
                "meetings",
                (t("doc_6_meetings", "id"), t("doc_6_meetings", "en")),
                m[["id", "date", "kind", "title", "milestone", "participants"]],
                {},
                _status_counts(list(m["status"])),
            )
            ch.sections.append(Section(self.t("doc_6_meetings"), self.table_blocks(mt)))
        return ch

    def annex(self) -> Chapter:
        ch = Chapter("", self.outline_title("L"))
        tables = self.result.tables
        if "parameters" in tables:
            ch.sections.append(
                Section(self.t("doc_annex_parameters"), self.table_blocks(tables["parameters"]))
            )
        warns = self.result.warnings
        if warns:
            wt = _frame_table(
                "warnings",
                (t("doc_annex_warnings", "id"), t("doc_annex_warnings", "en")),
                pd.DataFrame(
                    {
                        "code": [w.code for w in warns],
                        "message": [
                            plain_text(render_warning(w, self.lang), self.lang) for w in warns
                        ],
                    }
                ),
                {
                    "code": Column(t("doc_col_code", "id"), t("doc_col_code", "en"), kind="text"),
                    "message": Column(
                        t("doc_col_message", "id"), t("doc_col_message", "en"), kind="text"
                    ),
                },
                {},
            )
            ch.sections.append(Section(self.t("doc_annex_warnings"), self.table_blocks(wt)))
        files = dict(self.result.input_files or {})
        files.update(self.inputs.sources)
        if files:
            ft = _frame_table(
                "input_files",
                (t("doc_annex_sources", "id"), t("doc_annex_sources", "en")),
                pd.DataFrame({"file": list(files), "path": [str(v) for v in files.values()]}),
                {
                    "file": Column(t("doc_col_file", "id"), t("doc_col_file", "en"), kind="text"),
                    "path": Column(t("doc_col_path", "id"), t("doc_col_path", "en"), kind="text"),
                },
                {},
            )
            ch.sections.append(Section(self.t("doc_annex_sources"), self.table_blocks(ft)))
        return ch

    def build(self, version: str) -> Document:
        r, y = self.result, self.y
        city = city_name(r, self.kode)
        notice = input_notice(r)
        chapters = [
            self.chapter_1(),
            self.layout_chapter("II"),
            self.layout_chapter("III"),
            self.layout_chapter("IV"),
            self.layout_chapter("V"),
            self.chapter_6(),
            self.annex(),
        ]
        return Document(
            lang=self.lang,
            title=f"{self.t('doc_title')} {city}",
            subtitle=self.t("doc_period", start=y.start, end=y.end),
            city=city,
            meta=[
                (
                    self.t("city"),
                    f"{city} ({self.kode})" if self.kode and self.kode != city else city,
                ),
                (self.t("base_year"), str(y.base)),
                (self.t("plan_period"), f"{y.start}\u2013{y.end}"),
                (self.t("horizon"), str(y.horizon)),
            ],
            notice=self.t(
                "doc_notice",
                illustrative=fmt_int(notice.illustrative, self.lang),
                unverified=fmt_int(notice.unverified, self.lang),
            )
            if notice.any
            else "",
            chapters=chapters,
        )


def build_document(
    result: PlanResult, inputs: DocumentInputs, lang: str = "id", *, version: str = ""
) -> Document:
    """The document tree of ``result`` (a plan result with the document tables) and the
    document ``inputs``, in ``lang``."""
    return _Builder(result, inputs, lang).build(version)


__all__ = [
    "Block",
    "Chapter",
    "DocFigure",
    "DocTable",
    "Document",
    "Para",
    "Section",
    "build_document",
    "doc_tables",
    "provenance_line",
]
