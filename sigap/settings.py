"""The one settings module. Every value comes from the environment (see .env.example).

Defaults are safe for production: DEBUG is off, SECRET_KEY is required, cookies are secure.
The local demo (`make run`) opts out of HTTPS-only cookies explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.env import env_bool, env_float, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SIGAP_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
_secret = env_secret("SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off; see .env.example.")
    _secret = "insecure-development-key-only-for-debug"  # noqa: S105
SECRET_KEY = _secret

# Keys that encrypt reporter names and contacts at rest (Fernet; comma-separated, newest first, for rotation).
_field_keys = env_secret("SIGAP_FIELD_KEYS")
if not _field_keys:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SIGAP_FIELD_KEYS (or SIGAP_FIELD_KEYS_FILE) must be set when DEBUG is off. Make one with: "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    _field_keys = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcmVhbC1kYXQ="  # DEBUG only; never protects real data
SIGAP_FIELD_KEYS = [key.strip() for key in _field_keys.split(",") if key.strip()]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Sigap rooms, in dependency order: a later app may import an earlier one, never the reverse.
    "sigap.core",
    "sigap.regions",
    "sigap.directory",
    "sigap.accounts",
    "sigap.intake",
    "sigap.triage",
    "sigap.risk",
    "sigap.alerts",
    "sigap.notify",
    "sigap.cases",
    "sigap.mediation",
    "sigap.coordination",
    "sigap.actors",
    "sigap.dashboard",
    "sigap.sitrep",
    "sigap.public",
    "sigap.home",
    "sigap.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sigap.core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sigap.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sigap.core.middleware.ContentSecurityPolicyMiddleware",
    "sigap.accounts.middleware.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "sigap.urls"
WSGI_APPLICATION = "sigap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sigap.core.context_processors.deployment",
                "sigap.notify.context_processors.inbox",
                "sigap.intake.context_processors.identity_requests",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if url:
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True))
        except ValueError as exc:  # UnknownSchemeError is one
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Sigap can use: {exc}") from exc
        return config
    # Embedded default: SQLite in WAL mode. IMMEDIATE transactions take the write lock up front, so a
    # read-then-write transaction never fails with "database is locked" (measured in shared/docs/stack.md).
    # synchronous=FULL: a committed report survives a power cut, not only a crash of the process.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    synchronous = env_str("SIGAP_SQLITE_SYNCHRONOUS", "FULL").upper()
    if synchronous not in {"FULL", "NORMAL"}:
        raise ImproperlyConfigured("SIGAP_SQLITE_SYNCHRONOUS must be FULL or NORMAL")
    return {
        "ENGINE": "sigap.core.sqlite",  # Django's, waiting for the write lock in fine steps (see its module)
        "NAME": str(DATA_DIR / "sigap.sqlite3"),
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                f"PRAGMA synchronous={synchronous};"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA cache_size=-32000;"
            ),
        },
        # Tests use a file too, so that they run with the same WAL pragmas and can share it with a live server.
        "TEST": {"NAME": str(DATA_DIR / "test-sigap.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A "forgot your password" link works for an hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "home:landing"

# Bahasa Indonesia first, English second. Times are stored in UTC and shown in Asia/Jakarta (WIB).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sigap" / "locale"]
TIME_ZONE = env_str("SIGAP_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
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
MEDIA_ROOT = DATA_DIR / "media"

# Background work: Django's tasks framework (backport on 5.2) with a database queue; `sigap serve`
# starts the worker beside the web server. See docs/architecture.md for why not a hand-made outbox.
TASKS = {
    "default": {
        "BACKEND": env_str("SIGAP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications", "risk"],
    }
}

# HTTPS: on by default; the local demo on http://127.0.0.1 turns it off with SIGAP_HTTPS=false.
HTTPS = env_bool("SIGAP_HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "sigap.core.views.csrf_failure"  # in Sigap's words, with the way back to the form
SECURE_SSL_REDIRECT = env_bool("SIGAP_SSL_REDIRECT", False)  # usually done by the reverse proxy
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SIGAP_BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = env_int("SIGAP_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
# Joining the browsers' HSTS preload list binds the whole parent domain (a city's go.id name); that is the
# domain owner's decision, made outside Sigap, so check --deploy's reminder about it is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SIGAP_CSP = env_str(
    "SIGAP_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SIGAP_SESSION_SECONDS", 8 * 3600)
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (the demo keeps its mail in a folder).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sigap <sigap@localhost>")

# Uploads: photos are checked and re-encoded (metadata stripped) before they are kept.
SIGAP_PHOTO_MAX_BYTES = env_int("SIGAP_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
# Days a reporter's name and contact are kept after the report's incident is closed (or after receipt, for a report
# never placed); then the worker erases them. 0 keeps them.
SIGAP_IDENTITY_KEEP_DAYS = env_int("SIGAP_IDENTITY_KEEP_DAYS", 365)
# Days of silence (no report, no nil report) after which a trusted reporter is asked for either; 0 never asks.
SIGAP_NIL_REPORT_REMIND_DAYS = env_int("SIGAP_NIL_REPORT_REMIND_DAYS", 7)
SIGAP_PHOTO_MAX_COUNT = env_int("SIGAP_PHOTO_MAX_COUNT", 4)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # non-file request bodies (JSON, form fields)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Rate limits for anonymous intake (web form, API without a partner token), per client address, per hour; counted
# in the database (core/ratelimit.py), so the limit holds across every web process and machine.
SIGAP_ANON_REPORTS_PER_HOUR = env_int("SIGAP_ANON_REPORTS_PER_HOUR", 20)
# Failed sign-ins before a lock (accounts/forms.py): per account from one address in 15 minutes, and per address
# (four times as many per account, from anywhere) in an hour. The lock ends with its window.
SIGAP_SIGN_IN_FAILURES_PER_15_MIN = env_int("SIGAP_SIGN_IN_FAILURES_PER_15_MIN", 10)
SIGAP_SIGN_IN_FAILURES_PER_HOUR = env_int("SIGAP_SIGN_IN_FAILURES_PER_HOUR", 50)
# Two-step sign-in (a code from an authenticator app after the password; accounts/two_factor.py): anyone may turn it
# on at /akun/; these roles must, and are sent to set it up before anything else (e.g. "admin,analyst", the roles
# that can reveal a reporter's identity). Empty: nobody must.
SIGAP_TWO_FACTOR_ROLES = env_list("SIGAP_TWO_FACTOR_ROLES", [])
OTP_TOTP_ISSUER = "Sigap"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sigap"}}

# Inbound SMS/WhatsApp gateways: the shared secret of the generic signed webhook, and Twilio's auth token.
SIGAP_GATEWAY_SECRET = env_secret("SIGAP_GATEWAY_SECRET") or ""
SIGAP_TWILIO_AUTH_TOKEN = env_secret("SIGAP_TWILIO_AUTH_TOKEN") or ""
# The number people send those messages to, as it is written for them (0812-3456-7890): shown on the report form,
# the trusted reporter's pages and the silent reporter's reminder. Empty: Sigap does not show one.
SIGAP_GATEWAY_NUMBER = env_str("SIGAP_GATEWAY_NUMBER", "")
# The public base URL (https://sigap.example.go.id); Twilio signs the URL it called, which a proxy may hide.
SIGAP_PUBLIC_URL = env_str("SIGAP_PUBLIC_URL", "")
# Outbound SMS/WhatsApp to reporters who left a phone number (a lost receipt sent again, status updates): an HTTP
# gateway taking POST {"to", "text", "id"} with a bearer token, as the notification channels' gateway. Empty: only
# reporters who left an e-mail address can be written to.
SIGAP_REPORTER_GATEWAY_URL = env_str("SIGAP_REPORTER_GATEWAY_URL", "")
SIGAP_REPORTER_GATEWAY_TOKEN = env_secret("SIGAP_REPORTER_GATEWAY_TOKEN") or ""

# The triage text classifier, built by `sigap triage train` from data shipped in the repository.
SIGAP_TEXT_MODEL_PATH = Path(env_str("SIGAP_TEXT_MODEL_PATH", str(DATA_DIR / "models" / "textmodel.joblib")))

# The end-to-end clock, in working days (Monday-Friday by SIGAP_WORKWEEK, less the PublicHoliday rows): verify a
# report, the lead organisation acknowledges the case, takes its first action, resolves it. LAPOR!'s 3 and 5 days
# are the defaults. Urgent incidents (urgency high or critical) must be verified within SIGAP_VERIFY_TARGET_HOURS.
SIGAP_VERIFY_TARGET_HOURS = env_int("SIGAP_VERIFY_TARGET_HOURS", 24)
SIGAP_WORKWEEK = [int(x) for x in env_list("SIGAP_WORKWEEK", ["0", "1", "2", "3", "4"])]
SIGAP_CLOCK_VERIFY_DAYS = env_int("SIGAP_CLOCK_VERIFY_DAYS", 3)
SIGAP_CLOCK_ACK_DAYS = env_int("SIGAP_CLOCK_ACK_DAYS", 1)
SIGAP_CLOCK_ACT_DAYS = env_int("SIGAP_CLOCK_ACT_DAYS", 5)
SIGAP_CLOCK_RESOLVE_DAYS = env_int("SIGAP_CLOCK_RESOLVE_DAYS", 20)
# A verified incident about the parties or the place and kind of problem of a case resolved within this many days
# reopens it (and joins open cases at any time).
SIGAP_CASE_REOPEN_DAYS = env_int("SIGAP_CASE_REOPEN_DAYS", 90)
# A verified, open incident that no open case or mediation handles and whose timeline has been silent this many days
# (or whose look-again day has come) is listed on the analyst's home as left without follow-up.
SIGAP_FOLLOW_UP_QUIET_DAYS = env_int("SIGAP_FOLLOW_UP_QUIET_DAYS", 7)
# For this many days after an incident is resolved, its reporters are asked on the receipt page whether the problem
# is really settled; a "not yet" goes to the secretariat and waits for an analyst.
SIGAP_RESOLUTION_ANSWER_DAYS = env_int("SIGAP_RESOLUTION_ANSWER_DAYS", 14)
# While a Status Keadaan Konflik is in force, a progress report to the Gubernur falls due this often (the law sets
# the duty, UU 7/2012 Ps 23, not the cadence).
SIGAP_STATUS_REPORT_EVERY_DAYS = env_int("SIGAP_STATUS_REPORT_EVERY_DAYS", 7)
# Relapse watch: a verified incident with the parties or in the area of a peace agreement signed within this many
# days flags the mediation, and the kelurahan's risk for SIGAP_RELAPSE_FLAG_DAYS.
SIGAP_RELAPSE_WATCH_DAYS = env_int("SIGAP_RELAPSE_WATCH_DAYS", 365)
SIGAP_RELAPSE_FLAG_DAYS = env_int("SIGAP_RELAPSE_FLAG_DAYS", 30)

# Early warning. Lowest scores (0-100) of Waspada, Siaga and Awas: a local ladder, shown on the risk page.
SIGAP_RISK_THRESHOLDS = [float(x) for x in env_list("SIGAP_RISK_THRESHOLDS", ["20", "40", "65"])]
if len(SIGAP_RISK_THRESHOLDS) != 3 or sorted(SIGAP_RISK_THRESHOLDS) != SIGAP_RISK_THRESHOLDS:
    raise ImproperlyConfigured("SIGAP_RISK_THRESHOLDS must be three rising numbers, e.g. 20,40,65")
# The detector's false-alarm rate per kelurahan-week (0.01: about one unusual-rise flag per kelurahan in two years).
SIGAP_ALERT_AREA_WEEK_FPR = env_float("SIGAP_ALERT_AREA_WEEK_FPR", 0.01)
# `sigap clock` (started by `sigap serve`) assesses every kelurahan once a day (the demo's on its story clock).
SIGAP_RISK_DAILY = env_bool("SIGAP_RISK_DAILY", True)
# A kelurahan whose level rises to this level or above raises an alert: 1 Waspada, 2 Siaga (default), 3 Awas.
SIGAP_ALERT_MIN_LEVEL = env_int("SIGAP_ALERT_MIN_LEVEL", 2)
# New incidents in an area within this many hours of an open alert attach to it instead of raising another.
SIGAP_ALERT_WINDOW_HOURS = env_int("SIGAP_ALERT_WINDOW_HOURS", 72)
# An alert whose areas have stayed below its level this many days is proposed for closing (never closed silently).
SIGAP_ALERT_CLOSE_AFTER_DAYS = env_int("SIGAP_ALERT_CLOSE_AFTER_DAYS", 3)

# Notifications. Minutes without acknowledgement before an alert goes to the next tier (and earlier tiers are
# reminded); quiet hours "22-6" hold back messages below Awas until morning ("0-0": none).
SIGAP_ESCALATE_AFTER_MINUTES = env_int("SIGAP_ESCALATE_AFTER_MINUTES", 30)
_quiet = env_str("SIGAP_QUIET_HOURS", "22-6").split("-")
try:
    SIGAP_QUIET_HOURS = (int(_quiet[0]) % 24, int(_quiet[1]) % 24)
except (ValueError, IndexError):
    raise ImproperlyConfigured("SIGAP_QUIET_HOURS must look like 22-6 (hours, local time)") from None
# The daily digest per organisation goes from this local hour on.
SIGAP_DIGEST_HOUR = env_int("SIGAP_DIGEST_HOUR", 7)
# Webhooks and gateways may reach private addresses only when this is on (an intranet gateway; the tests).
SIGAP_NOTIFY_ALLOW_PRIVATE = env_bool("SIGAP_NOTIFY_ALLOW_PRIVATE", False)
# How long a claimed notification stays a worker's before another may send it (the worker was killed mid-send).
# Longer than one send may take (transport timeouts are 10 s); shorter means quicker recovery, more duplicates.
SIGAP_NOTIFY_LEASE_SECONDS = env_int("SIGAP_NOTIFY_LEASE_SECONDS", 300)
if SIGAP_NOTIFY_LEASE_SECONDS < 30:
    raise ImproperlyConfigured("SIGAP_NOTIFY_LEASE_SECONDS must be at least 30 (a send may take 10 s)")
SIGAP_TELEGRAM_API = env_str("SIGAP_TELEGRAM_API", "https://api.telegram.org")
SIGAP_TELEGRAM_BOT_TOKEN = env_secret("SIGAP_TELEGRAM_BOT_TOKEN") or ""

# The deployment: which kabupaten/kota this instance serves (Kemendagri code).
SIGAP_DEPLOYMENT_REGION = env_str("SIGAP_DEPLOYMENT_REGION", "35.75")
SIGAP_DEPLOYMENT_NAME = env_str("SIGAP_DEPLOYMENT_NAME", "Tim Terpadu Penanganan Konflik Sosial")
# The demo's story clock (sigap.core.clock): "<story moment>@<real moment>", so that the 2020 month is the present
# and time still moves. `make run` sets it for its demo; never in a deployment.
SIGAP_DEMO_CLOCK = env_str("SIGAP_DEMO_CLOCK").strip()
if SIGAP_DEMO_CLOCK:
    try:
        clock.install(clock.parse(SIGAP_DEMO_CLOCK))
    except ValueError as exc:
        raise ImproperlyConfigured(f"SIGAP_DEMO_CLOCK: {exc}") from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # Without this handler Django hides 500 tracebacks when DEBUG is off (stack.md, pitfall 7).
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "sigap": {"handlers": ["stderr"], "level": env_str("SIGAP_LOG_LEVEL", "INFO"), "propagate": False},
    },
}
