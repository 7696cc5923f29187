"""Celery tasks: thin wrappers that pass an id to one service (the job row holds the state)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from analyses.jobs import TRANSIENT_ERRORS, analysis_run, analysis_sweep

__all__ = ["MAX_TRANSIENT_RETRIES", "analysis_run_task", "analysis_sweep_task"]

#: Retries of a task after transient database errors (the attempt counter bounds the rest).
MAX_TRANSIENT_RETRIES = 5


@shared_task(
    name="analyses.analysis_run",
    # Late ack + requeue on a lost worker: safe because analysis_run is idempotent.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=MAX_TRANSIENT_RETRIES,
    soft_time_limit=settings.TASK_SOFT_TIME_LIMIT_S,
    time_limit=settings.TASK_TIME_LIMIT_S,
)
def analysis_run_task(analysis_id: str) -> str:
    """Run the analysis ``analysis_id`` (see ``analyses.jobs.analysis_run``)."""
    return analysis_run(analysis_id)


@shared_task(name="analyses.analysis_sweep", acks_late=False, time_limit=300)
def analysis_sweep_task() -> dict[str, Any]:
    """Re-queue expired leases and publish undispatched or lost jobs (run by celery beat)."""
    return analysis_sweep()
