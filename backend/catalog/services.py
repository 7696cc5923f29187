"""Writes to the catalogue: load the taxonomy, find or create artists and tracks."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from catalog.models import Artist, Family, Genre

__all__ = ["ARTIST_NAME_MAX", "artist_get_or_create", "taxonomy_load"]

#: Longest artist name kept from a tag [characters].
ARTIST_NAME_MAX = 255


def _tempo_range(record: Mapping[str, Any]) -> tuple[float | None, float | None]:
    tempo = record.get("tempo_bpm") or ()
    if len(tempo) != 2:
        return None, None
    return float(tempo[0]), float(tempo[1])


@transaction.atomic
def taxonomy_load(*, families: Sequence[Mapping[str, Any]],
                  genres: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Make the Family and Genre tables equal to the taxonomy; running it twice changes nothing.

    Records are matched by slug, so ids (and the scores pointing at them) survive a reload.
    Genres no longer in the taxonomy are removed with their scores; a family still referenced
    by a track's headline is kept as long as a genre uses it.

    Parameters
    ----------
    families, genres : sequence of mapping
        Plain records with the fields of docs/architecture.md (as the taxonomy loader gives them).

    Returns
    -------
    dict
        Counts: ``{"families": n, "genres": n, "created": n, "updated": n, "removed": n}``.
    """
    stats = {"families": len(families), "genres": len(genres), "created": 0, "updated": 0,
             "removed": 0}
    family_ids: dict[str, int] = {}
    for position, record in enumerate(families):
        family, created = Family.objects.update_or_create(
            slug=record["slug"],
            defaults={"name": record["name"], "color": record.get("color", "#888888"),
                      "description": record.get("description", ""), "position": position,
                      "record": dict(record)},
        )
        family_ids[family.slug] = family.pk
        stats["created" if created else "updated"] += 1
    for position, record in enumerate(genres):
        low, high = _tempo_range(record)
        _, created = Genre.objects.update_or_create(
            slug=record["slug"],
            defaults={"name": record["name"], "family_id": family_ids[record["family"]],
                      "modelled": bool(record.get("modelled", False)),
                      "description": record.get("description", ""),
                      "tempo_bpm_min": low, "tempo_bpm_max": high,
                      "rhythm": record.get("rhythm", ""), "position": position,
                      "record": dict(record)},
        )
        stats["created" if created else "updated"] += 1
    stale_genres = Genre.objects.exclude(slug__in=[g["slug"] for g in genres])
    stats["removed"] += stale_genres.count()
    stale_genres.delete()
    stale_families = Family.objects.exclude(slug__in=list(family_ids))
    stats["removed"] += stale_families.count()
    stale_families.delete()
    return stats


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
