"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

from __future__ import annotations

import os

from celery import Celery

from genrelens.runtime import single_threaded_libraries

__all__ = ["app"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# One thread per library before numpy loads: each worker process runs one analysis, which keeps
# about two cores busy itself, and ``--concurrency`` (or more workers) fills the rest; an explicit
# setting still wins.
single_threaded_libraries()

app = Celery("genrelens")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
