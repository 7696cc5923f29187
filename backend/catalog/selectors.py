"""Reads of the catalogue: the library's track list and filters, artists, the genre tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from analyses.models import Analysis, FamilyScore, GenreScore
from catalog.models import Artist, Family, Genre, Track

__all__ = [
    "GENRE_FILTER_MIN_PROBABILITY",
    "MIX_SIZE",
    "TRACK_ORDERINGS",
    "GENRE_TOP_TRACKS",
    "TrackFilters",
    "artist_genre_mix",
    "artist_family_mix",
    "artist_list",
    "genre_related",
    "genre_top_tracks",
    "genre_tree",
    "track_get",
    "track_list",
]

#: A track matches ``?genre=`` when its current analysis gives the genre at least this.
GENRE_FILTER_MIN_PROBABILITY = 0.1
#: Entries in an artist's genre and family mix.
MIX_SIZE = 10
#: Tracks listed on a genre's page.
GENRE_TOP_TRACKS = 50
#: Accepted ``?ordering=`` values -> ORDER BY (missing numbers sort last).
TRACK_ORDERINGS: dict[str, tuple[Any, ...]] = {
    "title": (F("title").asc(), "id"),
    "-title": (F("title").desc(), "id"),
    "created_at": (F("created_at").asc(), "id"),
    "-created_at": (F("created_at").desc(), "id"),
    "bpm": (F("bpm").asc(nulls_last=True), "id"),
    "-bpm": (F("bpm").desc(nulls_last=True), "id"),
    "top_probability": (F("top_probability").desc(nulls_last=True), "id"),
    "-top_probability": (F("top_probability").desc(nulls_last=True), "id"),
}


@dataclass(frozen=True)
class TrackFilters:
    """The library's filters; None or empty means "any"."""

    search: str = ""
    genre: str = ""
    family: str = ""
    bpm_min: float | None = None
    bpm_max: float | None = None
    key: str = ""
    artist: int | None = None
    ordering: str = "-created_at"


def _with_links(tracks: QuerySet[Track]) -> QuerySet[Track]:
    """Join what a list item shows and annotate the id of the track's newest analysis."""
    newest = Analysis.objects.filter(track=OuterRef("pk")).order_by("-created_at").values("pk")[:1]
    return tracks.select_related("artist", "top_genre", "top_genre__family", "family").annotate(
        analysis_id=Subquery(newest))


def track_list(filters: TrackFilters) -> QuerySet[Track]:
    """Tracks matching ``filters`` in the requested order (see ``TRACK_ORDERINGS``)."""
    tracks = Track.objects.all()
    if filters.search:
        tracks = tracks.filter(Q(title__icontains=filters.search)
                               | Q(artist__name__icontains=filters.search)
                               | Q(album__icontains=filters.search)
                               | Q(original_filename__icontains=filters.search))
    if filters.genre:
        scored = GenreScore.objects.filter(
            analysis__track=OuterRef("pk"), analysis__is_current=True,
            genre__slug=filters.genre, probability__gte=GENRE_FILTER_MIN_PROBABILITY)
        tracks = tracks.filter(Q(top_genre__slug=filters.genre) | Q(Exists(scored)))
    if filters.family:
        tracks = tracks.filter(family__slug=filters.family)
    if filters.bpm_min is not None:
        tracks = tracks.filter(bpm__gte=filters.bpm_min)
    if filters.bpm_max is not None:
        tracks = tracks.filter(bpm__lte=filters.bpm_max)
    if filters.key:
        tracks = tracks.filter(camelot__iexact=filters.key)
    if filters.artist is not None:
        tracks = tracks.filter(artist_id=filters.artist)
    return _with_links(tracks).order_by(*TRACK_ORDERINGS[filters.ordering])


def track_get(pk: Any) -> Track:
    """One track with what its detail shows (raises Track.DoesNotExist)."""
    return _with_links(Track.objects.filter(pk=pk)).get()


def artist_list(*, search: str = "") -> QuerySet[Artist]:
    """Artists by name, with their track counts."""
    artists = Artist.objects.annotate(track_count=Count("tracks"))
    if search:
        artists = artists.filter(name__icontains=search)
    return artists.order_by("name", "id")


def _analysed_track_count(artist: Artist) -> int:
    return Analysis.objects.filter(track__artist=artist, is_current=True).count()


def artist_genre_mix(artist: Artist) -> list[dict[str, Any]]:
    """Mean genre probabilities over the artist's analysed tracks, largest first."""
    count = _analysed_track_count(artist)
    if not count:
        return []
    rows = (GenreScore.objects.filter(analysis__is_current=True, analysis__track__artist=artist)
            .values("genre__slug", "genre__name", "genre__family__slug")
            .annotate(total=Sum("probability")).order_by("-total", "genre__slug")[:MIX_SIZE])
    return [{"slug": r["genre__slug"], "name": r["genre__name"],
             "family": r["genre__family__slug"], "probability": r["total"] / count} for r in rows]


def artist_family_mix(artist: Artist) -> list[dict[str, Any]]:
    """Mean family probabilities over the artist's analysed tracks, largest first."""
    count = _analysed_track_count(artist)
    if not count:
        return []
    rows = (FamilyScore.objects.filter(analysis__is_current=True, analysis__track__artist=artist)
            .values("family__slug", "family__name")
            .annotate(total=Sum("probability")).order_by("-total", "family__slug")[:MIX_SIZE])
    return [{"slug": r["family__slug"], "name": r["family__name"],
             "probability": r["total"] / count} for r in rows]


def genre_tree() -> QuerySet[Family]:
    """Families in display order, each with its genres prefetched."""
    return Family.objects.prefetch_related(
        Prefetch("genres", queryset=Genre.objects.order_by("position", "slug")))


def genre_related(genre: Genre) -> list[Genre]:
    """The genres named in the record's ``related`` list, in that order (unknown slugs skipped)."""
    slugs = [s for s in genre.record.get("related", []) if isinstance(s, str)]
    found = Genre.objects.select_related("family").in_bulk(slugs, field_name="slug")
    return [found[s] for s in slugs if s in found]


def genre_top_tracks(genre: Genre) -> list[Track]:
    """Tracks whose current analysis gives ``genre`` the highest probability."""
    ranked = (GenreScore.objects.filter(genre=genre, analysis__is_current=True)
              .order_by("-probability").values_list("analysis__track_id", flat=True)
              [:GENRE_TOP_TRACKS])
    order = list(ranked)
    tracks = _with_links(Track.objects.filter(pk__in=order)).in_bulk()
    return [tracks[pk] for pk in order if pk in tracks]
