"""User roles and scoping actions (the roles of README "Web application"; issue 4 "Roles and scope").

Plain constants (no Django models) so that models, scoping and forms share them without
import cycles. Labels are translated lazily.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KOORDINATOR = "koordinator"
OPD = "opd"
KECAMATAN = "kecamatan"
FASILITATOR = "fasilitator"
VIEWER = "viewer"
ADMIN = "admin"
#: National viewer (Bappenas, PUPR): reads every city, province and the nation; changes nothing.
NATIONAL = "nasional"

ROLES: tuple[str, ...] = (KOORDINATOR, OPD, KECAMATAN, FASILITATOR, VIEWER, ADMIN, NATIONAL)

ROLE_CHOICES = [
    (KOORDINATOR, _("Coordinator (Bappeda)")),
    (OPD, _("Agency (OPD)")),
    (KECAMATAN, _("Kecamatan")),
    (FASILITATOR, _("Provincial facilitator")),
    (VIEWER, _("Viewer (read only)")),
    (ADMIN, _("Administrator")),
    (NATIONAL, _("National viewer (Bappenas/PUPR)")),
]

VIEW = "view"
CHANGE = "change"
SUBMIT = "submit"
VERIFY = "verify"
#: Actions understood by :meth:`sanitasi.web.scope.RestrictedQuerySet.restrict`.
ACTIONS: tuple[str, ...] = (VIEW, CHANGE, SUBMIT, VERIFY)
