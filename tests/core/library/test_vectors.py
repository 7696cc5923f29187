"""library_vectors: the centred musicnn half and the Hellinger genre half, each of equal weight."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.library.vectors import hellinger, library_vectors

PROFILE = np.array([0.5, 0.5])


def test_what_all_tracks_share_does_not_make_them_alike() -> None:
    shared = np.array([10.0, 10.0, 10.0])  # every track's embedding is mostly this
    embeddings = [shared + [1, 0, 0], shared + [1.1, 0, 0], shared + [0, 1, 0], shared + [0, 0, 1]]
    rows = library_vectors(embeddings, np.tile(PROFILE, (4, 1)))
    sound = rows[:, :3] * np.sqrt(2.0)  # each half is 1/sqrt(2) of a unit row
    # Raw, all four embeddings are nearly parallel; centred, only the first two are alike.
    assert sound[0] @ sound[1] > 0.9
    assert sound[0] @ sound[2] < 0.0 and sound[0] @ sound[3] < 0.0
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)


def test_a_track_without_an_embedding_is_compared_by_its_genre_half() -> None:
    rows = library_vectors([np.ones(3), None], np.array([[0.9, 0.1], [0.9, 0.1]]))
    genre = hellinger(np.array([0.9, 0.1]))
    assert np.allclose(rows[1, :3], 0.0)
    assert np.allclose(rows[1, 3:], genre / np.linalg.norm(genre))


def test_no_embeddings_at_all_leaves_only_the_genre_half() -> None:
    rows = library_vectors([None, None], np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert rows.shape == (2, 2)


@pytest.mark.parametrize(("embeddings", "profiles"), [
    ([np.ones(3)], np.ones((2, 2))),
    ([np.ones(3), np.ones(4)], np.ones((2, 2))),
])
def test_mismatches_are_refused(embeddings: list[np.ndarray], profiles: np.ndarray) -> None:
    with pytest.raises(InvalidParameterError):
        library_vectors(embeddings, profiles)
