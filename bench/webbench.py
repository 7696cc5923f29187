"""Shared set-up of the web-service benchmarks: a throw-away data dir and database per mode."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

__all__ = ["BACKEND_DIR", "POSTGRES_URL", "REDIS_URL", "REPO_ROOT", "Mode", "bench_environment",
           "wait_for_server"]

REPO_ROOT = Path(__file__).resolve().parents[1]
BACKEND_DIR = REPO_ROOT / "backend"
POSTGRES_URL = os.environ.get("GENRELENS_SERVICE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("GENRELENS_SERVICE_REDIS", "redis://127.0.0.1:6379/0")
Mode = Literal["embedded", "service"]


@contextmanager
def bench_environment(mode: Mode) -> Iterator[dict[str, str]]:
    """Set os.environ for a fresh GenreLens instance in ``mode`` and yield it for subprocesses.

    Embedded: SQLite and the filesystem broker in a temporary data dir. Service: a new
    PostgreSQL database and its own Redis queue, both removed afterwards.
    """
    var_dir = Path(tempfile.mkdtemp(prefix=f"genrelens-bench-{mode}-"))
    run_id = uuid.uuid4().hex[:8]
    database = f"genrelens_bench_{run_id}"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.base", "GENRELENS_VAR_DIR": str(var_dir),
           "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(BACKEND_DIR)]),
           "GENRELENS_LOG_LEVEL": "WARNING", "GENRELENS_UPLOAD_RATE": "100000/min"}
    if mode == "service":
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        env.update(DATABASE_URL=f"{POSTGRES_URL}/{database}", REDIS_URL=REDIS_URL,
                   GENRELENS_QUEUE=f"genrelens-bench-{run_id}",
                   GENRELENS_REQUIRE_AUTH_FOR_UPLOAD="0")
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    sys.path[:0] = [str(REPO_ROOT), str(BACKEND_DIR)]
    try:
        yield dict(os.environ)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if mode == "service":
            _drop_service_state(database, env["GENRELENS_QUEUE"])
        shutil.rmtree(var_dir, ignore_errors=True)


def _drop_service_state(database: str, queue: str) -> None:
    import psycopg
    import redis
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)


def wait_for_server(port: int, *, limit_s: float = 60.0) -> None:
    """Return once the server on ``port`` answers ``/api/genres/``; raise after ``limit_s``."""
    deadline = time.monotonic() + limit_s
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/genres/", timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
