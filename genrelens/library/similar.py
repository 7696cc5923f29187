"""Nearest tracks by cosine similarity of their vectors (brute force over a matrix).

The vectors are ``library_vectors`` (each track's musicnn embedding and genre profile, 452
numbers); the web library builds them from its tables, ``similar_results`` (the CLI's) from
result JSONs. Brute force is exact: one matrix-vector product, 17 ms p99 at 100,000 tracks
(docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from genrelens.errors import InvalidParameterError
from genrelens.library.keys import compatible_keys
from genrelens.library.vectors import result_vectors

__all__ = ["nearest", "similar_results"]


def nearest(query: np.ndarray, vectors: np.ndarray, *, k: int,
            among: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The ``k`` rows of ``vectors`` most similar to ``query``, as ``(row, cosine)``, best first.

    Parameters
    ----------
    query : np.ndarray [shape=(d,)]
    vectors : np.ndarray [shape=(n, d)]
    k : int > 0
    among : np.ndarray [shape=(m,), dtype=int], optional
        Only these rows compete (a filtered library); all rows when None.

    Rows of zeros (nothing known) get similarity 0. Ties keep row order. The ``k`` best are
    picked by a partial sort, so 100,000 rows cost little more than their matrix product.

    Raises
    ------
    InvalidParameterError
        Shapes do not match, or ``k`` < 1.

    Examples
    --------
    >>> nearest(np.array([1.0, 0.0]), np.array([[0.0, 1.0], [2.0, 0.1]]), k=1)[0][0]
    1
    >>> nearest(np.array([1.0, 0.0]), np.array([[0.0, 1.0], [2.0, 0.1]]), k=1, among=np.array([0]))
    [(0, 0.0)]
    """
    if k < 1:
        raise InvalidParameterError(f"k must be at least 1, got {k}")
    if vectors.ndim != 2 or query.shape != (vectors.shape[1],):
        raise InvalidParameterError(
            f"query shape {query.shape} does not match vectors of shape {vectors.shape}")
    rows = np.arange(len(vectors)) if among is None else np.asarray(among, dtype=np.int64)
    if len(rows) == 0:
        return []
    # Products over every row, then the chosen ones: cheaper than copying the chosen rows out.
    # einsum gives the row norms without an n x d temporary.
    query = query.astype(vectors.dtype, copy=False)
    dots = (vectors @ query)[rows].astype(np.float64)
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors)[rows]) * float(np.linalg.norm(query))
    scores = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    if len(scores) > k:
        # Everything at least as good as the k-th best, ties included, then a stable sort.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        contenders = np.flatnonzero(scores >= kth)
    else:
        contenders = np.arange(len(scores))
    order = contenders[np.argsort(-scores[contenders], kind="stable")][:k]
    return [(int(rows[i]), float(scores[i])) for i in order]


def similar_results(query: str, results: Mapping[str, Mapping[str, Any]], *, k: int,
                    bpm_window: float | None = None,
                    mixable: bool = False) -> list[tuple[str, float]]:
    """The ``k`` results that sound most like ``results[query]``, as ``(id, cosine)``, best first.

    ``results`` maps an id (a content digest, say) to an analysis result JSON; each is compared
    by ``result_vectors`` over all of them (its ``sound`` embedding and genre profile). With
    ``bpm_window`` only results within that many BPM of the query count, with ``mixable`` only
    those in a key that mixes with the query's (``compatible_keys``).

    Raises
    ------
    InvalidParameterError
        ``query`` is not among ``results``, or ``k`` < 1.
    """
    if query not in results:
        raise InvalidParameterError(f"no result {query!r} to compare with")
    ids, vectors = result_vectors(results)
    centre = results[query]
    bpm = (centre.get("tempo") or {}).get("bpm")
    camelot = (centre.get("key") or {}).get("camelot")
    keys = set(compatible_keys(camelot)) if mixable and camelot else None
    rows = []
    for row, key in enumerate(ids):
        other_bpm = (results[key].get("tempo") or {}).get("bpm")
        if key == query or (bpm_window is not None and bpm is not None
                            and (other_bpm is None or abs(other_bpm - bpm) > bpm_window)):
            continue
        if keys is not None and (results[key].get("key") or {}).get("camelot") not in keys:
            continue
        rows.append(row)
    if not rows:
        return []
    best = nearest(vectors[ids.index(query)], vectors[rows], k=k)
    return [(ids[rows[i]], score) for i, score in best]
