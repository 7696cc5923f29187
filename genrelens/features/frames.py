"""Frame-level features of one chunk, all derived from its single shared STFT."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genrelens.features import spectral
from genrelens.features.constants import (
    BASS_CUTOFF_HZ,
    HIGH_CUTOFF_HZ,
    HOP_LENGTH,
    N_FFT,
    N_MFCC,
    SUB_CUTOFF_HZ,
)
from genrelens.features.filters import fft_frequencies
from genrelens.features.rhythm import onset_envelopes
from genrelens.features.spectrogram import Spectrogram
from genrelens.features.tonal import chroma

__all__ = ["FrameFeatures", "frame_features"]

_EPS = 1e-10
# Mean square of a frame from its one-sided Hann-windowed power spectrum (Parseval).
_HANN_MEAN_SQUARE = 16.0 / (3.0 * N_FFT**2)


@dataclass(frozen=True)
class FrameFeatures:
    """Per-frame features of a chunk; every array has ``t`` frames on its last axis.

    ``bands`` holds low (< 150 Hz), mid and high (> 3 kHz) onset strength.
    """

    mfcc: np.ndarray
    mfcc_delta: np.ndarray
    centroid: np.ndarray
    bandwidth: np.ndarray
    rolloff: np.ndarray
    flatness: np.ndarray
    contrast: np.ndarray
    chroma: np.ndarray
    zcr: np.ndarray
    rms_db: np.ndarray
    bass_share: np.ndarray
    sub_share: np.ndarray
    high_share: np.ndarray
    onset: np.ndarray
    bands: np.ndarray
    log_mel: np.ndarray


def _band_share(power: np.ndarray, freqs: np.ndarray, lo: float, hi: float) -> np.ndarray:
    mask = (freqs >= lo) & (freqs < hi)
    return np.asarray(power[mask].sum(axis=0) / (power.sum(axis=0) + _EPS), dtype=np.float32)


def _zero_crossing_rate(y: np.ndarray, n_frames: int) -> np.ndarray:
    signs = np.signbit(y)
    crossings = np.concatenate([[0], (signs[1:] != signs[:-1]).astype(np.float32)])
    padded = np.pad(crossings, N_FFT // 2)
    cumulative = np.concatenate([[0.0], np.cumsum(padded)])
    starts = np.arange(n_frames) * HOP_LENGTH
    ends = np.minimum(starts + N_FFT, len(padded))
    return np.asarray((cumulative[ends] - cumulative[starts]) / N_FFT, dtype=np.float32)


def frame_features(y: np.ndarray, spec: Spectrogram) -> FrameFeatures:
    """Compute every frame-level feature of ``y`` from its shared spectrogram ``spec``."""
    sr, power, magnitude = spec.sr, spec.power, spec.magnitude
    freqs = fft_frequencies(sr=sr, n_fft=N_FFT)
    mfcc = spectral.mfcc(spec.log_mel, n_mfcc=N_MFCC)
    onset, bands = onset_envelopes(spec.log_mel, sr=sr)
    rms = np.sqrt(power.sum(axis=0) * _HANN_MEAN_SQUARE)
    centroid = spectral.centroid(magnitude, freqs)
    return FrameFeatures(
        mfcc=mfcc.astype(np.float32),
        mfcc_delta=spectral.delta(mfcc).astype(np.float32),
        centroid=centroid,
        bandwidth=spectral.bandwidth(magnitude, freqs, centroid),
        rolloff=spectral.rolloff(magnitude, freqs),
        flatness=spectral.flatness(power),
        contrast=spectral.contrast(magnitude, freqs),
        chroma=chroma(power, sr=sr),
        zcr=_zero_crossing_rate(y, spec.n_frames),
        rms_db=(20.0 * np.log10(rms + 1e-6)).astype(np.float32),
        bass_share=_band_share(power, freqs, 0.0, BASS_CUTOFF_HZ),
        sub_share=_band_share(power, freqs, 0.0, SUB_CUTOFF_HZ),
        high_share=_band_share(power, freqs, HIGH_CUTOFF_HZ, sr / 2 + 1),
        onset=onset,
        bands=bands,
        log_mel=spec.log_mel,
    )
