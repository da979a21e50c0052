"""Settings for 集团通.

Everything that differs per deployment comes from the environment through the helpers below, which
refuse bad values. The defaults need no server: SQLite and a SQLite-backed Celery broker under var/.
Set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) for production.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JITUAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)


def _local_secret_key() -> str:
    """A single-machine install keeps a generated key under var/; several servers must share
    DJANGO_SECRET_KEY instead."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        # Several processes (web, worker, beat) may start together: write aside, link into place.
        draft = path.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(get_random_secret_key())
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
# Loopback is always allowed so that the container health check can reach /healthz.
ALLOWED_HOSTS = [*env_list("DJANGO_ALLOWED_HOSTS", "localhost"), "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over HTTPS (DJANGO_SECURE_COOKIES=true, the production flag): plain HTTP is redirected,
# and browsers are told by HSTS to use HTTPS only. Each can still be set on its own.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", SESSION_COOKIE_SECURE)
# The container health check asks over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int(
    "DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", SESSION_COOKIE_SECURE)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# W021 asks for HSTS preloading: a decision for the owner of the domain (hstspreload.org), never
# a default of ours.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "jituan",
    "targets",
    "enrollment",
    "partnerships",
    "development",
    "supervision",
    "certification",
    "assessment",
    "rewards",
    "reports",
    "dashboard",
    "desk",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers static files itself: every response carries the policy.
    "csp.middleware.CSPMiddleware",
    # Refuses an oversized body from its Content-Length before anything reads it.
    "jituan.uploads.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Who changed a register record: the signed-in user of the request, in its history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out login with its page.
    "axes.middleware.AxesMiddleware",
]

# Scripts only from our own static files: no inline <script> (JSON data blocks are not run) and
# no on…= attributes. Styles allow 'unsafe-inline' because templates use style="" attributes
# (progress-bar widths, column widths) and ECharts styles its tooltips the same way.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'self'"],
    },
}

ROOT_URLCONF = "jituan.urls"
WSGI_APPLICATION = "jituan.wsgi.application"

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
                "jituan.context_processors.navigation",
                "jituan.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'jituan.sqlite3'}",
        conn_max_age=60,
        # A connection kept across requests is checked first: after a database restart the
        # next request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file; WAL and immediate transactions avoid "locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so that a real worker process in the tests can open the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-jituan.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "jituan.User"

