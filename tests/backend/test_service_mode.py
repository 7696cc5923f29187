"""Service mode: the backend tests again, on the real PostgreSQL and Redis of 127.0.0.1.

A child pytest run gets ``GENRELENS_TEST_DATABASE_URL`` (a fresh PostgreSQL database) and
``GENRELENS_TEST_REDIS_URL``, so the API, the job state machine and the real worker tests
(killed worker, Redis restart) run with PostgreSQL and the Redis broker and cache. Skipped, with
the reason, only when the servers do not answer (``.ci/run`` starts them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.service, pytest.mark.slow]

POSTGRES_URL = os.environ.get("GENRELENS_SERVICE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("GENRELENS_SERVICE_REDIS", "redis://127.0.0.1:6379/0")
#: Longest the child run may take [seconds].
CHILD_LIMIT_S = 540
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _unreachable() -> str | None:
    """Why the services cannot be used, or None when both answer."""
    import psycopg
    import redis

    try:
        psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {POSTGRES_URL} does not answer: {exc}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis at {REDIS_URL} does not answer: {exc}"
    return None


def _forget_queue(queue: str) -> None:
    """Remove what the run left in the shared Redis: its queue (a last beat tick) and bindings."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)


def test_backend_suite_on_postgresql_and_redis(tmp_path: Path) -> None:
    reason = _unreachable()
    if reason is not None:
        pytest.skip(reason)
    run_id = uuid.uuid4().hex[:8]
    queue = f"genrelens-test-{run_id}"
    env = dict(os.environ, GENRELENS_TEST_DATABASE_URL=f"{POSTGRES_URL}/genrelens_{run_id}",
               GENRELENS_TEST_REDIS_URL=REDIS_URL, GENRELENS_QUEUE=queue,
               GENRELENS_VAR_DIR=str(tmp_path / "var"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(HERE),
               "--ignore", str(Path(__file__)), "--ignore", str(HERE / "test_genrelens_serve.py"),
               "--rootdir", str(REPO), "-c", str(REPO / "pyproject.toml"),
               "-o", f"pythonpath={' '.join(sys.path)}"]
    # Run from elsewhere so `python -m` does not put the checkout before our sys.path.
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=CHILD_LIMIT_S, check=False, cwd=tmp_path)
    finally:
        _forget_queue(queue)
    print(done.stdout[-3000:])
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and " skipped" not in done.stdout
