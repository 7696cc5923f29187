"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

from __future__ import annotations

import os

from celery import Celery

from genrelens.runtime import THREAD_ENV

__all__ = ["app"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# One thread per process before numpy loads: each worker process runs one analysis on one core
# and ``--concurrency`` (or more workers) fills the cores; an explicit setting still wins.
for _name in THREAD_ENV:
    os.environ.setdefault(_name, "1")

app = Celery("genrelens")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
