"""Observation, TargetSet/TargetPoint, Plan (+ selected target sets, parameter overrides),
Facility, CityFile (the SSK instrument files). Field names follow the engine's tables
(``sanitasi.core.model.PlanInputs``)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanitasi.core.model import STATUSES
from sanitasi.web.basemodels import CODE_LENGTH, KODE_LENGTH, CityOwned, Versioned
from sanitasi.web.scope import PLAN, RowScope

STATUS_CHOICES = [(s, s) for s in STATUSES]
KIND_CHOICES = [("target", _("target")), ("baseline", _("baseline"))]
GROWTH_CHOICES = [(m, m) for m in ("geometric", "arithmetic", "exponential")]
BAU_CHOICES = [(m, m) for m in ("constant", "trend")]
STAGE_CHOICES = [("", "-")] + [(m, m) for m in ("M1", "M2", "M3", "M4")]
#: Code of a city's own target set (``scope_kode`` = the city).
LOCAL = "LOCAL"


class Observation(CityOwned):
    """One value of an indicator for a region and year (the baseline is a set of these)."""

    region = models.ForeignKey(
        "geography.Region", verbose_name=_("region"), on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=CODE_LENGTH)
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES)
    source = models.TextField(_("source"), blank=True)

    row_scope: ClassVar[RowScope] = RowScope(PLAN, kode="region__kode")
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "region", "year", "indicator"], name="observation_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class TargetSet(CityOwned):
    """A named set of target points. National sets (RPJMN, Jakstranas, SDG ...) are shared
    reference rows with ``city_kode == ""``, synced from the package's reference targets at
    every load; a city's own sets (``LOCAL``, or rows it adds) carry its ``city_kode``."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH)
    name = models.CharField(_("name"), max_length=200, blank=True)

    row_scope: ClassVar[RowScope] = RowScope(PLAN, shared=True)
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("target set")
        verbose_name_plural = _("target sets")
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "code"], name="targetset_uniq"),
        ]

    def __str__(self) -> str:
        return self.code if not self.city_kode else f"{self.code} ({self.city_kode})"


class TargetPoint(CityOwned):
    """(indicator, year, value) of a target set; ``kind`` is ``target`` or ``baseline``."""

    target_set = models.ForeignKey(
        TargetSet, verbose_name=_("target set"), on_delete=models.CASCADE, related_name="points"
    )
    indicator = models.CharField(_("indicator"), max_length=CODE_LENGTH)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    value = models.FloatField(_("value"))
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES)
    scope_kode = models.CharField(_("scope kode"), max_length=KODE_LENGTH, blank=True)
    unit = models.CharField(_("unit"), max_length=64, blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    row_scope: ClassVar[RowScope] = RowScope(PLAN, shared=True)
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("target point")
        verbose_name_plural = _("target points")
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "target_set", "indicator", "year"], name="targetpoint_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.value:g}"


