"""The energy rating 1-10 DJs sort by: how hard a track drives, from four measured parts.

Loudness, tempo, onset density and drive (a clear pulse through drop sections) each map onto
[0, 1] between anchors that span electronic music (a quiet ambient piece at one end, a
mastered hardcore track at the other); their weighted mean, scaled to 1-10, is the rating.
A fixed, explained scale rather than a learned one: no labelled energy data exists here, and
bench/bench_dj.py checks only that it orders realdev's styles as DJs would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ENERGY_PARTS", "Energy", "energy_level"]

#: part -> (value scoring 0, value scoring 1, weight).
ENERGY_PARTS: dict[str, tuple[float, float, float]] = {
    "loudness": (-26.0, -8.0, 0.3),  # integrated LUFS
    "tempo": (70.0, 180.0, 0.25),  # BPM
    "density": (1.0, 8.0, 0.25),  # onsets per second
    "drive": (0.0, 1.0, 0.2),  # pulse clarity x share of the track in drops
}


@dataclass(frozen=True)
class Energy:
    """The rating and each part's score in [0, 1], for the page to explain it."""

    level: int
    parts: dict[str, float]


def energy_level(*, integrated_lufs: float | None, bpm: float | None, onset_rate_hz: float,
                 drive: float) -> Energy:
    """Energy 1-10; a silent track (no loudness) or one without a pulse scores those parts 0."""
    values = {"loudness": integrated_lufs, "tempo": bpm, "density": onset_rate_hz,
              "drive": drive}
    parts: dict[str, float] = {}
    score = 0.0
    for name, (zero, one, weight) in ENERGY_PARTS.items():
        value = values[name]
        part = 0.0 if value is None else float(np.clip((value - zero) / (one - zero), 0.0, 1.0))
        parts[name] = round(part, 3)
        score += weight * part
    return Energy(int(1 + round(9 * score)), parts)
