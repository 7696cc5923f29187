"""The scikit-learn summary-feature baseline."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.train.baseline import baseline_probs, fit_baseline
from genrelens.train.data import WindowSet


@pytest.mark.parametrize("kind", ["logreg", "gboost"])
def test_baseline_beats_chance_on_held_out(kind: str, make_windows: Callable[..., WindowSet]) -> None:
    train, test = make_windows(60, 3, seed=10), make_windows(30, 3, seed=11)
    pipe = fit_baseline(train, kind=kind)  # type: ignore[arg-type]
    p = baseline_probs(pipe, test.summary, n_classes=3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    assert (p.argmax(axis=1) == test.labels).mean() > 0.5  # chance is 1/3


def test_baseline_probs_fill_absent_classes(make_windows: Callable[..., WindowSet]) -> None:
    train = make_windows(30, 2, seed=12)
    two = train.take(train.labels != 1)
    p = baseline_probs(fit_baseline(two), train.summary, n_classes=3)
    assert (p[:, 1] == 0).all()


def test_unknown_kind(make_windows: Callable[..., WindowSet]) -> None:
    with pytest.raises(InvalidParameterError):
        fit_baseline(make_windows(6, 1, seed=1), kind="svm")  # type: ignore[arg-type]
