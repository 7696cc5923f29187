"""Rhythm: drum patterns per rhythm family, swing, ghost notes, fills, and note rhythms of the
bass, chord and lead parts.

Positions are in 16th-note steps from the start of the rendered timeline (4/4, 16 steps a
bar); they are floats so that triplets (footwork, trap rolls) fit on the same axis. Swing is
applied later, when steps become samples (:func:`steps_to_samples`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from genrelens.synth.grammars import (
    BassStyle,
    ChordStyle,
    DrumPattern,
    GenreGrammar,
    HatStyle,
    LeadStyle,
)
from genrelens.synth.variation import chance

__all__ = [
    "STEPS_PER_BAR",
    "DRUM_ROLES",
    "Hits",
    "NoteEvent",
    "drum_pattern",
    "bass_rhythm",
    "chord_rhythm",
    "lead_rhythm",
    "steps_to_samples",
]

STEPS_PER_BAR = 16
DRUM_ROLES = ("kick", "snare", "clap", "hat", "ohat", "perc", "shaker", "rim", "crash", "tom",
              "cowbell")

#: Velocity of a ghost note relative to a full hit.
GHOST_VELOCITY = (0.15, 0.35)
#: Bars per phrase: fills go on the last bar of a phrase, crashes on the first.
PHRASE_BARS = 4


@dataclass
class Hits:
    """Drum events by role: positions [16th steps] and velocities."""

    pos: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in DRUM_ROLES})
    vel: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in DRUM_ROLES})

    def add(self, role: str, pos: float, vel: float = 1.0) -> None:
        self.pos[role].append(pos)
        self.vel[role].append(vel)

    def arrays(self, role: str) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.pos[role], dtype=np.float64), np.asarray(self.vel[role])


@dataclass(frozen=True)
class NoteEvent:
    """One note of a pitched part: position and length [steps], pitch offset from the chord
    root or chord index [semitones or index], velocity, and whether it slides in."""

    pos: float
    length: float
    offset: int
    velocity: float = 1.0
    slide: bool = False


def _bar_template(rhythm: DrumPattern, rng: np.random.Generator) -> dict[str, list[tuple[float, float]]]:
    """One bar of kick / snare / clap / perc placements (step, velocity) for a rhythm family."""
    t: dict[str, list[tuple[float, float]]] = {"kick": [], "snare": [], "clap": [], "perc": [],
                                               "rim": [], "cowbell": []}

    def pick(options: list[list[int]]) -> list[int]:
        return options[int(rng.integers(0, len(options)))]

    if rhythm == "four_floor":
        t["kick"] = [(s, 1.0) for s in (0, 4, 8, 12)]
        t["snare"] = [(4, 1.0), (12, 1.0)]
        t["perc"] = [(s, 0.6) for s in pick([[3, 10], [6, 14], [7, 11, 15], [2, 9, 13]])]
    elif rhythm in ("breakbeat", "boom_bap"):
        t["kick"] = [(s, 1.0) for s in pick([[0, 10], [0, 6, 10], [0, 3, 10], [0, 7, 10],
                                              [0, 2, 10, 11]])]
        t["snare"] = [(4, 1.0), (12, 1.0)]
    elif rhythm in ("dnb", "jungle"):
        t["kick"] = [(s, 1.0) for s in pick([[0, 10], [0, 10, 11], [0, 6, 10], [0, 2, 10]])]
        t["snare"] = [(4, 1.0), (12, 1.0)]
    elif rhythm == "half_time":
        t["kick"] = [(s, 1.0) for s in pick([[0], [0, 3], [0, 10], [0, 6, 11], [0, 14]])]
        t["snare"] = [(8, 1.0)]
    elif rhythm == "trap":
        t["kick"] = [(s, 1.0) for s in pick([[0, 7, 10], [0, 3, 11], [0, 6, 14], [0, 10]])]
        t["snare"] = [(8, 1.0)]
        t["cowbell"] = [(s, 0.7) for s in pick([[0, 3, 6, 10, 12], [2, 6, 8, 14], [0, 6, 11]])]
    elif rhythm == "two_step":
        t["kick"] = [(s, 1.0) for s in pick([[0, 9], [0, 10], [0, 7, 10], [0, 11]])]
        t["snare"] = [(4, 1.0), (12, 1.0)]
        t["rim"] = [(s, 0.6) for s in pick([[3, 7, 14], [6, 11], [2, 10, 15]])]
    elif rhythm == "footwork":
        trip = [0.0, 4 / 3, 8 / 3, 4.0, 16 / 3, 20 / 3, 8.0, 28 / 3, 32 / 3, 12.0, 40 / 3, 44 / 3]
        keep = rng.random(len(trip)) < 0.45
        keep[0] = True
        t["kick"] = [(p, 1.0) for p, k in zip(trip, keep, strict=True) if k]
        t["snare"] = [(8, 1.0)] if chance(rng, 0.6) else [(4, 1.0), (12, 1.0)]
    elif rhythm == "dembow":
        t["kick"] = [(s, 1.0) for s in (0, 4, 8, 12)]
        t["snare"] = [(s, 0.9) for s in (3, 6, 11, 14)]
    elif rhythm == "amapiano":
        t["kick"] = [(s, 0.9) for s in pick([[0, 8], [0, 4, 8, 12], [0, 6, 8], [0, 10]])]
        t["snare"] = [(s, 0.8) for s in pick([[4, 12], [12], [7, 15]])]
        t["perc"] = [(s, 0.6) for s in pick([[3, 6, 11], [2, 5, 10, 13], [6, 14]])]
    elif rhythm == "electro":
        t["kick"] = [(s, 1.0) for s in pick([[0, 6, 10], [0, 3, 10, 11], [0, 7, 9], [0, 6, 11]])]
        t["snare"] = [(4, 1.0), (12, 1.0)]
    elif rhythm == "backbeat":
        t["kick"] = [(s, 1.0) for s in pick([[0, 8], [0, 6, 8], [0, 8, 10], [0, 4, 8, 12]])]
        t["snare"] = [(4, 1.0), (12, 1.0)]
    elif rhythm == "broken":
        grid = rng.random(16)
        t["kick"] = [(float(s), 1.0) for s in np.flatnonzero(grid < 0.25)] or [(0.0, 1.0)]
        t["snare"] = [(float(s), 0.9) for s in np.flatnonzero((grid > 0.8) & (grid < 0.93))]
        t["perc"] = [(float(s) + 0.5, 0.5) for s in np.flatnonzero(grid > 0.93)]
    return t


def _hats(style: HatStyle, hits: Hits, bar0: float, rng: np.random.Generator,
          open_hat: bool) -> None:
    """Hi-hats of one bar in ``style`` (8th offbeats, 16ths, rolls...)."""
    if style == "offbeat":
        for s in (2, 6, 10, 14):
            hits.add("ohat" if open_hat else "hat", bar0 + s, 0.9)
    elif style == "eighths":
        for s in range(0, 16, 2):
            hits.add("hat", bar0 + s, 0.9 if s % 4 else 0.6)
    elif style in ("sixteenths", "shuffle"):
        for s in range(16):
            skip = style == "shuffle" and s % 4 == 1 and chance(rng, 0.6)
            if not skip:
                hits.add("hat", bar0 + s, 0.85 if s % 2 else 0.55)
        if open_hat:
            for off in (2, 6, 10, 14):
                hits.add("ohat", bar0 + off, 0.6)
    elif style == "trap_rolls":
        pos = 0.0
        while pos < 16:
            roll = int(rng.choice([1, 1, 1, 2, 3, 4])) if pos % 4 in (2.0, 3.0) else 1
            step = 2.0 if chance(rng, 0.6) else 1.0
            for r in range(roll):
                hits.add("hat", bar0 + pos + r * step / roll, 0.7 if r else 0.9)
            pos += step
    elif style == "sparse":
        for s in (2, 10) if chance(rng, 0.5) else (6, 14):
            hits.add("hat", bar0 + s, 0.7)


def drum_pattern(grammar: GenreGrammar, *, bars: int, rng: np.random.Generator,
                 phrase_offset: int) -> Hits:
    """Drum events for ``bars`` bars: a one- or two-bar loop of the grammar's rhythm family with
    its hat style, ghost snares, percussion, fills on phrase ends and crashes on phrase starts.

    ``phrase_offset`` is the bar of the phrase the timeline starts on, so that fills do not
    always fall on the same bar of a clip.
    """
    hits = Hits()
    if grammar.rhythm == "none":
        return hits
    templates = [_bar_template(grammar.rhythm, rng), _bar_template(grammar.rhythm, rng)]
    two_bar = chance(rng, 0.4)
    hat_style: HatStyle = grammar.hats[int(rng.integers(0, len(grammar.hats)))]
    open_hat = chance(rng, grammar.open_hat_prob)
    use_clap = chance(rng, grammar.clap_prob)
    use_perc = chance(rng, grammar.perc_prob)
    use_shaker = chance(rng, grammar.shaker_prob)
    ghosts = chance(rng, grammar.ghost_prob)
    fills = chance(rng, grammar.fill_prob)
    for bar in range(bars):
        b0 = float(bar * STEPS_PER_BAR)
        tpl = templates[bar % 2 if two_bar else 0]
        phrase_pos = (bar + phrase_offset) % PHRASE_BARS
        is_fill = fills and phrase_pos == PHRASE_BARS - 1
        for s, v in tpl["kick"]:
            if not (is_fill and s >= 12):
                hits.add("kick", b0 + s, v * float(rng.uniform(0.9, 1.0)))
        backbeat = "clap" if use_clap else "snare"
        for s, v in tpl["snare"]:
            hits.add(backbeat, b0 + s, v)
            if use_clap and chance(rng, 0.3):
                hits.add("snare", b0 + s, v * 0.6)
        for role in ("perc", "rim", "cowbell"):
            if role != "perc" or use_perc:
                for s, v in tpl[role]:
                    hits.add(role, b0 + s, v * float(rng.uniform(0.7, 1.0)))
        _hats(hat_style, hits, b0, rng, open_hat)
        if use_shaker:
            for s in range(16):
                hits.add("shaker", b0 + s, 0.8 if s % 2 else 0.45)
        if ghosts:
            for ghost in np.flatnonzero(rng.random(16) < 0.18).tolist():
                if ghost not in (4, 8, 12):
                    hits.add("snare", b0 + float(ghost), float(rng.uniform(*GHOST_VELOCITY)))
        if is_fill:
            fill_role = "tom" if chance(rng, 0.4) else "snare"
            density = 1.0 if chance(rng, 0.5) else 0.5
            s = 12.0
            while s < 16:
                hits.add(fill_role, b0 + s, float(0.5 + 0.5 * (s - 12) / 4))
                s += density
        if phrase_pos == 0 and bar > 0 and chance(rng, 0.5):
            hits.add("crash", b0, 0.8)
    return hits


def bass_rhythm(style: BassStyle, *, bars: int, rng: np.random.Generator,
                kick_steps: np.ndarray) -> list[NoteEvent]:
    """Bass notes: rhythm and offsets (semitones from the bar's chord root) for a bass style.

    A loop of one or two bars is drawn and repeated, as a producer programs a bass line.
    """
    loop: list[NoteEvent] = []
    if style == "none":
        return []
    if style in ("sub", "reese", "wobble"):
        if style == "sub" and chance(rng, 0.5):
            first_bar = kick_steps[kick_steps < STEPS_PER_BAR]
            ks = sorted(set(first_bar.tolist())) or [0.0]
            ends = [*ks[1:], 16.0]
            loop = [NoteEvent(k, e - k, 0) for k, e in zip(ks, ends, strict=True)]
        else:
            cut = float(rng.choice([8.0, 16.0, 12.0]))
            loop = [NoteEvent(0, cut, 0)]
            if cut < 16:
                loop.append(NoteEvent(cut, 16 - cut, int(rng.choice([0, 3, 5, 7, -2, 12]))))
    elif style == "riddim":
        phrase = [0.0, 3.0, 6.0] if chance(rng, 0.5) else [0.0, 2.0, 8.0, 10.0]
        loop = [NoteEvent(p, float(rng.choice([1.5, 2.0, 3.0])), int(rng.choice([0, 0, 12, 1])))
                for p in phrase]
    elif style == "acid":
        gate = rng.random(16) < 0.65
        gate[0] = True
        for s in np.flatnonzero(gate):
            loop.append(NoteEvent(float(s), float(rng.choice([0.5, 0.8, 1.0])),
                                  int(rng.choice([0, 0, 0, 12, 12, 7, 3, 10, -2, 5])),
                                  velocity=1.0 if chance(rng, 0.3) else 0.6,
                                  slide=chance(rng, 0.25)))
    elif style == "rolling":
        for beat in range(4):
            for k in (1, 2, 3):
                loop.append(NoteEvent(beat * 4.0 + k, 0.8, 12 if chance(rng, 0.08) else 0,
                                      velocity=0.9 if k == 1 else 0.75))
    elif style == "offbeat":
        loop = [NoteEvent(s, 1.6, 0) for s in (2.0, 6.0, 10.0, 14.0)]
    elif style == "reverse":
        loop = [NoteEvent(s, 2.0, 0) for s in (2.0, 6.0, 10.0, 14.0)]
    elif style == "octave":
        loop = [NoteEvent(float(s), 1.5, 12 if (s // 2) % 2 else 0) for s in range(0, 16, 2)]
    elif style == "eighths":
        loop = [NoteEvent(float(s), 1.6, 12 if chance(rng, 0.1) else 0) for s in range(0, 16, 2)]
    elif style == "sixteenths":
        loop = [NoteEvent(float(s), 0.8, int(rng.choice([0, 0, 0, 12, 7])) if s % 4 else 0)
                for s in range(16)]
    elif style == "808":
        ks = sorted(set(kick_steps[kick_steps < STEPS_PER_BAR].tolist())) or [0.0]
        ends = [*ks[1:], 16.0]
        loop = [NoteEvent(k, e - k, int(rng.choice([0, 0, 0, 12, 7, -2])), slide=chance(rng, 0.3))
                for k, e in zip(ks, ends, strict=True)]
    elif style == "log_drum":
        cand = np.array([0, 3, 6, 7, 10, 11, 13, 14], dtype=np.float64)
        chosen = cand[rng.random(cand.size) < 0.5]
        loop = [NoteEvent(float(s), 1.5, int(rng.choice([0, 12, 7, 10, 5])), slide=chance(rng, 0.3))
                for s in (chosen if chosen.size else cand[:3])]
    elif style == "funk":
        cand = np.array([0, 3, 6, 7, 10, 11, 14], dtype=np.float64)
        chosen = cand[(rng.random(cand.size) < 0.55) | (cand == 0)]
        loop = [NoteEvent(float(s), float(rng.choice([1.0, 1.5, 2.0])),
                          int(rng.choice([0, 0, 12, 7, 10, 5]))) for s in chosen]
    elif style == "warp":
        for eighth in range(0, 16, 2):
            loop.append(NoteEvent(float(eighth), 2.0, int(rng.choice([0, 0, 12, -12, 7])),
                                  slide=chance(rng, 0.5)))
    loop_bars = 2 if chance(rng, 0.35) else 1
    if loop_bars == 2:
        variation = [NoteEvent(e.pos + 16, e.length, e.offset if chance(rng, 0.8) else 12,
                               e.velocity, e.slide) for e in loop]
        loop = loop + variation
    return [NoteEvent(e.pos + b * 16 * loop_bars, e.length, e.offset, e.velocity, e.slide)
            for b in range(-(-bars // loop_bars)) for e in loop]


def chord_rhythm(style: ChordStyle, *, bars: int, rng: np.random.Generator) -> list[NoteEvent]:
    """When chords sound (``offset`` unused): sustained pads or rhythmic stabs and plucks."""
    if style == "none":
        return []
    if style in ("pad", "strings") or (style in ("supersaw", "epiano", "piano")
                                       and chance(rng, 0.5)):
        return [NoteEvent(b * 16.0, 16.0, 0) for b in range(bars)]
    options = {
        "stab": [[0, 3, 6, 10], [2, 6, 10, 14], [3, 10], [0, 6, 12], [2, 5, 11]],
        "dub_chord": [[2, 6, 10, 14], [3, 11], [2, 10], [3, 10]],
        "organ": [[2, 6, 10, 14], [0, 3, 7, 10], [3, 6, 11, 14]],
        "supersaw": [[0, 3, 6, 10, 12], [0, 2, 4, 6, 8, 10, 12, 14], [0, 3, 6, 8, 11, 14]],
        "pluck": [[0, 3, 6, 8, 11, 14], [2, 6, 10, 14], [0, 2, 4, 6, 8, 10, 12, 14]],
        "epiano": [[0, 6, 10], [2, 8, 14], [0, 3, 8, 11]],
        "piano": [[0, 6, 10], [0, 3, 6, 10, 12], [2, 6, 10, 14], [0, 8]],
        "bell": [[0, 10], [0, 6], [4, 12]],
    }[style]
    steps = options[int(rng.integers(0, len(options)))]
    length = {"dub_chord": 1.5, "stab": 1.0, "organ": 1.2, "pluck": 1.0, "supersaw": 1.5,
              "epiano": 3.0, "piano": 2.0, "bell": 4.0}[style]
    return [NoteEvent(b * 16.0 + s, length, 0) for b in range(bars) for s in steps]


def lead_rhythm(style: LeadStyle, *, bars: int, rng: np.random.Generator) -> list[NoteEvent]:
    """Lead notes with ``offset`` = scale degree above the key's tonic (arps: chord-tone index).

    A one- or two-bar motif is repeated with small changes, which is how hooks work.
    """
    if style == "none":
        return []
    if style == "arp":
        rate = float(rng.choice([1.0, 2.0, 4 / 3]))
        shape = [[0, 1, 2, 3], [0, 1, 2, 1], [3, 2, 1, 0], [0, 2, 1, 3, 2, 4]][
            int(rng.integers(0, 4))]
        out, k, s = [], 0, 0.0
        while s < bars * 16:
            out.append(NoteEvent(s, rate * 0.8, shape[k % len(shape)]))
            s += rate
            k += 1
        return out
    motif_len = 16 if chance(rng, 0.5) else 32
    step = 2.0 if style in ("saw_lead", "bell_lead") else float(rng.choice([1.0, 2.0]))
    motif: list[NoteEvent] = []
    s, degree = 0.0, int(rng.integers(0, 5))
    while s < motif_len:
        if chance(rng, 0.7):
            length = step * float(rng.choice([1, 1, 2, 3]))
            motif.append(NoteEvent(s, length * 0.9, degree, velocity=float(rng.uniform(0.7, 1.0))))
            s += length
            degree = int(np.clip(degree + rng.choice([-2, -1, 1, 2, 0, 3, -3]), -2, 9))
        else:
            s += step
    return [NoteEvent(e.pos + r * motif_len, e.length, e.offset, e.velocity)
            for r in range(-(-bars * 16 // motif_len)) for e in motif]


def steps_to_samples(steps: np.ndarray, *, step_s: float, sr: int, swing: float,
                     offset_s: float = 0.0) -> np.ndarray:
    """Sample positions of step positions, delaying odd 16ths by ``swing`` of a step."""
    whole = np.floor(steps)
    on_grid = np.isclose(steps, whole)
    odd = on_grid & (whole.astype(np.int64) % 2 == 1)
    shifted = steps + np.where(odd, swing, 0.0)
    return np.round((shifted * step_s + offset_s) * sr).astype(np.int64)
