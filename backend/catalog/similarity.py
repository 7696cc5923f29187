"""The library's "sounds like" vectors, kept in each process between queries.

Building them reads every track's genre scores (52 rows a track: over half a million rows at
10,000 tracks, seconds on SQLite); with them at hand a query is one matrix-vector product
(milliseconds at 100,000 tracks; docs/benchmarks.md), so a web or worker process keeps the last
set it built for each scope. A cheap query (``_fingerprint``: how many tracks and current
analyses, the newest track and the newest finished current analysis) tells whether the library
changed since; if it did, the set is built again. Each process keeps its own, and asks each
time: nothing goes stale across processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q, QuerySet

from analyses.models import Analysis, GenreScore
from catalog.models import Genre, Track
from genrelens.library.vectors import library_vectors

__all__ = ["MAX_KEPT", "LibrarySet", "forget", "library_set", "library_set_of"]


@dataclass(frozen=True)
class LibrarySet:
    """Tracks with a current analysis, one row each: ``library_vectors`` and what filters them.

    ``bpm`` is NaN where a track has none, ``camelot`` empty where it has no key.
    """

    ids: list[Any]
    rows: dict[Any, int]
    vectors: np.ndarray
    bpm: np.ndarray
    camelot: np.ndarray


#: Scopes kept at once, the least recently asked dropped first: one per user who asks, at
#: 4 bytes x 452 numbers a track (18 MB for 10,000 tracks).
MAX_KEPT = 8

_kept: OrderedDict[str, tuple[tuple[Any, ...], LibrarySet]] = OrderedDict()
_lock = threading.Lock()


def _genre_profiles(tracks: QuerySet[Track]) -> tuple[list[Any], np.ndarray]:
    """Track ids and their current analysis' genre probabilities as rows of a matrix."""
    columns = {pk: i for i, pk in enumerate(Genre.objects.order_by("pk").values_list("pk", flat=True))}
    rows = (GenreScore.objects.filter(analysis__is_current=True, analysis__track__in=tracks)
            .values_list("analysis__track_id", "genre_id", "probability"))
    ids: dict[Any, int] = {}
    cells: list[tuple[int, int, float]] = []
    for track_id, genre_id, probability in rows.iterator(chunk_size=5000):
        cells.append((ids.setdefault(track_id, len(ids)), columns[genre_id], probability))
    matrix = np.zeros((len(ids), len(columns)))
    if cells:
        at = np.array([(row, column) for row, column, _ in cells])
        matrix[at[:, 0], at[:, 1]] = [probability for _, _, probability in cells]
    return list(ids), matrix


def library_set_of(tracks: QuerySet[Track]) -> LibrarySet:
    """Build the set of ``tracks`` (those with a current analysis) from the database.

    Computed over the whole set at once: the musicnn half is centred on the set's mean, so
    pass the library the comparison happens in, not only the few rows it ranks.
    """
    ids, profiles = _genre_profiles(tracks)
    known = {pk: (sound, bpm, camelot) for pk, sound, bpm, camelot in
             tracks.filter(pk__in=ids).values_list("pk", "sound", "bpm", "camelot")}
    embeddings = [np.frombuffer(known[pk][0], dtype=np.float32) if known[pk][0] else None
                  for pk in ids]
    return LibrarySet(
        ids=ids, rows={pk: row for row, pk in enumerate(ids)},
        vectors=library_vectors(embeddings, profiles).astype(np.float32),
        bpm=np.array([np.nan if known[pk][1] is None else known[pk][1] for pk in ids]),
        camelot=np.array([known[pk][2] or "" for pk in ids], dtype=str))


def _fingerprint(scope: Q) -> tuple[Any, ...]:
    """What changes whenever a track of ``scope`` is added, removed or analysed again.

    Two aggregates that indexes answer (``COUNT(*)``, newest track, and the current analyses'
    count and newest finish, off ``analysis_current_finished``): a few milliseconds at 10,000
    tracks, where reading the analyses' rows took 11.
    """
    tracks = Track.objects.filter(scope).aggregate(count=Count("*"), newest=Max("created_at"))
    analyses = Analysis.objects.filter(is_current=True)
    if scope:
        analyses = analyses.filter(track__in=Track.objects.filter(scope))
    current = analyses.aggregate(count=Count("*"), finished=Max("finished_at"))
    return tracks["count"], tracks["newest"], current["count"], current["finished"]


def _scope_key(scope: Q) -> str:
    """A scope's name in the cache: its lookups, with a model instance (a user) by its id."""
    terms = [(child[0], getattr(child[1], "pk", child[1])) if isinstance(child, tuple)
             else _scope_key(child) for child in scope.children]
    return repr((scope.connector, scope.negated, terms))


def library_set(scope: Q) -> LibrarySet:
    """The set of the tracks ``scope`` selects, as kept by this process or built afresh."""
    key = _scope_key(scope)
    fingerprint = _fingerprint(scope)
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] == fingerprint:
            _kept.move_to_end(key)
            return kept[1]
        built = library_set_of(Track.objects.filter(scope))
        _kept[key] = (fingerprint, built)
        _kept.move_to_end(key)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
        return built


def forget() -> None:
    """Drop every kept set (the next query builds its set again; benchmarks, tests)."""
    with _lock:
        _kept.clear()
