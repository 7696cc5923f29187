"""WSGI entry point (gunicorn ``config.wsgi:application``, or waitress in embedded mode).

Chunked request bodies get their length first (``config.chunked``): gunicorn leaves it unset.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from config.chunked import MULTIPART_SLACK_BYTES, dechunked

__all__ = ["application"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = dechunked(get_wsgi_application(),
                        limit_bytes=settings.MAX_UPLOAD_BYTES + MULTIPART_SLACK_BYTES,
                        spool_dir=settings.FILE_UPLOAD_TEMP_DIR)
