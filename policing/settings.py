"""Settings for the policing measures site.

Everything that differs between a laptop and production comes from the
environment; the defaults are for development with the embedded SQLite file.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.log import DEFAULT_LOGGING

from policing.env import env_bool, env_date, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

# The host names the site answers to. Required in production: a request for
# any other host is refused (400) before anything else, the page cache included.
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off: the comma-separated "
        "host names the site is served under, e.g. DJANGO_ALLOWED_HOSTS=measures.example.org"
    )

INSTALLED_APPS = [
    "core.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-chartjs is used for its chart views only: it is not an installed
    # app, so its bundled Chart.js 2 and Highcharts never reach collectstatic.
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "measures",
    "plan",
    "opendata",
    "official",
    "compare",
    "releases",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Public HTML, CSV and JSON gzipped for clients that accept it: outside the
    # page cache, so a cached page is compressed too. Never the admin, a
    # signed-in user's response or one holding a CSRF token (BREACH: see
    # core.middleware.may_compress).
    "core.middleware.PublicGZipMiddleware",
    # With a read replica: whether this request may read from it (it is not
    # away), decided once, before the page cache reads the data version.
    "core.replica.ReplicaAvailabilityMiddleware",
    # Right after the HTTPS redirect: a cached page for the public is served
    # with the headers every middleware below gave it, at the cost of one
    # look-up of the data version.
    "core.cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page, so browsers and proxies can revalidate cheaply.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.replica.PrimaryForStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost, so that it sees a view's database error first.
    "core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "policing.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plan.context_processors.publishing_body",
            ],
        },
    },
]

WSGI_APPLICATION = "policing.wsgi.application"
ASGI_APPLICATION = "policing.asgi.application"

# SQLite in the project folder unless DATABASE_URL says otherwise
# (postgres://user:password@host:5432/name in production and in CI).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# A read replica for the public pages' reads, when there is one; writes and
# everything staff do stay on the primary (see core.routers). While the replica
# is away, its reads go to the primary (see core.replica).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]

# Some indexes carry extra columns for PostgreSQL to answer from the index
# alone (Index.include); SQLite has no such columns, builds the same index
# without them, and Django warns of it on every start. The warning is about
# SQLite by design, so it is silenced there only.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# A database server that does not answer is given up on after a few seconds
# (the page then answers 503), not waited for until the worker is killed.
# A connect_timeout in the URL's query string wins.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
        )

# After a failure, how long a process leaves the cache (Redis) or the read
# replica alone before trying it again; meanwhile it runs without them.
DEPENDENCY_RETRY_SECONDS = float(os.environ.get("DEPENDENCY_RETRY_SECONDS", "5"))

# Local memory by default; Redis, shared by every application server, when
# REDIS_URL is set (redis://127.0.0.1:6379/0). While Redis is away the site
# runs uncached, from the database (see core.cache_backends).
if os.environ.get("REDIS_URL"):
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "policing"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "RETRY_SECONDS": DEPENDENCY_RETRY_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions stay in the database alone (Django's default), not in the cache:
# a cache outage must neither sign staff out nor bring back, when it ends, a
# session that was signed out while it lasted. A signed-in request reads its
# session by primary key: one small query.

# How long a cached public page may be kept; a change of data makes it stale sooner.
# 0 turns the public page cache off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", str(60 * 60 * 24)))
# A page larger than this is served but not cached.
PUBLIC_CACHE_MAX_BYTES = int(os.environ.get("PUBLIC_CACHE_MAX_BYTES", str(512 * 1024)))
# How many query-string variants of one page (sorted, filtered, paged) are
# cached per data version; the page without a query string is always cached.
PUBLIC_CACHE_MAX_VARIANTS = int(os.environ.get("PUBLIC_CACHE_MAX_VARIANTS", "50"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The public pages' wording is marked for translation ({% translate %},
# gettext): the Welsh bodies publish in Welsh as well. `manage.py
# makemessages -l cy` writes the catalogue here (locale/README.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Pages name every static file by its hashed name ({% static %}), and the
# admin's scripts no longer build a file's name themselves: only the hashed
# copies are kept, so collectstatic compresses each file once, not twice.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# The admin lives at a path of the operator's choosing (e.g. "staff-4f2a/").
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and locks the username out from that address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failures count against the client's address, which behind a proxy is not
# REMOTE_ADDR (the proxy's) nor the first entry of X-Forwarded-For (anything
# the client wrote), but the entry the proxy appended: with
# DJANGO_TRUSTED_PROXIES proxies in a row, that many from the end (see
# core.sites.client_ip_address, django-axes's documented AXES_CLIENT_IP_CALLABLE).
TRUSTED_PROXY_COUNT = (
    int(os.environ.get("DJANGO_TRUSTED_PROXIES", "1"))
    if env_bool("DJANGO_BEHIND_PROXY", False)
    else 0
)
AXES_CLIENT_IP_CALLABLE = "core.sites.client_ip_address"

# Two-factor sign-in (TOTP) for every staff account when this is on.
ADMIN_REQUIRE_TWO_FACTOR = env_bool("DJANGO_ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Policing measures"

# Security headers, on in development too so that pages are built to pass them.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    # Production: HTTPS only. Behind a proxy that terminates TLS, set
    # DJANGO_BEHIND_PROXY=1 so that its X-Forwarded-Proto header is trusted; the
    # proxy must then set that header itself and drop any the client sent.
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# Production settings tried from a browser on this machine over plain HTTP
# (make serve-local), where Secure cookies would never come back and sign-in
# would fail its CSRF check. Refused unless the site answers to loopback names
# only and no proxy forwards to it, so that a deployment others can reach
# cannot run with it left on.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
if not DEBUG and env_bool("DJANGO_INSECURE_LOCAL_HTTP", False):
    if (
        not ALLOWED_HOSTS
        or not set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS)
        or env_bool("DJANGO_BEHIND_PROXY", False)
    ):
        raise ImproperlyConfigured(
            "DJANGO_INSECURE_LOCAL_HTTP=1 is for trying the site on this machine only: "
            f"DJANGO_ALLOWED_HOSTS must name only {', '.join(LOOPBACK_HOSTS)} "
            f"(it names {', '.join(ALLOWED_HOSTS) or 'none'}), and DJANGO_BEHIND_PROXY "
            "must be off. Never set it on a server that others reach."
        )
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0

# The pages a public body's site must have (pages/about.py). Each fact is the
# operator's to state: left unset, the page says it has not been given rather
# than invent one. Dates are ISO (2026-11-30).
# The accessibility statement (Public Sector Bodies (Websites and Mobile
# Applications) (No. 2) Accessibility Regulations 2018, in GOV.UK's model
# form): when it was first prepared, last reviewed, and the site last tested.
ACCESSIBILITY_STATEMENT_PREPARED = env_date("ACCESSIBILITY_STATEMENT_PREPARED")
ACCESSIBILITY_STATEMENT_REVIEWED = env_date("ACCESSIBILITY_STATEMENT_REVIEWED")
ACCESSIBILITY_LAST_TESTED = env_date("ACCESSIBILITY_LAST_TESTED")
# Who enforces the regulations where the body is: "ehrc" (England, Scotland,
# Wales: the Equality and Human Rights Commission, complaints to the Equality
# Advisory and Support Service) or "ecni" (the Equality Commission for
# Northern Ireland).
ACCESSIBILITY_ENFORCEMENT = os.environ.get("ACCESSIBILITY_ENFORCEMENT", "ehrc")
if ACCESSIBILITY_ENFORCEMENT not in {"ehrc", "ecni"}:
    raise ImproperlyConfigured("ACCESSIBILITY_ENFORCEMENT must be ehrc or ecni.")
# The address of the body's own privacy notice, linked from the privacy page.
PRIVACY_NOTICE_URL = os.environ.get("PRIVACY_NOTICE_URL", "")

# Django 6 assumes https for scheme-less web addresses typed into forms; do so now.
FORMS_URLFIELD_ASSUME_HTTPS = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"django.server": DEFAULT_LOGGING["formatters"]["django.server"]},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django gives its "django" logger a console handler of its own (in
        # development) and lets its records reach the root's as well, which
        # wrote every warning, each 404 for one, twice. The root's alone, at
        # the root's level.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        # Configuring "django" resets its children: the development server's
        # request lines keep their own handler and format, as Django sets them.
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
        # WeasyPrint (an edition's PDF) logs each layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
