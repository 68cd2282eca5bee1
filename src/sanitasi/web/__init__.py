"""The Pokja's web application (Django 5.2 + HTMX), on the same core and reports as the CLI.

Layout (NetBox style, one Django app per domain)::

    settings.py, urls.py, wsgi.py   the project (settings read the environment, see settings.py)
    apps.py, models.py              the ``web`` app itself: SiteSetting, templates, static, commands
    roles.py, scope.py              roles and the ONE place where row scoping is decided
    basemodels.py                   CityOwned (city_kode + restricted manager), Versioned
    geography/ plans/ programme/ monitoring/ accounts/ audit/   the domain apps
    loader.py                       load a city folder (validated as in the CLI), all-or-nothing
    serve.py, manage.py             gunicorn + whitenoise server; ``python -m sanitasi.web.manage``

Nothing here re-implements a formula: figures come from :mod:`sanitasi.core` through
:func:`sanitasi.web.plans.inputs.plan_inputs_for`, which rebuilds from the database the same
:class:`~sanitasi.core.model.PlanInputs` that the CLI reads from a city folder.
"""
