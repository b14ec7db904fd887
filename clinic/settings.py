"""Settings for the pre-screening app, read from the environment.

Nothing set: debug mode on SQLite in the project folder, for a laptop. `DJANGO_DEBUG=0`: production,
which refuses to start without `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`. `DATABASE_URL`
selects the database (PostgreSQL in production). Clinic specifics are `CLINIC_*` variables.
"""

import json
import logging
import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clinic.log_format import log_format

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def project_dir(name: str) -> Path:
    """templates/, static/ or locale/: inside the installed package (the wheel puts them in
    clinic/), else at the root of the checkout, where they are kept."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else BASE_DIR / name


# An installed app has no project folder of its own: its SQLite file (debug only) and collected
# static files go to the working directory instead of beside site-packages.
INSTALLED_FROM_WHEEL = not (BASE_DIR / "manage.py").is_file()
DATA_DIR = Path.cwd() if INSTALLED_FROM_WHEEL else BASE_DIR


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int | None) -> int | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-development-key-not-for-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 needs DJANGO_SECRET_KEY: a random string of 50 characters or more."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_DEBUG=0 needs DJANGO_ALLOWED_HOSTS (comma-separated).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-time recovery codes, shown once at enrolment
    "axes",
    "django_tasks",
    "django_tasks_db",
    "screening",
    "throttle",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before anything else (clinic.health).
    "clinic.health.HealthCheckMiddleware",
    "clinic.log_format.RequestIdMiddleware",  # every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",  # its HTTPS redirect keeps a link whole
    # Compresses the patient's HTML, last of all (it sees the finished page); BREACH considered
    # in clinic/compression.py. Static files come compressed from WhiteNoise, and are left alone.
    "clinic.compression.PatientPageGZipMiddleware",
    "clinic.log_masking.LinkTokenMiddleware",  # nothing after it sees a link's token
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clinic.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clinic.middleware.PatientLocaleMiddleware",  # staff pages stay English
    # After the language is chosen, so that its refusal page is in the patient's language; it
    # still runs before anything reads the body.
    "clinic.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "screening.staff.sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# --- Staff authentication -----------------------------------------------------------------------
# Two-factor (TOTP, django-otp) for every staff login in production; `manage.py enrol_totp USER`
# sets up a user's authenticator app. Debug mode keeps make run's demo logins usable without it.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = env_str("CLINIC_NAME", "Pre-screening")
# Failed logins lock out per username and per address (django-axes, counted in the database so
# every app process shares the count), for a cool-off period rather than forever.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("STAFF_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("STAFF_LOGIN_COOLOFF_MINUTES", 15))
# The pair of username and address, and the username alone except from an address it has signed
# in from before (screening/staff/lockout.py says why).
AXES_LOCKOUT_PARAMETERS = "screening.staff.lockout.lockout_parameters"
# Failed sign-ins naming this many usernames from one address lock that address for everyone.
STAFF_LOGIN_ADDRESS_USERNAMES = env_int("STAFF_LOGIN_ADDRESS_USERNAMES", 10)
# A try during the lock does not prolong it: one guess every few minutes cannot keep a staff
# member out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The sign-in form's secrets never reach axes_accessattempt.post_data (a valid TOTP code, typed a
# moment too late, would still be valid there).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "otp_token",
    "otp_device",
    "otp_challenge",
    "csrfmiddlewaretoken",
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "clinic.axes_username.attempted_username"
# The same client address as the rate limit and the audit trail: behind our proxies, the proxy's
# own address would otherwise lock out every staff member after five failures from anyone.
AXES_CLIENT_IP_CALLABLE = "clinic.client_address.client_address"
# Staff sessions: idle limit, absolute limit, and the cookie ends with the browser.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 15)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12)

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [project_dir("templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "screening.patient.context_processors.clinic",
                "screening.patient.context_processors.languages",
                "clinic.version.version_context",
            ],
        },
    },
]

# Widgets render through the project's templates too (screening/widgets/...).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# Health data crosses the network to PostgreSQL only over TLS in production, unless the URL (or
# libpq's PGSSLMODE) says otherwise, e.g. `?sslmode=verify-full`.
if (
    not DEBUG
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and "PGSSLMODE" not in os.environ
):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("sslmode", "require")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one request writes; IMMEDIATE makes a writing transaction
    # take the lock up front instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [project_dir("locale")]
# The patient's choice of language (the switch on every patient page, or their invitation's):
# a cookie that ends with the browser, like the draft, never readable by scripts.
LANGUAGE_COOKIE_AGE = None
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(DATA_DIR / "staticfiles")))
STATICFILES_DIRS = [project_dir("static")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Drafts hold health data: they live server-side in the database (shared by every app process),
# never in a signed cookie, and expire after a period without activity.
SCREENING_DRAFT_IDLE_MINUTES = env_int("SCREENING_DRAFT_IDLE_MINUTES", 60)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Staff pages' one-time messages live in the server-side session, never in a cookie (a
# phone-only invitation's link is one); clinic/message_storage.py.
MESSAGE_STORAGE = "clinic.message_storage.storage"
SESSION_COOKIE_AGE = SCREENING_DRAFT_IDLE_MINUTES * 60
# Sessions are written when they change; reading a page refreshes a draft at most once a minute
# (screening.patient.drafts), so page views cost no database write.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # a shared computer forgets the draft when closed
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "screening.patient.views.csrf_failure"

# Clinic specifics shown to patients: settings, never literals in templates.
# The defaults are the demo clinic's (make run): in production `check --deploy` refuses each of
# them until its variable is set (screening.checks.demo_values_check).
DEMO_VALUES = {
    "CLINIC_NAME": "Riverside Skin Clinic",
    "CLINIC_PHONE": "(555) 010-0199",
    "CLINIC_PRIVACY_NOTICE_URL": "/privacy/",
    "CLINIC_CONTACT_EMAIL": "privacy@clinic.example",
    "SCREENING_PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    "SCREENING_FALLBACK_EMAIL": "clinic-lead@clinic.example",
    "DJANGO_DEFAULT_FROM_EMAIL": "prescreen@clinic.example",
}
CLINIC_NAME = env_str("CLINIC_NAME", DEMO_VALUES["CLINIC_NAME"])
CLINIC_PHONE = env_str("CLINIC_PHONE", DEMO_VALUES["CLINIC_PHONE"])
CLINIC_EMERGENCY_NUMBER = env_str("CLINIC_EMERGENCY_NUMBER", "911")
CLINIC_PRIVACY_NOTICE_URL = env_str(
    "CLINIC_PRIVACY_NOTICE_URL", DEMO_VALUES["CLINIC_PRIVACY_NOTICE_URL"]
)
# In years, so that each language says it in its own words.
CLINIC_RETENTION_YEARS = env_int("CLINIC_RETENTION_YEARS", 7)
CLINIC_CONTACT_EMAIL = env_str("CLINIC_CONTACT_EMAIL", DEMO_VALUES["CLINIC_CONTACT_EMAIL"])

# Clinic policy for the flag windows marked ⚙ in the catalogue (screening/flags/catalogue.py); keys of
# `flags.Policy`. Example: SCREENING_FLAG_POLICY_JSON='{"isotretinoin_priority_months": 12}'.
# Malformed JSON is kept as the raw text, which the policy refuses (never a silent default), and
# reported by `manage.py check` (screening.checks) with the parser's message.
SCREENING_FLAG_POLICY_JSON = env_str("SCREENING_FLAG_POLICY_JSON", "{}") or "{}"
try:
    SCREENING_FLAG_POLICY = json.loads(SCREENING_FLAG_POLICY_JSON)
except json.JSONDecodeError:
    SCREENING_FLAG_POLICY = SCREENING_FLAG_POLICY_JSON

# Retention: submissions older than this many days have their answers and contact details erased
# by `manage.py purge_expired` (reference, dates, flag codes and decisions stay). Off when unset.
SCREENING_RETENTION_DAYS = env_int("SCREENING_RETENTION_DAYS", None)
# The audit trail's own retention: events older than this many days are deleted by purge_expired
# (at least 2190, six years; the database function refuses fewer). Kept for ever when unset.
SCREENING_AUDIT_RETENTION_DAYS = env_int("SCREENING_AUDIT_RETENTION_DAYS", None)

# Routing: which qualification levels (screening.models.Provider.Level) may review submissions
# with a priority flag, and where unassignable submissions are announced.
SCREENING_PRIORITY_REVIEW_LEVELS = env_list(
    "SCREENING_PRIORITY_REVIEW_LEVELS", ["physician", "nurse_practitioner"]
)
SCREENING_FALLBACK_EMAIL = env_str(
    "SCREENING_FALLBACK_EMAIL", DEMO_VALUES["SCREENING_FALLBACK_EMAIL"]
)
# The address the clinic's pages are reached at (https://prescreen.example-clinic.org): links in
# patients' and staff's emails and the FHIR API's URLs are built on it. The two below default to
# it, for an install whose staff pages live at another address.
SCREENING_PUBLIC_BASE_URL = env_str(
    "SCREENING_PUBLIC_BASE_URL", DEMO_VALUES["SCREENING_PUBLIC_BASE_URL"]
)
SCREENING_STAFF_BASE_URL = env_str("SCREENING_STAFF_BASE_URL", SCREENING_PUBLIC_BASE_URL)
# The FHIR API's base (screening/fhir): canonical URLs of the questionnaire and full URLs of
# bundle entries are built on it, so it is the address the clinic's EHR reaches the API at.
SCREENING_FHIR_BASE_URL = env_str(
    "SCREENING_FHIR_BASE_URL", SCREENING_STAFF_BASE_URL.rstrip("/") + "/fhir/R4"
)
# Requests an integration's token may make per minute (a token bucket per token, `throttle/`).
SCREENING_FHIR_RATE_LIMIT_PER_MINUTE = env_int("SCREENING_FHIR_RATE_LIMIT_PER_MINUTE", 120)
SCREENING_FHIR_RATE_LIMIT_BURST = env_int("SCREENING_FHIR_RATE_LIMIT_BURST", 60)
# How long a FHIR API token lives from its creation: an integration gets a new one at least
# yearly, so a forgotten token stops by itself.
SCREENING_FHIR_TOKEN_DAYS = env_int("SCREENING_FHIR_TOKEN_DAYS", 365)
# Providers see submissions assigned to them; with this on, every submission.
SCREENING_PROVIDERS_SEE_ALL = env_bool("SCREENING_PROVIDERS_SEE_ALL", False)
# The queue's attention panel: unreviewed submissions with a priority flag whose consultation
# is within SCREENING_ATTENTION_HOURS, and any unreviewed past SCREENING_REVIEW_TARGET_HOURS.
SCREENING_ATTENTION_HOURS = env_int("SCREENING_ATTENTION_HOURS", 48)
SCREENING_REVIEW_TARGET_HOURS = env_int("SCREENING_REVIEW_TARGET_HOURS", 48)

# --- Invitations, saved drafts, reminders and the mail queue ----------------------------------
# Email never leaves inside a request: it is a task in the database (django-tasks backport of
# Django's Tasks framework, django-tasks-db backend), run by `manage.py db_worker`. A mail server
# that is down costs retries (SCREENING_EMAIL_RETRY_MINUTES between them), never an email.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SCREENING_EMAIL_RETRY_MINUTES = [
    int(minutes) for minutes in env_list("SCREENING_EMAIL_RETRY_MINUTES", ["1", "5", "30", "120"])
]
# Each email is handed to the mail server once. When the server took a message and never
# confirmed it (a timeout, a worker killed mid-send), these kinds are sent again with the same
# Message-ID (a possible duplicate, accepted); every other kind is not (a possible loss, shown to
# staff as "Not confirmed"). docs/email.md says why each kind is what it is.
SCREENING_EMAIL_RESEND_UNCONFIRMED = env_list(
    "SCREENING_EMAIL_RESEND_UNCONFIRMED", ["new_submission", "answers_changed", "password_link"]
)
# A task RUNNING longer than this has lost its worker (a send is bounded by EMAIL_TIMEOUT per
# step): `manage.py recover_tasks` fails it and queues its email again.
SCREENING_TASK_LEASE_MINUTES = env_int("SCREENING_TASK_LEASE_MINUTES", 15)
# The patient's link works until the answers are sent or the appointment is this many hours past.
SCREENING_INVITATION_GRACE_HOURS = env_int("SCREENING_INVITATION_GRACE_HOURS", 2)
# Reminders of an invitation not yet sent, this many hours before the appointment.
SCREENING_REMINDER_HOURS = sorted(
    (int(hours) for hours in env_list("SCREENING_REMINDER_HOURS", ["72", "24"])), reverse=True
)
# A return visit's re-screen invitation email goes no earlier than this many days before the
# appointment (fresh "now" answers; late problems after a session have shown).
SCREENING_RESCREEN_LEAD_DAYS = env_int("SCREENING_RESCREEN_LEAD_DAYS", 7)
# Re-confirmation before the visit: an appointment more than this many days after the
# submission asks the patient to re-confirm the answers that change within weeks (pregnancy,
# medicines, isotretinoin, sun...) through the last reminder's link or the check-in tablet.
SCREENING_RECONFIRM_DAYS = env_int("SCREENING_RECONFIRM_DAYS", 14)
# The check-in tablet closes itself after this many minutes without activity ("Please hand the
# tablet back"); its session can then no longer show answers.
SCREENING_CHECK_IN_IDLE_MINUTES = env_int("SCREENING_CHECK_IN_IDLE_MINUTES", 5)
# A walk-in's "Save and continue later" keeps the draft this many days.
SCREENING_SAVED_DRAFT_DAYS = env_int("SCREENING_SAVED_DRAFT_DAYS", 14)
# What the confirmation page promises: the clinic reviews sent answers within this many hours.
SCREENING_REVIEW_TARGET_HOURS = env_int("SCREENING_REVIEW_TARGET_HOURS", 48)
# A returning patient's re-screen shows a carried answer for "Still true" only if it was last
# answered within this many months; older ones are asked afresh (About you is exempt).
SCREENING_CARRY_OVER_MONTHS = env_int("SCREENING_CARRY_OVER_MONTHS", 12)
# The version (or date) of the clinic's privacy notice. A returning patient's re-screen asks the
# acknowledgement again only when this differs from the one their last submission acknowledged
# (return-visit contract: "offered again only if the clinic's notice changed since"). Change it
# when the notice changes; empty: unversioned.
SCREENING_PRIVACY_NOTICE_VERSION = env_str("SCREENING_PRIVACY_NOTICE_VERSION", "")
# Wrong dates of birth before a saved draft (and its invitation) locks.
SCREENING_RESUME_MAX_FAILURES = env_int("SCREENING_RESUME_MAX_FAILURES", 5)
# The order of the day, month and year of a date of birth, by the language of the pages: the
# order the patient's locale writes dates in (a US clinic's English is month first, Spanish day
# first), so that "4 12 1991" is never read the other way. The month is a named list either way.
# A language not listed here takes LANGUAGE_CODE's order.
SCREENING_DATE_PART_ORDER = {"en": ("month", "day", "year"), "es": ("day", "month", "year")}
# /readyz is unready when no mail worker (`manage.py run_worker`) beat within this many minutes;
# each worker beats every SCREENING_WORKER_HEARTBEAT_SECONDS.
SCREENING_READY_WORKER_MINUTES = env_int("SCREENING_READY_WORKER_MINUTES", 5)
SCREENING_WORKER_HEARTBEAT_SECONDS = env_int("SCREENING_WORKER_HEARTBEAT_SECONDS", 30)
# Where links in patients' emails point (the public address of the patient pages).
SCREENING_PATIENT_BASE_URL = env_str("SCREENING_PATIENT_BASE_URL", SCREENING_PUBLIC_BASE_URL)

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Seconds before a mail server that accepts and never answers is given up on: without it the
# request sending a notification (and the worker serving it) waits for ever.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", DEMO_VALUES["DJANGO_DEFAULT_FROM_EMAIL"])
# Error reports (a 500, with the PHI filters of LOGGING) go to ADMINS, from SERVER_EMAIL.
# DJANGO_ADMINS="Ops <ops@clinic.org>, it@clinic.org": names are optional.
SERVER_EMAIL = env_str("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [
    (name or address, address)
    for name, address in getaddresses([env_str("DJANGO_ADMINS")])
    if address
]
if env_str("DJANGO_ADMINS") and not ADMINS:
    raise ImproperlyConfigured(
        'DJANGO_ADMINS must be email addresses, comma-separated ("Ops <ops@clinic.org>, it@...").'
    )

# Health data never goes to logs: no request bodies are logged, and Django's own error reports
# filter POST data on the patient views (sensitive_post_parameters). Every handler strips
# exception messages and database error details (a refused row is quoted whole in them),
# keeping the exception's type and its stack of code locations (clinic.logging_filters).
try:
    LOG_FORMAT = log_format()
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
# Every handler: the PHI filter first, then link tokens masked, then the request id added.
_LOG_FILTERS = ["strip_exception_details", "mask_link_tokens", "request_id"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler strips exception details; patients' link tokens are masked in every record
    # (request lines of runserver, 404 warnings).
    "filters": {
        "strip_exception_details": {"()": "clinic.logging_filters.StripExceptionDetails"},
        "mask_link_tokens": {"()": "clinic.log_masking.MaskLinkTokens"},
        "request_id": {"()": "clinic.log_format.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        # Production (DJANGO_LOG_FORMAT=json, clinic.log_format): one JSON object a line.
        "json": {"()": "clinic.log_format.JsonFormatter"},
        "text": {"format": "{levelname} {name}: {message}", "style": "{"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": _LOG_FILTERS,
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "django.server",
            "filters": _LOG_FILTERS,
        },
        # Django's default error email, redefined so that it carries the filters too.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": [*_LOG_FILTERS, "require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default handlers of "django" (an unfiltered mail_admins among them);
        # its records reach the console through the root logger.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # Never at DEBUG, even with DJANGO_LOG_LEVEL=DEBUG: SQL parameters hold answers, and the
        # template engine's DEBUG records print whole contexts (an error report's holds them).
        "django.db.backends": {"level": "INFO"},
        "django.template": {"level": "INFO"},
        # runserver's request lines, through the token mask
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

if LOG_FORMAT == "json":
    # Python's warnings (e.g. a missing static folder) as log records, so that stdout stays JSON.
    logging.captureWarnings(True)

# Error reporting to Sentry: off unless SENTRY_DSN is set; what leaves is scrubbed of health data
# (clinic.error_reporting).
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production" if not DEBUG else "development")
if SENTRY_DSN:
    from clinic.error_reporting import start_error_reporting

    start_error_reporting(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)

# Security (docs/security.md). Headers on every response, in debug too, so that a page that
# would break under them breaks on a laptop first.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Our own files only: no inline script or style, no CDN, no third-party origin (no trackers on a
# clinical form). Bootstrap's CSS draws its check marks as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# Request bodies: the largest step posts a few kilobytes. Bigger bodies are refused with 413
# before they are read (clinic.middleware.RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 300
# Rate limit of the patient's step and submit POSTs, per client address (throttle.buckets).
SCREENING_RATE_LIMIT_PER_MINUTE = env_int("SCREENING_RATE_LIMIT_PER_MINUTE", 30)
SCREENING_RATE_LIMIT_BURST = env_int("SCREENING_RATE_LIMIT_BURST", 60)
if SCREENING_RATE_LIMIT_PER_MINUTE < 1 or SCREENING_RATE_LIMIT_BURST < 1:
    raise ImproperlyConfigured("SCREENING_RATE_LIMIT_PER_MINUTE and _BURST must be 1 or more.")
# How many proxies of ours append to X-Forwarded-For; 0: the header is ignored (it is forgeable).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies: the browser keeps them only if Secure, path "/" and no Domain, so no
    # sibling subdomain can set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
