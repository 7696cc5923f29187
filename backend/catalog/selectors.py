"""Reads of the catalogue: the library's track list and filters, artists, the genre tree.

Every read of uploaded content takes ``user=`` and sees only what ``owner_scope`` lets that user
see, so "missing" and "someone else's" are the same ``DoesNotExist`` (the same 404). The genre
tree and the taxonomy records are not uploads and are open to all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum

from analyses.models import Analysis, FamilyScore, GenreScore
from catalog.models import Artist, Family, Genre, Track
from catalog.similarity import LibrarySet, library_set, library_set_of
from catalog.storage import stored_path
from genrelens.library.export import ExportRow
from genrelens.library.keys import compatible_keys
from genrelens.library.similar import nearest
from genrelens.library.teach import LayerEvaluation, evaluate
from genrelens.library.teach import personal_answer as teach_answer

__all__ = [
    "GENRE_MIN_SHARE",
    "MIX_SIZE",
    "SIMILAR_TRACKS",
    "TRACK_ORDERINGS",
    "GENRE_TOP_TRACKS",
    "PersonalAnswer",
    "TrackFilters",
    "artist_genre_mix",
    "artist_family_mix",
    "artist_get",
    "artist_list",
    "genre_related",
    "genre_top_tracks",
    "genre_tree",
    "own_tracks",
    "owner_scope",
    "personal_answer",
    "track_export_rows",
    "track_get",
    "track_get_to_label",
    "track_list",
    "track_similar",
    "tracks_shown",
]

#: A genre "carries a real share" of a track when the track's current analysis gives it at least
#: this probability: the track then matches ``?genre=`` and is listed on the genre's page. Below
#: it, a genre is only the long tail of a softmax over 52 classes (1/52 is about 0.02).
GENRE_MIN_SHARE = 0.1
#: Entries in an artist's genre and family mix.
MIX_SIZE = 10
#: Tracks listed on a genre's page.
GENRE_TOP_TRACKS = 50
#: Tracks in a track's "sounds like" list.
SIMILAR_TRACKS = 20
#: Accepted ``?ordering=`` values -> ORDER BY (missing numbers sort last).
TRACK_ORDERINGS: dict[str, tuple[Any, ...]] = {
    "title": (F("title").asc(), "id"),
    "-title": (F("title").desc(), "id"),
    "created_at": (F("created_at").asc(), "id"),
    "-created_at": (F("created_at").desc(), "id"),
    "bpm": (F("bpm").asc(nulls_last=True), "id"),
    "-bpm": (F("bpm").desc(nulls_last=True), "id"),
    "energy": (F("energy").asc(nulls_last=True), "id"),
    "-energy": (F("energy").desc(nulls_last=True), "id"),
    "top_probability": (F("top_probability").asc(nulls_last=True), "id"),
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
    #: With ``key``: also the keys that mix with it (Camelot +/-1 and relative).
    mixable: bool = False
    energy_min: float | None = None
    energy_max: float | None = None
    #: True: only answers the model was unsure of; False: only sure ones.
    unsure: bool | None = None
    artist: int | None = None
    #: Only these tracks (a selection on the page, for bulk export); empty means all.
    ids: tuple[str, ...] = ()
    ordering: str = "-created_at"


def owner_scope(user: Any, *, write: bool = False, field: str = "owner") -> Q:
    """The rows ``user`` may read (or, with ``write``, delete), as a filter on ``field``.

    Staff see and delete everything. Reads are open to all while ``PUBLIC_LIBRARY`` is on (the
    embedded default: one local user); otherwise a user reads only their own rows and an
    anonymous user none (the API answers 401 before asking). Deleting always needs the owner.
    A row outside the scope looks missing, so "not yours" is the same 404 as "no such id"
    (Zulip ``zerver/lib/attachments.py``).

    Parameters
    ----------
    user : User or AnonymousUser or None
        The requester; None counts as anonymous.
    write : bool
        Scope of a change (delete) rather than a read.
    field : str
        The path from the filtered model to its owner (``owner``, ``track__owner``...).
    """
    signed_in = user is not None and bool(user.is_authenticated)
    if signed_in and user.is_staff:
        return Q()
    if not write and settings.PUBLIC_LIBRARY:
        return Q()
    if not signed_in:
        return Q(pk__in=[])
    return Q(**{field: user})


def own_tracks(user: Any) -> Q:
    """The tracks that are ``user``'s own library: what they may label, what teaches their layer.

    A signed-in user's uploads; without sign-in (the embedded mode's one local user, where
    uploads need no account) the anonymous uploads, and only while uploads need no account.
    Staff label only their own tracks: a personal layer is one person's.
    """
    if user is not None and user.is_authenticated:
        return Q(owner=user)
    if settings.REQUIRE_AUTH_FOR_UPLOAD:
        return Q(pk__in=[])
    return Q(owner__isnull=True)


def _with_links(tracks: QuerySet[Track]) -> QuerySet[Track]:
    """Join what a list item shows (``tracks_shown`` adds the link to its newest analysis)."""
    return tracks.select_related("artist", "top_genre", "top_genre__family", "family")


def tracks_shown(ids: Sequence[Any]) -> list[Track]:
    """The tracks of ``ids`` (already read-checked) in that order, with what a list item shows.

    Each gets an ``analysis_id`` attribute: its newest analysis, or None. This is the second
    half of a page: sort and page the narrow ids first (``track_list(...).values_list("pk")``),
    then read these rows. Sorting whole joined rows, with the newest analysis as a subquery in
    the SELECT, made SQLite work on every track matching the filters: 20 ms of 25 for a key
    filter on 10,000 tracks against 2 for the ids (docs/benchmarks.md).
    """
    found = _with_links(Track.objects.filter(pk__in=ids)).in_bulk()
    newest: dict[Any, Any] = {}
    for track_id, pk in (Analysis.objects.filter(track__in=list(found))
                         .order_by("track_id", "-created_at").values_list("track_id", "pk")):
        newest.setdefault(track_id, pk)
    listed = [found[pk] for pk in ids if pk in found]
    for track in listed:
        track.analysis_id = newest.get(track.pk)  # type: ignore[attr-defined]
    return listed


def track_list(filters: TrackFilters, *, user: Any) -> QuerySet[Track]:
    """Tracks ``user`` may read matching ``filters``, in the requested order (``TRACK_ORDERINGS``).

    To show a page, page its ids (``values_list("pk", flat=True)``) and read ``tracks_shown``.
    """
    tracks = Track.objects.filter(owner_scope(user))
    if filters.search:
        tracks = tracks.filter(Q(title__icontains=filters.search)
                               | Q(artist__name__icontains=filters.search)
                               | Q(album__icontains=filters.search)
                               | Q(original_filename__icontains=filters.search))
    if filters.genre:
        # One set of track ids off the (genre, probability) index, not an EXISTS per track:
        # SQLite ran that for each of 10,000 tracks (47 ms for the count alone).
        scored = GenreScore.objects.filter(
            analysis__is_current=True, genre__slug=filters.genre,
            probability__gte=GENRE_MIN_SHARE).values("analysis__track_id")
        tracks = tracks.filter(Q(top_genre__slug=filters.genre) | Q(pk__in=scored))
    if filters.family:
        tracks = tracks.filter(family__slug=filters.family)
    if filters.bpm_min is not None:
        tracks = tracks.filter(bpm__gte=filters.bpm_min)
    if filters.bpm_max is not None:
        tracks = tracks.filter(bpm__lte=filters.bpm_max)
    if filters.key:
        keys = compatible_keys(filters.key.upper()) if filters.mixable else (filters.key.upper(),)
        tracks = tracks.filter(camelot__in=keys)
    if filters.energy_min is not None:
        tracks = tracks.filter(energy__gte=filters.energy_min)
    if filters.energy_max is not None:
        tracks = tracks.filter(energy__lte=filters.energy_max)
    if filters.unsure is not None:
        tracks = tracks.filter(unsure=filters.unsure)
    if filters.artist is not None:
        tracks = tracks.filter(artist_id=filters.artist)
    if filters.ids:
        tracks = tracks.filter(pk__in=filters.ids)
    return _with_links(tracks).order_by(*TRACK_ORDERINGS[filters.ordering])


def track_export_rows(filters: TrackFilters, *, user: Any) -> Iterator[ExportRow]:
    """The rows of ``track_list(filters, user=user)`` as the exports write them, all pages.

    The same selector as the list, so an export holds exactly what the user sees and may read.
    ``location`` is the stored copy of the upload (the file rekordbox can open).
    """
    for track in track_list(filters, user=user).iterator(chunk_size=1000):
        tonic, _, mode = track.key_name.partition(" ")
        genre = track.top_genre
        yield ExportRow(
            title=track.title or track.original_filename, artist=track.artist.name if track.artist else "",
            album=track.album, year=track.year, genre=genre.name if genre else None,
            genre_share=track.top_probability, family=track.family.name if track.family else None,
            bpm=track.bpm, key_tonic=tonic or None, key_mode=mode or None,
            camelot=track.camelot or None, duration_s=track.duration_s, unsure=track.unsure,
            energy=track.energy, first_downbeat_s=track.first_downbeat_s,
            first_drop_s=track.first_drop_s,
            location=stored_path(track.stored_name), kind=f"{track.format.upper()} File")


def track_get(pk: Any, *, user: Any) -> Track:
    """One track ``user`` may read, with what its detail shows (raises Track.DoesNotExist)."""
    shown = tracks_shown(Track.objects.filter(owner_scope(user), pk=pk).values_list("pk", flat=True))
    if not shown:
        raise Track.DoesNotExist(f"no track {pk} to read")
    return shown[0]


def track_get_to_label(pk: Any, *, user: Any) -> Track:
    """One of ``user``'s own tracks (``own_tracks``), raising Track.DoesNotExist otherwise."""
    return Track.objects.select_related("label", "label__family").get(own_tracks(user), pk=pk)


