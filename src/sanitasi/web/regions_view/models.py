"""CitySummary: the figures of one kab/kota the province and national pages show, stored per
data version (never a plan run per city per request)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.web.basemodels import KODE_LENGTH


class CitySummary(models.Model):
    """One row per city: the numerators and denominators of its headline indicators
    (``figures``: indicator -> sums, see :func:`sanitasi.web.regions_view.summary.figures_of`),
    the reporting completeness and band of the latest closed quarter, and the ``version``
    (data version, quarter and code) they were computed at. Not city-owned data: a cache
    rebuilt from the city's plan run; the pages read it only for cities the user may see."""

    city_kode = models.CharField(_("city kode"), max_length=KODE_LENGTH, unique=True)
    province_kode = models.CharField(_("province kode"), max_length=KODE_LENGTH, db_index=True)
    nama = models.CharField(_("name"), max_length=200)
    province_nama = models.CharField(_("province name"), max_length=200, blank=True)
    version = models.CharField(_("data version"), max_length=200)
    base_year = models.PositiveSmallIntegerField(_("base year"), null=True)
    end_year = models.PositiveSmallIntegerField(_("end of the SSK period"), null=True)
    figures = models.JSONField(_("figures"), default=dict)
    year = models.PositiveSmallIntegerField(_("year"), null=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True)
    expected = models.PositiveIntegerField(_("reports expected"), default=0)
    reported = models.PositiveIntegerField(_("reports submitted or verified"), default=0)
    verified = models.PositiveIntegerField(_("reports verified"), default=0)
    band = models.CharField(_("band"), max_length=32, blank=True)
    error = models.TextField(_("why the plan is unavailable"), blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("city summary")
        verbose_name_plural = _("city summaries")

    def __str__(self) -> str:
        return f"{self.city_kode} {self.nama}"
