"""The job queue's broker: publish a job with a bounded wait, and ask whether it is up.

An upload never waits on a broker that is down or hung for more than
``BROKER_PUBLISH_TIMEOUT_S``: a job the broker did not take stays ``queued`` without
``dispatched_at``, and the sweeper (``analyses.jobs.analysis_sweep``) publishes it later.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from kombu.exceptions import ChannelError, KombuError

from analyses.models import Analysis
from config.celery import app as celery_app

__all__ = ["BROKER_ERRORS", "analysis_dispatch", "broker_is_up", "broker_queue_size"]

logger = logging.getLogger(__name__)

#: Errors a publish to an unreachable broker raises.
BROKER_ERRORS: tuple[type[Exception], ...] = (KombuError, OSError, ConnectionError)


def _bounded_connection() -> Any:
    """A broker connection of its own whose every step gives up after the publish timeout.

    The pooled connection keeps the worker's transport options (a socket timeout of five
    publish timeouts, one retry), so a broker that accepts connections and never answers held
    an upload for 10.1 s. Here the connect and each read wait at most
    ``BROKER_PUBLISH_TIMEOUT_S`` and are tried once, so an upload or a health check waits about
    that long and the sweeper publishes the job later.
    """
    timeout = settings.BROKER_PUBLISH_TIMEOUT_S
    return celery_app.connection_for_write(
        connect_timeout=timeout,
        transport_options={"max_retries": 0, "socket_connect_timeout": timeout,
                           "socket_timeout": timeout})


def analysis_dispatch(analysis_id: Any) -> bool:
    """Publish the job's message with a bounded wait; on failure the sweeper publishes it later.

    ``dispatched_at`` is set before publishing (an eager or very fast worker may finish the job
    before we return) and cleared again when the broker refuses.

    Returns
    -------
    bool
        Whether the broker took the message.
    """
    from analyses.tasks import analysis_run_task  # tasks import jobs, which import this module

    marked = Analysis.objects.filter(pk=analysis_id, status=Analysis.Status.QUEUED).update(
        dispatched_at=timezone.now())
    if not marked:
        return False
    try:
        with _bounded_connection() as conn:
            analysis_run_task.apply_async((str(analysis_id),), retry=False, connection=conn)
    except BROKER_ERRORS as exc:
        logger.warning("analysis %s: broker unavailable, left for the sweeper (%s)",
                       analysis_id, exc)
        Analysis.objects.filter(pk=analysis_id, status=Analysis.Status.QUEUED).update(
            dispatched_at=None)
        return False
    return True


def broker_queue_size() -> int | None:
    """Messages waiting in the job queue, or None when the broker cannot tell us."""
    try:
        with _bounded_connection() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.BROKER_PUBLISH_TIMEOUT_S)
            _, count, _ = conn.default_channel.queue_declare(
                queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=True)
            return int(count)
    except ChannelError:
        # Redis keeps a queue as a list, and an empty list does not exist: "no such queue".
        return 0
    except (*BROKER_ERRORS, TypeError, ValueError) as exc:
        logger.info("broker queue size unknown (%s)", exc)
        return None


def broker_is_up() -> bool:
    """Whether the broker accepts a connection within ``BROKER_PUBLISH_TIMEOUT_S``."""
    try:
        with _bounded_connection() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.BROKER_PUBLISH_TIMEOUT_S)
            conn.default_channel.queue_declare(queue=settings.CELERY_TASK_DEFAULT_QUEUE,
                                               passive=False, durable=True, auto_delete=False)
        return True
    except BROKER_ERRORS:
        return False
