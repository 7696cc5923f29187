"""Test settings: the embedded mode in a throw-away data dir, or service mode when asked.

``GENRELENS_TEST_DATABASE_URL`` / ``GENRELENS_TEST_REDIS_URL`` switch the tests to PostgreSQL and
Redis (the ``service`` tests do this in a child pytest run). Worker subprocesses started by the
integration tests get ``GENRELENS_TEST_LIVE_DB`` naming the test database they must share.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if not os.environ.get("GENRELENS_VAR_DIR"):
    _var = tempfile.mkdtemp(prefix="genrelens-test-")
    os.environ["GENRELENS_VAR_DIR"] = _var  # worker subprocesses inherit it
    atexit.register(shutil.rmtree, _var, True)
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-" + "x" * 50)
if os.environ.get("GENRELENS_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["GENRELENS_TEST_DATABASE_URL"]
if os.environ.get("GENRELENS_TEST_REDIS_URL"):
    os.environ["REDIS_URL"] = os.environ["GENRELENS_TEST_REDIS_URL"]

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import DATABASES, VAR_DIR, env_bool, env_float  # noqa: E402

DATABASES["default"]["TEST"] = {}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the worker subprocesses of the integration tests share it.
    DATABASES["default"]["TEST"]["NAME"] = str(VAR_DIR / "test.sqlite3")
if os.environ.get("GENRELENS_TEST_LIVE_DB"):
    DATABASES["default"]["NAME"] = os.environ["GENRELENS_TEST_LIVE_DB"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-process tests run the real task body synchronously; worker tests turn this off.
CELERY_TASK_ALWAYS_EAGER = env_bool("GENRELENS_CELERY_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = False
# The heartbeat thread only matters in a real worker (tests set a short lease there).
ANALYSIS_HEARTBEAT_S = env_float("GENRELENS_ANALYSIS_HEARTBEAT_S", 3600.0)
REQUIRE_AUTH_FOR_UPLOAD = env_bool("GENRELENS_REQUIRE_AUTH_FOR_UPLOAD", False)
# The shared tests read as anonymous in both modes; the private-library tests turn this off.
PUBLIC_LIBRARY = env_bool("GENRELENS_PUBLIC_LIBRARY", True)
UPLOAD_RATE = "10000/min"
