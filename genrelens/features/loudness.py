"""ITU-R BS.1770-4 loudness: K-weighting with filter state, so long files stream through it.

References
----------
ITU-R BS.1770-4 (2015), "Algorithms to measure audio programme loudness and true-peak level".
The sample-rate independent biquad design follows Brecht De Man's pyloudnorm (RBJ cookbook
shelf and high-pass with the parameters fitted to the 48 kHz coefficients of the standard).
The biquads run as an FFT convolution with their (decayed) impulse response, so the decoder
process needs numpy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from genrelens.features.filters import biquad_impulse_response

__all__ = [
    "SUB_BLOCK_SECONDS",
    "ABSOLUTE_GATE_LUFS",
    "k_weighting_sos",
    "LoudnessMeter",
    "LoudnessSummary",
    "summarize_loudness",
]

#: Energies are accumulated per 100 ms; a 400 ms gating block is four of them (75 % overlap).
SUB_BLOCK_SECONDS = 0.1
ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_SHELF_GAIN_DB = 3.999843853973347
_SHELF_FC = 1681.974450955533
_SHELF_Q = 0.7071752369554196
_HIGHPASS_FC = 38.13547087602444
_HIGHPASS_Q = 0.5003270373238773
_BLOCK_SUBS = 4
#: Impulse-response length of the K-weighting filter [seconds]; its slowest pole (the 38 Hz
#: high-pass) has decayed by more than 120 dB well within it.
_RESPONSE_SECONDS = 0.37


def k_weighting_sos(sr: int) -> np.ndarray:
    """Second-order sections of the K-weighting filter at sample rate ``sr`` [Hz]."""
    w0 = 2.0 * math.pi * _SHELF_FC / sr
    amp = 10.0 ** (_SHELF_GAIN_DB / 40.0)
    alpha = math.sin(w0) / (2.0 * _SHELF_Q)
    cos, root = math.cos(w0), math.sqrt(amp)
    shelf = [
        amp * ((amp + 1) + (amp - 1) * cos + 2 * root * alpha),
        -2 * amp * ((amp - 1) + (amp + 1) * cos),
        amp * ((amp + 1) + (amp - 1) * cos - 2 * root * alpha),
        (amp + 1) - (amp - 1) * cos + 2 * root * alpha,
        2 * ((amp - 1) - (amp + 1) * cos),
        (amp + 1) - (amp - 1) * cos - 2 * root * alpha,
    ]
    w0 = 2.0 * math.pi * _HIGHPASS_FC / sr
    alpha, cos = math.sin(w0) / (2.0 * _HIGHPASS_Q), math.cos(w0)
    highpass = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha]
    sos = np.array([shelf, highpass], dtype=np.float64)
    sos[:, :3] /= sos[:, 3:4]
    sos[:, 3:] /= sos[:, 3:4]
    return sos


@cache
def _k_weighting_response(sr: int) -> np.ndarray:
    return biquad_impulse_response(k_weighting_sos(sr), int(_RESPONSE_SECONDS * sr))


class LoudnessMeter:
    """Accumulates K-weighted 100 ms energies of a multichannel stream, block by block.

    Feeding a signal in pieces gives the same energies as feeding it whole (overlap-add keeps
    the filter's tail), so a two-hour mix is measured without holding it in memory.
    """

    def __init__(self, sr: int, channels: int) -> None:
        self._response = _k_weighting_response(sr)
        self._tail = np.zeros((len(self._response) - 1, channels))
        self._sub = max(1, round(sr * SUB_BLOCK_SECONDS))
        self._carry = np.zeros((0, channels))
        self.energies: list[float] = []
        self.peak = 0.0

    def _filter(self, block: np.ndarray) -> np.ndarray:
        n, taps = len(block), len(self._response)
        size = 1 << (n + taps - 1).bit_length()
        spectrum = np.fft.rfft(block, size, axis=0) * np.fft.rfft(self._response, size)[:, None]
        full = np.fft.irfft(spectrum, size, axis=0)[: n + taps - 1]
        full[: taps - 1] += self._tail
        self._tail = full[n:].copy()
        return full[:n]

    def add(self, block: np.ndarray) -> None:
        """Feed ``block`` [shape=(n, channels)] of float samples."""
        if not block.size:
            return
        self.peak = max(self.peak, float(np.max(np.abs(block))))
        weighted = self._filter(block.astype(np.float64))
        data = np.concatenate([self._carry, weighted]) if self._carry.size else weighted
        whole = (len(data) // self._sub) * self._sub
        if whole:
            squares = np.square(data[:whole]).reshape(-1, self._sub, data.shape[1])
            self.energies.extend(squares.mean(axis=1).sum(axis=1).tolist())
        self._carry = data[whole:]


@dataclass(frozen=True)
class LoudnessSummary:
    """Integrated loudness [LUFS], sample peak [dBFS] and the spread of momentary loudness [dB]."""

    integrated_lufs: float | None
    peak_dbfs: float | None
    dynamic_range_db: float | None


def _lufs(energy: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10.0 * np.log10(energy))


def summarize_loudness(energies: np.ndarray, *, peak: float) -> LoudnessSummary:
    """Gate 100 ms energies into BS.1770 integrated loudness and a momentary-loudness spread.

    ``dynamic_range_db`` is the 95th minus the 5th percentile of the gated 400 ms momentary
    loudness: how much the level moves between breakdowns and drops.
    None values mean "silence": nothing passed the absolute gate.
    """
    peak_db = 20.0 * math.log10(peak) if peak > 0 else None
    if len(energies) < _BLOCK_SUBS:
        return LoudnessSummary(None, peak_db, None)
    kernel = np.ones(_BLOCK_SUBS) / _BLOCK_SUBS
    blocks = np.convolve(energies, kernel, mode="valid")
    loud = _lufs(blocks)
    gated = blocks[loud > ABSOLUTE_GATE_LUFS]
    if gated.size == 0:
        return LoudnessSummary(None, peak_db, None)
    relative = float(_lufs(np.array([gated.mean()]))[0]) + _RELATIVE_GATE_LU
    final = gated[_lufs(gated) > relative]
    integrated = float(_lufs(np.array([final.mean()]))[0])
    momentary = _lufs(gated)
    spread = float(np.percentile(momentary, 95) - np.percentile(momentary, 5))
    return LoudnessSummary(integrated, peak_db, spread)