class Plan(CityOwned, Versioned):
    """The city's SSK: base year, horizon, SSK period, selected target sets, parameter
    overrides, stage; ``version`` counts saves (optimistic locking). One active plan per city
    feeds the dashboards."""

    code = models.CharField(_("code"), max_length=CODE_LENGTH, default="SSK")
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    base_year = models.PositiveSmallIntegerField(_("base year"))
    horizon = models.PositiveSmallIntegerField(_("horizon"))
    period_start = models.PositiveSmallIntegerField(_("period start"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("period end"), null=True, blank=True)
    growth_method = models.CharField(
        _("growth method"), max_length=16, choices=GROWTH_CHOICES, default="geometric"
    )
    bau_mode = models.CharField(
        _("business as usual"), max_length=16, choices=BAU_CHOICES, default="constant"
    )
    stage = models.CharField(_("stage"), max_length=4, choices=STAGE_CHOICES, blank=True)
    target_sets = models.ManyToManyField(
        TargetSet, through="PlanTargetSet", verbose_name=_("target sets"), blank=True
    )
    sources = models.JSONField(_("sources"), default=dict, blank=True)
    #: Headline indicator codes the koordinator publishes on the public page (in order).
    published_indicators = models.JSONField(_("published indicators"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    row_scope: ClassVar[RowScope] = RowScope(PLAN)
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "code"], name="plan_uniq"),
            models.UniqueConstraint(
                fields=["city_kode"], condition=Q(is_active=True), name="plan_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.city_kode}"


class PlanTargetSet(CityOwned):
    """A target set selected by a plan, in order. No row at all: the engine decides."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="selected_sets")
    target_set = models.ForeignKey(TargetSet, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    row_scope: ClassVar[RowScope] = RowScope(PLAN)
    audit_changes: ClassVar[bool] = True

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "plan", "target_set"], name="plantargetset_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.target_set_id}"


class ParameterOverride(CityOwned):
    """A plan's value for a reference parameter, with its source and status."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="overrides")
    name = models.CharField(_("parameter"), max_length=CODE_LENGTH)
    value_num = models.FloatField(_("value (number)"), null=True, blank=True)
    value_text = models.CharField(_("value (choice)"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=STATUS_CHOICES, default="unverified"
    )
    note = models.TextField(_("note"), blank=True)

    row_scope: ClassVar[RowScope] = RowScope(PLAN)
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("parameter override")
        verbose_name_plural = _("parameter overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["city_kode", "plan", "name"], name="parameteroverride_uniq"
            ),
        ]

    @property
    def value(self) -> float | str:
        return self.value_text if self.value_num is None else float(self.value_num)

    @value.setter
    def value(self, v: Any) -> None:
        if isinstance(v, str):
            self.value_num, self.value_text = None, v
        else:
            self.value_num, self.value_text = float(v), ""

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Facility(CityOwned):
    """IPLT, IPAL komunal, TPA, TPS3R, TPS, bank sampah, trucks: capacity with unit, place."""

    code = models.CharField(_("id"), max_length=CODE_LENGTH)
    type = models.CharField(_("type"), max_length=CODE_LENGTH)
    name = models.CharField(_("name"), max_length=200, blank=True)
    region = models.ForeignKey(
        "geography.Region", verbose_name=_("region"), on_delete=models.CASCADE
    )
    capacity = models.FloatField(_("capacity"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES)
    source = models.TextField(_("source"), blank=True)
    owner = models.CharField(_("owner"), max_length=16, default="sendiri")
    #: The TPA's opening year and IPCC site class (``facilities.csv`` ``year_built`` and
    #: ``tpa_site_class``), read by the plan's GHG chapter; kept for TPA rows only.
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    tpa_site_class = models.CharField(_("TPA site class"), max_length=32, blank=True)

    row_scope: ClassVar[RowScope] = RowScope(PLAN, kode="region__kode")
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "code"], name="facility_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.type}"


class CityFile(CityOwned):
    """A file of the city folder kept as loaded: the SSK instrument files
    (``risk_indicators.csv``, ``risk_weights.csv``, ``risk_overrides.csv``, ``sfd.csv``,
    ``survey_result.csv``) and the GHG chapter's ``waste_composition.csv``. ``sanitasi load``
    validates them with the CLI's readers before storing them (all-or-nothing); the plan's
    Bab II and GHG chapter read them through the same readers
    (``sanitasi.web.plans.source.DatabaseSource``). ``content`` is the file's UTF-8 text as
    loaded (a BOM kept), ``sha256`` the hash of its bytes."""

    name = models.CharField(_("file"), max_length=CODE_LENGTH)
    content = models.TextField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    row_scope: ClassVar[RowScope] = RowScope(PLAN)
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("city file")
        verbose_name_plural = _("city files")
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "name"], name="cityfile_uniq"),
        ]

    @property
    def data(self) -> bytes:
        """The file's bytes (as loaded)."""
        return self.content.encode("utf-8")

    def __str__(self) -> str:
        return f"{self.name} ({self.city_kode})"
