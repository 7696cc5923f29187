"""Real worker processes: a worker killed mid-job, and a broker restart that loses its queue.

Each test starts ``celery worker -B`` (one prefork child, beat running the sweeper every second)
against the test database, publishes real messages, and stops the worker's process group at the
end. In the embedded session the broker is the filesystem queue and the database SQLite; the
``service`` child run (test_service_mode.py) repeats this file on PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import broker, celery_worker, upload, wait_for, wav_bytes
from django.conf import settings
from django.db import connection

from analyses.models import Analysis

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Short enough to keep the tests quick, long enough that a heartbeat delayed by a busy machine
# (a write waiting on SQLite's lock) does not let the lease lapse under a live worker.
FAST_JOBS = {
    "GENRELENS_ANALYSIS_LEASE_S": "6",
    "GENRELENS_ANALYSIS_HEARTBEAT_S": "1",
    "GENRELENS_SWEEP_INTERVAL_S": "1",
}


def _state(pk: Any) -> Analysis:
    return Analysis.objects.get(pk=pk)


def _dump(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no log)"


def test_killed_worker_child_job_completes_after_lease_expiry(anon: Any, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    with celery_worker(log, database=connection.settings_dict["NAME"],
                       GENRELENS_TEST_STALL_FIRST_ATTEMPT_S="60", **FAST_JOBS), \
            broker(settings.CELERY_BROKER_URL):
        pk = upload(anon, wav_bytes(4.0)).json()["id"]
        try:
            running = wait_for(lambda: _state(pk).status == "running" and _state(pk),
                               what="the job to start")
            child_pid = int(running.worker.rsplit(":", 1)[1])
            os.kill(child_pid, signal.SIGKILL)  # the pool child dies mid-job
            done = wait_for(lambda: _state(pk).status in ("succeeded", "failed") and _state(pk),
                            what="the job to finish on a new child")
        except AssertionError:
            raise AssertionError(_dump(log)) from None
    assert done.status == "succeeded", (done.error_code, done.error_message, _dump(log))
    assert done.attempts == 2
    assert int(done.worker.rsplit(":", 1)[1]) != child_pid
    assert Analysis.objects.filter(track=done.track, is_current=True).count() == 1


def test_job_past_its_time_limit_fails_with_timeout_and_the_worker_goes_on(
        anon: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from analyses.tasks import analysis_run_task

    # Celery takes a job's limits from its message, i.e. from the publisher's settings.
    monkeypatch.setattr(analysis_run_task, "soft_time_limit", 2)
    monkeypatch.setattr(analysis_run_task, "time_limit", 30)
    monkeypatch.setattr(analysis_run_task, "_exec_options", None)  # Celery caches them
    log = tmp_path / "worker.log"
    with celery_worker(log, database=connection.settings_dict["NAME"],
                       GENRELENS_TEST_STALL_FIRST_ATTEMPT_S="60",
                       GENRELENS_TASK_SOFT_TIME_LIMIT_S="2", **FAST_JOBS), \
            broker(settings.CELERY_BROKER_URL):
        slow = upload(anon, wav_bytes(4.0, seed=1)).json()["id"]
        try:
            failed = wait_for(lambda: _state(slow).status == "failed" and _state(slow),
                              what="the slow job to time out")
            Analysis.objects.filter(pk=slow).delete()
            # The next job runs in the same worker (its first attempt stalls too, so only its
            # start is awaited): the slot was freed.
            second = upload(anon, wav_bytes(4.0, seed=2)).json()["id"]
            wait_for(lambda: _state(second).status != "queued", what="the next job to start")
        except AssertionError:
            raise AssertionError(_dump(log)) from None
    assert (failed.error_code, failed.stage) == ("timeout", "failed")
    assert "2 s" in failed.error_message


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A redis-server of our own (no persistence, like .ci/run's) that the test may restart."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(tmp_path)]
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        wait_for(lambda: _accepts(port), what="redis-server to listen", limit=20)

    def restart() -> None:
        processes[-1].kill()
        processes[-1].wait(timeout=10)
        start()

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", restart
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def _accepts(port: int) -> bool:
    with closing(socket.socket()) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.service
def test_redis_restart_mid_run_loses_no_job(anon: Any, tmp_path: Path,
                                             private_redis: tuple[str, Any]) -> None:
    url, restart = private_redis
    log = tmp_path / "worker.log"
    with celery_worker(log, database=connection.settings_dict["NAME"], CELERY_BROKER_URL=url,
                       GENRELENS_TEST_STALL_FIRST_ATTEMPT_S="4", GENRELENS_REDISPATCH_AFTER_S="2",
                       **FAST_JOBS), broker(url):
        ids = [upload(anon, wav_bytes(4.0, seed=seed)).json()["id"] for seed in (1, 2, 3)]
        try:
            wait_for(lambda: Analysis.objects.filter(status="running").exists(),
                     what="the first job to start")
            restart()  # the queued messages of the other jobs are gone with it
            wait_for(lambda: Analysis.objects.filter(
                pk__in=ids, status__in=("succeeded", "failed")).count() == len(ids),
                what="every job to finish")
        except AssertionError:
            raise AssertionError(_dump(log)) from None
    jobs = list(Analysis.objects.filter(pk__in=ids))
    assert [j.status for j in jobs] == ["succeeded"] * 3, (
        [(j.error_code, j.error_message, j.attempts) for j in jobs], _dump(log))
    assert all(j.is_current for j in jobs)
