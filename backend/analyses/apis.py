"""HTTP API of the analyses: upload, batch, list, detail, delete, progress stream, readiness.

The classes parse input, call one service or selector and shape the output; see API_CONTRACT.md.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection
from django.http import HttpRequest, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analyses.broker import broker_is_up
from analyses.models import Analysis
from analyses.selectors import analyses_reusable, analysis_get, analysis_list
from analyses.serializers import (
    KNOWN_DIGESTS_MAX,
    AnalysisCreatedSerializer,
    AnalysisSerializer,
    AnalysisStateSerializer,
    BatchCreatedSerializer,
    KnownRequestSerializer,
    KnownSerializer,
)
from analyses.services import AnalysisCreated, analysis_create, analysis_delete
from analyses.streams import ClosingStream, client_ident, stream_slots
from analyses.uploads import UploadParser, UploadThrottle, upload_handlers
from config.api import (
    ApiError,
    JsonFallbackNegotiation,
    LibraryReadPermission,
    UploadPermission,
    exception_handler,
)
from genrelens.errors import GenreLensError

__all__ = [
    "AnalysisBatchCreateApi",
    "AnalysisDetailApi",
    "AnalysisEventsApi",
    "AnalysisKnownApi",
    "AnalysisListCreateApi",
    "HealthReadyApi",
]

_TERMINAL = (Analysis.Status.SUCCEEDED, Analysis.Status.FAILED)


class _UploadApi:
    """Installs the size-limited upload handlers before DRF (or CSRF) reads the body."""

    max_files = 1
    parser_classes = [JSONParser, FormParser, UploadParser]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        request.upload_handlers = upload_handlers(request, max_files=self.max_files)
        return super().initialize_request(request, *args, **kwargs)  # type: ignore[misc]


def _reanalyze(request: Request) -> bool:
    raw = str(request.data.get("reanalyze", "")).strip().lower()
    if raw not in ("", "true", "false", "1", "0"):
        raise ApiError(f"reanalyze must be true or false, got {raw[:20]!r}",
                       code="invalid_parameter", status_code=400)
    return raw in ("true", "1")


def _create(request: Request, upload: UploadedFile, *, reanalyze: bool) -> AnalysisCreated:
    return analysis_create(upload=Path(upload.temporary_file_path()),
                           original_name=upload.name or "", user=request.user,
                           reanalyze=reanalyze)


_STATUSES = "|".join(Analysis.Status.values)
#: The ``status`` filter in the schema: states joined by commas, spaces around them and blank
#: parts ignored (``_statuses``).
_STATUS_PATTERN = rf"^ *(?:{_STATUSES})? *(?:, *(?:{_STATUSES})? *)*$"
_UPLOAD_REQUEST = inline_serializer("AnalysisUpload", fields={
    "file": serializers.FileField(),
    "reanalyze": serializers.BooleanField(required=False),
})


class AnalysisListCreateApi(_UploadApi, generics.ListAPIView):  # type: ignore[misc]
    """GET: the analyses the user may read, newest first. POST: upload one file, queue it."""

    serializer_class = AnalysisStateSerializer
    permission_classes = [LibraryReadPermission, UploadPermission]
    throttle_scope = "uploads"
    error_statuses = {"post": (409, 413, 422, 429)}

    def get_queryset(self) -> Any:
        # List items do not show the result JSON.
        return analysis_list(user=self.request.user,
                             statuses=_statuses(self.request.query_params)).defer("result")

    def get_throttles(self) -> list[Any]:
        return [UploadThrottle()] if self.request.method == "POST" else []

    @extend_schema(parameters=[OpenApiParameter(
        "status", str, pattern=_STATUS_PATTERN,
        description="comma-separated: only analyses in these states "
        f"({', '.join(Analysis.Status.values)})")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": _UPLOAD_REQUEST},
                   responses={202: AnalysisCreatedSerializer, 200: AnalysisSerializer})
    def post(self, request: Request) -> Response:
        files = request.FILES.getlist("file")
        if len(files) != 1:
            raise ApiError("send exactly one file in the 'file' field", code="invalid_parameter",
                           status_code=400, extra={"files": len(files)})
        created = _create(request, files[0], reanalyze=_reanalyze(request))
        if created.reused and created.analysis.status == Analysis.Status.SUCCEEDED:
            # Shaped from the row read under the track's lock: a delete since then is no 404.
            return Response(AnalysisSerializer(created.analysis, context={"reused": True}).data,
                            status=status.HTTP_200_OK)
        return Response(AnalysisCreatedSerializer.build(created.analysis, reused=created.reused),
                        status=status.HTTP_202_ACCEPTED)


def _statuses(params: Any) -> tuple[str, ...]:
    """The ``status`` filter of the list: a comma-separated subset of the analysis states."""
    raw = [part.strip(" ") for part in params.get("status", "").split(",") if part.strip(" ")]
    unknown = [part for part in raw if part not in Analysis.Status.values]
    if unknown:
        raise ApiError(f"status must be among {', '.join(Analysis.Status.values)}, "
                       f"got {unknown[0][:20]!r}", code="invalid_parameter", status_code=400,
                       extra={"parameter": "status"})
    return tuple(raw)


class AnalysisKnownApi(APIView):
    """POST digests of files about to be sent; answers those an upload would not analyse again.

    A folder import asks before sending, so a second pass over a library uploads only what is
    new or changed. Only the caller's own library counts (as for an upload's de-duplication).
    """

    permission_classes = [UploadPermission]
    parser_classes = [JSONParser]

    @extend_schema(request=KnownRequestSerializer, responses={200: KnownSerializer})
    def post(self, request: Request) -> Response:
        body = KnownRequestSerializer(data=request.data)
        if not body.is_valid():
            raise ApiError("send {\"sha256\": [...]} with at most "
                           f"{KNOWN_DIGESTS_MAX} hexadecimal SHA-256 digests",
                           code="invalid_parameter", status_code=400,
                           extra={"errors": body.errors})
        digests = {digest.lower() for digest in body.validated_data["sha256"]}
        owner = request.user if request.user.is_authenticated else None
        found = analyses_reusable(digests, owner=owner)
        return Response({"known": [
            {"sha256": digest, "analysis": AnalysisCreatedSerializer.build(analysis, reused=True)}
            for digest, analysis in sorted(found.items())]})


class AnalysisBatchCreateApi(_UploadApi, APIView):
    """POST several files in ``files``: one analysis each; bad files are listed, not fatal."""

    permission_classes = [UploadPermission]
    throttle_classes = [UploadThrottle]
    throttle_scope = "uploads"
    max_files = settings.MAX_BATCH_FILES
    error_statuses = {"post": (413, 422, 429)}

    @extend_schema(
        request={"multipart/form-data": inline_serializer("AnalysisBatchUpload", fields={
            "files": serializers.ListField(child=serializers.FileField(), min_length=1,
                                           max_length=settings.MAX_BATCH_FILES),
            "reanalyze": serializers.BooleanField(required=False)})},
        responses={202: BatchCreatedSerializer})
    def post(self, request: Request) -> Response:
        files = request.FILES.getlist("files")
        if not files:
            raise ApiError("send one or more files in the 'files' field",
                           code="invalid_parameter", status_code=400)
        reanalyze = _reanalyze(request)
        accepted: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        first_error: GenreLensError | None = None
        for upload in files:
            try:
                created = _create(request, upload, reanalyze=reanalyze)
            except GenreLensError as exc:
                first_error = first_error or exc
                errors.append({"filename": upload.name or "", "message": exc.message,
                               "code": exc.code})
                continue
            accepted.append(AnalysisCreatedSerializer.build(created.analysis,
                                                            reused=created.reused))
        if not accepted and first_error is not None:
            response = exception_handler(first_error, {"view": self})
            assert response is not None
            response.data["extra"]["errors"] = errors
            return response
        return Response({"analyses": accepted, "errors": errors},
                        status=status.HTTP_202_ACCEPTED)


class WriteNeedsAuth(permissions.BasePermission):
    """Reads are open; deleting needs a token (or a session)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user.is_authenticated)


