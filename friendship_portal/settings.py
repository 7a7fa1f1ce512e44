"""Settings, read from the environment with safe local defaults.

Locally nothing needs setting: SQLite under var/, tasks run in-process, e-mail printed to the
console. In production set at least DJANGO_DEBUG=false, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL (see README.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEFAULT_SECRET_KEY = "insecure-local-only-key-do-not-use-in-production"

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or (["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if SECRET_KEY == DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_DEBUG is off: set DJANGO_SECRET_KEY to a long random value.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_DEBUG is off: set DJANGO_ALLOWED_HOSTS (comma-separated host names).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django.forms",
    "django_filters",
    "django_countries",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # The layers, bottom to top (the import contract in pyproject.toml holds them to it).
    "friendship_portal.core",
    "associations",
    "delegations",
    "scholarships",
    "aid_projects",
    "friendship_portal.overview",
]

MIDDLEWARE = [
    # /healthz is answered before anything reads the session or the user from the database.
    "friendship_portal.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "friendship_portal.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "friendship_portal.core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before any view reads the query string (the 400 page it gives shows the user's menu).
    "friendship_portal.core.middleware.QueryStringMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "friendship_portal.core.middleware.SessionIdleMiddleware",
    "friendship_portal.core.middleware.TwoFactorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "friendship_portal.urls"
WSGI_APPLICATION = "friendship_portal.wsgi.application"

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
                "friendship_portal.core.context_processors.portal",
                "associations.context_processors.leadership",
            ],
        },
    },
]

# Form widgets are drawn with the templates above, so the portal's own select
# (templates/django/forms/widgets/select.html) replaces Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request within these times instead of holding it: a
    # connection is given up after DATABASE_CONNECT_TIMEOUT seconds, a statement is cancelled after
    # DATABASE_STATEMENT_TIMEOUT seconds (0: never; /healthz uses a second of its own).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3))
    statement_timeout_ms = env_int("DATABASE_STATEMENT_TIMEOUT", 30) * 1000
    options["options"] = f"{options.get('options', '')} -c statement_timeout={statement_timeout_ms}".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE: a transaction takes the write lock when it starts, so two requests changing the
    # same row queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: a locked-out username and address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The provincial office lands on its dashboard (a page of the overview, named here by the wiring).
PORTAL_PROVINCIAL_OFFICE_LANDING = "dashboard"

# Signing in (README "Signing in"). The client's address is read from X-Forwarded-For only behind
# the proxy (DJANGO_BEHIND_PROXY), which appends the address it saw: the right-most one is trusted.
PORTAL_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", True)
# After this many wrong passwords for one username from one address, that pair is locked for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock lasts its time from the last counted failure; trying again while locked does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "friendship_portal.core.login_protection.client_ip_address"
AXES_LOCKOUT_CALLABLE = "friendship_portal.core.login_protection.lockout_response"
# Locks and failures are in /admin/; the start-up banner is not needed in every command's output.
AXES_VERBOSE = False
# A session ends after this long without a request; the provincial office's and the administrators'
# also when the browser closes. The stored session outlives the limit by a day, so the portal can
# still say why it logged someone out when they come back the next morning.
PORTAL_SESSION_IDLE_MINUTES = env_int("PORTAL_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = (PORTAL_SESSION_IDLE_MINUTES + 24 * 60) * 60
# A one-time code from an authenticator app after the password: required of the provincial office and
# the administrators when on (off by default with DEBUG, so the local demo logs in with a password).
PORTAL_OTP_REQUIRED = env_bool("PORTAL_OTP_REQUIRED", not DEBUG)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Language and formats: Vietnamese first, English second; dd/mm/yyyy; VND with "." separators.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["friendship_portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Ho_Chi_Minh")
LANGUAGE_COOKIE_NAME = "portal_language"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: printed to the console unless an SMTP host is given.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# An e-mail the mail server refuses is tried again by the outbox task, at most this many times.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)

# Celery: in-process unless a broker is named.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# Jobs keep their own state (friendship_portal.core.models.Job): Celery stores no results.
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it is done, not when it starts, and a task whose worker process died is
# handed back to the broker: a killed worker loses no work. Each worker takes one task at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

FILTERS_EMPTY_CHOICE_LABEL = _("All")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The union this portal serves: another province's union runs the same code with other values.
PORTAL_UNION_NAME = os.environ.get("PORTAL_UNION_NAME", "Liên hiệp các tổ chức hữu nghị tỉnh Hà Tĩnh")
PORTAL_UNION_SHORT_NAME = os.environ.get("PORTAL_UNION_SHORT_NAME", "Liên hiệp các tổ chức hữu nghị")
PORTAL_PROVINCE_NAME = os.environ.get("PORTAL_PROVINCE_NAME", "Hà Tĩnh")
PORTAL_DOCUMENT_PLACE = os.environ.get("PORTAL_DOCUMENT_PLACE", "Hà Tĩnh")
PORTAL_DOCUMENT_SUFFIX = os.environ.get("PORTAL_DOCUMENT_SUFFIX", "LHHN")
PORTAL_PAGE_SIZE = env_int("PORTAL_PAGE_SIZE", 25)
# A month's payments are ticked and recorded a page at a time.
PAYMENTS_PAGE_SIZE = env_int("PAYMENTS_PAGE_SIZE", 100)
# The alerts pages hold several lists one under the other: ten rows of each at a time, each paged on its own,
# so that the last list is in sight without scrolling past the others' full pages.
ALERTS_PAGE_SIZE = env_int("ALERTS_PAGE_SIZE", 10)
# The "waiting for me" list: each plan a card with its buttons and its endorsement form, ten at a time.
WAITING_PAGE_SIZE = env_int("WAITING_PAGE_SIZE", 10)
# A page per place or per association lists the place's partners, delegations, aid and missions one under
# the other: ten rows of each at a time, each paged on its own, of the newest PLACE_LIST_ROWS of each.
PLACE_PAGE_SIZE = env_int("PLACE_PAGE_SIZE", 10)
PLACE_LIST_ROWS = env_int("PLACE_LIST_ROWS", 50)
PORTAL_EXPORT_MAX_ROWS = env_int("PORTAL_EXPORT_MAX_ROWS", 50_000)
# A list export longer than this runs as a job (its workbook streamed, every row) instead of in the request.
EXPORT_IN_REQUEST_MAX_ROWS = env_int("EXPORT_IN_REQUEST_MAX_ROWS", 2_000)
PORTAL_DEMO_PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "HuuNghi@2026")
# How an authenticator app names the portal's accounts.
OTP_TOTP_ISSUER = PORTAL_UNION_NAME

# `manage.py backup` and the nightly backup write their archives here; the nightly task keeps this many.
PORTAL_BACKUP_DIR = Path(os.environ.get("PORTAL_BACKUP_DIR", VAR_DIR / "backups"))
PORTAL_BACKUP_KEEP = env_int("PORTAL_BACKUP_KEEP", 14)

PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "")
PORTAL_ATTACHMENT_MAX_BYTES = env_int("PORTAL_ATTACHMENT_MAX_MB", 20) * 1_048_576
# An upload is judged by its content (friendship_portal/core/files.py) within these bounds: the time
# the check may take, what a .docx or .xlsx may unpack to (in total, and times its packed size), and
# the pixels an image may declare.
PORTAL_UPLOAD_CHECK_SECONDS = env_int("PORTAL_UPLOAD_CHECK_SECONDS", 5)
PORTAL_UPLOAD_MAX_UNPACKED_BYTES = env_int("PORTAL_UPLOAD_MAX_UNPACKED_MB", 200) * 1_048_576
PORTAL_UPLOAD_MAX_PACKING_RATIO = env_int("PORTAL_UPLOAD_MAX_PACKING_RATIO", 100)
PORTAL_IMAGE_MAX_PIXELS = env_int("PORTAL_IMAGE_MAX_MEGAPIXELS", 50) * 1_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1_048_576
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1_048_576

# Delegations (Directive 38-CT/TW, letter 980-CV/TU): the caps provinces use, and the report deadline.
DELEGATION_MAX_LEADER_TRIPS_PER_YEAR = env_int("DELEGATION_MAX_LEADER_TRIPS_PER_YEAR", 2)
DELEGATION_MAX_MEMBERS = env_int("DELEGATION_MAX_MEMBERS", 10)
DELEGATION_MAX_DAYS = env_int("DELEGATION_MAX_DAYS", 10)
# django-countries' Vietnamese names give two countries one name (Iceland and Ireland "Ai-len",
# Jersey and Austria "Áo", Niger and Nigeria "Nigeria"): each country reads once in a list.
COUNTRIES_OVERRIDE = {
    "IS": _("Iceland"),
    "JE": _("Jersey"),
    "NE": _("Niger"),
    "CG": _("Republic of the Congo"),
    "CD": _("Democratic Republic of the Congo"),
}
DELEGATION_MAX_COUNTRIES = env_int("DELEGATION_MAX_COUNTRIES", 3)
DELEGATION_REPORT_DUE_DAYS = env_int("DELEGATION_REPORT_DUE_DAYS", 15)
DELEGATION_REMINDER_DAYS_BEFORE = env_int("DELEGATION_REMINDER_DAYS_BEFORE", 3)
# Remains recovery with the Lao partner provinces began in 1999.
RECOVERY_TOTAL_SINCE_YEAR = 1999

# Lao students (resolution 118/2023/NQ-HĐND of Hà Tĩnh, amended 2024): VND a month, and per course.
SCHOLARSHIP_MONTHLY_ALLOWANCE = {
    "student": env_int("SCHOLARSHIP_MONTHLY_ALLOWANCE", 2_500_000),
    "official": env_int("SCHOLARSHIP_MONTHLY_ALLOWANCE_OFFICIAL", 3_000_000),
}
SCHOLARSHIP_EQUIPMENT_SUPPORT = env_int("SCHOLARSHIP_EQUIPMENT_SUPPORT", 1_000_000)
SCHOLARSHIP_EXPIRY_ALERT_DAYS = env_int("SCHOLARSHIP_EXPIRY_ALERT_DAYS", 60)

# The dashboard caches its figures for at most this long (any saved record refreshes them at once).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["DJANGO_CACHE_URL"]}
        if os.environ.get("DJANGO_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    )
}

# Background jobs (imports and reports): the queue their tasks go to, how long a queued job may wait
# before the sweep hands it to the broker again, and after how long a running job is taken to have
# lost its worker. The REPORTS_* names of earlier versions are still read.
JOBS_TASK_QUEUE = os.environ.get("JOBS_TASK_QUEUE") or os.environ.get("REPORTS_TASK_QUEUE") or "celery"
JOBS_REQUEUE_AFTER_SECONDS = env_int("JOBS_REQUEUE_AFTER_SECONDS", env_int("REPORTS_REQUEUE_AFTER_SECONDS", 120))
# Excel imports: the largest file, the most rows, and what a file may unpack to (a "zip bomb" is
# refused from the archive's directory, before anything is unpacked).
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 10)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_UNPACKED_MB = env_int("IMPORT_MAX_UNPACKED_MB", 300)
IMPORT_MAX_RATIO = env_int("IMPORT_MAX_RATIO", 100)

# A job's task is stopped after this long (a soft limit the job fails on, then a hard one that kills the
# worker's child). The broker hands an unacknowledged task to another worker only after this and a
# margin (Redis's visibility timeout), so a long job is never run twice at once; a job still "running"
# after the stale limit lost its worker and is run again by the sweep, at most JOBS_MAX_ATTEMPTS times.
JOBS_TIME_LIMIT_SECONDS = env_int("JOBS_TIME_LIMIT_SECONDS", 240)
JOBS_STALE_AFTER_SECONDS = env_int(
    "JOBS_STALE_AFTER_SECONDS", env_int("REPORTS_STALE_AFTER_SECONDS", JOBS_TIME_LIMIT_SECONDS + 60)
)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3)
CELERY_TASK_SOFT_TIME_LIMIT = JOBS_TIME_LIMIT_SECONDS
CELERY_TASK_TIME_LIMIT = JOBS_TIME_LIMIT_SECONDS + 30
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": JOBS_TIME_LIMIT_SECONDS + 60}

# Foreign non-governmental aid (ND 80/2020/NĐ-CP): report deadlines, the revocation window, the
# yearly band the province plans with, and how the portal names itself in IATI files.
AID_PERIOD_REPORT_DUE_DAYS = env_int("AID_PERIOD_REPORT_DUE_DAYS", 15)
AID_COMPLETION_REPORT_MONTHS = env_int("AID_COMPLETION_REPORT_MONTHS", 6)
AID_NOT_STARTED_MONTHS = env_int("AID_NOT_STARTED_MONTHS", 6)
AID_YEARLY_BAND = (env_int("AID_YEARLY_BAND_MIN", 30_000_000_000), env_int("AID_YEARLY_BAND_MAX", 50_000_000_000))
AID_SINCE_YEAR = env_int("AID_SINCE_YEAR", 2013)
AID_IATI_REPORTING_ORG_REF = os.environ.get("AID_IATI_REPORTING_ORG_REF", "VN-HTI-LHHN")
AID_IATI_REPORTING_ORG_TYPE = os.environ.get("AID_IATI_REPORTING_ORG_TYPE", "10")  # 10 = Government

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Production hardening: on whenever DEBUG is off, so `manage.py check --deploy` reports nothing.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PORTAL_BEHIND_PROXY else None
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The content policy (README "Content policy"): pages load scripts, styles, fonts and images from the
# portal only, run no inline script or style, and cannot be framed; browsers report what they block to
# /csp-report/, which logs it to "friendship_portal.csp".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "report-uri": ["/csp-report/"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
