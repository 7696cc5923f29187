"""Chroma from the shared STFT, the key chroma, and the musical key with its Camelot code.

The shared STFT (2048 points at 22.05 kHz, 10.8 Hz bins) cannot place low notes: a semitone is
3-6 Hz wide below 100 Hz, so the bins at 64.6 and 129.2 Hz land on C2 and C3 and every kick
and sub-bass rumble voted for C (64 % of 736 real clips came out C; issue 14). The key
therefore has its own chroma, from peaks of a long-window spectrum of the decimated signal
(2.7 Hz bins), each peak placed at its interpolated frequency; the model's chroma features are
unchanged.

The key is the major or minor profile, rotated to each tonic, that correlates best with the key
chroma (Krumhansl-Schmuckler). The profiles are the "edma" ones, derived from electronic dance
music: on realdev, with Essentia's edma key as the reference (bench/bench_dj.py,
docs/benchmarks.md), the whole analysis agrees more with them than with the Krumhansl-Kessler
profiles (MIREX 0.447 against 0.432 over 698 clips; hard techno equal, AudioSet 0.561 against
0.506, Emotify 0.727 against 0.665), and on rendered clips as well (0.403 against 0.395 of 156).
The Krumhansl-Kessler profiles stay for the librosa baseline.

References
----------
Krumhansl, C. L. (1990). Cognitive Foundations of Musical Pitch. Oxford University Press
(the Krumhansl-Kessler key profiles correlated with a chroma vector, as in Krumhansl-Schmuckler).
Faraldo, A., Gomez, E., Jorda, S., Herrera, P. (2016). Key Estimation in Electronic Dance Music.
ECIR 2016, LNCS 9626 (the "edma" profiles, as Essentia ships them).
Gomez, E. (2006). Tonal Description of Music Audio Signals. PhD thesis, UPF (pitch-class
profiles from spectral peaks with a cosine weighting around each semitone).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import soxr

from genrelens.errors import InvalidParameterError
from genrelens.features.constants import N_FFT, SAMPLE_RATE
from genrelens.features.filters import chroma_filterbank

__all__ = ["KEY_PROFILES", "MIN_CHROMA_PEAKINESS", "PITCH_CLASSES", "Key", "KeyProfile", "chroma",
           "key_chroma", "estimate_key", "camelot", "relative_chroma"]

PITCH_CLASSES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
#: Strongest over mean pitch class below which there is no key: white noise measures 1.29,
#: the flattest rendered music (neurofunk) 1.54.
MIN_CHROMA_PEAKINESS = 1.4
KeyProfile = Literal["edma", "krumhansl"]
#: (major, minor) weight of each scale degree from the tonic, for each profile family.
KEY_PROFILES: dict[KeyProfile, tuple[np.ndarray, np.ndarray]] = {
    "edma": (np.array([1.00, 0.29, 0.50, 0.40, 0.60, 0.56, 0.32, 0.80, 0.31, 0.45, 0.42, 0.39]),
             np.array([1.00, 0.31, 0.44, 0.58, 0.33, 0.49, 0.29, 0.78, 0.43, 0.29, 0.53, 0.32])),
    "krumhansl": (
        np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]),
        np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])),
}
# Key chroma: the signal is decimated by 4 (5.5 kHz) and framed in 2048 points (0.37 s, 2.7 Hz
# bins). Peaks from 60 Hz to 1.5 kHz count: lower is kick and sub rumble, higher mostly
# harmonics and hats; within 60 dB of the frame's loudest. On 156 rendered clips and 698
# realdev clips (bench/bench_dj.py) these limits beat 40, 100, 150 Hz and 2.5 kHz, a 4096-point
# frame, squared or square-rooted weights and tuning estimation, or were within noise of them.
_KEY_DECIMATION = 4
_KEY_FFT = 2048
_KEY_HOP = 1024
_KEY_FMIN_HZ = 60.0
_KEY_FMAX_HZ = 1500.0
_KEY_FLOOR_DB = 60.0
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


def _decimate(y: np.ndarray, factor: int) -> np.ndarray:
    """``y`` at 1/``factor`` of its rate through soxr's low-pass (alias-free below 0.9 x Nyquist).

    A chunk's length is arbitrary, and one FFT over it cost 0.3 s when it has large prime
    factors; soxr streams in 3 ms whatever the length, and the key reads peaks below 1.5 kHz
    only, far inside the pass band (2.76 kHz Nyquist after decimation by 4).
    """
    resampled = soxr.resample(y, float(factor), 1.0, quality="HQ")  # only the ratio counts
    return np.asarray(resampled[: len(y) // factor], dtype=np.float64)


def key_chroma(y: np.ndarray, *, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Pitch-class weights [shape=(12,)] of the spectral peaks of ``y``, for the key.

    Each frame's peaks between 60 Hz and 1.5 kHz are located by parabolic interpolation of the
    dB spectrum and weighted by their magnitude relative to the frame's strongest peak (a loud
    drop and a quiet breakdown vote alike); each peak adds cos^2 of its distance in semitones
    to the two nearest pitch classes. Tuning is taken as A440: estimating it measured no better.
    """
    low_rate = sr / _KEY_DECIMATION
    x = _decimate(np.asarray(y, dtype=np.float64), _KEY_DECIMATION)
    if len(x) < _KEY_FFT:
        x = np.pad(x, (0, _KEY_FFT - len(x)))
    n_frames = 1 + (len(x) - _KEY_FFT) // _KEY_HOP
    frames = np.lib.stride_tricks.sliding_window_view(x, _KEY_FFT)[:: _KEY_HOP][:n_frames]
    db = 20.0 * np.log10(np.abs(np.fft.rfft(frames * np.hanning(_KEY_FFT), axis=1)) + 1e-12)
    lo = int(np.ceil(_KEY_FMIN_HZ * _KEY_FFT / low_rate))
    hi = int(_KEY_FMAX_HZ * _KEY_FFT / low_rate)
    left, centre, right = db[:, lo - 1 : hi - 1], db[:, lo:hi], db[:, lo + 1 : hi + 1]
    floor = db.max(axis=1, keepdims=True) - _KEY_FLOOR_DB
    frame, k = np.nonzero((centre > left) & (centre >= right) & (centre > floor))
    out = np.zeros(12)
    if len(frame) == 0:
        return out
    a, b, c = left[frame, k], centre[frame, k], right[frame, k]
    curvature = a - 2 * b + c
    shift = np.where(curvature < 0, 0.5 * (a - c) / np.where(curvature < 0, curvature, -1.0), 0.0)
    amplitude = 10.0 ** ((b - 0.25 * (a - c) * shift) / 20.0)
    loudest = np.zeros(n_frames)
    np.maximum.at(loudest, frame, amplitude)
    weight = amplitude / loudest[frame]
    semitone = (69.0 + 12.0 * np.log2((k + lo + shift) * low_rate / _KEY_FFT / 440.0)) % 12.0
    below = np.floor(semitone)
    for offset in (0.0, 1.0):
        distance = semitone - (below + offset)
        np.add.at(out, (below + offset).astype(int) % 12, weight * np.cos(0.5 * np.pi * distance) ** 2)
    return out


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


