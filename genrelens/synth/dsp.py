"""Low-level DSP helpers of the renderer: band-limited oscillators, biquads, time-varying filters.

Everything here works on whole numpy arrays (no per-sample Python loops) because the default
training set is thousands of clips: a per-sample loop would cost minutes per clip. The only
loop left is the block loop of :func:`tv_filter`, one ``sosfilt`` call per block of samples.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import signal

__all__ = [
    "FloatArray",
    "TV_BLOCK",
    "midi_to_hz",
    "db_to_gain",
    "phase_from_freq",
    "saw",
    "square",
    "triangle",
    "sine",
    "biquad",
    "filt",
    "tv_filter",
    "one_pole_smooth",
    "pink_noise",
    "fit_length",
]

#: Float audio used inside the renderer (float64: phases accumulate over minutes of samples).
FloatArray = npt.NDArray[np.float64]

#: Block size [samples] over which a time-varying filter keeps its coefficients (11.6 ms at
#: 22050 Hz): short enough for audible acid and wobble movement, long enough to stay fast.
TV_BLOCK = 256

FilterKind = Literal["lowpass", "highpass", "bandpass", "peak", "lowshelf", "highshelf"]


def midi_to_hz(note: float | FloatArray) -> FloatArray:
    """Equal-tempered frequency [Hz] of MIDI note numbers (A4 = 69 = 440 Hz)."""
    return np.asarray(440.0 * np.exp2((np.asarray(note, dtype=np.float64) - 69.0) / 12.0))


def db_to_gain(db: float) -> float:
    """Linear amplitude of a level in decibels."""
    return float(10.0 ** (db / 20.0))


def phase_from_freq(freq: FloatArray, *, sr: int, phase0: float = 0.0) -> FloatArray:
    """Running phase [cycles] of an oscillator that follows ``freq`` [Hz, shape=(n,)]."""
    return phase0 + np.cumsum(freq) / sr


def _polyblep(t: FloatArray, dt: FloatArray) -> FloatArray:
    """PolyBLEP residual that removes most of the aliasing of a naive saw's jump."""
    out = np.zeros_like(t)
    lo = t < dt
    x = t[lo] / dt[lo]
    out[lo] = x + x - x * x - 1.0
    hi = t > 1.0 - dt
    x = (t[hi] - 1.0) / dt[hi]
    out[hi] = x * x + x + x + 1.0
    return out


def saw(phase: FloatArray, freq: FloatArray, *, sr: int) -> FloatArray:
    """Band-limited (PolyBLEP) sawtooth in [-1, 1] from a phase [cycles] and its frequency."""
    t = phase - np.floor(phase)
    dt = np.clip(np.abs(freq) / sr, 1e-6, 0.5)
    return 2.0 * t - 1.0 - _polyblep(t, dt)


def square(phase: FloatArray, freq: FloatArray, *, sr: int, width: float = 0.5) -> FloatArray:
    """Band-limited pulse wave of duty cycle ``width`` (difference of two shifted saws)."""
    return 0.5 * (saw(phase, freq, sr=sr) - saw(phase + width, freq, sr=sr))


def triangle(phase: FloatArray) -> FloatArray:
    """Triangle wave in [-1, 1] (its harmonics fall fast enough that aliasing is negligible)."""
    t = phase - np.floor(phase)
    return 4.0 * np.abs(t - 0.5) - 1.0


def sine(phase: FloatArray) -> FloatArray:
    """Sine of a phase in cycles."""
    return np.sin(2.0 * np.pi * phase)


def biquad(kind: FilterKind, freq: float, *, sr: int, q: float = 0.707,
           gain_db: float = 0.0) -> FloatArray:
    """RBJ-cookbook biquad as one second-order section [shape=(1, 6)].

    Parameters
    ----------
    kind : the filter shape.
    freq : float [Hz]
        Corner or centre frequency; clipped inside (10 Hz, 0.45 sr) so that any randomised
        preset stays stable.
    q : float
        Quality factor; high values make the resonant peak of acid and wobble basses.
    gain_db : float [dB]
        Gain of the peak and shelf shapes.
    """
    f = float(np.clip(freq, 10.0, 0.45 * sr))
    w0 = 2.0 * np.pi * f / sr
    cw, sw = np.cos(w0), np.sin(w0)
    alpha = sw / (2.0 * q)
    a_gain = 10.0 ** (gain_db / 40.0)
    if kind == "lowpass":
        b = [(1 - cw) / 2, 1 - cw, (1 - cw) / 2]
        a = [1 + alpha, -2 * cw, 1 - alpha]
    elif kind == "highpass":
        b = [(1 + cw) / 2, -(1 + cw), (1 + cw) / 2]
        a = [1 + alpha, -2 * cw, 1 - alpha]
    elif kind == "bandpass":
        b = [alpha, 0.0, -alpha]
        a = [1 + alpha, -2 * cw, 1 - alpha]
    elif kind == "peak":
        b = [1 + alpha * a_gain, -2 * cw, 1 - alpha * a_gain]
        a = [1 + alpha / a_gain, -2 * cw, 1 - alpha / a_gain]
    else:
        sq = 2.0 * np.sqrt(a_gain) * alpha
        sign = 1.0 if kind == "lowshelf" else -1.0
        ap, am = a_gain + 1.0, a_gain - 1.0
        b = [a_gain * (ap - sign * am * cw + sq), sign * 2 * a_gain * (am - sign * ap * cw),
             a_gain * (ap - sign * am * cw - sq)]
        a = [ap + sign * am * cw + sq, -sign * 2 * (am + sign * ap * cw), ap + sign * am * cw - sq]
    sos = np.array([b + a], dtype=np.float64)
    sos[0, :3] /= sos[0, 3]
    sos[0, 3:] /= sos[0, 3]
    return sos


