"""Mix and master effects: reverb, delay, sidechain pumping, filter sweeps, distortion,
bit-crushing, EQ, stereo-width fold-down, limiter/loudness and an MP3 codec round trip.

All are whole-array operations; the reverb is an FFT convolution with a generated impulse
response (exponentially decaying, progressively darker noise), which costs a few
milliseconds per clip where an algorithmic reverb in Python would cost seconds.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf
from scipy import signal

from genrelens.synth.dsp import FloatArray, filt, fit_length, tv_filter

__all__ = [
    "drive",
    "reverb",
    "delay",
    "sidechain_gain",
    "filter_sweep",
    "bitcrush",
    "tilt_eq",
    "width_fold",
    "master",
    "mp3_roundtrip",
]

#: Ceiling of the master after limiting [linear peak], leaves headroom for 16-bit files.
CEILING = 0.97


def drive(x: FloatArray, amount: float) -> FloatArray:
    """Soft-clip distortion; ``amount`` is the pre-gain (1 = clean, 20 = hardstyle kick)."""
    if amount <= 1.0:
        return x
    return np.asarray(np.tanh(amount * x) / np.tanh(amount))


def reverb(x: FloatArray, *, sr: int, rng: np.random.Generator, decay_s: float,
           damping_hz: float = 6000.0, predelay_s: float = 0.015) -> FloatArray:
    """Wet signal of a convolution reverb (only the wet part; the caller sets the mix).

    The impulse response is noise under an exponential decay reaching -60 dB at ``decay_s``
    (RT60), low-passed at ``damping_hz`` and once more in its tail so it darkens as it decays.
    """
    m = int(min(decay_s, 6.0) * sr)
    t = np.arange(m) / sr
    ir = rng.standard_normal(m) * np.exp(-6.9 * t / decay_s)
    bright = filt(ir, "lowpass", damping_hz, sr=sr)
    dark = filt(ir, "lowpass", damping_hz / 4, sr=sr)
    mixw = np.clip(t / decay_s, 0.0, 1.0)
    ir = (1 - mixw) * bright + mixw * dark
    ir = np.concatenate([np.zeros(int(predelay_s * sr)), ir])
    ir /= np.sqrt(np.sum(ir**2)) + 1e-12
    return np.asarray(signal.oaconvolve(x, ir)[: x.shape[0]])


def delay(x: FloatArray, *, sr: int, delay_s: float, feedback: float, lowpass_hz: float,
          taps: int = 8) -> FloatArray:
    """Wet signal of a feedback echo: ``taps`` repeats, each ``feedback`` quieter and darker
    (the dub-techno delay when the feedback is high and the low-pass low)."""
    d = max(int(delay_s * sr), 1)
    n = x.shape[0]
    out = np.zeros(n)
    tap = x
    for k in range(1, taps + 1):
        if k * d >= n:
            break
        tap = filt(tap, "lowpass", lowpass_hz, sr=sr)
        out[k * d :] += feedback**k * tap[: n - k * d]
    return out


def sidechain_gain(onsets: np.ndarray, *, n: int, sr: int, depth: float,
                   release_s: float) -> FloatArray:
    """Gain curve [shape=(n,)] that ducks by ``depth`` at each kick and recovers over
    ``release_s``: the "pumping" of house, trance and future bass."""
    if depth <= 0 or onsets.size == 0:
        return np.ones(n)
    t = np.arange(int(release_s * 4 * sr)) / sr
    duck = np.zeros(n)
    for onset in np.unique(onsets[(onsets >= 0) & (onsets < n)]).tolist():
        k = min(t.shape[0], n - onset)
        np.maximum(duck[onset : onset + k], np.exp(-t[:k] / release_s), out=duck[onset : onset + k])
    return np.asarray(1.0 - depth * duck)


def filter_sweep(x: FloatArray, *, sr: int, start_hz: float, end_hz: float,
                 kind: str = "lowpass", q: float = 1.2) -> FloatArray:
    """Exponential cutoff sweep from ``start_hz`` to ``end_hz`` across ``x`` (builds, intros)."""
    n = x.shape[0]
    cutoff = start_hz * (end_hz / start_hz) ** (np.arange(n) / max(n - 1, 1))
    return tv_filter(x, cutoff, sr=sr, q=q, kind="highpass" if kind == "highpass" else "lowpass")


def bitcrush(x: FloatArray, *, bits: int, hold: int) -> FloatArray:
    """Quantise to ``bits`` and hold every ``hold``-th sample (sample-rate reduction)."""
    held = np.repeat(x[::hold], hold)[: x.shape[0]] if hold > 1 else x
    levels = 2.0 ** (bits - 1)
    return np.asarray(np.round(held * levels) / levels)


def tilt_eq(x: FloatArray, *, sr: int, low_db: float, high_db: float, mid_hz: float,
            mid_db: float) -> FloatArray:
    """Mastering-style EQ: low shelf at 120 Hz, high shelf at 6 kHz, one peak."""
    y = filt(x, "lowshelf", 120.0, sr=sr, gain_db=low_db)
    y = filt(y, "highshelf", 6000.0, sr=sr, gain_db=high_db)
    return filt(y, "peak", mid_hz, sr=sr, q=0.9, gain_db=mid_db)


def width_fold(x: FloatArray, *, sr: int, width: float, haas_s: float) -> FloatArray:
    """Mono fold-down of a widened part: a Haas-delayed copy summed in, at level ``width``.

    Analysis is mono, so stereo width reaches the model as the comb filtering it leaves in
    the fold-down; this reproduces that for parts mixed wide (pads, supersaws, reverbs).
    """
    d = max(int(haas_s * sr), 1)
    shifted = np.concatenate([np.zeros(d), x[:-d]]) if x.shape[0] > d else np.zeros_like(x)
    return (x + width * shifted) / (1.0 + width)


def master(x: FloatArray, *, target_rms_db: float, drive_amount: float) -> FloatArray:
    """Loudness and limiting: gain to ``target_rms_db`` RMS [dBFS], soft-clip, then a peak
    ceiling. Hot targets with drive squash the dynamics as loud masters do."""
    rms = float(np.sqrt(np.mean(x**2))) + 1e-9
    y = x * (10 ** (target_rms_db / 20.0) / rms)
    y = drive(y, drive_amount) if drive_amount > 1.0 else np.tanh(y)
    peak = float(np.max(np.abs(y))) + 1e-9
    return y * min(1.0, CEILING / peak)


def mp3_roundtrip(x: FloatArray, *, sr: int, level: float) -> FloatArray:
    """Encode to constant-bitrate MP3 at libsndfile ``compression_level`` and decode back, so the
    clip carries real codec artefacts (band limits, pre-echo); length is kept.

    At 22050 Hz mono, levels 0.0 / 0.3 / 0.5 / 0.7 / 0.8 / 0.9 give 161 / 113 / 81 / 56 / 40 / 24 kbps
    (measured with libsndfile 1.2.2).
    """
    buf = io.BytesIO()
    sf.write(buf, x.astype(np.float32), sr, format="MP3", subtype="MPEG_LAYER_III",
             compression_level=level, bitrate_mode="CONSTANT")
    buf.seek(0)
    y, _ = sf.read(buf, dtype="float64")
    return fit_length(np.asarray(y), x.shape[0])
