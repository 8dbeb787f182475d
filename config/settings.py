"""One settings module for every environment, driven by environment variables (django-environ).

DJANGO_ENV selects the defaults: "development" (the default: SQLite, eager Celery, DEBUG on) or
"production" (secrets required, HTTPS-only cookies, HSTS, compressed static files). Everything
else is switched by the variables documented in README.md and .env.example.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is optional; real environment variables always win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in ("development", "production"):
    raise environ.ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"

# In production SECRET_KEY has no default: a missing key must stop the start, not weaken it.
SECRET_KEY = (
    env.str("SECRET_KEY")
    if PRODUCTION
    else env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",  # registers django-csp's system checks (a pre-4.0 settings format is an error)
    "auditlog",
    # Sign-in hardening: lockout after repeated failures, and one-time codes (TOTP).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The layers, lowest first (docs/architecture.md): each app may import only those above it.
    "core",
    "accounts",
    "communes",
    "casefiles",
    "assessments",
    "reports",
    "imports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.CookieOrDefaultLanguageMiddleware",
    # A NUL in the query string answers 400 before any page or the admin reads it.
    "config.middleware.RejectNulInQueryStringMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the one-time code step?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end 12 hours after sign-in, however active (the idle limit is the cookie's age).
    "accounts.middleware.SessionLifetimeMiddleware",
    # Provincial officers and administrators must pass the one-time code step before anything.
    "accounts.middleware.RequireTwoFactorMiddleware",
    # A page asked for by another origin of the same site (another port or subdomain, which
    # SameSite=Strict lets through) answers a confirmation page: no read in the officer's name.
    "accounts.middleware.ConfirmForeignNavigationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy header on every response (policy under "Security" below).
    "csp.middleware.CSPMiddleware",
    # Records who made each change (and from which address) in the audit log.
    "accounts.middleware.AuditlogMiddleware",
    # Records denied pages (403) in the security log.
    "accounts.middleware.DeniedAccessLogMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # WhiteNoise serves the collected static files; in development runserver does.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL (psycopg2) through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache. Without REDIS_URL, tasks run eagerly in-process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Misses instead of errors while Redis is down (config/cache.py).
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer costs a page one second, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is redelivered, not dropped
# Tasks write their outcome to the database (ReportRun, ImportJob); nobody reads Celery results.
# Sending a task that keeps its result subscribes to it, and with Redis down that retried for
# 20 s and then broke the web process until restart (docs/operations.md).
CELERY_TASK_IGNORE_RESULT = True
# With Redis down, sending a task fails within about a second; the services record it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process whose resident memory passed this (KiB) after a task is replaced by a fresh one:
# memory a large import or report took is given back instead of kept for ever. The pool has
# `--concurrency` processes (2 in docker-compose.yml): imports and reports run at most that many
# at once per worker, each upload bounded by IMPORT_MAX_BYTES and IMPORT_MAX_ROWS, and one
# upload per officer is checked at a time (imports.services.import_job_start).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512 * 1024
)
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE = {
    # Statutory reports: each province's six-month and annual report, the day after its own
    # cut-off (QĐ 28: 14 December; Lạng Sơn's plan: 10 June and 10 December). Checked daily.
    "six-month-reports": {
        "task": "reports.tasks.build_statutory_reports",
        "schedule": crontab(hour=1, minute=0),
        "args": ("six_month",),
    },
    "annual-reports": {
        "task": "reports.tasks.build_statutory_reports",
        "schedule": crontab(hour=1, minute=0),
        "args": ("annual",),
    },
    # Assess every commune of every province each night and store the results: the province
    # table and dashboard read them (assessing a province live takes seconds).
    "province-runs": {
        "task": "assessments.tasks.run_all_provinces",
        "schedule": crontab(hour=1, minute=30),
    },
    # Re-assess recognised communes every night; a relapse is flagged for review by morning.
    "watch-relapses": {
        "task": "assessments.tasks.watch_relapses",
        "schedule": crontab(hour=2, minute=0),
    },
}

# --- Accounts, sign-in and sessions.
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.PortalBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Idle timeout: the cookie's age is renewed on every request, so it expires after this
# many minutes without activity.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However active the user, a session ends this many hours after sign-in.
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_HTTPONLY = True
# Strict: a link or redirect from another site arrives signed out, so no other site can make
# an officer's browser open a file and write a read in the officer's name (SECURITY.md). The
# officer signs in and lands on the page (`next`). The CSRF cookie stays Lax: it proves
# nothing alone, and a Strict one would be replaced on such an arrival, failing the forms
# open in the officer's other tabs.
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Lax"

# Lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused for AXES_COOLOFF_MINUTES. Locking the pair, not the username
# alone, stops a stranger from locking a real officer out from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Failed sign-ins and lockouts are shown in our own read-only security log (accounts admin);
# a lockout ends by itself after the cool-off, or `manage.py axes_reset_username <name>`.
AXES_ENABLE_ADMIN = False
# How many reverse proxies stand before the app: the client's address is then read from the
# right of X-Forwarded-For (accounts.security.client_ip), for lockouts and both logs alike.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"

# Two-factor sign-in (django-otp, TOTP): the issuer shown in the officer's authenticator app.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Cổng xã không ma túy")
# Roles that must pass the one-time code step (accounts.two_factor.requires_two_factor).
TWO_FACTOR_ROLES = ["provincial_officer", "admin"]

# --- Language, time zone and formats.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Our own formats (dd/mm/yyyy in both languages) override Django's locale defaults.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files: served by the app itself (WhiteNoise); police networks are often closed.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Workbook imports: the largest .xlsx accepted (also set the proxy's body limit to match).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# The last row a sheet of a browser upload may reach. A large commune's pledges are 10-20,000
# rows; 100,000 pledge rows were checked and written in 34 s and 375 MB, a million in 2.2 GB
# (BENCHMARKS.md). The command `import_workbook` reads up to Excel's last row, for a province's
# bulk import.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
# One import task's time on a worker (seconds): a soft limit stops the check with a message,
# the hard one ends the pool process a minute later.
IMPORT_TASK_TIME_LIMIT = env.int("IMPORT_TASK_TIME_LIMIT", default=15 * 60)

# Citizen IDs of files outside their area that one user may run into a day (creating a file,
# correcting a number, importing): each is logged, and past the limit no new citizen ID enters
# the user's area until the next day (casefiles.services.LookupBudget).
PERSON_LOOKUP_DAILY_LIMIT = env.int("PERSON_LOOKUP_DAILY_LIMIT", default=20)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Audit log (django-auditlog).
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Security. Production values follow Django's deployment checklist so that
# `manage.py check --deploy --fail-level WARNING` is silent (scripts/release_gate.sh runs it);
# development keeps plain HTTP working. docs/security-headers.md explains each choice.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page script reads the CSRF cookie (forms carry the token), so scripts need not see it.
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds every subdomain of the portal's domain to HTTPS in browsers for months;
    # set SECURE_HSTS_PRELOAD=false if the domain also serves sites that are not HTTPS-only.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # TLS ends at the reverse proxy, which sets this header from the original scheme. Only
    # safe behind a proxy that always sets (or strips) it: a client could otherwise claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy (django-csp 4): every script and style sheet comes from our own
# static files (Bootstrap, its icons and Chart.js are vendored in static/vendor, no CDN), and
# no page carries an inline script, event-handler attribute or style attribute, so nothing
# needs 'unsafe-inline'. Chart data travels in data-* attributes read by static/js/charts.js.
# tests/config/test_security_headers.py walks the pages to keep it that way.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's CSS draws its icons (select arrows, close buttons) as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        # static/js/report-progress.js polls the report's status on our own origin.
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates every sign-in at INFO; failures reach our security log anyway.
        "axes": {"level": "WARNING"},
    },
}
