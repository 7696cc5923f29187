"""The job lifecycle in a worker: claim, lease and heartbeat, progress, outcome, and the sweep.

Delivery is at least once (Celery ``acks_late``), so every step is idempotent and the job row
decides: a worker *claims* the job with a conditional update, keeps a lease alive with a
heartbeat, and writes its result only while it still holds the same attempt. A sweeper puts back
jobs whose lease expired (worker killed) and publishes jobs the broker never got (broker down at
upload time, or a broker restart that lost its queue). See docs/architecture.md and
shared/RELIABILITY.md Part B. The domain writes (the result's score rows, the track's headline)
are ``analyses.services``'.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from analyses.broker import analysis_dispatch, broker_queue_size
from analyses.models import Analysis
from analyses.services import analysis_scores_store, model_version_of
from catalog.storage import stored_path
from genrelens.errors import GenreLensError

__all__ = ["STAGE_SPANS", "SWEEP_BATCH", "TRANSIENT_ERRORS", "analysis_run", "analysis_sweep"]

logger = logging.getLogger(__name__)

#: Share of the overall progress bar each pipeline stage covers: (start, span).
STAGE_SPANS: Mapping[str, tuple[float, float]] = {
    "decoding": (0.0, 0.25),
    "features": (0.25, 0.5),
    "model": (0.75, 0.25),
    "done": (1.0, 0.0),
}
#: Most jobs one sweep touches, so a sweep stays short whatever the backlog.
SWEEP_BATCH = 500
#: Errors worth retrying the whole task for (database locked or briefly unreachable).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# Progress is written at most this often [seconds] (plus on every stage change).
_PROGRESS_WRITE_INTERVAL_S = 0.5


@dataclass(frozen=True)
class _Claim:
    analysis_id: Any
    attempt: int
    stored_name: str
    display_name: str


class _JobLost(Exception):
    """The job row was deleted or re-claimed by another worker: stop without writing."""


def _fail(analysis_id: Any, *, code: str, message: str, attempt: int | None = None) -> bool:
    """Mark a job failed; with ``attempt``, only while that attempt still holds it."""
    rows = Analysis.objects.filter(pk=analysis_id).exclude(
        status__in=(Analysis.Status.SUCCEEDED, Analysis.Status.FAILED))
    if attempt is not None:
        rows = rows.filter(status=Analysis.Status.RUNNING, attempts=attempt)
    return bool(rows.update(status=Analysis.Status.FAILED, stage=Analysis.Stage.FAILED,
                            error_code=code, error_message=message[:2000],
                            finished_at=timezone.now(), lease_expires_at=None))


def _worker_lost_message(attempts: int) -> str:
    return f"the worker running this job stopped {attempts} time(s); giving up"


def _claim(analysis_id: Any) -> _Claim | None:
    """Take the job if it is queued or its lease expired; None if it is not ours to run."""
    now = timezone.now()
    with transaction.atomic():
        analysis = (Analysis.objects.select_for_update().select_related("track")
                    .filter(pk=analysis_id).first())
        if analysis is None:
            return None
        expired = (analysis.status == Analysis.Status.RUNNING
                   and analysis.lease_expires_at is not None and analysis.lease_expires_at < now)
        if analysis.status != Analysis.Status.QUEUED and not expired:
            return None
        if analysis.attempts >= settings.ANALYSIS_MAX_ATTEMPTS:
            _fail(analysis_id, code="worker_lost", message=_worker_lost_message(analysis.attempts))
            return None
        analysis.attempts += 1
        analysis.status = Analysis.Status.RUNNING
        analysis.stage = Analysis.Stage.DECODING
        analysis.progress = 0.0
        analysis.started_at = now
        analysis.lease_expires_at = now + timedelta(seconds=settings.ANALYSIS_LEASE_S)
        analysis.worker = f"{socket.gethostname()}:{os.getpid()}"
        analysis.save(update_fields=["attempts", "status", "stage", "progress", "started_at",
                                     "lease_expires_at", "worker"])
        return _Claim(analysis.pk, analysis.attempts, analysis.track.stored_name,
                      analysis.track.original_filename)


def _held(claim: _Claim) -> Any:
    return Analysis.objects.filter(pk=claim.analysis_id, status=Analysis.Status.RUNNING,
                                   attempts=claim.attempt)


class _Heartbeat(threading.Thread):
    """Extends the lease every ``ANALYSIS_HEARTBEAT_S`` while the pipeline runs."""

    def __init__(self, claim: _Claim) -> None:
        super().__init__(name=f"heartbeat-{claim.analysis_id}", daemon=True)
        self.claim = claim
        self.lost = threading.Event()
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.wait(settings.ANALYSIS_HEARTBEAT_S):
                lease = timezone.now() + timedelta(seconds=settings.ANALYSIS_LEASE_S)
                try:
                    if not _held(self.claim).update(lease_expires_at=lease):
                        self.lost.set()
                        return
                except DatabaseError as exc:
                    logger.warning("analysis %s: heartbeat failed (%s)", self.claim.analysis_id,
                                   exc)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


class _ProgressReporter:
    """The ``progress(stage, fraction)`` callback given to the core; aborts a lost job."""

    def __init__(self, claim: _Claim, heartbeat: _Heartbeat) -> None:
        self.claim = claim
        self.heartbeat = heartbeat
        self._stage = ""
        self._written_at = 0.0

    def __call__(self, stage: str, fraction: float = 0.0) -> None:
        if self.heartbeat.lost.is_set():
            raise _JobLost(self.claim.analysis_id)
        now = time.monotonic()
        if stage == self._stage and now - self._written_at < _PROGRESS_WRITE_INTERVAL_S:
            return
        start, span = STAGE_SPANS.get(stage, (0.0, 0.0))
        overall = min(1.0, max(0.0, start + span * float(fraction)))
        fields: dict[str, Any] = {"progress": overall}
        if stage in Analysis.Stage.values and stage != Analysis.Stage.DONE:
            fields["stage"] = stage
        if not _held(self.claim).update(**fields):
            raise _JobLost(self.claim.analysis_id)
        self._stage, self._written_at = stage, now


def _test_stall(claim: _Claim, report: Callable[[str, float], None]) -> None:
    """Test hook: the first attempt sleeps so a test can kill its worker mid-job."""
    stall = settings.ANALYSIS_TEST_STALL_FIRST_ATTEMPT_S
    if claim.attempt != 1 or stall <= 0:
        return
    deadline = time.monotonic() + stall
    while time.monotonic() < deadline:
        report("decoding", 0.0)
        time.sleep(0.1)


def _succeed(claim: _Claim, result: dict[str, Any]) -> bool:
    """Store the result, the score rows and the track's headline, if we still hold the job."""
    with transaction.atomic():
        stored = _held(claim).update(
            status=Analysis.Status.SUCCEEDED, stage=Analysis.Stage.DONE, progress=1.0,
            result=result, model_version=model_version_of(result), finished_at=timezone.now(),
            lease_expires_at=None, error_code="", error_message="")
        if not stored:
            return False
        analysis_scores_store(Analysis.objects.select_related("track").get(pk=claim.analysis_id),
                              result)
    return True


