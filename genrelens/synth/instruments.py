"""Synthesised instruments: drum one-shots, bass voices (sub, reese, acid, wobble, 808, log
drum), and chord/lead voices (pad, supersaw, pluck, stab, organ, electric piano, bell).

Each drum function returns one hit [shape=(m,)] that :func:`place_hits` copies onto a timeline
with one FFT convolution per drum voice. Pitched voices render a whole :class:`NoteSeq` at once
from a per-sample frequency track. Parameters are drawn through :func:`variation.draw`, so the
ood variant gets timbres that training never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from genrelens.synth.dsp import (
    FloatArray,
    filt,
    midi_to_hz,
    one_pole_smooth,
    phase_from_freq,
    saw,
    sine,
    square,
    triangle,
    tv_filter,
)
from genrelens.synth.effects import drive
from genrelens.synth.variation import draw

__all__ = [
    "KickStyle",
    "SnareStyle",
    "Wave",
    "NoteSeq",
    "kick",
    "snare",
    "clap",
    "hat",
    "shaker",
    "hand_drum",
    "cowbell",
    "tom",
    "cymbal",
    "rim",
    "place_hits",
    "oscillator",
    "note_envelope",
    "mono_voice",
    "poly_voice",
    "fm_voice",
    "organ_voice",
    "acid_filter",
    "wobble_filter",
    "log_drum",
    "chopped_break",
]

KickStyle = Literal["punchy", "deep", "808", "hardstyle", "gabber", "soft", "acoustic", "boom"]
SnareStyle = Literal["tight", "fat", "lofi", "gated", "acoustic"]
Wave = Literal["saw", "square", "pulse", "triangle", "sine"]

#: Longest drum one-shot [seconds]; longer tails are cut, which also bounds convolution cost.
MAX_HIT_SECONDS = 1.6


@dataclass(frozen=True)
class NoteSeq:
    """Notes of one voice: onsets and lengths [samples], MIDI pitches, velocities in (0, 1].

    ``slide`` marks notes that glide from the previous pitch (303 slides, 808 glides).
    """

    start: np.ndarray
    length: np.ndarray
    pitch: np.ndarray
    velocity: np.ndarray
    slide: np.ndarray

    @classmethod
    def empty(cls) -> NoteSeq:
        z = np.zeros(0)
        return cls(z.astype(np.int64), z.astype(np.int64), z, z, z.astype(bool))

    def __len__(self) -> int:
        return int(self.start.shape[0])


def _t(seconds: float, sr: int) -> FloatArray:
    return np.arange(int(seconds * sr)) / sr


def kick(style: KickStyle, *, sr: int, rng: np.random.Generator, ood: bool = False,
         tune_hz: float = 50.0) -> FloatArray:
    """Kick drum: sine with a falling pitch envelope, a click, and style-specific drive.

    ``hardstyle`` and ``808`` kicks are tuned to ``tune_hz`` (the track's root) because their
    long tails are heard as bass notes.
    """
    length = {"808": 1.2, "hardstyle": 0.55, "gabber": 0.35, "boom": 0.7}.get(style, 0.45)
    t = _t(length, sr)
    f_end = {"808": tune_hz, "hardstyle": tune_hz, "deep": draw(rng, 40, 52, ood=ood),
             "soft": draw(rng, 48, 62, ood=ood), "acoustic": draw(rng, 55, 75, ood=ood)}.get(
        style, draw(rng, 45, 60, ood=ood))
    f_start = f_end * draw(rng, 3.0, 7.0, ood=ood)
    p_decay = draw(rng, 0.015, 0.05, ood=ood) if style != "808" else draw(rng, 0.02, 0.06, ood=ood)
    a_decay = {"808": draw(rng, 0.35, 0.8, ood=ood), "hardstyle": 0.3, "gabber": 0.18,
               "boom": 0.35, "deep": draw(rng, 0.18, 0.32, ood=ood)}.get(
        style, draw(rng, 0.1, 0.22, ood=ood))
    freq = f_end + (f_start - f_end) * np.exp(-t / p_decay)
    body = np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-t / a_decay)
    click = rng.standard_normal(len(t)) * np.exp(-t / 0.003) * draw(rng, 0.05, 0.4, ood=ood)
    if style == "acoustic":
        click = filt(click * 2.0, "bandpass", 2500.0, sr=sr, q=0.8)
    x = body + filt(click, "highpass", 1500.0, sr=sr)
    if style == "hardstyle":
        x = drive(x, draw(rng, 8.0, 25.0, ood=ood))
        x = filt(x, "lowpass", draw(rng, 2500, 6000, ood=ood), sr=sr)
    elif style == "gabber":
        x = drive(x, draw(rng, 15.0, 40.0, ood=ood))
        x = filt(x, "peak", draw(rng, 400, 900, ood=ood), sr=sr, q=1.0, gain_db=6.0)
    elif style in ("808", "boom"):
        x = drive(x, draw(rng, 1.0, 3.0, ood=ood))
    elif style == "soft":
        x = filt(x, "lowpass", draw(rng, 900, 2500, ood=ood), sr=sr)
    return _fade(x, sr)


def snare(style: SnareStyle, *, sr: int, rng: np.random.Generator, ood: bool = False) -> FloatArray:
    """Snare: a pitched body plus band-passed noise; ``gated`` is the 80s reverb-gate snare."""
    length = 0.6 if style == "gated" else 0.35
    t = _t(length, sr)
    f0 = draw(rng, 160, 240, ood=ood)
    body = np.sin(2 * np.pi * (f0 * t + 30 * (1 - np.exp(-t / 0.01)) * 0.01)) * np.exp(
        -t / draw(rng, 0.03, 0.08, ood=ood))
    n_decay = {"fat": 0.14, "gated": 0.35, "lofi": 0.09}.get(style, draw(rng, 0.05, 0.12, ood=ood))
    noise = rng.standard_normal(len(t)) * np.exp(-t / n_decay)
    noise = filt(noise, "bandpass", draw(rng, 2500, 6000, ood=ood), sr=sr, q=0.6)
    x = draw(rng, 0.3, 0.8, ood=ood) * body + noise * 1.8
    if style == "gated":
        x = x * (t < draw(rng, 0.25, 0.4, ood=ood))
    elif style == "lofi":
        x = filt(x, "lowpass", draw(rng, 2500, 5000, ood=ood), sr=sr)
    elif style == "fat":
        x = drive(x, 3.0)
    return _fade(x, sr)


def clap(*, sr: int, rng: np.random.Generator, ood: bool = False) -> FloatArray:
    """Hand clap: three or four noise bursts ~10 ms apart and a diffuse tail."""
    t = _t(0.45, sr)
    env = np.zeros_like(t)
    gap = draw(rng, 0.007, 0.013, ood=ood)
    for k in range(int(rng.integers(3, 5))):
        env += (t >= k * gap) * np.exp(-np.maximum(t - k * gap, 0) / 0.004) * (t < (k + 1) * gap)
    env += (t >= 3 * gap) * np.exp(-np.maximum(t - 3 * gap, 0) / draw(rng, 0.05, 0.15, ood=ood))
    x = rng.standard_normal(len(t)) * env
    return _fade(filt(x, "bandpass", draw(rng, 900, 1800, ood=ood), sr=sr, q=1.2) * 3.0, sr)


def hat(*, sr: int, rng: np.random.Generator, ood: bool = False, open_: bool = False,
        metallic: bool = True) -> FloatArray:
    """Hi-hat: six detuned square partials (808 style) or plain noise, high-passed."""
    decay = draw(rng, 0.15, 0.4, ood=ood) if open_ else draw(rng, 0.015, 0.05, ood=ood)
    t = _t(min(decay * 5, 0.9), sr)
    if metallic:
        base = draw(rng, 300, 450, ood=ood)
        ratios = np.array([2.0, 3.0, 4.16, 5.43, 6.79, 8.21])
        x = np.sign(np.sin(2 * np.pi * np.outer(base * ratios, t))).sum(axis=0) / 6.0
        x = x + 0.5 * rng.standard_normal(len(t))
    else:
        x = rng.standard_normal(len(t))
    x = filt(x, "highpass", draw(rng, 6000, 9000, ood=ood), sr=sr, order=2)
    return _fade(x * np.exp(-t / decay) * 1.5, sr)


def shaker(*, sr: int, rng: np.random.Generator, ood: bool = False) -> FloatArray:
    """Shaker: band-passed noise with a soft attack (amapiano, afro house, lo-fi)."""
    t = _t(0.12, sr)
    env = (1 - np.exp(-t / draw(rng, 0.004, 0.015, ood=ood))) * np.exp(-t / 0.03)
    x = filt(rng.standard_normal(len(t)), "bandpass", draw(rng, 5000, 8000, ood=ood), sr=sr,
             q=0.7)
    return _fade(x * env * 2.0, sr)


def hand_drum(*, sr: int, rng: np.random.Generator, ood: bool = False,
              pitch_hz: float = 200.0) -> FloatArray:
    """Conga / bongo / djembe tone: a damped sine with a slight pitch drop and a slap."""
    t = _t(0.3, sr)
    f = pitch_hz * (1 + 0.15 * np.exp(-t / 0.01))
    x = np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / draw(rng, 0.06, 0.14, ood=ood))
    slap = filt(rng.standard_normal(len(t)) * np.exp(-t / 0.004), "highpass", 2000, sr=sr)
    return _fade(x + 0.3 * slap, sr)


def cowbell(*, sr: int, rng: np.random.Generator, ood: bool = False) -> FloatArray:
    """808 cowbell: two square waves near 540 and 800 Hz through a band-pass (phonk, electro)."""
    t = _t(0.35, sr)
    f1 = draw(rng, 520, 580, ood=ood)
    x = np.sign(np.sin(2 * np.pi * f1 * t)) + np.sign(np.sin(2 * np.pi * f1 * 1.48 * t))
    x = filt(x, "bandpass", f1 * 1.3, sr=sr, q=1.5)
    return _fade(x * np.exp(-t / draw(rng, 0.06, 0.15, ood=ood)), sr)


def tom(*, sr: int, rng: np.random.Generator, ood: bool = False,
        pitch_hz: float = 120.0) -> FloatArray:
    """Tom for fills: a sine with a pitch drop."""
    t = _t(0.4, sr)
    f = pitch_hz * (1 + 0.5 * np.exp(-t / 0.03))
    return _fade(np.sin(2 * np.pi * np.cumsum(f) / sr) * np.exp(-t / draw(rng, 0.1, 0.25, ood=ood)),
                 sr)


def cymbal(*, sr: int, rng: np.random.Generator, ood: bool = False,
           ride: bool = False) -> FloatArray:
    """Crash (long noisy wash) or ride (shorter, with a bell partial)."""
    decay = draw(rng, 0.25, 0.5, ood=ood) if ride else draw(rng, 0.6, 1.2, ood=ood)
    t = _t(MAX_HIT_SECONDS, sr)
    x = filt(rng.standard_normal(len(t)), "highpass", draw(rng, 4000, 7000, ood=ood), sr=sr)
    if ride:
        x = x * 0.5 + 0.4 * np.sin(2 * np.pi * draw(rng, 2500, 3500, ood=ood) * t)
    return _fade(x * np.exp(-t / decay), sr)


def rim(*, sr: int, rng: np.random.Generator, ood: bool = False) -> FloatArray:
    """Rim shot / clave: a very short high tone (UK garage, amapiano, minimal)."""
    t = _t(0.08, sr)
    f = draw(rng, 1700, 2600, ood=ood)
    x = np.sin(2 * np.pi * f * t) * np.exp(-t / 0.012)
    return _fade(x + 0.2 * rng.standard_normal(len(t)) * np.exp(-t / 0.002), sr)


def _fade(x: FloatArray, sr: int) -> FloatArray:
    """Cut to ``MAX_HIT_SECONDS``, fade out the last 5 ms and normalise the peak to 1."""
    x = x[: int(MAX_HIT_SECONDS * sr)].copy()
    m = min(x.shape[0], int(0.005 * sr))
    if m:
        x[-m:] *= np.linspace(1.0, 0.0, m)
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    return x / peak if peak > 0 else x


def place_hits(hit: FloatArray, onsets: np.ndarray, velocities: np.ndarray, *,
               n: int) -> FloatArray:
    """Timeline [shape=(n,)] with ``hit`` added at each onset [samples], scaled by velocity.

    A direct slice-add per hit: clips have a few hundred hits at most, and this is several
    times faster than an FFT convolution of an impulse train at these lengths.
    """
    out = np.zeros(n)
    m = hit.shape[0]
    if m == 0:
        return out
    for onset, vel in zip(onsets.tolist(), velocities.tolist(), strict=True):
        if 0 <= onset < n:
            k = min(m, n - onset)
            out[onset : onset + k] += vel * hit[:k]
    return out


def oscillator(wave: Wave, freq: FloatArray, *, sr: int, rng: np.random.Generator) -> FloatArray:
    """Oscillator following ``freq`` [Hz per sample], starting at a random phase."""
    phase = phase_from_freq(freq, sr=sr, phase0=float(rng.random()))
    if wave == "saw":
        return saw(phase, freq, sr=sr)
    if wave == "square":
        return square(phase, freq, sr=sr)
    if wave == "pulse":
        return square(phase, freq, sr=sr, width=0.25)
    if wave == "triangle":
        return triangle(phase)
    return sine(phase)


def note_envelope(seq: NoteSeq, *, n: int, sr: int, attack: float, decay: float,
                  sustain: float, release: float) -> FloatArray:
    """ADSR amplitude envelope of all notes of ``seq`` [shape=(n,)], overlaps take the max."""
    env = np.zeros(n)
    a_n, r_n = max(int(attack * sr), 1), max(int(release * sr), 1)
    for s, length, v in zip(seq.start, seq.length, seq.velocity, strict=True):
        s, length = int(s), max(int(length), 1)
        if s >= n:
            continue
        t = np.arange(min(length + r_n, n - s)) / sr
        held = np.minimum(t / (a_n / sr), 1.0)
        dec = sustain + (1 - sustain) * np.exp(-np.maximum(t - a_n / sr, 0) / max(decay, 1e-3))
        e = held * dec
        rel_idx = t >= length / sr
        if np.any(rel_idx):
            level = e[~rel_idx][-1] if np.any(~rel_idx) else 0.0
            e[rel_idx] = level * np.exp(-(t[rel_idx] - length / sr) / (release / 4 + 1e-4))
        env[s : s + t.shape[0]] = np.maximum(env[s : s + t.shape[0]], v * e)
    return env


def _freq_track(seq: NoteSeq, *, n: int, sr: int, glide_s: float, detune_cents: float = 0.0
                ) -> FloatArray:
    """Per-sample frequency [Hz] of a monophonic line; the pitch glides on slide notes."""
    if len(seq) == 0:
        return np.full(n, 100.0)
    order = np.argsort(seq.start, kind="stable")
    starts, pitches = seq.start[order], seq.pitch[order] + detune_cents / 100.0
    idx = np.clip(np.searchsorted(starts, np.arange(n), side="right") - 1, 0, len(seq) - 1)
    slides = seq.slide[order]
    if glide_s <= 0 or not np.any(slides):
        return midi_to_hz(pitches)[idx]
    pitch = pitches[idx]
    glided = one_pole_smooth(pitch, time_s=glide_s, sr=sr)
    return midi_to_hz(np.where(slides[idx], glided, pitch))


def mono_voice(seq: NoteSeq, wave: Wave, *, n: int, sr: int, rng: np.random.Generator,
               attack: float = 0.005, decay: float = 0.2, sustain: float = 0.7,
               release: float = 0.05, glide_s: float = 0.0, unison: int = 1,
               detune_cents: float = 0.0) -> FloatArray:
    """Monophonic voice (basses, leads): ``unison`` detuned oscillators through one ADSR."""
    env = note_envelope(seq, n=n, sr=sr, attack=attack, decay=decay, sustain=sustain,
                        release=release)
    out = np.zeros(n)
    for k in range(unison):
        spread = 0.0 if unison == 1 else detune_cents * (2 * k / (unison - 1) - 1)
        freq = _freq_track(seq, n=n, sr=sr, glide_s=glide_s, detune_cents=spread)
        out += oscillator(wave, freq, sr=sr, rng=rng)
    return np.asarray(out * env / np.sqrt(unison))


def poly_voice(seq: NoteSeq, wave: Wave, *, n: int, sr: int, rng: np.random.Generator,
               attack: float = 0.01, decay: float = 0.3, sustain: float = 0.6,
               release: float = 0.1, unison: int = 1, detune_cents: float = 0.0) -> FloatArray:
    """Polyphonic voice: each note rendered on its own span (chords, supersaws, plucks)."""
    out = np.zeros(n)
    r_n = int(release * sr)
    for i in range(len(seq)):
        s = int(seq.start[i])
        if s >= n:
            continue
        m = min(int(seq.length[i]) + r_n, n - s)
        one = NoteSeq(np.array([0]), seq.length[i : i + 1], seq.pitch[i : i + 1],
                      seq.velocity[i : i + 1], np.zeros(1, dtype=bool))
        out[s : s + m] += mono_voice(one, wave, n=m, sr=sr, rng=rng, attack=attack, decay=decay,
                                     sustain=sustain, release=release, unison=unison,
                                     detune_cents=detune_cents)
    return out


def fm_voice(seq: NoteSeq, *, n: int, sr: int, ratio: float, index: float, decay: float,
             release: float = 0.2) -> FloatArray:
    """Two-operator FM (electric piano at ratio 1, bells at ratio 3.5) with a decaying index."""
    out = np.zeros(n)
    r_n = int(release * sr)
    for s, length, p, v in zip(seq.start, seq.length, seq.pitch, seq.velocity, strict=True):
        s = int(s)
        if s >= n:
            continue
        m = min(int(length) + r_n, n - s)
        t = np.arange(m) / sr
        f = float(midi_to_hz(p))
        amp = np.exp(-t / decay) * np.where(t < length / sr, 1.0,
                                            np.exp(-(t - length / sr) / (release / 4)))
        mod = index * np.exp(-t / (decay * 0.4)) * np.sin(2 * np.pi * f * ratio * t)
        out[s : s + m] += v * amp * np.sin(2 * np.pi * f * t + mod)
    return out


def organ_voice(seq: NoteSeq, *, n: int, sr: int, rng: np.random.Generator,
                drawbars: tuple[float, ...] = (1.0, 0.6, 0.4, 0.2)) -> FloatArray:
    """Additive organ (deep house "M1 organ" style stabs): harmonics 1..k with drawbar levels."""
    env = note_envelope(seq, n=n, sr=sr, attack=0.003, decay=0.25, sustain=0.3, release=0.08)
    out = np.zeros(n)
    for i in range(len(seq)):
        s = int(seq.start[i])
        if s >= n:
            continue
        m = min(int(seq.length[i]) + int(0.08 * sr), n - s)
        t = np.arange(m) / sr
        f = float(midi_to_hz(seq.pitch[i]))
        phase0 = float(rng.random())
        out[s : s + m] += sum(
            level * np.sin(2 * np.pi * (f * (h + 1) * t + phase0))
            for h, level in enumerate(drawbars)
        ) * seq.velocity[i]
    return out * np.minimum(env * 4.0, 1.0)


def acid_filter(x: FloatArray, seq: NoteSeq, *, n: int, sr: int, rng: np.random.Generator,
                ood: bool = False, accents: np.ndarray | None = None) -> FloatArray:
    """TB-303 style resonant low-pass: cutoff jumps on every note and decays; accents open it.

    A slow random sweep of the base cutoff over the clip is what makes acid lines "squelch".
    """
    base = draw(rng, 250, 900, ood=ood)
    env_mod = draw(rng, 800, 3500, ood=ood)
    env_decay = draw(rng, 0.05, 0.25, ood=ood)
    acc = accents if accents is not None else np.ones(len(seq))
    decay_kernel = np.exp(-np.arange(int(env_decay * 5 * sr)) / (env_decay * sr))
    env = np.minimum(place_hits(decay_kernel, seq.start.astype(np.int64), 0.6 + 0.8 * acc, n=n),
                     1.6)
    sweep = 1.0 + 0.8 * np.sin(2 * np.pi * np.arange(n) / (n * draw(rng, 1.0, 3.0, ood=ood))
                               + rng.random() * 6.28)
    cutoff = base * sweep + env_mod * env
    y = tv_filter(x, cutoff, sr=sr, q=draw(rng, 4.0, 12.0, ood=ood), order=2)
    return drive(y, draw(rng, 1.0, 4.0, ood=ood))


def wobble_filter(x: FloatArray, *, n: int, sr: int, rate_hz: FloatArray, lo_hz: float,
                  hi_hz: float, q: float, shape: Literal["sine", "square", "saw"] = "sine"
                  ) -> FloatArray:
    """Dubstep wobble: an LFO at ``rate_hz`` (tempo-synced, may change per beat) on the cutoff."""
    phase = np.cumsum(rate_hz) / sr
    if shape == "square":
        lfo = (np.sin(2 * np.pi * phase) > 0).astype(np.float64)
        lfo = one_pole_smooth(lfo, time_s=0.004, sr=sr)
    elif shape == "saw":
        lfo = 1.0 - (phase - np.floor(phase))
    else:
        lfo = 0.5 + 0.5 * np.sin(2 * np.pi * phase)
    cutoff = lo_hz * (hi_hz / lo_hz) ** lfo
    return tv_filter(x, cutoff, sr=sr, q=q)


def log_drum(seq: NoteSeq, *, n: int, sr: int, rng: np.random.Generator, ood: bool = False
             ) -> FloatArray:
    """Amapiano log drum: a pitched, woody, slightly gliding percussive bass note."""
    out = np.zeros(n)
    decay = draw(rng, 0.12, 0.35, ood=ood)
    bend = draw(rng, 0.3, 1.0, ood=ood)
    for s, p, v in zip(seq.start, seq.pitch, seq.velocity, strict=True):
        s = int(s)
        if s >= n:
            continue
        m = min(int(decay * 5 * sr), n - s)
        t = np.arange(m) / sr
        f = float(midi_to_hz(p)) * (1 + bend * np.exp(-t / 0.012))
        ph = np.cumsum(f) / sr
        tone = np.sin(2 * np.pi * ph) + 0.35 * np.sin(4 * np.pi * ph + 0.5) + 0.15 * np.sin(
            6 * np.pi * ph)
        out[s : s + m] += v * np.tanh(1.5 * tone) * np.exp(-t / decay)
    return out


def chopped_break(loop: FloatArray, *, loop_bars: int, bars: int, bar_samples: float,
                  rng: np.random.Generator, chop_prob: float) -> FloatArray:
    """A break loop resampled to the tempo (pitch follows, as on an Akai sampler) and
    re-sequenced in 16th slices: each slice is replaced by another with ``chop_prob``,
    which is how jungle and big-beat producers rearrange the Amen and other breaks."""
    n = int(round(bars * bar_samples))
    target = int(round(loop_bars * bar_samples))
    if loop.size < 32 or target < 32:
        return np.zeros(n)
    stretched = np.interp(np.linspace(0, loop.size - 1, target), np.arange(loop.size), loop)
    n_slices = 16 * loop_bars
    edges = np.round(np.linspace(0, target, n_slices + 1)).astype(np.int64)
    out = np.zeros(n + target)
    fade = np.linspace(0.0, 1.0, 32)
    for i in range(int(np.ceil(n / (target / n_slices)))):
        src = i % n_slices
        if chance_slice := rng.random() < chop_prob:
            src = int(rng.integers(0, n_slices))
        piece = stretched[edges[src] : edges[src + 1]].copy()
        if chance_slice:
            piece[:32] *= fade[: piece[:32].size]
            piece[-32:] *= fade[::-1][-piece[-32:].size :]
        start = int(round(i * target / n_slices))
        out[start : start + piece.size] += piece
    return out[:n]
