"""Unsure decisions: every reason that applies, under the given limits, and the structure rule."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

from genrelens.backbone.gate import ElectronicGate
from genrelens.errors import InvalidParameterError
from genrelens.predict.unsure import Reason, no_model_confidence, unsure_decision, with_structure_check
from genrelens.result import Confidence, KeyInfo, TempoInfo

SURE = Confidence(False, [], 0.8, 0.5, 0.9)
NO_PULSE = TempoInfo(bpm=None, confidence=0.0, alternatives=(), stable=False, beats_analyzed=0)
PULSE = TempoInfo(bpm=124.0, confidence=0.9, alternatives=(62.0, 248.0), stable=True, beats_analyzed=200)
A_MINOR = KeyInfo("A", "minor", "A minor", "8A", 0.7)


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


def test_audio_without_pulse_or_key_is_unsure_whatever_the_model_says() -> None:
    checked = with_structure_check(SURE, tempo=NO_PULSE, key=None)
    assert checked.unsure and checked.reasons == ["no_musical_structure"]
    assert with_structure_check(checked, tempo=NO_PULSE, key=None) == checked  # added once


def test_every_reason_given_is_in_the_vocabulary() -> None:
    given = {*with_structure_check(SURE, tempo=NO_PULSE, key=None).reasons,
             *unsure_decision(np.full(4, 0.25)).reasons,
             *no_model_confidence(None, low_signal=True).reasons}
    assert given <= set(get_args(Reason))


@pytest.mark.parametrize("tempo,key", [(PULSE, None), (NO_PULSE, A_MINOR), (PULSE, A_MINOR)])
def test_a_pulse_or_a_key_keeps_the_models_confidence(tempo: TempoInfo, key: KeyInfo | None) -> None:
    assert with_structure_check(SURE, tempo=tempo, key=key) == SURE


def test_without_a_model_the_answer_is_unsure_with_every_reason() -> None:
    assert no_model_confidence(None, low_signal=False) == Confidence(True, ["no_model"], None, None, None)
    gate = ElectronicGate(probability=0.123456, is_electronic=False, per_model={}, evidence={})
    confidence = no_model_confidence(gate, low_signal=True)
    assert confidence.reasons == ["no_model", "low_signal", "not_electronic"]
    assert confidence.electronic_probability == 0.1235
