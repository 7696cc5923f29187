"""Temperature scaling and ECE."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.predict.infer import softmax
from genrelens.train.calibrate import expected_calibration_error, fit_temperature


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
