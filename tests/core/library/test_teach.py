"""The personal layer: prototypes of the user's labels, ranking, and its leave-one-out accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.library.teach import MIN_GENRES, evaluate, fit, rank
from genrelens.library.vectors import hellinger


def _profiles(rng: np.random.Generator, centre: list[float], n: int) -> np.ndarray:
    """``n`` probability profiles scattered around ``centre``, as Hellinger vectors."""
    return hellinger(rng.dirichlet(np.asarray(centre) * 40.0, size=n))


def test_a_track_ranks_with_the_genre_it_was_labelled_like() -> None:
    rng = np.random.default_rng(0)
    # The shipped model calls both crates mostly genre 0; the user tells them apart by genre 1 vs 2.
    peak = _profiles(rng, [0.6, 0.3, 0.1], 6)
    hard = _profiles(rng, [0.6, 0.1, 0.3], 6)
    layer = fit(np.vstack([peak, hard]), ["peak-time"] * 6 + ["hard-techno"] * 6)
    assert layer.genres == ("hard-techno", "peak-time") and layer.counts == (6, 6)
    ranked = rank(layer, hellinger(np.array([0.62, 0.28, 0.10])))
    assert [genre for genre, _ in ranked] == ["peak-time", "hard-techno"]
    assert sum(p for _, p in ranked) == pytest.approx(1.0)
    assert ranked[0][1] > 0.6


def test_leave_one_out_beats_the_shipped_model_where_the_labels_disagree_with_it() -> None:
    rng = np.random.default_rng(1)
    vectors = np.vstack([_profiles(rng, [0.6, 0.3, 0.1], 8), _profiles(rng, [0.6, 0.1, 0.3], 8)])
    labels = ["peak-time"] * 8 + ["hard-techno"] * 8
    shipped = ["techno"] * 16  # the shipped model's top genre for all of them
    result = evaluate(vectors, labels, shipped)
    assert result.labels == 16 and result.genres == 2
    assert result.shipped_accuracy == 0.0
    assert result.accuracy is not None and result.accuracy >= 0.9


def test_a_genre_labelled_once_cannot_be_guessed_when_held_out() -> None:
    vectors = np.array([[0.9, 0.1], [0.85, 0.15], [0.1, 0.9]])
    result = evaluate(vectors, ["a", "a", "b"], ["a", "a", "a"])
    # "b" held out leaves one genre: no layer, so it counts as wrong; both "a" are right.
    assert result.accuracy == pytest.approx(2 / 3)
    assert result.shipped_accuracy == pytest.approx(2 / 3)


def test_too_few_genres_or_mismatched_shapes_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match=f"at least {MIN_GENRES} genres"):
        fit(np.ones((3, 4)), ["a", "a", "a"])
    with pytest.raises(InvalidParameterError, match="one vector row per label"):
        fit(np.ones((3, 4)), ["a", "b"])
    one_genre = evaluate(np.ones((2, 3)), ["a", "a"], ["a", None])
    assert one_genre.accuracy is None and one_genre.shipped_accuracy == 0.5


def test_zero_vectors_do_not_break_ranking() -> None:
    layer = fit(np.array([[1.0, 0.0], [0.0, 1.0]]), ["a", "b"])
    ranked = rank(layer, np.zeros(2))
    assert sum(p for _, p in ranked) == pytest.approx(1.0)


def test_one_label_a_genre_never_claims_certainty() -> None:
    layer = fit(np.array([[1.0, 0.0], [0.0, 1.0]]), ["a", "b"])
    assert layer.trust == 0.5
    top = rank(layer, np.array([1.0, 0.0]))[0]
    assert top[0] == "a" and top[1] <= 0.75  # half the layer's answer, half uniform


def test_the_temperature_is_fitted_on_the_labels() -> None:
    rng = np.random.default_rng(2)
    # Well separated crates: held-out labels are likeliest under a sharp temperature ...
    sharp = fit(np.vstack([rng.normal([5, 0, 0], 0.1, (6, 3)), rng.normal([0, 5, 0], 0.1, (6, 3))]),
                ["a"] * 6 + ["b"] * 6)
    # ... overlapping ones under a soft one.
    soft = fit(rng.normal([1, 1, 1], 1.0, (12, 3)), ["a", "b"] * 6)
    assert sharp.temperature < soft.temperature
    assert sharp.trust == soft.trust == 6 / 7
