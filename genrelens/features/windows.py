"""Analysis windows: the named feature vector of each window (schema ``FEATURE_SCHEMA_VERSION``).

Each window of ``WINDOW_FRAMES`` STFT frames gets one vector of summary statistics (the input of
the scikit-learn baseline and of the network's summary branch) and a log-mel patch (the input of
the network's convolutional branch).
"""

from __future__ import annotations

import numpy as np

from genrelens.features.constants import FRAMES_PER_SECOND, N_MFCC
from genrelens.features.frames import FrameFeatures
from genrelens.features.rhythm import (
    AUTOCORR_LAGS_BEATS,
    Beats,
    onset_rate,
    rhythm_autocorrelation,
    subdivision_profile,
)
from genrelens.features.tonal import relative_chroma

__all__ = ["FEATURE_NAMES", "N_FEATURES", "window_vector", "kick_on_beats"]


def _names() -> tuple[str, ...]:
    names = [f"mfcc_mean_{i}" for i in range(N_MFCC)]
    names += [f"mfcc_std_{i}" for i in range(N_MFCC)]
    names += [f"mfcc_delta_std_{i}" for i in range(N_MFCC)]
    names += ["spectral_centroid_hz", "spectral_centroid_std_hz", "spectral_bandwidth_hz",
              "spectral_rolloff_hz", "spectral_flatness", "zero_crossing_rate"]
    names += [f"spectral_contrast_{i}" for i in range(7)]
    names += [f"chroma_relative_{i}" for i in range(12)]
    names += ["chroma_peakiness", "rms_db", "rms_std_db", "bass_weight", "sub_weight",
              "high_weight", "onset_strength_mean", "onset_strength_std", "onset_rate_hz",
              "tempo_bpm", "beat_confidence", "kick_on_beats"]
    names += [f"low_subdivision_{i}" for i in range(4)]
    names += [f"high_subdivision_{i}" for i in range(4)]
    names += [f"rhythm_autocorr_{lag:.2f}" for lag in AUTOCORR_LAGS_BEATS]
    return tuple(names)


#: Names of the window feature vector, in order.
FEATURE_NAMES = _names()
N_FEATURES = len(FEATURE_NAMES)


def kick_on_beats(low_band: np.ndarray, beat_times: np.ndarray) -> float:
    """Share of beats with a kick-band onset at least half the band's 97th percentile."""
    inside = beat_times[(beat_times >= 1) & (beat_times < len(low_band) - 1)]
    if len(inside) == 0 or low_band.max(initial=0.0) <= 0:
        return 0.0
    frames = np.clip(np.round(inside).astype(int), 1, len(low_band) - 2)
    local = np.maximum.reduce([low_band[frames - 1], low_band[frames], low_band[frames + 1]])
    reference = float(np.percentile(low_band, 97)) or float(low_band.max())
    return float(np.mean(local >= 0.5 * reference))


def window_vector(frames: FrameFeatures, start: int, stop: int, beats: Beats) -> np.ndarray:
    """The ``FEATURE_NAMES`` vector [shape=(N_FEATURES,)] of frames ``[start, stop)``.

    ``beats`` is the beat grid of the chunk (frame times relative to the chunk start).
    """
    part = slice(start, stop)
    window_beats = beats.times[(beats.times >= start) & (beats.times < stop)] - start
    onset = frames.onset[part]
    low, high = frames.bands[0, part], frames.bands[2, part]
    period = 60.0 * FRAMES_PER_SECOND / beats.bpm if beats.bpm > 0 else 0.0
    chroma_mean = frames.chroma[:, part].mean(axis=1)
    values = np.concatenate([
        frames.mfcc[:, part].mean(axis=1),
        frames.mfcc[:, part].std(axis=1),
        frames.mfcc_delta[:, part].std(axis=1),
        [frames.centroid[part].mean(), frames.centroid[part].std(),
         frames.bandwidth[part].mean(), frames.rolloff[part].mean(),
         frames.flatness[part].mean(), frames.zcr[part].mean()],
        frames.contrast[:, part].mean(axis=1),
        relative_chroma(chroma_mean),
        [chroma_mean.max() / (chroma_mean.mean() + 1e-6),
         frames.rms_db[part].mean(), frames.rms_db[part].std(),
         frames.bass_share[part].mean(), frames.sub_share[part].mean(),
         frames.high_share[part].mean(), onset.mean(), onset.std(), onset_rate(onset),
         beats.bpm, beats.confidence, kick_on_beats(low, window_beats)],
        subdivision_profile(low, window_beats),
        subdivision_profile(high, window_beats),
        rhythm_autocorrelation(onset, period),
    ])
    return values.astype(np.float32)
