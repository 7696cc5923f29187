"""``render_clip``: compose and synthesise one clip of a modelled genre from its grammar.

The pipeline: draw tempo, key and groove from the genre's grammar; plan the sections of the
excerpt; build drum events, bass, chord and lead notes; render each part with sample kits
(where installed) or synthesis; arrange, mix with sidechain, reverb and delay; master with
EQ, saturation, loudness and noise; optionally pass through an MP3 codec. Every random choice
comes from one generator seeded by (seed, genre, variant), so a seed always renders the same
samples, bit for bit, on a given machine and sample library.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from genrelens.audio.constants import SAMPLE_RATE
from genrelens.errors import InvalidParameterError
from genrelens.synth import effects, instruments, samples
from genrelens.synth.arrangement import layer_gain, plan_sections
from genrelens.synth.dsp import FloatArray, db_to_gain, filt, fit_length, pink_noise, tv_filter
from genrelens.synth.grammars import ChordStyle, GenreGrammar, LeadStyle, grammar_for
from genrelens.synth.harmony import Chord, Key, choose_key, chord_on, progression, scale_pitch
from genrelens.synth.instruments import NoteSeq, Wave
from genrelens.synth.patterns import (
    STEPS_PER_BAR,
    NoteEvent,
    bass_rhythm,
    chord_rhythm,
    drum_pattern,
    lead_rhythm,
    steps_to_samples,
)
from genrelens.synth.variation import VARIANTS, Variant, chance, draw

__all__ = ["RenderedClip", "render_clip", "MAX_RENDER_SECONDS", "MIN_SAMPLE_RATE",
           "MAX_SAMPLE_RATE", "MP3_PROB"]

#: Longest clip render_clip accepts [seconds] (memory stays small, a few MB per clip).
MAX_RENDER_SECONDS = 600.0
MIN_SAMPLE_RATE = 8000
MAX_SAMPLE_RATE = 96000
#: Share of clips passed through an MP3 encode/decode round trip.
MP3_PROB = 0.25
#: MP3 levels of the training variant and of the held-out variant (lower bitrates).
MP3_LEVELS_TRAIN = (0.0, 0.3, 0.5, 0.7)
MP3_LEVELS_OOD = (0.8, 0.9)
#: Probability that a drum role uses a sample of the chosen kit rather than synthesis.
SAMPLE_ROLE_PROB = 0.7
#: Probability that a clip uses a sample kit at all (when one is installed).
KIT_PROB = 0.65
#: Kick styles whose character only synthesis gives (distorted, tuned): never sampled.
SYNTH_ONLY_KICKS = frozenset({"hardstyle", "gabber", "808"})
#: Mix level of each drum role [dB] (centre of a random range of +-3 dB).
ROLE_LEVEL_DB = {"kick": 0.0, "snare": -4.0, "clap": -4.0, "hat": -12.0, "ohat": -13.0,
                 "perc": -11.0, "shaker": -16.0, "rim": -12.0, "crash": -14.0, "tom": -8.0,
                 "cowbell": -12.0}
#: Probability that a pad, strings, organ or electric-piano part uses the GM sound font
#: (pianos always do when it is installed).
GM_CHORD_PROB = 0.5
#: Bass register (octave of the root) per style.
BASS_OCTAVE = {"sub": 1, "808": 1, "reese": 1, "wobble": 1, "riddim": 1, "warp": 1,
               "reverse": 1}


@dataclass(frozen=True)
class RenderedClip:
    """One rendered clip and what it was rendered from.

    audio : np.ndarray [shape=(n,), float32] mono samples in [-1, 1].
    meta : the grammar choices (rhythm, kit, bass, chords, sections, codec...).
    """

    audio: npt.NDArray[np.float32]
    sr: int
    genre: str
    seed: int
    tempo_bpm: float
    key: str
    meta: dict[str, Any] = field(default_factory=dict)


def _validate(genre: str, seed: int, seconds: float, sr: int, variant: str) -> GenreGrammar:
    grammar = grammar_for(genre)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidParameterError(f"seed must be a non-negative integer, got {seed!r}",
                                    extra={"seed": repr(seed)})
    if not np.isfinite(seconds) or not 0 < seconds <= MAX_RENDER_SECONDS:
        raise InvalidParameterError(
            f"seconds must be in (0, {MAX_RENDER_SECONDS:g}], got {seconds!r}",
            extra={"seconds": seconds})
    if not MIN_SAMPLE_RATE <= sr <= MAX_SAMPLE_RATE:
        raise InvalidParameterError(
            f"sr must be in [{MIN_SAMPLE_RATE}, {MAX_SAMPLE_RATE}] Hz, got {sr!r}",
            extra={"sr": sr})
    if variant not in VARIANTS:
        raise InvalidParameterError(f"variant must be one of {VARIANTS}, got {variant!r}",
                                    extra={"variant": variant})
    return grammar


def _pick(rng: np.random.Generator, options: tuple[Any, ...]) -> Any:
    return options[int(rng.integers(0, len(options)))]


@dataclass
class _Ctx:
    """What every part of one render shares."""

    g: GenreGrammar
    rng: np.random.Generator
    ood: bool
    variant: Variant
    sr: int
    n: int
    bars: int
    step_s: float
    swing: float
    key: Key
    chords: list[Chord]
    meta: dict[str, Any]

    @property
    def bar_samples(self) -> float:
        return STEPS_PER_BAR * self.step_s * self.sr

    def to_samples(self, steps: np.ndarray) -> np.ndarray:
        return steps_to_samples(steps, step_s=self.step_s, sr=self.sr, swing=self.swing)


def _synth_hit(role: str, ctx: _Ctx, kick_style: str, snare_style: str) -> FloatArray:
    rng, sr, ood = ctx.rng, ctx.sr, ctx.ood
    tune = float(440.0 * 2 ** ((ctx.chords[0].root - 69) / 12))
    while tune > 70:
        tune /= 2
    if role == "kick":
        return instruments.kick(kick_style, sr=sr, rng=rng, ood=ood, tune_hz=tune)  # type: ignore[arg-type]
    if role == "snare":
        return instruments.snare(snare_style, sr=sr, rng=rng, ood=ood)  # type: ignore[arg-type]
    if role == "clap":
        return instruments.clap(sr=sr, rng=rng, ood=ood)
    if role in ("hat", "ohat"):
        return instruments.hat(sr=sr, rng=rng, ood=ood, open_=role == "ohat",
                               metallic=chance(rng, 0.5))
    if role == "shaker":
        return instruments.shaker(sr=sr, rng=rng, ood=ood)
    if role == "perc":
        if chance(rng, 0.5):
            return instruments.hand_drum(sr=sr, rng=rng, ood=ood, pitch_hz=draw(rng, 150, 400))
        return instruments.rim(sr=sr, rng=rng, ood=ood)
    if role == "rim":
        return instruments.rim(sr=sr, rng=rng, ood=ood)
    if role == "cowbell":
        return instruments.cowbell(sr=sr, rng=rng, ood=ood)
    if role == "tom":
        return instruments.tom(sr=sr, rng=rng, ood=ood, pitch_hz=draw(rng, 90, 200))
    return instruments.cymbal(sr=sr, rng=rng, ood=ood)


def _drums(ctx: _Ctx, sections: Sequence[str]) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """(kick, other drums, kick onsets [samples]) of the clip."""
    g, rng, sr, n = ctx.g, ctx.rng, ctx.sr, ctx.n
    hits = drum_pattern(g, bars=ctx.bars, rng=rng, phrase_offset=int(rng.integers(0, 4)))
    for bar, sec in enumerate(sections):
        if sec == "build" and g.rhythm != "none":
            rate = 4.0 if bar == len(sections) - 1 or sections[bar + 1] != "build" else 2.0
            s = 0.0
            while s < STEPS_PER_BAR:
                hits.add("snare", bar * STEPS_PER_BAR + s, 0.4 + 0.5 * s / STEPS_PER_BAR)
                s += 4.0 / rate
    kick_style = _pick(rng, g.kick)
    snare_style = _pick(rng, g.snare)
    lib = samples.library()
    kits = lib.kits_for(ctx.variant, g.kit_style)
    kit = _pick(rng, kits) if kits and chance(rng, KIT_PROB) else None
    percs = lib.percussion_for(ctx.variant)
    perc_kit = _pick(rng, percs) if percs and chance(rng, 0.5) else None
    jitter_s = draw(rng, 0.0, 0.006, ood=ctx.ood) if g.kit_style != "electronic" else 0.0
    kick = np.zeros(n)
    other = np.zeros(n)
    kick_onsets = np.zeros(0, dtype=np.int64)
    used: dict[str, str] = {}
    for role in hits.pos:
        pos, vel = hits.arrays(role)
        if pos.size == 0:
            continue
        onsets = ctx.to_samples(pos)
        if jitter_s > 0 and role != "kick":
            onsets = onsets + np.round(rng.normal(0, jitter_s * sr, onsets.size)).astype(np.int64)
        source_kit = perc_kit if role in ("perc", "shaker") and perc_kit else kit
        hit = np.zeros(0)
        sampled = (source_kit is not None and role in source_kit.roles
                   and not (role == "kick" and kick_style in SYNTH_ONLY_KICKS)
                   and chance(rng, SAMPLE_ROLE_PROB))
        if sampled and source_kit is not None:
            hit = samples.load_sample(_pick(rng, source_kit.roles[role]), sr)
            used[role] = source_kit.name
        if hit.size == 0:
            hit = _synth_hit(role, ctx, kick_style, snare_style)
            used[role] = "synth"
        level = db_to_gain(ROLE_LEVEL_DB[role] + draw(rng, -3.0, 3.0, ood=ctx.ood))
        audio = instruments.place_hits(hit, onsets, vel, n=n) * level
        if role == "kick":
            kick, kick_onsets = audio, onsets
        else:
            other += audio
    if g.break_loop_prob > 0 and chance(rng, g.break_loop_prob):
        loops = lib.loops_for(ctx.variant)
        if loops:
            lp = _pick(rng, loops)
            loop_audio = samples.load_sample(lp.path, sr, samples.MAX_LOOP_S, trim=False)
            brk = instruments.chopped_break(loop_audio, loop_bars=lp.bars, bars=ctx.bars,
                                            bar_samples=ctx.bar_samples, rng=rng,
                                            chop_prob=draw(rng, 0.1, 0.5, ood=ctx.ood))
            other = 0.4 * other + fit_length(brk, n) * db_to_gain(draw(rng, -4.0, 0.0))
            kick *= db_to_gain(draw(rng, -8.0, -2.0))
            used["break"] = lp.name
    ctx.meta.update(kick_style=kick_style, snare_style=snare_style,
                    kit=kit.name if kit else "synth", drum_sources=used)
    return kick, other, kick_onsets


def _note_seq(events: list[NoteEvent], pitches: list[float], ctx: _Ctx) -> NoteSeq:
    if not events:
        return NoteSeq.empty()
    pos = np.array([e.pos for e in events])
    starts = ctx.to_samples(pos)
    lengths = np.maximum(np.round(np.array([e.length for e in events]) * ctx.step_s * ctx.sr),
                         1).astype(np.int64)
    return NoteSeq(starts, lengths, np.array(pitches, dtype=np.float64),
                   np.array([e.velocity for e in events]), np.array([e.slide for e in events]))


def _chord_at(ctx: _Ctx, step: float) -> Chord:
    bar = int(step // STEPS_PER_BAR)
    return ctx.chords[min(max(bar, 0), len(ctx.chords) - 1)]


def _bass(ctx: _Ctx, kick_steps: np.ndarray) -> FloatArray:
    g, rng, sr, n, ood = ctx.g, ctx.rng, ctx.sr, ctx.n, ctx.ood
    style = _pick(rng, g.bass)
    ctx.meta["bass"] = style
    events = bass_rhythm(style, bars=ctx.bars, rng=rng, kick_steps=kick_steps)
    if not events:
        return np.zeros(n)
    octave_shift = 0 if BASS_OCTAVE.get(style, 2) == 1 else 12
    pitches = [float(_chord_at(ctx, e.pos).root + octave_shift + e.offset) for e in events]
    seq = _note_seq(events, pitches, ctx)
    beat_hz = 1.0 / (4 * ctx.step_s)
    if style == "sub":
        return instruments.mono_voice(seq, "sine", n=n, sr=sr, rng=rng, attack=0.005,
                                      decay=0.3, sustain=0.8, release=0.05)
    if style == "808":
        x = instruments.mono_voice(seq, "sine", n=n, sr=sr, rng=rng, attack=0.002,
                                   decay=draw(rng, 0.3, 0.9, ood=ood), sustain=0.3,
                                   release=0.1, glide_s=draw(rng, 0.03, 0.09, ood=ood))
        return effects.drive(x, draw(rng, 1.0, 4.0, ood=ood))
    if style == "log_drum":
        return instruments.log_drum(seq, n=n, sr=sr, rng=rng, ood=ood)
    if style == "reverse":
        # Hardstyle "reverse bass": an off-beat note that swells into the next kick.
        swell = 2 * ctx.step_s * draw(rng, 0.7, 0.95, ood=ood)
        x = instruments.mono_voice(seq, "saw", n=n, sr=sr, rng=rng, attack=swell, decay=1.0,
                                   sustain=1.0, release=0.01, unison=2, detune_cents=8.0)
        x = effects.drive(x, draw(rng, 4.0, 15.0, ood=ood))
        return 0.5 * filt(x, "lowpass", draw(rng, 800, 2500, ood=ood), sr=sr)
    if style == "acid":
        wave: Wave = "saw" if chance(rng, 0.6) else "square"
        x = instruments.mono_voice(seq, wave, n=n, sr=sr, rng=rng, attack=0.002, decay=0.15,
                                   sustain=0.6, release=0.02, glide_s=0.04)
        return 0.6 * instruments.acid_filter(x, seq, n=n, sr=sr, rng=rng, ood=ood,
                                             accents=seq.velocity)
    sub = instruments.mono_voice(seq, "sine", n=n, sr=sr, rng=rng, attack=0.005, decay=0.3,
                                 sustain=0.8, release=0.05)
    if style == "reese":
        x = instruments.mono_voice(seq, "saw", n=n, sr=sr, rng=rng, attack=0.01, decay=0.5,
                                   sustain=0.9, release=0.1, unison=3,
                                   detune_cents=draw(rng, 12, 35, ood=ood))
        t = np.arange(n) / sr
        cutoff = draw(rng, 300, 900, ood=ood) * (1.6 + np.sin(2 * np.pi * t * draw(
            rng, 0.1, 0.6) + rng.random() * 6.28))
        x = effects.drive(tv_filter(x, cutoff, sr=sr, q=2.0),
                          draw(rng, 1.5, 5.0, ood=ood))
        return 0.7 * sub + 0.5 * x
    if style in ("wobble", "riddim", "warp"):
        wave = "square" if style == "riddim" or chance(rng, 0.4) else "saw"
        x = instruments.mono_voice(seq, wave, n=n, sr=sr, rng=rng, attack=0.005, decay=0.4,
                                   sustain=0.9, release=0.05, unison=2,
                                   detune_cents=draw(rng, 5, 20, ood=ood),
                                   glide_s=0.05 if style == "warp" else 0.0)
        divisions = (1, 2, 3, 4) if style == "wobble" else ((2, 3) if style == "riddim" else (1, 2))
        per_beat = np.array([_pick(rng, divisions) for _ in range(ctx.bars * 4 + 1)], dtype=float)
        beat_idx = np.minimum((np.arange(n) / (4 * ctx.step_s * sr)).astype(np.int64),
                              per_beat.size - 1)
        rate = per_beat[beat_idx] * beat_hz
        shape: Literal["sine", "square", "saw"] = (
            "square" if style == "riddim" else _pick(rng, ("sine", "saw")))
        x = instruments.wobble_filter(x, n=n, sr=sr, rate_hz=rate,
                                      lo_hz=draw(rng, 120, 300, ood=ood),
                                      hi_hz=draw(rng, 1500, 5000, ood=ood),
                                      q=draw(rng, 1.5, 5.0, ood=ood), shape=shape)
        x = effects.drive(x, draw(rng, 2.0, 8.0, ood=ood))
        return 0.6 * sub + 0.5 * x
    wave = _pick(rng, ("saw", "square", "pulse"))
    decay = {"rolling": 0.08, "funk": 0.2, "offbeat": 0.12}.get(style, 0.15)
    x = instruments.mono_voice(seq, wave, n=n, sr=sr, rng=rng, attack=0.002,
                               decay=draw(rng, decay * 0.6, decay * 1.5, ood=ood), sustain=0.3,
                               release=0.03)
    x = filt(x, "lowpass", draw(rng, 350, 1400, ood=ood), sr=sr, q=draw(rng, 0.7, 3.0, ood=ood))
    return 0.6 * x + (0.5 * sub if style in ("funk", "octave", "offbeat") else 0.0)


def _render_chord_audio(style: str, chord: Chord, length: int, ctx: _Ctx,
                        timbre: dict[str, float]) -> FloatArray:
    """One chord of the chord part (rendered once per distinct chord and length)."""
    sr, rng = ctx.sr, ctx.rng
    k = len(chord.pitches)
    release = timbre["release"]
    m = length + int(release * sr) + 1
    seq = NoteSeq(np.zeros(k, dtype=np.int64), np.full(k, length, dtype=np.int64),
                  np.array(chord.pitches, dtype=np.float64), np.full(k, 1.0 / np.sqrt(k)),
                  np.zeros(k, dtype=bool))
    if timbre["gm"] > 0:
        gm = _gm_chord(style, chord, length, ctx)
        if gm.size:
            return gm
    if style == "organ":
        return instruments.organ_voice(seq, n=m, sr=sr, rng=rng)
    if style in ("epiano", "piano", "bell"):
        return instruments.fm_voice(seq, n=m, sr=sr, ratio=1.0 if style == "epiano" else 3.5,
                                    index=timbre["index"], decay=timbre["decay"],
                                    release=release)
    wave: Wave = "square" if style == "stab" and timbre["square"] >= 0.5 else "saw"
    x = instruments.poly_voice(seq, wave, n=m, sr=sr, rng=rng, attack=timbre["attack"],
                               decay=timbre["decay"], sustain=timbre["sustain"], release=release,
                               unison=int(timbre["unison"]), detune_cents=timbre["detune"])
    return filt(x, "lowpass", timbre["cutoff"], sr=sr)


def _gm_chord(style: str, chord: Chord, length: int, ctx: _Ctx) -> FloatArray:
    """A chord played by the General MIDI sound font (empty if it is not installed)."""
    train_program, ood_program = samples.GM_PROGRAMS[style]
    program = ood_program if ctx.ood else train_program
    release = int(0.25 * ctx.sr)
    notes = [samples.gm_note(program, p, sr=ctx.sr) for p in chord.pitches]
    if not notes or any(x.size == 0 for x in notes):
        return np.zeros(0)
    m = min(min(x.size for x in notes), length + release)
    out = np.sum([x[:m] for x in notes], axis=0)
    tail = np.ones(m)
    if m > length:
        tail[length:] = np.exp(-np.arange(m - length) / (0.06 * ctx.sr))
    out = out * tail
    return np.asarray(out / (np.max(np.abs(out)) + 1e-9) * 0.8)


def _chord_timbre(style: str, ctx: _Ctx) -> dict[str, float]:
    rng, ood = ctx.rng, ctx.ood
    use_gm = (style in samples.GM_PROGRAMS and samples.gm_available()
              and samples.gm_note(samples.GM_PROGRAMS[style][int(ood)], 60, sr=ctx.sr).size > 0
              and (style == "piano" or chance(rng, GM_CHORD_PROB)))
    base = {"attack": 0.005, "decay": 0.2, "sustain": 0.0, "release": 0.1, "unison": 1,
            "detune": 0.0, "cutoff": 3000.0, "index": 1.5, "square": float(rng.random()),
            "gm": float(use_gm)}
    if style in ("pad", "strings"):
        base.update(attack=draw(rng, 0.15, 0.8, ood=ood), decay=1.0, sustain=0.9, release=0.6,
                    unison=2, detune=draw(rng, 6, 20, ood=ood),
                    cutoff=draw(rng, 1200, 4000, ood=ood))
    elif style == "supersaw":
        base.update(attack=0.01, decay=0.5, sustain=0.85, release=0.2,
                    unison=int(rng.integers(3, 5)) if not ood else 6,
                    detune=draw(rng, 15, 40, ood=ood), cutoff=draw(rng, 4000, 8000, ood=ood))
    elif style == "stab":
        base.update(decay=draw(rng, 0.08, 0.25, ood=ood), cutoff=draw(rng, 1500, 4500, ood=ood),
                    unison=int(rng.integers(1, 3)), detune=8.0)
    elif style == "dub_chord":
        base.update(decay=draw(rng, 0.1, 0.3, ood=ood), sustain=0.1, unison=2, detune=6.0,
                    cutoff=draw(rng, 500, 1400, ood=ood), release=0.15)
    elif style == "pluck":
        base.update(decay=draw(rng, 0.06, 0.2, ood=ood), cutoff=draw(rng, 2000, 6000, ood=ood))
    elif style in ("epiano", "piano"):
        base.update(index=draw(rng, 0.8, 2.5, ood=ood), decay=draw(rng, 0.6, 1.6, ood=ood),
                    release=0.3)
    elif style == "bell":
        base.update(index=draw(rng, 1.5, 4.0, ood=ood), decay=draw(rng, 0.8, 2.0, ood=ood),
                    release=0.5)
    return base


def _chords(ctx: _Ctx) -> FloatArray:
    g, rng, n = ctx.g, ctx.rng, ctx.n
    style: ChordStyle = _pick(rng, g.chords) if chance(rng, g.chord_prob) else "none"
    ctx.meta["chords"] = style
    events = chord_rhythm(style, bars=ctx.bars, rng=rng)
    if not events:
        return np.zeros(n)
    timbre = _chord_timbre(style, ctx)
    ctx.meta["chords_gm"] = bool(timbre["gm"])
    groups: dict[tuple[tuple[int, ...], int], list[tuple[int, float]]] = {}
    for e in events:
        chord = _chord_at(ctx, e.pos)
        onset = int(ctx.to_samples(np.array([e.pos]))[0])
        length = int(round(e.length * ctx.step_s * ctx.sr))
        groups.setdefault((chord.pitches, length), []).append((onset, e.velocity))
    out = np.zeros(n)
    for (pitches, length), hits in groups.items():
        audio = _render_chord_audio(style, Chord(pitches, 0), length, ctx, timbre)
        onsets = np.array([h[0] for h in hits], dtype=np.int64)
        vels = np.array([h[1] for h in hits])
        out += instruments.place_hits(audio, onsets, vels, n=n)
    return out


def _arp_pitch(chord: Chord, index: int) -> float:
    """Pitch of the ``index``-th chord tone of an arpeggio, one octave above the chord."""
    k = len(chord.pitches)
    return float(chord.pitches[index % k] + 12 * (1 + index // k))


def _lead(ctx: _Ctx) -> FloatArray:
    g, rng, sr, n, ood = ctx.g, ctx.rng, ctx.sr, ctx.n, ctx.ood
    style: LeadStyle = _pick(rng, g.leads) if chance(rng, g.lead_prob) else "none"
    ctx.meta["lead"] = style
    events = lead_rhythm(style, bars=ctx.bars, rng=rng)
    if not events:
        return np.zeros(n)
    if style == "arp":
        pitches = [_arp_pitch(_chord_at(ctx, e.pos), e.offset) for e in events]
    else:
        pitches = [float(scale_pitch(ctx.key, e.offset, octave=5)) for e in events]
    seq = _note_seq(events, pitches, ctx)
    if style == "bell_lead":
        return instruments.fm_voice(seq, n=n, sr=sr, ratio=3.5, index=draw(rng, 1.0, 3.0, ood=ood),
                                    decay=draw(rng, 0.4, 1.2, ood=ood))
    wave: Wave = "square" if style == "square_lead" else _pick(rng, ("saw", "pulse"))
    short = style in ("arp", "pluck_lead")
    x = instruments.mono_voice(seq, wave, n=n, sr=sr, rng=rng, attack=0.003,
                               decay=draw(rng, 0.08, 0.25, ood=ood) if short else 0.4,
                               sustain=0.0 if short else 0.7, release=0.05,
                               glide_s=0.0 if short else 0.02, unison=1 if short else 2,
                               detune_cents=10.0)
    return filt(x, "lowpass", draw(rng, 2000, 6000, ood=ood), sr=sr)


def _fx(ctx: _Ctx, sections: Sequence[str]) -> FloatArray:
    """Risers before drops, ambient textures and drones."""
    g, rng, sr, n = ctx.g, ctx.rng, ctx.sr, ctx.n
    out = np.zeros(n)
    builds = [i for i, s in enumerate(sections) if s == "build"]
    if builds or chance(rng, g.riser_prob * 0.3):
        first, last = (builds[0], builds[-1] + 1) if builds else (ctx.bars - 2, ctx.bars)
        a, b = int(max(first, 0) * ctx.bar_samples), min(int(last * ctx.bar_samples), n)
        if b - a > sr // 4:
            noise = rng.standard_normal(b - a) * np.linspace(0.05, 1.0, b - a) ** 2
            out[a:b] += effects.filter_sweep(noise, sr=sr, start_hz=300, end_hz=8000,
                                             kind="lowpass") * 0.3
    if chance(rng, g.texture_prob):
        textures = samples.library().textures
        if textures and chance(rng, 0.7):
            tex = samples.load_sample(_pick(rng, textures), sr, samples.MAX_LOOP_S)
            reps = int(np.ceil(n / max(tex.size, 1)))
            out += np.tile(tex, reps)[:n] * 0.3 if tex.size else 0.0
            ctx.meta["texture"] = "sample"
        else:
            drone_hz = float(440 * 2 ** ((ctx.chords[0].root + 24 - 69) / 12))
            t = np.arange(n) / sr
            drone = np.sin(2 * np.pi * drone_hz * t) + 0.5 * np.sin(2 * np.pi * drone_hz * 1.5 * t)
            out += 0.15 * drone * (0.6 + 0.4 * np.sin(2 * np.pi * 0.1 * t))
            out += 0.05 * filt(pink_noise(n, rng=rng), "bandpass", draw(rng, 300, 2000), sr=sr)
            ctx.meta["texture"] = "synth"
    return out


def _noise_floor(ctx: _Ctx, n: int) -> FloatArray:
    """Hiss and, for lo-fi genres, vinyl crackle."""
    rng, sr = ctx.rng, ctx.sr
    out = pink_noise(n, rng=rng) * db_to_gain(draw(rng, -75.0, -50.0, ood=ctx.ood))
    if chance(rng, ctx.g.vinyl_prob):
        clicks = np.zeros(n)
        count = int(draw(rng, 3, 15) * n / sr)
        clicks[rng.integers(0, n, count)] = rng.uniform(-1, 1, count)
        crackle = filt(clicks, "bandpass", draw(rng, 1500, 4000), sr=sr, q=0.8) * 0.3
        hiss = filt(rng.standard_normal(n), "bandpass", 5000, sr=sr, q=0.5) * 0.01
        vinyl = samples.library().vinyl
        if vinyl and chance(rng, 0.5):
            sample = samples.load_sample(vinyl[0], sr, samples.MAX_LOOP_S)
            if sample.size:
                hiss = np.tile(sample, int(np.ceil(n / sample.size)))[:n] * 0.03
        out += (crackle + hiss) * db_to_gain(draw(rng, -6.0, 6.0, ood=ctx.ood))
        ctx.meta["vinyl"] = True
    return out


def _clip_structure(sections: Sequence[str], *, bar_s: float, offset_s: float,
                    seconds: float) -> dict[str, Any]:
    """Where the clip's bars and sections start [seconds into the clip]: the ground truth of
    the downbeat and section benchmarks (the clip starts ``offset_s`` into bar 0)."""
    first_bar = int(np.ceil(offset_s / bar_s - 1e-9))
    starts = [[0.0, sections[int(offset_s // bar_s)]]]
    for bar in range(first_bar, len(sections)):
        at = bar * bar_s - offset_s
        if at < seconds and bar > 0 and sections[bar] != sections[bar - 1]:
            starts.append([round(at, 4), sections[bar]])
    return {"first_downbeat_s": round(first_bar * bar_s - offset_s, 4),
            "section_starts_s": starts}


def render_clip(genre: str, *, seed: int, seconds: float, sr: int = SAMPLE_RATE,
                variant: str = "train") -> RenderedClip:
    """Compose and render one clip of ``genre``.

    Parameters
    ----------
    genre : str
        One of the 52 modelled genre slugs (docs/architecture.md).
    seed : int
        Non-negative; the same (genre, seed, variant) renders the same samples bit for bit.
    seconds : float [seconds]
        Clip length, in (0, 600].
    sr : int [Hz]
        Output sample rate (default the analysis rate, 22050).
    variant : {"train", "ood"}
        ``"ood"`` uses only held-out sample kits and loops, the edge bands of every timbre,
        tempo and mix range, and lower MP3 bitrates.

    Returns
    -------
    RenderedClip
        Mono float32 audio of ``round(seconds * sr)`` samples with tempo, key and the choices.

    Raises
    ------
    InvalidParameterError
        Unknown genre, negative seed, length or rate out of range, unknown variant.

    Examples
    --------
    >>> clip = render_clip("dub-techno", seed=1, seconds=3.0)
    >>> clip.audio.shape, clip.sr
    ((66150,), 22050)
    """
    g = _validate(genre, seed, seconds, sr, variant)
    var: Variant = "ood" if variant == "ood" else "train"
    ood = var == "ood"
    rng = np.random.default_rng([int(seed), zlib.crc32(genre.encode()), VARIANTS.index(var)])
    tempo = float(round(draw(rng, *g.tempo_bpm, ood=ood, inside=True)))
    key = choose_key(rng, major_prob=g.major_prob, scale_hint=g.scale_hint)
    step_s = 60.0 / tempo / 4.0
    bar_s = STEPS_PER_BAR * step_s
    n_out = int(round(seconds * sr))
    offset_s = bar_s + (0.0 if chance(rng, 0.3) else float(rng.uniform(0, bar_s)))
    bars = int(np.ceil((seconds + offset_s) / bar_s)) + 1
    n = int(np.ceil(bars * bar_s * sr))
    degrees = progression(rng, key, style=g.progression)
    per_chord = int(_pick(rng, g.bars_per_chord))
    size = int(rng.integers(g.chord_size[0], g.chord_size[1] + 1))
    register = int(rng.integers(55, 64))
    chord_start = int(rng.integers(0, len(degrees)))
    chords = [chord_on(key, degrees[(chord_start + b // per_chord) % len(degrees)], size=size,
                       register=register) for b in range(bars)]
    swing = draw(rng, *g.swing, ood=ood, inside=True)
    meta: dict[str, Any] = {"variant": var, "rhythm": g.rhythm, "swing": round(swing, 3),
                            "progression": list(degrees), "bars_per_chord": per_chord}
    ctx = _Ctx(g, rng, ood, var, sr, n, bars, step_s, swing, key, chords, meta)
    sections = plan_sections(g, bars=bars, rng=rng)
    meta["sections"] = sorted(set(sections), key=sections.index)
    meta.update(_clip_structure(sections, bar_s=bar_s, offset_s=offset_s, seconds=seconds))

    kick, drums, kick_onsets = _drums(ctx, sections)
    kick_steps = np.array([0.0, 4.0, 8.0, 12.0])  # bass follows a four-to-the-floor grid if no kick
    if kick_onsets.size:
        kick_steps = np.unique(np.round((kick_onsets / sr) / step_s * 3) / 3)
    bass = _bass(ctx, kick_steps)
    chords_audio = _chords(ctx)
    lead = _lead(ctx)
    fx = _fx(ctx, sections)

    def gain(layer: str, intro_bass: float = 0.0) -> FloatArray:
        return layer_gain(sections, layer, bar_samples=ctx.bar_samples, n=n, sr=sr,
                          intro_bass=intro_bass)

    kick = kick * gain("kick")
    drums = drums * gain("drums")
    intro_bass = 0.5 if chance(rng, 0.4) else 0.0
    bass = bass * gain("bass", intro_bass) * db_to_gain(draw(rng, -4.0, 2.0, ood=ood))
    chords_audio = chords_audio * gain("chords") * db_to_gain(draw(rng, -8.0, -2.0, ood=ood))
    lead = lead * gain("lead") * db_to_gain(draw(rng, -10.0, -4.0, ood=ood))
    fx = fx * gain("fx")

    depth = draw(rng, *g.sidechain, ood=ood) if g.sidechain[1] > 0 else 0.0
    duck = effects.sidechain_gain(kick_onsets, n=n, sr=sr, depth=min(max(depth, 0.0), 0.95),
                                  release_s=draw(rng, 0.08, 0.25, ood=ood))
    music = (bass + chords_audio + lead) * duck
    send = chords_audio + lead + 0.3 * drums
    wet = draw(rng, *g.reverb_wet, ood=ood)
    mix = kick + drums + music + fx
    if wet > 0:
        decay_s = max(draw(rng, *g.reverb_decay_s, ood=ood), 0.2)
        mix += wet * effects.reverb(send, sr=sr, rng=rng, decay_s=decay_s,
                                    damping_hz=draw(rng, 3000, 9000, ood=ood))
    if chance(rng, g.delay_prob):
        beats = _pick(rng, (0.75, 0.5, 1.0, 1.5))
        mix += effects.delay((chords_audio + lead) * duck, sr=sr, delay_s=beats * 4 * step_s,
                             feedback=min(draw(rng, *g.delay_feedback, ood=ood), 0.85),
                             lowpass_hz=draw(rng, 1500, 5000, ood=ood)) * 0.6
        meta["delay_beats"] = beats
    mix = effects.width_fold(mix, sr=sr, width=draw(rng, 0.0, 0.5, ood=ood),
                             haas_s=draw(rng, 0.004, 0.02, ood=ood))

    start = int(round(offset_s * sr))
    mix = fit_length(mix[start:], n_out)
    mix = effects.tilt_eq(mix, sr=sr, low_db=draw(rng, -3.0, 3.0, ood=ood),
                          high_db=draw(rng, -4.0, 3.0, ood=ood), mid_hz=draw(rng, 200, 4000),
                          mid_db=draw(rng, -3.0, 3.0, ood=ood))
    if chance(rng, g.muffle_prob):
        mix = filt(mix, "lowpass", draw(rng, *g.muffle_hz, ood=ood), sr=sr, order=2)
        meta["muffled"] = True
    if chance(rng, g.bitcrush_prob):
        mix = effects.bitcrush(mix / (np.max(np.abs(mix)) + 1e-9),
                               bits=int(rng.integers(6, 12)), hold=int(rng.integers(1, 4)))
        meta["bitcrush"] = True
    mix = effects.master(mix, target_rms_db=draw(rng, *g.loudness_db, ood=ood),
                         drive_amount=draw(rng, *g.bus_drive, ood=ood))
    mix = mix + _noise_floor(ctx, n_out)
    if chance(rng, MP3_PROB):
        level = float(_pick(rng, MP3_LEVELS_OOD if ood else MP3_LEVELS_TRAIN))
        mix = effects.mp3_roundtrip(mix, sr=sr, level=level)
        meta["mp3_level"] = level
    audio = np.clip(mix, -1.0, 1.0).astype(np.float32)
    return RenderedClip(audio, sr, genre, int(seed), tempo, key.name, meta)
