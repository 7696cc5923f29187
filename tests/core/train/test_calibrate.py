"""Fits on held-out data: temperature scaling (and ECE), OOD statistics, unsure limits."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.predict.infer import softmax
from genrelens.predict.unsure import UnsureThresholds, ood_distances
from genrelens.train.calibrate import (
    expected_calibration_error,
    fit_ood,
    fit_temperature,
    fit_unsure_thresholds,
)
from genrelens.train.evaluate import selective_summary


def test_fit_temperature_recovers_the_generating_temperature() -> None:
    rng = np.random.default_rng(440)
    logits = rng.normal(0, 3, size=(4000, 5))
    true_t = 2.5
    p = softmax(logits, temperature=true_t)
    labels = np.array([rng.choice(5, p=row) for row in p])
    assert fit_temperature(logits, labels) == pytest.approx(true_t, rel=0.1)


def test_temperature_lowers_ece_of_overconfident_logits() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 3, size=(3000, 4))
    labels = np.array([rng.choice(4, p=row) for row in softmax(logits, temperature=3.0)])
    t = fit_temperature(logits, labels)
    before = expected_calibration_error(softmax(logits), labels)
    after = expected_calibration_error(softmax(logits, temperature=t), labels)
    assert after < before / 2


def test_ece_known_values() -> None:
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    labels = np.array([0, 1, 0, 0])
    # bin 0.9: acc 0.5 conf 0.9 -> 0.4 * 0.5; bin 0.6: acc 1.0 conf 0.6 -> 0.4 * 0.5
    assert expected_calibration_error(probs, labels) == pytest.approx(0.4)
    perfect = np.eye(3)
    assert expected_calibration_error(perfect, np.arange(3)) == pytest.approx(0.0)


def test_bad_shapes_raise() -> None:
    with pytest.raises(InvalidParameterError):
        fit_temperature(np.zeros((3, 2)), np.zeros(4, dtype=int))
    with pytest.raises(InvalidParameterError):
        expected_calibration_error(np.zeros((0, 2)), np.zeros(0, dtype=int))


def test_ood_far_points_exceed_threshold() -> None:
    rng = np.random.default_rng(440)
    means = np.array([[0.0] * 8, [5.0] * 8])
    labels = np.repeat([0, 1], 300)
    x = means[labels] + rng.normal(size=(600, 8))
    stats = fit_ood(x, labels, n_classes=2)
    inside = ood_distances(stats, means[labels] + rng.normal(size=(600, 8)))
    far = ood_distances(stats, rng.normal(20.0, 1.0, size=(50, 8)))
    assert (inside > stats.threshold).mean() < 0.05
    assert (far > stats.threshold).all()


def test_ood_distance_is_the_mahalanobis_distance_to_the_nearest_mean() -> None:
    rng = np.random.default_rng(7)
    labels = np.repeat([0, 1, 2], 100)
    stats = fit_ood(rng.normal(size=(300, 5)) * [1, 2, 3, 1, 1] + labels[:, None], labels,
                    n_classes=3)
    x = rng.normal(size=(40, 5)) * 3
    precision = np.asarray(stats.precision)
    direct = [min(float(np.sqrt((v - m) @ precision @ (v - m))) for m in np.asarray(stats.means))
              for v in x]
    assert ood_distances(stats, x) == pytest.approx(direct, rel=1e-9)
    nearest_of_two = [min(float(np.sqrt((v - m) @ precision @ (v - m)))
                          for m in np.asarray(stats.means)[[0, 2]]) for v in x]
    assert ood_distances(stats, x, classes=np.array([0, 2])) == pytest.approx(nearest_of_two, rel=1e-9)


def _val_tracks() -> tuple[np.ndarray, np.ndarray]:
    """Ten tracks, 4 classes: the more confident, the more often right (as calibration promises)."""
    tops = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4])
    right = np.array([1, 1, 1, 1, 1, 0, 1, 0, 0, 0], dtype=bool)
    probs = np.empty((10, 4))
    for i, top in enumerate(tops):
        probs[i] = [top, (1 - top) * 0.5, (1 - top) * 0.3, (1 - top) * 0.2]
    labels = np.where(right, 0, 1)
    return probs, labels


def test_fitted_limit_meets_the_target_on_the_fitting_tracks() -> None:
    probs, labels = _val_tracks()
    th = fit_unsure_thresholds(probs, labels, target_accuracy=0.85)
    # Accepting the 7 most confident gives 6/7 = 0.857; adding the 8th gives 6/8 = 0.75.
    assert th.min_top_probability == pytest.approx(0.55)
    summary = selective_summary(probs, labels, th)
    assert summary["flagged"] == pytest.approx(0.3)
    assert summary["accepted_accuracy"] == pytest.approx(6 / 7)
    assert summary["sure_wrong"] == pytest.approx(0.1)


def test_fitted_limit_never_drops_below_the_floor() -> None:
    probs, labels = _val_tracks()
    th = fit_unsure_thresholds(probs, labels, target_accuracy=0.5)
    # The entropy rule already flags the three least confident tracks; all others are kept.
    assert th.min_top_probability == pytest.approx(0.55)
    floor = fit_unsure_thresholds(
        probs, labels, target_accuracy=0.5, base=UnsureThresholds(min_top_probability=0.6)
    )
    assert floor.min_top_probability == pytest.approx(0.6)


def test_a_model_that_never_meets_the_target_is_unsure_of_everything() -> None:
    probs, labels = _val_tracks()
    th = fit_unsure_thresholds(probs, 1 - labels.clip(0, 1), target_accuracy=0.9)
    assert selective_summary(probs, labels, th)["flagged"] == pytest.approx(1.0)


def test_fit_rejects_bad_input() -> None:
    with pytest.raises(InvalidParameterError):
        fit_unsure_thresholds(np.zeros((0, 3)), np.zeros(0))
    with pytest.raises(InvalidParameterError):
        fit_unsure_thresholds(np.full((2, 3), 1 / 3), np.zeros(2), target_accuracy=0.0)
