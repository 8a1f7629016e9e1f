"""Settings for Hindsight: one file, read from the environment, safe by default.

HINDSIGHT_ENV=production turns on the production checks: it refuses to start without a real
SECRET_KEY and explicit ALLOWED_HOSTS. Everything else defaults to what is safe for health data
(DEBUG off) and convenient on one machine (SQLite beside the code).
"""

import re
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hindsight.lib.env import envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("HINDSIGHT_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = envstr("HINDSIGHT_ENV", "development") == "production"
DEBUG = envbool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when HINDSIGHT_ENV=production.")


def _secret_key() -> str:
    key = envsecret("SECRET_KEY")
    if PRODUCTION:
        if len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "HINDSIGHT_ENV=production needs a real SECRET_KEY (50+ random characters)."
            )
        return key
    if key:
        return key
    # Outside production, keep a generated key on disk so sign-ins survive a restart.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("HINDSIGHT_ENV=production needs ALLOWED_HOSTS.")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = envstr("SITE_NAME", "Hindsight")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_countries",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "moderation",
    "treatments",
    "stories",
    "followups",
    "discussion",
    "outcomes",
    "articles",
    "directory",
    "search",
    "research",
    "audit",
    "backups",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hindsight.lib.http.DefaultNoStoreMiddleware",
    "audit.middleware.RefusalAuditMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.ModeratorSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hindsight.urls"
WSGI_APPLICATION = "hindsight.wsgi.application"

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
                "hindsight.lib.context.site",
            ],
        },
    },
]


def _databases() -> dict:
    if url := envsecret("DATABASE_URL"):
        return {"default": dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(VAR_DIR / "hindsight.sqlite3")),
            # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
            # the start of a transaction so read-then-write transactions wait for the busy
            # timeout instead of failing with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                " PRAGMA foreign_keys=ON;",
            },
        }
    }


DATABASES = _databases()

# Copies made by `manage.py backup`, and the erasure journal: a file outside the database from
# which a restore applies again every erasure made since the backup. Keep both off its disk.
BACKUP_DIR = Path(envstr("BACKUP_DIR", str(VAR_DIR / "backups")))
ERASURE_JOURNAL = Path(envstr("ERASURE_JOURNAL", str(VAR_DIR / "erasures.jsonl")))
# Research exports built by the worker, kept a week for the researcher who asked: private
# files (0600, random names), never under STATIC_ROOT or MEDIA_ROOT.
RESEARCH_EXPORT_DIR = Path(envstr("RESEARCH_EXPORT_DIR", str(VAR_DIR / "research-exports")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _caches() -> dict:
    """CACHE_URL: empty → this process's memory (one server: `make run`, tests); `db://` → a
    table in the database (`manage.py createcachetable`); `redis://…` → Redis. Rate limits and
    the outcomes summary are shared by several app servers only with the last two."""
    url = envsecret("CACHE_URL").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                            "LOCATION": "hindsight"}}
    scheme, separator, rest = url.partition("://")
    table = rest.strip("/") or "hindsight_cache"
    if scheme == "db" and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table):
        # Django's default of 300 entries would soon push rate-limit counts out.
        return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                            "LOCATION": table, "OPTIONS": {"MAX_ENTRIES": 100_000}}}
    if scheme in ("redis", "rediss", "unix") and rest:
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": url}}
    # Only the scheme is shown: the rest of the URL may hold a password.
    shown = f" (starting {scheme}://)" if separator and scheme.isalnum() else ""
    raise ImproperlyConfigured(
        f"CACHE_URL{shown} is not understood. Leave it empty (the memory of one process), or "
        "use db:// or db://table_name (a table in the database, made by `manage.py "
        "createcachetable`) or redis://host:6379/0 (Redis; rediss:// and unix:// work too)."
    )


CACHES = _caches()
# Rendered public pages kept for anonymous readers (hindsight/lib/page_cache.py) need a cache
# every process shares: with one memory per process, a change seen by one process would leave
# the others serving the old page.
KEEP_RENDERED_PAGES = envbool("KEEP_RENDERED_PAGES", bool(envsecret("CACHE_URL").strip()))

TASK_QUEUES = ["default", "research"]
TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # "research": exports that take minutes, run by their own worker
        # (deploy/systemd/hindsight-export-worker.service) so emails never wait behind them.
        "QUEUES": TASK_QUEUES,
    }
}

# Sign-in. Authors have no password: they sign in with a one-time code sent to the email that
# shared their story (their account is made when they confirm it). Moderators and admins use
# a password plus a TOTP second factor, through the same pages; the admin's own login form is
# replaced by these.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:my-stories"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]  # signup itself is closed (see the adapter)
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth's limits, explicit (a limit refused here answers 429 with templates/429.html, or a
# form error). "login_failed" is the lock-out: after 5 wrong passwords for one address (or 5
# wrong authenticator codes for one account) within 15 minutes, even the right ones are refused
# until the window passes; 10 failures a minute from one connection lock it out the same way.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/15m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = envstr("SITE_NAME", "Hindsight")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# "3 Dec 2026 06:27" wherever Django prints a date without being told how (the admin above all).
FORMAT_MODULE_PATH = ["hindsight.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Email: with no mail server configured, messages go to the console or to files in a folder.
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Hindsight <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the contact form's messages go; a link for money to support the site (empty: none).
CONTACT_EMAIL = envstr("CONTACT_EMAIL", "") or SERVER_EMAIL
SUPPORT_URL = envstr("SUPPORT_URL", "")

# Counts of people below this are shown as "fewer than N" on public pages and in downloads.
SMALL_COUNT_THRESHOLD = envint("SMALL_COUNT_THRESHOLD", 10)

# Pages of published content are cached by a front cache for this many seconds.
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 60)
STORY_CONFIRM_MAX_AGE = 7 * 24 * 3600

# Content-Security-Policy: scripts, styles and images from this site only (no inline script or
# style, no eval), never framed, forms post only here. Views that serve SVG set their own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # allauth shows the authenticator QR code as a data: image
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    # The __Host- prefix makes browsers refuse these cookies unless they are Secure, for the
    # whole site (Path=/) and not shared with any subdomain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Audit events (audit.AuditEvent) are also written one JSON object a line to the logger
# "hindsight.audit": to AUDIT_LOG_FILE when set (reopened if rotated), else to the console.
AUDIT_LOG_FILE = envstr("AUDIT_LOG_FILE", "")
_AUDIT_HANDLER = (
    {"class": "logging.handlers.WatchedFileHandler", "filename": AUDIT_LOG_FILE}
    if AUDIT_LOG_FILE else {"class": "logging.StreamHandler"}
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"audit": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": {**_AUDIT_HANDLER, "formatter": "audit"},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "hindsight.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
    },
}
