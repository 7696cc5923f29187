"""Bar grid, sections and energy on audio whose bars and sections are known by construction."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.features.constants import FRAMES_PER_SECOND, SAMPLE_RATE
from genrelens.features.downbeats import bar_grid, beat_sequence
from genrelens.features.energy import energy_level
from genrelens.features.extract import extract_signal
from genrelens.features.sections import Section, find_sections, first_drop

BPM = 128.0
BEAT_S = 60.0 / BPM
BAR_S = 4 * BEAT_S
SR = SAMPLE_RATE
#: A bar's root [Hz]: the chord changes on the one.
ROOTS = (110.0, 87.31, 130.81, 98.0)


def _hit(freq: float, decay_s: float, n: int, *, noise: bool = False) -> np.ndarray:
    t = np.arange(n) / SR
    body = np.random.default_rng(0).standard_normal(n) if noise else np.sin(2 * np.pi * freq * t)
    return body * np.exp(-t / decay_s)


def _track(pickup_beats: int, sections: list[tuple[int, bool]]) -> tuple[np.ndarray, float]:
    """``pickup_beats`` beats of drums before bar 1, then (bars, full) sections.

    Full sections have kick on every beat, clap on 2 and 4, a crash on the one and a bass line;
    the others only a quiet pad. Returns the audio and the time of the first downbeat.
    """
    n = int((pickup_beats * BEAT_S + sum(b for b, _ in sections) * BAR_S + 1.0) * SR)
    y = np.zeros(n)
    kick = _hit(55.0, 0.12, int(0.3 * SR)) * 0.9
    clap = _hit(0, 0.05, int(0.2 * SR), noise=True) * 0.3
    crash = _hit(0, 0.6, int(1.0 * SR), noise=True) * 0.15
    start = pickup_beats * BEAT_S

    def add(sound: np.ndarray, at_s: float, gain: float = 1.0) -> None:
        i = int(at_s * SR)
        m = min(len(sound), n - i)
        y[i:i + m] += gain * sound[:m]

    for beat in range(pickup_beats):
        add(kick, beat * BEAT_S)
        if (beat - pickup_beats) % 2:
            add(clap, beat * BEAT_S)
    bar = 0
    for bars, full in sections:
        for _ in range(bars):
            t0 = start + bar * BAR_S
            root = ROOTS[bar % len(ROOTS)]
            t = np.arange(int(BAR_S * SR)) / SR
            pad = 0.05 * sum(np.sin(2 * np.pi * root * 2 * r * t) for r in (1.0, 1.26, 1.5))
            add(pad, t0)
            if full:
                add(0.5 * np.sin(2 * np.pi * root / 2 * t), t0)
                add(crash, t0)
                for beat in range(4):
                    add(kick, t0 + beat * BEAT_S)
                    if beat % 2:
                        add(clap, t0 + beat * BEAT_S)
            bar += 1
    return (y / np.max(np.abs(y))).astype(np.float32), start


def _grid_and_sections(y: np.ndarray):
    track, _ = extract_signal(y)
    period = 60.0 * FRAMES_PER_SECOND / track.beats.bpm
    grid = bar_grid(track.trace, track.beats.times, period)
    return track, grid, find_sections(track.trace, grid, track.duration_s)


def test_a_duplicate_beat_is_dropped_and_a_gap_keeps_the_count() -> None:
    beats, count = beat_sequence(np.array([0.0, 10.0, 10.5, 20.0, 40.0, 50.0]), 10.0)
    assert beats.tolist() == [0.0, 10.0, 20.0, 40.0, 50.0]
    assert count.tolist() == [0, 1, 2, 4, 5]


def test_too_few_beats_give_no_grid() -> None:
    track, _ = extract_signal(_track(2, [(1, True)])[0])
    assert bar_grid(track.trace, track.beats.times[:5], 20.0) is None


@pytest.mark.parametrize("pickup", [0, 1, 3])
def test_the_downbeat_is_found_whatever_beat_the_track_starts_on(pickup: int) -> None:
    y, first_downbeat = _track(pickup, [(12, True)])
    _, grid, _ = _grid_and_sections(y)
    assert grid is not None and grid.confidence > 0.5
    offsets = (grid.downbeats_s - first_downbeat + BAR_S / 2) % BAR_S - BAR_S / 2
    assert np.median(np.abs(offsets)) < 0.05, grid.downbeats_s[:4]


def test_a_breakdown_then_a_drop_gives_the_drop_as_the_cue() -> None:
    y, start = _track(0, [(8, False), (8, True), (8, False), (8, True)])
    _, _, sections = _grid_and_sections(y)
    labels = [s.label for s in sections]
    assert labels[0] in ("intro", "build") and labels.count("drop") == 2, sections
    drop = first_drop(sections)
    assert drop is not None and abs(drop - (start + 8 * BAR_S)) <= BAR_S, sections
    assert sections[0].start_s == 0.0 and sections[-1].end_s == pytest.approx(len(y) / SR)
    assert all(a.end_s == b.start_s for a, b in zip(sections, sections[1:], strict=False))


def test_a_track_that_starts_in_its_drop_has_no_cue() -> None:
    sections = [Section(0.0, 30.0, "drop"), Section(30.0, 45.0, "breakdown")]
    assert first_drop(sections) is None


def test_silence_is_one_section_without_a_grid() -> None:
    track, _ = extract_signal(np.zeros(10 * SR, dtype=np.float32))
    sections = find_sections(track.trace, None, track.duration_s)
    assert len(sections) == 1 and sections[0].end_s == pytest.approx(10.0)


def test_energy_rises_with_each_part_and_stays_in_1_to_10() -> None:
    calm = energy_level(integrated_lufs=-24.0, bpm=80.0, onset_rate_hz=1.5, drive=0.1)
    hard = energy_level(integrated_lufs=-7.0, bpm=175.0, onset_rate_hz=9.0, drive=0.9)
    silent = energy_level(integrated_lufs=None, bpm=None, onset_rate_hz=0.0, drive=0.0)
    assert silent.level == 1 and hard.level >= 9 and calm.level < hard.level
    for part in ("loudness", "tempo", "density", "drive"):
        louder = dict(integrated_lufs=-15.0, bpm=120.0, onset_rate_hz=4.0, drive=0.5)
        base = energy_level(**louder).parts[part]
        bumped = {"loudness": {"integrated_lufs": -10.0}, "tempo": {"bpm": 150.0},
                  "density": {"onset_rate_hz": 6.0}, "drive": {"drive": 0.8}}[part]
        assert energy_level(**{**louder, **bumped}).parts[part] > base
