"""Arrangement: which section (intro, build, drop, breakdown) each bar of a clip belongs to,
and how loud each layer is in each section.

A rendered clip is an excerpt of an imagined track, so it may sit inside one section or cross
a boundary (intro -> drop, build -> drop, drop -> breakdown, breakdown -> build). Layers are
muted or lowered per section, with short ramps so section changes do not click.
"""

from __future__ import annotations

import numpy as np

from genrelens.synth.dsp import FloatArray, one_pole_smooth
from genrelens.synth.grammars import GenreGrammar, Section
from genrelens.synth.variation import chance

__all__ = ["SECTION_GAINS", "TRANSITIONS", "plan_sections", "layer_gain"]

#: Gain of each layer (the kick, the other drums, bass, chords, lead, effects such as risers)
#: in each section.
SECTION_GAINS: dict[Section, dict[str, float]] = {
    "drop": {"kick": 1.0, "drums": 1.0, "bass": 1.0, "chords": 1.0, "lead": 1.0, "fx": 0.3},
    "intro": {"kick": 1.0, "drums": 0.8, "bass": 0.0, "chords": 0.5, "lead": 0.0, "fx": 0.3},
    "build": {"kick": 0.0, "drums": 1.0, "bass": 0.4, "chords": 0.9, "lead": 0.6, "fx": 1.0},
    "breakdown": {"kick": 0.0, "drums": 0.25, "bass": 0.3, "chords": 1.0, "lead": 0.9,
                  "fx": 0.6},
}

#: Section that plausibly follows each section at a boundary inside a clip.
TRANSITIONS: dict[Section, tuple[Section, ...]] = {
    "intro": ("drop",), "build": ("drop",), "drop": ("breakdown", "build"),
    "breakdown": ("build", "drop"),
}

#: Probability that a clip stays inside a single section.
SINGLE_SECTION_PROB = 0.6
#: Ramp time of section gain changes [seconds].
SECTION_RAMP_S = 0.02


def plan_sections(grammar: GenreGrammar, *, bars: int, rng: np.random.Generator) -> list[Section]:
    """Section of each bar: one section drawn from the grammar's weights, or two with a
    boundary on a bar line (the second one follows :data:`TRANSITIONS`)."""
    names = list(grammar.sections)
    weights = np.array([grammar.sections[s] for s in names], dtype=np.float64)
    first: Section = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    if bars < 3 or len(names) == 1 or chance(rng, SINGLE_SECTION_PROB):
        return [first] * bars
    options = [s for s in TRANSITIONS[first] if s in grammar.sections] or [first]
    second = options[int(rng.integers(0, len(options)))]
    cut = int(rng.integers(2, bars))
    return [first] * cut + [second] * (bars - cut)


def layer_gain(sections: list[Section], layer: str, *, bar_samples: float, n: int, sr: int,
               intro_bass: float = 0.0) -> FloatArray:
    """Per-sample gain [shape=(n,)] of ``layer`` following the bar-by-bar section plan.

    ``intro_bass`` replaces the intro's bass level (some intros already carry the bass).
    """
    per_bar = np.array([
        intro_bass if (s == "intro" and layer == "bass") else SECTION_GAINS[s][layer]
        for s in sections])
    if np.all(per_bar == per_bar[0]):
        return np.full(n, per_bar[0])
    idx = np.minimum((np.arange(n) / bar_samples).astype(np.int64), len(sections) - 1)
    return one_pole_smooth(per_bar[idx], time_s=SECTION_RAMP_S, sr=sr)
