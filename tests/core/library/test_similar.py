"""Tests of genrelens.library.similar: exact cosine neighbours and refusals."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.library.similar import nearest


def test_neighbours_best_first_match_a_direct_computation() -> None:
    rng = np.random.default_rng(440)
    vectors = rng.random((200, 52))
    query = rng.random(52)
    found = nearest(query, vectors, k=5)
    direct = vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query))
    assert [row for row, _ in found] == list(np.argsort(-direct)[:5])
    assert [score for _, score in found] == pytest.approx(sorted(direct, reverse=True)[:5])


def test_zero_rows_score_zero_and_k_caps() -> None:
    vectors = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]])
    assert nearest(np.array([1.0, 0.0]), vectors, k=10) == [
        (2, pytest.approx(1.0)), (1, pytest.approx(0.5 ** 0.5)), (0, 0.0)]
    assert nearest(np.array([1.0, 0.0]), np.zeros((0, 2)), k=3) == []


@pytest.mark.parametrize(("query", "vectors", "k"), [
    (np.ones(3), np.ones((4, 2)), 1), (np.ones(2), np.ones((4, 2)), 0), (np.ones(2), np.ones(2), 1),
])
def test_bad_shapes_or_k(query: np.ndarray, vectors: np.ndarray, k: int) -> None:
    with pytest.raises(InvalidParameterError):
        nearest(query, vectors, k=k)
