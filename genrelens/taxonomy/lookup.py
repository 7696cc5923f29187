"""Finding a genre by slug, name or alias, and the taxonomy as plain data for the CLI and JSON."""

from __future__ import annotations

import difflib
from dataclasses import asdict
from typing import Any

from genrelens.errors import InvalidParameterError
from genrelens.taxonomy.loader import Taxonomy
from genrelens.taxonomy.schema import Genre

__all__ = ["SUGGESTIONS", "find_genre", "genre_data", "taxonomy_tree"]

#: Close slugs named in the error of an unknown genre.
SUGGESTIONS = 3


def find_genre(taxonomy: Taxonomy, query: str) -> Genre:
    """The genre whose slug, name or alias is ``query`` (case and spaces ignored).

    A DJ types "Deep House" or "DnB" as often as ``deep-house``; all of them name one record.

    Raises
    ------
    InvalidParameterError
        No genre matches; the message names the query and up to ``SUGGESTIONS`` close slugs.

    Examples
    --------
    >>> from genrelens.taxonomy import load_taxonomy
    >>> find_genre(load_taxonomy(), "Deep House").slug
    'deep-house'
    """
    wanted = _normal(query)
    if not wanted:
        raise InvalidParameterError("genre slug must not be empty")
    for genre in taxonomy.genres:
        if wanted in {_normal(genre.slug), _normal(genre.name), *map(_normal, genre.aliases)}:
            return genre
    slugs = [genre.slug for genre in taxonomy.genres]
    close = difflib.get_close_matches(query.strip().lower(), slugs, n=SUGGESTIONS, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else " (see `genrelens genres`)"
    raise InvalidParameterError(f"unknown genre {query!r}{hint}", extra={"suggestions": close})


def _normal(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def genre_data(genre: Genre) -> dict[str, Any]:
    """One genre record as JSON-ready data (ranges as ``[lo, hi]`` lists, ``image`` included)."""
    data: dict[str, Any] = asdict(genre)
    data["image"] = genre.image
    shaped: dict[str, Any] = _lists(data)
    return shaped


def taxonomy_tree(taxonomy: Taxonomy) -> dict[str, Any]:
    """``{version, families: [{slug, name, color, genres: [{slug, name, modelled, tempo_bpm}]}]}``.

    Families in display order, genres in file order: the shape of ``genrelens genres --json``.
    """
    groups = taxonomy.by_family()
    return {
        "version": taxonomy.version,
        "families": [
            {"slug": family.slug, "name": family.name, "color": family.color,
             "genres": [{"slug": g.slug, "name": g.name, "modelled": g.modelled,
                         "tempo_bpm": list(g.tempo_bpm)} for g in groups[family.slug]]}
            for family in taxonomy.families
        ],
    }


def _lists(value: Any) -> Any:
    """Tuples (ranges, name lists) become lists, recursively, so the data is JSON's own."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value
