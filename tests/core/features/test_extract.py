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


@pytest.mark.parametrize("seconds", [30.0, 68.0, 70.0, 130.5])
def test_a_signal_worked_on_as_it_arrives_gives_the_features_of_the_whole(seconds: float) -> None:
    """Chunk for chunk the same work as on the whole signal, never reading past what arrived
    (68 and 70 s sit either side of a tail short enough to join the chunk before it)."""
    y = click_track(126.0, seconds) + 0.01 * np.random.default_rng(3).standard_normal(int(seconds * SR))
    y = y.astype(np.float32)
    arrived = [0]

    def wait_for(samples: int) -> tuple[int, bool]:
        arrived[0] = max(arrived[0], min(samples, len(y)))
        return arrived[0], samples > len(y)

    def read(start: int, count: int) -> np.ndarray:
        assert start + count <= arrived[0]
        return y[start : start + count]

    whole, streamed = extract_stream(lambda s, n: y[s : s + n], len(y)), extract_stream(read, wait_for)
    np.testing.assert_array_equal(streamed.vectors, whole.vectors)
    np.testing.assert_array_equal(streamed.window_start_s, whole.window_start_s)
    np.testing.assert_array_equal(streamed.beats.times, whole.beats.times)
    np.testing.assert_array_equal(streamed.trace.rms_db, whole.trace.rms_db)
    assert (streamed.beats.bpm, streamed.key, streamed.duration_s) == (
        whole.beats.bpm, whole.key, whole.duration_s)


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
