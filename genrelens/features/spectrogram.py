"""One STFT, from which every frame-level feature of a chunk is derived."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import librosa
import numpy as np

from genrelens.errors import InvalidAudioError, InvalidParameterError
from genrelens.features.constants import FMIN, HOP_LENGTH, N_FFT, N_MELS, SAMPLE_RATE

__all__ = ["Spectrogram", "spectrogram", "mel_basis", "fft_frequencies"]

_AMIN = 1e-10


@cache
def mel_basis(sr: int = SAMPLE_RATE, n_mels: int = N_MELS) -> np.ndarray:
    """Slaney-normalised mel filterbank [shape=(n_mels, 1 + N_FFT // 2)], cached per rate."""
    return librosa.filters.mel(sr=sr, n_fft=N_FFT, n_mels=n_mels, fmin=FMIN,
                               fmax=sr / 2).astype(np.float32)


@cache
def fft_frequencies(sr: int = SAMPLE_RATE) -> np.ndarray:
    """Centre frequency of each STFT bin [Hz]."""
    return librosa.fft_frequencies(sr=sr, n_fft=N_FFT).astype(np.float32)


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
    stft = librosa.stft(y.astype(np.float32, copy=False), n_fft=N_FFT, hop_length=HOP_LENGTH)
    if n_frames is not None:
        stft = stft[:, :n_frames]
    magnitude = np.abs(stft)
    power = np.square(magnitude)
    mel = mel_basis(sr) @ power
    log_mel = (10.0 * np.log10(np.maximum(mel, _AMIN))).astype(np.float32)
    return Spectrogram(power, magnitude, log_mel, sr)
