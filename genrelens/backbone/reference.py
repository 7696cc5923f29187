"""Seeded reference signals shared by the musicnn conversion script and the parity test.

This module imports nothing but numpy, so that ``tools/convert_musicnn.py`` can run it inside the
throwaway TensorFlow venv and the test suite can regenerate the very same samples without
TensorFlow.
"""

from __future__ import annotations

import numpy as np

__all__ = ["REFERENCE_SR", "REFERENCE_SECONDS", "REFERENCE_SEED", "reference_signals"]

#: Sample rate of the reference signals [Hz]: musicnn's own rate, so no resampling is involved.
REFERENCE_SR = 16000
#: Length of each reference signal [seconds]: 563 mel frames, three 187-frame patches.
REFERENCE_SECONDS = 9.0
#: Seed of every random choice in the reference signals.
REFERENCE_SEED = 440
#: Peak level of each reference signal [full scale].
_PEAK = 0.5


def _normalise(y: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(y)))
    return (_PEAK * y / peak).astype(np.float32)


def _club_loop(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Four-on-the-floor kick, off-beat noise hats, a 16th-note saw bass and chord stabs."""
    t = np.arange(n) / sr
    beat = 60.0 / 124.0
    y = np.zeros(n)
    kick_len = int(0.25 * sr)
    tk = np.arange(kick_len) / sr
    kick = np.sin(2 * np.pi * (50 * tk + 100 * (1 - np.exp(-tk * 30)) / 30)) * np.exp(-tk * 12)
    hat_len = int(0.05 * sr)
    for k in range(int(t[-1] / beat) + 1):
        start = int(k * beat * sr)
        end = min(n, start + kick_len)
        y[start:end] += kick[: end - start]
        hat_start = int((k + 0.5) * beat * sr)
        if hat_start < n:
            noise = np.diff(rng.standard_normal(hat_len + 1)) * np.exp(-np.arange(hat_len) / 120)
            hat_end = min(n, hat_start + hat_len)
            y[hat_start:hat_end] += 0.15 * noise[: hat_end - hat_start]
    roots = 55.0 * 2 ** (rng.integers(0, 12, size=4) / 12)
    step = beat / 4
    for s in range(int(t[-1] / step) + 1):
        start = int(s * step * sr)
        end = min(n, start + int(step * sr * 0.8))
        root = roots[(s // 16) % len(roots)]
        ts = np.arange(end - start) / sr
        saw = sum(np.sin(2 * np.pi * h * root * ts) / h for h in range(1, 12))
        y[start:end] += 0.3 * saw * np.exp(-ts * 8)
    for bar in range(int(t[-1] / (4 * beat)) + 1):
        start = int((bar * 4 + 1.5) * beat * sr)
        if start >= n:
            break
        end = min(n, start + int(0.3 * sr))
        ts = np.arange(end - start) / sr
        chord = 220.0 * 2 ** (np.array([0, 3, 7]) / 12) * 2 ** (rng.integers(0, 5) / 12)
        stab = sum(
            np.sin(2 * np.pi * f * d * h * ts) / h
            for f in chord
            for d in (0.995, 1.005)
            for h in range(1, 8)
        )
        y[start:end] += 0.1 * stab * np.exp(-ts * 6)
    return y


def _piano_like(rng: np.random.Generator, n: int, sr: int) -> np.ndarray:
    """Slow solo line of decaying, slightly inharmonic partials from a major scale."""
    y = np.zeros(n)
    scale = np.array([0, 2, 4, 5, 7, 9, 11, 12])
    onset = 0
    while onset < n:
        midi = 60 + scale[rng.integers(0, len(scale))] + 12 * rng.integers(-1, 1)
        f0 = 440.0 * 2 ** ((midi - 69) / 12)
        length = int(rng.uniform(0.35, 0.9) * sr)
        end = min(n, onset + int(2.0 * sr))
        ts = np.arange(end - onset) / sr
        note = sum(
            np.sin(2 * np.pi * f0 * h * np.sqrt(1 + 4e-4 * h * h) * ts)
            * np.exp(-ts * (1.5 + h))
            / h**1.5
            for h in range(1, 10)
        )
        y[onset:end] += note * rng.uniform(0.5, 1.0)
        onset += length
    return y


def reference_signals(
    *, seed: int = REFERENCE_SEED, seconds: float = REFERENCE_SECONDS, sr: int = REFERENCE_SR
) -> dict[str, np.ndarray]:
    """Render the reference signals: mono float32 at ``sr``, peak 0.5.

    Parameters
    ----------
    seed : int
        Seed of ``np.random.default_rng``; the same seed gives the same samples (up to the last
        bit of numpy's ``sin`` on another numpy version, which the parity test allows for).
    seconds : float [seconds]
        Length of each signal.
    sr : int [Hz]
        Sample rate.

    Returns
    -------
    signals : dict[str, np.ndarray [shape=(n,), dtype=float32]]
        ``club_loop`` (electronic-sounding), ``piano_like`` (tonal, acoustic-sounding) and
        ``noise`` (white noise at -12 dBFS RMS).

    Examples
    --------
    >>> sorted(reference_signals(seconds=3.5))
    ['club_loop', 'noise', 'piano_like']
    """
    n = int(round(seconds * sr))
    rng = np.random.default_rng(seed)
    club = _normalise(_club_loop(rng, n, sr))
    piano = _normalise(_piano_like(rng, n, sr))
    noise = (0.25 * rng.standard_normal(n)).astype(np.float32)
    return {"club_loop": club, "piano_like": piano, "noise": noise}
