"""HTTP API of the catalogue: tracks (with filters), track audio, artists, the genre tree.

Reads of uploads follow ``LibraryReadPermission`` and the selectors' ``owner_scope``: open in a
public library, else a user's own tracks (staff: all). The genre tree is open to everyone. The
classes parse the query, call a selector and shape the output.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analyses.selectors import analysis_get
from analyses.serializers import AnalysisSerializer
from catalog.models import Genre, Track
from catalog.selectors import (
    GENRE_MIN_SHARE,
    TRACK_ORDERINGS,
    TrackFilters,
    artist_family_mix,
    artist_genre_mix,
    artist_get,
    artist_list,
    genre_related,
    genre_top_tracks,
    genre_tree,
    personal_answer,
    track_export_rows,
    track_get,
    track_get_to_label,
    track_list,
    track_similar,
    tracks_shown,
)
from catalog.serializers import (
    ArtistDetailSerializer,
    ArtistItemSerializer,
    FamilyScoreSerializer,
    FamilyTreeSerializer,
    GenreDetailSerializer,
    GenreScoreSerializer,
    PersonalAnswerSerializer,
    SimilarTrackSerializer,
    TrackIdsSerializer,
    TrackItemSerializer,
    TrackLabelRequestSerializer,
    genre_image_url,
)
from catalog.services import track_label_set
from catalog.storage import stored_path
from config.api import ApiError, JsonFallbackNegotiation, LibraryReadPermission, UploadPermission
from genrelens.errors import InvalidParameterError
from genrelens.library.export import EXPORT_FORMATS, MEDIA_TYPES, export_text

__all__ = [
    "ArtistDetailApi",
    "ArtistListApi",
    "GenreDetailApi",
    "GenreTreeApi",
    "MAX_ROW_ID",
    "TrackAudioApi",
    "TrackDetailApi",
    "TrackExportApi",
    "TrackLabelApi",
    "TrackListApi",
    "TrackPersonalApi",
    "TrackSimilarApi",
]

#: Largest row id the databases store (a signed 64-bit integer); SQLite overflows above it.
MAX_ROW_ID = 2**63 - 1
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CAMELOT_RE = re.compile(r"^(?:(?:[1-9]|1[0-2])[ABab])?$")
#: Range of the numeric filters (BPM, energy); ``_number`` refuses what is outside.
_NUMBER_RANGE = (0.0, 1000.0)
# Query values are taken as sent (no stripping): what the schema calls valid is what is accepted.
_NUMBER_RE = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)
#: Most track ids one ``ids`` filter may name (a page's selection, a bulk export).
MAX_IDS = 500
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID_LIST_RE = re.compile(rf"^{_UUID}(?:,{_UUID})*$")
#: Spellings of a true/false query parameter; "" and "any" mean "either".
FLAG_VALUES = {"true": True, "1": True, "false": False, "0": False, "any": None, "": None}


def _bad(message: str, **extra: Any) -> ApiError:
    return ApiError(message, code="invalid_parameter", status_code=400, extra=extra)


def _number(params: Any, name: str) -> float | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not _NUMBER_RE.fullmatch(raw):
        raise _bad(f"{name} must be a number, got {raw[:20]!r}", parameter=name)
    value = float(raw)
    low, high = _NUMBER_RANGE
    if not low <= value <= high:
        raise _bad(f"{name} must be between {low:g} and {high:g}, got {value}", parameter=name)
    return value


def _text(params: Any, name: str) -> str:
    """A free-text or slug query parameter, stripped; NUL is refused (PostgreSQL stores none)."""
    raw = params.get(name, "")
    if "\x00" in raw:
        raise _bad(f"{name} must not contain NUL characters", parameter=name)
    return raw.strip()


def _flag(params: Any, name: str) -> bool | None:
    """A true/false query parameter; None when absent or empty."""
    raw = params.get(name, "")
    if raw not in FLAG_VALUES:
        raise _bad(f"{name} must be true or false, got {raw[:10]!r}", parameter=name)
    return FLAG_VALUES[raw]


def _track_filters(params: Any) -> TrackFilters:
    ordering = params.get("ordering", "-created_at")
    if ordering not in TRACK_ORDERINGS:
        raise _bad(f"ordering must be one of {', '.join(TRACK_ORDERINGS)}", parameter="ordering")
    key = params.get("key", "")
    if key and not _CAMELOT_RE.fullmatch(key):
        raise _bad(f"key must be a Camelot code such as 8A, got {key[:10]!r}", parameter="key")
    artist_raw = params.get("artist")
    if artist_raw is not None and not (artist_raw.isascii() and artist_raw.isdigit()
                                       and len(artist_raw) <= 19 and int(artist_raw) <= MAX_ROW_ID):
        raise _bad(f"artist must be an artist id, got {artist_raw[:20]!r}", parameter="artist")
    ids_raw = params.get("ids")
    if ids_raw is not None and not (len(ids_raw) < 37 * MAX_IDS and _UUID_LIST_RE.fullmatch(ids_raw)):
        raise _bad(f"ids must be up to {MAX_IDS} track ids separated by commas", parameter="ids")
    ids = tuple(dict.fromkeys(ids_raw.lower().split(","))) if ids_raw is not None else ()
    return TrackFilters(
        search=_text(params, "search")[:200], genre=_text(params, "genre"),
        family=_text(params, "family"), bpm_min=_number(params, "bpm_min"),
        bpm_max=_number(params, "bpm_max"), key=key.upper(),
        mixable=bool(_flag(params, "mixable")), energy_min=_number(params, "energy_min"),
        energy_max=_number(params, "energy_max"), unsure=_flag(params, "unsure"),
        artist=int(artist_raw) if artist_raw is not None else None, ids=ids, ordering=ordering)


_NUMBER = {"type": "number", "minimum": _NUMBER_RANGE[0], "maximum": _NUMBER_RANGE[1]}
_FLAG = {"type": "string", "enum": list(FLAG_VALUES)}
_TEXT = {"type": "string", "pattern": r"^[^\x00]*$"}
_TRACK_PARAMETERS = [
    OpenApiParameter("search", _TEXT), OpenApiParameter("genre", _TEXT),
    OpenApiParameter("family", _TEXT), OpenApiParameter("bpm_min", _NUMBER),
    OpenApiParameter("bpm_max", _NUMBER),
    OpenApiParameter("key", str, pattern=_CAMELOT_RE.pattern, description="Camelot, 8A"),
    OpenApiParameter("mixable", _FLAG, description="with key: also the keys that mix with it"),
    OpenApiParameter("energy_min", _NUMBER), OpenApiParameter("energy_max", _NUMBER),
    OpenApiParameter("unsure", _FLAG),
    OpenApiParameter("artist", {"type": "integer", "minimum": 0, "maximum": MAX_ROW_ID}),
    OpenApiParameter("ids", {"type": "string", "pattern": _UUID_LIST_RE.pattern,
                             "maxLength": 37 * MAX_IDS - 1},
                     description=f"only these tracks: up to {MAX_IDS} ids, comma-separated"),
    OpenApiParameter("ordering", str, enum=list(TRACK_ORDERINGS)),
]


class TrackListApi(generics.ListAPIView):  # type: ignore[misc]
    """The library: every track the user may read, filtered and ordered, 25 a page."""

    serializer_class = TrackItemSerializer
    permission_classes = [LibraryReadPermission]

    def get_queryset(self) -> Any:
        return track_list(_track_filters(self.request.query_params), user=self.request.user)

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset.values_list("pk", flat=True))
        return None if page is None else tracks_shown(page)

    @extend_schema(parameters=_TRACK_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class TrackIdsApi(APIView):
    """GET /api/tracks/ids/ plus the list's filters: the ids of every matching track, in the
    list's order, up to ``MAX_IDS`` (a selection's limit), and how many match in all.

    The page's "select every matching track" asks this instead of loading every page.
    """

    permission_classes = [LibraryReadPermission]

    @extend_schema(parameters=_TRACK_PARAMETERS, responses=TrackIdsSerializer)
    def get(self, request: Request) -> Response:
        matching = track_list(_track_filters(request.query_params), user=request.user)
        ids = list(matching.values_list("pk", flat=True)[:MAX_IDS + 1])
        count = len(ids) if len(ids) <= MAX_IDS else matching.count()
        return Response({"count": count, "ids": [str(pk) for pk in ids[:MAX_IDS]],
                         "truncated": len(ids) > MAX_IDS})


class _OwnBodyNegotiation(JsonFallbackNegotiation):
    """JSON for errors whatever ``?format=`` says: the export's ``format`` is not DRF's suffix."""

    def select_renderer(self, request: Request, renderers: list[Any],
                        format_suffix: str | None = None) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


class TrackExportApi(APIView):
    """GET /api/tracks/export/?format=csv|rekordbox plus the list's filters: every matching track.

    The rows are the track list's (same selector, same scope), unpaginated, as a download.
    """

    permission_classes = [LibraryReadPermission]
    content_negotiation_class = _OwnBodyNegotiation

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=list(EXPORT_FORMATS)),
                               *[p for p in _TRACK_PARAMETERS if p.name != "ordering"],
                               OpenApiParameter("ordering", str, enum=list(TRACK_ORDERINGS))],
                   responses={(200, "text/csv"): OpenApiTypes.STR,
                              (200, "application/xml"): OpenApiTypes.STR})
    def get(self, request: Request) -> HttpResponse:
        fmt = request.query_params.get("format", EXPORT_FORMATS[0])
        filters = _track_filters(request.query_params)
        try:
            body = export_text(track_export_rows(filters, user=request.user), fmt=fmt)
        except InvalidParameterError as exc:
            raise _bad(exc.message, parameter="format", **exc.extra) from None
        media_type, suffix = MEDIA_TYPES[fmt]  # type: ignore[index]
        response = HttpResponse(body, content_type=media_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"genrelens-library.{suffix}")
        return response


class _TrackDetailSerializer(TrackItemSerializer):
    genres = GenreScoreSerializer(many=True)
    families = FamilyScoreSerializer(many=True)
    analysis = AnalysisSerializer(allow_null=True)


class TrackDetailApi(APIView):
    """One track: its list item plus the genre and family breakdown and its analysis."""

    permission_classes = [LibraryReadPermission]

    @extend_schema(responses=_TrackDetailSerializer)
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        track = track_get(pk, user=request.user)
        data = dict(TrackItemSerializer(track).data)
        current = track.analyses.filter(is_current=True).first()
        result = (current.result or {}) if current is not None else {}
        data["genres"] = result.get("genres", [])
        data["families"] = result.get("families", [])
        newest_id = track.analysis_id  # type: ignore[attr-defined]
        newest = analysis_get(newest_id, user=request.user) if newest_id else None
        data["analysis"] = AnalysisSerializer(newest).data if newest is not None else None
        return Response(data)


class TrackSimilarApi(APIView):
    """GET /api/tracks/<id>/similar/: tracks closest in sound and genre profile, optionally
    only mixable ones.

    ``bpm_tolerance`` keeps tracks within that many BPM; ``compatible_key=true`` keeps keys that
    mix harmonically (Camelot +/-1 and relative).
    """

    permission_classes = [LibraryReadPermission]

    @extend_schema(
        parameters=[OpenApiParameter("bpm_tolerance", _NUMBER),
                    OpenApiParameter("compatible_key", _FLAG)],
        responses=inline_serializer("SimilarTracks", fields={
            "tracks": SimilarTrackSerializer(many=True)}))
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        track = track_get(pk, user=request.user)
        similar = track_similar(track, user=request.user,
                                bpm_tolerance=_number(request.query_params, "bpm_tolerance"),
                                compatible_key=bool(_flag(request.query_params, "compatible_key")))
        return Response({"tracks": SimilarTrackSerializer(similar, many=True).data})


class TrackPersonalApi(APIView):
    """GET /api/tracks/<id>/personal/: the track's label and what the user's own labels say of it.

    The personal layer is fitted on the requester's labelled tracks (``teach``), so two users
    of a public library each see their own layer's answer beside the shipped model's.
    """

    permission_classes = [LibraryReadPermission]

    @extend_schema(responses=PersonalAnswerSerializer)
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        track = track_get(pk, user=request.user)
        return Response(PersonalAnswerSerializer.build(track, personal_answer(track, user=request.user)))


class TrackLabelApi(APIView):
    """PUT /api/tracks/<id>/label/ ``{"genre": slug}`` confirms or corrects the track's genre;
    DELETE takes the label back. Only one's own tracks (404 otherwise); both answer the track's
    personal answer as GET .../personal/ does, so the page updates in one round trip.
    """

    permission_classes = [UploadPermission]

    @extend_schema(request=TrackLabelRequestSerializer, responses=PersonalAnswerSerializer)
    def put(self, request: Request, pk: uuid.UUID) -> Response:
        body = TrackLabelRequestSerializer(data=request.data)
        if not body.is_valid():
            raise _bad("send {\"genre\": \"<slug>\"}", errors=body.errors)
        track = track_get_to_label(pk, user=request.user)
        try:
            genre = Genre.objects.select_related("family").get(slug=body.validated_data["genre"])
        except Genre.DoesNotExist:
            raise _bad(f"unknown genre {body.validated_data['genre']!r}", parameter="genre") from None
        track_label_set(track, genre)
        return Response(PersonalAnswerSerializer.build(track, personal_answer(track, user=request.user)))

    @extend_schema(request=None, responses=PersonalAnswerSerializer)
    def delete(self, request: Request, pk: uuid.UUID) -> Response:
        track = track_label_set(track_get_to_label(pk, user=request.user), None)
        return Response(PersonalAnswerSerializer.build(track, personal_answer(track, user=request.user)))


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte offsets of a single ``bytes=`` range, or None when unsatisfiable."""
    match = _RANGE_RE.match(header.strip())
    if match is None or match.groups() == ("", ""):
        return None
    first_raw, last_raw = match.groups()
    if first_raw == "":
        length = int(last_raw)
        first, last = max(0, size - length), size - 1
    else:
        first = int(first_raw)
        last = min(int(last_raw), size - 1) if last_raw else size - 1
    return (first, last) if first <= last < size else None


