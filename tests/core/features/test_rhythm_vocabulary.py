"""One rhythm vocabulary: the detector, the taxonomy, the result and the "why" agree."""

from __future__ import annotations

import numpy as np
import pytest

from genrelens.features.rhythm import DETECTED_RHYTHMS, RHYTHMS, rhythm_fits, rhythm_pattern
from genrelens.predict.why import why_genre
from genrelens.taxonomy import load_taxonomy, schema


def test_the_taxonomy_uses_the_detectors_vocabulary() -> None:
    assert schema.RHYTHMS is RHYTHMS
    assert set(DETECTED_RHYTHMS) <= set(RHYTHMS)


def test_every_modelled_genres_rhythm_can_be_measured() -> None:
    taxonomy = load_taxonomy()
    for genre in taxonomy.genres:
        if genre.modelled:
            assert any(rhythm_fits(found, genre.rhythm) for found in DETECTED_RHYTHMS), genre.slug


@pytest.mark.parametrize(("measured", "expected", "fits"), [
    ("syncopated", "two_step", True), ("breakbeat", "broken", True), ("half_time", "broken", True),
    ("four_on_the_floor", "two_step", False), ("breakbeat", "four_on_the_floor", False),
    ("free", "free", True),
])
def test_related_rhythms_fit(measured: str, expected: str, fits: bool) -> None:
    assert rhythm_fits(measured, expected) is fits


def test_a_2_step_genre_is_not_contradicted_by_a_syncopated_groove() -> None:
    items = why_genre({"rhythm": "syncopated"}, {"rhythm": "two_step"}, genre_name="UK garage")
    assert [item.match for item in items] == [True]


def test_a_kick_on_every_beat_counts_whatever_the_grid_phase() -> None:
    # Rumble on the off-sixteenths spreads the subdivision profile; the kick band still repeats
    # every beat as strongly as every two.
    spread = np.array([0.3, 0.23, 0.24, 0.23])
    assert rhythm_pattern(spread, beat_strength=0.8, low_on_beats=0.6,
                          kick_repeat=np.array([0.5, 0.52])) == "four_on_the_floor"
    assert rhythm_pattern(spread, beat_strength=0.8, low_on_beats=0.6,
                          kick_repeat=np.array([0.2, 0.6])) == "breakbeat"


def test_under_a_rolling_rumble_the_mid_band_decides() -> None:
    # Warzone hard techno fills every sixteenth of the kick band with rumble: no position holds
    # the beat's share and the kicks do not stand out there. Their distorted body in the
    # 150 Hz-3 kHz band still repeats every beat; a breakbeat's snare there repeats every two.
    rumble = np.array([0.27, 0.25, 0.24, 0.24])
    blurred_kicks = np.array([0.1, 0.3])
    assert rhythm_pattern(rumble, beat_strength=1.0, low_on_beats=0.2, kick_repeat=blurred_kicks,
                          mid_repeat=np.array([0.6, 0.55])) == "four_on_the_floor"
    assert rhythm_pattern(rumble, beat_strength=1.0, low_on_beats=0.2, kick_repeat=blurred_kicks,
                          mid_repeat=np.array([0.3, 0.6])) == "half_time"
    # Where the kick band does mark a position, it is trusted and the mid band is not asked.
    placed = np.array([0.2, 0.45, 0.15, 0.2])
    assert rhythm_pattern(placed, beat_strength=1.0, low_on_beats=0.5, kick_repeat=blurred_kicks,
                          mid_repeat=np.array([0.6, 0.55])) == "breakbeat"
