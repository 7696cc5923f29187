"""Seeded test signals shared by the test suites (no audio is committed)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import soundfile as sf

__all__ = ["SR", "click_track", "chord", "mp3_claiming", "noise", "write"]

SR = 22050


def _kick(sr: int) -> np.ndarray:
    t = np.arange(int(0.4 * sr)) / sr
    return (np.sin(2 * np.pi * (50 + 100 * np.exp(-t * 30)) * t) * np.exp(-t * 20)).astype(np.float32)


def click_track(bpm: float, seconds: float, *, sr: int = SR, seed: int = 0,
                offbeat_hats: bool = True) -> np.ndarray:
    """Four-on-the-floor kick at ``bpm`` with off-beat hats over an A-minor drone."""
    rng = np.random.default_rng(seed)
    y = np.zeros(int(sr * seconds), dtype=np.float32)
    kick = _kick(sr)
    hat_len = int(0.03 * sr)
    hat = (rng.standard_normal(hat_len) * np.exp(-np.arange(hat_len) / 200) * 0.2).astype(np.float32)
    period = 60.0 / bpm
    beat = 0
    while (start := int(round((beat * period + 0.1) * sr))) + len(kick) < len(y):
        y[start : start + len(kick)] += kick
        hat_at = int(round(((beat + 0.5) * period + 0.1) * sr))
        if offbeat_hats and hat_at + hat_len < len(y):
            y[hat_at : hat_at + hat_len] += hat
        beat += 1
    return y + 0.5 * chord([220.0, 261.63, 329.63], seconds, sr=sr)


def chord(freqs: list[float], seconds: float, *, sr: int = SR) -> np.ndarray:
    """Sustained sine chord, peak about 0.2 per voice."""
    t = np.arange(int(sr * seconds)) / sr
    return sum((0.2 * np.sin(2 * np.pi * f * t) for f in freqs), np.zeros_like(t)).astype(np.float32)


def noise(seconds: float, *, sr: int = SR, seed: int = 0, gain: float = 0.1) -> np.ndarray:
    return (gain * np.random.default_rng(seed).standard_normal(int(sr * seconds))).astype(np.float32)


def write(path: Path, y: np.ndarray, *, sr: int = SR, **kwargs: object) -> Path:
    sf.write(str(path), y, sr, **kwargs)  # type: ignore[arg-type]
    return path


def mp3_claiming(data: bytes, *, seconds: float, sr: int) -> bytes:
    """An MP3 (as libsndfile writes it, with a Xing header) whose header claims ``seconds``.

    A header that lies about the length, as in issue 17 (14,040 s declared for a 20 s file).
    """
    out = bytearray(data)
    at = out.find(b"Xing")
    assert at >= 0 and struct.unpack(">I", out[at + 4:at + 8])[0] & 1  # has the frames field
    per_frame = 1152 if sr >= 32000 else 576  # samples per MPEG-1 or MPEG-2 Layer III frame
    out[at + 8:at + 12] = struct.pack(">I", int(seconds * sr / per_frame))
    return bytes(out)
