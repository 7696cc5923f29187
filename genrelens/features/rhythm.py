"""Onsets, tempo and beats tuned for electronic music: precise BPM from a regression on beats.

librosa's tempo grid is quantised to whole STFT-frame lags (it reads 129.2 for a 128 BPM track at
hop 512), so GenreLens estimates the period from a fractional-lag autocorrelation, tracks beats
by following onset peaks along that period, and fits beat time against beat index: DJ software
reports BPM to 0.1, and so must we.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

import numpy as np

from genrelens.errors import InvalidParameterError
from genrelens.features.constants import FMIN, FRAMES_PER_SECOND
from genrelens.features.filters import mel_frequencies

__all__ = [
    "BPM_MIN",
    "BPM_MAX",
    "BPM_PRIOR_CENTER",
    "NO_PULSE_CONFIDENCE",
    "Rhythm",
    "RHYTHMS",
    "DETECTED_RHYTHMS",
    "rhythm_fits",
    "tempo_alternatives",
    "kick_periodicity",
    "Beats",
    "onset_envelopes",
    "tempo_candidates",
    "track_beats",
    "combine_beats",
    "onset_rate",
    "subdivision_profile",
    "rhythm_autocorrelation",
    "rhythm_pattern",
    "AUTOCORR_LAGS_BEATS",
]

BPM_MIN = 60.0
BPM_MAX = 200.0
#: Electronic dance music centres near 125 BPM; the prior resolves half/double-time.
BPM_PRIOR_CENTER = 125.0
_PRIOR_OCTAVES = 0.9
_GRID_STEP_BPM = 0.05
_SEARCH_FRACTION = 0.18
# How far the period fitted through the snapped beats may lie from the autocorrelation's (a
# factor): further, and the peaks found do not form the grid the autocorrelation implied.
_PERIOD_DRIFT = 1.1
# An onset peak under this share of the envelope's 99th percentile is no beat.
_WEAK_PEAK = 0.1
# A walk whose fitted period ends further than this from the autocorrelation's seed (a share)
# is checked against the grid held at the seed period; see ``_fit_grid``.
_HELD_DRIFT = 0.02
# The phase is chosen on the first beats only, where a small period error cannot drift.
_PHASE_BEATS = 16
#: Onset autocorrelation at the beat period that counts as a fully clear pulse.
_CLEAR_PERIODICITY = 0.5
#: Below this beat confidence there is no steady pulse (ambient, speech, noise): no BPM.
NO_PULSE_CONFIDENCE = 0.1
# Onset strength (mean positive log-mel flux, dB) under which the signal has no attacks at all:
# a steady tone's numerical ripple can look periodic but is not a beat.
_MIN_ONSET_STRENGTH = 1.0
_ONSET_TOP_DB = 80.0
# Onset autocorrelation at two thirds of the chosen period above which the period holds three
# beats of a faster pulse (half-time trap, liquid drum & bass and footwork read at 2/3 of
# their tempo: kick and snare every three eighths of it): the tempo is taken at 3/2. On the
# renderer's test clips (bench/bench_dj.py), where this was chosen, correct readings had at
# most 0.09 there, 2/3 readings 0.01-0.46 (7 of 9 above this).
_TERNARY = 0.15
# (multiple of the beat period, weight) summed in the tempo score.
_METRICAL_WEIGHTS = ((1.0, 1.0), (2.0, 0.5), (0.5, 0.5))
#: The rhythm vocabulary: a genre's profile, the detector and the analysis result all use it.
Rhythm = Literal[
    "four_on_the_floor", "breakbeat", "half_time", "two_step", "broken", "syncopated", "free"
]
RHYTHMS: tuple[Rhythm, ...] = (
    "four_on_the_floor", "breakbeat", "half_time", "two_step", "broken", "syncopated", "free"
)
#: What ``rhythm_pattern`` can name: a 2-step or a broken beat is not told apart from a
#: breakbeat or a syncopated groove by one kick-band profile, so ``rhythm_fits`` relates them.
DETECTED_RHYTHMS: tuple[Rhythm, ...] = ("four_on_the_floor", "half_time", "breakbeat", "syncopated", "free")
# Expected rhythm -> the detected rhythms that are consistent with it.
_CONSISTENT: dict[Rhythm, frozenset[Rhythm]] = {
    "two_step": frozenset({"two_step", "syncopated", "breakbeat"}),
    "broken": frozenset({"broken", "breakbeat", "syncopated", "half_time"}),
}
# Kick-band autocorrelation at one beat above which, when it is also at least this share of
# the autocorrelation at two beats, every beat carries the same kick: four on the floor. A
# phase-free test; the subdivision profile alone needs the grid on the kicks. Chosen among 12
# grid points on realdev and rendered clips (bench/bench_dj.py), not cross-validated.
_KICK_EVERY_BEAT = 0.25
_KICK_BEAT_TO_BAR = 0.8
#: Share of the kick band's onsets on the beat from which the kicks mark the beats; when no
#: sixteenth-note position holds this much, the band is a rolling rumble (warzone hard techno
#: fills every sixteenth under its kicks) and the same every-beat test reads the 150 Hz-3 kHz
#: band instead, where the kick's distorted body sits over the rumble. On realdev this raised
#: hard techno from 0.812 to 0.90 and AudioSet from 0.537 to 0.70 (bench/bench_dj.py; band and
#: rule chosen there among 48 variants, not cross-validated); of 66 rendered clips of other
#: rhythms 19 now come out four on the floor, 13 before.
_ON_BEAT_SHARE = 0.4
#: Lags, in beats, at which the rhythm autocorrelation is sampled (rotation-invariant).
AUTOCORR_LAGS_BEATS = (0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0, 1.5, 2.0)
_BAND_EDGES_HZ = (150.0, 3000.0)


@dataclass(frozen=True)
class Beats:
    """Beat grid of a stretch of audio.

    Attributes
    ----------
    bpm : float
        Tempo from the beat-time regression (0.0 when no pulse was found).
    times : np.ndarray [shape=(k,)] [frames]
        Fractional frame positions of the tracked beats.
    confidence : float in [0, 1]
        How clearly onsets fall on the grid.
    alternatives : tuple of float
        Half and double tempo within 40-250 BPM, for DJs who count the other way.
    """

    bpm: float
    times: np.ndarray
    confidence: float
    alternatives: tuple[float, ...]


def _flux(log_mel: np.ndarray) -> np.ndarray:
    """Mean positive log-mel difference between consecutive frames [dB], first frame 0."""
    rise = np.maximum(0.0, np.diff(log_mel, axis=1))
    return np.concatenate([[0.0], rise.mean(axis=0)])


def onset_envelopes(log_mel: np.ndarray, *, sr: int) -> tuple[np.ndarray, np.ndarray]:
    """Broadband onset strength [shape=(t,)] and low/mid/high band onsets [shape=(3, t)].

    Spectral flux of the log-mel spectrogram (as ``librosa.onset.onset_strength`` with lag 1),
    overall and in three bands split at 150 Hz and 3 kHz.
    """
    # Bins far below the loudest are spectral leakage whose dB values ripple with the frame
    # rate (a steady chord would "pulse"); flooring them keeps the flux to real attacks.
    log_mel = np.maximum(log_mel, log_mel.max() - _ONSET_TOP_DB)
    mel_hz = mel_frequencies(log_mel.shape[0] + 2, fmin=FMIN, fmax=sr / 2)[1:-1]
    low = max(int(np.searchsorted(mel_hz, _BAND_EDGES_HZ[0])), 1)
    high = int(np.searchsorted(mel_hz, _BAND_EDGES_HZ[1]))
    bands = np.stack([_flux(log_mel[:low]), _flux(log_mel[low:high]), _flux(log_mel[high:])])
    return _flux(log_mel).astype(np.float32), bands.astype(np.float32)


def _autocorrelation(onset: np.ndarray) -> np.ndarray:
    centred = onset - onset.mean()
    spectrum = np.fft.rfft(centred, n=2 * len(centred))
    ac = np.fft.irfft(np.abs(spectrum) ** 2)[: len(centred)]
    return np.asarray(ac / ac[0] if ac[0] > 0 else ac)


def tempo_candidates(onset: np.ndarray, *, fps: float = FRAMES_PER_SECOND) -> tuple[np.ndarray, np.ndarray]:
    """Score every tempo on a 0.05 BPM grid from the fractional-lag onset autocorrelation.

    The score of a tempo adds the autocorrelation at one beat period, at two (a bar-level
    pattern repeats there) and at half a beat (eighth notes subdivide a true beat, which rules
    out the 2/3-tempo reading of kick-hat-kick patterns), weighted by a log-normal prior
    around ``BPM_PRIOR_CENTER``.

    Returns
    -------
    bpm : np.ndarray [shape=(m,)]
    score : np.ndarray [shape=(m,)]
    """
    if onset.ndim != 1:
        raise InvalidParameterError(f"onset must be 1-D, got shape {onset.shape}")
    bpm = np.arange(BPM_MIN, BPM_MAX + _GRID_STEP_BPM, _GRID_STEP_BPM)
    ac = _autocorrelation(onset)
    lags = np.arange(len(ac))
    period = 60.0 * fps / bpm
    score = sum(weight * np.interp(factor * period, lags, ac, right=0.0)
                for factor, weight in _METRICAL_WEIGHTS)
    prior = np.exp(-0.5 * (np.log2(bpm / BPM_PRIOR_CENTER) / _PRIOR_OCTAVES) ** 2)
    return bpm, np.maximum(score, 0.0) * prior


def _at(ac: np.ndarray, lag: float) -> float:
    """The autocorrelation at a fractional lag (linear interpolation)."""
    return float(np.interp(lag, np.arange(len(ac)), ac))


def _kicks_every_half(kick_band: np.ndarray, period: float) -> bool:
    """Whether the kick band repeats every half ``period`` as strongly as every period.

    The tempo score rewards an onset half a beat after each beat, so a kick-only stretch at
    155 BPM (a hard-techno intro, a hardstyle kick roll) scores higher at 77.5, where every
    other kick is that half beat. A kick that lands on every half of the period is the beat.
    """
    return _every_beat(kick_periodicity(kick_band, period / 2))


def _refine_period(ac: np.ndarray, period: float) -> float:
    """Sub-frame autocorrelation peak near ``period`` (parabolic interpolation).

    Linear interpolation of the autocorrelation peaks at whole lags, which is what quantises
    librosa's tempo; the parabola through the peak and its neighbours does not.
    """
    centre = int(round(period))
    lo, hi = max(centre - 1, 1), min(centre + 2, len(ac) - 1)
    lag = lo + int(np.argmax(ac[lo:hi]))
    if not 1 <= lag < len(ac) - 1:
        return period
    a, b, c = ac[lag - 1], ac[lag], ac[lag + 1]
    denominator = a - 2 * b + c
    return lag + float(np.clip(0.5 * (a - c) / denominator, -0.5, 0.5)) if denominator < 0 else period


def _best_phase(onset: np.ndarray, period: float) -> float:
    phases = np.arange(0.0, period, 0.25)
    beats = np.arange(0.0, min(len(onset) - 1, _PHASE_BEATS * period), period)
    positions = phases[:, None] + beats[None, :]
    positions = np.where(positions < len(onset) - 1, positions, np.nan)
    values = np.interp(np.nan_to_num(positions, nan=0.0), np.arange(len(onset)), onset)
    values = np.where(np.isnan(positions), 0.0, values)
    return float(phases[int(np.argmax(values.sum(axis=1)))])


def _peak_near(onset: np.ndarray, centre: float, radius: float) -> tuple[float, float] | None:
    lo, hi = max(int(centre - radius), 1), min(int(centre + radius) + 1, len(onset) - 1)
    if hi <= lo:
        return None
    i = lo + int(np.argmax(onset[lo:hi]))
    a, b, c = onset[i - 1], onset[i], onset[i + 1]
    denominator = a - 2 * b + c
    shift = 0.5 * (a - c) / denominator if denominator < 0 else 0.0
    return i + float(np.clip(shift, -0.5, 0.5)), float(b)


def _robust_fit(index: np.ndarray, times: np.ndarray) -> tuple[float, float, np.ndarray]:
    keep = np.ones(len(index), dtype=bool)
    slope, intercept = 0.0, 0.0
    for _ in range(3):
        slope, intercept = np.polyfit(index[keep], times[keep], 1)
        residual = times - (slope * index + intercept)
        mad = np.median(np.abs(residual[keep])) + 1e-6
        keep = np.abs(residual) < 3.0 * mad + 0.5
        if keep.sum() < 4:
            break
    return float(slope), float(intercept), keep


def tempo_alternatives(bpm: float) -> tuple[float, ...]:
    """Half and double of ``bpm`` within 40-250 BPM, for DJs who count the other way."""
    return tuple(round(v, 2) for v in (bpm / 2, bpm * 2) if 40.0 <= v <= 250.0)


def _normalised(envelope: np.ndarray) -> np.ndarray:
    peak = float(envelope.max(initial=0.0))
    return envelope / peak if peak > 0 else envelope


def _snap_to_grid(onset: np.ndarray, phase: float, period: float, *, follow: bool = True
                  ) -> tuple[list[int], list[float]]:
    """Snap each beat of a grid to the strongest onset peak near it; the grid is a fitted line.

    Beat ``k`` is looked for around ``intercept + slope * k`` of the line through the beats
    found so far (the seed grid ``phase + k * period`` until eight are found), never around the
    last beat found, so snapping errors do not add up, while a seed period a little off (0.5 %
    is most of a beat over a chunk) is corrected as the walk goes. A tracker that predicted each
    beat from the previous one drifted towards the early side of the kicks (systematically about
    5 % fast, or past its period guard, so 13.5 % of rendered clips got no tempo); on the same
    clips and on realdev this walk was right more often on every folder (bench/bench_dj.py,
    docs/benchmarks.md). The slope stays within ``_PERIOD_DRIFT`` of the seed, so the loop, one
    pass per grid beat, ends on any envelope. With ``follow=False`` the grid stays at the seed
    period (only the snapping moves each beat).
    """
    radius = _SEARCH_FRACTION * period
    low, high = period / _PERIOD_DRIFT, period * _PERIOD_DRIFT
    # A stretch without attacks (a breakdown's pad) still has small flux everywhere; beats
    # snapped onto it would tilt the tempo fit, so they are skipped, not fitted.
    floor = _WEAK_PEAK * float(np.percentile(onset, 99))
    index: list[int] = []
    times: list[float] = []
    slope, intercept = period, phase
    for k in range(int(np.ceil(len(onset) / low)) + 1):
        position = intercept + slope * k
        if position >= len(onset) - 1:
            break
        peak = _peak_near(onset, position, radius)
        if peak is None or peak[1] <= floor or (times and peak[0] <= times[-1]):
            continue
        index.append(k)
        times.append(peak[0])
        if len(index) >= 8 and len(index) % 4 == 0:
            fitted, fitted_intercept, _ = _robust_fit(np.array(index, float), np.array(times))
            if follow and low <= fitted <= high:
                slope, intercept = fitted, fitted_intercept
    return index, times


def _fit_grid(onset: np.ndarray, phase: float, period: float
              ) -> tuple[np.ndarray, float, float, np.ndarray] | None:
    """Beat indices, fitted period and intercept, and the inlier mask of the walked grid.

    The walk (``_snap_to_grid``) follows the beats it finds, which corrects a seed a little off
    but can also follow a run of early peaks (a clap ahead of the kick, a swung hat) a few
    percent fast. When it ends more than ``_HELD_DRIFT`` from the seed and ``onset`` (the
    envelope the grid is snapped to) repeats more strongly at the seed period, the grid held at
    the seed is fitted too, and the period at which ``onset`` repeats more strongly is kept. On
    the 854 clips of bench/bench_dj.py the walk had drifted that far on 27, on most of them
    away from the reference tempo (a rendered future-bass clip at 147 read 154.9).
    """
    walked = _fitted_walk(onset, phase, period, follow=True)
    if walked is None or abs(walked[1] / period - 1.0) <= _HELD_DRIFT:
        return walked
    ac = _autocorrelation(onset)
    if _at(ac, period) > _at(ac, walked[1]):
        held = _fitted_walk(onset, phase, period, follow=False)
        if held is not None and _at(ac, held[1]) > _at(ac, walked[1]):
            return held
    return walked


def _fitted_walk(onset: np.ndarray, phase: float, period: float, *, follow: bool
                 ) -> tuple[np.ndarray, float, float, np.ndarray] | None:
    """``_snap_to_grid`` and the robust line through its beats (None: under four beats)."""
    index, times = _snap_to_grid(onset, phase, period, follow=follow)
    if len(index) < 4:
        return None
    idx = np.array(index, dtype=float)
    return idx, *_robust_fit(idx, np.array(times))


def track_beats(onset: np.ndarray, *, accent: np.ndarray | None = None,
                fps: float = FRAMES_PER_SECOND) -> Beats:
    """Find the tempo and beat grid of ``onset`` (one chunk, roughly constant tempo).

    The period from ``tempo_candidates`` (halved when the kick band repeats every half of it,
    ``_kicks_every_half``; else taken at 2/3 when the onsets repeat clearly there, ``_TERNARY``:
    a 2/3 reading of a faster pulse) and the best phase give a fixed grid; each of its beats
    is snapped to the nearest onset peak (``_snap_to_grid``), and a robust line through
    (beat index, beat time) gives the final BPM.
    ``accent`` (the kick band's onsets) is added to the envelope the grid is snapped to, so it
    locks onto kicks rather than off-beat hats.
    """
    empty = Beats(0.0, np.zeros(0), 0.0, ())
    if len(onset) < 4 * fps or float(np.percentile(onset, 95)) < _MIN_ONSET_STRENGTH:
        return empty
    bpm_grid, score = tempo_candidates(onset, fps=fps)
    if score.max() <= 0:
        return empty
    shortest, longest = 60.0 * fps / BPM_MAX, 60.0 * fps / BPM_MIN
    ac = _autocorrelation(onset)
    period = _refine_period(ac, 60.0 * fps / float(bpm_grid[int(np.argmax(score))]))
    if accent is not None and period / 2 >= shortest and _kicks_every_half(accent, period):
        period = _refine_period(ac, period / 2)
    elif 2 * period / 3 >= shortest and _at(ac, 2 * period / 3) > _TERNARY:
        period = _refine_period(ac, 2 * period / 3)
    period = float(np.clip(period, shortest, longest))
    if accent is not None:
        onset = _normalised(onset) + _normalised(accent)
    phase = _best_phase(onset, period)
    grid = _fit_grid(onset, phase, period)
    if grid is None:
        return empty
    idx, slope, intercept, keep = grid
    if not max(period / _PERIOD_DRIFT, shortest) <= slope <= min(period * _PERIOD_DRIFT, longest):
        return empty  # the peaks found do not form the grid the autocorrelation implied
    periodicity = _at(ac, slope)  # of the onsets alone, before the accent was added
    confidence = float(np.clip(keep.mean() * periodicity / _CLEAR_PERIODICITY, 0.0, 1.0))
    # Whether there is a pulse at all is read at the beat or at two beats: a pattern that
    # repeats every two beats and not every beat (moombahton's dembow) is as steady, and read
    # at the beat alone it came out "no tempo". A kick band that repeats at the beat is a pulse
    # too, however much a pad or a vocal blurs the broadband onsets (real techno, Emotify's
    # electronic clips). The confidence stays the broadband beat's (a model input).
    kick = float(kick_periodicity(accent, slope)[0]) if accent is not None else 0.0
    steady = keep.mean() * max(periodicity, _at(ac, 2 * slope), kick) / _CLEAR_PERIODICITY
    if steady < NO_PULSE_CONFIDENCE:
        return Beats(0.0, np.zeros(0), confidence, ())
    bpm = 60.0 * fps / slope
    return Beats(bpm, slope * idx + intercept, confidence, tempo_alternatives(bpm))


def combine_beats(chunks: list[Beats], *, fps: float = FRAMES_PER_SECOND) -> tuple[Beats, bool]:
    """Merge per-chunk beat grids (absolute frame times) into the track's tempo.

    When the chunks agree (within 1 % of their median BPM) the track's beat period is the
    pooled least-squares slope of all chunks, each chunk keeping its own phase (one chunk may
    lock onto the kicks, the next onto the hats); otherwise the tempo varies (a DJ mix) and the
    median chunk tempo is reported with ``stable=False``.
    """
    found = [c for c in chunks if c.bpm > 0 and len(c.times) >= 4]
    if not found:
        return Beats(0.0, np.zeros(0), 0.0, ()), True
    bpms = np.array([c.bpm for c in found])
    median = float(np.median(bpms))
    stable = bool(np.all(np.abs(bpms - median) < 0.01 * median))
    counts = np.array([len(c.times) for c in found], dtype=float)
    confidence = float(np.average([c.confidence for c in found], weights=counts))
    times = np.concatenate([c.times for c in found])
    if not stable:
        return Beats(round(median, 2), times, confidence, tempo_alternatives(median)), False
    # Each chunk's times lie on its fitted line; its least-squares weight is the spread of its
    # beat indices, about n (n^2 - 1) / 12 for the n periods it spans (beats may skip a gap).
    slopes = np.array([60.0 * fps / c.bpm for c in found])
    spans = np.array([(c.times[-1] - c.times[0]) / p + 1 for c, p in zip(found, slopes, strict=True)])
    weights = spans * (spans**2 - 1) / 12.0
    bpm = 60.0 * fps / float(np.average(slopes, weights=weights))
    return Beats(bpm, times, confidence, tempo_alternatives(bpm)), True


def onset_rate(onset: np.ndarray, *, fps: float = FRAMES_PER_SECOND) -> float:
    """Detected onsets per second in ``onset``."""
    if len(onset) < 3:
        return 0.0
    threshold = max(float(onset.mean() + 0.5 * onset.std()), _MIN_ONSET_STRENGTH)
    middle = onset[1:-1]
    peaks = (middle > onset[:-2]) & (middle >= onset[2:]) & (middle >= threshold)
    return float(peaks.sum() / (len(onset) / fps))


def _sample(onset: np.ndarray, positions: np.ndarray) -> np.ndarray:
    inside = positions[(positions >= 0) & (positions <= len(onset) - 1)]
    return np.asarray(np.interp(inside, np.arange(len(onset)), onset))


def subdivision_profile(band: np.ndarray, beat_times: np.ndarray) -> np.ndarray:
    """Mean onset at the four sixteenth-note positions of a beat [shape=(4,)], sum-normalised.

    Four-on-the-floor kicks put the low band's weight on position 0; a 2-step or breakbeat
    spreads it; hats on the off-beat put the high band's weight on position 2.
    """
    if len(beat_times) < 2:
        return np.full(4, 0.25, dtype=np.float32)
    period = float(np.median(np.diff(beat_times)))
    values = np.array([_sample(band, beat_times + q * period / 4).mean() for q in range(4)])
    total = values.sum()
    return np.asarray(values / total if total > 0 else np.full(4, 0.25), dtype=np.float32)


def rhythm_autocorrelation(onset: np.ndarray, beat_period: float) -> np.ndarray:
    """Onset autocorrelation at ``AUTOCORR_LAGS_BEATS`` multiples of the beat period."""
    if beat_period <= 0 or len(onset) < 4:
        return np.zeros(len(AUTOCORR_LAGS_BEATS), dtype=np.float32)
    ac = _autocorrelation(onset)
    lags = np.array(AUTOCORR_LAGS_BEATS) * beat_period
    return np.asarray(np.interp(lags, np.arange(len(ac)), ac, right=0.0), dtype=np.float32)


def kick_periodicity(band: np.ndarray, beat_period: float) -> np.ndarray:
    """A band's onset autocorrelation at one and at two beats [shape=(2,)] (zeros: no pulse)."""
    if beat_period <= 0 or len(band) < 4:
        return np.zeros(2)
    ac = _autocorrelation(band)
    return np.asarray(np.interp([beat_period, 2 * beat_period], np.arange(len(ac)), ac, right=0.0))


def rhythm_fits(measured: str, expected: str) -> bool:
    """Whether a detected rhythm is consistent with a genre's expected one."""
    return measured == expected or measured in _CONSISTENT.get(cast(Rhythm, expected), frozenset())


def _every_beat(repeat: np.ndarray | None) -> bool:
    """Whether a band's ``kick_periodicity`` says every beat carries the same onset."""
    return repeat is not None and repeat[0] >= max(_KICK_EVERY_BEAT, _KICK_BEAT_TO_BAR * repeat[1])


def rhythm_pattern(low_profile: np.ndarray, *, beat_strength: float, low_on_beats: float,
                   kick_repeat: np.ndarray | None = None,
                   mid_repeat: np.ndarray | None = None) -> Rhythm:
    """Name the groove from the kick band, for the "why" (not a classifier feature).

    ``low_on_beats`` is the share of beats carrying a kick-band onset at least half as strong as
    the band's typical peak; ``beat_strength`` the beat confidence; ``kick_repeat`` and
    ``mid_repeat`` the ``kick_periodicity`` of the track's kick band and 150 Hz-3 kHz band.
    """
    if beat_strength < 0.15:
        return "free"
    if low_on_beats >= 0.8 and low_profile[0] >= _ON_BEAT_SHARE:
        return "four_on_the_floor"
    if _every_beat(kick_repeat):
        return "four_on_the_floor"
    if low_profile.max() < _ON_BEAT_SHARE and _every_beat(mid_repeat):
        return "four_on_the_floor"
    if low_on_beats < 0.35:
        return "half_time"
    if low_profile[1:].max() >= 0.22:
        return "breakbeat"
    return "syncopated"
