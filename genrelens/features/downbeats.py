"""The bar grid: which tracked beat starts each bar, from cues that fall on the one.

Electronic music is in 4/4 and puts its changes on the downbeat: the chord and the bass line
change there, sections start there, crashes hit there, and the snare or clap falls on beats two
and four. Each cue gives every one of the four bar phases a t statistic (how far its beats'
mean stands from the others', in standard errors); the phase with the largest sum wins and a
softmax over the four sums says how sure that is. No learned model: nothing trained here has
seen a real bar line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genrelens.features.constants import FRAMES_PER_SECOND
from genrelens.features.trace import CHROMA_DECIMATION, FrameTrace, peak_near, span_means

__all__ = ["BEATS_PER_BAR", "BeatGrid", "beat_sequence", "bar_grid"]

BEATS_PER_BAR = 4
# Fewer beats than this give no bar phase: two bars are too few to tell the one.
_MIN_BEATS = 2 * BEATS_PER_BAR
_EPS = 1e-9
# Weight of each cue's t statistic in the phase score: chosen among six settings on the
# rendered benchmark clips (bench/bench_dj.py), where the chord change was the surest cue.
_CUE_WEIGHTS = {"harmonic": 2.0, "bass": 0.5, "level": 1.0, "crash": 0.5, "backbeat": 1.0}


@dataclass(frozen=True)
class BeatGrid:
    """Beats with their place in the bar.

    Attributes
    ----------
    beats_s : np.ndarray [shape=(k,)] [seconds]
    bar_position : np.ndarray [shape=(k,)], int
        0 on a downbeat, then 1, 2, 3.
    confidence : float in [0, 1]
        The winning phase's softmax share over the four phases' cue sums.
    """

    beats_s: np.ndarray
    bar_position: np.ndarray
    confidence: float

    @property
    def downbeats_s(self) -> np.ndarray:
        return np.asarray(self.beats_s[self.bar_position == 0])


def beat_sequence(times: np.ndarray, period: float) -> tuple[np.ndarray, np.ndarray]:
    """Sorted beat times [frames] without duplicates, and each beat's count from the first.

    Chunks overlap, so one beat can be tracked twice: a beat under half a period after the one
    before is the same beat. The count steps by the whole number of periods between beats, so
    a gap where no beat was found keeps the bar count right after it.
    """
    ordered = np.sort(times)
    kept = [0] if len(ordered) else []
    for i in range(1, len(ordered)):
        if ordered[i] - ordered[kept[-1]] >= 0.5 * period:
            kept.append(i)
    beats = ordered[kept]
    steps = np.maximum(np.round(np.diff(beats) / period), 1).astype(np.int64)
    return beats, np.concatenate([[0], np.cumsum(steps)]).astype(np.int64)


def _t_statistics(values: np.ndarray, phase: np.ndarray, period: int) -> np.ndarray:
    """For each of ``period`` phases, the t statistic of its values' mean against the rest."""
    stats = np.zeros(period)
    for p in range(period):
        inside, outside = values[phase == p], values[phase != p]
        if len(inside) < 2 or len(outside) < 2:
            continue
        error = np.sqrt(inside.var(ddof=1) / len(inside) + outside.var(ddof=1) / len(outside))
        stats[p] = (inside.mean() - outside.mean()) / (error + _EPS)
    return stats


def _cues(trace: FrameTrace, beats: np.ndarray) -> dict[str, np.ndarray]:
    """Per-beat cues: change entering each beat (chroma, bass, level) and onsets on it."""
    edges = np.append(beats, 2 * beats[-1] - beats[-2])
    chroma = span_means(trace.chroma, edges / CHROMA_DECIMATION)
    chroma = chroma / (np.linalg.norm(chroma, axis=0, keepdims=True) + _EPS)
    harmonic = np.concatenate([[0.0], 1.0 - np.sum(chroma[:, 1:] * chroma[:, :-1], axis=0)])
    bass = span_means(trace.bass_share, edges)
    level = span_means(trace.rms_db, edges)
    return {
        "harmonic": harmonic,
        "bass": np.concatenate([[0.0], np.abs(np.diff(bass))]),
        "level": np.concatenate([[0.0], np.abs(np.diff(level))]),
        "crash": peak_near(trace.bands[2], beats),
        "backbeat": peak_near(trace.bands[1], beats),
    }


def _on_the_kicks(trace: FrameTrace, beats: np.ndarray, period: float) -> np.ndarray:
    """The beats, moved half a period when the kick band hits harder between them.

    The tracker can lock onto an off-beat bass or hat (a rolling trance bass hits between the
    kicks); the bar counts kicks, and the kick band's attacks fall on the beat.
    """
    low = trace.bands[0]
    inside = beats + 0.5 * period < trace.n_frames - 1
    on = peak_near(low, beats[inside]).mean()
    between = peak_near(low, beats[inside] + 0.5 * period).mean()
    return beats + 0.5 * period if between > on else beats


def bar_grid(trace: FrameTrace, beat_frames: np.ndarray, period: float) -> BeatGrid | None:
    """The bar grid of tracked beats [frames] at ``period`` [frames], or None when too few."""
    if period <= 0 or len(beat_frames) < _MIN_BEATS:
        return None
    beats, count = beat_sequence(beat_frames, period)
    if len(beats) < _MIN_BEATS:
        return None
    beats = _on_the_kicks(trace, beats, period)
    cues = _cues(trace, beats)
    phase4 = count % BEATS_PER_BAR
    score = np.zeros(BEATS_PER_BAR)
    for name in ("harmonic", "bass", "level", "crash"):
        score += _CUE_WEIGHTS[name] * _t_statistics(cues[name][1:], phase4[1:], BEATS_PER_BAR)
    # The backbeat is on beats 2 and 4: a downbeat phase p puts it on the other parity.
    half = _t_statistics(cues["backbeat"], count % 2, 2)
    score += _CUE_WEIGHTS["backbeat"] * np.array([half[(p + 1) % 2] for p in range(BEATS_PER_BAR)])
    weights = np.exp(score - score.max())
    best = int(np.argmax(score))
    position = (count - best) % BEATS_PER_BAR
    return BeatGrid(beats / FRAMES_PER_SECOND, position.astype(np.int64),
                    float(weights[best] / weights.sum()))
