"""musicnn's input: the log-compressed 96-band mel spectrogram of 16 kHz audio, in numpy.

musicnn 0.1.0 computes its input in ``musicnn/extractor.py: batch_data``::

    audio_rep = librosa.feature.melspectrogram(y=audio, sr=16000, hop_length=256, n_fft=512,
                                               n_mels=96).T
    audio_rep = audio_rep.astype(np.float16)
    audio_rep = np.log10(10000 * audio_rep + 1)

so the mel power is rounded to float16 before the log, and (numpy < 2 promotes ``float16 * 10000``
to float32) the log itself is computed in float32. :func:`log_mel` reproduces exactly that:
librosa's periodic Hann window, power 2, Slaney-normalised mel filters, the float16 rounding, and
``log10(1 + 10000 x)`` (the issue writes it as log(1 + 10000 x); the base is 10). The only
deviation is that mel values above float16's largest finite value are clamped to it instead of
becoming ``inf`` (musicnn would then produce NaN tags); real audio in [-1, 1] stays far below it.
It is plain numpy (float32 FFTs), so inference needs neither torch nor librosa.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from genrelens.features.filters import mel_filterbank

__all__ = [
    "SAMPLE_RATE",
    "N_FFT",
    "HOP_LENGTH",
    "N_MELS",
    "PATCH_FRAMES",
    "PATCH_SAMPLES",
    "LOG_SCALE",
    "log_mel",
    "n_frames",
]

#: musicnn's sample rate [Hz].
SAMPLE_RATE = 16000
#: FFT size [samples] (32 ms).
N_FFT = 512
#: Hop between mel frames [samples] (16 ms).
HOP_LENGTH = 256
#: Number of mel bands.
N_MELS = 96
#: Frames per input patch: ``librosa.time_to_frames(3, sr=16000, n_fft=512, hop_length=256) + 1``,
#: the 3-second patches musicnn was trained on.
PATCH_FRAMES = 187
#: Samples of (centre-padded) audio one patch reads: 48128, a little over 3 s.
PATCH_SAMPLES = N_FFT + HOP_LENGTH * (PATCH_FRAMES - 1)
#: Compression constant of musicnn's ``log10(1 + LOG_SCALE * mel)``.
LOG_SCALE = 10000.0
#: Largest finite float16; musicnn rounds the mel power to float16 before the log.
_FLOAT16_MAX = float(np.finfo(np.float16).max)


def n_frames(n_samples: int) -> int:
    """Number of mel frames librosa's centred STFT gives for ``n_samples`` samples."""
    return 1 + n_samples // HOP_LENGTH


@cache
def _hann() -> np.ndarray:
    """Periodic Hann window of ``N_FFT`` samples (librosa's and ``torch.hann_window``'s)."""
    n = np.arange(N_FFT, dtype=np.float64)
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * n / N_FFT)).astype(np.float32)


def log_mel(segments: np.ndarray) -> np.ndarray:
    """Waveform segments -> musicnn's log-mel input.

    The segments are already centre-padded audio, so that patches cut anywhere in a long
    (streamed) track give exactly the frames that librosa's ``center=True`` STFT gives on the
    whole track: frame ``t`` of the track reads padded samples ``[t * 256, t * 256 + 512)``, where
    the padding is 256 zeros before the first sample and after the last.

    Parameters
    ----------
    segments : np.ndarray [shape=(batch, 512 + 256 * (frames - 1)), dtype=float32]
        Centre-padded audio at 16 kHz.

    Returns
    -------
    log_mel : np.ndarray [shape=(batch, frames, 96), dtype=float32]
        ``log10(1 + 10000 * float16(mel power))``, time before frequency as in musicnn.

    Examples
    --------
    >>> log_mel(np.zeros((2, PATCH_SAMPLES), np.float32)).shape
    (2, 187, 96)
    """
    x = np.asarray(segments, dtype=np.float32)
    frames = np.lib.stride_tricks.sliding_window_view(x, N_FFT, axis=1)[:, ::HOP_LENGTH]
    spec = np.fft.rfft(frames * _hann(), axis=2)
    power = (spec.real**2 + spec.imag**2).astype(np.float32, copy=False)
    basis = mel_filterbank(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS, fmin=0.0)
    mel = np.minimum(power @ basis.T, _FLOAT16_MAX).astype(np.float16).astype(np.float32)
    out: np.ndarray = np.log10(np.float32(LOG_SCALE) * mel + np.float32(1.0))
    return out
