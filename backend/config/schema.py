"""OpenAPI schema: every operation documents the errors it can answer, in the one error shape.

The schema documented no 4xx at all, so every error a client (or schemathesis) met was a schema
violation (issue 17). Which statuses an operation may answer follows from how errors arise:

- 401 on every operation: a wrong ``Authorization: Token`` is refused before any view runs;
- 503 ``db_busy`` on every operation: the database is locked or unreachable;
- 400 for bad query parameters (filters, ``page``) or a bad body; 403 (CSRF under a session) and
  415 (a body no parser reads) on unsafe methods; 404 where the path names an object, and on
  paginated lists (a page past the last);
- and what a view declares in ``error_statuses`` (``{"post": (409, 413, ...)}``): uploads,
  throttles, the open-stream cap, ranges.

Security follows the settings the schema is made under: where a view's permissions let an
anonymous request through (the embedded default's open reads and uploads), the operation lists
no credentials (``{}``) beside the token and the session, so a client, or schemathesis, is not
told that a token is needed where none is.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

__all__ = ["ERROR_DESCRIPTIONS", "ErrorDocumentingSchema", "ApiErrorSerializer"]

#: What each documented error status means here.
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Bad input: a parameter, the page or the body is invalid (`invalid_parameter`, "
         "`empty_file`).",
    401: "No credentials where they are needed, or a wrong token (`not_authenticated`, "
         "`authentication_failed`).",
    403: "Refused: a session request without its CSRF token (`permission_denied`).",
    404: "No such object, or one that is not yours (the same answer), or a page past the last "
         "(`not_found`).",
    409: "Parallel uploads or deletes of the same bytes kept interfering; retry (`upload_conflict`).",
    413: "The file is larger than the upload limit (`file_too_large`).",
    415: "Not a supported audio format, or a body no parser reads (`unsupported_media_type`).",
    416: "The requested byte range is outside the file (no body).",
    422: "Audio that cannot be analysed: undecodable, too short, too long or invalid "
         "(`audio_decode_failed`, `audio_too_short`, `audio_too_long`, `invalid_audio`).",
    429: "Too many requests: the upload rate, or too many open progress streams "
         "(`throttled`, `too_many_streams`); see `Retry-After`.",
    503: "The database is busy or unreachable; retry after `Retry-After` (`db_busy`).",
}
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_WITH_BODY = ("POST", "PUT", "PATCH")
# Statuses answered without the error body.
_NO_BODY = (416,)


class ApiErrorSerializer(serializers.Serializer):
    """The one error shape of the API (``config.api.error_body``)."""

    message = serializers.CharField(help_text="What went wrong, in one line.")
    code = serializers.CharField(help_text="Machine-readable reason, e.g. `not_found`.")
    extra = serializers.DictField(help_text="Details of this code (limits, fields, retry_after_s).")


class ErrorDocumentingSchema(AutoSchema):
    """drf-spectacular's schema, plus the error responses of each operation (module docstring)."""

    def error_statuses(self) -> set[int]:
        """The error statuses this operation may answer."""
        statuses = {401, 503}
        if self.method in _UNSAFE:
            statuses.add(403)
        if self.method in _WITH_BODY:
            statuses |= {400, 415}
        queried = any(getattr(parameter, "location", "query") == "query"
                      for parameter in self.get_override_parameters())
        if queried or self._get_paginator() is not None:
            statuses.add(400)
        if "{" in self.path or self._get_paginator() is not None:
            statuses.add(404)
        declared: dict[str, tuple[int, ...]] = getattr(self.view, "error_statuses", {})
        statuses |= set(declared.get(self.method.lower(), ()))
        return statuses

    def get_auth(self) -> list[dict[str, list[str]]]:
        auth: list[dict[str, list[str]]] = super().get_auth()
        anonymous = SimpleNamespace(method=self.method, user=AnonymousUser())
        if {} not in auth and all(permission.has_permission(anonymous, self.view)
                                  for permission in self.view.get_permissions()):
            auth.append({})
        return auth

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            body = None if status in _NO_BODY else ApiErrorSerializer
            responses.setdefault(str(status), self._get_response_for_code(
                OpenApiResponse(body, description=ERROR_DESCRIPTIONS[status]), str(status),
                direction=direction))
        return responses