def filt(x: FloatArray, kind: FilterKind, freq: float, *, sr: int, q: float = 0.707,
         gain_db: float = 0.0, order: int = 1) -> FloatArray:
    """Apply a static biquad ``order`` times (order 2 gives a 24 dB/octave slope)."""
    sos = np.repeat(biquad(kind, freq, sr=sr, q=q, gain_db=gain_db), order, axis=0)
    return np.asarray(signal.sosfilt(sos, x))


def tv_filter(x: FloatArray, cutoff: FloatArray, *, sr: int, q: float = 0.707,
              kind: Literal["lowpass", "highpass", "bandpass"] = "lowpass",
              order: int = 1) -> FloatArray:
    """Filter whose cutoff follows ``cutoff`` [Hz, shape=(n,)], updated every ``TV_BLOCK``.

    This is how acid lines, wobbles and filter sweeps move: coefficients are computed for all
    blocks at once and the state is carried from block to block, so the output has no clicks.
    """
    n = x.shape[0]
    if n == 0:
        return x.copy()
    starts = np.arange(0, n, TV_BLOCK)
    f = np.clip(cutoff[np.minimum(starts + TV_BLOCK // 2, n - 1)], 20.0, 0.45 * sr)
    w0 = 2.0 * np.pi * f / sr
    cw, alpha = np.cos(w0), np.sin(w0) / (2.0 * q)
    if kind == "lowpass":
        b = np.stack([(1 - cw) / 2, 1 - cw, (1 - cw) / 2], axis=1)
    elif kind == "highpass":
        b = np.stack([(1 + cw) / 2, -(1 + cw), (1 + cw) / 2], axis=1)
    else:
        b = np.stack([alpha, np.zeros_like(alpha), -alpha], axis=1)
    a0 = 1 + alpha
    b_all = b / a0[:, None]
    a_all = np.stack([np.ones_like(a0), -2 * cw / a0, (1 - alpha) / a0], axis=1)
    out = x.copy()
    # lfilter per block costs ~5 us against ~23 us for sosfilt: this loop is the hot spot.
    for _ in range(order):
        zi = np.zeros(2)
        for i, s in enumerate(starts):
            out[s : s + TV_BLOCK], zi = signal.lfilter(b_all[i], a_all[i], out[s : s + TV_BLOCK],
                                                       zi=zi)
    return out


def one_pole_smooth(x: FloatArray, *, time_s: float, sr: int) -> FloatArray:
    """One-pole low-pass smoothing with time constant ``time_s`` (glides, envelopes)."""
    if time_s <= 0:
        return x.copy()
    a = float(np.exp(-1.0 / (time_s * sr)))
    y, _ = signal.lfilter([1.0 - a], [1.0, -a], x, zi=[x[0] * a] if x.size else [0.0])
    return np.asarray(y)


def pink_noise(n: int, *, rng: np.random.Generator) -> FloatArray:
    """Approximately pink (-3 dB/octave) noise of unit-ish RMS (Kellet's 3-pole filter)."""
    white = rng.standard_normal(n)
    b = [0.049922035, -0.095993537, 0.050612699, -0.004408786]
    a = [1.0, -2.494956002, 2.017265875, -0.522189400]
    y = np.asarray(signal.lfilter(b, a, white))
    return np.asarray(y / (np.std(y) + 1e-12))


def fit_length(x: FloatArray, n: int) -> FloatArray:
    """Crop or zero-pad ``x`` to exactly ``n`` samples."""
    if x.shape[0] >= n:
        return x[:n]
    return np.concatenate([x, np.zeros(n - x.shape[0])])
