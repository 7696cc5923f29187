"""Settings of the GenreLens web service: the embedded default, switched to services by env.

With no environment at all this is the embedded mode: SQLite and a filesystem Celery broker under
``var/`` (``GENRELENS_VAR_DIR``), one worker beside the web server. ``DATABASE_URL`` (PostgreSQL)
and ``REDIS_URL`` switch to service mode, where any number of workers on any number of hosts
share the jobs. ``production`` adds the deployment hardening on top of this module.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

# No __all__: production.py and test.py star-import every setting defined here.

REPO_ROOT = Path(__file__).resolve().parents[3]
BACKEND_DIR = REPO_ROOT / "backend"


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment (``1/true/yes/on`` is true)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def env_float(name: str, default: float) -> float:
    """Read a number from the environment."""
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else float(raw)


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list from the environment."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- data directory (SQLite, uploads, broker folders): never under a URL root ----------------
VAR_DIR = Path(os.environ.get("GENRELENS_VAR_DIR") or REPO_ROOT / "var").resolve()
UPLOAD_ROOT = VAR_DIR / "uploads"
UPLOAD_TEMP_DIR = VAR_DIR / "tmp"
BROKER_DIR = VAR_DIR / "broker"
STATIC_ROOT = VAR_DIR / "static"
for _folder in (UPLOAD_ROOT, UPLOAD_TEMP_DIR, BROKER_DIR / "queue", BROKER_DIR / "processed",
                BROKER_DIR / "control", STATIC_ROOT):
    _folder.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """A random key kept in ``var/secret_key`` so sessions and tokens survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _embedded_secret_key()
DEBUG = env_bool("GENRELENS_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # Kept for its table: the accounts migration moved its tokens there as digests.
    "rest_framework.authtoken",
    "drf_spectacular",
    "accounts",
    "catalog",
    "analyses",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
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
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------
# SQLite shared by the web process and the worker: WAL, a busy timeout, and IMMEDIATE
# transactions so a writer waits for the lock instead of failing at once (RELIABILITY A5).
SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


#: Longest a PostgreSQL statement waits for a lock [seconds]; then it fails, and the API answers
#: 503 ``db_busy`` with Retry-After (an upload waited 34 s behind a held lock before).
DB_LOCK_TIMEOUT_S = env_float("GENRELENS_DB_LOCK_TIMEOUT_S", 5.0)
#: Longest one PostgreSQL statement may run [seconds] (raise it for a long migration).
DB_STATEMENT_TIMEOUT_S = env_float("GENRELENS_DB_STATEMENT_TIMEOUT_S", 30.0)


def database_config(url: str) -> dict[str, Any]:
    """Django database settings for ``url``, with the SQLite or PostgreSQL options we rely on."""
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
        # Session settings sent at connect (libpq ``options``), so every connection has them.
        config["OPTIONS"] = {"options": (
            f"-c lock_timeout={int(DB_LOCK_TIMEOUT_S * 1000)} "
            f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT_S * 1000)}")}
    return config


DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'genrelens.sqlite3'}"
DATABASES = {"default": database_config(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- broker and cache ----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
SERVICE_MODE = bool(REDIS_URL)
#: Seconds one cache call (the throttles' counters) may wait on Redis before it fails and the
#: throttle lets the request through. redis-py waits 5 s by default: with a Redis that accepts
#: connections and never answers, an upload took 5.0 s on a real server (bench_hardening.py).
CACHE_SOCKET_TIMEOUT_S = env_float("GENRELENS_CACHE_SOCKET_TIMEOUT_S", 0.25)


def redis_cache(url: str) -> dict[str, Any]:
    """The cache on Redis at ``url``, each call bounded by ``CACHE_SOCKET_TIMEOUT_S``."""
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": CACHE_SOCKET_TIMEOUT_S,
                        "socket_timeout": CACHE_SOCKET_TIMEOUT_S}}


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

