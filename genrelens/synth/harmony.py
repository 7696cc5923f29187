"""Keys, scales and chord progressions the renderer composes with.

A clip gets a tonic, a mode and a progression of scale degrees (one chord per bar or per two
bars). Chords are stacked in thirds on the scale, optionally with 7ths and 9ths (deep house,
lo-fi hip hop), and voiced near a register so that pads and stabs sit in the mid range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "PITCH_CLASSES",
    "Mode",
    "SCALES",
    "PROGRESSIONS",
    "Key",
    "Chord",
    "choose_key",
    "progression",
    "chord_on",
    "scale_pitch",
]

PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

Mode = Literal["minor", "major"]

#: Semitone offsets of each scale degree (natural minor, major, plus phrygian for psytrance
#: and harmonic minor for goa and hardstyle leads).
SCALES: dict[str, tuple[int, ...]] = {
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "major": (0, 2, 4, 5, 7, 9, 11),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "harmonic_minor": (0, 2, 3, 5, 7, 8, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
}

#: Progressions as 0-based scale degrees, by mode. Minor: i-VI-III-VII (trance, EDM),
#: i-iv-v, i-VII-VI-VII, static i vamps (techno); major: I-V-vi-IV, vi-IV-I-V, ii-V-I-vi.
PROGRESSIONS: dict[str, tuple[tuple[int, ...], ...]] = {
    "minor": ((0, 5, 2, 6), (0, 3, 4, 0), (0, 6, 5, 6), (0, 5, 3, 4), (0, 0, 5, 6),
              (0, 3, 0, 4), (0, 2, 5, 6), (0, 5, 6, 4)),
    "major": ((0, 4, 5, 3), (5, 3, 0, 4), (1, 4, 0, 5), (0, 3, 4, 3), (0, 5, 3, 4),
              (3, 4, 0, 0)),
    "vamp": ((0,), (0, 0, 5, 5), (0, 3), (0, 6)),
    "jazzy": ((1, 4, 0, 5), (0, 5, 1, 4), (3, 2, 1, 0), (1, 4, 2, 5)),
}


@dataclass(frozen=True)
class Key:
    """Tonic pitch class (0 = C) and scale name; ``name`` is e.g. ``"A minor"``."""

    tonic: int
    scale: str

    @property
    def mode(self) -> Mode:
        return "major" if self.scale == "major" else "minor"

    @property
    def name(self) -> str:
        return f"{PITCH_CLASSES[self.tonic]} {self.mode}"


@dataclass(frozen=True)
class Chord:
    """A chord as MIDI pitches, with its root's MIDI pitch in the bass register."""

    pitches: tuple[int, ...]
    root: int


def choose_key(rng: np.random.Generator, *, major_prob: float, scale_hint: str | None = None
               ) -> Key:
    """Random tonic and mode; ``scale_hint`` replaces the minor scale (e.g. ``"phrygian"``)."""
    tonic = int(rng.integers(0, 12))
    if rng.random() < major_prob:
        return Key(tonic, "major")
    return Key(tonic, scale_hint or "minor")


def progression(rng: np.random.Generator, key: Key, *, style: str) -> tuple[int, ...]:
    """A progression of scale degrees; ``style`` is ``"vamp"``, ``"jazzy"`` or ``"auto"``."""
    pool = PROGRESSIONS[style] if style in ("vamp", "jazzy") else PROGRESSIONS[key.mode]
    return pool[int(rng.integers(0, len(pool)))]


def scale_pitch(key: Key, degree: int, *, octave: int) -> int:
    """MIDI pitch of a scale degree (any integer, wraps into higher octaves) in ``octave``."""
    steps = SCALES[key.scale]
    o, d = divmod(degree, len(steps))
    return 12 * (octave + 1 + o) + key.tonic + steps[d]


def chord_on(key: Key, degree: int, *, size: int = 3, register: int = 60) -> Chord:
    """Chord stacked in thirds on ``degree`` (size 3 triad, 4 seventh, 5 ninth), voiced so its
    lowest note is the first pitch at or above ``register - 6`` (close voicing)."""
    pitches = [scale_pitch(key, degree + 2 * k, octave=4) for k in range(size)]
    shift = 12 * int(np.ceil((register - 6 - pitches[0]) / 12.0))
    voiced = tuple(p + shift for p in pitches)
    root = scale_pitch(key, degree, octave=1)
    return Chord(voiced, root)
