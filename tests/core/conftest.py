"""Fixtures shared by the model, predict and train tests: tiny configs and synthetic window arrays."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from genrelens.model.config import FeatureParams, ModelConfig
from genrelens.train.data import WindowSet

N_MELS = 24
FRAMES = 32
SUMMARY = ("tempo_bpm", "bass_weight", "spectral_centroid_hz", "onset_rate_hz")
LABELS = ("deep-house", "dubstep", "ambient")


@pytest.fixture
def feature_params() -> FeatureParams:
    return FeatureParams(
        sample_rate=22050,
        n_mels=N_MELS,
        patch_frames=FRAMES,
        hop_length=512,
        n_fft=2048,
        window_s=0.75,
        summary_names=SUMMARY,
        schema_version="test-1",
    )


@pytest.fixture
def config(feature_params: FeatureParams) -> ModelConfig:
    return ModelConfig(
        labels=LABELS,
        features=feature_params,
        conv_channels=(8, 16),
        summary_hidden=16,
        fused_hidden=32,
    )


def synthetic_windows(n_tracks: int, windows_per_track: int, *, seed: int) -> WindowSet:
    """Three classes with distinct spectro-temporal patterns, buried in noise.

    Class 0: steady energy in the low bands with a strong pulse every 4 frames; class 1:
    energy in the high bands with a pulse every 8 frames; class 2: a flat diffuse spectrum
    without pulse. Summary features are weakly informative noisy versions of the same facts.
    """
    rng = np.random.default_rng(seed)
    n = n_tracks * windows_per_track
    labels = np.repeat(np.arange(n_tracks) % 3, windows_per_track).astype(np.int64)
    track_ids = np.repeat(np.arange(n_tracks) + seed * 10_000, windows_per_track).astype(np.int64)
    mel = rng.normal(-40.0, 6.0, size=(n, N_MELS, FRAMES))
    t = np.arange(FRAMES)
    for i, c in enumerate(labels):
        shift = rng.integers(0, 8)
        if c == 0:
            mel[i, : N_MELS // 3] += 12.0
            mel[i, : N_MELS // 3, (t + shift) % 4 == 0] += 10.0
        elif c == 1:
            mel[i, 2 * N_MELS // 3 :] += 12.0
            mel[i, :, (t + shift) % 8 == 0] += 10.0
        else:
            mel[i] += 4.0
    summary = np.stack(
        [
            np.choose(labels, [124.0, 140.0, 80.0]) + rng.normal(0, 20, n),
            np.choose(labels, [0.5, 0.3, 0.2]) + rng.normal(0, 0.2, n),
            np.choose(labels, [1500.0, 2500.0, 2000.0]) + rng.normal(0, 600, n),
            np.choose(labels, [4.0, 3.0, 1.0]) + rng.normal(0, 1.5, n),
        ],
        axis=1,
    )
    return WindowSet(
        logmel=mel.astype(np.float16),
        summary=summary.astype(np.float32),
        labels=labels,
        track_ids=track_ids,
    )


MakeWindows = Callable[..., WindowSet]


@pytest.fixture
def make_windows() -> MakeWindows:
    """Factory of :func:`synthetic_windows` (fixtures cannot be imported by tests)."""
    return synthetic_windows
