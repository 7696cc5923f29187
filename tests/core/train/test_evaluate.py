"""Evaluation metrics and the confusion-matrix PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from genrelens.train.evaluate import evaluate_probs, plot_confusion, track_level

LABELS = ["deep-house", "tech-house", "dubstep", "ambient"]
FAMILY = {
    "deep-house": "house",
    "tech-house": "house",
    "dubstep": "dubstep-bass",
    "ambient": "ambient-experimental",
}


def test_metrics_on_a_hand_made_case(tmp_path: Path) -> None:
    probs = np.array(
        [
            [0.7, 0.2, 0.05, 0.05],  # deep-house right
            [0.6, 0.3, 0.05, 0.05],  # tech-house predicted deep-house (top-2 hit, same family)
            [0.1, 0.1, 0.2, 0.6],  # dubstep predicted ambient (top-2 hit)
            [0.05, 0.05, 0.1, 0.8],  # ambient right
        ]
    )
    y = np.array([0, 1, 2, 3])
    rep = evaluate_probs(probs, y, labels=LABELS, family_of=FAMILY)
    assert rep.accuracy == pytest.approx(0.5)
    assert rep.top3 == pytest.approx(1.0)
    assert rep.family_accuracy == pytest.approx(0.75)
    assert rep.per_genre["deep-house"]["precision"] == pytest.approx(0.5)
    assert rep.per_genre["deep-house"]["recall"] == pytest.approx(1.0)
    assert rep.per_family["house"]["family_accuracy"] == pytest.approx(1.0)
    assert rep.confusion[1, 0] == 1
    # macro-F1 over the 4 present classes: (2/3 + 0 + 0 + 2/3) / 4
    assert rep.macro_f1 == pytest.approx(1 / 3)
    assert "macro-F1" in rep.format_text()
    png = tmp_path / "cm.png"
    plot_confusion(rep, png, title="test")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_track_level_averages_windows() -> None:
    probs = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    tp, tl, ids = track_level(probs, np.array([0, 0, 1]), np.array([7, 7, 9]))
    np.testing.assert_allclose(tp, [[0.5, 0.5], [1.0, 0.0]])
    assert tl.tolist() == [0, 1] and ids.tolist() == [7, 9]
