"""Celery tasks of the catalogue: the storage sweep, hourly (beat) and at each worker's start."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from catalog.sweep import storage_sweep

__all__ = ["storage_sweep_task"]


@shared_task(name="catalog.storage_sweep", acks_late=False, time_limit=600)
def storage_sweep_task() -> dict[str, int]:
    """Remove orphan stored files and stale temporary files (run by celery beat)."""
    return storage_sweep()


@worker_ready.connect
def _sweep_at_start(**kwargs: Any) -> None:
    """A worker starting on a host sweeps it: its decode folders are local to the host."""
    storage_sweep()
