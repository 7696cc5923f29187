"""The 'why' sentences."""

from __future__ import annotations

import pytest

from genrelens.errors import InvalidParameterError
from genrelens.predict.why import why_genre

PROFILE = {
    "tempo_bpm": [120, 130],
    "bass_weight": [0.3, 0.6],
    "spectral_flatness": [0.0, 0.2],
    "rhythm": "four_on_the_floor",
    "mode": "any",
}


def test_matches_and_contradictions() -> None:
    items = why_genre(
        {"tempo_bpm": 128.0, "bass_weight": 0.8, "rhythm": "breakbeat", "mode": "minor"},
        PROFILE,
        genre_name="tech house",
    )
    by = {i.trait: i for i in items}
    assert by["tempo_bpm"].match and by["tempo_bpm"].expected == [120.0, 130.0]
    assert by["tempo_bpm"].text == "Tempo 128.0 BPM is inside tech house's usual 120-130 BPM."
    assert not by["bass_weight"].match and "outside" in by["bass_weight"].text
    assert not by["rhythm"].match and "breakbeat differs from" in by["rhythm"].text
    assert "mode" not in by  # "any" says nothing
    assert "spectral_flatness" not in by  # not measured
    assert [i.match for i in items] == sorted([i.match for i in items], reverse=True)


def test_half_time_tempo_counts_as_match() -> None:
    items = why_genre({"tempo_bpm": 87.0}, {"tempo_bpm": [170, 178]}, genre_name="neurofunk")
    assert items[0].match and "half of 174.0 BPM" in items[0].text


def test_bad_profile_range() -> None:
    with pytest.raises(InvalidParameterError, match="tempo_bpm"):
        why_genre({"tempo_bpm": 120.0}, {"tempo_bpm": [130, 120]}, genre_name="x")
