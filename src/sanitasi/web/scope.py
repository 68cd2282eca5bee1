"""Row scoping: the ONE place that decides which rows a user may see or act on.

Every city-owned model's manager is a :class:`RestrictedQuerySet`; views, exports and the API
call ``Model.objects.restrict(request.user, action)`` and never filter by role by hand
(NetBox style). A model describes where its rows sit with a :class:`RowScope` (its domain,
the path to the region kode that locates the row, the path to its activity); the rules below
turn role + action + RowScope into a filter.

Actions: ``view``, ``change`` (edit content), ``submit`` (send realisation to Bappeda; on
activities: the activities the user may report realisation on), ``verify`` (verify or return
realisation; on activities: the activities whose realisation the user verifies). The scope
says *which rows*; the workflow (draft -> submitted -> verified) is checked in
:mod:`sanitasi.web.monitoring.workflow`.

=============  =====================================================================
role           rows
=============  =====================================================================
admin          everything, every action
koordinator    its city: view all; change geography, plan data (observations, targets,
               parameters, facilities, plan), programme (agencies, activities), meetings
               and action items; verify/return realisation. It does not enter realisation.
opd            its city: view all; change and submit realisation of the adopted activities
               its agency leads; change the activities it proposed (state ``proposed``)
               that its agency leads; change (mark done) the action items its agency owns.
               Audit: its own entries.
kecamatan      its city, except rows located in another kecamatan (rows of the whole city,
               of its kecamatan and its kelurahan/desa, and rows with no location); change
               and submit realisation of adopted activities located in its kecamatan (the
               kecamatan or one of its kelurahan/desa) whose lead or supporting agencies
               include its agency. Audit: its own entries.
fasilitator    view every city of its province; change meetings and action items there.
nasional       view every city of every province (Bappenas/PUPR viewer); changes nothing.
               Audit: nothing.
viewer         its city: view only. Audit: nothing (no own entries).
=============  =====================================================================

Evidence files (domain ``evidence``: the attachments of realisation rows) follow the
realisation rules, with one narrowing: an opd *sees* only the files of the activities its
agency leads or supports (photos may show people and houses; another agency has no need of
them). Who may add or delete a file is the realisation's ``change`` (its draft).

Shared reference rows (``city_kode == ""``, e.g. the national target sets) are visible to
every signed-in user with a profile and changed only by admin. A user without a profile (or
inactive, or anonymous) gets nothing; a superuser without a profile counts as admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q

from sanitasi.web import roles

if TYPE_CHECKING:
    from sanitasi.web.accounts.models import UserProfile

#: Domains of city-owned data (the first column of the rules).
GEO = "geo"
PLAN = "plan"
PROGRAMME = "programme"
REALISATION = "realisation"
PROCESS = "process"
AUDIT = "audit"
#: Evidence files of realisation rows (photos, PDF, XLSX): as realisation, except that an
#: opd sees only those of the activities its agency leads or supports.
EVIDENCE = "evidence"
DOMAINS: tuple[str, ...] = (GEO, PLAN, PROGRAMME, REALISATION, PROCESS, AUDIT, EVIDENCE)
#: Domains whose rows an agency enters and submits (realisation and its evidence files).
REPORTED: frozenset[str] = frozenset({REALISATION, EVIDENCE})

#: What the koordinator may change and verify, by domain.
KOORDINATOR_CHANGES: frozenset[str] = frozenset({GEO, PLAN, PROGRAMME, PROCESS})
KOORDINATOR_VERIFIES: frozenset[str] = frozenset({PROGRAMME, REALISATION})

PROPOSED = "proposed"
#: Only realisation of an adopted activity is reported: a proposal (or a rejected one) is not
#: in the plan, and the engine ignores its outputs (``programme.inputs``).
ADOPTED = "adopted"


@dataclass(frozen=True)
class RowScope:
    """Where a model's rows sit, for :func:`restrict`.

    ``domain``: one of :data:`DOMAINS`. ``kode``: lookup path to the region kode that locates
    the row (``None``: the row belongs to the whole city). ``activity``: lookup path to the
    activity the row belongs to (``""``: the row *is* the activity; ``None``: no activity).
    ``shared``: rows with ``city_kode == ""`` are reference rows readable by every user.
    ``owner``: lookup path to the code of the agency that owns the row (action items): an
    opd of that agency may change it.
    """

    domain: str
    kode: str | None = None
    activity: str | None = None
    shared: bool = False
    owner: str | None = None

    def __post_init__(self) -> None:
        if self.domain not in DOMAINS:
            raise ValueError(f"unknown domain {self.domain!r}")

    def _prefix(self) -> str:
        return "" if not self.activity else f"{self.activity}__"

    def lead(self) -> str:
        return f"{self._prefix()}lead_agency__code"

    def state(self) -> str:
        return f"{self._prefix()}state"

    def activity_pk(self) -> str:
        return "pk" if not self.activity else f"{self.activity}_id"


@dataclass(frozen=True)
class Scope:
    """The scoping facts of one user (from its profile)."""

    user_pk: Any
    role: str
    city_kode: str = ""
    agency_code: str = ""
    kecamatan_kode: str = ""
    province_kode: str = ""


def scope_of(user: Any) -> Scope | None:
    """The user's :class:`Scope`, or ``None`` (anonymous, inactive, no profile)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    profile = _profile(user)
    if profile is None:
        return Scope(user.pk, roles.ADMIN) if getattr(user, "is_superuser", False) else None
    return Scope(
        user.pk,
        profile.role,
        profile.city_kode,
        profile.agency_code,
        profile.kecamatan_kode,
        profile.province_kode,
    )


