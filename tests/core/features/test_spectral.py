"""Our numpy features against librosa's, on the same spectrogram (librosa is the reference)."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from signals import SR, click_track, noise

from genrelens.features import spectral
from genrelens.features.constants import FMIN, HOP_LENGTH, N_FFT, N_MELS
from genrelens.features.filters import fft_frequencies, mel_filterbank
from genrelens.features.spectrogram import spectrogram, stft_magnitude


@pytest.fixture(scope="module")
def signal() -> np.ndarray:
    return click_track(128.0, 8) + noise(8, gain=0.05)


@pytest.fixture(scope="module")
def magnitude(signal: np.ndarray) -> np.ndarray:
    return stft_magnitude(signal)


def test_stft_matches_librosa(signal: np.ndarray, magnitude: np.ndarray) -> None:
    reference = np.abs(librosa.stft(signal, n_fft=N_FFT, hop_length=HOP_LENGTH))
    assert magnitude.shape == reference.shape
    assert np.allclose(magnitude, reference, rtol=1e-3, atol=1e-3)


def test_mel_filterbank_matches_librosa() -> None:
    ours = mel_filterbank(sr=SR, n_fft=N_FFT, n_mels=N_MELS, fmin=FMIN)
    reference = librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=N_MELS, fmin=FMIN, fmax=SR / 2)
    assert np.allclose(ours, reference, atol=1e-6)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda m, f: spectral.centroid(m, f),
         lambda m, f: librosa.feature.spectral_centroid(S=m, freq=f)[0]),
        (lambda m, f: spectral.bandwidth(m, f, spectral.centroid(m, f)),
         lambda m, f: librosa.feature.spectral_bandwidth(S=m, freq=f)[0]),
        (lambda m, f: spectral.rolloff(m, f),
         lambda m, f: librosa.feature.spectral_rolloff(S=m, freq=f)[0]),
        (lambda m, f: spectral.flatness(m**2),
         lambda m, f: librosa.feature.spectral_flatness(S=m)[0]),
        (lambda m, f: spectral.contrast(m, f),
         lambda m, f: librosa.feature.spectral_contrast(S=m, freq=f)),
    ],
    ids=["centroid", "bandwidth", "rolloff", "flatness", "contrast"],
)
def test_spectral_features_match_librosa(magnitude: np.ndarray, ours: object, theirs: object) -> None:
    freqs = fft_frequencies(sr=SR, n_fft=N_FFT)
    mine, reference = ours(magnitude, freqs), theirs(magnitude, freqs)  # type: ignore[operator]
    assert np.allclose(mine, reference, rtol=1e-3, atol=1e-3)


def test_mfcc_matches_librosa_on_the_same_log_mel(signal: np.ndarray) -> None:
    log_mel = spectrogram(signal).log_mel
    assert np.allclose(spectral.mfcc(log_mel, n_mfcc=20), librosa.feature.mfcc(S=log_mel, n_mfcc=20),
                       atol=1e-3)


def test_delta_of_a_ramp_is_its_slope() -> None:
    ramp = np.tile(np.arange(50, dtype=float), (3, 1)) * 2.0
    assert np.allclose(spectral.delta(ramp)[:, 5:-5], 2.0)
