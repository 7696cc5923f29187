"""Upload plumbing: the multipart parser, a byte limit enforced while the body streams in, and
the upload throttle."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from redis.exceptions import RedisError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, MultiPartParser
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from config.api import ApiError, FileTooLargeError

__all__ = ["MULTIPART_OVERHEAD_BYTES", "SizeLimitHandler", "UploadParser", "UploadThrottle",
           "upload_handlers"]

logger = logging.getLogger(__name__)

#: Room for multipart boundaries and headers on top of the files' own bytes.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class _NamedFilesParser(DjangoMultiPartParser):
    """Django's parser, refusing a file part whose name cleans to nothing (``.``, ``..``).

    Django drops such a part without reading its bytes, then reads them as the next part's
    headers: the client got "Request max total header size exceeded", or "send exactly one
    file" for a small file.
    """

    def sanitize_file_name(self, file_name: str) -> str | None:
        clean: str | None = super().sanitize_file_name(file_name)
        if clean is None:
            raise ApiError(f"the file name {file_name[:40]!r} names no file; send the file "
                           "under a name such as track.mp3", code="invalid_parameter",
                           status_code=400, extra={"filename": file_name[:255]})
        return clean


class UploadParser(MultiPartParser):
    """DRF's multipart parser on ``_NamedFilesParser``."""

    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: dict[str, Any] | None = None) -> DataAndFiles:
        context = parser_context or {}
        request = context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        encoding = context.get("encoding") or settings.DEFAULT_CHARSET
        try:
            data, files = _NamedFilesParser(meta, stream, request.upload_handlers,
                                            encoding).parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
        return DataAndFiles(data, files)


class SizeLimitHandler(FileUploadHandler):
    """Stops the upload as soon as one file passes ``limit`` bytes (nothing more is written).

    It also refuses a body whose declared length cannot fit ``max_files`` files of the limit,
    before reading any of it. The temporary file of the refused file is closed, and so deleted,
    at once: left to the garbage collector, ten refused 200 MB uploads
    kept 838 MB of temporary files open in the web process.
    """

    def __init__(self, request: HttpRequest, *, limit: int, max_files: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.max_files = max_files
        self.received = 0

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any,
                         encoding: str | None = None) -> None:
        if content_length > self.limit * self.max_files + MULTIPART_OVERHEAD_BYTES:
            raise FileTooLargeError(self.limit)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._discard_received()
            raise FileTooLargeError(self.limit)
        return raw_data

    def _discard_received(self) -> None:
        """Close (so delete) the temporary files the other handlers have written so far."""
        for handler in getattr(self.request, "upload_handlers", []):
            file = getattr(handler, "file", None)
            if handler is not self and file is not None:
                file.close()

    def file_complete(self, file_size: int) -> None:
        return None


def upload_handlers(request: HttpRequest, *, max_files: int) -> list[FileUploadHandler]:
    """The limit first, then a temporary file on disk (the probe needs a path)."""
    return [SizeLimitHandler(request, limit=settings.MAX_UPLOAD_BYTES, max_files=max_files),
            TemporaryFileUploadHandler(request)]


class UploadThrottle(ScopedRateThrottle):
    """Per-user (or per-IP) rate of uploads, ``GENRELENS_UPLOAD_RATE`` (default 60/min)."""

    scope_attr = "throttle_scope"

    def get_rate(self) -> str:
        return str(settings.UPLOAD_RATE)

    def allow_request(self, request: Request, view: APIView) -> bool:
        """Count the upload; with the counters' store (Redis) down, let it through (fail open).

        A downed cache must not turn every upload into a 500; the upload itself still needs
        the database, and the job waits for the broker in the sweeper.
        """
        try:
            return bool(super().allow_request(request, view))
        except (RedisError, OSError) as exc:
            logger.warning("upload throttle off: its cache is unavailable (%s)", exc)
            return True
