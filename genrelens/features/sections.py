"""Sections (intro, build, drop, breakdown, outro) from the level and low end of each bar.

The arrangement of a dance track is written with three faders: the kick, the bass and the
level. Bars (from the bar grid, or 2-second blocks where there is no pulse) are described by
those three and the hats (``_bar_features``); an optimal piecewise-constant fit (dynamic
programming, a penalty per boundary) cuts them into sections, and each section is named from
whether its level and low end are at full strength and from what comes next. A drop is a
section where they are; the first drop that follows another section is the DJ's cue point.

Tuned by eye on rendered clips, whose sections the renderer knows (bench/bench_dj.py scores
the boundaries); no real recording here has section labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from genrelens.features.constants import FRAMES_PER_SECOND
from genrelens.features.downbeats import BeatGrid
from genrelens.features.trace import FrameTrace

__all__ = ["SectionLabel", "SECTION_LABELS", "Section", "bar_edges", "find_sections",
           "first_drop"]

SectionLabel = Literal["intro", "build", "drop", "breakdown", "outro"]
SECTION_LABELS: tuple[SectionLabel, ...] = ("intro", "build", "drop", "breakdown", "outro")

#: Block length where the track has no bar grid [seconds].
BLOCK_S = 2.0
# What one unit of each bar feature is (level, low-end peak, low-end floor [dB], hat-band flux
# [dB]): the size of a change that an arrangement makes on purpose.
_SCALES = np.array([3.0, 4.0, 6.0, 1.0])
# Cost of one boundary in squared scaled units: two 4-bar halves differing by one unit in
# one feature lower the fit's cost by 4, so a boundary needs a change of about 1.7 units.
# Chosen among 6, 10, 12, 16 and 24 on the rendered benchmark clips (hits against false cuts).
_PENALTY = 12.0
# Shortest section, in bars, inside the track and at its edges (an excerpt cuts sections).
_MIN_BARS, _MIN_EDGE_BARS = 4, 2
# A drop is within this of the loudest section in level and low-end peak, within the second of
# its low-end floor, and carries a bass no more than the third below its level [dB].
_DROP_BELOW_DB, _FLOOR_BELOW_DB, _BASS_UNDER_LEVEL_DB = 4.0, 6.0, 20.0
# A build rises by this much [dB], or is a short section (in bars) between others and a drop.
_RISE_DB, _BUILD_MAX_BARS = 1.0, 8


@dataclass(frozen=True)
class Section:
    start_s: float
    end_s: float
    label: SectionLabel


def bar_edges(grid: BeatGrid | None, duration_s: float) -> np.ndarray:
    """Bar boundaries [seconds] from 0 to ``duration_s``.

    The downbeats, with the bar grid carried on at the median bar length before the first,
    after the last and through gaps (a breakdown without drums has no tracked beats, but its
    bars go on); 2-second blocks where there is no grid.
    """
    downbeats = grid.downbeats_s if grid is not None else np.zeros(0)
    if len(downbeats) < 2:
        inner = np.arange(BLOCK_S, duration_s, BLOCK_S)
    else:
        bar = float(np.median(np.diff(downbeats)))
        filled = [np.arange(downbeats[0], 0.0, -bar)[::-1]]
        for a, b in zip(downbeats[:-1], downbeats[1:], strict=True):
            steps = max(int(round((b - a) / bar)), 1)
            filled.append(a + (b - a) * np.arange(1, steps + 1) / steps)
        filled.append(np.arange(downbeats[-1] + bar, duration_s, bar))
        inner = np.concatenate(filled)
    inner = inner[(inner > 0.25) & (inner < duration_s - 0.25)]
    return np.concatenate([[0.0], inner, [duration_s]])


def _bar_features(trace: FrameTrace, edges_s: np.ndarray) -> np.ndarray:
    """Per bar [shape=(n, 4)]: median level, low-end peak and low-end floor [dB], hats [dB flux].

    The low end is the level under 150 Hz: its loud tenth is the kick (or the bass's attacks),
    its quietest quarter the sustained bass, which a kick alone leaves low between hits. Levels,
    not onset flux: flux is in dB, so a quiet breakdown's soft notes would count as much as a
    drop's kicks.
    """
    n = trace.n_frames
    low_end = trace.rms_db + 10.0 * np.log10(trace.bass_share + 1e-6)
    rows = []
    for lo_s, hi_s in zip(edges_s[:-1], edges_s[1:], strict=True):
        a = min(int(lo_s * FRAMES_PER_SECOND), n - 1)
        b = max(min(int(hi_s * FRAMES_PER_SECOND), n), a + 1)
        peak, floor = np.percentile(low_end[a:b], [90, 25])
        rows.append([float(np.median(trace.rms_db[a:b])), float(peak), float(floor),
                     float(trace.bands[2, a:b].mean())])
    return np.array(rows)


def _segment(x: np.ndarray) -> list[int]:
    """Bar indices where sections start (0 first): the least squared error plus penalties."""
    n = len(x)
    scaled = x / _SCALES
    first = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(scaled, axis=0)])
    second = np.concatenate([np.zeros(1), np.cumsum((scaled**2).sum(axis=1))])
    best = np.full(n + 1, np.inf)
    best[0] = -_PENALTY
    back = np.zeros(n + 1, dtype=np.int64)
    for stop in range(1, n + 1):
        starts = np.arange(stop)
        length = stop - starts
        shortest = np.where((starts == 0) | (stop == n), _MIN_EDGE_BARS, _MIN_BARS)
        allowed = (length >= shortest) | ((starts == 0) & (stop == n))
        sums = first[stop] - first[starts]
        cost = second[stop] - second[starts] - (sums**2).sum(axis=1) / length
        total = np.where(allowed, best[starts] + cost + _PENALTY, np.inf)
        back[stop] = int(np.argmin(total))
        best[stop] = total[back[stop]]
    cuts, stop = [], n
    while stop > 0:
        stop = int(back[stop])
        cuts.append(stop)
    return sorted(cuts)


def _labels(x: np.ndarray, spans: list[tuple[int, int]]) -> list[SectionLabel]:
    means = np.array([x[a:b].mean(axis=0) for a, b in spans])
    top = means.max(axis=0)
    drop = ((means[:, 0] >= top[0] - _DROP_BELOW_DB) & (means[:, 1] >= top[1] - _DROP_BELOW_DB)
            & (means[:, 2] >= top[2] - _FLOOR_BELOW_DB)
            & (means[:, 2] >= means[:, 0] - _BASS_UNDER_LEVEL_DB))
    labels: list[SectionLabel] = []
    for i, (a, b) in enumerate(spans):
        quarter = max((b - a) // 4, 1)
        rising = x[b - quarter:b, 0].mean() - x[a:a + quarter, 0].mean() >= _RISE_DB
        before_drop = i + 1 < len(spans) and bool(drop[i + 1])
        if drop[i]:
            labels.append("drop")
        elif before_drop and (rising or (i > 0 and b - a <= _BUILD_MAX_BARS)):
            labels.append("build")
        elif i == 0:
            labels.append("intro")
        elif i == len(spans) - 1 and drop[:i].any():
            labels.append("outro")
        else:
            labels.append("breakdown")
    return labels


def find_sections(trace: FrameTrace, grid: BeatGrid | None, duration_s: float) -> list[Section]:
    """The track's sections, end to end, adjacent ones with the same label merged."""
    edges = bar_edges(grid, duration_s)
    x = _bar_features(trace, edges)
    cuts = _segment(x) + [len(x)]
    spans = list(zip(cuts[:-1], cuts[1:], strict=True))
    sections: list[Section] = []
    for (a, b), label in zip(spans, _labels(x, spans), strict=True):
        if sections and sections[-1].label == label:
            sections[-1] = Section(sections[-1].start_s, float(edges[b]), label)
        else:
            sections.append(Section(float(edges[a]), float(edges[b]), label))
    return sections


def first_drop(sections: list[Section]) -> float | None:
    """Start of the first drop that follows another section [seconds]; None if there is none
    (an excerpt that starts inside its drop has no cue to jump to)."""
    return next((s.start_s for i, s in enumerate(sections) if i and s.label == "drop"), None)
