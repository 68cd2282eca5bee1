"""The realisation workflow: edit, submit, verify, return — with scope, state and version
checks in one place (views and the API call these, never ``save()`` directly).

Each function takes the version the user's form or request was based on; a concurrent save
raises :class:`~sanitasi.web.basemodels.StaleObjectError` (the caller shows a conflict
message with the current row). Scope comes from
:meth:`~sanitasi.web.scope.RestrictedQuerySet.restrict`; a row out of scope raises
:class:`~django.core.exceptions.PermissionDenied`; a wrong state raises
:class:`WorkflowError`. Every step is audited (``submit``, ``verify``, ``return`` entries).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanitasi.core.monitoring import quarter_start
from sanitasi.core.programme import COMPLETION_PROFILE
from sanitasi.web import roles
from sanitasi.web.audit.log import acting_as, set_action
from sanitasi.web.monitoring import period
from sanitasi.web.monitoring.models import DRAFT, SUBMITTED, VERIFIED, Realisation
from sanitasi.web.programme.models import Activity
from sanitasi.web.scope import can, can_add

#: Fields an agency may edit while the row is a draft.
EDITABLE = ("output_achieved", "cost_spent_idr", "progress_pct", "note", "evidence")


def check_report(
    activity: Activity,
    *,
    year: int | None = None,
    quarter: int | None = None,
    progress_pct: float | None = None,
    today: dt.date | None = None,
) -> None:
    """The rules of realisation.csv a form or API body must also keep (``ValidationError``
    by field): no realisation of a quarter that has not started as of ``today`` (default:
    :func:`~sanitasi.web.monitoring.period.reporting_date`; ``SAN-E049``), physical progress only for works counted at completion
    (``SAN-E050``)."""
    errors: dict[str, str] = {}
    if year is not None and quarter is not None and 1 <= quarter <= 4:
        start = quarter_start(year, quarter)
        day = today or period.reporting_date()
        if start > day:
            errors["quarter"] = _(
                "%(year)s Q%(quarter)s has not started yet (it starts on %(start)s): a quarter "
                "can be reported once it has started (SAN-E049)."
            ) % {"year": year, "quarter": quarter, "start": start.isoformat()}
    if progress_pct is not None and activity.plan_profile != COMPLETION_PROFILE:
        errors["progress_pct"] = _(
            "Physical progress is reported only for works counted at completion (plan "
            "profile completion); %(code)s is %(profile)s (SAN-E050)."
        ) % {"code": activity.code, "profile": activity.plan_profile}
    if errors:
        raise ValidationError(errors)


class WorkflowError(Exception):
    """The row is not in a state that allows the step (message says which)."""


def check_unlocked(year: int, quarter: int, r: Realisation | None = None) -> None:
    """Refuse agency entry for a quarter locked by ``SANITASI_QUARTER_LOCK_DAYS``
    (:func:`~sanitasi.web.monitoring.period.quarter_locked`); a row Bappeda returned or
    reopened (it carries a comment) stays editable. Raises ``ValidationError`` on
    ``quarter``."""
    if r is not None and r.return_comment.strip():
        return
    if period.quarter_locked(year, quarter):
        raise ValidationError(
            {
                "quarter": _(
                    "%(year)s Q%(quarter)s is locked: its reporting deadline has passed. Ask "
                    "Bappeda to reopen it."
                )
                % {"year": year, "quarter": quarter}
            }
        )


def author_pk(r: Realisation) -> Any:
    """The user who created ``r`` (its audit entry ``create``), or ``None``."""
    from sanitasi.web.audit.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            city_kode=r.city_kode, model=r._meta.label_lower, object_pk=str(r.pk), action="create"
        )
        .order_by("when", "id")
        .values_list("user_id", flat=True)
        .first()
    )
    return entry


def _require(user: Any, action: str, r: Realisation) -> None:
    if not can(user, action, r):
        raise PermissionDenied(_("You may not do this on this realisation."))


def create(user: Any, activity: Activity, year: int, quarter: int, **values: Any) -> Realisation:
    """A new draft realisation of ``activity`` for ``year``/``quarter`` (a quarter that has
    started; :func:`check_report`)."""
    if not can_add(user, Realisation, activity.city_kode, activity=activity):
        raise PermissionDenied(_("You may not report on this activity."))
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    check_report(activity, year=year, quarter=quarter, progress_pct=values.get("progress_pct"))
    check_unlocked(year, quarter)
    if Realisation.objects.filter(
        city_kode=activity.city_kode, activity=activity, year=year, quarter=quarter
    ).exists():  # Django's own unique-together message is wrong in Indonesian
        raise ValidationError(
            {
                "quarter": _(
                    "%(year)s Q%(quarter)s is already reported for %(code)s: open that row "
                    "to change it."
                )
                % {"year": year, "quarter": quarter, "code": activity.code}
            }
        )
    r = Realisation(
        city_kode=activity.city_kode, activity=activity, year=year, quarter=quarter, **values
    )
    r.full_clean()
    with acting_as(user), transaction.atomic():
        r.save()
    return r


def edit(user: Any, r: Realisation, expected_version: int, **values: Any) -> Realisation:
    """Change a draft's figures, note or evidence."""
    _require(user, roles.CHANGE, r)
    if r.state != DRAFT:
        raise WorkflowError(
            _("Only a draft can be changed (this one is %(state)s).") % {"state": r.state}
        )
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if values.get("progress_pct") is not None:
        check_report(r.activity, progress_pct=values["progress_pct"])
    check_unlocked(r.year, r.quarter, r)
    for k, v in values.items():
        setattr(r, k, v)
    r.full_clean(validate_unique=False, validate_constraints=False)
    with acting_as(user):
        r.save_checked(expected_version)
    return r


