"""One STFT per chunk, from which every frame-level feature of that chunk is derived.

Computed with ``numpy.fft`` on a strided frame view (Hann window, centred frames with zero
padding, as ``librosa.stft``'s defaults) so that no numba code is compiled at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from genrelens.errors import InvalidAudioError, InvalidParameterError
from genrelens.features.constants import FMIN, HOP_LENGTH, N_FFT, N_MELS, SAMPLE_RATE
from genrelens.features.filters import mel_filterbank

__all__ = ["Spectrogram", "spectrogram", "stft_magnitude", "LOG_FLOOR"]

#: Power floor of the log-mel spectrogram (-100 dB re 1.0).
LOG_FLOOR = 1e-10
#: Frames transformed at once (about 2 MB of windowed frames).
_BLOCK_FRAMES = 256


@cache
def _window() -> np.ndarray:
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


@dataclass(frozen=True)
class Spectrogram:
    """Power and magnitude STFT plus the log-mel spectrogram of one chunk of audio.

    Attributes
    ----------
    power : np.ndarray [shape=(1 + N_FFT // 2, t)]
    magnitude : np.ndarray [shape=(1 + N_FFT // 2, t)]
    log_mel : np.ndarray [shape=(N_MELS, t)], power in dB re 1.0 (floor -100 dB)
    sr : int [Hz]
    """

    power: np.ndarray
    magnitude: np.ndarray
    log_mel: np.ndarray
    sr: int

    @property
    def n_frames(self) -> int:
        return int(self.power.shape[1])


def stft_magnitude(y: np.ndarray, *, n_frames: int | None = None) -> np.ndarray:
    """Magnitude STFT [shape=(1 + N_FFT // 2, t)] of float32 ``y``, centred frames.

    Transformed ``_BLOCK_FRAMES`` frames at a time into one output array: a chunk's windowed
    frames and complex spectrum at once held about 100 MB of a 48-second chunk.
    """
    padded = np.pad(y.astype(np.float32, copy=False), N_FFT // 2)
    frames = sliding_window_view(padded, N_FFT)[::HOP_LENGTH]
    if n_frames is not None:
        frames = frames[:n_frames]
    out = np.empty((1 + N_FFT // 2, len(frames)), dtype=np.float32)
    for start in range(0, len(frames), _BLOCK_FRAMES):
        block = frames[start : start + _BLOCK_FRAMES] * _window()
        out[:, start : start + len(block)] = np.abs(np.fft.rfft(block, axis=1)).T
    return out


def spectrogram(y: np.ndarray, *, sr: int = SAMPLE_RATE, n_frames: int | None = None) -> Spectrogram:
    """Compute the shared STFT of ``y`` once.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)], float32, finite
    sr : int [Hz]
    n_frames : int, optional
        Keep only the first ``n_frames`` frames (chunks overlap by whole windows).

    Raises
    ------
    InvalidAudioError
        ``y`` is not a finite 1-D signal of at least ``N_FFT`` samples.
    """
    if y.ndim != 1 or len(y) < N_FFT:
        raise InvalidAudioError(f"need a mono signal of at least {N_FFT} samples, got {y.shape}")
    if not np.isfinite(y).all():
        raise InvalidAudioError("the signal holds NaN or infinite samples")
    if n_frames is not None and n_frames <= 0:
        raise InvalidParameterError(f"n_frames must be positive, got {n_frames}")
    magnitude = stft_magnitude(y, n_frames=n_frames)
    power = np.square(magnitude)
    mel = mel_filterbank(sr=sr, n_fft=N_FFT, n_mels=N_MELS, fmin=FMIN) @ power
    log_mel = (10.0 * np.log10(np.maximum(mel, LOG_FLOOR))).astype(np.float32)
    return Spectrogram(power, magnitude, log_mel, sr)