def _release(claim: _Claim) -> None:
    """Hand a job back to the queue after a transient error, so the retry can claim it."""
    try:
        _held(claim).update(status=Analysis.Status.QUEUED, stage=Analysis.Stage.QUEUED,
                            progress=0.0, lease_expires_at=None)
    except DatabaseError as exc:
        logger.warning("analysis %s: release failed, the lease will expire (%s)",
                       claim.analysis_id, exc)


def analysis_run(analysis_id: Any) -> str:
    """Run one job in this worker: claim it, call the core pipeline, store the outcome.

    Safe to call any number of times for the same job (a redelivered message): only the caller
    holding the current attempt writes, so at most one result is stored.

    Returns
    -------
    str
        ``succeeded``, ``failed``, ``skipped`` (not ours: done, running elsewhere, deleted) or
        ``lost`` (deleted or re-claimed while we ran).

    Raises
    ------
    OperationalError, InterfaceError
        Transient database errors; the job is released and the task retries.
    """
    claim = _claim(analysis_id)
    if claim is None:
        return "skipped"
    heartbeat = _Heartbeat(claim)
    report = _ProgressReporter(claim, heartbeat)
    heartbeat.start()
    try:
        _test_stall(claim, report)
        # Imported here: the pipeline loads torch, which the web process never needs.
        from genrelens.predict.pipeline import analyze_path

        result = analyze_path(stored_path(claim.stored_name), progress=report)
    except _JobLost:
        return "lost"
    except GenreLensError as exc:
        _fail(claim.analysis_id, code=exc.code, message=exc.message, attempt=claim.attempt)
        return "failed"
    except SoftTimeLimitExceeded:
        _fail(claim.analysis_id, code="timeout", attempt=claim.attempt,
              message=f"the analysis ran past {settings.TASK_SOFT_TIME_LIMIT_S:.0f} s")
        return "failed"
    except TRANSIENT_ERRORS:
        _release(claim)
        raise
    except Exception:
        logger.exception("analysis %s: internal error", claim.analysis_id)
        _fail(claim.analysis_id, code="internal", attempt=claim.attempt,
              message="internal error while analysing; the traceback is in the worker log")
        return "failed"
    finally:
        heartbeat.stop()
    data = result.to_dict()
    # The core names the file it read (our random stored name); show the user's name instead.
    data.setdefault("source", {})["name"] = claim.display_name
    return "succeeded" if _succeed(claim, data) else "lost"