def _profile(user: Any) -> UserProfile | None:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        profile: UserProfile | None = user.profile
    except (ObjectDoesNotExist, AttributeError):
        return None
    return profile


def row_scope(model: type[models.Model]) -> RowScope:
    spec = getattr(model, "row_scope", None)
    if not isinstance(spec, RowScope):
        raise TypeError(f"{model.__name__} has no RowScope: it cannot be restricted")
    return spec


# --------------------------------------------------------------------------- the rules


def rule(s: Scope, spec: RowScope, action: str) -> Q | None:
    """The filter for ``s`` doing ``action`` on rows described by ``spec``; ``None`` = nothing.

    Admin is handled by the caller (no filter at all).
    """
    if action not in roles.ACTIONS:
        raise ValueError(f"unknown action {action!r}; use one of {', '.join(roles.ACTIONS)}")
    if s.role == roles.KOORDINATOR:
        q = _koordinator(s, spec, action)
    elif s.role == roles.OPD:
        q = _opd(s, spec, action)
    elif s.role == roles.KECAMATAN:
        q = _kecamatan(s, spec, action)
    elif s.role == roles.FASILITATOR:
        q = _fasilitator(s, spec, action)
    elif s.role == roles.VIEWER:
        q = _viewer(s, spec, action)
    elif s.role == roles.NATIONAL:
        q = _national(spec, action)
    else:
        return None
    if q is not None and action == roles.VIEW and spec.shared:
        q |= Q(city_kode="")
    return q


def _city(s: Scope) -> Q | None:
    return Q(city_kode=s.city_kode) if s.city_kode else None


def _own_audit(s: Scope) -> Q | None:
    city = _city(s)
    return None if city is None else city & Q(user_id=s.user_pk)


def _koordinator(s: Scope, spec: RowScope, action: str) -> Q | None:
    if action == roles.VIEW:
        return _city(s)
    if action == roles.CHANGE and spec.domain in KOORDINATOR_CHANGES:
        return _city(s)
    if action == roles.VERIFY and spec.domain in KOORDINATOR_VERIFIES:
        if spec.domain == PROGRAMME and spec.activity is None:
            return None  # agencies: nothing to verify
        return _city(s)
    return None


def _viewer(s: Scope, spec: RowScope, action: str) -> Q | None:
    if action != roles.VIEW:
        return None
    return _own_audit(s) if spec.domain == AUDIT else _city(s)


def _opd(s: Scope, spec: RowScope, action: str) -> Q | None:
    city = _city(s)
    if city is None:
        return None
    if action == roles.VIEW:
        if spec.domain == EVIDENCE:
            if not s.agency_code or spec.activity is None:
                return None
            return city & _lead_or_support(s, spec)
        return _own_audit(s) if spec.domain == AUDIT else city
    if action == roles.CHANGE and spec.owner and s.agency_code:
        return city & Q(**{spec.owner: s.agency_code})
    if not s.agency_code or spec.activity is None:
        return None
    lead = Q(**{spec.lead(): s.agency_code})
    if spec.domain in REPORTED and action in (roles.CHANGE, roles.SUBMIT):
        return city & lead & _adopted(spec)
    if spec.domain == PROGRAMME and action == roles.SUBMIT:
        return city & lead & _adopted(spec)
    if spec.domain == PROGRAMME and action == roles.CHANGE:
        return city & lead & Q(**{spec.state(): PROPOSED})
    return None


def _in_kecamatan(path: str, kec: str) -> Q:
    return Q(**{path: kec}) | Q(**{f"{path}__startswith": f"{kec}."})


