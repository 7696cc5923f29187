"""Nearest tracks by cosine similarity of their vectors (brute force over a matrix).

The vectors are whatever the caller stores per track; the web library uses each track's genre
profile (the current analysis' 52 genre probabilities). Brute force is exact and, at 10,000
tracks of 52 numbers, one matrix-vector product.
"""

from __future__ import annotations

import numpy as np

from genrelens.errors import InvalidParameterError

__all__ = ["nearest"]


def nearest(query: np.ndarray, vectors: np.ndarray, *, k: int) -> list[tuple[int, float]]:
    """The ``k`` rows of ``vectors`` most similar to ``query``, as ``(row, cosine)``, best first.

    Parameters
    ----------
    query : np.ndarray [shape=(d,)]
    vectors : np.ndarray [shape=(n, d)]
    k : int > 0

    Rows of zeros (nothing known) get similarity 0. Ties keep row order.

    Raises
    ------
    InvalidParameterError
        Shapes do not match, or ``k`` < 1.

    Examples
    --------
    >>> nearest(np.array([1.0, 0.0]), np.array([[0.0, 1.0], [2.0, 0.1]]), k=1)[0][0]
    1
    """
    if k < 1:
        raise InvalidParameterError(f"k must be at least 1, got {k}")
    if vectors.ndim != 2 or query.shape != (vectors.shape[1],):
        raise InvalidParameterError(
            f"query shape {query.shape} does not match vectors of shape {vectors.shape}")
    if len(vectors) == 0:
        return []
    norms = np.linalg.norm(vectors, axis=1) * float(np.linalg.norm(query))
    dots = vectors @ query
    scores = np.divide(dots, norms, out=np.zeros_like(dots, dtype=np.float64), where=norms > 0)
    order = np.argsort(-scores, kind="stable")[:k]
    return [(int(i), float(scores[i])) for i in order]
