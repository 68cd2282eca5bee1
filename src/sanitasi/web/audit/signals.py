"""Signals that record saves and deletes of audited models (``audit_changes = True``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from sanitasi.web.audit.log import (
    ACTION_ATTR,
    BEFORE_ATTR,
    current_user,
    is_suspended,
    record,
    remember_before,
    snapshot,
)


def _audited(sender: Any, raw: bool = False) -> bool:
    return bool(getattr(sender, "audit_changes", False)) and not raw and not is_suspended()


def _pre_save(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    if _audited(sender, raw):
        remember_before(instance)


def _post_save(sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    if not _audited(sender, raw):
        instance.__dict__.pop(BEFORE_ATTR, None)
        instance.__dict__.pop(ACTION_ATTR, None)
        return
    before = None if created else instance.__dict__.pop(BEFORE_ATTR, None)
    instance.__dict__.pop(BEFORE_ATTR, None)
    action = instance.__dict__.pop(ACTION_ATTR, None)
    record(current_user(), instance, before, snapshot(instance), action=action)


def _post_delete(sender: Any, instance: Any, **_: Any) -> None:
    if _audited(sender):
        record(current_user(), instance, snapshot(instance), None)


def connect() -> None:
    pre_save.connect(_pre_save, dispatch_uid="sanitasi_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="sanitasi_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="sanitasi_audit_post_delete")