# Argon2id first (see jituan/hashers.py); a PBKDF2 hash from before is upgraded at its next login.
PASSWORD_HASHERS = [
    "jituan.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Ours: Django 5.2's message for it is missing from its Chinese catalogue.
    {"NAME": "jituan.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes). Its backend comes first so that a locked-out login is refused
# before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Wrong passwords lock one username *from one address*: a school's staff behind one shared
# address are not locked out by a colleague's typos, nor is a user locked out by a stranger.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("JITUAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("JITUAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: REMOTE_ADDR, unless JITUAN_PROXY_COUNT reverse proxies (nginx: 1) stand
# in front of the app, each adding the address it was reached from to X-Forwarded-For. The last
# proxy is REMOTE_ADDR itself, so ipware expects one address fewer after the client's; a header
# with more (a client's forged one) is not trusted and REMOTE_ADDR is used.
JITUAN_PROXY_COUNT = env_int("JITUAN_PROXY_COUNT", 0)
if JITUAN_PROXY_COUNT < 0:
    raise ImproperlyConfigured("JITUAN_PROXY_COUNT must be 0 or more")
if JITUAN_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = JITUAN_PROXY_COUNT - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One number format: 13,546 wherever a template groups a figure (jituan/formats/zh_Hans).
FORMAT_MODULE_PATH = ["jituan.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "jituan.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Largest sheet an upload or import command accepts.
JITUAN_IMPORT_MAX_BYTES = env_int("JITUAN_IMPORT_MAX_MB", 20) * 1024 * 1024
JITUAN_EVIDENCE_MAX_BYTES = env_int("JITUAN_EVIDENCE_MAX_MB", 20) * 1024 * 1024
# What a workbook may declare before any of it is unpacked (a 100,000-row task sheet is about
# 32 MB unpacked), and the rows and cells a sheet may span: past these an upload is refused.
JITUAN_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("JITUAN_IMPORT_MAX_UNPACKED_MB", 200) * 1024 * 1024
JITUAN_IMPORT_MAX_ENTRIES = 1000
JITUAN_IMPORT_MAX_ROWS = env_int("JITUAN_IMPORT_MAX_ROWS", 200_000)
JITUAN_IMPORT_MAX_CELLS = JITUAN_IMPORT_MAX_ROWS * 50
# An import lists this many problems, then how many more there are.
JITUAN_IMPORT_MAX_PROBLEMS = 200
# A request body larger than this is refused from its Content-Length, before it is read.
JITUAN_REQUEST_MAX_BYTES = (
    max(JITUAN_IMPORT_MAX_BYTES, JITUAN_EVIDENCE_MAX_BYTES) + DATA_UPLOAD_MAX_MEMORY_SIZE
)
# Reminders go out this many days before a quarter's deadline, and the day after it.
JITUAN_REMIND_DAYS_BEFORE = env_int("JITUAN_REMIND_DAYS_BEFORE", 3)
# The group's name on generated reports, and who receives the monthly dispatch report.
JITUAN_GROUP_NAME = env_str("JITUAN_GROUP_NAME", "安庆职业教育集团")
# The group's 发文机关代字 in document numbers (安职集团调度〔2020〕5号), and 抄送 on every official
# document it issues (its 版记).
JITUAN_DOCUMENT_PREFIX = env_str("JITUAN_DOCUMENT_PREFIX", "安职集团")
JITUAN_DOCUMENT_COPIED_TO = env_str("JITUAN_DOCUMENT_COPIED_TO", "集团理事会各理事单位")
JITUAN_COUNCIL_EMAILS = [
    address.strip()
    for address in env_str("JITUAN_COUNCIL_EMAILS", "council@localhost").split(",")
    if address.strip()
]
# A monthly dispatch report reads what was known by the end of this many days after its month.
JITUAN_DISPATCH_CUTOFF_DAYS = env_int("JITUAN_DISPATCH_CUTOFF_DAYS", 5)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "jituan@localhost")
EMAIL_FILE_PATH = env_str("DJANGO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# Celery. The default broker is kombu's SQLAlchemy transport on a SQLite file: a real worker
# process runs tasks with no server. (The filesystem transport races and can kill the worker,
# kombu #1551; see ../shared/measurements.md.)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}")
CELERY_RESULT_BACKEND = env_str(
    "CELERY_RESULT_BACKEND",
    CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else f"db+sqlite:///{VAR_DIR / 'results.sqlite3'}",
)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest render or parse takes seconds; a task past these limits is stuck. The stalled-work
# sweeps below send again what has been running longer than the hard limit.
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
# Every task records its outcome on its own row (a report, an import batch); nobody reads Celery's
# results. Storing them would make each send from a web process first subscribe to a result
# channel, which with Redis down retries for ~19 s before the page could say so.
CELERY_TASK_IGNORE_RESULT = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Redis hands an unacknowledged message (its worker was killed) to another worker after
        # this long (default one hour): just past the hard limit, so never while it still runs.
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + 60,
        # A page handing work over finds out at once that Redis is down (kombu would otherwise
        # retry the connection for ~6 s); the request is kept and the sweep sends it later.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
        "socket_connect_timeout": 2,
    }
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "submission-reminders": {
        "task": "targets.tasks.submission_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Daily: 站内消息 to liaisons three days before their quarter's report is due.
    "deadline-notices": {
        "task": "targets.tasks.deadline_notices",
        "schedule": crontab(hour=8, minute=5),
    },
    # Daily: "the last closed month has its dispatch report", so a lost tick is made up.
    "monthly-dispatch-report": {
        "task": "reports.tasks.monthly_dispatch",
        "schedule": crontab(hour=6, minute=0),
    },
    # Work queued while the queue was down, or lost with a killed worker, is sent again.
    # Daily: the traffic lights (红黄绿灯) of every live plan, before the day's urges.
    "supervision-lights": {
        "task": "supervision.tasks.compute_lights",
        "schedule": crontab(hour=6, minute=30),
    },
    # Daily, after the lights: the scheduled urges (催办), each sent once per day and step.
    "supervision-urges": {
        "task": "supervision.tasks.urge_on_schedule",
        "schedule": crontab(hour=8, minute=30),
    },
    "resume-stalled-deliveries": {
        "task": "supervision.tasks.resume_stalled_deliveries",
        "schedule": crontab(minute="*/2"),
    },
    "resume-stalled-reports": {
        "task": "reports.tasks.resume_stalled_reports",
        "schedule": crontab(minute="*/2"),
    },
    "resume-stalled-imports": {
        "task": "targets.tasks.resume_stalled_imports",
        "schedule": crontab(minute="*/2"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO; fontTools its subsetting.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
