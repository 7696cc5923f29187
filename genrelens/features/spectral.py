"""Frame-wise spectral descriptors from a magnitude STFT, numpy only.

Definitions follow librosa's (``spectral_centroid``, ``spectral_bandwidth``,
``spectral_rolloff``, ``spectral_flatness``, ``spectral_contrast``, ``mfcc``); the tests compare
them with librosa on the same spectrogram.

References
----------
Jiang, D.-N., Lu, L., Zhang, H.-J., Tao, J.-H., & Cai, L.-H. (2002). Music type classification
by spectral contrast feature. ICME.
"""

from __future__ import annotations

import numpy as np

from genrelens.features.filters import dct_matrix

__all__ = ["centroid", "bandwidth", "rolloff", "flatness", "contrast", "mfcc", "delta",
           "CONTRAST_BANDS", "CONTRAST_FMIN"]

CONTRAST_BANDS = 6
CONTRAST_FMIN = 200.0
_CONTRAST_QUANTILE = 0.02
_ROLL_PERCENT = 0.85
_AMIN = 1e-10
_DELTA_WIDTH = 4


def _normalised(magnitude: np.ndarray) -> np.ndarray:
    total = magnitude.sum(axis=0, keepdims=True)
    return np.asarray(magnitude / np.where(total > _AMIN, total, 1.0))


def centroid(magnitude: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Spectral centroid [Hz] of each frame [shape=(t,)]."""
    return np.asarray(freqs @ _normalised(magnitude))


def bandwidth(magnitude: np.ndarray, freqs: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Second-order spectral bandwidth [Hz] around ``centre`` [shape=(t,)]."""
    weights = _normalised(magnitude)
    return np.asarray(np.sqrt((weights * (freqs[:, None] - centre[None, :]) ** 2).sum(axis=0)))


def rolloff(magnitude: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Frequency [Hz] below which 85 % of each frame's magnitude lies [shape=(t,)]."""
    cumulative = np.cumsum(magnitude, axis=0)
    threshold = _ROLL_PERCENT * cumulative[-1]
    index = np.argmax(cumulative >= threshold[None, :], axis=0)
    return np.asarray(np.where(cumulative[-1] > 0, freqs[index], 0.0))


def flatness(power: np.ndarray) -> np.ndarray:
    """Geometric over arithmetic mean of each frame's power, 0 (tonal) to 1 (noise)."""
    clipped = np.maximum(power, _AMIN)
    return np.asarray(np.exp(np.log(clipped).mean(axis=0)) / clipped.mean(axis=0))


def contrast(magnitude: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Octave-band peak-to-valley ratio [dB] [shape=(CONTRAST_BANDS + 1, t)].

    Bands start at 200 Hz (the first band is everything below); peak and valley are the mean
    of the top and bottom 2 % of each band's bins.
    """
    edges = np.zeros(CONTRAST_BANDS + 2)
    edges[1:] = CONTRAST_FMIN * 2.0 ** np.arange(CONTRAST_BANDS + 1)
    rows = []
    for k, (low, high) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        in_band = (freqs >= low) & (freqs <= high)
        index = np.flatnonzero(in_band)
        if k > 0:
            in_band[index[0] - 1] = True
        if k == CONTRAST_BANDS:
            in_band[index[-1] + 1 :] = True
        band = magnitude[in_band]
        if k < CONTRAST_BANDS:
            band = band[:-1]
        n = max(int(np.rint(_CONTRAST_QUANTILE * in_band.sum())), 1)
        valley = np.partition(band, n - 1, axis=0)[:n].mean(axis=0)
        peak = np.partition(band, len(band) - n, axis=0)[-n:].mean(axis=0)
        rows.append(10.0 * (np.log10(np.maximum(peak, _AMIN)) - np.log10(np.maximum(valley, _AMIN))))
    return np.asarray(rows)


def mfcc(log_mel: np.ndarray, *, n_mfcc: int) -> np.ndarray:
    """MFCCs [shape=(n_mfcc, t)]: orthonormal DCT-II of the log-mel spectrogram [dB]."""
    coefficients = dct_matrix(log_mel.shape[0])[:n_mfcc] @ log_mel
    return np.asarray(coefficients, dtype=np.result_type(log_mel.dtype, np.float32))


def delta(features: np.ndarray) -> np.ndarray:
    """Regression slope over +-4 frames (HTK deltas), edges padded by repetition."""
    padded = np.pad(features, ((0, 0), (_DELTA_WIDTH, _DELTA_WIDTH)), mode="edge")
    t = features.shape[1]
    weights = np.arange(1, _DELTA_WIDTH + 1)
    total = sum(w * (padded[:, _DELTA_WIDTH + w : _DELTA_WIDTH + w + t]
                     - padded[:, _DELTA_WIDTH - w : _DELTA_WIDTH - w + t]) for w in weights)
    return np.asarray(total / (2.0 * float((weights**2).sum())))