#: Seconds a publish may take before the HTTP request gives up and leaves the job undispatched.
BROKER_PUBLISH_TIMEOUT_S = env_float("GENRELENS_BROKER_PUBLISH_TIMEOUT_S", 2.0)
#: Hard and soft time limits of one analysis task [seconds].
TASK_SOFT_TIME_LIMIT_S = env_float("GENRELENS_TASK_SOFT_TIME_LIMIT_S", 1800.0)
TASK_TIME_LIMIT_S = TASK_SOFT_TIME_LIMIT_S + 60.0


#: The filesystem broker's polling interval [seconds].
BROKER_POLL_S = 0.1


def celery_transport_options(broker_url: str) -> dict[str, Any]:
    """Transport options: bounded connects for Redis, the two folders for the filesystem."""
    if broker_url.startswith("filesystem://"):
        return {
            "data_folder_in": str(BROKER_DIR / "queue"),
            "data_folder_out": str(BROKER_DIR / "queue"),
            "processed_folder": str(BROKER_DIR / "processed"),
            "store_processed": False,
            # Fan-out (broadcast) exchanges; kombu's default is ./control in the working dir.
            "control_folder": str(BROKER_DIR / "control"),
            # How long a worker with nothing fetched sleeps before it looks at the folder again.
            # kombu's 1 s came after every job (a worker takes one message at a time), so two
            # workers did 62 tracks a minute whatever the analysis cost; a listing of a small
            # folder every 0.1 s costs nothing measurable.
            "polling_interval": BROKER_POLL_S,
        }
    return {
        # A publish tries the connection twice without sleeping, so an HTTP request that
        # publishes waits at most about two connect timeouts (kombu's default sleeps 2 s).
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
        "socket_connect_timeout": BROKER_PUBLISH_TIMEOUT_S,
        "socket_timeout": BROKER_PUBLISH_TIMEOUT_S * 5,
        # Longer than any task may run, so Redis does not hand a running job to a second worker.
        "visibility_timeout": int(TASK_TIME_LIMIT_S + 300),
    }


CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = celery_transport_options(CELERY_BROKER_URL)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_PUBLISH_TIMEOUT_S
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker started while the broker is down keeps retrying instead of exiting.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
#: Queue of the analysis jobs; separate deployments (or test runs) sharing a Redis use their own.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("GENRELENS_QUEUE", "genrelens")

# --- jobs ----------------------------------------------------------------------------------
#: Seconds a claimed job stays ours without a heartbeat; a dead worker's job is re-queued after.
ANALYSIS_LEASE_S = env_float("GENRELENS_ANALYSIS_LEASE_S", 60.0)
#: Seconds between heartbeats that extend the lease of a running job.
ANALYSIS_HEARTBEAT_S = env_float("GENRELENS_ANALYSIS_HEARTBEAT_S", ANALYSIS_LEASE_S / 4)
#: Attempts (claims) per job before it fails with ``worker_lost``.
ANALYSIS_MAX_ATTEMPTS = int(env_float("GENRELENS_ANALYSIS_MAX_ATTEMPTS", 3))
#: Seconds between sweeps (expired leases, undispatched and lost jobs).
ANALYSIS_SWEEP_INTERVAL_S = env_float("GENRELENS_SWEEP_INTERVAL_S", 15.0)
#: A queued job whose message was published this long ago and is in no queue is published again.
ANALYSIS_REDISPATCH_AFTER_S = env_float("GENRELENS_REDISPATCH_AFTER_S", 120.0)
#: Test hook: seconds the first attempt of every job sleeps before decoding (0 = off).
ANALYSIS_TEST_STALL_FIRST_ATTEMPT_S = env_float("GENRELENS_TEST_STALL_FIRST_ATTEMPT_S", 0.0)