def _ranged(handle: Any, first: int, length: int, chunk: int = 1 << 16) -> Any:
    handle.seek(first)
    remaining = length
    try:
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                return
            remaining -= len(data)
            yield data
    finally:
        handle.close()


class TrackAudioApi(APIView):
    """GET /api/tracks/<id>/audio/: the stored file as an attachment, with byte ranges."""

    permission_classes = [LibraryReadPermission]
    content_negotiation_class = JsonFallbackNegotiation
    error_statuses = {"get": (416,)}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              (206, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: uuid.UUID) -> HttpResponse:
        return _audio_response(request, track_get(pk, user=request.user))


def _audio_response(request: Request, track: Track) -> HttpResponse:
    """The track's stored bytes, whole or the one byte range asked for (416 when unsatisfiable)."""
    path = stored_path(track.stored_name)
    if not path.exists():
        raise Track.DoesNotExist(track.stored_name)
    size = path.stat().st_size
    filename = track.original_filename or f"{track.pk}.{track.format}"
    header = request.headers.get("Range", "")
    if header:
        span = _parse_range(header, size)
        if span is None:
            response: HttpResponse = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        first, last = span
        response = FileResponse(_ranged(path.open("rb"), first, last - first + 1), status=206,
                                content_type=track.mime)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(path.open("rb"), as_attachment=True, filename=filename,
                                content_type=track.mime)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ArtistListApi(generics.ListAPIView):  # type: ignore[misc]
    """Artists of the tracks the user may read, with their track counts, 25 a page."""

    serializer_class = ArtistItemSerializer
    permission_classes = [LibraryReadPermission]

    def get_queryset(self) -> Any:
        return artist_list(user=self.request.user,
                           search=_text(self.request.query_params, "search")[:200])

    @extend_schema(parameters=[OpenApiParameter("search", _TEXT)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ArtistDetailApi(APIView):
    """One artist, the user's tracks of theirs and their mean genre and family mix."""

    permission_classes = [LibraryReadPermission]

    @extend_schema(responses=ArtistDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        user = request.user
        artist = artist_get(pk, user=user)
        tracks = tracks_shown(list(track_list(TrackFilters(artist=artist.pk, ordering="title"),
                                              user=user).values_list("pk", flat=True)))
        return Response(ArtistDetailSerializer({
            "id": artist.pk, "name": artist.name, "tracks": tracks,
            "genre_mix": artist_genre_mix(artist, user=user),
            "family_mix": artist_family_mix(artist, user=user),
        }).data)


class GenreTreeApi(APIView):
    """Every family with its genres, in display order."""

    @extend_schema(operation_id="genres_tree", responses=inline_serializer("GenreTree", fields={
        "families": FamilyTreeSerializer(many=True)}))
    def get(self, request: Request) -> Response:
        return Response({"families": FamilyTreeSerializer(genre_tree(), many=True).data})


class GenreDetailApi(APIView):
    """One genre: the taxonomy record, its family, related genres and the user's top tracks."""

    @extend_schema(responses=GenreDetailSerializer,
                   parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)])
    def get(self, request: Request, slug: str) -> Response:
        genre = Genre.objects.select_related("family").get(slug=slug)
        family = genre.family
        return Response(GenreDetailSerializer({
            "record": genre.record, "slug": genre.slug, "name": genre.name,
            "modelled": genre.modelled,
            "family": {"slug": family.slug, "name": family.name, "color": family.color},
            "image_url": genre_image_url(genre.slug),
            "related": [{"slug": g.slug, "name": g.name, "family": g.family.slug}
                        for g in genre_related(genre)],
            "tracks": genre_top_tracks(genre, user=request.user),
            "min_share": GENRE_MIN_SHARE,
        }).data)