def _visible_artists(user: Any) -> QuerySet[Artist]:
    """Artists of a track ``user`` may read (all of them while the library is public)."""
    scope = owner_scope(user)
    if not scope:
        return Artist.objects.all()
    return Artist.objects.filter(Exists(Track.objects.filter(scope, artist=OuterRef("pk"))))


def artist_list(*, user: Any, search: str = "") -> QuerySet[Artist]:
    """Artists by name with their counts of tracks ``user`` may read."""
    counted = owner_scope(user, field="tracks__owner")
    artists = _visible_artists(user).annotate(track_count=Count("tracks", filter=counted))
    if search:
        artists = artists.filter(name__icontains=search)
    return artists.order_by("name", "id")


def artist_get(pk: int, *, user: Any) -> Artist:
    """One artist with a track ``user`` may read (raises Artist.DoesNotExist)."""
    return _visible_artists(user).get(pk=pk)


def _mix_analyses(artist: Artist, *, user: Any) -> QuerySet[Analysis]:
    """The current analyses of the artist's tracks that ``user`` may read."""
    return Analysis.objects.filter(
        is_current=True, track__in=Track.objects.filter(owner_scope(user), artist=artist))


def artist_genre_mix(artist: Artist, *, user: Any) -> list[dict[str, Any]]:
    """Mean genre probabilities over the artist's analysed tracks ``user`` reads, largest first."""
    analyses = _mix_analyses(artist, user=user)
    count = analyses.count()
    if not count:
        return []
    rows = (GenreScore.objects.filter(analysis__in=analyses)
            .values("genre__slug", "genre__name", "genre__family__slug")
            .annotate(total=Sum("probability")).order_by("-total", "genre__slug")[:MIX_SIZE])
    return [{"slug": r["genre__slug"], "name": r["genre__name"],
             "family": r["genre__family__slug"], "probability": r["total"] / count} for r in rows]