def analysis_sweep() -> dict[str, int]:
    """Re-queue jobs whose worker died, publish jobs the broker never got or lost.

    1. ``running`` with an expired lease: back to ``queued`` (attempt kept), or ``failed`` with
       ``worker_lost`` after ``ANALYSIS_MAX_ATTEMPTS``.
    2. ``queued`` and never published (``dispatched_at`` NULL): published now.
    3. ``queued``, published more than ``ANALYSIS_REDISPATCH_AFTER_S`` ago while the broker's
       queue is empty: the message was lost (broker restarted without persistence), so it is
       published again. A duplicate message is harmless: its claim finds the job taken.

    Returns
    -------
    dict
        ``{"requeued", "failed", "dispatched", "redispatched"}`` counts.
    """
    now = timezone.now()
    counts = {"requeued": 0, "failed": 0, "dispatched": 0, "redispatched": 0}
    expired = (Analysis.objects.filter(status=Analysis.Status.RUNNING, lease_expires_at__lt=now)
               .values_list("pk", "attempts")[:SWEEP_BATCH])
    for pk, attempts in list(expired):
        rows = Analysis.objects.filter(pk=pk, status=Analysis.Status.RUNNING,
                                       lease_expires_at__lt=now, attempts=attempts)
        if attempts >= settings.ANALYSIS_MAX_ATTEMPTS:
            counts["failed"] += rows.update(
                status=Analysis.Status.FAILED, stage=Analysis.Stage.FAILED,
                error_code="worker_lost", error_message=_worker_lost_message(attempts),
                finished_at=now, lease_expires_at=None)
        else:
            counts["requeued"] += rows.update(
                status=Analysis.Status.QUEUED, stage=Analysis.Stage.QUEUED, progress=0.0,
                lease_expires_at=None, dispatched_at=None, worker="")
    pending = (Analysis.objects.filter(status=Analysis.Status.QUEUED, dispatched_at__isnull=True)
               .order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    for pk in list(pending):
        if not analysis_dispatch(pk):
            return counts  # broker down: the next sweep tries again
        counts["dispatched"] += 1
    stale_before = now - timedelta(seconds=settings.ANALYSIS_REDISPATCH_AFTER_S)
    stale = list(Analysis.objects.filter(status=Analysis.Status.QUEUED,
                                         dispatched_at__lt=stale_before)
                 .order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    if stale and broker_queue_size() == 0:
        for pk in stale:
            if not analysis_dispatch(pk):
                break
            counts["redispatched"] += 1
    return counts
