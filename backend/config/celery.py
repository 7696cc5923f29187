"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

from __future__ import annotations

import os

from celery import Celery

__all__ = ["app"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("genrelens")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
