"""Agency, Activity (+ supporting agencies, planned output/cost per year). Field names follow
the engine's tables (``sanitasi.core.programme.ProgrammeInputs``)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.core.model import FUNDING_SOURCES, STATUSES
from sanitasi.core.programme import PLAN_PROFILES, SECTORS, Effect, EffectError, parse_effects
from sanitasi.io.programme_tables import AGENCY_KINDS
from sanitasi.web.basemodels import CODE_LENGTH, KODE_LENGTH, CityOwned, Versioned
from sanitasi.web.scope import PROGRAMME, PROPOSED, RowScope

STATUS_CHOICES = [(s, s) for s in STATUSES]
KIND_CHOICES = [(k, k) for k in AGENCY_KINDS]
SECTOR_CHOICES = [(s, s) for s in SECTORS]
FUNDING_CHOICES = [(s, s) for s in FUNDING_SOURCES]
PROFILE_CHOICES = [(p, p) for p in PLAN_PROFILES]
ADOPTED = "adopted"
#: A proposal Bappeda turned down (kept, with its ``review_comment``, so the agency sees why
#: and the history stays on the row; it never counts in the plan).
REJECTED = "rejected"
STATE_CHOICES = [(ADOPTED, _("adopted")), (PROPOSED, _("proposed")), (REJECTED, _("rejected"))]


def _code(row: models.Model, relation: str) -> str:
    """The code of a related row for ``__str__`` (the audit's object names), its id if the
    related row is gone."""
    try:
        return str(getattr(row, relation).code)
    except ObjectDoesNotExist:
        return str(getattr(row, f"{relation}_id"))


class Agency(CityOwned):
    """A government agency (OPD), kecamatan office, partner, private or community actor.
    ``kode`` is the city for city agencies, the kecamatan for kecamatan offices, ``""`` for
    partners."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH)
    name_id = models.CharField(_("name (Indonesian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES, default="government")
    kode = models.CharField(_("region kode"), max_length=KODE_LENGTH, blank=True)
    role_summary = models.TextField(_("role"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES)

    row_scope: ClassVar[RowScope] = RowScope(PROGRAMME, kode="kode")
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "code"], name="agency_uniq"),
        ]

    def __str__(self) -> str:
        return self.code


#: The activity's text columns, named as in ``programme.csv`` (loader, forms and views share it).
ACTIVITY_TEXT_FIELDS: tuple[str, ...] = (
    "sector",
    "urgent_problem",
    "strategic_issue",
    "objective",
    "sasaran",
    "strategy",
    "programme",
    "activity",
    "output_unit",
    "funding_source",
    "plan_profile",
    "effect",
    "status",
)
#: The optional columns of ``programme.csv`` read by the SSK document (regional planning
#: nomenclature code and readiness; ``io/programme_tables.py`` DOCUMENT_COLUMNS): stored at
#: load and given back to the engine, so the web's document equals the CLI's.
ACTIVITY_DOCUMENT_FIELDS: tuple[str, ...] = (
    "sub_kegiatan",
    "ready_land",
    "ready_ded",
    "ready_env_doc",
    "ready_operator",
    "readiness_note",
)


class Activity(CityOwned, Versioned):
    """One activity of the programme matrix (KKL chain, output unit, location, funding, lead
    and supporting agencies, quarterly plan profile, effect per unit of output).

    ``state`` is ``adopted`` (in the plan), ``proposed`` (proposed by an agency, not yet
    adopted by Bappeda) or ``rejected`` (a proposal Bappeda turned down; ``review_comment``
    says why); only adopted activities reach the engine. ``adopted_on`` is the day Bappeda
    adopted it (set when a proposal is adopted; blank = in the plan from the start of the
    period): in that year it is judged from that quarter (``docs/METHOD.md`` §10). ``status`` is the provenance. Codes
    are unique within a city.
    """

    code = models.CharField(_("code"), max_length=CODE_LENGTH)
    sector = models.CharField(_("sector"), max_length=16, choices=SECTOR_CHOICES)
    urgent_problem = models.TextField(_("urgent problem"), blank=True)
    strategic_issue = models.TextField(_("strategic issue"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    sasaran = models.CharField(_("sasaran (indicator)"), max_length=CODE_LENGTH, blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    activity = models.TextField(_("activity"))
    output_unit = models.CharField(_("output unit"), max_length=200)
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="leads"
    )
    support_agencies = models.ManyToManyField(
        Agency,
        through="ActivitySupport",
        verbose_name=_("supporting agencies"),
        related_name="supports",
        blank=True,
    )
    location = models.ForeignKey(
        "geography.Region", verbose_name=_("location"), on_delete=models.PROTECT
    )
    funding_source = models.CharField(_("funding source"), max_length=16, choices=FUNDING_CHOICES)
    plan_profile = models.CharField(
        _("quarterly plan profile"), max_length=16, choices=PROFILE_CHOICES, default="linear"
    )
    effect = models.TextField(_("effect per unit of output"), default="none")
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES)
    state = models.CharField(_("state"), max_length=16, choices=STATE_CHOICES, default=ADOPTED)
    review_comment = models.TextField(_("review comment"), blank=True)
    sub_kegiatan = models.CharField(
        _("nomenclature code (sub-kegiatan)"), max_length=64, blank=True
    )
    ready_land = models.CharField(_("land ready"), max_length=16, blank=True)
    ready_ded = models.CharField(_("detailed design ready"), max_length=16, blank=True)
    ready_env_doc = models.CharField(_("environmental document ready"), max_length=16, blank=True)
    ready_operator = models.CharField(_("operator ready"), max_length=16, blank=True)
    readiness_note = models.TextField(_("readiness note"), blank=True)
    adopted_on = models.DateField(
        _("adopted on"),
        null=True,
        blank=True,
        help_text=_(
            "When Bappeda adopted the activity; it is judged from that quarter in that year. "
            "Blank: in the plan from the start of the period."
        ),
    )

    row_scope: ClassVar[RowScope] = RowScope(PROGRAMME, kode="location__kode", activity="")
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "code"], name="activity_uniq"),
        ]

    def __str__(self) -> str:
        return self.code

    def effects(self) -> tuple[Effect, ...]:
        return parse_effects(self.effect)

    def clean(self) -> None:
        try:
            parse_effects(self.effect)
        except EffectError as e:
            raise ValidationError({"effect": str(e)}) from None

    def support_codes(self) -> tuple[str, ...]:
        rows = self.supports_rows.order_by("position", "id").values_list("agency__code", flat=True)
        return tuple(rows)

    def audit_extra(self) -> dict[str, Any]:
        """The lead agency's code, the supporting agencies and the planned years, so that one
        entry of the activity shows every change of an edit (the screens save them together)."""
        extra: dict[str, Any] = {
            "lead_agency_code": self.lead_agency.code if self.lead_agency_id else None
        }
        if self.pk is not None:
            extra["support_agencies"] = list(self.support_codes())
            extra["planned_years"] = [
                f"{y}: {_plain_number(o)} | Rp {_plain_number(c)}"
                for y, o, c in PlannedYear.objects.filter(activity_id=self.pk)
                .order_by("year")
                .values_list("year", "planned_output", "planned_cost_idr")
            ]
        return extra


def _plain_number(value: float) -> str:
    """``120`` for whole numbers, else the shortest repr (audit text, language-neutral)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class ActivitySupport(CityOwned):
    """A supporting agency of an activity, in the order the matrix lists them."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="supports_rows")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    row_scope: ClassVar[RowScope] = RowScope(
        PROGRAMME, kode="activity__location__kode", activity="activity"
    )
    audit_changes: ClassVar[bool] = True

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "activity", "agency"], name="activitysupport_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{_code(self, 'activity')}: {_code(self, 'agency')}"


class PlannedYear(CityOwned):
    """Planned output and cost of an activity in one year."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="planned")
    year = models.PositiveSmallIntegerField(_("year"))
    planned_output = models.FloatField(_("planned output"), default=0.0)
    planned_cost_idr = models.FloatField(_("planned cost (Rp)"), default=0.0)

    row_scope: ClassVar[RowScope] = RowScope(
        PROGRAMME, kode="activity__location__kode", activity="activity"
    )
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("planned year")
        verbose_name_plural = _("planned years")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "activity", "year"], name="plannedyear_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{_code(self, 'activity')} {self.year}"
