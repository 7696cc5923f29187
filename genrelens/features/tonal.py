"""Chroma from the shared STFT, and the musical key with its Camelot code.

References
----------
Krumhansl, C. L. (1990). Cognitive Foundations of Musical Pitch. Oxford University Press
(the Krumhansl-Kessler key profiles correlated with a chroma vector, as in Krumhansl-Schmuckler).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genrelens.errors import InvalidParameterError
from genrelens.features.constants import N_FFT, SAMPLE_RATE
from genrelens.features.filters import chroma_filterbank

__all__ = ["MIN_CHROMA_PEAKINESS", "PITCH_CLASSES", "Key", "chroma", "estimate_key", "camelot",
           "relative_chroma"]

PITCH_CLASSES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
#: Strongest over mean pitch class below which there is no key: white noise measures 1.29,
#: the flattest rendered music (neurofunk) 1.54.
MIN_CHROMA_PEAKINESS = 1.4
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
# Camelot wheel numbers indexed by tonic pitch class (C = 0).
_CAMELOT_MAJOR = (8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1)
_CAMELOT_MINOR = (5, 12, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10)


@dataclass(frozen=True)
class Key:
    """A key estimate; ``confidence`` in [0, 1] is the correlation lead of the best key."""

    tonic: str
    mode: str
    confidence: float

    @property
    def name(self) -> str:
        return f"{self.tonic} {self.mode}"

    @property
    def camelot(self) -> str:
        return camelot(PITCH_CLASSES.index(self.tonic), self.mode)


def chroma(power: np.ndarray, *, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Chroma [shape=(12, t)] from a power STFT, each frame max-normalised.

    Tuning is assumed at A440: electronic music is produced on tuned instruments, and the
    tuning estimate alone would cost more than the whole rest of the tonal analysis.
    """
    raw = chroma_filterbank(sr=sr, n_fft=N_FFT) @ power
    peak = raw.max(axis=0, keepdims=True)
    return np.asarray(raw / np.maximum(peak, 1e-10), dtype=np.float32)


def camelot(tonic_index: int, mode: str) -> str:
    """Camelot code of a key: ``camelot(9, "minor") == "8A"``."""
    if mode == "minor":
        return f"{_CAMELOT_MINOR[tonic_index % 12]}A"
    if mode == "major":
        return f"{_CAMELOT_MAJOR[tonic_index % 12]}B"
    raise InvalidParameterError(f"mode must be 'major' or 'minor', got {mode!r}")


def _zscore(v: np.ndarray) -> np.ndarray:
    std = v.std()
    return (v - v.mean()) / std if std > 0 else np.zeros_like(v)


def estimate_key(chroma_sum: np.ndarray) -> Key | None:
    """Krumhansl-Schmuckler key of a summed chroma vector [shape=(12,)], None if atonal.

    Returns None when the chroma is flat (silence, noise, drums only), because a key forced on
    such audio would be noise.
    """
    if chroma_sum.shape != (12,):
        raise InvalidParameterError(f"chroma_sum must have shape (12,), got {chroma_sum.shape}")
    if not np.isfinite(chroma_sum).all() or chroma_sum.max() <= 0:
        return None
    if chroma_sum.max() / chroma_sum.mean() < MIN_CHROMA_PEAKINESS:
        return None
    values = _zscore(chroma_sum.astype(np.float64))
    if not values.any():
        return None
    scores = []
    for mode, profile in (("major", _MAJOR), ("minor", _MINOR)):
        for tonic in range(12):
            scores.append((float(values @ _zscore(np.roll(profile, tonic))) / 12, tonic, mode))
    scores.sort(reverse=True)
    best, second = scores[0], scores[1]
    confidence = float(np.clip((best[0] - second[0]) * 4 + max(best[0], 0) * 0.5, 0.0, 1.0))
    return Key(PITCH_CLASSES[best[1]], best[2], confidence)


def relative_chroma(chroma_mean: np.ndarray) -> np.ndarray:
    """Rotate a mean chroma [shape=(12,)] so its strongest class comes first (key-invariant)."""
    return np.roll(chroma_mean, -int(np.argmax(chroma_mean)))