class AnalysisDetailApi(APIView):
    """GET one analysis with its result; DELETE it (owner or staff; others get 404)."""

    permission_classes = [LibraryReadPermission, WriteNeedsAuth]

    @extend_schema(responses=AnalysisSerializer)
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return Response(AnalysisSerializer(analysis_get(pk, user=request.user)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: uuid.UUID) -> Response:
        analysis_delete(analysis=analysis_get(pk, user=request.user, write=True), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _sse(payload: dict[str, Any]) -> str:
    return f"event: progress\ndata: {json.dumps(payload, default=str)}\n\n"


def _event_stream(pk: uuid.UUID, *, user: Any) -> Iterator[str]:
    """Progress events on every change, ending with the final state (or after SSE_MAX_SECONDS).

    A poll tick with no event sends a keep-alive comment. Besides keeping proxies from closing
    an idle stream, a write is the only way a WSGI server learns that the client went away
    (gunicorn on the second write after a close, waitress on the third), so writing every tick
    lets go of a closed stream's thread and slot within about 1.5 s (it was the next 15 s
    keep-alive).
    """
    deadline = time.monotonic() + settings.SSE_MAX_SECONDS
    last: dict[str, Any] | None = None
    try:
        while True:
            try:
                analysis = analysis_get(pk, user=user)
            except Analysis.DoesNotExist:
                yield f"event: gone\ndata: {json.dumps({'id': str(pk)})}\n\n"
                return
            except DatabaseError:
                analysis = None
            payload = None if analysis is None else dict(AnalysisStateSerializer(analysis).data)
            if payload is not None and payload != last:
                yield _sse(payload)
                last = payload
            else:
                yield ": keep-alive\n\n"
            if analysis is not None and analysis.status in _TERMINAL:
                return
            if time.monotonic() > deadline:
                return
            time.sleep(settings.SSE_POLL_SECONDS)
    finally:
        connection.close()


class AnalysisEventsApi(APIView):
    """GET /api/analyses/<id>/events/: ``text/event-stream`` of the job's progress.

    Readable by whoever may read the analysis; errors (401, 404, 405, 429) are the JSON shape.
    A client over its open-stream cap, or a process at its cap, gets 429 (``streams``); the
    front end then polls the detail instead.
    """

    permission_classes = [LibraryReadPermission]
    content_negotiation_class = JsonFallbackNegotiation
    error_statuses = {"get": (429,)}

    @extend_schema(responses={(200, "text/event-stream"): OpenApiTypes.STR})
    def get(self, request: Request, pk: uuid.UUID) -> StreamingHttpResponse:
        analysis_get(pk, user=request.user)  # 404 before the stream starts
        release = stream_slots.acquire(client_ident(request))
        stream = ClosingStream(_event_stream(pk, user=request.user), on_close=release)
        response = StreamingHttpResponse(stream, content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"
        return response


_READY = inline_serializer("Ready", fields={
    "database": serializers.CharField(), "broker": serializers.CharField()})


class HealthReadyApi(APIView):
    """200 when the database and the broker answer, else 503 naming the one that is down."""

    @extend_schema(responses={200: _READY, 503: _READY})
    def get(self, request: Request) -> Response:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            database = "ok"
        except DatabaseError:
            database = "down"
        broker = "ok" if broker_is_up() else "down"
        ok = database == "ok" and broker == "ok"
        return Response({"database": database, "broker": broker},
                        status=status.HTTP_200_OK if ok else status.HTTP_503_SERVICE_UNAVAILABLE)