def artist_family_mix(artist: Artist, *, user: Any) -> list[dict[str, Any]]:
    """Mean family probabilities over the artist's analysed tracks ``user`` reads, largest first."""
    analyses = _mix_analyses(artist, user=user)
    count = analyses.count()
    if not count:
        return []
    rows = (FamilyScore.objects.filter(analysis__in=analyses)
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


def genre_top_tracks(genre: Genre, *, user: Any) -> list[Track]:
    """Tracks ``user`` may read where ``genre`` carries at least ``GENRE_MIN_SHARE``, largest first.

    Each track gets a ``share`` attribute: the genre's probability in its current analysis. A
    track whose analysis gives the genre less is left out, however few tracks that leaves, so a
    library of techno clips does not fill the Deep House page with 2 % deep-house shares.
    """
    visible = Track.objects.filter(owner_scope(user))
    ranked = list(GenreScore.objects.filter(genre=genre, analysis__is_current=True,
                                            analysis__track__in=visible,
                                            probability__gte=GENRE_MIN_SHARE)
                  .order_by("-probability", "analysis__track_id")
                  .values_list("analysis__track_id", "probability")[:GENRE_TOP_TRACKS])
    shares = dict(ranked)
    listed = tracks_shown([pk for pk, _ in ranked])
    for track in listed:
        track.share = shares[track.pk]  # type: ignore[attr-defined]
    return listed


def _scope_and(scope: Q, track: Track) -> QuerySet[Track]:
    """The tracks of ``scope`` and ``track`` (an empty ``Q()`` scope means every track)."""
    return Track.objects.filter(scope | Q(pk=track.pk)) if scope else Track.objects.all()


def _library_set(scope: Q, track: Track) -> LibrarySet:
    """The vectors of the tracks of ``scope`` and of ``track``, as this process keeps them.

    ``track`` is nearly always in ``scope`` (a user's own track, or a public library); one that
    is not (an account's upload in a public library, asked about by the local user) gets a set
    of its own, built for this query.
    """
    kept = library_set(scope)
    if track.pk in kept.rows or Track.objects.filter(scope, pk=track.pk).exists():
        return kept
    return library_set_of(_scope_and(scope, track))


def track_similar(track: Track, *, user: Any, bpm_tolerance: float | None = None,
                  compatible_key: bool = False, limit: int = SIMILAR_TRACKS) -> list[Track]:
    """Tracks ``user`` may read that sound most like ``track`` (cosine of ``library_vectors``:
    musicnn's embedding and the genre profile), best first.

    Optionally only those within ``bpm_tolerance`` BPM of the track and in a key that mixes with
    its key (``compatible_keys``: Camelot +/-1 and relative). Each track gets a ``similarity``
    attribute in [-1, 1]. A track without a finished analysis has no neighbours.
    """
    library = _library_set(owner_scope(user), track)
    row = library.rows.get(track.pk)
    if row is None:
        return []
    among = np.ones(len(library.ids), dtype=bool)
    among[row] = False
    if bpm_tolerance is not None and track.bpm is not None:
        with np.errstate(invalid="ignore"):  # NaN: no tempo, never within the window
            among &= np.abs(library.bpm - track.bpm) <= bpm_tolerance
    if compatible_key and track.camelot:
        among &= np.isin(library.camelot, compatible_keys(track.camelot))
    best = nearest(library.vectors[row], library.vectors, k=limit, among=np.flatnonzero(among))
    scores = {library.ids[i]: score for i, score in best}
    listed = tracks_shown([library.ids[i] for i, _ in best])
    for shown in listed:
        shown.similarity = scores[shown.pk]  # type: ignore[attr-defined]
    return listed


@dataclass(frozen=True)
class PersonalAnswer:
    """What the user's labels say of a track: the layer's genres (None until it can rank) and
    its leave-one-out accuracy beside the shipped model's on the same labels."""

    ranking: list[tuple[Genre, float]] | None
    evaluation: LayerEvaluation


def personal_answer(track: Track, *, user: Any) -> PersonalAnswer:
    """Rank ``track``'s genres by the layer fitted on ``user``'s labelled tracks (``teach``).

    The track's own label is left out of the fit, so a labelled track is ranked as an unlabelled
    one would be. The vectors are ``library_vectors`` over the user's own library, as for
    similar tracks.
    """
    own = Track.objects.filter(own_tracks(user))
    library = _library_set(own_tracks(user), track)
    rows = [(pk, label, top) for pk, label, top in
            own.filter(label__isnull=False).order_by("pk")
            .values_list("pk", "label__slug", "top_genre__slug") if pk in library.rows]
    matrix = (library.vectors[[library.rows[pk] for pk, _, _ in rows]].astype(np.float64)
              if rows else np.zeros((0, 0)))
    labels = [label for _, label, _ in rows]
    tops = [top for _, _, top in rows]
    if track.pk not in library.rows:
        return PersonalAnswer(ranking=None, evaluation=evaluate(matrix, labels, tops))
    answer = teach_answer(matrix, labels, tops,
                          library.vectors[library.rows[track.pk]].astype(np.float64),
                          own=next((i for i, (pk, _, _) in enumerate(rows) if pk == track.pk), None))
    if answer.ranking is None:
        return PersonalAnswer(ranking=None, evaluation=answer.evaluation)
    genres = Genre.objects.select_related("family").in_bulk([slug for slug, _ in answer.ranking],
                                                            field_name="slug")
    return PersonalAnswer(ranking=[(genres[slug], p) for slug, p in answer.ranking if slug in genres],
                          evaluation=answer.evaluation)
