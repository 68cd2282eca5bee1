"""Realisation, Meeting (+ participants), ActionItem."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.core.model import STATUSES
from sanitasi.core.programme import ACTION_STATES, MILESTONES
from sanitasi.web.basemodels import CODE_LENGTH, CityOwned, Versioned
from sanitasi.web.scope import PROCESS, REALISATION, RowScope

STATUS_CHOICES = [(s, s) for s in STATUSES]
DRAFT = "draft"
SUBMITTED = "submitted"
VERIFIED = "verified"
STATE_CHOICES = [(DRAFT, _("draft")), (SUBMITTED, _("submitted")), (VERIFIED, _("verified"))]
#: Labels of ``sanitasi.core.programme.MEETING_KINDS`` (a test checks they agree).
KIND_CHOICES = [
    ("coaching_clinic", _("Coaching Clinic")),
    ("pokja_meeting", _("Pokja meeting")),
    ("milestone_review", _("Milestone review")),
]
MILESTONE_CHOICES = [("", "-")] + [(m, m) for m in MILESTONES]
ACTION_STATE_CHOICES = [(s, s) for s in ACTION_STATES]


def _code(row: models.Model, relation: str) -> str:
    """The code of a related row for ``__str__`` (the audit's object names), its id if the
    related row is gone."""
    try:
        return str(getattr(row, relation).code)
    except ObjectDoesNotExist:
        return str(getattr(row, f"{relation}_id"))


class Realisation(CityOwned, Versioned):
    """Output achieved and money spent on an activity in one quarter (increments in the
    quarter), and for works counted at completion the physical progress (``progress_pct``,
    cumulative, blank = not reported). Workflow: ``draft`` -> ``submitted`` (agency) -> ``verified`` (Bappeda), or back
    to ``draft`` with a ``return_comment``. ``version`` guards concurrent saves."""

    activity = models.ForeignKey(
        "programme.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="realisations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    output_achieved = models.FloatField(_("output achieved"), default=0.0)
    cost_spent_idr = models.FloatField(_("money spent (Rp)"), default=0.0)
    progress_pct = models.FloatField(
        _("physical progress (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(100.0)],
        help_text=_(
            "Works counted at completion only: cumulative % of the year's planned works "
            "physically done at the end of the quarter (progres fisik)."
        ),
    )
    state = models.CharField(_("state"), max_length=16, choices=STATE_CHOICES, default=DRAFT)
    note = models.TextField(_("note"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=STATUS_CHOICES, default="unverified"
    )
    return_comment = models.TextField(_("return comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    row_scope: ClassVar[RowScope] = RowScope(
        REALISATION, kode="activity__location__kode", activity="activity"
    )
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "activity", "year", "quarter"], name="realisation_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="realisation_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{_code(self, 'activity')} {self.year} Q{self.quarter}"


class Meeting(CityOwned):
    """A Coaching Clinic, Pokja meeting or milestone review (M1-M4)."""

    code = models.CharField(_("id"), max_length=CODE_LENGTH)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    title = models.CharField(_("title"), max_length=300, blank=True)
    milestone = models.CharField(
        _("milestone"), max_length=4, choices=MILESTONE_CHOICES, blank=True
    )
    participants = models.ManyToManyField(
        "programme.Agency",
        through="MeetingParticipant",
        verbose_name=_("participants"),
        related_name="meetings",
        blank=True,
    )
    summary = models.TextField(_("summary"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    row_scope: ClassVar[RowScope] = RowScope(PROCESS)
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "code"], name="meeting_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.date}"

    def audit_extra(self) -> dict[str, list[str]]:
        if self.pk is None:
            return {"participants": []}
        codes = self.participant_rows.order_by("position", "id").values_list("agency__code")
        return {"participants": [c for (c,) in codes]}


class MeetingParticipant(CityOwned):
    """An agency taking part in a meeting, in the order listed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participant_rows")
    agency = models.ForeignKey("programme.Agency", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    row_scope: ClassVar[RowScope] = RowScope(PROCESS)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "meeting", "agency"], name="meetingparticipant_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.agency_id}"


class ActionItem(CityOwned):
    """A follow-up action of a meeting: owner agency, due date, open/done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(_("number"))
    action = models.TextField(_("action"))
    owner_agency = models.ForeignKey(
        "programme.Agency", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=8, choices=ACTION_STATE_CHOICES, default="open")
    status = models.CharField(
        _("status"), max_length=16, choices=STATUS_CHOICES, default="unverified"
    )

    row_scope: ClassVar[RowScope] = RowScope(PROCESS, owner="owner_agency__code")
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "meeting", "number"], name="actionitem_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{_code(self, 'meeting')} #{self.number}"

    def audit_extra(self) -> dict[str, str | None]:
        owner = self.owner_agency.code if self.owner_agency_id else None
        return {"owner_agency_code": owner}
