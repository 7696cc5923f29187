"""The vector a library compares tracks by: how they sound to musicnn, and the genre profile.

Two halves of equal weight, each at unit length: the musicnn embedding the result keeps
(``SoundInfo``; a network trained on real records, so it hears production, vocals and
instrumentation our genre model, trained on rendered audio, does not), centred on the library's
own mean so the cosine compares what sets tracks apart rather than what all music shares; and
the genre profile as Hellinger vectors (square roots of the probabilities), so a dominant genre
does not drown the rest. A track without an embedding (analysed before results kept one) has
zeros in that half and is compared by its genre profile alone. Rows are at unit length, so the
cosine of two tracks is a plain dot product.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from genrelens.errors import InvalidParameterError

__all__ = ["hellinger", "library_vectors", "result_vectors"]


def hellinger(probabilities: np.ndarray) -> np.ndarray:
    """Probability profiles as vectors whose cosine is their Hellinger affinity (square roots).

    Examples
    --------
    >>> hellinger(np.array([0.25, 0.0]))
    array([0.5, 0. ])
    """
    return np.sqrt(np.clip(np.asarray(probabilities, dtype=np.float64), 0.0, None))


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return unit


def library_vectors(embeddings: Sequence[np.ndarray | None], profiles: np.ndarray) -> np.ndarray:
    """One row per track: the centred embedding and the Hellinger profile, halves of equal weight.

    Parameters
    ----------
    embeddings : sequence of np.ndarray [shape=(d,)] or None
        Each track's musicnn embedding, None where it has none; the present ones share ``d``.
    profiles : np.ndarray [shape=(n, genres)]
        Each track's genre probabilities.

    Raises
    ------
    InvalidParameterError
        Counts or embedding lengths do not match.

    Examples
    --------
    >>> rows = library_vectors([np.array([1.0, 0.0]), None], np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> rows.shape, np.round(np.linalg.norm(rows, axis=1), 3).tolist()
    ((2, 4), [1.0, 1.0])
    """
    if profiles.ndim != 2 or len(embeddings) != len(profiles):
        raise InvalidParameterError(
            f"need one embedding (or None) per profile row, got {len(embeddings)} for {profiles.shape}")
    present = [e for e in embeddings if e is not None]
    sizes = {len(e) for e in present}
    if len(sizes) > 1:
        raise InvalidParameterError(f"embeddings of several lengths: {sorted(sizes)}")
    width = sizes.pop() if sizes else 0
    sound = np.zeros((len(profiles), width))
    if present:
        centre = np.mean(present, axis=0)
        for row, embedding in enumerate(embeddings):
            if embedding is not None:
                sound[row] = np.asarray(embedding, dtype=np.float64) - centre
    return _unit_rows(np.hstack([_unit_rows(sound), _unit_rows(hellinger(profiles))]))


def result_vectors(results: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], np.ndarray]:
    """``library_vectors`` of analysis result JSONs (the scan index's): their ids and one row each.

    The genre columns are every slug any result names, so results of one library compare
    whatever genres each lists; a result without ``sound`` is compared by its profile alone.

    Examples
    --------
    >>> ids, rows = result_vectors({"a": {"genres": [{"slug": "x", "probability": 1.0}]}})
    >>> ids, rows.shape
    (['a'], (1, 1))
    """
    ids = list(results)
    slugs = sorted({g["slug"] for r in results.values() for g in r.get("genres") or ()})
    column = {slug: i for i, slug in enumerate(slugs)}
    profiles = np.zeros((len(ids), len(slugs)))
    embeddings: list[np.ndarray | None] = []
    for row, key in enumerate(ids):
        for genre in results[key].get("genres") or ():
            profiles[row, column[genre["slug"]]] = genre["probability"]
        sound = (results[key].get("sound") or {}).get("embedding")
        embeddings.append(np.asarray(sound, dtype=np.float64) if sound else None)
    return ids, library_vectors(embeddings, profiles)
