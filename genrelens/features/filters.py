"""Filterbanks built with numpy alone: mel (Slaney, as librosa), chroma, and the K-weighting FIR.

Building them here keeps librosa (and its numba JIT) out of the analysis path, which is what
makes a cold ``genrelens analyze`` start in about a second; tests check the mel bank against
``librosa.filters.mel``.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from genrelens.errors import InvalidParameterError

__all__ = ["fft_frequencies", "mel_frequencies", "mel_filterbank", "chroma_filterbank", "dct_matrix",
           "biquad_impulse_response"]

_F_SP = 200.0 / 3
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = math.log(6.4) / 27.0
_CHROMA_FMIN_HZ = 55.0
_CHROMA_FMAX_HZ = 5000.0
_CHROMA_WIDTH_SEMITONES = 0.5


def fft_frequencies(*, sr: int, n_fft: int) -> np.ndarray:
    """Centre frequency of each one-sided FFT bin [Hz], shape (1 + n_fft // 2,)."""
    return np.linspace(0.0, sr / 2, 1 + n_fft // 2)


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz / _F_SP
    log = _MIN_LOG_MEL + np.log(np.maximum(hz, 1e-10) / _MIN_LOG_HZ) / _LOGSTEP
    return np.where(hz >= _MIN_LOG_HZ, log, linear)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    linear = _F_SP * mel
    log = _MIN_LOG_HZ * np.exp(_LOGSTEP * (mel - _MIN_LOG_MEL))
    return np.where(mel >= _MIN_LOG_MEL, log, linear)


def mel_frequencies(n_mels: int, *, fmin: float, fmax: float) -> np.ndarray:
    """``n_mels`` frequencies [Hz] evenly spaced on the Slaney mel scale."""
    low, high = _hz_to_mel(np.array(fmin)), _hz_to_mel(np.array(fmax))
    return np.asarray(_mel_to_hz(np.linspace(low, high, n_mels)))


@cache
def mel_filterbank(*, sr: int, n_fft: int, n_mels: int, fmin: float) -> np.ndarray:
    """Slaney-normalised triangular mel filters [shape=(n_mels, 1 + n_fft // 2)], float32."""
    if n_mels <= 0 or not 0 <= fmin < sr / 2:
        raise InvalidParameterError(f"need n_mels > 0 and 0 <= fmin < sr/2, got {n_mels}, {fmin}")
    fft_hz = fft_frequencies(sr=sr, n_fft=n_fft)
    edges = mel_frequencies(n_mels + 2, fmin=fmin, fmax=sr / 2)
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_hz[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return np.asarray(weights, dtype=np.float32)


@cache
def chroma_filterbank(*, sr: int, n_fft: int) -> np.ndarray:
    """Pitch-class weights [shape=(12, 1 + n_fft // 2)], C first, A440 tuning.

    Each bin between 55 Hz and 5 kHz votes for the pitch classes within about half a semitone
    of its frequency (Gaussian in semitones), so a partial lands on its note's class.
    """
    fft_hz = fft_frequencies(sr=sr, n_fft=n_fft)
    usable = (fft_hz >= _CHROMA_FMIN_HZ) & (fft_hz <= _CHROMA_FMAX_HZ)
    midi = 69.0 + 12.0 * np.log2(np.maximum(fft_hz, 1e-10) / 440.0)
    classes = np.arange(12)[:, None]
    distance = (midi[None, :] - classes + 6.0) % 12.0 - 6.0
    weights = np.exp(-0.5 * (distance / _CHROMA_WIDTH_SEMITONES) ** 2) * usable[None, :]
    return np.asarray(weights, dtype=np.float32)


@cache
def dct_matrix(n: int) -> np.ndarray:
    """Orthonormal DCT-II basis [shape=(n, n)]: ``dct_matrix(n) @ x`` is ``scipy.fft.dct(x, norm="ortho")``.

    A matrix product over the few mel bands costs nothing and keeps scipy.fft (0.3 s of imports
    on a cold start) out of the analysis.
    """
    k = np.arange(n)[:, None]
    basis = np.cos(np.pi * k * (2 * np.arange(n)[None, :] + 1) / (2 * n)) * math.sqrt(2.0 / n)
    basis[0] /= math.sqrt(2.0)
    return basis


def biquad_impulse_response(sos: np.ndarray, n: int) -> np.ndarray:
    """First ``n`` samples of the impulse response of a cascade of biquads ``sos`` [shape=(k, 6)].

    Lets a stable IIR filter run as an FFT convolution (numpy only) once its response has
    decayed below float32 precision within ``n`` samples.
    """
    signal = np.zeros(n)
    signal[0] = 1.0
    for b0, b1, b2, _, a1, a2 in sos:
        out = np.zeros(n)
        x1 = x2 = y1 = y2 = 0.0
        for i, x in enumerate(signal):
            y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            out[i], x2, x1, y2, y1 = y, x1, x, y1, y
        signal = out
    return signal
