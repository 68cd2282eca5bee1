"""UserProfile: a user's role and what it is scoped to (city, agency, kecamatan, province)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.web import roles
from sanitasi.web.basemodels import CODE_LENGTH, KODE_LENGTH


class UserProfile(models.Model):
    """Role and scope of a user (see :mod:`sanitasi.web.scope` for what each role may do).

    ``city_kode``: koordinator, opd, kecamatan, viewer. ``agency_code`` (an Agency code of that
    city): opd, kecamatan (its kecamatan office, e.g. ``KEC_LS``). ``kecamatan_kode``:
    kecamatan. ``province_kode``: fasilitator.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=16, choices=roles.ROLE_CHOICES)
    city_kode = models.CharField(_("city kode"), max_length=KODE_LENGTH, blank=True)
    agency_code = models.CharField(_("agency"), max_length=CODE_LENGTH, blank=True)
    kecamatan_kode = models.CharField(_("kecamatan kode"), max_length=KODE_LENGTH, blank=True)
    province_kode = models.CharField(_("province kode"), max_length=KODE_LENGTH, blank=True)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        needs_city = (roles.KOORDINATOR, roles.OPD, roles.KECAMATAN, roles.VIEWER)
        if self.role in needs_city and not self.city_kode:
            errors["city_kode"] = str(_("This role needs a city."))
        if self.role in (roles.OPD, roles.KECAMATAN) and not self.agency_code:
            errors["agency_code"] = str(_("This role needs an agency."))
        if self.role == roles.KECAMATAN:
            kec = self.kecamatan_kode
            if not kec or not kec.startswith(f"{self.city_kode}.") or kec.count(".") != 2:
                errors["kecamatan_kode"] = str(_("A kecamatan of the city, e.g. 13.72.01."))
        if self.role == roles.FASILITATOR and (not self.province_kode or "." in self.province_kode):
            errors["province_kode"] = str(_("A province code, e.g. 13."))
        if errors:
            raise ValidationError(errors)


class LoginThrottle(models.Model):
    """Failed logins of one user name (lower case) and, once over the limit, until when it
    is locked (:mod:`sanitasi.web.accounts.security`). Deleted by a successful login."""

    username = models.CharField(_("user name"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failed logins"), default=0)
    last_failure = models.DateTimeField(_("last failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.username} ({self.failures})"