def estimate_key(chroma_sum: np.ndarray, *, tonality: np.ndarray | None = None,
                 profile: KeyProfile = "edma") -> Key | None:
    """Key of a summed chroma vector [shape=(12,)] by profile correlation, None if atonal.

    Returns None when ``tonality`` (default: ``chroma_sum`` itself) is flat (silence, noise,
    drums only), because a key forced on such audio would be noise. The analysis passes the
    shared STFT's chroma there: its flatness limit ``MIN_CHROMA_PEAKINESS`` was measured on
    noise and music, while the key chroma of white noise (1.23-1.38) overlaps real music.
    """
    if chroma_sum.shape != (12,):
        raise InvalidParameterError(f"chroma_sum must have shape (12,), got {chroma_sum.shape}")
    evidence = chroma_sum if tonality is None else tonality
    if evidence.shape != (12,):
        raise InvalidParameterError(f"tonality must have shape (12,), got {evidence.shape}")
    for vector in (chroma_sum, evidence):
        if not np.isfinite(vector).all() or vector.max() <= 0:
            return None
    if evidence.max() / evidence.mean() < MIN_CHROMA_PEAKINESS:
        return None
    values = _zscore(chroma_sum.astype(np.float64))
    if not values.any():
        return None
    scores = []
    for mode, weights in zip(("major", "minor"), KEY_PROFILES[profile], strict=True):
        for tonic in range(12):
            scores.append((float(values @ _zscore(np.roll(weights, tonic))) / 12, tonic, mode))
    scores.sort(reverse=True)
    best, second = scores[0], scores[1]
    confidence = float(np.clip((best[0] - second[0]) * 4 + max(best[0], 0) * 0.5, 0.0, 1.0))
    return Key(PITCH_CLASSES[best[1]], best[2], confidence)


def relative_chroma(chroma_mean: np.ndarray) -> np.ndarray:
    """Rotate a mean chroma [shape=(12,)] so its strongest class comes first (key-invariant)."""
    return np.roll(chroma_mean, -int(np.argmax(chroma_mean)))
