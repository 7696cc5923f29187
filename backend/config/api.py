"""API plumbing shared by the apps: the one error shape, the exception handler, pagination.

Every error leaves as ``{"message", "code", "extra"}``. Bad input is a 4xx; an unknown exception
is still a 500 (with the same shape) and is logged with its traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404
from rest_framework import exceptions, permissions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from genrelens.errors import GenreLensError

__all__ = [
    "DB_BUSY_RETRY_AFTER_S",
    "HTTP_STATUS_BY_CODE",
    "ApiError",
    "FileTooLargeError",
    "JsonFallbackNegotiation",
    "LibraryReadPermission",
    "MAX_PAGE",
    "Pagination",
    "error_body",
    "exception_handler",
]

logger = logging.getLogger(__name__)

#: HTTP status of each core error code (docs/architecture.md, API_CONTRACT.md).
HTTP_STATUS_BY_CODE: dict[str, int] = {
    "invalid_parameter": 400,
    "empty_file": 400,
    "unsupported_media_type": 415,
    "upload_conflict": 409,
    "audio_decode_failed": 422,
    "audio_too_short": 422,
    "audio_too_long": 422,
    "invalid_audio": 422,
}
#: Largest ``page`` number accepted as well formed (nine digits).
MAX_PAGE = 999_999_999
#: Seconds a client is told to wait when the database is locked or unreachable.
DB_BUSY_RETRY_AFTER_S = 5

# DRF's own exception classes -> our codes.
_DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "invalid_parameter",
    exceptions.ValidationError: "invalid_parameter",
}


class ApiError(exceptions.APIException):
    """An API error with our code and extra fields, raised by API classes.

    ``retry_after_s`` (for 429 and 503) goes out both as ``Retry-After`` and in ``extra``.
    """

    def __init__(self, message: str, *, code: str, status_code: int,
                 extra: dict[str, Any] | None = None, retry_after_s: int | None = None) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.extra = dict(extra or {})
        self.headers: dict[str, str] = {}
        if retry_after_s is not None:
            self.extra["retry_after_s"] = retry_after_s
            self.headers["Retry-After"] = str(retry_after_s)


class FileTooLargeError(ApiError):
    """The upload (or one file of a batch) is larger than ``MAX_UPLOAD_BYTES``."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the file is larger than the upload limit of {limit} bytes",
            code="file_too_large",
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            extra={"limit_bytes": limit},
        )


class LibraryReadPermission(permissions.BasePermission):
    """Reading uploads needs a signed-in user unless the library is public (``PUBLIC_LIBRARY``).

    Anonymous reads of a private library are a 401 with the ``Token`` challenge; which rows a
    signed-in user sees is the selectors' ``owner_scope``. Other methods are left to the view's
    other permissions.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method not in permissions.SAFE_METHODS:
            return True
        return bool(settings.PUBLIC_LIBRARY or request.user.is_authenticated)


class UploadPermission(permissions.BasePermission):
    """Writes to one's own library (uploads, labels) are open in the embedded default and need
    a user when ``REQUIRE_AUTH_FOR_UPLOAD`` says so (service mode)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return not settings.REQUIRE_AUTH_FOR_UPLOAD or bool(request.user.is_authenticated)


class JsonFallbackNegotiation(DefaultContentNegotiation):
    """Serve views that stream their own body (audio, event streams) whatever ``Accept`` says.

    ``<audio>`` asks for ``audio/*`` and ``EventSource`` for ``text/event-stream``; no renderer
    matches, and DRF would answer 406 before the view runs. The first renderer (JSON) is used
    instead, so an error such views raise is still the JSON error shape.
    """

    def select_renderer(self, request: Request, renderers: list[BaseRenderer],
                        format_suffix: str | None = None) -> tuple[BaseRenderer, str]:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


def error_body(message: str, *, code: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"message": message, "code": code, "extra": dict(extra or {})}


def _first_message(detail: Any) -> str:
    """A one-line message from DRF's nested ``detail`` (dict, list or string)."""
    if isinstance(detail, dict):
        field, value = next(iter(detail.items()), ("", ""))
        inner = _first_message(value)
        return f"{field}: {inner}" if field and field != "non_field_errors" else inner
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else "invalid input"
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn any exception raised in an API view into ``{"message", "code", "extra"}``."""
    if isinstance(exc, GenreLensError):
        return Response(exc.to_dict(), status=HTTP_STATUS_BY_CODE.get(exc.code, 422))
    if isinstance(exc, ApiError):
        return Response(error_body(str(exc.detail), code=exc.error_code, extra=exc.extra),
                        status=exc.status_code, headers=exc.headers)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    if isinstance(exc, SuspiciousOperation):
        # Django's own request limits (too many file parts, malformed multipart...).
        return Response(error_body(str(exc) or "malformed request", code="invalid_parameter"),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OperationalError):
        logger.warning("database busy or unreachable: %s", exc)
        return Response(
            error_body("the database is busy; retry shortly", code="db_busy"),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(DB_BUSY_RETRY_AFTER_S)},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled error in %s", context.get("view"), exc_info=exc)
        return Response(error_body("internal server error", code="internal"),
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    assert isinstance(exc, exceptions.APIException)
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["fields"] = exc.detail
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after_s"] = exc.wait
    response.data = error_body(_first_message(exc.detail), code=code, extra=extra)
    return response


class Pagination(PageNumberPagination):
    """``?page=N``, 25 items a page: ``{"count", "next", "previous", "results"}``.

    A ``page`` that is no positive whole number is a 400 (DRF answered 404 "Invalid page.",
    which no schema documents as bad input); a well-formed page past the last is a 404 that
    says which pages exist, as for any other address that names nothing. Page 1 of an empty
    list is an empty page.
    """

    page_size = 25

    def get_page_number(self, request: Any, paginator: Any) -> int:
        raw = str(request.query_params.get(self.page_query_param, "1"))
        last = max(1, paginator.num_pages)
        # Nine digits at most: int() of a huge string is slow (and refused past 4300 digits).
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1):
            raise ApiError(f"page must be a whole number from 1 to {MAX_PAGE}, got {raw[:20]!r}",
                           code="invalid_parameter", status_code=status.HTTP_400_BAD_REQUEST,
                           extra={"last_page": last})
        if int(raw) > last:
            raise ApiError(f"there is no page {raw}; pages run from 1 to {last}",
                           code="not_found", status_code=status.HTTP_404_NOT_FOUND,
                           extra={"last_page": last})
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE)
        return parameters
