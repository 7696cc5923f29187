from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from signals import click_track

from genrelens.features.loudness import LoudnessMeter, summarize_loudness


@pytest.mark.parametrize("sr", [22050, 44100, 48000])
def test_integrated_loudness_matches_pyloudnorm(sr: int) -> None:
    y = click_track(128.0, 20, sr=sr)
    stereo = np.stack([y, 0.5 * y], axis=1)
    meter = LoudnessMeter(sr, 2)
    meter.add(stereo)
    ours = summarize_loudness(np.array(meter.energies), peak=meter.peak).integrated_lufs
    assert ours == pytest.approx(pyloudnorm.Meter(sr).integrated_loudness(stereo), abs=0.1)


def test_streaming_equals_one_pass() -> None:
    y = click_track(128.0, 20)[:, None]
    whole, pieces = LoudnessMeter(22050, 1), LoudnessMeter(22050, 1)
    whole.add(y)
    for piece in np.array_split(y, 7):
        pieces.add(piece)
    assert np.allclose(whole.energies, pieces.energies, rtol=1e-9)


def test_silence_has_no_loudness() -> None:
    meter = LoudnessMeter(22050, 1)
    meter.add(np.zeros((22050 * 5, 1)))
    summary = summarize_loudness(np.array(meter.energies), peak=meter.peak)
    assert summary.integrated_lufs is None and summary.peak_dbfs is None
