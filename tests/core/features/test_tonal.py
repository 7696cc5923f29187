from __future__ import annotations

import numpy as np
import pytest
from signals import chord, click_track, noise

from genrelens.errors import InvalidParameterError
from genrelens.features import extract
from genrelens.features.extract import extract_signal
from genrelens.features.tonal import (
    MIN_CHORD_PEAKINESS,
    PITCH_CLASSES,
    camelot,
    estimate_key,
    key_chroma,
)


def _note(name: str, octave: int = 3) -> float:
    return float(440.0 * 2 ** ((PITCH_CLASSES.index(name) - 9) / 12 + (octave - 4)))


def _progression(chords: list[list[str]]) -> np.ndarray:
    """Triads of harmonic tones (four partials), like a synth pad, three seconds each."""
    return np.concatenate([
        sum((chord([h * _note(n, 4) for n in names], 3.0) / h for h in range(1, 5)),
            np.zeros(3 * 22050, dtype=np.float32))
        for names in chords
    ])


@pytest.mark.parametrize(
    ("chords", "name", "code"),
    [([["A", "C", "E"], ["D", "F", "A"], ["E", "Ab", "B"], ["A", "C", "E"]], "A minor", "8A"),
     ([["C", "E", "G"], ["F", "A", "C"], ["G", "B", "D"], ["C", "E", "G"]], "C major", "8B"),
     ([["G", "B", "D"], ["C", "E", "G"], ["D", "F#", "A"], ["G", "B", "D"]], "G major", "9B"),
     ([["F", "Ab", "C"], ["Bb", "C#", "F"], ["C", "E", "G"], ["F", "Ab", "C"]], "F minor", "4A")],
)
def test_key_of_a_cadence(chords: list[list[str]], name: str, code: str) -> None:
    track, _ = extract_signal(_progression(chords))
    assert track.key is not None
    assert (track.key.name, track.key.camelot) == (name, code)


def test_camelot_wheel_matches_the_published_table() -> None:
    minors = {"Ab": "1A", "Eb": "2A", "Bb": "3A", "F": "4A", "C": "5A", "G": "6A", "D": "7A",
              "A": "8A", "E": "9A", "B": "10A", "F#": "11A", "C#": "12A"}
    majors = {"B": "1B", "F#": "2B", "C#": "3B", "Ab": "4B", "Eb": "5B", "Bb": "6B", "F": "7B",
              "C": "8B", "G": "9B", "D": "10B", "A": "11B", "E": "12B"}
    for table, mode in ((minors, "minor"), (majors, "major")):
        for tonic, code in table.items():
            assert camelot(PITCH_CLASSES.index(tonic), mode) == code


def test_flat_chroma_has_no_key() -> None:
    assert estimate_key(np.ones(12)) is None
    assert estimate_key(np.zeros(12)) is None
    track, _ = extract_signal(noise(10, gain=0.3))
    assert track.key is None


def test_bad_parameters_name_the_value() -> None:
    with pytest.raises(InvalidParameterError, match="dorian"):
        camelot(0, "dorian")
    with pytest.raises(InvalidParameterError, match=r"\(3,\)"):
        estimate_key(np.ones(3))


def _sub_bass(name: str, seconds: float, *, gain: float) -> np.ndarray:
    """A sustained sine on ``name`` two octaves below the chords, ``gain`` times one voice."""
    t = np.arange(int(22050 * seconds)) / 22050
    return (gain * 0.2 * np.sin(2 * np.pi * _note(name, 2) * t)).astype(np.float32)


def test_a_bass_40_db_louder_than_the_chords_does_not_decide_the_mode() -> None:
    # Real tracks carry a kick and sub bass far louder than the chords. With every peak weighed
    # against the frame's loudest, the chords faded out and a C major cadence over a C bass
    # 40 dB louder read C minor; peaks below and above 250 Hz are now normalised apart.
    cadence = _progression([["C", "E", "G"], ["F", "A", "C"], ["G", "B", "D"], ["C", "E", "G"]])
    keys = [estimate_key(key_chroma(cadence + _sub_bass("C", len(cadence) / 22050, gain=gain))[0])
            for gain in (1.0, 100.0)]
    assert [k.name if k else None for k in keys] == ["C major", "C major"]


def test_the_key_hears_every_sample_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows stop up to a window hop short of the end and overlap across chunks; the key
    # chroma must neither miss the tail nor count the overlaps twice.
    heard: list[int] = []

    def counting(y: np.ndarray, *, sr: int) -> np.ndarray:
        heard.append(len(y))
        return key_chroma(y, sr=sr)

    monkeypatch.setattr(extract, "key_chroma", counting)
    for seconds in (8.0, 131.3):  # one window; three chunks with a tail
        heard.clear()
        y = noise(seconds, gain=0.1)
        extract.extract_signal(y)
        assert sum(heard) == len(y)


def test_chords_above_the_bass_give_a_key_when_the_stft_chroma_is_flat() -> None:
    # A kick and a bass can flatten the shared STFT's chroma under its limit while the chords
    # above 250 Hz still name the key; drums alone name none.
    flat = np.ones(12)
    a_minor = np.array([1.0, 0.3, 0.4, 0.3, 0.9, 0.3, 0.2, 0.3, 0.3, 1.4, 0.3, 0.3])
    assert estimate_key(a_minor, tonality=flat) is None
    key = estimate_key(a_minor, tonality=flat, chords=a_minor)
    assert key is not None and key.name == "A minor"
    assert estimate_key(a_minor, tonality=flat, chords=flat) is None
    # The limit sits above what a kick and hat loop and white noise measure above 250 Hz.
    drums = click_track(128, 20) - 0.5 * chord([220.0, 261.63, 329.63], 20)
    for atonal in (drums, noise(20, gain=0.2)):
        above = key_chroma(atonal)[1]
        assert above.max() / above.mean() < MIN_CHORD_PEAKINESS
