"""Audit log: who changed what, when, with the row before and after (issue 4 "Audit").

:func:`sanitasi.web.audit.log.record` writes one entry; signals (``signals.py``) call it on
every save and delete of a model with ``audit_changes = True`` (plan, targets, parameters,
observations, facilities, activities and their child rows, realisation), attributing the
change to the user of the current request (``AuditUserMiddleware``) or of an
:func:`~sanitasi.web.audit.log.acting_as` block.
"""