def submit(user: Any, r: Realisation, expected_version: int) -> Realisation:
    """draft -> submitted (the agency sends it to Bappeda)."""
    _require(user, roles.SUBMIT, r)
    if r.state != DRAFT:
        raise WorkflowError(
            _("Only a draft can be submitted (this one is %(state)s).") % {"state": r.state}
        )
    try:
        check_unlocked(r.year, r.quarter, r)
    except ValidationError as e:
        raise WorkflowError(" ".join(e.messages)) from None
    r.state = SUBMITTED
    r.submitted_by = user
    r.submitted_at = timezone.now()
    set_action(r, "submit")
    with acting_as(user):
        r.save_checked(expected_version)
    return r


def verify(user: Any, r: Realisation, expected_version: int) -> Realisation:
    """submitted -> verified (Bappeda); dashboards count verified realisation."""
    _require(user, roles.VERIFY, r)
    if r.state != SUBMITTED:
        raise WorkflowError(
            _("Only a submitted realisation can be verified (this one is %(state)s).")
            % {"state": r.state}
        )
    r.state = VERIFIED
    r.verified_by = user
    r.verified_at = timezone.now()
    r.return_comment = ""
    set_action(r, "verify")
    with acting_as(user):
        r.save_checked(expected_version)
    return r


def return_(user: Any, r: Realisation, expected_version: int, comment: str) -> Realisation:
    """submitted -> draft with a comment saying what to fix (Bappeda)."""
    _require(user, roles.VERIFY, r)
    if r.state != SUBMITTED:
        raise WorkflowError(
            _("Only a submitted realisation can be returned (this one is %(state)s).")
            % {"state": r.state}
        )
    if not comment.strip():
        raise WorkflowError(_("Say what to fix: a returned realisation needs a comment."))
    r.state = DRAFT
    r.return_comment = comment.strip()
    set_action(r, "return")
    with acting_as(user):
        r.save_checked(expected_version)
    return r


def reopen(user: Any, r: Realisation, expected_version: int, reason: str) -> Realisation:
    """verified -> draft with Bappeda's reason (audited as ``reopen``): the agency corrects
    the row and submits it again; until verified again the dashboards no longer count it."""
    _require(user, roles.VERIFY, r)
    if r.state != VERIFIED:
        raise WorkflowError(
            _("Only a verified realisation can be reopened (this one is %(state)s).")
            % {"state": r.state}
        )
    if not reason.strip():
        raise WorkflowError(_("Say why: reopening a verified realisation needs a reason."))
    r.state = DRAFT
    r.return_comment = reason.strip()
    r.verified_by = None
    r.verified_at = None
    set_action(r, "reopen")
    with acting_as(user):
        r.save_checked(expected_version)
    return r


def delete_draft(user: Any, r: Realisation, expected_version: int) -> None:
    """Delete a draft (audited ``delete``): only by its author (the user who created it;
    a row without a recorded author: any user who may change it), only while a draft that
    was never submitted (no ``submitted_at``)."""
    _require(user, roles.CHANGE, r)
    if r.state != DRAFT or r.submitted_at is not None:
        raise WorkflowError(
            _("Only a draft that was never submitted can be deleted (this one is %(state)s).")
            % {"state": r.get_state_display()}
        )
    author = author_pk(r)
    if author is not None and author != user.pk:
        raise PermissionDenied(_("Only the author of a draft may delete it."))
    if r.version != expected_version:
        from sanitasi.web.basemodels import StaleObjectError

        raise StaleObjectError(r)
    with acting_as(user), transaction.atomic():
        r.delete()
