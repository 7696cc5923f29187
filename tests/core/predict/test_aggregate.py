"""Window probabilities to track breakdown, family sums and timeline."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.predict.aggregate import (
    aggregate_track,
    family_probabilities,
    timeline_segments,
    track_probabilities,
)

LABELS = ["deep-house", "tech-house", "dubstep", "mine"]
FAMILY = {"deep-house": "house", "tech-house": "house", "dubstep": "dubstep-bass"}


def test_family_is_sum_of_its_genres() -> None:
    fam = family_probabilities(np.array([0.2, 0.3, 0.4, 0.1]), labels=LABELS, family_of=FAMILY)
    assert fam == pytest.approx({"house": 0.5, "dubstep-bass": 0.4})


def test_track_probabilities_weighting_and_normalisation() -> None:
    w = np.array([[0.8, 0.1, 0.05, 0.05], [0.0, 0.0, 1.0, 0.0]])
    np.testing.assert_allclose(track_probabilities(w), [0.4, 0.05, 0.525, 0.025])
    np.testing.assert_allclose(track_probabilities(w, weights=np.array([1.0, 0.0])), w[0])
    np.testing.assert_allclose(track_probabilities(w, weights=np.zeros(2)), track_probabilities(w))
    with pytest.raises(InvalidParameterError):
        track_probabilities(w, weights=np.array([1.0, -1.0]))


def test_mix_of_two_genres_gives_two_segments() -> None:
    n = 40  # 40 windows of 3 s, hop 3 s: 0-120 s
    probs = np.zeros((n, 4))
    probs[:20, 0], probs[20:, 2] = 0.9, 0.9
    probs[:20, 1], probs[20:, 3] = 0.1, 0.1
    starts = np.arange(n) * 3.0
    segs = timeline_segments(probs, starts, window_s=3.0, labels=LABELS, segment_s=30.0)
    assert [(s.top, s.start_s, s.end_s) for s in segs] == [
        ("deep-house", 0.0, 60.0),
        ("dubstep", 60.0, 120.0),
    ]
    assert segs[0].genres["deep-house"] == pytest.approx(0.9)


def test_timeline_bpm_and_short_track() -> None:
    probs = np.array([[0.6, 0.2, 0.1, 0.1], [0.5, 0.3, 0.1, 0.1]])
    segs = timeline_segments(
        probs,
        np.array([0.0, 1.5]),
        window_s=3.0,
        labels=LABELS,
        window_bpm=np.array([124.0, 126.0]),
    )
    assert len(segs) == 1 and segs[0].bpm == pytest.approx(125.0) and segs[0].end_s == 4.5


def test_aggregate_track_sorted_outputs() -> None:
    probs = np.array([[0.1, 0.6, 0.2, 0.1]] * 3)
    out = aggregate_track(probs, np.arange(3) * 3.0, window_s=3.0, labels=LABELS, family_of=FAMILY)
    assert out.genres[0] == ("tech-house", pytest.approx(0.6))
    assert out.families[0][0] == "house"
    assert out.probs.sum() == pytest.approx(1.0)


def test_invalid_inputs() -> None:
    with pytest.raises(InvalidParameterError):
        track_probabilities(np.zeros((0, 3)))
    with pytest.raises(InvalidParameterError):
        track_probabilities(np.array([[np.nan, 1.0]]))
    with pytest.raises(InvalidParameterError):
        timeline_segments(np.ones((2, 4)) / 4, np.zeros(3), window_s=3.0, labels=LABELS)
