"""The JSON API under ``/api/`` (django-ninja; OpenAPI at ``/api/openapi.json``).

``endpoints`` holds the :class:`ninja.NinjaAPI` (included by ``sanitasi.web.urls``), ``auth``
the session and bearer-token authentication, ``models`` the per-user API token. Row scope comes
from :func:`sanitasi.web.scope.restrict` only; realisation is written through
:mod:`sanitasi.web.monitoring.workflow`.
"""