#: Files (orphan stored uploads, temporary uploads and decode folders) untouched this long are
#: a killed process' leftovers [seconds]: longer than any upload, decode or analysis takes.
STALE_FILE_AGE_S = env_float("GENRELENS_STALE_FILE_AGE_S", 6 * 3600.0)
#: Seconds between storage sweeps (also run at start-up).
STORAGE_SWEEP_INTERVAL_S = env_float("GENRELENS_STORAGE_SWEEP_INTERVAL_S", 3600.0)

CELERY_BEAT_SCHEDULE = {
    "analyses-sweep": {"task": "analyses.analysis_sweep", "schedule": ANALYSIS_SWEEP_INTERVAL_S,
                       # A sweep nobody ran in time is dropped: the next one does its work.
                       "options": {"expires": ANALYSIS_SWEEP_INTERVAL_S * 2}},
    "storage-sweep": {"task": "catalog.storage_sweep", "schedule": STORAGE_SWEEP_INTERVAL_S,
                      "options": {"expires": STORAGE_SWEEP_INTERVAL_S}},
}

# --- uploads -------------------------------------------------------------------------------
#: Largest accepted upload [bytes] (413 above it).
MAX_UPLOAD_BYTES = int(env_float("GENRELENS_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
#: Most files in one batch upload.
MAX_BATCH_FILES = int(env_float("GENRELENS_MAX_BATCH_FILES", 50))
REQUIRE_AUTH_FOR_UPLOAD = env_bool("GENRELENS_REQUIRE_AUTH_FOR_UPLOAD", SERVICE_MODE)
#: Everyone (anonymous included) may read every upload. On in embedded mode (one local user, as
#: the README says); off in service mode, where a user reads only their own uploads (staff: all).
PUBLIC_LIBRARY = env_bool("GENRELENS_PUBLIC_LIBRARY", not SERVICE_MODE)
UPLOAD_RATE = os.environ.get("GENRELENS_UPLOAD_RATE", "60/min")
FILE_UPLOAD_TEMP_DIR = str(UPLOAD_TEMP_DIR)
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_NUMBER_FILES = MAX_BATCH_FILES
#: Seconds an SSE progress stream stays open before the client reconnects.
SSE_MAX_SECONDS = env_float("GENRELENS_SSE_MAX_SECONDS", 300.0)
SSE_POLL_SECONDS = 0.5
#: Progress streams one web process serves at once (each holds a request thread; waitress and
#: the documented gunicorn run 16 a process, so half stay free for everything else).
SSE_MAX_STREAMS = int(env_float("GENRELENS_SSE_MAX_STREAMS", 8))
#: Progress streams one client (a user, or an anonymous IP) may hold open in one process.
SSE_MAX_STREAMS_PER_CLIENT = int(env_float("GENRELENS_SSE_MAX_STREAMS_PER_CLIENT", 4))

# --- REST framework ------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so a missing credential is a 401 with WWW-Authenticate (RELIABILITY A3).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.DigestTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "config.schema.ErrorDocumentingSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "NUM_PROXIES": int(env_float("GENRELENS_NUM_PROXIES", 0)),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GenreLens API",
    "DESCRIPTION": "Upload electronic music, get its genre breakdown, tempo, key and why.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- static files and the front end --------------------------------------------------------
STATIC_URL = "/static/"
GENRE_IMAGES_DIR = REPO_ROOT / "data" / "genre_images"
STATICFILES_DIRS = [("genre_images", GENRE_IMAGES_DIR)] if GENRE_IMAGES_DIR.is_dir() else []
FRONTEND_DIST = Path(os.environ.get("GENRELENS_FRONTEND_DIST") or REPO_ROOT / "frontend" / "dist")
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
WHITENOISE_INDEX_FILE = True
# Embedded mode serves straight from the source folders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

TAXONOMY_PATH = Path(os.environ.get("GENRELENS_TAXONOMY", REPO_ROOT / "data" / "taxonomy.yaml"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GENRELENS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
