"""The message catalogue of the engine's warnings: one English msgid per warning, translated
through the web's gettext catalogue (docs/METHOD.md Appendix B).

The core gives a :class:`~sanitasi.core.model.Warning_` a code and values only (numbers,
years, codes of indicators, target sets, rungs, areas; :data:`sanitasi.core.model.WARNINGS`
registers which). This module words it: :data:`CATALOGUE` holds, per message key, the
English msgid with named placeholders (``%(year)s``) and how each value is shown
(:data:`KINDS`: numbers the page language's way, 1.234,5 in Indonesian, through
:mod:`sanitasi.reports.fmt`; codes through the label helpers of :mod:`sanitasi.reports.i18n`,
so no raw code reaches a screen). :func:`render` translates the msgid through the SAME
catalogue as the web (``web/locale/id/LC_MESSAGES/django.po``, block "Engine warnings"):

* outside Django (CLI, reports, the XLSX/HTML/PDF files) with Python's
  :func:`gettext.translation` on the compiled ``django.mo``, no Django needed;
* in the web, :func:`sanitasi.web.i18n_warnings.render_warning` passes Django's gettext.

Like :mod:`sanitasi.vocabulary`, this module is outside the layers: the reports, the app, the
CLI and the web import it; it imports the core and the reports' formatters and labels only.
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from sanitasi import vocabulary
from sanitasi.core.model import INDICATORS, INPUT_PROBLEM_VALUES, WARNINGS, Column, Table, Warning_
from sanitasi.reports import fmt, i18n

#: Where the web's compiled catalogue lives (package data).
LOCALE_DIR = Path(__file__).resolve().parent / "web" / "locale"
DOMAIN = "django"

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Message:
    """One catalogue entry: the English msgid and the display kind of each placeholder
    (a value not named in ``kinds`` is shown as text)."""

    msgid: str
    kinds: Mapping[str, str] = field(default_factory=dict)
    #: The English text when the value named ``count`` is 1 (``msgid`` being the plural):
    #: "1 area has", "2 areas have". Both are msgids of the catalogue; Indonesian words
    #: them alike. (The catalogue's languages have at most two forms, so choosing the msgid
    #: by the count is enough; a language with more forms would need ngettext.)
    one: str = ""
    count: str = "n"

    def msgids(self) -> tuple[str, ...]:
        """Every msgid of the entry (the plural-or-only form, then the singular if any)."""
        return (self.msgid, self.one) if self.one else (self.msgid,)

    def msgid_for(self, values: Mapping[str, Any]) -> str:
        """The msgid for ``values``: :attr:`one` when the count is 1, else :attr:`msgid`."""
        if self.one:
            n = fmt.as_float(values.get(self.count))
            if n is not None and n == 1:
                return self.one
        return self.msgid


def _pair(table: Mapping[str, tuple[str, str]], code: Any, lang: str) -> str:
    pair = table.get(str(code))
    return str(code) if pair is None else (pair[1] if lang == "en" else pair[0])


def _num(x: Any, lang: str) -> str:
    """Whole numbers without decimals, else one decimal (the warnings' usual figure)."""
    f = fmt.as_float(x)
    if f is None:
        return str(x)
    return fmt.fmt_number(f, 0 if float(f).is_integer() else 1, lang)


def _span(years: Any, lang: str) -> str:
    ys = [int(y) for y in years]
    return f"{ys[0]}" if len(ys) == 1 or ys[0] == ys[-1] else f"{ys[0]}-{ys[-1]}"


def _move_term(code: Any, lang: str) -> str:
    return _pair({**i18n.WASTE_TERM_LABELS, **i18n.RUNG_LABELS}, code, lang)


def _indicator(code: Any, lang: str) -> str:
    """An indicator's full engine name (``Akses sanitasi layak``), else its label."""
    meta = INDICATORS.get(str(code))
    if meta:
        return str(meta["name_en"] if lang == "en" else meta["name_id"])
    return i18n.indicator_label(str(code), lang)


def _target_sets(text: Any, lang: str) -> str:
    parts = [p.strip() for p in str(text or "").split("+") if p.strip()]
    return " + ".join(i18n.target_set_label(p, lang) for p in parts) or "-"


def _caps(caps: Iterable[Any], lang: str) -> str:
    words = []
    for year, source, sector in caps:
        w = i18n.source_label(str(source), lang)
        if sector and sector != "all":
            w += f" ({i18n.sector_label(str(sector), lang)})"
        words.append(f"{w} {fmt.fmt_year(year)}")
    return ", ".join(words) or "-"


def _general(x: Any, lang: str) -> str:
    """A parameter value: numbers the language's way without trailing zeros, else text."""
    if isinstance(x, bool) or fmt.as_float(x) is None or isinstance(x, str) and not x.strip():
        return str(x)
    return fmt.fmt_number(x, 6, lang, strip_zeros=True)


def _parameter(name: Any, lang: str) -> str:
    """A reference parameter by its label with its name in brackets (the name is what a
    ``--param`` or ``parameters.csv`` row writes); the name alone when it has no label."""
    label = vocabulary.parameter_label(str(name), lang)
    return str(name) if label == str(name) else f"{label} ({name})"


#: Display kinds of the values: kind -> formatter(value, lang).
KINDS: Mapping[str, Callable[[Any, str], str]] = {
    "text": lambda x, lang: str(x),
    "year": lambda x, lang: fmt.fmt_year(x),
    "int": lambda x, lang: fmt.fmt_int(x, lang),
    "num": _num,
    "num0": lambda x, lang: fmt.fmt_number(x, 0, lang),
    "num1": lambda x, lang: fmt.fmt_number(x, 1, lang),
    "num2": lambda x, lang: fmt.fmt_number(x, 2, lang),
    "general": _general,
    "parameter": _parameter,
    "idr": lambda x, lang: fmt.fmt_idr(x, lang),
    "date": lambda x, lang: fmt.fmt_date(str(x), lang),
    "span": _span,
    "year_list": lambda ys, lang: ", ".join(fmt.fmt_year(y) for y in ys),
    "indicator": _indicator,
    "target_set": lambda x, lang: i18n.target_set_label(str(x), lang),
    "target_sets": _target_sets,
    "rung": _move_term,
    "band": lambda x, lang: _pair(i18n.BAND_LABELS, x, lang),
    "subsector": lambda x, lang: _pair(i18n.SUBSECTOR_LABELS, x, lang),
    "unit": lambda x, lang: i18n.unit_label(str(x), lang),
    "caps": _caps,
    "area": lambda x, lang: str(x),  # with its name: see COMPANIONS
}

#: A value shown together with another one rather than by a placeholder of its own:
#: an area's name goes with its code (``Kota Solok (13.72)``; a code is never shown alone
#: when the name is known).
COMPANIONS: Mapping[str, str] = {"area_name": "area"}

_WHO = "%(activity)s (%(agency)s, location %(area)s)"
_AREA = {"area": "area"}
_MON = {**_AREA, "quarter": "int", "year": "year"}
_W301 = {
    **_MON,
    "physical_pct": "num",
    "threshold_pct": "num",
    "band": "band",
    "done": "num",
    "due": "num",
    "unit": "unit",
}

#: Message key (:data:`sanitasi.core.model.WARNINGS`) -> entry. Every msgid is in the web's
#: django.po with its Indonesian translation (tests/test_messages.py walks them all).
CATALOGUE: Mapping[str, Message] = {
    "SAN-W001": Message(
        "The TPA is full in %(year)s: a new cell or landfill is needed.", {"year": "year"}
    ),
    "SAN-W001.shared": Message(
        "The shared TPA (not the city's own) is full in %(year)s: a decision for its owner. "
        "New cells %(p0)s-%(p1)s for all users %(total_m3)s m³, the city's share "
        "%(city_m3)s m³ (%(share_pct)s %%); the city pays a tipping fee per tonne.",
        {
            "year": "year",
            "p0": "year",
            "p1": "year",
            "total_m3": "num0",
            "city_m3": "num0",
            "share_pct": "num1",
        },
    ),
    "SAN-W002": Message("IPLT load exceeds capacity from %(year)s.", {"year": "year"}),
    "SAN-W003": Message("No IPLT recorded: all septage load needs new capacity."),
    "SAN-W004": Message(
        "%(n)s areas have no sanitation ladder data (no needs computed).",
        {"n": "int"},
        one="%(n)s area has no sanitation ladder data (no needs computed).",
    ),
    "SAN-W005": Message("Waste generation uses the SNI class rate (no city measurement)."),
    "SAN-W006": Message("No base-year waste balance: solid-waste needs are not computed."),
    "SAN-W007": Message(
        "No target for %(indicator)s in the selected sets: its needs are zero. Add a local "
        "sasaran or select a national set.",
        {"indicator": "indicator"},
    ),
    "SAN-W008": Message(
        "Cliff in the %(indicator)s trajectory in %(year)s: up %(increase_pts)s points in one "
        "year, more than %(factor)s x the SSK period's mean (%(mean_pts)s points/year); "
        "binding: %(binding)s.",
        {
            "indicator": "indicator",
            "year": "year",
            "increase_pts": "num1",
            "factor": "general",
            "mean_pts": "num2",
            "binding": "target_sets",
        },
    ),
    "SAN-W009": Message(
        "The local sasaran for %(indicator)s in %(year)s (%(local_pct)s %%) is below the "
        "national target %(target_set)s (%(national_pct)s %%).",
        {
            "indicator": "indicator",
            "year": "year",
            "local_pct": "num1",
            "target_set": "target_set",
            "national_pct": "num1",
        },
    ),
    "SAN-W010": Message(
        "Parameter %(parameter)s overridden: %(default)s -> %(value)s (%(source)s).",
        {"parameter": "parameter", "default": "general", "value": "general"},
    ),
    "SAN-W020": Message(
        "facilities.csv lists no TPA for this city: landfill methane uses the uncategorised "
        "site class (MCF 0.6) and no deposits before the base year."
    ),
    "SAN-W021": Message(
        "The TPA's opening year (year_built) is blank: deposits before the base year are not "
        "counted, so the early years' methane is too low (the avoided emissions are not "
        "affected)."
    ),
    "SAN-W022": Message(
        "The TPA's site class (tpa_site_class) is blank: uncategorised is used (MCF 0.6, "
        "IPCC 2006 Table 3.1)."
    ),
    "SAN-W023": Message(
        "The city has %(n)s TPA rows: their MCF and OX are averaged and the earliest opening "
        "year is used.",
        {"n": "int"},
    ),
    "SAN-W024": Message(
        "In %(year)s the plan deposits %(more_t)s t/year more at the TPA than BAU (waste that "
        "was unmanaged is now collected, TPS3R residue included), so the plan's landfill "
        "methane is higher; the emissions of unmanaged waste (burned, dumped) are not counted.",
        {"year": "year", "more_t": "num0"},
    ),
    "SAN-W025": Message(
        "The budget does not reach the trajectory: largest shortfall %(shortfall_pts)s points "
        "(%(indicator)s, %(year)s); binding caps: %(caps)s",
        {"shortfall_pts": "num1", "indicator": "indicator", "year": "year", "caps": "caps"},
    ),
    "SAN-W170": Message(
        "SFD: households on rung %(rung)s (%(years)s) have no system in sfd.csv; their share "
        "is spread over the other systems in proportion.",
        {"rung": "rung", "years": "span"},
    ),
    "SAN-W171": Message(
        "Override for %(area)s/%(subsector)s ignored: that kelurahan/subsector is not scored.",
        {**_AREA, "subsector": "subsector"},
    ),
    "SAN-W172": Message(
        "SFD: households connected to SPALD-T in the base year (%(years)s) have no offsite "
        "aman system in sfd.csv; their share is spread over the other systems in proportion.",
        {"years": "span"},
    ),
    "SAN-W201": Message(
        "%(activity)s: the planned output exceeds what its effect can act on in %(area)s in "
        "%(year)s: %(requested)s %(unit)s requested (cumulative) for %(from_rung)s → "
        "%(to_rung)s, %(eligible)s eligible; the excess of %(excess)s is not applied.",
        {
            **_AREA,
            "year": "year",
            "requested": "num",
            "unit": "unit",
            "from_rung": "rung",
            "to_rung": "rung",
            "eligible": "num",
            "excess": "num",
        },
    ),
    "SAN-W202": Message(
        "%(activity)s: location %(area)s has no kelurahan/desa in the run; its household and "
        "waste moves are not applied.",
        _AREA,
    ),
    "SAN-W203": Message(
        "Outputs of activity %(activity)s, which is not in the programme matrix, are ignored."
    ),
    "SAN-W204": Message(
        "%(activity)s: outputs of %(years)s, outside %(first_year)s-%(last_year)s, are ignored "
        "(the base year is the baseline).",
        {"years": "year_list", "first_year": "year", "last_year": "year"},
    ),
    "SAN-W301": Message(
        _WHO + ": physical realisation %(physical_pct)s%% to %(year)s Q%(quarter)s is below "
        "the 'sedang' threshold of %(threshold_pct)s%% (band %(band)s; %(done)s of %(due)s "
        "%(unit)s; physical progress %(progress_pct)s%%).",
        {**_W301, "progress_pct": "num"},
    ),
    "SAN-W301.no_progress": Message(
        _WHO + ": physical realisation %(physical_pct)s%% to %(year)s Q%(quarter)s is below "
        "the 'sedang' threshold of %(threshold_pct)s%% (band %(band)s; %(done)s of %(due)s "
        "%(unit)s).",
        _W301,
    ),
    "SAN-W302": Message(
        _WHO + ": realised unit cost %(realised_idr)s per %(unit)s exceeds the planned "
        "%(planned_idr)s by %(overrun_pct)s%% (tolerance %(tolerance_pct)s%%).",
        {
            **_AREA,
            "realised_idr": "idr",
            "planned_idr": "idr",
            "unit": "unit",
            "overrun_pct": "num",
            "tolerance_pct": "num",
        },
    ),
    "SAN-W303": Message(_WHO + ": no realisation report for %(year)s Q%(quarter)s.", _MON),
    "SAN-W304": Message(
        "Action item of %(meeting)s (%(agency)s, %(area)s) “%(action)s” is %(days)s days past "
        "its due date %(due_date)s.",
        {**_AREA, "days": "int", "due_date": "date"},
        one="Action item of %(meeting)s (%(agency)s, %(area)s) “%(action)s” is %(days)s day "
        "past its due date %(due_date)s.",
        count="days",
    ),
    "SAN-W305": Message(
        _WHO + ": output of %(output)s %(unit)s to %(year)s Q%(quarter)s with nothing planned "
        "to date (carry-over or unplanned).",
        {**_MON, "output": "num", "unit": "unit"},
    ),
    "SAN-W306": Message(
        _WHO + ": %(spent_idr)s spent to %(year)s Q%(quarter)s with no cost planned to date.",
        {**_MON, "spent_idr": "idr"},
    ),
    "SAN-W310": Message(
        "%(indicator)s %(year)s from realised outputs %(pct)s%% is below the trajectory "
        "%(trajectory_pct)s%%.",
        {"indicator": "indicator", "year": "year", "pct": "num", "trajectory_pct": "num"},
    ),
    "SAN-W311": Message(
        "%(indicator)s %(year)s at the current pace (forecast) %(pct)s%% is below the "
        "trajectory %(trajectory_pct)s%%.",
        {"indicator": "indicator", "year": "year", "pct": "num", "trajectory_pct": "num"},
    ),
}


@cache
def _python_translations(lang: str) -> _gettext.NullTranslations:
    """The compiled web catalogue of ``lang`` (Python's gettext; no Django). A missing .mo
    gives the English msgids (tests/test_messages.py fails on that)."""
    return _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


def translator(lang: str) -> Translate:
    """``msgid -> text`` in ``lang`` through the compiled web catalogue (English: as is)."""
    lang = fmt.norm_lang(lang)
    if lang == "en":
        return lambda s: s
    return _python_translations(lang).gettext


def _values(w: Warning_, message: Message, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in w.values.items():
        if name in COMPANIONS or name == "variant":
            continue
        kind = message.kinds.get(name, "text")
        text = KINDS[kind](value, lang)
        if kind == "area":
            name_ = w.values.get("area_name", "")
            text = f"{name_} ({value})" if name_ and name_ != value else str(value)
        out[name] = text
    return out


def render(w: Warning_, lang: str = "id", gettext: Translate | None = None) -> str:
    """The warning's message in ``lang``: its msgid translated (``gettext``: Django's in the
    web; default: the compiled web catalogue through Python's gettext) and its values
    formatted the language's way. An input problem carried as a warning keeps the rule text
    of the input catalogue (:mod:`sanitasi.io.errors`)."""
    lang = fmt.norm_lang(lang)
    message = CATALOGUE.get(w.key)
    if message is None:
        if set(w.values) == INPUT_PROBLEM_VALUES:
            rule = w.values["rule_en" if lang == "en" else "rule_id"] or w.values["rule_en"]
            return f"{w.values['where']}: {rule}"
        return w.code  # unreachable for a Warning_ (its key is registered)
    translate = gettext if gettext is not None and lang != "en" else translator(lang)
    return translate(message.msgid_for(w.values)) % _values(w, message, lang)


def worded_table(table: Table, warnings: Sequence[Warning_]) -> Table:
    """A warnings table (one row per warning, in the order of ``warnings``: the monitoring's
    ``warnings`` table) with the messages in both languages added as ``message_id`` and
    ``message_en`` (the XLSX keeps both; the core's table has codes and values only)."""
    df = table.df
    if len(df) != len(warnings) or "message_id" in df:
        return table
    df = df.assign(
        message_id=[render(w, "id") for w in warnings],
        message_en=[render(w, "en") for w in warnings],
    )
    cols = dict(table.columns)
    cols.setdefault("message_id", Column("Pesan", "Message (Indonesian)", kind="text"))
    cols.setdefault("message_en", Column("Pesan (Inggris)", "Message", kind="text"))
    return replace(table, df=df, columns=cols)


def placeholders(msgid: str) -> set[str]:
    """The named placeholders of a msgid (``%(year)s`` -> ``year``)."""
    return set(re.findall(r"%\(([a-z_0-9]+)\)s", msgid))


def untranslated(lang: str = "id", translate: Translate | None = None) -> list[str]:
    """The catalogue's msgids the compiled web catalogue does not translate (the text comes
    back unchanged): what a missing or stale django.po/.mo entry looks like."""
    tr = translate or translator(lang)
    return [i for m in CATALOGUE.values() for i in m.msgids() if tr(i) == i]


def unregistered() -> list[str]:
    """Registered warnings (:data:`sanitasi.core.model.WARNINGS`) without a catalogue entry."""
    return sorted(set(WARNINGS) - set(CATALOGUE))


__all__ = [
    "CATALOGUE",
    "COMPANIONS",
    "KINDS",
    "LOCALE_DIR",
    "Message",
    "placeholders",
    "render",
    "translator",
    "unregistered",
    "untranslated",
    "worded_table",
]
