"""WSGI entry point (gunicorn ``config.wsgi:application``, or waitress in embedded mode).

Chunked request bodies get their length first (``config.chunked``): gunicorn leaves it unset.
The heap built at start-up is frozen out of the garbage collector's sight (``_freeze_startup_heap``).
"""

from __future__ import annotations

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config.chunked import MULTIPART_SLACK_BYTES, dechunked

__all__ = ["application"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = dechunked(get_wsgi_application(),
                        limit_bytes=settings.MAX_UPLOAD_BYTES + MULTIPART_SLACK_BYTES,
                        spool_dir=settings.FILE_UPLOAD_TEMP_DIR)


def _freeze_startup_heap() -> None:
    """Keep the objects that live as long as the process out of every later collection.

    Django, DRF, numpy, the views and the taxonomy are some hundred thousand objects that never
    die, and each full (generation-2) collection walked them all: about 100 ms, several times a
    minute under load, a stall for every request in flight (on 10,000 tracks the list's p99 was
    114 ms with two clients, 30 ms with the heap frozen; docs/benchmarks.md). The URLconf is
    loaded first because Django would import it, and with it every view, on the first request.
    Objects made later are collected as usual.
    """
    get_resolver().url_patterns  # noqa: B018 - loading it is the point
    gc.collect()
    gc.freeze()


_freeze_startup_heap()
