"""Abstract bases of the domain models: city ownership and optimistic locking.

* :class:`CityOwned`: every city-owned row carries the city's ``city_kode`` (Kemendagri kab/kota
  code, e.g. ``13.72``) and every unique constraint starts with it, so a national deployment
  can shard by city (PostgreSQL + Citus) without a schema change. Its manager is a
  :class:`~sanitasi.web.scope.RestrictedQuerySet`.
* :class:`Versioned`: a ``version`` integer and :meth:`Versioned.save_checked`, which saves
  only if nobody saved the row since it was read (the second of two concurrent saves gets a
  :class:`StaleObjectError` with the current row; nothing is silently overwritten).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from sanitasi.web.scope import RestrictedQuerySet, RowScope

#: Longest region code (desa ``13.72.01.1001`` is 13 characters).
KODE_LENGTH = 20
CODE_LENGTH = 64

RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


class CityOwned(models.Model):
    """A row owned by one city (``city_kode``); ``objects.restrict(user, action)`` scopes it."""

    city_kode = models.CharField(
        _("city kode"),
        max_length=KODE_LENGTH,
        help_text=_("Kemendagri code of the kabupaten/kota that owns the row, e.g. 13.72."),
    )

    objects = RestrictedManager()

    #: Where the rows sit (domain, location, activity) for row scoping.
    row_scope: ClassVar[RowScope] = RowScope("plan")
    #: Whether saves and deletes are recorded in the audit log (sanitasi.web.audit).
    audit_changes: ClassVar[bool] = False

    class Meta:
        abstract = True


class StaleObjectError(Exception):
    """Someone saved the row after it was read: ``current`` is the row as stored now
    (``None`` if it was deleted)."""

    def __init__(self, current: models.Model | None) -> None:
        self.current = current
        version = getattr(current, "version", None)
        super().__init__(
            "the row was changed by someone else"
            + ("" if version is None else f" (now version {version})")
        )


class Versioned(models.Model):
    """Optimistic locking: ``version`` goes up by one on every :meth:`save_checked`."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_checked(self, expected_version: int, **kwargs: Any) -> None:
        """Save if the stored ``version`` is still ``expected_version`` (the version the
        editor read), bumping it; otherwise raise :class:`StaleObjectError`.

        The check and the bump are one conditional ``UPDATE``, atomic on SQLite and PostgreSQL.
        """
        if self.pk is None:
            self.version = 1
            self.save(**kwargs)
            return
        manager = type(self)._base_manager
        with transaction.atomic():
            from sanitasi.web.audit.log import remember_before

            remember_before(self)
            bumped = manager.filter(pk=self.pk, version=expected_version).update(
                version=expected_version + 1
            )
            if not bumped:
                raise StaleObjectError(manager.filter(pk=self.pk).first())
            self.version = expected_version + 1
            self.save(**kwargs)
