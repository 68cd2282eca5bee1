"""The Pokja's web application (Django 5.2 + HTMX), on the same core and reports as the CLI.

Layout (NetBox style, one Django app per domain)::

    settings.py, urls.py, wsgi.py   the project (settings read the environment, see settings.py)
    apps.py, models.py              the ``web`` app itself: SiteSetting, QueuedUpload (an upload
                                    waiting for its queued import task), templates, static, commands
    roles.py, scope.py              roles and the ONE place where row scoping is decided
    basemodels.py                   CityOwned (city_kode + restricted manager), Versioned
    geography/ plans/ programme/ monitoring/ accounts/ audit/   the domain apps
    loader.py                       load a city folder (validated as in the CLI), all-or-nothing
    serve.py, manage.py             gunicorn + whitenoise server; ``python -m sanitasi.web.manage``

Nothing here re-implements a formula or wires a report: every plan and monitoring report is
built by the use-case layer (:func:`sanitasi.app.plan_report`,
:func:`sanitasi.app.monitoring_report`) on
:class:`sanitasi.web.plans.source.DatabaseSource`, whose inputs
(:func:`sanitasi.web.plans.inputs.plan_inputs_for` and the programme and instrument files)
are the same the CLI reads from a city folder.
"""