def _kecamatan(s: Scope, spec: RowScope, action: str) -> Q | None:
    city = _city(s)
    if city is None or not s.kecamatan_kode:
        return None
    if action == roles.VIEW:
        if spec.domain == AUDIT:
            return _own_audit(s)
        if spec.kode is None:
            return city
        inside_city = Q(**{f"{spec.kode}__startswith": f"{s.city_kode}."})
        return city & (~inside_city | _in_kecamatan(spec.kode, s.kecamatan_kode))
    reports = (spec.domain in REPORTED and action in (roles.CHANGE, roles.SUBMIT)) or (
        spec.domain == PROGRAMME and action == roles.SUBMIT
    )
    if not reports or not s.agency_code or spec.activity is None or spec.kode is None:
        return None
    located = _in_kecamatan(spec.kode, s.kecamatan_kode)
    return city & located & _lead_or_support(s, spec) & _adopted(spec)


def _adopted(spec: RowScope) -> Q:
    """Rows of adopted activities (realisation is reported only on those)."""
    return Q(**{spec.state(): ADOPTED})


def _lead_or_support(s: Scope, spec: RowScope) -> Q:
    from sanitasi.web.programme.models import ActivitySupport

    supported = ActivitySupport.objects.filter(
        city_kode=s.city_kode, agency__code=s.agency_code
    ).values("activity_id")
    return Q(**{spec.lead(): s.agency_code}) | Q(**{f"{spec.activity_pk()}__in": supported})


def _fasilitator(s: Scope, spec: RowScope, action: str) -> Q | None:
    if not s.province_kode:
        return None
    province = Q(city_kode__startswith=f"{s.province_kode}.")
    if action == roles.VIEW:
        return province
    if action == roles.CHANGE and spec.domain == PROCESS:
        return province
    return None


def _national(spec: RowScope, action: str) -> Q | None:
    if action != roles.VIEW or spec.domain == AUDIT:
        return None
    return Q(city_kode__isnull=False)  # every row (an empty Q() would vanish in |)


# --------------------------------------------------------------------------- entry points

#: Roles that read a city's whole change history (the audit page).
HISTORY_ROLES: frozenset[str] = frozenset({roles.KOORDINATOR, roles.ADMIN})


def can_read_history(user: Any, city_kode: str) -> bool:
    """Whether ``user`` may open the change history of ``city_kode`` (koordinator of that
    city, admin). The entries shown are still ``AuditEntry.objects.restrict(user)``."""
    s = scope_of(user)
    if s is None or s.role not in HISTORY_ROLES:
        return False
    return s.role == roles.ADMIN or s.city_kode == city_kode


_QS = TypeVar("_QS", bound=models.QuerySet[Any])


def restrict(qs: _QS, user: Any, action: str = roles.VIEW) -> _QS:
    """``qs`` narrowed to the rows ``user`` may ``action`` (see the module table)."""
    spec = row_scope(qs.model)
    if action not in roles.ACTIONS:
        raise ValueError(f"unknown action {action!r}; use one of {', '.join(roles.ACTIONS)}")
    s = scope_of(user)
    if s is None:
        return qs.none()
    if s.role == roles.ADMIN:
        return qs
    q = rule(s, spec, action)
    return qs.none() if q is None else qs.filter(q)


class RestrictedQuerySet(models.QuerySet[Any]):
    """QuerySet of a city-owned model: ``restrict(user, action)`` applies the role rules."""

    def restrict(self, user: Any, action: str = roles.VIEW) -> RestrictedQuerySet:
        return restrict(self, user, action)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may ``action`` on the saved row ``obj`` (one query)."""
    model = type(obj)
    return bool(restrict(model._default_manager.filter(pk=obj.pk), user, action).exists())


def can_add(user: Any, model: type[models.Model], city_kode: str, *, activity: Any = None) -> bool:
    """Whether ``user`` may create a ``model`` row in ``city_kode``.

    ``activity`` (an Activity) is required for rows that belong to an activity (realisation,
    planned years, support agencies): realisation needs the activity to be one the user may
    report on (``submit``), the other child rows an activity the user may change.
    """
    spec = row_scope(model)
    s = scope_of(user)
    if s is None:
        return False
    if s.role == roles.ADMIN:
        return True
    if spec.activity:  # child rows of an activity
        if activity is None or activity.city_kode != city_kode:
            return False
        action = roles.SUBMIT if spec.domain == REALISATION else roles.CHANGE
        return can(user, action, activity)
    own_city = bool(s.city_kode) and city_kode == s.city_kode
    if s.role == roles.KOORDINATOR:
        return own_city and spec.domain in KOORDINATOR_CHANGES
    if s.role == roles.OPD:  # proposes activities (led by its agency, state proposed)
        return own_city and spec.domain == PROGRAMME and spec.activity == ""
    if s.role == roles.FASILITATOR:
        in_province = bool(s.province_kode) and city_kode.startswith(f"{s.province_kode}.")
        return in_province and spec.domain == PROCESS
    return False


__all__ = [
    "DOMAINS",
    "RestrictedQuerySet",
    "RowScope",
    "Scope",
    "can",
    "can_add",
    "can_read_history",
    "restrict",
    "rule",
    "scope_of",
]
