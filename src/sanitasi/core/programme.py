"""Programme matrix (KKL, *kerangka kerja logis*) data contracts and the effect grammar.

The SSK programme matrix runs urgent problem -> strategic issue -> objective -> sasaran
(indicator with baseline and yearly targets) -> strategy -> programme -> activity. An
activity has a sector, a location (kelurahan, kecamatan or city kode), an output unit,
planned output and cost per year, one funding source, one lead agency and supporting
agencies, the sasaran it serves, a quarterly plan profile and an *effect*: what ONE unit of
output changes (``docs/METHOD.md`` §9 Programme coverage, §10 Monitoring).

Effect grammar (``data/kota_solok/README.md``), several joined by ``;``, or ``none``::

    hh:FROM->TO:N        N households per unit move between ladder rungs; a move into aman
                         names its service: aman@l2t2 or aman@spald_t
    tpd:FROM->TO:X       X t/day per unit move between unmanaged, penanganan, pengurangan
    cap:KIND:X           X capacity per unit: iplt_m3_per_day, truk_tinja, truk_sampah, tpa_m3
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from sanitasi.core.model import RUNGS

WASTE_TERMS: tuple[str, ...] = ("unmanaged", "penanganan", "pengurangan")
CAP_KINDS: tuple[str, ...] = ("iplt_m3_per_day", "truk_tinja", "truk_sampah", "tpa_m3")
SERVICES: tuple[str, ...] = ("l2t2", "spald_t")
SECTORS: tuple[str, ...] = ("ald", "persampahan")
#: Quarterly plan profiles (parameters ``plan_profile_<profile>_q1..q4``): ``linear``,
#: back-loaded ``apbd`` and ``completion`` (works whose output counts only when complete;
#: they may report physical progress, ``progress_pct``, before that).
PLAN_PROFILES: tuple[str, ...] = ("linear", "apbd", "completion")
#: The profile of works counted at completion.
COMPLETION_PROFILE = "completion"
REALISATION_STATES: tuple[str, ...] = ("draft", "submitted", "verified")
MEETING_KINDS: tuple[str, ...] = ("coaching_clinic", "pokja_meeting", "milestone_review")
MILESTONES: tuple[str, ...] = ("M1", "M2", "M3", "M4")
ACTION_STATES: tuple[str, ...] = ("open", "done")


class EffectError(ValueError):
    """A malformed effect; the message says which part and why."""


@dataclass(frozen=True)
class Effect:
    """One term of an activity's effect, per unit of output.

    ``kind`` is ``hh``, ``tpd`` or ``cap``. For ``hh``: ``source`` and ``target`` are rungs
    and ``service`` is ``l2t2``/``spald_t`` when ``target == 'aman'``. For ``tpd``: waste
    terms. For ``cap``: ``target`` is the capacity kind and ``source`` is ``""``.
    ``per_unit`` is households, t/day or capacity units per unit of output.
    """

    kind: str
    source: str
    target: str
    per_unit: float
    service: str = ""

    def __str__(self) -> str:
        if self.kind == "cap":
            return f"cap:{self.target}:{_num(self.per_unit)}"
        to = f"{self.target}@{self.service}" if self.service else self.target
        return f"{self.kind}:{self.source}->{to}:{_num(self.per_unit)}"


def _num(x: float) -> str:
    return f"{x:g}"


_HH_TPD = re.compile(
    r"^(hh|tpd):([a-z_]+)->([a-z_]+)(?:@([a-z0-9_]+))?:([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)$"
)
_CAP = re.compile(r"^cap:([a-z_0-9]+):([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)$")


def parse_effects(text: str) -> tuple[Effect, ...]:
    """Parse an effect string into its terms; ``none`` (or empty) gives ``()``.

    Raises :class:`EffectError` naming the offending term and the rule broken.
    """
    s = (text or "").strip()
    if s == "" or s.lower() == "none":
        return ()
    out: list[Effect] = []
    for raw in s.split(";"):
        term = raw.strip()
        if not term:
            raise EffectError(f"empty term in {text!r}")
        m = _HH_TPD.match(term)
        if m:
            kind, src, dst, service, n = m.groups()
            value = float(n)
            if kind == "hh":
                if src not in RUNGS:
                    raise EffectError(
                        f"{term!r}: FROM {src!r} is not a ladder rung ({', '.join(RUNGS)})"
                    )
                if dst not in RUNGS:
                    raise EffectError(
                        f"{term!r}: TO {dst!r} is not a ladder rung ({', '.join(RUNGS)})"
                    )
                if dst == "aman" and service not in SERVICES:
                    raise EffectError(
                        f"{term!r}: a move into aman must name its service: aman@l2t2 or aman@spald_t"
                    )
                if dst != "aman" and service:
                    raise EffectError(f"{term!r}: only aman takes a service (@{service})")
                if src == dst:
                    raise EffectError(f"{term!r}: FROM and TO are the same rung")
            else:
                if service:
                    raise EffectError(f"{term!r}: waste terms take no service")
                for t in (src, dst):
                    if t not in WASTE_TERMS:
                        raise EffectError(
                            f"{term!r}: {t!r} is not a waste term ({', '.join(WASTE_TERMS)})"
                        )
                if src == dst:
                    raise EffectError(f"{term!r}: FROM and TO are the same term")
            if value <= 0:
                raise EffectError(f"{term!r}: the amount per unit must be > 0")
            out.append(Effect(kind, src, dst, value, service or ""))
            continue
        m = _CAP.match(term)
        if m:
            kind_, n = m.groups()
            if kind_ not in CAP_KINDS:
                raise EffectError(
                    f"{term!r}: capacity kind {kind_!r} is not one of {', '.join(CAP_KINDS)}"
                )
            if float(n) <= 0:
                raise EffectError(f"{term!r}: the amount per unit must be > 0")
            out.append(Effect("cap", "", kind_, float(n)))
            continue
        raise EffectError(
            f"{term!r}: not of the form hh:FROM->TO:N, tpd:FROM->TO:X, cap:KIND:X or none"
        )
    return tuple(out)


@dataclass(frozen=True)
class ProgrammeInputs:
    """Validated programme, realisation and process data of one or more cities.

    ``agencies``: ``code, name_id, name_en, kind, kode, status`` (``kode`` = the city for city
    agencies, the kecamatan for kecamatan agencies).

    ``activities``: one row per activity: ``city_kode, code, sector, urgent_problem,
    strategic_issue, objective, sasaran, strategy, programme, activity, output_unit,
    lead_agency, support_agencies`` (tuple of agency codes), ``location_kode,
    funding_source, plan_profile, effect`` (the text), ``status`` and ``adopted_on``
    (datetime64; NaT = adopted before the plan period, i.e. judged from Q1 of every year; a
    missing column reads as all NaT). Codes are unique within a city. ``urgent_problem``/``strategic_issue`` come from the file's
    ``kkl_issue`` when the file has no separate columns.

    ``planned``: long ``city_kode, code, year, planned_output, planned_cost_idr``.

    ``realisation``: ``city_kode, activity_code, year, quarter (1-4), output_achieved,
    cost_spent_idr`` (increments in the quarter), ``state`` (draft|submitted|verified;
    missing column = verified), ``note, status`` and ``progress_pct`` (*progres fisik*:
    cumulative % 0-100 of the year's planned works physically done at the end of the
    quarter, only for ``completion`` activities; NaN = not reported; a missing column reads
    as all NaN).

    ``meetings``: ``city_kode, id, date`` (datetime64), ``kind, title, milestone,
    participants`` (tuple), ``summary, decisions, status``.

    ``action_items``: ``city_kode, meeting_id, action, owner_agency, due_date``
    (datetime64), ``state`` (open|done), ``status`` (provenance).
    """

    agencies: pd.DataFrame
    activities: pd.DataFrame
    planned: pd.DataFrame
    realisation: pd.DataFrame
    meetings: pd.DataFrame
    action_items: pd.DataFrame
    sources: Mapping[str, str] = field(default_factory=dict)

    def effects(self) -> dict[tuple[str, str], tuple[Effect, ...]]:
        """(city_kode, activity code) -> parsed effects (inputs are validated, so this parses)."""
        a = self.activities
        return {
            (str(c), str(k)): parse_effects(str(e))
            for c, k, e in zip(a["city_kode"], a["code"], a["effect"], strict=True)
        }
