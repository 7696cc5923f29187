"""Unsure decisions: every reason that applies, under the given limits."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.errors import InvalidParameterError
from genrelens.predict.unsure import unsure_decision


def test_confident_answer_is_not_unsure() -> None:
    d = unsure_decision(np.array([0.8, 0.1, 0.05, 0.05]))
    assert not d.unsure and d.reasons == []
    assert d.top_probability == pytest.approx(0.8) and d.margin == pytest.approx(0.7)


def test_flat_answer_is_unsure_with_reasons() -> None:
    d = unsure_decision(np.full(10, 0.1))
    assert d.unsure
    assert {"low_top_probability", "small_margin", "high_entropy"} <= set(d.reasons)


@pytest.mark.parametrize(
    "kwargs,reason",
    [
        ({"low_signal": True}, "low_signal"),
        ({"electronic_probability": 0.05}, "not_electronic"),
        ({"ood_fraction": 0.9}, "out_of_distribution"),
    ],
)
def test_external_reasons(kwargs: dict[str, object], reason: str) -> None:
    d = unsure_decision(np.array([0.9, 0.05, 0.05]), **kwargs)  # type: ignore[arg-type]
    assert d.unsure and d.reasons == [reason]


def test_invalid_probs() -> None:
    with pytest.raises(InvalidParameterError):
        unsure_decision(np.array([1.0]))
    with pytest.raises(InvalidParameterError):
        unsure_decision(np.array([np.nan, 1.0]))
