"""Writes to the catalogue: load the taxonomy, find or create artists and tracks."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import Artist, Family, Genre, Track

__all__ = ["ARTIST_NAME_MAX", "artist_get_or_create", "taxonomy_load", "track_label_set"]

#: Longest artist name kept from a tag [characters].
ARTIST_NAME_MAX = 255


def _tempo_range(record: Mapping[str, Any]) -> tuple[float | None, float | None]:
    tempo = record.get("tempo_bpm") or ()
    if len(tempo) != 2:
        return None, None
    return float(tempo[0]), float(tempo[1])


_FAMILY_FIELDS = ("name", "color", "description", "position", "record")
_GENRE_FIELDS = ("name", "family_id", "modelled", "description", "tempo_bpm_min",
                 "tempo_bpm_max", "rhythm", "position", "record")


def _upsert(model: Any, rows: dict[str, dict[str, Any]], fields: Sequence[str]) -> int:
    """Create or update ``model`` rows by slug in three queries; returns how many were new."""
    existing = model.objects.in_bulk(list(rows), field_name="slug")
    new = [model(slug=slug, **values) for slug, values in rows.items() if slug not in existing]
    for slug, obj in existing.items():
        for name, value in rows[slug].items():
            setattr(obj, name, value)
    model.objects.bulk_create(new)
    model.objects.bulk_update(list(existing.values()), list(fields))
    return len(new)


@transaction.atomic
def taxonomy_load(*, families: Sequence[Mapping[str, Any]],
                  genres: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Make the Family and Genre tables equal to the taxonomy; running it twice changes nothing.

    Records are matched by slug, so ids (and the scores pointing at them) survive a reload.
    Genres and families no longer in the taxonomy are removed, with their score rows.

    Parameters
    ----------
    families, genres : sequence of mapping
        Plain records with the fields of docs/architecture.md (``dataclasses.asdict`` of the
        core loader's records).

    Returns
    -------
    dict
        Counts: ``{"families": n, "genres": n, "created": n, "removed": n}``.
    """
    created = _upsert(Family, {
        r["slug"]: {"name": r["name"], "color": r.get("color", "#888888"),
                    "description": r.get("description", ""), "position": n, "record": dict(r)}
        for n, r in enumerate(families)}, _FAMILY_FIELDS)
    family_ids = dict(Family.objects.values_list("slug", "pk"))
    genre_rows = {}
    for position, record in enumerate(genres):
        low, high = _tempo_range(record)
        genre_rows[record["slug"]] = {
            "name": record["name"], "family_id": family_ids[record["family"]],
            "modelled": bool(record.get("modelled", False)),
            "description": record.get("description", ""), "tempo_bpm_min": low,
            "tempo_bpm_max": high, "rhythm": record.get("rhythm", ""), "position": position,
            "record": dict(record)}
    created += _upsert(Genre, genre_rows, _GENRE_FIELDS)
    _, genres_gone = Genre.objects.exclude(slug__in=list(genre_rows)).delete()
    _, families_gone = Family.objects.exclude(slug__in=[r["slug"] for r in families]).delete()
    return {"families": len(families), "genres": len(genres), "created": created,
            "removed": genres_gone.get("catalog.Genre", 0) + families_gone.get("catalog.Family", 0)}


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().strip()


def artist_get_or_create(*, name: str) -> Artist | None:
    """The artist called ``name`` (case-insensitively), created if new; None for a blank name."""
    clean = " ".join(unicodedata.normalize("NFKC", name).split())[:ARTIST_NAME_MAX]
    if not clean:
        return None
    key = _name_key(clean)
    artist = Artist.objects.filter(name_key=key).first()
    if artist is not None:
        return artist
    try:
        with transaction.atomic():
            return Artist.objects.create(name=clean, name_key=key)
    except IntegrityError:
        # Another upload created the same artist between our read and our insert.
        return Artist.objects.get(name_key=key)


def track_label_set(track: Track, genre: Genre | None) -> Track:
    """Set (or, with None, clear) the owner's own genre for ``track``.

    A confirmation of the model's answer and a correction are the same write: the label says
    what the track is, whatever the model said.
    """
    track.label = genre
    track.labelled_at = timezone.now() if genre is not None else None
    track.save(update_fields=["label", "labelled_at"])
    return track
