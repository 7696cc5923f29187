"""Tests of the 'is this electronic music?' gate on audio the tests render."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.backbone.embed import MusicnnBackbone
from genrelens.backbone.frontend import SAMPLE_RATE
from genrelens.backbone.gate import (
    ACOUSTIC_TAGS,
    ELECTRONIC_TAGS,
    electronic_gate,
    electronic_score,
    gate_from_outputs,
)
from genrelens.backbone.tags import TAGS
from genrelens.errors import InvalidParameterError


def test_gate_tags_exist() -> None:
    for model, tags in TAGS.items():
        assert set(ELECTRONIC_TAGS[model]) <= set(tags)
        assert set(ACOUSTIC_TAGS[model]) <= set(tags)
        assert not set(ELECTRONIC_TAGS[model]) & set(ACOUSTIC_TAGS[model])


def test_score_is_the_documented_ratio() -> None:
    probs = np.zeros(50)
    probs[TAGS["msd"].index("House")] = 0.6
    probs[TAGS["msd"].index("jazz")] = 0.2
    assert float(electronic_score(probs, model="msd")) == pytest.approx(0.75, abs=1e-5)
    assert electronic_score(np.stack([probs, probs]), model="msd").shape == (2,)
    with pytest.raises(InvalidParameterError):
        electronic_score(probs[:10], model="msd")
    with pytest.raises(InvalidParameterError):
        electronic_score(probs, model="gtzan")


def test_club_loop_is_electronic_and_piano_is_not(signals: dict[str, np.ndarray]) -> None:
    club = electronic_gate(signals["club_loop"], sr=SAMPLE_RATE)
    piano = electronic_gate(signals["piano_like"], sr=SAMPLE_RATE)
    assert club.is_electronic and club.probability > 0.9
    assert not piano.is_electronic and piano.probability < 0.4
    assert set(club.per_model) == {"msd", "mtt"}
    assert club.evidence["mtt"][0][0] == "techno"


def test_gate_from_outputs_validates(msd: MusicnnBackbone, signals: dict[str, np.ndarray]) -> None:
    out = msd.analyze(signals["noise"], sr=SAMPLE_RATE)
    gate = gate_from_outputs([out])
    assert 0.0 <= gate.probability <= 1.0
    assert gate.per_model == {"msd": pytest.approx(gate.probability)}
    with pytest.raises(InvalidParameterError):
        gate_from_outputs([])
    with pytest.raises(InvalidParameterError):
        gate_from_outputs([out], threshold=1.5)
