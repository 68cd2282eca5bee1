"""Django settings of the Sanitasi web application, read from the environment.

=========================  ===============================================================
variable                   meaning (default)
=========================  ===============================================================
``SANITASI_HOME``          folder of the embedded database, secret key and collected static
                           files (``./var``)
``DATABASE_URL``           ``sqlite:///path`` or ``postgres://user:pass@host:port/db``
                           (``sqlite:///$SANITASI_HOME/sanitasi.sqlite3``)
``SANITASI_SECRET_KEY``    Django secret key (a random key generated once into
                           ``$SANITASI_HOME/secret_key``)
``SANITASI_DEBUG``         ``1`` turns debug on (off)
``SANITASI_ALLOWED_HOSTS`` comma-separated host names (``127.0.0.1,localhost``)
``SANITASI_CSRF_TRUSTED_ORIGINS``  comma-separated origins behind a proxy (none)
``SANITASI_SECURE``        ``1``: HTTPS behind a proxy (secure cookies, X-Forwarded-Proto)
``SANITASI_PRECOMPUTE``    ``1``: after a save, compute the city's new plan in the background
                           (``sanitasi serve`` sets it unless given; off otherwise)
``SANITASI_STALE_READS``   ``1``: while a new data version is being built, the dashboard
                           (and the API with ``Cache-Control: max-stale``) answers from the
                           previous one, saying so (default: as ``SANITASI_PRECOMPUTE``)
``SANITASI_LOGIN_MAX_FAILURES``  wrong passwords in a row before a user name is locked (5)
``SANITASI_LOGIN_LOCKOUT_MINUTES``  how long it stays locked (15)
``SANITASI_IDLE_MINUTES``  sign out after this long without a request (30)
``SANITASI_SESSION_HOURS`` longest session, used or not (12)
``SANITASI_API_TOKEN_DAYS``  validity of a new API token (90)
``SANITASI_GEOJSON_MAX_MB``  largest boundary upload, MB (20)
``SANITASI_GEOJSON_MAX_DEPTH``  deepest JSON nesting of an upload (20)
``SANITASI_MAP_MAX_POSITIONS``  positions drawn on the dashboard map at most (20000)
``SANITASI_SMTP_HOST``     send e-mail (reminders, password reset) through this SMTP server;
                           the password-reset pages exist only when it is set; with
                           ``SANITASI_SMTP_PORT`` (587), ``SANITASI_SMTP_USER``,
                           ``SANITASI_SMTP_PASSWORD``, ``SANITASI_SMTP_TLS`` (``1``) and
                           ``SANITASI_SMTP_SSL``. Unset: e-mails are written as files under
                           ``$SANITASI_HOME/mail`` (``SANITASI_EMAIL_BACKEND=console``
                           prints them instead)
``SANITASI_EMAIL_FROM``    sender address of the reminders (``sanitasi@localhost``)
``SANITASI_REMINDER_DAYS`` days before a quarter's report is due that the reminder goes (14)
``SANITASI_REPORT_DUE_DAYS``  days after a quarter ends that its report is due (default: the
                           reference parameter ``report_due_days``, 14)
=========================  ===============================================================

``SANITASI_SSL_REDIRECT``  ``1``: redirect HTTP to HTTPS (except ``/healthz/``)
``SANITASI_HSTS_SECONDS``  Strict-Transport-Security max-age (0: no header)
``SANITASI_HSTS_INCLUDE_SUBDOMAINS``, ``SANITASI_HSTS_PRELOAD``  ``1``: those HSTS flags
``SANITASI_CSP``           Content-Security-Policy replacing the default (:mod:`.csp`)
``SANITASI_TASKS``         how heavy work (PDF/DOCX downloads, the plan after a save) runs
                           (:mod:`sanitasi.web.jobs`): ``inline`` (synchronous, in the
                           request: tests, ``runserver``), ``thread`` (queued in the
                           database, run by a thread of the web process), ``worker`` (queued
                           in the database, run by ``sanitasi worker``). Unset: ``inline``;
                           ``sanitasi serve`` sets ``worker`` on PostgreSQL, ``thread`` on
                           SQLite
``SANITASI_TASK_THREADS``  tasks one web process runs at once in ``thread`` mode (1)
``SANITASI_QUEUE_IMPORT_BYTES``  an upload (baseline workbook) larger than this many bytes
                           is stored in the database and checked and saved by a queued
                           task when tasks are queued (``thread``/``worker``); smaller
                           ones, and every one in ``inline`` mode, in the request (524288)
``SANITASI_CACHE``         ``database`` (the shared result caches in database tables, every
                           app instance on one PostgreSQL sees them) or ``file`` (under
                           ``SANITASI_HOME``: one host). Unset: ``database`` on PostgreSQL,
                           ``file`` on SQLite

SQLite runs in WAL mode (set on every new connection, see ``apps.py``).

Production (HTTPS behind a reverse proxy that sets ``X-Forwarded-Proto``; with these
``python -m sanitasi.web.manage check --deploy`` reports no issue)::

    SANITASI_SECRET_KEY=<50+ random characters>   SANITASI_ALLOWED_HOSTS=sanitasi.example.go.id
    SANITASI_SECURE=1   SANITASI_SSL_REDIRECT=1   SANITASI_HSTS_SECONDS=31536000
    SANITASI_HSTS_INCLUDE_SUBDOMAINS=1   SANITASI_HSTS_PRELOAD=1
    SANITASI_CSRF_TRUSTED_ORIGINS=https://sanitasi.example.go.id

HSTS makes browsers refuse plain HTTP to the host (and, with the two flags, to its
subdomains; preload lists it in browsers for good): set it once HTTPS works everywhere.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

WEB_DIR = Path(__file__).resolve().parent
REPORTS_STATIC = WEB_DIR.parent / "reports" / "static"


def _env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def sanitasi_home() -> Path:
    """The data folder: ``$SANITASI_HOME`` or ``./var`` (created when missing)."""
    home = Path(os.environ.get("SANITASI_HOME") or "var").expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def _secret_key(home: Path) -> str:
    """``$SANITASI_SECRET_KEY`` or the per-install key file (created once, mode 0600)."""
    key = os.environ.get("SANITASI_SECRET_KEY", "").strip()
    if key:
        return key
    path = home / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        key = secrets.token_urlsafe(50)
        fh.write(key + "\n")
    return key


def _database(home: Path) -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{home / 'sanitasi.sqlite3'}"
    db: dict[str, Any] = dict(dj_database_url.parse(url))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # Wait for a busy writer instead of failing; take the write lock when a transaction
        # starts (no lock upgrades, so no "database is locked" in the middle of a save).
        db["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE", **db.get("OPTIONS", {})}
        db["CONN_MAX_AGE"] = 0
    else:
        db["CONN_MAX_AGE"] = 60
        db["CONN_HEALTH_CHECKS"] = True
    return db


HOME = sanitasi_home()
SECRET_KEY = _secret_key(HOME)
DEBUG = os.environ.get("SANITASI_DEBUG", "") == "1"
ALLOWED_HOSTS = _env_list("SANITASI_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("SANITASI_CSRF_TRUSTED_ORIGINS")
if os.environ.get("SANITASI_SECURE", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# HTTPS hardening, each settable (the production set in the module docstring makes
# ``manage.py check --deploy`` clean). /healthz/ stays reachable over plain HTTP (a local
# health check), everything else is redirected when SANITASI_SSL_REDIRECT=1.
SECURE_SSL_REDIRECT = os.environ.get("SANITASI_SSL_REDIRECT", "") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SANITASI_HSTS_SECONDS", "0") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SANITASI_HSTS_INCLUDE_SUBDOMAINS", "") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("SANITASI_HSTS_PRELOAD", "") == "1"
# Content-Security-Policy (sanitasi.web.csp): SANITASI_CSP replaces the default policy.
SANITASI_CSP = os.environ.get("SANITASI_CSP", "").strip() or None

# ``sanitasi.web`` first: its templates (base, registration/, admin/base_site.html with the
# DEMO banner) override Django's.
INSTALLED_APPS = [
    "sanitasi.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "sanitasi.web.accounts",
    "sanitasi.web.geography",
    "sanitasi.web.plans",
    "sanitasi.web.programme",
    "sanitasi.web.monitoring",
    "sanitasi.web.evidence",
    "sanitasi.web.audit",
    "sanitasi.web.work",
    "sanitasi.web.api",
    "sanitasi.web.regions_view",
    "sanitasi.web.reminders",
    "sanitasi.web.scenarios",
    "django_tasks",  # the task framework (django.tasks backport; sanitasi.web.jobs)
    "django_tasks_db",  # its database backend: the queue table, SKIP LOCKED on PostgreSQL
    "ninja",  # serves the API docs (Swagger UI) from static files, no CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sanitasi.web.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanitasi.web.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sanitasi.web.accounts.security.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sanitasi.web.audit.log.AuditUserMiddleware",
    "sanitasi.web.middleware.PlanUnavailableMiddleware",
]

ROOT_URLCONF = "sanitasi.web.urls"
WSGI_APPLICATION = "sanitasi.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanitasi.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": _database(HOME)}

# Shared by every gunicorn worker (sanitasi.web.shared), file caches under SANITASI_HOME kept
# across restarts: ``results`` holds the pickled plan runs, monitoring reports and dashboard
# parts of each city (computed once per data version, by one worker under a file lock),
# ``charts`` the PDF charts drawn by vl-convert (per spec), ``downloads`` the rendered
# reports (a plan PDF takes seconds to lay out). Keys carry the
# city's data version and the code's fingerprint, so a change is a new key (old ones age out).
#: ``database``: the shared caches are tables of the database (``createcachetable``, run by
#: the migration ``web.0002_queue_cache_tables``), so app instances on several hosts share
#: them; ``file``: folders under SANITASI_HOME (one host).
SANITASI_CACHE = os.environ.get("SANITASI_CACHE", "").strip() or (
    "file" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "database"
)
_CACHE_SPEC = {  # alias: (timeout in seconds, most entries)
    "results": (7 * 24 * 3600, 500),
    "charts": (30 * 24 * 3600, 2000),
    "downloads": (7 * 24 * 3600, 300),
}


def _shared_cache(alias: str) -> dict[str, Any]:
    timeout, entries = _CACHE_SPEC[alias]
    if SANITASI_CACHE == "database":
        backend, location = "django.core.cache.backends.db.DatabaseCache", f"sanitasi_cache_{alias}"
    else:
        backend = "django.core.cache.backends.filebased.FileBasedCache"
        location = str(HOME / "cache" / alias)
    return {
        "BACKEND": backend,
        "LOCATION": location,
        "TIMEOUT": timeout,
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    **{alias: _shared_cache(alias) for alias in _CACHE_SPEC},
}

# Background tasks (sanitasi.web.jobs; django-tasks with the django-tasks-db backend): the
# queue is the table django_tasks_db_dbtaskresult of the database; SANITASI_TASKS says who
# runs what is queued (see the table above).
SANITASI_TASKS = os.environ.get("SANITASI_TASKS", "").strip() or "inline"
SANITASI_TASK_THREADS = max(1, int(os.environ.get("SANITASI_TASK_THREADS", "1") or 1))
# Uploads larger than this are checked and saved by a queued task (sanitasi.web.jobs).
SANITASI_QUEUE_IMPORT_BYTES = int(os.environ.get("SANITASI_QUEUE_IMPORT_BYTES", "") or 524288)
TASKS = {
    "default": {
        "BACKEND": "sanitasi.web.jobs.backend.SanitasiTaskBackend",
        "QUEUES": ["default"],
        "OPTIONS": {"mode": SANITASI_TASKS},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SANITASI_PRECOMPUTE = os.environ.get("SANITASI_PRECOMPUTE", "") == "1"
# Stale-while-revalidate reads (sanitasi.web.shared.serves_stale): where saves are
# precomputed in the background, a reader need not wait for the build of the new version.
SANITASI_STALE_READS = (
    os.environ.get("SANITASI_STALE_READS", "").strip() or ("1" if SANITASI_PRECOMPUTE else "0")
) == "1"

AUTHENTICATION_BACKENDS = ["sanitasi.web.accounts.backends.DemoAwareModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sanitasi.web.accounts.validators.DemoPasswordValidator"},
]
LOGIN_URL = "login"
# Accounts (issue 12 item 5; sanitasi.web.accounts.security, sanitasi.web.api.models).
SANITASI_LOGIN_MAX_FAILURES = int(os.environ.get("SANITASI_LOGIN_MAX_FAILURES", "5"))
SANITASI_LOGIN_LOCKOUT_MINUTES = float(os.environ.get("SANITASI_LOGIN_LOCKOUT_MINUTES", "15"))
SANITASI_IDLE_MINUTES = float(os.environ.get("SANITASI_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(float(os.environ.get("SANITASI_SESSION_HOURS", "12")) * 3600)
SANITASI_API_TOKEN_DAYS = float(os.environ.get("SANITASI_API_TOKEN_DAYS", "90"))
# GeoJSON boundary uploads (sanitasi.web.geography.geojson): size and nesting limits; the
# dashboard's map keeps at most SANITASI_MAP_MAX_POSITIONS positions (sanitasi.web.plans.tiles).
SANITASI_GEOJSON_MAX_MB = float(os.environ.get("SANITASI_GEOJSON_MAX_MB", "20"))
SANITASI_GEOJSON_MAX_DEPTH = int(os.environ.get("SANITASI_GEOJSON_MAX_DEPTH", "20"))
SANITASI_MAP_MAX_POSITIONS = int(os.environ.get("SANITASI_MAP_MAX_POSITIONS", "20000"))
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Indonesian by default, English available; Indonesian number and date formats.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["sanitasi.web.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# Static files: served by WhiteNoise from STATIC_ROOT (``serve`` runs collectstatic). The
# vendored Vega builds of the reports are served as static files too (no CDN).
STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [("vendor/vega", REPORTS_STATIC)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail of the reminders (sanitasi.web.reminders): SMTP when a host is given, else files
# under SANITASI_HOME/mail (or the console).
DEFAULT_FROM_EMAIL = os.environ.get("SANITASI_EMAIL_FROM", "sanitasi@localhost")
if os.environ.get("SANITASI_SMTP_HOST", "").strip():
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SANITASI_SMTP_HOST"].strip()
    EMAIL_PORT = int(os.environ.get("SANITASI_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SANITASI_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SANITASI_SMTP_PASSWORD", "")
    EMAIL_USE_SSL = os.environ.get("SANITASI_SMTP_SSL", "") == "1"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and os.environ.get("SANITASI_SMTP_TLS", "1") == "1"
    EMAIL_TIMEOUT = 30
elif os.environ.get("SANITASI_EMAIL_BACKEND", "") == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(HOME / "mail")
#: The password-reset pages are served only when mail can really be sent (an SMTP server).
SANITASI_PASSWORD_RESET = bool(os.environ.get("SANITASI_SMTP_HOST", "").strip())
SANITASI_REMINDER_DAYS = int(os.environ.get("SANITASI_REMINDER_DAYS", "14"))
SANITASI_REPORT_DUE_DAYS = (
    int(os.environ["SANITASI_REPORT_DUE_DAYS"])
    if os.environ.get("SANITASI_REPORT_DUE_DAYS", "").strip()
    else None
)
# With SANITASI_PRECOMPUTE: rebuild a city's province-page summary after each save too.
SANITASI_SUMMARIES_AFTER_SAVE = os.environ.get("SANITASI_SUMMARIES_AFTER_SAVE", "1") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
