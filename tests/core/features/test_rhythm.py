from __future__ import annotations

import numpy as np
import pytest
from signals import SR, chord, click_track, noise

from genrelens.features import rhythm
from genrelens.features.constants import FRAMES_PER_SECOND
from genrelens.features.extract import extract_signal
from genrelens.features.rhythm import onset_envelopes, rhythm_pattern, tempo_candidates, track_beats
from genrelens.features.spectrogram import spectrogram
from genrelens.synth.render import render_clip


@pytest.mark.parametrize("bpm", [85.0, 100.3, 122.5, 128.0, 140.0, 174.0])
def test_tempo_is_within_a_tenth_of_a_bpm(bpm: float) -> None:
    track, _ = extract_signal(click_track(bpm, 45, seed=int(bpm)))
    assert track.beats.bpm == pytest.approx(bpm, abs=0.1)
    assert track.tempo_stable
    assert track.beats.confidence > 0.8


def test_half_and_double_time_are_offered() -> None:
    track, _ = extract_signal(click_track(128.0, 30))
    assert 64.0 in track.beats.alternatives


def test_precision_holds_over_a_long_track() -> None:
    track, _ = extract_signal(click_track(126.0, 300))
    assert track.beats.bpm == pytest.approx(126.0, abs=0.02)


@pytest.mark.parametrize(
    "signal", [noise(20), chord([220.0, 330.0], 20), np.zeros(SR * 20, dtype=np.float32)],
    ids=["noise", "drone", "silence"],
)
def test_no_pulse_means_no_bpm(signal: np.ndarray) -> None:
    onset, _ = onset_envelopes(spectrogram(signal).log_mel, sr=SR)
    assert track_beats(onset).bpm == 0.0


def test_a_kick_on_every_beat_is_four_on_the_floor() -> None:
    track, _ = extract_signal(click_track(125.0, 30))
    means = track.mean_features()
    profile = np.array([means[f"low_subdivision_{i}"] for i in range(4)])
    assert rhythm_pattern(profile, beat_strength=track.beats.confidence,
                          low_on_beats=means["kick_on_beats"]) == "four_on_the_floor"


def test_no_pulse_is_free_rhythm() -> None:
    assert rhythm_pattern(np.full(4, 0.25), beat_strength=0.0, low_on_beats=0.0) == "free"


def _onsets(bpm: float, hits: tuple[tuple[float, float, float], ...], seconds: float = 20.0
            ) -> np.ndarray:
    """An onset envelope at ``bpm`` over faint noise: each (weight, first beat, every so many
    beats) adds a train of hits."""
    frames = int(seconds * FRAMES_PER_SECOND)
    beat = 60.0 * FRAMES_PER_SECOND / bpm
    onset = 0.06 * np.random.default_rng(0).random(frames)
    for weight, first, every in hits:
        onset[np.round(np.arange(first * beat, frames - 2, every * beat)).astype(int)] += weight
    return onset


def _kicks_every_three_eighths(bpm: float) -> np.ndarray:
    """Strongest hits every 1.5 beats over eighth-note hats: the half-time trap / footwork
    pattern whose autocorrelation peaks at 2/3 of the tempo."""
    return _onsets(bpm, ((3.0, 0.0, 1.5), (1.05, 0.0, 0.5)))


def test_a_pulse_that_reads_at_two_thirds_is_taken_at_its_tempo(monkeypatch: pytest.MonkeyPatch) -> None:
    onset = _kicks_every_three_eighths(150.0)
    bpm, score = tempo_candidates(onset)
    assert bpm[int(np.argmax(score))] == pytest.approx(100.0, rel=0.04)  # the trap
    assert track_beats(onset).bpm == pytest.approx(150.0, abs=0.2)
    monkeypatch.setattr(rhythm, "_TERNARY", 2.0)  # autocorrelation never reaches 2: no check
    assert track_beats(onset).bpm == pytest.approx(100.0, rel=0.04)


@pytest.mark.parametrize("bpm", [150.0, 155.0, 170.0])
def test_a_kick_alone_is_counted_on_every_kick(bpm: float) -> None:
    # Without hats, every other kick is the "half beat" the tempo score rewards, so the score
    # prefers half the tempo (155 read 77.5); the kick band repeating every half of that
    # period as strongly as every period says the kicks are the beats.
    track, _ = extract_signal(click_track(bpm, 20, offbeat_hats=False))
    assert track.beats.bpm == pytest.approx(bpm, abs=0.1)


def _dembow(bpm: float) -> np.ndarray:
    """Moombahton's dembow: a kick on every beat under louder snares three and six sixteenths
    after every other beat, so the pattern repeats every two beats and hardly at one."""
    return _onsets(bpm, ((1.0, 0.0, 1.0), (3.0, 0.75, 2.0), (3.0, 1.5, 2.0)))


@pytest.mark.parametrize("bpm", [110.0, 112.0])
def test_a_pattern_that_repeats_every_two_beats_has_a_tempo(bpm: float) -> None:
    # Read at the beat alone, its periodicity said "no pulse" (a rendered moombahton at 112).
    assert track_beats(_dembow(bpm)).bpm == pytest.approx(bpm, abs=0.1)


@pytest.mark.parametrize(("blur", "kick"), [(3.0, 1.0), (3.5, 0.75)])
def test_a_kick_band_that_repeats_at_the_beat_is_a_pulse(blur: float, kick: float) -> None:
    # The broadband onsets are a weak kick under loud noise (a pad, a vocal), so their own
    # periodicity said "no pulse"; the kick band alone repeats at the beat.
    onset = _onsets(122.0, ((kick, 0.0, 1.0),)) + (blur - 0.06) * np.random.default_rng(1).random(
        int(20.0 * FRAMES_PER_SECOND))
    assert track_beats(onset, accent=_onsets(122.0, ((3.0, 0.0, 1.0),))).bpm == pytest.approx(122.0, abs=0.1)


def test_a_walk_that_drifts_off_the_stronger_period_is_held_at_it() -> None:
    # A rendered future-bass clip (test seed 22, 147 BPM): the walk followed early peaks to
    # 154.9, where the onsets repeat less strongly than at the autocorrelation's 147.6.
    clip = render_clip("future-bass", seed=22, seconds=20)
    track, _ = extract_signal(clip.audio, sr=clip.sr)
    assert track.beats.bpm == pytest.approx(clip.tempo_bpm, rel=0.01)
