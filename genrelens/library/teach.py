"""A personal layer: the user's own genre labels re-rank the shipped model's answers for their library.

A DJ's crates are their own taxonomy: one files a track under "peak-time techno" that the
shipped model calls "hard techno". With a few labelled tracks per genre, a prototype per
labelled genre (the mean of its tracks' vectors) ranks any other track by cosine similarity,
which fits in milliseconds and needs no training data beyond the labels. Confirming the shipped
model's answer is a label like a correction: both say what the track is.

The vectors are whatever the caller compares tracks by, by cosine: the web library passes
``library_vectors`` (the musicnn embedding and the genre profile), as for similar tracks.

Its accuracy is measured by leave-one-out on the same labels, beside the shipped model's top
genre on the same tracks, so a user sees whether the layer helps before trusting it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from genrelens.errors import InvalidParameterError

__all__ = ["MIN_GENRES", "LayerEvaluation", "PersonalAnswer", "PersonalLayer", "evaluate", "fit",
           "personal_answer", "personal_ranking", "rank"]

#: Labelled genres needed before the layer can rank anything.
MIN_GENRES = 2
#: Softmax temperatures over cosine similarities the fit chooses from, by the leave-one-out
#: likelihood of the user's own labels.
TEMPERATURES = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
#: The temperature while no genre has two labels (nothing to hold out): a cautious one.
DEFAULT_TEMPERATURE = 0.2


@dataclass(frozen=True)
class PersonalLayer:
    """One unit prototype per labelled genre, how many labels built it, and how sure it may be.

    ``temperature`` is fitted on the labels (leave-one-out likelihood). ``trust`` in (0, 1) is
    ``m / (m + 1)`` for ``m`` labels of the least-labelled genre: the ranking's probabilities
    are mixed with uniform by ``1 - trust``, so one label a genre never claims certainty.
    """

    genres: tuple[str, ...]
    prototypes: np.ndarray  # (genres, d), unit rows
    counts: tuple[int, ...]
    temperature: float
    trust: float


@dataclass(frozen=True)
class LayerEvaluation:
    """Leave-one-out accuracy of the layer on the user's labels, and the shipped model's."""

    labels: int
    genres: int
    accuracy: float | None
    shipped_accuracy: float | None


@dataclass(frozen=True)
class PersonalAnswer:
    """What the labels say of one track: the layer's genres (None until it can rank) and its
    leave-one-out accuracy beside the shipped model's on the same labels."""

    ranking: list[tuple[str, float]] | None
    evaluation: LayerEvaluation


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Rows at unit length (rows of zeros stay zero)."""
    rows = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    unit: np.ndarray = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return unit


def _check(vectors: np.ndarray, labels: Sequence[str]) -> None:
    if vectors.ndim != 2 or len(vectors) != len(labels):
        raise InvalidParameterError(
            f"need one vector row per label, got {vectors.shape} for {len(labels)} labels")


def fit(vectors: np.ndarray, labels: Sequence[str]) -> PersonalLayer:
    """The prototype layer of ``labels`` (one genre slug per row of ``vectors``).

    Raises
    ------
    InvalidParameterError
        Shapes do not match, or fewer than ``MIN_GENRES`` distinct genres are labelled.

    Examples
    --------
    >>> layer = fit(np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9]]), ["a", "a", "b"])
    >>> layer.genres, layer.counts
    (('a', 'b'), (2, 1))
    """
    _check(vectors, labels)
    genres = tuple(sorted(set(labels)))
    if len(genres) < MIN_GENRES:
        raise InvalidParameterError(
            f"label tracks of at least {MIN_GENRES} genres first (got {len(genres)})")
    unit = _unit(vectors)
    names = np.asarray(labels)
    sums = np.stack([unit[names == genre].sum(axis=0) for genre in genres])
    counts = Counter(labels)
    fewest = min(counts.values())
    return PersonalLayer(genres=genres, prototypes=_unit(sums),
                         counts=tuple(counts[genre] for genre in genres),
                         temperature=_fitted_temperature(unit, names, genres, sums),
                         trust=fewest / (fewest + 1))


def _fitted_temperature(unit: np.ndarray, names: np.ndarray, genres: tuple[str, ...],
                        sums: np.ndarray) -> float:
    """The temperature of ``TEMPERATURES`` under which each label, held out of its own genre's
    prototype, is most likely; ``DEFAULT_TEMPERATURE`` when no genre has two labels."""
    own = np.array([genres.index(name) for name in names])
    sizes = np.array([int((names == genre).sum()) for genre in genres])
    held = sizes[own] > 1
    if not held.any():
        return DEFAULT_TEMPERATURE
    cosine = unit[held] @ _unit(sums).T  # (held, genres)
    without = _unit(sums[own[held]] - unit[held])  # each own prototype without the track
    rows = np.arange(int(held.sum()))
    cosine[rows, own[held]] = np.einsum("ij,ij->i", unit[held], without)
    best, chosen = -np.inf, DEFAULT_TEMPERATURE
    for temperature in TEMPERATURES:
        logits = cosine / temperature
        logits -= logits.max(axis=1, keepdims=True)
        log_p = logits[rows, own[held]] - np.log(np.exp(logits).sum(axis=1))
        if log_p.mean() > best:
            best, chosen = float(log_p.mean()), temperature
    return chosen


def rank(layer: PersonalLayer, vector: np.ndarray) -> list[tuple[str, float]]:
    """The layer's genres for ``vector`` with probabilities summing to 1, most likely first.

    Examples
    --------
    >>> layer = fit(np.array([[0.9, 0.1], [0.1, 0.9]]), ["a", "b"])
    >>> [genre for genre, _ in rank(layer, np.array([0.7, 0.3]))]
    ['a', 'b']
    """
    cosine = layer.prototypes @ _unit(vector)
    weights = np.exp((cosine - cosine.max()) / layer.temperature)
    probabilities = (layer.trust * weights / weights.sum()
                     + (1.0 - layer.trust) / len(layer.genres))
    order = np.argsort(-probabilities, kind="stable")
    return [(layer.genres[i], float(probabilities[i])) for i in order]


def evaluate(vectors: np.ndarray, labels: Sequence[str],
             shipped_top: Sequence[str | None]) -> LayerEvaluation:
    """Leave-one-out accuracy of the layer, beside the shipped model's top genre on the same tracks.

    Each labelled track is ranked by a layer fitted on the others; a track whose genre has no
    other label cannot be right, and counts as wrong (the honest figure for a user's first
    labels). ``accuracy`` is None while fewer than ``MIN_GENRES`` genres are labelled.
    """
    _check(vectors, labels)
    if len(shipped_top) != len(labels):
        raise InvalidParameterError("need the shipped model's top genre for every label")
    shipped = (sum(top == label for top, label in zip(shipped_top, labels, strict=True))
               / len(labels)) if labels else None
    genres = len(set(labels))
    if genres < MIN_GENRES:
        return LayerEvaluation(labels=len(labels), genres=genres, accuracy=None,
                               shipped_accuracy=shipped)
    right = 0
    keep = np.ones(len(labels), dtype=bool)
    for i, label in enumerate(labels):
        keep[i] = False
        others = [labels[int(j)] for j in np.flatnonzero(keep)]
        if label in others and len(set(others)) >= MIN_GENRES:
            right += rank(fit(vectors[keep], others), vectors[i])[0][0] == label
        keep[i] = True
    return LayerEvaluation(labels=len(labels), genres=genres, accuracy=right / len(labels),
                           shipped_accuracy=shipped)


def personal_ranking(vectors: np.ndarray, labels: Sequence[str], query: np.ndarray, *,
                     own: int | None = None) -> list[tuple[str, float]] | None:
    """``rank`` of ``query`` by the layer of the labelled rows; None until it can rank.

    ``own`` is the query's row among the labelled ones when the track is labelled itself: its
    label is left out of the fit, so a labelled track is ranked as an unlabelled one would be.
    """
    others = [i for i in range(len(labels)) if i != own]
    other_labels = [labels[i] for i in others]
    if len(set(other_labels)) < MIN_GENRES:
        return None
    return rank(fit(vectors[others], other_labels), query)


def personal_answer(vectors: np.ndarray, labels: Sequence[str], shipped_top: Sequence[str | None],
                    query: np.ndarray, *, own: int | None = None) -> PersonalAnswer:
    """``personal_ranking`` of one track with the layer's ``evaluate`` (the web page's answer).

    Examples
    --------
    >>> rows = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    >>> answer = personal_answer(rows, ["a", "a", "b"], ["a", "b", "b"], np.array([0.8, 0.2]))
    >>> answer.ranking[0][0], answer.evaluation.shipped_accuracy
    ('a', 0.6666666666666666)
    """
    return PersonalAnswer(ranking=personal_ranking(vectors, labels, query, own=own),
                          evaluation=evaluate(vectors, labels, shipped_top))
