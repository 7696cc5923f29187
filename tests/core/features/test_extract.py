from __future__ import annotations

import numpy as np
import pytest
import soxr
from hypothesis import given, settings
from hypothesis import strategies as st
from signals import SR, click_track

from genrelens.errors import InvalidAudioError, InvalidParameterError
from genrelens.features.constants import N_MELS, WINDOW_FRAMES
from genrelens.features.extract import (
    CHUNK_WINDOWS,
    chunk_plan,
    extract_signal,
    extract_stream,
    window_starts,
)
from genrelens.features.windows import FEATURE_NAMES, N_FEATURES


def test_windows_have_the_documented_shapes() -> None:
    track, batch = extract_signal(click_track(128.0, 30))
    n = len(track.window_start_s)
    assert batch.vectors.shape == (n, N_FEATURES) == track.vectors.shape
    assert batch.log_mel.shape == (n, N_MELS, WINDOW_FRAMES)
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES)) == N_FEATURES


def test_a_clip_shorter_than_a_window_gets_one_window() -> None:
    _, batch = extract_signal(click_track(128.0, 4))
    assert batch.vectors.shape[0] == 1 and batch.log_mel.shape[2] == WINDOW_FRAMES


def test_chunking_covers_every_window_once() -> None:
    for n in (1, 15, 16, 17, 21, 22, 100):
        plan = chunk_plan(n)
        assert plan[0][0] == 0 and plan[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(plan, plan[1:], strict=False))
        assert all(stop - first <= CHUNK_WINDOWS + 6 for first, stop in plan)


def test_streamed_long_signal_reads_in_bounded_pieces() -> None:
    y = click_track(124.0, 200)
    longest = []

    def read(start: int, count: int) -> np.ndarray:
        longest.append(count)
        return y[start : start + count]

    track = extract_stream(read, len(y))
    assert max(longest) < 60 * SR
    assert track.beats.bpm == pytest.approx(124.0, abs=0.05)


def test_invalid_input_is_refused() -> None:
    with pytest.raises(InvalidAudioError):
        extract_signal(np.zeros((2, SR * 5), dtype=np.float32))
    with pytest.raises(InvalidParameterError):
        window_starts(0)
    with pytest.raises(InvalidParameterError, match="sr=44100"):
        extract_signal(np.zeros(SR * 5, dtype=np.float32), sr=44100)


@settings(max_examples=20, deadline=None)
@given(
    seconds=st.floats(3.0, 12.0),
    sr=st.sampled_from([8000, 16000, 22050, 44100]),
    gain=st.floats(1e-6, 1.0),
    seed=st.integers(0, 2**16),
)
def test_any_finite_signal_gives_finite_features(seconds: float, sr: int, gain: float,
                                                 seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = (gain * rng.uniform(-1, 1, int(seconds * sr))).astype(np.float32)
    track, batch = extract_signal(soxr.resample(y, sr, SR).astype(np.float32))
    assert np.isfinite(batch.vectors).all() and np.isfinite(batch.log_mel).all()
    assert batch.vectors.shape[1] == N_FEATURES
